"""Each self-hosted option's replica shape and operating point, from the serving model (planner/engine/serving_model.py)
on the option's own request: GPUs per replica, the batch it runs at, per-sequence and replica speed, prefill.
Cost (replicas), queueing and latency all read this one `ServingPoint` (docs/formulas.md, "Serving model").

A catalog whose GPU names no datasheet (`Inputs.serving_model == 0`) keeps the legacy sizing: the replica's
throughput from an 8B benchmark scaled by size, shared evenly by the sequences that fit.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import NamedTuple

from planner.engine import serving_model as sm
from planner.engine.inputs import Inputs
from planner.model.scenario import USES_RETRIEVAL, USES_TUNED


def sequence_speed_at_load(i: Inputs, arch: str, tin: float, concurrent: float) -> float:
    """Output tokens/s one sequence gets when a replica decodes `concurrent` sequences (at most its operating
    batch): a lightly loaded replica decodes few at once, each faster than at its operating point."""
    sp = replica_point(i, arch, tin)
    if not i.serving_model:
        return sp.sequence_tokens_per_second
    n = float(min(sp.sequences, max(1.0, math.ceil(concurrent - 1e-9))))
    if n >= sp.sequences:
        return sp.sequence_tokens_per_second
    m, g = side_facts(i, USES_TUNED[arch]), gpu_facts(i)
    return sm.point(
        m, g, i.serving_precision, sp.gpus_per_replica, n, tin, output_tokens(i, arch)
    ).sequence_tokens_per_second


class ServingPoint(NamedTuple):
    gpus_per_replica: float
    sequences: float  # sequences a replica decodes at once at its operating point (its batch)
    max_sequences: float  # the most that fit in memory (capped by stack.max_sequences_per_replica)
    sequence_tokens_per_second: float  # output tokens a second one sequence gets at the operating point
    replica_tokens_per_second: float  # = sequences × sequence_tokens_per_second
    prefill_ms: float  # one prompt's prefill
    fits: bool  # False: no replica of 8 GPUs holds one request (the option is ruled out before pricing)
    meets_limit: bool = True  # False: even one sequence misses the latency limit (sized at the replica's most)


def side_facts(i: Inputs, tuned: bool) -> sm.ModelFacts:
    p = "tuned" if tuned else "base"
    return sm.ModelFacts(
        getattr(i, f"serving_{p}_total_parameters_billion"),
        getattr(i, f"serving_{p}_active_parameters_billion"),
        getattr(i, f"serving_{p}_layers"),
        getattr(i, f"serving_{p}_kv_bytes_per_token_full"),
        getattr(i, f"serving_{p}_kv_bytes_per_token_window"),
        getattr(i, f"serving_{p}_window_tokens"),
        getattr(i, f"serving_{p}_weights_precision"),
    )


def gpu_facts(i: Inputs) -> sm.GpuFacts:
    return sm.GpuFacts(
        i.serving_gpu_memory_gb,
        i.serving_gpu_bandwidth_gb_per_second,
        i.serving_gpu_bf16_tflops,
        i.serving_gpu_fp8_tflops,
        i.serving_gpu_fp4_tflops,
    )


def output_tokens(i: Inputs, arch: str) -> float:
    """Tokens a request decodes: its answer plus the model's hidden reasoning."""
    return i.output_tokens_per_query + (i.tuned_reasoning_tokens if USES_TUNED[arch] else i.llm_reasoning_tokens)


def non_llm_p95_ms(i: Inputs, arch: str) -> float:
    """The p95 of the parts of a request outside the model (network, retrieval, reranking), summed."""
    out = i.network_overhead_ms * i.p95_over_p50
    if USES_RETRIEVAL[arch]:
        out += i.embed_latency_p95_ms + i.vs_latency_p95_ms + i.rerank * i.rerank_latency_p95_ms
    return out


@lru_cache(maxsize=4096)
def replica_point(i: Inputs, arch: str, tin: float) -> ServingPoint:
    """The replica shape and operating point of self-hosted `arch` for prompts of `tin` tokens (cached)."""
    tout = output_tokens(i, arch)
    if not i.serving_model:
        return _legacy_point(i, arch, tin)
    m, g, prec = side_facts(i, USES_TUNED[arch]), gpu_facts(i), i.serving_precision
    gpus = sm.gpus_per_replica(m, g, prec, tin + tout, i.serving_memory_utilization)
    fits = gpus is not None
    gpus = gpus or float(sm.GPUS_PER_REPLICA[-1])
    fit = sm.sequences_that_fit(m, g, prec, gpus, tin + tout, i.serving_memory_utilization)
    most = max(1.0, min(i.serving_max_sequences_per_replica, fit))
    # the latency limit bounds the model's request time at p50: the limit less the other parts' p95, ÷ p95/p50
    limit_s = (i.latency_limit_full_answer_ms - non_llm_p95_ms(i, arch)) / i.p95_over_p50 / 1000.0
    pt = sm.operating_point(m, g, prec, gpus, most, tin, tout, max(limit_s, 0.0))
    return ServingPoint(
        gpus,
        pt.batch,
        most,
        pt.sequence_tokens_per_second,
        pt.replica_tokens_per_second,
        pt.prefill_seconds * 1000,
        fits,
        pt.request_seconds <= max(limit_s, 0.0),
    )


def _legacy_point(i: Inputs, arch: str, tin: float) -> ServingPoint:
    """A GPU without a datasheet: the catalog's 8B throughput scaled by size, shared by the sequences that fit
    (so the replica never delivers more than sequences × per-sequence speed)."""
    tuned = USES_TUNED[arch]
    if arch == "long_context" and i.serving_gpus_per_replica_long_context > 0:
        gpus, thr = i.serving_gpus_per_replica_long_context, i.serving_tokens_per_second_long_context
    elif tuned:
        gpus, thr = i.serving_gpus_per_replica_tuned, i.serving_tokens_per_second_tuned
    else:
        gpus, thr = i.serving_gpus_per_replica_base, i.serving_tokens_per_second_base
    cap = i.serving_max_sequences_per_replica
    seqs = cap
    if i.serving_gpu_memory_gb > 0:
        weights = i.serving_weights_gb_tuned if tuned else i.serving_weights_gb_base
        kv = i.serving_kv_bytes_per_token_tuned if tuned else i.serving_kv_bytes_per_token_base
        per_request_gb = kv * (tin + i.output_tokens_per_query) / 1e9
        free_gb = gpus * i.serving_gpu_memory_gb * i.serving_memory_utilization - weights
        if per_request_gb > 0:
            seqs = float(min(cap, max(1.0, math.floor(free_gb / per_request_gb + 1e-9))))
    # each sequence gets the entry's per-stream speed, or its share of the replica's throughput when the
    # sequences that fit are too few to use it at that speed (so sequences × speed ≥ the replica's throughput)
    entry_tps = i.tuned_output_tokens_per_second if tuned else i.llm_output_tokens_per_second
    return ServingPoint(gpus, seqs, seqs, max(entry_tps, thr / seqs), thr, 0.0, True)
