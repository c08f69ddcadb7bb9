"""The startup benchmark's yardstick: the smallest PySide6 + pyqtgraph window (one plot), frozen like the app.

``benchmarks/startup.py`` builds it with ``packaging/minimal-window.spec`` (the
app's excludes) and times it from launch to its first painted frame, which it
reports exactly as ``thread-kitchen --first-paint`` does.
"""

import sys

import pyqtgraph as pg
from PySide6.QtWidgets import QApplication

from kitchen.smoke import FirstPaint, print_and_exit

WINDOW_SIZE = (1600, 900)  # the app's default window size: painting cost grows with the area


def main() -> int:
    app = QApplication(sys.argv[:1])
    FirstPaint(app, print_and_exit(app))
    plot = pg.PlotWidget(title="A minimal PySide6 + pyqtgraph window")
    plot.plot([0, 1, 2, 3, 4], [0, 3, 1, 4, 2])
    plot.resize(*WINDOW_SIZE)
    plot.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
