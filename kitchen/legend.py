"""The legend: each kitchen word beside the operating-system term it stands for (DESIGN.md's table).

This is the one copy of the metaphor in the app: the legend dock and each pane's "?" badge show it.
"""

from __future__ import annotations

from html import escape

from engine.assets import asset_path
from kitchen.palette import MUTED_INK

METAPHOR = (
    ("stove", "CPU core", "glows while a chef cooks on it"),
    ("chef", "kernel thread", "the only thing the kitchen manager can put at a stove"),
    ("order ticket", "user thread (task)", "carried by a chef; the bar is the work done"),
    ("kitchen manager", "kernel scheduler", "round robin with a time slice; sees chefs only"),
    ("head chef's clipboard", "user-level scheduler", "thread library (many-to-one, many-to-many)"),
    ("bench", "kernel run queue", "chefs waiting for a stove"),
    ("ticket rail", "user-level run queue", "tickets waiting for a chef"),
    ("oven", "I/O / blocking system call", "a chef at the oven cannot cook"),
    ("event-loop wait set", "non-blocking I/O (epoll)", "tickets wait; their chef keeps cooking"),
    ("pantry shelf", "kernel memory budget", "one locker per chef; a full shelf = no new chef"),
    ("the knife", "a mutex", "one holder at a time"),
    ("fire alarm", "a signal", "rings at one chef"),
    ("cloned kitchen", "fork()", "the clone has one chef only"),
    ("the bakery next door", "another process", "its chefs, in another colour, compete for the same stoves"),
    ("frost", "whole process blocked", "every chef waits at the oven"),
    ("red-orange tint and padlocks", "deadlock", "tickets wait for knives nobody can ever put back"),
    ("ticket with a red cross", "stuck thread", "it can never finish"),
)


ICONS = {"stove": "stove", "chef": "chef", "order ticket": "ticket", "bench": "bench", "oven": "oven",
         "pantry shelf": "locker", "the knife": "knife", "fire alarm": "alarm", "cloned kitchen": "clone",
         "frost": "snowflake", "red-orange tint and padlocks": "padlock"}
ICON_PX = 28


def _icon(kitchen: str) -> str:
    name = ICONS.get(kitchen)
    path = asset_path("icons", f"{name}.svg") if name else None
    if path is None or not path.is_file():
        return ""
    return f"<img src='{path.as_uri()}' width='{ICON_PX}' height='{ICON_PX}'>"


def legend_html(point_size: float = 11.0) -> str:
    """The metaphor as an HTML table (with the pane's own icons) for a QTextBrowser or a tooltip."""
    rows = "".join(
        f"<tr><td valign='middle'>{_icon(kitchen)}</td><td><b>{escape(kitchen)}</b></td>"
        f"<td>{escape(os_term)}<br><span style='color:{MUTED_INK}; font-size:{point_size * 0.85:.1f}pt'>"
        f"{escape(note)}</span></td></tr>"
        for kitchen, os_term, note in METAPHOR)
    return (f"<div style='font-size:{point_size}pt'><table cellspacing='0' cellpadding='4'>"
            f"<tr><th></th><th align='left'>kitchen</th><th align='left'>operating system</th></tr>"
            f"{rows}</table></div>")
