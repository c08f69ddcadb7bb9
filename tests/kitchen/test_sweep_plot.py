"""Sweep charts: lines per pane, the budget and tipping-point lines, PNGs rendered offscreen."""

import math

from PySide6.QtGui import QImage

from engine.scenario import load_scenario
from kitchen.sweep_plot import SweepChart, plot_paths, save_sweep_plots
from tests.kitchen.test_experiments import PANTRY

ROWS = [{"value": v, "pane": p, "label": label, "kernel_memory_peak_kib": kib, "threads_refused": refused}
        for v, p, label, kib, refused in [(1300, 1, "one-to-one", 81920, 20), (1200, 1, "one-to-one", 76800, 0),
                                          (1200, 2, "many-to-many", 512, 0), (1300, 2, "many-to-many", None, 0)]]


def test_memory_chart_has_the_budget_line_and_the_1280_tipping_point(qtbot):
    """80 MiB budget (horizontal) and 1280 chefs (vertical); data sorted by value, in MiB, gaps for None."""
    chart = SweepChart("kernel_memory_peak_kib", "tasks[0].count", load_scenario(PANTRY), ["one-to-one", "m:n"])
    qtbot.addWidget(chart)
    assert [(line.angle, line.value()) for line in chart.references] == [(0, 80.0), (90, 1280.0)]
    chart.set_rows(ROWS)
    x, y = chart.lines[0].getData()
    assert list(x) == [1200, 1300] and list(y) == [75.0, 80.0]
    assert math.isnan(chart.lines[1].getData()[1][1])  # no value: a gap in the line


def test_each_metric_gets_its_own_png(qtbot, tmp_path):
    """Two metrics → FILE-METRIC.png each, 1280 pixels wide."""
    paths = save_sweep_plots(ROWS, ["kernel_memory_peak_kib", "threads_refused"], tmp_path / "sweep.png",
                             "tasks[0].count", load_scenario(PANTRY))
    assert [p.name for p in paths] == ["sweep-kernel_memory_peak_kib.png", "sweep-threads_refused.png"]
    assert all(QImage(str(path)).width() == 1280 for path in paths)
    assert str(plot_paths("one.png", ["utilization"])[0]) == "one.png"
