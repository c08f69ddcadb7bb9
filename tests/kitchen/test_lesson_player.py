"""Guided lessons in the real window, keyboard only: steps, predictions, rewinding, narration."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocumentFragment

from kitchen.lesson_player import AT, INTRO, TOWARD
from tests.kitchen.conftest import play_frames

BLOCKING_MOMENTS = [200.0, 390.0, 770.0, 2770.0, 6000.0]


@pytest.fixture
def guided(blocking):
    """The blocking lesson, paused, with the guided lesson switched on (as the G key does)."""
    blocking.lesson_mode.set_guided(True)
    return blocking


def _state(window):
    state = window.lesson_mode.lesson_player.state
    return (state.index, state.phase) if state is not None else None


def _caption(window) -> str:
    """The big caption as the reader sees it (plain text)."""
    return QTextDocumentFragment.fromHtml(window.lesson_mode.strip.caption.text()).toPlainText().replace("\xa0", " ")


def _play_until_paused(window, frames: int = 4000) -> None:
    """Play at a brisk speed until the lesson player pauses the kitchens at a step's moment."""
    window.player.set_speed(2000)
    play_frames(window, 1)
    for _ in range(frames):
        if not window.player.playing:
            return
        window.player.tick(1 / 60)
    raise AssertionError("the lesson never paused at a step")


def test_g_starts_a_guided_lesson_at_its_explanation(window, qtbot):
    """Pressing G shows the lesson's explanation at 0 ms, paused; pressing it again ends the guide (one line)."""
    window.choose_lesson("blocking")
    qtbot.keyClick(window, Qt.Key.Key_G)
    assert _state(window) == (-1, INTRO)
    assert not window.player.playing
    assert "A bake ticket cooks for 0.2 s" in _caption(window)
    qtbot.keyClick(window, Qt.Key.Key_G)
    assert _state(window) is None
    strip = window.lesson_mode.strip
    heading = QTextDocumentFragment.fromHtml(strip.heading.text()).toPlainText()
    assert "Press G for a guided lesson" in heading and strip.caption.isHidden()


def test_keyboard_only_run_through_every_step(guided, qtbot):
    """→ (play) and → (jump) visit each step's moment in order, showing its caption there."""
    seen = []
    for step, moment in enumerate(BLOCKING_MOMENTS):
        qtbot.keyClick(guided, Qt.Key.Key_Right)
        if not guided.player.playing:  # a prediction waits for another →
            qtbot.keyClick(guided, Qt.Key.Key_Right)
        qtbot.keyClick(guided, Qt.Key.Key_Right)
        seen.append((_state(guided), guided.player.playhead_ms))
        assert guided.scenario.lesson.steps[step].caption in _caption(guided)
    assert seen == [((step, AT), moment) for step, moment in enumerate(BLOCKING_MOMENTS)]
    assert not guided.player.playing


def test_playing_pauses_exactly_at_the_next_moment(guided, qtbot):
    """Played frame by frame, the kitchens stop at 200 ms, the first step's moment, not later."""
    qtbot.keyClick(guided, Qt.Key.Key_Right)
    assert _state(guided) == (0, TOWARD) and guided.player.playing
    _play_until_paused(guided)
    assert (_state(guided), guided.player.playhead_ms) == ((0, AT), 200.0)
    assert [snapshot.t for snapshot in guided.snapshots] == [200.0] * 3
    assert guided.lesson_mode.strip.narration.text() == ""  # the step's caption has the floor


def test_a_prediction_is_asked_before_and_answered_after(guided, qtbot):
    """Step 3 asks what happens to the chop tickets (paused), and reveals 'they all stop' at 770 ms."""
    for _ in range(4):
        qtbot.keyClick(guided, Qt.Key.Key_Right)
    assert _state(guided) == (1, AT)
    qtbot.keyClick(guided, Qt.Key.Key_Right)
    assert _state(guided) == (2, TOWARD) and not guided.player.playing
    asked = _caption(guided)
    assert "What happens to its three chop tickets?" in asked and "C) They all stop" in asked
    assert "Why:" not in asked and "✓" not in asked
    qtbot.keyClick(guided, Qt.Key.Key_Right)
    assert guided.player.playing
    _play_until_paused(guided)
    answered = _caption(guided)
    assert (_state(guided), guided.player.playhead_ms) == ((2, AT), 770.0)
    assert "✓ C) They all stop until the oven is done" in answered and "Why:" in answered
    assert guided.snapshots[1].frozen()


def test_left_arrow_rewinds_to_the_previous_steps_moment(guided, qtbot):
    """From step 4 (2770 ms), ← goes back to step 3 at 770 ms with the kitchen frozen again."""
    for _ in range(9):
        qtbot.keyClick(guided, Qt.Key.Key_Right)
    assert _state(guided) == (3, AT)
    qtbot.keyClick(guided, Qt.Key.Key_Left)
    assert (_state(guided), guided.player.playhead_ms) == ((2, AT), 770.0)
    assert [snapshot.frozen() for snapshot in guided.snapshots] == [False, True, False]
    qtbot.keyClick(guided, Qt.Key.Key_PageUp)
    assert (_state(guided), guided.player.playhead_ms) == ((1, AT), 390.0)


def test_reset_returns_to_the_explanation(guided, qtbot):
    """R goes back to 0 ms and the lesson to its introduction."""
    for _ in range(3):
        qtbot.keyClick(guided, Qt.Key.Key_Right)
    qtbot.keyClick(guided, Qt.Key.Key_R)
    assert (_state(guided), guided.player.playhead_ms) == ((-1, INTRO), 0.0)


def test_space_at_a_step_begins_the_next_and_stops_for_its_question(guided, qtbot):
    """At step 2's moment Space starts step 3, which pauses at once to ask its prediction."""
    for _ in range(4):
        qtbot.keyClick(guided, Qt.Key.Key_Right)
    qtbot.keyClick(guided, Qt.Key.Key_Space)
    assert _state(guided) == (2, TOWARD)
    assert not guided.player.playing
    assert "Predict:" in _caption(guided)


def test_while_guided_shift_right_steps_one_event(guided, qtbot):
    """→ belongs to the lesson while guided; Shift+→ still steps to the next event."""
    qtbot.keyClick(guided, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert guided.player.playhead_ms == 10.0
    qtbot.keyClick(guided, Qt.Key.Key_G)
    qtbot.keyClick(guided, Qt.Key.Key_Right)
    assert guided.player.playhead_ms == 20.0


def test_a_lesson_without_a_script_is_not_guided(window, qtbot):
    """A plain scenario file shows its title and a hint; → keeps stepping events."""
    from tests.kitchen.conftest import DATA

    window.open_path(DATA / "blocking.toml")
    qtbot.keyClick(window, Qt.Key.Key_G)
    assert window.lesson_mode.lesson_player.state is None
    qtbot.keyClick(window, Qt.Key.Key_Right)
    assert window.player.playhead_ms > 0.0


def test_narration_tells_the_oven_trip_while_playing(guided, qtbot):
    """Playing the blocking lesson, the strip narrates in kitchen and OS words, one line per 1.5 s at most."""
    qtbot.keyClick(guided, Qt.Key.Key_G)
    guided.player.set_speed(500)
    guided.player.play()
    told = []
    for _ in range(240):
        guided.player.tick(1 / 60)
        told.append(guided.lesson_mode.strip.narration.text())
    assert guided.player.playhead_ms == pytest.approx(2000.0)
    assert any("Chef 1 went to the oven with bake #1 (blocking I/O call)" in text for text in told)
    changes = sum(1 for before, after in zip(told, told[1:]) if before != after)
    assert changes <= 240 / (1.5 * 60) + 1


def test_ctrl_page_down_opens_the_next_lesson_of_the_course(guided, qtbot):
    """Lessons follow the seed's order: after blocking comes nonblocking-io, opened at its explanation."""
    qtbot.keyClick(guided, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert guided.lesson == "nonblocking-io"
    assert _state(guided) == (-1, INTRO) and not guided.player.playing  # waits at its explanation


def test_a_guided_lesson_plays_at_its_own_speed(window, qtbot):
    """Priority inversion happens within 15 ms, so its guided lesson plays at 5 simulated ms per second."""
    window.choose_lesson("priority-inversion")
    qtbot.keyClick(window, Qt.Key.Key_G)
    assert window.player.speed == 5.0
