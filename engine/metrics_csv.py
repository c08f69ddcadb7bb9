"""Each pane's metric series as a CSV table: when something changed, and the values from then on.

Columns: ``t_ms, busy_stoves, utilization, kernel_memory_kib, tasks_completed``.
Every row is a moment when one of the step series changed (so a spreadsheet can
plot them as steps); the last row is the end of the run. The values are read
from the pane's Timeline, the same series the charts and the summary use.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np

from engine.run import PaneRun, ScenarioRun

COLUMNS = ("t_ms", "busy_stoves", "utilization", "kernel_memory_kib", "tasks_completed")


def _value_at(times: np.ndarray, values: np.ndarray, at: np.ndarray) -> np.ndarray:
    """A step series (0 before its first point) sampled at the times ``at``."""
    index = np.searchsorted(times, at, side="right") - 1
    return np.where(index >= 0, values[np.maximum(index, 0)], 0.0)


def pane_metric_table(pane: PaneRun) -> np.ndarray:
    """Rows of (t_ms, busy stoves, utilization 0..1, kernel memory KiB, tasks completed) up to the pane's end."""
    timeline = pane.timeline
    end = pane.reached_ms
    series = (timeline.busy, timeline.kernel_memory_kib, timeline.completed)
    times = np.union1d(np.concatenate([s.arrays()[0] for s in series]), [0.0, end])
    times = times[times <= end]
    busy, memory, completed = (_value_at(*s.arrays(), times) for s in series)
    return np.column_stack([times, busy, busy / timeline.cores, memory, completed])


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "pane"


def csv_paths(target: str | Path, stem: str, run: ScenarioRun) -> list[Path]:
    """One file per pane: ``DIR/STEM-pane1-one-to-one.csv`` for a folder, else ``PREFIX-pane1-....csv``."""
    target = Path(target)
    prefix = target / stem if target.is_dir() or str(target).endswith(("/", "\\")) else target
    labels = [pane.pane.label or pane.pane.model for pane in run.panes]
    return [prefix.with_name(f"{prefix.name}-pane{n}-{_slug(label)}.csv") for n, label in enumerate(labels, 1)]


def write_metrics_csv(run: ScenarioRun, target: str | Path, stem: str) -> list[Path]:
    """Write each pane's metric series as CSV (creating a missing folder); returns the files written."""
    paths = csv_paths(target, stem, run)
    for pane, path in zip(run.panes, paths):
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", newline="", encoding="utf-8") as file:
            writer = csv.writer(file)
            writer.writerow(COLUMNS)
            for t, busy, share, memory, done in pane_metric_table(pane).tolist():
                writer.writerow([f"{t:.10g}", int(busy), f"{share:.6g}", int(memory), int(done)])
    return paths
