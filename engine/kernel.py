"""The kitchen manager (kernel scheduler): stoves, the bench, and the chefs it puts at stoves.

Each stove (CPU core) is a SimPy process that takes the next chef (kernel thread)
from the bench (kernel run queue), lets it cook for at most one time slice and
hands it back to its OS process when the chef blocks, finishes or is preempted.
The manager sees chefs only: which ticket (user thread) a chef cooks is decided
by the chef's process (see ``engine.processes``).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING

import simpy

from engine.queues import Bench
from engine.timeline import Ev, Event, Timeline

if TYPE_CHECKING:
    from engine.processes import OSProcess, UserThread

INFINITE_SLICE = float("inf")


@dataclass(eq=False, slots=True)
class KernelThread:
    """A chef: the only thing the kitchen manager can put at a stove."""

    id: int
    process: OSProcess
    base_priority: int
    priority: int
    user_thread: UserThread | None = None
    stove: Stove | None = None
    alive: bool = True
    blocked: bool = False  # asleep in the kernel: at the oven, or waiting for a knife


@dataclass(eq=False, slots=True)
class Stove:
    """A CPU core, run by its own SimPy process."""

    id: int
    chef: KernelThread | None = None
    last_chef: KernelThread | None = None
    cooking: bool = False
    wakeup: simpy.Event | None = None
    process: simpy.Process | None = None


class Kernel:
    """Round robin (optionally with strict priorities) over every runnable chef of the machine."""

    def __init__(self, env: simpy.Environment, timeline: Timeline, cores: int, time_slice_ms: float,
                 context_switch_ms: float, strict_priorities: bool) -> None:
        self.env = env
        self.timeline = timeline
        self.time_slice = time_slice_ms or INFINITE_SLICE
        self.context_switch = context_switch_ms
        self.strict_priorities = strict_priorities
        self.bench = Bench()
        self.stoves = [Stove(index) for index in range(cores)]
        self.idle_stoves: deque[Stove] = deque()
        self.chefs: list[KernelThread] = []
        self.busy_ms = 0.0
        self.switch_ms = 0.0

    def start(self) -> None:
        for stove in self.stoves:
            stove.process = self.env.process(self._run_stove(stove))

    def record(self, kind: str, stove: int = -1, kthread: int = -1, uthread: int = -1, info=None) -> None:
        self.timeline.record(Event(self.env.now, kind, stove, kthread, uthread, info))

    def hire(self, process: OSProcess, priority: int, uthread: int = -1) -> KernelThread:
        chef = KernelThread(len(self.chefs), process, priority, priority if self.strict_priorities else 0)
        self.chefs.append(chef)
        self.record(Ev.HIRE, kthread=chef.id, uthread=uthread, info=process.index)
        return chef

    def retire(self, chef: KernelThread) -> None:
        chef.alive = False
        self.leave_stove(chef, Ev.EXIT)

    def kill(self, chef: KernelThread) -> None:
        """The chef's process was terminated: take it off the bench or its stove, wherever it is."""
        self.bench.remove(chef)
        stove = chef.stove
        if stove is not None and stove.cooking:
            stove.cooking = False
            stove.process.interrupt("kill")
        self.retire(chef)

    def leave_stove(self, chef: KernelThread, kind: str, info=None) -> None:
        """Record why a chef leaves its stove (block, idle, exit) and free the stove."""
        stove, ticket = chef.stove, chef.user_thread
        self.record(kind, stove.id if stove else -1, chef.id, ticket.id if ticket else -1, info)
        chef.stove = None

    def after(self, delay: float, action) -> None:
        """Call ``action()`` after ``delay`` simulated ms (an oven timer)."""
        self.env.timeout(delay).callbacks.append(lambda _event: action())

    def make_ready(self, chef: KernelThread) -> None:
        """Put a chef on the bench; wake an idle stove or preempt a lower-priority chef."""
        self.bench.push(chef)
        self.record(Ev.BENCH, kthread=chef.id)
        if self.idle_stoves:
            stove = self.idle_stoves.popleft()
            stove.wakeup.succeed()
        elif self.strict_priorities:
            self._preempt_for(chef.priority)

    def set_priority(self, chef: KernelThread, priority: int) -> None:
        """Change a chef's effective priority (priority inheritance), keeping its place valid."""
        if not self.strict_priorities or chef.priority == priority:
            return
        on_bench = self.bench.remove(chef)
        chef.priority = priority
        self.record(Ev.PRIORITY, kthread=chef.id, info=priority)
        if on_bench:
            self.bench.push(chef)
            self._preempt_for(priority)

    def _preempt_for(self, priority: int) -> None:
        victims = [s for s in self.stoves if s.cooking and s.chef.priority < priority]
        if victims:
            victim = min(victims, key=lambda s: (s.chef.priority, s.id))
            victim.cooking = False
            victim.process.interrupt("preempt")

    def _run_stove(self, stove: Stove):
        while True:
            chef = self.bench.pop()
            if chef is None:
                stove.wakeup = self.env.event()
                self.idle_stoves.append(stove)
                yield stove.wakeup
                continue
            if self.context_switch and stove.last_chef not in (None, chef):
                self.switch_ms += self.context_switch
                yield self.env.timeout(self.context_switch)
            if chef.alive:
                yield from self._cook(stove, chef)

    def _cook(self, stove: Stove, chef: KernelThread):
        """Let one chef cook at a stove until it blocks, idles, exits or is preempted."""
        stove.chef, stove.last_chef, chef.stove = chef, chef, stove
        self.record(Ev.DISPATCH, stove.id, chef.id)
        slice_left = self.time_slice
        while slice_left is not None:
            ticket = chef.process.ticket_for(chef)
            if ticket is None:
                break
            cooked, interrupted = yield from self._burst(stove, min(slice_left, ticket.left))
            ticket.left -= cooked
            slice_left = self._after_burst(stove, chef, ticket, 0.0 if interrupted else slice_left - cooked)
        stove.chef = None
        chef.stove = None

    def _burst(self, stove: Stove, planned: float):
        """Cook for ``planned`` ms unless a higher-priority chef interrupts; gives (ms cooked, interrupted)."""
        started = self.env.now
        stove.cooking = True
        try:
            yield self.env.timeout(planned)
            cooked, interrupted = planned, False
        except simpy.Interrupt:
            cooked, interrupted = self.env.now - started, True
        stove.cooking = False
        self.busy_ms += cooked
        return cooked, interrupted

    def _after_burst(self, stove: Stove, chef: KernelThread, ticket, slice_left: float) -> float | None:
        """What the chef does next: the time slice it keeps cooking with, or None once it left the stove."""
        if chef.stove is not None and ticket.left <= 1e-9:
            chef.process.cpu_done(chef, ticket)
        if chef.stove is None:
            return None
        if slice_left <= 1e-9:
            chef.process.slice_over(chef)
            if self._someone_waits_for(chef):
                self.preempt(stove, chef)
                return None
            return self.time_slice
        if self.strict_priorities and self._someone_waits_for(chef, strictly=True):
            self.preempt(stove, chef)
            return None
        return slice_left

    def _someone_waits_for(self, chef: KernelThread, strictly: bool = False) -> bool:
        best = self.bench.best_priority()
        if best is None:
            return False
        return best > chef.priority if strictly else best >= chef.priority

    def preempt(self, stove: Stove, chef: KernelThread) -> None:
        self.record(Ev.PREEMPT, stove.id, chef.id)
        self.bench.push(chef)
