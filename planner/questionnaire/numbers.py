"""The recommendation checked against the engine's numbers: budget, latency limit, break-evens."""

from __future__ import annotations

import math
from typing import Any

from planner.questionnaire.questions import _count, _ms, _usd
from planner.questionnaire.results import BUDGET_PENALTY, LATENCY_PENALTY, Ranked, _rank_key, verdict_for
from planner.scenario import ARCHITECTURES, LABELS, Scenario

# ---------------------------------------------------------------------------
# Numbers check
# ---------------------------------------------------------------------------


def _current(est: Any, key: str) -> Any:
    current = getattr(est, "current", None)
    if current is None:
        return None
    try:
        return current[key]
    except (KeyError, IndexError, TypeError):
        return None


def _finite(x: Any) -> float | None:
    try:
        x = float(x)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def _limited_p95(est: Any, key: str) -> float | None:
    """The p95 the latency limit bounds (full answer or first token, as the scenario says)."""
    if hasattr(est, "limited_p95_ms"):
        try:
            return _finite(est.limited_p95_ms(key))
        except (KeyError, TypeError):
            return None
    return _finite(getattr(_current(est, key), "latency_p95_ms", None))


def _gap_advice(est: Any, key: str) -> str | None:
    try:
        return est.latency_gap_advice(key) if hasattr(est, "latency_gap_advice") else None
    except (KeyError, TypeError):
        return None


def _cheapest(alive: list[Ranked], cost: dict[str, float | None]) -> str:
    priced = [r for r in alive if cost[r.key] is not None]
    if not priced:
        return "none has a cost estimate."
    c = min(priced, key=lambda r: (cost[r.key] or 0.0, ARCHITECTURES.index(r.key)))
    low = cost[c.key] or 0.0
    tied = [r.label for r in priced if same_cost(cost[r.key] or 0.0, low)]
    if len(tied) > 1:
        return f"the cheapest are {' and '.join(tied)}, at {_usd(low)}/month each."
    return f"the cheapest is {c.label} at {_usd(low)}/month."


def same_cost(x: float, y: float) -> bool:
    """Two monthly costs that print the same (or differ by less than a cent) read as a tie."""
    return abs(x - y) < 0.005 or _usd(x) == _usd(y)


def _cheaper_at_volume(
    top: Ranked, other_label: str, other: str, cost: dict[str, float | None], points: list, volume: float, vol: str
) -> str:
    """Which of the pick and `other` is cheaper at the user's volume, from their costs there."""
    ct, co = cost.get(top.key), cost.get(other)
    if ct is not None and co is not None:
        if same_cost(ct, co):
            return f"At your {vol}, the two cost the same ({_usd(ct)}/month): a tie, not a reason to switch."
        cheaper = top.key if ct < co else other
    else:  # no costs: read it from the crossings
        state = points[0][1]
        for q, _below, above in points:
            if volume >= q:
                state = above
        cheaper = state
    if cheaper == top.key:
        return f"At your {vol}, {top.label} is the cheaper of the two."
    return f"At your {vol}, {other_label} is cheaper: the numbers favour it over {top.label}, against the answers."


def _break_even_findings(
    est: Any, top: Ranked, alive_keys: set[str], cost: dict[str, float | None], volume: float, vol: str
) -> list[str]:
    """Where the break-evens with the pick fall: one sentence per pair, and which of the two is cheaper
    said from their costs at the user's volume (equal costs read as a tie)."""
    out: list[str] = []
    crossings: dict[tuple[Any, Any], list[Any]] = {}
    for be in getattr(est, "break_evens", None) or ():
        a, b = getattr(be, "a", ""), getattr(be, "b", "")
        q = _finite(getattr(be, "queries_per_month", None))
        below, above = getattr(be, "cheaper_below", ""), getattr(be, "cheaper_above", "")
        if q is None or top.key not in (a, b) or not {a, b} <= alive_keys or below not in LABELS or above not in LABELS:
            continue
        crossings.setdefault((a, b), []).append((q, below, above))
    for (a, b), points in crossings.items():
        points.sort()
        other = b if a == top.key else a
        if len(points) == 1:
            q, below, above = points[0]
            text = (
                f"{LABELS[a]} and {LABELS[b]} break even at {_count(q)} queries a month: "
                f"{LABELS[below]} is cheaper below, {LABELS[above]} above."
            )
        else:
            at = ", ".join(_count(p[0]) for p in points[:-1]) + f" and {_count(points[-1][0])}"
            text = (
                f"{LABELS[a]} and {LABELS[b]} break even {len(points)} times, at {at} queries a month: "
                "the cheaper of the two changes at each."
            )
        text += " " + _cheaper_at_volume(top, LABELS[other], other, cost, points, volume, vol)
        near = [p[0] for p in points if p[0] > 0 and volume > 0 and 0.5 <= volume / p[0] <= 2]
        if near:
            text += " Your volume is within a factor of two of the break-even, so a change in volume can flip it."
        out.append(text)

    return out


def _check_numbers(
    scenario: Scenario, ranking: tuple[Ranked, ...], est: Any
) -> tuple[tuple[Ranked, ...], tuple[str, ...]]:
    budget = scenario.monthly_budget_usd
    limit = scenario.latency_target_p95_ms
    volume = scenario.workload.queries_per_month
    vol = _count(volume)
    first = ranking[0]
    findings: list[str] = []

    cost = {r.key: _finite(getattr(_current(est, r.key), "monthly_usd", None)) for r in ranking}
    p95 = {r.key: _limited_p95(est, r.key) for r in ranking}
    what = "time to first token" if scenario.latency_limit_applies_to == "first_token" else "latency"
    alive = [r for r in ranking if not r.ruled_out]

    in_order = sorted(alive, key=lambda r: ARCHITECTURES.index(r.key))
    shown = [f"{r.label} {_usd(cost[r.key])}" for r in in_order if cost[r.key] is not None]
    if shown:
        findings.append(f"Estimated monthly cost at {vol} queries a month: " + ", ".join(shown) + ".")
    missing = [r.label for r in in_order if cost[r.key] is None]
    if missing:
        findings.append("No cost estimate for " + ", ".join(missing) + ": the catalog lacks a price it needs.")

    over_budget = {k for k, c in cost.items() if budget is not None and c is not None and c > budget}
    over_latency = {k for k, t in p95.items() if limit is not None and t is not None and t > limit}

    new: list[Ranked] = []
    for r in ranking:
        if r.ruled_out:  # numbers never bring a ruled-out architecture back
            new.append(r)
            continue
        score, extra = r.score, []
        if r.key in over_budget:
            score -= BUDGET_PENALTY
            extra.append(f"Costs {_usd(cost[r.key])}/month at {vol} queries, above the {_usd(budget)} budget.")
        if r.key in over_latency:
            score -= LATENCY_PENALTY
            extra.append(f"p95 {what} of {_ms(p95[r.key])} is above the {_ms(limit)} limit.")
        capped = r.key in over_budget or r.key in over_latency
        new.append(Ranked(r.key, r.label, score, verdict_for(score, False, capped), r.reasons + tuple(extra)))
    new_ranking = tuple(sorted(new, key=_rank_key))

    # the qualitative pick against the numbers, said plainly
    fits_budget = [r for r in alive if r.key not in over_budget and cost[r.key] is not None]
    fits_latency = [r for r in alive if r.key not in over_latency and p95[r.key] is not None]
    lead = (
        f"{first.label} is recommended by the answers"
        if first.verdict == "recommended"
        else f"{first.label} ranks first on the answers"
    )
    if first.key in over_budget:
        alt = [r for r in fits_budget if r.key != first.key]
        tail = (
            "; "
            + " and ".join(f"{r.label} ({_usd(cost[r.key])})" for r in alt)
            + (" fits." if len(alt) == 1 else " fit.")
            if alt
            else "; no viable architecture fits it: " + _cheapest(alive, cost)
        )
        findings.append(
            f"{lead} but costs {_usd(cost[first.key])}/month at {vol} queries, above the {_usd(budget)} budget{tail}"
        )
    if first.key in over_latency:
        alt = [r for r in fits_latency if r.key != first.key]
        tail = (
            "; "
            + " and ".join(f"{r.label} ({_ms(p95[r.key])})" for r in alt)
            + (" meets it." if len(alt) == 1 else " meet it.")
            if alt
            else "; no other viable architecture meets it either."
        )
        findings.append(f"{lead} but its p95 {what} is {_ms(p95[first.key])}, above the {_ms(limit)} limit{tail}")
        advice = _gap_advice(est, first.key)
        if advice:
            findings.append(f"To bring {first.label} under it: {advice}")
    for r in alive:
        if r.key == first.key:
            continue
        if r.key in over_budget:
            findings.append(
                f"{r.label} costs {_usd(cost[r.key])}/month at {vol} queries, above the {_usd(budget)} budget."
            )
        if r.key in over_latency:
            findings.append(f"{r.label}'s p95 {what} is {_ms(p95[r.key])}, above the {_ms(limit)} limit.")
    top = new_ranking[0]
    if top.key != first.key:
        findings.append(f"With the numbers, {top.label} ranks first instead of {first.label}.")

    # where the break-evens fall, for the pick
    findings += _break_even_findings(est, top, {r.key for r in alive}, cost, volume, vol)

    w = _current(est, top.key)
    one_time = _finite(getattr(w, "one_time_total_usd", None))
    tco = _finite(getattr(w, "tco_usd", None))
    if cost[top.key] is not None and one_time is not None and tco is not None:
        findings.append(
            f"{top.label}: {_usd(cost[top.key])}/month plus {_usd(one_time)} one-time; "
            f"{_usd(tco)} over {scenario.horizon_months} months."
        )
    return new_ranking, tuple(findings)
