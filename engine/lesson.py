"""Lessons: the script that turns a scenario into something a class watches, step by step.

A scenario file may carry a ``[lesson]`` table: a one-paragraph explanation and
``[[lesson.steps]]``. Each step has a caption, an optional prediction question
(shown before the step plays, answered after) and a moment at which the player
pauses: a simulated time (``moment = { at_ms = 500 }``) or the first time
something happens (``moment = { on = "frozen" }``). ``pane`` (1 = the leftmost
pane, as numbered on screen and by the keys 1, 2, 3) says which kitchen the step
is about; an ``on`` moment is looked for in that pane, or in every pane if no
pane is given. ``MomentFinder`` reads a pane's Timeline once, incrementally, and
notes the first time of every moment; ``resolve_moment`` answers for one step.
``COURSE`` is the teaching order; ``lesson_label`` is how menus list a lesson.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from engine.timeline import Ev, Event, KitchenState, KState, Timeline, UState

MOMENTS = {
    "first block": "a chef of the studied process waits at the oven or for a knife in the kernel",
    "first park": "a ticket parks in the event loop's wait set (non-blocking I/O)",
    "first upcall": "the kernel hands the clipboard a fresh chef (scheduler activation)",
    "first refusal": "the pantry is full: a new chef (kernel thread) cannot be created",
    "first preempt": "the kitchen manager sends a chef back to the bench (time slice over)",
    "first lock wait": "a ticket waits for a knife (mutex) someone else holds",
    "first priority boost": "a chef cooks at a borrowed, higher priority (priority inheritance)",
    "first finish": "the first ticket of the studied process is done",
    "half finished": "half the tickets of the studied process are done (or turned away)",
    "all finished": "every ticket of the studied process is done (or turned away)",
    "frozen": "every chef of the studied process waits at the oven while tickets wait: nothing cooks",
    "unfrozen": "the first moment after freezing that the studied process can cook again",
    "first signal": "the fire alarm rings: a signal is delivered",
    "fork": "the kitchen is cloned: fork()",
    "deadlock": "nothing can ever cook again",
    "end": "the run ends (all done, stuck, or the scenario's duration reached)",
}
COURSE = ("parallelism", "memory", "blocking", "nonblocking-io", "activations", "many-to-many", "fairness",
          "priority-inversion", "signals", "fork", "event-loop", "web-server", "ui-responsiveness")
SHORT_NAMES = {"nonblocking-io": "Non-blocking I/O", "activations": "Scheduler activations",
               "ui-responsiveness": "UI responsiveness", "fork": "fork()", "many-to-many": "Many-to-many"}
LATEST_OF_PANES = ("all finished", "end")  # without a pane: when every pane got there


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Predict(_Strict):
    """A question asked before a step plays; the answer and why are revealed after."""

    question: str = Field(min_length=1, max_length=300)
    choices: list[str] = Field(min_length=2, max_length=6)
    answer: int = Field(ge=0)
    reveal: str = Field(min_length=1, max_length=600)

    @model_validator(mode="after")
    def _answer_is_a_choice(self) -> Predict:
        if self.answer >= len(self.choices):
            raise ValueError(f"answer = {self.answer} is not a choice index (0 to {len(self.choices) - 1})")
        return self


class Moment(_Strict):
    """When the player pauses: at a simulated time, or the first time something happens."""

    at_ms: float | None = Field(None, ge=0, le=1e9)
    on: str | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Moment:
        if (self.at_ms is None) == (self.on is None):
            raise ValueError("give exactly one of at_ms or on")
        if self.on is not None and self.on not in MOMENTS:
            raise ValueError(f"unknown moment {self.on!r} (expected one of: {', '.join(MOMENTS)})")
        return self


class LessonStep(_Strict):
    """One step: what to say, what to ask first, which pane to spotlight, when to pause."""

    caption: str = Field(min_length=1, max_length=400)
    moment: Moment
    predict: Predict | None = None
    pane: int | None = Field(None, ge=1, le=6)


class Lesson(_Strict):
    """The script of a lesson: an explanation in plain words and the steps."""

    explanation: str = Field(min_length=1, max_length=2000)
    steps: list[LessonStep] = Field(min_length=1, max_length=20)
    speed: float | None = Field(None, ge=1, le=100_000)  # simulated ms per second that suits the lesson

    @property
    def watches_freezing(self) -> bool:
        """Whether a step waits for the kitchen to freeze or thaw (finding that replays the Timeline)."""
        return any(step.moment.on in ("frozen", "unfrozen") for step in self.steps)

    def check_fits(self, pane_count: int, duration_ms: float) -> None:
        """Raise ValueError naming the step if it points at a missing pane or past the duration."""
        for index, step in enumerate(self.steps):
            where = f"lesson.steps[{index}]"
            if step.pane is not None and step.pane > pane_count:
                raise ValueError(f"{where}.pane: {step.pane} but the scenario has {pane_count} pane(s)")
            if step.moment.at_ms is not None and step.moment.at_ms > duration_ms:
                raise ValueError(f"{where}.moment: at_ms = {step.moment.at_ms:g} is past "
                                 f"duration_ms = {duration_ms:g}")


class MomentFinder:
    """Reads one pane's Timeline incrementally and notes the first time of every moment."""

    def __init__(self, timeline: Timeline, our_tickets: int, track_frozen: bool = True) -> None:
        self.timeline = timeline
        self.our_tickets = our_tickets
        self.first: dict[str, float] = {}
        self._position = 0
        self._done = 0
        self._state = (KitchenState(timeline.cores, timeline.kernel_thread_kib, timeline.shared_locks)
                       if track_frozen else None)

    def time_of(self, moment: str) -> float | None:
        """The first time ``moment`` happened in this pane, or None if not (yet)."""
        self.update()
        if moment == "end":
            return None if self.timeline.end_ms is None else float(self.timeline.end_ms)
        return self.first.get(moment)

    def update(self) -> None:
        """Read the events computed since the last call (only final ones: t <= computed_until)."""
        events, limit = self.timeline.events, self.timeline.computed_until
        while self._position < len(events) and events[self._position].t <= limit:
            event = events[self._position]
            self._position += 1
            self._note(event)
            if self._state is not None:
                self._state.apply(event)
                self._check_frozen(events, event.t)

    def _note(self, event: Event) -> None:
        for moment in self._moments_of(event):
            self.first.setdefault(moment, float(event.t))

    def _ours(self, event: Event) -> bool:
        """The event is about a chef or ticket of the studied process (process 0), or about nobody."""
        head = self.timeline.head
        if event.kthread >= 0:
            return int(head.k_process[event.kthread]) == 0
        return event.uthread < 0 or int(head.u_process[event.uthread]) == 0

    def _moments_of(self, event: Event) -> Sequence[str]:
        kind = event.kind
        if kind == Ev.DEADLOCK:
            return ["deadlock"]
        if kind == Ev.SIGNAL:
            return ["first signal"]
        if kind == Ev.FORK:
            return ["fork"]
        if kind == Ev.PRIORITY:  # the boosted chef may be a neighbour's (the seed's inversion)
            return ["first priority boost"]
        if not self._ours(event):
            return []
        if kind in (Ev.FINISH, Ev.REFUSE):
            return self._count_done(kind)
        if kind == Ev.BLOCK and isinstance(event.info, str):
            return ["first block", "first lock wait"]
        return _FIRSTS_OF_OURS.get(kind, ())

    def _count_done(self, kind: str) -> list[str]:
        self._done += 1
        found = ["first finish"] if kind == Ev.FINISH else ["first refusal"]
        if 2 * self._done >= self.our_tickets:
            found.append("half finished")
        if self._done >= self.our_tickets:
            found.append("all finished")
        return found

    def _check_frozen(self, events: list[Event], t: float) -> None:
        """After the last event at time ``t``: note when the studied process first freezes and thaws."""
        if "unfrozen" in self.first:
            return
        if self._position < len(events) and events[self._position].t == t:
            return
        frozen = _frozen(self._state)
        if frozen and "frozen" not in self.first:
            self.first["frozen"] = float(t)
        elif not frozen and "frozen" in self.first:
            self.first["unfrozen"] = float(t)


_FIRSTS_OF_OURS = {Ev.BLOCK: ("first block",), Ev.PARK: ("first park",), Ev.UPCALL: ("first upcall",),
                   Ev.PREEMPT: ("first preempt",), Ev.LOCK_WAIT: ("first lock wait",)}


def _frozen(state: KitchenState) -> bool:
    """Same rule as ``Snapshot.frozen(0)``: every live chef of ours blocked while a ticket of ours is ready."""
    nk, nu = state.n_kthreads, state.n_uthreads
    chefs = (state.k_process[:nk] == 0) & (state.k_state[:nk] != KState.EXITED)
    if not chefs.any() or not (state.k_state[:nk][chefs] == KState.BLOCKED).all():
        return False
    return bool(((state.u_process[:nu] == 0) & (state.u_state[:nu] == UState.READY)).any())


def course_order(names: list[str]) -> list[str]:
    """Lesson names in teaching order (the seed's order); lessons not in the course follow, sorted."""
    rank = {name: index for index, name in enumerate(COURSE)}
    return sorted(names, key=lambda name: (rank.get(name, len(COURSE)), name))


def short_name(name: str) -> str:
    """A lesson's name as a reader says it: ``nonblocking-io`` → ``Non-blocking I/O``."""
    return SHORT_NAMES.get(name) or name.replace("-", " ").capitalize()


def read_title(path: Path) -> str:
    """The ``title`` of a scenario file, read without validating it ("" if it cannot be read)."""
    try:
        with path.open("rb") as file:
            title = tomllib.load(file).get("title", "")
    except (OSError, tomllib.TOMLDecodeError):
        return ""
    return title if isinstance(title, str) else ""


def lesson_label(number: int, name: str, title: str) -> str:
    """How menus list a lesson, e.g. ``1. Parallelism — Thirty-two orders, eight stoves`` (a title that
    starts with the lesson's name stands alone: ``6. Many-to-many: what M chefs buy``)."""
    name = short_name(name)
    if title.lower().startswith(name.lower()):
        return f"{number}. {title}"
    return f"{number}. {name}" + (f" — {title}" if title else "")


def our_ticket_count(scenario) -> int:
    """How many tickets (user threads) the studied process is given by the scenario."""
    return sum(task.count for task in scenario.tasks)


def finders_for(run, track_frozen: bool = True) -> list[MomentFinder]:
    """One MomentFinder per pane of a ScenarioRun."""
    total = our_ticket_count(run.scenario)
    return [MomentFinder(pane.timeline, total, track_frozen) for pane in run.panes]


def moment_time(step: LessonStep, finders: Sequence[MomentFinder]) -> float | None:
    """When ``step`` pauses, given a finder per pane; None if it has not happened (yet)."""
    if step.moment.at_ms is not None:
        return step.moment.at_ms
    name = step.moment.on
    if step.pane is not None:
        return finders[step.pane - 1].time_of(name)
    times = [finder.time_of(name) for finder in finders]
    if name in LATEST_OF_PANES:
        return None if None in times else max(times)
    found = [t for t in times if t is not None]
    return min(found) if found else None


def resolve_moment(step: LessonStep, run) -> float | None:
    """When ``step`` pauses in a ScenarioRun (reads whatever the run has computed so far)."""
    return moment_time(step, finders_for(run, track_frozen=step.moment.on in ("frozen", "unfrozen")))
