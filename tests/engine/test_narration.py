"""Narration: notable events become readable caption lines, throttled, in kitchen and OS words."""

from functools import cache

import pytest

from engine.assets import resolve_scenario
from engine.narration import Line, PaneMemory, Throttle, narrate, pick, play
from engine.run import ScenarioRun
from engine.scenario import load_scenario
from tests.engine.helpers import scenario

GAP_MS = 1500.0  # 1.5 s of wall time at the default 1000 simulated ms per second


@cache
def _lesson(name: str) -> ScenarioRun:
    return ScenarioRun(load_scenario(resolve_scenario(name))).run_to_end()


def _told(name: str, pane: int) -> dict[float, str]:
    run = _lesson(name)
    return {line.t: line.text for line in play(run.panes[pane].timeline, GAP_MS, pane=pane)}


def test_an_oven_trip_that_freezes_many_to_one_says_the_whole_kitchen_stops():
    """Blocking lesson: at 770 ms the only chef goes to the oven and the kitchen stops; at 2770 it cooks again."""
    told = _told("blocking", 1)
    assert told[770.0] == ("Chef 1 went to the oven with bake #1 (blocking I/O call) — the whole many-to-one "
                           "kitchen stops")
    assert told[2770.0].startswith("The many-to-one kitchen cooks again")


def test_an_oven_trip_in_one_to_one_stops_only_that_chef():
    """One-to-one: the baker's chef waits alone."""
    assert _told("blocking", 0)[200.0] == ("Chef 1 went to the oven with bake #1 (blocking I/O call) — only this "
                                           "chef waits; the others can still cook")


def test_a_full_pantry_names_the_kernel_thread_that_could_not_be_created():
    """Memory lesson: the first refusal at 2560 ms is kernel thread 1281."""
    assert _told("memory", 0)[2560.0] == (
        "No locker left in the pantry: kernel thread 1281 could not be created (pthread_create fails, EAGAIN) "
        "— ticket conn #1281 is turned away")


def test_an_upcall_is_told_with_both_chefs():
    """Activations lesson: the kernel hands the clipboard chef 2 while chef 1 waits at the oven."""
    assert _told("activations", 1)[770.0] == ("Upcall! The kernel hands the clipboard a fresh chef 2 while chef 1 "
                                              "waits at the oven (scheduler activation)")


def test_the_event_loop_parks_tickets_and_never_freezes():
    """Non-blocking I/O: the first read parks its ticket; no line ever says the kitchen stops."""
    told = _told("nonblocking-io", 1)
    assert told[850.0] == ("Ticket request #1 parks in the wait set; chef 1 keeps cooking "
                           "(non-blocking I/O, epoll)")
    assert not any("stops" in text or "nothing cooks" in text for text in told.values())


def test_repeated_events_are_folded_into_one_count():
    """32 hires at 0 ms give one first-hire line and one count line, not 32 lines."""
    timeline = _lesson("parallelism").panes[0].timeline
    lines, memory = narrate(timeline, -1.0, 0.0)
    hires = [line.text for line in lines if "hired" in line.text]
    assert hires == [("Chef 1 hired for ticket chop #1: a locker on the pantry shelf (new kernel thread, 64 KiB of "
                     "kernel memory)"), "32 chefs hired (kernel threads: 2 MiB)"]
    assert memory.chefs == 32


def test_a_count_already_told_is_not_told_again():
    """'8 chefs cooking at 8 of 8 stoves' is said once, not every window while it stays true."""
    timeline = _lesson("parallelism").panes[0].timeline
    _, memory = narrate(timeline, -1.0, 100.0)
    first, memory = narrate(timeline, 100.0, 200.0, memory)
    again, _ = narrate(timeline, 200.0, 300.0, memory)
    cooking = "8 chefs cooking at 8 of 8 stoves (8/8 cores busy)"
    assert cooking in [line.text for line in first] or cooking in dict(memory.counts_told).values()
    assert cooking not in [line.text for line in again]


def test_narrate_is_pure():
    """The same window and memory always give the same lines; the memory passed in is unchanged."""
    timeline = _lesson("blocking").panes[1].timeline
    start = PaneMemory()
    assert narrate(timeline, -1.0, 1000.0, start) == narrate(timeline, -1.0, 1000.0, start)
    assert start == PaneMemory()


def test_at_most_one_line_per_gap_most_notable_first():
    """pick shows the weightiest pending line, then waits a full gap before the next."""
    lines = [Line(0.0, 0, "minor", 20, "a"), Line(0.0, 1, "major", 70, "b"), Line(0.0, 2, "alarm", 100, "c")]
    shown, throttle = pick(Throttle(), lines, 0.0, GAP_MS)
    assert shown.text == "alarm"
    assert pick(throttle, [], 1000.0, GAP_MS)[0] is None
    assert pick(throttle, [], 1500.0, GAP_MS)[0].text == "major"


def test_old_minor_news_goes_stale_but_urgent_news_waits():
    """A minor line older than one gap is dropped; an urgent one is kept for three gaps."""
    _, throttle = pick(Throttle(), [Line(0.0, 0, "first", 50, "x")], 0.0, GAP_MS)
    waiting = [Line(10.0, 0, "minor", 20, "m"), Line(20.0, 1, "deadlock", 100, "d")]
    _, throttle = pick(throttle, waiting, 100.0, GAP_MS)
    shown, throttle = pick(throttle, [], 2000.0, GAP_MS)
    assert shown.text == "deadlock"
    assert throttle.pending == ()


def test_a_deadlock_is_told_with_who_waits_for_what():
    """Two tickets taking two knives in opposite order: the narration reports the deadlock."""
    run = ScenarioRun(scenario([
        {"name": "A", "steps": ["lock pot", "cpu 5", "lock knife", "unlock knife", "unlock pot"]},
        {"name": "B", "steps": ["lock knife", "cpu 5", "lock pot", "unlock pot", "unlock knife"]},
    ], panes=[{"model": "one-to-one"}], cores=2)).run_to_end()
    lines, _ = narrate(run.panes[0].timeline, -1.0, float("inf"))
    deadlock = [line for line in lines if line.key == "deadlock"]
    assert len(deadlock) == 1 and deadlock[0].weight == 100
    assert deadlock[0].text == ("Deadlock: nothing can ever cook again — B #1 waits for lock 'pot' held by A #1; "
                                "A #1 waits for lock 'knife' held by B #1")


def _lines(name: str, pane: int, end: float = float("inf")) -> list[str]:
    lines, _ = narrate(_lesson(name).panes[pane].timeline, -1.0, end)
    return [line.text for line in lines]


def test_a_fault_without_a_handler_shuts_the_whole_kitchen():
    """Signals lesson, one-to-one: the parser's SIGSEGV rings at its own chef and ends the process."""
    assert ("Fire alarm SIGSEGV (raised by the ticket's own fault) rings at chef 5: no handler, so the whole "
            "kitchen is shut down (default action: the process is killed)") in _lines("signals", 0)


def test_ctrl_c_is_handled_by_the_ticket_that_accepts_it():
    """Signals lesson, many-to-one: SIGINT rings at the only chef; the ui ticket runs the 2 ms handler."""
    assert any(text.startswith("Fire alarm SIGINT (sent to the process) rings at chef 1; ticket ui #1 runs the "
                               "handler for 2 ms") for text in _lines("signals", 1))


def test_fork_says_the_clone_copies_memory_not_threads():
    """Fork lesson: the spawner's fork() is told with what the clone gets."""
    assert any(text.startswith("fork(): ticket spawner #1 clones the kitchen") for text in _lines("fork", 0))


def test_waking_from_a_knife_wait_is_not_an_oven_trip():
    """Priority inversion: H's chef wakes because it got the journal, not because an oven finished."""
    told = _lines("priority-inversion", 1)
    assert "Chef 2 got the knife and is back on the bench with H #1 (mutex acquired, thread runnable)" in told
    assert not any(text.startswith("The oven is done") for text in told)


def test_shares_of_the_stove_are_told_per_kitchen():
    """Fairness: after 10.2 s many-to-one's one chef has had 1/17 of the stove."""
    told = _lines("fairness", 0, 10_200.0)
    assert ("Share of the stoves so far: ours 5.9%, bakery 94.1% (the kernel is fair to chefs, not to kitchens)"
            in told)


@pytest.mark.parametrize("name", ["blocking", "activations", "many-to-many", "nonblocking-io", "ui-responsiveness",
                                  "signals", "fork", "priority-inversion"])
def test_the_narrators_frozen_kitchen_agrees_with_the_timeline(name):
    """Counted from events alone, 'frozen' matches Snapshot.frozen at every event time of every pane."""
    for pane in _lesson(name).panes:
        timeline, memory, before = pane.timeline, PaneMemory(), -1.0
        for t in sorted({event.t for event in timeline.events}):
            _, memory = narrate(timeline, before, t, memory)
            assert memory.frozen == timeline.state_at(t).frozen(0), (pane.pane, t)
            before = t


def test_narration_never_asks_the_timeline_for_a_snapshot(monkeypatch):
    """Narrating reads events only, so the Timeline's playback cursor moves with the playhead alone."""
    from engine.timeline import Timeline

    def no_snapshots(self, t):
        raise AssertionError(f"narration asked for the state at {t} ms")

    timeline = _lesson("fairness").panes[0].timeline
    monkeypatch.setattr(Timeline, "state_at", no_snapshots)
    lines = play(timeline, GAP_MS)
    assert lines and all(line.pane == 0 for line in lines)


@pytest.mark.parametrize("name", ["parallelism", "blocking", "event-loop", "fairness", "memory"])
def test_the_narrators_counts_agree_with_the_timeline(name):
    """Counted from events alone: stoves busy, chefs' kernel memory and parked tickets match state_at."""
    from engine.timeline import UState

    for pane in _lesson(name).panes:
        timeline, memory, before = pane.timeline, PaneMemory(), -1.0
        for t in sorted({event.t for event in timeline.events})[::7]:
            _, memory = narrate(timeline, before, t, memory)
            snapshot = timeline.state_at(t)
            parked = int((snapshot.u_state == UState.PARKED).sum())
            assert (len(memory.at_stove), memory.chefs * timeline.kernel_thread_kib, memory.parked) == (
                snapshot.busy_stoves, snapshot.process_memory_kib[0], parked), (pane.pane, t)
            before = t


def test_a_many_to_many_kitchen_with_system_scope_has_a_chef_per_ticket():
    """M:N with scope = "scs": an oven trip stops only that chef, and the kitchen never 'stops'."""
    run = ScenarioRun(scenario([{"name": "read", "count": 4, "steps": ["cpu 5", "io 20", "cpu 5"]}],
                               panes=[{"model": "many-to-many", "scope": "scs"}], cores=2)).run_to_end()
    assert run.panes[0].timeline.processes[0].scope == "scs"
    told = [line.text for line in play(run.panes[0].timeline, 1.0, frame_ms=1.0)]
    assert "Chef 1 went to the oven with read #1 (blocking I/O call) — only this chef waits; the others can " \
           "still cook" in told
    assert not any("stops" in text or "nothing cooks" in text for text in told)
