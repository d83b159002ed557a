"""Flatten a catalog and a scenario into one `Inputs` record (planner/engine/inputs.py): one builder per catalog
family, each returning the fields it fills and recording, through its `Taker`, which catalog figure fed which input.
"""

from __future__ import annotations

import difflib
from dataclasses import replace
from datetime import date

from planner.engine.inputs import Inputs, PriceUsed, Taker
from planner.engine.inputs_context import context_inputs, latency_model_fields
from planner.engine.serving_fit import gpu_problem, replicas, serving_misfits, serving_problems
from planner.engine.serving_model import model_facts
from planner.engine.vector_stores import STORE_SHAPES, VS_DEFAULTS
from planner.model.scenario import Scenario, start_day
from pricing.errors import UnknownEntryError
from pricing.models import Catalog

#: The options each family's figures feed.
_ALL = ("prompt_only", "long_context", "rag", "fine_tuned", "hybrid")
_RETRIEVAL = ("rag", "hybrid")
_UNTUNED = ("prompt_only", "long_context", "rag")
_TUNED = ("fine_tuned", "hybrid")


def _lookup(family: dict, key: str, what: str, role: str):
    if key in family:
        return family[key]
    close = difflib.get_close_matches(key, sorted(family), n=1)
    hint = f" — did you mean `{close[0]}`?" if close else f" (known: {', '.join(sorted(family))})"
    raise UnknownEntryError(f"stack.{role}: `{key}` is not in the catalog's {what}{hint}")


# ------------------------------------------------------------------ one builder per catalog family
# Each returns the `Inputs` fields it fills; `take` records the figures it read.

R_EMB, R_VS, R_RR = "Embedding", "Vector store", "Reranker"
R_LLM, R_FT = "LLM (prompt only, long context, RAG)", "Fine-tuning (fine-tuned, hybrid)"


def _scenario_fields(s: Scenario) -> dict[str, float]:
    w, ft, st, ot = s.workload, s.fine_tuning, s.stack, s.one_time
    return dict(
        queries_per_month=w.queries_per_month,
        peak_to_average_ratio=w.peak_to_average_ratio,
        input_tokens_per_query=w.input_tokens_per_query,
        output_tokens_per_query=w.output_tokens_per_query,
        system_prompt_tokens=w.system_prompt_tokens,
        few_shot_tokens=w.few_shot_tokens,
        corpus_documents=w.corpus_documents,
        tokens_per_document=w.tokens_per_document,
        chunk_tokens=w.chunk_tokens,
        chunk_overlap_tokens=w.chunk_overlap_tokens,
        corpus_change_share_per_month=w.corpus_change_share_per_month,
        top_k=float(w.top_k),
        rerank=1.0 if w.rerank else 0.0,
        metadata_bytes_per_chunk=w.metadata_bytes_per_chunk,
        training_examples=float(ft.training_examples),
        examples_on_hand=float(ft.examples_on_hand),
        tokens_per_example=ft.tokens_per_example,
        epochs=ft.epochs,
        knowledge_retrains_per_month=ft.knowledge_retrains_per_month,
        behavior_retrains_per_month=ft.behavior_retrains_per_month,
        self_hosted=1.0 if st.serving == "self_hosted" else 0.0,
        target_utilization=st.target_utilization,
        min_replicas=float(st.min_replicas),
        input_token_weight=st.input_token_weight,
        hours_per_month=st.hours_per_month,
        labeling_usd_per_example=ot.labeling_usd_per_example,
        engineering_days_prompt_only=ot.engineering_days.prompt_only,
        engineering_days_rag=ot.engineering_days.rag,
        engineering_days_fine_tuned=ot.engineering_days.fine_tuned,
        engineering_days_hybrid=ot.engineering_days.hybrid,
        usd_per_engineering_day=ot.usd_per_engineering_day,
        latency_limit_full_answer_ms=(
            s.latency_target_p95_ms
            if s.latency_target_p95_ms is not None and s.latency_limit_applies_to == "full_answer"
            else float("inf")
        ),
    )


def _embedding_fields(catalog: Catalog, key: str, take: Taker) -> dict[str, float]:
    emb = _lookup(catalog.embedding_models, key, "embedding models", "embedding_model")
    take.feeding(("query_embedding", "reembedding", "initial_indexing"), _RETRIEVAL)
    if emb.usd_per_1m_tokens is not None:
        price = take(R_EMB, key, emb, "usd_per_1m_tokens")
    else:
        gpu = catalog.gpus[emb.self_hosted.gpu]
        gpu_usd = take("Embedding GPU", emb.self_hosted.gpu, gpu, "usd_per_hour")
        tps = take.throughput(R_EMB, key, emb, "self_hosted.tokens_per_second", fig=emb.self_hosted.tokens_per_second)
        price = gpu_usd / (tps * 3600) * 1e6
    return dict(
        embed_usd_per_1m_tokens=price,
        embed_dimensions=float(emb.dimensions),
        embed_latency_p50_ms=take(R_EMB, key, emb, "latency_p50_ms"),
        embed_latency_p95_ms=take(R_EMB, key, emb, "latency_p95_ms"),
    )


def _vector_store_fields(catalog: Catalog, key: str, take: Taker) -> dict:
    store = _lookup(catalog.vector_stores, key, "vector stores", "vector_store")
    take.feeding(("vector_store", "initial_indexing"), _RETRIEVAL)
    shape = STORE_SHAPES[store.billing]
    out: dict = dict(VS_DEFAULTS, vs_shape=store.billing)
    for f in shape.prices:
        if getattr(store, f) is not None:
            out[f"vs_{f}"] = take(R_VS, key, store, f)
    for f in shape.throughputs:
        out[f"vs_{f}"] = max(take.throughput(R_VS, key, store, f), 1e-9)
    for f in shape.constants:
        out[f"vs_{f}"] = float(getattr(store, f))
    out["vs_latency_p50_ms"] = take(R_VS, key, store, "latency_p50_ms")
    out["vs_latency_p95_ms"] = take(R_VS, key, store, "latency_p95_ms")
    return out


def _reranker_fields(catalog: Catalog, s: Scenario, take: Taker) -> dict[str, float]:
    key, w = s.stack.reranker, s.workload
    rr = _lookup(catalog.rerankers, key, "rerankers", "reranker")
    take.feeding(("reranking",), _RETRIEVAL)
    # the engine counts searches (or tokens) per query from the rerank candidates (at least top_k, so
    # moving top_k moves them): one search reranks up to max_documents_per_search documents
    out = dict(rerank_max_documents_per_search=float(rr.max_documents_per_search))
    if not w.rerank:
        return out | dict(rerank_usd_per_1k_searches=0.0, rerank_latency_p50_ms=0.0, rerank_latency_p95_ms=0.0)
    per_search = rr.usd_per_1k_searches is not None  # else a per-token reranker (planner/engine/inputs_context.py)
    price = take(R_RR, key, rr, "usd_per_1k_searches") if per_search else 0.0
    if rr.self_hosted is not None:
        # GPU time: one search scores the query's candidates (at most max_documents_per_search of them)
        gpu = catalog.gpus[rr.self_hosted.gpu]
        gpu_usd = take("Reranker GPU", rr.self_hosted.gpu, gpu, "usd_per_hour")
        dps = take.throughput(
            R_RR, key, rr, "self_hosted.documents_per_second", fig=rr.self_hosted.documents_per_second
        )
        docs = min(max(w.rerank_candidates_per_query or 0, w.top_k), rr.max_documents_per_search)
        price = 1000 * docs * gpu_usd / (dps * 3600)
    return out | dict(
        rerank_usd_per_1k_searches=price,
        rerank_latency_p50_ms=take(R_RR, key, rr, "latency_p50_ms"),
        rerank_latency_p95_ms=take(R_RR, key, rr, "latency_p95_ms"),
    )


def _llm_fields(catalog: Catalog, key: str, take: Taker) -> dict[str, float]:
    llm = _lookup(catalog.llms, key, "LLMs", "llm")
    take.feeding(("inference",), _UNTUNED)
    out = dict(
        llm_input_usd_per_1m_tokens=take(R_LLM, key, llm, "input_usd_per_1m_tokens"),
        llm_output_usd_per_1m_tokens=take(R_LLM, key, llm, "output_usd_per_1m_tokens"),
        llm_ttft_ms=take(R_LLM, key, llm, "ttft_ms"),
    )
    take.note(R_LLM, key, llm.name, "output_tokens_per_second", llm.output_tokens_per_second)
    out["llm_output_tokens_per_second"] = llm.output_tokens_per_second.value
    out["llm_reasoning_tokens"] = llm.reasoning.tokens_per_request if llm.reasoning else 0.0
    return out


def _fine_tune_fields(catalog: Catalog, key: str, take: Taker) -> dict[str, float]:
    offer = _lookup(catalog.fine_tune_offers, key, "fine-tuning offers", "fine_tune")
    tuned_llm = catalog.llms[offer.base_llm]
    dedicated_tps = 0.0
    take.feeding(("model_hosting",), _TUNED)
    if offer.hosting == "dedicated" and offer.dedicated_output_tokens_per_second is not None:
        dedicated_tps = take.throughput(
            R_FT, key, offer, "dedicated_output_tokens_per_second", fig=offer.dedicated_output_tokens_per_second
        )
    if offer.hosting == "dedicated" and offer.input_usd_per_1m_tokens is None:
        # a dedicated endpoint is billed by the hour alone: no per-token price on top
        tuned_in = tuned_out = 0.0
    elif offer.served_at_base_price or offer.input_usd_per_1m_tokens is None:
        take.feeding(("inference",), _TUNED)
        tuned_in = take(R_FT + " at base price", offer.base_llm, tuned_llm, "input_usd_per_1m_tokens")
        tuned_out = take(R_FT + " at base price", offer.base_llm, tuned_llm, "output_usd_per_1m_tokens")
    else:
        take.feeding(("inference",), _TUNED)
        tuned_in = take(R_FT, key, offer, "input_usd_per_1m_tokens")
        tuned_out = take(R_FT, key, offer, "output_usd_per_1m_tokens")
    take.feeding(("model_hosting",), _TUNED)
    hosting = take(R_FT, key, offer, "hosting_usd_per_hour") if offer.hosting_usd_per_hour else 0.0
    take.feeding(("training", "first_training"), _TUNED)
    if offer.training_usd_per_1m_tokens is not None:
        train_price, train_gpu_usd, train_tps = take(R_FT, key, offer, "training_usd_per_1m_tokens"), 0.0, 1.0
    else:
        sht = offer.self_hosted_training
        train_gpu = catalog.gpus[sht.gpu]
        train_price = 0.0
        train_gpu_usd = take("Training GPU", sht.gpu, train_gpu, "usd_per_hour")
        train_tps = take.throughput(
            R_FT, key, offer, "self_hosted_training.tokens_per_second", fig=sht.tokens_per_second
        )
    return dict(
        tuned_input_usd_per_1m_tokens=tuned_in,
        tuned_output_usd_per_1m_tokens=tuned_out,
        tuned_hosting_usd_per_hour=hosting,
        tuned_dedicated_output_tokens_per_second=dedicated_tps,
        training_usd_per_1m_tokens=train_price,
        training_gpu_usd_per_hour=train_gpu_usd,
        training_tokens_per_second=train_tps,
        tuned_ttft_ms=take(R_FT + " base model", offer.base_llm, tuned_llm, "ttft_ms"),
        tuned_output_tokens_per_second=tuned_llm.output_tokens_per_second.value,
        tuned_reasoning_tokens=tuned_llm.reasoning.tokens_per_request if tuned_llm.reasoning else 0.0,
    )


def _serving_fields(catalog: Catalog, s: Scenario, take: Taker) -> dict[str, float]:
    st = s.stack
    fields_ = dict(
        serving_gpu_memory_gb=0.0,
        serving_memory_utilization=st.gpu_memory_utilization,
        serving_max_sequences_per_replica=float(st.max_sequences_per_replica),
    )
    if st.serving != "self_hosted":
        return fields_ | dict(
            serving_gpu_usd_per_hour=0.0,
            serving_tokens_per_second_base=1.0,
            serving_tokens_per_second_tuned=1.0,
            serving_gpus_per_replica_base=1.0,
            serving_gpus_per_replica_tuned=1.0,
            serving_gpus_per_replica_long_context=1.0,
            serving_tokens_per_second_long_context=1.0,
            serving_weights_gb_base=0.0,
            serving_weights_gb_tuned=0.0,
            serving_kv_bytes_per_token_base=0.0,
            serving_kv_bytes_per_token_tuned=0.0,
        )
    llm = catalog.llms[st.llm]
    offer = catalog.fine_tune_offers[st.fine_tune]
    tuned_llm = catalog.llms[offer.base_llm]
    gpu = _lookup(catalog.gpus, st.gpu, "GPUs", "gpu")
    if len(serving_misfits(catalog, s)) == 2 or gpu_problem(catalog, s):
        # nothing can be priced (one side alone is ruled out by the estimate): every reason, one sentence each
        raise UnknownEntryError("; ".join(serving_problems(catalog, s)))
    # per GPU: an instance's price and throughput ÷ its GPUs
    take.feeding(("gpu_serving",), _ALL)
    gpu_usd = take("Serving GPU", st.gpu, gpu, "usd_per_hour") / gpu.gpu_count
    acc = catalog.accelerators.get(gpu.accelerator) if gpu.accelerator else None
    if acc is not None:
        return fields_ | _model_serving_fields(catalog, s, gpu_usd, acc)
    per_gpu_8b = take.throughput("Serving GPU", st.gpu, gpu, "vllm_8b_tokens_per_second") / gpu.gpu_count
    base, tuned, lc = replicas(catalog, s, gpu)
    if gpu.memory_gb_per_gpu is not None:
        fields_["serving_gpu_memory_gb"] = float(gpu.memory_gb_per_gpu)

    def throughput(g: float, model) -> float:  # scales inversely with parameters, with the replica's GPUs
        return per_gpu_8b * g * 8.0 / (model.parameters_billion or 8.0)

    return fields_ | dict(
        serving_gpu_usd_per_hour=gpu_usd,
        serving_tokens_per_second_base=throughput(base.gpus, llm),
        serving_tokens_per_second_tuned=throughput(tuned.gpus, tuned_llm),
        serving_tokens_per_second_long_context=throughput(lc.gpus, llm),
        serving_gpus_per_replica_base=base.gpus,
        serving_gpus_per_replica_tuned=tuned.gpus,
        serving_gpus_per_replica_long_context=lc.gpus,
        serving_weights_gb_base=base.weights_gb,
        serving_weights_gb_tuned=tuned.weights_gb,
        serving_kv_bytes_per_token_base=base.kv_bytes_per_token,
        serving_kv_bytes_per_token_tuned=tuned.kv_bytes_per_token,
    )


def _side_facts(prefix: str, m) -> dict:
    return {
        f"serving_{prefix}_total_parameters_billion": m.total_parameters_billion,
        f"serving_{prefix}_active_parameters_billion": m.active_parameters_billion,
        f"serving_{prefix}_layers": m.layers,
        f"serving_{prefix}_kv_bytes_per_token_full": m.kv_bytes_per_token_full,
        f"serving_{prefix}_kv_bytes_per_token_window": m.kv_bytes_per_token_window,
        f"serving_{prefix}_window_tokens": m.window_tokens,
        f"serving_{prefix}_weights_precision": m.weights_precision,
    }


def _model_serving_fields(catalog: Catalog, s: Scenario, gpu_usd: float, acc) -> dict:
    """The serving model's inputs: the GPU's datasheet and each side's architecture (planner/engine/serving_model.py);
    replica shapes are sized per option by the engine (planner/engine/serving.py)."""
    st = s.stack
    llm = catalog.llms[st.llm]
    tuned = catalog.llms[catalog.fine_tune_offers[st.fine_tune].base_llm]
    return dict(
        serving_model=1.0,
        serving_precision=st.precision,
        serving_gpu_usd_per_hour=gpu_usd,
        serving_gpu_memory_gb=float(acc.memory_gb),
        serving_gpu_bandwidth_gb_per_second=float(acc.memory_bandwidth_gb_per_second),
        serving_gpu_bf16_tflops=float(acc.dense_bf16_tflops),
        serving_gpu_fp8_tflops=float(acc.dense_fp8_tflops or 0.0),
        serving_gpu_fp4_tflops=float(acc.dense_fp4_tflops or 0.0),
        # legacy fields, unused by the serving model (kept so records built either way have them)
        serving_tokens_per_second_base=1.0,
        serving_tokens_per_second_tuned=1.0,
        serving_gpus_per_replica_base=1.0,
        serving_gpus_per_replica_tuned=1.0,
        serving_weights_gb_base=0.0,
        serving_weights_gb_tuned=0.0,
        serving_kv_bytes_per_token_base=0.0,
        serving_kv_bytes_per_token_tuned=0.0,
        **_side_facts("base", model_facts(llm, st.kv_cache_kb_per_token, st.precision)),
        **_side_facts("tuned", model_facts(tuned, st.kv_cache_kb_per_token, st.precision)),
    )


def build_inputs(
    catalog: Catalog, scenario: Scenario, which: str = "value", on: date | None = None
) -> tuple[Inputs, tuple[PriceUsed, ...]]:
    """Flatten `catalog` + `scenario`. `which` picks each figure's "value", "low" or "high"; the prices are those
    in force on `on` (default: the first day of the scenario's horizon, `start_day`)."""
    catalog = catalog.on(on or start_day(scenario))
    st = scenario.stack
    take = Taker(which)
    fields_: dict = _scenario_fields(scenario)
    fields_ |= _embedding_fields(catalog, st.embedding_model, take)
    fields_ |= _vector_store_fields(catalog, st.vector_store, take)
    fields_ |= _reranker_fields(catalog, scenario, take)
    fields_ |= _llm_fields(catalog, st.llm, take)
    fields_ |= _fine_tune_fields(catalog, st.fine_tune, take)
    fields_ |= _serving_fields(catalog, scenario, take)
    fields_ |= latency_model_fields(catalog, take)
    fields_ |= context_inputs(catalog, scenario, take)
    # one row per (entry, field): a figure read for two roles (a base model serving both the untuned options
    # and a tuned model at its price) feeds the components and options of both
    unique: dict[tuple[str, str], PriceUsed] = {}
    for u in take.used:
        seen = unique.get((u.entry, u.field))
        if seen is None:
            unique[(u.entry, u.field)] = u
        else:
            comps = tuple(dict.fromkeys(seen.components + u.components))
            opts = tuple(a for a in _ALL if a in seen.options or a in u.options)
            unique[(u.entry, u.field)] = replace(seen, components=comps, options=opts)
    return Inputs(**fields_), tuple(unique.values())
