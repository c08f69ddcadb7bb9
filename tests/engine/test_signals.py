"""Fire alarms (signals): which chef the kernel rings at, which ticket answers, and what the default action does."""

import numpy as np
import pytest

from engine.assets import resolve_scenario
from engine.run import ScenarioRun
from engine.scenario import ScenarioError, load_scenario, scenario_from_dict
from engine.signals import SignalInfo
from engine.summary import scenario_summary
from engine.timeline import Ev, UState
from tests.engine.helpers import finish_times

PANES = [{"model": "one-to-one"}, {"model": "many-to-one"}, {"model": "many-to-many", "kernel_threads": 2}]
CRASH = [{"name": "cook", "count": 2, "steps": ["cpu 20"]},
         {"name": "parser", "steps": ["cpu 5", "fault SIGSEGV", "cpu 5"]}]


def _run(tasks, panes=PANES, cores=2, **extra) -> ScenarioRun:
    return ScenarioRun(scenario_from_dict({"title": "signals", "machine": {"cores": cores, "time_slice_ms": 10},
                                           "panes": panes, "tasks": tasks, **extra})).run_to_end()


def _panes(tasks, panes=PANES, cores=2, **extra) -> list[dict]:
    return scenario_summary(_run(tasks, panes, cores, **extra))["panes"]


def test_a_fault_without_handler_terminates_the_whole_process():
    """SIGSEGV in the parser (one-to-one, 3 stoves, at 5 ms): every ticket is killed, not just the parser."""
    pane = _panes(CRASH, panes=PANES[:1], cores=3)[0]
    assert pane["terminated"] == {"signal": "SIGSEGV", "at_ms": 5.0}
    assert [(t["name"], t["state"], t["finish_ms"]) for t in pane["tasks"]] == [
        ("cook #1", "killed", 5.0), ("cook #2", "killed", 5.0), ("parser #1", "killed", 5.0)]
    assert (pane["makespan_ms"], pane["end_ms"], pane["cpu_busy_ms"]) == (None, 5.0, 15.0)


def test_a_synchronous_fault_rings_at_the_faulting_ticket_chef_in_every_model():
    """The chef that cooked the faulting ticket gets the alarm; the library knows which ticket it was."""
    rows = [pane["signals"] for pane in _panes(CRASH, cores=3)]
    parser_chef = {"one-to-one": 2, "many-to-one": 0, "many-to-many": 0}
    for (row,), model in zip(rows, parser_chef, strict=True):
        assert row == {"signal": "SIGSEGV", "at_ms": row["at_ms"], "process": "ours", "source": "fault",
                       "action": "terminate", "kernel_thread": parser_chef[model], "user_thread": "parser #1"}
    assert [row[0]["at_ms"] for row in rows] == [5.0, 25.0, 15.0]


def test_with_a_handler_the_faulting_ticket_cooks_it_and_goes_on():
    """A 2 ms SIGSEGV handler recovers: the parser finishes at 12 ms instead of 10, nothing is killed."""
    pane = _panes(CRASH, panes=PANES[:1], cores=3, signal_handlers={"SIGSEGV": 2})[0]
    assert pane["terminated"] is None
    assert finish_times(pane) == {"cook #1": 20.0, "cook #2": 20.0, "parser #1": 12.0}
    assert pane["signals"][0]["action"] == "handler"


MASKED = [{"name": "worker", "count": 2, "masks": ["SIGINT"], "steps": ["cpu 30"]},
          {"name": "ui", "steps": ["io 20", "cpu 5"]}]
CTRL_C = {"signals": [{"at_ms": 10, "signal": "SIGINT"}], "signal_handlers": {"SIGINT": 2}}


def test_ctrl_c_goes_to_a_thread_that_does_not_block_it():
    """SIGINT at 10 ms, workers block it: 1:1 rings at ui's own chef (2, at the oven); N:1 at the one chef."""
    signals = [pane["signals"][0] for pane in _panes(MASKED, **CTRL_C)]
    assert [(s["kernel_thread"], s["user_thread"], s["action"]) for s in signals] == [
        (2, "ui #1", "handler"), (0, "ui #1", "handler"), (0, "ui #1", "handler")]


def test_the_handler_runs_when_the_ticket_next_cooks():
    """One-to-one: ui is at the oven until 20 ms, then cooks 2 ms of handler and 5 ms of work: done at 27 ms."""
    pane = _panes(MASKED, panes=PANES[:1], cores=3, **CTRL_C)[0]
    assert finish_times(pane)["ui #1"] == 27.0


def test_a_signal_every_thread_blocks_stays_pending():
    """If every ticket masks SIGINT nobody handles it and nothing dies: action 'pending', no ticket."""
    tasks = [{"name": "worker", "count": 2, "masks": ["SIGINT"], "steps": ["cpu 30"]}]
    for pane in _panes(tasks, signals=[{"at_ms": 10, "signal": "SIGINT"}]):
        assert pane["terminated"] is None and pane["tasks_completed"] == 2
        assert (pane["signals"][0]["action"], pane["signals"][0]["user_thread"]) == ("pending", None)


def test_pthread_kill_reaches_one_ticket():
    """SIGUSR1 to 'worker #2' at 5 ms: 1:1 rings at its own chef; in N:1 it waits on the rail, so no chef."""
    extra = {"signals": [{"at_ms": 5, "signal": "SIGUSR1", "to": "worker #2"}], "signal_handlers": {"SIGUSR1": 1}}
    signals = [pane["signals"][0] for pane in _panes(MASKED, **extra)]
    assert [(s["kernel_thread"], s["user_thread"], s["source"]) for s in signals] == [
        (1, "worker #2", "pthread_kill"), (None, "worker #2", "pthread_kill"), (1, "worker #2", "pthread_kill")]


def test_a_signal_to_a_finished_ticket_is_lost():
    """pthread_kill to a ticket that already finished: 'lost', handled by nobody."""
    extra = {"signals": [{"at_ms": 40, "signal": "SIGTERM", "to": "ui"}]}
    pane = _panes([*MASKED, {"name": "late", "start_ms": 20, "steps": ["cpu 50"]}], panes=PANES[:1], cores=3,
                  **extra)[0]
    assert (pane["signals"][0]["action"], pane["terminated"]) == ("lost", None)


def test_the_timeline_shows_the_alarm_and_the_burnt_kitchen():
    """Ev.SIGNAL says where it rang and who answered; snapshots show killed tickets and the terminated process."""
    timeline = _run(CRASH, panes=PANES[:1], cores=3).panes[0].timeline
    (alarm,) = timeline.events_of(Ev.SIGNAL)
    assert (alarm.t, alarm.stove, alarm.kthread, alarm.uthread) == (5.0, 2, 2, 2)
    assert alarm.info == SignalInfo("SIGSEGV", "fault", "terminate", 0.0, 0)
    assert [e.uthread for e in timeline.events_of(Ev.KILLED)] == [0, 1, 2]
    after = timeline.state_at(5.0)
    assert after.terminated == {0: "SIGSEGV"} and after.busy_stoves == 0
    assert np.all(after.u_state == UState.KILLED) and len(after.kthreads_of(0)) == 0
    assert timeline.state_at(4.0).terminated == {}


def test_handler_time_is_added_to_the_ticket_work():
    """The progress bar's total grows by the handler's 2 ms once the alarm has rung, not before."""
    timeline = _run(CRASH, panes=PANES[:1], cores=3, signal_handlers={"SIGSEGV": 2}).panes[0].timeline
    assert (timeline.state_at(4.0).u_work[2], timeline.state_at(6.0).u_work[2]) == (10.0, 12.0)


def test_signals_lesson_rings_where_the_issue_says():
    """The lesson: Ctrl-C to ui everywhere, SIGUSR1 to worker #2, SIGSEGV ends each kitchen (67, 112, 72 ms)."""
    run = ScenarioRun(load_scenario(resolve_scenario("signals"))).run_to_end()
    panes = scenario_summary(run)["panes"]
    assert [p["terminated"]["at_ms"] for p in panes] == [67.0, 112.0, 72.0]
    assert [p["signals"][0]["user_thread"] for p in panes] == ["ui #1"] * 3
    assert [p["signals"][1]["kernel_thread"] for p in panes] == [1, None, None]


@pytest.mark.parametrize("extra, expected", [
    ({"signals": [{"at_ms": 1, "signal": "SIGINT", "to": "nobody"}]}, "signals[0].to"),
    ({"signals": [{"at_ms": 1, "signal": "SIGKILL"}]}, "signals[0].signal"),
    ({"signal_handlers": {"SIGFOO": 1}}, "signal_handlers"),
])
def test_bad_signal_entries_are_named(extra, expected):
    """An unknown target, signal or handler is a scenario error naming the field."""
    with pytest.raises(ScenarioError, match=expected.replace("[", r"\[").replace("]", r"\]")):
        scenario_from_dict({"title": "t", "panes": PANES, "tasks": MASKED, **extra})
