"""Sweep charts: one metric against the varied setting, a line per kitchen, with the lines that explain it.

``SweepChart`` is drawn live by the sweep dialog as results arrive and offscreen
by ``thread-kitchen sweep --plot`` (PNG through pyqtgraph's ImageExporter).
Reference lines carry the lesson: the pantry budget and the point where it is
full (80 MiB ÷ 64 KiB = 1280 chefs) on memory and refusal plots, and the number
of stoves on utilization-vs-chefs plots.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from pyqtgraph.exporters import ImageExporter
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QApplication, QWidget

from engine.scenario import Scenario
from kitchen.palette import BLUE, BLUISH_GREEN, INK, ORANGE, REDDISH_PURPLE, SKY_BLUE, VERMILLION

PANE_COLOURS = (BLUE, VERMILLION, BLUISH_GREEN, REDDISH_PURPLE, SKY_BLUE, ORANGE)
PANE_SYMBOLS = ("o", "s", "t", "d", "star", "h")
REFERENCE = "#7A1F1F"
PNG_SIZE = (1280, 720)
AXES = {  # metric: (chart title, y axis label, scale)
    "utilization": ("Stoves busy (utilization)", "% of stoves", 100.0),
    "cpu_busy_ms": ("Time our chefs spent cooking (CPU busy)", "simulated ms", 1.0),
    "makespan_ms": ("Time to finish every order (makespan)", "simulated ms", 1.0),
    "end_ms": ("When the run ended", "simulated ms", 1.0),
    "kernel_threads": ("Chefs at the peak (kernel threads)", "chefs", 1.0),
    "kernel_memory_peak_kib": ("Pantry shelf at its fullest (kernel memory)", "MiB", 1 / 1024),
    "threads_created": ("Chefs hired (kernel threads created)", "chefs", 1.0),
    "threads_refused": ("Chefs refused: the pantry was full", "chefs", 1.0),
    "tasks_completed": ("Orders completed", "orders", 1.0),
    "context_switch_ms": ("Time spent changing chefs (context switches)", "simulated ms", 1.0),
    "deadlocked": ("Deadlocked (1 = yes)", "deadlocked", 1.0),
    "response_ms.mean": ("Response time, mean", "simulated ms", 1.0),
    "response_ms.p50": ("Response time, median", "simulated ms", 1.0),
    "response_ms.p95": ("Response time, 95th percentile", "simulated ms", 1.0),
}
SETTING_WORDS = {"count": "order tickets", "threads": "threads", "kernel_threads": "chefs, i.e. kernel threads",
                 "cores": "stoves, i.e. CPU cores", "memory_budget_mib": "pantry shelf, MiB",
                 "time_slice_ms": "time slice, ms", "context_switch_ms": "context switch, ms"}


def metric_axes(metric: str) -> tuple[str, str, float]:
    """(title, y axis label, scale) for a metric; CPU shares are shown in percent."""
    if metric.startswith("cpu_share."):
        process = metric.split(".", 1)[1]
        who = "our process" if process == "ours" else repr(process)
        return f"CPU share of {who}: its part of all cooking", "% of cooking time", 100.0
    return AXES.get(metric, (metric, metric, 1.0))


def setting_label(path: str) -> str:
    """The x axis: the path, and what it counts in kitchen words."""
    words = SETTING_WORDS.get(path.rsplit(".", 1)[-1])
    return f"{path}: {words}" if words else path


def ensure_app() -> QApplication:
    """The running QApplication, or a new offscreen one (command-line plots need no display)."""
    app = QApplication.instance()
    if app is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QApplication([])
    return app


def _font(points: float) -> QFont:
    font = QFont()
    font.setPointSizeF(points)
    return font


class SweepChart(pg.PlotWidget):
    """A metric against the swept value, one line with markers per pane; fed with ``set_rows``."""

    def __init__(self, metric: str, path: str, scenario: Scenario, labels: list[str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent=parent, background="#ffffff")
        self.metric = metric
        title, y_label, self.scale = metric_axes(metric)
        item = self.getPlotItem()
        item.setTitle(title, color=INK, size="18pt")
        item.showGrid(x=True, y=True, alpha=0.25)
        item.setLabel("left", y_label, color=INK, **{"font-size": "14pt"})
        item.setLabel("bottom", setting_label(path), color=INK, **{"font-size": "14pt"})
        for side in ("left", "bottom"):
            item.getAxis(side).setTickFont(_font(13))
            item.getAxis(side).setTextPen(INK)
        item.addLegend(offset=(-12, 12), labelTextColor=INK, labelTextSize="13pt")
        self.lines = [self._line(index, label) for index, label in enumerate(labels)]
        self.references = reference_lines(metric, path, scenario)
        for line in self.references:
            self.addItem(line)

    def _line(self, index: int, label: str) -> pg.PlotDataItem:
        colour = QColor(PANE_COLOURS[index % len(PANE_COLOURS)])
        return self.plot([], [], name=f"pane {index + 1}: {label}", pen=pg.mkPen(colour, width=3),
                         symbol=PANE_SYMBOLS[index % len(PANE_SYMBOLS)], symbolSize=9, symbolBrush=colour,
                         symbolPen=pg.mkPen(colour), connect="finite")

    def set_rows(self, rows: list[dict]) -> None:
        """Show the rows received so far (any order); a missing value leaves a gap."""
        for number, line in enumerate(self.lines, start=1):
            mine = sorted((row for row in rows if row["pane"] == number), key=lambda row: row["value"])
            x = np.array([row["value"] for row in mine], dtype=float)
            y = np.array([np.nan if row[self.metric] is None else row[self.metric] * self.scale for row in mine],
                         dtype=float)
            line.setData(x, y)
        self._fit_y(rows)

    def _fit_y(self, rows: list[dict]) -> None:
        """Zero-based y range with room at the top for the legend and the line labels."""
        values = [row[self.metric] * self.scale for row in rows if row[self.metric] is not None]
        levels = [line.value() for line in self.references if line.angle == 0]
        top = max([*values, *levels, 0.0]) or 1.0
        self.setYRange(min([*values, 0.0]) - 0.02 * top, top * 1.3, padding=0)


def reference_lines(metric: str, path: str, scenario: Scenario) -> list[pg.InfiniteLine]:
    """Budget and tipping-point lines for memory and refusals; the stove count for utilization vs chefs."""
    if path.startswith("machine."):
        return []
    machine, setting = scenario.machine, path.rsplit(".", 1)[-1]
    budget_kib = machine.memory_budget_mib * 1024
    fit = int(budget_kib // machine.kernel_thread_kib)
    lines = []
    if metric == "kernel_memory_peak_kib":
        lines.append(_reference(0, machine.memory_budget_mib, f"pantry budget {machine.memory_budget_mib:g} MiB"))
    if metric in ("kernel_memory_peak_kib", "threads_refused") and setting in ("count", "threads"):
        lines.append(_reference(90, fit, f"{fit} chefs fit ({machine.memory_budget_mib:g} MiB ÷ "
                                         f"{machine.kernel_thread_kib} KiB)"))
    if metric == "utilization" and setting == "kernel_threads":
        lines.append(_reference(90, machine.cores, f"{machine.cores} stoves"))
    return lines


def _reference(angle: int, value: float, text: str) -> pg.InfiniteLine:
    line = pg.InfiniteLine(pos=value, angle=angle, movable=False,
                           pen=pg.mkPen(REFERENCE, width=2, style=Qt.PenStyle.DashLine), label=text,
                           labelOpts={"position": 0.5 if angle == 90 else 0.2, "color": REFERENCE,
                                      "fill": "#ffffffd0", "anchors": [(0, 0.5), (0, 0.5)] if angle == 90
                                      else [(0.5, 1), (0.5, 1)]})
    line.label.setFont(_font(13))
    return line


def plot_paths(png: str | Path, metrics: list[str]) -> list[Path]:
    """``FILE.png`` for one metric; ``FILE-METRIC.png`` for each of several."""
    png = Path(png)
    if len(metrics) == 1:
        return [png]
    return [png.with_name(f"{png.stem}-{metric.replace('.', '-')}{png.suffix}") for metric in metrics]


def save_sweep_plots(rows: list[dict], metrics: list[str], png: str | Path, path: str, scenario: Scenario,
                     size: tuple[int, int] = PNG_SIZE) -> list[Path]:
    """Render one PNG per metric offscreen; returns the files written (raises OSError if one cannot be)."""
    ensure_app()
    labels = [pane.label or pane.model for pane in scenario.panes]
    written = []
    for metric, target in zip(metrics, plot_paths(png, metrics)):
        chart = SweepChart(metric, path, scenario, labels)
        chart.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        chart.resize(*size)
        chart.show()
        chart.set_rows(rows)
        QApplication.processEvents()
        save_png(chart, target, size[0])
        chart.close()
        chart.deleteLater()
        written.append(target)
    return written


def save_png(chart: pg.PlotWidget, target: Path, width: int) -> None:
    """Export a chart's plot to PNG at ``width`` pixels (ImageExporter reports failure as False)."""
    exporter = ImageExporter(chart.getPlotItem())
    exporter.parameters()["width"] = width
    if exporter.export(str(target)) is False or not target.exists():
        raise OSError(f"could not save {target}")
