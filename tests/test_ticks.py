"""Axis ticks (planner/presentation/ticks.py), one module for the screen's charts and the PDF's, checked against
ticks worked out by hand."""

from __future__ import annotations

import numpy as np
from pytest import approx

from planner.presentation import ticks


def test_nice_numbers_round_to_1_2_5():
    # 740 lies between 500 and 1,000; 0.031 between 0.02 and 0.05
    assert ticks.nice_down(740) == 500 and ticks.nice_up(740) == 1000
    assert ticks.nice_down(0.031) == approx(0.02) and ticks.nice_up(0.031) == approx(0.05)
    # a nice number is its own rounding, even with float noise of a billionth
    assert ticks.nice_up(1000) == 1000 and ticks.nice_down(1000) == 1000
    assert ticks.nice_up(200.0000000001) == 200 and ticks.nice_down(199.9999999999) == 200


def test_decade_values_between_the_bounds():
    # 1-2-5 from 15.6 to 1,044: 20, 50, 100, 200, 500, 1,000 (10 is below, 2,000 above)
    assert ticks.decade_values(15.6, 1044, (1, 2, 5)) == [20, 50, 100, 200, 500, 1000]
    # the end counts when float noise puts it a billionth outside
    assert ticks.decade_values(100, 999.9999999999, (1,)) == [100, 1000]


def test_screen_log_ticks_thin_out_to_at_most_eight():
    # 100 to 10M is five decades: 1-2-5 gives 5 × 3 + 1 = 16 ticks, 1-3 gives 11, decades alone 6 ≤ 8
    assert ticks.log_ticks(100, 1e7) == [1e2, 1e3, 1e4, 1e5, 1e6, 1e7]
    # 1 to 1,000: 1-2-5 gives 10 > 8; 1-3 gives 1, 3, 10, 30, 100, 300, 1,000 (7)
    assert ticks.log_ticks(1, 1000) == [1, 3, 10, 30, 100, 300, 1000]
    # 1 to 1e12: 13 decades > 8, so every ceil(13 / 8) = 2nd: 1, 1e2, …, 1e12
    assert ticks.log_ticks(1, 1e12) == approx([10.0**e for e in range(0, 13, 2)])
    # nothing round between 3 and 4: the two ends
    assert ticks.log_ticks(3, 4) == [3, 4]


def test_pdf_log_grid_labels_1_2_5_up_to_three_decades_and_grids_the_rest():
    major, minor = ticks.log_grid(100, 1e5)  # 3 decades: 1-2-5 labeled
    assert major == [100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5]
    assert minor[:6] == [300, 400, 600, 700, 800, 900] and len(minor) == 3 * 6  # 2…9 less 2 and 5, per decade
    major, minor = ticks.log_grid(100, 1e6)  # 4 decades > 3.2: decades alone, 2…9 as grid lines
    assert major == [1e2, 1e3, 1e4, 1e5, 1e6]
    assert len(minor) == 4 * 8 and minor[:3] == [200, 300, 400]


def test_linear_steps():
    # the step is the smallest of 1, 2, 2.5, 5 × 10^k at least the raw step
    assert [ticks.nice_step(raw) for raw in (0.7, 130, 240, 251)] == [1, 200, 250, 500]
    # nearest: 230 is 30 from 200 and 270 from 500
    assert ticks.nice_step(230, nearest=True) == 200
    # 0 to 3,877 in about 5: raw 775.4 → 1,000; ticks inside the range stop at 3,000
    assert ticks.linear_ticks(0, 3877) == [0, 1000, 2000, 3000]
    # the PDF's axis ends on the tick above: 4,000
    assert ticks.linear_axis(3877) == (4000, [0, 1000, 2000, 3000, 4000])
    # nothing to draw: a 0–1 axis in steps of 1 / 5 = 0.2
    top, vals = ticks.linear_axis(0)
    assert top == approx(1.0) and vals == approx([0, 0.2, 0.4, 0.6, 0.8, 1.0])


def test_the_screen_and_the_pdf_read_the_same_ticks():
    """The volume axis of the app's charts and the PDF's x axis over the same volumes: the PDF labels decades
    (five decades is more than 3.2), the app thins 1-2-5 to decades (16 and 11 ticks are more than 8)."""
    from planner.figures.style import volume_axis

    axis = volume_axis(np.array([100.0, 1e7]))
    major, _ = ticks.log_grid(100, 1e7)
    assert axis["tickvals"] == major == [1e2, 1e3, 1e4, 1e5, 1e6, 1e7]
    assert axis["ticktext"] == ["100", "1,000", "10K", "100K", "1M", "10M"]  # counts below 10,000 in full
