"""Cost per successful answer: what failures and retries do to an option's monthly spend and to its successes.

The retry model, written down (docs/formulas.md, "Measured quality"):

* every attempt at a query succeeds with the option's pass rate p, independently of earlier attempts;
* a failed attempt is retried, up to `retries` times (r); a retry is a whole new query through the same
  pipeline, so it costs what a query costs (its tokens, its retrieval) — the spend is the engine's monthly
  spend at the volume q · A, where A = Σ_{k=0..r} (1−p)^k = (1 − (1−p)^{r+1}) / p attempts per query;
* a query still failing after its last attempt is a failure and costs `failure_cost_usd` (F);
  its share is (1−p)^{r+1}; successes are q · (1 − (1−p)^{r+1}).

Then outcome spend = spend(q·A) + q·(1−p)^{r+1}·F, and cost per successful answer = outcome spend ÷ successes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


def attempts_per_query(pass_rate: float, retries: int) -> float:
    """A = Σ_{k=0..r} (1−p)^k: the first attempt, then a retry after each failure, at most `retries` of them."""
    fail = 1 - pass_rate
    return sum(fail**k for k in range(retries + 1))


def failure_share(pass_rate: float, retries: int) -> float:
    """(1−p)^{r+1}: the share of queries that fail every attempt."""
    return (1 - pass_rate) ** (retries + 1)


@dataclass(frozen=True)
class Outcome:
    """One option's month at one volume, with failures priced."""

    spend_usd: float  # the engine's monthly spend at q·A (retries included)
    failures: float  # queries per month failing every attempt
    successes: float  # queries per month answered correctly
    failure_usd: float  # failures × failure cost
    outcome_usd: float  # spend + failure cost

    @property
    def usd_per_success(self) -> float | None:
        """Cost per successful answer; None when nothing succeeds (a pass rate of 0)."""
        return self.outcome_usd / self.successes if self.successes > 0 else None


def outcome(spend_usd: float, queries: float, pass_rate: float, retries: int, failure_cost_usd: float) -> Outcome:
    """The outcome of `queries` a month, `spend_usd` being the spend at queries × attempts_per_query."""
    failures = queries * failure_share(pass_rate, retries)
    failure_usd = failures * failure_cost_usd
    return Outcome(spend_usd, failures, queries - failures, failure_usd, spend_usd + failure_usd)


@dataclass(frozen=True)
class Point:
    """One option (or one model of an option) on the cost-vs-pass-rate chart."""

    id: str
    cost_usd: float  # monthly spend at the volume, retries included
    pass_rate: float


def frontier(points: Sequence[Point]) -> tuple[str, ...]:
    """The efficient frontier: the points no other point beats on both cost (lower or equal) and pass rate
    (higher or equal, one of them strictly), cheapest first. Equal points are both on it."""
    out = []
    for p in points:
        beaten = any(
            q.cost_usd <= p.cost_usd
            and q.pass_rate >= p.pass_rate
            and (q.cost_usd < p.cost_usd or q.pass_rate > p.pass_rate)
            for q in points
        )
        if not beaten:
            out.append(p)
    return tuple(p.id for p in sorted(out, key=lambda p: (p.cost_usd, -p.pass_rate, p.id)))


@dataclass(frozen=True)
class Measured:
    """What dominance compares: an option's pass-rate interval and its cost per successful answer."""

    key: str
    pass_rate_low: float
    pass_rate_high: float
    usd_per_success: float | None


def dominated(options: Sequence[Measured]) -> dict[str, str]:
    """Options whose pass-rate interval lies wholly below another's (high < the other's low) while their cost
    per successful answer is no lower than that other's: {dominated: the option that dominates it}. Of several
    dominating options the cheapest per success is named."""
    out: dict[str, str] = {}
    for a in options:
        better = [
            b
            for b in options
            if b.key != a.key
            and a.pass_rate_high < b.pass_rate_low
            and b.usd_per_success is not None
            and (a.usd_per_success is None or a.usd_per_success >= b.usd_per_success)
        ]
        if better:
            out[a.key] = min(better, key=lambda b: b.usd_per_success or math.inf).key
    return out
