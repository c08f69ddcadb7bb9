"""The Timeline: typed events of one pane, the state they imply at any time, and metric series.

The engine appends events as it simulates; everything else (animation, charts,
captions, the CLI summary, trace export) reads the Timeline, never the SimPy
objects. ``state_at(t)`` replays events from the nearest keyframe, so playing
forward, rewinding and scrubbing are all cheap.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from enum import IntEnum
from typing import NamedTuple

import numpy as np


class Ev:
    """Event kinds. Fields used by each: (stove, kthread, uthread, info)."""

    ARRIVE = "arrive"  # uthread printed (arrived); info = process index
    HIRE = "hire"  # kthread created; info = process index
    REFUSE = "refuse"  # kthread creation failed (pantry full) for uthread
    BENCH = "bench"  # kthread joins the kernel run queue
    DISPATCH = "dispatch"  # kthread put at stove by the kitchen manager
    RUN = "run"  # kthread starts cooking uthread (user-level switch when the chef had another)
    ROTATE = "rotate"  # user-level time slice over: uthread back on the ticket rail
    PREEMPT = "preempt"  # kthread taken off the stove back to the bench
    BLOCK = "block"  # kthread (with uthread) waits at the oven; info = wake time or lock name
    PARK = "park"  # uthread waits in the event loop's wait set; kthread keeps cooking; info = wake time
    LOCK_WAIT = "lock_wait"  # uthread waits for a lock in the user-level library; info = lock name
    WAKE = "wake"  # uthread (and its kthread, if it blocked) ready again
    LOCK = "lock"  # uthread took a lock; info = lock name
    UNLOCK = "unlock"  # uthread released a lock; info = lock name
    FINISH = "finish"  # uthread done
    IDLE = "idle"  # kthread leaves the stove: no ticket to cook
    EXIT = "exit"  # kthread ends; its pantry locker is freed
    UPCALL = "upcall"  # scheduler activation: kernel hands the library a fresh kthread; info = blocked kthread
    PRIORITY = "priority"  # kthread's effective priority changed (inheritance); info = new priority
    STUCK = "stuck"  # uthread can never finish; info = what it waits for
    DEADLOCK = "deadlock"  # no progress possible; info = description (a str; .waits lists who waits for what)
    SIGNAL = "signal"  # fire alarm rings at kthread (-1: none) at stove; uthread handles it (-1: nobody);
    #                    info = SignalInfo(signal, source, action, handler_ms, process) (engine.signals)
    KILLED = "killed"  # uthread ended by a signal's default action (process terminated); kthread = its chef;
    #                    info = signal name
    FORK = "fork"  # uthread (on kthread, at stove) called fork(); info = ForkInfo(child process, child uthread)
    EXEC = "exec"  # uthread (a fork child) ran exec(): its process's copied knives are gone; info = process index


class Event(NamedTuple):
    t: float
    kind: str
    stove: int = -1
    kthread: int = -1
    uthread: int = -1
    info: object = None


class KState(IntEnum):
    """Kernel thread (chef) states."""

    IDLE = 0  # hired, waiting for a ticket (no work in its process)
    READY = 1  # on the bench
    RUNNING = 2  # at a stove
    BLOCKED = 3  # at the oven (I/O) or waiting for a lock in the kernel
    EXITED = 4


class UState(IntEnum):
    """User thread (ticket) states."""

    PENDING = 0  # not yet arrived
    READY = 1  # on the rail, or with its own chef on the bench
    RUNNING = 2
    BLOCKED = 3  # in the oven with its chef (blocking I/O)
    PARKED = 4  # in the event loop's wait set (non-blocking I/O)
    WAIT_LOCK = 5
    FINISHED = 6
    REFUSED = 7
    STUCK = 8
    KILLED = 9  # its process was terminated by a signal


# Plain ints for the hot paths (attribute access on IntEnum classes is slow).
K_IDLE, K_READY, K_RUNNING, K_BLOCKED, K_EXITED = (int(s) for s in KState)
U_PENDING, U_READY, U_RUNNING, U_BLOCKED, U_PARKED, U_WAIT_LOCK, U_FINISHED, U_REFUSED, U_STUCK, U_KILLED = (
    int(s) for s in UState)


def _grow(array: np.ndarray, size: int, fill) -> np.ndarray:
    if size <= len(array):
        return array
    bigger = np.full(max(size, 2 * len(array), 16), fill, dtype=array.dtype)
    bigger[: len(array)] = array
    return bigger


class Series:
    """A step series (t, value) that grows as events arrive; same-time updates overwrite."""

    def __init__(self) -> None:
        self._t = np.zeros(256)
        self._v = np.zeros(256)
        self.size = 0

    def append(self, t: float, value: float) -> None:
        n = self.size
        if n and self._t[n - 1] == t:
            self._v[n - 1] = value
            return
        if n and self._v[n - 1] == value:
            return
        if n == len(self._t):
            self._t = _grow(self._t, n + 1, 0.0)
            self._v = _grow(self._v, n + 1, 0.0)
        self._t[n] = t
        self._v[n] = value
        self.size = n + 1

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """Views of (t, value) recorded so far; do not modify."""
        return self._t[: self.size], self._v[: self.size]

    def value_at(self, t: float) -> float:
        times, values = self.arrays()
        index = int(np.searchsorted(times, t, side="right")) - 1
        return float(values[index]) if index >= 0 else 0.0


@dataclass(frozen=True)
class ProcessInfo:
    """A process in the pane: ours (index 0), a neighbour, or a fork child."""

    name: str
    model: str
    io: str
    ours: bool
    parent: int = -1  # a fork child's parent process index
    scope: str = ""  # "scs": every ticket has its own chef (one-to-one, M:N scs); "pcs": tickets share chefs


class ForkInfo(NamedTuple):
    """``info`` of an ``Ev.FORK`` event: the cloned kitchen and its one ticket."""

    child: int  # process index of the child
    uthread: int  # the child's ticket (a copy of the forking one)


class KitchenState:
    """Mutable state of one pane, changed by applying events in time order."""

    def __init__(self, cores: int, kernel_thread_kib: int, shared_locks: frozenset[str] = frozenset()) -> None:
        self.t = 0.0
        self.shared_locks = shared_locks
        self.kib = kernel_thread_kib
        self.stove_kthread = np.full(cores, -1, dtype=np.int64)
        self.k_state = np.zeros(0, dtype=np.int8)
        self.k_uthread = np.zeros(0, dtype=np.int64)
        self.k_process = np.zeros(0, dtype=np.int64)
        self.k_stove = np.zeros(0, dtype=np.int64)
        self.k_priority = np.zeros(0, dtype=np.int64)
        self.k_since = np.zeros(0)
        self.u_state = np.zeros(0, dtype=np.int8)
        self.u_kthread = np.zeros(0, dtype=np.int64)
        self.u_process = np.zeros(0, dtype=np.int64)
        self.u_done = np.zeros(0)
        self.u_since = np.zeros(0)
        self.u_wake_at = np.zeros(0)
        self.u_start = np.zeros(0)
        self.u_finish = np.zeros(0)
        self.u_extra = np.zeros(0)  # CPU ms added by signal handlers
        self.n_kthreads = 0
        self.n_uthreads = 0
        self.process_memory_kib: list[int] = []
        self.process_busy: list[int] = []
        self.locks: dict[str, int] = {}  # knives of ours and shared ones: name -> holder
        self.process_locks: dict[tuple[int, str], int] = {}  # (process, or -1 if shared; name) -> holder
        self.terminated: dict[int, str] = {}  # process -> signal that terminated it
        self.completed = 0
        self.refused = 0

    def copy(self) -> KitchenState:
        other = KitchenState.__new__(KitchenState)
        for name, value in vars(self).items():
            setattr(other, name, value.copy() if hasattr(value, "copy") else value)
        return other

    def apply(self, event: Event) -> None:
        self.t = event.t
        _HANDLERS[event.kind](self, event)

    def ensure_process(self, index: int) -> None:
        while len(self.process_memory_kib) <= index:
            self.process_memory_kib.append(0)
            self.process_busy.append(0)

    def _stop_cooking(self, uthread: int, t: float) -> None:
        if self.u_state[uthread] == U_RUNNING:
            self.u_done[uthread] += t - self.u_since[uthread]

    def _leave_stove(self, kthread: int) -> None:
        stove = self.k_stove[kthread]
        if stove >= 0 and self.stove_kthread[stove] == kthread:
            self.stove_kthread[stove] = -1
            self.process_busy[self.k_process[kthread]] -= 1
        self.k_stove[kthread] = -1

    def _drop_uthread(self, kthread: int, new_state: int, t: float) -> int:
        uthread = self.k_uthread[kthread]
        if uthread >= 0:
            self._stop_cooking(uthread, t)
            self.u_state[uthread] = new_state
        return uthread

    def on_arrive(self, e: Event) -> None:
        u = e.uthread
        if u >= self.n_uthreads:
            self._grow_uthreads(u + 1)
        self.ensure_process(e.info)
        self.u_process[u] = e.info
        self.u_state[u] = U_READY
        self.u_start[u] = e.t

    def _grow_uthreads(self, size: int) -> None:
        self.n_uthreads = size
        for name, fill in (("u_state", 0), ("u_kthread", -1), ("u_process", 0), ("u_done", 0.0),
                           ("u_since", 0.0), ("u_wake_at", np.nan), ("u_start", np.nan), ("u_finish", np.nan),
                           ("u_extra", 0.0)):
            setattr(self, name, _grow(getattr(self, name), size, fill))

    def _grow_kthreads(self, size: int) -> None:
        self.n_kthreads = size
        for name, fill in (("k_state", 0), ("k_uthread", -1), ("k_process", 0), ("k_stove", -1),
                           ("k_priority", 0), ("k_since", 0.0)):
            setattr(self, name, _grow(getattr(self, name), size, fill))

    def on_hire(self, e: Event) -> None:
        k = e.kthread
        if k >= self.n_kthreads:
            self._grow_kthreads(k + 1)
        self.ensure_process(e.info)
        self.k_process[k] = e.info
        self.k_state[k] = K_IDLE
        self.k_since[k] = e.t
        self.process_memory_kib[e.info] += self.kib
        if e.uthread >= 0:
            self.k_uthread[k] = e.uthread
            self.u_kthread[e.uthread] = k

    def on_refuse(self, e: Event) -> None:
        self.u_state[e.uthread] = U_REFUSED
        self.u_finish[e.uthread] = e.t
        self.refused += 1

    def on_bench(self, e: Event) -> None:
        self.k_state[e.kthread] = K_READY
        self.k_since[e.kthread] = e.t

    def on_dispatch(self, e: Event) -> None:
        self.stove_kthread[e.stove] = e.kthread
        self.process_busy[self.k_process[e.kthread]] += 1
        self.k_stove[e.kthread] = e.stove
        self.k_state[e.kthread] = K_RUNNING
        self.k_since[e.kthread] = e.t
        u = self.k_uthread[e.kthread]
        if u >= 0:
            self.u_state[u] = U_RUNNING
            self.u_since[u] = e.t

    def on_run(self, e: Event) -> None:
        k, u = e.kthread, e.uthread
        self.k_uthread[k] = u
        self.u_kthread[u] = k
        self.u_state[u] = U_RUNNING
        self.u_since[u] = e.t

    def on_rotate(self, e: Event) -> None:
        self._drop_uthread(e.kthread, U_READY, e.t)
        self.u_kthread[e.uthread] = -1
        self.k_uthread[e.kthread] = -1

    def on_preempt(self, e: Event) -> None:
        self._drop_uthread(e.kthread, U_READY, e.t)
        self._leave_stove(e.kthread)
        self.k_state[e.kthread] = K_READY
        self.k_since[e.kthread] = e.t

    def on_block(self, e: Event) -> None:
        waits_for_lock = isinstance(e.info, str)
        self._drop_uthread(e.kthread, U_WAIT_LOCK if waits_for_lock else U_BLOCKED, e.t)
        if not waits_for_lock:
            self.u_wake_at[e.uthread] = e.info
        self._leave_stove(e.kthread)
        self.k_state[e.kthread] = K_BLOCKED
        self.k_since[e.kthread] = e.t

    def on_park(self, e: Event) -> None:
        self._drop_uthread(e.kthread, U_PARKED, e.t)
        self.u_wake_at[e.uthread] = e.info
        self.u_kthread[e.uthread] = -1
        self.k_uthread[e.kthread] = -1

    def on_lock_wait(self, e: Event) -> None:
        self._drop_uthread(e.kthread, U_WAIT_LOCK, e.t)
        self.u_kthread[e.uthread] = -1
        self.k_uthread[e.kthread] = -1

    def on_wake(self, e: Event) -> None:
        self.u_state[e.uthread] = U_READY
        self.u_wake_at[e.uthread] = np.nan
        if e.kthread >= 0:
            self.k_state[e.kthread] = K_READY
            self.k_since[e.kthread] = e.t

    def _lock_owner(self, e: Event) -> int:
        return -1 if e.info in self.shared_locks else int(self.u_process[e.uthread])

    def on_lock(self, e: Event) -> None:
        owner = self._lock_owner(e)
        self.process_locks[(owner, e.info)] = e.uthread
        if owner <= 0:
            self.locks[e.info] = e.uthread

    def on_unlock(self, e: Event) -> None:
        owner = self._lock_owner(e)
        self.process_locks.pop((owner, e.info), None)
        if owner <= 0:
            self.locks.pop(e.info, None)

    def on_finish(self, e: Event) -> None:
        self._stop_cooking(e.uthread, e.t)
        self.u_state[e.uthread] = U_FINISHED
        self.u_finish[e.uthread] = e.t
        self.u_kthread[e.uthread] = -1
        if e.kthread >= 0:
            self.k_uthread[e.kthread] = -1
        if self.u_process[e.uthread] == 0:
            self.completed += 1

    def on_idle(self, e: Event) -> None:
        self._leave_stove(e.kthread)
        self.k_state[e.kthread] = K_IDLE
        self.k_since[e.kthread] = e.t

    def on_exit(self, e: Event) -> None:
        self._leave_stove(e.kthread)
        self.k_state[e.kthread] = K_EXITED
        self.k_uthread[e.kthread] = -1
        self.process_memory_kib[self.k_process[e.kthread]] -= self.kib

    def on_priority(self, e: Event) -> None:
        self.k_priority[e.kthread] = e.info

    def on_stuck(self, e: Event) -> None:
        self._stop_cooking(e.uthread, e.t)
        self.u_state[e.uthread] = U_STUCK

    def on_signal(self, e: Event) -> None:
        info = e.info
        if info.action == "handler":
            self.u_extra[e.uthread] += info.handler_ms
        elif info.action == "terminate":
            self.terminated[info.process] = info.signal

    def on_killed(self, e: Event) -> None:
        u = e.uthread
        self._stop_cooking(u, e.t)
        self.u_state[u] = U_KILLED
        self.u_finish[u] = e.t
        self.u_kthread[u] = -1
        if e.kthread >= 0:
            self.k_uthread[e.kthread] = -1
        process = int(self.u_process[u])
        for key in [key for key, holder in self.process_locks.items() if holder == u and key[0] == process]:
            del self.process_locks[key]
            if process == 0:
                self.locks.pop(key[1], None)

    def on_fork(self, e: Event) -> None:
        parent, child = int(self.u_process[e.uthread]), e.info.child
        self.ensure_process(child)
        for (owner, name), holder in list(self.process_locks.items()):
            if owner == parent:
                self.process_locks[(child, name)] = e.info.uthread if holder == e.uthread else holder

    def on_exec(self, e: Event) -> None:
        for key in [key for key in self.process_locks if key[0] == e.info]:
            del self.process_locks[key]

    def on_note(self, e: Event) -> None:
        """Events that only narrate (upcall, deadlock) change no state."""


_HANDLERS = {kind: getattr(KitchenState, f"on_{kind}") for kind in
             (Ev.ARRIVE, Ev.HIRE, Ev.REFUSE, Ev.BENCH, Ev.DISPATCH, Ev.RUN, Ev.ROTATE, Ev.PREEMPT, Ev.BLOCK,
              Ev.PARK, Ev.LOCK_WAIT, Ev.WAKE, Ev.LOCK, Ev.UNLOCK, Ev.FINISH, Ev.IDLE, Ev.EXIT, Ev.PRIORITY,
              Ev.STUCK, Ev.SIGNAL, Ev.KILLED, Ev.FORK, Ev.EXEC)}
_HANDLERS[Ev.UPCALL] = KitchenState.on_note
_HANDLERS[Ev.DEADLOCK] = KitchenState.on_note


@dataclass(frozen=True)
class Snapshot:
    """An immutable picture of one pane at time ``t`` (arrays are read-only copies)."""

    t: float
    stove_kthread: np.ndarray
    k_state: np.ndarray
    k_uthread: np.ndarray
    k_process: np.ndarray
    k_priority: np.ndarray
    k_since: np.ndarray
    u_state: np.ndarray
    u_kthread: np.ndarray
    u_process: np.ndarray
    u_done: np.ndarray
    u_work: np.ndarray
    u_wake_at: np.ndarray
    u_start: np.ndarray
    locks: dict  # knives of ours (process 0) and shared knives: name -> holder uthread
    process_memory_kib: tuple
    completed: int
    refused: int
    process_locks: dict = field(default_factory=dict)  # every knife: (process or -1 if shared, name) -> holder
    terminated: dict = field(default_factory=dict)  # process index -> signal that terminated it

    @property
    def busy_stoves(self) -> int:
        return int(np.count_nonzero(self.stove_kthread >= 0))

    def kthreads_of(self, process: int) -> np.ndarray:
        """Ids of live kernel threads (chefs) of a process."""
        return np.flatnonzero((self.k_process == process) & (self.k_state != KState.EXITED))

    def frozen(self, process: int = 0) -> bool:
        """Every chef of the process waits at the oven while tickets are waiting: nothing can cook."""
        chefs = self.kthreads_of(process)
        if len(chefs) == 0 or not np.all(self.k_state[chefs] == KState.BLOCKED):
            return False
        mine = self.u_process == process
        return bool(np.any(mine & (self.u_state == UState.READY)))


def _frozen_copy(array: np.ndarray, size: int) -> np.ndarray:
    view = array[:size].copy()
    view.flags.writeable = False
    return view


class Timeline:
    """Events of one pane in time order, with keyframes, a playback cursor and metric series."""

    def __init__(self, cores: int, kernel_thread_kib: int, processes: list[ProcessInfo],
                 shared_locks: frozenset[str] = frozenset()) -> None:
        self.cores = cores
        self.kernel_thread_kib = kernel_thread_kib
        self.processes = list(processes)
        self.shared_locks = shared_locks
        self.events: list[Event] = []
        self.u_work = np.zeros(0)  # planned cooking per ticket (signal handlers add to Snapshot.u_work)
        self.u_owner = np.zeros(0, dtype=np.int64)  # process of each ticket, known before it arrives
        self._batch_starts: list[int] = []
        self._batch_names: list[str] = []
        self._labels: dict[int, str] = {}
        self._marked: dict[str, list[Event]] = {kind: [] for kind in _MARKED_KINDS}
        self.computed_until = 0.0
        self.end_ms: float | None = None
        self.memory_budget_kib: float | None = None  # each process's kernel memory budget, if known
        self._head = KitchenState(cores, kernel_thread_kib, shared_locks)
        self._head.ensure_process(len(self.processes) - 1)
        self._keyframes: list[tuple[int, KitchenState]] = [(0, self._head.copy())]
        self._keyframe_every = 4096
        self._cursor = self._head.copy()
        self._cursor_index = 0
        self.busy = Series()
        self.busy_all = Series()
        self.kernel_memory_kib = Series()
        self.completed = Series()
        self._unsampled = False

    def add_process(self, info: ProcessInfo) -> int:
        self.processes.append(info)
        self._head.ensure_process(len(self.processes) - 1)
        return len(self.processes) - 1

    def describe_batch(self, name: str, first_id: int, work_ms: np.ndarray, single: bool = False,
                       process: int = 0) -> None:
        """Remember the label, process and cooking work of tickets ``first_id ..`` (names, progress bars).

        ``single``: one ticket whose label is ``name`` itself (a fork child's ticket, ``T2 #1 (child)``).
        """
        end = first_id + len(work_ms)
        self.u_work = _grow(self.u_work, end, 0.0)
        self.u_work[first_id:end] = work_ms
        self.u_owner = _grow(self.u_owner, end, 0)
        self.u_owner[first_id:end] = process
        self._batch_starts.append(first_id)
        self._batch_names.append(name)
        if single:
            self._labels[first_id] = name

    def task_names(self, process: int = 0) -> list[str]:
        """Names of the batches of tickets (scenario tasks) of ``process`` in order, without fork children's."""
        return [name for start, name in zip(self._batch_starts, self._batch_names)
                if start not in self._labels and start < len(self.u_owner) and self.u_owner[start] == process]

    def uthread_name(self, uthread: int) -> str:
        """A ticket's label, e.g. ``chop #3``."""
        if uthread in self._labels:
            return self._labels[uthread]
        batch = bisect.bisect_right(self._batch_starts, uthread) - 1
        return f"{self._batch_names[batch]} #{uthread - self._batch_starts[batch] + 1}"

    def record(self, event: Event) -> None:
        """Append an event (times never decrease) and update the head state and series."""
        head = self._head
        if self._unsampled and event.t != head.t:
            self._sample(head, head.t)
        self.events.append(event)
        head.apply(event)
        if event.kind in _SERIES_KINDS:
            self._unsampled = True
        elif event.kind in _MARKED_KINDS:
            self._marked[event.kind].append(event)
        if len(self.events) - self._keyframes[-1][0] >= self._keyframe_every:
            self._keyframes.append((len(self.events), head.copy()))
            self._keyframe_every = max(4096, 2 * (head.n_uthreads + head.n_kthreads))

    def flush(self) -> None:
        """Bring the metric series up to the last recorded event (they are sampled once per instant)."""
        if self._unsampled:
            self._sample(self._head, self._head.t)

    def _sample(self, head: KitchenState, t: float) -> None:
        self._unsampled = False
        self.busy.append(t, head.process_busy[0])
        self.busy_all.append(t, sum(head.process_busy))
        self.kernel_memory_kib.append(t, head.process_memory_kib[0])
        self.completed.append(t, head.completed)

    def events_of(self, kind: str) -> list[Event]:
        """Every event of a rare kind (signal, killed, fork, exec, stuck, deadlock, upcall), in time order."""
        if kind in self._marked:
            return list(self._marked[kind])
        return [event for event in self.events if event.kind == kind]

    @property
    def head(self) -> KitchenState:
        """The state after the last recorded event (used by the engine's summary)."""
        return self._head

    def state_at(self, t: float) -> Snapshot:
        """The state at simulated time ``t`` (events at exactly ``t`` included)."""
        t = min(t, self.computed_until)
        end = bisect.bisect_right(self.events, t, key=lambda e: e.t)
        if end < self._cursor_index:
            at = bisect.bisect_right(self._keyframes, end, key=lambda kf: kf[0]) - 1
            self._cursor_index, keyframe = self._keyframes[at]
            self._cursor = keyframe.copy()
        for index in range(self._cursor_index, end):
            self._cursor.apply(self.events[index])
        self._cursor_index = end
        return self._snapshot(self._cursor, t)

    def _snapshot(self, state: KitchenState, t: float) -> Snapshot:
        nk, nu = state.n_kthreads, state.n_uthreads
        return Snapshot(
            t=t,
            stove_kthread=_frozen_copy(state.stove_kthread, self.cores),
            k_state=_frozen_copy(state.k_state, nk),
            k_uthread=_frozen_copy(state.k_uthread, nk),
            k_process=_frozen_copy(state.k_process, nk),
            k_priority=_frozen_copy(state.k_priority, nk),
            k_since=_frozen_copy(state.k_since, nk),
            u_state=_frozen_copy(state.u_state, nu),
            u_kthread=_frozen_copy(state.u_kthread, nu),
            u_process=_frozen_copy(state.u_process, nu),
            u_done=_cooked_until(state, t),
            u_work=_frozen_copy(_grow(self.u_work, nu, 0.0)[:nu] + state.u_extra[:nu], nu),
            u_wake_at=_frozen_copy(state.u_wake_at, nu),
            u_start=_frozen_copy(state.u_start, nu),
            locks=dict(state.locks),
            process_memory_kib=tuple(state.process_memory_kib),
            completed=state.completed,
            refused=state.refused,
            process_locks=dict(state.process_locks),
            terminated=dict(state.terminated),
        )

    def cooked_by_process(self, t: float) -> np.ndarray:
        """CPU ms each process has cooked by time ``t`` >= the last event (running bursts included)."""
        head = self._head
        done = _cooked_until(head, t)
        return np.bincount(head.u_process[: head.n_uthreads], weights=done, minlength=len(self.processes))

    def events_between(self, start: float, end: float) -> list[Event]:
        """Events with start < t <= end (for narration)."""
        lo = bisect.bisect_right(self.events, start, key=lambda e: e.t)
        hi = bisect.bisect_right(self.events, end, key=lambda e: e.t)
        return self.events[lo:hi]

    def next_event_time(self, after: float) -> float | None:
        """Time of the first event strictly after ``after`` that is already computed."""
        index = bisect.bisect_right(self.events, after, key=lambda e: e.t)
        return self.events[index].t if index < len(self.events) else None


def _cooked_until(state: KitchenState, t: float) -> np.ndarray:
    nu = state.n_uthreads
    done = state.u_done[:nu].copy()
    running = state.u_state[:nu] == UState.RUNNING
    done[running] += t - state.u_since[:nu][running]
    done.flags.writeable = False
    return done


_SERIES_KINDS = frozenset({Ev.DISPATCH, Ev.PREEMPT, Ev.BLOCK, Ev.IDLE, Ev.EXIT, Ev.HIRE, Ev.FINISH})
_MARKED_KINDS = frozenset({Ev.SIGNAL, Ev.KILLED, Ev.FORK, Ev.EXEC, Ev.STUCK, Ev.DEADLOCK, Ev.UPCALL})
