"""The drawn pieces of a kitchen pane: stoves, chefs, tickets, counted stacks, regions, pantry, frost.

Each class is a QGraphicsItem built from the SVG icons in ``assets/icons`` plus
a few plain shapes and labels. Items are created once per kitchen size and
reused every frame: the pane view only moves them and changes their text, so
a frame never creates or destroys an item. Text is sized in scene units, so it
scales with the view.
"""

from __future__ import annotations

import math
from functools import cache

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QBrush, QPainterPath, QPen, QRadialGradient
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtSvgWidgets import QGraphicsSvgItem
from PySide6.QtWidgets import (QGraphicsEllipseItem, QGraphicsItem, QGraphicsPathItem, QGraphicsRectItem,
                               QGraphicsSimpleTextItem)

from engine.assets import asset_path
from kitchen import palette

CHEF_JACKET = "#0072B2"  # the colour chef.svg is drawn in; replaced by the process colour
ROLE_KEY = 0  # QGraphicsItem.data key: what an item shows ("chef", "ticket", "stove", ...)
SLOT_KEY = 1  # QGraphicsItem.data key: its slot in the view's pool


@cache
def icon_renderer(name: str, jacket: str = CHEF_JACKET) -> QSvgRenderer:
    """A shared renderer for ``assets/icons/NAME.svg`` (chefs recoloured to ``jacket``)."""
    text = asset_path("icons", f"{name}.svg").read_text(encoding="utf-8")
    return QSvgRenderer(QByteArray(text.replace(CHEF_JACKET, jacket).encode("utf-8")))


def svg_icon(name: str, width: float, parent: QGraphicsItem | None = None) -> QGraphicsSvgItem:
    """An icon scaled to ``width`` scene units, cached as a pixmap at the current zoom."""
    item = QGraphicsSvgItem(parent)
    item.setSharedRenderer(icon_renderer(name))
    item.setScale(width / icon_renderer(name).defaultSize().width())
    item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
    return item


class Label(QGraphicsSimpleTextItem):
    """Text that only touches Qt when it changes, anchored at its left, centre or right."""

    def __init__(self, size: float, colour: str = palette.INK, bold: bool = False,
                 parent: QGraphicsItem | None = None, max_width: float | None = None) -> None:
        super().__init__(parent)
        self.setFont(palette.scene_font(size, bold))
        self.setBrush(palette.qcolour(colour))
        self._text: str | None = None
        self._anchor = (0.0, 0.0, "left")
        self._max_width = max_width

    def place(self, x: float, y: float, align: str = "left") -> Label:
        self._anchor = (x, y, align)
        self._realign()
        return self

    def show_text(self, text: str) -> None:
        if text != self._text:
            self._text = text
            self.setText(text)
            self._realign()

    def _realign(self) -> None:
        x, y, align = self._anchor
        width = self.boundingRect().width()
        if self._max_width is not None:
            self.setScale(min(1.0, self._max_width / max(width, 1e-9)))
            width *= self.scale()
        shift = {"left": 0.0, "centre": width / 2, "right": width}[align]
        self.setPos(x - shift, y)


def rounded_box(rect: QRectF, radius: float, fill: str, edge: str = palette.REGION_EDGE,
                parent: QGraphicsItem | None = None, edge_width: float = 2.0) -> QGraphicsPathItem:
    """A rounded rectangle, e.g. a region's floor."""
    path = QPainterPath()
    path.addRoundedRect(rect, radius, radius)
    item = QGraphicsPathItem(path, parent)
    item.setBrush(palette.qcolour(fill))
    item.setPen(QPen(palette.qcolour(edge), edge_width))
    return item


class _Root(QGraphicsRectItem):
    """An invisible root whose rectangle is the hover/click target; children draw."""

    LIFTED_Z = 30.0  # above the frost, for the chefs and tickets that froze the process

    def __init__(self, role: str, slot: int, width: float, height: float) -> None:
        super().__init__(0, 0, width, height)
        self.setPen(Qt.PenStyle.NoPen)
        self.setData(ROLE_KEY, role)
        self.setData(SLOT_KEY, slot)
        self._shown = True
        self._lifted = False
        self._base_z = 0.0

    def set_base_z(self, z: float) -> None:
        self._base_z = z
        self.setZValue(z)

    def lift(self, lifted: bool) -> None:
        """Draw above the frost overlay (or back in place)."""
        if lifted != self._lifted:
            self._lifted = lifted
            self.setZValue(self.LIFTED_Z + self._base_z if lifted else self._base_z)

    def show_if(self, visible: bool) -> None:
        if visible != self._shown:
            self._shown = visible
            self.setVisible(visible)


class StoveItem(_Root):
    """A numbered stove (CPU core) that glows, with a flame, while a chef cooks on it."""

    def __init__(self, index: int, cell_w: float, ui: float) -> None:
        super().__init__("stove", index, cell_w, cell_w * 1.28)
        width = cell_w * 0.9
        left, top = cell_w * 0.05, cell_w * 0.62
        self.glow = self._glow(QRectF(left - cell_w * 0.05, top - cell_w * 0.3, cell_w, cell_w * 0.75))
        self.stove = svg_icon("stove", width, self)
        self.stove.setPos(left, top)
        self.stove.setZValue(2)
        self.flames = [svg_icon("flame", width * 0.26, self) for _ in range(2)]
        for flame, burner_x in zip(self.flames, (0.30, 0.70)):
            flame.setPos(left + width * burner_x - width * 0.13, top - width * 0.2)
            flame.setZValue(3)
        number = Label(max(12.0, cell_w * 0.22) * min(ui, 1.2), "#FFFFFF", True, self)
        number.setZValue(3)
        number.place(cell_w / 2, top + width * 0.33, "centre")
        number.show_text(str(index + 1))
        self.busy = True
        self.set_busy(False)

    def _glow(self, rect: QRectF) -> QGraphicsEllipseItem:
        glow = QGraphicsEllipseItem(rect, self)
        gradient = QRadialGradient(rect.center(), rect.width() / 2)
        gradient.setColorAt(0.0, palette.qcolour(palette.YELLOW, 230))
        gradient.setColorAt(0.55, palette.qcolour(palette.GLOW, 150))
        gradient.setColorAt(1.0, palette.qcolour(palette.GLOW, 0))
        glow.setBrush(QBrush(gradient))
        glow.setPen(Qt.PenStyle.NoPen)
        glow.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)  # gradients are slow to paint
        return glow

    def set_busy(self, busy: bool) -> None:
        if busy != self.busy:
            self.busy = busy
            for part in (self.glow, *self.flames):
                part.setVisible(busy)


class ChefItem(_Root):
    """A chef (kernel thread) in its process's colour, numbered; a knife, fire alarm or clone sign when it has one."""

    def __init__(self, slot: int, chef_w: float, ui: float) -> None:
        chef_h = chef_w * 84 / 64
        super().__init__("chef", slot, chef_w, chef_h)
        self.set_base_z(2)
        self.body = svg_icon("chef", chef_w, self)
        self.number = Label(max(9.0, chef_w * 0.34), "#FFFFFF", True, self, max_width=chef_w * 0.62)
        self.number.place(chef_w / 2, chef_h * 0.68, "centre")
        self.tag = Label(13 * ui, palette.INK, True, self, max_width=chef_w * 1.4)
        self.tag.place(chef_w / 2, -16 * ui, "centre")
        self.knife = svg_icon("knife", chef_w * 0.8, self)
        self.knife.setPos(chef_w * 0.1, chef_h * 0.86)
        self.marks = {"signal": svg_icon("alarm", chef_w * 0.7, self), "fork": svg_icon("clone", chef_w * 0.75, self)}
        for mark in self.marks.values():
            mark.setPos(-chef_w * 0.42, -chef_w * 0.22)
            mark.setTransformOriginPoint(20, 2)  # the bell swings from its top (icon units)
            mark.setZValue(1)
        self.jacket = CHEF_JACKET
        self.kthread = -1
        self.mark = ""
        for part in (self.knife, *self.marks.values()):
            part.setVisible(False)

    def dress(self, kthread: int, jacket: str, tag: str) -> None:
        """Become chef ``kthread``: jacket colour, number and process name tag."""
        if jacket != self.jacket:
            self.jacket = jacket
            self.body.setSharedRenderer(icon_renderer("chef", jacket))
        if kthread != self.kthread:
            self.kthread = kthread
            self.number.show_text(str(kthread + 1))
        self.tag.show_text(tag)

    def swing(self, phase_s: float) -> None:
        """Ring the fire alarm: the bell swings back and forth."""
        if self.mark == "signal":
            self.marks["signal"].setRotation(18 * math.sin(phase_s * 18))

    def set_mark(self, kind: str) -> None:
        """Show the fire alarm ("signal"), the cloned-kitchen sign ("fork"), or nothing ("")."""
        if kind != self.mark:
            for name, icon in self.marks.items():
                icon.setVisible(name == kind)
            self.mark = kind


class TicketItem(_Root):
    """An order ticket (user thread) with its number, a progress bar and an optional countdown."""

    def __init__(self, slot: int, ticket_w: float, ui: float) -> None:
        ticket_h = ticket_w * 50 / 40
        super().__init__("ticket", slot, ticket_w, ticket_h)
        self.set_base_z(4)
        self.paper = svg_icon("ticket", ticket_w, self)
        self.number = Label(max(9.0, ticket_w * 0.45), palette.INK, True, self, max_width=ticket_w * 0.88)
        self.number.place(ticket_w / 2, ticket_h * 0.32, "centre")
        bar = QRectF(0, ticket_h + 2, ticket_w, max(5.0, ticket_w * 0.22))
        self.bar_back = QGraphicsRectItem(bar, self)
        self.bar_back.setBrush(palette.qcolour("#FFFFFF"))
        self.bar_back.setPen(QPen(palette.qcolour(palette.INK), 1.2))
        self.bar = QGraphicsRectItem(QRectF(bar.left(), bar.top(), 0, bar.height()), self)
        self.bar.setBrush(palette.qcolour(palette.PROGRESS))
        self.bar.setPen(Qt.PenStyle.NoPen)
        self.bar_rect = bar
        self.countdown = Label(max(10.0, 15 * ui), palette.WAITING, True, self)
        self.countdown.place(ticket_w / 2, bar.bottom() + 1, "centre")
        self.knife = svg_icon("knife", ticket_w * 0.9, self)
        self.knife.setPos(ticket_w * 0.05, -ticket_w * 0.32)
        self.knife.setVisible(False)
        self.uthread = -1
        self.fraction = -1.0
        self.knife_mode = (False, False)

    def label(self, uthread: int, number: str) -> None:
        if uthread != self.uthread:
            self.uthread = uthread
            self.number.show_text(number)

    def set_progress(self, fraction: float) -> None:
        """Fill the progress bar to ``fraction`` (0..1); cheap when nothing changed visibly."""
        fraction = min(max(fraction, 0.0), 1.0)
        if abs(fraction - self.fraction) >= 0.004:
            self.fraction = fraction
            rect = self.bar_rect
            self.bar.setRect(rect.left(), rect.top(), rect.width() * fraction, rect.height())

    def set_knife(self, holds: bool, wants: bool = False) -> None:
        """Show the knife (mutex) this ticket holds, or a faded one it waits for."""
        mode = (holds, wants and not holds)
        if mode != self.knife_mode:
            self.knife_mode = mode
            self.knife.setVisible(holds or wants)
            self.knife.setOpacity(1.0 if holds else 0.35)


class StackItem(_Root):
    """A counted stack standing for items that do not fit, e.g. ``+ 9 968 tickets``."""

    def __init__(self, what: str, width: float, ui: float, icon: str = "stack", inline: bool = False,
                 where: str = "") -> None:
        super().__init__("stack", -1, width * 2.6, width * 1.2)
        self.where = where
        self.setZValue(4)
        self.what = what
        self.icon = svg_icon(icon, width * 0.85, self)
        size = max(11.0, 19 * ui)
        self.count = Label(size, palette.INK, True, self)
        self.count.place(width * 0.95, width * 0.05)
        self.noun = Label(size * 0.85, palette.MUTED_INK, False, self)
        self.noun.place(width * 0.95, width * 0.05 + size * 1.2)
        self.inline = inline
        self.hidden = -1
        self.show_count(0)

    def describe(self) -> str:
        """Tooltip: how many are not drawn one by one, and where they are."""
        return f"<b>+ {palette.grouped(self.hidden)} {self.what}</b> {self.where}: too many to draw one by one"

    def show_count(self, hidden: int) -> None:
        """Show ``+ N what`` when ``hidden`` > 0, otherwise nothing."""
        if hidden == self.hidden:
            return
        self.hidden = hidden
        self.show_if(hidden > 0)
        if hidden > 0:
            noun = self.what if hidden > 1 else self.what.removesuffix("s")
            self.count.show_text(f"+ {palette.grouped(hidden)}" + (f" {noun}" if self.inline else ""))
            self.noun.show_text("" if self.inline else noun)


class Region(QGraphicsPathItem):
    """A floor area of the kitchen (bench, oven corner, rail, waiting spot) with a heading."""

    def __init__(self, rect: QRectF, heading: str, ui: float, icon: str | None = None) -> None:
        path = QPainterPath()
        path.addRoundedRect(rect, 14, 14)
        super().__init__(path)
        self.setBrush(palette.qcolour(palette.FLOOR))
        self.setPen(QPen(palette.qcolour(palette.REGION_EDGE), 2 * ui))
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setZValue(0)
        self.setData(ROLE_KEY, "region")
        self.rect = rect
        x = rect.left() + 12
        if icon:
            svg_icon(icon, 34 * ui, self).setPos(rect.right() - 44 * ui, rect.top() + 6)
        room = rect.width() - 24 - (44 * ui if icon else 0)
        self.heading = Label(21 * ui, palette.INK, True, self, max_width=room)
        self.heading.place(x, rect.top() + 6)
        self.heading.show_text(heading)
        self.note = Label(17 * ui, palette.MUTED_INK, False, self)
        self.note.place(x, rect.top() + 8 + 26 * ui)

    def set_heading(self, text: str) -> None:
        self.heading.show_text(text)

    def set_note(self, text: str) -> None:
        self.note.show_text(text)
