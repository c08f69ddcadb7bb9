"""The Timeline: snapshots at any time, scrubbing back and forth, incremental computing."""

import math

import numpy as np

from engine.assets import resolve_scenario
from engine.run import ScenarioRun
from engine.scenario import load_scenario
from engine.timeline import KState, UState
from tests.engine.helpers import scenario


def _parallelism():
    return ScenarioRun(load_scenario(resolve_scenario("parallelism")))


def _same(a, b) -> bool:
    return all(np.array_equal(getattr(a, f), getattr(b, f), equal_nan=True)
               for f in ("stove_kthread", "k_state", "k_uthread", "u_state", "u_done", "u_kthread"))


def test_snapshot_shows_eight_chefs_at_stoves_in_one_to_one_and_one_in_many_to_one():
    run = _parallelism().run_to_end()
    one, many, mn = (pane.timeline.state_at(500.0) for pane in run.panes)
    assert (one.busy_stoves, many.busy_stoves, mn.busy_stoves) == (8, 1, 4)
    assert np.count_nonzero(one.k_state == KState.READY) == 24
    assert np.count_nonzero(many.u_state == UState.READY) == 31


def test_scrub_to_t_then_0_then_t_gives_the_same_snapshot():
    timeline = _parallelism().run_to_end().panes[0].timeline
    first = timeline.state_at(1234.5)
    start = timeline.state_at(0.0)
    again = timeline.state_at(1234.5)
    assert _same(first, again)
    assert start.busy_stoves == 8 and float(start.u_done.sum()) == 0.0


def test_progress_of_a_running_ticket_grows_between_events():
    timeline = _parallelism().run_to_end().panes[1].timeline
    assert timeline.state_at(3.0).u_done[0] == 3.0
    assert timeline.state_at(7.5).u_done[0] == 7.5


def test_incremental_advance_matches_a_run_to_the_end():
    whole = _parallelism().run_to_end().panes[2].timeline.events
    run = _parallelism()
    for until in np.linspace(0, 6000, 40):
        run.advance(float(until), max_events=50)
    while not run.finished:
        run.advance(math.inf, max_events=500)
    assert run.panes[2].timeline.events == whole


def test_events_up_to_computed_until_are_final():
    """After a bounded advance, later computing never adds events at or before computed_until."""
    run = _parallelism()
    timeline = run.panes[0].timeline
    for budget in (30, 200, 1000):
        run.advance(100.0, max_events=budget)
        known, until = len(timeline.events), timeline.computed_until
        run.advance(150.0)
        assert all(event.t > until for event in timeline.events[known:])


def test_snapshots_are_read_only():
    snap = _parallelism().run_to_end().panes[0].timeline.state_at(10.0)
    assert not snap.u_state.flags.writeable


def test_frozen_when_every_chef_waits_at_the_oven():
    tasks = [{"name": "read", "steps": ["io 100", "cpu 1"]}, {"name": "cook", "count": 3, "steps": ["cpu 50"]}]
    run = ScenarioRun(scenario(tasks, cores=2, time_slice_ms=0)).run_to_end()
    one, many, _ = (pane.timeline.state_at(20.0) for pane in run.panes)
    assert many.frozen() and not one.frozen()


def test_metric_series_follow_busy_stoves_and_memory():
    timeline = _parallelism().run_to_end().panes[0].timeline
    assert timeline.busy.value_at(100.0) == 8
    assert timeline.kernel_memory_kib.value_at(100.0) == 32 * 64
    assert timeline.completed.value_at(4000.0) == 32
