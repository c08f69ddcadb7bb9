"""Export a run as a Chrome/Perfetto trace (JSON Trace Event Format) to open in ui.perfetto.dev.

Each pane becomes one trace process (pid = pane number). Inside it:

* one track per stove (CPU core) with a complete ("X") slice for each time a
  chef cooked a ticket there, named ``chef 3 · chop #4``;
* one track per chef (kernel thread) and per ticket (user thread) whose slices
  are its states: running, ready, blocked, idle, parked, waiting for lock, stuck;
* counter ("C") tracks for busy stoves, utilization, kernel memory and tasks
  completed; instants for refused chefs and deadlocks;
* metadata ("M") events naming the processes and tracks and giving their order.

The slices are derived by replaying the Timeline's events through the engine's
own ``KitchenState``, so they agree with the summary by construction (the stove
slices of a pane add up to its ``cpu_busy_ms``). Times are microseconds
(simulated ms × 1000), kept as whole nanoseconds so adjacent slices meet
exactly. Events are produced lazily and written one per line, so long runs
stream to disk without building the whole trace in memory.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TextIO

import engine
from engine.run import ScenarioRun
from engine.timeline import Ev, Event, KitchenState, KState, Timeline, UState

NS_PER_MS = 1_000_000
TID_STRIDE = 10_000_000  # thread ids are unique across panes: pid × stride + local id
FIRST_CHEF_TID = 2_000  # local ids: 0 counters, 1.. stoves, then chefs, then tickets

CHEF_STATES = {KState.IDLE: "idle", KState.READY: "ready", KState.RUNNING: "running", KState.BLOCKED: "blocked"}
TICKET_STATES = {UState.READY: "ready", UState.RUNNING: "running", UState.BLOCKED: "blocked",
                 UState.PARKED: "parked", UState.WAIT_LOCK: "waiting for lock", UState.STUCK: "stuck",
                 UState.KILLED: "killed"}


def _ns(t_ms: float) -> int:
    return round(t_ms * NS_PER_MS)


def _us(t_ns: int) -> int | float:
    """Microseconds as the format wants them: a whole number when exact, else to the nanosecond."""
    return t_ns // 1000 if t_ns % 1000 == 0 else t_ns / 1000


class _PaneTracks:
    """Thread ids and names of one pane's tracks (stoves, chefs, tickets)."""

    def __init__(self, timeline: Timeline, pid: int) -> None:
        self.timeline = timeline
        self.pid = pid
        self.base = pid * TID_STRIDE
        self.n_chefs = timeline.head.n_kthreads
        self.n_tickets = timeline.head.n_uthreads

    def tid(self, kind: str, index: int) -> int:
        if kind == "stove":
            return self.base + 1 + index
        if kind == "chef":
            return self.base + FIRST_CHEF_TID + index
        return self.base + FIRST_CHEF_TID + self.n_chefs + index

    def chef_name(self, chef: int, process: int) -> str:
        owner = "" if process == 0 else f"{self.timeline.processes[process].name} "
        return f"{owner}chef {chef + 1}"

    def names(self) -> Iterator[tuple[int, str]]:
        """(tid, name) of every track, in display order."""
        head = self.timeline.head
        for stove in range(self.timeline.cores):
            yield self.tid("stove", stove), f"stove {stove + 1}"
        for chef in range(self.n_chefs):
            yield self.tid("chef", chef), self.chef_name(chef, int(head.k_process[chef]))
        for ticket in range(self.n_tickets):
            yield self.tid("ticket", ticket), f"ticket {self.timeline.uthread_name(ticket)}"


class _Replay:
    """Replays a pane's events and turns each track's changes of state into X slices."""

    def __init__(self, tracks: _PaneTracks) -> None:
        timeline = tracks.timeline
        self.tracks = tracks
        self.state = KitchenState(timeline.cores, timeline.kernel_thread_kib)
        self.state.ensure_process(len(timeline.processes) - 1)
        self.open: dict[tuple[str, int], tuple[tuple, int]] = {}

    def slices(self, end_ms: float) -> Iterator[dict]:
        for event in self.tracks.timeline.events:
            if event.t > end_ms:
                break
            yield from self._apply(event)
        end_ns = _ns(end_ms)
        for track in list(self.open):
            yield from self._close(track, end_ns)

    def _apply(self, event: Event) -> Iterator[dict]:
        touched = self._touched(event)
        self.state.apply(event)
        touched.update(self._touched(event))
        t_ns = _ns(event.t)
        for track in sorted(touched):
            yield from self._update(track, t_ns)
        if event.kind in (Ev.REFUSE, Ev.DEADLOCK):
            yield self._instant(event, t_ns)

    def _touched(self, event: Event) -> set[tuple[str, int]]:
        """Tracks whose label may change with this event: its stove, chef and ticket, and their partners."""
        state, touched = self.state, set()
        if event.stove >= 0:
            touched.add(("stove", event.stove))
        chefs = {event.kthread} if 0 <= event.kthread < state.n_kthreads else set()
        if 0 <= event.uthread < state.n_uthreads:
            touched.add(("ticket", event.uthread))
            chefs.add(int(state.u_kthread[event.uthread]))
        for chef in chefs - {-1}:
            touched.add(("chef", chef))
            if state.k_stove[chef] >= 0:
                touched.add(("stove", int(state.k_stove[chef])))
            if state.k_uthread[chef] >= 0:
                touched.add(("ticket", int(state.k_uthread[chef])))
        return touched

    def _update(self, track: tuple[str, int], t_ns: int) -> Iterator[dict]:
        label = self._label(*track)
        current = self.open.get(track)
        if current is not None and current[0] == label:
            return
        yield from self._close(track, t_ns)
        if label is not None:
            self.open[track] = (label, t_ns)

    def _close(self, track: tuple[str, int], t_ns: int) -> Iterator[dict]:
        current = self.open.pop(track, None)
        if current is None or t_ns <= current[1]:
            return
        (name, args), start = current
        yield {"ph": "X", "cat": track[0], "name": name, "pid": self.tracks.pid,
               "tid": self.tracks.tid(*track), "ts": _us(start), "dur": _us(t_ns - start), "args": dict(args)}

    def _label(self, kind: str, index: int) -> tuple | None:
        if kind == "stove":
            return self._stove_label(index)
        if kind == "chef":
            return self._chef_label(index)
        return self._ticket_label(index)

    def _stove_label(self, stove: int) -> tuple | None:
        state = self.state
        chef = int(state.stove_kthread[stove])
        if chef < 0:
            return None
        process = int(state.k_process[chef])
        chef_name = self.tracks.chef_name(chef, process)
        args = (("process", self.tracks.timeline.processes[process].name),)
        ticket = int(state.k_uthread[chef])
        if ticket < 0 or state.u_state[ticket] != UState.RUNNING:
            return chef_name, args
        ticket_name = self.tracks.timeline.uthread_name(ticket)
        return f"{chef_name} · {ticket_name}", args + (("chef", chef_name), ("ticket", ticket_name))

    def _chef_label(self, chef: int) -> tuple | None:
        state = self.state
        name = CHEF_STATES.get(KState(state.k_state[chef]))
        if name is None:
            return None
        args = []
        if state.k_stove[chef] >= 0:
            args.append(("stove", int(state.k_stove[chef]) + 1))
        if state.k_uthread[chef] >= 0:
            args.append(("ticket", self.tracks.timeline.uthread_name(int(state.k_uthread[chef]))))
        return name, tuple(args)

    def _ticket_label(self, ticket: int) -> tuple | None:
        state = self.state
        name = TICKET_STATES.get(UState(state.u_state[ticket]))
        if name is None:
            return None
        chef = int(state.u_kthread[ticket])
        if name != "running" or chef < 0:
            return name, ()
        chef_name = self.tracks.chef_name(chef, int(state.k_process[chef]))
        return name, (("chef", chef_name), ("stove", int(state.k_stove[chef]) + 1))

    def _instant(self, event: Event, t_ns: int) -> dict:
        if event.kind == Ev.REFUSE:
            return {"ph": "i", "s": "t", "cat": "ticket", "name": "refused: pantry shelf full", "pid": self.tracks.pid,
                    "tid": self.tracks.tid("ticket", event.uthread), "ts": _us(t_ns)}
        return {"ph": "i", "s": "p", "cat": "kitchen", "name": "deadlock", "pid": self.tracks.pid,
                "tid": self.tracks.base, "ts": _us(t_ns), "args": {"cycle": str(event.info)}}


def _metadata(tracks: _PaneTracks, title: str) -> Iterator[dict]:
    pid = tracks.pid
    yield {"ph": "M", "name": "process_name", "pid": pid, "tid": tracks.base, "args": {"name": title}}
    yield {"ph": "M", "name": "process_sort_index", "pid": pid, "tid": tracks.base, "args": {"sort_index": pid}}
    yield {"ph": "M", "name": "thread_name", "pid": pid, "tid": tracks.base, "args": {"name": "counters"}}
    for tid, name in tracks.names():
        yield {"ph": "M", "name": "thread_name", "pid": pid, "tid": tid, "args": {"name": name}}
        yield {"ph": "M", "name": "thread_sort_index", "pid": pid, "tid": tid,
               "args": {"sort_index": tid - tracks.base}}


def _counters(tracks: _PaneTracks, end_ms: float) -> Iterator[dict]:
    """Counter tracks; Perfetto names each ``NAME KEY`` (e.g. "kernel memory KiB")."""
    timeline = tracks.timeline
    series = [("stoves", "busy", timeline.busy, 1.0), ("utilization", "%", timeline.busy, 100.0 / timeline.cores),
              ("kernel memory", "KiB", timeline.kernel_memory_kib, 1.0), ("tasks", "completed", timeline.completed, 1.0)]
    if len(timeline.processes) > 1:
        series.append(("stoves (all processes)", "busy", timeline.busy_all, 1.0))
    for name, key, values, scale in series:
        times, levels = values.arrays()
        for t, level in zip(times.tolist(), levels.tolist()):
            if t > end_ms:
                break
            value = round(level * scale, 6)
            yield {"ph": "C", "name": name, "pid": tracks.pid, "tid": tracks.base, "ts": _us(_ns(t)),
                   "args": {key: int(value) if value.is_integer() else value}}


def timeline_trace_events(timeline: Timeline, pid: int, title: str, end_ms: float) -> Iterator[dict]:
    """Every trace event of one pane's Timeline up to ``end_ms``, as one trace process ``pid``."""
    tracks = _PaneTracks(timeline, pid)
    yield from _metadata(tracks, title)
    yield from _Replay(tracks).slices(end_ms)
    yield from _counters(tracks, end_ms)


def pane_title(run: ScenarioRun, index: int) -> str:
    """The trace process name of a pane, e.g. ``pane 2: many-to-one``."""
    pane = run.scenario.panes[index]
    return f"pane {index + 1}: {pane.label or pane.model}"


def trace_events(run: ScenarioRun, panes: Sequence[int] | None = None) -> Iterator[dict]:
    """Trace events of the chosen panes (0-based indexes; all by default), one trace process each."""
    for index in range(len(run.panes)) if panes is None else panes:
        pane = run.panes[index]
        yield from timeline_trace_events(pane.timeline, index + 1, pane_title(run, index), pane.reached_ms)


def write_events(events: Iterable[dict], out: TextIO, other_data: dict | None = None) -> int:
    """Stream events as a JSON object trace, one event per line; returns how many were written.

    ``traceEvents`` comes first: Perfetto's streaming reader stops at a key it does not know.
    """
    out.write('{"traceEvents":[')
    count = 0
    for event in events:
        out.write(",\n" if count else "\n")
        out.write(json.dumps(event, separators=(",", ":"), allow_nan=False))
        count += 1
    out.write('\n],"otherData":')
    out.write(json.dumps(other_data or {}, separators=(",", ":")))
    out.write("}\n")
    return count


def write_trace(run: ScenarioRun, path: str | Path, panes: Sequence[int] | None = None) -> int:
    """Write the run's trace to ``path``; returns the number of trace events."""
    scenario = run.scenario
    other = {"title": scenario.title, "seed": scenario.seed, "stoves": scenario.machine.cores,
             "generator": f"thread-kitchen {engine.__version__}"}
    with open(path, "w", encoding="utf-8") as out:
        return write_events(trace_events(run, panes), out, other)
