"""The scrubber: dragging the timeline shows any moment in every pane, backwards as well as forwards."""

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt

from kitchen.scrubber import Scrubber

SNAPSHOT_ARRAYS = ("stove_kthread", "k_state", "k_uthread", "k_process", "k_priority", "k_since", "u_state",
                   "u_kthread", "u_process", "u_done", "u_work", "u_wake_at", "u_start")


def _click_at(qtbot, scrubber, t_ms: float) -> None:
    x = round(scrubber.x_for(t_ms))
    qtbot.mouseClick(scrubber, Qt.MouseButton.LeftButton, pos=QPoint(x, scrubber.height() // 2))


def _same(a, b) -> bool:
    arrays = all(np.array_equal(getattr(a, name), getattr(b, name), equal_nan=True) for name in SNAPSHOT_ARRAYS)
    return arrays and (a.t, a.locks, a.process_memory_kib, a.completed, a.refused) == (
        b.t, b.locks, b.process_memory_kib, b.completed, b.refused)


def test_scrubbing_to_t_then_0_then_t_shows_identical_snapshots_in_every_pane(blocking, qtbot):
    """Click at t, at 0, at t again: every pane's snapshot is the same array for array."""
    scrubber = blocking.lesson_mode.scrubber
    _click_at(qtbot, scrubber, 1600.0)
    t = blocking.player.playhead_ms
    first = list(blocking.snapshots)
    _click_at(qtbot, scrubber, 0.0)
    assert blocking.player.playhead_ms == 0.0
    assert all(snapshot.t == 0.0 for snapshot in blocking.snapshots)
    _click_at(qtbot, scrubber, t)
    assert blocking.player.playhead_ms == t
    assert all(_same(a, b) for a, b in zip(first, blocking.snapshots))
    assert t == pytest.approx(1600.0, abs=scrubber.span_ms / scrubber.width() * 2)


def test_scrubbing_back_shows_the_earlier_moment_in_kitchens_and_charts(blocking, qtbot):
    """Back from 1600 ms (many-to-one frozen) to 300 ms: the kitchen cooks again and the charts end at 300 ms."""
    scrubber = blocking.lesson_mode.scrubber
    blocking.lesson_mode.scrub_to(1600.0)
    assert blocking.snapshots[1].frozen()
    blocking.lesson_mode.scrub_to(300.0)
    assert not blocking.snapshots[1].frozen() and blocking.snapshots[1].busy_stoves == 1
    times, _ = blocking.columns[1].charts.utilization.raw.getData()
    assert times.max() <= 300.0
    assert scrubber.playhead_ms == 300.0


def test_dragging_pauses_and_follows_the_mouse(blocking, qtbot):
    """Press, move and release: the playhead follows the drag and the kitchens stay paused."""
    scrubber = blocking.lesson_mode.scrubber
    blocking.player.play()
    y = scrubber.height() // 2
    qtbot.mousePress(scrubber, Qt.MouseButton.LeftButton, pos=QPoint(round(scrubber.x_for(4000.0)), y))
    qtbot.mouseMove(scrubber, QPoint(round(scrubber.x_for(1000.0)), y))
    qtbot.mouseRelease(scrubber, Qt.MouseButton.LeftButton, pos=QPoint(round(scrubber.x_for(1000.0)), y))
    assert not blocking.player.playing
    assert blocking.player.playhead_ms == pytest.approx(1000.0, abs=scrubber.span_ms / scrubber.width() * 2)


def test_the_scrubber_marks_each_step_moment_once_known(blocking):
    """After the run is computed, the five step moments of the blocking lesson are marked."""
    blocking.lesson_mode.scrub_to(8000.0)
    assert blocking.lesson_mode.scrubber.marks == [200.0, 390.0, 770.0, 2770.0, 6000.0]
    assert blocking.lesson_mode.scrubber.span_ms == 6000.0


def test_step_marks_too_close_to_read_apart_share_one_label(qtbot):
    """Fork's steps 2 and 3 both pause at 15 ms of a 50 ms run: one label '2·3' there, the others alone."""
    scrubber = Scrubber()
    qtbot.addWidget(scrubber)
    scrubber.resize(1200, 44)
    scrubber.set_span(50.0)
    scrubber.set_marks([10.0, 15.0, 15.0, 40.0, 50.0])
    assert [label for label, _ in scrubber.mark_labels()] == ["1", "2·3", "4", "5"]
    assert dict(scrubber.mark_labels())["2·3"] == scrubber.x_for(15.0)
