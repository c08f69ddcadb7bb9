"""Kitchen test setup: settings go to a temporary folder, and a window fixture on the parallelism lesson."""

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
FRAME_S = 1 / 60


@pytest.fixture(autouse=True)
def _temporary_settings(tmp_path, monkeypatch):
    """QSettings (and the app's XDG config) go to tmp_path, never to the user's real settings."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    from PySide6.QtCore import QSettings

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.IniFormat, scope, str(tmp_path / "settings"))


@pytest.fixture
def settings(tmp_path):
    from PySide6.QtCore import QSettings

    return QSettings(str(tmp_path / "settings" / "kitchen.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, settings):
    """The real main window on the parallelism lesson, shown, paused, with its clock stopped (tests tick it),
    at the app's default 200 ms/s (tests count frames at that speed, whatever the lesson's own)."""
    from kitchen.player import DEFAULT_SPEED
    from kitchen.window import MainWindow

    win = MainWindow(settings)
    win.choose_lesson("parallelism")
    win.player.pause()
    win.player.set_speed(DEFAULT_SPEED)
    win.show()
    qtbot.waitExposed(win)
    win.player.stop_clock()
    yield win
    win.dirty = False
    win.close()


@pytest.fixture
def blocking(window):
    """The window on the blocking lesson, paused."""
    window.choose_lesson("blocking")
    window.player.pause()
    return window


def play_frames(win, frames: int, dt_s: float = FRAME_S) -> None:
    """Play ``frames`` frames of ``dt_s`` seconds each, as the frame clock would."""
    win.player.play()
    for _ in range(frames):
        win.player.tick(dt_s)
