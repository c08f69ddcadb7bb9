"""Trace export: a Perfetto/Chrome JSON trace that loads back with stoves, chefs, tickets and counters."""

import json
from collections import defaultdict

from engine.assets import resolve_scenario
from engine.run import ScenarioRun
from engine.scenario import load_scenario, scenario_from_dict
from engine.summary import scenario_summary
from engine.trace import trace_events, write_trace
from tests.engine.helpers import scenario


def _parallelism() -> ScenarioRun:
    return ScenarioRun(load_scenario(resolve_scenario("parallelism"))).run_to_end()


def _mixed() -> ScenarioRun:
    """Two stoves, I/O, a lock, a neighbour, and the three I/O policies."""
    return ScenarioRun(scenario_from_dict({
        "title": "mixed", "seed": 3, "machine": {"cores": 2},
        "panes": [{"model": "one-to-one"}, {"model": "many-to-one", "io": "nonblocking"},
                  {"model": "many-to-many", "kernel_threads": 2, "io": "activations"}],
        "tasks": [{"name": "io", "count": 6, "steps": ["cpu exp 20", "io 30", "lock knife", "cpu 5",
                                                       "unlock knife", "cpu uniform 1 9"]}],
        "neighbors": [{"name": "bakery", "threads": 3, "steps": ["cpu 200"]}],
    })).run_to_end()


def _load(tmp_path, run, panes=None) -> list[dict]:
    path = tmp_path / "run.json"
    count = write_trace(run, path, panes)
    trace = json.loads(path.read_text())
    assert list(trace) == ["traceEvents", "otherData"] and len(trace["traceEvents"]) == count
    assert trace["otherData"]["title"] == run.scenario.title
    return trace["traceEvents"]


def _slices(events, pid, cat):
    return [e for e in events if e["ph"] == "X" and e["pid"] == pid and e["cat"] == cat]


def test_every_slice_has_the_required_fields_and_tracks_are_named(tmp_path):
    """X events carry ph/ts/dur/pid/tid/name; processes, stoves, chefs and tickets are named by M events."""
    events = _load(tmp_path, _parallelism())
    slices = [e for e in events if e["ph"] == "X"]
    assert slices and all({"ph", "ts", "dur", "pid", "tid", "name"} <= set(e) and e["dur"] > 0 for e in slices)
    processes = {e["pid"]: e["args"]["name"] for e in events if e["ph"] == "M" and e["name"] == "process_name"}
    assert processes == {1: "pane 1: one-to-one", 2: "pane 2: many-to-one", 3: "pane 3: many-to-many"}
    threads = [e["args"]["name"] for e in events if e["ph"] == "M" and e["name"] == "thread_name" and e["pid"] == 1]
    assert threads[:9] == ["counters"] + [f"stove {n}" for n in range(1, 9)]
    assert "chef 32" in threads and "ticket chop #32" in threads and len(threads) == 1 + 8 + 32 + 32


def test_thread_ids_are_unique_across_panes(tmp_path):
    """Perfetto names threads by tid alone, so no two tracks of the file share one."""
    events = _load(tmp_path, _parallelism())
    named = [e["tid"] for e in events if e["ph"] == "M" and e["name"] == "thread_name"]
    assert len(named) == len(set(named)) == 3 * 1 + 3 * 8 + (32 + 1 + 4) + 3 * 32


def test_stove_slices_add_up_to_the_engines_cpu_busy_ms(tmp_path):
    """Parallelism lesson: per pane, the stove slices' durations sum exactly to cpu_busy_ms."""
    run = _parallelism()
    events = _load(tmp_path, run)
    busy = [pane["cpu_busy_ms"] for pane in scenario_summary(run)["panes"]]
    assert busy == [32000.0, 5000.0, 20000.0]
    assert [sum(e["dur"] for e in _slices(events, pid, "stove")) / 1000 for pid in (1, 2, 3)] == busy


def test_stove_slices_are_named_by_chef_and_ticket(tmp_path):
    """Many-to-one: the one chef cooks chop #1 for a 10 ms slice first, on one stove only."""
    events = _load(tmp_path, _parallelism())
    stove = sorted(_slices(events, 2, "stove"), key=lambda e: e["ts"])
    assert (stove[0]["name"], stove[0]["ts"], stove[0]["dur"]) == ("chef 1 · chop #1", 0, 10_000)
    assert {e["tid"] for e in stove} == {stove[0]["tid"]}


def test_counters_show_busy_stoves_and_kernel_memory(tmp_path):
    """Counter tracks: 8 / 1 / 4 busy stoves at their peak; one-to-one's shelf peaks at 32 × 64 KiB."""
    events = _load(tmp_path, _parallelism())
    counters = defaultdict(list)
    for e in (e for e in events if e["ph"] == "C"):
        counters[e["pid"], e["name"]].append(next(iter(e["args"].values())))
    assert [max(counters[pid, "stoves"]) for pid in (1, 2, 3)] == [8, 1, 4]
    assert [max(counters[pid, "utilization"]) for pid in (1, 2, 3)] == [100.0, 12.5, 50.0]
    assert max(counters[1, "kernel memory"]) == 32 * 64 and counters[1, "tasks"][-1] == 32


def test_states_never_overlap_on_a_track_and_include_blocked_parked_and_lock_waits():
    """I/O and a lock: chef and ticket tracks show their states one after another, never overlapping."""
    run = _mixed()
    events = list(trace_events(run))
    by_track = defaultdict(list)
    for e in (e for e in events if e["ph"] == "X"):
        start = round(e["ts"] * 1000)
        by_track[e["tid"]].append((start, start + round(e["dur"] * 1000)))  # whole nanoseconds
    for spans in by_track.values():
        spans.sort()
        assert all(later[0] >= earlier[1] for earlier, later in zip(spans, spans[1:]))
    names = {(e["pid"], e["name"]) for e in events if e["ph"] == "X" and e["cat"] == "ticket"}
    assert {(1, "blocked"), (2, "parked"), (2, "waiting for lock"), (3, "blocked")} <= names
    for pid, pane in enumerate(scenario_summary(run)["panes"], start=1):
        cooked = sum(e["dur"] for e in _slices(events, pid, "stove") if e["args"]["process"] == "ours") / 1000
        assert abs(cooked - pane["cpu_busy_ms"]) < 1e-4  # the summary rounds to 0.1 µs


def test_one_pane_only_and_a_refused_chef_is_an_instant():
    """A tiny pantry (4 lockers) refuses 2 of 6 one-to-one chefs; --pane keeps only that pane's process."""
    run = ScenarioRun(scenario([{"name": "soup", "count": 6, "steps": ["cpu 5"]}], memory_budget_mib=0.25)).run_to_end()
    events = list(trace_events(run, panes=[0]))
    assert {e["pid"] for e in events} == {1}
    refused = [e for e in events if e["ph"] == "i"]
    assert [e["name"] for e in refused] == ["refused: pantry shelf full"] * 2


def test_a_run_stopped_early_ends_its_slices_where_it_stopped():
    """Simulated to 100 ms only: no slice ends after 100 ms."""
    run = ScenarioRun(load_scenario(resolve_scenario("parallelism")))
    run.advance(100.0)
    events = list(trace_events(run))
    assert max(e["ts"] + e["dur"] for e in events if e["ph"] == "X") <= 100_000
