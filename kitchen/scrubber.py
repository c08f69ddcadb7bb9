"""The scrubber: a timeline slider under the kitchens; drag it to show any simulated moment.

It draws the whole run as a track (the part already computed darker, the part
played in the pane colour), the playhead as a handle, and the lesson's step
moments as numbered marks. Pressing or dragging anywhere on it emits
``scrubbed(t_ms)``; the window seeks every pane there, backwards as well as
forwards (the Timeline rewinds from keyframes, so this is instant for lessons).
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QFont, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from kitchen import palette
from kitchen.speed import format_ms

MARGIN = 16
HEIGHTS = {False: 44, True: 72}


class Scrubber(QWidget):
    """A custom-drawn time slider with step marks; emits ``scrubbed`` while pressed or dragged."""

    scrubbed = Signal(float)
    released = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scrubber")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip("Drag to show any moment of the run, backwards or forwards")
        self.span_ms = 1.0
        self.playhead_ms = 0.0
        self.computed_ms = 0.0
        self.marks: list[float] = []
        self.dragging = False
        self.presenter = False
        self.set_presenter(False)

    # --- model -------------------------------------------------------------------------------------
    def set_span(self, span_ms: float) -> None:
        """The simulated time the full width stands for (the run's length)."""
        self.span_ms = max(1.0, float(span_ms))
        self.update()

    def set_playhead(self, t_ms: float, computed_ms: float) -> None:
        self.playhead_ms, self.computed_ms = t_ms, computed_ms
        self.update()

    def set_marks(self, moments: list[float]) -> None:
        """The lesson's step moments (simulated ms), drawn as numbered marks."""
        self.marks = list(moments)
        self.update()

    def set_presenter(self, on: bool) -> None:
        self.presenter = on
        self.setFixedHeight(HEIGHTS[on])
        self.update()

    # --- geometry ----------------------------------------------------------------------------------
    def _track(self) -> QRectF:
        label_w = self.fontMetrics().horizontalAdvance("999 999 ms / 999 999 ms") * (1.8 if self.presenter else 1.1)
        return QRectF(MARGIN, self.height() * 0.55, max(10.0, self.width() - 2 * MARGIN - label_w),
                      6 if self.presenter else 4)

    def x_for(self, t_ms: float) -> float:
        track = self._track()
        return track.left() + track.width() * min(1.0, max(0.0, t_ms / self.span_ms))

    def time_at(self, x: float) -> float:
        track = self._track()
        return self.span_ms * min(1.0, max(0.0, (x - track.left()) / track.width()))

    # --- input -------------------------------------------------------------------------------------
    def mousePressEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self.dragging = True
        self.scrubbed.emit(self.time_at(event.position().x()))

    def mouseMoveEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if self.dragging:
            self.scrubbed.emit(self.time_at(event.position().x()))

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self.dragging = False
        self.released.emit()

    # --- drawing -----------------------------------------------------------------------------------
    def paintEvent(self, event) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        track = self._track()
        painter.fillRect(self.rect(), palette.qcolour(palette.PAPER))
        self._bar(painter, track, self.span_ms, palette.REGION_EDGE)
        self._bar(painter, track, self.computed_ms, palette.MUTED_INK)
        self._bar(painter, track, self.playhead_ms, palette.BLUE)
        self._draw_marks(painter, track)
        self._draw_handle(painter, track)
        self._draw_time(painter, track)

    def _bar(self, painter: QPainter, track: QRectF, until_ms: float, colour: str) -> None:
        width = self.x_for(until_ms) - track.left()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(palette.qcolour(colour))
        painter.drawRoundedRect(QRectF(track.left(), track.top(), width, track.height()), 2, 2)

    def _draw_marks(self, painter: QPainter, track: QRectF) -> None:
        """A line per step moment; numbers of marks too close to read apart share one label (``2·3``)."""
        painter.setFont(self._font(0.7))
        top = track.top() - track.height() * 2
        painter.setPen(QPen(palette.qcolour(palette.VERMILLION), 3 if self.presenter else 2))
        for t_ms in self.marks:
            x = self.x_for(t_ms)
            painter.drawLine(QPointF(x, top), QPointF(x, track.bottom() + 3))
        painter.setPen(palette.qcolour(palette.VERMILLION))
        for label, x in self.mark_labels():
            painter.drawText(QRectF(x - 40, 0, 80, top), Qt.AlignmentFlag.AlignCenter, label)

    def mark_labels(self) -> list[tuple[str, float]]:
        """(label, x) for the step marks: neighbours closer than a label's width are grouped."""
        gap = self.fontMetrics().horizontalAdvance("00") * (2.0 if self.presenter else 1.2)
        groups: list[list[tuple[int, float]]] = []
        for number, t_ms in enumerate(self.marks, start=1):
            x = self.x_for(t_ms)
            if groups and x - groups[-1][-1][1] < gap:
                groups[-1].append((number, x))
            else:
                groups.append([(number, x)])
        return [("·".join(str(number) for number, _ in group), (group[0][1] + group[-1][1]) / 2)
                for group in groups]

    def _draw_handle(self, painter: QPainter, track: QRectF) -> None:
        radius = track.height() * 2.2
        painter.setPen(QPen(palette.qcolour(palette.PAPER), 2))
        painter.setBrush(palette.qcolour(palette.BLUE))
        painter.drawEllipse(QPointF(self.x_for(self.playhead_ms), track.center().y()), radius, radius)

    def _draw_time(self, painter: QPainter, track: QRectF) -> None:
        painter.setFont(self._font(0.95))
        painter.setPen(palette.qcolour(palette.INK))
        text = f"{format_ms(self.playhead_ms)} / {format_ms(self.span_ms)}"
        area = QRectF(track.right() + MARGIN, 0, self.width() - track.right() - 2 * MARGIN, self.height())
        painter.drawText(area, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, text)

    def _font(self, scale: float) -> QFont:
        font = QFont()
        font.setPointSizeF((18 if self.presenter else 10) * scale + 1)
        return font
