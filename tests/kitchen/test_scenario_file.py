"""Saving kitchens as TOML: what is written loads back unchanged."""

import pytest

from engine.assets import lesson_names, resolve_scenario
from engine.scenario import load_scenario, parse_scenario
from kitchen.scenario_file import save_scenario, scenario_to_toml
from tests.kitchen.conftest import DATA

RICH = """
title = "Everything"
description = "two lines\\nof text"
seed = 7
[machine]
cores = 2
scheduler = "priority"
[[panes]]
model = "many-to-many"
kernel_threads = 3
io = "activations"
label = "M:N"
[[tasks]]
name = "web"
count = 5
priority = 3
arrivals = { rate_per_s = 200 }
steps = ["cpu exp 5", "io uniform 2 8", "lock knife", "cpu 1.5", "unlock knife"]
[[neighbors]]
name = "bakery"
threads = 16
steps = ["cpu 100000"]
"""


@pytest.mark.parametrize("name", lesson_names())
def test_every_lesson_round_trips(name):
    """Each shipped lesson (with its steps and predictions), written and read back, is the same scenario."""
    lesson = load_scenario(resolve_scenario(name))
    assert parse_scenario(scenario_to_toml(lesson)) == lesson


def test_every_kind_of_field_round_trips():
    """Distributions, locks, arrivals, priorities, labels and neighbours survive a save."""
    scenario = parse_scenario(RICH)
    text = scenario_to_toml(scenario)
    assert parse_scenario(text) == scenario
    assert '"io uniform 2 8"' in text and "rate_per_s = 200" in text


def test_save_writes_the_file_and_nothing_else(tmp_path):
    """save_scenario leaves exactly the target file in the folder."""
    scenario = load_scenario(DATA / "blocking.toml")
    save_scenario(scenario, tmp_path / "copy.toml")
    assert [p.name for p in tmp_path.iterdir()] == ["copy.toml"]
    assert load_scenario(tmp_path / "copy.toml") == scenario
