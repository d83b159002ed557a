"""The read-outs at a volume (the monthly cost and the p95 of each architecture), for many volumes at once.

The Costs and Latency pages show, above their chart, each architecture's figure at the scenario's
volume. The chart's volume slider moves in the browser; it carries the read-outs for every one of its
steps, computed here in one vectorized pass of the engine over the steps, so a move needs no round
trip. The numbers are the engine's own (`Estimate.current` at that volume: the same functions on the
same inputs), and the cards' text is made by the same functions the pages use.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from planner.engine import (
    combine_latency,
    corpus,
    elementwise_total,
    first_token_latency,
    latency_parts,
    monthly_components,
)
from planner.engine.gather import build_inputs
from planner.model import format as fmt
from planner.model.scenario import Scenario
from planner.model.vocabulary import LABELS
from planner.presentation import verdict
from pricing.models import Catalog


@dataclass(frozen=True)
class AtVolumes:
    """Each priced architecture at each of `volumes`: what the read-outs show."""

    volumes: np.ndarray
    monthly_usd: dict[str, np.ndarray]
    latency_p95_ms: dict[str, np.ndarray]  # to the full answer
    first_token_p95_ms: dict[str, np.ndarray]

    def limited_p95_ms(self, arch: str, applies_to: str) -> np.ndarray:
        """The p95 the latency limit bounds (as `Estimate.limited_p95_ms`)."""
        return self.first_token_p95_ms[arch] if applies_to == "first_token" else self.latency_p95_ms[arch]


def at_volumes(catalog: Catalog, scenario: Scenario, priced: tuple[str, ...], volumes) -> AtVolumes:
    """`Estimate.current`'s monthly cost and p95s of each architecture in `priced`, at every volume."""
    q = np.asarray(volumes, dtype=float)
    typ, _ = build_inputs(catalog, scenario, "value")
    c = corpus(typ)
    monthly, p95, ft95 = {}, {}, {}
    for a in priced:
        monthly[a] = elementwise_total(monthly_components(typ, a, q, c).values())
        parts = latency_parts(typ, a, q)
        p95[a] = combine_latency(parts)[1]
        ft95[a] = first_token_latency(parts)[1]
    return AtVolumes(q, monthly, p95, ft95)


@dataclass(frozen=True)
class Card:
    """One read-out as `st.metric` shows it."""

    label: str
    value: str
    delta: str | None
    delta_color: Literal["inverse", "off"]
    delta_arrow: Literal["auto", "off"]


def cost_caption(q: float) -> str:
    return f"Monthly cost at {fmt.count(q)} queries a month"


def cost_cards(priced: tuple[str, ...], monthly_usd: dict[str, float], ruled_out: set[str]) -> list[Card]:
    """The Costs page's cards: each architecture's monthly cost, the cheapest of those still open marked
    (equal costs share the mark), the others' difference to it."""
    best_of = verdict.cheapest({a: monthly_usd[a] for a in priced}, ruled_out)
    cards = []
    for a in priced:
        best = a in best_of
        if a in ruled_out:
            delta = "ruled out"
        elif best:
            delta = "cheapest"
        else:
            delta = f"+{fmt.usd(monthly_usd[a] - monthly_usd[best_of[0]])} vs {LABELS[best_of[0]]}"
        plain = best or a in ruled_out
        cards.append(
            Card(LABELS[a], fmt.usd(monthly_usd[a]), delta, "off" if plain else "inverse", "off" if plain else "auto")
        )
    return cards


def latency_cards(
    priced: tuple[str, ...], p95_ms: dict[str, float], limit_ms: float | None, first_token: bool
) -> list[Card]:
    """The Latency page's cards: each architecture's bounded p95, and how far it is from the limit."""
    cards = []
    for a in priced:
        delta = None
        if limit_ms:
            over = p95_ms[a] - limit_ms
            delta = f"{'+' if over > 0 else '-'}{fmt.ms(abs(over))} vs the limit"
        label = f"{LABELS[a]} · p95 {'first token' if first_token else 'full answer'}"
        cards.append(Card(label, fmt.ms(p95_ms[a]), delta, "inverse", "auto"))
    return cards
