"""Presenter mode and spotlight: full screen, projector sizes, keyboard only, dimmed panes."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget


def _dimmed(window) -> list[bool]:
    return [dimmer.isVisible() for dimmer in window.lesson_mode.dimmers]


@pytest.fixture
def presenting(blocking):
    """The blocking lesson, paused, in presenter mode (switched off again afterwards)."""
    blocking.lesson_mode.set_presenter(True)
    yield blocking
    blocking.lesson_mode.set_presenter(False)


def test_f11_toggles_presenter_mode(window, qtbot):
    """F11: full screen, no menus, toolbar, status bar or comparison charts, large caption; F11 again restores."""
    qtbot.keyClick(window, Qt.Key.Key_F11)
    mode = window.lesson_mode
    assert mode.presenting and window.isFullScreen()
    assert window.menuBar().isHidden() and window.toolbar.isHidden() and window.statusBar().isHidden()
    assert window.compare_row.isHidden()
    assert mode.strip.presenter and mode.strip.caption.font().pointSizeF() >= 15
    assert mode.lesson_player.active
    qtbot.keyClick(window, Qt.Key.Key_F11)
    assert not mode.presenting and not window.isFullScreen()
    assert not window.menuBar().isHidden() and not window.compare_row.isHidden()
    assert mode.strip.caption.font().pointSizeF() < 20


def test_escape_leaves_presenter_mode_and_keeps_hidden_docks_hidden(presenting, qtbot):
    """Esc restores the window as it was; docks hidden before stay hidden."""
    qtbot.keyClick(presenting, Qt.Key.Key_Escape)
    assert not presenting.lesson_mode.presenting
    assert all(dock.isHidden() for dock in presenting.findChildren(QDockWidget))


def test_presenter_mode_enlarges_every_kitchen(presenting):
    """Each KitchenView is switched to presenter sizes (and back)."""
    assert all(column.view.layout_.ui > 1.0 for column in presenting.columns)
    presenting.lesson_mode.set_presenter(False)
    assert all(column.view.layout_.ui == 1.0 for column in presenting.columns)


def test_a_whole_lesson_runs_from_the_keyboard_in_presenter_mode(presenting, qtbot):
    """R, then → until the last step: every step is reached, each pane spotlit as the script says."""
    qtbot.keyClick(presenting, Qt.Key.Key_R)
    spotlit = []
    for _ in range(12):
        qtbot.keyClick(presenting, Qt.Key.Key_Right)
        state = presenting.lesson_mode.lesson_player.state
        if state.phase == "at":
            spotlit.append((state.index, presenting.lesson_mode.spotlit))
    assert spotlit == [(0, 0), (1, 2), (2, 1), (3, 1), (4, 1)]


def test_number_keys_spotlight_a_pane_and_dim_the_others(window, qtbot):
    """2 dims panes 1 and 3; 2 again clears; 3 then 0 clears too."""
    qtbot.keyClick(window, Qt.Key.Key_2)
    assert _dimmed(window) == [True, False, True]
    qtbot.keyClick(window, Qt.Key.Key_2)
    assert _dimmed(window) == [False, False, False]
    qtbot.keyClick(window, Qt.Key.Key_3)
    assert _dimmed(window) == [True, True, False]
    qtbot.keyClick(window, Qt.Key.Key_0)
    assert _dimmed(window) == [False, False, False]


def test_a_dimmer_covers_its_kitchen_exactly(window, qtbot):
    """The veil over a dimmed pane has that pane's size and place."""
    qtbot.keyClick(window, Qt.Key.Key_1)
    column, dimmer = window.columns[2], window.lesson_mode.dimmers[2]
    assert dimmer.size() == column.size()
    assert dimmer.mapToGlobal(dimmer.rect().topLeft()) == column.mapToGlobal(column.rect().topLeft())


def test_plus_and_minus_change_the_speed(presenting, qtbot):
    """+ doubles and - halves the speed, also in presenter mode."""
    speed = presenting.player.speed
    qtbot.keyClick(presenting, Qt.Key.Key_Plus)
    assert presenting.player.speed == 2 * speed
    qtbot.keyClick(presenting, Qt.Key.Key_Minus)
    assert presenting.player.speed == speed


def test_shot_renders_a_lesson_step_in_presenter_mode(qtbot, tmp_path):
    """``shot blocking --step 3 --presenter`` writes the frozen moment with its caption at the asked size."""
    from PySide6.QtGui import QImage

    from kitchen.shot import save_shot

    output = tmp_path / "step.png"
    assert save_shot("blocking", None, output, (1280, 720), presenter=True, step=3) is None
    assert QImage(str(output)).size().toTuple() == (1280, 720)


def test_shot_of_a_step_the_lesson_lacks_says_so(qtbot, tmp_path):
    """Asking for step 9 of a 5-step lesson is a one-line problem, not a traceback."""
    from kitchen.shot import save_shot

    problem = save_shot("blocking", None, tmp_path / "x.png", (1280, 720), step=9)
    assert problem == "blocking: --step 9: the lesson has steps 1 to 5"


def test_on_a_1080p_projector_the_kitchens_get_most_of_the_height(window, qtbot):
    """Blocking, step 3, presenter mode at 1920x1080: no per-kitchen charts, kitchens >= 70 % of the height,
    the caption in full projector type and at most 25 % of the height."""
    window.choose_lesson("blocking")
    mode = window.lesson_mode
    mode.set_presenter(True, full_screen=False)
    window.resize(1920, 1080)
    mode.show_step(3)
    qtbot.waitUntil(lambda: mode.strip.height() <= 1080 * 0.25)
    assert all(column.charts.isHidden() for column in window.columns)
    assert window.pane_row.height() >= 0.7 * 1080
    assert mode.strip.caption.font().pointSizeF() == 25
    mode.set_presenter(False)
    assert not any(column.charts.isHidden() for column in window.columns)


def test_a_long_caption_shrinks_its_type_to_keep_to_a_quarter_of_the_height(window, qtbot):
    """The blocking lesson's explanation in presenter mode at 1280x720 is set smaller, within 25 % of 720 px."""
    window.choose_lesson("blocking")
    mode = window.lesson_mode
    mode.set_presenter(True, full_screen=False)
    window.resize(1280, 720)
    mode.lesson_player.restart()
    qtbot.waitUntil(lambda: mode.strip.height() <= 720 * 0.25)
    assert 15 <= mode.strip.caption.font().pointSizeF() < 25
    mode.set_presenter(False)
