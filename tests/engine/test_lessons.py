"""The lesson library: every lesson runs headless, matches its golden summary, and says true things.

When an engine change alters a lesson on purpose, regenerate the golden files with one command and
read the diff before committing:

    python -m tests.engine.regen_golden            # every lesson (or name some: ... blocking memory)
"""

from __future__ import annotations

import json
from functools import cache

import numpy as np
import pytest

from engine.assets import lesson_names, resolve_scenario
from engine.lesson import finders_for, moment_time
from engine.run import ScenarioRun
from engine.scenario import Scenario, load_scenario
from engine.summary import scenario_summary
from engine.timeline import Ev, KState, UState
from tests.engine.regen_golden import golden_of, golden_path

LIBRARY = ["parallelism", "memory", "blocking", "nonblocking-io", "activations", "many-to-many", "event-loop",
           "web-server", "ui-responsiveness"]
DEFAULT_SPEED = 1000.0  # simulated ms per real second, for lessons that do not name their own speed


@cache
def _run(lesson: str) -> ScenarioRun:
    return ScenarioRun(load_scenario(resolve_scenario(lesson))).run_to_end()


def _scenario(lesson: str) -> Scenario:
    return _run(lesson).scenario


def _panes(lesson: str) -> list[dict]:
    return scenario_summary(_run(lesson))["panes"]


def _moments(lesson: str) -> list[float | None]:
    finders = finders_for(_run(lesson))
    return [moment_time(step, finders) for step in _scenario(lesson).lesson.steps]


def test_the_library_has_every_lesson_of_this_issue():
    """All nine lessons of the lessons issue ship in assets/lessons."""
    assert set(LIBRARY) <= set(lesson_names())


@pytest.mark.parametrize("lesson", lesson_names())
def test_lesson_matches_its_golden_summary(lesson):
    """The headless summary is unchanged (regenerate with python -m tests.engine.regen_golden)."""
    expected = json.loads(golden_path(lesson).read_text(encoding="utf-8"))
    assert golden_of(_run(lesson)) == expected


@pytest.mark.parametrize("lesson", lesson_names())
def test_lesson_has_a_script_of_three_to_six_steps_with_a_prediction(lesson):
    """Each lesson has a title, an explanation, 3-6 captioned steps and at least one prediction."""
    scenario = _scenario(lesson)
    assert scenario.title and scenario.lesson is not None and scenario.lesson.explanation.strip()
    steps = scenario.lesson.steps
    assert 3 <= len(steps) <= 6
    assert any(step.predict is not None for step in steps)
    for step in steps:
        assert step.predict is None or 0 <= step.predict.answer < len(step.predict.choices)


@pytest.mark.parametrize("lesson", lesson_names())
def test_every_step_moment_happens_in_order_and_plays_in_a_few_seconds_to_a_minute(lesson):
    """Each step's moment resolves, moments never go back in time, and the lesson plays in 2-60 s of wall time."""
    moments = _moments(lesson)
    assert None not in moments
    assert moments == sorted(moments)
    speed = _scenario(lesson).lesson.speed or DEFAULT_SPEED
    assert 2.0 <= moments[-1] / speed <= 60.0


def test_parallelism_uses_8_1_and_4_stoves():
    """32 x 1 s on 8 stoves: one-to-one 100 % and done at 4 s; many-to-one 12.5 %; M = 4 50 %."""
    panes = _panes("parallelism")
    assert [p["utilization"] for p in panes] == [1.0, 0.125, 0.5]
    assert panes[0]["makespan_ms"] == 4000.0
    assert [p["cpu_busy_ms"] for p in panes[1:]] == [5000.0, 20000.0]


def test_memory_fits_1280_chefs_then_refuses_720():
    """64 KiB lockers on an 80 MiB shelf: 1280 created, 720 refused; the first refusal at 2560 ms."""
    one, many, m_to_n = _panes("memory")
    assert (one["threads_created"], one["threads_refused"], one["kernel_memory_peak_kib"]) == (1280, 720, 81920)
    assert (many["tasks_completed"], many["kernel_memory_peak_kib"]) == (2000, 64)
    assert (m_to_n["tasks_completed"], m_to_n["kernel_memory_peak_kib"]) == (2000, 512)
    assert _moments("memory")[:2] == [1998.0, 2560.0]
    at_two_seconds = _run("memory").panes[0].timeline.state_at(1998.0)
    assert (len(at_two_seconds.kthreads_of(0)), at_two_seconds.process_memory_kib[0]) == (1000, 64_000)


def test_blocking_freezes_many_to_one_for_the_whole_oven_trip():
    """Many-to-one is frozen 770-2770 ms and ends at 6.0 s; one-to-one 2.4 s; M:N with 2 chefs 3.0 s."""
    panes = _panes("blocking")
    assert [p["makespan_ms"] for p in panes] == [2400.0, 6000.0, 3000.0]
    finders = finders_for(_run("blocking"))
    assert (finders[1].time_of("frozen"), finders[1].time_of("unfrozen")) == (770.0, 2770.0)
    assert finders[0].time_of("frozen") is None and finders[2].time_of("frozen") is None


def test_nonblocking_io_chef_never_waits_at_the_oven():
    """The event loop's single chef never blocks; blocking many-to-one takes 10.8 s, the loop 3.25 s."""
    blocking, loop, one = _run("nonblocking-io").panes
    assert not any(event.kind == Ev.BLOCK for event in loop.timeline.events)
    assert sum(event.kind == Ev.PARK for event in loop.timeline.events) == 6
    assert [p["makespan_ms"] for p in _panes("nonblocking-io")] == [10800.0, 3250.0, 1950.0]
    assert finders_for(_run("nonblocking-io"))[1].time_of("frozen") is None


def test_activations_add_a_chef_only_while_the_first_waits():
    """The upcall's fresh chef lives 770-2770 ms (128 KiB); activations end at 4.0 s, blocking at 6.0 s."""
    panes = _panes("activations")
    assert [p["makespan_ms"] for p in panes] == [6000.0, 4000.0, 4000.0]
    assert (panes[1]["threads_created"], panes[1]["kernel_memory_peak_kib"]) == (2, 128)
    memory = _run("activations").panes[1].timeline.kernel_memory_kib
    assert [memory.value_at(t) for t in (500.0, 1500.0, 2800.0)] == [64.0, 128.0, 64.0]


def test_many_to_many_gets_faster_with_m_and_pays_in_memory():
    """M = 1, 2, 4, 8 on 4 stoves: 9.6, 4.8, 2.4, 1.61 s; 1, 2, 4, 4 stoves busy at first; M x 64 KiB."""
    panes = _panes("many-to-many")
    assert [p["makespan_ms"] for p in panes] == [9600.0, 4800.0, 2400.0, 1610.0]
    assert [p["kernel_memory_peak_kib"] for p in panes] == [64, 128, 256, 512]
    assert [pane.timeline.state_at(100.0).busy_stoves for pane in _run("many-to-many").panes] == [1, 2, 4, 4]


def test_event_loop_serves_thousands_on_one_chef():
    """4000 connections: one chef (64 KiB) for the loop, 460 chefs at the peak for thread-per-connection."""
    loop, tokio, threads = _panes("event-loop")
    assert [p["tasks_completed"] for p in (loop, tokio, threads)] == [4000] * 3
    assert [p["kernel_memory_peak_kib"] for p in (loop, tokio, threads)] == [64, 256, 460 * 64]
    at_two_seconds = [pane.timeline.state_at(2000.0) for pane in _run("event-loop").panes]
    assert int(np.count_nonzero(at_two_seconds[0].u_state == UState.PARKED)) == 409
    assert at_two_seconds[0].completed == 1607
    assert at_two_seconds[2].process_memory_kib[0] == 412 * 64


def test_web_server_thread_per_connection_hits_the_memory_wall():
    """2000 connections/s open 1 s: thread-per-connection serves 3840 and refuses 2160; the loop serves 6000."""
    threads, loop, loop4 = _panes("web-server")
    assert (threads["tasks_completed"], threads["threads_refused"]) == (3840, 2160)
    assert (loop["tasks_completed"], loop4["tasks_completed"]) == (6000, 6000)
    one_second = [pane.timeline.state_at(1000.0) for pane in _run("web-server").panes]
    assert int(np.count_nonzero(one_second[1].u_state == UState.PARKED)) == 2022
    assert one_second[0].refused == 742


def _click_response_ms(pane: dict) -> list[float]:
    return [t["finish_ms"] - t["start_ms"] for t in pane["tasks"] if t["name"].startswith("click")]


def test_ui_clicks_wait_for_the_blocking_write_only_in_many_to_one():
    """Worst click response: 5 ms one-to-one, 1940 ms blocking many-to-one, 15 ms with the event loop."""
    panes = _panes("ui-responsiveness")
    assert [max(_click_response_ms(p)) for p in panes] == [5.0, 1940.0, 15.0]
    finders = finders_for(_run("ui-responsiveness"))
    assert (finders[1].time_of("frozen"), finders[1].time_of("unfrozen")) == (1100.0, 3025.0)
    thawed = _run("ui-responsiveness").panes[1].timeline.state_at(3025.0)
    assert int(np.count_nonzero(thawed.u_state == UState.READY)) == 20
    assert not np.any(thawed.k_state == KState.BLOCKED)
