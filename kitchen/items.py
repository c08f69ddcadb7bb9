"""The drawn pieces of a kitchen pane: stoves, chefs, tickets, counted stacks, regions, pantry, frost.

Each class is a QGraphicsItem built from the SVG icons in ``assets/icons`` plus
a few plain shapes and labels. Items are created once per kitchen size and
reused every frame: the pane view only moves them and changes their text, so
a frame never creates or destroys an item. Text is sized in scene units, so it
scales with the view, and is cached as a pixmap until it changes.

Parts that never change once built (region floors, stove bodies, the door)
hang under an item's ``backdrop`` layer, which the pane view paints once into
its cached background instead of repainting them every frame.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import cache, lru_cache

from PySide6.QtCore import QByteArray, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QFont, QFontMetricsF, QPainter, QPainterPath, QPen, QPixmap, QRadialGradient
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtSvgWidgets import QGraphicsSvgItem
from PySide6.QtWidgets import (QGraphicsItem, QGraphicsPathItem, QGraphicsPixmapItem, QGraphicsRectItem,
                               QGraphicsSimpleTextItem)

from engine.assets import asset_path
from kitchen import palette
from kitchen.pane_layout import CHEF_ASPECT, TICKET_ASPECT

CHEF_JACKET = "#0072B2"  # the colour chef.svg is drawn in; replaced by the process colour
MIN_TASK_PX = 34  # a ticket narrower than this on screen shows only its number, not its task's name
ROLE_KEY = 0  # QGraphicsItem.data key: what an item shows ("chef", "ticket", "stove", ...)
SLOT_KEY = 1  # QGraphicsItem.data key: its slot in the view's pool


@cache
def icon_renderer(name: str, jacket: str = CHEF_JACKET) -> QSvgRenderer:
    """A shared renderer for ``assets/icons/NAME.svg`` (chefs recoloured to ``jacket``)."""
    text = asset_path("icons", f"{name}.svg").read_text(encoding="utf-8")
    return QSvgRenderer(QByteArray(text.replace(CHEF_JACKET, jacket).encode("utf-8")))


def show_cached(item: QGraphicsItem, shown: bool) -> None:
    """Show or hide an item without losing its cached pixmap (``setVisible`` throws the cache away)."""
    item.setOpacity(1.0 if shown else 0.0)


def is_shown(item: QGraphicsItem) -> bool:
    """Whether an item is drawn: visible, and not hidden by ``show_cached``."""
    return item.isVisible() and item.effectiveOpacity() > 0


def backdrop_layer() -> QGraphicsRectItem:
    """An empty, parentless item whose children are painted once into the pane's cached background."""
    layer = QGraphicsRectItem()
    layer.setPen(Qt.PenStyle.NoPen)
    layer.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents)
    return layer


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
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)  # text is slow to paint; redrawn on change
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
            self.setVisible(bool(text))  # an empty label costs a paint call for nothing

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
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents)
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
        self.glow = self._glow(QRectF(left - cell_w * 0.05, top - cell_w * 0.3, cell_w, cell_w * 0.75),
                               _stove_body(left, top, width))
        self.backdrop = backdrop_layer()
        svg_icon("stove", width, self.backdrop).setPos(left, top)
        number = Label(max(12.0, cell_w * 0.22) * min(ui, 1.2), "#FFFFFF", True, self.backdrop)
        number.place(cell_w / 2, top + width * 0.33, "centre")
        number.show_text(str(index + 1))
        self.flames = [svg_icon("flame", width * 0.26, self) for _ in range(2)]
        for flame, burner_x in zip(self.flames, (0.30, 0.70)):
            flame.setPos(left + width * burner_x - width * 0.13, top - width * 0.2)
            flame.setZValue(3)
        self.busy = True
        self.set_busy(False)

    def _glow(self, rect: QRectF, body: QPainterPath) -> QGraphicsPathItem:
        """The halo around a busy stove, cut around its body (which the backdrop paints underneath)."""
        halo = QPainterPath()
        halo.addEllipse(rect)
        glow = QGraphicsPathItem(halo.subtracted(body), self)
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
                show_cached(part, busy)


def _stove_body(left: float, top: float, width: float) -> QPainterPath:
    """The outline of stove.svg (a rounded box at 2, 2, 96 x 60 of 100 x 64) drawn ``width`` wide at left, top."""
    unit = width / 100
    body = QPainterPath()
    body.addRoundedRect(QRectF(left + 2 * unit, top + 2 * unit, 96 * unit, 60 * unit), 6 * unit, 6 * unit)
    return body


@dataclass(frozen=True)
class FaceKey:
    """Everything a chef's or ticket's picture depends on; equal keys share one rendered pixmap."""

    kind: str  # "chef" | "ticket"
    width: float  # scene units
    colour: str  # the chef's jacket, or the ticket's band (its task)
    lines: tuple[str, ...]  # chef: (number,); ticket: (number,) or (task, number)
    stuck: bool = False  # a ticket that can never finish


@lru_cache(maxsize=4096)
def face_pixmap(key: FaceKey, zoom: float, pixel_ratio: float) -> QPixmap:
    """The picture for ``key`` rendered at the view's zoom, one pixmap pixel per screen pixel."""
    pixmap = _blank_face(replace(key, lines=()), zoom, pixel_ratio).copy()
    painter = _face_painter(pixmap, zoom * pixel_ratio)
    width = key.width
    if key.kind == "chef":
        box = QRectF(width * 0.19, width * CHEF_ASPECT * 0.64, width * 0.62, width * 0.42)
        draw_centred(painter, box, key.lines[0], palette.scene_font(max(9.0, width * 0.34), True), "#FFFFFF")
    else:
        small = width * zoom < MIN_TASK_PX  # too small for the task's name to be read: the band's colour says it
        _write_ticket(painter, key.lines[-1:] if small else key.lines, width)
    painter.end()
    pixmap.setDevicePixelRatio(pixel_ratio)
    return pixmap


@lru_cache(maxsize=256)
def _blank_face(key: FaceKey, zoom: float, pixel_ratio: float) -> QPixmap:
    """A chef in its jacket or a ticket with its band, without words (the words differ, the rest is shared)."""
    scale = zoom * pixel_ratio
    rect = QRectF(0, 0, key.width, key.width * (CHEF_ASPECT if key.kind == "chef" else TICKET_ASPECT))
    bar = ticket_bar(key.width) if key.kind == "ticket" else QRectF()
    pixmap = QPixmap(math.ceil(rect.width() * scale) + 2, math.ceil(max(rect.bottom(), bar.bottom()) * scale) + 2)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = _face_painter(pixmap, scale)
    icon_renderer(key.kind, key.colour if key.kind == "chef" else CHEF_JACKET).render(painter, rect)
    if key.kind == "ticket":
        _ticket_band(painter, key)
        painter.setPen(QPen(palette.qcolour(palette.INK), 1.2))
        painter.setBrush(palette.qcolour("#FFFFFF"))
        painter.drawRect(bar)
    painter.end()
    return pixmap


def ticket_bar(width: float) -> QRectF:
    """Where a ticket's progress bar is, under the ticket (its white back is part of the ticket's picture)."""
    return QRectF(0, width * TICKET_ASPECT + 2, width, max(5.0, width * 0.22))


def _face_painter(pixmap: QPixmap, scale: float) -> QPainter:
    painter = QPainter(pixmap)
    painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
                           | QPainter.RenderHint.SmoothPixmapTransform)
    painter.scale(scale, scale)
    return painter


def _ticket_band(painter: QPainter, key: FaceKey) -> None:
    """The band at the top of the ticket in its task's colour, and a red cross over a stuck ticket."""
    unit = key.width / 40  # ticket.svg is 40 x 50, with its band at 3, 3, 34 x 8
    painter.setPen(QPen(palette.qcolour(palette.INK), 2 * unit))
    painter.setBrush(palette.qcolour(key.colour))
    painter.drawRect(QRectF(3 * unit, 3 * unit, 34 * unit, 8 * unit))
    if key.stuck:
        painter.setPen(QPen(palette.qcolour(palette.WAITING, 200), 4 * unit, Qt.PenStyle.SolidLine,
                            Qt.PenCapStyle.RoundCap))
        painter.drawLine(QPointF(6 * unit, 14 * unit), QPointF(34 * unit, 42 * unit))
        painter.drawLine(QPointF(34 * unit, 14 * unit), QPointF(6 * unit, 42 * unit))


def _write_ticket(painter: QPainter, lines: tuple[str, ...], width: float) -> None:
    """The ticket's number, big (shrunk to fit if long); above it the task's short name when there is one."""
    unit = width / 40
    bold = palette.scene_font(max(9.0, width * (0.45 if len(lines) == 2 else 0.55)), True)
    if len(lines) == 2:
        draw_centred(painter, QRectF(2.5 * unit, 12 * unit, 35 * unit, 13 * unit), lines[0],
                     palette.scene_font(max(7.0, width * 0.3)), palette.INK)
        draw_centred(painter, QRectF(2.5 * unit, 24 * unit, 35 * unit, 18 * unit), lines[1], bold, palette.INK)
    else:
        draw_centred(painter, QRectF(2.5 * unit, 13 * unit, 35 * unit, 30 * unit), lines[0], bold, palette.INK)


class Face(QGraphicsPixmapItem):
    """A chef's or ticket's picture: a pixmap shared by every item showing the same thing at the same zoom."""

    def __init__(self, parent: QGraphicsItem) -> None:
        super().__init__(parent)
        self.setShapeMode(QGraphicsPixmapItem.ShapeMode.BoundingRectShape)
        self.key: FaceKey | None = None
        self.zoom = (1.0, 1.0)

    def show_face(self, key: FaceKey) -> None:
        """Show the picture for ``key`` (a shared pixmap: nothing is drawn unless no item has shown it yet)."""
        if key != self.key:
            self.key = key
            self._render()

    def set_zoom(self, zoom: float, pixel_ratio: float) -> None:
        """The view's scale (screen pixels per scene unit): pictures are redrawn sharp for it."""
        if (zoom, pixel_ratio) != self.zoom:
            self.zoom = (zoom, pixel_ratio)
            self.setScale(1 / zoom)
            self._render()

    def _render(self) -> None:
        if self.key is not None:
            self.setPixmap(face_pixmap(self.key, *self.zoom))


class _Figure(_Root):
    """A chef or ticket ``width`` scene units wide, whose picture is one shared pixmap (``Face``)."""

    def __init__(self, kind: str, slot: int, width: float, aspect: float, z: float) -> None:
        super().__init__(kind, slot, width, width * aspect)
        self.set_base_z(z)
        self.kind, self.figure_w = kind, width
        self.face = Face(self)

    def show_face(self, colour: str, lines: tuple[str, ...], stuck: bool = False) -> None:
        self.face.show_face(FaceKey(self.kind, self.figure_w, colour, lines, stuck))


class ChefItem(_Figure):
    """A chef (kernel thread) in its process's colour, numbered; a knife, fire alarm or clone sign when it has one.

    The figure with its number is one shared pixmap (``Face``), so a frame only moves it.
    """

    def __init__(self, slot: int, chef_w: float, ui: float) -> None:
        super().__init__("chef", slot, chef_w, CHEF_ASPECT, 2)
        chef_h = self.rect().height()
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
        if jacket != self.jacket or kthread != self.kthread:
            self.jacket, self.kthread = jacket, kthread
            self.show_face(jacket, (str(kthread + 1),))
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


class TicketItem(_Figure):
    """An order ticket (user thread) with its number, a progress bar and an optional countdown.

    The paper with its number is one shared pixmap (``Face``); the progress bar moves only in steps the
    eye can see (``bar_step``).
    """

    def __init__(self, slot: int, ticket_w: float, ui: float) -> None:
        super().__init__("ticket", slot, ticket_w, TICKET_ASPECT, 4)
        bar = ticket_bar(ticket_w)
        self.bar = QGraphicsRectItem(QRectF(bar.left(), bar.top(), 0, bar.height()), self)
        self.bar.setBrush(palette.qcolour(palette.PROGRESS))
        self.bar.setPen(Qt.PenStyle.NoPen)
        self.bar_rect = bar
        self.bar_step = 0.004  # smallest change of the fill worth a repaint (the view sets ~half a pixel)
        self.countdown = Label(max(10.0, 15 * ui if ui <= 1 else 18 * ui), palette.WAITING, True, self)
        self.countdown.place(ticket_w / 2, bar.bottom() + 1, "centre")
        self.knife = svg_icon("knife", ticket_w * 0.9, self)
        self.knife.setPos(ticket_w * 0.05, -ticket_w * 0.32)
        self.knife.setVisible(False)
        self.uthread = -1
        self.stuck = False
        self.fraction = -1.0
        self.knife_mode = (False, False)

    def label(self, uthread: int, lines: tuple[str, ...], band: str = palette.YELLOW, stuck: bool = False) -> None:
        """Show ticket ``uthread``: its number (and task), its task's colour band, a red cross when stuck."""
        self.uthread, self.stuck = uthread, stuck
        self.show_face(band, lines, stuck)

    def set_progress(self, fraction: float) -> None:
        """Fill the progress bar to ``fraction`` (0..1); cheap when nothing changed visibly."""
        fraction = min(max(fraction, 0.0), 1.0)
        if abs(fraction - self.fraction) >= self.bar_step or (fraction in (0.0, 1.0) and fraction != self.fraction):
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


def draw_centred(painter: QPainter, box: QRectF, text: str, font: QFont, colour: str) -> None:
    """Draw ``text`` centred in ``box``, shrunk to fit its width (e.g. a four-digit chef number)."""
    width = QFontMetricsF(font).horizontalAdvance(text)
    painter.save()
    painter.setFont(font)
    painter.setPen(palette.qcolour(colour))
    if width > box.width():
        shrink = box.width() / width
        painter.translate(box.center())
        painter.scale(shrink, shrink)
        painter.translate(-box.center())
    painter.drawText(box.adjusted(-width, 0, width, 0), Qt.AlignmentFlag.AlignCenter, text)
    painter.restore()


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


class Region(QGraphicsRectItem):
    """A floor area of the kitchen (bench, oven corner, rail, waiting spot) with a heading.

    This item is the area's hover target and holds its heading and note, which change; the floor and
    its icon never change, so they hang under ``backdrop`` and are painted once into the background.
    """

    def __init__(self, rect: QRectF, heading: str, ui: float, icon: str | None = None) -> None:
        super().__init__(rect)
        self.setPen(Qt.PenStyle.NoPen)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents)
        self.setData(ROLE_KEY, "region")
        self.backdrop = backdrop_layer()
        rounded_box(rect, 14, palette.FLOOR, parent=self.backdrop, edge_width=2 * ui)
        x = rect.left() + 12
        if icon:
            svg_icon(icon, 34 * ui, self.backdrop).setPos(rect.right() - 44 * ui, rect.top() + 6)
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
