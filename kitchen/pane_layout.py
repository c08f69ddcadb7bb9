"""Where everything goes in one kitchen pane: regions, stove cells and slot grids, in scene units.

The pane's scene is always ``WIDTH`` units wide; its height follows the view's
aspect ratio (within limits) so the kitchen fills the space it is given. Every
region is laid out once per kitchen size, and each region knows how many chefs
or tickets it can draw without overlapping: anything beyond that is shown as a
counted stack. Nothing here depends on the snapshot, so nothing here runs per frame.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from PySide6.QtCore import QRectF

WIDTH = 1000.0
MIN_HEIGHT = 740.0
MAX_HEIGHT = 1500.0
DEFAULT_HEIGHT = 1150.0
MARGIN = 16.0
CHEF_ASPECT = 84 / 64  # chef.svg height / width
TICKET_ASPECT = 50 / 40
STOVE_ASPECT = 64 / 100
MAX_CHEF_W = 56.0
TICKET_SCALE = 0.66  # ticket width / chef width
DOOR_W = 70.0  # room kept for the door at the right of the waiting spot
GAP = 10.0
TAG_ROOM = 16.0  # above a chef, for its process's name tag
RAIL_EXTRA = 26.0  # below a ticket on the rail: its progress bar and a short note
PANTRY_H = 96.0  # the pantry shelf: heading, lockers, gauge
HEADER_H = 82.0  # the title and a subtitle line
TITLE_H = 50.0  # the title alone
BAND_SHARES = (0.28, 0.38, 0.34)  # of the room left: stoves; bench and oven; rail and waiting spot
HEIGHT_PER_UI = 560.0  # a pane this many units tall per unit of type scale has room for all its regions
MIN_CHEF_W = 16.0


@dataclass(frozen=True)
class SlotGrid:
    """A grid of equal slots inside a region; slot ``i`` is filled row by row."""

    area: QRectF
    slot_w: float
    slot_h: float

    @property
    def columns(self) -> int:
        return max(1, int(self.area.width() // self.slot_w))

    @property
    def capacity(self) -> int:
        return self.columns * max(0, int(self.area.height() // self.slot_h))

    @cached_property
    def positions(self) -> np.ndarray:
        """Top-left corner of every slot, shape (capacity, 2), read-only."""
        index = np.arange(self.capacity)
        x = self.area.left() + (index % self.columns) * self.slot_w
        y = self.area.top() + (index // self.columns) * self.slot_h
        corners = np.column_stack([x, y])
        corners.flags.writeable = False
        return corners


@dataclass(frozen=True)
class PaneLayout:
    """Every region of one pane, for a kitchen with ``cores`` stoves, at type scale ``ui``."""

    height: float
    ui: float
    header: QRectF
    stoves: QRectF
    stove_cells: np.ndarray  # (cores, 2) top-left of each stove cell
    cell_w: float
    chef_w: float
    bench: QRectF
    oven: QRectF
    rail: QRectF
    waiting: QRectF
    pantry: QRectF
    bench_grid: SlotGrid
    oven_grid: SlotGrid
    rail_grid: SlotGrid
    waiting_grid: SlotGrid

    @property
    def chef_h(self) -> float:
        return self.chef_w * CHEF_ASPECT

    @property
    def ticket_w(self) -> float:
        return self.chef_w * TICKET_SCALE

    @property
    def ticket_h(self) -> float:
        return self.ticket_w * TICKET_ASPECT

    @property
    def label_size(self) -> float:
        """Region headings and counts."""
        return 21 * self.ui

    def carried_ticket_offset(self) -> tuple[float, float]:
        """Where a chef holds its ticket, relative to the chef's top-left corner."""
        return self.chef_w * 0.78, self.chef_h * 0.24


def stove_columns(cores: int, width: float, height: float) -> tuple[int, float]:
    """The number of columns that makes stove cells biggest, and that cell width."""
    best = (1, 0.0)
    for columns in range(1, cores + 1):
        rows = math.ceil(cores / columns)
        cell = min(width / columns, height / (rows * 1.28), 150.0)
        if cell > best[1] + 1e-9:
            best = (columns, cell)
    return best


def _stove_cells(cores: int, area: QRectF) -> tuple[np.ndarray, float]:
    columns, cell = stove_columns(cores, area.width(), area.height())
    index = np.arange(cores)
    rows = math.ceil(cores / columns)
    left = area.left() + (area.width() - columns * cell) / 2
    top = area.top() + (area.height() - rows * cell * 1.28) / 2
    return np.column_stack([left + (index % columns) * cell, top + (index // columns) * cell * 1.28]), cell


def _region_grid(region: QRectF, heading: float, slot_w: float, slot_h: float, right_pad: float = 0.0) -> SlotGrid:
    inner = region.adjusted(10, heading + 8, -10 - right_pad, -6)
    return SlotGrid(inner, slot_w, slot_h)


def _bands(height: float, ui: float, header_h: float) -> list[float]:
    """Top edges of the header, stoves, bench/oven, rail/waiting and pantry bands, and the bottom edge.

    The header and the pantry get the fixed room their type needs; the rest is shared out.
    """
    header, pantry = header_h * ui, PANTRY_H * ui
    rest = height - header - pantry - 4 * GAP - 8
    tops = [0.0, header]
    for share in BAND_SHARES:
        tops.append(tops[-1] + rest * share + GAP)
    tops.append(tops[-1] + pantry + GAP)
    return tops


def _band(tops: list[float], index: int, left: float = MARGIN, right: float = WIDTH - MARGIN) -> QRectF:
    return QRectF(left, tops[index], right - left, tops[index + 1] - tops[index] - GAP)


def _chef_width(cell_w: float, chef_room: float, rail_room: float, ui: float) -> float:
    """The biggest chef (within limits) that fits a stove and a bench row, and whose ticket fits a rail row."""
    return max(MIN_CHEF_W, min(MAX_CHEF_W * ui, cell_w * 0.55, (chef_room - 14 - 16 * ui) / CHEF_ASPECT,
                               (rail_room - 14 - RAIL_EXTRA * ui) / (TICKET_SCALE * TICKET_ASPECT)))


def compute_layout(cores: int, height: float = DEFAULT_HEIGHT, ui: float = 1.0, subtitle: bool = True) -> PaneLayout:
    """Lay out a pane with ``cores`` stoves, ``height`` scene units tall, type scaled by ``ui``.

    ``subtitle``: the header has a second line under the title (presenter mode may leave it out). A short
    pane gets less of a big type scale, so that its regions still hold a chef and a ticket.
    """
    ui = min(ui, max(1.0, height / HEIGHT_PER_UI))
    tops = _bands(height, ui, HEADER_H if subtitle else TITLE_H)
    stoves = _band(tops, 1)
    cells, cell_w = _stove_cells(cores, stoves)
    middle, split = WIDTH / 2, MARGIN + (WIDTH - 2 * MARGIN) * 0.64
    bench, oven = _band(tops, 2, right=middle - GAP / 2), _band(tops, 2, left=middle + GAP / 2)
    rail, waiting = _band(tops, 3, right=split - GAP / 2), _band(tops, 3, left=split + GAP / 2)
    heading = 30 * ui + TAG_ROOM * ui  # a region's heading, and room for name tags above the chefs
    rail_heading = 30 * ui + 8
    chef_w = _chef_width(cell_w, min(bench.height(), waiting.height()) - heading, rail.height() - rail_heading, ui)
    slot_w, slot_h = chef_w * 1.5, chef_w * CHEF_ASPECT + 16 * ui
    ticket_w = chef_w * TICKET_SCALE
    return PaneLayout(
        height=height, ui=ui, header=QRectF(MARGIN, 0, WIDTH - 2 * MARGIN, tops[1] - GAP), stoves=stoves,
        stove_cells=cells, cell_w=cell_w, chef_w=chef_w, bench=bench, oven=oven, rail=rail,
        waiting=waiting, pantry=_band(tops, 4),
        bench_grid=_region_grid(bench, heading, slot_w, slot_h),
        oven_grid=_region_grid(oven, heading, slot_w, slot_h),
        rail_grid=_region_grid(rail, rail_heading, ticket_w * 1.22, ticket_w * TICKET_ASPECT + RAIL_EXTRA * ui),
        waiting_grid=_region_grid(waiting, heading, slot_w, slot_h, right_pad=DOOR_W * ui),
    )


def scene_height_for(view_width: int, view_height: int) -> float:
    """The scene height that fills a view of this size at the pane's fixed width (clamped)."""
    if view_width <= 0 or view_height <= 0:
        return DEFAULT_HEIGHT
    return float(np.clip(WIDTH * view_height / view_width, MIN_HEIGHT, MAX_HEIGHT))
