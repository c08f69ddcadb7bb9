"""Test setup: Qt renders offscreen, and no test may leave a QTimer running."""

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _no_running_qtimers(request):
    """Fail a Qt test that leaves a QTimer running (they cause crashes in later tests)."""
    yield
    if "qtbot" not in request.fixturenames:
        return
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    running = [t for t in app.findChildren(QTimer) if t.isActive()] if app else []
    for widget in QApplication.topLevelWidgets() if app else []:
        running += [t for t in widget.findChildren(QTimer) if t.isActive()]
    assert not running, f"{len(running)} QTimer(s) left running: {[t.objectName() for t in running]}"
