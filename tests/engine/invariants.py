"""Replays a Timeline and checks what must always hold, whatever the scenario."""

from __future__ import annotations

from engine.run import PaneRun
from engine.timeline import Ev, UState

ENDED = {UState.FINISHED, UState.REFUSED, UState.STUCK, UState.KILLED}
ENDING_KINDS = {Ev.FINISH, Ev.REFUSE, Ev.STUCK, Ev.KILLED}


def check_invariants(run: PaneRun) -> None:
    """Every physical, knife, ending and deadlock rule below holds for one pane's run."""
    check_stoves_and_chefs(run)
    check_knives(run)
    check_endings(run)
    check_deadlock_reports(run)
    check_killed_processes_stop(run)


def check_stoves_and_chefs(run: PaneRun) -> None:
    """A stove holds one chef, a chef cooks one ticket, busy time = work done, nobody cooks more than its work."""
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
        elif event.kind in (Ev.ROTATE, Ev.PARK, Ev.LOCK_WAIT, Ev.FINISH, Ev.KILLED) and ticket_of.get(k) == u:
            del ticket_of[k], chef_of[u]
    end = run.end_ms if run.end_ms is not None else run.env.now
    stove_busy += sum(end - t for t in since.values())
    cooked = timeline.cooked_by_process(end).sum()
    assert abs(stove_busy - cooked) < 1e-6 * max(1.0, cooked), f"stoves busy {stove_busy} ms, cooked {cooked}"
    snapshot = timeline.state_at(end)
    assert (snapshot.u_done <= snapshot.u_work + 1e-6).all(), "a ticket cooked more than its work"


def check_knives(run: PaneRun) -> None:
    """A knife is taken only when free and released only by its holder; fork() copies the parent's knives."""
    timeline, head = run.timeline, run.timeline.head
    holders: dict[tuple[int, str], int] = {}
    for event in timeline.events:
        if event.kind in (Ev.LOCK, Ev.UNLOCK):
            owner = -1 if event.info in timeline.shared_locks else int(head.u_process[event.uthread])
            key = (owner, event.info)
            if event.kind == Ev.LOCK:
                assert key not in holders, f"{key} taken by {event.uthread} at {event.t}, held by {holders.get(key)}"
                holders[key] = event.uthread
            else:
                assert holders.pop(key, None) == event.uthread, f"{key} released at {event.t} by a non-holder"
        elif event.kind == Ev.FORK:
            parent = int(head.u_process[event.uthread])
            for (owner, name), holder in list(holders.items()):
                if owner == parent:
                    holders[(event.info.child, name)] = event.info.uthread if holder == event.uthread else holder
        elif event.kind == Ev.EXEC:
            holders = {key: holder for key, holder in holders.items() if key[0] != event.info}


def check_endings(run: PaneRun) -> None:
    """A ticket ends once and is never seen again; when the run ends early, all of ours and our children ended."""
    ended: dict[int, float] = {}
    for event in run.timeline.events:
        u = event.uthread
        if u >= 0 and u in ended and event.kind != Ev.SIGNAL:
            raise AssertionError(f"ticket {u} ended at {ended[u]} but appears in {event}")
        if event.kind in ENDING_KINDS:
            ended[u] = event.t
    if run.end_ms is not None and run.end_ms < run.scenario.duration_ms:
        head = run.timeline.head
        family = {0} | {i for i, info in enumerate(run.timeline.processes) if info.parent >= 0}
        terminated = run.timeline.state_at(run.end_ms).terminated
        for ticket in range(head.n_uthreads):
            owner = run.timeline.u_owner[ticket]
            state = UState(head.u_state[ticket])
            if owner in family and not (owner in terminated and state == UState.PENDING):
                assert state in ENDED, f"run ended with ticket {ticket} neither ended nor stuck"


def check_deadlock_reports(run: PaneRun) -> None:
    """Every stuck ticket is covered by a deadlock report at or before the moment it got stuck."""
    timeline = run.timeline
    reports = [event.t for event in timeline.events_of(Ev.DEADLOCK)]
    for event in timeline.events_of(Ev.STUCK):
        assert reports and reports[0] <= event.t, f"ticket {event.uthread} stuck at {event.t} without a report"
    assert run.stuck == bool(reports)


def check_killed_processes_stop(run: PaneRun) -> None:
    """After a signal terminates a process, none of its chefs is dispatched again and none of its tickets arrives."""
    head, dead = run.timeline.head, set()
    for event in run.timeline.events:
        if event.kind == Ev.SIGNAL and event.info.action == "terminate":
            dead.add(event.info.process)
        elif event.kind == Ev.DISPATCH:
            assert head.k_process[event.kthread] not in dead, f"{event}: its process was terminated"
        elif event.kind == Ev.ARRIVE:
            assert event.info not in dead, f"{event}: its process was terminated"
