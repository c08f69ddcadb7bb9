"""The numbers a run ends with, per pane: makespan, utilization, memory, refusals, response times.

Everything here is read from the pane's Timeline, so the CLI's JSON, the
charts and the captions agree by construction.
"""

from __future__ import annotations

import math

import numpy as np

from engine.run import PaneRun, ScenarioRun
from engine.timeline import Ev, Timeline, UState


def scenario_summary(run: ScenarioRun) -> dict:
    """The CLI's JSON object: the scenario's title and one entry per pane."""
    scenario = run.scenario
    return {
        "title": scenario.title,
        "seed": scenario.seed,
        "cores": scenario.machine.cores,
        "panes": [pane_summary(pane) for pane in run.panes],
    }


def pane_summary(run: PaneRun) -> dict:
    timeline = run.timeline
    head = timeline.head
    ours = timeline.u_owner[: head.n_uthreads] == 0
    end = run.reached_ms
    span = max(end, 0.0)
    cooked = timeline.cooked_by_process(end)
    busy = cooked[0]
    pane = run.pane
    return {
        "label": pane.label or pane.model,
        "model": pane.model,
        "io": pane.io if pane.model != "one-to-one" else "blocking",
        "kernel_threads": _peak_kernel_threads(timeline),
        "end_ms": _clean(end),
        "makespan_ms": _makespan(run, ours),
        "cpu_busy_ms": _clean(busy),
        "utilization": _clean(busy / (run.scenario.machine.cores * span)) if span > 0 else 0.0,
        "context_switch_ms": _clean(run.kernel.switch_ms),
        "kernel_memory_peak_kib": int(timeline.kernel_memory_kib.arrays()[1].max(initial=0)),
        "threads_created": run.processes[0].hired,
        "threads_refused": run.processes[0].refused,
        "tasks_completed": head.completed,
        "response_ms": _response_times(timeline, ours),
        "cpu_share": _cpu_share(timeline, cooked),
        "deadlocked": run.stuck,
        "deadlock": _deadlock_report(timeline),
        "scope": pane.contention_scope,
        "priority_inheritance": run.world.locks.default_inheritance,
        "terminated": _terminated(timeline),
        "signals": _signals(timeline),
        "deadlocks": _deadlocks(timeline),
        "children": _children(timeline),
        "tasks": _tasks(timeline, ours),
    }


def _makespan(run: PaneRun, ours: np.ndarray) -> float | None:
    """When our process's last ticket finished (or was refused); None if any is unfinished, stuck or killed."""
    head = run.timeline.head
    states = head.u_state[: head.n_uthreads][ours]
    if run.processes[0].live_tickets or not len(states) or not np.isin(states, (UState.FINISHED, UState.REFUSED)).all():
        return None
    return _clean(head.u_finish[: head.n_uthreads][ours].max())


def _clean(value: float) -> float:
    """Round away float noise so golden files are stable (0.1 µs resolution)."""
    return round(float(value), 4)


def _peak_kernel_threads(timeline: Timeline) -> int:
    memory = timeline.kernel_memory_kib.arrays()[1]
    return int(memory.max(initial=0)) // timeline.kernel_thread_kib


def _response_times(timeline: Timeline, ours: np.ndarray) -> dict:
    head = timeline.head
    finished = ours & (head.u_state[: head.n_uthreads] == UState.FINISHED)
    times = head.u_finish[: head.n_uthreads][finished] - head.u_start[: head.n_uthreads][finished]
    if not len(times):
        return {"mean": None, "p50": None, "p95": None}
    return {"mean": _clean(times.mean()), "p50": _clean(np.percentile(times, 50)),
            "p95": _clean(np.percentile(times, 95))}


def _cpu_share(timeline: Timeline, cooked: np.ndarray) -> dict:
    total = cooked.sum()
    return {info.name: _clean(cooked[index] / total) if total else 0.0
            for index, info in enumerate(timeline.processes)}


def _deadlock_report(timeline: Timeline) -> str | None:
    reports = [str(event.info) for event in timeline.events_of(Ev.DEADLOCK)]
    return " | ".join(reports) if reports else None


def _deadlocks(timeline: Timeline) -> list[dict]:
    """Each deadlock found: when, in which process, and who waits for which knife held by whom."""
    rows = []
    for event in timeline.events_of(Ev.DEADLOCK):
        report = event.info
        waits = [{"ticket": timeline.uthread_name(w.ticket), "lock": w.lock or None,
                  "holder": timeline.uthread_name(w.holder) if w.holder >= 0 else None,
                  "holder_exists": w.holder_exists} for w in getattr(report, "waits", ())]
        rows.append({"at_ms": _clean(event.t), "process": timeline.processes[getattr(report, "process", 0)].name,
                     "description": str(report), "waits": waits})
    return rows


def _terminated(timeline: Timeline) -> dict | None:
    """The signal whose default action ended our process, and when; None if it was not terminated."""
    for event in timeline.events_of(Ev.SIGNAL):
        if event.info.action == "terminate" and event.info.process == 0:
            return {"signal": event.info.signal, "at_ms": _clean(event.t)}
    return None


def _signals(timeline: Timeline) -> list[dict]:
    """Every fire alarm: the chef (kernel thread) it rang at and the ticket (user thread) that handled it."""
    rows = []
    for event in timeline.events_of(Ev.SIGNAL):
        info = event.info
        rows.append({"signal": info.signal, "at_ms": _clean(event.t), "process": timeline.processes[info.process].name,
                     "source": info.source, "action": info.action,
                     "kernel_thread": event.kthread if event.kthread >= 0 else None,
                     "user_thread": timeline.uthread_name(event.uthread) if event.uthread >= 0 else None})
    return rows


def _children(timeline: Timeline) -> list[dict]:
    """Each fork() child: who forked it and when, and how its one ticket ended."""
    head, rows = timeline.head, []
    names = {state.value: state.name.lower() for state in UState}
    for event in timeline.events_of(Ev.FORK):
        child, ticket = event.info
        finish = head.u_finish[ticket] if ticket < head.n_uthreads else math.nan
        rows.append({"process": timeline.processes[child].name, "forked_at_ms": _clean(event.t),
                     "forked_by": timeline.uthread_name(event.uthread), "ticket": timeline.uthread_name(ticket),
                     "state": names[int(head.u_state[ticket])] if ticket < head.n_uthreads else "pending",
                     "finish_ms": None if math.isnan(finish) else _clean(finish)})
    return rows


def _tasks(timeline: Timeline, ours: np.ndarray) -> list[dict]:
    head = timeline.head
    names = {0: "pending"} | {state.value: state.name.lower() for state in UState}
    rows = []
    for ticket in np.flatnonzero(ours):
        finish = head.u_finish[ticket]
        rows.append({
            "name": timeline.uthread_name(int(ticket)),
            "index": int(ticket),
            "start_ms": _clean(head.u_start[ticket]),
            "finish_ms": None if math.isnan(finish) else _clean(finish),
            "state": names[int(head.u_state[ticket])],
        })
    return rows
