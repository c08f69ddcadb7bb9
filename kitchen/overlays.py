"""The pantry shelf (kernel memory) and the frost over a frozen process, for a kitchen pane.

Both are built once per layout and only change text, widths and visibility per
frame. The frost is meant to be seen from the back of a lecture hall: it covers
the whole kitchen with a tint and snowflakes and states the catastrophe in
large type.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsLineItem, QGraphicsRectItem, QGraphicsTextItem

from kitchen import palette
from kitchen.items import Label, Region, StackItem, rounded_box, svg_icon

KIB_PER_MIB = 1024


def memory(kib: float) -> str:
    """Kernel memory for people: ``512 KiB`` or ``80 MiB``."""
    if kib >= KIB_PER_MIB:
        mib = kib / KIB_PER_MIB
        return f"{mib:.0f} MiB" if mib.is_integer() or mib >= 100 else f"{mib:.1f} MiB"
    return f"{kib:.0f} KiB"


class PantryShelf(Region):
    """One locker per chef of our process, a gauge against the budget line, and the 'pantry full' banner."""

    def __init__(self, rect: QRectF, ui: float, locker_kib: int, budget_kib: float | None) -> None:
        super().__init__(rect, "Pantry shelf · kernel memory", ui)
        self.ui, self.locker_kib, self.budget_kib = ui, locker_kib, budget_kib
        self.locker_w = 20 * ui
        top = rect.top() + 34 * ui
        self.stack = StackItem("lockers", self.locker_w * 1.6, ui, icon="locker", inline=True)
        self.stack.setParentItem(self)
        self.lockers = self._lockers(rect, top)
        self.setToolTip("<b>Pantry shelf</b> — kernel memory: every chef (kernel thread) needs a locker "
                        f"({locker_kib} KiB for its kernel stack and TCB). When the shelf reaches the budget "
                        "line, creating another kernel thread fails.")
        gauge = QRectF(rect.left() + 14, top + self.locker_w * 1.5 + 10 * ui, rect.width() - 28, 12 * ui)
        self.gauge = gauge
        self.gauge_fill = self._gauge(gauge)
        self.banner = self._banner(gauge)
        self.used = -1
        self.refused = -1

    def _lockers(self, rect: QRectF, top: float) -> list:
        step = self.locker_w * 1.25
        room = max(3, int((rect.width() - 28 - 160 * self.ui) // step))
        lockers = []
        for index in range(room):
            locker = svg_icon("locker", self.locker_w, self)
            locker.setPos(rect.left() + 14 + index * step, top)
            locker.setVisible(False)
            lockers.append(locker)
        self.stack.setPos(rect.left() + 14 + room * step + 4, top)
        return lockers

    def _gauge(self, gauge: QRectF) -> QGraphicsRectItem:
        back = QGraphicsRectItem(gauge, self)
        back.setBrush(palette.qcolour("#FFFFFF"))
        back.setPen(QPen(palette.qcolour(palette.INK), 1.5 * self.ui))
        fill = QGraphicsRectItem(QRectF(gauge.left(), gauge.top(), 0, gauge.height()), self)
        fill.setPen(Qt.PenStyle.NoPen)
        line = QGraphicsLineItem(gauge.right(), gauge.top() - 8 * self.ui, gauge.right(),
                                 gauge.bottom() + 8 * self.ui, self)
        line.setPen(QPen(palette.qcolour(palette.INK), 4 * self.ui))
        for item in (back, fill, line):
            item.setVisible(self.budget_kib is not None)
        return fill

    def _banner(self, gauge: QRectF) -> QGraphicsRectItem:
        rect = QRectF(gauge.left() - 8, gauge.center().y() - 15 * self.ui, gauge.width() + 16, 30 * self.ui)
        banner = rounded_box(rect, 8, palette.WAITING, palette.INK, self)
        banner.setZValue(5)
        text = Label(19 * self.ui, "#FFFFFF", True, banner, max_width=rect.width() - 16)
        text.place(rect.center().x(), rect.top() + 5 * self.ui, "centre")
        banner.text = text
        banner.setVisible(False)
        return banner

    def show_memory(self, used_kib: float, refused: int) -> None:
        """Fill lockers and gauge for ``used_kib``; show the banner once a hire has been refused."""
        used = int(round(used_kib / self.locker_kib))
        if used == self.used and refused == self.refused:
            return
        self.used, self.refused = used, refused
        drawn = used if used <= len(self.lockers) else len(self.lockers) - 2
        for index, locker in enumerate(self.lockers):
            locker.setVisible(index < drawn)
        self.stack.setPos(self.lockers[max(drawn, 0)].pos()) if drawn < len(self.lockers) else None
        self.stack.show_count(used - drawn)
        budget = f" of {memory(self.budget_kib)} budget" if self.budget_kib else ""
        self.set_heading(f"Pantry shelf · kernel memory: {grouped_lockers(used)}, {memory(used_kib)}{budget}")
        self._fill_gauge(used_kib)
        self.banner.setVisible(refused > 0)
        self.banner.text.show_text(f"Pantry full — no more chefs can be hired ({palette.grouped(refused)} "
                                   f"order{'s' if refused != 1 else ''} refused)")

    def _fill_gauge(self, used_kib: float) -> None:
        if not self.budget_kib:
            return
        fraction = min(used_kib / self.budget_kib, 1.0)
        gauge = self.gauge
        self.gauge_fill.setRect(gauge.left(), gauge.top(), gauge.width() * fraction, gauge.height())
        full = used_kib + self.locker_kib > self.budget_kib
        self.gauge_fill.setBrush(palette.qcolour(palette.WAITING if full else palette.SKY_BLUE))


def grouped_lockers(count: int) -> str:
    return f"{palette.grouped(count)} locker{'s' if count != 1 else ''}"


class FrostOverlay(QGraphicsRectItem):
    """Frost over the whole kitchen and a large caption: the process cannot cook at all."""

    def __init__(self, rect: QRectF, over: QRectF, ui: float) -> None:
        super().__init__(rect)
        self.setBrush(palette.qcolour(palette.FROST, 150))
        self.setPen(QPen(palette.qcolour(palette.SKY_BLUE), 10 * ui))
        self.setZValue(20)
        self._snowflakes(rect)
        panel = QRectF(over.left() + 20, over.center().y() - 100 * ui, over.width() - 40, 200 * ui)
        self.panel, self.ui = panel, ui
        self.box = rounded_box(panel, 18, "#FFFFFF", palette.FROST_INK, self, 4 * ui)
        self.box.setOpacity(0.93)
        self.headline = Label(58 * ui, palette.FROST_INK, True, self)
        self.headline.place(panel.center().x(), panel.top() + 14 * ui, "centre")
        self.body = QGraphicsTextItem(self)
        self.body.setFont(palette.scene_font(30 * ui))
        self.body.setDefaultTextColor(palette.qcolour(palette.INK))
        self.body.setTextWidth(panel.width() - 60)
        self.body.setPos(panel.left() + 30, panel.top() + 84 * ui)
        self.caption = ("", "")
        self.setVisible(False)

    def _snowflakes(self, rect: QRectF) -> None:
        for index in range(18):
            angle = index * 2.39996  # golden angle: evenly scattered, same every time
            radius = math.sqrt((index + 0.5) / 18)
            size = 46 + 22 * (index % 3)
            flake = svg_icon("snowflake", size, self)
            flake.setPos(rect.center().x() + radius * math.cos(angle) * rect.width() * 0.48 - size / 2,
                         rect.center().y() + radius * math.sin(angle) * rect.height() * 0.48 - size / 2)
            flake.setOpacity(0.9)

    def show_caption(self, headline: str, body: str) -> None:
        if (headline, body) != self.caption:
            self.caption = (headline, body)
            self.headline.show_text(f"\u2744 {headline} \u2744")
            self.body.setPlainText(body)
            panel = QRectF(self.panel)
            panel.setHeight(self.body.pos().y() - panel.top() + self.body.boundingRect().height() + 12 * self.ui)
            path = QPainterPath()
            path.addRoundedRect(panel, 18, 18)
            self.box.setPath(path)
