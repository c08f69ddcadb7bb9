"""The animated kitchen pane (KitchenView): what a viewer sees at given moments of real runs."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPointF, QRectF
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QToolTip

from engine.assets import resolve_scenario
from engine.run import ScenarioRun
from engine.scenario import load_scenario, scenario_from_dict
from engine.timeline import Ev, KState, UState
from kitchen.items import ChefItem, StoveItem, TicketItem, is_shown
from kitchen.pane_layout import MAX_HEIGHT, MIN_HEIGHT, compute_layout
from kitchen.pane_text import countdown
from kitchen.pane_view import PRESENTER_SCALE, KitchenView
from kitchen.tween import MAX_LEAVING, Pool

MODELS = [{"model": "one-to-one"}, {"model": "many-to-one"}, {"model": "many-to-many", "kernel_threads": 4}]


def _scenario(tasks: list[dict], panes: list[dict] | None = None, neighbors: list[dict] | None = None, **machine):
    return scenario_from_dict({"title": "test", "seed": 1, "duration_ms": 20_000, "machine": machine,
                               "panes": panes or MODELS, "tasks": tasks, "neighbors": neighbors or []})


def _lesson(name: str) -> ScenarioRun:
    return ScenarioRun(load_scenario(resolve_scenario(name))).run_to_end()


def _view(qtbot, timeline, t: float | None = None) -> KitchenView:
    view = KitchenView(timeline, "")
    qtbot.addWidget(view)
    view.resize(540, 700)
    if t is not None:
        _settle(view, timeline, t)
    return view


def _settle(view: KitchenView, timeline, t: float) -> None:
    view.show_snapshot(timeline.state_at(t))
    view.advance_tween(5.0)


def _visible(view: KitchenView, kind: type) -> list:
    return [item for item in view.scene().items() if isinstance(item, kind) and item.isVisible()]


@pytest.fixture(scope="module")
def parallelism() -> ScenarioRun:
    return _lesson("parallelism")


@pytest.fixture(scope="module")
def blocking() -> ScenarioRun:
    return _lesson("blocking")


def test_parallelism_at_500_ms_glows_8_1_4_stoves(qtbot, parallelism):
    """Parallelism lesson at 500 ms: 8 stoves glow in one-to-one, 1 in many-to-one, 4 in many-to-many."""
    glowing = []
    for pane in parallelism.panes:
        view = _view(qtbot, pane.timeline, 500)
        glowing.append(sum(is_shown(stove.glow) for stove in view.stoves))
        assert view.glowing_stoves() == glowing[-1]
    assert glowing == [8, 1, 4]


def test_parallelism_at_0_ms_every_stove_cold(qtbot, parallelism):
    """Before anything is dispatched (t = 0 ms, events at 0 included, but before cooking) counts match the engine."""
    pane = parallelism.panes[0]
    view = _view(qtbot, pane.timeline, 0)
    assert view.glowing_stoves() == pane.timeline.state_at(0).busy_stoves


def test_one_to_one_ready_tickets_sit_with_their_chefs_on_the_bench(qtbot, parallelism):
    """One-to-one at 500 ms: 24 chefs on the bench (32 tickets, 8 stoves), the rail is empty."""
    view = _view(qtbot, parallelism.panes[0].timeline, 500)
    assert view.bench.heading.text() == "Bench · kernel run queue: 24 chefs"
    assert view.rail.heading.text() == "Ticket rail · user-level run queue: 0 tickets"
    assert "every ticket gets its own chef" in view.rail.note.text()


def test_many_to_one_waiting_tickets_hang_on_the_rail(qtbot, parallelism):
    """Many-to-one at 500 ms: one ticket is cooking, the other 31 wait on the rail (drawn or counted)."""
    view = _view(qtbot, parallelism.panes[1].timeline, 500)
    assert view.rail.heading.text() == "Ticket rail · user-level run queue: 31 tickets"
    stack = view.stacks["rail"]
    drawn_on_rail = len(_visible(view, TicketItem)) - 1
    assert drawn_on_rail + (stack.hidden if stack.isVisible() else 0) == 31


def test_frost_shows_while_many_to_one_waits_at_the_oven(qtbot, blocking):
    """Blocking lesson mid-I/O (1 000 ms): many-to-one is frozen; one-to-one and many-to-many are not."""
    frozen = [_view(qtbot, pane.timeline, 1000).frozen_shown() for pane in blocking.panes]
    assert frozen == [False, True, False]


def test_frost_caption_states_the_catastrophe(qtbot, blocking):
    """The frozen caption says the whole process is frozen because its only chef waits at the oven."""
    view = _view(qtbot, blocking.panes[1].timeline, 1000)
    headline, body = view.frost.caption
    assert headline == "Whole process frozen"
    assert body.startswith("Its only chef waits at the oven")
    assert "3 ready tickets" in body


def test_frost_hidden_before_and_after_the_io(qtbot, blocking):
    """Many-to-one is not frozen before the bake ticket blocks (100 ms) nor after the read returns (3 000 ms)."""
    timeline = blocking.panes[1].timeline
    view = _view(qtbot, timeline, 1000)
    for t in (100, 3000):
        _settle(view, timeline, t)
        assert not view.frozen_shown()


def test_frozen_chef_stays_visible_above_the_frost(qtbot, blocking):
    """The chef stuck at the oven is drawn above the frost so the audience sees the culprit."""
    view = _view(qtbot, blocking.panes[1].timeline, 1000)
    chefs = _visible(view, ChefItem)
    assert len(chefs) == 1
    assert chefs[0].zValue() > view.frost.zValue()


def test_huge_kitchen_shows_counted_stacks_and_bounded_items(qtbot):
    """100 000 tickets: the rail shows a counted stack, and a frame touches a bounded number of items."""
    run = ScenarioRun(_scenario([{"name": "serve", "count": 100_000, "steps": ["cpu 5", "io 20", "cpu 5"]}],
                                panes=[MODELS[2]]))
    run.advance(100)
    timeline = run.panes[0].timeline
    view = _view(qtbot, timeline, 50)
    items_before = len(view.scene().items())
    snapshot = timeline.state_at(100)
    view.show_snapshot(snapshot)
    view.advance_tween(1 / 60)
    on_rail = set(np.flatnonzero((snapshot.u_kthread < 0) & (snapshot.u_state == UState.READY)).tolist())
    drawn = len(on_rail & set(view.tickets.slot_of))
    assert view.stacks["rail"].count.text() == "+ " + f"{len(on_rail) - drawn:,}".replace(",", "\u202f")
    assert len(on_rail) - drawn > 99_000
    assert "on the ticket rail (user-level run queue" in view.describe_item(view.stacks["rail"].icon)
    assert len(view.scene().items()) == items_before
    assert view.last_frame["chefs"] + view.last_frame["tickets"] <= 150
    assert view.last_frame["moved"] <= len(view.chefs.items) + len(view.tickets.items)


def test_pantry_full_moment(qtbot):
    """2 000 one-to-one tickets with an 80 MiB budget: 1 280 chefs fit, 720 orders are refused, the banner says so."""
    run = ScenarioRun(_scenario([{"name": "conn", "count": 2000, "steps": ["cpu 2", "io 500", "cpu 2"]}],
                                panes=[MODELS[0]])).run_to_end()
    view = _view(qtbot, run.panes[0].timeline, 300)
    assert view.pantry.banner.isVisible()
    assert view.pantry.banner_text.text() == "Pantry full — no more chefs can be hired (720 orders refused)"
    assert view.pantry.heading.text() == "Pantry shelf · kernel memory: 1\u202f280 lockers, 80 MiB of 80 MiB budget"


def test_pantry_banner_quietens_once_lockers_are_free(qtbot):
    """After chefs leave and free lockers, the banner no longer claims that no chef can be hired."""
    run = ScenarioRun(_scenario([{"name": "conn", "count": 2000, "steps": ["cpu 2", "io 500", "cpu 2"]}],
                                panes=[MODELS[0]])).run_to_end()
    timeline = run.panes[0].timeline
    later = next(t for t in np.arange(300, 2000, 10) if timeline.state_at(t).process_memory_kib[0] < 80 * 1024)
    view = _view(qtbot, timeline, later)
    assert view.pantry.banner.isVisible()
    assert view.pantry.banner_text.text() == "720 orders refused while the pantry was full; lockers are free again"


def test_no_pantry_banner_while_chefs_can_be_hired(qtbot, parallelism):
    """32 chefs use 2 MiB of 80 MiB: no 'pantry full' banner."""
    view = _view(qtbot, parallelism.panes[0].timeline, 500)
    assert not view.pantry.banner.isVisible()
    assert view.pantry.heading.text() == "Pantry shelf · kernel memory: 32 lockers, 2 MiB of 80 MiB budget"


def test_tooltips_use_os_words(qtbot, parallelism):
    """Hovering a chef, a ticket and a stove names the kernel thread, the user thread and the CPU core."""
    view = _view(qtbot, parallelism.panes[0].timeline, 500)
    chef = next(item for item in _visible(view, ChefItem) if item.pos().y() < view.layout_.stoves.bottom())
    ticket = _visible(view, TicketItem)[0]
    chef_text, ticket_text = view.describe_item(chef), view.describe_item(ticket)
    stove_text = view.describe_item(view.stoves[2])
    assert f"kernel thread {chef.kthread + 1}" in chef_text and "running on CPU core" in chef_text
    assert "user thread chop #" in ticket_text and "Work: cooked" in ticket_text
    assert stove_text.startswith("<b>Stove 3</b> — CPU core 3") and "is cooking" in stove_text


def test_items_glide_instead_of_teleporting(qtbot, parallelism):
    """After one 16 ms tween step a chef that changed place is part-way between its old and new positions."""
    timeline = parallelism.panes[0].timeline
    view = _view(qtbot, timeline, 500)
    before = {item.kthread: (item.pos().x(), item.pos().y()) for item in _visible(view, ChefItem)}
    view.show_snapshot(timeline.state_at(515))
    view.advance_tween(0.016)
    moved = 0
    for item in _visible(view, ChefItem):
        old = np.array(before.get(item.kthread, (np.nan, np.nan)))
        target = view.chefs.target[view.chefs.slot_of[item.kthread]]
        now = np.array([item.pos().x(), item.pos().y()])
        if np.all(np.isfinite(old)) and np.linalg.norm(target - old) > 1:
            moved += 1
            assert 0 < np.linalg.norm(now - old) < np.linalg.norm(target - old)
    assert moved > 0


def test_exited_chef_walks_out_of_the_door(qtbot):
    """When a chef exits it walks to the door and then disappears."""
    run = ScenarioRun(_scenario([{"name": "chop", "count": 2, "steps": ["cpu 30"]}], panes=[MODELS[0]])).run_to_end()
    timeline = run.panes[0].timeline
    exit_time = next(event.t for event in timeline.events if event.kind == Ev.EXIT)
    view = _view(qtbot, timeline, exit_time - 1)
    view.show_snapshot(timeline.state_at(exit_time))
    leaving = [slot for slot in view.chefs.leaving]
    assert leaving and np.allclose(view.chefs.target[leaving[0]], view._door_xy())
    view.advance_tween(0.05)
    assert view.chefs.items[leaving[0]].isVisible()
    view.advance_tween(2.0)
    assert not view.chefs.items[leaving[0]].isVisible()


def test_neighbour_chefs_wear_their_colour_and_name(qtbot):
    """A neighbouring process's chefs get another jacket colour and a name tag."""
    neighbour = {"name": "bakery", "threads": 2, "steps": ["cpu 500"]}
    run = ScenarioRun(_scenario([{"name": "chop", "steps": ["cpu 500"]}], panes=[MODELS[1]],
                                neighbors=[neighbour], cores=4)).run_to_end()
    view = _view(qtbot, run.panes[0].timeline, 100)
    tags = sorted(chef.tag.text() for chef in _visible(view, ChefItem))
    jackets = {chef.tag.text(): chef.jacket for chef in _visible(view, ChefItem)}
    assert tags == ["", "bakery", "bakery"]
    assert jackets[""] != jackets["bakery"]
    assert "bakery (another process)" in view.describe_item(next(
        chef for chef in _visible(view, ChefItem) if chef.tag.text() == "bakery"))


def test_knife_drawn_with_its_holder_and_waiters(qtbot):
    """A ticket holding the knife (mutex) shows it; chefs blocked in the kernel on it show a knife and say so."""
    run = ScenarioRun(_scenario([{"name": "carve", "count": 3, "steps": ["lock knife", "cpu 100", "unlock knife"]}],
                                panes=[MODELS[0]])).run_to_end()
    timeline = run.panes[0].timeline
    view = _view(qtbot, timeline, 50)
    holder = timeline.state_at(50).locks["knife"]
    holders = [ticket.uthread for ticket in _visible(view, TicketItem) if ticket.knife_mode == (True, False)]
    waiters = [chef for chef in _visible(view, ChefItem) if chef.knife.isVisible()]
    assert holders == [holder]
    assert len(waiters) == 2
    assert "waiting for the knife 'knife' (mutex) held by carve #" in view.describe_item(waiters[0])


def test_stove_row_never_overlaps_for_1_to_64_stoves():
    """For 1..64 stoves and any allowed height, stove cells stay inside their band and never overlap."""
    for cores, height, ui in itertools.product(range(1, 65), (MIN_HEIGHT, 1150, MAX_HEIGHT), (1.0, PRESENTER_SCALE)):
        layout = compute_layout(cores, height, ui)
        cells = [QRectF(x, y, layout.cell_w, layout.cell_w * 1.28) for x, y in layout.stove_cells]
        band = layout.stoves.adjusted(-0.01, -0.01, 0.01, 0.01)
        assert all(band.contains(cell) for cell in cells), (cores, height, ui)
        assert not any(a.intersects(b) for a, b in itertools.combinations(cells, 2) if a.intersected(b).width() > 1e-6
                       and a.intersected(b).height() > 1e-6), (cores, height, ui)


def test_regions_do_not_overlap_and_hold_something():
    """Header, stoves, bench, oven, rail, waiting spot and pantry are disjoint; each region fits at least one item."""
    for cores, height, ui in itertools.product((1, 8, 64), (MIN_HEIGHT, MAX_HEIGHT), (1.0, PRESENTER_SCALE)):
        layout = compute_layout(cores, height, ui)
        regions = [layout.header, layout.stoves, layout.bench, layout.oven, layout.rail, layout.waiting, layout.pantry]
        assert not any(a.intersects(b) for a, b in itertools.combinations(regions, 2)), (cores, height, ui)
        for grid, region in ((layout.bench_grid, layout.bench), (layout.oven_grid, layout.oven),
                             (layout.rail_grid, layout.rail), (layout.waiting_grid, layout.waiting)):
            assert grid.capacity >= 1 and region.contains(grid.area), (cores, height, ui)
        assert layout.chef_w >= (20 if cores <= 16 else 16), (cores, height, ui)


def test_set_timeline_rebuilds_for_another_kitchen(qtbot, parallelism, blocking):
    """Switching from an 8-stove to a 4-stove run redraws 4 stoves and keeps working."""
    view = _view(qtbot, parallelism.panes[0].timeline, 500)
    view.set_timeline(blocking.panes[0].timeline, "One-to-one")
    _settle(view, blocking.panes[0].timeline, 300)
    assert len(_visible(view, StoveItem)) == 4
    assert view.glowing_stoves() == blocking.panes[0].timeline.state_at(300).busy_stoves


def test_presenter_mode_enlarges_type_and_keeps_the_picture(qtbot, parallelism):
    """Presenter mode uses bigger type and fewer words; the stoves still show the same moment."""
    view = _view(qtbot, parallelism.panes[0].timeline, 500)
    size = view.bench.heading.font().pixelSize()
    view.set_presenter(True)
    assert view.bench.heading.font().pixelSize() > size
    assert view.glowing_stoves() == 8
    assert view.bench.heading.text() == "Bench · 24 chefs"
    assert view.subtitle.text() == ""
    view.set_presenter(False)
    assert view.bench.heading.text() == "Bench · kernel run queue: 24 chefs"
    assert view.subtitle.text() == "8 of 8 stoves cooking · 0 orders done"


def test_legend_maps_kitchen_words_to_os_words(qtbot, parallelism):
    """The legend pairs each kitchen word with its OS term."""
    html = _view(qtbot, parallelism.panes[0].timeline).legend_html()
    for kitchen, os_word in (("stove", "CPU core"), ("chef", "kernel thread"), ("bench", "kernel run queue"),
                             ("ticket rail", "user-level run queue"), ("pantry shelf", "kernel memory budget"),
                             ("the knife", "a mutex")):
        assert f"<b>{kitchen}</b>" in html and os_word in html


def test_chef_states_sort_into_places(qtbot, blocking):
    """Mid-I/O in many-to-many: one chef at the oven, one at a stove, as the engine says."""
    timeline = blocking.panes[2].timeline
    snapshot = timeline.state_at(1000)
    view = _view(qtbot, timeline, 1000)
    assert view.oven.heading.text() == "Oven · 1 chef blocked"
    assert int(np.count_nonzero(snapshot.k_state == KState.BLOCKED)) == 1
    assert view.glowing_stoves() == 1


def _signal_scenario(**extra):
    tasks = [{"name": "chop", "count": 3, "steps": ["cpu 100", "fault SIGSEGV", "cpu 100"]},
             {"name": "shell", "steps": ["cpu 50", "fork", "cpu 100"], "child_steps": ["cpu 300"]}]
    return scenario_from_dict({"title": "test", "seed": 1, "duration_ms": 5000, "machine": {"cores": 4},
                               "panes": [MODELS[0]], "tasks": tasks, **extra})


def test_fire_alarm_rings_at_the_chef_and_fades(qtbot):
    """A SIGSEGV fault rings the alarm at the chef cooking the ticket; the bell goes away after a while."""
    timeline = ScenarioRun(_signal_scenario(signal_handlers={"SIGSEGV": 5})).run_to_end().panes[0].timeline
    signal = timeline.events_of(Ev.SIGNAL)[0]
    view = _view(qtbot, timeline, signal.t - 1)
    view.show_snapshot(timeline.state_at(signal.t))
    view.advance_tween(0.1)
    ringing = [chef for chef in _visible(view, ChefItem) if chef.mark == "signal"]
    assert signal.kthread in [chef.kthread for chef in ringing]
    assert "Fire alarm: SIGSEGV (fault) rang at 110\u00a0ms; a handler runs on its ticket" in view.describe_item(ringing[0])
    view.advance_tween(3.0)
    assert not any(chef.marks["signal"].isVisible() for chef in _visible(view, ChefItem))


def test_fork_shows_the_clone_sign_and_the_cloned_kitchens_chef(qtbot):
    """fork(): the calling chef shows the cloned-kitchen sign and the child's chef wears a 'clone' tag."""
    timeline = ScenarioRun(_signal_scenario(signal_handlers={"SIGSEGV": 5})).run_to_end().panes[0].timeline
    fork = timeline.events_of(Ev.FORK)[0]
    view = _view(qtbot, timeline, fork.t - 1)
    view.show_snapshot(timeline.state_at(fork.t + 1))
    view.advance_tween(0.5)
    chefs = {chef.kthread: chef for chef in _visible(view, ChefItem)}
    assert chefs[fork.kthread].mark == "fork"
    clones = [chef for chef in chefs.values() if chef.tag.text() == "clone"]
    assert len(clones) == 1 and clones[0].jacket != chefs[fork.kthread].jacket
    assert "a cloned kitchen (fork() child process)" in view.describe_item(clones[0])


def test_unhandled_signal_closes_the_kitchen(qtbot):
    """A fault with no handler terminates the process: the 'Process terminated' overlay names the signal."""
    timeline = ScenarioRun(_signal_scenario()).run_to_end().panes[0].timeline
    view = _view(qtbot, timeline, 50)
    assert not view.closed.shown
    _settle(view, timeline, 150)
    assert view.closed.shown and view.closed.caption[0] == "Process terminated"
    assert "fire alarm SIGSEGV" in view.closed.caption[1]


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # offscreen platform, showing the tooltip
def test_hovering_a_stove_shows_its_tooltip(qtbot, parallelism):
    """A tooltip event over a stove pops up its description (the path a real mouse hover takes)."""
    view = _view(qtbot, parallelism.panes[1].timeline, 500)
    view.show()
    qtbot.waitExposed(view)
    stove = view.stoves[0]
    body = stove.boundingRect()  # the stove's front panel, below where its chef stands
    where = view.mapFromScene(stove.mapToScene(QPointF(body.center().x(), body.bottom() - body.height() * 0.1)))
    event = QHelpEvent(QEvent.Type.ToolTip, where, view.viewport().mapToGlobal(where))
    assert view.viewportEvent(event)
    assert QToolTip.text().startswith("<b>Stove 1</b> — CPU core 1")
    QToolTip.hideText()


def test_only_a_few_leave_by_the_door_at_once(qtbot):
    """When many tickets finish in one frame only MAX_LEAVING walk to the door; the rest vanish at once."""
    pool = Pool([ChefItem(slot, 40, 1.0) for slot in range(20)])
    pool.place(np.arange(20), np.zeros((20, 2)), lambda key: (0.0, 0.0))
    pool.release_except(set(), lambda key: (500.0, 500.0))
    pool.place(np.arange(0), np.zeros((0, 2)), lambda key: (0.0, 0.0))
    assert len(pool.leaving) == MAX_LEAVING
    assert sum(item.isVisible() for item in pool.items) == MAX_LEAVING


@pytest.fixture(scope="module")
def fork() -> ScenarioRun:
    return _lesson("fork")


def test_deadlock_overlay_says_who_waits_for_what(qtbot, fork):
    """fork lesson at 50 ms: both plain-fork panes show the deadlock overlay naming waiter, knife and absent holder."""
    shown = [_view(qtbot, pane.timeline, 50).deadlock_shown() for pane in fork.panes]
    assert shown == [True, True, False]
    view = _view(qtbot, fork.panes[1].timeline, 50)
    headline, body = view.deadlock.caption
    assert headline == "Deadlock"
    assert body == ("The clone can never continue.\n"
                    "Its ticket spawner #1 waits for the knife (mutex) held by slicer #1, who does not exist "
                    "in the clone: fork() copied only the thread that called it.")
    assert view.deadlock.body.toPlainText().startswith("The clone can never continue. Its ticket spawner #1 waits")


def test_deadlock_overlay_appears_when_the_engine_reports_it(qtbot, fork):
    """Before the deadlock is detected (10 ms) there is no overlay; from 15 ms on there is."""
    timeline = fork.panes[0].timeline
    assert timeline.events_of(Ev.DEADLOCK)[0].t == 15
    view = _view(qtbot, timeline, 10)
    assert not view.deadlock_shown()
    _settle(view, timeline, 15)
    assert view.deadlock_shown()


def test_deadlocked_clone_is_drawn_above_the_overlay_and_the_caption_clear_of_it(qtbot, fork):
    """Many-to-one fork: the clone's stuck ticket is on the rail, marked stuck, above the overlay, clear of its caption."""
    view = _view(qtbot, fork.panes[1].timeline, 50)
    stuck = [ticket for ticket in _visible(view, TicketItem) if ticket.stuck]
    assert [ticket.uthread for ticket in stuck] == [2]
    assert stuck[0].zValue() > view.deadlock.zValue()
    assert stuck[0].countdown.text() == "stuck"
    assert not view.deadlock.box.sceneBoundingRect().intersects(stuck[0].sceneBoundingRect())
    assert view.rail.heading.text() == "Ticket rail · user-level run queue: 1 ticket · 1 stuck"


def test_tickets_waiting_for_the_knife_at_user_level_wait_on_the_rail(qtbot):
    """Many-to-one, 3 tickets share the knife: at 50 ms the two waiters hang on the rail with a faded knife."""
    run = ScenarioRun(_scenario([{"name": "carve", "count": 3, "steps": ["lock knife", "cpu 100", "unlock knife"]}],
                                panes=[MODELS[1]])).run_to_end()
    view = _view(qtbot, run.panes[0].timeline, 50)
    waiters = sorted(ticket.uthread for ticket in _visible(view, TicketItem) if ticket.knife_mode == (False, True))
    assert waiters == [1, 2]
    assert all(ticket.countdown.text() == "waits" for ticket in _visible(view, TicketItem) if ticket.uthread in waiters)
    assert view.rail.heading.text() == "Ticket rail · user-level run queue: 2 tickets · 2 wait for the knife"


def test_system_scope_many_to_many_binds_each_ticket_to_its_own_chef(qtbot):
    """M:N with scope scs behaves like one-to-one in the pane: no rail lines, the rail note, SCS in the title."""
    run = ScenarioRun(_scenario([{"name": "chop", "count": 6, "steps": ["cpu 100"]}],
                                panes=[{"model": "many-to-many", "scope": "scs"}], cores=2)).run_to_end()
    view = _view(qtbot, run.panes[0].timeline, 50)
    assert view.bound
    assert view.title == "Many-to-many · system scope (each ticket bound to its own chef)"
    assert view.rail.note.text() == "Not used with system scope (scs): every ticket is bound to its own chef"
    assert view.bench.heading.text() == "Bench · kernel run queue: 4 chefs"
    view.set_timeline(run.panes[0].timeline, "M:N, 6 orders")
    assert view.title == "M:N, 6 orders · SCS"


def test_process_scope_many_to_many_keeps_its_rail(qtbot, parallelism):
    """M:N with process scope (the default) is not bound: its waiting tickets hang on the rail."""
    view = _view(qtbot, parallelism.panes[2].timeline, 500)
    assert not view.bound
    assert view.rail.heading.text() == "Ticket rail · user-level run queue: 28 tickets"


def test_tickets_of_several_tasks_show_their_task(qtbot, blocking):
    """Blocking lesson (bake and chop): tickets say "bake"/"chop" above their number and wear their task's colour."""
    view = _view(qtbot, blocking.panes[0].timeline, 1000)
    faces = {ticket.uthread: ticket.face.key for ticket in _visible(view, TicketItem)}
    names = {uthread: blocking.panes[0].timeline.uthread_name(uthread) for uthread in faces}
    assert {key.lines[0] for key in faces.values()} == {"bake", "chop"}
    for uthread, key in faces.items():
        task, number = names[uthread].split(" #")
        assert key.lines == (task, f"#{number}")
    assert len({key.colour for key in faces.values()}) == 2


def test_tickets_of_a_single_task_show_just_their_number(qtbot, parallelism):
    """Parallelism lesson (one task): tickets say "#12" and keep the yellow band."""
    view = _view(qtbot, parallelism.panes[1].timeline, 500)
    keys = [ticket.face.key for ticket in _visible(view, TicketItem)]
    assert {key.lines for key in keys} >= {("#1",), ("#2",)}
    assert {key.colour for key in keys} == {"#F0E442"}


def test_deadlock_in_our_kitchen_names_the_circle(qtbot):
    """Two tickets each hold one knife and want the other's: 'nobody can ever continue', one line per wait."""
    steps = [["lock board", "cpu 10", "lock knife", "unlock knife", "unlock board"],
             ["lock knife", "cpu 10", "lock board", "unlock board", "unlock knife"]]
    run = ScenarioRun(_scenario([{"name": name, "steps": s} for name, s in zip(("left", "right"), steps)],
                                panes=[MODELS[0]], cores=2)).run_to_end()
    view = _view(qtbot, run.panes[0].timeline, 20)
    assert view.deadlock_shown()
    assert view.deadlock.caption == ("Deadlock",
                                     ("Nobody can ever continue.\n"
                                      "Our ticket right #1 waits for the knife 'board' (mutex) held by left #1.\n"
                                      "Our ticket left #1 waits for the knife (mutex) held by right #1."))
    assert all(chef.zValue() > view.deadlock.zValue() for chef in _visible(view, ChefItem))


def test_countdowns_stay_close_to_the_truth():
    """Countdowns under tickets: exact ms below a second, nearest 10 ms above; seconds in presenter mode."""
    assert [countdown(t) for t in (0.2, 7.4, 999.4, 1001, 1006, 2345)] == [
        "<1\u00a0ms", "7\u00a0ms", "999\u00a0ms", "1\u202f000\u00a0ms", "1\u202f010\u00a0ms", "2\u202f340\u00a0ms"]
    assert countdown(2345, short=True) == "2.3\u00a0s" and countdown(770, short=True) == "770\u00a0ms"


@pytest.mark.parametrize("presenter", [False, True])
def test_frost_caption_leaves_the_cold_stoves_and_the_chef_at_the_oven_in_view(qtbot, blocking, presenter):
    """The frozen caption covers neither a stove nor the chef waiting at the oven (normal and presenter mode)."""
    view = _view(qtbot, blocking.panes[1].timeline)
    view.set_presenter(presenter)
    _settle(view, blocking.panes[1].timeline, 1000)
    box = view.frost.box.sceneBoundingRect()
    assert view.frozen_shown()
    assert not any(box.intersects(stove.sceneBoundingRect()) for stove in view.stoves)
    assert not any(box.intersects(chef.sceneBoundingRect()) for chef in _visible(view, ChefItem))


def test_between_events_only_clocks_and_bars_move(qtbot, blocking):
    """Mid-I/O with no event between 1 000 and 1 200 ms: the countdown and the frost's 'back in' count down."""
    timeline = blocking.panes[1].timeline
    assert timeline.next_event_time(1000) > 1200
    view = _view(qtbot, timeline, 1000)
    in_oven = next(ticket for ticket in _visible(view, TicketItem) if ticket.countdown.text())
    before = (in_oven.countdown.text(), view.frost.caption[1])
    _settle(view, timeline, 1200)
    after = (in_oven.countdown.text(), view.frost.caption[1])
    assert before[1].endswith("Back in 1\u202f770\u00a0ms.") and after[1].endswith("Back in 1\u202f570\u00a0ms.")
    assert (before[0], after[0]) == ("1\u202f770\u00a0ms", "1\u202f570\u00a0ms")


def test_subtitle_separates_our_stoves_from_the_neighbours(qtbot):
    """With the bakery's chef at the only stove, the subtitle says none of it cooks for our process."""
    fairness = _lesson("fairness")
    view = _view(qtbot, fairness.panes[0].timeline, 3000.0)
    snapshot = fairness.panes[0].timeline.state_at(3000.0)
    assert snapshot.k_process[snapshot.stove_kthread[0]] != 0
    assert "1 of 1 stove cooking (0 for our process)" in view.subtitle.text()
