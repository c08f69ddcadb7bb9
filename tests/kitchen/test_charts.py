"""Chart maths: step series cut at the playhead and their exact moving average."""

from types import SimpleNamespace

import numpy as np
import pytest

from engine.timeline import Series
from kitchen.charts import UtilizationChart, as_steps, binned_steps, moving_average, step_until


def _series(*points):
    series = Series()
    for t, v in points:
        series.append(t, v)
    return series


def test_step_until_ends_at_the_playhead_with_the_value_then():
    """Points after the playhead are hidden; the last value carries to the playhead."""
    times, values = step_until(_series((0, 1), (10, 3), (50, 2)), 20.0)
    assert times.tolist() == [0, 10, 20] and values.tolist() == [1, 3, 3]


def test_as_steps_draws_square_corners():
    """(0,1),(10,3),(20,3) becomes corners (0,1),(10,1),(10,3),(20,3),(20,3)."""
    x, y = as_steps(np.array([0.0, 10, 20]), np.array([1.0, 3, 3]))
    assert x.tolist() == [0, 10, 10, 20, 20] and y.tolist() == [1, 1, 3, 3, 3]


def test_moving_average_of_a_step_is_exact():
    """A step from 0 to 100 at 50 ms, averaged over 10 ms, is 50 at 55 ms and 100 from 60 ms."""
    x, y = moving_average(np.array([0.0, 50, 100]), np.array([0.0, 100, 100]), 10.0, samples=21)
    assert y[np.searchsorted(x, 55)] == pytest.approx(50.0)
    assert y[x >= 60].tolist() == pytest.approx([100.0] * int(np.sum(x >= 60)))
    assert y[x <= 50].max() == 0.0


def test_binned_steps_keep_short_series_and_average_long_ones():
    """Few steps are drawn as they are; 1 000 on/off steps become 240 bins whose mean is exact (50 %)."""
    x, y = binned_steps(np.array([0.0, 10, 20]), np.array([1.0, 3, 3]))
    assert y.tolist() == [1, 1, 3, 3, 3]
    times = np.arange(1001, dtype=float)
    values = (np.arange(1001) % 2) * 100.0
    x, y = binned_steps(times, values)
    assert len(x) == 2 * 241 - 1
    assert np.mean(y[1::2][:-1]) == pytest.approx(50.0, abs=0.5)


def test_peak_bins_keep_every_spike_and_the_end():
    """A 1 ms spike to 9 inside a long run of 1s shows in its bin, and the curve ends at the playhead."""
    times = np.concatenate((np.arange(0.0, 1000.0), [1000.0, 1001.0, 5000.0]))
    values = np.concatenate((np.ones(1000), [9.0, 1.0, 1.0]))
    x, y = binned_steps(times, values, bins=100, peak=True)
    assert x[-1] == 5000.0 and y[-1] == 1.0
    assert y.max() == 9.0 and np.count_nonzero(y == 9.0) == 2  # one bin (drawn as two corners)


@pytest.mark.parametrize(("width", "names_shown", "wrapped"), [(1400, True, False), (560, True, True),
                                                               (200, False, False)])
def test_the_comparison_legend_keeps_the_kitchens_names_while_it_can(qtbot, width, names_shown, wrapped):
    """Wide: one line with every name; narrower: the names on two lines; too narrow: coloured squares only."""
    from kitchen.charts import ComparisonChart

    labels = ["one-to-one, plain fork()", "many-to-one, plain fork()", "one-to-one, with atfork"]
    chart = ComparisonChart(["#0072B2", "#D55E00", "#009E73"], labels)
    qtbot.addWidget(chart)
    chart.resize(width, 200)
    chart.refresh([_timeline(), _timeline(), _timeline()], 50.0)
    text = chart.caption.text().replace("&nbsp;", " ").replace("\u2011", "-")
    assert all(label in text for label in labels) == names_shown
    assert chart.caption.wordWrap() == wrapped


def _timeline():
    """A stand-in for a pane's Timeline: 2 stoves, one busy from 0 ms."""
    return SimpleNamespace(cores=2, busy=_series((0, 1)), processes=["ours"])


def test_a_few_orders_are_counted_in_whole_numbers():
    """2 orders: ticks 0, 1, 2 (never '0.5'); 8: every other order; 32: pyqtgraph's own ticks."""
    from kitchen.charts import count_ticks

    assert count_ticks(2) == [(0, "0"), (1, "1"), (2, "2")]
    assert [value for value, _ in count_ticks(8)] == [0, 2, 4, 6, 8]
    assert count_ticks(32) is None


def test_a_narrow_chart_averages_steps_it_cannot_draw_apart(qtbot):
    """A 200-pixel utilization chart has 50 bins: 1 000 on/off steps show as 50 % bands, not a solid block."""
    from kitchen.charts import UtilizationChart

    chart = UtilizationChart("#0072B2")
    qtbot.addWidget(chart)
    chart.resize(200, 120)
    chart.show()
    qtbot.waitExposed(chart)
    assert chart.bins() == chart.plot_widget.width() // 4
    busy = _series(*[(t, t % 2) for t in range(1000)])
    chart.refresh(SimpleNamespace(cores=1, busy=busy, processes=["ours"]), 1000.0)
    _, y = chart.raw.getData()
    assert len(y) <= 2 * chart.bins() + 2 and y[:-1] == pytest.approx(50.0)


def test_with_a_neighbour_the_caption_says_it_counts_our_stoves_only(qtbot):
    """Beside the bakery next door, the utilization chart says it counts our process's stoves."""
    chart = UtilizationChart("#0072B2")
    qtbot.addWidget(chart)
    chart.resize(900, 200)
    chart.refresh(SimpleNamespace(cores=2, busy=_series((0, 1)), processes=["ours", "bakery"]), 100.0)
    assert "for our process" in chart.caption.text()
