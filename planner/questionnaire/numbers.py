"""The recommendation checked against the engine's numbers: budget, latency limit, break-evens."""

from __future__ import annotations

import math
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import TYPE_CHECKING

from planner.model.break_even_text import intervals
from planner.model.latency_limits import LatencyCheck, checks_of
from planner.model.scenario import ARCHITECTURES, Scenario
from planner.model.vocabulary import LABELS
from planner.questionnaire.questions import count, duration_text, usd
from planner.questionnaire.results import BUDGET_PENALTY, LATENCY_PENALTY, Ranked, rank_key, verdict_for

if TYPE_CHECKING:  # the engine is optional here (imported lazily by `recommend_for`)
    from planner.engine import Estimate

# ---------------------------------------------------------------------------
# Numbers check
# ---------------------------------------------------------------------------

#: A break-even with the pick: (queries per month, cheaper below, cheaper above).
Crossing = tuple[float, str, str]


def _finite(x: float | None) -> float | None:
    """A figure, or None when there is none or it is not finite (NaN, infinite)."""
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else None


@dataclass(frozen=True)
class _Figures:
    """What the check reads: each architecture's cost and latency checks at the scenario's volume (None: no
    figure; a ruled-out architecture has no snapshot), the scenario's limits, and who is over them."""

    cost: dict[str, float | None]
    checks: dict[str, tuple[LatencyCheck, ...]]  # each latency limit on its own measure
    budget: float | None
    volume: float
    vol: str  # the volume as printed
    over_budget: frozenset[str]
    over_latency: frozenset[str]  # over at least one latency limit

    def misses(self, key: str) -> tuple[LatencyCheck, ...]:
        return tuple(c for c in self.checks.get(key, ()) if c.over)


def _figures(scenario: Scenario, ranking: tuple[Ranked, ...], est: Estimate) -> _Figures:
    budget = scenario.monthly_budget_usd
    cost: dict[str, float | None] = {}
    checks: dict[str, tuple[LatencyCheck, ...]] = {}
    for r in ranking:
        snap = est.current.get(r.key)
        cost[r.key] = _finite(snap.monthly_usd) if snap is not None else None
        if snap is not None:
            checks[r.key] = tuple(c for c in checks_of(scenario, snap) if _finite(c.p95_ms) is not None)
    return _Figures(
        cost=cost,
        checks=checks,
        budget=budget,
        volume=scenario.workload.queries_per_month,
        vol=count(scenario.workload.queries_per_month),
        over_budget=frozenset(k for k, c in cost.items() if budget is not None and c is not None and c > budget),
        over_latency=frozenset(k for k, cs in checks.items() if any(c.over for c in cs)),
    )


def _miss_text(c: LatencyCheck) -> str:
    """ "p95 first token of 620 ms is above the 500 ms limit" """
    return f"p95 {_what(c)} of {duration_text(c.p95_ms)} is above the {duration_text(c.limit_ms)} limit"


def _what(c: LatencyCheck) -> str:
    return "time to first token" if c.measure == "first_token" else "latency"


def _cheapest(alive: list[Ranked], cost: dict[str, float | None]) -> str:
    priced = [r for r in alive if cost[r.key] is not None]
    if not priced:
        return "none has a cost estimate."
    c = min(priced, key=lambda r: (cost[r.key] or 0.0, ARCHITECTURES.index(r.key)))
    low = cost[c.key] or 0.0
    tied = [r.label for r in priced if same_cost(cost[r.key] or 0.0, low)]
    if len(tied) > 1:
        return f"the cheapest are {' and '.join(tied)}, at {usd(low)}/month each."
    return f"the cheapest is {c.label} at {usd(low)}/month."


def cheapest(monthly_usd: Mapping[str, float], ruled_out: AbstractSet[str]) -> tuple[str, ...]:
    """The cheapest of the options still open at one volume, in option order; equal costs (as printed) share
    the mark; none when every option is ruled out. The one "cheapest" of the app, the PDF, the CLI and JSON."""
    open_ = {a: c for a, c in monthly_usd.items() if a not in ruled_out and math.isfinite(c)}
    if not open_:
        return ()
    low = min(open_.values())
    return tuple(a for a in open_ if same_cost(open_[a], low))


def same_cost(x: float, y: float) -> bool:
    """Two monthly costs that print the same (or differ by less than a cent) read as a tie."""
    return abs(x - y) < 0.005 or usd(x) == usd(y)


def _cheaper_at_volume(
    top: Ranked, other: str, cost: dict[str, float | None], points: list[Crossing], volume: float, vol: str
) -> str:
    """Which of the pick and `other` is cheaper at the user's volume, from their costs there."""
    ct, co = cost.get(top.key), cost.get(other)
    if ct is not None and co is not None:
        if same_cost(ct, co):
            return f"At your {vol}, the two cost the same ({usd(ct)}/month): a tie, not a reason to switch."
        cheaper = top.key if ct < co else other
    else:  # no costs: read it from the crossings
        state = points[0][1]
        for q, _below, above in points:
            if volume >= q:
                state = above
        cheaper = state
    if cheaper == top.key:
        return f"At your {vol}, {top.label} is the cheaper of the two."
    return f"At your {vol}, {LABELS[other]} is cheaper: the numbers favor it over {top.label}, against the answers."


def _crossings(est: Estimate, top: Ranked, alive_keys: set[str]) -> dict[tuple[str, str], list[Crossing]]:
    """The break-evens between the pick and another viable architecture, by pair, in volume order."""
    crossings: dict[tuple[str, str], list[Crossing]] = {}
    for be in est.break_evens:
        a, b, below, above = be.a, be.b, be.cheaper_below, be.cheaper_above
        q = _finite(be.queries_per_month)
        if q is None or top.key not in (a, b) or not {a, b} <= alive_keys or below not in LABELS or above not in LABELS:
            continue
        crossings.setdefault((a, b), []).append((q, below, above))
    for points in crossings.values():
        points.sort()
    return crossings


def _break_even_findings(est: Estimate, top: Ranked, alive_keys: set[str], fig: _Figures) -> list[str]:
    """Where the break-evens with the pick fall: one sentence per pair, and which of the two is cheaper
    said from their costs at the user's volume (equal costs read as a tie)."""
    out: list[str] = []
    volume = fig.volume
    for (a, b), points in _crossings(est, top, alive_keys).items():
        if len(points) == 1:
            q, below, above = points[0]
            text = (
                f"{LABELS[a]} and {LABELS[b]} break even at {count(q)} queries a month: "
                f"{LABELS[below]} is cheaper below, {LABELS[above]} above."
            )
        else:  # several crossings (capacity steps): the intervals where each is cheaper, one story
            text = f"{LABELS[a]} and {LABELS[b]} break even {len(points)} times: " + intervals(points)
        other = b if a == top.key else a
        text += " " + _cheaper_at_volume(top, other, fig.cost, points, volume, fig.vol)
        near = [p[0] for p in points if p[0] > 0 and volume > 0 and 0.5 <= volume / p[0] <= 2]
        if near:
            text += " Your volume is within a factor of two of the break-even, so a change in volume can flip it."
        out.append(text)
    return out


def _cost_findings(alive: list[Ranked], fig: _Figures) -> list[str]:
    """Each viable architecture's monthly cost at the volume, and those without one."""
    out = []
    in_order = sorted(alive, key=lambda r: ARCHITECTURES.index(r.key))
    shown = [f"{r.label} {usd(fig.cost[r.key])}" for r in in_order if fig.cost[r.key] is not None]
    if shown:
        out.append(f"Estimated monthly cost at {fig.vol} queries a month: " + ", ".join(shown) + ".")
    missing = [r.label for r in in_order if fig.cost[r.key] is None]
    if missing:
        out.append("No cost estimate for " + ", ".join(missing) + ": the catalog lacks a price it needs.")
    return out


def _penalised(ranking: tuple[Ranked, ...], fig: _Figures) -> tuple[Ranked, ...]:
    """The ranking with the budget and latency penalties taken, each said in the architecture's reasons."""
    new: list[Ranked] = []
    for r in ranking:
        if r.ruled_out:  # numbers never bring a ruled-out architecture back
            new.append(r)
            continue
        score, extra = r.score, []
        if r.key in fig.over_budget:
            score -= BUDGET_PENALTY
            extra.append(
                f"Costs {usd(fig.cost[r.key])}/month at {fig.vol} queries, above the {usd(fig.budget)} budget."
            )
        if r.key in fig.over_latency:  # one penalty, however many limits it misses; each said
            score -= LATENCY_PENALTY
            extra += [_miss_text(c) + "." for c in fig.misses(r.key)]
        capped = r.key in fig.over_budget or r.key in fig.over_latency
        new.append(Ranked(r.key, r.label, score, verdict_for(score, False, capped), r.reasons + tuple(extra)))
    return tuple(sorted(new, key=rank_key))


def _pick_over_budget(lead: str, first: Ranked, alive: list[Ranked], fig: _Figures) -> str:
    """The pick above the budget, and which viable architectures fit it (or the cheapest)."""
    alt = [r for r in alive if r.key not in fig.over_budget and fig.cost[r.key] is not None and r.key != first.key]
    tail = (
        "; "
        + " and ".join(f"{r.label} ({usd(fig.cost[r.key])})" for r in alt)
        + (" fits." if len(alt) == 1 else " fit.")
        if alt
        else "; no viable architecture fits it: " + _cheapest(alive, fig.cost)
    )
    return (
        f"{lead} but costs {usd(fig.cost[first.key])}/month at {fig.vol} queries, above the "
        f"{usd(fig.budget)} budget{tail}"
    )


def _pick_over_latency(lead: str, first: Ranked, alive: list[Ranked], fig: _Figures, est: Estimate) -> list[str]:
    """The pick above a latency limit (each on its own measure), which viable architectures meet it, and what
    would bring it under."""
    out = []
    for c in fig.misses(first.key):
        meet = [
            (r, m)
            for r in alive
            if r.key != first.key
            for m in fig.checks.get(r.key, ())
            if m.measure == c.measure and not m.over
        ]
        tail = (
            "; "
            + " and ".join(f"{r.label} ({duration_text(m.p95_ms)})" for r, m in meet)
            + (" meets it." if len(meet) == 1 else " meet it.")
            if meet
            else "; no other viable architecture meets it either."
        )
        out.append(
            f"{lead} but its p95 {_what(c)} is {duration_text(c.p95_ms)}, "
            f"above the {duration_text(c.limit_ms)} limit{tail}"
        )
    advice = est.latency_gap_advice(first.key)
    if advice:
        out.append(f"To bring {first.label} under it: {advice}")
    return out


def _pick_findings(first: Ranked, alive: list[Ranked], fig: _Figures, est: Estimate) -> list[str]:
    """The qualitative pick against the numbers, said plainly, then the other viable architectures' limits."""
    lead = (
        f"{first.label} is recommended by the answers"
        if first.verdict == "recommended"
        else f"{first.label} ranks first on the answers"
    )
    out = []
    if first.key in fig.over_budget:
        out.append(_pick_over_budget(lead, first, alive, fig))
    if first.key in fig.over_latency:
        out += _pick_over_latency(lead, first, alive, fig, est)
    for r in alive:
        if r.key == first.key:
            continue
        if r.key in fig.over_budget:
            cost, budget = usd(fig.cost[r.key]), usd(fig.budget)
            out.append(f"{r.label} costs {cost}/month at {fig.vol} queries, above the {budget} budget.")
        for c in fig.misses(r.key):
            out.append(
                f"{r.label}'s p95 {_what(c)} is {duration_text(c.p95_ms)}, above the {duration_text(c.limit_ms)} limit."
            )
    return out


def _total_finding(top: Ranked, fig: _Figures, est: Estimate, horizon_months: int) -> list[str]:
    """The pick's monthly, one-time and total cost over the horizon."""
    snap = est.current.get(top.key)
    if snap is None or fig.cost[top.key] is None:
        return []
    one_time, tco = _finite(snap.one_time_total_usd), _finite(snap.tco_usd)
    if one_time is None or tco is None:
        return []
    return [
        f"{top.label}: {usd(fig.cost[top.key])}/month plus {usd(one_time)} one-time; "
        f"{usd(tco)} over {horizon_months} months."
    ]


def check_numbers(
    scenario: Scenario, ranking: tuple[Ranked, ...], est: Estimate
) -> tuple[tuple[Ranked, ...], tuple[str, ...]]:
    """The ranking with the numbers' penalties, and the findings in the order they are read."""
    fig = _figures(scenario, ranking, est)
    alive = [r for r in ranking if not r.ruled_out]
    first = ranking[0]
    new_ranking = _penalised(ranking, fig)
    top = new_ranking[0]
    findings = _cost_findings(alive, fig)
    findings += _pick_findings(first, alive, fig, est)
    if top.key != first.key:
        findings.append(f"With the numbers, {top.label} ranks first instead of {first.label}.")
    findings += _break_even_findings(est, top, {r.key for r in alive}, fig)  # where they fall, for the pick
    findings += _total_finding(top, fig, est, scenario.horizon_months)
    return new_ranking, tuple(findings)
