"""Knives and priorities: strict priorities, priority inversion, priority inheritance, and the many-to-one leak."""

import pytest

from engine.assets import resolve_scenario
from engine.run import ScenarioRun
from engine.scenario import ScenarioError, load_scenario, scenario_from_dict
from engine.summary import scenario_summary
from engine.timeline import Ev, KState, UState
from tests.engine.helpers import finish_times, scenario, summarize

CLASSIC = [{"name": "L", "priority": 1, "steps": ["lock knife", "cpu 4", "unlock knife"]},
           {"name": "H", "priority": 3, "start_ms": 1, "steps": ["lock knife", "cpu 1", "unlock knife"]},
           {"name": "M", "priority": 2, "start_ms": 2, "steps": ["cpu 10"]}]


def _classic(**machine) -> dict:
    return summarize(scenario(CLASSIC, panes=[{"model": "one-to-one"}], cores=1, scheduler="priority",
                              **machine))[0]


def test_classic_inversion_h_finishes_at_15_ms():
    """Without inheritance M runs 2-12, L 12-14, H 14-15: H, the most urgent, finishes last but one."""
    assert finish_times(_classic()) == {"L #1": 14.0, "H #1": 15.0, "M #1": 12.0}


def test_priority_inheritance_lets_h_finish_at_5_ms():
    """With inheritance L cooks at H's priority 1-4, H 4-5, M 5-15."""
    assert finish_times(_classic(priority_inheritance=True)) == {"L #1": 4.0, "H #1": 5.0, "M #1": 15.0}


def test_the_holder_borrows_the_waiters_priority_and_gives_it_back():
    """L's chef is raised to 3 when H starts waiting (t = 1) and drops back to 1 when it unlocks (t = 4)."""
    scn = scenario(CLASSIC, panes=[{"model": "one-to-one"}], cores=1, scheduler="priority", priority_inheritance=True)
    timeline = ScenarioRun(scn).run_to_end().panes[0].timeline
    changes = [(e.t, e.kthread, e.info) for e in timeline.events if e.kind == Ev.PRIORITY]
    assert changes == [(1.0, 0, 3), (4.0, 0, 1)]
    assert timeline.state_at(2.0).k_priority[0] == 3


def test_inheritance_switch_per_pane_and_per_lock():
    """A pane's priority_inheritance overrides the machine's; a [[locks]] entry overrides the pane's."""
    panes = [{"model": "one-to-one"}, {"model": "one-to-one", "priority_inheritance": True}]
    result = summarize(scenario(CLASSIC, panes=panes, cores=1, scheduler="priority"))
    assert [finish_times(p)["H #1"] for p in result] == [15.0, 5.0]
    scn = scenario_from_dict({"title": "t", "machine": {"cores": 1, "scheduler": "priority"}, "panes": panes,
                              "tasks": CLASSIC, "locks": [{"name": "knife", "priority_inheritance": False}]})
    assert [finish_times(p)["H #1"] for p in summarize(scn)] == [15.0, 15.0]


SEED_VERSION = {
    "title": "the seed's priority inversion", "machine": {"cores": 1, "scheduler": "priority"},
    "locks": [{"name": "journal", "shared": True}],
    "tasks": [{"name": "H", "priority": 9, "start_ms": 1, "steps": ["lock journal", "cpu 1", "unlock journal"]}],
    "neighbors": [{"name": "logger", "priority": 1, "steps": ["lock journal", "cpu 4", "unlock journal"]},
                  {"name": "encoder", "priority": 5, "start_ms": 2, "steps": ["cpu 10"]}],
}


def _seed_version(*panes: dict) -> list[dict]:
    return summarize(scenario_from_dict({**SEED_VERSION, "panes": list(panes)}))


def test_many_to_one_user_priority_is_invisible_so_inheritance_cannot_help():
    """H (user priority 9) on a priority-2 chef: the logger is raised only to 2, the encoder (5) still wins: 15 ms."""
    many_to_one = {"model": "many-to-one", "priority": 2}
    with_pi, without = _seed_version({**many_to_one, "priority_inheritance": True}, many_to_one)
    assert finish_times(with_pi)["H #1"] == finish_times(without)["H #1"] == 15.0


def test_one_to_one_h_chef_carries_priority_9_so_inheritance_works():
    """The same scenario in one-to-one: 15 ms without inheritance, 5 ms with it (the logger cooks at 9)."""
    without, with_pi = _seed_version({"model": "one-to-one"}, {"model": "one-to-one", "priority_inheritance": True})
    assert (finish_times(without)["H #1"], finish_times(with_pi)["H #1"]) == (15.0, 5.0)


def test_waiting_for_a_shared_knife_puts_the_only_chef_to_sleep():
    """At 3 ms in many-to-one: our chef sleeps on 'journal', the logger's chef waits boosted to 2, the encoder cooks."""
    scn = scenario_from_dict({**SEED_VERSION, "panes": [{"model": "many-to-one", "priority": 2,
                                                          "priority_inheritance": True}]})
    timeline = ScenarioRun(scn).run_to_end().panes[0].timeline
    snap = timeline.state_at(3.0)
    ours, logger, encoder = 0, 1, 2
    assert snap.k_state[ours] == KState.BLOCKED and snap.u_state[0] == UState.WAIT_LOCK
    assert (snap.k_state[logger], snap.k_priority[logger]) == (KState.READY, 2)
    assert snap.stove_kthread[0] == encoder
    assert snap.locks == {"journal": 1} and snap.process_locks == {(-1, "journal"): 1}


def test_the_user_level_rail_serves_higher_user_priority_first():
    """In many-to-one the clipboard picks tickets by user priority: 'urgent' cooks before 'chores'."""
    tasks = [{"name": "chores", "count": 2, "steps": ["cpu 5"]}, {"name": "urgent", "priority": 5, "steps": ["cpu 5"]}]
    result = summarize(scenario(tasks, panes=[{"model": "many-to-one"}], cores=1, time_slice_ms=0))
    assert finish_times(result[0]) == {"chores #1": 10.0, "chores #2": 15.0, "urgent #1": 5.0}


def test_priority_inversion_lesson_shows_15_5_and_15():
    """The lesson: one-to-one H at 15 ms, with inheritance 5 ms, many-to-one with inheritance 15 ms."""
    run = ScenarioRun(load_scenario(resolve_scenario("priority-inversion"))).run_to_end()
    panes = scenario_summary(run)["panes"]
    assert [finish_times(p)["H #1"] for p in panes] == [15.0, 5.0, 15.0]
    assert [p["priority_inheritance"] for p in panes] == [False, True, True]


@pytest.mark.parametrize("steps, expected", [
    (["unlock knife"], "does not hold 'knife'"),
    (["lock knife", "cpu 1"], "ends while holding 'knife'"),
    (["lock knife", "lock knife"], "already holding 'knife'"),
])
def test_unbalanced_knives_are_scenario_errors(steps, expected):
    """Unlocking a knife not held, ending with one, or taking one twice: an error naming the step, never a crash."""
    with pytest.raises(ScenarioError, match=r"tasks\[0\]") as error:
        scenario([{"name": "a", "steps": steps}])
    assert expected in str(error.value)
