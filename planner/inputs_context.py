"""Inputs for prompt caching, batch prices, long-context tiers, routing and reranking.

Flattens the catalog's optional price shapes (cached input, cache writes, cache
lifetime, batch input/output, long-context tiers, batch embedding, per-token
reranking) into plain numbers, so the engine never has to ask whether a price
exists: an absent price is NaN, read by the engine as "the same as the input (or
output) price" — no cache discount, no batch discount — so that moving the input
price in the sensitivity analysis moves those with it; an absent tier starts at
infinity. The formulas
that use them are in docs/formulas.md ("Prompt caching", "Batch share",
"Long context", "Routing and reranking").
"""

from __future__ import annotations

import math
from typing import Any

from planner.scenario import Scenario
from pricing.models import Catalog


def _get(entry: Any, field: str) -> Any:
    """An optional catalog field (older catalogs and schemas may not have it)."""
    return getattr(entry, field, None)


def _llm_prices(
    prefix: str,
    role: str,
    key: str,
    model: Any,
    which: str,
    take: Any,  # planner.inputs._Taker: call it, or .throughput(), .note()
) -> dict[str, float]:
    """Cached, cache-write, batch and long-context prices of one model, with the fallbacks of the docs."""

    def opt(entry: Any, field: str, fallback: float) -> float:  # NaN: the same as the input/output price
        return take(role, key, entry, field) if _get(entry, field) is not None else fallback

    nan = math.nan
    cached = opt(model, "cached_input_usd_per_1m_tokens", nan)
    has_cache = _get(model, "cached_input_usd_per_1m_tokens") is not None
    out = {
        f"{prefix}_cached_input_usd_per_1m_tokens": cached,
        f"{prefix}_cache_write_usd_per_1m_tokens": opt(model, "cache_write_usd_per_1m_tokens", nan),
        # no cached price: no cache at all (every request pays the input price)
        # a longer lifetime means more hits, a lower cost: like a throughput, its low-cost end is the high figure
        f"{prefix}_cache_ttl_seconds": (
            take.throughput(role, key, model, "cache_ttl_seconds")
            if has_cache and _get(model, "cache_ttl_seconds") is not None
            else 0.0
        ),
        f"{prefix}_batch_input_usd_per_1m_tokens": opt(model, "batch_input_usd_per_1m_tokens", nan),
        f"{prefix}_batch_output_usd_per_1m_tokens": opt(model, "batch_output_usd_per_1m_tokens", nan),
        f"{prefix}_tier_above_input_tokens": math.inf,
        f"{prefix}_tier_input_usd_per_1m_tokens": nan,
        f"{prefix}_tier_output_usd_per_1m_tokens": nan,
        f"{prefix}_tier_cached_input_usd_per_1m_tokens": nan,
    }
    tier = _get(model, "long_context")
    if tier is not None:
        for f in ("input_usd_per_1m_tokens", "output_usd_per_1m_tokens", "cached_input_usd_per_1m_tokens"):
            if getattr(tier, f) is not None:
                take.note(role, key, model.name, f"long_context.{f}", getattr(tier, f))
        t_in = tier.input_usd_per_1m_tokens.pick(which)
        out[f"{prefix}_tier_above_input_tokens"] = float(tier.above_input_tokens)
        out[f"{prefix}_tier_input_usd_per_1m_tokens"] = t_in
        out[f"{prefix}_tier_output_usd_per_1m_tokens"] = tier.output_usd_per_1m_tokens.pick(which)
        t_cached = _get(tier, "cached_input_usd_per_1m_tokens")
        # a tier without its own cached price gives no cache discount above the threshold
        out[f"{prefix}_tier_cached_input_usd_per_1m_tokens"] = t_cached.pick(which) if t_cached is not None else nan
    return out


def context_inputs(
    catalog: Catalog,
    scenario: Scenario,
    take: Any,
) -> dict[str, float]:
    """The `Inputs` fields of caching, batch, long-context tiers, routing and reranking."""
    w, st = scenario.workload, scenario.stack
    llm = catalog.llms[st.llm]
    offer = catalog.fine_tune_offers[st.fine_tune]
    base = catalog.llms[offer.base_llm]
    rr = catalog.rerankers[st.reranker]
    emb = catalog.embedding_models[st.embedding_model]

    retrieval = ("rag", "hybrid")
    rerank_usd = 0.0
    if w.rerank and _get(rr, "usd_per_1m_tokens") is not None:
        rerank_usd = take.feeding(("reranking",), retrieval)("Reranker", st.reranker, rr, "usd_per_1m_tokens")
    embed_batch = math.nan
    if _get(emb, "batch_usd_per_1m_tokens") is not None:
        take.feeding(("query_embedding", "reembedding", "initial_indexing"), retrieval)
        embed_batch = take("Embedding", st.embedding_model, emb, "batch_usd_per_1m_tokens")
    out: dict[str, float] = {
        "engineering_days_long_context": scenario.one_time.engineering_days.long_context,
        "cache_hit_share": -1.0 if w.cache_hit_share is None else w.cache_hit_share,
        "batch_query_share": w.batch_query_share,
        "retrieval_query_share": w.retrieval_query_share,
        "rerank_candidates_per_query": float(w.rerank_candidates_per_query or 0),
        "rerank_max_documents_per_search": float(rr.max_documents_per_search),
        "rerank_usd_per_1m_tokens": rerank_usd,
        "embed_batch_usd_per_1m_tokens": embed_batch,
    }
    which = take.which
    take.feeding(("inference",), ("prompt_only", "long_context", "rag"))
    out |= _llm_prices("llm", "LLM (prompt only, long context, RAG)", st.llm, llm, which, take)
    take.feeding(("inference",), ("fine_tuned", "hybrid"))
    if offer.served_at_base_price or offer.input_usd_per_1m_tokens is None:
        # served at the base model's prices: its cached, batch and tier prices apply too
        role = "Fine-tuning (fine-tuned, hybrid) at base price"
        out |= _llm_prices("tuned", role, offer.base_llm, base, which, take)
    else:
        # the offer's own token prices: the catalog gives it no cached, batch or tier price, so none applies
        out |= _llm_prices("tuned", "", st.fine_tune, object(), which, take)
    return out
