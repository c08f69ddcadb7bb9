"""Canary for PySide6 6.12.0's bug: methods returning nothing dropped a reference to None.

If this fails after an upgrade, keep the pin ``PySide6-Essentials<6.12`` (see DESIGN.md).
"""

import sys

from PySide6.QtCore import QTimer


def test_calls_returning_none_do_not_leak_references_to_none(qtbot):
    timer = QTimer()
    before = sys.getrefcount(None)
    for interval in range(1000):
        timer.setInterval(interval)
    after = sys.getrefcount(None)
    assert after >= before - 10, f"None lost {before - after} references across 1000 setInterval calls"
