"""The pantry shelf (kernel memory) and the frost over a frozen process, for a kitchen pane.

Both are built once per layout and only change text, widths and visibility per
frame. The frost is meant to be seen from the back of a lecture hall: it covers
the whole kitchen with a tint and snowflakes and states the catastrophe in
large type.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsLineItem, QGraphicsRectItem, QGraphicsTextItem

from kitchen import palette
from kitchen.items import Label, Region, StackItem, rounded_box, svg_icon

KIB_PER_MIB = 1024
FLAKES = 14  # decorations scattered over a whole-pane overlay


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
        self.stack = StackItem("lockers", self.locker_w * 1.6, ui, icon="locker", inline=True,
                               where="on the pantry shelf (kernel memory of kernel threads)")
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
        """The gauge's fill (it changes); its frame and the budget line go to the backdrop."""
        fill = QGraphicsRectItem(QRectF(gauge.left(), gauge.top(), 0, gauge.height()), self)
        fill.setPen(Qt.PenStyle.NoPen)
        fill.setZValue(1)
        if self.budget_kib is None:
            return fill
        back = QGraphicsRectItem(gauge, self.backdrop)
        back.setBrush(palette.qcolour("#FFFFFF"))
        back.setPen(QPen(palette.qcolour(palette.INK), 1.5 * self.ui))
        line = QGraphicsLineItem(gauge.right(), gauge.top() - 8 * self.ui, gauge.right(),
                                 gauge.bottom() + 8 * self.ui, self.backdrop)
        line.setPen(QPen(palette.qcolour(palette.INK), 4 * self.ui))
        return fill

    def _banner(self, gauge: QRectF) -> QGraphicsRectItem:
        rect = QRectF(gauge.left() - 8, gauge.center().y() - 15 * self.ui, gauge.width() + 16, 30 * self.ui)
        banner = rounded_box(rect, 8, palette.WAITING, palette.INK, self)
        banner.setZValue(5)
        self.banner_text = Label(19 * self.ui, "#FFFFFF", True, banner, max_width=rect.width() - 16)
        self.banner_text.place(rect.center().x(), rect.top() + 5 * self.ui, "centre")
        banner.setVisible(False)
        return banner

    def show_memory(self, used_kib: float, refused: int) -> None:
        """Fill lockers and gauge for ``used_kib``; once a hire has been refused, say so on the banner."""
        used = int(round(used_kib / self.locker_kib))
        if used == self.used and refused == self.refused:
            return
        self.used, self.refused = used, refused
        drawn = used if used <= len(self.lockers) else len(self.lockers) - 2
        for index, locker in enumerate(self.lockers):
            locker.setVisible(index < drawn)
        if drawn < len(self.lockers):
            self.stack.setPos(self.lockers[drawn].pos())
        self.stack.show_count(used - drawn)
        budget = f" of {memory(self.budget_kib)} budget" if self.budget_kib else ""
        self.set_heading(f"Pantry shelf · kernel memory: {grouped_lockers(used)}, {memory(used_kib)}{budget}")
        full = self.budget_kib is not None and used_kib + self.locker_kib > self.budget_kib
        self._fill_gauge(used_kib, full)
        self._show_banner(refused, full)

    def _show_banner(self, refused: int, full: bool) -> None:
        """Red while the shelf is full; a quieter reminder once lockers are free again."""
        self.banner.setVisible(refused > 0)
        orders = f"{palette.grouped(refused)} order{'s' if refused != 1 else ''} refused"
        if full:
            self.banner_text.show_text(f"Pantry full — no more chefs can be hired ({orders})")
        else:
            self.banner_text.show_text(f"{orders} while the pantry was full; lockers are free again")
        self.banner.setBrush(palette.qcolour(palette.WAITING if full else palette.ORANGE))
        self.banner_text.setBrush(palette.qcolour("#FFFFFF" if full else palette.INK))

    def _fill_gauge(self, used_kib: float, full: bool) -> None:
        if not self.budget_kib:
            return
        fraction = min(used_kib / self.budget_kib, 1.0)
        gauge = self.gauge
        self.gauge_fill.setRect(gauge.left(), gauge.top(), gauge.width() * fraction, gauge.height())
        self.gauge_fill.setBrush(palette.qcolour(palette.WAITING if full else palette.SKY_BLUE))


def grouped_lockers(count: int) -> str:
    return f"{palette.grouped(count)} locker{'s' if count != 1 else ''}"


@dataclass(frozen=True)
class OverlayLook:
    """How a whole-pane overlay looks: tint, ink, decoration icon and the glyph around its headline."""

    tint: str
    edge: str
    ink: str
    icon: str
    glyph: str


FROST_LOOK = OverlayLook(palette.FROST, palette.SKY_BLUE, palette.FROST_INK, "snowflake", "\u2744")
CLOSED_LOOK = OverlayLook("#F6D9C6", palette.VERMILLION, "#7A2E00", "alarm", "")


class PaneOverlay(QGraphicsRectItem):
    """A tint over the whole kitchen and a large caption: frost (the process cannot cook) or closed (killed)."""

    def __init__(self, rect: QRectF, over: QRectF, ui: float, look: OverlayLook) -> None:
        super().__init__(rect)
        self.look = look
        self.setBrush(palette.qcolour(look.tint, 150))
        self.setPen(QPen(palette.qcolour(look.edge), 10 * ui))
        self.setZValue(20)
        self._scatter(rect, look.icon)
        panel = QRectF(over.left() + 20, over.top() + 4, over.width() - 40, 200 * ui)
        self.panel, self.ui = panel, ui
        self.box = rounded_box(panel, 18, "#FFFFFF", look.ink, self, 4 * ui)
        self.box.setOpacity(0.93)
        self.headline = Label(58 * ui, look.ink, True, self, max_width=panel.width() - 40)
        self.headline.place(panel.center().x(), panel.top() + 14 * ui, "centre")
        self.body = QGraphicsTextItem(self)
        self.body.setFont(palette.scene_font(30 * ui))
        self.body.setDefaultTextColor(palette.qcolour(palette.INK))
        self.body.setTextWidth(panel.width() - 60)
        self.body.setPos(panel.left() + 30, panel.top() + 84 * ui)
        self.caption = ("", "")
        self.setVisible(False)

    def _scatter(self, rect: QRectF, icon: str) -> None:
        for index in range(FLAKES):
            angle = index * 2.39996  # golden angle: evenly scattered, same every time
            radius = math.sqrt((index + 0.5) / FLAKES)
            size = 46 + 22 * (index % 3)
            flake = svg_icon(icon, size, self)
            flake.setPos(rect.center().x() + radius * math.cos(angle) * rect.width() * 0.48 - size / 2,
                         rect.center().y() + radius * math.sin(angle) * rect.height() * 0.48 - size / 2)
            flake.setOpacity(0.75 if icon == "snowflake" else 0.25)

    def show_caption(self, headline: str, body: str) -> None:
        if (headline, body) != self.caption:
            self.caption = (headline, body)
            glyph = self.look.glyph
            self.headline.show_text(f"{glyph} {headline} {glyph}" if glyph else headline)
            self.body.setPlainText(body)
            panel = QRectF(self.panel)
            panel.setHeight(self.body.pos().y() - panel.top() + self.body.boundingRect().height() + 12 * self.ui)
            path = QPainterPath()
            path.addRoundedRect(panel, 18, 18)
            self.box.setPath(path)
