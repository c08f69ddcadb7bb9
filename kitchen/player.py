"""The playhead and the app's one frame clock: plays a ScenarioRun's Timelines at a chosen speed.

``Player`` owns the only QTimer that drives the animation (about 60 frames a
second). Each frame it moves the playhead by ``dt × speed`` simulated
milliseconds, asks the run to compute ahead with a bounded number of SimPy
events (the budget adapts so engine work stays under ``ENGINE_BUDGET_S`` per
frame, measured here: the engine has no wall clock), and clamps the playhead
to what every pane has computed, so a huge kitchen slows the simulation,
never the UI. It has no widgets; the window connects to its signals.
"""

from __future__ import annotations

import math
import time

from PySide6.QtCore import QObject, QTimer, Signal

FRAME_INTERVAL_MS = 16
ENGINE_BUDGET_S = 0.004
MIN_SPEED, MAX_SPEED, DEFAULT_SPEED = 1.0, 100_000.0, 200.0
MIN_EVENTS, MAX_EVENTS, START_EVENTS = 16, 200_000, 2_000
MAX_FRAME_DT_S = 0.1
LOOKAHEAD_FRAMES = 4


def clamp_speed(ms_per_s: float) -> float:
    """Keep a speed within the slider's range (simulated ms per real second)."""
    return min(MAX_SPEED, max(MIN_SPEED, float(ms_per_s)))


class Player(QObject):
    """Playhead, play/pause, stepping and the frame clock for one ScenarioRun (all panes in step)."""

    frame = Signal(float)  # every frame, with the real seconds since the last one (for tweens)
    moved = Signal(float)  # the playhead changed (simulated ms); the window shows new snapshots
    playing_changed = Signal(bool)
    speed_changed = Signal(float)
    ended = Signal(float)  # the run ended and the playhead reached its end (simulated ms)
    failed = Signal(str)  # the engine raised while computing ahead; playing has stopped

    def __init__(self, run=None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.run = run
        self.playhead_ms = 0.0
        self.speed = DEFAULT_SPEED
        self.playing = False
        self.event_budget = START_EVENTS
        self.engine_s = 0.0  # engine time spent in the last frame (seconds)
        self.waiting_for_engine = False  # the playhead was held back by the engine last frame
        self._clock = QTimer(self)
        self._clock.setObjectName("frame clock")
        self._clock.setInterval(FRAME_INTERVAL_MS)
        self._clock.timeout.connect(self._on_clock)
        self._last_tick = 0.0

    # --- the clock -------------------------------------------------------------------------
    def start_clock(self) -> None:
        self._last_tick = time.perf_counter()
        self._clock.start()

    def stop_clock(self) -> None:
        self._clock.stop()

    @property
    def clock_running(self) -> bool:
        return self._clock.isActive()

    def _on_clock(self) -> None:
        now = time.perf_counter()
        dt = min(now - self._last_tick, MAX_FRAME_DT_S)
        self._last_tick = now
        self.tick(dt)

    def tick(self, dt_s: float) -> None:
        """One frame: advance the playhead when playing, then tell the views (tests call this directly)."""
        if self.playing and self.run is not None:
            try:
                self._play_for(dt_s)
            except Exception as error:  # noqa: BLE001 - the frame clock is the boundary: stop and tell, never crash
                self.pause()
                self.failed.emit(f"{type(error).__name__}: {error}")
        self.frame.emit(dt_s)

    def _play_for(self, dt_s: float) -> None:
        target = self.playhead_ms + dt_s * self.speed
        self.compute_ahead(target + LOOKAHEAD_FRAMES * dt_s * self.speed)
        reachable = self.computed_until()
        self.waiting_for_engine = reachable < target
        self._move_to(min(target, reachable, self.end_ms()))
        if self.at_end():
            self.pause()
            self.ended.emit(self.playhead_ms)

    # --- the engine ------------------------------------------------------------------------
    def compute_ahead(self, until_ms: float) -> None:
        """Let the run simulate towards ``until_ms`` within this frame's event budget; adapt the budget."""
        if self.run.finished or self.computed_until() >= until_ms:
            self.engine_s = 0.0
            return
        started = time.perf_counter()
        self.run.advance(until_ms, max_events=self.event_budget)
        self.engine_s = time.perf_counter() - started
        self._adapt_budget(limited=self.computed_until() < until_ms)

    def _adapt_budget(self, limited: bool) -> None:
        if self.engine_s > ENGINE_BUDGET_S:
            scale = max(0.25, ENGINE_BUDGET_S / self.engine_s * 0.8)
            self.event_budget = max(MIN_EVENTS, int(self.event_budget * scale))
        elif limited and self.engine_s < ENGINE_BUDGET_S / 2:
            self.event_budget = min(MAX_EVENTS, int(self.event_budget * 1.5) + 1)

    def computed_until(self) -> float:
        """Simulated time up to which every pane's events are final."""
        return min(pane.timeline.computed_until for pane in self.run.panes)

    def end_ms(self) -> float:
        """When the whole run ends (every pane); infinity while any pane still runs."""
        if not self.run.finished:
            return math.inf
        return max(pane.end_ms for pane in self.run.panes)

    def at_end(self) -> bool:
        return self.run.finished and self.playhead_ms >= self.end_ms()

    # --- controls --------------------------------------------------------------------------
    def set_run(self, run) -> None:
        """Play a new run from time 0 (paused state is kept)."""
        self.run = run
        self.event_budget = START_EVENTS
        self.waiting_for_engine = False
        self._move_to(0.0, force=True)

    def play(self) -> None:
        if self.run is None or self.playing:
            return
        if self.at_end():
            self._move_to(0.0)
        self.playing = True
        self.playing_changed.emit(True)

    def pause(self) -> None:
        if self.playing:
            self.playing = False
            self.playing_changed.emit(False)

    def toggle(self) -> None:
        self.pause() if self.playing else self.play()

    def reset(self) -> None:
        """Pause and go back to time 0."""
        self.pause()
        self._move_to(0.0, force=True)

    def set_speed(self, ms_per_s: float) -> None:
        speed = clamp_speed(ms_per_s)
        if speed != self.speed:
            self.speed = speed
            self.speed_changed.emit(speed)

    def step_event(self) -> bool:
        """Pause and jump to the next event time of any pane; False when there is none."""
        self.pause()
        after = self.playhead_ms
        upcoming = self._next_event_time(after)
        if upcoming is None:
            if self.run.finished and after < self.end_ms():
                self._move_to(self.end_ms())
                return True
            return False
        self._move_to(upcoming)
        return True

    def _next_event_time(self, after: float) -> float | None:
        horizon = max(1.0, after * 0.01)
        while True:
            times = [t for pane in self.run.panes if (t := pane.timeline.next_event_time(after)) is not None]
            soonest = min(times, default=None)
            if soonest is not None and soonest <= self.computed_until():
                return soonest
            if self.run.finished:
                return soonest
            self.run.advance(after + horizon, max_events=MAX_EVENTS)
            horizon *= 4

    def seek(self, t_ms: float) -> None:
        """Show simulated time ``t_ms`` (computing up to it if needed: for scrubbing and screenshots)."""
        t_ms = max(0.0, t_ms)
        self.run.advance(t_ms)
        self._move_to(min(t_ms, self.end_ms()), force=True)

    def _move_to(self, t_ms: float, force: bool = False) -> None:
        if t_ms != self.playhead_ms or force:
            self.playhead_ms = t_ms
            self.moved.emit(t_ms)
