"""Saving a kitchen (Scenario) as TOML that ``engine.scenario.load_scenario`` reads back unchanged.

Steps are written the way people type them (``"cpu exp 5"``), absent optional
fields are left out (TOML has no null), and the file is written atomically:
a temporary file in the same folder, flushed, then ``os.replace`` over the
target, so a crash or a full disk never leaves half a kitchen behind.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import tomli_w
from pydantic import BaseModel

from engine.scenario import Scenario
from engine.steps import Step


def _plain(value):
    """Turn scenario models into TOML-ready dicts, lists, strings and numbers."""
    if isinstance(value, BaseModel):
        fields = ((name, getattr(value, name)) for name in type(value).model_fields)
        return {name: _plain(item) for name, item in fields if item is not None and item != []}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, Step):
        return str(value)
    return value


def scenario_to_dict(scenario: Scenario) -> dict:
    """The scenario as the dict its TOML file holds (``scenario_from_dict`` accepts it)."""
    return _plain(scenario)


def scenario_to_toml(scenario: Scenario) -> str:
    """The scenario as TOML text (readable: multi-line strings stay multi-line)."""
    return tomli_w.dumps(scenario_to_dict(scenario), multiline_strings=True)


def save_scenario(scenario: Scenario, path: str | Path) -> None:
    """Write the scenario to ``path`` atomically (raises OSError if the folder is not writable)."""
    path = Path(path)
    text = scenario_to_toml(scenario)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
