"""The player: the playhead, speed, stepping, reset, the end of a run and the engine budget."""

import pytest

from engine.assets import resolve_scenario
from engine.run import ScenarioRun
from engine.scenario import load_scenario
from kitchen.player import MAX_SPEED, MIN_EVENTS, MIN_SPEED, Player


@pytest.fixture
def player(qtbot):
    run = ScenarioRun(load_scenario(resolve_scenario("parallelism")))
    return Player(run)


def test_playing_moves_the_playhead_by_dt_times_speed(player):
    """At 200 ms/s, 0.05 s of frames move the playhead 10 simulated ms."""
    player.set_speed(200)
    player.play()
    player.tick(0.05)
    assert player.playhead_ms == pytest.approx(10.0)


def test_paused_player_does_not_move(player):
    """A tick while paused leaves the playhead where it is."""
    player.tick(0.5)
    assert player.playhead_ms == 0.0


def test_speed_is_clamped_to_the_slider_range(player):
    """Speeds outside 1 .. 100 000 ms/s are clamped."""
    player.set_speed(1e9)
    assert player.speed == MAX_SPEED
    player.set_speed(0)
    assert player.speed == MIN_SPEED


def test_step_jumps_to_the_next_event_in_any_pane(player):
    """From 0 ms the next event is the first time-slice end, 10 ms (parallelism's time slice)."""
    assert player.step_event()
    assert player.playhead_ms == 10.0
    assert not player.playing


def test_reset_pauses_and_returns_to_zero(player):
    """Reset goes back to 0 ms, paused."""
    player.play()
    player.tick(0.1)
    player.reset()
    assert (player.playhead_ms, player.playing) == (0.0, False)


def test_the_run_ends_paused_at_its_end(player, qtbot):
    """Playing fast to the end pauses at 5000 ms (many-to-one runs to the scenario's duration)."""
    player.set_speed(MAX_SPEED)
    player.play()
    with qtbot.waitSignal(player.ended) as ended:
        for _ in range(400):
            player.tick(0.1)
            if not player.playing:
                break
    assert ended.args == [5000.0]
    assert player.playhead_ms == 5000.0 and not player.playing


def test_a_slow_engine_holds_the_playhead_back_not_the_frame(player):
    """With a tiny event budget the playhead stays within what every pane has computed."""
    player.set_speed(MAX_SPEED)
    player.event_budget = MIN_EVENTS
    player.play()
    player.tick(0.1)
    assert player.playhead_ms <= player.computed_until() < 10_000
    assert player.waiting_for_engine


def test_the_event_budget_shrinks_after_a_slow_frame_and_grows_after_a_quick_one(player):
    """Engine work above 4 ms in a frame shrinks the budget; a quick frame that ran out of events grows it."""
    player.event_budget = 10_000
    player.engine_s = 0.008
    player._adapt_budget(limited=True)
    assert player.event_budget < 10_000
    shrunk = player.event_budget
    player.engine_s = 0.0005
    player._adapt_budget(limited=True)
    assert player.event_budget > shrunk
