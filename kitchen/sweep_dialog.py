"""The Parameter sweep dialog: vary one setting over a range and watch a metric's curve grow live.

The sweep itself is ``engine.sweep`` in a process pool, driven from a worker
``QThread`` (``SweepWorker``), so the window keeps playing while it runs. Each
finished variant arrives as a signal and is added to the chart at once; Cancel
sets the sweep's cancel event, so no further variant starts. Every metric of
every variant is kept, so switching the plotted metric needs no rerun, and the
table can be saved as CSV or JSON like ``thread-kitchen sweep -o``.
"""

from __future__ import annotations

import os
import threading
import time

from PySide6.QtCore import QThread, Signal
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QLabel,
                               QLineEdit, QProgressBar, QPushButton, QSpinBox, QVBoxLayout, QWidget)

from engine.scenario import Scenario, ScenarioError
from engine.sweep import available_metrics, parse_values, sweep, with_value
from kitchen.experiments import sweep_rows, write_sweep_table
from kitchen.palette import VERMILLION
from kitchen.sweep_plot import SweepChart

TABLE_FILTER = "CSV table (*.csv);;JSON (*.json)"


def suggested_settings(scenario: Scenario) -> list[tuple[str, str]]:
    """(path, values) worth sweeping in this scenario, e.g. ``("tasks[0].count", "8:128:8")``."""
    suggestions = []
    for index, task in enumerate(scenario.tasks):
        step = max(1, task.count // 4)
        suggestions.append((f"tasks[{index}].count", f"{step}:{step * 16}:{step}"))
    for index, pane in enumerate(scenario.panes):
        if pane.model == "many-to-many":
            suggestions.append((f"panes[{index}].kernel_threads", f"1:{max(16, 2 * scenario.machine.cores)}:1"))
    for index, _neighbor in enumerate(scenario.neighbors):
        suggestions.append((f"neighbors[{index}].threads", "1:32:1"))
    suggestions += [("machine.cores", "1:16:1"), ("machine.time_slice_ms", "5:50:5")]
    return suggestions


class SweepWorker(QThread):
    """Runs ``engine.sweep`` off the GUI thread; each finished variant is emitted as ``result``."""

    result = Signal(object)  # an engine.sweep.SweepResult
    failed = Signal(str)

    def __init__(self, scenario: Scenario, path: str, values: list, metrics: list[str], workers: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.args = (scenario, path, values, metrics, workers)
        self.cancel = threading.Event()

    def run(self) -> None:
        try:
            sweep(*self.args, on_result=self.result.emit, cancel=self.cancel)
        except Exception as error:  # a worker process died, or the engine failed: show it, don't lose it
            self.failed.emit(f"The sweep stopped: {error}")


class SweepDialog(QDialog):
    """Choose a setting, a range and a metric; Run plots each result as it arrives; Cancel stops."""

    def __init__(self, scenario: Scenario, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Parameter sweep")
        self.setMinimumSize(900, 640)
        self.scenario = scenario
        self.rows: list[dict] = []
        self.path = ""
        self.total = 0
        self.worker: SweepWorker | None = None
        self._started = 0.0
        self._build_form()
        self._build_buttons()
        self.chart = self._new_chart()
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.chart, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.set_scenario(scenario)

    def _build_form(self) -> None:
        self.setting_box = QComboBox()
        self.setting_box.setEditable(True)
        self.setting_box.setToolTip("A path into the scenario file, e.g. tasks[0].count or panes[2].kernel_threads")
        self.setting_box.activated.connect(self._on_setting_chosen)
        self.values_edit = QLineEdit()
        self.values_edit.setPlaceholderText("START:STOP:STEP (STOP included), or A,B,C")
        self.metric_box = QComboBox()
        self.metric_box.currentTextChanged.connect(self._on_metric_changed)
        self.workers_box = QSpinBox()
        self.workers_box.setRange(1, max(1, os.cpu_count() or 1) * 2)
        self.workers_box.setValue(os.cpu_count() or 1)
        self.workers_box.setToolTip("Processes running variants at once")
        self.form = QFormLayout()
        self.form.addRow("Setting to vary:", self.setting_box)
        self.form.addRow("Values:", self.values_edit)
        self.form.addRow("Metric to plot:", self.metric_box)
        self.form.addRow("Worker processes:", self.workers_box)

    def _build_buttons(self) -> None:
        self.progress = QProgressBar()
        self.status = QLabel("Choose a setting and values, then Run.")
        self.status.setWordWrap(True)
        self.run_button = QPushButton("&Run")
        self.run_button.setDefault(True)
        self.run_button.clicked.connect(self.start)
        self.cancel_button = QPushButton("&Cancel sweep")
        self.cancel_button.clicked.connect(self.cancel)
        self.save_button = QPushButton("&Save table…")
        self.save_button.clicked.connect(self.save_table_dialog)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        for button in (self.run_button, self.cancel_button, self.save_button):
            self.buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        self._set_running(False)

    def set_scenario(self, scenario: Scenario) -> None:
        """Sweep this kitchen from now on (not while a sweep runs)."""
        if self.running:
            return
        self.scenario = scenario
        suggestions = suggested_settings(scenario)
        self.setting_box.clear()
        for path, values in suggestions:
            self.setting_box.addItem(path, values)
        self.values_edit.setText(suggestions[0][1])
        self.metric_box.blockSignals(True)
        self.metric_box.clear()
        self.metric_box.addItems(available_metrics(scenario))
        self.metric_box.blockSignals(False)
        self.rows, self.path = [], ""
        self._replace_chart()

    @property
    def running(self) -> bool:
        return self.worker is not None

    def _set_running(self, running: bool) -> None:
        self.run_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        self.save_button.setEnabled(not running and bool(self.rows))
        for field in (self.setting_box, self.values_edit, self.workers_box):
            field.setEnabled(not running)

    def _on_setting_chosen(self, index: int) -> None:
        self.values_edit.setText(self.setting_box.itemData(index) or self.values_edit.text())

    def _new_chart(self) -> SweepChart:
        labels = [pane.label or pane.model for pane in self.scenario.panes]
        chart = SweepChart(self.metric_box.currentText() or "utilization", self.path or self.setting_box.currentText(),
                           self.scenario, labels)
        chart.setMinimumHeight(320)
        return chart

    def _replace_chart(self) -> None:
        chart = self._new_chart()
        self.layout().replaceWidget(self.chart, chart)
        self.chart.hide()
        self.chart.deleteLater()
        self.chart = chart
        chart.set_rows(self.rows)

    def _on_metric_changed(self, _metric: str) -> None:
        if self.metric_box.count():
            self._replace_chart()

    def _show_problem(self, text: str) -> None:
        self.status.setStyleSheet(f"color: {VERMILLION}; font-weight: bold")
        self.status.setText(text)

    def _show_status(self, text: str) -> None:
        self.status.setStyleSheet("")
        self.status.setText(text)

    def start(self) -> bool:
        """Validate the inputs and start the sweep; False (with the reason shown) if they are wrong."""
        if self.running:
            return False
        path = self.setting_box.currentText().strip()
        try:
            values = parse_values(self.values_edit.text())
            for value in values:
                with_value(self.scenario, path, value)
        except ScenarioError as error:
            self._show_problem(str(error))
            return False
        self._launch(path, values)
        return True

    def _launch(self, path: str, values: list) -> None:
        self.path, self.total, self.rows = path, len(values), []
        self._replace_chart()
        self.progress.setRange(0, self.total)
        self.progress.setValue(0)
        self._show_status(f"Running {self.total} variants of {path}…")
        self._started = time.perf_counter()
        self.worker = SweepWorker(self.scenario, path, values, available_metrics(self.scenario),
                                  self.workers_box.value(), self)
        self.worker.result.connect(self._on_result)
        self.worker.failed.connect(self._show_problem)
        self.worker.finished.connect(self._on_finished)
        self._set_running(True)
        self.worker.start()

    def _on_result(self, result) -> None:
        self.rows += sweep_rows([result])
        self.chart.set_rows(self.rows)
        done = len({row["value"] for row in self.rows})
        self.progress.setValue(done)
        self._show_status(f"{done} of {self.total} variants done ({time.perf_counter() - self._started:.1f} s)")

    def _on_finished(self) -> None:
        worker, self.worker = self.worker, None
        if worker is None:
            return
        done = self.progress.value()
        if worker.cancel.is_set():
            self._show_status(f"Cancelled: {done} of {self.total} variants ran.")
        elif done == self.total:
            self._show_status(f"Done: {self.total} variants in {time.perf_counter() - self._started:.1f} s.")
        self._set_running(False)
        worker.deleteLater()

    def cancel(self) -> None:
        """Stop the sweep: no further variant starts; the chart keeps what has arrived."""
        if self.worker is not None:
            self.worker.cancel.set()
            self._show_status("Cancelling…")

    def save_table_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save sweep table", "sweep.csv", TABLE_FILTER)
        if path:
            self.save_table(path)

    def save_table(self, path: str) -> bool:
        """Write the rows so far as CSV or JSON (by the file's suffix); False (shown) if that fails."""
        if not path.lower().endswith((".csv", ".json")):
            path += ".csv"
        try:
            write_sweep_table(self.rows, available_metrics(self.scenario), path, self.path, self.scenario.title)
        except OSError as error:
            self._show_problem(f"Cannot write {path}: {error.strerror or error}")
            return False
        self._show_status(f"Saved {path}")
        return True

    def done(self, result: int) -> None:
        """Closing the dialog cancels a running sweep and waits the moment it takes to stop."""
        if self.worker is not None:
            self.worker.cancel.set()
            self.worker.wait()
            self._on_finished()
        super().done(result)
