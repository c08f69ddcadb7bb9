"""Short-lived marks on chefs for rare events: the fire alarm (a signal) and the cloned kitchen (fork()).

A signal or a fork happens at one instant of simulated time, which at playback
speed may last a single frame. So when the playhead crosses such an event the
chef it concerns wears a mark (an alarm bell, a clone sign) for ``MARK_S`` real
seconds, long enough to be seen. Marks are cleared when the playhead goes back.
No Qt here: the pane view asks ``mark_of(chef)`` each frame.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from engine.timeline import Ev, Event, Timeline

MARK_S = 1.6  # real seconds a mark stays on its chef
MAX_NEW_MARKS = 8  # per kind and frame, when the playhead jumps over many events
MARK_KINDS = {Ev.SIGNAL: "signal", Ev.FORK: "fork"}


@dataclass
class Mark:
    """What a chef wears, why, and for how much longer."""

    kind: str  # "signal" | "fork"
    event: Event
    left_s: float = MARK_S


class EventMarks:
    """Marks on chefs for signal and fork events crossed by the playhead."""

    def __init__(self, timeline: Timeline) -> None:
        self.timeline = timeline
        self.marks: dict[int, Mark] = {}
        self.fork_parent: dict[int, int] = {}  # child process -> chef that called fork()
        self._t: float | None = None

    def update(self, t: float) -> None:
        """Mark the chefs of events with previous t < event time <= t; forget everything on a rewind."""
        previous, self._t = self._t, t
        if previous is None or t < previous:
            self.marks.clear()
            return
        for kind, name in MARK_KINDS.items():
            for event in self._crossed(kind, previous, t):
                self._note(name, event)

    def _crossed(self, kind: str, start: float, end: float) -> list[Event]:
        events = self.timeline.events_of(kind)
        first = bisect.bisect_right(events, start, key=lambda e: e.t)
        last = bisect.bisect_right(events, end, key=lambda e: e.t)
        return events[max(first, last - MAX_NEW_MARKS):last]

    def _note(self, name: str, event: Event) -> None:
        if event.kthread >= 0:
            self.marks[event.kthread] = Mark(name, event)
        if name == "fork":
            self.fork_parent[event.info.child] = event.kthread

    def tick(self, dt_s: float) -> list[int]:
        """Let time pass; return the chefs whose mark just ran out."""
        expired = []
        for chef, mark in self.marks.items():
            mark.left_s -= dt_s
            if mark.left_s <= 0:
                expired.append(chef)
        for chef in expired:
            del self.marks[chef]
        return expired

    def mark_of(self, chef: int) -> str:
        mark = self.marks.get(chef)
        return mark.kind if mark else ""
