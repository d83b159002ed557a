"""Prices on the dates they apply: the scheduled price changes a scenario meets inside its horizon, and each
month of the horizon priced with the prices in force that month.

The estimate's curves and its figures at the user's volume are at the prices in force on the first day of the
horizon (`start_day`). A change dated inside the horizon is listed (`changes_in_horizon`) with the monthly spend
of every option from that day on, and the total cost of ownership sums the months one by one: a month that
straddles a change is priced pro rata by its days under each price (docs/formulas.md, "Prices on the dates
they apply").
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from planner.engine.costs import elementwise_total, monthly_components
from planner.engine.gather import build_inputs
from planner.engine.lifecycle import add_months
from planner.engine.results import Snapshot
from planner.model import format as fmt
from planner.model.scenario import Scenario
from planner.model.vocabulary import LABELS
from pricing.llms import CHANGE_PRICE_FIELDS, LLM, price_words
from pricing.models import Catalog

_TIER_FIELDS = (
    "above_input_tokens",
    "input_usd_per_1m_tokens",
    "output_usd_per_1m_tokens",
    "cached_input_usd_per_1m_tokens",
)


@dataclass(frozen=True)
class PriceChangeMet:
    """One price of an entry the estimate uses that changes inside the horizon."""

    on: date
    entry: str  # catalog key under `llms`
    name: str
    field: str  # the LLM's field ("input_usd_per_1m_tokens", "long_context.input_usd_per_1m_tokens", ...)
    old: float | None  # None: no such price before the change
    new: float | None
    month: int  # the horizon month (1 = the first) the change falls in
    monthly_usd_after: dict[str, float]  # each priced option at the user's volume, from that day on

    def to_dict(self) -> dict:
        unit = "tokens" if self.field.endswith("above_input_tokens") else "usd_per_1m_tokens"
        return {
            "date": self.on.isoformat(),
            "entry": self.entry,
            "name": self.name,
            "field": self.field,
            f"old_{unit}": self.old,
            f"new_{unit}": self.new,
            "month": self.month,
            "monthly_usd_after": {a: float(f"{v:.6g}") for a, v in self.monthly_usd_after.items()},
        }


def _value(fig) -> float | None:
    return None if fig is None else float(fig.value if hasattr(fig, "value") else fig)


def _prices(llm: LLM) -> dict[str, float | None]:
    out = {f: _value(getattr(llm, f)) for f in CHANGE_PRICE_FIELDS}
    tier = llm.long_context
    for f in _TIER_FIELDS:
        out[f"long_context.{f}"] = None if tier is None else _value(getattr(tier, f))
    return out


def priced_llms(catalog: Catalog, scenario: Scenario) -> list[str]:
    """Keys of the LLMs whose token prices the estimate pays (none when the models run on own GPUs)."""
    st = scenario.stack
    if st.serving != "api":
        return []
    keys = [st.llm]
    offer = catalog.fine_tune_offers.get(st.fine_tune)
    hourly_only = offer is not None and offer.hosting == "dedicated" and offer.input_usd_per_1m_tokens is None
    at_base = offer is not None and (offer.served_at_base_price or offer.input_usd_per_1m_tokens is None)
    if offer is not None and at_base and not hourly_only and offer.base_llm not in keys:
        keys.append(offer.base_llm)
    return keys


def horizon_end(start: date, months: int) -> date:
    """The day after the horizon's last day."""
    return add_months(start, months)


def changes_in_horizon(
    catalog: Catalog, scenario: Scenario, start: date
) -> list[tuple[date, str, str, str, float | None, float | None]]:
    """(date, entry, name, field, old, new) of every price the estimate uses that changes after `start` and
    before the horizon ends, oldest first."""
    end = horizon_end(start, scenario.horizon_months)
    out = []
    for key in priced_llms(catalog, scenario):
        llm = catalog.llms.get(key)
        if llm is None:
            continue
        for change in llm.price_changes:
            if not start < change.effective_on < end:
                continue
            before, after = (
                _prices(llm.on(change.effective_on - timedelta(days=1))),
                _prices(llm.on(change.effective_on)),
            )
            for field, old in before.items():
                if after[field] != old:
                    out.append((change.effective_on, key, llm.name, field, old, after[field]))
    out.sort(key=lambda c: c[0])
    return out


def month_shares(start: date, months: int, boundaries: list[date]) -> np.ndarray:
    """shares[m, k]: the share of horizon month m's days under price period k (period 0 from `start`, period k
    from `boundaries[k - 1]`)."""
    edges = [start, *boundaries]
    shares = np.zeros((months, len(edges)))
    for m in range(months):
        m0, m1 = add_months(start, m), add_months(start, m + 1)
        days = (m1 - m0).days
        for k, p0 in enumerate(edges):
            p1 = edges[k + 1] if k + 1 < len(edges) else m1
            overlap = (min(m1, p1) - max(m0, p0)).days
            shares[m, k] = max(overlap, 0) / days
    return shares


def _monthly(i, arch: str, q_now: np.ndarray, c: dict) -> float:
    return float(elementwise_total(monthly_components(i, arch, q_now, c).values())[0])


def dated(
    catalog: Catalog,
    scenario: Scenario,
    start: date,
    current: dict[str, Snapshot],
    c: dict,
    corpus_documents: float | None = None,
) -> tuple[dict[str, Snapshot], tuple[PriceChangeMet, ...]]:
    """The snapshots with their TCO summed month by month, and the changes met (unchanged when none).
    `corpus_documents`: the knowledge base priced in place of the scenario's (planner/engine/knowledge.py)."""
    met = changes_in_horizon(catalog, scenario, start)
    if not met:
        return current, ()
    boundaries = sorted({m[0] for m in met})
    months = scenario.horizon_months
    shares = month_shares(start, months, boundaries)
    q_now = np.array([scenario.workload.queries_per_month])
    after: dict[date, dict[str, float]] = {d: {} for d in boundaries}
    # the inputs at each period's prices, built once for every option
    inputs = {(w, d): build_inputs(catalog, scenario, w, on=d)[0] for w in ("value", "low", "high") for d in boundaries}
    if corpus_documents is not None:
        inputs = {k: i.replace(corpus_documents=corpus_documents) for k, i in inputs.items()}
    out = {}
    for a, snap in current.items():
        by = {}
        for which, first in (
            ("value", snap.monthly_usd),
            ("low", snap.monthly_low_usd),
            ("high", snap.monthly_high_usd),
        ):
            per_period = [first] + [_monthly(inputs[which, d], a, q_now, c) for d in boundaries]
            by[which] = tuple(float(x) for x in shares @ np.array(per_period))
            if which == "value":
                for d, usd in zip(boundaries, per_period[1:], strict=True):
                    after[d][a] = usd
        out[a] = dataclasses.replace(
            snap,
            tco_usd=snap.one_time_total_usd + sum(by["value"]),
            tco_low_usd=snap.tco_low_usd - snap.monthly_low_usd * months + sum(by["low"]),
            tco_high_usd=snap.tco_high_usd - snap.monthly_high_usd * months + sum(by["high"]),
            monthly_by_month_usd=by["value"],
            monthly_low_by_month_usd=by["low"],
            monthly_high_by_month_usd=by["high"],
        )
    month_of = {d: int(np.argmax(shares[:, 1 + k] > 0)) + 1 for k, d in enumerate(boundaries)}
    changes = tuple(
        PriceChangeMet(d, key, name, field, old, new, month_of[d], after[d]) for d, key, name, field, old, new in met
    )
    return out, changes


def _price(x: float | None, field: str) -> str:
    if x is None:
        return "none"
    return f"{x:,.0f} tokens" if field.endswith("above_input_tokens") else f"${x:g}"


def change_warnings(
    changes: tuple[PriceChangeMet, ...], scenario: Scenario, start: date, current: dict[str, Snapshot]
) -> list[str]:
    """One sentence per entry and date: what changes, and what each option it moves costs a month from then on."""
    out = []
    seen: dict[tuple[date, str], list[PriceChangeMet]] = {}
    for ch in changes:
        seen.setdefault((ch.on, ch.entry), []).append(ch)
    for (day, _), group in seen.items():
        first = group[0]
        what = ", ".join(
            f"{price_words(ch.field)} {_price(ch.old, ch.field)} → {_price(ch.new, ch.field)}" for ch in group
        )
        moved = {a: v for a, v in first.monthly_usd_after.items() if abs(v - current[a].monthly_usd) > 1e-9}
        costs = ", ".join(f"{LABELS.get(a, a)} {fmt.usd(v)}/month" for a, v in moved.items()) or "no option moves"
        out.append(
            f"{first.name} (`{first.entry}`) changes its prices on {day.isoformat()}, inside the scenario's "
            f"{scenario.horizon_months}-month horizon from {start.isoformat()} (month {first.month}): {what} per 1M "
            f"tokens. The monthly figures are at the start's prices; from {day.isoformat()} at this volume: {costs}. "
            "The total cost of ownership sums the months at the prices in force."
        )
    return out


def change_note(est, arch: str) -> str | None:
    """`arch`'s monthly spend after each scheduled price change inside the horizon that moves it, in one
    sentence (None when none does): what the Decide page says beside the recommendation."""
    snap = est.current.get(arch)
    if snap is None:
        return None
    after: dict[date, float] = {}
    for ch in est.price_changes_in_horizon:
        usd = ch.monthly_usd_after.get(arch)
        if usd is not None and abs(usd - snap.monthly_usd) > 1e-9:
            after.setdefault(ch.on, usd)
    if not after:
        return None
    steps = "; ".join(f"from {d.isoformat()}, {fmt.usd(v)}/month" for d, v in after.items())
    return (
        f"Prices change inside the horizon: {LABELS.get(arch, arch)} costs {fmt.usd(snap.monthly_usd)}/month at the "
        f"start's prices ({est.start_date}); {steps}. The total cost of ownership "
        f"({fmt.usd(snap.tco_usd)} over {est.scenario.horizon_months} months) sums the months at the prices in force."
    )
