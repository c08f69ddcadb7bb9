"""Replays a Timeline and checks what must always hold, whatever the scenario."""

from __future__ import annotations

from engine.run import PaneRun
from engine.timeline import Ev, UState

ENDED = {UState.FINISHED, UState.REFUSED, UState.STUCK}


def check_invariants(run: PaneRun) -> None:
    """A stove holds one chef, a chef cooks one ticket, busy time = work done, every ticket ends."""
    timeline = run.timeline
    stove_of, on_stove, ticket_of, chef_of = {}, {}, {}, {}
    stove_busy, since = 0.0, {}
    for event in timeline.events:
        k, u = event.kthread, event.uthread
        if event.kind == Ev.DISPATCH:
            assert event.stove not in on_stove, f"stove {event.stove} got a second chef at {event.t}"
            assert k not in stove_of, f"chef {k} at two stoves at {event.t}"
            on_stove[event.stove], stove_of[k], since[k] = k, event.stove, event.t
        elif event.kind in (Ev.PREEMPT, Ev.BLOCK, Ev.IDLE, Ev.EXIT) and k in stove_of:
            del on_stove[stove_of.pop(k)]
            stove_busy += event.t - since.pop(k)
        if event.kind == Ev.RUN:
            assert k not in ticket_of, f"chef {k} cooks two tickets at {event.t}"
            assert u not in chef_of, f"ticket {u} on two chefs at {event.t}"
            ticket_of[k], chef_of[u] = u, k
        elif event.kind == Ev.HIRE and u >= 0:
            ticket_of[k], chef_of[u] = u, k
        elif event.kind in (Ev.ROTATE, Ev.PARK, Ev.LOCK_WAIT, Ev.FINISH) and ticket_of.get(k) == u:
            del ticket_of[k], chef_of[u]
    end = run.end_ms if run.end_ms is not None else run.env.now
    stove_busy += sum(end - t for t in since.values())
    cooked = timeline.cooked_by_process(end).sum()
    assert abs(stove_busy - cooked) < 1e-6 * max(1.0, cooked), f"stoves busy {stove_busy} ms, cooked {cooked}"
    head = timeline.head
    done = head.u_done[: head.n_uthreads]
    assert (done <= timeline.u_work[: head.n_uthreads] + 1e-6).all(), "a ticket cooked more than its work"
    if run.end_ms is not None and run.end_ms < run.scenario.duration_ms:
        ours = head.u_process[: head.n_uthreads] == 0
        states = head.u_state[: head.n_uthreads][ours]
        assert all(UState(s) in ENDED for s in states), "run ended with tickets neither finished nor stuck"
