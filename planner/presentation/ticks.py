"""Axis ticks for every chart, on the screen (plotly, `planner.figures`) and in the PDF (reportlab,
`planner.report.charts`): round numbers, 1-2-5 steps, log decades.

Values only: each surface labels them with the app's formats (`planner.model.format`). A value within a
billionth (relative) of a bound counts as inside, so float noise (999.9999999 for 1,000) never drops an end tick."""

from __future__ import annotations

import math
from collections.abc import Iterable

#: Relative tolerance for "inside the range" and "at least the raw step".
TOL = 1e-9
#: The linear steps, per decade: 1, 2, 2.5, 5 (10 is the next decade's 1).
STEPS = (1, 2, 2.5, 5, 10)


def nice_down(v: float) -> float:
    """The largest of 1, 2, 5 × 10^k at or below `v` > 0: 740 → 500, 0.031 → 0.02."""
    e = math.floor(math.log10(v))
    m = v / 10**e
    for k in (5, 2, 1):
        if m >= k * (1 - TOL):
            return k * 10**e
    return 10 ** (e - 1) * 5


def nice_up(v: float) -> float:
    """The smallest of 1, 2, 5 × 10^k at or above `v` > 0: 740 → 1,000, 0.031 → 0.05."""
    e = math.floor(math.log10(v))
    m = v / 10**e
    for k in (1, 2, 5, 10):
        if m <= k * (1 + TOL):
            return k * 10**e
    return 10 ** (e + 1)


def inside(v: float, lo: float, hi: float) -> bool:
    return lo * (1 - TOL) <= v <= hi * (1 + TOL)


def decade_values(lo: float, hi: float, mults: Iterable[float], margin: int = 0) -> list[float]:
    """Every m × 10^k (m in `mults`) inside [lo, hi], ascending; `margin` decades more searched each side."""
    mults = tuple(mults)
    e0, e1 = math.floor(math.log10(lo)) - margin, math.ceil(math.log10(hi)) + margin
    return [m * 10.0**e for e in range(e0, e1 + 1) for m in mults if inside(m * 10.0**e, lo, hi)]


def log_ticks(lo: float, hi: float, max_ticks: int = 8) -> list[float]:
    """The screen's log axis: 1-2-5 per decade, or 1-3, or decades alone — the densest with at most
    `max_ticks`; over a very wide span every n-th decade. Never fewer than two (the ends)."""
    lo = max(lo, 1e-12)
    hi = max(hi, lo * 1.0001)
    vals: list[float] = []
    for mults in ((1, 2, 5), (1, 3), (1,)):
        vals = decade_values(lo, hi, mults)
        if len(vals) <= max_ticks:
            break
    if len(vals) > max_ticks:  # very wide span: every n-th decade
        vals = vals[:: math.ceil(len(vals) / max_ticks)]
    return vals if len(vals) >= 2 else [lo, hi]


def log_grid(lo: float, hi: float) -> tuple[list[float], list[float]]:
    """The PDF's log axis: (labeled ticks, minor grid lines). Labeled: 1-2-5 per decade up to 3.2 decades,
    decades alone beyond; minor: 2…9 × 10^k not labeled. At least the two ends are labeled."""
    mults = (1, 2, 5) if math.log10(hi / lo) <= 3.2 else (1,)
    major = decade_values(lo, hi, mults, margin=1)
    minor = decade_values(lo, hi, range(2, 10), margin=1)
    if len(major) < 2:
        major = sorted({lo, hi} | set(major))
    return major, [v for v in minor if v not in major]


def nice_step(raw: float, *, nearest: bool = False) -> float:
    """The smallest of `STEPS` × 10^k at least `raw` > 0: 0.7 → 1, 130 → 200, 240 → 250. `nearest`: the one
    of 1, 2, 5, 10 × 10^k closest to `raw` instead (230 → 200), for axes that may stop short of their data."""
    e = math.floor(math.log10(raw))
    if nearest:
        return min((m * 10**e for m in (1, 2, 5, 10)), key=lambda step: abs(step - raw))
    return next(m * 10**e for m in STEPS if m * 10**e >= raw * (1 - TOL))


def linear_ticks(lo: float, hi: float, n: int = 5, zero: bool = True, nearest: bool = False) -> list[float]:
    """About `n` round ticks inside [lo, hi] (from zero when `zero`) — the screen's linear axes."""
    if zero:
        lo = min(lo, 0.0)
    hi = max(hi, lo + 1e-9)
    step = nice_step((hi - lo) / n, nearest=nearest)
    return [k * step for k in range(math.ceil(lo / step - TOL), math.floor(hi / step + TOL) + 1)]


def linear_axis(hi: float, n: int = 5) -> tuple[float, list[float]]:
    """(axis top, ticks from 0 to it): the PDF's linear axes end on a round tick at or above `hi`."""
    if not (hi > 0 and math.isfinite(hi)):
        hi = 1.0
    step = nice_step(hi / n)
    top = math.ceil(hi / step - TOL) * step
    return top, [i * step for i in range(int(round(top / step)) + 1)]
