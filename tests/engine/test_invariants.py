"""Property tests: random scenarios never break the kitchen's physical rules, and are reproducible."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.run import ScenarioRun
from engine.scenario import scenario_from_dict
from tests.engine.invariants import check_invariants

durations = st.one_of(st.integers(0, 30).map(str), st.integers(1, 20).map(lambda m: f"exp {m}"),
                      st.tuples(st.integers(0, 5), st.integers(5, 15)).map(lambda p: f"uniform {p[0]} {p[1]}"))
timed = st.tuples(st.sampled_from(["cpu", "io"]), durations).map(" ".join)


@st.composite
def step_lists(draw):
    steps = draw(st.lists(timed, min_size=1, max_size=5))
    if draw(st.booleans()):
        lock = draw(st.sampled_from(["knife", "pan"]))
        at = draw(st.integers(0, len(steps)))
        steps[at:at] = [f"lock {lock}", draw(timed), f"unlock {lock}"]
    return steps


@st.composite
def scenarios(draw):
    pane = draw(st.sampled_from([
        {"model": "one-to-one"},
        {"model": "many-to-one", "io": draw(st.sampled_from(["blocking", "nonblocking", "activations"]))},
        {"model": "many-to-many", "kernel_threads": draw(st.integers(1, 5)),
         "io": draw(st.sampled_from(["blocking", "nonblocking", "activations"]))},
    ]))
    tasks = [{"name": f"t{i}", "count": draw(st.integers(1, 6)), "start_ms": draw(st.integers(0, 20)),
              "priority": draw(st.integers(0, 3)), "steps": draw(step_lists())}
             for i in range(draw(st.integers(1, 3)))]
    if draw(st.booleans()):
        tasks[0]["arrivals"] = {"every_ms": draw(st.integers(1, 10))}
    neighbors = [{"name": "bakery", "threads": draw(st.integers(1, 4)), "steps": draw(step_lists())}
                 ] if draw(st.booleans()) else []
    machine = {"cores": draw(st.integers(1, 4)), "time_slice_ms": draw(st.sampled_from([0, 1, 5, 10])),
               "context_switch_ms": draw(st.sampled_from([0, 0.5])), "memory_budget_mib": 1,
               "kernel_thread_kib": draw(st.sampled_from([64, 200, 400])),
               "scheduler": draw(st.sampled_from(["round-robin", "priority"])),
               "priority_inheritance": draw(st.booleans())}
    return scenario_from_dict({"title": "random", "seed": draw(st.integers(0, 1000)), "duration_ms": 2000,
                               "machine": machine, "panes": [pane], "tasks": tasks, "neighbors": neighbors})


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_random_scenarios_keep_the_invariants(scn):
    """A stove never holds two chefs, a chef never cooks two tickets, busy time equals work done."""
    for pane in ScenarioRun(scn).run_to_end().panes:
        check_invariants(pane)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_same_file_and_seed_give_the_same_timeline(scn):
    first = ScenarioRun(scn).run_to_end().panes[0].timeline.events
    second = ScenarioRun(scn).run_to_end().panes[0].timeline.events
    assert first == second
