"""Knives (mutexes): who holds one, who waits, borrowed priorities, and the wait-for graph.

A knife is private to its process: each process, and each fork() child, has its
own copy of every knife its tasks name. A knife declared ``shared`` in the
scenario (``[[locks]] shared = true``: a process-shared mutex in shared memory,
a futex) is one object used by every process of the pane; waiting for it always
puts the chef to sleep in the kernel, whatever the threading model.

``movable`` answers which tickets could ever move again, assuming every ticket
that can move does: it follows the wait-for graph (ticket, knife it waits for,
holder, ...) and, for a ticket without a chef in a many-to-one or M:N process,
the chefs that could pick it up. A cycle, a holder that does not exist in the
knife's process (the fork() child's copy of a knife held by a parent's thread),
or a killed holder means never.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from engine.kernel import KernelThread
    from engine.processes import OSProcess, UserThread
    from engine.scenario import LockSpec


@dataclass(eq=False, slots=True)
class Mutex:
    """The knife: one holder at a time; waiters served highest priority first, then first come."""

    name: str
    owner: OSProcess | None  # None: shared by every process of the pane
    inheritance: bool
    holder: UserThread | None = None
    waiters: list[UserThread] = field(default_factory=list)

    def next_waiter(self) -> UserThread | None:
        if not self.waiters:
            return None
        best = max(self.waiters, key=_wait_rank)
        self.waiters.remove(best)
        return best

    def holder_exists(self) -> bool:
        """False if the holder was killed or lives in another process (a fork() child's copied knife)."""
        holder = self.holder
        return holder is not None and not holder.killed and (self.owner is None or holder.process is self.owner)

    def copy_for(self, child: OSProcess, parent_ticket: UserThread, child_ticket: UserThread) -> Mutex:
        """fork(): the child's copy, held by the child's thread if the forking ticket held it, else by a ghost."""
        holder = child_ticket if self.holder is parent_ticket else self.holder
        return Mutex(self.name, child, self.inheritance, holder)


def _wait_rank(ticket: UserThread) -> int:
    """The kernel wakes sleeping chefs by kernel priority; the thread library by the ticket's own priority."""
    return ticket.chef.priority if ticket.in_kernel else ticket.priority


class LockTable:
    """The pane's declared knives: which are shared, and which inherit priorities."""

    def __init__(self, specs: list[LockSpec], inheritance: bool) -> None:
        self.default_inheritance = inheritance
        self.specs = {spec.name: spec for spec in specs}
        self.shared = {spec.name: Mutex(spec.name, None, self.inheritance_of(spec.name))
                       for spec in specs if spec.shared}
        self.any_inheritance = inheritance or any(spec.priority_inheritance for spec in specs)

    def inheritance_of(self, name: str) -> bool:
        spec = self.specs.get(name)
        if spec is None or spec.priority_inheritance is None:
            return self.default_inheritance
        return spec.priority_inheritance


def kernel_priority(chef: KernelThread) -> int:
    """The chef's own priority, raised to that of any chef asleep on a knife its ticket holds (inheritance)."""
    best = chef.base_priority
    ticket = chef.user_thread
    if ticket is None:
        return best
    for mutex in ticket.held:
        if mutex.inheritance:
            for waiter in mutex.waiters:
                if waiter.in_kernel and waiter.chef.priority > best:
                    best = waiter.chef.priority
    return best


def can_progress(ticket: UserThread) -> bool:
    """Whether the ticket could ever move again (False on a cycle, a missing holder or a stuck chef)."""
    return ticket in movable([ticket])


def chef_can_come(process: OSProcess) -> bool:
    """Some chef of a many-to-one or M:N process is, or will be, free to take a ticket from the rail."""
    free, asleep = _chef_needs(process)
    return free or not movable(asleep).isdisjoint(asleep)


def movable(tickets: list[UserThread]) -> set[UserThread]:
    """Which of ``tickets`` (and of the tickets they wait for) could still move, if every one that can does.

    A least fixpoint over the wait-for graph: a ticket moves if it is free (not waiting, and it has a
    chef or a chef can come), or if one of the tickets it waits for moves (its knife's holder; for a
    ticket on the rail, any ticket whose chef is asleep on a knife). Cycles never move.
    """
    needs: dict[UserThread, tuple[bool, list[UserThread]]] = {}
    todo = list(tickets)
    while todo:
        ticket = todo.pop()
        if ticket not in needs:
            needs[ticket] = _needs(ticket)
            todo += needs[ticket][1]
    moving = {ticket for ticket, (free, _) in needs.items() if free}
    grown = True
    while grown:
        grown = False
        for ticket, (_, waits_for) in needs.items():
            if ticket not in moving and not moving.isdisjoint(waits_for):
                moving.add(ticket)
                grown = True
    return moving


def _needs(ticket: UserThread) -> tuple[bool, list[UserThread]]:
    """(the ticket is free to move, tickets any one of which moving would free it)."""
    if ticket.ended:
        return False, []
    mutex = ticket.waiting
    if mutex is not None:
        return False, [mutex.holder] if mutex.holder_exists() else []
    if ticket.chef is not None or ticket.process.bound:
        return True, []
    return _chef_needs(ticket.process)


def _chef_needs(process: OSProcess) -> tuple[bool, list[UserThread]]:
    """(a chef of the process is free or will be, the tickets whose chefs sleep on knives)."""
    asleep = []
    for chef in process.chefs.values():
        ticket = chef.user_thread
        if ticket is None or ticket.waiting is None:
            return True, []
        asleep.append(ticket)
    return False, asleep


class Wait(NamedTuple):
    """One edge of a deadlock report: ``ticket`` waits for ``lock`` (or a chef) held by ``holder``."""

    ticket: int
    lock: str  # "" when the ticket waits for a chef of its process
    holder: int  # -1 when waiting for a chef
    holder_exists: bool


def wait_chain(ticket: UserThread) -> list[tuple[UserThread, Wait]]:
    """Who waits for what, from ``ticket`` along the wait-for graph until it loops or ends."""
    chain: list[tuple[UserThread, Wait]] = []
    seen: set[UserThread] = set()
    while ticket is not None and ticket not in seen:
        seen.add(ticket)
        mutex = ticket.waiting
        if mutex is not None:
            chain.append((ticket, Wait(ticket.id, mutex.name, mutex.holder.id, mutex.holder_exists())))
            ticket = mutex.holder if mutex.holder_exists() else None
        elif ticket.chef is None and not ticket.process.bound:
            chain.append((ticket, Wait(ticket.id, "", -1, False)))
            ticket = next((c.user_thread for c in ticket.process.chefs.values() if c.user_thread), None)
        else:
            ticket = None
    return chain


def joins_known_deadlock(ticket: UserThread) -> bool:
    """The ticket waits (directly or along a chain) for a ticket already found stuck."""
    seen: set[UserThread] = set()
    while ticket.waiting is not None and ticket not in seen:
        seen.add(ticket)
        ticket = ticket.waiting.holder
        if ticket.ended and not ticket.killed:
            return True
    return False


class DeadlockReport(str):
    """The words of a deadlock report (a ``str``), carrying who waits for what in ``waits``."""

    waits: tuple[Wait, ...]
    process: int

    def __new__(cls, text: str, waits: tuple[Wait, ...] = (), process: int = 0) -> DeadlockReport:
        report = super().__new__(cls, text)
        report.waits = waits
        report.process = process
        return report
