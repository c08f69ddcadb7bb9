"""The [lesson] table: validation with messages naming the step, and moments resolved from a Timeline."""

import math

import pytest

from engine.assets import resolve_scenario
from engine.lesson import MOMENTS, MomentFinder, finders_for, moment_time, our_ticket_count, resolve_moment
from engine.run import ScenarioRun
from engine.scenario import ScenarioError, load_scenario, parse_scenario

SCENARIO = """
title = "oven"
duration_ms = 1000
[machine]
cores = 1
time_slice_ms = 0
[[panes]]
model = "one-to-one"
[[panes]]
model = "many-to-one"
[[tasks]]
name = "A"
steps = ["io 10", "cpu 2"]
[[tasks]]
name = "B"
steps = ["cpu 10"]
"""

LESSON = """
[lesson]
explanation = "A waits at the oven."
[[lesson.steps]]
caption = "first"
moment = { at_ms = 5 }
[[lesson.steps]]
caption = "second"
pane = 2
moment = { on = "frozen" }
[lesson.steps.predict]
question = "What happens?"
choices = ["freeze", "cook on"]
answer = 0
reveal = "one chef"
[[lesson.steps]]
caption = "third"
moment = { on = "all finished" }
"""


def _lesson_scenario(text: str = LESSON):
    return parse_scenario(SCENARIO + text, "oven.toml")


def _error(change: tuple[str, str]) -> str:
    with pytest.raises(ScenarioError) as caught:
        _lesson_scenario(LESSON.replace(*change))
    return str(caught.value)


def test_a_scenario_without_a_lesson_still_loads():
    """The [lesson] table is optional."""
    assert parse_scenario(SCENARIO).lesson is None


def test_a_lesson_loads_with_its_steps_and_prediction():
    """Captions, panes, moments and predictions are read as written."""
    lesson = _lesson_scenario().lesson
    assert [step.caption for step in lesson.steps] == ["first", "second", "third"]
    assert lesson.steps[1].pane == 2 and lesson.steps[1].predict.choices == ["freeze", "cook on"]


@pytest.mark.parametrize("change, expected", [
    (('{ on = "frozen" }', '{ on = "thawed" }'), "oven.toml: lesson.steps[1].moment: unknown moment 'thawed'"),
    (('{ at_ms = 5 }', '{ at_ms = 5, on = "frozen" }'), "lesson.steps[0].moment: give exactly one of at_ms or on"),
    (('{ at_ms = 5 }', '{ at_ms = 5000 }'), "lesson.steps[0].moment: at_ms = 5000 is past duration_ms = 1000"),
    (("pane = 2", "pane = 3"), "lesson.steps[1].pane: 3 but the scenario has 2 pane(s)"),
    (("answer = 0", "answer = 2"), "lesson.steps[1].predict: answer = 2 is not a choice index (0 to 1)"),
    (('choices = ["freeze", "cook on"]', 'choices = ["freeze"]'), "lesson.steps[1].predict.choices"),
    (('caption = "third"', 'text = "third"'), "lesson.steps[2].text: unknown key"),
    (('explanation = "A waits at the oven."', ""), "lesson.explanation: required but missing"),
    (('explanation = "A waits at the oven."', 'explanation = "x"\nspeed = 0'), "lesson.speed: Input should be"),
])
def test_bad_lesson_tables_name_the_step_and_field(change, expected):
    """Each mistake in a lesson table is reported with its file, step index and field."""
    message = _error(change)
    assert message.startswith("oven.toml: ")
    assert expected in message


def test_moments_resolve_against_each_panes_timeline():
    """at_ms is taken as written; 'frozen' is when many-to-one's only chef waits at the oven while B waits."""
    scenario = _lesson_scenario()
    run = ScenarioRun(scenario).run_to_end()
    assert [resolve_moment(step, run) for step in scenario.lesson.steps] == [5.0, 0.0, 22.0]


def test_first_of_kind_moments_take_the_earliest_pane_without_a_pane():
    """'first block' with no pane is the earliest block of any pane; 'end' without a pane waits for all."""
    run = ScenarioRun(_lesson_scenario()).run_to_end()
    finders = finders_for(run)
    first_block = _step('{ on = "first block" }')
    assert moment_time(first_block, finders) == 0.0
    assert [finder.time_of("end") for finder in finders] == [12.0, 22.0]
    assert moment_time(_step('{ on = "end" }'), finders) == 22.0


def test_a_moment_that_never_happens_is_none():
    """Nothing deadlocks here, so 'deadlock' never resolves; one-to-one never freezes."""
    run = ScenarioRun(_lesson_scenario()).run_to_end()
    finders = finders_for(run)
    assert finders[0].time_of("deadlock") is None
    assert finders[0].time_of("frozen") is None


def test_moments_are_found_while_the_run_is_computed_incrementally():
    """A finder answers None before the event is computed and the exact time once it is."""
    run = ScenarioRun(_lesson_scenario())
    finders = finders_for(run)
    step = _step('{ on = "unfrozen" }', pane=2)
    run.advance(5.0)
    assert moment_time(step, finders) is None
    run.advance(math.inf)
    assert moment_time(step, finders) == 10.0


def test_every_moment_name_is_explained():
    """Each moment name has a plain-words description (shown in the error message and docs)."""
    assert all(len(description) > 20 for description in MOMENTS.values())


def _step(moment: str, pane: int | None = None):
    pane_line = f"pane = {pane}\n" if pane else ""
    text = f'[lesson]\nexplanation = "x"\n[[lesson.steps]]\ncaption = "c"\n{pane_line}moment = {moment}\n'
    return _lesson_scenario(text).lesson.steps[0]


def test_priority_boost_moment_counts_a_neighbours_chef():
    """In the seed's many-to-one inversion the boosted chef is the neighbour's; the moment still fires."""
    scenario = load_scenario(resolve_scenario("priority-inversion"))
    run = ScenarioRun(scenario).run_to_end()
    boosts = []
    for pane in run.panes:
        finder = MomentFinder(pane.timeline, our_ticket_count(scenario))
        finder.update()
        boosts.append(finder.first.get("first priority boost"))
    assert boosts == [None, 1.0, 1.0]


def test_menus_number_the_lessons_and_never_repeat_a_name(tmp_path):
    """Labels read '1. Parallelism — title'; a title starting with the name stands alone; a broken file has none."""
    from engine.lesson import lesson_label, read_title

    assert lesson_label(1, "parallelism", "Thirty-two orders, eight stoves") == (
        "1. Parallelism — Thirty-two orders, eight stoves")
    assert lesson_label(6, "many-to-many", "Many-to-many: what M chefs buy") == "6. Many-to-many: what M chefs buy"
    broken = tmp_path / "broken.toml"
    broken.write_text('title = "unterminated\n')
    assert (read_title(broken), read_title(tmp_path / "missing.toml")) == ("", "")
    assert lesson_label(14, "my-own", "") == "14. My own"
