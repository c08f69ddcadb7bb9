"""Lessons in the window: the guided lesson, the caption strip, the scrubber, spotlight and presenter mode.

``LessonMode`` is attached to the main window once. It puts the scrubber and the
caption strip under the kitchens, plays the lesson script with a
``LessonPlayer`` and adds the keyboard controls a lecturer needs:

    F11       presenter mode: full screen, large type, thick lines, guided lesson
    G         guided lesson on/off (pause at each step, predictions, captions)
    → / PgDn  next step (question → play → jump to the moment); Shift+→ steps one event
    ← / PgUp  previous step (rewinds to its moment)
    1 … 6     spotlight a pane (dim the others); 0 clears it
    Ctrl+PgDn / Ctrl+PgUp   next / previous lesson
    Esc       leave presenter mode

Space (play/pause), R (reset) and + / - (speed) are the window's own keys.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QVBoxLayout, QWidget

from engine.assets import lesson_names
from engine.lesson import course_order
from kitchen import palette
from kitchen.caption_strip import CaptionStrip, NarrationFeed
from kitchen.lesson_player import AT, LessonPlayer
from kitchen.scrubber import Scrubber

DIM_ALPHA = 150
MAX_PANES = 6
PLAIN_HINT = "Press G for a guided lesson (steps, predictions, captions) or F11 for presenter mode."


class Dimmer(QWidget):
    """A translucent veil over a kitchen column that is out of the spotlight.

    It lives in ``layer`` (the window's central container), not in the column: a
    QSplitter would take any child widget as a new section. It follows the
    column's geometry through an event filter.
    """

    def __init__(self, target: QWidget, layer: QWidget) -> None:
        super().__init__(layer)
        self.target = target
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        colour = palette.qcolour(palette.PAPER)
        self.setStyleSheet(f"background: rgba({colour.red()}, {colour.green()}, {colour.blue()}, {DIM_ALPHA})")
        target.installEventFilter(self)
        self.follow()
        self.hide()

    def follow(self) -> None:
        """Cover the target column exactly."""
        self.setGeometry(QRect(self.target.mapTo(self.parentWidget(), QPoint(0, 0)), self.target.size()))

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt override)
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Move):
            self.follow()
        return False


class LessonMode(QObject):
    """Guided lessons, narration, scrubbing, spotlight and presenter mode for a MainWindow."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.player = window.player
        self.lesson_player = LessonPlayer(window.player, self)
        self.strip = CaptionStrip()
        self.scrubber = Scrubber()
        self.feed = NarrationFeed()
        self.presenting = False
        self.spotlit: int | None = None
        self.manual_spotlight = False
        self.dimmers: list[Dimmer] = []
        self._hidden_by_presenter: list[QWidget] = []
        self._window_state = Qt.WindowState.WindowNoState
        self._wrap_central()
        self._build_actions()
        self._connect()

    # --- building ----------------------------------------------------------------------------------
    def _wrap_central(self) -> None:
        """Kitchens and charts on top, then the scrubber, then the caption strip."""
        container = QWidget()
        self.layer = container
        layout = QVBoxLayout(container)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.window.takeCentralWidget(), 1)
        layout.addWidget(self.scrubber)
        layout.addWidget(self.strip)
        self.window.setCentralWidget(container)

    def _action(self, menu: str, text: str, keys: list, slot, checkable: bool = False) -> QAction:
        action = QAction(text, self.window)
        action.setShortcuts([QKeySequence(key) for key in keys])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.setCheckable(checkable)
        action.triggered.connect(slot)
        self.window.add_action(menu, action)
        return action

    def _build_actions(self) -> None:
        lessons = self.window.menu("lessons")
        lessons.addSeparator()
        self.guided_action = self._action("lessons", "&Guided lesson", ["G"], self.set_guided, checkable=True)
        self.next_action = self._action("lessons", "&Next step", [Qt.Key.Key_PageDown], self.lesson_player.next)
        self.previous_action = self._action("lessons", "Pre&vious step", [Qt.Key.Key_Left, Qt.Key.Key_PageUp],
                                            self.lesson_player.previous)
        self._action("lessons", "Next lesson", ["Ctrl+PgDown"], lambda: self.switch_lesson(1))
        self._action("lessons", "Previous lesson", ["Ctrl+PgUp"], lambda: self.switch_lesson(-1))
        self.presenter_action = self._action("view", "&Presenter mode", [Qt.Key.Key_F11], self.set_presenter,
                                             checkable=True)
        self.leave_action = self._action("view", "Leave presenter mode", [Qt.Key.Key_Escape],
                                         lambda: self.set_presenter(False))
        self.leave_action.setEnabled(False)  # Esc belongs to the rest of the window unless presenting
        spotlight = self.window.menu("view").addMenu("&Spotlight")
        for pane in range(1, MAX_PANES + 1):
            spotlight.addAction(self._action("view", f"Pane {pane}", [str(pane)],
                                             lambda _=False, p=pane: self.toggle_spotlight(p - 1)))
        spotlight.addAction(self._action("view", "No spotlight", ["0"], lambda: self.spotlight(None, True)))
        self._update_step_keys()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt override)
        """The caption strip's type fits a share of the window's height, so it follows the window's size."""
        if watched is self.window and event.type() == QEvent.Type.Resize:
            self.strip.fit()
        return False

    def _connect(self) -> None:
        self.window.installEventFilter(self)
        self.window.scenario_changed.connect(self._on_scenario_changed)
        self.player.moved.connect(self._on_moved)
        self.player.frame.connect(self._on_frame)
        self.lesson_player.changed.connect(self._on_lesson_state)
        self.scrubber.scrubbed.connect(self.scrub_to)

    # --- modes -------------------------------------------------------------------------------------
    @property
    def guided(self) -> bool:
        """A guided lesson is on (the window then opens lessons paused at their explanation)."""
        return self.lesson_player.active

    def set_guided(self, on: bool) -> None:
        """Guided lesson on or off (presenter mode turns it on); a guided lesson plays at its own speed (as any
        lesson does when it is chosen)."""
        self.guided_action.setChecked(on)
        self.lesson_player.set_guided(on)
        self._update_step_keys()
        if on:
            self.window.use_lesson_speed()
        self._show_lesson_state(self.lesson_player.state)

    def _update_step_keys(self) -> None:
        """While guided, → is 'next step' and stepping one event moves to Shift+→."""
        guided = self.lesson_player.active
        self.window.step_action.setShortcut(QKeySequence("Shift+Right" if guided else "Right"))
        keys = [Qt.Key.Key_Right, Qt.Key.Key_PageDown] if guided else [Qt.Key.Key_PageDown]
        self.next_action.setShortcuts([QKeySequence(key) for key in keys])
        for action in (self.next_action, self.previous_action):
            action.setEnabled(guided)

    def set_presenter(self, on: bool, full_screen: bool = True) -> None:
        """Full screen, projector sizes, guided lesson, keyboard only; off restores the window."""
        if on == self.presenting:
            self.presenter_action.setChecked(on)
            return
        self.presenting = on
        self.presenter_action.setChecked(on)
        self.leave_action.setEnabled(on)
        self._hide_chrome(on)
        self._apply_presenter_sizes()
        if on and full_screen:
            self.window.showFullScreen()
        elif not on:
            self.window.setWindowState(self._window_state)
        self.set_guided(on or self.guided_action.isChecked())

    def _hide_chrome(self, hide: bool) -> None:
        """Presenter mode hides menus, toolbar, status bar and docks; leaving it shows them again."""
        window = self.window
        if hide:
            self._window_state = window.windowState()
            self._hidden_by_presenter = [widget for widget in self._chrome() if not widget.isHidden()]
        for widget in self._hidden_by_presenter:
            widget.setHidden(hide)
        if not hide:
            self._hidden_by_presenter = []

    def _chrome(self) -> list[QWidget]:
        """Everything presenter mode hides: menus, toolbar, status bar, docks, the comparison charts (each
        kitchen's own charts are hidden with the presenter sizes, since kitchens change with the lesson)."""
        window = self.window
        return [window.menuBar(), window.toolbar, window.statusBar(), window.compare_row,
                *window.findChildren(QDockWidget)]

    def _apply_presenter_sizes(self) -> None:
        """Projector sizes; the kitchens take the height of their own charts (the stoves show who cooks)."""
        for column in self.window.columns:
            column.view.set_presenter(self.presenting)
            column.charts.setVisible(not self.presenting)
        self.strip.set_presenter(self.presenting)
        self.scrubber.set_presenter(self.presenting)

    # --- spotlight ---------------------------------------------------------------------------------
    def toggle_spotlight(self, pane: int) -> None:
        """Keys 1-6: spotlight that pane, or clear the spotlight if it is already lit."""
        self.spotlight(None if self.spotlit == pane else pane, manual=True)

    def spotlight(self, pane: int | None, manual: bool = False) -> None:
        """Dim every kitchen but ``pane`` (None: no spotlight)."""
        if pane is not None and pane >= len(self.window.columns):
            return
        self.spotlit, self.manual_spotlight = pane, manual and pane is not None
        for index, dimmer in enumerate(self.dimmers):
            dimmer.follow()
            dimmer.setVisible(pane is not None and index != pane)
            dimmer.raise_()

    # --- following the window ----------------------------------------------------------------------
    def _on_scenario_changed(self, scenario) -> None:
        window = self.window
        for dimmer in self.dimmers:
            dimmer.deleteLater()
        self.dimmers = [Dimmer(column, self.layer) for column in window.columns]
        self.spotlight(None)
        self._apply_presenter_sizes()
        self.feed.set_run(window.run, [column.view.title for column in window.columns])
        self.strip.clear_narration()
        self.scrubber.set_span(scenario.duration_ms)
        self.lesson_player.set_lesson(scenario.lesson, window.run)
        self._update_step_keys()
        self._refresh_marks()
        self._show_lesson_state(self.lesson_player.state)

    def _refresh_marks(self) -> None:
        lesson = self.lesson_player.lesson
        moments = [self.lesson_player.moment(i) for i in range(len(lesson.steps))] if lesson else []
        self.scrubber.set_marks([t for t in moments if t is not None])

    def _on_moved(self, t_ms: float) -> None:
        player = self.player
        self._refresh_marks()
        if player.run.finished:
            self.scrubber.set_span(player.end_ms())
        self.scrubber.set_playhead(t_ms, min(player.computed_until(), self.scrubber.span_ms))

    def _on_frame(self, dt_s: float) -> None:
        if not self.player.playing:
            return
        line = self.feed.update(self.player.playhead_ms, self.player.speed)
        if line is not None:
            from kitchen.window import pane_colour

            self.strip.show_narration(line, self.feed.names[line.pane], pane_colour(line.pane))

    def _on_lesson_state(self, state) -> None:
        self._show_lesson_state(state)
        if state is not None and state.phase == AT:
            self.strip.clear_narration()  # paused at a step: its caption has the floor
        step = state.step if state is not None else None
        if not self.manual_spotlight and (self.presenting or self.lesson_player.active):
            self.spotlight(step.pane - 1 if step is not None and step.pane else None)

    def _show_lesson_state(self, state) -> None:
        scenario = self.window.scenario
        title = scenario.title if scenario is not None else ""
        has_script = scenario is not None and scenario.lesson is not None
        hint = PLAIN_HINT if has_script else "Drag the timeline above to any moment; F11 for presenter mode."
        self.strip.show_lesson(state if self.lesson_player.active else None, title, hint)

    # --- commands ----------------------------------------------------------------------------------
    def scrub_to(self, t_ms: float) -> None:
        """Show simulated time ``t_ms`` in every pane (pauses; backwards or forwards)."""
        self.player.pause()
        self.player.seek(t_ms)

    def show_step(self, number: int) -> float:
        """Guide the lesson to step ``number`` (1 = the first) and return its moment; ValueError if none."""
        lesson = self.lesson_player.lesson
        if lesson is None:
            raise ValueError(f"{self.window.scenario.title!r} has no [lesson] steps")
        if not 1 <= number <= len(lesson.steps):
            raise ValueError(f"--step {number}: the lesson has steps 1 to {len(lesson.steps)}")
        self.set_guided(True)
        self.lesson_player.go_to(number - 1)
        return self.player.playhead_ms

    def switch_lesson(self, offset: int) -> None:
        """Open the next (or previous) lesson of the library."""
        names = course_order(lesson_names())
        current = self.window.lesson
        index = names.index(current) + offset if current in names else 0
        self.window.choose_lesson(names[index % len(names)])
