"""Measured quality joined to the cost model: each option's cost per successful answer with its range, the
cost-vs-pass-rate frontier, dominated options, break-evens on outcome cost, the eval plan's cost and the cases
needed to tell two options apart. Pure: the engine hands in its spend as a function of volume
(`planner.engine.assemble` builds it), so this package never imports the engine."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from planner.model.quality import ModelQuality, Quality
from planner.quality.outcome import Measured, Point, attempts_per_query, dominated, frontier, outcome
from planner.quality.stats import wilson

#: spend(architecture, volumes, "value" | "low" | "high") → monthly spend at each volume (the engine's)
SpendFn = Callable[[str, np.ndarray, str], np.ndarray]
#: model_spend(the measured model, volume) → (its monthly spend at that volume, the model's name)
ModelSpendFn = Callable[[ModelQuality, float], tuple[float, str]]


@dataclass(frozen=True)
class OptionQuality:
    """One architecture at the scenario's volume, with its measured quality (all None when not measured)."""

    key: str
    label: str
    pass_rate: float | None = None
    pass_rate_low: float | None = None
    pass_rate_high: float | None = None
    sample_size: int | None = None
    attempts_per_query: float | None = None
    spend_usd: float | None = None  # monthly spend with retries (at q · attempts)
    failures_per_month: float | None = None
    outcome_monthly_usd: float | None = None
    outcome_monthly_low_usd: float | None = None
    outcome_monthly_high_usd: float | None = None
    cost_per_successful_answer_usd: float | None = None
    cost_per_successful_answer_low_usd: float | None = None
    cost_per_successful_answer_high_usd: float | None = None
    outcome_tco_usd: float | None = None
    dominated_by: str | None = None

    @property
    def measured(self) -> bool:
        return self.pass_rate is not None


@dataclass(frozen=True)
class ModelPoint:
    """A measured model of an option: its own point on the chart."""

    id: str
    architecture: str
    model: str
    name: str
    pass_rate: float
    pass_rate_low: float
    pass_rate_high: float
    sample_size: int
    spend_usd: float
    cost_per_successful_answer_usd: float | None


@dataclass(frozen=True)
class OutcomeBreakEven:
    a: str
    b: str
    queries_per_month: float
    usd_per_success: float
    cheaper_below: str
    cheaper_above: str


@dataclass(frozen=True)
class Inputs:
    """What `assess` reads from an estimate: volumes, each option's one-time cost, per-query cost and label."""

    queries_per_month: float
    horizon_months: int
    volumes: np.ndarray
    labels: Mapping[str, str]  # the priced architectures, in order
    one_time_usd: Mapping[str, float]
    answer_usd_per_case: Mapping[str, float]
    spend: SpendFn
    model_spend: ModelSpendFn | None = None
    #: the engine's TCO and monthly spend per option (given: the outcome TCO is the TCO, month by month at the
    #: prices in force, plus what failures and retries add each month); None: one-time + outcome × months
    tco_usd: Mapping[str, float] | None = None
    monthly_usd: Mapping[str, float] | None = None


def interval(q: Quality, arch: str) -> tuple[float, float, float, int | None]:
    """(pass rate, low, high, n) of a measured architecture; without a sample size the interval is the point."""
    p = getattr(q.pass_rate, arch)
    n = getattr(q.sample_size, arch)
    lo, hi = wilson(p, n) if n else (p, p)
    return p, lo, hi, n


def _outcome_at(x: Inputs, q: Quality, arch: str, p: float, which: str):
    a = attempts_per_query(p, q.retries)
    spend = float(x.spend(arch, np.array([x.queries_per_month * a]), which)[0])
    return a, outcome(spend, x.queries_per_month, p, q.retries, q.failure_cost_usd)


def option_quality(x: Inputs, q: Quality, arch: str) -> OptionQuality:
    """The figures of one architecture: typical at the measured rate; low at low prices and the interval's
    high end; high at high prices and its low end."""
    label = x.labels[arch]
    if getattr(q.pass_rate, arch) is None:
        return OptionQuality(arch, label)
    p, lo, hi, n = interval(q, arch)
    attempts, typ = _outcome_at(x, q, arch, p, "value")
    _, best = _outcome_at(x, q, arch, hi, "low")
    _, worst = _outcome_at(x, q, arch, lo, "high")
    return OptionQuality(
        arch,
        label,
        pass_rate=p,
        pass_rate_low=lo,
        pass_rate_high=hi,
        sample_size=n,
        attempts_per_query=attempts,
        spend_usd=typ.spend_usd,
        failures_per_month=typ.failures,
        outcome_monthly_usd=typ.outcome_usd,
        outcome_monthly_low_usd=best.outcome_usd,
        outcome_monthly_high_usd=worst.outcome_usd,
        cost_per_successful_answer_usd=typ.usd_per_success,
        cost_per_successful_answer_low_usd=best.usd_per_success,
        cost_per_successful_answer_high_usd=worst.usd_per_success,
        outcome_tco_usd=_outcome_tco(x, arch, typ.outcome_usd),
    )


def _outcome_tco(x: Inputs, arch: str, outcome_usd: float) -> float:
    if x.tco_usd is not None and x.monthly_usd is not None:
        return x.tco_usd[arch] + (outcome_usd - x.monthly_usd[arch]) * x.horizon_months
    return x.one_time_usd[arch] + outcome_usd * x.horizon_months


def model_points(x: Inputs, q: Quality) -> tuple[ModelPoint, ...]:
    """The measured models of the priced options, each priced with its own model at the scenario's volume."""
    out = []
    if x.model_spend is None:
        return ()
    for m in q.models:
        if m.architecture not in x.labels:
            continue
        attempts = attempts_per_query(m.pass_rate, q.retries)
        spend, name = x.model_spend(m, x.queries_per_month * attempts)
        o = outcome(spend, x.queries_per_month, m.pass_rate, q.retries, q.failure_cost_usd)
        lo, hi = wilson(m.pass_rate, m.sample_size)
        pid = f"{m.architecture}:{m.model}"
        out.append(
            ModelPoint(pid, m.architecture, m.model, name, m.pass_rate, lo, hi, m.sample_size, spend, o.usd_per_success)
        )
    return tuple(out)


def chart_points(options: Mapping[str, OptionQuality], models: tuple[ModelPoint, ...]) -> tuple[Point, ...]:
    """Every measured option and model as a (monthly spend, pass rate) point."""
    pts = [Point(k, o.spend_usd, o.pass_rate) for k, o in options.items() if o.measured]  # type: ignore[arg-type]
    return tuple(pts + [Point(m.id, m.spend_usd, m.pass_rate) for m in models])


def with_dominance(options: dict[str, OptionQuality]) -> dict[str, OptionQuality]:
    """The options with `dominated_by` set where a measured option dominates them (see `outcome.dominated`)."""
    measured = [
        Measured(k, o.pass_rate_low, o.pass_rate_high, o.cost_per_successful_answer_usd)  # type: ignore[arg-type]
        for k, o in options.items()
        if o.measured
    ]
    by = dominated(measured)
    return {k: (dataclasses.replace(o, dominated_by=by[k]) if k in by else o) for k, o in options.items()}


def per_success_curve(x: Inputs, q: Quality, arch: str, volumes: np.ndarray) -> np.ndarray:
    """Cost per successful answer of a measured option over volumes (typical prices, measured rate)."""
    p = getattr(q.pass_rate, arch)
    a = attempts_per_query(p, q.retries)
    fail = (1 - p) ** (q.retries + 1)
    spend = x.spend(arch, volumes * a, "value")
    ok = volumes * (1 - fail)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(ok > 0, (spend + volumes * fail * q.failure_cost_usd) / ok, math.inf)


#: points a grid step is refined on, evenly in log volume (a crossing is then interpolated between two of them)
REFINE_POINTS = 1025


def _crossing(x: Inputs, q: Quality, a: str, b: str, v0: float, v1: float) -> float:
    """Where the cost per success of `a` and `b` cross between v0 and v1: both curves on REFINE_POINTS volumes
    (one vectorized pass each), then linear interpolation in log volume across the sign change."""
    vv = np.geomspace(v0, v1, REFINE_POINTS)
    d = per_success_curve(x, q, a, vv) - per_success_curve(x, q, b, vv)
    k = int(np.argmax(np.sign(d[1:]) != np.sign(d[:-1]))) if np.any(np.sign(d[1:]) != np.sign(d[:-1])) else 0
    l0, l1 = math.log(vv[k]), math.log(vv[k + 1])
    t = d[k] / (d[k] - d[k + 1]) if d[k] != d[k + 1] else 0.5
    return math.exp(l0 + t * (l1 - l0))


def outcome_break_evens(x: Inputs, q: Quality, archs: tuple[str, ...]) -> tuple[OutcomeBreakEven, ...]:
    """Volumes where two measured options cost the same per successful answer: found on the volume grid, each
    refined on a finer grid inside its step (`_crossing`)."""
    v = np.asarray(x.volumes, dtype=float)
    curves = {a: per_success_curve(x, q, a, v) for a in archs}
    out = []
    for i, a in enumerate(archs):
        for b in archs[i + 1 :]:
            d = curves[a] - curves[b]
            for k in range(len(v) - 1):
                if not (np.isfinite(d[k]) and np.isfinite(d[k + 1])) or d[k] == 0 or np.sign(d[k]) == np.sign(d[k + 1]):
                    continue
                at = _crossing(x, q, a, b, float(v[k]), float(v[k + 1]))
                usd = float(per_success_curve(x, q, a, np.array([at]))[0])
                below, above = (b, a) if d[k] > 0 else (a, b)
                out.append(OutcomeBreakEven(a, b, at, usd, below, above))
    return tuple(sorted(out, key=lambda e: e.queries_per_month))


def rank_by_outcome(options: Mapping[str, OptionQuality]) -> tuple[str, ...]:
    """The measured options, lowest cost per successful answer first (nothing succeeding: last)."""
    measured = [o for o in options.values() if o.measured]
    return tuple(
        o.key
        for o in sorted(
            measured, key=lambda o: (o.cost_per_successful_answer_usd is None, o.cost_per_successful_answer_usd or 0)
        )
    )


def chart_frontier(options: Mapping[str, OptionQuality], models: tuple[ModelPoint, ...]) -> tuple[str, ...]:
    return frontier(chart_points(options, models))
