"""Words for the kitchen pane: tooltips for chefs, tickets and stoves, the legend, and captions.

Each text pairs the kitchen word with the operating-system word (DESIGN.md's
metaphor table), so the OS term is never more than a hover away. Everything is
computed from a Snapshot on demand (when the pointer rests on an item), never
per frame. No Qt here: these are plain strings with a little HTML.
"""

from __future__ import annotations

import math
import re

import numpy as np

from engine.timeline import Ev, Event, KState, ProcessInfo, Snapshot, Timeline, UState
from kitchen.palette import grouped

MODEL_NAMES = {"one-to-one": "One-to-one", "many-to-one": "Many-to-one", "many-to-many": "Many-to-many"}
IO_NAMES = {"blocking": "blocking I/O", "nonblocking": "non-blocking I/O (event loop)",
            "activations": "scheduler activations"}


def one_chef_per_ticket(process: ProcessInfo) -> bool:
    """Whether every ticket of the process is bound to its own chef: one-to-one, or many-to-many with scs.

    Such a kitchen (system contention scope) has no ticket rail to speak of; its tickets compete machine-wide.
    """
    return process.model == "one-to-one" or process.scope == "scs"


def default_title(timeline: Timeline) -> str:
    """A pane title naming our process's threading model and I/O policy, e.g. ``Many-to-one · blocking I/O``."""
    ours = timeline.processes[0]
    model = MODEL_NAMES.get(ours.model, ours.model)
    if ours.model == "one-to-one":
        return model
    if one_chef_per_ticket(ours):
        return f"{model} · system scope (each ticket bound to its own chef)"
    return f"{model} · {IO_NAMES.get(ours.io, ours.io)}"


def unused_rail_note(process: ProcessInfo) -> str:
    """Why a kitchen with a chef per ticket has nothing on its ticket rail."""
    if process.model == "one-to-one":
        return "Not used in one-to-one: every ticket gets its own chef"
    return "Not used with system scope (scs): every ticket is bound to its own chef"


def scoped_title(title: str, timeline: Timeline) -> str:
    """``title``, with "SCS" added for a many-to-many kitchen whose tickets are bound to chefs, unless it says so."""
    ours = timeline.processes[0]
    if ours.model == "one-to-one" or not one_chef_per_ticket(ours):
        return title
    return title if "scs" in title.lower() or "system scope" in title.lower() else f"{title} · SCS"


SHORT_TASK = 5  # letters of a task's name shown on its tickets


def short_task(task: str) -> str:
    """A task's name as it fits on a ticket: ``spawner`` → ``spawn``; names up to 6 letters stay whole."""
    return task if len(task) <= SHORT_TASK + 1 else task[:SHORT_TASK]


def ticket_words(name: str, with_task: bool) -> tuple[str, ...]:
    """The lines on a ticket: ``("#12",)``, or ``("bake", "#12")`` when the kitchen has several tasks."""
    match = re.match(r"(.*?)\s*#(\d+)", name)
    if match is None:
        return (short_task(name),)
    task, number = match.groups()
    return (short_task(task), f"#{number}") if with_task else (f"#{number}",)


def task_of(name: str) -> str:
    """The task a ticket belongs to: ``bake #3`` → ``bake``; a fork child's ``spawner #1 (child)`` → ``spawner``."""
    return name.split(" #", 1)[0]


def ms(value: float) -> str:
    """A duration for people: ``1 250 ms``."""
    return f"{grouped(round(value))}\u00a0ms"


def countdown(wait_ms: float, short: bool = False) -> str:
    """Time left, as a countdown under a ticket: in whole ms, to the nearest 10 ms from a second on.

    The coarser step keeps long countdowns still enough to read (it is off by at most 0.5 %); ``short``
    writes waits of a second or more in seconds (``2.0 s``), which fits under a ticket in big type.
    """
    if wait_ms < 0.5:
        return "<1\u00a0ms"
    step = 1 if wait_ms < 1000 else 10
    left = round(wait_ms / step) * step
    return f"{left / 1000:.1f}\u00a0s" if short and left >= 1000 else ms(left)


def _process_name(timeline: Timeline, process: int) -> str:
    if process >= len(timeline.processes):
        return f"process {process}"
    info = timeline.processes[process]
    if process == 0:
        return "our process"
    if info.parent >= 0:
        return f"{info.name}: a cloned kitchen (fork() child process)"
    return f"{info.name} (another process)"


def _work(snapshot: Snapshot, uthread: int) -> str:
    done, work = float(snapshot.u_done[uthread]), float(snapshot.u_work[uthread])
    if work <= 0:
        return "no cooking work"
    return f"cooked {ms(done)} of {ms(work)} ({100 * min(done / work, 1):.0f}%)"


def _back_in(snapshot: Snapshot, uthread: int) -> str:
    wake = float(snapshot.u_wake_at[uthread])
    return "" if math.isnan(wake) else f"; back in {ms(max(0.0, wake - snapshot.t))}"


def _lock_holder(snapshot: Snapshot, timeline: Timeline, waiter: int) -> str:
    held = [(name, holder) for name, holder in snapshot.locks.items() if holder != waiter]
    if not held:
        return "a knife (mutex)"
    return " or ".join(f"the knife '{name}' (mutex) held by {timeline.uthread_name(holder)}" for name, holder in held)


def chef_state(snapshot: Snapshot, timeline: Timeline, kthread: int) -> str:
    """Where a chef is and why, in kitchen and OS words."""
    state = int(snapshot.k_state[kthread])
    ticket = int(snapshot.k_uthread[kthread])
    if state == KState.RUNNING:
        stove = int(np.flatnonzero(snapshot.stove_kthread == kthread)[0]) + 1
        return f"cooking at stove {stove} (running on CPU core {stove})"
    if state == KState.READY:
        return f"on the bench since {ms(snapshot.k_since[kthread])} (ready, in the kernel run queue)"
    if state == KState.BLOCKED and ticket >= 0 and snapshot.u_state[ticket] == UState.WAIT_LOCK:
        return f"blocked in the kernel waiting for {_lock_holder(snapshot, timeline, ticket)}"
    if state == KState.BLOCKED:
        waits = _back_in(snapshot, ticket) if ticket >= 0 else ""
        return f"waiting at the oven (blocked in an I/O system call{waits})"
    if state == KState.IDLE:
        return "idle in the waiting spot: no ticket to cook"
    return "gone home (exited; its pantry locker is free again)"


def describe_chef(snapshot: Snapshot, timeline: Timeline, kthread: int) -> str:
    """Tooltip of a chef: OS name, process, state, the ticket it carries."""
    ticket = int(snapshot.k_uthread[kthread])
    lines = [f"<b>Chef {kthread + 1}</b> — kernel thread {kthread + 1}",
             f"Process: {_process_name(timeline, int(snapshot.k_process[kthread]))}",
             f"State: {chef_state(snapshot, timeline, kthread)}"]
    if ticket >= 0:
        lines.append(f"Carries ticket {timeline.uthread_name(ticket)} (user thread): {_work(snapshot, ticket)}")
    if snapshot.k_priority[kthread]:
        lines.append(f"Priority seen by the kitchen manager (kernel): {int(snapshot.k_priority[kthread])}")
    return "<br>".join(lines)


def ticket_state(snapshot: Snapshot, timeline: Timeline, uthread: int) -> str:
    """Where a ticket is and what it waits for."""
    state, chef = int(snapshot.u_state[uthread]), int(snapshot.u_kthread[uthread])
    texts = {
        UState.PENDING: "not printed yet (the user thread has not been created)",
        UState.RUNNING: f"being cooked by chef {chef + 1} (running on kernel thread {chef + 1})",
        UState.BLOCKED: f"in the oven with chef {chef + 1} (blocked in a system call{_back_in(snapshot, uthread)})",
        UState.PARKED: "in the event loop's wait set: its chef keeps cooking other tickets "
                       f"(non-blocking I/O{_back_in(snapshot, uthread)})",
        UState.WAIT_LOCK: f"waiting for {_lock_holder(snapshot, timeline, uthread)}",
        UState.FINISHED: "done (the user thread has finished)",
        UState.REFUSED: "refused: no chef could be hired, the pantry is full (kernel thread creation failed)",
        UState.STUCK: "stuck: it can never finish",
        UState.KILLED: "gone: a fire alarm (signal) with no handler terminated its whole process",
    }
    if state == UState.READY:
        return (f"with its own chef {chef + 1} on the bench (ready; its kernel thread waits for a core)"
                if chef >= 0 else "on the ticket rail (ready, in the user-level run queue)")
    return texts[UState(state)]


def describe_ticket(snapshot: Snapshot, timeline: Timeline, uthread: int) -> str:
    """Tooltip of a ticket: OS name, state, work done, locks held."""
    name = timeline.uthread_name(uthread)
    lines = [f"<b>Ticket {name}</b> — user thread {name}",
             f"Process: {_process_name(timeline, int(snapshot.u_process[uthread]))}",
             f"State: {ticket_state(snapshot, timeline, uthread)}",
             f"Work: {_work(snapshot, uthread)}"]
    held = [name for name, holder in snapshot.locks.items() if holder == uthread]
    if held:
        lines.append("Holds: " + ", ".join(f"the knife '{lock}' (mutex)" for lock in held))
    return "<br>".join(lines)


def describe_stove(snapshot: Snapshot, timeline: Timeline, stove: int) -> str:
    """Tooltip of a stove: the core, and who cooks on it."""
    chef = int(snapshot.stove_kthread[stove])
    lines = [f"<b>Stove {stove + 1}</b> — CPU core {stove + 1}"]
    if chef < 0:
        lines.append("Cold: no chef is cooking (the core is idle)")
        return "<br>".join(lines)
    lines.append(f"Glowing: chef {chef + 1} (kernel thread {chef + 1}) of "
                 f"{_process_name(timeline, int(snapshot.k_process[chef]))} is cooking")
    ticket = int(snapshot.k_uthread[chef])
    if ticket >= 0:
        lines.append(f"On the stove: ticket {timeline.uthread_name(ticket)} (user thread)")
    return "<br>".join(lines)


def frozen_caption(snapshot: Snapshot) -> tuple[str, str]:
    """Headline and explanation for a frozen process (every chef at the oven, tickets waiting)."""
    chefs = snapshot.kthreads_of(0)
    ready = int(np.count_nonzero((snapshot.u_process == 0) & (snapshot.u_state == UState.READY)))
    tickets = f"{grouped(ready)} ready ticket{'s' if ready != 1 else ''}"
    who = ("its only chef waits at the oven" if len(chefs) == 1
           else f"all {grouped(len(chefs))} of its chefs wait at the oven")
    wakes = snapshot.u_wake_at[snapshot.k_uthread[chefs][snapshot.k_uthread[chefs] >= 0]]
    wakes = wakes[~np.isnan(wakes)]
    back = f" Back in {ms(max(0.0, float(wakes.min()) - snapshot.t))}." if len(wakes) else ""
    return ("Whole process frozen",
            f"{who[0].upper()}{who[1:]} (a blocking system call), so none of its {tickets} can cook.{back}")


MAX_DEADLOCK_LINES = 3  # who-waits-for-what lines in the deadlock caption


def deadlock_at(timeline: Timeline, t: float) -> Event | None:
    """The deadlock the pane has reached by time ``t`` (its first ``Ev.DEADLOCK`` event), or None."""
    reports = timeline.events_of(Ev.DEADLOCK)
    return reports[0] if reports and reports[0].t <= t else None


def deadlock_caption(timeline: Timeline, report: str, short: bool = False) -> tuple[str, str]:
    """Headline and explanation of a deadlock report: who can never continue, then who waits for what.

    The explanation's first line says who is stuck for good; the others say who waits for which knife held by
    whom, in kitchen words with the OS words (``short``: without saying why the holder is missing).
    """
    process = getattr(report, "process", 0)
    waits = getattr(report, "waits", ())
    lines = [_wait_words(timeline, process, wait, short) for wait in waits[:MAX_DEADLOCK_LINES]]
    if len(waits) > MAX_DEADLOCK_LINES:
        lines.append(f"… and {len(waits) - MAX_DEADLOCK_LINES} more waiting in a circle.")
    body = "\n".join(lines) if lines else f"{_capital(report)}."
    kitchen = _capital(_kitchen_name(timeline, process))
    stuck = "Nobody can ever continue." if process == 0 else f"{kitchen} can never continue."
    return "Deadlock", f"{stuck}\n{body}"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _kitchen_name(timeline: Timeline, process: int) -> str:
    """A process as a kitchen: ``the clone`` for a fork() child, else the neighbour's name."""
    if process >= len(timeline.processes):
        return f"process {process}"
    info = timeline.processes[process]
    return "the clone" if info.parent >= 0 else info.name


def _wait_words(timeline: Timeline, process: int, wait, short: bool) -> str:
    """``Its ticket spawner #1 waits for the knife (mutex) held by slicer #1, who does not exist in the clone…``."""
    kitchen = _kitchen_name(timeline, process) if process else "our kitchen"
    owner = "Our" if process == 0 else "Its"
    ticket = timeline.uthread_name(wait.ticket).removesuffix(" (child)")
    if not wait.lock:
        return (f"{owner} ticket {ticket} waits for a chef (kernel thread), but every chef of its kitchen is stuck "
                "waiting for a knife.")
    knife = "the knife" if wait.lock == "knife" else f"the knife '{wait.lock}'"
    holder = timeline.uthread_name(wait.holder)
    if wait.holder_exists:
        return f"{owner} ticket {ticket} waits for {knife} (mutex) held by {holder}."
    why = ": fork() copied only the thread that called it" if kitchen == "the clone" and not short else ""
    return f"{owner} ticket {ticket} waits for {knife} (mutex) held by {holder}, who does not exist in {kitchen}{why}."


def terminated_caption(signal: str) -> tuple[str, str]:
    """Headline and explanation for our process killed by a signal's default action."""
    return ("Process terminated",
            f"The fire alarm {signal} rang and no handler was installed, so the default action ended the "
            "whole process: all its tickets and chefs are gone.")


def describe_mark(timeline: Timeline, kind: str, event: Event) -> str:
    """An extra tooltip line for a chef that just heard the fire alarm or called fork()."""
    if kind == "fork":
        child = timeline.processes[event.info.child].name if event.info.child < len(timeline.processes) else "a child"
        return (f"<br>Just called fork() at {ms(event.t)} for ticket {timeline.uthread_name(event.uthread)}: "
                f"a cloned kitchen ({child}) starts with one chef")
    info = event.info
    answer = {"handler": "a handler runs on its ticket", "terminate": "no handler: the process is terminated",
              "pending": "every ticket masks it: it stays pending", "lost": "its ticket is gone: it is lost"}
    return (f"<br>Fire alarm: {info.signal} ({info.source}) rang at {ms(event.t)}; "
            f"{answer.get(info.action, info.action)}")
