"""Parameter sweeps: value ranges, paths into the scenario, the 1280-chef tipping point, cancelling."""

import threading

import pytest

from engine.scenario import ScenarioError
from engine.sweep import available_metrics, parse_values, parse_vary, sweep, with_value
from tests.engine.helpers import scenario


def _pantry():
    """One-to-one and M:N kitchens with long CPU orders: every ticket wants a chef at once."""
    return scenario([{"name": "long", "count": 100, "steps": ["cpu 100000"]}],
                    panes=[{"model": "one-to-one"}, {"model": "many-to-many", "kernel_threads": 8}],
                    duration_ms=20)


def test_ranges_include_their_stop_and_keep_whole_numbers_whole():
    """START:STOP:STEP includes STOP; decimals step exactly; lists and single numbers work too."""
    assert parse_values("100:3000:100") == list(range(100, 3001, 100))
    assert parse_values("0.1:0.5:0.1") == [0.1, 0.2, 0.3, 0.4, 0.5]
    assert parse_values("1:16:5") == [1, 6, 11, 16]
    assert parse_values("16:1:-5") == [16, 11, 6, 1]
    assert parse_values("1,2,4,8") == [1, 2, 4, 8] and parse_values("7") == [7]
    assert parse_vary("panes[2].kernel_threads=1:3:1") == ("panes[2].kernel_threads", [1, 2, 3])


@pytest.mark.parametrize("text, message", [
    ("1:2", "START:STOP:STEP"), ("a:2:1", "'a' is not a number"), ("1:10:0", "STEP must be non-zero"),
    ("10:1:1", "STEP must be non-zero"), ("1:5000:1", "at most 1000")])
def test_bad_ranges_say_what_is_wrong(text, message):
    """A malformed range is a ScenarioError quoting it."""
    with pytest.raises(ScenarioError, match=message):
        parse_values(text)


def test_a_value_is_set_at_its_path_and_validated():
    """machine.cores, panes[1].kernel_threads and tasks[0].count change only that field."""
    base = _pantry()
    assert with_value(base, "machine.cores", 2).machine.cores == 2
    assert with_value(base, "panes[1].kernel_threads", 3).panes[1].kernel_threads == 3
    changed = with_value(base, "tasks[0].count", 7)
    assert changed.tasks[0].count == 7 and changed.tasks[0].steps == base.tasks[0].steps
    assert base.tasks[0].count == 100


@pytest.mark.parametrize("path, value, message", [
    ("machine.corez", 2, r"machine.corez: machine has no 'corez'"),
    ("panes[5].kernel_threads", 2, r"panes\[5\].kernel_threads: panes has 2 entries"),
    ("tasks.count", 2, r"tasks.count: tasks is a list: pick an entry, e.g. tasks\[0\]"),
    ("neighbors[0].threads", 2, r"neighbors\[0\].threads: neighbors has 0 entries"),
    ("machine.cores", 0, r"machine.cores=0: machine.cores: Input should be greater than or equal to 1"),
    ("panes[0].kernel_threads", 4, r"panes\[0\].kernel_threads=4: .*one-to-one creates one kernel thread"),
    ("tasks[0", 1, r"not a path like")])
def test_a_bad_path_or_value_is_a_scenario_error_naming_the_path(path, value, message):
    """Errors name the path (and the value when the value is the problem)."""
    with pytest.raises(ScenarioError, match=message):
        with_value(_pantry(), path, value)


def test_an_unknown_metric_is_refused_before_anything_runs():
    """The message lists the metrics that exist, including cpu_share per process."""
    assert "cpu_share.ours" in available_metrics(_pantry())
    with pytest.raises(ScenarioError, match=r"metric 'utilisation' is unknown \(known: utilization"):
        sweep(_pantry(), "tasks[0].count", [1], ["utilisation"], workers=1)


def test_one_to_one_refuses_chefs_exactly_after_1280():
    """64 KiB lockers, 80 MiB shelf: 1280 chefs fit, the 1281st is refused; M:N keeps 8 lockers."""
    seen = []
    results = sweep(_pantry(), "tasks[0].count", parse_values("1278:1282:1"),
                    ["kernel_memory_peak_kib", "threads_refused"], workers=2, on_result=seen.append)
    assert sorted(r.value for r in seen) == [1278, 1279, 1280, 1281, 1282]
    one_to_one = [r.panes[0] for r in results]
    assert [p["threads_refused"] for p in one_to_one] == [0, 0, 0, 1, 2]
    assert [p["kernel_memory_peak_kib"] for p in one_to_one] == [81792, 81856, 81920, 81920, 81920]
    assert {r.panes[1]["kernel_memory_peak_kib"] for r in results} == {8 * 64}


def test_utilization_grows_with_m_until_the_stoves_run_out():
    """Many-to-many, 32 CPU-bound orders on 8 stoves: utilization = min(M, 8) / 8."""
    scn = scenario([{"name": "chop", "count": 32, "steps": ["cpu 50"]}],
                   panes=[{"model": "many-to-many", "kernel_threads": 1}])
    results = sweep(scn, "panes[0].kernel_threads", [1, 4, 8, 12], ["utilization"], workers=2)
    assert [r.panes[0]["utilization"] for r in results] == [0.125, 0.5, 1.0, 1.0]


def test_cancel_stops_the_sweep_early():
    """Cancelling after the first result: the call returns with only the few variants already cooking."""
    cancel = threading.Event()
    seen = []

    def first_result(result):
        seen.append(result)
        cancel.set()

    results = sweep(_pantry(), "tasks[0].count", parse_values("10:400:10"), ["threads_refused"], workers=2,
                    on_result=first_result, cancel=cancel)
    assert 1 <= len(results) <= 2 < 40 and len(seen) == len(results)


def test_a_sweep_cancelled_before_it_starts_runs_nothing():
    """A set cancel event: no variant runs."""
    cancel = threading.Event()
    cancel.set()
    assert sweep(_pantry(), "tasks[0].count", [1, 2, 3], ["utilization"], workers=2, cancel=cancel) == []
