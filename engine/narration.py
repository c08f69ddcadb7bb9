"""Narration: notable Timeline events as caption lines in kitchen words, with the OS word alongside.

``narrate`` turns the events of one pane between two times into candidate lines
("Chef 1 went to the oven with bake #1 (blocking read) — the whole many-to-one
kitchen stops"), remembering what it has already told in an immutable
``PaneMemory``: the first event of a kind gets a line of its own, repeats are
folded into one count ("8 chefs cooking at 8 of 8 stoves"). ``pick`` throttles
the candidates of every pane so a reader gets at most one line per ``gap_ms`` of
simulated time, the most notable first (a deadlock, a frozen kitchen, a refused
chef). ``play`` narrates a whole pane headless, as the caption strip would.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from itertools import groupby

import numpy as np

from engine.timeline import Ev, Event, Timeline, UState

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
    def one_to_one(self) -> bool:
        return self.timeline.processes[0].model == "one-to-one"

    def ours(self, event: Event) -> bool:
        head = self.timeline.head
        if event.kthread >= 0:
            return int(head.k_process[event.kthread]) == 0
        return event.uthread < 0 or int(head.u_process[event.uthread]) == 0

    def ticket(self, event: Event) -> str:
        return self.timeline.uthread_name(event.uthread) if event.uthread >= 0 else "a ticket"


def narrate(timeline: Timeline, start: float, end: float, memory: PaneMemory = PaneMemory(), pane: int = 0,
            kitchen: str = "") -> tuple[list[Line], PaneMemory]:
    """Candidate lines for the events of one pane with ``start < t <= end`` (only final ones)."""
    scene = _Scene(timeline, pane, kitchen or timeline.processes[0].model)
    end = min(end, timeline.computed_until, math.inf if timeline.end_ms is None else timeline.end_ms)
    lines: list[Line] = []
    repeats: dict[str, int] = {}
    for t, group in groupby(timeline.events_between(start, end), key=lambda event: event.t):
        group = list(group)
        told = []
        for event in group:
            memory = _count(scene, event, memory)
            line, memory = _tell(scene, event, memory, repeats)
            memory = _forget_lock_wait(event, memory)
            told += [line] if line is not None else []
        memory, told = _freeze_check(scene, float(t), group, memory, told)
        lines += told
    counts = _summaries(scene, end, memory, repeats)
    if counts:
        told = dict(memory.counts_told) | {line.key: line.text for line in counts}
        memory = replace(memory, counts_told=tuple(told.items()))
    return lines + counts, memory


def _count(scene: _Scene, event: Event, memory: PaneMemory) -> PaneMemory:
    """Keep the studied process's chef counts (alive, at the oven), refusals and finished tickets."""
    if not scene.ours(event):
        return memory
    kind, changes = event.kind, {}
    if kind == Ev.HIRE:
        changes["chefs"] = memory.chefs + 1
    elif kind == Ev.EXIT:
        changes["chefs"] = memory.chefs - 1
    elif kind == Ev.BLOCK:
        changes["blocked"] = memory.blocked + 1
        if isinstance(event.info, str):
            changes["lock_waits"] = memory.lock_waits | {event.kthread}
    elif kind == Ev.WAKE:
        changes = {"blocked": memory.blocked - 1} if event.kthread >= 0 else {
            "waiting_in_library": memory.waiting_in_library - 1}
    elif kind in (Ev.PARK, Ev.LOCK_WAIT):
        changes["waiting_in_library"] = memory.waiting_in_library + 1
    else:
        field = _TALLIES.get(kind)
        changes = {field: getattr(memory, field) + 1} if field else {}
    return replace(memory, **changes) if changes else memory


_TALLIES = {Ev.ARRIVE: "arrived", Ev.REFUSE: "refused", Ev.FINISH: "finished", Ev.KILLED: "killed",
            Ev.RUN: "switches"}


def _tell(scene: _Scene, event: Event, memory: PaneMemory, repeats: dict[str, int]):
    """The line for an event if it is the first of its kind (or always notable); else count a repeat."""
    said = _words(scene, event, memory)
    if said is None:
        return None, memory
    key, text, weight = said
    if key in memory.seen and weight < URGENT:
        group = "neighbour" if key == "neighbour" else event.kind
        repeats[group] = repeats.get(group, 0) + 1
        return None, memory
    line = Line(float(event.t), scene.pane, text, weight, key)
    return line, replace(memory, seen=memory.seen | {key})


def _freeze_check(scene: _Scene, t: float, group: list[Event], memory: PaneMemory, told: list[Line]):
    """After the events at ``t``: tell when every chef of the studied process is at the oven while tickets
    wait (the whole kitchen stops), and when it thaws. One-to-one never freezes: each ticket has a chef."""
    frozen = not scene.one_to_one and _frozen(memory)
    if frozen == memory.frozen:
        return memory, told
    memory = replace(memory, frozen=frozen)
    blocks = [event for event in group if event.kind == Ev.BLOCK and scene.ours(event)]
    if frozen and blocks:
        text = f"{_block(scene, blocks[-1], memory)[1]} — the whole {scene.kitchen} kitchen stops"
        told = [line for line in told if not line.key.startswith("block")]
        return memory, told + [Line(t, scene.pane, text, 100, "frozen")]
    line = Line(t, scene.pane, _frozen_text(scene, frozen), 100 if frozen else URGENT,
                "frozen" if frozen else "thawed")
    return memory, told + [line]


def _frozen(memory: PaneMemory) -> bool:
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


def _words(scene: _Scene, event: Event, memory: PaneMemory) -> tuple[str, str, int] | None:
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
    name = scene.timeline.processes[int(scene.timeline.head.k_process[event.kthread])].name
    return ("neighbour", f"The {name} next door puts its chef {event.kthread + 1} at stove {event.stove + 1} "
            "(another process's kernel thread competes for the cores)", 50)


def _hire(scene: _Scene, event: Event, memory: PaneMemory):
    kib = scene.timeline.kernel_thread_kib
    for_whom = f" for ticket {scene.ticket(event)}" if event.uthread >= 0 else ""
    return "hire", (f"Chef {event.kthread + 1} hired{for_whom}: a locker on the pantry shelf "
                    f"(new kernel thread, {kib} KiB of kernel memory)"), 60


def _refuse(scene: _Scene, event: Event, memory: PaneMemory):
    text = (f"No locker left in the pantry: kernel thread {memory.chefs + 1} could not be created "
            f"(pthread_create fails, EAGAIN) — ticket {scene.ticket(event)} is turned away")
    return "refuse", text, 95 if memory.refused == 1 else 40


def _dispatch(scene: _Scene, event: Event, memory: PaneMemory):
    return "dispatch", (f"The kitchen manager puts chef {event.kthread + 1} at stove {event.stove + 1} "
                        f"(the kernel scheduler runs kernel thread {event.kthread + 1} on core {event.stove + 1})"), 50


def _run(scene: _Scene, event: Event, memory: PaneMemory):
    return "run", (f"The clipboard hands ticket {scene.ticket(event)} to chef {event.kthread + 1} "
                   "(user-level switch)"), 50


def _rotate(scene: _Scene, event: Event, memory: PaneMemory):
    return "rotate", (f"Chef {event.kthread + 1}'s turn with {scene.ticket(event)} is over: back on the ticket "
                      "rail (user-level time slice)"), 40


def _preempt(scene: _Scene, event: Event, memory: PaneMemory):
    return "preempt", (f"Time's up: the kitchen manager sends chef {event.kthread + 1} back to the bench "
                       "(preempted at the end of its time slice)"), 40


def _block(scene: _Scene, event: Event, memory: PaneMemory):
    chef = event.kthread + 1
    if isinstance(event.info, str):
        return "block lock", (f"Chef {chef} waits for the knife '{event.info}' with {scene.ticket(event)} "
                              "(blocked on a mutex in the kernel)"), 70
    text = f"Chef {chef} went to the oven with {scene.ticket(event)} (blocking I/O call)"
    if scene.one_to_one:
        text += " — only this chef waits; the others can still cook"
    return "block", text, 70


def _park(scene: _Scene, event: Event, memory: PaneMemory):
    return "park", (f"Ticket {scene.ticket(event)} parks in the wait set; chef {event.kthread + 1} keeps "
                    "cooking (non-blocking I/O, epoll)"), 70


def _lock_wait(scene: _Scene, event: Event, memory: PaneMemory):
    return "lock wait", (f"Ticket {scene.ticket(event)} waits for the knife '{event.info}'; its chef takes "
                         "another ticket (user-level mutex wait)"), 70


def _forget_lock_wait(event: Event, memory: PaneMemory) -> PaneMemory:
    if event.kind == Ev.WAKE and event.kthread in memory.lock_waits:
        return replace(memory, lock_waits=memory.lock_waits - {event.kthread})
    return memory


def _wake(scene: _Scene, event: Event, memory: PaneMemory):
    if event.kthread in memory.lock_waits:
        return "wake lock", (f"Chef {event.kthread + 1} got the knife and is back on the bench with "
                             f"{scene.ticket(event)} (mutex acquired, thread runnable)"), 50
    if event.kthread >= 0:
        return "wake", (f"The oven is done: chef {event.kthread + 1} is back on the bench with "
                        f"{scene.ticket(event)} (I/O complete, thread runnable)"), 50
    return "wake parked", (f"Ticket {scene.ticket(event)} is ready again: the event loop saw its I/O complete "
                           "(epoll reported it)"), 50


def _upcall(scene: _Scene, event: Event, memory: PaneMemory):
    return "upcall", (f"Upcall! The kernel hands the clipboard a fresh chef {event.kthread + 1} while chef "
                      f"{int(event.info) + 1} waits at the oven (scheduler activation)"), 90


def _lock(scene: _Scene, event: Event, memory: PaneMemory):
    return "lock", f"{scene.ticket(event)} picks up the knife '{event.info}' (mutex locked)", 40


def _priority(scene: _Scene, event: Event, memory: PaneMemory):
    return f"priority {event.kthread}", (f"Chef {event.kthread + 1} now cooks at priority {event.info} "
                                         "(priority inheritance)"), 80


def _signal(scene: _Scene, event: Event, memory: PaneMemory):
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


def _fork(scene: _Scene, event: Event, memory: PaneMemory):
    return f"fork {event.t}", (f"fork(): ticket {scene.ticket(event)} clones the kitchen. The copy gets one chef "
                               "and a copy of every knife, taken or not (fork copies memory, not threads)"), 90


def _exec(scene: _Scene, event: Event, memory: PaneMemory):
    return "exec", "The cloned kitchen calls exec(): its copied knives are thrown away, nothing is left held", 70


def _finish(scene: _Scene, event: Event, memory: PaneMemory):
    return "finish", f"Ticket {scene.ticket(event)} is done (user thread finished)", 50


def _exit(scene: _Scene, event: Event, memory: PaneMemory):
    return "exit", (f"Chef {event.kthread + 1} goes home and frees its locker (kernel thread exits, "
                    f"{scene.timeline.kernel_thread_kib} KiB freed)"), 30


_WORDING = {Ev.HIRE: _hire, Ev.REFUSE: _refuse, Ev.DISPATCH: _dispatch, Ev.RUN: _run, Ev.ROTATE: _rotate,
            Ev.PREEMPT: _preempt, Ev.BLOCK: _block, Ev.PARK: _park, Ev.LOCK_WAIT: _lock_wait, Ev.WAKE: _wake,
            Ev.UPCALL: _upcall, Ev.LOCK: _lock, Ev.PRIORITY: _priority, Ev.FINISH: _finish, Ev.EXIT: _exit,
            Ev.SIGNAL: _signal, Ev.FORK: _fork, Ev.EXEC: _exec}


def _summaries(scene: _Scene, t: float, memory: PaneMemory, repeats: dict[str, int]) -> list[Line]:
    """One count line per kind of repeated event (what the kitchen looks like now), unless already told."""
    if not repeats:
        return []
    snapshot = scene.timeline.state_at(t)
    counts = {
        Ev.DISPATCH: lambda: _cooking(snapshot, scene.timeline.cores),
        Ev.PREEMPT: lambda: _cooking(snapshot, scene.timeline.cores),
        Ev.HIRE: lambda: f"{memory.chefs} chefs hired (kernel threads: {_kib(snapshot.process_memory_kib[0])})",
        Ev.REFUSE: lambda: f"{memory.refused} tickets turned away so far (thread creation failed)",
        Ev.PARK: lambda: _parked(snapshot),
        Ev.RUN: lambda: (f"The clipboard has handed out tickets over {_milestone(memory.switches)} times "
                         "(user-level switches: the kernel never sees them)"),
        "neighbour": lambda: _shares(scene, snapshot),
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


def _shares(scene: _Scene, snapshot) -> str:
    """Each process's share of the cooking so far (fairness: per chef, not per kitchen)."""
    cooked = np.bincount(snapshot.u_process, weights=snapshot.u_done, minlength=len(scene.timeline.processes))
    total = cooked.sum()
    if total <= 0:
        return ""
    shares = ", ".join(f"{info.name} {cooked[index] / total:.1%}" for index, info in
                       enumerate(scene.timeline.processes) if index < len(cooked) and cooked[index] > 0)
    return f"Share of the stoves so far: {shares} (the kernel is fair to chefs, not to kitchens)"


def _cooking(snapshot, cores: int) -> str:
    busy = snapshot.busy_stoves
    if not busy:
        return ""
    return f"{busy} chef{'s' if busy != 1 else ''} cooking at {busy} of {cores} stoves ({busy}/{cores} cores busy)"


def _parked(snapshot) -> str:
    waiting = int(np.count_nonzero(snapshot.u_state == UState.PARKED))
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
