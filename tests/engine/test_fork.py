"""fork(): the cloned kitchen has one chef and a copy of every knife, so a knife held by another thread is lost."""

import pytest

from engine.assets import resolve_scenario
from engine.run import ScenarioRun
from engine.scenario import ScenarioError, load_scenario, scenario_from_dict
from engine.summary import scenario_summary
from engine.timeline import Ev, ForkInfo, KState, UState

SLICER = {"name": "T1", "steps": ["lock knife", "cpu 100", "unlock knife"]}
SPAWNER = {"name": "T2", "start_ms": 5, "steps": ["cpu 5", "fork", "cpu 5"],
           "child_steps": ["lock knife", "cpu 2", "unlock knife"]}
PANES = [{"model": "one-to-one"}, {"model": "many-to-one"}, {"model": "many-to-many", "kernel_threads": 2}]


def _run(tasks=(SLICER, SPAWNER), panes=PANES, **extra) -> ScenarioRun:
    return ScenarioRun(scenario_from_dict({"title": "fork", "machine": {"cores": 3, "time_slice_ms": 10},
                                           "panes": panes, "tasks": list(tasks), **extra})).run_to_end()


def _panes(tasks=(SLICER, SPAWNER), panes=PANES, **extra) -> list[dict]:
    return scenario_summary(_run(tasks, panes, **extra))["panes"]


def test_the_child_deadlocks_on_a_knife_held_by_a_thread_it_does_not_have():
    """T2 forks while T1 holds the knife (10 ms; 15 ms on many-to-one's one chef): the child never gets it."""
    for pane, forked_at in zip(_panes(), (10.0, 15.0, 10.0), strict=True):
        assert pane["deadlocked"] is True
        assert pane["deadlock"] == ("T2 #1 (child) waits for lock 'knife' held by T1 #1, "
                                    "who does not exist in ours (child)")
        assert pane["deadlocks"][0]["waits"] == [{"ticket": "T2 #1 (child)", "lock": "knife", "holder": "T1 #1",
                                                  "holder_exists": False}]
        assert pane["children"] == [{"process": "ours (child)", "forked_at_ms": forked_at, "forked_by": "T2 #1",
                                     "ticket": "T2 #1 (child)", "state": "stuck", "finish_ms": None}]


def test_the_parent_finishes_and_the_run_ends_without_waiting_forever():
    """The parent's makespan is T1's 100 ms; the run ends there, although a neighbour would cook for 100 s."""
    bakery = {"name": "bakery", "threads": 4, "steps": ["cpu 100000"]}
    for pane in _panes(neighbors=[bakery]):
        assert (pane["makespan_ms"], pane["tasks_completed"]) == (pane["end_ms"], 2)
        assert pane["end_ms"] < 200


def test_the_deadlock_is_found_the_moment_the_child_waits():
    """One-to-one: the child's chef takes a stove at 10 ms and is reported stuck at once (Ev.STUCK, Ev.DEADLOCK)."""
    timeline = _run(panes=PANES[:1]).panes[0].timeline
    (stuck,) = timeline.events_of(Ev.STUCK)
    (deadlock,) = timeline.events_of(Ev.DEADLOCK)
    assert (stuck.t, stuck.uthread, deadlock.t, deadlock.info.process) == (10.0, 2, 10.0, 1)
    assert timeline.state_at(50.0).u_state[2] == UState.STUCK


def test_the_child_has_exactly_one_thread_and_a_copy_of_the_knives():
    """Right after fork: the child process has one chef and one ticket; its knife is held by the parent's T1."""
    for pane in _run().panes:
        timeline = pane.timeline
        (fork,) = timeline.events_of(Ev.FORK)
        assert fork.info == ForkInfo(child=1, uthread=2)
        assert timeline.processes[1].name == "ours (child)" and timeline.processes[1].parent == 0
        snap = timeline.state_at(fork.t)
        assert len(snap.kthreads_of(1)) == 1 and list(snap.u_process).count(1) == 1
        assert snap.process_locks[(1, "knife")] == snap.process_locks[(0, "knife")] == 0
        assert snap.locks == {"knife": 0}


def test_the_child_keeps_the_knives_its_own_thread_held():
    """If T2 holds 'pan' when it forks, the child's thread holds the copy and may unlock it."""
    spawner = {**SPAWNER, "steps": ["lock pan", "fork", "unlock pan"], "child_steps": ["unlock pan", "cpu 1"]}
    for pane in _panes(tasks=[spawner]):
        assert (pane["deadlocked"], pane["children"][0]["state"]) == (False, "finished")


def test_atfork_handler_takes_every_knife_first():
    """atfork = true: T2 waits for the knife until T1 unlocks it (100 ms; 105 on one chef), forks, both release."""
    panes = _panes(panes=[{**pane, "atfork": True} for pane in PANES])
    assert [p["deadlocked"] for p in panes] == [False, False, False]
    assert [p["children"][0]["forked_at_ms"] for p in panes] == [100.0, 105.0, 100.0]
    assert [p["children"][0]["finish_ms"] for p in panes] == [102.0, 107.0, 102.0]


def test_fork_then_exec_throws_the_copied_knives_away():
    """A child that execs first gets a fresh program: its own free knife, no deadlock."""
    spawner = {**SPAWNER, "child_steps": ["exec", "lock knife", "cpu 2", "unlock knife"]}
    panes = _panes(tasks=[SLICER, spawner])
    assert [(p["deadlocked"], p["children"][0]["finish_ms"]) for p in panes] == [(False, 12.0), (False, 17.0),
                                                                                 (False, 12.0)]
    timeline = _run(tasks=[SLICER, spawner], panes=PANES[:1]).panes[0].timeline
    assert [e.info for e in timeline.events_of(Ev.EXEC)] == [1]


def test_the_child_counts_in_cpu_share_not_in_our_tasks():
    """The child's CPU time is its own process's share; our tasks and makespan are the parent's only."""
    spawner = {**SPAWNER, "child_steps": ["cpu 30"]}
    pane = _panes(tasks=[SLICER, spawner], panes=PANES[:1])[0]
    assert pane["cpu_share"] == {"ours": 0.7857, "ours (child)": 0.2143}  # 110 and 30 ms of 140
    assert (pane["makespan_ms"], pane["tasks_completed"], len(pane["tasks"])) == (100.0, 2, 2)
    assert pane["end_ms"] == 100.0


def test_the_child_chef_is_a_kernel_thread_of_the_child():
    """Many-to-one: the child's own chef (64 KiB in its own pantry) is left idle, its ticket stuck in the library."""
    timeline = _run(panes=PANES[1:2]).panes[0].timeline
    snap = timeline.state_at(timeline.events_of(Ev.FORK)[0].t)
    (child_chef,) = snap.kthreads_of(1)
    assert snap.k_process[child_chef] == 1 and snap.process_memory_kib[1] == 64
    assert (snap.k_state[child_chef], snap.u_state[2]) == (KState.IDLE, UState.STUCK)


def test_fork_lesson_deadlocks_twice_and_fixes_it_with_atfork():
    """The lesson: plain fork() deadlocks in one-to-one and many-to-one; with atfork the child ends at 45 ms."""
    run = ScenarioRun(load_scenario(resolve_scenario("fork"))).run_to_end()
    panes = scenario_summary(run)["panes"]
    assert [p["deadlocked"] for p in panes] == [True, True, False]
    assert [p["children"][0]["state"] for p in panes] == ["stuck", "stuck", "finished"]
    assert panes[2]["children"][0]["finish_ms"] == 45.0


@pytest.mark.parametrize("task, expected", [
    ({"name": "a", "steps": ["fork"]}, "child_steps: the task forks"),
    ({"name": "a", "steps": ["cpu 1"], "child_steps": ["cpu 1"]}, "child_steps: the task has no 'fork' step"),
    ({"name": "a", "steps": ["exec"]}, "'exec' belongs in child_steps"),
    ({"name": "a", "steps": ["fork"], "child_steps": ["fork"]}, "a child cannot fork again"),
    ({"name": "a", "steps": ["lock pan", "fork", "unlock pan"], "child_steps": ["cpu 1"]},
     "child_steps: the task ends while holding 'pan'"),
    ({"name": "a", "count": 65, "steps": ["fork"], "child_steps": ["cpu 1"]}, "at most 64"),
])
def test_bad_forks_are_scenario_errors(task, expected):
    """A fork without child steps, exec outside a child, a forking child, an unreleased inherited knife: errors."""
    with pytest.raises(ScenarioError) as error:
        scenario_from_dict({"title": "t", "panes": PANES, "tasks": [task]})
    assert expected in str(error.value)


def test_neighbours_cannot_fork():
    """Only our process forks: a neighbour's 'fork' step is a scenario error naming it."""
    with pytest.raises(ScenarioError, match=r"neighbors\[0\].*cannot 'fork'"):
        scenario_from_dict({"title": "t", "panes": PANES, "tasks": [SLICER],
                            "neighbors": [{"name": "bakery", "steps": ["fork"]}]})
