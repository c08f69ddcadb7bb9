"""The caption strip: explanation, question, caption and answer in big type; narration that survives rewinds."""

from PySide6.QtGui import QTextDocumentFragment

from engine.assets import resolve_scenario
from engine.run import ScenarioRun
from engine.scenario import load_scenario
from kitchen.caption_strip import CaptionStrip, NarrationFeed, caption_html
from kitchen.lesson_player import AT, INTRO, TOWARD, LessonState


def _lesson(name: str = "blocking"):
    return load_scenario(resolve_scenario(name)).lesson


def _plain(html: str) -> str:
    return QTextDocumentFragment.fromHtml(html).toPlainText().replace("\xa0", " ")


def test_the_intro_shows_the_explanation(qapp):
    """Before the first step the strip explains the lesson and says how to begin."""
    text = _plain(caption_html(LessonState(_lesson(), -1, INTRO)))
    assert text.startswith("A bake ticket cooks for 0.2 s") and text.endswith("Press → to begin.")


def test_a_question_shows_its_choices_but_not_the_answer(qapp):
    """Heading for step 3: the question and lettered choices, no tick, no 'Why'."""
    text = _plain(caption_html(LessonState(_lesson(), 2, TOWARD)))
    assert "Predict: The many-to-one bake ticket is about to go to the oven." in text
    assert "A) They cook on the other stoves" in text and "C) They all stop until the oven is done" in text
    assert "✓" not in text and "Why:" not in text


def test_at_the_moment_the_caption_and_the_answer_are_shown(qapp):
    """At step 3's moment: its caption, only the right choice, ticked, and why."""
    text = _plain(caption_html(LessonState(_lesson(), 2, AT)))
    assert text.startswith("Many-to-one: the only chef waits at the oven (blocked in read).")
    assert "✓ C) They all stop until the oven is done. Why: The kernel put the only chef (kernel thread)" in text
    assert "A) They cook on the other stoves" not in text


def test_presenter_sizes_are_readable_from_the_back(qtbot):
    """The caption grows from 15 pt to 25 pt in presenter mode."""
    strip = CaptionStrip()
    qtbot.addWidget(strip)
    assert strip.caption.font().pointSizeF() == 15
    strip.set_presenter(True)
    assert strip.caption.font().pointSizeF() == 25


def test_narration_feed_tells_each_line_once_and_catches_up_after_a_rewind():
    """Played forward the feed tells the freeze; after a rewind it tells it again, but not what came before."""
    run = ScenarioRun(load_scenario(resolve_scenario("blocking"))).run_to_end()
    feed = NarrationFeed()
    feed.set_run(run, ["one-to-one", "many-to-one", "many-to-many"])
    told = _play(feed, 0.0, 2500.0)
    assert any("the whole many-to-one kitchen stops" in text for text in told)
    assert feed.update(100.0, 1000.0) is None  # a rewind: nothing told, memory rebuilt up to 100 ms
    again = _play(feed, 100.0, 2500.0)
    assert any("the whole many-to-one kitchen stops" in text for text in again)
    assert not any("Chef 1 hired" in text for text in again)  # already told before 100 ms


def _play(feed: NarrationFeed, start: float, end: float, frame_ms: float = 1000 / 60 * 0.5) -> list[str]:
    """Frames of 1/60 s at 500 simulated ms per second."""
    told, t = [], start
    while t < end:
        t += frame_ms
        line = feed.update(t, 500.0)
        if line is not None:
            told.append(line.text)
    return told


def test_narrating_while_playing_never_rewinds_the_timeline(window, monkeypatch):
    """Playing the blocking lesson with narration: every snapshot asked for is at the playhead, never earlier."""
    from engine.timeline import Timeline
    from tests.kitchen.conftest import play_frames

    asked = []
    state_at = Timeline.state_at
    monkeypatch.setattr(Timeline, "state_at", lambda self, t: asked.append(
        (id(self), t, window.player.playhead_ms)) or state_at(self, t))
    window.choose_lesson("blocking")
    window.player.set_speed(1000.0)
    play_frames(window, 120)
    feed = window.lesson_mode.feed
    assert min(feed.told_until) > 1500.0  # the narrator told the first 1.5 s of every pane
    assert all(t == playhead for _, t, playhead in asked)
    for timeline in {key for key, _, _ in asked}:
        times = [t for key, t, _ in asked if key == timeline]
        assert times == sorted(times)


def test_after_a_rewind_the_feed_remembers_what_a_narrator_from_the_start_would():
    """Rewinding to 2 s picks up from a checkpoint; the memory equals narrating 0-2 s in one go."""
    from dataclasses import replace

    from engine.narration import PaneMemory, narrate

    run = ScenarioRun(load_scenario(resolve_scenario("blocking"))).run_to_end()
    feed = NarrationFeed()
    feed.set_run(run, ["one-to-one", "many-to-one", "many-to-many"])
    _play(feed, 0.0, 4000.0)
    assert max(t for t, _ in feed.checkpoints[1]) >= 3500.0
    feed.update(2000.0, 1000.0)
    assert max(t for t, _ in feed.checkpoints[1]) <= 2000.0
    for pane, timeline in enumerate(feed.timelines):
        expected = narrate(timeline, -1.0, 2000.0, PaneMemory(), pane, feed.names[pane])[1]
        assert replace(feed.memories[pane], counts_told=()) == replace(expected, counts_told=())


def test_without_a_guided_lesson_the_strip_is_one_line_until_narration_comes(window, qtbot):
    """Not guided: title and hint share one line, the caption and narration lines are hidden; narration adds one."""
    from engine.narration import Line

    strip = window.lesson_mode.strip
    one_line = strip.heading.fontMetrics().lineSpacing()
    qtbot.waitUntil(lambda: strip.height() < 2.5 * one_line)
    assert strip.caption.isHidden() and strip.narration.isHidden()
    strip.show_narration(Line(0.0, 0, "Chef 1 hired", 60), "one-to-one")
    assert not strip.narration.isHidden()
    strip.clear_narration()
    assert strip.narration.isHidden()
