"""Exports from the window: charts as PNG/SVG/CSV, the trace in the background, the menu entries."""

import csv
import json
import xml.etree.ElementTree as ElementTree

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from kitchen.exports import TraceExportThread, chart_menu, export_charts, export_plot, window_charts


@pytest.fixture
def chart(qtbot):
    """A small chart with one line: y = x² for x = 0..9."""
    widget = pg.PlotWidget()
    qtbot.addWidget(widget)
    widget.resize(600, 400)
    widget.plot(np.arange(10.0), np.arange(10.0) ** 2, name="squares")
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_a_chart_exports_as_png_svg_and_csv(chart, tmp_path):
    """PNG (at least 1600 px wide), SVG (an <svg> document) and CSV (the line's points) are written."""
    png = export_plot(chart, tmp_path / "chart.png")
    assert QImage(str(png)).width() >= 1600
    svg = export_plot(chart, tmp_path / "chart.svg")
    assert ElementTree.parse(svg).getroot().tag.endswith("svg")
    with open(export_plot(chart, tmp_path / "chart.csv"), newline="") as file:
        rows = list(csv.reader(file))
    assert len(rows) == 11 and [float(v) for v in rows[4][:2]] == [3.0, 9.0]


def test_an_unknown_format_is_refused(chart, tmp_path):
    """Only .png, .svg and .csv."""
    with pytest.raises(ValueError, match="chart.gif: charts export as .png, .svg or .csv"):
        export_plot(chart, tmp_path / "chart.gif")


def test_the_chart_menu_offers_the_three_formats(chart):
    """Right-click menu entries."""
    texts = [action.text() for action in chart_menu(chart, "squares").actions()]
    assert texts == ["Export chart as PNG image…", "Export chart as SVG drawing…", "Export chart as CSV data…"]


def test_trace_export_runs_in_the_background_and_writes_the_whole_run(window, qtbot, tmp_path):
    """The thread simulates parallelism to its end: every pane's stove slices are in the file."""
    job = TraceExportThread(window.scenario, tmp_path / "run.json")
    with qtbot.waitSignal(job.written, timeout=30_000) as written:
        job.start()
    job.wait()
    events = json.loads((tmp_path / "run.json").read_text())["traceEvents"]
    assert written.args[1] == len(events)
    busy = [sum(e["dur"] for e in events if e["ph"] == "X" and e["cat"] == "stove" and e["pid"] == pid)
            for pid in (1, 2, 3)]
    assert busy == [32_000_000, 5_000_000, 20_000_000]  # µs: the summary's cpu_busy_ms × 1000


def test_the_window_has_export_actions_in_file_and_tools_and_charts_get_menus(window, tmp_path):
    """File → Export trace / charts before Quit, Tools → Parameter sweep; all eight charts export."""
    file_texts = [action.text() for action in window.menu("file").actions()]
    assert file_texts.index("Export &trace (Perfetto)…") < file_texts.index(window.quit_action.text())
    assert "Export c&harts…" in file_texts
    assert [action.text() for action in window.menu("tools").actions()] == ["Parameter s&weep…"]
    charts = window_charts(window)
    assert len(charts) == 3 * 2 + 2
    assert all(chart.plot_widget.contextMenuPolicy() == Qt.ContextMenuPolicy.CustomContextMenu
               for _, chart in charts)
    written = export_charts(window, tmp_path / "lesson.svg")
    assert sorted(path.name for path in written)[:2] == ["lesson-kitchens-compared.svg", "lesson-orders-completed.svg"]
    assert all(path.stat().st_size > 0 for path in written) and len(written) == 8
    window.choose_lesson(window.lesson_box.itemData(1))
    assert all(chart.plot_widget.contextMenuPolicy() == Qt.ContextMenuPolicy.CustomContextMenu
               for _, chart in window_charts(window))


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # offscreen Qt cannot raise windows
def test_the_sweep_dialog_opens_on_the_current_kitchen(window, qtbot):
    """Tools → Parameter sweep shows one dialog for the window's scenario."""
    actions = window.exports
    actions.sweep_action.trigger()
    dialog = actions.sweep_dialog
    assert dialog.isVisible() and dialog.scenario is window.scenario
    assert actions.open_sweep() is dialog
    dialog.reject()
    qtbot.waitUntil(lambda: actions.sweep_dialog is None)
