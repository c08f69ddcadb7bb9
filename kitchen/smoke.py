"""Checks that an installed app really works: ``--smoke-test`` and the startup benchmark's ``--first-paint``.

``thread-kitchen --smoke-test`` opens the real window on the default lesson
(without reading or writing the user's saved settings), plays a few hundred
milliseconds of simulated time, and checks that the frame clock ticked, that
every kitchen was painted and that the one-to-one kitchen shows its busy
stoves glowing. It prints one line and exits 0, or 1 with the reason.

``thread-kitchen --first-paint`` starts the app as usual, prints the wall-clock
time (seconds since the epoch) at which its window finished its first paint,
and exits; ``benchmarks/startup.py`` compares that with a minimal window.
"""

from __future__ import annotations

import sys
import time

from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer
from PySide6.QtWidgets import QApplication

SMOKE_LESSON = "parallelism"
SMOKE_PLAY_MS = 400.0  # simulated milliseconds to play
SMOKE_SPEED = 1000.0  # simulated ms per real second (the default is slower)
SMOKE_TIMEOUT_S = 60.0
EXIT_FAILED = 1


class PaintCounter(QObject):
    """Counts the paint events a widget receives (filters its events, changes nothing)."""

    def __init__(self, widget) -> None:
        super().__init__(widget)
        self.paints = 0
        widget.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.Paint:
            self.paints += 1
        return False


class FirstPaint(QObject):
    """Calls ``on_painted(epoch_seconds)`` once, right after the first paint of any widget has finished."""

    def __init__(self, app: QApplication, on_painted) -> None:
        super().__init__(app)
        self._on_painted = on_painted
        self._seen = False
        app.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt override)
        if not self._seen and event.type() == QEvent.Type.Paint:
            self._seen = True
            self.parent().removeEventFilter(self)
            QTimer.singleShot(0, lambda: self._on_painted(time.time()))
        return False


def print_and_exit(app: QApplication):
    """An ``on_painted`` for FirstPaint: print ``first-paint EPOCH_SECONDS`` and leave the event loop."""

    def report(epoch_s: float) -> None:
        print(f"first-paint {epoch_s:.6f}", flush=True)
        app.exit(0)

    return report


def report_first_paint(start: str | None = None) -> int:
    """Run the app exactly as ``thread-kitchen`` does, but quit after its first painted frame."""
    from kitchen.app import make_app, run_app

    app = make_app()
    FirstPaint(app, print_and_exit(app))
    return run_app(start)


def run_smoke_test() -> int:
    """``--smoke-test``: 0 and a one-line report if the window works, else 1 and the reason."""
    errors: list[str] = []
    previous_hook, sys.excepthook = sys.excepthook, lambda kind, error, tb: errors.append(f"{kind.__name__}: {error}")
    try:
        problem, report = _play_default_lesson(errors)
    except Exception as error:  # noqa: BLE001 (any failure must become the one-line reason)
        problem, report = f"{type(error).__name__}: {error}", ""
    finally:
        sys.excepthook = previous_hook
    if problem:
        print(f"thread-kitchen: smoke test failed: {problem}", file=sys.stderr)
        return EXIT_FAILED
    print(f"thread-kitchen: smoke test passed: {report}")
    return 0


def _play_default_lesson(errors: list[str]) -> tuple[str | None, str]:
    from kitchen.app import make_app
    from kitchen.window import MainWindow

    make_app()
    window = MainWindow(settings=None)
    window.open_start(SMOKE_LESSON)
    window.player.set_speed(SMOKE_SPEED)
    counters = [PaintCounter(column.view.viewport()) for column in window.columns]
    frames = []
    window.player.frame.connect(frames.append)
    window.show()
    timed_out = not _wait_for(lambda: window.player.playhead_ms >= SMOKE_PLAY_MS or errors, SMOKE_TIMEOUT_S)
    QApplication.processEvents()
    problem = errors[0] if errors else _check(window, frames, counters, timed_out)
    report = _report(window, frames)
    window.close()
    return problem, report


def _wait_for(done, timeout_s: float) -> bool:
    """Run the event loop until ``done()`` (checked every 20 ms); False if ``timeout_s`` passed first."""
    loop = QEventLoop()
    poll = QTimer(interval=20)
    poll.timeout.connect(lambda: done() and loop.quit())
    deadline = QTimer(interval=int(timeout_s * 1000), singleShot=True)
    deadline.timeout.connect(loop.quit)
    poll.start()
    deadline.start()
    loop.exec()
    poll.stop()
    deadline.stop()
    return bool(done())


def _check(window, frames: list, counters: list[PaintCounter], timed_out: bool) -> str | None:
    """The first thing wrong with what the window drew, or None."""
    if not frames:
        return "the frame clock never ticked"
    if timed_out:
        return f"the playhead reached only {window.player.playhead_ms:g} ms in {SMOKE_TIMEOUT_S:g} s"
    unpainted = [str(index + 1) for index, counter in enumerate(counters) if counter.paints == 0]
    if unpainted:
        return f"kitchen {', '.join(unpainted)} never painted"
    view, snapshot = _one_to_one(window)
    if view is None:
        return f"the {SMOKE_LESSON} lesson has no one-to-one kitchen"
    if view.glowing_stoves() == 0 or view.glowing_stoves() != snapshot.busy_stoves:
        return (f"the one-to-one kitchen shows {view.glowing_stoves()} glowing stoves, "
                f"the engine says {snapshot.busy_stoves} are busy")
    return None


def _one_to_one(window):
    """The one-to-one kitchen's view and the snapshot it shows (None, None if there is none)."""
    for column, pane_run, snapshot in zip(window.columns, window.run.panes, window.snapshots):
        if pane_run.pane.model == "one-to-one":
            return column.view, snapshot
    return None, None


def _report(window, frames: list) -> str:
    view, _ = _one_to_one(window)
    stoves = f"{view.glowing_stoves()}/{len(view.stoves)}" if view is not None else "?"
    return (f"{len(frames)} frames, {window.player.playhead_ms:g} ms simulated, "
            f"one-to-one kitchen shows {stoves} stoves busy")
