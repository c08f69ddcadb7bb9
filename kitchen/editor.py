"""The kitchen editor dock: change the stoves, the pantry, each kitchen's model and the orders.

Numbers are edited in spin boxes whose ranges are the scenario's own limits, so
they cannot be invalid. Steps are typed as text (``cpu 10; io 5``) and checked
with the engine's own validation; a mistake is shown in red beside the table
and the current kitchen is kept. A valid change is emitted as a new
``Scenario`` after a short pause (debounced), and the window rebuilds the run.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDoubleSpinBox, QFormLayout, QGridLayout,
                               QGroupBox, QHBoxLayout, QHeaderView, QLabel, QPushButton, QScrollArea,
                               QSpinBox, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from engine.scenario import IO_POLICIES, MAX_CORES, MAX_MS, MAX_TASKS, MODELS, Scenario, ScenarioError, \
    scenario_from_dict
from kitchen.scenario_file import scenario_to_dict

DEBOUNCE_MS = 250
SOURCE = "kitchen editor"
ERROR_COLOUR = "#B2182B"
NAME, COUNT, START, STEPS = range(4)
SCOPES = {"pcs": "process scope (pcs)", "scs": "system scope (scs)"}
NEW_TASK = {"name": "order", "count": 1, "start_ms": 0.0, "steps": ["cpu 100"]}


def split_steps(text: str) -> list[str]:
    """The steps typed in one line (separated by ``;``)."""
    return [part.strip() for part in text.split(";") if part.strip()]


def friendly(error: ScenarioError) -> str:
    """The engine's message with 1-based task/kitchen numbers instead of list indices."""
    text = str(error).removeprefix(f"{SOURCE}: ")
    text = re.sub(r"tasks\[(\d+)\]", lambda m: f"task {int(m.group(1)) + 1}", text)
    text = re.sub(r"\.steps\[(\d+)\]", lambda m: f", step {int(m.group(1)) + 1}", text)
    return re.sub(r"panes\[(\d+)\]", lambda m: f"kitchen {int(m.group(1)) + 1}", text)


def _spin(low: int, high: int, suffix: str = "") -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setSuffix(suffix)
    box.setKeyboardTracking(False)
    return box


def _double(low: float, high: float, suffix: str, decimals: int = 1) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(low, high)
    box.setDecimals(decimals)
    box.setSuffix(suffix)
    box.setKeyboardTracking(False)
    return box


class PaneEditor(QWidget):
    """One kitchen's threading model, its number of chefs (M), its I/O policy and (M:N) contention scope."""

    def __init__(self, index: int, on_change, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = QComboBox()
        self.model.addItems(MODELS)
        self.chefs = _spin(1, 100_000, " chefs")
        self.chefs.setToolTip("M: kernel threads (chefs) of a many-to-many kitchen")
        self.crew_note = QLabel()
        self.io = QComboBox()
        self.io.addItems(IO_POLICIES)
        self.scope = QComboBox()
        self.scope.addItems(SCOPES.values())
        self.scope.setToolTip("Contention scope: pcs = tickets share the kitchen's M chefs; "
                              "scs = every ticket bound to its own chef (competes system-wide)")
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(f"<b>Kitchen {index + 1}</b>"), 0, 0)
        layout.addWidget(self.model, 0, 1)
        layout.addWidget(self.chefs, 1, 0)
        layout.addWidget(self.crew_note, 1, 0)
        layout.addWidget(self.io, 1, 1)
        layout.addWidget(self.scope, 2, 1)
        self.model.currentTextChanged.connect(self._fit_model)
        self.scope.currentTextChanged.connect(self._fit_model)
        for signal in (self.model.currentTextChanged, self.chefs.valueChanged, self.io.currentTextChanged,
                       self.scope.currentTextChanged):
            signal.connect(on_change)

    @property
    def bound(self) -> bool:
        """Many-to-many with system contention scope: a chef per ticket, like one-to-one."""
        return self.model.currentText() == "many-to-many" and self.scope.currentText() == SCOPES["scs"]

    def show_pane(self, pane) -> None:
        self.model.setCurrentText(pane.model)
        self.scope.setCurrentText(SCOPES[pane.contention_scope if pane.model == "many-to-many" else "pcs"])
        self.chefs.setValue(pane.base_kernel_threads or 4)
        self.io.setCurrentText(pane.io)
        self._fit_model()

    def _fit_model(self, *_args) -> None:
        """Only many-to-many (pcs) chooses M; one-to-one and scs always block just the calling thread."""
        many_to_many = self.model.currentText() == "many-to-many"
        chef_per_ticket = self.model.currentText() == "one-to-one" or self.bound
        self.scope.setVisible(many_to_many)
        self.chefs.setVisible(many_to_many and not self.bound)
        self.crew_note.setVisible(not many_to_many or self.bound)
        self.crew_note.setText("a chef per ticket" if chef_per_ticket else "1 chef")
        if chef_per_ticket:
            self.io.setCurrentText("blocking")
        self.io.setEnabled(not chef_per_ticket)

    def values(self, base: dict) -> dict:
        pane = dict(base, model=self.model.currentText(), io=self.io.currentText())
        pane.pop("kernel_threads", None)
        scope = pane.pop("scope", None)
        if self.bound:
            pane["scope"] = "scs"
        elif pane["model"] == "many-to-many":
            pane["kernel_threads"] = self.chefs.value()
            pane.update({"scope": "pcs"} if scope == "pcs" else {})
        return pane


class KitchenEditor(QWidget):
    """Edits a Scenario; emits ``edited(Scenario)`` for each valid change, shows the problem otherwise."""

    edited = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._scenario: Scenario | None = None
        self._loading = False
        self._debounce = QTimer(self)
        self._debounce.setObjectName("editor debounce")
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.apply_now)
        self.panes: list[PaneEditor] = []
        body = QWidget()
        self._layout = QVBoxLayout(body)
        self._layout.addWidget(self._machine_group())
        self._panes_group = QGroupBox("Kitchens (threading models)")
        self._panes_layout = QVBoxLayout(self._panes_group)
        self._layout.addWidget(self._panes_group)
        self._layout.addWidget(self._tasks_group(), 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    # --- building ----------------------------------------------------------------------------
    def _machine_group(self) -> QGroupBox:
        group = QGroupBox("Stoves, manager and pantry")
        form = QFormLayout(group)
        self.cores = _spin(1, MAX_CORES, " stoves")
        self.time_slice = _double(0, 10_000, " ms", 2)
        self.time_slice.setSpecialValueText("off (run until block)")
        self.context_switch = _double(0, 1_000, " ms", 2)
        self.kernel_kib = _spin(1, 1_048_576, " KiB")
        self.budget = _double(0.01, 1_048_576, " MiB", 2)
        form.addRow("CPU cores:", self.cores)
        form.addRow("Time slice:", self.time_slice)
        form.addRow("Context switch:", self.context_switch)
        form.addRow("Kernel memory per chef:", self.kernel_kib)
        form.addRow("Pantry budget:", self.budget)
        for box in (self.cores, self.time_slice, self.context_switch, self.kernel_kib, self.budget):
            box.valueChanged.connect(self._changed)
        return group

    def _tasks_group(self) -> QGroupBox:
        group = QGroupBox("Orders (user threads)")
        layout = QVBoxLayout(group)
        self.tasks = QTableWidget(0, 4)
        self.tasks.setHorizontalHeaderLabels(["name", "count", "start ms", "steps (e.g. cpu 10; io 5)"])
        header = self.tasks.horizontalHeader()
        header.setSectionResizeMode(STEPS, QHeaderView.ResizeMode.Stretch)
        for column, width in ((NAME, 80), (COUNT, 80), (START, 70)):
            self.tasks.setColumnWidth(column, width)
        self.tasks.setMinimumWidth(400)
        self.tasks.verticalHeader().setVisible(False)
        self.tasks.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tasks.itemChanged.connect(self._changed)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(f"color: {ERROR_COLOUR}; font-weight: bold")
        self.problem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.tasks, 1)
        layout.addLayout(self._task_buttons())
        layout.addWidget(self.problem)
        return group

    def _task_buttons(self) -> QHBoxLayout:
        buttons = QHBoxLayout()
        self.add_task = QPushButton("Add order")
        self.remove_task = QPushButton("Remove selected")
        self.add_task.clicked.connect(self._on_add_task)
        self.remove_task.clicked.connect(self._on_remove_task)
        buttons.addWidget(self.add_task)
        buttons.addWidget(self.remove_task)
        buttons.addStretch(1)
        return buttons

    # --- showing a scenario --------------------------------------------------------------------
    def set_scenario(self, scenario: Scenario) -> None:
        """Show ``scenario`` (a lesson, a file or the run being played) without emitting ``edited``."""
        self._debounce.stop()
        self._scenario = scenario
        self._loading = True
        try:
            self._show_machine(scenario.machine)
            self._show_panes(scenario.panes)
            self._show_tasks(scenario.tasks)
            self._set_problem("")
        finally:
            self._loading = False

    def _show_machine(self, machine) -> None:
        self.cores.setValue(machine.cores)
        self.time_slice.setValue(machine.time_slice_ms)
        self.context_switch.setValue(machine.context_switch_ms)
        self.kernel_kib.setValue(machine.kernel_thread_kib)
        self.budget.setValue(machine.memory_budget_mib)

    def _show_panes(self, panes) -> None:
        while len(self.panes) > len(panes):
            self.panes.pop().deleteLater()
        while len(self.panes) < len(panes):
            self.panes.append(PaneEditor(len(self.panes), self._changed))
            self._panes_layout.addWidget(self.panes[-1])
        for editor, pane in zip(self.panes, panes):
            editor.show_pane(pane)

    def _show_tasks(self, tasks) -> None:
        self.tasks.setRowCount(0)
        for task in scenario_to_dict(self._scenario)["tasks"]:
            self._append_row(task)

    def _append_row(self, task: dict) -> None:
        """A table row for a task dict; fields without a column (priority, arrivals) ride along unseen."""
        row = self.tasks.rowCount()
        self.tasks.insertRow(row)
        name = QTableWidgetItem(task["name"])
        name.setData(Qt.ItemDataRole.UserRole, task)
        self.tasks.setItem(row, NAME, name)
        self.tasks.setItem(row, STEPS, QTableWidgetItem("; ".join(task["steps"])))
        count_box = _spin(1, MAX_TASKS)
        count_box.setValue(task.get("count", 1))
        start_box = _double(0, MAX_MS, "", 1)
        start_box.setValue(task.get("start_ms", 0.0))
        for column, box in ((COUNT, count_box), (START, start_box)):
            box.setFrame(False)
            box.valueChanged.connect(self._changed)
            self.tasks.setCellWidget(row, column, box)

    # --- editing ---------------------------------------------------------------------------------
    def _on_add_task(self) -> None:
        self._append_row(dict(NEW_TASK))
        self._changed()

    def _on_remove_task(self) -> None:
        rows = sorted({index.row() for index in self.tasks.selectedIndexes()}, reverse=True)
        for row in rows:
            self.tasks.removeRow(row)
        if rows:
            self._changed()

    def _changed(self, *_args) -> None:
        if not self._loading and self._scenario is not None:
            self._debounce.start()

    def stop(self) -> None:
        """Drop a pending (debounced) change; used when the window closes."""
        self._debounce.stop()

    def apply_now(self) -> Scenario | None:
        """Validate the widgets now; emit and return the new Scenario, or show the problem and return None."""
        self._debounce.stop()
        try:
            scenario = scenario_from_dict(self._as_dict(), SOURCE)
        except ScenarioError as error:
            self._set_problem(friendly(error))
            return None
        self._set_problem("")
        if scenario != self._scenario:
            self._scenario = scenario
            self.edited.emit(scenario)
        return scenario

    @property
    def problem_text(self) -> str:
        return self.problem.text()

    def _set_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))
        bad = {int(m.group(1)) - 1 for m in re.finditer(r"task (\d+)", text)}
        for row in range(self.tasks.rowCount()):
            item = self.tasks.item(row, STEPS)
            if item is not None:
                item.setBackground(QColor("#FDDBC7") if row in bad else QColor(0, 0, 0, 0))

    # --- reading the widgets ------------------------------------------------------------------
    def _as_dict(self) -> dict:
        data = scenario_to_dict(self._scenario)
        data["machine"] = dict(data["machine"], cores=self.cores.value(), time_slice_ms=self.time_slice.value(),
                               context_switch_ms=self.context_switch.value(),
                               kernel_thread_kib=self.kernel_kib.value(), memory_budget_mib=self.budget.value())
        data["panes"] = [editor.values(base) for editor, base in zip(self.panes, data["panes"])]
        data["tasks"] = [self._task(row) for row in range(self.tasks.rowCount())]
        return data

    def _task(self, row: int) -> dict:
        base = self.tasks.item(row, NAME).data(Qt.ItemDataRole.UserRole)
        return dict(base, name=self.tasks.item(row, NAME).text().strip(),
                    count=self.tasks.cellWidget(row, COUNT).value(),
                    start_ms=self.tasks.cellWidget(row, START).value(),
                    steps=split_steps(self.tasks.item(row, STEPS).text()))
