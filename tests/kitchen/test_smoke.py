"""``--smoke-test`` and ``--first-paint``: what an installed app reports about its own window."""

import subprocess
import sys
import time

from kitchen import smoke
from kitchen.charts import PaneCharts
from kitchen.pane_view import KitchenView


def test_smoke_test_passes_on_the_real_window(qtbot, capsys):
    """The parallelism lesson plays, and the one-to-one kitchen shows all 8 stoves busy: exit 0, one line."""
    assert smoke.run_smoke_test() == 0
    out = capsys.readouterr().out
    assert out.startswith("thread-kitchen: smoke test passed: ")
    assert out.rstrip().endswith("one-to-one kitchen shows 8/8 stoves busy")
    assert out.count("\n") == 1


def test_smoke_test_names_what_is_wrong(qtbot, capsys, monkeypatch):
    """A kitchen that draws no glowing stoves fails with one line saying so (exit 1)."""
    monkeypatch.setattr(KitchenView, "glowing_stoves", lambda view: 0)
    assert smoke.run_smoke_test() == 1
    err = capsys.readouterr().err
    assert err == ("thread-kitchen: smoke test failed: the one-to-one kitchen shows 0 glowing stoves, "
                   "the engine says 8 are busy\n")


def test_smoke_test_reports_an_exception_in_one_line(qtbot, capsys, monkeypatch):
    """An error while building the window becomes a one-line reason, not a traceback."""
    def broken(window, name):
        raise RuntimeError("the pantry door is stuck")

    monkeypatch.setattr("kitchen.window.MainWindow.open_start", broken)
    assert smoke.run_smoke_test() == 1
    assert capsys.readouterr().err == "thread-kitchen: smoke test failed: RuntimeError: the pantry door is stuck\n"


def test_smoke_test_fails_on_an_error_inside_a_frame(qtbot, capsys, monkeypatch):
    """An exception raised by a frame (inside Qt's event loop) fails the smoke test with that error."""
    def broken(charts, timeline, t_ms):
        raise ValueError("a chef walked through the wall")

    monkeypatch.setattr(PaneCharts, "refresh", broken)
    assert smoke.run_smoke_test() == 1
    assert capsys.readouterr().err == "thread-kitchen: smoke test failed: ValueError: a chef walked through the wall\n"


def test_first_paint_prints_when_the_window_painted_and_exits():
    """``--first-paint`` starts the app, prints ``first-paint SECONDS`` after its first frame, and exits 0."""
    started = time.time()
    done = subprocess.run([sys.executable, "-m", "kitchen", "--first-paint"], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    word, seconds = done.stdout.split()
    assert word == "first-paint"
    assert started < float(seconds) < time.time()
