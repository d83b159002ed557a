"""Helpers shared by the questionnaire's test modules (tests/test_questionnaire*.py): the architectures' short
names, the knowledge-change levels, and readers of a recommendation (rank, verdict rank, the rules that
fired), and an estimate whose figures a test sets by hand (`hand_estimate`, `fake_estimate`, `crossing`).
A plain module, not a test module."""

from __future__ import annotations

import functools
from dataclasses import replace
from pathlib import Path

from planner import questionnaire as q
from planner.engine import BreakEven, Estimate
from planner.model.answers import KnowledgeChange
from planner.model.scenario import ARCHITECTURES, Scenario
from planner.questionnaire import VERDICTS, evaluate

ROOT = Path(__file__).resolve().parents[1]

P, L, R, F, H = ARCHITECTURES
LEVELS = list(KnowledgeChange)


def rank_of(rec, key: str) -> int:
    return [r.key for r in rec.ranking].index(key)


def verdict_rank(verdict: str) -> int:
    """0 is best ("recommended"), 3 worst ("ruled out")."""
    return VERDICTS.index(verdict)


def fired(rec_or_answers) -> list[str]:
    if isinstance(rec_or_answers, q.Recommendation):
        return [r.rule for r in rec_or_answers.reasons]
    return [r.rule for r in evaluate(rec_or_answers)]


def snap(monthly, p95, one_time=16_000.0):
    """An option's figures at 100,000 queries a month: `monthly` a month, `one_time` up front, p95 `p95` ms."""
    return {"monthly_usd": monthly, "latency_p95_ms": p95, "one_time_total_usd": one_time}


#: The engine's estimate the number tests start from: the mini catalog's stack at 100,000 queries a month, with
#: a knowledge base of 20 × 1,000 tokens that fits `big`'s 100,000-token window, so all five options are priced.
ENGINE_SCENARIO = Scenario.model_validate(
    {
        "name": "questionnaire numbers",
        "workload": {"queries_per_month": 100_000, "corpus_documents": 20, "tokens_per_document": 1000},
        "stack": {
            "embedding_model": "emb",
            "vector_store": "pine",
            "reranker": "rr",
            "llm": "big",
            "fine_tune": "ft-api",
        },
    }
)


@functools.cache
def engine_estimate() -> Estimate:
    from planner.engine import estimate
    from pricing.loader import load_catalog

    est = estimate(load_catalog(ROOT / "tests" / "fixtures" / "mini_catalog.yaml"), ENGINE_SCENARIO)
    assert est.priced == ARCHITECTURES and est.current[R].queries_per_month == 100_000
    return est


def hand_estimate(current: dict, break_evens=(), misfit: str | None = None) -> Estimate:
    """The engine's estimate (`engine_estimate`) with the figures the questionnaire reads set by hand, so a test
    chooses where the budget and the latency limit fall: each option of `current` gets the figures `snap` gives
    (per 1,000 queries: a hundredth of the monthly spend at 100,000 queries; TCO: one-time + 12 months); every
    other field is the engine's. Nothing is ruled out but long context when `current` leaves it out (for
    `misfit`, the knowledge base measured not to fit the context window; else its model fits no GPU)."""
    est = engine_estimate()
    snaps = {}
    for k, f in current.items():
        tco = f["one_time_total_usd"] + 12 * f["monthly_usd"]
        snaps[k] = replace(
            est.current[k],
            monthly_usd=f["monthly_usd"],
            monthly_low_usd=f["monthly_usd"],
            monthly_high_usd=f["monthly_usd"],
            usd_per_1k_queries=f["monthly_usd"] / 100,
            latency_p50_ms=f["latency_p95_ms"],
            latency_p95_ms=f["latency_p95_ms"],
            one_time_total_usd=f["one_time_total_usd"],
            tco_usd=tco,
            tco_low_usd=tco,
            tco_high_usd=tco,
        )
    return replace(
        est,
        scenario=Scenario(),  # no latency limit, no budget: the tests pass theirs to `recommend`
        series={k: est.series[k] for k in snaps},  # the options priced
        current=snaps,
        break_evens=tuple(break_evens),
        ruled_out={} if L in snaps else {L: misfit or NO_GPU},
        context_misfit=misfit,
    )


NO_GPU = "Long context: its model fits no GPU replica."


def crossing(a, b, queries_per_month, cheaper_below, cheaper_above):
    return BreakEven(a, b, queries_per_month, 0.0, cheaper_below, cheaper_above, at_step=False)


def fake_estimate(costs: dict, p95s: dict, break_evens=(), misfit: str | None = None):
    return hand_estimate({k: snap(costs[k], p95s[k]) for k in costs}, break_evens, misfit)
