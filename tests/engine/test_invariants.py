"""Property tests: random scenarios never break the kitchen's physical rules, and are reproducible.

The random scenarios mix every feature: the three models (M:N in both contention scopes), I/O policies,
priorities and inheritance, private and shared knives (nested, so cycles happen), neighbours, faults,
timed signals with and without handlers, and fork() (with atfork handlers or exec in the child).
"""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.run import ScenarioRun
from engine.scenario import scenario_from_dict
from engine.steps import SIGNALS
from tests.engine.invariants import check_invariants

KNIVES = ["knife", "pan", "journal"]  # "journal" is sometimes declared shared
durations = st.one_of(st.integers(0, 30).map(str), st.integers(1, 20).map(lambda m: f"exp {m}"),
                      st.tuples(st.integers(0, 5), st.integers(5, 15)).map(lambda p: f"uniform {p[0]} {p[1]}"))
timed = st.tuples(st.sampled_from(["cpu", "io"]), durations).map(" ".join)
signals = st.sampled_from(SIGNALS)


@st.composite
def step_lists(draw, faults: bool = True):
    steps = draw(st.lists(timed, min_size=1, max_size=5))
    for _ in range(draw(st.integers(0, 2))):
        lock = draw(st.sampled_from(KNIVES))
        if f"lock {lock}" in steps:
            continue
        start = draw(st.integers(0, len(steps)))
        end = draw(st.integers(start, len(steps)))
        steps[start:end] = [f"lock {lock}", *steps[start:end], draw(timed), f"unlock {lock}"]
    if faults and draw(st.integers(0, 9)) == 0:
        steps.insert(draw(st.integers(0, len(steps))), f"fault {draw(signals)}")
    return steps


def _held_before(steps: list[str], index: int, shared: set[str]) -> list[str]:
    held: list[str] = []
    for step in steps[:index]:
        kind, _, name = step.partition(" ")
        if kind == "lock" and name not in shared:
            held.append(name)
        elif kind == "unlock" and name in held:
            held.remove(name)
    return held


@st.composite
def forking(draw, task: dict, shared: set[str]):
    """Put one fork() in the task; the child releases the private knives it inherits (or execs first)."""
    steps = task["steps"]
    at = draw(st.integers(0, len(steps)))
    held = _held_before(steps, at, shared)
    task["steps"] = [*steps[:at], "fork", *steps[at:]]
    if draw(st.booleans()):
        task["child_steps"] = ["exec", *draw(step_lists(faults=False))]
    else:
        task["child_steps"] = [draw(timed), *(f"unlock {name}" for name in reversed(held))]


@st.composite
def panes(draw):
    io = st.sampled_from(["blocking", "nonblocking", "activations"])
    pane = draw(st.sampled_from([
        {"model": "one-to-one"},
        {"model": "many-to-one", "io": draw(io)},
        {"model": "many-to-many", "kernel_threads": draw(st.integers(1, 5)), "io": draw(io)},
        {"model": "many-to-many", "scope": "scs"},
    ]))
    return pane | {"priority": draw(st.integers(0, 3)), "atfork": draw(st.booleans())}


@st.composite
def task_lists(draw, shared: set[str]):
    tasks = [{"name": f"t{i}", "count": draw(st.integers(1, 6)), "start_ms": draw(st.integers(0, 20)),
              "priority": draw(st.integers(0, 3)), "steps": draw(step_lists()),
              "masks": draw(st.lists(signals, max_size=2, unique=True))}
             for i in range(draw(st.integers(1, 3)))]
    if draw(st.booleans()):
        tasks[0]["arrivals"] = {"every_ms": draw(st.integers(1, 10))}
    if len(tasks) > 1 and draw(st.integers(0, 3)) == 0:
        first, second = draw(st.permutations(KNIVES))[:2]
        tasks[0]["steps"] = [f"lock {first}", draw(timed), f"lock {second}", draw(timed), f"unlock {second}",
                             f"unlock {first}"]
        tasks[1]["steps"] = [f"lock {second}", draw(timed), f"lock {first}", draw(timed), f"unlock {first}",
                             f"unlock {second}"]
    if draw(st.integers(0, 3)) == 0:
        draw(forking(tasks[-1], shared))
    return tasks


@st.composite
def machines(draw):
    return {"cores": draw(st.integers(1, 3)), "time_slice_ms": draw(st.sampled_from([0, 1, 5, 10])),
            "context_switch_ms": draw(st.sampled_from([0, 0.5])), "memory_budget_mib": 1,
            "kernel_thread_kib": draw(st.sampled_from([64, 200, 400])),
            "scheduler": draw(st.sampled_from(["round-robin", "priority"])),
            "priority_inheritance": draw(st.booleans())}


@st.composite
def scenarios(draw):
    locks = [{"name": "journal", "shared": True, "priority_inheritance": draw(st.booleans())}
             ] if draw(st.booleans()) else []
    neighbors = [{"name": "bakery", "threads": draw(st.integers(1, 4)), "priority": draw(st.integers(0, 3)),
                  "steps": draw(step_lists())}] if draw(st.booleans()) else []
    alarms = [{"at_ms": draw(st.integers(0, 60)), "signal": draw(signals),
               "to": draw(st.sampled_from(["process", "t0", "t0 #1"]))} for _ in range(draw(st.integers(0, 2)))]
    handlers = {name: draw(st.integers(0, 3)) for name in draw(st.lists(signals, max_size=7, unique=True))}
    return scenario_from_dict({
        "title": "random", "seed": draw(st.integers(0, 1000)), "duration_ms": 2000, "machine": draw(machines()),
        "panes": [draw(panes())], "tasks": draw(task_lists({lock["name"] for lock in locks})),
        "neighbors": neighbors, "locks": locks, "signals": alarms, "signal_handlers": handlers})


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_random_scenarios_keep_the_invariants(scn):
    """Stoves, chefs, knives, endings, deadlock reports and terminated processes obey the rules."""
    for pane in ScenarioRun(scn).run_to_end().panes:
        check_invariants(pane)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_same_file_and_seed_give_the_same_timeline(scn):
    """Running a scenario twice gives exactly the same events."""
    first = ScenarioRun(scn).run_to_end().panes[0].timeline.events
    second = ScenarioRun(scn).run_to_end().panes[0].timeline.events
    assert first == second
