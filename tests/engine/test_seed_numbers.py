"""The seed's numbers, exactly: parallelism, the pantry's tipping point, the blocking call."""

from engine.assets import resolve_scenario
from engine.run import ScenarioRun
from engine.scenario import load_scenario
from engine.summary import scenario_summary
from tests.engine.helpers import finish_times, scenario, summarize


def test_parallelism_lesson_uses_8_1_and_4_of_8_stoves():
    """32 x cpu 1000 on 8 cores: one-to-one 1.0, many-to-one 0.125, M:N with 4 kernel threads 0.5."""
    run = ScenarioRun(load_scenario(resolve_scenario("parallelism"))).run_to_end()
    panes = scenario_summary(run)["panes"]
    assert [p["utilization"] for p in panes] == [1.0, 0.125, 0.5]
    assert panes[0]["makespan_ms"] == 4000.0
    assert panes[0]["tasks_completed"] == 32
    assert panes[1]["makespan_ms"] is None  # 32 s of work on one chef cannot end within 5 s


def test_many_to_many_uses_min_of_m_and_cores():
    """M:N with M kernel threads keeps min(M, 8) of 8 stoves busy."""
    for m in (1, 2, 6, 8, 12):
        panes = summarize(scenario([{"name": "chop", "count": 32, "steps": ["cpu 1000"]}],
                                   panes=[{"model": "many-to-many", "kernel_threads": m}],
                                   duration_ms=2000, cores=8))
        assert panes[0]["utilization"] == min(m, 8) / 8


def test_pantry_holds_1280_chefs_then_creation_fails():
    """64 KiB per kernel thread, 80 MiB budget: 1280 created, the other 720 refused; N:1 uses 64 KiB."""
    panes = summarize(scenario([{"name": "conn", "count": 2000, "steps": ["cpu 1000"]}],
                               duration_ms=50, kernel_thread_kib=64, memory_budget_mib=80))
    one, many = panes[0], panes[1]
    assert (one["threads_created"], one["threads_refused"]) == (1280, 720)
    assert one["kernel_memory_peak_kib"] == 1280 * 64 == 80 * 1024
    assert (many["threads_created"], many["threads_refused"], many["kernel_memory_peak_kib"]) == (1, 0, 64)


IO_THEN_CPU = [{"name": "A", "steps": ["io 10", "cpu 2"]}, {"name": "B", "steps": ["cpu 10"]}]
IO_PANES = [{"model": "one-to-one"}, {"model": "many-to-one", "io": "blocking"},
            {"model": "many-to-one", "io": "nonblocking"}, {"model": "many-to-one", "io": "activations"}]


def test_a_blocking_call_freezes_many_to_one_only():
    """One core, no preemption: 1:1 ends at 12 ms, N:1 blocking 22 ms, nonblocking and activations 12 ms."""
    panes = summarize(scenario(IO_THEN_CPU, panes=IO_PANES, cores=1, time_slice_ms=0))
    assert [p["makespan_ms"] for p in panes] == [12.0, 22.0, 12.0, 12.0]


def test_while_a_cooks_at_the_oven_b_cooks_in_one_to_one():
    """In one-to-one B runs 0-10 while A waits at the oven; in blocking many-to-one B starts only at 12."""
    panes = summarize(scenario(IO_THEN_CPU, panes=IO_PANES[:2], cores=1, time_slice_ms=0))
    assert finish_times(panes[0]) == {"A #1": 12.0, "B #1": 10.0}
    assert finish_times(panes[1]) == {"A #1": 12.0, "B #1": 22.0}


def test_activations_hand_the_library_a_fresh_chef_that_costs_memory():
    """The upcall's extra kernel thread exists only while the first one waits: peak 2 x 64 KiB."""
    panes = summarize(scenario(IO_THEN_CPU, panes=IO_PANES[3:], cores=1, time_slice_ms=0))
    assert panes[0]["threads_created"] == 2
    assert panes[0]["kernel_memory_peak_kib"] == 128


def test_many_to_many_stops_only_when_all_m_chefs_block():
    """M:N with 2 kernel threads: two oven trips block both chefs; the third ticket waits for them."""
    tasks = [{"name": "read", "count": 2, "steps": ["io 50"]}, {"name": "cook", "steps": ["cpu 5"]}]
    panes = summarize(scenario(tasks, panes=[{"model": "many-to-many", "kernel_threads": 2}],
                               cores=4, time_slice_ms=0))
    assert finish_times(panes[0])["cook #1"] == 55.0
    panes = summarize(scenario(tasks, panes=[{"model": "many-to-many", "kernel_threads": 3}],
                               cores=4, time_slice_ms=0))
    assert finish_times(panes[0])["cook #1"] == 5.0
