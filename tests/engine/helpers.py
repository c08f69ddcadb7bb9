"""Small builders for engine tests: scenarios from keyword arguments, runs, summaries."""

from __future__ import annotations

from engine.run import ScenarioRun
from engine.scenario import Scenario, scenario_from_dict
from engine.summary import scenario_summary


def scenario(tasks: list[dict], panes: list[dict] | None = None, duration_ms: float = 10_000, seed: int = 1,
             **machine) -> Scenario:
    """A scenario with the given tasks, panes (default: the three models) and machine settings."""
    return scenario_from_dict({
        "title": "test",
        "seed": seed,
        "duration_ms": duration_ms,
        "machine": machine,
        "panes": panes or [{"model": "one-to-one"}, {"model": "many-to-one"},
                           {"model": "many-to-many", "kernel_threads": 4}],
        "tasks": tasks,
    })


def summarize(scn: Scenario) -> list[dict]:
    """Run every pane to the end and return the per-pane summaries."""
    return scenario_summary(ScenarioRun(scn).run_to_end())["panes"]


def finish_times(pane: dict) -> dict[str, float | None]:
    return {task["name"]: task["finish_ms"] for task in pane["tasks"]}
