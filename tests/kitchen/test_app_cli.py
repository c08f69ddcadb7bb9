"""The app as users start it: ``python -m kitchen`` boots and quits, and ``shot`` writes a PNG."""

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[2]


def _run(tmp_path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"),
               HOME=str(tmp_path))
    return subprocess.run([sys.executable, "-m", "kitchen", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


def test_the_app_boots_on_parallelism_and_quits_cleanly(tmp_path):
    """``python -m kitchen --quit-after 1000`` opens the window, plays for a second and exits 0."""
    result = _run(tmp_path, "--quit-after", "1000")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    settings = (tmp_path / "config" / "Thread Kitchen" / "Thread Kitchen.conf").read_text()
    assert "last=parallelism" in settings


def test_shot_saves_the_window_at_the_asked_size(tmp_path):
    """``shot parallelism --at 500 --size 1024x576`` writes a 1024 × 576 PNG."""
    output = tmp_path / "p500.png"
    result = _run(tmp_path, "shot", "parallelism", "--at", "500", "-o", str(output), "--size", "1024x576")
    assert result.returncode == 0, result.stderr
    image = QImage(str(output))
    assert (image.width(), image.height()) == (1024, 576)


def test_shot_with_bad_arguments_says_so_in_one_line(tmp_path):
    """A bad size, a missing lesson or a missing folder: one line on stderr and exit status 2."""
    cases = [("parallelism", "--at", "5", "-o", str(tmp_path / "a.png"), "--size", "big"),
             ("no-such-lesson", "--at", "5", "-o", str(tmp_path / "a.png")),
             ("parallelism", "--at", "-3", "-o", str(tmp_path / "a.png")),
             ("parallelism", "--at", "5", "-o", str(tmp_path / "missing" / "a.png"))]
    for args in cases:
        result = _run(tmp_path, "shot", *args)
        assert result.returncode == 2, args
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert not (tmp_path / "a.png").exists()


def test_headless_commands_never_import_qt():
    """``thread-kitchen simulate`` runs without loading PySide6 or pyqtgraph (fast start, no display)."""
    code = ("import sys, kitchen.cli; kitchen.cli.main(['simulate', 'parallelism', '--until', '50']); "
            "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph'))))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
