"""The kitchen manager: round robin with a time slice, FIFO bench, woken chefs join the tail."""

from engine.run import ScenarioRun
from engine.timeline import Ev
from tests.engine.helpers import finish_times, scenario, summarize


def _dispatch_order(scn, limit=6):
    timeline = ScenarioRun(scn).run_to_end().panes[0].timeline
    return [(e.t, e.kthread) for e in timeline.events if e.kind == Ev.DISPATCH][:limit]


def test_round_robin_takes_turns_of_one_time_slice():
    """Three chefs, one stove, 10 ms slices: 0, 1, 2, 0, 1, 2 at 0, 10, 20, ..."""
    scn = scenario([{"name": "t", "count": 3, "steps": ["cpu 30"]}], panes=[{"model": "one-to-one"}],
                   cores=1, time_slice_ms=10)
    assert _dispatch_order(scn) == [(0, 0), (10, 1), (20, 2), (30, 0), (40, 1), (50, 2)]


def test_zero_time_slice_runs_each_to_completion():
    """time_slice_ms = 0: no preemption, each chef cooks until its ticket is done."""
    scn = scenario([{"name": "t", "count": 3, "steps": ["cpu 30"]}], panes=[{"model": "one-to-one"}],
                   cores=1, time_slice_ms=0)
    assert finish_times(summarize(scn)[0]) == {"t #1": 30.0, "t #2": 60.0, "t #3": 90.0}


def test_a_chef_back_from_the_oven_joins_the_tail_of_the_bench():
    """A wakes at 5 while B and C wait: A cooks only after B and C had their turn."""
    tasks = [{"name": "A", "steps": ["io 5", "cpu 10"]}, {"name": "B", "steps": ["cpu 20"]},
             {"name": "C", "steps": ["cpu 20"]}]
    scn = scenario(tasks, panes=[{"model": "one-to-one"}], cores=1, time_slice_ms=10)
    assert _dispatch_order(scn, 5) == [(0, 0), (0, 1), (10, 2), (20, 0), (30, 1)]


def test_context_switches_cost_time_but_not_cooking():
    """A 1 ms context switch each time a stove changes chefs: busy time stays the CPU work."""
    scn = scenario([{"name": "t", "count": 2, "steps": ["cpu 20"]}], panes=[{"model": "one-to-one"}],
                   cores=1, time_slice_ms=10, context_switch_ms=1)
    pane = summarize(scn)[0]
    assert pane["cpu_busy_ms"] == 40.0
    assert pane["context_switch_ms"] == 3.0
    assert pane["makespan_ms"] == 43.0


def test_many_to_one_rotates_tickets_each_user_time_slice():
    """The head chef's clipboard gives each ticket one slice in turn on the single chef."""
    scn = scenario([{"name": "t", "count": 2, "steps": ["cpu 20"]}], panes=[{"model": "many-to-one"}],
                   cores=2, time_slice_ms=10)
    timeline = ScenarioRun(scn).run_to_end().panes[0].timeline
    runs = [(e.t, e.uthread) for e in timeline.events if e.kind == Ev.RUN]
    assert runs == [(0, 0), (10, 1), (20, 0), (30, 1)]


def test_arrivals_every_ms_and_poisson_are_deterministic():
    """Arrival streams: evenly spaced, or Poisson from the seed; same seed, same times."""
    even = scenario([{"name": "req", "count": 4, "arrivals": {"every_ms": 5}, "steps": ["cpu 1"]}],
                    panes=[{"model": "one-to-one"}])
    assert [t["start_ms"] for t in summarize(even)[0]["tasks"]] == [0.0, 5.0, 10.0, 15.0]
    poisson = scenario([{"name": "req", "count": 50, "arrivals": {"rate_per_s": 1000}, "steps": ["cpu 1"]}],
                       panes=[{"model": "one-to-one"}])
    first, second = summarize(poisson)[0], summarize(poisson)[0]
    assert first == second
    starts = [t["start_ms"] for t in first["tasks"]]
    assert starts == sorted(starts) and 20 < starts[-1] < 100  # mean gap 1 ms
