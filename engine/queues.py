"""First-in, first-out queues per priority level, highest level served first.

The kernel's bench (run queue of chefs) and the library's ticket rail (run queue
of tickets) are both such a queue; items only need a ``priority`` attribute.
"""

from __future__ import annotations

from collections import deque
from typing import Generic, Iterator, TypeVar

Item = TypeVar("Item")


class PriorityFifo(Generic[Item]):
    """FIFO within a priority level; ``pop`` takes from the highest non-empty level."""

    def __init__(self) -> None:
        self.levels: dict[int, deque[Item]] = {}
        self.size = 0

    def push(self, item: Item) -> None:
        self.levels.setdefault(item.priority, deque()).append(item)
        self.size += 1

    def pop(self) -> Item | None:
        if not self.size:
            return None
        queue = self.levels[self.best_priority()]
        self.size -= 1
        return queue.popleft()

    def best_priority(self) -> int | None:
        if not self.size:
            return None
        if len(self.levels) == 1:
            return next(iter(self.levels))
        return max(level for level, queue in self.levels.items() if queue)

    def remove(self, item: Item) -> bool:
        """Take ``item`` out wherever it waits; False if it was not queued."""
        queue = self.levels.get(item.priority)
        if queue is None or item not in queue:
            return False
        queue.remove(item)
        self.size -= 1
        return True

    def __iter__(self) -> Iterator[Item]:
        for level in sorted(self.levels, reverse=True):
            yield from self.levels[level]


class Bench(PriorityFifo["KernelThread"]):
    """The kernel run queue: chefs waiting for a stove."""


class TicketRail(PriorityFifo["UserThread"]):
    """The user-level run queue: tickets waiting for a chef of their process."""
