"""Rewrite the lessons' golden summaries after an intended engine change (then read the diff).

    python -m tests.engine.regen_golden              # every lesson
    python -m tests.engine.regen_golden blocking     # some lessons

Each golden file is the lesson's ``thread-kitchen simulate LESSON --json`` summary; for lessons
with more than ``FULL_TASK_LIST`` tickets the per-ticket list is replaced by counts and a digest
so the files stay small enough to review.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections import Counter
from pathlib import Path

from engine.assets import lesson_names, resolve_scenario
from engine.run import ScenarioRun
from engine.scenario import load_scenario
from engine.summary import scenario_summary

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
FULL_TASK_LIST = 100


def golden_summary(lesson: str) -> dict:
    """The lesson's CLI JSON summary, with long ticket lists condensed."""
    return golden_of(ScenarioRun(load_scenario(resolve_scenario(lesson))).run_to_end())


def golden_of(run: ScenarioRun) -> dict:
    """A finished run's CLI JSON summary, with long ticket lists condensed."""
    summary = scenario_summary(run)
    for pane in summary["panes"]:
        if len(pane["tasks"]) > FULL_TASK_LIST:
            pane["tasks"] = _condensed(pane["tasks"])
    return json.loads(json.dumps(summary))


def _condensed(tasks: list[dict]) -> dict:
    text = json.dumps(tasks, sort_keys=True).encode()
    return {"count": len(tasks), "states": dict(sorted(Counter(t["state"] for t in tasks).items())),
            "sha256": hashlib.sha256(text).hexdigest()}


def golden_path(lesson: str) -> Path:
    return GOLDEN_DIR / f"{lesson}.json"


def main(names: list[str]) -> None:
    GOLDEN_DIR.mkdir(exist_ok=True)
    for lesson in names or lesson_names():
        golden_path(lesson).write_text(json.dumps(golden_summary(lesson), indent=1) + "\n", encoding="utf-8")
        print(f"wrote {golden_path(lesson)}")


if __name__ == "__main__":
    main(sys.argv[1:])
