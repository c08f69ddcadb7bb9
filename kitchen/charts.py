"""Live charts (pyqtgraph) of what the kitchens did so far: stoves busy, pantry use, orders completed.

Every chart reads a pane's Timeline metric ``Series`` (step functions) up to
the playhead, so the charts never show the future and agree with the CLI's
numbers. Plot items are created once and fed with ``setData``; the window
calls ``refresh`` at 10–20 Hz, not every frame. Long series are drawn one
value per time bin (the exact mean, or the peak), so drawing stays cheap and the
curve still ends at the playhead (pyqtgraph's own peak downsampling drops a
series' last points, which hid the end of a run). The x axis is simulated time
from 0 to the playhead, so the curves grow as the kitchen plays.
"""

from __future__ import annotations

import html
from functools import lru_cache

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QTextDocument
from PySide6.QtWidgets import QGraphicsItem, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from kitchen.palette import INK, grouped

BACKGROUND = "#ffffff"
BUDGET = "#B2182B"  # the pantry's budget line (a warning red that stays distinct from the pane colours)

GRID_ALPHA = 0.25
SMOOTH_SAMPLES = 240
PIXELS_PER_BIN, MIN_BINS = 4, 24  # the utilization steps are averaged per bin when denser than this
SMOOTH_FRACTION = 1 / 10  # moving-average window as a share of the time shown
BUDGET_HEADROOM = 1.35  # room above the budget line for its label (use never crosses the line)
AXIS_STEPS = (1, 1.5, 2, 3, 4, 5, 6, 8, 10)
NOISY_STEPS = 40  # more steps than this and the utilization chart adds its moving average
PERCENT_TOP = 115  # room above 100 % so its tick label shows
CAPTION_MARGIN_PX = 12  # the caption's padding and a little air
FEW_ORDERS = 10  # up to this many orders the completed chart ticks every whole order (or every other)
PERCENT_TICKS = [(0, "0"), (50, "50%"), (100, "100%")]


def step_until(series, until_ms: float) -> tuple[np.ndarray, np.ndarray]:
    """A series' (t, v) points up to ``until_ms``, ending with a point at ``until_ms``."""
    times, values = series.arrays()
    end = int(np.searchsorted(times, until_ms, side="right"))
    last = values[end - 1] if end else 0.0
    return np.append(times[:end], until_ms), np.append(values[:end], last)


def as_steps(times: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Corner points of a step function, so a plain line draws the steps exactly."""
    return np.repeat(times, 2)[1:], np.repeat(values, 2)[:-1]


def binned_steps(times: np.ndarray, values: np.ndarray, bins: int = SMOOTH_SAMPLES,
                 peak: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Steps to draw: the series itself, or when it has more steps than bins, one value per time bin.

    Each bin shows the exact time-weighted mean (utilization) or, with ``peak``, the highest value
    reached in it (memory, counts), so nothing is lost: the last bin ends exactly at the playhead.
    """
    if len(times) <= bins:
        return as_steps(times, values)
    edges = np.linspace(0.0, times[-1], bins + 1)
    per_bin = _bin_peaks(times, values, edges) if peak else _bin_means(times, values, edges)
    return as_steps(edges, np.append(per_bin, per_bin[-1]))


def _bin_means(times: np.ndarray, values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    return np.diff(np.interp(edges, times, _integral(times, values))) / np.diff(edges)


def _bin_peaks(times: np.ndarray, values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Max of the steps overlapping each bin [edges[i], edges[i+1])."""
    active = np.clip(np.searchsorted(times, edges, side="right") - 1, 0, None)  # step in force at each edge
    peaks = np.maximum.reduceat(values, active[:-1])
    starts_inside = times[active[1:]] < edges[1:]
    return np.where(starts_inside, np.maximum(peaks, values[active[1:]]), peaks)


def _integral(times: np.ndarray, values: np.ndarray) -> np.ndarray:
    """The running integral of a step function at each of its points (exact, piecewise linear between)."""
    return np.concatenate(([0.0], np.cumsum(values[:-1] * np.diff(times))))


def moving_average(times: np.ndarray, values: np.ndarray, window_ms: float,
                   samples: int = SMOOTH_SAMPLES) -> tuple[np.ndarray, np.ndarray]:
    """Exact time-weighted moving average of a step function (last point of ``times`` = the end)."""
    end = times[-1]
    if end <= 0:
        return np.zeros(1), values[-1:].astype(float)
    integral = _integral(times, values)
    x = np.linspace(0.0, end, samples)
    lower = np.maximum(x - window_ms, 0.0)
    area = np.interp(x, times, integral) - np.interp(lower, times, integral)
    width = x - lower
    averaged = np.divide(area, width, out=np.full_like(x, float(values[0])), where=width > 0)
    return x, averaged


def _pen(colour: str, width: float, style=Qt.PenStyle.SolidLine):
    return pg.mkPen(QColor(colour), width=width, style=style)


class TimeChart(QWidget):
    """A caption (rich text) above a plot over simulated time: readable text, no mouse zoom, x = 0..playhead."""

    def __init__(self, title: str, y_label: str = "", x_label: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caption = QLabel()
        self.caption.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.caption.setStyleSheet(f"color: {INK}; font-size: 11pt; background: {BACKGROUND}; padding: 2px")
        # no context menu (mouse zoom is off): a ViewBox without one is cheaper to create, so the app starts sooner
        self.plot_widget = pg.PlotWidget(background=BACKGROUND, viewBox=pg.ViewBox(enableMenu=False))
        self.plot_widget.setMinimumSize(120, 60)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.caption)
        layout.addWidget(self.plot_widget, 1)
        self.plot_item = self.plot_widget.getPlotItem()
        self._style_plot(y_label, x_label)
        self._x_end = 0.0
        self.set_caption(title)

    def _style_plot(self, y_label: str, x_label: str) -> None:
        item = self.plot_item
        item.setMenuEnabled(False)
        item.hideButtons()
        item.setMouseEnabled(x=False, y=False)
        item.showGrid(x=True, y=True, alpha=GRID_ALPHA)
        item.setClipToView(True)
        for side, label in (("left", y_label), ("bottom", x_label)):
            if label:
                item.setLabel(side, label, color=INK)
            axis = item.getAxis(side)
            axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)  # ticks, text and grid: redrawn only on change
            axis.setTickFont(_tick_font())
            axis.setTextPen(INK)
            axis.setPen(INK)

    def set_caption(self, *captions: str) -> None:
        """The chart's heading (rich text): the first of ``captions`` that fits the width (else the last)."""
        self._captions = captions
        self._fit_caption()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_caption()

    def _fit_caption(self) -> None:
        """One line if a caption fits; else the next-to-last on two lines (a legend keeps its names); else the
        last, shortest one."""
        text = next((caption for caption in self._captions[:-1] if self._fits(caption)), None)
        wrap = text is None and len(self._captions) > 2 and self._fits(self._captions[-2], lines=2)
        if text is None:
            text = self._captions[-2] if wrap else self._captions[-1]
        if wrap != self.caption.wordWrap():
            self.caption.setWordWrap(wrap)
        if text != self.caption.text():
            self.caption.setText(text)

    def _fits(self, caption: str, lines: int = 1) -> bool:
        room = self.width() - CAPTION_MARGIN_PX
        return _html_width(caption, self.caption.font().toString()) <= room * (1.0 if lines == 1 else lines * 0.85)

    def line(self, colour: str, width: float, fill: bool = False, style=Qt.PenStyle.SolidLine):
        """A plot item created once and fed with ``setData`` afterwards."""
        brush = QColor(colour) if fill else None
        if brush is not None:
            brush.setAlpha(55)
        return self.plot_item.plot([0.0], [0.0], pen=_pen(colour, width, style),
                                   fillLevel=0 if fill else None, brush=brush)

    def bins(self) -> int:
        """How many time bins the plot can show apart: one per PIXELS_PER_BIN pixels of its width. More steps
        than that would be drawn as a solid block of spikes, so they are shown as each bin's exact mean."""
        return int(min(SMOOTH_SAMPLES, max(MIN_BINS, self.plot_widget.width() // PIXELS_PER_BIN)))

    def set_y_range(self, top: float, ticks: list | None = None) -> None:
        self.plot_item.setYRange(0, top, padding=0)
        if ticks is not None:
            self.plot_item.getAxis("left").setTicks([ticks])

    def follow(self, playhead_ms: float) -> None:
        """Show 0 .. a round time a little past the playhead; the axis moves only when that time changes."""
        top = axis_end(playhead_ms)
        if top != self._x_end:
            self._x_end = top
            self.plot_item.setXRange(0.0, top, padding=0)


@lru_cache(maxsize=256)
def _html_width(rich_text: str, font: str) -> float:
    """How wide rich text is drawn in a font (bold parts included), in pixels."""
    document = QTextDocument()
    qfont = QFont()
    qfont.fromString(font)
    document.setDefaultFont(qfont)
    document.setDocumentMargin(0)
    document.setHtml(rich_text)
    return document.idealWidth()


def axis_end(playhead_ms: float) -> float:
    """The x axis's end for a playhead: a round time (1, 1.5, 2, 3, 4, 5, 6, 8 × 10^k) at least 10 % past it."""
    wanted = max(playhead_ms * 1.1, 10.0)
    decade = 10.0 ** np.floor(np.log10(wanted))
    return float(next(step * decade for step in AXIS_STEPS if step * decade >= wanted))


def _tick_font() -> QFont:
    font = QFont()
    font.setPointSizeF(9.5)
    return font


class UtilizationChart(TimeChart):
    """One kitchen's stoves busy (% of cores) over time: the steps, filled, and a moving average when noisy."""

    def __init__(self, colour: str, parent: QWidget | None = None) -> None:
        super().__init__("Stoves busy", parent=parent)
        self.set_y_range(PERCENT_TOP, PERCENT_TICKS)
        self.raw = self.line(colour, 2, fill=True)
        self.smooth = self.line(INK, 2.5, style=Qt.PenStyle.DashLine)

    def refresh(self, timeline, playhead_ms: float) -> None:
        times, busy = step_until(timeline.busy, playhead_ms)
        percent = busy * (100.0 / timeline.cores)
        self.raw.setData(*binned_steps(times, percent, self.bins()))
        noisy = len(times) > NOISY_STEPS
        self.smooth.setVisible(noisy)
        if noisy:
            self.smooth.setData(*moving_average(times, percent, max(playhead_ms * SMOOTH_FRACTION, 1.0)))
        busy_now = f"{int(busy[-1])} of {timeline.cores}"
        whose = " for our process" if len(timeline.processes) > 1 else ""  # neighbours' and clones' chefs not counted
        self.set_caption(f"Stoves busy{whose}: <b>{busy_now}</b>", f"Busy: <b>{busy_now}</b>")
        self.follow(playhead_ms)


class MemoryChart(TimeChart):
    """One kitchen's pantry (kernel memory for its chefs) over time, against the budget line."""

    def __init__(self, colour: str, budget_mib: float, parent: QWidget | None = None) -> None:
        super().__init__("Pantry", y_label="MiB", parent=parent)
        self.used = self.line(colour, 2, fill=True)
        self.budget = pg.InfiniteLine(angle=0, movable=False, pen=_pen(BUDGET, 2, Qt.PenStyle.DashLine))
        self.plot_item.addItem(self.budget)
        self.budget_text = pg.TextItem("budget", color=BUDGET, anchor=(0, 0.85))  # just above the line
        self.plot_item.addItem(self.budget_text)
        self.set_budget(budget_mib)

    def set_budget(self, budget_mib: float) -> None:
        self.budget.setValue(budget_mib)
        self.budget_text.setText(f"budget {budget_mib:g} MiB")
        self.budget_text.setPos(0, budget_mib)
        self.set_y_range(budget_mib * BUDGET_HEADROOM)

    def refresh(self, timeline, playhead_ms: float) -> None:
        times, kib = step_until(timeline.kernel_memory_kib, playhead_ms)
        mib = kib / 1024.0
        self.used.setData(*binned_steps(times, mib, peak=True))
        chefs = int(kib[-1]) // timeline.kernel_thread_kib
        budget = self.budget.value()
        lockers = int(budget * 1024) // timeline.kernel_thread_kib
        used = f"{grouped(chefs)} of {grouped(lockers)}"
        self.set_caption(f"Pantry: <b>{used}</b> lockers", f"Pantry: <b>{used}</b>")
        self.follow(playhead_ms)


class PaneCharts(QWidget):
    """The two charts under one kitchen pane."""

    def __init__(self, colour: str, budget_mib: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.utilization = UtilizationChart(colour)
        self.memory = MemoryChart(colour, budget_mib)
        layout.addWidget(self.utilization)
        layout.addWidget(self.memory)

    def refresh(self, timeline, playhead_ms: float) -> None:
        self.utilization.refresh(timeline, playhead_ms)
        self.memory.refresh(timeline, playhead_ms)


def coloured(label: str, colour: str, value: str) -> str:
    """``■ label value`` with the square in the line's colour, for chart headings (never broken across lines)."""
    label = html.escape(label).replace(" ", "&nbsp;").replace("-", "\u2011")  # no-break space and hyphen
    return f"<span style='color:{colour}'>■</span>{'&nbsp;' + label if label else ''}&nbsp;<b>{value}</b>"


class ComparisonChart(TimeChart):
    """Every kitchen's stoves busy (moving average) on one chart, in the panes' colours."""

    def __init__(self, colours: list[str], labels: list[str], parent: QWidget | None = None) -> None:
        super().__init__("Stoves busy", x_label="simulated ms", parent=parent)
        self.set_y_range(PERCENT_TOP, PERCENT_TICKS)
        self.colours, self.labels = colours, labels
        self.lines = [self.line(colour, 3) for colour in colours]

    def refresh(self, timelines: list, playhead_ms: float) -> None:
        window = max(playhead_ms * SMOOTH_FRACTION, 1.0)
        shares = []
        for line, timeline in zip(self.lines, timelines):
            times, busy = step_until(timeline.busy, playhead_ms)
            line.setData(*moving_average(times, busy * (100.0 / timeline.cores), window))
            shares.append(f"{_mean(times, busy) / timeline.cores:.0%}")
        parts = " &nbsp; ".join(map(coloured, self.labels, self.colours, shares))
        short = " &nbsp; ".join(map(coloured, [""] * len(shares), self.colours, shares))
        self.set_caption("Average stoves busy: " + parts, "Busy: " + parts, "Average busy: " + short)
        self.follow(playhead_ms)


def count_ticks(total: int) -> list | None:
    """Whole-number ticks for a small count (no '0.5 orders'); pyqtgraph's own ticks for larger ones."""
    if total > FEW_ORDERS:
        return None
    step = 1 if total <= FEW_ORDERS // 2 else 2
    return [(value, str(value)) for value in range(0, max(total, 1) + 1, step)]


def count_top(total: int) -> float:
    """The completed chart's top: a little above the total, with room for a small count's top tick label."""
    return total * 1.05 if total > FEW_ORDERS else max(total, 1) * 1.12 + 0.4


def _mean(times: np.ndarray, values: np.ndarray) -> float:
    """Time-weighted mean of a step function over [0, last time]."""
    span = times[-1]
    return float(np.sum(values[:-1] * np.diff(times)) / span) if span > 0 else float(values[-1])


class CompletedChart(TimeChart):
    """Orders completed over time, one line per kitchen."""

    def __init__(self, colours: list[str], labels: list[str], total: int, parent: QWidget | None = None) -> None:
        super().__init__("Orders completed", x_label="simulated ms", parent=parent)
        self.set_y_range(count_top(total), count_ticks(total))
        self.colours, self.labels, self.total = colours, labels, total
        self.lines = [self.line(colour, 3) for colour in colours]

    def refresh(self, timelines: list, playhead_ms: float) -> None:
        done = []
        for line, timeline in zip(self.lines, timelines):
            times, completed = step_until(timeline.completed, playhead_ms)
            line.setData(*binned_steps(times, completed, peak=True))
            done.append(f"{int(completed[-1])}")
        parts = " &nbsp; ".join(map(coloured, self.labels, self.colours, done))
        short = " &nbsp; ".join(map(coloured, [""] * len(done), self.colours, done))
        self.set_caption(f"Orders completed (of {self.total}): " + parts, "Done: " + parts,
                         f"Done (of {self.total}): " + short)
        self.follow(playhead_ms)
