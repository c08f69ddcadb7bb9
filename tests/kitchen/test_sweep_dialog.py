"""The Parameter sweep dialog: a live plot as results arrive, Cancel, bad input shown, nothing left running."""

import pytest

from kitchen.sweep_dialog import SweepDialog, suggested_settings
from tests.engine.helpers import scenario


def _kitchen():
    """Sixteen CPU-bound orders on four stoves, one-to-one beside many-to-many with 2 chefs."""
    return scenario([{"name": "chop", "count": 16, "steps": ["cpu 20"]}],
                    panes=[{"model": "one-to-one"}, {"model": "many-to-many", "kernel_threads": 2}], cores=4)


@pytest.fixture
def dialog(qtbot):
    widget = SweepDialog(_kitchen())
    qtbot.addWidget(widget)
    widget.workers_box.setValue(2)
    widget.show()
    yield widget
    widget.reject()


def _configure(dialog, path: str, values: str, metric: str) -> None:
    dialog.setting_box.setEditText(path)
    dialog.values_edit.setText(values)
    dialog.metric_box.setCurrentText(metric)


def test_suggestions_come_from_the_scenario():
    """Task counts, M of many-to-many panes and the machine are offered with ranges."""
    paths = [path for path, _ in suggested_settings(_kitchen())]
    assert paths == ["tasks[0].count", "panes[1].kernel_threads", "machine.cores", "machine.time_slice_ms"]
    assert dict(suggested_settings(_kitchen()))["tasks[0].count"] == "4:64:4"


def test_a_tiny_sweep_plots_a_point_per_value_for_each_pane(dialog, qtbot):
    """M = 1, 2, 4 chefs on 4 stoves: many-to-many uses 25, 50, 100 % of them; one-to-one always 100 %."""
    _configure(dialog, "panes[1].kernel_threads", "1,2,4", "utilization")
    assert dialog.start()
    assert not dialog.run_button.isEnabled() and dialog.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: not dialog.running, timeout=30_000)
    x, y = dialog.chart.lines[1].getData()
    assert list(x) == [1, 2, 4] and list(y) == [25.0, 50.0, 100.0]
    assert list(dialog.chart.lines[0].getData()[1]) == [100.0] * 3
    assert dialog.progress.value() == 3 and dialog.status.text().startswith("Done: 3 variants")
    assert dialog.run_button.isEnabled() and dialog.save_button.isEnabled()


def test_switching_the_metric_replots_without_rerunning(dialog, qtbot):
    """After the sweep, choosing kernel memory shows it from the same results, in MiB."""
    _configure(dialog, "panes[1].kernel_threads", "2,4", "utilization")
    dialog.start()
    qtbot.waitUntil(lambda: not dialog.running, timeout=30_000)
    dialog.metric_box.setCurrentText("kernel_memory_peak_kib")
    assert list(dialog.chart.lines[1].getData()[1]) == [2 * 64 / 1024, 4 * 64 / 1024]


def test_cancel_stops_the_sweep_and_keeps_what_arrived(dialog, qtbot):
    """Cancel after the first result: the dialog is idle again long before 40 variants could run."""
    _configure(dialog, "tasks[0].count", "10:400:10", "utilization")
    dialog.start()
    qtbot.waitUntil(lambda: bool(dialog.rows), timeout=30_000)
    dialog.cancel_button.click()
    qtbot.waitUntil(lambda: not dialog.running, timeout=10_000)
    done = len({row["value"] for row in dialog.rows})
    assert 1 <= done < 40 and dialog.status.text().startswith("Cancelled:")


def test_a_bad_value_is_shown_and_nothing_runs(dialog):
    """M = 0 is refused with the scenario's own message; no worker starts."""
    _configure(dialog, "panes[1].kernel_threads", "0:2:1", "utilization")
    assert not dialog.start() and not dialog.running
    assert "panes[1].kernel_threads=0" in dialog.status.text()
    _configure(dialog, "panes[1].colour", "1:2:1", "utilization")
    assert not dialog.start() and "has no 'colour'" in dialog.status.text()


def test_saving_the_table_writes_every_metric(dialog, qtbot, tmp_path):
    """The saved CSV has the rows so far with all metrics, like the CLI's -o."""
    _configure(dialog, "machine.cores", "2,4", "utilization")
    dialog.start()
    qtbot.waitUntil(lambda: not dialog.running, timeout=30_000)
    assert dialog.save_table(str(tmp_path / "sweep"))
    lines = (tmp_path / "sweep.csv").read_text().splitlines()
    assert lines[0].startswith("value,pane,label,utilization,") and len(lines) == 1 + 2 * 2


def test_closing_during_a_sweep_cancels_it(qtbot):
    """Close while running: the worker is stopped, nothing is left behind."""
    widget = SweepDialog(_kitchen())
    qtbot.addWidget(widget)
    widget.workers_box.setValue(2)
    _configure(widget, "tasks[0].count", "10:400:10", "utilization")
    widget.start()
    widget.reject()
    assert not widget.running
