"""``thread-kitchen shot``: render the real window offscreen at a simulated time and save a PNG.

Used for slides, for the README's pictures and for checking what users see.
The window is built exactly as the app builds it, but with no saved settings,
so every screenshot of the same lesson, time and size looks the same.
"""

from __future__ import annotations

import argparse
import os
import re
from pathlib import Path

from engine.assets import lesson_names, resolve_scenario
from engine.scenario import load_scenario

SETTLE_FRAMES = 12
SETTLE_DT_S = 0.1
MIN_SIZE, MAX_SIZE = 320, 7680


def parse_size(text: str) -> tuple[int, int]:
    """``1600x900`` → (1600, 900); argparse reports anything else in one line."""
    match = re.fullmatch(r"\s*(\d+)\s*[xX×]\s*(\d+)\s*", text)
    if not match:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size like 1600x900")
    width, height = int(match.group(1)), int(match.group(2))
    if not (MIN_SIZE <= width <= MAX_SIZE and MIN_SIZE <= height <= MAX_SIZE):
        raise argparse.ArgumentTypeError(f"{text!r}: width and height must be {MIN_SIZE}..{MAX_SIZE} pixels")
    return width, height


def render(scenario_name: str, at_ms: float | None, size: tuple[int, int], presenter: bool = False,
           step: int | None = None):
    """The window showing ``scenario_name`` at ``at_ms`` (tweens settled, charts fed), as a QImage.

    ``presenter`` uses presenter mode's sizes (not full screen); ``step`` shows the guided lesson at that
    step's moment (1 = the first) instead of ``at_ms``.
    """
    if "QT_QPA_PLATFORM" not in os.environ:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from kitchen.app import make_app
    from kitchen.window import MainWindow

    scenario = load_scenario(resolve_scenario(scenario_name))
    make_app()
    window = MainWindow(settings=None)
    lesson = scenario_name if scenario_name in lesson_names() else None
    window.set_scenario(scenario, lesson=lesson, path=None if lesson else Path(scenario_name))
    window.use_lesson_speed()  # the status bar and speed slider show the lesson's own pace
    window.resize(*size)
    window.show()
    window.player.stop_clock()
    try:
        window.lesson_mode.set_presenter(presenter, full_screen=False)
        at_ms = window.lesson_mode.show_step(step) if step is not None else at_ms
        show_moment(window, at_ms)
        return window.grab().toImage()
    finally:
        window.close()


def show_moment(window, at_ms: float) -> None:
    """Seek every pane to ``at_ms``, let the chefs finish walking, and feed the charts."""
    from PySide6.QtWidgets import QApplication

    window.player.seek(at_ms)
    for _ in range(SETTLE_FRAMES):
        window.player.tick(SETTLE_DT_S)
        QApplication.processEvents()
    window.refresh_charts()
    QApplication.processEvents()


def save_shot(scenario_name: str, at_ms: float | None, output: Path, size: tuple[int, int],
              presenter: bool = False, step: int | None = None) -> str | None:
    """Render and write the PNG; return a one-line problem, or None when saved."""
    if not output.parent.is_dir():
        return f"{output}: the folder {output.parent} does not exist"
    try:
        image = render(scenario_name, at_ms, size, presenter, step)
    except ValueError as error:
        return f"{scenario_name}: {error}"
    if not image.save(str(output), "PNG"):
        return f"{output}: cannot write the PNG file"
    return None
