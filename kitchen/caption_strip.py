"""The caption strip at the bottom of the window: the lesson step's caption, big, and live narration.

``CaptionStrip`` shows, from a ``LessonState``: the explanation (intro), a
prediction question with its choices (before a step plays), or the step's
caption with the answer revealed (at the step's moment). Under it one
narration line, fed by ``NarrationFeed``, which runs ``engine.narration`` over
every pane as the playhead moves and lets through at most one line per
``NARRATION_GAP_S`` seconds of wall time at the current speed. The feed reads
events only, never snapshots, so it does not move the Timeline's playback cursor.
"""

from __future__ import annotations

import bisect
import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QVBoxLayout, QWidget

from engine.narration import Line, PaneMemory, Throttle, narrate, pick
from kitchen import palette
from kitchen.lesson_player import AT, INTRO, LessonState

NARRATION_GAP_S = 1.5
CHECKPOINT_EVERY_MS = 500.0  # simulated time between the narrator's checkpoints (for rewinds)
LETTERS = "ABCDEF"
SIZES = {False: (11, 15, 12), True: (17, 25, 18)}  # (heading, caption, narration) points: window, presenter
MAX_HEIGHT_SHARE = 0.25  # the strip never takes more of the window's height than this
MIN_FONT_SCALE, FONT_SCALE_STEP = 0.6, 0.05  # how far and in what steps the type shrinks to fit


class NarrationFeed:
    """Narrates the panes of a run as the playhead moves forward, one pane per call in turn (so each
    frame does a small, even share of the work); after a rewind it picks up from the last checkpoint
    before the playhead (what each pane's narrator remembered then) without telling old news again."""

    def __init__(self) -> None:
        self.set_run(None, [])

    def set_run(self, run, names: list[str]) -> None:
        self.timelines = [pane.timeline for pane in run.panes] if run is not None else []
        self.names = names
        self._reset(0.0)
        self.checkpoints = [[(-1.0, PaneMemory())] for _ in self.timelines]  # per pane: (told until, memory)

    def _reset(self, t_ms: float) -> None:
        self.memories = [PaneMemory() for _ in self.timelines]
        self.throttle = Throttle()
        self.told_until = [t_ms if t_ms > 0.0 else -1.0 for _ in self.timelines]  # -1: events at 0 ms are new
        self.turn = 0

    def update(self, t_ms: float, speed_ms_per_s: float) -> Line | None:
        """The line to show now (or None): narrates the next pane's events since its last turn, throttled."""
        if not self.timelines:
            return None
        if t_ms < max(self.told_until):
            self._catch_up(t_ms)
            return None
        pane, self.turn = self.turn, (self.turn + 1) % len(self.timelines)
        lines, self.memories[pane] = narrate(self.timelines[pane], self.told_until[pane], t_ms,
                                             self.memories[pane], pane, self.names[pane])
        self.told_until[pane] = t_ms
        self._checkpoint(pane)
        line, self.throttle = pick(self.throttle, lines, t_ms, NARRATION_GAP_S * speed_ms_per_s)
        return line

    def _checkpoint(self, pane: int) -> None:
        """Keep what the pane's narrator remembers every CHECKPOINT_EVERY_MS of simulated time."""
        if self.told_until[pane] >= self.checkpoints[pane][-1][0] + CHECKPOINT_EVERY_MS:
            self.checkpoints[pane].append((self.told_until[pane], self.memories[pane]))

    def _catch_up(self, t_ms: float) -> None:
        """After a rewind, remember what happened up to ``t_ms`` without telling it."""
        self._reset(t_ms)
        for pane, timeline in enumerate(self.timelines):
            kept = self.checkpoints[pane]
            del kept[bisect.bisect_right(kept, t_ms, key=lambda point: point[0]):]
            since, memory = kept[-1]
            _, self.memories[pane] = narrate(timeline, since, t_ms, memory, pane, self.names[pane])


class CaptionStrip(QFrame):
    """The strip under the kitchens: lesson heading, the big caption or question, and one narration line.

    Without a guided lesson it is one line (the kitchen's title and a hint) until narration arrives. Its
    type shrinks (down to ``MIN_FONT_SCALE``) so that it never takes more than ``MAX_HEIGHT_SHARE`` of the
    window's height; ``fit`` re-checks that after the window is resized.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("caption strip")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.heading = self._label(palette.MUTED_INK)
        self.caption = self._label(palette.INK)
        self.narration = self._label(palette.MUTED_INK)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 6, 14, 6)
        for label in (self.heading, self.caption, self.narration):
            layout.addWidget(label)
        self.narration.hide()
        self.presenter = False
        self.scale = 1.0
        self.set_presenter(False)

    def _label(self, colour: str) -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setStyleSheet(f"color: {colour}")
        label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        return label

    def set_presenter(self, on: bool) -> None:
        """Projector sizes: the caption readable from the back row."""
        self.presenter = on
        self.setStyleSheet(f"#caption\\ strip {{ background: {palette.PAPER}; border-top: "
                           f"{3 if on else 1}px solid {palette.REGION_EDGE} }}")
        self._set_scale(1.0)
        self.fit()

    def _set_scale(self, scale: float) -> None:
        self.scale = scale
        heading, caption, narration = SIZES[self.presenter]
        for label, points, bold in ((self.heading, heading, True), (self.caption, caption, False),
                                    (self.narration, narration, False)):
            font = palette.scene_font(1)
            font.setPointSizeF(points * scale)
            font.setBold(bold)
            label.setFont(font)

    def fit(self) -> None:
        """The largest type (at most the mode's own) whose lines take at most MAX_HEIGHT_SHARE of the window."""
        scale = 1.0
        self._set_scale(scale)
        if self.window() is self:  # not in a window yet: nothing to share the height with
            return
        room = self.window().height() * MAX_HEIGHT_SHARE
        while scale > MIN_FONT_SCALE and self.needed_height() > room:
            scale = round(scale - FONT_SCALE_STEP, 2)
            self._set_scale(scale)

    def needed_height(self) -> int:
        """The height the strip's visible lines take at its current width."""
        margins = self.layout().contentsMargins()
        width = max(self.width(), self.window().width()) - margins.left() - margins.right()
        shown = [label for label in (self.heading, self.caption, self.narration) if not label.isHidden()]
        spacing = self.layout().spacing() * (len(shown) - 1)
        return sum(label.heightForWidth(width) for label in shown) + spacing + margins.top() + margins.bottom()

    def show_lesson(self, state: LessonState | None, title: str, hint: str) -> None:
        """Show a guided lesson's state, or (None) the kitchen's title and a hint on one line."""
        if state is None:
            self.heading.setText(f"{html.escape(title)}&nbsp;&nbsp;<span style='font-weight:normal'>"
                                 f"{html.escape(hint)}</span>")
            self.caption.hide()
        else:
            where = "Introduction" if state.phase == INTRO else f"Step {state.index + 1} of {state.count}"
            self.heading.setText(f"{html.escape(title)} · {where}")
            self.caption.setText(caption_html(state))
            self.caption.show()
        self.fit()

    def show_narration(self, line: Line | None, pane_name: str = "", colour: str = palette.INK) -> None:
        """One narration line, marked with the pane it is about; None keeps the current line."""
        if line is None:
            return
        self.narration.setText(f"<b style='color:{colour}'>{html.escape(pane_name)}:</b> {html.escape(line.text)}")
        if self.narration.isHidden():
            self.narration.show()
            self.fit()

    def clear_narration(self) -> None:
        self.narration.setText("")
        if not self.narration.isHidden():
            self.narration.hide()
            self.fit()


def caption_html(state: LessonState) -> str:
    """The big text for a lesson state: explanation, question and choices, or caption and answer."""
    step = state.step
    if state.phase == INTRO or step is None:
        return f"{html.escape(' '.join(state.lesson.explanation.split()))}<br><i>Press → to begin.</i>"
    if state.phase == AT:
        answer = _answer_html(step.predict) if step.predict is not None else ""
        return f"<b>{html.escape(step.caption)}</b>{answer}"
    if step.predict is not None:
        return _question_html(step.predict)
    return "<i>Watch the kitchens… (→ jumps to the moment)</i>"


def _question_html(predict) -> str:
    choices = "&nbsp;&nbsp;&nbsp; ".join(f"{LETTERS[index]})&nbsp;{_unbroken(choice)}"
                                         for index, choice in enumerate(predict.choices))
    return (f"<b>Predict:</b> {html.escape(predict.question)}<br>{choices}"
            "<br><small><i>Press → to play and find out.</i></small>")


def _unbroken(text: str) -> str:
    """A choice that wraps as a whole, never in the middle (short choices read better that way)."""
    return html.escape(text).replace(" ", "&nbsp;") if len(text) <= 60 else html.escape(text)


def _answer_html(predict) -> str:
    """Once the moment is reached: only the right choice, ticked, and why (the question was asked before)."""
    right = f"{LETTERS[predict.answer]}) {html.escape(predict.choices[predict.answer])}"
    return (f"<br><span style='color:{palette.BLUISH_GREEN}'><b>✓ {right}.</b></span> "
            f"<b>Why:</b> {html.escape(predict.reveal)}")
