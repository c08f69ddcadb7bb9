"""Running a scenario: the orders drawn once from the seed, and one SimPy simulation per pane.

``ScenarioRun`` holds a ``PaneRun`` per pane. Each pane simulates the same
orders (same arrival times and durations) under its own threading model and
appends to its own Timeline. ``advance`` computes ahead incrementally, with an
optional cap on SimPy events so a caller (the GUI's frame clock) can bound the
work it does at once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
import simpy

from engine.kernel import Kernel
from engine.locks import DeadlockReport, LockTable
from engine.processes import Census, OSProcess, ProcessConfig, UserThread, World
from engine.scenario import Pane, Scenario, signal_target
from engine.steps import Step
from engine.timeline import Ev, ProcessInfo, Timeline

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
    masks: frozenset[str] = frozenset()
    child_steps: tuple[Step, ...] = ()
    child_durations: np.ndarray | None = None  # shape (count, forks, len(child_steps))

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
                                  _durations(task.steps, task.count, rng), next_id, frozenset(task.masks)))
        next_id += task.count
    for index, neighbor in enumerate(scenario.neighbors, start=1):
        arrivals = np.full(neighbor.threads, neighbor.start_ms)
        batches.append(OrderBatch(neighbor.name, index, neighbor.priority, tuple(neighbor.steps), arrivals,
                                  _durations(neighbor.steps, neighbor.threads, rng), next_id))
        next_id += neighbor.threads
    for index, task in enumerate(scenario.tasks):
        if task.forks:  # drawn last, so scenarios without fork() draw exactly what they always did
            children = _durations(task.child_steps, task.count * task.forks, rng)
            batches[index] = replace(batches[index], child_steps=tuple(task.child_steps),
                                     child_durations=children.reshape(task.count, task.forks, -1))
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
    """One pane's simulation: a SimPy environment, the kernel, our process (and its fork children), neighbours.

    The run ends when no ticket of our process or of its fork() children can move any more (all finished,
    refused, stuck or killed), or at the scenario's duration; neighbours never keep it going.
    """

    def __init__(self, scenario: Scenario, pane_index: int, orders: list[OrderBatch]) -> None:
        self.scenario = scenario
        self.pane: Pane = scenario.panes[pane_index]
        self.orders = orders
        self.env = simpy.Environment()
        machine = scenario.machine
        self.timeline = Timeline(machine.cores, machine.kernel_thread_kib, self._process_infos(),
                                 scenario.shared_locks)
        self.timeline.memory_budget_kib = machine.memory_budget_mib * 1024
        self.kernel = Kernel(self.env, self.timeline, machine.cores, machine.time_slice_ms,
                             machine.context_switch_ms, machine.scheduler == "priority")
        inheritance = self.pane.priority_inheritance
        locks = LockTable(scenario.locks, machine.priority_inheritance if inheritance is None else inheritance)
        self.world = World(self.kernel, locks, self._atfork_locks())
        self.world.next_ticket_id = sum(batch.count for batch in orders)
        self.family = Census()  # our process and its fork() children
        self.processes = self.world.processes
        for index in range(len(self.timeline.processes)):
            self._make_process(index)
        self.end_ms: float | None = None
        for batch in orders:
            self._describe(batch)
            self.env.process(self._arrivals(batch))
        for signal in scenario.signals:
            self.kernel.after(signal.at_ms, lambda signal=signal: self._send_signal(signal.signal, signal.to))
        self.kernel.start()

    @property
    def stuck(self) -> bool:
        """A deadlock was found: some tickets can never finish."""
        return self.world.deadlocked

    def _atfork_locks(self) -> tuple[str, ...]:
        """With ``atfork = true``: every private knife our tasks use, in one fixed order."""
        if not self.pane.atfork:
            return ()
        steps = [step for task in self.scenario.tasks for step in [*task.steps, *(task.child_steps or [])]]
        names = {step.name for step in steps if step.kind == "lock"} - self.scenario.shared_locks
        return tuple(sorted(names))

    def _process_infos(self) -> list[ProcessInfo]:
        infos = [ProcessInfo(OUR_PROCESS, self.pane.model, self.pane.io, True, scope=self.pane.contention_scope)]
        infos += [ProcessInfo(n.name, n.model, "blocking", False, scope="scs" if n.model == "one-to-one" else "pcs")
                  for n in self.scenario.neighbors]
        return infos

    def _make_process(self, index: int) -> OSProcess:
        budget_kib = self.scenario.machine.memory_budget_mib * 1024
        if index == 0:
            pane = self.pane
            config = ProcessConfig(pane.model, pane.io, pane.base_kernel_threads, pane.contention_scope == "scs",
                                   pane.priority, budget_kib, dict(self.scenario.signal_handlers))
            census = self.family
        else:
            neighbor = self.scenario.neighbors[index - 1]
            model = neighbor.model
            crew = {"one-to-one": 0, "many-to-one": 1}.get(model, neighbor.kernel_threads or 4)
            config = ProcessConfig(model, "blocking", crew, model == "one-to-one", neighbor.priority, budget_kib)
            census = Census()
        process = self.world.add_process(self.timeline.processes[index].name, config, census)
        process.live_tickets = sum(b.count for b in self.orders if b.process == index)
        census.live += process.live_tickets
        process.hire_crew()
        return process

    def _describe(self, batch: OrderBatch) -> None:
        self.timeline.describe_batch(batch.name, batch.first_id, batch.work_ms(), process=batch.process)

    def _arrivals(self, batch: OrderBatch):
        process = self.processes[batch.process]
        for instance, at in enumerate(batch.arrivals_ms):
            if at > self.env.now:
                yield self.env.timeout(at - self.env.now)
            children = batch.child_durations[instance] if batch.child_durations is not None else None
            ticket = UserThread(batch.first_id + instance, process, batch.priority, batch.steps,
                                tuple(batch.durations[instance]), batch.masks, batch.child_steps, children)
            process.arrive(ticket)

    def _send_signal(self, signal: str, to: str) -> None:
        """A timed ``[[signals]]`` entry: kill() to our process, or pthread_kill() to one of its tickets."""
        ours = self.processes[0]
        if ours.terminated_by is not None:
            return
        task, number = signal_target(self.scenario, to)
        if task == "process":
            ours.signal_process(signal)
        else:
            ours.signal_ticket(signal, self._live_ticket(task, number))

    def _live_ticket(self, task: str, number: int | None) -> UserThread | None:
        """Ticket ``task #number``, or the task's first live ticket; None if it is not alive."""
        batch = next(b for b in self.orders if b.process == 0 and b.name == task)
        tickets = self.processes[0].tickets
        if number is not None:
            return tickets.get(batch.first_id + number - 1)
        return next((tickets[i] for i in range(batch.first_id, batch.first_id + batch.count) if i in tickets), None)

    @property
    def finished(self) -> bool:
        return self.end_ms is not None

    @property
    def reached_ms(self) -> float:
        """The run's end, or how far it has been simulated so far."""
        return self.end_ms if self.end_ms is not None else self.env.now

    def advance(self, until_ms: float, max_events: int | None = None) -> bool:
        """Simulate up to ``until_ms`` (capped by the scenario's duration); True once the run has ended."""
        limit = min(until_ms, self.scenario.duration_ms)
        env, family, steps = self.env, self.family, 0
        while self.end_ms is None:
            next_time = env.peek()
            if family.live <= 0:
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
        """Nothing is scheduled but tickets remain (a safety net): they can never finish. Report them."""
        world, waits = self.world, []
        for process in self.processes:
            if process.census is self.family:
                for ticket in list(process.tickets.values()):
                    reason = world.describe_wait(ticket)
                    process.strand(ticket, reason)
                    waits.append(f"{world.name(ticket.id)} waits for {reason}")
        world.deadlocked = True
        self.kernel.record(Ev.DEADLOCK, info=DeadlockReport("; ".join(waits)))
        self._end(self.env.now)

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
