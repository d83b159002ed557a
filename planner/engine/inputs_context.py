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

from planner.engine.inputs import Taker
from planner.model.scenario import Scenario
from pricing.llms import LLM
from pricing.models import Catalog


def _llm_prices(
    prefix: str,
    role: str,
    key: str,
    model: LLM | None,
    which: str,
    take: Taker,
) -> dict[str, float]:
    """Cached, cache-write, batch and long-context prices of one model, with the fallbacks of the docs.
    `model` None: token prices that are not a model's (the offer's own), so no price of any kind applies."""
    nan = math.nan
    out = {
        f"{prefix}_cached_input_usd_per_1m_tokens": nan,
        f"{prefix}_cache_write_usd_per_1m_tokens": nan,
        f"{prefix}_cache_ttl_seconds": 0.0,
        f"{prefix}_batch_input_usd_per_1m_tokens": nan,
        f"{prefix}_batch_output_usd_per_1m_tokens": nan,
        f"{prefix}_tier_above_input_tokens": math.inf,
        f"{prefix}_tier_input_usd_per_1m_tokens": nan,
        f"{prefix}_tier_output_usd_per_1m_tokens": nan,
        f"{prefix}_tier_cached_input_usd_per_1m_tokens": nan,
    }
    if model is None:
        return out | _cache_rules(prefix, role, key, model, take)

    def price(f: str) -> None:  # left NaN where the catalog gives none: the same as the input/output price
        if getattr(model, f) is not None:
            out[f"{prefix}_{f}"] = take(role, key, model, f)

    price("cached_input_usd_per_1m_tokens")
    price("cache_write_usd_per_1m_tokens")
    # no cached price: no cache at all (every request pays the input price)
    # a longer lifetime means more hits, a lower cost: like a throughput, its low-cost end is the high figure
    if model.cached_input_usd_per_1m_tokens is not None and model.cache_ttl_seconds is not None:
        out[f"{prefix}_cache_ttl_seconds"] = take.throughput(role, key, model, "cache_ttl_seconds")
    price("batch_input_usd_per_1m_tokens")
    price("batch_output_usd_per_1m_tokens")
    out |= _cache_rules(prefix, role, key, model, take)
    tier = model.long_context
    if tier is not None:
        for f in ("input_usd_per_1m_tokens", "output_usd_per_1m_tokens", "cached_input_usd_per_1m_tokens"):
            if getattr(tier, f) is not None:
                take.note(role, key, model.name, f"long_context.{f}", getattr(tier, f))
        t_in = tier.input_usd_per_1m_tokens.pick(which)
        out[f"{prefix}_tier_above_input_tokens"] = float(tier.above_input_tokens)
        out[f"{prefix}_tier_input_usd_per_1m_tokens"] = t_in
        out[f"{prefix}_tier_output_usd_per_1m_tokens"] = tier.output_usd_per_1m_tokens.pick(which)
        t_cached = tier.cached_input_usd_per_1m_tokens
        # a tier without its own cached price gives no cache discount above the threshold
        out[f"{prefix}_tier_cached_input_usd_per_1m_tokens"] = t_cached.pick(which) if t_cached is not None else nan
    return out


def _cache_rules(prefix: str, role: str, key: str, model: LLM | None, take: Taker) -> dict[str, float]:
    """The 1-hour write and explicit-cache storage prices (NaN: not offered) and the cache's rules: the
    minimum cacheable prefix (0: any), the first-token saving of a hit (0: none) and the hit-share ceiling (1)."""
    nan = math.nan
    out = {
        f"{prefix}_cache_write_1h_usd_per_1m_tokens": nan,
        f"{prefix}_cache_storage_usd_per_1m_tokens_per_hour": nan,
        f"{prefix}_cache_min_prefix_tokens": 0.0,
        f"{prefix}_cache_first_token_saving_share": 0.0,
        f"{prefix}_cache_hit_share_ceiling": 1.0,
    }
    if model is None or model.cached_input_usd_per_1m_tokens is None:
        return out  # no cache at all
    for f in ("cache_write_1h_usd_per_1m_tokens", "cache_storage_usd_per_1m_tokens_per_hour"):
        if getattr(model, f) is not None:
            out[f"{prefix}_{f}"] = take(role, key, model, f)
    rules = model.prompt_cache
    if rules is not None:
        if rules.min_prefix_tokens is not None:
            out[f"{prefix}_cache_min_prefix_tokens"] = float(rules.min_prefix_tokens)
        if rules.first_token_saving_share is not None:
            out[f"{prefix}_cache_first_token_saving_share"] = rules.first_token_saving_share
        if rules.hit_share_ceiling is not None:
            out[f"{prefix}_cache_hit_share_ceiling"] = rules.hit_share_ceiling
    return out


def context_inputs(
    catalog: Catalog,
    scenario: Scenario,
    take: Taker,
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
    if w.rerank and rr.usd_per_1m_tokens is not None:
        rerank_usd = take.feeding(("reranking",), retrieval)("Reranker", st.reranker, rr, "usd_per_1m_tokens")
    embed_batch = math.nan
    if emb.batch_usd_per_1m_tokens is not None:
        take.feeding(("query_embedding", "reembedding", "initial_indexing"), retrieval)
        embed_batch = take("Embedding", st.embedding_model, emb, "batch_usd_per_1m_tokens")
    out: dict[str, float] = {
        "engineering_days_long_context": scenario.one_time.engineering_days.long_context,
        "cache_hit_share": -1.0 if w.cache_hit_share is None else w.cache_hit_share,
        "cache_hit_share_ceiling": -1.0 if w.cache_hit_share_ceiling is None else w.cache_hit_share_ceiling,
        "cache_lifetime_1h": 1.0 if w.cache_lifetime == "1h" else 0.0,
        "explicit_cache": 1.0 if w.explicit_cache else 0.0,
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
    if offer.hosting == "dedicated" and offer.input_usd_per_1m_tokens is None:
        # a dedicated endpoint billed by the hour alone: no per-token price of any kind (cached, write, batch,
        # tier): every NaN falls back to the input price, which is 0 (the Inputs defaults, planner/engine/inputs.py)
        out |= _llm_prices("tuned", "", st.fine_tune, None, which, take)
    elif offer.served_at_base_price or offer.input_usd_per_1m_tokens is None:
        # served at the base model's prices: its cached, batch and tier prices apply too
        role = "Fine-tuning (fine-tuned, hybrid) at base price"
        out |= _llm_prices("tuned", role, offer.base_llm, base, which, take)
    else:
        # the offer's own token prices: the catalog gives it no cached, batch or tier price, so none applies
        out |= _llm_prices("tuned", "", st.fine_tune, None, which, take)
    return out


def latency_model_fields(catalog: Catalog, take: Taker) -> dict[str, float]:
    """The latency model's figures (planner.engine.gather builds them with the rest; they feed no cost)."""
    lm = catalog.latency_model
    take.feeding((), ())
    take.note(
        "Latency model", "latency_model", "Latency model", "ttft_ms_per_1k_input_tokens", lm.ttft_ms_per_1k_input_tokens
    )
    take.note("Latency model", "latency_model", "Latency model", "network_overhead_ms", lm.network_overhead_ms)
    return dict(
        ttft_ms_per_1k_input_tokens=lm.ttft_ms_per_1k_input_tokens.value,
        network_overhead_ms=lm.network_overhead_ms.value,
        p95_over_p50=lm.p95_over_p50,
    )
