"""OS processes and their threading models: who cooks which ticket, and what a step does.

An ``OSProcess`` owns order tickets (user threads) and chefs (kernel threads).
Under one-to-one every ticket gets its own chef at creation (if the pantry has a
locker left). Under many-to-one and many-to-many a fixed crew of chefs shares
the tickets through the head chef's clipboard (user-level scheduler) and the
ticket rail (user-level run queue). The I/O policy decides what an ``io`` step
does to the chef: block it (blocking), park only the ticket in the event loop's
wait set (nonblocking), or block it and have the kernel hand the library a fresh
chef (activations).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from engine.kernel import Kernel, KernelThread
from engine.steps import Step
from engine.timeline import Ev

EPSILON = 1e-9


@dataclass(eq=False, slots=True)
class UserThread:
    """An order ticket: its steps, where it is in them, and the cooking left in the current step."""

    id: int
    process: OSProcess
    priority: int
    steps: tuple[Step, ...]
    durations: tuple[float, ...]
    step_index: int = -1
    left: float = 0.0
    chef: KernelThread | None = None

    def next_step(self) -> tuple[Step | None, float]:
        self.step_index += 1
        if self.step_index >= len(self.steps):
            return None, 0.0
        return self.steps[self.step_index], self.durations[self.step_index]


@dataclass(eq=False, slots=True)
class Mutex:
    """The knife: one holder at a time, waiters served highest priority first, then FIFO."""

    name: str
    holder: UserThread | None = None
    waiters: list[UserThread] = field(default_factory=list)

    def next_waiter(self) -> UserThread | None:
        if not self.waiters:
            return None
        best = max(self.waiters, key=lambda ticket: ticket.priority)
        self.waiters.remove(best)
        return best


class TicketRail:
    """The user-level run queue: FIFO per user priority, highest first."""

    def __init__(self) -> None:
        self.levels: dict[int, deque[UserThread]] = {}
        self.size = 0

    def push(self, ticket: UserThread) -> None:
        self.levels.setdefault(ticket.priority, deque()).append(ticket)
        self.size += 1

    def pop(self) -> UserThread | None:
        if not self.size:
            return None
        self.size -= 1
        if len(self.levels) == 1:
            return next(iter(self.levels.values())).popleft()
        return self.levels[max(level for level, queue in self.levels.items() if queue)].popleft()


class OSProcess:
    """A process under one threading model, driven by the kernel's stoves."""

    def __init__(self, kernel: Kernel, index: int, model: str, io: str, crew: int,
                 budget_kib: float, kernel_thread_kib: int, priority: int, inheritance: bool) -> None:
        self.kernel = kernel
        self.index = index
        self.model = model
        self.io = "blocking" if model == "one-to-one" else io
        self.crew = crew
        self.budget_kib = budget_kib
        self.kernel_thread_kib = kernel_thread_kib
        self.priority = priority
        self.inheritance = inheritance
        self.rail = TicketRail()
        self.idle_chefs: deque[KernelThread] = deque()
        self.locks: dict[str, Mutex] = {}
        self.memory_kib = 0
        self.chefs_alive = 0
        self.chefs_blocked = 0
        self.hired = 0
        self.refused = 0
        self.live_tickets = 0  # tickets not yet finished or refused, arrived or not

    @property
    def one_to_one(self) -> bool:
        return self.model == "one-to-one"

    def hire_crew(self) -> None:
        """Many-to-one and many-to-many: hire the fixed crew of chefs up front (they wait idle)."""
        for _ in range(self.crew):
            chef = self._hire()
            if chef is not None:
                self.idle_chefs.append(chef)

    def _hire(self, ticket: UserThread | None = None) -> KernelThread | None:
        if self.memory_kib + self.kernel_thread_kib > self.budget_kib:
            return None
        self.memory_kib += self.kernel_thread_kib
        self.chefs_alive += 1
        self.hired += 1
        priority = ticket.priority if ticket is not None else self.priority
        chef = self.kernel.hire(self, priority, ticket.id if ticket is not None else -1)
        chef.user_thread = ticket
        return chef

    def _retire(self, chef: KernelThread) -> None:
        self.memory_kib -= self.kernel_thread_kib
        self.chefs_alive -= 1
        self.kernel.retire(chef)

    def arrive(self, ticket: UserThread) -> None:
        """A new ticket is printed: give it a chef (one-to-one) or put it on the rail."""
        self.kernel.record(Ev.ARRIVE, uthread=ticket.id, info=self.index)
        if not self.one_to_one:
            self._to_rail(ticket)
            return
        chef = self._hire(ticket)
        if chef is None:
            self.refused += 1
            self.live_tickets -= 1
            self.kernel.record(Ev.REFUSE, uthread=ticket.id, info=self.index)
            return
        ticket.chef = chef
        self.kernel.make_ready(chef)

    def _to_rail(self, ticket: UserThread) -> None:
        self.rail.push(ticket)
        if self.idle_chefs:
            self.kernel.make_ready(self.idle_chefs.popleft())

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
        if self.chefs_alive - self.chefs_blocked > self.crew:
            self._retire(chef)
            return None
        ticket = self.rail.pop()
        if ticket is None:
            self.kernel.leave_stove(chef, Ev.IDLE)
            self.idle_chefs.append(chef)
            return None
        chef.user_thread, ticket.chef = ticket, chef
        self.kernel.record(Ev.RUN, chef.stove.id, chef.id, ticket.id)
        return ticket

    def cpu_done(self, chef: KernelThread, ticket: UserThread) -> None:
        """A cpu step ended: run the following steps until the ticket cooks again or leaves."""
        while chef.stove is not None and chef.user_thread is ticket and ticket.left <= EPSILON:
            self._advance(chef, ticket)

    def slice_over(self, chef: KernelThread) -> None:
        """User-level time slice over: the clipboard rotates the ticket to the back of the rail."""
        ticket = chef.user_thread
        if self.one_to_one or ticket is None or not self.rail.size:
            return
        self.kernel.record(Ev.ROTATE, chef.stove.id, chef.id, ticket.id)
        chef.user_thread, ticket.chef = None, None
        self.rail.push(ticket)

    def _advance(self, chef: KernelThread, ticket: UserThread) -> None:
        step, duration = ticket.next_step()
        if step is None:
            self._finish(chef, ticket)
        elif step.kind == "cpu":
            ticket.left = duration
        elif step.kind == "io":
            self._io(chef, ticket, duration)
        elif step.kind == "lock":
            self._lock(chef, ticket, step.name)
        elif step.kind == "unlock":
            self._unlock(ticket, step.name)

    def _finish(self, chef: KernelThread, ticket: UserThread) -> None:
        self.kernel.record(Ev.FINISH, chef.stove.id, chef.id, ticket.id)
        self.live_tickets -= 1
        chef.user_thread, ticket.chef = None, None
        if self.one_to_one:
            self._retire(chef)

    def _io(self, chef: KernelThread, ticket: UserThread, duration: float) -> None:
        wake_at = self.kernel.env.now + duration
        if self.io == "nonblocking":
            self.kernel.record(Ev.PARK, chef.stove.id, chef.id, ticket.id, wake_at)
            chef.user_thread, ticket.chef = None, None
            self.kernel.after(duration, lambda: self._io_done_parked(ticket))
            return
        self._block(chef, wake_at)
        self.kernel.after(duration, lambda: self._io_done_blocked(chef, ticket))
        if self.io == "activations":
            self._upcall(chef)

    def _block(self, chef: KernelThread, info: object) -> None:
        self.chefs_blocked += 1
        self.kernel.leave_stove(chef, Ev.BLOCK, info)

    def _unblock(self, chef: KernelThread, ticket: UserThread) -> None:
        self.chefs_blocked -= 1
        self.kernel.record(Ev.WAKE, kthread=chef.id, uthread=ticket.id)
        self.kernel.make_ready(chef)

    def _io_done_blocked(self, chef: KernelThread, ticket: UserThread) -> None:
        self._unblock(chef, ticket)

    def _io_done_parked(self, ticket: UserThread) -> None:
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

    def _lock(self, chef: KernelThread, ticket: UserThread, name: str) -> None:
        mutex = self.locks.setdefault(name, Mutex(name))
        if mutex.holder is None:
            mutex.holder = ticket
            self.kernel.record(Ev.LOCK, chef.stove.id, chef.id, ticket.id, name)
            return
        mutex.waiters.append(ticket)
        if self.one_to_one:
            self._block(chef, name)
            self._inherit(mutex)
        else:
            self.kernel.record(Ev.LOCK_WAIT, chef.stove.id, chef.id, ticket.id, name)
            chef.user_thread, ticket.chef = None, None

    def _unlock(self, ticket: UserThread, name: str) -> None:
        mutex = self.locks[name]
        chef = ticket.chef
        self.kernel.record(Ev.UNLOCK, chef.stove.id if chef.stove else -1, chef.id, ticket.id, name)
        heir = mutex.next_waiter()
        mutex.holder = heir
        if self.inheritance and self.one_to_one:
            self.kernel.set_priority(chef, self._inherited_priority(ticket))
        if heir is None:
            return
        self.kernel.record(Ev.LOCK, kthread=heir.chef.id if heir.chef else -1, uthread=heir.id, info=name)
        if self.one_to_one:
            self._inherit(mutex)
            self._unblock(heir.chef, heir)
        else:
            self.kernel.record(Ev.WAKE, uthread=heir.id)
            self._to_rail(heir)

    def _inherit(self, mutex: Mutex) -> None:
        """Priority inheritance: the holder's chef cooks at the highest priority among its waiters."""
        if self.inheritance and mutex.holder is not None and mutex.holder.chef is not None:
            self.kernel.set_priority(mutex.holder.chef, self._inherited_priority(mutex.holder))

    def _inherited_priority(self, ticket: UserThread) -> int:
        waiting = [w.priority for m in self.locks.values() if m.holder is ticket for w in m.waiters]
        return max([ticket.priority, *waiting])
