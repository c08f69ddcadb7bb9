"""OS processes and their threading models: who cooks which ticket, and what a step does.

An ``OSProcess`` owns order tickets (user threads) and chefs (kernel threads).
When its tickets are bound (one-to-one, or many-to-many with system contention
scope) every ticket gets its own chef at creation, if the pantry has a locker
left. Otherwise (many-to-one, many-to-many with process contention scope) a
fixed crew of chefs shares the tickets through the head chef's clipboard
(user-level scheduler) and the ticket rail (user-level run queue). The I/O
policy decides what an ``io`` step does to the chef: block it (blocking), park
only the ticket in the event loop's wait set (nonblocking), or block it and have
the kernel hand the library a fresh chef (activations).

Knives (``engine.locks``): a bound ticket waiting for a knife puts its chef to
sleep in the kernel; an unbound ticket waiting for a private knife waits in the
thread library while its chef cooks other tickets; any ticket waiting for a
shared knife puts its chef to sleep in the kernel. Fire alarms (signals,
``engine.signals``) and fork() are steps too; ``World`` holds what the processes
of one pane share and clones a process on fork().
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field, replace

import numpy as np

from engine.kernel import Kernel, KernelThread
from engine.locks import (DeadlockReport, LockTable, Mutex, Wait, can_progress, chef_can_come, joins_known_deadlock,
                          kernel_priority, movable, wait_chain)
from engine.signals import SignalInfo, pick_for_process, pick_for_ticket
from engine.queues import TicketRail
from engine.steps import Step
from engine.timeline import Ev, ForkInfo, ProcessInfo

EPSILON = 1e-9
FORK_NOW = Step("fork", name="prepared")  # fork() itself, once the atfork prepare handler holds every knife


@dataclass(eq=False, slots=True)
class UserThread:
    """An order ticket: its steps, where it is in them, and the cooking left in the current step."""

    id: int
    process: OSProcess
    priority: int
    steps: tuple[Step, ...]
    durations: tuple[float, ...]
    masks: frozenset[str] = frozenset()
    child_steps: tuple[Step, ...] = ()
    child_durations: np.ndarray | None = None  # one row per fork step
    step_index: int = -1
    left: float = 0.0
    chef: KernelThread | None = None
    held: list[Mutex] = field(default_factory=list)
    waiting: Mutex | None = None
    in_kernel: bool = False  # waits for its knife asleep in the kernel (not in the thread library)
    ops: list[Step] | None = None  # steps the thread library inserts (atfork handlers), taken from the end
    prepared: tuple[str, ...] = ()  # knives the atfork prepare handler took
    forks: int = 0
    ended: bool = False  # finished, refused, stuck or killed
    killed: bool = False

    def next_step(self) -> tuple[Step | None, float]:
        if self.ops:
            return self.ops.pop(), 0.0
        self.step_index += 1
        if self.step_index >= len(self.steps):
            return None, 0.0
        return self.steps[self.step_index], self.durations[self.step_index]


@dataclass(frozen=True)
class ProcessConfig:
    """How a process maps tickets to chefs, and what it brings: its pantry budget and signal handlers."""

    model: str
    io: str
    crew: int  # chefs hired up front (many-to-one, M:N with pcs)
    bound: bool  # every ticket has its own chef (one-to-one, or M:N with scs)
    priority: int  # kernel priority of the crew's chefs
    budget_kib: float
    handlers: dict = field(default_factory=dict)  # signal -> CPU ms its handler cooks


@dataclass(slots=True)
class Census:
    """How many tickets of a family of processes (ours and its fork() children) may still move."""

    live: int = 0


class World:
    """What the processes of one pane share: the kernel, shared knives, ticket numbers, deadlock reports."""

    def __init__(self, kernel: Kernel, locks: LockTable, atfork_locks: tuple[str, ...] = ()) -> None:
        self.kernel = kernel
        self.timeline = kernel.timeline
        self.locks = locks
        self.atfork_locks = atfork_locks  # knives pthread_atfork handlers take around fork(); () = none
        self.processes: list[OSProcess] = []
        self.next_ticket_id = 0
        self.deadlocked = False
        self.inheriting = kernel.strict_priorities and locks.any_inheritance

    def retune(self, chef: KernelThread | None) -> None:
        """Recompute a chef's kernel priority from the knives its ticket holds (priority inheritance)."""
        if self.inheriting and chef is not None and chef.alive:
            self.kernel.set_priority(chef, kernel_priority(chef))

    def inherit(self, mutex: Mutex) -> None:
        """The holder's chef borrows the priority of chefs asleep on its knives, passed along a chain of waits."""
        holder, seen = mutex.holder, set()
        while self.inheriting and holder is not None and holder.chef is not None and holder not in seen:
            seen.add(holder)
            chef = holder.chef
            if kernel_priority(chef) == chef.priority:
                return
            self.retune(chef)
            next_mutex = holder.waiting if holder.in_kernel else None
            holder = next_mutex.holder if next_mutex is not None and next_mutex.inheritance else None

    def deadlock(self, trigger: UserThread, announce: bool = True) -> None:
        """Nothing can ever free ``trigger``: mark every ticket that can no longer move, report who waits for what.

        A ticket that only joins a deadlock already reported is marked stuck without a second report.
        """
        chain = wait_chain(trigger)
        announce = announce and not joins_known_deadlock(trigger)
        candidates = self._waiting_tickets(trigger)
        moving = movable(candidates)
        for ticket in candidates:
            if not ticket.ended and ticket not in moving:
                ticket.process.strand(ticket, self.describe_wait(ticket))
        if announce:
            self.deadlocked = True
            text = "; ".join(f"{self.name(t.id)} waits for {self._words(t, wait)}" for t, wait in chain)
            waits = tuple(wait for _, wait in chain)
            self.kernel.record(Ev.DEADLOCK, info=DeadlockReport(text, waits, trigger.process.index))

    def _waiting_tickets(self, trigger: UserThread) -> list[UserThread]:
        tickets, mutexes = [trigger], {}
        for process in self.processes:
            mutexes.update((id(m), m) for m in process.locks.values())
            if not process.bound:
                tickets += list(process.rail)
        for mutex in mutexes.values():
            tickets += mutex.waiters
        return tickets

    def name(self, ticket: int) -> str:
        return self.timeline.uthread_name(ticket)

    def describe_wait(self, ticket: UserThread) -> str:
        """What a stuck ticket waits for, in words."""
        chain = wait_chain(ticket)
        return self._words(*chain[0]) if chain else "nothing it can ever get"

    def _words(self, ticket: UserThread, wait: Wait) -> str:
        if not wait.lock:
            chefs = "none could be hired" if not ticket.process.chefs else "every chef is stuck"
            return f"a chef of {ticket.process.name} ({chefs})"
        mutex = ticket.waiting
        text = f"lock {wait.lock!r} held by {self.name(wait.holder)}"
        if mutex.holder.killed:
            return text + ", who was killed"
        if not wait.holder_exists:
            return text + f", who does not exist in {mutex.owner.name}"
        return text

    def fork(self, parent: OSProcess, chef: KernelThread, ticket: UserThread) -> None:
        """fork(): a copy of the process with one thread, the caller's; every knife copied as it is."""
        parent.children += 1
        suffix = "" if parent.children == 1 else f" {parent.children}"
        child = self.add_process(f"{parent.name} (child{suffix})", replace(parent.config, crew=int(not parent.bound)),
                                 parent.census, parent.index)
        kid = UserThread(self.next_ticket_id, child, ticket.priority, ticket.child_steps,
                         tuple(ticket.child_durations[ticket.forks]), ticket.masks)
        self.next_ticket_id += 1
        ticket.forks += 1
        child.locks = {name: m.copy_for(child, ticket, kid) for name, m in parent.locks.items() if m.owner is not None}
        kid.held = [child.locks[m.name] for m in ticket.held if m.owner is not None]
        kid.ops = [Step("unlock", name=name) for name in ticket.prepared] or None
        work = sum(d for s, d in zip(kid.steps, kid.durations, strict=True) if s.kind == "cpu")
        self.timeline.describe_batch(f"{self.name(ticket.id)} (child)", kid.id, np.array([work]), single=True,
                                     process=child.index)
        self.kernel.record(Ev.FORK, chef.stove.id, chef.id, ticket.id, ForkInfo(child.index, kid.id))
        child.live_tickets = 1
        child.census.live += 1
        child.hire_crew()
        child.arrive(kid)

    def add_process(self, name: str, config: ProcessConfig, census: Census, parent: int = -1) -> OSProcess:
        """A new process of this pane (a fork() child is added while the pane runs)."""
        index = len(self.processes)
        if index >= len(self.timeline.processes):
            scope = "scs" if config.bound else "pcs"
            self.timeline.add_process(ProcessInfo(name, config.model, config.io, False, parent, scope))
        process = OSProcess(self, index, name, config, census)
        self.processes.append(process)
        return process


class OSProcess:
    """A process under one threading model, driven by the kernel's stoves."""

    def __init__(self, world: World, index: int, name: str, config: ProcessConfig, census: Census) -> None:
        self.world = world
        self.kernel = world.kernel
        self.index = index
        self.name = name
        self.config = config
        self.model = config.model
        self.io = "blocking" if config.bound else config.io
        self.crew = config.crew
        self.bound = config.bound
        self.priority = config.priority
        self.budget_kib = config.budget_kib
        self.kernel_thread_kib = world.timeline.kernel_thread_kib
        self.handlers = dict(config.handlers)
        self.census = census
        self.rail = TicketRail()
        self.idle_chefs: deque[KernelThread] = deque()
        self.locks: dict[str, Mutex] = {}
        self.chefs: dict[int, KernelThread] = {}  # alive
        self.tickets: dict[int, UserThread] = {}  # arrived and not ended
        self.memory_kib = 0
        self.chefs_blocked = 0
        self.hired = 0
        self.refused = 0
        self.children = 0
        self.live_tickets = 0  # tickets not yet ended, arrived or not
        self.terminated_by: str | None = None

    def hire_crew(self) -> None:
        """Many-to-one and many-to-many (pcs): hire the fixed crew of chefs up front (they wait idle)."""
        for _ in range(self.crew):
            chef = self._hire()
            if chef is not None:
                self.idle_chefs.append(chef)

    def _hire(self, ticket: UserThread | None = None) -> KernelThread | None:
        if self.memory_kib + self.kernel_thread_kib > self.budget_kib:
            return None
        self.memory_kib += self.kernel_thread_kib
        self.hired += 1
        priority = ticket.priority if ticket is not None else self.priority
        chef = self.kernel.hire(self, priority, ticket.id if ticket is not None else -1)
        chef.user_thread = ticket
        self.chefs[chef.id] = chef
        return chef

    def _retire(self, chef: KernelThread) -> None:
        self.memory_kib -= self.kernel_thread_kib
        del self.chefs[chef.id]
        self.kernel.retire(chef)

    def _end(self, ticket: UserThread) -> None:
        ticket.ended = True
        self.live_tickets -= 1
        self.census.live -= 1
        del self.tickets[ticket.id]

    def arrive(self, ticket: UserThread) -> None:
        """A new ticket is printed: give it a chef (bound) or put it on the rail."""
        if self.terminated_by is not None:
            return
        self.tickets[ticket.id] = ticket
        self.kernel.record(Ev.ARRIVE, uthread=ticket.id, info=self.index)
        if not self.bound:
            self._to_rail(ticket)
            return
        chef = self._hire(ticket)
        if chef is None:
            self.refused += 1
            self._end(ticket)
            self.kernel.record(Ev.REFUSE, uthread=ticket.id, info=self.index)
            return
        ticket.chef = chef
        self.kernel.make_ready(chef)

    def _to_rail(self, ticket: UserThread) -> None:
        self.rail.push(ticket)
        if self.idle_chefs:
            self.kernel.make_ready(self.idle_chefs.popleft())
        elif (self.world.deadlocked or not self.chefs) and not chef_can_come(self):
            self.world.deadlock(ticket, announce=not self.world.deadlocked)

    def strand(self, ticket: UserThread, reason: str) -> None:
        """The ticket can never move again: it stays where it is, marked stuck."""
        self._end(ticket)
        if ticket.chef is None and ticket.waiting is None:
            self.rail.remove(ticket)
        chef = ticket.chef.id if ticket.chef is not None else -1
        self.kernel.record(Ev.STUCK, kthread=chef, uthread=ticket.id, info=reason)

    def ticket_for(self, chef: KernelThread) -> UserThread | None:
        """The ticket a chef at a stove cooks next; None once the chef has left the stove."""
        while chef.stove is not None:
            ticket = chef.user_thread or self._pick(chef)
            if ticket is None:
                return None
            if ticket.left > EPSILON:
                return ticket
            self._advance(chef, ticket)
        return None

    def _pick(self, chef: KernelThread) -> UserThread | None:
        """Head chef's clipboard: take the next ticket from the rail, or send the chef away."""
        if len(self.chefs) - self.chefs_blocked > self.crew:
            self._retire(chef)
            return None
        ticket = self.rail.pop()
        if ticket is None:
            self.kernel.leave_stove(chef, Ev.IDLE)
            self.idle_chefs.append(chef)
            return None
        chef.user_thread, ticket.chef = ticket, chef
        self.kernel.record(Ev.RUN, chef.stove.id, chef.id, ticket.id)
        if self.world.inheriting:
            self.world.retune(chef)
        return ticket

    def _drop_ticket(self, chef: KernelThread, ticket: UserThread) -> None:
        """An unbound chef lets go of its ticket (it rotates, parks, waits for a knife or is done)."""
        chef.user_thread, ticket.chef = None, None
        if self.world.inheriting:
            self.world.retune(chef)

    def cpu_done(self, chef: KernelThread, ticket: UserThread) -> None:
        """A cpu step ended: run the following steps until the ticket cooks again or leaves."""
        while chef.stove is not None and chef.user_thread is ticket and ticket.left <= EPSILON:
            self._advance(chef, ticket)

    def slice_over(self, chef: KernelThread) -> None:
        """User-level time slice over: the clipboard rotates the ticket to the back of the rail."""
        ticket = chef.user_thread
        if self.bound or ticket is None or not self.rail.size:
            return
        self.kernel.record(Ev.ROTATE, chef.stove.id, chef.id, ticket.id)
        self._drop_ticket(chef, ticket)
        self.rail.push(ticket)

    def _advance(self, chef: KernelThread, ticket: UserThread) -> None:
        step, duration = ticket.next_step()
        if step is None:
            self._finish(chef, ticket)
            return
        kind = step.kind
        if kind == "cpu":
            ticket.left = duration
        elif kind == "io":
            self._io(chef, ticket, duration)
        elif kind == "lock":
            self._lock(chef, ticket, step.name)
        elif kind == "unlock":
            self._unlock(ticket, step.name)
        elif kind == "fault":
            self.deliver(step.name, "fault", ticket.chef, ticket)
        elif kind == "fork":
            self._fork(chef, ticket, step)
        elif kind == "exec":
            self._exec(chef, ticket)

    def _finish(self, chef: KernelThread, ticket: UserThread) -> None:
        self.kernel.record(Ev.FINISH, chef.stove.id, chef.id, ticket.id)
        self._end(ticket)
        chef.user_thread, ticket.chef = None, None
        if self.bound:
            self._retire(chef)

    def _io(self, chef: KernelThread, ticket: UserThread, duration: float) -> None:
        wake_at = self.kernel.env.now + duration
        if self.io == "nonblocking":
            self.kernel.record(Ev.PARK, chef.stove.id, chef.id, ticket.id, wake_at)
            self._drop_ticket(chef, ticket)
            self.kernel.after(duration, lambda: self._io_done_parked(ticket))
            return
        self._block(chef, wake_at)
        self.kernel.after(duration, lambda: self._io_done_blocked(chef, ticket))
        if self.io == "activations":
            self._upcall(chef)

    def _block(self, chef: KernelThread, info: object) -> None:
        self.chefs_blocked += 1
        chef.blocked = True
        self.kernel.leave_stove(chef, Ev.BLOCK, info)

    def _unblock(self, chef: KernelThread, ticket: UserThread) -> None:
        self.chefs_blocked -= 1
        chef.blocked = False
        self.kernel.record(Ev.WAKE, kthread=chef.id, uthread=ticket.id)
        self.kernel.make_ready(chef)

    def _io_done_blocked(self, chef: KernelThread, ticket: UserThread) -> None:
        if chef.alive:
            self._unblock(chef, ticket)

    def _io_done_parked(self, ticket: UserThread) -> None:
        if not ticket.ended:
            self.kernel.record(Ev.WAKE, uthread=ticket.id)
            self._to_rail(ticket)

    def _upcall(self, blocked: KernelThread) -> None:
        """Scheduler activation: the kernel hands the library a fresh chef so other tickets keep cooking."""
        if not self.rail.size or self.idle_chefs:
            return
        fresh = self._hire()
        if fresh is not None:
            self.kernel.record(Ev.UPCALL, kthread=fresh.id, info=blocked.id)
            self.kernel.make_ready(fresh)

    def mutex(self, name: str) -> Mutex:
        """This process's knife called ``name`` (the pane's own if it is shared)."""
        mutex = self.locks.get(name)
        if mutex is None:
            table = self.world.locks
            mutex = table.shared.get(name) or Mutex(name, self, table.inheritance_of(name))
            self.locks[name] = mutex
        return mutex

    def _lock(self, chef: KernelThread, ticket: UserThread, name: str) -> None:
        mutex = self.mutex(name)
        if mutex.holder is None:
            mutex.holder = ticket
            ticket.held.append(mutex)
            self.kernel.record(Ev.LOCK, chef.stove.id, chef.id, ticket.id, name)
            return
        ticket.waiting = mutex
        mutex.waiters.append(ticket)
        if self.bound or mutex.owner is None:
            ticket.in_kernel = True
            self._block(chef, name)
            if self.io == "activations":
                self._upcall(chef)
            self.world.inherit(mutex)
        else:
            self.kernel.record(Ev.LOCK_WAIT, chef.stove.id, chef.id, ticket.id, name)
            self._drop_ticket(chef, ticket)
        if not can_progress(ticket):
            self.world.deadlock(ticket)

    def _unlock(self, ticket: UserThread, name: str) -> None:
        mutex = self.mutex(name)
        chef = ticket.chef
        self.kernel.record(Ev.UNLOCK, chef.stove.id if chef.stove else -1, chef.id, ticket.id, name)
        ticket.held.remove(mutex)
        heir = mutex.next_waiter()
        mutex.holder = heir
        self.world.retune(chef)
        if heir is None:
            return
        heir.waiting = None
        heir.held.append(mutex)
        self.kernel.record(Ev.LOCK, kthread=heir.chef.id if heir.chef else -1, uthread=heir.id, info=name)
        heir.process.lock_granted(heir)
        self.world.inherit(mutex)

    def lock_granted(self, ticket: UserThread) -> None:
        """The knife a ticket waited for is now its own: wake its chef, or put it back on the rail."""
        if ticket.in_kernel:
            ticket.in_kernel = False
            self._unblock(ticket.chef, ticket)
        else:
            self.kernel.record(Ev.WAKE, uthread=ticket.id)
            self._to_rail(ticket)

    def deliver(self, signal: str, source: str, chef: KernelThread | None, ticket: UserThread | None,
                unhandled: str = "pending") -> None:
        """The alarm rings at ``chef``; ``ticket`` runs the handler, or the default action ends the process."""
        handler = self.handlers.get(signal)
        if ticket is None:
            action = unhandled
        elif handler is not None:
            action = "handler"
            ticket.left += handler
        else:
            action = "terminate"
        stove = chef.stove.id if chef is not None and chef.stove is not None else -1
        self.kernel.record(Ev.SIGNAL, stove, chef.id if chef is not None else -1,
                           ticket.id if ticket is not None else -1,
                           SignalInfo(signal, source, action, handler or 0.0, self.index))
        if action == "terminate":
            self.terminate(signal)

    def signal_process(self, signal: str) -> None:
        """kill(pid, sig): the kernel picks a chef of the process, the library (if any) picks the ticket."""
        chef, ticket = pick_for_process(self, signal)
        self.deliver(signal, "kill", chef, ticket)

    def signal_ticket(self, signal: str, ticket: UserThread | None) -> None:
        """pthread_kill(thread, sig): to one ticket (lost if it is not alive)."""
        chef, target, unhandled = pick_for_ticket(ticket, signal)
        self.deliver(signal, "pthread_kill", chef, target, unhandled)

    def terminate(self, signal: str) -> None:
        """The default action of a signal: the whole process ends, every ticket and every chef."""
        self.terminated_by = signal
        self.census.live -= self.live_tickets
        self.live_tickets = 0
        for ticket in list(self.tickets.values()):
            self._kill(ticket, signal)
        self.tickets.clear()
        for chef in list(self.chefs.values()):
            chef.user_thread = None
            self.memory_kib -= self.kernel_thread_kib
            self.kernel.kill(chef)
        self.chefs.clear()
        self.idle_chefs.clear()
        self.rail = TicketRail()
        orphans = [m.waiters[0] for m in self.world.locks.shared.values() if m.waiters and not m.holder_exists()]
        if orphans:
            self.world.deadlock(orphans[0])

    def _kill(self, ticket: UserThread, signal: str) -> None:
        ticket.ended = ticket.killed = True
        mutex = ticket.waiting
        if mutex is not None:
            mutex.waiters.remove(ticket)
            self.world.retune(mutex.holder.chef if mutex.holder else None)
        chef = ticket.chef.id if ticket.chef is not None else -1
        self.kernel.record(Ev.KILLED, kthread=chef, uthread=ticket.id, info=signal)

    def _fork(self, chef: KernelThread, ticket: UserThread, step: Step) -> None:
        """fork(): with atfork handlers, first take every knife, fork, then release them (child too)."""
        if step is FORK_NOW or not self.world.atfork_locks:
            self.world.fork(self, chef, ticket)
            ticket.prepared = ()
            return
        held = {mutex.name for mutex in ticket.held}
        names = tuple(name for name in self.world.atfork_locks if name not in held)
        ticket.prepared = names
        unlocks = [Step("unlock", name=name) for name in names]
        locks = [Step("lock", name=name) for name in reversed(names)]
        ticket.ops = unlocks + [FORK_NOW] + locks + (ticket.ops or [])

    def _exec(self, chef: KernelThread, ticket: UserThread) -> None:
        """exec(): a new program in this process; the knives copied at fork() and the handlers are gone."""
        self.locks = {name: mutex for name, mutex in self.locks.items() if mutex.owner is None}
        ticket.held = [mutex for mutex in ticket.held if mutex.owner is None]
        self.handlers = {}
        self.kernel.record(Ev.EXEC, chef.stove.id, chef.id, ticket.id, self.index)
