"""Live charts (pyqtgraph) of what the kitchens did so far: stoves busy, pantry use, orders completed.

Every chart reads a pane's Timeline metric ``Series`` (step functions) up to
the playhead, so the charts never show the future and agree with the CLI's
numbers. Plot items are created once and fed with ``setData``; the window
calls ``refresh`` at 10–20 Hz, not every frame. The x axis is simulated time
from 0 to the playhead, so the curves grow as the kitchen plays.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QHBoxLayout, QWidget

BACKGROUND = "#ffffff"
INK = "#333333"
GRID_ALPHA = 0.25
SMOOTH_SAMPLES = 240
SMOOTH_FRACTION = 1 / 25  # moving-average window as a share of the time shown


def step_until(series, until_ms: float) -> tuple[np.ndarray, np.ndarray]:
    """A series' (t, v) points up to ``until_ms``, ending with a point at ``until_ms``."""
    times, values = series.arrays()
    end = int(np.searchsorted(times, until_ms, side="right"))
    last = values[end - 1] if end else 0.0
    return np.append(times[:end], until_ms), np.append(values[:end], last)


def as_steps(times: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Corner points of a step function, so a plain line draws the steps exactly."""
    return np.repeat(times, 2)[1:], np.repeat(values, 2)[:-1]


def moving_average(times: np.ndarray, values: np.ndarray, window_ms: float,
                   samples: int = SMOOTH_SAMPLES) -> tuple[np.ndarray, np.ndarray]:
    """Exact time-weighted moving average of a step function (last point of ``times`` = the end)."""
    end = times[-1]
    if end <= 0:
        return np.zeros(1), values[-1:].astype(float)
    integral = np.concatenate(([0.0], np.cumsum(values[:-1] * np.diff(times))))
    x = np.linspace(0.0, end, samples)
    lower = np.maximum(x - window_ms, 0.0)
    area = np.interp(x, times, integral) - np.interp(lower, times, integral)
    width = x - lower
    averaged = np.divide(area, width, out=np.full_like(x, float(values[0])), where=width > 0)
    return x, averaged


def _pen(color: str, width: float, style=Qt.PenStyle.SolidLine):
    return pg.mkPen(QColor(color), width=width, style=style)


class TimeChart(pg.PlotWidget):
    """A chart over simulated time with readable text, no mouse zoom and the x axis at 0..playhead."""

    def __init__(self, title: str, y_label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent=parent, background=BACKGROUND)
        self.setMinimumHeight(110)
        item = self.getPlotItem()
        item.setMenuEnabled(False)
        item.hideButtons()
        self.setMouseEnabled(x=False, y=False)
        item.showGrid(x=True, y=True, alpha=GRID_ALPHA)
        item.setClipToView(True)
        item.setDownsampling(auto=True, mode="peak")
        item.setLabel("left", y_label, color=INK)
        item.setLabel("bottom", "simulated ms", color=INK)
        font = QFont()
        font.setPointSizeF(9.5)
        for side in ("left", "bottom"):
            axis = item.getAxis(side)
            axis.setTickFont(font)
            axis.setTextPen(INK)
            axis.setPen(INK)
        self._base_title = title
        self.set_caption(title)

    def set_caption(self, text: str) -> None:
        self.getPlotItem().setTitle(text, color=INK, size="11pt")

    def follow(self, playhead_ms: float) -> None:
        self.setXRange(0.0, max(playhead_ms, 1.0), padding=0.02)


class UtilizationChart(TimeChart):
    """One kitchen's stoves busy (% of cores) over time: the raw steps, filled, and a moving average."""

    def __init__(self, color: str, parent: QWidget | None = None) -> None:
        super().__init__("Stoves busy", "% of stoves", parent)
        self.setYRange(0, 105, padding=0)
        fill = QColor(color)
        fill.setAlpha(55)
        self.raw = self.plot([0.0], [0.0], pen=_pen(color, 1), fillLevel=0, brush=fill)
        self.smooth = self.plot([0.0], [0.0], pen=_pen(INK, 2.5, Qt.PenStyle.DashLine))

    def refresh(self, timeline, playhead_ms: float) -> None:
        times, busy = step_until(timeline.busy, playhead_ms)
        percent = busy * (100.0 / timeline.cores)
        self.raw.setData(*as_steps(times, percent))
        self.smooth.setData(*moving_average(times, percent, max(playhead_ms * SMOOTH_FRACTION, 1.0)))
        self.set_caption(f"Stoves busy: {int(busy[-1])} of {timeline.cores}")
        self.follow(playhead_ms)


class MemoryChart(TimeChart):
    """One kitchen's pantry (kernel memory for its chefs) over time, against the budget line."""

    def __init__(self, color: str, budget_mib: float, parent: QWidget | None = None) -> None:
        super().__init__("Pantry", "MiB", parent)
        fill = QColor(color)
        fill.setAlpha(55)
        self.used = self.plot([0.0], [0.0], pen=_pen(color, 2), fillLevel=0, brush=fill)
        self.budget = pg.InfiniteLine(angle=0, movable=False, pen=_pen("#b2182b", 2, Qt.PenStyle.DashLine),
                                      label="budget {value:g} MiB",
                                      labelOpts={"position": 0.02, "color": "#b2182b", "anchors": [(0, 1), (0, 1)]})
        self.addItem(self.budget)
        self.set_budget(budget_mib)

    def set_budget(self, budget_mib: float) -> None:
        self.budget.setValue(budget_mib)
        self.setYRange(0, budget_mib * 1.18, padding=0)

    def refresh(self, timeline, playhead_ms: float) -> None:
        times, kib = step_until(timeline.kernel_memory_kib, playhead_ms)
        mib = kib / 1024.0
        self.used.setData(*as_steps(times, mib))
        chefs = int(kib[-1]) // timeline.kernel_thread_kib
        self.set_caption(f"Pantry: {mib[-1]:.2f} MiB ({chefs} chef locker{'s' * (chefs != 1)})")
        self.follow(playhead_ms)


class PaneCharts(QWidget):
    """The two charts under one kitchen pane."""

    def __init__(self, color: str, budget_mib: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.utilization = UtilizationChart(color)
        self.memory = MemoryChart(color, budget_mib)
        layout.addWidget(self.utilization)
        layout.addWidget(self.memory)

    def refresh(self, timeline, playhead_ms: float) -> None:
        self.utilization.refresh(timeline, playhead_ms)
        self.memory.refresh(timeline, playhead_ms)


class ComparisonChart(TimeChart):
    """Every kitchen's stoves busy (moving average) on one chart, in the panes' colours."""

    def __init__(self, colors: list[str], labels: list[str], parent: QWidget | None = None) -> None:
        super().__init__("Stoves busy, kitchens compared (moving average)", "% of stoves", parent)
        self.setYRange(0, 105, padding=0)
        self.addLegend(offset=(-8, 8), labelTextColor=INK, labelTextSize="10pt")
        self.lines = [self.plot([0.0], [0.0], pen=_pen(color, 3), name=label)
                      for color, label in zip(colors, labels)]

    def refresh(self, timelines: list, playhead_ms: float) -> None:
        window = max(playhead_ms * SMOOTH_FRACTION, 1.0)
        for line, timeline in zip(self.lines, timelines):
            times, busy = step_until(timeline.busy, playhead_ms)
            line.setData(*moving_average(times, busy * (100.0 / timeline.cores), window))
        self.follow(playhead_ms)


class CompletedChart(TimeChart):
    """Orders completed over time, one line per kitchen."""

    def __init__(self, colors: list[str], labels: list[str], total: int, parent: QWidget | None = None) -> None:
        super().__init__("Orders completed", "orders", parent)
        self.setYRange(0, max(total, 1) * 1.05, padding=0)
        self.total = total
        self.addLegend(offset=(8, 8), labelTextColor=INK, labelTextSize="10pt")
        self.lines = [self.plot([0.0], [0.0], pen=_pen(color, 3), name=label)
                      for color, label in zip(colors, labels)]

    def refresh(self, timelines: list, playhead_ms: float) -> None:
        done = []
        for line, timeline in zip(self.lines, timelines):
            times, completed = step_until(timeline.completed, playhead_ms)
            line.setData(*as_steps(times, completed))
            done.append(int(completed[-1]))
        self.set_caption(f"Orders completed (of {self.total}): {' · '.join(map(str, done))}")
        self.follow(playhead_ms)
