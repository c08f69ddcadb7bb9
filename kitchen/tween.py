"""A pool of reusable scene items that glide toward their targets (chefs, tickets).

Each pool owns a fixed set of items created once. Every frame the pane view
says which entities (kernel thread or user thread ids) should be drawn and
where; the pool keeps each entity on the same item from frame to frame, hands
free items to newcomers (starting from a spawn point), sends leavers to an exit
and hides them there, and moves every item a step toward its target with
exponential smoothing, so nothing teleports. Positions live in numpy arrays; Qt
is only called for items that actually move or appear. Items are put on whole
device pixels (``snap``), so their cached pixmaps are reused as they glide.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

TWEEN_MS = 200.0  # an item covers ~95 % of the way to its target in this time
_TAU_S = TWEEN_MS / 1000 / 3
_SETTLED = 0.25  # scene units: closer than this counts as arrived
_LEAVE_S = 0.45  # a leaving item is hidden after this long even if not at the exit
MAX_LEAVING = 6  # walking to the exit at once; more leavers just vanish (a busy kitchen stays legible)


class Pool:
    """Fixed items, each showing one entity at a time, with tweened positions."""

    def __init__(self, items: Sequence) -> None:
        self.items = list(items)
        size = len(self.items)
        self.pos = np.zeros((size, 2))
        self.target = np.zeros((size, 2))
        self.shown = np.full((size, 2), np.nan)  # where Qt last put each item (NaN: not yet on a whole pixel)
        self.key = np.full(size, -1, dtype=np.int64)
        self.slot_of: dict[int, int] = {}
        self.free = list(range(size - 1, -1, -1))
        self.leaving: dict[int, float] = {}
        self._vacated: set[int] = set()  # freed this frame but still shown: reused without a hide/show flicker
        self._fresh: list[int] = []  # taken since the last ``advance``
        self._settled = False  # every item is at its target: ``advance`` has nothing to do
        self.moved = 0
        self.snap: Callable[[np.ndarray], np.ndarray] = lambda xy: xy  # scene positions -> on whole device pixels
        for item in self.items:
            item.show_if(False)

    def release_except(self, wanted: set[int], exit_xy: Callable[[int], tuple[float, float] | None]) -> None:
        """Let go of entities not in ``wanted``: walk to ``exit_xy(key)`` then vanish, or vanish now (None).

        At most ``MAX_LEAVING`` walk at once; the others vanish at once.
        """
        for key in [key for key in self.slot_of if key not in wanted]:
            slot = self.slot_of.pop(key)
            exit_to = exit_xy(key) if len(self.leaving) < MAX_LEAVING else None
            if exit_to is None:
                self._free(slot)
                self._vacated.add(slot)
            else:
                self.target[slot] = exit_to
                self.leaving[slot] = _LEAVE_S

    def place(self, keys: np.ndarray, xy: np.ndarray, spawn_xy: Callable[[int], tuple[float, float]]) -> list[int]:
        """Give each key a slot (reusing its previous one) with target ``xy``; return the slots in order."""
        slots = []
        for key, target in zip(keys.tolist(), xy):
            slot = self.slot_of.get(key)
            if slot is None:
                slot = self._take(key, spawn_xy(key))
            slots.append(slot)
            self.target[slot] = target
        self._settled = False
        for slot in self._vacated:
            self.items[slot].show_if(False)
        self._vacated.clear()
        return slots

    def _take(self, key: int, spawn: tuple[float, float]) -> int:
        slot = self.free.pop() if self.free else self._steal_leaver()
        self.slot_of[key] = slot
        self.key[slot] = key
        self.pos[slot] = spawn
        item = self.items[slot]
        item.setPos(*spawn)  # put on a whole pixel by the next ``advance``
        self.shown[slot] = np.nan
        self._fresh.append(slot)
        item.show_if(True)
        self._vacated.discard(slot)
        return slot

    def _steal_leaver(self) -> int:
        slot = min(self.leaving, key=self.leaving.get)
        del self.leaving[slot]
        return slot

    def _free(self, slot: int) -> None:
        self.key[slot] = -1
        self.free.append(slot)

    def _hide(self, slot: int) -> None:
        self.items[slot].show_if(False)
        self._free(slot)

    def position_of(self, key: int) -> tuple[float, float] | None:
        slot = self.slot_of.get(key)
        return None if slot is None else (float(self.pos[slot, 0]), float(self.pos[slot, 1]))

    def advance(self, dt_s: float) -> None:
        """Move every item a step toward its target; hide leavers that arrived or ran out of time."""
        if self._settled and not self.leaving:
            self.moved = 0
            return
        delta = self.target - self.pos
        moving = np.flatnonzero(np.abs(delta).max(axis=1) > _SETTLED)
        step = 1.0 - np.exp(-max(dt_s, 0.0) / _TAU_S)
        close = np.abs(delta[moving]).max(axis=1) * (1.0 - step) <= _SETTLED
        self.pos[moving] += delta[moving] * np.where(close, 1.0, step)[:, None]
        self._show_positions(np.union1d(moving, self._fresh) if self._fresh else moving)
        self.moved = len(moving)
        self._settled = not self.moved
        self._retire_leavers(dt_s, set(moving[~close].tolist()))

    def set_snap(self, snap: Callable[[np.ndarray], np.ndarray]) -> None:
        """How to put scene positions on whole device pixels (after a zoom); every item is put again."""
        self.snap = snap
        self._settled = False
        self.shown[:] = np.nan
        self._fresh = list(self.slot_of.values()) + list(self.leaving)

    def _show_positions(self, slots: np.ndarray) -> None:
        """Put these items where they are now, on whole pixels; Qt hears only of those that changed pixel."""
        self._fresh.clear()
        snapped = self.snap(self.pos[slots])
        changed = np.any(snapped != self.shown[slots], axis=1)
        self.shown[slots] = snapped
        for slot, (x, y) in zip(slots[changed].tolist(), snapped[changed].tolist()):
            self.items[slot].setPos(x, y)

    def _retire_leavers(self, dt_s: float, still_moving: set[int]) -> None:
        for slot in list(self.leaving):
            self.leaving[slot] -= dt_s
            if slot not in still_moving or self.leaving[slot] <= 0:
                del self.leaving[slot]
                self._hide(slot)

    @property
    def drawn(self) -> int:
        """Items visible now (placed or leaving)."""
        return len(self.slot_of) + len(self.leaving)
