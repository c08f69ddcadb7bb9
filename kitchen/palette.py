"""Colours and type for the kitchen panes: the Okabe-Ito colour-blind-safe palette and scaled fonts.

Every colour in the animated kitchen comes from here, so processes, states and
warnings look the same in every pane, legend and screenshot. Process colours are
chosen so that no two are confused under the common colour-vision deficiencies.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPen

# Okabe & Ito (2008), "Color Universal Design".
BLACK = "#000000"
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
BLUISH_GREEN = "#009E73"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
REDDISH_PURPLE = "#CC79A7"

# Process colours: ours first, then neighbours / fork children (orange and yellow stay for the flames).
PROCESS_COLOURS = (BLUE, REDDISH_PURPLE, BLUISH_GREEN, VERMILLION, SKY_BLUE, BLACK)

# Ticket bands, one per task when a kitchen cooks several (yellow, the single-task band, first).
TASK_COLOURS = (YELLOW, SKY_BLUE, REDDISH_PURPLE, BLUISH_GREEN, ORANGE)

INK = "#1F2430"  # text and outlines
MUTED_INK = "#5B6270"  # secondary text
PAPER = "#FBFAF7"  # pane background
FLOOR = "#F1EEE7"  # region backgrounds (bench, oven corner, rail)
REGION_EDGE = "#CFC9BC"
GLOW = ORANGE  # a cooking stove
PROGRESS = BLUISH_GREEN  # ticket progress bars
WAITING = VERMILLION  # countdowns, refusals, "pantry full"
FROST = "#D6EEFA"  # the frozen-process overlay
FROST_INK = "#003F63"
DEADLOCK = "#F4B183"  # the deadlock overlay: red-orange, unlike the frost's blue and the closed kitchen's pale tint
DEADLOCK_INK = "#8A2500"


def task_colour(task: int) -> str:
    """The colour of the band on a task's tickets, when a kitchen cooks several tasks (index 0 = the first)."""
    return TASK_COLOURS[task % len(TASK_COLOURS)]


def process_colour(process: int) -> str:
    """The colour of a process's chefs (index 0 = ours)."""
    return PROCESS_COLOURS[process % len(PROCESS_COLOURS)]


def qcolour(hex_colour: str, alpha: int = 255) -> QColor:
    """A QColor from a palette entry, optionally translucent (alpha 0..255)."""
    colour = QColor(hex_colour)
    colour.setAlpha(alpha)
    return colour


def scene_font(size: float, bold: bool = False) -> QFont:
    """The application's font sized in scene units, so text scales with the view like everything else."""
    font = QFont()
    font.setPixelSize(max(1, round(size)))
    font.setBold(bold)
    return font


def grouped(number: int) -> str:
    """A count with thin spaces between thousands, e.g. ``9 968`` (easy to read from afar)."""
    return f"{number:,}".replace(",", "\u202f")


def pen(hex_colour: str, width: float) -> QPen:
    """A round-capped pen (lines in scene units, so they scale with the view)."""
    line = QPen(qcolour(hex_colour), width)
    line.setCapStyle(Qt.PenCapStyle.RoundCap)
    return line
