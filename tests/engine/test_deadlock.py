"""Deadlock detection: found the moment a ticket starts waiting, named as a cycle, even while neighbours cook."""

from engine.locks import DeadlockReport, Wait
from engine.run import ScenarioRun
from engine.scenario import scenario_from_dict
from engine.summary import scenario_summary
from engine.timeline import Ev, KState, UState

ABBA = [{"name": "A", "steps": ["lock fork", "cpu 5", "lock knife", "cpu 1", "unlock knife", "unlock fork"]},
        {"name": "B", "steps": ["lock knife", "cpu 5", "lock fork", "cpu 1", "unlock fork", "unlock knife"]}]
BAKERY = {"name": "bakery", "threads": 2, "steps": ["cpu 100000"]}


def _run(tasks, panes, cores=2, **extra) -> ScenarioRun:
    return ScenarioRun(scenario_from_dict({"title": "deadlock", "duration_ms": 100_000,
                                           "machine": {"cores": cores, "time_slice_ms": 10},
                                           "panes": panes, "tasks": tasks, **extra})).run_to_end()


def test_a_cycle_is_reported_when_it_closes_even_with_a_busy_neighbour():
    """A holds fork, B holds knife, each wants the other's at 5 ms: deadlock at 5 ms, run over at 5 ms."""
    run = _run(ABBA, [{"model": "one-to-one"}], neighbors=[BAKERY])
    pane = scenario_summary(run)["panes"][0]
    assert (pane["deadlocked"], pane["end_ms"], pane["makespan_ms"]) == (True, 5.0, None)
    assert pane["deadlock"] == "B #1 waits for lock 'fork' held by A #1; A #1 waits for lock 'knife' held by B #1"
    assert [(t["name"], t["state"]) for t in pane["tasks"]] == [("A #1", "stuck"), ("B #1", "stuck")]
    assert pane["deadlocks"] == [{"at_ms": 5.0, "process": "ours", "description": pane["deadlock"], "waits": [
        {"ticket": "B #1", "lock": "fork", "holder": "A #1", "holder_exists": True},
        {"ticket": "A #1", "lock": "knife", "holder": "B #1", "holder_exists": True}]}]


def test_the_timeline_marks_the_stuck_tickets_and_the_cycle():
    """Ev.STUCK for both tickets (what each waits for), Ev.DEADLOCK whose info is a str carrying the waits."""
    timeline = _run(ABBA, [{"model": "one-to-one"}], neighbors=[BAKERY]).panes[0].timeline
    assert [(e.t, e.uthread, e.info) for e in timeline.events_of(Ev.STUCK)] == [
        (5.0, 1, "lock 'fork' held by A #1"), (5.0, 0, "lock 'knife' held by B #1")]
    (event,) = timeline.events_of(Ev.DEADLOCK)
    assert isinstance(event.info, DeadlockReport) and isinstance(event.info, str)
    assert event.info.waits == (Wait(1, "fork", 0, True), Wait(0, "knife", 1, True))
    snap = timeline.state_at(5.0)
    assert list(snap.u_state[:2]) == [UState.STUCK, UState.STUCK]
    assert list(snap.k_state[:2]) == [KState.BLOCKED, KState.BLOCKED]  # their chefs sleep in the kernel


def test_many_to_many_deadlocks_in_the_library_and_its_chefs_go_idle():
    """M:N: both tickets wait in the thread library; the two chefs stay free (idle), the run still ends at 5 ms."""
    run = _run(ABBA, [{"model": "many-to-many", "kernel_threads": 2}], neighbors=[BAKERY])
    pane, timeline = scenario_summary(run)["panes"][0], run.panes[0].timeline
    assert (pane["deadlocked"], pane["end_ms"]) == (True, 5.0)
    assert list(timeline.state_at(5.0).k_state[:2]) == [KState.IDLE, KState.IDLE]


def test_a_latecomer_joining_a_deadlock_is_stuck_without_a_second_report():
    """C wants the knife at 15 ms, held by B who is stuck: C is stuck too, under the one report."""
    late = {"name": "C", "start_ms": 15, "steps": ["lock knife", "cpu 1", "unlock knife"]}
    keep_busy = {"name": "D", "steps": ["cpu 30"]}
    run = _run([*ABBA, late, keep_busy], [{"model": "one-to-one"}], cores=3)
    timeline, pane = run.panes[0].timeline, scenario_summary(run)["panes"][0]
    assert len(timeline.events_of(Ev.DEADLOCK)) == 1
    assert [(e.t, e.uthread) for e in timeline.events_of(Ev.STUCK)] == [(5.0, 1), (5.0, 0), (15.0, 2)]
    assert (pane["end_ms"], pane["tasks_completed"]) == (30.0, 1)


def test_many_to_one_chef_asleep_on_a_shared_knife_its_own_ticket_holds():
    """N:1: A takes the shared journal, its slice ends; B sleeps on it in the kernel, so no chef is left for A."""
    tasks = [{"name": "A", "steps": ["lock journal", "cpu 20", "unlock journal"]},
             {"name": "B", "steps": ["lock journal", "cpu 1", "unlock journal"]}]
    run = _run(tasks, [{"model": "many-to-one"}], locks=[{"name": "journal", "shared": True}], neighbors=[BAKERY])
    pane = scenario_summary(run)["panes"][0]
    assert (pane["deadlocked"], pane["end_ms"]) == (True, 10.0)
    assert pane["deadlock"] == ("B #1 waits for lock 'journal' held by A #1; "
                                "A #1 waits for a chef of ours (every chef is stuck)")


def test_a_killed_holder_strands_the_waiters_of_a_shared_knife():
    """The bakery takes the shared journal and crashes (SIGSEGV): our ticket waiting for it is stuck."""
    bakery = {"name": "bakery", "steps": ["lock journal", "cpu 5", "fault SIGSEGV", "unlock journal"]}
    tasks = [{"name": "A", "start_ms": 1, "steps": ["lock journal", "cpu 1", "unlock journal"]}]
    run = _run(tasks, [{"model": "one-to-one"}], locks=[{"name": "journal", "shared": True}], neighbors=[bakery])
    pane = scenario_summary(run)["panes"][0]
    assert (pane["deadlocked"], pane["end_ms"]) == (True, 5.0)
    assert pane["deadlock"] == "A #1 waits for lock 'journal' held by bakery #1, who was killed"
    assert [s["action"] for s in pane["signals"]] == ["terminate"]
    assert pane["terminated"] is None  # the bakery was terminated, not us


def test_a_kitchen_whose_pantry_cannot_hold_one_chef_reports_it():
    """M:N whose crew cannot be hired at all: the tickets are stuck waiting for a chef, reported at once."""
    run = ScenarioRun(scenario_from_dict({
        "title": "t", "machine": {"kernel_thread_kib": 2048, "memory_budget_mib": 1},
        "panes": [{"model": "many-to-many", "kernel_threads": 2}],
        "tasks": [{"name": "a", "count": 2, "steps": ["cpu 5"]}], "neighbors": [BAKERY]})).run_to_end()
    pane = scenario_summary(run)["panes"][0]
    assert (pane["deadlocked"], pane["end_ms"], pane["threads_created"]) == (True, 0.0, 0)
    assert pane["deadlock"] == "a #1 waits for a chef of ours (none could be hired)"
