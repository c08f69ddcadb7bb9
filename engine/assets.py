"""Where Thread Kitchen's data files live, from a source checkout or inside a frozen app.

This is the one place that knows about ``sys._MEIPASS`` (PyInstaller); the
engine uses it to resolve lesson names and the kitchen uses it for icons.
"""

from __future__ import annotations

import sys
from pathlib import Path

from engine.scenario import ScenarioError


def assets_dir() -> Path:
    """The ``assets`` folder: beside the packages in a checkout, in ``_MEIPASS`` when frozen."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    root = Path(frozen_root) if frozen_root else Path(__file__).resolve().parent.parent
    return root / "assets"


def asset_path(*parts: str) -> Path:
    """Path of a file under ``assets/``, e.g. ``asset_path("icons", "chef.svg")``."""
    return assets_dir().joinpath(*parts)


def lesson_names() -> list[str]:
    """Names of the shipped lessons, e.g. ``parallelism``."""
    return sorted(path.stem for path in (assets_dir() / "lessons").glob("*.toml"))


def resolve_scenario(name_or_path: str) -> Path:
    """A scenario file path, or a lesson name resolved to ``assets/lessons/NAME.toml``."""
    path = Path(name_or_path)
    if path.is_file():
        return path
    lesson = assets_dir() / "lessons" / f"{name_or_path}.toml"
    if lesson.is_file():
        return lesson
    raise ScenarioError(
        f"{name_or_path}: no such scenario file or lesson (lessons: {', '.join(lesson_names()) or 'none'})")
