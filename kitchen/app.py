"""Starting the desktop app: the QApplication (name, organisation, icon, high-DPI) and the main window.

``run_app`` is what ``thread-kitchen`` (no subcommand) calls. ``--quit-after MS``
closes the window after a while, so packaging and CI can boot the real app.
"""

from __future__ import annotations

import sys
import traceback

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication

from engine.assets import asset_path

APP_NAME = "Thread Kitchen"
ORGANIZATION = "Thread Kitchen"
DOMAIN = "threadkitchen.org"
ICON = ("icons", "thread-kitchen.svg")


def make_app(argv: list[str] | None = None) -> QApplication:
    """The QApplication (created once): names used by QSettings, the icon and crisp high-DPI scaling."""
    app = QApplication.instance()
    if app is not None:
        return app
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    QApplication.setApplicationName(APP_NAME)
    QApplication.setOrganizationName(ORGANIZATION)
    QApplication.setOrganizationDomain(DOMAIN)
    QApplication.setApplicationDisplayName(APP_NAME)
    QGuiApplication.setDesktopFileName("thread-kitchen")
    app = QApplication(list(argv or sys.argv[:1]))
    icon = asset_path(*ICON)
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
    return app


def run_app(start: str | None = None, quit_after_ms: float | None = None, argv: list[str] | None = None) -> int:
    """Open the window on ``start`` (a lesson or file; default: the last one, else parallelism)."""
    app = make_app(argv)
    from kitchen.window import MainWindow

    window = MainWindow(QSettings())
    last = window.restore_settings()
    window.open_start(start or last)
    install_error_boundary(window)
    window.show()
    if quit_after_ms is not None:
        QTimer.singleShot(int(quit_after_ms), window.close)
    return app.exec()


def install_error_boundary(window) -> None:
    """Exceptions escaping any slot (a frame, a click) reach sys.excepthook: print them, stop, tell once."""
    def report(kind, error, trace) -> None:
        traceback.print_exception(kind, error, trace)
        window.stop_on_error(f"{kind.__name__}: {error}")

    sys.excepthook = report
