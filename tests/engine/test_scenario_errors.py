"""Bad scenario files get one clear message naming the file, the field and the problem."""

import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.scenario import ScenarioError, parse_scenario

GOOD = """
title = "ok"
[machine]
cores = 2
[[panes]]
model = "one-to-one"
[[tasks]]
name = "chop"
steps = ["cpu 10"]
"""


def _error(text: str) -> str:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "lesson.toml")
    return str(caught.value)


def test_a_good_file_loads():
    assert parse_scenario(GOOD).machine.cores == 2


@pytest.mark.parametrize("change, expected", [
    (("cores = 2", "cores = 0"), "machine.cores: Input should be greater than or equal to 1"),
    (("cores = 2", "cores = -4"), "machine.cores"),
    (("cores = 2", 'cores = "eight"'), "machine.cores: Input should be a valid integer"),
    (("cores = 2", "cores = 2\nstoves = 3"), "machine.stoves: unknown key"),
    (('"one-to-one"', '"one-to-two"'), "panes[0].model"),
    (('"cpu 10"', '"bake 10"'), "tasks[0].steps[0]: unknown step kind 'bake'"),
    (('"cpu 10"', '"cpu ten"'), "tasks[0].steps[0]: 'ten' is not a number"),
    (('"cpu 10"', '"cpu uniform 9 3"'), "tasks[0].steps[0]: uniform needs LO <= HI"),
    (('"cpu 10"', '"unlock knife"'), "does not hold 'knife'"),
    (('"cpu 10"', '"lock knife"'), "ends while holding 'knife'"),
    (('steps = ["cpu 10"]', 'count = 1000001\nsteps = ["cpu 10"]'), "tasks[0].count"),
    (('title = "ok"', ""), "title: required but missing"),
])
def test_bad_field_is_named(change, expected):
    message = _error(GOOD.replace(*change))
    assert message.startswith("lesson.toml: ")
    assert expected in message


def test_malformed_toml_names_the_line():
    assert "lesson.toml: not valid TOML" in _error(GOOD + "\n[[tasks]\n")


def test_absurd_totals_are_refused():
    many = GOOD + '[[tasks]]\nname = "more"\ncount = 1000000\nsteps = ["cpu 1"]\n'
    assert "at most 1,000,000" in _error(many)


def test_errors_point_at_the_right_task():
    text = GOOD + '[[tasks]]\nname = "b"\nsteps = ["cpu 1"]\n[[tasks]]\nname = "c"\nsteps = ["cpu 1", "io x"]\n'
    assert "tasks[2].steps[1]" in _error(text)


values = st.one_of(st.integers(-10**7, 10**7), st.floats(allow_nan=True), st.text(max_size=12),
                   st.booleans(), st.lists(st.text(max_size=8), max_size=3), st.none())
keys = st.sampled_from(["cores", "time_slice_ms", "kernel_thread_kib", "memory_budget_mib", "model", "io",
                        "kernel_threads", "count", "steps", "start_ms", "title", "seed", "duration_ms",
                        "arrivals", "priority", "bogus"])


@settings(max_examples=700, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.text(alphabet=string.printable, max_size=200))
def test_random_text_never_raises_anything_but_scenario_error(text):
    """Garbage in: either a valid scenario or a ScenarioError, never another exception."""
    try:
        parse_scenario(text, "random.toml")
    except ScenarioError as error:
        assert str(error).startswith("random.toml: ")


def _toml_value(value) -> str:
    if value is None:
        return '"none"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value != value:
        return "nan"
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return "inf" if value > 0 else "-inf"
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    return repr(value)


@settings(max_examples=1500, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.sampled_from(["[machine]", "[[panes]]", "[[tasks]]"]), keys, values)
def test_generated_bad_fields_get_a_clean_error(table, key, value):
    """Thousands of files with one field set to a random value: a clean message, or a valid scenario."""
    text = GOOD.replace(table, f"{table}\n{key} = {_toml_value(value)}", 1)
    try:
        parse_scenario(text, "gen.toml")
    except ScenarioError as error:
        assert str(error).startswith("gen.toml: ") and "\n" not in str(error).split(": not valid TOML")[0]
