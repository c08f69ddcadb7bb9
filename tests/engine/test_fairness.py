"""Fairness: the kitchen manager shares stoves among chefs, not processes; contention scope decides who competes."""

import pytest

from engine.assets import resolve_scenario
from engine.run import ScenarioRun
from engine.scenario import ScenarioError, load_scenario, scenario_from_dict
from engine.summary import scenario_summary
from tests.engine.helpers import summarize

BAKERY = {"name": "bakery", "threads": 16, "steps": ["cpu 100000"]}


def _ours(pane: dict, tickets: int, duration_ms: float) -> dict:
    """Our pane's summary: ``tickets`` CPU-bound tickets against the 16-thread bakery on one stove."""
    return summarize(scenario_from_dict({
        "title": "fairness", "duration_ms": duration_ms, "machine": {"cores": 1, "time_slice_ms": 10},
        "panes": [pane], "tasks": [{"name": "render", "count": tickets, "steps": ["cpu 100000"]}],
        "neighbors": [BAKERY],
    }))[0]


def test_many_to_one_gets_one_seventeenth_against_a_16_thread_neighbour():
    """The seed's number: one chef against 16 on one stove gets 1/17 of the CPU (±1 %), however many tickets."""
    for tickets in (1, 8, 64):
        assert _ours({"model": "many-to-one"}, tickets, 10_000)["cpu_share"]["ours"] == pytest.approx(1 / 17, abs=0.01)


def test_one_to_one_with_32_threads_gets_32_of_48():
    """32 chefs of ours and 16 of the bakery: ours gets 32/48 of the stove (±1 %)."""
    assert _ours({"model": "one-to-one"}, 32, 10_000)["cpu_share"]["ours"] == pytest.approx(32 / 48, abs=0.01)


def test_many_to_many_with_4_chefs_gets_4_of_20():
    """M:N with 4 kernel threads: 4/20 (±1 %), even with 8 or 64 tickets."""
    for tickets in (8, 64):
        pane = {"model": "many-to-many", "kernel_threads": 4}
        assert _ours(pane, tickets, 10_000)["cpu_share"]["ours"] == pytest.approx(4 / 20, abs=0.01)


def test_whole_rounds_give_the_exact_fractions():
    """After whole rounds of 10 ms slices the shares are exact: 1/17, 32/48, 4/20."""
    assert _ours({"model": "many-to-one"}, 8, 1700)["cpu_share"] == {"ours": 0.0588, "bakery": 0.9412}
    assert _ours({"model": "one-to-one"}, 32, 4800)["cpu_share"] == {"ours": 0.6667, "bakery": 0.3333}
    assert _ours({"model": "many-to-many", "kernel_threads": 4}, 8, 2000)["cpu_share"] == {"ours": 0.2,
                                                                                           "bakery": 0.8}


def test_system_contention_scope_binds_each_ticket_to_its_own_chef():
    """M:N with scope = "scs": 8 tickets become 8 chefs competing system-wide (8/24); with "pcs" only 4 (4/20)."""
    scs = _ours({"model": "many-to-many", "scope": "scs"}, 8, 2400)
    pcs = _ours({"model": "many-to-many", "kernel_threads": 4, "scope": "pcs"}, 8, 2000)
    assert (scs["scope"], scs["cpu_share"]["ours"], scs["kernel_threads"]) == ("scs", 0.3333, 8)
    assert (pcs["scope"], pcs["cpu_share"]["ours"], pcs["kernel_threads"]) == ("pcs", 0.2, 4)


def test_scs_tickets_block_alone_like_one_to_one():
    """With scs a ticket at the oven blocks only its own chef: the others cook on (makespan as one-to-one)."""
    tasks = [{"name": "A", "steps": ["io 10", "cpu 2"]}, {"name": "B", "steps": ["cpu 10"]}]
    panes = [{"model": "one-to-one"}, {"model": "many-to-many", "scope": "scs"},
             {"model": "many-to-many", "kernel_threads": 1}]
    result = summarize(scenario_from_dict({"title": "scs", "machine": {"cores": 1, "time_slice_ms": 0},
                                           "panes": panes, "tasks": tasks}))
    assert [p["makespan_ms"] for p in result] == [12.0, 12.0, 22.0]


@pytest.mark.parametrize("pane, expected", [
    ({"model": "one-to-one", "scope": "pcs"}, "one-to-one threads are all kernel threads"),
    ({"model": "many-to-one", "scope": "scs"}, "use many-to-many for \"scs\""),
    ({"model": "many-to-many", "scope": "scs", "kernel_threads": 4}, "remove kernel_threads"),
    ({"model": "many-to-many", "scope": "scs", "io": "nonblocking"}, "use io = \"blocking\""),
])
def test_scope_must_fit_the_model(pane, expected):
    """A scope the model cannot have is a scenario error naming the pane."""
    with pytest.raises(ScenarioError, match=r"panes\[0\]") as error:
        scenario_from_dict({"title": "t", "panes": [pane], "tasks": [{"name": "a", "steps": ["cpu 1"]}]})
    assert expected in str(error.value)


def test_fairness_lesson_shows_every_share():
    """The lesson: N:1 1/17, M:N pcs 4/20, M:N scs 8/24, one-to-one 8/24, exactly, at its 10.2 s end."""
    run = ScenarioRun(load_scenario(resolve_scenario("fairness"))).run_to_end()
    panes = scenario_summary(run)["panes"]
    assert [p["cpu_share"]["ours"] for p in panes] == [0.0588, 0.2, 0.3333, 0.3333]
    assert [p["scope"] for p in panes] == ["pcs", "pcs", "scs", "scs"]
    assert all(p["end_ms"] == 10_200.0 for p in panes)
