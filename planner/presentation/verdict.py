"""What every page says beside the numbers: the verdict, the budget crossing, the evidence.

Pure (no streamlit), shared by the app's pages and the PDF, so they say the same:

* `budget_crossings(catalog, scenario, arch)`: the exact volumes at which an
  architecture's monthly cost crosses the monthly budget, found like the
  break-evens (a log grid, every capacity step, then bisection to 1e-10 relative).
* `budget_sentence(...)`: that crossing as a sentence ("stays under the $1,500
  budget up to 117,647 queries a month").
* `weak_evidence(estimate, arch)`: the largest monthly component of an
  architecture at the user's volume, when a price it rests on is unverified.
* `verdict_line(recommendation)`: the recommendation and the ruled-out options
  in one sentence.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from planner import engine
from planner.model import format as fmt
from planner.model.scenario import Scenario
from planner.model.vocabulary import COMPONENT_LABELS, LABELS
from planner.questionnaire.numbers import cheapest as cheapest
from planner.questionnaire.numbers import same_cost as same_cost
from planner.questionnaire.results import HEADS as HEADS
from planner.questionnaire.results import NOTHING_FITS as NOTHING_FITS
from planner.questionnaire.results import headline as headline
from pricing.models import Catalog

if TYPE_CHECKING:
    from planner.engine import Estimate
    from planner.engine.inputs import Inputs, PriceUsed
    from planner.questionnaire import Recommendation

#: The volumes searched for a budget crossing (queries per month).
SEARCH_MIN_QUERIES = 1.0
SEARCH_MAX_QUERIES = 1e11


@dataclass(frozen=True)
class BudgetCrossing:
    """Where `arch`'s monthly cost meets the budget, over 1 to 100 billion queries a month."""

    arch: str
    budget_usd: float
    crossings: tuple[float, ...]  # volumes where the cost crosses the budget, ascending
    over_at_start: bool  # above the budget at 1 query a month (its fixed costs alone exceed it)
    fixed_usd: float  # the monthly cost at 1 query a month

    @property
    def first_over(self) -> float | None:
        """The lowest volume above which the cost exceeds the budget (None: never, or from the start)."""
        if self.over_at_start:
            return None
        return self.crossings[0] if self.crossings else None

    def under_at(self, queries_per_month: float) -> bool:
        over = self.over_at_start
        for q in self.crossings:
            if queries_per_month > q:
                over = not over
        return not over


def _totals(i: Inputs, arch: str, q: np.ndarray) -> np.ndarray:
    return np.asarray(sum(engine.monthly_components(i, arch, q).values()), dtype=float)


def budget_crossings(
    catalog: Catalog, scenario: Scenario, arch: str, budget_usd: float | None = None
) -> BudgetCrossing | None:
    """The volumes where `arch`'s monthly cost crosses the budget (the scenario's unless given); None without one."""
    budget = scenario.monthly_budget_usd if budget_usd is None else budget_usd
    if budget is None:
        return None
    i, _ = engine.build_inputs(catalog, scenario, "value")
    lo, hi = SEARCH_MIN_QUERIES, SEARCH_MAX_QUERIES
    grid = np.geomspace(lo, hi, 1101)
    steps = engine.step_points(i, lo, hi)  # capacity steps: a jump may cross the budget
    if steps.size:
        grid = np.unique(np.concatenate([grid, steps * (1 - 1e-12), steps * (1 + 1e-7)]))
    d = _totals(i, arch, grid) - budget
    over = d > 0
    fixed = float(_totals(i, arch, np.array([lo]))[0])
    flips = np.nonzero(over[:-1] != over[1:])[0]
    out = []
    if flips.size:
        left, right = grid[flips].copy(), grid[flips + 1].copy()
        s_left = over[flips]
        for _ in range(200):
            if np.all(right - left <= left * 1e-10):
                break
            mid = np.sqrt(left * right)
            go_right = (_totals(i, arch, mid) - budget > 0) == s_left
            left = np.where(go_right, mid, left)
            right = np.where(go_right, right, mid)
        out = [float(x) for x in right]
    return BudgetCrossing(arch, float(budget), tuple(out), bool(over[0]), fixed)


def budget_sentence(bc: BudgetCrossing | None, queries_per_month: float) -> str | None:
    """The crossing said plainly, at the user's volume."""
    if bc is None:
        return None
    label, budget = LABELS.get(bc.arch, bc.arch), fmt.usd(bc.budget_usd)
    if bc.over_at_start and not bc.crossings:
        return (
            f"{label} is above the {budget} budget at any volume: its fixed costs alone are "
            f"{fmt.usd(bc.fixed_usd)}/month."
        )
    if not bc.over_at_start and not bc.crossings:
        top = fmt.count(SEARCH_MAX_QUERIES)
        return f"{label} stays under the {budget} budget at any volume up to {top} queries a month."
    now = "under it" if bc.under_at(queries_per_month) else "above it"
    if bc.over_at_start:
        return (
            f"{label}'s fixed costs ({fmt.usd(bc.fixed_usd)}/month) are above the {budget} budget; it comes under it "
            f"at {_exact(bc.crossings[0])} queries a month. At your {_exact(queries_per_month)} it is {now}."
        )
    text = f"{label} stays under the {budget} budget up to {_exact(bc.crossings[0])} queries a month"
    if len(bc.crossings) > 1:
        text += f" (the cost crosses it {len(bc.crossings)} times, at capacity steps)"
    return text + f"; at your {_exact(queries_per_month)} it is {now}."


def _exact(q: float) -> str:
    return f"{q:,.0f}"


# ------------------------------------------------------------------ evidence


@dataclass(frozen=True)
class WeakEvidence:
    arch: str
    component: str  # key of COMPONENT_LABELS
    component_usd: float
    total_usd: float
    prices: tuple[PriceUsed, ...]  # the unverified ones

    def sentence(self) -> str:
        label = COMPONENT_LABELS.get(self.component, self.component)
        names = "; ".join(f"{p.name} · {p.field}" for p in self.prices)
        return (
            f"Check this price: {label.lower()} is {LABELS.get(self.arch, self.arch)}'s largest cost "
            f"({fmt.usd(self.component_usd)} of {fmt.usd(self.total_usd)} a month) and rests on a price "
            f"not verified at its source ({names})."
        )


def weak_evidence(est: Estimate, arch: str) -> WeakEvidence | None:
    """The largest monthly component of `arch`, when a figure it rests on (any kind) is unverified."""
    snap = est.current[arch]
    comps = {k: v for k, v in snap.components_usd.items() if v > 0 and math.isfinite(v)}
    if not comps:
        return None
    top = max(comps, key=lambda k: comps[k])
    # every figure the estimate read for that component of that option, of every kind (input, output, cached
    # input, cache write, batch, long-context tier, hourly, throughput): each `PriceUsed` says what it feeds
    hits = []
    for p in est.prices_used:
        if top in p.components and arch in p.options and not p.figure.verified and p not in hits:
            hits.append(p)
    if not hits:
        return None
    return WeakEvidence(arch, top, comps[top], snap.monthly_usd, tuple(hits))


# ------------------------------------------------------------------ the verdict in one line


def verdict_line(rec: Recommendation | None) -> str:
    """The recommendation and the ruled-out options, as every page states them."""
    text = headline(rec)
    if rec is None or not rec.has_verdict or rec.nothing_fits:
        return text
    out = [r.label for r in rec.ranking if r.ruled_out]
    if out:
        text += " Ruled out: " + ", ".join(out) + "."
    return text


def why_nothing_fits(rec: Recommendation) -> tuple[str, ...]:
    """Each option and the first reason it is ruled out ("Hybrid: only 0 good examples ...")."""
    return tuple(f"{r.label}: {r.reasons[0]}" if r.reasons else f"{r.label}: ruled out." for r in rec.ranking)


def nothing_fits_lines(rec: Recommendation) -> tuple[str, ...]:
    """The nothing-fits state in full: the headline, why each option is out, the ways out."""
    out = [headline(rec), "Why:", *(f"- {x}" for x in why_nothing_fits(rec))]
    if rec.ways_out:
        out += ["What would make one feasible (the smallest changes):", *(f"- {x}" for x in rec.ways_out)]
    return tuple(out)


def ruled_out_keys(rec: Recommendation | None) -> frozenset[str]:
    """The options the recommendation rules out (none before the first answer but what cannot run)."""
    if rec is None:
        return frozenset()
    return frozenset(r.key for r in rec.ranking if r.ruled_out)


def cache_warming_note(est: Estimate) -> str | None:
    """Why long context costs less per query as volume grows, when it does (by more than 10% over the chart):
    its knowledge base rides in a prompt cache that expires; more queries a minute find it warm."""
    s = est.series.get("long_context")
    if s is None or len(est.volumes) < 2:
        return None
    per_1k = np.asarray(s.usd_per_1k_queries, dtype=float)
    lo, hi = float(per_1k[0]), float(per_1k[-1])
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi >= 0.9 * lo:
        return None
    q0, q1 = float(est.volumes[0]), float(est.volumes[-1])
    return (
        f"Long context costs less per query as volume grows ({fmt.usd(lo)} per 1,000 queries at {fmt.count(q0)} "
        f"a month, {fmt.usd(hi)} at {fmt.count(q1)}): its knowledge base sits in a prompt cache that expires "
        "after its lifetime (the catalog's cache TTL), so the more queries a minute, the more of them find it warm and "
        "pay the cached-input "
        "price instead of writing it again (cache-hit share 1 − e^(−queries per second × cache lifetime); "
        "docs/formulas.md)."
    )
