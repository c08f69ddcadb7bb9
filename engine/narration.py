"""Narration: notable Timeline events as caption lines in kitchen words, with the OS word alongside.

``narrate`` turns the events of one pane between two times into candidate lines
("Chef 1 went to the oven with bake #1 (blocking read) — the whole many-to-one
kitchen stops"), remembering what it has already told in an immutable
``PaneMemory``: the first event of a kind gets a line of its own, repeats are
folded into one count ("8 chefs cooking at 8 of 8 stoves"). ``pick`` throttles
the candidates of every pane so a reader gets at most one line per ``gap_ms`` of
simulated time, the most notable first (a deadlock, a frozen kitchen, a refused
chef). ``play`` narrates a whole pane headless, as the caption strip would.

Narration reads events only (``Timeline.events_between``) and counts what it
needs itself (chefs, stoves in use, stove time per process), so it never asks
the Timeline for a snapshot: the playback cursor moves with the playhead alone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from itertools import groupby

from engine.timeline import Ev, Event, Timeline

URGENT = 90  # lines at least this notable never go stale while waiting their turn
MAX_PENDING = 12


@dataclass(frozen=True)
class Line:
    """One caption line: when it happened, in which pane, what to say and how notable it is."""

    t: float
    pane: int
    text: str
    weight: int
    key: str = ""


@dataclass(frozen=True)
class PaneMemory:
    """What the narrator remembers about one pane: kinds already told, chef counts, frozen or not."""

    seen: frozenset[str] = frozenset()
    chefs: int = 0
    blocked: int = 0
    frozen: bool = False
    refused: int = 0
    finished: int = 0
    killed: int = 0
    arrived: int = 0
    waiting_in_library: int = 0  # tickets parked in the wait set or waiting for a knife in the library
    switches: int = 0
    lock_waits: frozenset[int] = frozenset()  # chefs asleep in the kernel waiting for a knife
    library_waits: frozenset[int] = frozenset()  # tickets waiting for a knife in the library
    parked: int = 0  # tickets in the event loop's wait set
    at_stove: frozenset[int] = frozenset()  # chefs of every process at a stove now
    stove_ms: tuple[float, ...] = ()  # stove time per process index so far (up to ``clock``)
    clock: float = 0.0  # the time stove_ms is counted up to
    counts_told: tuple[tuple[str, str], ...] = ()  # (event kind, the count line last told for it)


@dataclass(frozen=True)
class Throttle:
    """When the last line was shown and the lines still waiting for their turn."""

    last_t: float = -math.inf
    pending: tuple[Line, ...] = ()


@dataclass(frozen=True)
class _Scene:
    """What ``narrate`` needs to word an event: the pane's timeline, index and kitchen name."""

    timeline: Timeline
    pane: int
    kitchen: str

    @property
    def chef_per_ticket(self) -> bool:
        """Every ticket has its own chef (one-to-one, or many-to-many with system contention scope)."""
        ours = self.timeline.processes[0]
        return ours.model == "one-to-one" or ours.scope == "scs"

    def process_of(self, kthread: int) -> int:
        return int(self.timeline.head.k_process[kthread])

    def ours(self, event: Event) -> bool:
        head = self.timeline.head
        if event.kthread >= 0:
            return int(head.k_process[event.kthread]) == 0
        return event.uthread < 0 or int(head.u_process[event.uthread]) == 0

    def ticket(self, event: Event) -> str:
        return self.timeline.uthread_name(event.uthread) if event.uthread >= 0 else "a ticket"


class _Notes:
    """A working copy of a PaneMemory that ``narrate`` changes in place while it reads a window of events
    (a new frozen memory per event would cost more than the reading); ``freeze`` gives the memory back."""

    def __init__(self, memory: PaneMemory) -> None:
        self.__dict__.update(vars(memory))

    def freeze(self) -> PaneMemory:
        return PaneMemory(**vars(self))


def narrate(timeline: Timeline, start: float, end: float, memory: PaneMemory = PaneMemory(), pane: int = 0,
            kitchen: str = "") -> tuple[list[Line], PaneMemory]:
    """Candidate lines for the events of one pane with ``start < t <= end`` (only final ones)."""
    scene = _Scene(timeline, pane, kitchen or timeline.processes[0].model)
    end = min(end, timeline.computed_until, math.inf if timeline.end_ms is None else timeline.end_ms)
    notes, lines, repeats = _Notes(memory), [], {}
    for t, group in groupby(timeline.events_between(start, end), key=lambda event: event.t):
        group = list(group)
        _accrue(scene, float(t), notes)
        told = []
        for event in group:
            _count(scene, event, notes)
            _occupy(event, notes)
            told += _tell(scene, event, notes, repeats)
            _forget_lock_wait(event, notes)
        lines += _freeze_check(scene, float(t), group, notes, told)
    counts = _summaries(scene, end, notes, repeats)
    notes.counts_told = tuple((dict(notes.counts_told) | {line.key: line.text for line in counts}).items())
    return lines + counts, notes.freeze()


def _accrue(scene: _Scene, t: float, notes: _Notes) -> None:
    """Count the stove time of every process from ``notes.clock`` up to ``t``."""
    if t > notes.clock:
        notes.stove_ms, notes.clock = _stove_ms(scene, t, notes), t


def _stove_ms(scene: _Scene, t: float, memory: _Notes) -> tuple[float, ...]:
    """Stove time per process up to ``t`` (at least ``memory.clock``): chefs at stoves keep cooking."""
    spent = list(memory.stove_ms) + [0.0] * (len(scene.timeline.processes) - len(memory.stove_ms))
    for kthread in memory.at_stove:
        spent[scene.process_of(kthread)] += t - memory.clock
    return tuple(spent)


def _occupy(event: Event, notes: _Notes) -> None:
    """Which chefs (of any process) stand at a stove: the kitchen manager puts them there, they leave."""
    if event.kind == Ev.DISPATCH:
        notes.at_stove = notes.at_stove | {event.kthread}
    elif event.kind in _LEAVE_STOVE and event.kthread in notes.at_stove:
        notes.at_stove = notes.at_stove - {event.kthread}


_LEAVE_STOVE = frozenset({Ev.PREEMPT, Ev.BLOCK, Ev.IDLE, Ev.EXIT})


def _count(scene: _Scene, event: Event, notes: _Notes) -> None:
    """Keep the studied process's chef counts (alive, at the oven), refusals and finished tickets."""
    if not scene.ours(event):
        return
    kind = event.kind
    if kind in (Ev.HIRE, Ev.EXIT):
        notes.chefs += 1 if kind == Ev.HIRE else -1
    elif kind == Ev.BLOCK:
        notes.blocked += 1
        if isinstance(event.info, str):
            notes.lock_waits = notes.lock_waits | {event.kthread}
    elif kind == Ev.WAKE:
        _count_wake(event, notes)
    elif kind in (Ev.PARK, Ev.LOCK_WAIT):
        notes.waiting_in_library += 1
        if kind == Ev.PARK:
            notes.parked += 1
        else:
            notes.library_waits = notes.library_waits | {event.uthread}
    elif kind in _TALLIES:
        setattr(notes, _TALLIES[kind], getattr(notes, _TALLIES[kind]) + 1)


def _count_wake(event: Event, notes: _Notes) -> None:
    """A chef back from the oven, or a ticket back from the wait set or from a knife wait in the library."""
    if event.kthread >= 0:
        notes.blocked -= 1
        return
    notes.waiting_in_library -= 1
    if event.uthread in notes.library_waits:
        notes.library_waits = notes.library_waits - {event.uthread}
    else:
        notes.parked -= 1


_TALLIES = {Ev.ARRIVE: "arrived", Ev.REFUSE: "refused", Ev.FINISH: "finished", Ev.KILLED: "killed",
            Ev.RUN: "switches"}


def _tell(scene: _Scene, event: Event, notes: _Notes, repeats: dict[str, int]) -> list[Line]:
    """The line for an event if it is the first of its kind (or always notable); else count a repeat."""
    said = _words(scene, event, notes)
    if said is None:
        return []
    key, text, weight = said
    if key in notes.seen and weight < URGENT:
        group = "neighbour" if key == "neighbour" else event.kind
        repeats[group] = repeats.get(group, 0) + 1
        return []
    notes.seen = notes.seen | {key}
    return [Line(float(event.t), scene.pane, text, weight, key)]


def _freeze_check(scene: _Scene, t: float, group: list[Event], notes: _Notes, told: list[Line]) -> list[Line]:
    """After the events at ``t``: tell when every chef of the studied process is at the oven while tickets
    wait (the whole kitchen stops), and when it thaws. A kitchen with a chef per ticket (one-to-one, M:N with
    system contention scope) never freezes: only the chef at the oven waits."""
    frozen = not scene.chef_per_ticket and _frozen(notes)
    if frozen == notes.frozen:
        return told
    notes.frozen = frozen
    blocks = [event for event in group if event.kind == Ev.BLOCK and scene.ours(event)]
    if frozen and blocks:
        text = f"{_block(scene, blocks[-1], notes)[1]} — the whole {scene.kitchen} kitchen stops"
        told = [line for line in told if not line.key.startswith("block")]
        return told + [Line(t, scene.pane, text, 100, "frozen")]
    line = Line(t, scene.pane, _frozen_text(scene, frozen), 100 if frozen else URGENT,
                "frozen" if frozen else "thawed")
    return told + [line]


def _frozen(memory: _Notes) -> bool:
    """The rule of ``Snapshot.frozen(0)`` from counts: every chef asleep while a ticket waits on the rail."""
    if memory.chefs <= 0 or memory.blocked < memory.chefs:
        return False
    ended = memory.finished + memory.refused + memory.killed
    return memory.arrived - ended - memory.blocked - memory.waiting_in_library > 0


def _frozen_text(scene: _Scene, frozen: bool) -> str:
    if frozen:
        return (f"Every chef of the {scene.kitchen} kitchen is at the oven and tickets wait on the rail: "
                "nothing cooks (the whole process is blocked)")
    return f"The {scene.kitchen} kitchen cooks again: a chef is back from the oven (the system call returned)"


def _words(scene: _Scene, event: Event, memory: _Notes) -> tuple[str, str, int] | None:
    """(key, text, weight) for an event of the studied process, or None if it is not worth a line."""
    if event.kind == Ev.DEADLOCK:
        return "deadlock", f"Deadlock: nothing can ever cook again — {event.info}", 100
    if not scene.ours(event):
        return _neighbour_words(scene, event)
    wording = _WORDING.get(event.kind)
    return wording(scene, event, memory) if wording else None


def _neighbour_words(scene: _Scene, event: Event) -> tuple[str, str, int] | None:
    if event.kind != Ev.DISPATCH:
        return None
    name = scene.timeline.processes[scene.process_of(event.kthread)].name
    return ("neighbour", (f"The {name} next door puts its chef {event.kthread + 1} at stove {event.stove + 1} "
            "(another process's kernel thread competes for the cores)"), 50)


def _hire(scene: _Scene, event: Event, memory: _Notes):
    kib = scene.timeline.kernel_thread_kib
    for_whom = f" for ticket {scene.ticket(event)}" if event.uthread >= 0 else ""
    return "hire", (f"Chef {event.kthread + 1} hired{for_whom}: a locker on the pantry shelf "
                    f"(new kernel thread, {kib} KiB of kernel memory)"), 60


def _refuse(scene: _Scene, event: Event, memory: _Notes):
    text = (f"No locker left in the pantry: kernel thread {memory.chefs + 1} could not be created "
            f"(pthread_create fails, EAGAIN) — ticket {scene.ticket(event)} is turned away")
    return "refuse", text, 95 if memory.refused == 1 else 40


def _dispatch(scene: _Scene, event: Event, memory: _Notes):
    return "dispatch", (f"The kitchen manager puts chef {event.kthread + 1} at stove {event.stove + 1} "
                        f"(the kernel scheduler runs kernel thread {event.kthread + 1} on core {event.stove + 1})"), 50


def _run(scene: _Scene, event: Event, memory: _Notes):
    return "run", (f"The clipboard hands ticket {scene.ticket(event)} to chef {event.kthread + 1} "
                   "(user-level switch)"), 50


def _rotate(scene: _Scene, event: Event, memory: _Notes):
    return "rotate", (f"Chef {event.kthread + 1}'s turn with {scene.ticket(event)} is over: back on the ticket "
                      "rail (user-level time slice)"), 40


def _preempt(scene: _Scene, event: Event, memory: _Notes):
    return "preempt", (f"Time's up: the kitchen manager sends chef {event.kthread + 1} back to the bench "
                       "(preempted at the end of its time slice)"), 40


def _block(scene: _Scene, event: Event, memory: _Notes):
    chef = event.kthread + 1
    if isinstance(event.info, str):
        return "block lock", (f"Chef {chef} waits for the knife '{event.info}' with {scene.ticket(event)} "
                              "(blocked on a mutex in the kernel)"), 70
    text = f"Chef {chef} went to the oven with {scene.ticket(event)} (blocking I/O call)"
    if scene.chef_per_ticket:
        text += " — only this chef waits; the others can still cook"
    return "block", text, 70


def _park(scene: _Scene, event: Event, memory: _Notes):
    return "park", (f"Ticket {scene.ticket(event)} parks in the wait set; chef {event.kthread + 1} keeps "
                    "cooking (non-blocking I/O, epoll)"), 70


def _lock_wait(scene: _Scene, event: Event, memory: _Notes):
    return "lock wait", (f"Ticket {scene.ticket(event)} waits for the knife '{event.info}'; its chef takes "
                         "another ticket (user-level mutex wait)"), 70


def _forget_lock_wait(event: Event, notes: _Notes) -> None:
    if event.kind == Ev.WAKE and event.kthread in notes.lock_waits:
        notes.lock_waits = notes.lock_waits - {event.kthread}


def _wake(scene: _Scene, event: Event, memory: _Notes):
    if event.kthread in memory.lock_waits:
        return "wake lock", (f"Chef {event.kthread + 1} got the knife and is back on the bench with "
                             f"{scene.ticket(event)} (mutex acquired, thread runnable)"), 50
    if event.kthread >= 0:
        return "wake", (f"The oven is done: chef {event.kthread + 1} is back on the bench with "
                        f"{scene.ticket(event)} (I/O complete, thread runnable)"), 50
    return "wake parked", (f"Ticket {scene.ticket(event)} is ready again: the event loop saw its I/O complete "
                           "(epoll reported it)"), 50


def _upcall(scene: _Scene, event: Event, memory: _Notes):
    return "upcall", (f"Upcall! The kernel hands the clipboard a fresh chef {event.kthread + 1} while chef "
                      f"{int(event.info) + 1} waits at the oven (scheduler activation)"), 90


def _lock(scene: _Scene, event: Event, memory: _Notes):
    return "lock", f"{scene.ticket(event)} picks up the knife '{event.info}' (mutex locked)", 40


def _priority(scene: _Scene, event: Event, memory: _Notes):
    return f"priority {event.kthread}", (f"Chef {event.kthread + 1} now cooks at priority {event.info} "
                                         "(priority inheritance)"), 80


def _signal(scene: _Scene, event: Event, memory: _Notes):
    info = event.info
    where = f"at chef {event.kthread + 1}" if event.kthread >= 0 else "with no chef to ring at"
    alarm = f"Fire alarm {info.signal} ({_SOURCES.get(info.source, info.source)}) rings {where}"
    if info.action == "handler":
        text = (f"{alarm}; ticket {scene.ticket(event)} runs the handler for {info.handler_ms:g} ms "
                f"(signal delivered to kernel thread {event.kthread + 1})")
    elif info.action == "terminate":
        text = f"{alarm}: no handler, so the whole kitchen is shut down (default action: the process is killed)"
    elif info.action == "pending":
        text = f"{alarm}: every ticket blocks it, so it waits (signal pending, masked)"
    else:
        text = f"{alarm}: the ticket it was sent to is gone (signal lost)"
    return f"signal {event.t}", text, 90


_SOURCES = {"fault": "raised by the ticket's own fault", "kill": "sent to the process",
            "pthread_kill": "sent to one ticket"}


def _fork(scene: _Scene, event: Event, memory: _Notes):
    return f"fork {event.t}", (f"fork(): ticket {scene.ticket(event)} clones the kitchen. The copy gets one chef "
                               "and a copy of every knife, taken or not (fork copies memory, not threads)"), 90


def _exec(scene: _Scene, event: Event, memory: _Notes):
    return "exec", "The cloned kitchen calls exec(): its copied knives are thrown away, nothing is left held", 70


def _finish(scene: _Scene, event: Event, memory: _Notes):
    return "finish", f"Ticket {scene.ticket(event)} is done (user thread finished)", 50


def _exit(scene: _Scene, event: Event, memory: _Notes):
    return "exit", (f"Chef {event.kthread + 1} goes home and frees its locker (kernel thread exits, "
                    f"{scene.timeline.kernel_thread_kib} KiB freed)"), 30


_WORDING = {Ev.HIRE: _hire, Ev.REFUSE: _refuse, Ev.DISPATCH: _dispatch, Ev.RUN: _run, Ev.ROTATE: _rotate,
            Ev.PREEMPT: _preempt, Ev.BLOCK: _block, Ev.PARK: _park, Ev.LOCK_WAIT: _lock_wait, Ev.WAKE: _wake,
            Ev.UPCALL: _upcall, Ev.LOCK: _lock, Ev.PRIORITY: _priority, Ev.FINISH: _finish, Ev.EXIT: _exit,
            Ev.SIGNAL: _signal, Ev.FORK: _fork, Ev.EXEC: _exec}


def _summaries(scene: _Scene, t: float, memory: _Notes, repeats: dict[str, int]) -> list[Line]:
    """One count line per kind of repeated event (what the kitchen looks like now), unless already told."""
    if not repeats:
        return []
    kib = memory.chefs * scene.timeline.kernel_thread_kib
    counts = {
        Ev.DISPATCH: lambda: _cooking(len(memory.at_stove), scene.timeline.cores),
        Ev.PREEMPT: lambda: _cooking(len(memory.at_stove), scene.timeline.cores),
        Ev.HIRE: lambda: f"{memory.chefs} chefs hired (kernel threads: {_kib(kib)})",
        Ev.REFUSE: lambda: f"{memory.refused} tickets turned away so far (thread creation failed)",
        Ev.PARK: lambda: _parked(memory.parked),
        Ev.RUN: lambda: (f"The clipboard has handed out tickets over {_milestone(memory.switches)} times "
                         "(user-level switches: the kernel never sees them)"),
        "neighbour": lambda: _shares(scene, _stove_ms(scene, t, memory)),
        Ev.FINISH: lambda: f"{memory.finished} tickets done so far",
    }
    told = {text for _, text in memory.counts_told}
    lines = {}
    for kind in sorted(repeats.keys() & counts.keys()):
        text = counts[kind]()
        if text and text not in told:
            lines[text] = Line(float(t), scene.pane, text, 20, f"count {kind}")
    return list(lines.values())


def _milestone(count: int) -> str:
    """The largest 1, 2 or 5 x 10^k not above ``count``: a round number that changes rarely."""
    best = 1
    for power in range(12):
        for digit in (1, 2, 5):
            if digit * 10 ** power <= count:
                best = digit * 10 ** power
    return _grouped(best)


def _grouped(number: int) -> str:
    """A count with thin spaces between thousands, as the kitchen shows them."""
    return f"{number:,}".replace(",", "\u202f")


def _shares(scene: _Scene, stove_ms: tuple[float, ...]) -> str:
    """Each process's share of the stoves so far (fairness: per chef, not per kitchen)."""
    total = sum(stove_ms)
    if total <= 0:
        return ""
    shares = ", ".join(f"{scene.timeline.processes[index].name} {spent / total:.1%}"
                       for index, spent in enumerate(stove_ms) if spent > 0)
    return f"Share of the stoves so far: {shares} (the kernel is fair to chefs, not to kitchens)"


def _cooking(busy: int, cores: int) -> str:
    if not busy:
        return ""
    return f"{busy} chef{'s' if busy != 1 else ''} cooking at {busy} of {cores} stoves ({busy}/{cores} cores busy)"


def _parked(waiting: int) -> str:
    return f"{waiting} tickets wait in the event loop's wait set (pending non-blocking I/O)" if waiting else ""


def _kib(kib: int) -> str:
    return f"{round(kib / 1024, 1):g} MiB" if kib >= 1024 else f"{kib} KiB"


def pick(throttle: Throttle, lines: list[Line], now: float, gap_ms: float) -> tuple[Line | None, Throttle]:
    """The line to show at ``now``, if ``gap_ms`` has passed since the last; the rest keep waiting."""
    pending = _merge(throttle.pending, lines, now, gap_ms)
    if not pending or now - throttle.last_t < gap_ms:
        return None, replace(throttle, pending=pending)
    best = max(pending, key=lambda line: (line.weight, -line.t))
    rest = tuple(line for line in pending if line is not best)
    return best, Throttle(now, rest)


def _merge(pending: tuple[Line, ...], lines: list[Line], now: float, gap_ms: float) -> tuple[Line, ...]:
    """Newer lines replace older ones with the same pane and key; lines older than a gap go stale
    (urgent ones after three gaps), so the strip never tells old news."""
    merged = {(line.pane, line.key): line for line in (*pending, *lines)}
    kept = [line for line in merged.values() if now - line.t <= gap_ms * (3 if line.weight >= URGENT else 1)]
    kept.sort(key=lambda line: (-line.weight, line.t))
    return tuple(sorted(kept[:MAX_PENDING], key=lambda line: line.t))


def play(timeline: Timeline, gap_ms: float, frame_ms: float = 50.0, pane: int = 0,
         kitchen: str = "") -> list[Line]:
    """Narrate a computed pane from start to end, frame by frame, as the caption strip shows it."""
    memory, throttle, shown = PaneMemory(), Throttle(), []
    last = min(timeline.end_ms if timeline.end_ms is not None else math.inf, timeline.computed_until)
    t = -1.0
    while t < last:
        now = min(t + frame_ms, last)
        lines, memory = narrate(timeline, t, now, memory, pane, kitchen)
        line, throttle = pick(throttle, lines, now, gap_ms)
        shown += [line] if line is not None else []
        t = now
    return shown
