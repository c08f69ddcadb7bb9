"""Startup of the frozen app: launch to first painted frame, against a minimal frozen PySide6 + pyqtgraph window.

Prints one JSON object. Targets (issue 6): the app's median at most 2 × the
minimal window's, measured in the same run; the one-folder bundle at most 120 MB.

    python benchmarks/startup.py [--runs 7] [--reuse]

Both programs are frozen in this run (``--reuse`` keeps bundles already built):
the app with ``packaging/build.py`` into ``dist/``, the minimal window
(``packaging/minimal_window.py``: one pyqtgraph plot, the app's window size)
with ``packaging/minimal-window.spec``, which uses the app's excludes and
stripping, so the ratio compares the programs, not their packaging. Each run
starts a fresh process offscreen (``QT_QPA_PLATFORM=offscreen``; no display
needed) with empty settings, as on a first launch; the program prints the
wall-clock time of its first painted frame (``--first-paint``) and exits. The
two programs alternate, after one unrecorded warm-up run each.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIST, WORK = ROOT / "dist", ROOT / "build" / "benchmark"
TARGET_RATIO, TARGET_BUNDLE_MB = 2.0, 120.0


def _build_script():
    """``packaging/build.py`` as a module (packaging/ is not a package: PyPI's ``packaging`` owns that name)."""
    spec = importlib.util.spec_from_file_location("thread_kitchen_build", ROOT / "packaging" / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build(reuse: bool) -> tuple[Path, Path]:
    """The app's and the minimal window's executables, frozen now unless ``reuse`` and present."""
    app, minimal = DIST / "thread-kitchen" / "thread-kitchen", WORK / "dist" / "minimal-window" / "minimal-window"
    if not (reuse and app.exists()):
        subprocess.run([sys.executable, str(ROOT / "packaging" / "build.py")], check=True, stdout=subprocess.DEVNULL)
    if not (reuse and minimal.exists()):
        subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                        "--distpath", str(WORK / "dist"), "--workpath", str(WORK / "work"),
                        str(ROOT / "packaging" / "minimal-window.spec")], check=True, cwd=ROOT)
    return app, minimal


def first_paint_ms(command: list[str]) -> float:
    """Milliseconds from starting ``command`` to the first painted frame it reports."""
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": home}
        started = time.time()
        done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120, check=True)
    painted = [line.split()[1] for line in done.stdout.splitlines() if line.startswith("first-paint ")]
    if not painted:
        raise SystemExit(f"{command[0]} printed no first-paint line:\n{done.stdout}\n{done.stderr}")
    return (float(painted[0]) - started) * 1000


def measure(commands: dict[str, list[str]], runs: int) -> dict[str, list[float]]:
    """Alternate the programs ``runs`` times each, after one warm-up run each."""
    for command in commands.values():
        first_paint_ms(command)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            times[name].append(first_paint_ms(command))
    return times


def summary(times: list[float]) -> dict:
    return {"median": round(statistics.median(times), 1), "min": round(min(times), 1),
            "runs": [round(t, 1) for t in times]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs of each program (default 7)")
    parser.add_argument("--reuse", action="store_true", help="use bundles already built instead of rebuilding")
    args = parser.parse_args(argv)
    app, minimal = build(args.reuse)
    times = measure({"app": [str(app), "--first-paint"], "minimal": [str(minimal)]}, args.runs)
    folder_bytes = _build_script().folder_bytes
    sizes = {name: folder_bytes(path.parent) / 1e6 for name, path in (("app", app), ("minimal", minimal))}
    result = {
        "app_first_paint_ms": summary(times["app"]),
        "minimal_window_first_paint_ms": summary(times["minimal"]),
        "ratio": round(statistics.median(times["app"]) / statistics.median(times["minimal"]), 2),
        "target_ratio": TARGET_RATIO,
        "bundle_mb": {"app": round(sizes["app"], 1), "minimal_window": round(sizes["minimal"], 1),
                      "target": TARGET_BUNDLE_MB},
        "qt_platform": "offscreen",
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
