"""Which chefs and tickets a pane draws this frame, chosen with vectorised numpy from a Snapshot.

A kitchen may hold 100 000 tickets and thousands of chefs, but a pane has room
for a few dozen of each. ``plan_frame`` sorts every chef and ticket into the
place it belongs (stove, bench, oven, waiting spot, rail, wait set), keeps the
first ones that fit in each place and counts the rest, so the view can show a
counted stack. It never touches Qt and costs O(n) numpy work per frame.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.timeline import (K_BLOCKED, K_EXITED, K_IDLE, K_READY, U_PARKED, U_READY, U_STUCK, U_WAIT_LOCK,
                             Snapshot)

STACK_SLOTS = 2  # slots a counted stack takes at the end of a chef region
RAIL_STACK_SLOTS = 4  # ... and at the end of the ticket rail


@dataclass(frozen=True)
class Capacities:
    """How many chefs or tickets fit in each place of the pane."""

    bench: int
    oven: int
    waiting: int
    rail: int


@dataclass(frozen=True)
class Shown:
    """The ids drawn in one place (in order) and how many belong there in all."""

    ids: np.ndarray
    total: int

    @property
    def hidden(self) -> int:
        return self.total - len(self.ids)


@dataclass(frozen=True)
class FramePlan:
    """What to draw: chefs per place, tickets per place, and the counts behind them."""

    stove_chefs: np.ndarray  # kthread at each stove, -1 when cold
    bench: Shown  # chefs on the bench (kernel run queue), longest-waiting first
    oven_chefs: Shown  # chefs waiting at the oven (blocked), soonest back first
    oven_tickets: Shown  # tickets in the event loop's wait set (parked), soonest back first
    waiting: Shown  # idle chefs
    rail: Shown  # tickets on the rail (no chef): ready, waiting for a knife or stuck; lowest number first
    rail_lock_waiters: int  # of which wait for a knife (mutex) held by another ticket
    rail_stuck: int  # of which can never finish (deadlock)
    exited: int


def _first(ids: np.ndarray, keys: np.ndarray | None, room: int, reserve: int) -> Shown:
    """The ``room`` ids with the smallest keys (or lowest ids), leaving ``reserve`` slots for a stack."""
    total = len(ids)
    keep = room if total <= room else max(0, room - reserve)
    if keys is not None and total > keep > 0:
        nearest = np.argpartition(keys, keep - 1)[:keep]
        ids, keys = ids[nearest], keys[nearest]
    elif total > keep:
        ids, keys = ids[:keep], None if keys is None else keys[:keep]
    if keys is not None:
        ids = ids[np.argsort(keys, kind="stable")]
    return Shown(ids, total)


def _wake_keys(snapshot: Snapshot, chefs: np.ndarray) -> np.ndarray:
    tickets = snapshot.k_uthread[chefs]
    keys = np.full(len(chefs), np.inf)
    has = tickets >= 0
    keys[has] = np.nan_to_num(snapshot.u_wake_at[tickets[has]], nan=np.inf)
    return keys


def plan_frame(snapshot: Snapshot, room: Capacities) -> FramePlan:
    """Sort every chef and ticket into its place and keep what fits (see module doc)."""
    k_state, u_state = snapshot.k_state, snapshot.u_state
    ready = np.flatnonzero(k_state == K_READY)
    blocked = np.flatnonzero(k_state == K_BLOCKED)
    idle = np.flatnonzero(k_state == K_IDLE)
    parked = np.flatnonzero(u_state == U_PARKED)
    chefless = snapshot.u_kthread < 0
    on_rail = np.flatnonzero(chefless & ((u_state == U_READY) | (u_state == U_WAIT_LOCK) | (u_state == U_STUCK)))
    oven_chefs = _first(blocked, _wake_keys(snapshot, blocked), room.oven, STACK_SLOTS)
    oven_room = 0 if oven_chefs.hidden else room.oven - len(oven_chefs.ids)
    rail_states = u_state[on_rail]
    return FramePlan(
        stove_chefs=np.asarray(snapshot.stove_kthread),
        bench=_first(ready, snapshot.k_since[ready], room.bench, STACK_SLOTS),
        oven_chefs=oven_chefs,
        oven_tickets=_first(parked, snapshot.u_wake_at[parked], oven_room, STACK_SLOTS),
        waiting=_first(idle, None, room.waiting, STACK_SLOTS),
        rail=_first(on_rail, None, room.rail, RAIL_STACK_SLOTS),
        rail_lock_waiters=int(np.count_nonzero(rail_states == U_WAIT_LOCK)),
        rail_stuck=int(np.count_nonzero(rail_states == U_STUCK)),
        exited=int(np.count_nonzero(k_state == K_EXITED)),
    )
