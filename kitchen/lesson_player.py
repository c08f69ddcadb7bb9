"""The lesson player: walks a lesson's steps over the window's playhead, pausing at each step's moment.

A guided lesson starts with its explanation (phase ``intro``). → (or Space)
begins the next step: if it has a prediction, the question is shown and the
kitchens wait (phase ``toward``, paused); → or Space then plays towards the
step's moment (→ while playing jumps straight there). At the moment the player
pauses (phase ``at``), shows the caption and reveals the prediction's answer.
← goes back to the previous step's moment: the Timeline rewinds from its
keyframes, so this is instant. Moving the playhead any other way (scrubbing,
reset) re-derives the phase from the time shown. The player has no widgets and
no timer: it follows the window's ``Player`` signals.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from engine.lesson import Lesson, LessonStep, MomentFinder, finders_for, moment_time

INTRO, TOWARD, AT = "intro", "toward", "at"


@dataclass(frozen=True)
class LessonState:
    """Where the lesson is: the step heading for or shown (``index``; -1 in the intro) and the phase."""

    lesson: Lesson
    index: int
    phase: str

    @property
    def step(self) -> LessonStep | None:
        return self.lesson.steps[self.index] if self.index >= 0 else None

    @property
    def count(self) -> int:
        return len(self.lesson.steps)

    @property
    def revealed(self) -> bool:
        """The prediction's answer is shown only once the step's moment has been reached."""
        return self.phase == AT


class LessonPlayer(QObject):
    """Steps through a Lesson on a ``kitchen.player.Player`` (next, previous, pause at moments)."""

    changed = Signal(object)  # the new LessonState, or None when no guided lesson is active

    def __init__(self, player, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.player = player
        self.lesson: Lesson | None = None
        self.run = None
        self.guided = False
        self.state: LessonState | None = None
        self._finders: list[MomentFinder] = []
        self._moments: dict[int, float] = {}
        self._steering = False
        player.moved.connect(self._on_moved)
        player.playing_changed.connect(self._on_playing_changed)

    # --- setting up ------------------------------------------------------------------------------
    def set_lesson(self, lesson: Lesson | None, run) -> None:
        """A new kitchen: its lesson script (or None) and the ScenarioRun being played."""
        self.lesson, self.run = lesson, run
        self._finders = finders_for(run, lesson.watches_freezing) if run is not None and lesson is not None else []
        self._moments = {}
        self._sync(self.player.playhead_ms)

    def set_guided(self, on: bool) -> None:
        """Guided mode: pause at the steps, show their captions and predictions."""
        self.guided = on
        if on and self.active:
            self.player.pause()
        self._sync(self.player.playhead_ms)

    @property
    def active(self) -> bool:
        return self.guided and self.lesson is not None

    # --- moments ---------------------------------------------------------------------------------
    def moment(self, index: int) -> float | None:
        """When step ``index`` pauses, if already computed (the engine computes ahead of the playhead)."""
        if index not in self._moments:
            found = moment_time(self.lesson.steps[index], self._finders)
            if found is None:
                return None
            self._moments[index] = found
        return self._moments[index]

    def find_moment(self, index: int) -> float:
        """The moment of step ``index``, computing the run as far as needed (the run's end if it never comes)."""
        found = self.moment(index)
        while found is None and not self.run.finished:
            self.run.advance(2 * self.player.computed_until() + 1000.0)
            found = self.moment(index)
        return found if found is not None else self.player.end_ms()

    # --- keys ------------------------------------------------------------------------------------
    def next(self) -> None:
        """→: show the next question, play towards the step, or jump to its moment if already playing."""
        state = self.state
        if state is None:
            return
        if state.phase in (INTRO, AT):
            self._begin(state.index + 1)
        elif not self.player.playing:
            self.player.play()
        else:
            self._arrive(state.index)

    def previous(self) -> None:
        """←: back to the previous step's moment (from a step's moment, or on the way to the next one)."""
        state = self.state
        if state is None:
            return
        back = state.index - 1
        if back < 0:
            self._steer(0.0, LessonState(self.lesson, -1, INTRO))
        else:
            self._arrive(back)

    def go_to(self, index: int) -> None:
        """Show step ``index`` (0-based) at its moment, its caption and answer revealed."""
        if self.state is None or not 0 <= index < len(self.lesson.steps):
            raise ValueError(f"no step {index + 1}: the lesson has {len(self.lesson.steps) if self.lesson else 0}")
        self._arrive(index)

    def restart(self) -> None:
        """Back to the explanation at 0 ms."""
        if self.state is not None:
            self._steer(0.0, LessonState(self.lesson, -1, INTRO))

    # --- internals -------------------------------------------------------------------------------
    def _begin(self, index: int) -> None:
        if index >= len(self.lesson.steps):
            return
        step = self.lesson.steps[index]
        self._set_state(LessonState(self.lesson, index, TOWARD))
        if step.predict is not None:
            self.player.pause()
        else:
            self.player.play()

    def _arrive(self, index: int) -> None:
        self._steer(self.find_moment(index), LessonState(self.lesson, index, AT))

    def _steer(self, t_ms: float, state: LessonState) -> None:
        """Pause and move the playhead to ``t_ms`` ourselves, then show ``state``."""
        self._steering = True
        try:
            self.player.pause()
            self.player.seek(t_ms)
        finally:
            self._steering = False
        self._set_state(state)

    def _set_state(self, state: LessonState | None) -> None:
        if state != self.state:
            self.state = state
            self.changed.emit(state)

    def _on_moved(self, t_ms: float) -> None:
        if self._steering or not self.active or self.state is None:
            return
        state = self.state
        if state.phase == TOWARD and self.player.playing:
            moment = self.moment(state.index)
            if (moment is not None and t_ms >= moment) or self.player.at_end():
                self._arrive(state.index)
                return
            if state.index == 0 or t_ms >= (self.moment(state.index - 1) or 0.0):
                return
        self._sync(t_ms)

    def _on_playing_changed(self, playing: bool) -> None:
        """Playing from the intro or a step's moment begins the next step (pausing first for its question)."""
        if not playing or self._steering or not self.active or self.state is None:
            return
        if self.state.phase in (INTRO, AT):
            self._begin(self.state.index + 1)

    def _sync(self, t_ms: float) -> None:
        """Derive the phase from the time shown (after a scrub, a reset or a new kitchen)."""
        if not self.active:
            self._set_state(None)
            return
        reached = [i for i in range(len(self.lesson.steps)) if (m := self.moment(i)) is not None and m <= t_ms]
        last = reached[-1] if reached else -1
        if last < 0 and t_ms <= 0.0:
            state = LessonState(self.lesson, -1, INTRO)
        elif last >= 0 and (self.moment(last) == t_ms or last == len(self.lesson.steps) - 1):
            state = LessonState(self.lesson, last, AT)
        else:
            state = LessonState(self.lesson, last + 1, TOWARD)
        self._set_state(state)
