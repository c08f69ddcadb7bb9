"""Taking results out of the window: charts as PNG, SVG or CSV, the run as a Perfetto trace, and sweeps.

``install_export_actions(window)`` plugs everything into the main window:
File → Export trace…, File → Export charts…, Tools → Parameter sweep…, and an
Export menu on a right click on any chart. The pieces work on their own too:
``export_plot`` writes one chart with pyqtgraph's exporters (SVG through Qt's
own QSvgGenerator: pyqtgraph 0.14's SVGExporter stops at the ``Z`` path commands
Qt 6.11 writes, pyqtgraph issue #3485), and
``TraceExportThread`` simulates the window's scenario to its end and writes the
trace off the GUI thread (a fresh run from the same seed is the same run).
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pyqtgraph as pg
from pyqtgraph.exporters import CSVExporter, ImageExporter
from PySide6.QtCore import QEvent, QObject, QRectF, Qt, QThread, Signal
from PySide6.QtGui import QAction, QBrush, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QWidget

from engine.run import ScenarioRun
from engine.scenario import Scenario, ScenarioError
from kitchen.palette import INK

if TYPE_CHECKING:
    from kitchen.sweep_dialog import SweepDialog

EXPORTERS = {".png": ImageExporter, ".svg": "qt", ".csv": CSVExporter}
FORMATS = ((".png", "PNG image"), (".svg", "SVG drawing"), (".csv", "CSV data"))
CHART_FILTER = ";;".join(f"{name} (*{suffix})" for suffix, name in FORMATS)
TRACE_FILTER = "Perfetto / Chrome trace (*.json)"
PNG_MIN_WIDTH = 1600  # exported images stay sharp on a projector
MENU_FLAG = "thread_kitchen_export_menu"


def export_plot(chart, path: str | Path) -> Path:
    """Write a chart as PNG, SVG or CSV, chosen by the file's suffix.

    ``chart`` is a kitchen chart (its caption becomes the picture's title), a
    PlotWidget or a PlotItem.
    """
    path = Path(path)
    exporter_class = EXPORTERS.get(path.suffix.lower())
    if exporter_class is None:
        raise ValueError(f"{path.name}: charts export as .png, .svg or .csv")
    item, background, caption = _plot_parts(chart)
    with _titled(item, caption if exporter_class != CSVExporter else None):
        if exporter_class == "qt":
            _export_svg(item, path, background)
        else:
            exporter = exporter_class(item)
            if exporter_class is ImageExporter:
                exporter.parameters()["width"] = max(PNG_MIN_WIDTH, int(item.sceneBoundingRect().width()))
            exporter.export(str(path))
    if not path.is_file() or path.stat().st_size == 0:
        raise OSError(f"could not write {path}")
    return path


def _plot_parts(chart) -> tuple[pg.PlotItem, QBrush, str | None]:
    """(plot item, background, caption) of a kitchen chart, a PlotWidget or a PlotItem."""
    widget = getattr(chart, "plot_widget", chart)
    item = widget.getPlotItem() if hasattr(widget, "getPlotItem") else widget
    background = widget.backgroundBrush() if hasattr(widget, "backgroundBrush") else QBrush(Qt.GlobalColor.white)
    caption = chart.caption.text() if hasattr(chart, "caption") else None
    return item, background, caption


@contextmanager
def _titled(item: pg.PlotItem, caption: str | None):
    """Show the chart's caption as the plot's own title while it is exported."""
    if not caption:
        yield
        return
    item.setTitle(caption, color=INK, size="12pt")
    item.layout.activate()
    try:
        yield
    finally:
        item.setTitle(None)
        item.layout.activate()


def _export_svg(item, path: Path, background: QBrush) -> None:
    """Render the plot item's part of the scene into an SVG file (vector lines and text)."""
    source = item.sceneBoundingRect()
    target = QRectF(0, 0, source.width(), source.height())
    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(target.size().toSize())
    generator.setViewBox(target)
    generator.setTitle("Thread Kitchen chart")
    painter = QPainter(generator)
    painter.fillRect(target, background)
    item.scene().render(painter, target, source)
    painter.end()


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def window_charts(window) -> list[tuple[str, QWidget]]:
    """(file-name part, chart) for every chart in the window: each pane's two, then the comparisons."""
    charts = []
    for number, column in enumerate(window.columns, start=1):
        charts += [(f"pane{number}-stoves-busy", column.charts.utilization),
                   (f"pane{number}-pantry", column.charts.memory)]
    extra = (("kitchens-compared", window.comparison), ("orders-completed", window.completed))
    return charts + [(name, chart) for name, chart in extra if chart is not None]


def export_charts(window, base: str | Path) -> list[Path]:
    """Every chart of the window as ``BASE-NAME.SUFFIX`` (the suffix of ``base`` picks the format)."""
    base = Path(base)
    suffix = base.suffix.lower() or ".png"
    return [export_plot(chart, base.with_name(f"{base.stem}-{name}{suffix}")) for name, chart in window_charts(window)]


class TraceExportThread(QThread):
    """Simulates a scenario to its end and writes its trace, off the GUI thread."""

    written = Signal(str, int)  # path, number of trace events
    failed = Signal(str)

    def __init__(self, scenario: Scenario, path: str | Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.scenario = scenario
        self.path = Path(path)

    def run(self) -> None:
        try:
            from engine.trace import write_trace  # imported when first used: not needed to start the app

            count = write_trace(ScenarioRun(self.scenario).run_to_end(), self.path)
        except (OSError, ScenarioError) as error:
            self.failed.emit(f"Cannot write {self.path}: {getattr(error, 'strerror', None) or error}")
            return
        self.written.emit(str(self.path), count)


def chart_menu(chart, name: str, parent: QWidget | None = None) -> QMenu:
    """The right-click menu of a chart: export it as PNG, SVG or CSV."""
    menu = QMenu(parent or chart)
    for suffix, kind in FORMATS:
        menu.addAction(f"Export chart as {kind}…", lambda suffix=suffix: export_chart_dialog(chart, name, suffix))
    return menu


def export_chart_dialog(chart, name: str, suffix: str) -> Path | None:
    """Ask where to save one chart, then save it (a failure is shown, not raised)."""
    kind = dict(FORMATS)[suffix]
    path, _ = QFileDialog.getSaveFileName(chart.window(), f"Export chart as {kind}", f"{name}{suffix}",
                                          f"{kind} (*{suffix})")
    if not path:
        return None
    try:
        return export_plot(chart, path if Path(path).suffix else path + suffix)
    except (OSError, ValueError) as error:
        QMessageBox.warning(chart.window(), "Export chart", str(error))
        return None


def install_chart_menu(chart, name: str) -> None:
    """Give a chart the Export right-click menu (once, however often it is called)."""
    target = getattr(chart, "plot_widget", chart)  # where the right click lands
    if target.property(MENU_FLAG):
        return
    target.setProperty(MENU_FLAG, True)
    target.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    target.customContextMenuRequested.connect(lambda pos: chart_menu(chart, name).exec(target.mapToGlobal(pos)))


class ExportActions(QObject):
    """The window's export and sweep actions, their dialogs and background jobs (owned by the window)."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.jobs: list[TraceExportThread] = []
        self.sweep_dialog: SweepDialog | None = None
        self.trace_action = QAction("Export &trace (Perfetto)…", window)
        self.trace_action.setStatusTip("Write this run as a trace to open at ui.perfetto.dev or chrome://tracing")
        self.trace_action.triggered.connect(self.export_trace_dialog)
        self.charts_action = QAction("Export c&harts…", window)
        self.charts_action.setStatusTip("Save every chart as PNG, SVG or CSV")
        self.charts_action.triggered.connect(self.export_charts_dialog)
        self.sweep_action = QAction("Parameter s&weep…", window)
        self.sweep_action.setStatusTip("Rerun this kitchen for a range of one setting and plot a metric")
        self.sweep_action.triggered.connect(self.open_sweep)
        self._add_to_menus()
        window.scenario_changed.connect(self._on_scenario_changed)
        window.installEventFilter(self)
        self.install_chart_menus()

    def _add_to_menus(self) -> None:
        window = self.window
        file_menu = window.menu("file")
        quit_action = getattr(window, "quit_action", None)
        file_menu.insertActions(quit_action, [self.trace_action, self.charts_action])
        file_menu.insertSeparator(quit_action)
        try:
            window.menu("tools")
        except KeyError:
            window.add_menu("tools", "&Tools")
        window.add_action("tools", self.sweep_action)

    def install_chart_menus(self) -> None:
        for name, chart in window_charts(self.window):
            install_chart_menu(chart, name)

    def _on_scenario_changed(self, scenario: Scenario) -> None:
        self.install_chart_menus()
        if self.sweep_dialog is not None:
            self.sweep_dialog.set_scenario(scenario)

    def _base_name(self) -> str:
        window = self.window
        return _slug(window.lesson or (window.path.stem if window.path else window.scenario.title)) or "kitchen"

    def export_trace_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self.window, "Export trace", f"{self._base_name()}-trace.json",
                                              TRACE_FILTER)
        if path:
            self.export_trace(path)

    def export_trace(self, path: str | Path) -> TraceExportThread:
        """Write the scenario's trace in the background; the status bar says when it is done."""
        job = TraceExportThread(self.window.scenario, path, self)
        job.written.connect(self._on_trace_written)
        job.failed.connect(lambda message: QMessageBox.warning(self.window, "Export trace", message))
        job.finished.connect(lambda: self._forget(job))
        self.jobs.append(job)
        self.window.statusBar().showMessage(f"Writing trace to {path}…")
        job.start()
        return job

    def _forget(self, job: TraceExportThread) -> None:
        self.jobs.remove(job)
        job.deleteLater()

    def _on_trace_written(self, path: str, count: int) -> None:
        self.window.statusBar().showMessage(
            f"Wrote {count:,} trace events to {path}: open it at ui.perfetto.dev (Open trace file)", 15_000)

    def export_charts_dialog(self) -> None:
        path, chosen = QFileDialog.getSaveFileName(self.window, "Export charts (one file per chart)",
                                                   f"{self._base_name()}.png", CHART_FILTER)
        if not path:
            return
        if not Path(path).suffix:
            path += next(suffix for suffix, kind in FORMATS if chosen.startswith(kind))
        try:
            written = export_charts(self.window, path)
        except (OSError, ValueError) as error:
            QMessageBox.warning(self.window, "Export charts", str(error))
            return
        self.window.statusBar().showMessage(f"Wrote {len(written)} charts next to {path}", 15_000)

    def open_sweep(self) -> SweepDialog:
        """Show the sweep dialog for the current kitchen (one at a time; it does not block the window)."""
        if self.sweep_dialog is None:
            from kitchen.sweep_dialog import SweepDialog  # imported when first used: not needed to start the app

            self.sweep_dialog = SweepDialog(self.window.scenario, self.window)
            self.sweep_dialog.finished.connect(self._on_sweep_closed)
        self.sweep_dialog.show()
        self.sweep_dialog.raise_()
        return self.sweep_dialog

    def _on_sweep_closed(self) -> None:
        self.sweep_dialog.deleteLater()
        self.sweep_dialog = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """When the window closes: stop a running sweep and let trace exports finish writing."""
        if watched is self.window and event.type() == QEvent.Type.Close:
            if self.sweep_dialog is not None:
                self.sweep_dialog.reject()
            for job in list(self.jobs):
                job.wait()
        return False


def install_export_actions(window) -> ExportActions:
    """Add File → Export trace…, File → Export charts…, Tools → Parameter sweep… and chart menus."""
    return ExportActions(window)
