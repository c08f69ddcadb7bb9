"""The pantry shelf (kernel memory) and the whole-pane overlays (frost, deadlock, closed) of a kitchen pane.

All are built once per layout and only change text, widths and visibility per
frame. The overlays are meant to be seen from the back of a lecture hall: each
covers the whole kitchen with a tint and decorations and states the catastrophe
in large type, in a caption placed where it hides none of the culprits.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsLineItem, QGraphicsRectItem, QGraphicsTextItem

from kitchen import palette
from kitchen.items import Label, Region, StackItem, is_shown, rounded_box, show_cached, svg_icon

KIB_PER_MIB = 1024
HEADLINE_UI = 1.5  # an overlay's headline grows with presenter type up to this scale (it is already large)
BODY_UI = 1.3  # ... and its explanation up to this one (it is long)


def memory(kib: float) -> str:
    """Kernel memory for people: ``512 KiB`` or ``80 MiB``."""
    if kib >= KIB_PER_MIB:
        mib = kib / KIB_PER_MIB
        return f"{mib:.0f} MiB" if mib.is_integer() or mib >= 100 else f"{mib:.1f} MiB"
    return f"{kib:.0f} KiB"


class PantryShelf(Region):
    """One locker per chef of our process, a gauge against the budget line, and the 'pantry full' banner."""

    def __init__(self, rect: QRectF, ui: float, locker_kib: int, budget_kib: float | None, short: bool = False) -> None:
        super().__init__(rect, "Pantry shelf · kernel memory", ui)
        self.ui, self.locker_kib, self.budget_kib, self.short = ui, locker_kib, budget_kib, short
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
            show_cached(locker, False)
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
            show_cached(locker, index < drawn)
        if drawn < len(self.lockers):
            self.stack.setPos(self.lockers[drawn].pos())
        self.stack.show_count(used - drawn)
        budget = f" of {memory(self.budget_kib)} budget" if self.budget_kib else ""
        words = f"{grouped_lockers(used)}, {memory(used_kib)}{budget}"
        self.set_heading(f"Pantry · {words}" if self.short else f"Pantry shelf · kernel memory: {words}")
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
    """How a whole-pane overlay looks: tint (and its opacity), ink, decoration icon, the glyph around its headline."""

    tint: str
    edge: str
    ink: str
    icon: str
    glyph: str
    alpha: int = 150
    icon_opacity: float = 0.25
    icons: int = 14  # how many decorations are scattered over the pane
    badge: str = ""  # an icon on each side of the headline
    bold_lead: bool = False  # the first line of the explanation is said in bold


FROST_LOOK = OverlayLook(palette.FROST, palette.SKY_BLUE, palette.FROST_INK, "snowflake", "\u2744", icon_opacity=0.75)
CLOSED_LOOK = OverlayLook("#F6D9C6", palette.VERMILLION, "#7A2E00", "alarm", "")
DEADLOCK_LOOK = OverlayLook(palette.DEADLOCK, palette.VERMILLION, palette.DEADLOCK_INK, "padlock", "", alpha=90,
                            icons=0, badge="padlock", bold_lead=True)


class PaneOverlay(QGraphicsRectItem):
    """A tint over the whole kitchen and a large caption: frost (the process cannot cook), closed (killed) or
    deadlock (nobody can ever continue).

    The caption sits in one of the pane's ``areas`` (tried in order): the first that has room for it and
    does not hide the items the overlay is about (``show_caption``'s ``keep_clear``), so the culprits stay in view.
    """

    def __init__(self, rect: QRectF, areas: list[QRectF], ui: float, look: OverlayLook) -> None:
        super().__init__(rect)
        self.look, self.areas, self.ui = look, areas, ui
        self.setBrush(palette.qcolour(look.tint, look.alpha))
        self.setPen(QPen(palette.qcolour(look.edge), 10 * ui))
        self.setZValue(20)
        self._scatter(rect, look)
        self.box = rounded_box(areas[0], 18, "#FFFFFF", look.ink, self, 4 * ui)
        self.box.setOpacity(0.93)
        self.badge_w = 52 * ui if look.badge else 0.0
        self.headline = Label(58 * min(ui, HEADLINE_UI), look.ink, True, self,
                              max_width=areas[0].width() - 40 - 2 * self.badge_w)
        self.badges = [svg_icon(look.badge, self.badge_w, self) for _ in range(2 if look.badge else 0)]
        self.body = QGraphicsTextItem(self)
        self.body.setFont(palette.scene_font(27 * min(ui, BODY_UI)))
        self.body.setDefaultTextColor(palette.qcolour(palette.INK))
        self.caption = ("", "")
        self.area = areas[0]
        show_cached(self, False)

    @property
    def shown(self) -> bool:
        return is_shown(self)

    def reveal(self, shown: bool) -> None:
        """Show or hide the overlay; its snowflakes and padlocks stay cached as pixmaps while it is hidden."""
        if shown != self.shown:
            show_cached(self, shown)

    def _scatter(self, rect: QRectF, look: OverlayLook) -> None:
        for index in range(look.icons):
            angle = index * 2.39996  # golden angle: evenly scattered, same every time
            radius = math.sqrt((index + 0.5) / look.icons)
            size = 46 + 22 * (index % 3)
            flake = svg_icon(look.icon, size, self)
            flake.setPos(rect.center().x() + radius * math.cos(angle) * rect.width() * 0.48 - size / 2,
                         rect.center().y() + radius * math.sin(angle) * rect.height() * 0.48 - size / 2)
            flake.setOpacity(look.icon_opacity)

    def show_caption(self, headline: str, body: str, keep_clear: list[QRectF] = ()) -> None:
        """Say ``headline`` and ``body`` in the first area with room for them that overlaps none of ``keep_clear``."""
        if (headline, body) != self.caption:
            self._say(headline, body)
        clear = [a for a in self.areas if not any(a.intersects(r) for r in keep_clear)] or self.areas[:1]
        height = self._panel_height()
        area = next((a for a in clear if a.height() >= height), max(clear, key=QRectF.height))
        if (headline, body) != self.caption or area != self.area:
            self.caption, self.area = (headline, body), area
            self._fit_panel(area, height)

    def _say(self, headline: str, body: str) -> None:
        glyph = self.look.glyph
        self.headline.show_text(f"{glyph} {headline} {glyph}" if glyph else headline)
        if self.look.bold_lead:  # the first line in bold, run into the second
            lead, *rest = html.escape(body).split("\n")
            self.body.setHtml(f"<b>{lead}</b> " + "<br>".join(rest))
        else:
            self.body.setPlainText(body)
        self.body.setTextWidth(self.areas[0].width() - 60)

    def _panel_height(self) -> float:
        return 28 * self.ui + self._headline_h() + self.body.boundingRect().height()

    def _headline_h(self) -> float:
        return 70 * min(self.ui, HEADLINE_UI)

    def _fit_panel(self, area: QRectF, height: float) -> None:
        """The white panel around the words, centred on ``area`` (and kept inside the pane if it is taller)."""
        pad = 14 * self.ui
        top = min(max(area.center().y() - height / 2, self.rect().top()), self.rect().bottom() - height)
        panel = QRectF(area.left(), top, area.width(), height)
        self.headline.place(panel.center().x(), panel.top() + pad, "centre")
        for badge, x in zip(self.badges, (panel.left() + 14, panel.right() - 14 - self.badge_w)):
            badge.setPos(x, panel.top() + pad)
        self.body.setPos(panel.left() + 30, panel.top() + pad + self._headline_h())
        path = QPainterPath()
        path.addRoundedRect(panel, 18, 18)
        self.box.setPath(path)
