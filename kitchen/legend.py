"""The legend: each kitchen word beside the operating-system term it stands for (DESIGN.md's table)."""

from __future__ import annotations

from html import escape

METAPHOR = (
    ("stove", "CPU core", "glows while a chef cooks on it"),
    ("chef", "kernel thread", "the only thing the kitchen manager can put at a stove"),
    ("order ticket", "user thread (task)", "carried by a chef; the bar is the work done"),
    ("kitchen manager", "kernel scheduler", "round robin with a time slice; sees chefs only"),
    ("head chef's clipboard", "user-level scheduler", "thread library (many-to-one, many-to-many)"),
    ("bench", "kernel run queue", "chefs waiting for a stove"),
    ("ticket rail", "user-level run queue", "tickets waiting for a chef"),
    ("oven", "I/O / blocking system call", "a chef at the oven cannot cook"),
    ("pantry shelf", "kernel memory budget", "one locker per chef; a full shelf = no new chef"),
    ("the knife", "a mutex", "one holder at a time"),
    ("fire alarm", "a signal", "rings at one chef"),
    ("cloned kitchen", "fork()", "the clone has one chef only"),
    ("the bakery next door", "another process", "competes for the same stoves"),
)


def legend_html(point_size: float = 11.0) -> str:
    """The metaphor as an HTML table for a QTextBrowser or a tooltip."""
    rows = "".join(
        f"<tr><td><b>{escape(kitchen)}</b></td><td>{escape(os_term)}</td>"
        f"<td style='color:#5B6270'>{escape(note)}</td></tr>"
        for kitchen, os_term, note in METAPHOR)
    return (f"<div style='font-size:{point_size}pt'><table cellspacing='0' cellpadding='4'>"
            f"<tr><th align='left'>kitchen</th><th align='left'>operating system</th><th></th></tr>"
            f"{rows}</table></div>")
