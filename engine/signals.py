"""Fire alarms (signals): which chef the alarm rings at, and which ticket answers it.

The kernel delivers a signal to a kernel thread (chef); it knows nothing of user
threads (tickets). The rules, per threading model:

* A synchronous fault (step ``fault SIGSEGV``) rings at the chef that was
  cooking the faulting ticket, and that ticket handles it, in every model (the
  thread library knows which ticket its chef was running). Masks do not apply.
* ``kill(pid, sig)`` (``to = "process"``): in a bound process (one-to-one, or
  M:N with scs) the kernel picks a chef whose ticket does not mask the signal,
  preferring one at a stove, then one on the bench, then the lowest-numbered.
  In many-to-one and M:N (pcs) the kernel sees only chefs and no ticket masks:
  it picks a chef the same way, then the library picks the ticket: the chef's
  own if it does not mask the signal, else the first unmasked ticket on the rail,
  else the lowest-numbered unmasked live ticket. If every ticket masks it, the
  signal stays pending.
* ``pthread_kill`` (``to`` = a task name or a ticket like ``"worker #2"``): one-to-one
  rings at that ticket's own chef; in many-to-one and M:N the library delivers it
  to the ticket on whichever chef is cooking it (none if it is on the rail: it
  runs the handler when it next cooks). A dead or not yet printed ticket loses it.

What happens then (``OSProcess.deliver``): if the process installed a handler
(``[signal_handlers]``), the ticket cooks the handler's CPU time before it goes
on with its steps (a SIGSEGV handler recovers, like ``siglongjmp``); otherwise
the default action terminates the whole process, every ticket and every chef.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from engine.kernel import KernelThread
    from engine.processes import OSProcess, UserThread


class SignalInfo(NamedTuple):
    """``info`` of an ``Ev.SIGNAL`` event."""

    signal: str  # e.g. "SIGSEGV"
    source: str  # "fault" (raised by the ticket's own step), "kill" (to the process), "pthread_kill" (to a ticket)
    action: str  # "handler", "terminate" (default action), "pending" (masked everywhere), "lost" (no such ticket)
    handler_ms: float  # CPU time the handler adds to the ticket (0 unless action is "handler")
    process: int  # index of the process it was sent to


def _chef_rank(chef: KernelThread) -> tuple[bool, bool, int]:
    """At a stove first, then on the bench, then asleep; ties by number."""
    return chef.stove is None, chef.blocked, chef.id


def pick_for_process(process: OSProcess, signal: str) -> tuple[KernelThread | None, UserThread | None]:
    """kill(pid, sig): the chef the kernel rings at, and the ticket that handles it (None: pending)."""
    if process.bound:
        tickets = [t for t in process.tickets.values() if t.chef is not None and signal not in t.masks]
        if not tickets:
            return None, None
        ticket = min(tickets, key=lambda t: _chef_rank(t.chef))
        return ticket.chef, ticket
    if not process.chefs:
        return None, None
    chef = min(process.chefs.values(), key=_chef_rank)
    return chef, library_pick(process, chef, signal)


def library_pick(process: OSProcess, chef: KernelThread, signal: str) -> UserThread | None:
    """The thread library's choice: the chef's own ticket, else the rail's first, else any live ticket."""
    own = chef.user_thread
    if own is not None and signal not in own.masks:
        return own
    for ticket in process.rail:
        if signal not in ticket.masks:
            return ticket
    live = [t for t in process.tickets.values() if signal not in t.masks]
    return min(live, key=lambda t: t.id) if live else None


def pick_for_ticket(ticket: UserThread | None, signal: str
                    ) -> tuple[KernelThread | None, UserThread | None, str]:
    """pthread_kill: (chef it rings at, ticket that handles it, what happens if nobody does)."""
    if ticket is None or ticket.ended:
        return None, None, "lost"
    if signal in ticket.masks:
        return ticket.chef, None, "pending"
    return ticket.chef, ticket, "pending"
