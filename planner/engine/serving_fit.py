"""Self-hosted serving: what a replica of each model needs, and which options cannot run on the stack.

A replica holds the model's weights and the KV cache of the sequences it decodes at once; its GPUs
(1, 2, 4 or 8) are the fewest that hold the weights plus one request of the longest prompt it serves
(docs/formulas.md, "GPUs per replica"). Three replicas are sized: `stack.llm` for prompt only and RAG,
`stack.llm` again for long context (whose prompt carries the whole knowledge base), and the fine-tuning
offer's base model for fine-tuned and hybrid.

`serving_misfits` says, per side, why its model cannot run (not open weights, or too big for any replica);
`long_context_misfit_on_gpus` why no replica holds one long-context request. The estimate rules out the
options a misfit serves; `build_inputs` refuses the scenario only when neither side can run.
"""

from __future__ import annotations

from typing import NamedTuple

from planner.engine import serving_model as sm
from planner.model.scenario import Scenario
from pricing.models import Catalog

#: Bytes per weight at each precision.
BYTES_PER_PARAMETER = {"bf16": 2.0, "fp8": 1.0, "int4": 0.5}
#: Replica sizes tried, smallest first (tensor parallelism over 1, 2, 4 or 8 GPUs).
GPUS_PER_REPLICA = (1, 2, 4, 8)
#: The scenario field that chose each side's model.
SIDES = ("stack.llm", "stack.fine_tune")


def kv_bytes_per_token(parameters_billion: float, precision: str) -> float:
    """KV-cache bytes one token holds: 2 (K and V) × layers × KV width × bytes per value.

    Assumes grouped-query attention with 8 KV heads of 128 dimensions (KV width 1,024) and a layer count
    growing as the 0.4 power of size, 32 layers at 8B (docs/formulas.md); values at 16 bits, 8 at fp8.
    """
    layers = 32.0 * (parameters_billion / 8.0) ** 0.4
    return 2.0 * layers * 1024.0 * (1.0 if precision == "fp8" else 2.0)


def _choices(keys: list[str], most: int = 8) -> str:
    shown = ", ".join(f"`{k}`" for k in keys[:most])
    return shown + (f" and {len(keys) - most} more" if len(keys) > most else "") if keys else "none in this catalog"


def closed_weights(catalog: Catalog, s: Scenario) -> dict[str, str]:
    """Self-hosted: each side whose model is not open weights, by field, with the entries that would fit."""
    st = s.stack
    out = {}
    if not catalog.llms[st.llm].open_weights:
        open_llms = [k for k, m in catalog.llms.items() if m.open_weights]
        out["stack.llm"] = (
            f"stack.llm: `{st.llm}` is not an open-weights model; "
            f"open-weights models: {_choices(open_llms)}; or serve through the API (stack.serving: api)"
        )
    offer = catalog.fine_tune_offers[st.fine_tune]
    if not catalog.llms[offer.base_llm].open_weights:
        fits = [k for k, o in catalog.fine_tune_offers.items() if catalog.llms[o.base_llm].open_weights]
        out["stack.fine_tune"] = (
            f"stack.fine_tune: the fine-tuning offer `{st.fine_tune}` tunes `{offer.base_llm}`, which is not "
            "open-weights, so its tuned model cannot run on your GPUs; "
            f"offers on an open-weights base: {_choices(fits)}; or serve through the API (stack.serving: api)"
        )
    return out


def gpu_problem(catalog: Catalog, gpu, gpu_key: str) -> str | None:
    """Why the serving GPU cannot price any option (no datasheet for the serving model), or None."""
    if can_serve(catalog, gpu):
        return None
    gpus = [k for k, g in catalog.gpus.items() if can_serve(catalog, g)]
    return (
        f"stack.gpu: `{gpu_key}` names no GPU datasheet (`accelerator`, with memory bandwidth and compute) in the "
        f"catalog, so the serving model cannot size it (add one, or pick a GPU that has one: {_choices(gpus)})"
    )


def can_serve(catalog: Catalog, gpu) -> bool:
    """A GPU can self-host when its datasheet is in the catalog (or, in an older catalog without datasheets,
    when it states the legacy 8B serving throughput)."""
    if gpu.accelerator is not None and gpu.accelerator in catalog.accelerators:
        return True
    return gpu.accelerator is None and gpu.vllm_8b_tokens_per_second is not None


def knowledge_base_tokens(s: Scenario) -> float:
    """Tokens of the whole knowledge base, what long context puts in every prompt (as planner.engine.costs)."""
    return s.workload.corpus_documents * s.workload.tokens_per_document


def _longest_sequence_tokens(s: Scenario, tuned: bool) -> float:
    """Tokens of the longest request (prompt + answer) over prompt only and RAG, or fine-tuned and hybrid."""
    w = s.workload
    base = w.system_prompt_tokens + w.input_tokens_per_query + w.output_tokens_per_query
    retrieval = w.top_k * w.chunk_tokens
    return base + retrieval + (0.0 if tuned else w.few_shot_tokens)


def long_context_sequence_tokens(s: Scenario) -> float:
    """Tokens of one long-context request: system + the whole knowledge base + input + answer (no few-shot)."""
    w = s.workload
    return w.system_prompt_tokens + knowledge_base_tokens(s) + w.input_tokens_per_query + w.output_tokens_per_query


class Replica(NamedTuple):
    gpus: float  # per replica; the largest tried when the model fits none
    weights_gb: float
    kv_bytes_per_token: float
    misfit: str | None  # why one request fits no replica (located), or None


def replica(s: Scenario, gpu, llm, llm_key: str, field: str, tokens: float, what: str = "", acc=None) -> Replica:
    """GPUs per replica, weights GB and KV bytes per token of `llm` on `gpu` for requests of `tokens`
    (prompt + answer), and why none fits. `what` names a request that is not the side's usual one. With the
    GPU's datasheet (`acc`) the serving model's memory arithmetic applies (planner/engine/serving_model.py)."""
    st = s.stack
    params = llm.parameters_billion or 8.0
    weights_gb = params * BYTES_PER_PARAMETER.get(st.precision, 0.5625)
    kv = st.kv_cache_kb_per_token * 1000 if st.kv_cache_kb_per_token else kv_bytes_per_token(params, st.precision)
    if acc is not None:
        m = sm.model_facts(llm, st.kv_cache_kb_per_token, st.precision)
        g_facts = sm.GpuFacts(acc.memory_gb, acc.memory_bandwidth_gb_per_second, acc.dense_bf16_tflops, 0.0, 0.0)
        weights_gb = sm.weights_gb(m, st.precision)
        kv = sm.kv_bytes(m, st.precision, tokens) / max(tokens, 1.0)
        g = sm.gpus_per_replica(m, g_facts, st.precision, tokens, st.gpu_memory_utilization)
        if g is not None:
            return Replica(g, weights_gb, kv, None)
        most = GPUS_PER_REPLICA[-1] * (acc.memory_gb * st.gpu_memory_utilization - sm.RUNTIME_OVERHEAD_GB_PER_GPU)
        return Replica(
            8.0,
            weights_gb,
            kv,
            _too_big(
                s,
                llm_key,
                field,
                params,
                weights_gb,
                kv * tokens / 1e9,
                what,
                most,
                acc.memory_gb,
                sm.RUNTIME_OVERHEAD_GB_PER_GPU,
            ),
        )
    if gpu.memory_gb_per_gpu is None:
        return Replica(float(gpu.gpu_count), weights_gb, kv, None)
    one_sequence_gb = kv * tokens / 1e9
    for g in GPUS_PER_REPLICA:
        if weights_gb + one_sequence_gb <= g * gpu.memory_gb_per_gpu * st.gpu_memory_utilization:
            return Replica(float(g), weights_gb, kv, None)
    most = GPUS_PER_REPLICA[-1] * gpu.memory_gb_per_gpu * st.gpu_memory_utilization
    return Replica(
        float(GPUS_PER_REPLICA[-1]),
        weights_gb,
        kv,
        _too_big(s, llm_key, field, params, weights_gb, one_sequence_gb, what, most, gpu.memory_gb_per_gpu),
    )


def _too_big(s, llm_key, field, params, weights_gb, one_sequence_gb, what, most, memory_gb, runtime=0.0) -> str:
    st = s.stack
    less = f", less {runtime:g} GB a GPU for the runtime" if runtime else ""
    return (
        f"{field}: `{llm_key}` ({params:g}B parameters at {st.precision}) needs {weights_gb:,.0f} GB for its weights "
        f"plus {one_sequence_gb:,.1f} GB of KV cache for one {what or 'request'}, but a replica of at most "
        f"{GPUS_PER_REPLICA[-1]} × {memory_gb:g} GB GPUs gives it {most:,.0f} GB "
        f"(at stack.gpu_memory_utilization {st.gpu_memory_utilization:g}{less}): pick a lower stack.precision "
        "(fp8, int4), a GPU with more memory (stack.gpu), a smaller model, or serve through the API"
    )


class Replicas(NamedTuple):
    base: Replica  # stack.llm for prompt only and RAG
    tuned: Replica  # the offer's base model for fine-tuned and hybrid
    long_context: Replica  # stack.llm for long context: the knowledge base in every prompt


def replicas(catalog: Catalog, s: Scenario, gpu) -> Replicas:
    """The replica of each model, each sized for the longest request it serves."""
    st = s.stack
    llm, offer = catalog.llms[st.llm], catalog.fine_tune_offers[st.fine_tune]
    acc = catalog.accelerators.get(gpu.accelerator) if gpu.accelerator else None
    base = replica(s, gpu, llm, st.llm, "stack.llm", _longest_sequence_tokens(s, tuned=False), acc=acc)
    tuned = replica(
        s,
        gpu,
        catalog.llms[offer.base_llm],
        offer.base_llm,
        "stack.fine_tune",
        _longest_sequence_tokens(s, True),
        acc=acc,
    )
    tokens = long_context_sequence_tokens(s)
    what = (
        f"long-context request ({tokens:,.0f} tokens: the knowledge base of {knowledge_base_tokens(s):,.0f} tokens "
        "rides in every prompt)"
    )
    lc = replica(s, gpu, llm, st.llm, "stack.llm", tokens, what, acc=acc)
    if lc.misfit:
        lc = lc._replace(
            misfit=lc.misfit.replace(
                ": pick a lower",
                ": use RAG, a smaller knowledge base (workload.corpus_documents, workload.tokens_per_document), "
                "or pick a lower",
            )
        )
    return Replicas(base, tuned, lc)


def _self_hosted_gpu(catalog: Catalog, s: Scenario):
    if s.stack.serving != "self_hosted" or s.stack.gpu not in catalog.gpus:
        return None
    return catalog.gpus[s.stack.gpu]


def serving_misfits(catalog: Catalog, s: Scenario) -> dict[str, str]:
    """Self-hosted: each side that cannot run, by the field that chose its model ("stack.llm" serves prompt
    only, long context and RAG; "stack.fine_tune" fine-tuned and hybrid), with the located reason: a model
    that is not open weights, or one too big for any GPU replica. The estimate rules out the options a misfit
    serves; when both sides misfit, `build_inputs` refuses the scenario."""
    gpu = _self_hosted_gpu(catalog, s)
    if gpu is None:
        return {}
    out = closed_weights(catalog, s)
    base, tuned, _ = replicas(catalog, s, gpu)
    for field, r in zip(SIDES, (base, tuned), strict=True):
        if r.misfit is not None:
            out.setdefault(field, r.misfit)
    return {f: out[f] for f in SIDES if f in out}


#: The name the replica check had before open weights were checked per side too.
replica_misfits = serving_misfits


def long_context_misfit_on_gpus(catalog: Catalog, s: Scenario) -> str | None:
    """Self-hosted: why no replica of `stack.llm` holds one long-context request, or None."""
    gpu = _self_hosted_gpu(catalog, s)
    return None if gpu is None else replicas(catalog, s, gpu).long_context.misfit
