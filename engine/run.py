"""Running a scenario: the orders drawn once from the seed, and one SimPy simulation per pane.

``ScenarioRun`` holds a ``PaneRun`` per pane. Each pane simulates the same
orders (same arrival times and durations) under its own threading model and
appends to its own Timeline. ``advance`` computes ahead incrementally, with an
optional cap on SimPy events so a caller (the GUI's frame clock) can bound the
work it does at once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import simpy

from engine.kernel import Kernel
from engine.processes import OSProcess, UserThread
from engine.scenario import Pane, Scenario
from engine.steps import Step
from engine.timeline import Ev, ProcessInfo, Timeline, UState

OUR_PROCESS = "ours"


@dataclass(frozen=True)
class OrderBatch:
    """``count`` identical tickets of one task (or neighbour), with their drawn arrival times and durations."""

    name: str
    process: int
    priority: int
    steps: tuple[Step, ...]
    arrivals_ms: np.ndarray
    durations: np.ndarray  # shape (count, len(steps)); 0 for steps without a duration
    first_id: int

    @property
    def count(self) -> int:
        return len(self.arrivals_ms)

    def work_ms(self) -> np.ndarray:
        cpu = np.array([step.kind == "cpu" for step in self.steps])
        return self.durations[:, cpu].sum(axis=1)


def draw_orders(scenario: Scenario, seed: int | None = None) -> list[OrderBatch]:
    """Draw every arrival time and duration once, from the seed only: identical for every pane."""
    rng = np.random.default_rng(scenario.seed if seed is None else seed)
    batches: list[OrderBatch] = []
    next_id = 0
    for task in scenario.tasks:
        arrivals = _arrival_times(task, rng)
        batches.append(OrderBatch(task.name, 0, task.priority, tuple(task.steps), arrivals,
                                  _durations(task.steps, task.count, rng), next_id))
        next_id += task.count
    for index, neighbor in enumerate(scenario.neighbors, start=1):
        arrivals = np.full(neighbor.threads, neighbor.start_ms)
        batches.append(OrderBatch(neighbor.name, index, neighbor.priority, tuple(neighbor.steps), arrivals,
                                  _durations(neighbor.steps, neighbor.threads, rng), next_id))
        next_id += neighbor.threads
    return batches


def _arrival_times(task, rng: np.random.Generator) -> np.ndarray:
    if task.arrivals is None:
        return np.full(task.count, task.start_ms)
    if task.arrivals.every_ms is not None:
        gaps = np.full(task.count, task.arrivals.every_ms)
    else:
        gaps = rng.exponential(1000.0 / task.arrivals.rate_per_s, task.count)
    gaps[0] = 0.0
    return task.start_ms + np.cumsum(gaps)


def _durations(steps: list[Step], count: int, rng: np.random.Generator) -> np.ndarray:
    table = np.zeros((count, len(steps)))
    for column, step in enumerate(steps):
        if step.duration is not None:
            table[:, column] = step.duration.draw(rng, count)
    return table


class PaneRun:
    """One pane's simulation: a SimPy environment, the kernel, our process and the neighbours."""

    def __init__(self, scenario: Scenario, pane_index: int, orders: list[OrderBatch]) -> None:
        self.scenario = scenario
        self.pane: Pane = scenario.panes[pane_index]
        self.orders = orders
        self.env = simpy.Environment()
        machine = scenario.machine
        self.timeline = Timeline(machine.cores, machine.kernel_thread_kib, self._process_infos())
        self.timeline.memory_budget_kib = machine.memory_budget_mib * 1024
        self.kernel = Kernel(self.env, self.timeline, machine.cores, machine.time_slice_ms,
                             machine.context_switch_ms, machine.scheduler == "priority")
        self.processes = [self._make_process(index) for index in range(len(self.timeline.processes))]
        self.end_ms: float | None = None
        self.stuck = False
        for batch in orders:
            self._describe(batch)
            self.env.process(self._arrivals(batch))
        self.kernel.start()

    def _process_infos(self) -> list[ProcessInfo]:
        infos = [ProcessInfo(OUR_PROCESS, self.pane.model, self.pane.io, True)]
        infos += [ProcessInfo(n.name, n.model, "blocking", False) for n in self.scenario.neighbors]
        return infos

    def _make_process(self, index: int) -> OSProcess:
        machine = self.scenario.machine
        budget_kib = machine.memory_budget_mib * 1024
        if index == 0:
            pane = self.pane
            model, io, crew, priority = pane.model, pane.io, pane.base_kernel_threads, pane.priority
        else:
            neighbor = self.scenario.neighbors[index - 1]
            model, io, priority = neighbor.model, "blocking", neighbor.priority
            crew = {"one-to-one": 0, "many-to-one": 1}.get(model, neighbor.kernel_threads or 4)
        process = OSProcess(self.kernel, index, model, io, crew, budget_kib, machine.kernel_thread_kib,
                            priority, machine.priority_inheritance)
        process.live_tickets = sum(b.count for b in self.orders if b.process == index)
        process.hire_crew()
        return process

    def _describe(self, batch: OrderBatch) -> None:
        self.timeline.describe_batch(batch.name, batch.first_id, batch.work_ms())

    def _arrivals(self, batch: OrderBatch):
        process = self.processes[batch.process]
        for instance, at in enumerate(batch.arrivals_ms):
            if at > self.env.now:
                yield self.env.timeout(at - self.env.now)
            ticket = UserThread(batch.first_id + instance, process, batch.priority, batch.steps,
                                tuple(batch.durations[instance]))
            process.arrive(ticket)

    @property
    def finished(self) -> bool:
        return self.end_ms is not None

    def advance(self, until_ms: float, max_events: int | None = None) -> bool:
        """Simulate up to ``until_ms`` (capped by the scenario's duration); True once the run has ended."""
        limit = min(until_ms, self.scenario.duration_ms)
        env, ours, steps = self.env, self.processes[0], 0
        while self.end_ms is None:
            next_time = env.peek()
            if ours.live_tickets == 0:
                self._end(env.now)
            elif next_time == math.inf:
                self._end_stuck()
            elif next_time > limit:
                if limit >= self.scenario.duration_ms:
                    self._end(limit)
                break
            elif max_events is not None and steps >= max_events:
                break
            else:
                env.step()
                steps += 1
        self.timeline.flush()
        self.timeline.computed_until = self._final_time()
        return self.end_ms is not None

    def _final_time(self) -> float:
        if self.end_ms is not None:
            return math.inf
        return float(np.nextafter(self.env.peek(), -math.inf))

    def _end(self, t: float) -> None:
        self.end_ms = t
        self.timeline.end_ms = t

    def _end_stuck(self) -> None:
        """Nothing is scheduled but tickets remain: they can never finish. Report who waits for what."""
        self.stuck = True
        waits = self._waits_for()
        now = self.env.now
        for ticket_id, what in waits.items():
            self.timeline.record_at(now, Ev.STUCK, uthread=ticket_id, info=what)
        self.timeline.record_at(now, Ev.DEADLOCK, info="; ".join(
            f"{self.timeline.uthread_name(t)} waits for {what}" for t, what in waits.items()))
        self._end(now)

    def _waits_for(self) -> dict[int, str]:
        waits: dict[int, str] = {}
        for process in self.processes:
            for mutex in process.locks.values():
                holder = self.timeline.uthread_name(mutex.holder.id) if mutex.holder else "nobody"
                for ticket in mutex.waiters:
                    waits[ticket.id] = f"lock {mutex.name!r} held by {holder}"
        head = self.timeline.head
        for ticket in np.flatnonzero(head.u_state[: head.n_uthreads] == UState.READY):
            waits.setdefault(int(ticket), "a chef: none is left to cook it")
        return waits

    def run_to_end(self) -> PaneRun:
        self.advance(math.inf)
        return self


class ScenarioRun:
    """All panes of a scenario, advanced together so they stay in step."""

    def __init__(self, scenario: Scenario, seed: int | None = None) -> None:
        self.scenario = scenario
        orders = draw_orders(scenario, seed)
        self.panes = [PaneRun(scenario, index, orders) for index in range(len(scenario.panes))]

    @property
    def finished(self) -> bool:
        return all(pane.finished for pane in self.panes)

    def advance(self, until_ms: float, max_events: int | None = None) -> bool:
        for pane in self.panes:
            pane.advance(until_ms, max_events)
        return self.finished

    def run_to_end(self) -> ScenarioRun:
        for pane in self.panes:
            pane.run_to_end()
        return self
