"""The main window, driven like a user would: the kitchens it shows, the controls, files and settings."""

import os
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from engine.assets import lesson_names
from engine.scenario import load_scenario
from kitchen.app import install_error_boundary
from kitchen.window import MainWindow
from tests.kitchen.conftest import DATA, play_frames


def test_parallelism_shows_eight_one_and_four_busy_stoves(window):
    """After 30 frames the one-to-one kitchen cooks on 8 stoves, many-to-one on 1, M:N (4 chefs) on 4."""
    play_frames(window, 30)
    assert window.player.playhead_ms == pytest.approx(100.0)
    assert [snapshot.busy_stoves for snapshot in window.snapshots] == [8, 1, 4]


def test_the_views_are_given_the_snapshots_the_window_holds(window):
    """Each pane's KitchenView is shown the snapshot at the playhead."""
    play_frames(window, 6)
    assert [snapshot.t for snapshot in window.snapshots] == [window.player.playhead_ms] * 3


def test_a_blocking_call_freezes_many_to_one_only(window):
    """Mid-I/O (125 ms) many-to-one's only chef waits at the oven: frozen; one-to-one is not."""
    window.open_path(DATA / "blocking.toml")
    window.player.seek(125)
    frozen = [snapshot.frozen() for snapshot in window.snapshots]
    assert frozen == [False, True, False]
    assert window.snapshots[1].busy_stoves == 0


def test_space_plays_and_pauses(window, qtbot):
    """Space toggles playing."""
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert window.player.playing
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert not window.player.playing


def test_right_arrow_steps_to_the_next_event(window, qtbot):
    """→ pauses and jumps from 0 ms to the first time-slice end, 10 ms."""
    qtbot.keyClick(window, Qt.Key.Key_Right)
    assert window.player.playhead_ms == 10.0
    assert [snapshot.t for snapshot in window.snapshots] == [10.0] * 3


def test_r_resets_to_zero(window, qtbot):
    """R pauses and goes back to 0 ms; the kitchens show time 0 again."""
    play_frames(window, 20)
    qtbot.keyClick(window, Qt.Key.Key_R)
    assert (window.player.playhead_ms, window.player.playing) == (0.0, False)
    assert window.snapshots[0].t == 0.0


def test_speed_slider_and_keys_change_the_speed(window, qtbot):
    """The slider's far right is 100 000 ms/s; + doubles and - halves the speed."""
    window.speed.slider.setValue(window.speed.slider.maximum())
    assert window.player.speed == 100_000
    window.player.set_speed(300)
    qtbot.keyClick(window, Qt.Key.Key_Plus)
    assert window.player.speed == 600
    qtbot.keyClick(window, Qt.Key.Key_Minus)
    assert window.player.speed == 300
    assert window.speed.value_label.text() == "300 ms/s"


def test_the_status_bar_shows_time_speed_and_engine_state(window):
    """After 30 frames at 200 ms/s the status bar reads t = 100 ms, speed 200 ms/s."""
    window.player.set_speed(200)
    play_frames(window, 30)
    window.refresh_charts()
    assert window.time_label.text() == "<b>t = 100 ms</b>"
    assert window.speed_label.text() == "speed 200 ms/s"
    assert "computed" in window.engine_label.text()


def test_charts_follow_the_playhead(window):
    """The utilization chart's data ends at the playhead and reads 8 of 8 stoves."""
    play_frames(window, 30)
    window.refresh_charts()
    chart = window.columns[0].charts.utilization
    x, y = chart.raw.getData()
    assert x[-1] == pytest.approx(100.0) and y[-1] == 100.0
    assert "8 of 8" in chart.caption.text()
    assert "32 of 32" not in window.completed.caption.text()


def test_run_end_pauses_and_says_when(window):
    """Playing to the end pauses and the status bar says the run ended at 5 000 ms."""
    window.player.set_speed(100_000)
    play_frames(window, 200, 0.1)
    assert not window.player.playing
    assert window.engine_label.text() == "run ended at 5\u202f000 ms"


def test_editing_the_cores_rebuilds_the_run(window):
    """Four stoves in the editor: one-to-one now keeps 4 busy, and the kitchen is marked unsaved."""
    window.editor.cores.setValue(4)
    window.editor.apply_now()
    assert window.run.scenario.machine.cores == 4
    play_frames(window, 30)
    assert window.snapshots[0].busy_stoves == 4
    assert window.dirty and window.windowTitle().startswith("* ")


def test_editing_the_model_and_chefs_rebuilds_the_panes(window):
    """Many-to-many with 2 chefs: that kitchen keeps 2 stoves busy."""
    window.editor.panes[2].chefs.setValue(2)
    window.editor.apply_now()
    play_frames(window, 30)
    assert window.snapshots[2].busy_stoves == 2


def test_bad_steps_are_shown_in_red_and_the_kitchen_is_kept(window):
    """Typing 'cpu ten' shows the engine's message naming task 1 and keeps the current run."""
    run = window.run
    window.editor.tasks.item(0, 3).setText("cpu ten")
    assert window.editor.apply_now() is None
    assert "task 1" in window.editor.problem_text and "'ten' is not a number" in window.editor.problem_text
    assert window.run is run and not window.dirty


def test_adding_an_order_adds_tickets(window):
    """Add order appends a 1-ticket task: 33 orders in all."""
    window.editor.add_task.click()
    window.editor.apply_now()
    assert sum(task.count for task in window.scenario.tasks) == 33


def test_a_bad_file_shows_the_loaders_message_and_keeps_the_kitchen(window, tmp_path, monkeypatch):
    """Opening a broken scenario shows its file and field in a dialog; the parallelism kitchen stays."""
    bad = tmp_path / "bad.toml"
    bad.write_text('title = "x"\n[[panes]]\nmodel = "one-to-one"\n[[tasks]]\nname = "a"\nsteps = ["cpu -1"]\n')
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    scenario = window.scenario
    assert not window.open_path(bad)
    assert len(shown) == 1 and "bad.toml" in shown[0] and "tasks[0].steps[0]" in shown[0]
    assert window.scenario is scenario and window.lesson == "parallelism"


def test_save_round_trips_and_clears_the_unsaved_mark(window, tmp_path):
    """Saving writes TOML that loads back to the same kitchen."""
    window.editor.cores.setValue(6)
    window.editor.apply_now()
    path = tmp_path / "six.toml"
    assert window.save_to(path)
    assert load_scenario(path) == window.scenario
    assert not window.dirty and window.path == path


def test_a_failed_save_keeps_the_old_file_and_leaves_no_temporary(window, tmp_path, monkeypatch):
    """If the final rename fails, the previous file is untouched and no temporary file remains."""
    folder = tmp_path / "kitchens"
    folder.mkdir()
    path = folder / "kitchen.toml"
    path.write_text("old contents")
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))

    def failing_replace(source, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", failing_replace)
    assert not window.save_to(path)
    assert path.read_text() == "old contents"
    assert [p.name for p in folder.iterdir()] == ["kitchen.toml"]
    assert "No space left on device" in shown[0]


@pytest.mark.parametrize("answer, switched", [(QMessageBox.StandardButton.Cancel, False),
                                              (QMessageBox.StandardButton.Discard, True)])
def test_unsaved_edits_are_not_discarded_without_asking(window, monkeypatch, answer, switched):
    """Switching lesson with unsaved edits asks; Cancel keeps the edits, Discard switches."""
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *args: asked.append(args) or answer)
    window.editor.cores.setValue(3)
    window.editor.apply_now()
    window.choose_lesson("parallelism")
    assert len(asked) == 1
    assert (window.scenario.machine.cores == 8) == switched


def test_lesson_picker_lists_the_lessons_in_teaching_order_with_titles(window):
    """The combo box offers every lesson, parallelism first, numbered and titled, and shows the current one."""
    box = window.lesson_box
    names = [box.itemData(i) for i in range(box.count())]
    assert names[:4] == ["parallelism", "memory", "blocking", "nonblocking-io"] and names[-1] == "ui-responsiveness"
    assert sorted(names) == lesson_names()
    assert box.itemText(0) == "1. Parallelism — Thirty-two orders, eight stoves"
    assert box.itemText(3) == "4. Non-blocking I/O: the event loop keeps the single chef cooking"
    assert box.currentText() == box.itemText(0)
    window.choose_lesson("fork")
    assert box.currentData() == "fork" and box.currentText().startswith("10. fork() in a busy kitchen")


def test_the_lessons_menu_matches_the_picker(window):
    """Lessons → the same numbered titles in the same order as the picker, then the guided-lesson actions."""
    texts = [action.text() for action in window.menu("lessons").actions()][:window.lesson_box.count()]
    assert texts == [window.lesson_box.itemText(i) for i in range(window.lesson_box.count())]


def test_unknown_extra_lessons_come_last(monkeypatch):
    """A lesson outside the course is listed after the 13, by its title."""
    from kitchen import window as window_module

    monkeypatch.setattr(window_module, "lesson_names", lambda: ["zebra", "fork", "parallelism"])
    monkeypatch.setattr(window_module, "read_title", lambda path: "Stripes" if path.stem == "zebra" else "T")
    assert window_module.lesson_entries() == [("parallelism", "1. Parallelism — T"), ("fork", "2. fork() — T"),
                                             ("zebra", "3. Zebra — Stripes")]


def test_window_size_speed_and_lesson_persist(qtbot, settings, window):
    """Speed, size and the last lesson come back in a new window."""
    window.player.set_speed(1234)
    window.resize(760, 560)
    window.close()
    again = MainWindow(settings)
    assert again.restore_settings() == "parallelism"
    assert again.player.speed == 1234
    assert (again.width(), again.height()) == (760, 560)


def test_menus_offer_every_action_with_its_shortcut(window):
    """File and Playback menus carry Open/Save/Save as and Play/Step/Reset with their keys."""
    shortcuts = {action.text(): action.shortcut().toString() for key in ("file", "playback")
                 for action in window.menu(key).actions() if action.text()}
    assert shortcuts["&Open scenario…"] == "Ctrl+O"
    assert shortcuts["&Save"] == "Ctrl+S"
    assert shortcuts["Save &as…"] == "Ctrl+Shift+S"
    assert (shortcuts["&Play"], shortcuts["&Step to next event"], shortcuts["&Reset"]) == ("Space", "Right", "R")


def test_closing_stops_the_frame_clock(window):
    """The one frame clock runs while the window is shown and stops when it closes."""
    window.player.start_clock()
    window.close()
    assert not window.player.clock_running


def test_opening_a_file_plays_it_in_every_pane(window):
    """The blocking kitchen's three panes get its 7 tickets."""
    assert window.open_path(Path(DATA / "blocking.toml"))
    play_frames(window, 3)
    assert [len(snapshot.u_state) for snapshot in window.snapshots] == [7, 7, 7]


@pytest.mark.parametrize("answer, closed", [(QMessageBox.StandardButton.Cancel, False),
                                            (QMessageBox.StandardButton.Discard, True)])
def test_closing_with_unsaved_edits_asks_first(window, monkeypatch, answer, closed):
    """Closing an edited kitchen asks; Cancel keeps the window open, Discard closes it."""
    monkeypatch.setattr(QMessageBox, "question", lambda *args: answer)
    window.editor.cores.setValue(5)
    window.editor.apply_now()
    window.close()
    assert window.isVisible() != closed


def test_splitter_positions_persist(qtbot, settings, window):
    """The kitchens' widths come back as they were left."""
    window.pane_row.setSizes([700, 400, 400])
    before = window.pane_row.sizes()
    window.close()
    again = MainWindow(settings)
    again.restore_settings()
    again.choose_lesson("parallelism")
    again.resize(window.size())
    again.show()
    qtbot.waitExposed(again)
    assert again.pane_row.sizes() == before
    again.close()


def test_switching_many_to_one_to_nonblocking_io_unfreezes_it(window):
    """With non-blocking I/O (an event loop) the single chef keeps cooking while the read waits."""
    window.open_path(DATA / "blocking.toml")
    window.editor.panes[1].io.setCurrentText("nonblocking")
    window.editor.apply_now()
    window.player.seek(125)
    assert window.run.scenario.panes[1].io == "nonblocking"
    assert not window.snapshots[1].frozen() and window.snapshots[1].busy_stoves == 1


def test_one_to_one_offers_no_io_policy_and_no_chef_count(window):
    """The editor locks I/O to blocking for one-to-one and only asks M of many-to-many."""
    one_to_one, many_to_one, many_to_many = window.editor.panes
    assert not one_to_one.io.isEnabled() and one_to_one.io.currentText() == "blocking"
    assert [p.chefs.isVisibleTo(window.editor) for p in window.editor.panes] == [False, False, True]
    assert many_to_many.chefs.value() == 4 and many_to_one.crew_note.text() == "1 chef"


def test_editing_a_lesson_with_a_system_scope_kitchen_keeps_it_valid(window):
    """Fairness has an M:N scs kitchen: editing the cores keeps it bound (no M asked); pcs asks M again."""
    window.choose_lesson("fairness")
    bound = window.editor.panes[2]
    assert bound.scope.isVisibleTo(window.editor) and not bound.chefs.isVisibleTo(window.editor)
    assert bound.crew_note.text() == "a chef per ticket" and not bound.io.isEnabled()
    window.editor.cores.setValue(2)
    assert window.editor.apply_now() is not None, window.editor.problem_text
    assert [pane.contention_scope for pane in window.scenario.panes] == ["pcs", "pcs", "scs", "scs"]
    bound.scope.setCurrentIndex(0)
    window.editor.apply_now()
    assert (window.scenario.panes[2].contention_scope, window.scenario.panes[2].kernel_threads) == ("pcs", 4)


def test_the_moving_average_appears_only_for_a_noisy_kitchen(window):
    """Parallelism's steady 8 of 8 needs no smoothing line; the 1 000-order kitchen's flicker gets one."""
    play_frames(window, 30)
    window.refresh_charts()
    assert not window.columns[0].charts.utilization.smooth.isVisible()
    window.player.pause()
    window.open_path(DATA / "busy.toml")
    window.player.seek(2000)
    assert window.columns[2].charts.utilization.smooth.isVisible()


def test_an_engine_failure_stops_playing_and_is_shown(window, monkeypatch):
    """If the engine raises while computing ahead, playing stops and the message is shown once."""
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))

    def broken_advance(until_ms, max_events=None):
        raise RuntimeError("kitchen on fire")

    monkeypatch.setattr(window.run, "advance", broken_advance)
    play_frames(window, 5)
    assert not window.player.playing
    assert len(shown) == 1 and "RuntimeError: kitchen on fire" in shown[0]


def test_kitchen_titles_say_how_many_chefs_each_model_has():
    """Titles name the chefs: a chef per ticket for one-to-one and M:N scs, M chefs and the I/O otherwise."""
    from engine.scenario import Pane
    from kitchen.window import pane_title

    panes = [Pane(model="one-to-one"), Pane(model="many-to-many", scope="scs"),
             Pane(model="many-to-many", kernel_threads=2, io="nonblocking"), Pane(model="many-to-one", label="N:1")]
    assert [pane_title(pane) for pane in panes] == [
        "One-to-one: a chef per ticket", "Many-to-many: a chef per ticket (scs)",
        "Many-to-many: 2 chefs, non-blocking I/O", "N:1"]


def test_chart_series_are_named_by_label_or_by_what_sets_a_kitchen_apart(window):
    """Fork's two one-to-one kitchens keep their labels; unlabelled twins get their M or I/O, then a number."""
    from engine.scenario import Pane
    from kitchen.window import series_labels

    window.choose_lesson("fork")
    assert window.comparison.labels == ["one-to-one, plain fork()", "many-to-one, plain fork()",
                                        "one-to-one, with atfork"]
    assert window.completed.labels == window.comparison.labels
    assert series_labels([Pane(model="many-to-many", kernel_threads=2), Pane(model="many-to-many"),
                          Pane(model="many-to-one"), Pane(model="many-to-one", io="nonblocking"),
                          Pane(model="one-to-one"), Pane(model="one-to-one")]) == [
        "Many-to-many (2 chefs)", "Many-to-many (4 chefs)", "Many-to-one", "Many-to-one (non-blocking I/O)",
        "One-to-one (kitchen 5)", "One-to-one (kitchen 6)"]


def test_choosing_a_lesson_plays_it_at_its_own_speed(window):
    """Without guided mode too: fork plays at 20 ms/s, parallelism at 500 ms/s; an edit keeps the speed."""
    window.choose_lesson("fork")
    assert window.player.speed == 20 and window.speed.value_label.text() == "20 ms/s"
    window.choose_lesson("parallelism")
    assert window.player.speed == 500
    window.player.set_speed(800)
    window.editor.cores.setValue(4)
    window.editor.apply_now()
    assert window.player.speed == 800


def test_a_newcomer_sees_parallelism_finish_its_first_orders_within_ten_seconds(qtbot):
    """First start (no saved settings): parallelism plays at once at 500 ms/s; its first orders are done
    at 3 970 ms of simulated time, 7.9 s after opening."""
    from engine.timeline import Ev

    win = MainWindow(settings=None)
    qtbot.addWidget(win)
    win.open_start(win.restore_settings())
    assert (win.lesson, win.player.playing, win.player.speed) == ("parallelism", True, 500)
    win.player.pause()
    win.run.run_to_end()
    first_done = min(event.t for event in win.run.panes[0].timeline.events_of(Ev.FINISH))
    assert first_done == 3970.0 and first_done / win.player.speed < 10.0


def test_a_speed_saved_by_an_earlier_session_wins_over_the_lessons(qtbot, settings):
    """Someone who chose 1 234 ms/s gets it back when the app reopens on the last lesson."""
    settings.setValue("player/speed", 1234.0)
    win = MainWindow(settings)
    qtbot.addWidget(win)
    win.open_start(win.restore_settings())
    assert win.player.speed == 1234
    win.player.pause()


def test_an_error_in_a_frame_stops_the_clock_and_is_shown_once(window, monkeypatch):
    """A bug in a view during a frame pauses and stops the clock (no crash, no error every frame)."""
    shown = []
    monkeypatch.setattr(window, "_show_error", lambda title, text: shown.append(title))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    install_error_boundary(window)
    window.player.start_clock()
    window.player.play()
    monkeypatch.setattr(window.columns[0].view, "advance_tween", lambda dt: 1 / 0)
    window.player.tick(0.016)
    window.player.tick(0.016)
    assert shown == ["Internal error"]
    assert not window.player.playing and not window.player.clock_running
