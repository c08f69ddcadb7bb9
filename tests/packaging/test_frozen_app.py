"""The frozen desktop app (PyInstaller), as a user gets it: unpack the archive, launch, check.

Slow: the session builds the bundle once (``packaging/build.py``, about half a
minute); ``.ci/run`` runs these with the rest of the suite.
"""

import configparser
import json
import os
import platform
import subprocess
import sys
import tarfile

import pytest

import engine
from engine.assets import lesson_names
from kitchen.cli import main as source_cli

pytestmark = pytest.mark.slow

ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def run(executable, *args, env_extra=None, tmp_path=None):
    """Run a frozen executable offscreen with its own settings folder; return the CompletedProcess."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env_extra or {})}
    if tmp_path is not None:
        env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    return subprocess.run([str(executable), *args], capture_output=True, text=True, env=env, timeout=300)


def test_smoke_test_passes_in_the_unpacked_archive(frozen, tmp_path):
    """The window opens on the parallelism lesson, plays, and shows the one-to-one kitchen's 8/8 busy stoves."""
    done = run(frozen.unpacked / "thread-kitchen" / "thread-kitchen", "--smoke-test", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("thread-kitchen: smoke test passed: ")
    assert done.stdout.rstrip().endswith("one-to-one kitchen shows 8/8 stoves busy")


def test_frozen_cli_gives_the_same_json_as_the_source(frozen, capsys):
    """``thread-kitchen simulate parallelism --json`` frozen and from source: the same numbers."""
    done = run(frozen.app / "thread-kitchen", "simulate", "parallelism", "--json")
    assert done.returncode == 0, done.stderr
    assert source_cli(["simulate", "parallelism", "--json"]) == 0
    assert json.loads(done.stdout) == json.loads(capsys.readouterr().out)


def test_every_lesson_is_bundled(frozen):
    """The frozen app lists the same lessons as the checkout (the assets folder kept its subfolders)."""
    done = run(frozen.app / "thread-kitchen", "simulate", "no-such-lesson")
    assert done.returncode == 2
    assert done.stderr.strip().endswith(f"(lessons: {', '.join(lesson_names())})")


def test_version_is_the_package_version(frozen):
    """``thread-kitchen --version`` prints ``thread-kitchen`` and ``engine.__version__``."""
    done = run(frozen.app / "thread-kitchen", "--version")
    assert (done.returncode, done.stdout) == (0, f"thread-kitchen {engine.__version__}\n")


def test_sweep_runs_its_worker_processes_frozen(frozen, tmp_path):
    """A two-worker sweep (each worker is the frozen executable again) gives the source's table."""
    args = ["sweep", "parallelism", "--vary", "machine.cores=1:2:1", "--workers", "2"]
    done = run(frozen.app / "thread-kitchen", *args, "-o", str(tmp_path / "frozen.json"))
    assert done.returncode == 0, done.stderr
    source = run(sys.executable, "-m", "kitchen", *args, "-o", str(tmp_path / "source.json"))
    assert source.returncode == 0, source.stderr
    frozen_rows = json.loads((tmp_path / "frozen.json").read_text())["rows"]
    assert frozen_rows == json.loads((tmp_path / "source.json").read_text())["rows"]
    assert [row["utilization"] for row in frozen_rows if row["value"] == 2] == [1.0, 0.5, 1.0]


def test_bundle_leaves_out_unused_qt(frozen):
    """No Qt translations, QML/Quick, networking/TLS or GTK theme: they are most of a default build's size."""
    unused = ("libQt6Qml", "libQt6Quick", "libQt6Network", "libqgtk3", "QtNetwork", "QtQml", "libssl", "libcrypto")
    names = [path.name for path in frozen.app.rglob("*")]
    assert [name for name in names if name.endswith(".qm") or name.startswith(unused)] == []


def test_archive_is_named_for_version_and_machine(frozen):
    """The archive is ``thread-kitchen-VERSION-OS-ARCH.tar.gz``, e.g. ``thread-kitchen-0.1.0-linux-x86_64``."""
    machine = platform.machine().lower().replace("amd64", "x86_64")
    assert frozen.archive.name == f"thread-kitchen-{engine.__version__}-{platform.system().lower()}-{machine}.tar.gz"


def test_archive_holds_app_desktop_entry_and_icons(frozen):
    """The archive has the app (runnable), the .desktop entry and its installer, the SVG icon and 16–512 px PNGs."""
    stem = frozen.unpacked.name
    with tarfile.open(frozen.archive) as tar:
        members = {member.name: member for member in tar.getmembers()}
    for executable in (f"{stem}/thread-kitchen/thread-kitchen", f"{stem}/install-desktop-entry.sh"):
        assert members[executable].mode & 0o111, executable
    expected = [f"{stem}/thread-kitchen.desktop", f"{stem}/icons/hicolor/scalable/apps/thread-kitchen.svg"]
    expected += [f"{stem}/icons/hicolor/{n}x{n}/apps/thread-kitchen.png" for n in ICON_SIZES]
    assert [name for name in expected if name not in members] == []


def test_desktop_entry_installs_for_the_user(frozen, tmp_path):
    """``install-desktop-entry.sh`` puts a menu entry that runs the unpacked app, and the icons, in XDG_DATA_HOME."""
    data = tmp_path / "data"
    done = subprocess.run([str(frozen.unpacked / "install-desktop-entry.sh")], capture_output=True, text=True,
                          env={**os.environ, "XDG_DATA_HOME": str(data)})
    assert done.returncode == 0, done.stderr
    entry = configparser.ConfigParser(interpolation=None)
    entry.read(data / "applications" / "thread-kitchen.desktop")
    desktop = entry["Desktop Entry"]
    assert (desktop["Name"], desktop["Icon"], desktop["Type"]) == ("Thread Kitchen", "thread-kitchen", "Application")
    assert desktop["Exec"] == f'"{frozen.unpacked}/thread-kitchen/thread-kitchen"'
    assert (data / "icons" / "hicolor" / "48x48" / "apps" / "thread-kitchen.png").is_file()
