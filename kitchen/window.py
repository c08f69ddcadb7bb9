"""The main window: the kitchens side by side, their live charts, the controls and the kitchen editor.

Layout: a vertical splitter holds a row of kitchen columns (each a ``KitchenView``
above its ``PaneCharts``) and a row of comparison charts. One ``Player`` (the
app's only frame clock) drives every pane, so they stay in step.

Extending the window (lessons, presenter mode, sweeps, exports):

* ``window.menu("file" | "playback" | "view" | "lessons" | "help")`` returns a menu;
  ``window.add_action("view", action)`` appends an action (its shortcut works window-wide);
  ``window.add_menu("export", "E&xport")`` adds a new top-level menu before Help.
* ``window.add_dock(dock, area)`` adds a ``QDockWidget`` and its show/hide toggle to the View menu.
* ``scenario_changed(Scenario)`` is emitted whenever a new kitchen is shown (lesson, file or edit);
  ``window.run`` is the ``ScenarioRun`` being played and ``window.player`` its playhead.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (QComboBox, QDockWidget, QFileDialog, QLabel, QMainWindow, QMenu, QMessageBox,
                               QSplitter, QStyle, QTextBrowser, QToolBar, QWidget)

from engine.assets import asset_path, lesson_names, resolve_scenario
from engine.lesson import course_order, lesson_label, read_title
from engine.run import ScenarioRun
from engine.scenario import Scenario, ScenarioError, load_scenario
from kitchen import palette
from kitchen.charts import ComparisonChart, CompletedChart, PaneCharts
from kitchen.editor import KitchenEditor
from kitchen.exports import install_export_actions
from kitchen.legend import legend_html
from kitchen.pane_view import KitchenView
from kitchen.player import DEFAULT_SPEED, MAX_SPEED, MIN_SPEED, Player
from kitchen.presenter import LessonMode
from kitchen.scenario_file import save_scenario
from kitchen.speed import SpeedControl, format_ms, format_speed

APP_TITLE = "Thread Kitchen"
DEFAULT_LESSON = "parallelism"
COLUMN_SPLIT = (78, 22)  # kitchen : its charts (share of the column's height)
MAIN_SPLIT = (80, 20)  # kitchens : comparison charts
PANE_COLOURS = (palette.BLUE, palette.VERMILLION, palette.BLUISH_GREEN, palette.REDDISH_PURPLE,
                palette.SKY_BLUE, palette.BLACK)
MODEL_NAMES = {"one-to-one": "One-to-one", "many-to-one": "Many-to-one", "many-to-many": "Many-to-many"}
IO_NAMES = {"blocking": "blocking I/O", "nonblocking": "non-blocking I/O", "activations": "scheduler activations"}
LESSON_BOX_CHARS = 28  # the picker shows "1. Parallelism — Thirty-two ord"; its list shows whole titles
SCENARIO_FILTER = "Thread Kitchen scenarios (*.toml);;All files (*)"


def pane_title(pane) -> str:
    """A kitchen's heading, e.g. ``Many-to-many: 4 chefs, blocking I/O``."""
    if pane.label:
        return pane.label
    name = MODEL_NAMES[pane.model]
    if pane.contention_scope == "scs":  # one-to-one, or many-to-many with every ticket bound to a chef
        return f"{name}: a chef per ticket" + (" (scs)" if pane.model == "many-to-many" else "")
    chefs = pane.base_kernel_threads
    return f"{name}: {chefs} chef{'s' * (chefs != 1)}, {IO_NAMES[pane.io]}"


def series_labels(panes) -> list[str]:
    """Each pane's name in the comparison charts: its label, else its model and what sets it apart from a
    pane of the same model (M, scope, I/O, atfork, priority); a name still shared gets its kitchen number."""
    names = [pane.label or MODEL_NAMES[pane.model] for pane in panes]
    names = [_with_details(pane) if not pane.label and names.count(name) > 1 else name
             for pane, name in zip(panes, names)]
    return [f"{name} (kitchen {index + 1})" if names.count(name) > 1 else name for index, name in enumerate(names)]


def _with_details(pane) -> str:
    """``Many-to-many (2 chefs, non-blocking I/O)``: the model and its settings that differ from the defaults."""
    details = []
    if pane.model == "many-to-many":
        details.append("scs" if pane.contention_scope == "scs" else f"{pane.base_kernel_threads} chefs")
    details += [IO_NAMES[pane.io]] if pane.io != "blocking" else []
    details += ["atfork"] if pane.atfork else []
    details += [f"priority {pane.priority}"] if pane.priority else []
    details += ["inheritance"] if pane.priority_inheritance else []
    return MODEL_NAMES[pane.model] + (f" ({', '.join(details)})" if details else "")


def lesson_entries() -> list[tuple[str, str]]:
    """(name, label) of every shipped lesson in teaching order, e.g. ``1. Parallelism — Thirty-two orders…``."""
    return [(name, lesson_label(number, name, read_title(asset_path("lessons", f"{name}.toml"))))
            for number, name in enumerate(course_order(lesson_names()), start=1)]


def pane_colour(index: int) -> str:
    """The colour that marks pane ``index`` in the charts (Okabe-Ito, colour-blind safe)."""
    return PANE_COLOURS[index % len(PANE_COLOURS)]


class KitchenColumn(QSplitter):
    """One kitchen: its animated pane above its two charts."""

    def __init__(self, index: int, pane_run, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Vertical, parent)
        self.setChildrenCollapsible(False)
        budget = pane_run.scenario.machine.memory_budget_mib
        self.view = KitchenView(pane_run.timeline, pane_title(pane_run.pane), build_at_first_paint=True)
        self.charts = PaneCharts(pane_colour(index), budget)
        self.addWidget(self.view)
        self.addWidget(self.charts)
        self.setStretchFactor(0, 1)
        self.setStretchFactor(1, 0)

    def split_default(self) -> None:
        """Give the kitchen most of the column's height."""
        height = max(self.height(), 100)
        self.setSizes([height * COLUMN_SPLIT[0] // 100, height * COLUMN_SPLIT[1] // 100])

    def show_run(self, pane_run) -> None:
        self.view.set_timeline(pane_run.timeline, pane_title(pane_run.pane))
        self.charts.memory.set_budget(pane_run.scenario.machine.memory_budget_mib)


class MainWindow(QMainWindow):
    """Thread Kitchen's window. ``settings`` (a QSettings) persists layout, speed and lesson; None = don't."""

    scenario_changed = Signal(object)

    def __init__(self, settings: QSettings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.scenario: Scenario | None = None
        self.run: ScenarioRun | None = None
        self.lesson: str | None = None  # the lesson shown, or None for a file / an edited kitchen
        self.path: Path | None = None  # the file Save writes to (None: ask)
        self.dirty = False
        self.snapshots: list = []  # what each pane shows now (one Snapshot per pane)
        self.columns: list[KitchenColumn] = []
        self._chart_jobs: list = []  # the chart updates fed in turn, one per frame (built with the columns)
        self._chart_turn = 0
        self._splits_restored = False
        self._speed_restored = False  # a speed saved by an earlier session was restored
        self._pending_splits: dict[str, QByteArray] = {}  # saved splitter states waiting for their kitchens
        self.player = Player(parent=self)
        self._menus: dict[str, QMenu] = {}
        self.lessons = lesson_entries()  # (name, label) in teaching order, for the Lessons menu and the picker
        self._build_central()
        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._build_docks()
        self._build_status_bar()
        self._connect_player()
        self.lesson_mode = LessonMode(self)  # guided lessons, caption strip, scrubber, presenter mode (F11)
        self.exports = install_export_actions(self)  # File → Export trace / charts, Tools → Parameter sweep
        self.resize(1600, 900)

    # --- layout ----------------------------------------------------------------------------------
    def _build_central(self) -> None:
        self.pane_row = QSplitter(Qt.Orientation.Horizontal)
        self.pane_row.setChildrenCollapsible(False)
        self.compare_row = QSplitter(Qt.Orientation.Horizontal)
        self.comparison: ComparisonChart | None = None
        self.completed: CompletedChart | None = None
        self.main_split = QSplitter(Qt.Orientation.Vertical)
        self.main_split.setChildrenCollapsible(False)
        self.main_split.addWidget(self.pane_row)
        self.main_split.addWidget(self.compare_row)
        self.main_split.setStretchFactor(0, 1)
        self.main_split.setStretchFactor(1, 0)
        self.setCentralWidget(self.main_split)

    def _action(self, text: str, shortcut, slot, icon: QStyle.StandardPixmap | None = None,
                tip: str = "") -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        if icon is not None:
            action.setIcon(self.style().standardIcon(icon))
        action.setToolTip(f"{tip or text.replace('&', '')} ({QKeySequence(shortcut).toString()})")
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        pixmap = QStyle.StandardPixmap
        self.play_action = self._action("&Play", Qt.Key.Key_Space, self.player.toggle, pixmap.SP_MediaPlay,
                                        "Play or pause every kitchen")
        self.step_action = self._action("&Step to next event", Qt.Key.Key_Right, self.player.step_event,
                                        pixmap.SP_MediaSeekForward, "Pause and jump to the next event in any kitchen")
        self.reset_action = self._action("&Reset", Qt.Key.Key_R, self.player.reset, pixmap.SP_MediaSkipBackward,
                                         "Pause and go back to 0 ms")
        self.faster_action = self._action("&Faster", Qt.Key.Key_Plus, lambda: self._scale_speed(2.0),
                                          tip="Double the speed")
        self.slower_action = self._action("S&lower", Qt.Key.Key_Minus, lambda: self._scale_speed(0.5),
                                          tip="Halve the speed")
        self.open_action = self._action("&Open scenario…", QKeySequence.StandardKey.Open, self.open_dialog,
                                        pixmap.SP_DialogOpenButton)
        self.step_action.setIconText("Step")  # short toolbar labels, so a 1280-pixel window shows every button
        self.open_action.setIconText("Open")
        self.save_action = self._action("&Save", QKeySequence.StandardKey.Save, self.save,
                                        pixmap.SP_DialogSaveButton, "Save this kitchen as a scenario file")
        self.save_as_action = self._action("Save &as…", "Ctrl+Shift+S", self.save_as)
        self.quit_action = self._action("&Quit", QKeySequence.StandardKey.Quit, self.close)

    def _build_menus(self) -> None:
        self._build_file_menu()
        self._build_playback_menu()
        self._build_lessons_menu()
        self.add_menu("view", "&View")
        self.add_menu("help", "&Help").addAction("&About Thread Kitchen", self._show_about)

    def _build_file_menu(self) -> None:
        menu = self.add_menu("file", "&File")
        menu.addActions([self.open_action, self.save_action, self.save_as_action])
        menu.addSeparator()
        menu.addAction(self.quit_action)

    def _build_playback_menu(self) -> None:
        menu = self.add_menu("playback", "&Playback")
        menu.addActions([self.play_action, self.step_action, self.reset_action])
        menu.addSeparator()
        menu.addActions([self.faster_action, self.slower_action])

    def _build_lessons_menu(self) -> None:
        menu = self.add_menu("lessons", "&Lessons")
        for name, label in self.lessons:
            menu.addAction(label.replace("&", "&&"), lambda name=name: self.choose_lesson(name))

    def _build_toolbar(self) -> None:
        bar = QToolBar("Playback")
        bar.setObjectName("playback toolbar")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        bar.addActions([self.play_action, self.step_action, self.reset_action])
        bar.addSeparator()
        bar.addWidget(QLabel(" Lesson: "))
        self.lesson_box = QComboBox()
        for name, label in self.lessons:
            self.lesson_box.addItem(label, name)
        self.lesson_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.lesson_box.setMinimumContentsLength(LESSON_BOX_CHARS)
        self.lesson_box.view().setMinimumWidth(self.lesson_box.view().sizeHintForColumn(0) + 24)
        self.lesson_box.activated.connect(lambda index: self.choose_lesson(self.lesson_box.itemData(index)))
        bar.addWidget(self.lesson_box)
        bar.addSeparator()
        self.speed = SpeedControl(MIN_SPEED, MAX_SPEED, DEFAULT_SPEED)
        self.speed.changed.connect(self.player.set_speed)
        bar.addWidget(self.speed)
        bar.addSeparator()
        bar.addActions([self.open_action, self.save_action])
        self.toolbar = bar
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)

    def _build_docks(self) -> None:
        self.editor = KitchenEditor()
        self.editor.edited.connect(self._on_edited)
        self.editor_dock = self._dock("Kitchen editor", self.editor, "E")
        self.legend = QTextBrowser()
        self.legend.setHtml(legend_html())
        self.legend_dock = self._dock("Legend: kitchen ↔ operating system", self.legend, "L")
        self.tabifyDockWidget(self.editor_dock, self.legend_dock)
        for dock in (self.editor_dock, self.legend_dock):
            self.toolbar.addAction(dock.toggleViewAction())
            dock.hide()

    def _dock(self, title: str, widget: QWidget, key: str) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(title)
        dock.setWidget(widget)
        self.add_dock(dock, Qt.DockWidgetArea.RightDockWidgetArea)
        toggle = dock.toggleViewAction()
        toggle.setShortcut(QKeySequence(f"Ctrl+{key}"))
        toggle.setText(title.split(":")[0])
        return dock

    def _build_status_bar(self) -> None:
        self.time_label = QLabel()
        self.speed_label = QLabel()
        self.engine_label = QLabel()
        bar = self.statusBar()
        bar.setStyleSheet("QStatusBar { font-size: 11pt } QStatusBar QLabel { padding: 0 10px }")
        for label in (self.time_label, self.speed_label, self.engine_label):
            bar.addPermanentWidget(label)

    # --- extension points -------------------------------------------------------------------------
    def menu(self, key: str) -> QMenu:
        """A top-level menu by key: file, playback, lessons, view, help (or one added with add_menu)."""
        return self._menus[key]

    def add_menu(self, key: str, title: str) -> QMenu:
        """Add a top-level menu (kept before Help) and return it."""
        help_menu = self._menus.get("help")
        menu = QMenu(title, self)
        if help_menu is None:
            self.menuBar().addMenu(menu)
        else:
            self.menuBar().insertMenu(help_menu.menuAction(), menu)
        self._menus[key] = menu
        return menu

    def add_action(self, menu_key: str, action: QAction) -> None:
        """Append ``action`` to a menu; its shortcut works anywhere in the window."""
        self.menu(menu_key).addAction(action)
        self.addAction(action)

    def add_dock(self, dock: QDockWidget, area: Qt.DockWidgetArea) -> None:
        """Add a dock widget (give it an objectName so its place persists) and a View-menu toggle."""
        self.addDockWidget(area, dock)
        self.menu("view").addAction(dock.toggleViewAction())

    # --- kitchens ----------------------------------------------------------------------------------
    def choose_lesson(self, name: str) -> bool:
        """Switch to a lesson, asking first if there are unsaved edits; False if not switched."""
        if not self.confirm_discard():
            self._sync_lesson_box()
            return False
        try:
            scenario = load_scenario(resolve_scenario(name))
        except ScenarioError as error:
            self._show_error("Cannot open the lesson", str(error))
            return False
        self.set_scenario(scenario, lesson=name)
        self.use_lesson_speed()
        if not self.lesson_mode.guided:  # a guided lesson waits at its explanation
            self.player.play()
        return True

    def open_path(self, path: str | Path) -> bool:
        """Open a scenario file; a bad file shows the loader's message and keeps the current kitchen."""
        try:
            scenario = load_scenario(path)
        except ScenarioError as error:
            self._show_error("Cannot open the scenario", str(error))
            return False
        self.set_scenario(scenario, path=Path(path))
        self.use_lesson_speed()
        return True

    def set_scenario(self, scenario: Scenario, lesson: str | None = None, path: Path | None = None,
                     dirty: bool = False) -> None:
        """Show a new kitchen: rebuild the run and the panes, and restart at 0 ms."""
        self.scenario, self.lesson, self.path = scenario, lesson, path
        self.editor.set_scenario(scenario)
        self._rebuild_run()
        self._set_dirty(dirty)
        self._sync_lesson_box()
        self.scenario_changed.emit(scenario)

    def _rebuild_run(self) -> None:
        self.run = ScenarioRun(self.scenario)
        if len(self.columns) == len(self.run.panes):
            for column, pane_run in zip(self.columns, self.run.panes):
                column.show_run(pane_run)
        else:
            self._rebuild_columns()
        self._rebuild_comparison()
        self._chart_jobs = self._build_chart_jobs()
        self.player.set_run(self.run)

    def _rebuild_columns(self) -> None:
        for column in self.columns:
            column.hide()
            column.deleteLater()
        self.columns = [KitchenColumn(index, pane_run) for index, pane_run in enumerate(self.run.panes)]
        for column in self.columns:
            self.pane_row.addWidget(column)
        self._apply_column_splits()

    def _rebuild_comparison(self) -> None:
        colours = [pane_colour(index) for index in range(len(self.run.panes))]
        labels = series_labels([pane.pane for pane in self.run.panes])
        total = sum(task.count for task in self.scenario.tasks)
        charts = (ComparisonChart(colours, labels), CompletedChart(colours, labels, total))
        for index, chart in enumerate(charts):
            if self.compare_row.count() > index:
                self.compare_row.replaceWidget(index, chart).deleteLater()
            else:
                self.compare_row.addWidget(chart)
        self.comparison, self.completed = charts

    def _on_edited(self, scenario: Scenario) -> None:
        playing = self.player.playing
        self.set_scenario(scenario, path=self.path, dirty=True)
        if playing:
            self.player.play()

    # --- the frame loop --------------------------------------------------------------------------
    def _connect_player(self) -> None:
        self.player.frame.connect(self._on_frame)
        self.player.moved.connect(self._on_moved)
        self.player.playing_changed.connect(self._on_playing_changed)
        self.player.speed_changed.connect(self._on_speed_changed)
        self.player.ended.connect(self._on_ended)
        self.player.failed.connect(self._on_failed)

    def _on_frame(self, dt_s: float) -> None:
        for column in self.columns:
            column.view.advance_tween(dt_s)
        if self.player.playing:
            self._refresh_next_chart()

    def _on_moved(self, t_ms: float) -> None:
        self.snapshots = [pane.timeline.state_at(t_ms) for pane in self.run.panes]
        for column, snapshot in zip(self.columns, self.snapshots):
            column.view.show_snapshot(snapshot)
        if not self.player.playing:
            self.refresh_charts()

    def _build_chart_jobs(self) -> list:
        """The chart updates, one per frame in turn: each chart is fed at 60 / len(jobs) Hz (12 Hz for 3 panes)."""
        timelines = [pane.timeline for pane in self.run.panes]
        jobs = [lambda t, c=column, tl=timeline: c.charts.refresh(tl, t)
                for column, timeline in zip(self.columns, timelines)]
        jobs.append(lambda t: self.comparison.refresh(timelines, t))
        jobs.append(lambda t: (self.completed.refresh(timelines, t), self._update_status()))
        return jobs

    def _refresh_next_chart(self) -> None:
        self._chart_turn = (self._chart_turn + 1) % len(self._chart_jobs)
        self._chart_jobs[self._chart_turn](self.player.playhead_ms)

    def refresh_charts(self) -> None:
        """Feed every chart and the status bar up to the playhead now (paused, stepped, or ended)."""
        for job in self._chart_jobs:
            job(self.player.playhead_ms)

    def _update_status(self) -> None:
        player = self.player
        if self.run is None:
            return
        self.time_label.setText(f"<b>t = {format_ms(player.playhead_ms)}</b>")
        self.speed_label.setText(f"speed {format_speed(player.speed)}")
        if player.at_end():
            text = f"run ended at {format_ms(player.end_ms())}"
        elif self.run.finished:
            text = "all computed"
        elif player.waiting_for_engine:
            text = f"engine busy: computed to {format_ms(player.computed_until())} (kitchen slowed)"
        else:
            text = f"computed ahead to {format_ms(player.computed_until())}"
        self.engine_label.setText(text)

    def _on_playing_changed(self, playing: bool) -> None:
        pixmap = QStyle.StandardPixmap.SP_MediaPause if playing else QStyle.StandardPixmap.SP_MediaPlay
        self.play_action.setIcon(self.style().standardIcon(pixmap))
        self.play_action.setText("&Pause" if playing else "&Play")
        self._update_status()

    def _on_speed_changed(self, speed: float) -> None:
        self.speed.set_speed(speed)
        self._update_status()

    def _on_ended(self, t_ms: float) -> None:
        self.refresh_charts()
        self.statusBar().showMessage(f"Run ended at {format_ms(t_ms)}. Press Space to play it again.")

    def _on_failed(self, message: str) -> None:
        self.statusBar().showMessage("The simulation stopped: see the message.")
        self._show_error("The simulation stopped", f"The engine failed while computing ahead:\n{message}")

    def stop_on_error(self, message: str) -> None:
        """A bug escaped a frame or a click: stop the clock (so it cannot repeat every frame) and say so once."""
        if not self.player.clock_running:
            return
        self.player.pause()
        self.player.stop_clock()
        self.statusBar().showMessage("Thread Kitchen stopped animating after an internal error.")
        self._show_error("Internal error", f"The kitchen stopped animating; save your work and restart.\n{message}")

    def _scale_speed(self, factor: float) -> None:
        self.player.set_speed(self.player.speed * factor)

    # --- files --------------------------------------------------------------------------------------
    def open_dialog(self) -> None:
        if not self.confirm_discard():
            return
        path, _ = QFileDialog.getOpenFileName(self, "Open a scenario", self._folder(), SCENARIO_FILTER)
        if path:
            self.open_path(path)

    def save(self) -> bool:
        """Save to the file this kitchen came from; lessons and new kitchens ask for a file."""
        return self.save_to(self.path) if self.path is not None else self.save_as()

    def save_as(self) -> bool:
        suggested = str(Path(self._folder()) / f"{self.lesson or 'kitchen'}.toml")
        path, _ = QFileDialog.getSaveFileName(self, "Save the kitchen", suggested, SCENARIO_FILTER)
        return self.save_to(Path(path)) if path else False

    def save_to(self, path: Path) -> bool:
        """Write the kitchen atomically to ``path``; a failure is shown and nothing is lost."""
        try:
            save_scenario(self.scenario, path)
        except OSError as error:
            self._show_error("Cannot save the kitchen", f"{path}: {error.strerror or error}")
            return False
        self.path, self.lesson = Path(path), None
        self._set_dirty(False)
        self._sync_lesson_box()
        return True

    def _folder(self) -> str:
        return str(self.path.parent) if self.path is not None else str(Path.home())

    def confirm_discard(self) -> bool:
        """True if there are no unsaved edits, or the user saved or chose to discard them."""
        if not self.dirty:
            return True
        buttons = QMessageBox.StandardButton
        answer = QMessageBox.question(self, "Unsaved kitchen", "This kitchen has unsaved edits. Save them first?",
                                      buttons.Save | buttons.Discard | buttons.Cancel, buttons.Save)
        if answer == buttons.Save:
            return self.save()
        return answer == buttons.Discard

    def _set_dirty(self, dirty: bool) -> None:
        self.dirty = dirty
        name = self.lesson or (self.path.name if self.path else "edited kitchen")
        title = self.scenario.title if self.scenario else ""
        self.setWindowTitle(f"{'* ' if dirty else ''}{title} — {name} — {APP_TITLE}")

    def _sync_lesson_box(self) -> None:
        self.lesson_box.setCurrentIndex(self.lesson_box.findData(self.lesson) if self.lesson else -1)
        self.lesson_box.setPlaceholderText(self.path.name if self.path else "(edited)")

    def _show_error(self, title: str, text: str) -> None:
        QMessageBox.warning(self, title, text)

    def _show_about(self) -> None:
        QMessageBox.about(self, "About Thread Kitchen",
                          "<h3>Thread Kitchen</h3><p>Three kitchens show how operating systems map user "
                          "threads (order tickets) onto kernel threads (chefs) and CPU cores (stoves).</p>")

    # --- persistence and lifetime --------------------------------------------------------------
    def restore_settings(self) -> str:
        """Restore geometry, splitters and speed; return the lesson (or file) to open."""
        if self.settings is None:
            return DEFAULT_LESSON
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
            self.restoreState(self.settings.value("window/state", QByteArray()))
        self._restore_splitters()
        saved_speed = self.settings.value("player/speed")
        if saved_speed is not None:
            self.player.set_speed(float(saved_speed))
            self._speed_restored = True
        return str(self.settings.value("kitchen/last", DEFAULT_LESSON))

    def _restore_splitters(self) -> None:
        """The vertical split now; the kitchens' widths and heights once their columns exist."""
        state = self.settings.value("window/main_split")
        if isinstance(state, QByteArray):
            self._splits_restored = self.main_split.restoreState(state)
        for key in ("window/pane_row", "window/column_split"):
            state = self.settings.value(key)
            if isinstance(state, QByteArray):
                self._pending_splits[key] = state

    def _apply_column_splits(self) -> None:
        """Equal kitchen widths, or the saved ones if they were saved for as many kitchens."""
        self.pane_row.setSizes([1000] * len(self.columns))
        row = self._pending_splits.get("window/pane_row")
        if row is not None and not self.pane_row.restoreState(row):
            self.pane_row.setSizes([1000] * len(self.columns))
        column = self._pending_splits.get("window/column_split")
        for each in self.columns:
            restored = column is not None and each.restoreState(column)
            if not restored and self.isVisible():
                each.split_default()

    def save_settings(self) -> None:
        if self.settings is None:
            return
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.setValue("window/main_split", self.main_split.saveState())
        self.settings.setValue("window/pane_row", self.pane_row.saveState())
        if self.columns:
            self.settings.setValue("window/column_split", self.columns[0].saveState())
        self.settings.setValue("player/speed", self.player.speed)
        last = self.lesson or (str(self.path) if self.path and not self.dirty else None)
        if last:
            self.settings.setValue("kitchen/last", last)
        self.settings.sync()

    def open_start(self, name_or_path: str) -> None:
        """Open the first kitchen and play; a lesson or file that is gone falls back to parallelism."""
        try:
            scenario = load_scenario(resolve_scenario(name_or_path))
        except ScenarioError:
            name_or_path, scenario = DEFAULT_LESSON, load_scenario(resolve_scenario(DEFAULT_LESSON))
        lesson = name_or_path if name_or_path in lesson_names() else None
        self.set_scenario(scenario, lesson=lesson, path=None if lesson else Path(name_or_path))
        if not self._speed_restored:  # a newcomer sees the lesson at its own pace; others keep their speed
            self.use_lesson_speed()
        self.player.play()

    def use_lesson_speed(self) -> None:
        """Play at the speed the lesson names in its ``[lesson]`` table (simulated ms per second), if any."""
        lesson = self.scenario.lesson if self.scenario is not None else None
        if lesson is not None and lesson.speed is not None:
            self.player.set_speed(lesson.speed)

    def split_default(self) -> None:
        """The default layout: kitchens get most of the height, comparison charts the rest."""
        height = max(self.main_split.height(), 100)
        self.main_split.setSizes([height * MAIN_SPLIT[0] // 100, height * MAIN_SPLIT[1] // 100])
        for column in self.columns:
            column.split_default()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._splits_restored:
            self._splits_restored = True
            self.split_default()
        self.player.start_clock()

    def hideEvent(self, event) -> None:
        self.player.stop_clock()
        super().hideEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.confirm_discard():
            event.ignore()
            return
        self.lesson_mode.set_presenter(False)  # save the window's own layout, not the projector's
        self.save_settings()
        self.player.stop_clock()
        self.editor.stop()
        super().closeEvent(event)
