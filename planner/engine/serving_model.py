"""The self-hosted serving model from first principles: what a replica of a model on a GPU holds, how fast
it prefills and decodes, and how many tokens a second it delivers at a batch size. Pure arithmetic on the
catalog's facts (docs/formulas.md, "Serving model"), calibrated against published benchmarks
(`pricing/calibration.yaml`, tests/test_serving_calibration.py).

A replica of `gpus` GPUs holds the weights (total parameters × bytes at the precision) and, in what is left
after a per-GPU runtime overhead, the KV cache of the sequences it decodes at once. One decode step reads the
weights the batch's tokens route to (all of them for a dense model; for a mixture of experts the share
1 − (1 − active ÷ total)^batch) and every sequence's KV cache, and computes 2 × active parameters FLOPs a
token: its time is the longer of the two. Prefill is compute-bound. With continuous batching each sequence
shares the replica's time with the prefills of the requests that replace finished ones, so

    per-sequence speed = 1 ÷ (step time + batch × prefill time ÷ output tokens)
    replica throughput = batch × per-sequence speed

which is the one figure cost, queueing and latency all use.
"""

from __future__ import annotations

import math
from typing import NamedTuple

#: Bytes one weight takes at each precision. int4 and fp4 carry a scale per block: MXFP4 one 8-bit scale per
#: 32 values (0.5 + 1/32), NVFP4 one 8-bit scale per 16 values (0.5 + 1/16); int4 (AWQ/GPTQ, group 128) ≈ 0.5.
BYTES_PER_PARAMETER = {"bf16": 2.0, "fp8": 1.0, "int4": 0.5, "fp4": 0.5625, "mxfp4": 0.53125}
#: Replica sizes tried, smallest first (tensor parallelism over 1, 2, 4 or 8 GPUs).
GPUS_PER_REPLICA = (1, 2, 4, 8)

# ---- calibrated constants (docs/formulas.md, "Serving model"; held to published figures by a test) ----
#: Memory each GPU keeps for the runtime (CUDA context, activations, CUDA graphs), GB.
RUNTIME_OVERHEAD_GB_PER_GPU = 2.0
#: Share of the datasheet memory bandwidth a decode step achieves.
BANDWIDTH_EFFICIENCY = 0.8
#: Share of dense peak compute reached in decode (small matrix products) and in prefill (large ones).
DECODE_COMPUTE_EFFICIENCY = 0.25
PREFILL_COMPUTE_EFFICIENCY = 0.65
#: Each doubling of a tensor-parallel replica keeps this share of the linear speed-up (all-reduce per layer).
TENSOR_PARALLEL_EFFICIENCY_PER_DOUBLING = 0.95
#: Fixed time of one decode step per layer (kernel launches, scheduling, sampling), seconds.
STEP_OVERHEAD_SECONDS_PER_LAYER = 0.000_13
#: A mixture of experts: work each token (prompt or output) costs per layer beyond its matrix products (routing,
#: dispatch to and combine from the experts, grouped GEMMs of a few tokens each), as equivalent FLOPs at the
#: precision's compute rate.
MOE_FLOPS_PER_TOKEN_LAYER = 3.0e9


#: When no batch meets the latency limit, a replica runs the largest batch within this factor of one sequence's
#: request time (not fitted: a choice, documented in docs/formulas.md).
KNEE_SLOWDOWN = 1.1


class ModelFacts(NamedTuple):
    """A model as sizing sees it (from its catalog architecture, or estimated from its size)."""

    total_parameters_billion: float
    active_parameters_billion: float
    layers: float
    kv_bytes_per_token_full: float  # 16-bit KV bytes of one token over the full-attention layers
    kv_bytes_per_token_window: float  # 16-bit KV bytes of one token over the sliding-window layers
    window_tokens: float  # tokens a sliding-window layer keeps (inf: none)
    weights_precision: str  # the precision the weights ship in


class GpuFacts(NamedTuple):
    memory_gb: float
    bandwidth_gb_per_second: float
    bf16_tflops: float
    fp8_tflops: float  # 0: none
    fp4_tflops: float  # 0: none


def estimated_layers(parameters_billion: float) -> float:
    """The fallback layer count: 32 at 8B, growing as the 0.4 power of size (docs/formulas.md)."""
    return 32.0 * (parameters_billion / 8.0) ** 0.4


def fallback_facts(parameters_billion: float) -> ModelFacts:
    """A dense model known only by its size: grouped-query attention, 8 KV heads of 128 dimensions."""
    layers = estimated_layers(parameters_billion)
    return ModelFacts(parameters_billion, parameters_billion, layers, 2.0 * layers * 8 * 128 * 2, 0.0, math.inf, "bf16")


def architecture_facts(arch) -> ModelFacts:
    """`ModelFacts` of a catalog `ModelArchitecture`: KV per token 2 (K, V) × KV heads × head dim × 2 bytes
    per layer, split between full-attention and sliding-window layers (or the catalog's override, all full)."""
    per_layer = 2.0 * arch.kv_heads * arch.head_dim * 2.0
    window_layers = arch.sliding_window_layers
    full = (arch.layers - window_layers) * per_layer
    window = window_layers * per_layer
    if arch.kv_bytes_per_token is not None:
        full, window = float(arch.kv_bytes_per_token), 0.0
    return ModelFacts(
        float(arch.total_parameters_billion),
        float(arch.active_parameters_billion),
        float(arch.layers),
        full,
        window,
        float(arch.sliding_window_tokens) if window_layers and arch.sliding_window_tokens else math.inf,
        arch.weights_precision,
    )


def model_facts(llm, kv_kb_per_token_override: float | None = None, precision: str = "bf16") -> ModelFacts:
    """A catalog LLM's facts: its architecture, else the fallback from `parameters_billion` (8B when absent);
    the scenario's stack.kv_cache_kb_per_token overrides the KV bytes per token of a model without one."""
    if llm.architecture is not None:
        return architecture_facts(llm.architecture)
    m = fallback_facts(llm.parameters_billion or 8.0)
    if kv_kb_per_token_override:
        # the override is at the serving precision; the facts hold 16-bit bytes
        m = m._replace(kv_bytes_per_token_full=kv_kb_per_token_override * 1000.0 * 2.0 / kv_value_bytes(precision))
    return m


def weights_bytes_per_parameter(precision: str, shipped: str) -> float:
    """Bytes a weight takes: the chosen precision, never wider than the weights ship in."""
    return min(BYTES_PER_PARAMETER[precision], BYTES_PER_PARAMETER[shipped])


def kv_value_bytes(precision: str) -> float:
    """Bytes of one KV-cache value: 1 at fp8 and fp4 (an fp8 KV cache), else 2."""
    return 1.0 if precision in ("fp8", "fp4") else 2.0


def compute_tflops(gpu: GpuFacts, precision: str) -> float:
    """Dense tensor TFLOPS at the precision's compute type: fp4 on fp4 cores, fp8 on fp8 cores, else bf16."""
    if precision == "fp4" and gpu.fp4_tflops > 0:
        return gpu.fp4_tflops
    if precision in ("fp4", "fp8") and gpu.fp8_tflops > 0:
        return gpu.fp8_tflops
    return gpu.bf16_tflops


def weights_gb(m: ModelFacts, precision: str) -> float:
    return m.total_parameters_billion * weights_bytes_per_parameter(precision, m.weights_precision)


def kv_bytes(m: ModelFacts, precision: str, tokens: float) -> float:
    """KV-cache bytes of one sequence of `tokens`: full layers hold every token, window layers the last few."""
    scale = kv_value_bytes(precision) / 2.0
    return scale * (m.kv_bytes_per_token_full * tokens + m.kv_bytes_per_token_window * min(tokens, m.window_tokens))


def kv_bytes_per_token(m: ModelFacts, precision: str) -> float:
    """KV bytes one token adds on a full-length sequence (the window layers' share counts once)."""
    return kv_value_bytes(precision) / 2.0 * (m.kv_bytes_per_token_full + m.kv_bytes_per_token_window)


def tensor_parallel_efficiency(gpus: float) -> float:
    """Share of the linear speed-up a replica of `gpus` GPUs keeps: 0.95 per doubling (1, 0.95, 0.90, 0.86)."""
    return TENSOR_PARALLEL_EFFICIENCY_PER_DOUBLING ** math.log2(max(gpus, 1.0))


def kv_room_gb(m: ModelFacts, gpu: GpuFacts, precision: str, gpus: float, memory_utilization: float) -> float:
    """GB left for the KV cache: the replica's usable memory less the weights and the runtime overhead."""
    usable = gpus * (gpu.memory_gb * memory_utilization - RUNTIME_OVERHEAD_GB_PER_GPU)
    return usable - weights_gb(m, precision)


def gpus_per_replica(
    m: ModelFacts, gpu: GpuFacts, precision: str, sequence_tokens: float, memory_utilization: float
) -> float | None:
    """The fewest GPUs (1, 2, 4, 8) that hold the weights and one sequence of `sequence_tokens`, or None."""
    need = kv_bytes(m, precision, sequence_tokens) / 1e9
    for g in GPUS_PER_REPLICA:
        if kv_room_gb(m, gpu, precision, g, memory_utilization) >= need:
            return float(g)
    return None


def sequences_that_fit(
    m: ModelFacts, gpu: GpuFacts, precision: str, gpus: float, sequence_tokens: float, memory_utilization: float
) -> float:
    """Sequences of `sequence_tokens` whose KV cache fits beside the weights (0 when none does)."""
    per = kv_bytes(m, precision, sequence_tokens) / 1e9
    room = kv_room_gb(m, gpu, precision, gpus, memory_utilization)
    return max(0.0, math.floor(room / per + 1e-9)) if per > 0 else math.inf


def moe_token_seconds(m: ModelFacts, gpu: GpuFacts, precision: str, gpus: float) -> float:
    """A mixture of experts' routing cost of one token over all its layers (0 for a dense model)."""
    if m.active_parameters_billion >= m.total_parameters_billion:
        return 0.0
    rate = gpus * compute_tflops(gpu, precision) * 1e12 * tensor_parallel_efficiency(gpus)
    return m.layers * MOE_FLOPS_PER_TOKEN_LAYER / rate


def prefill_seconds(m: ModelFacts, gpu: GpuFacts, precision: str, gpus: float, input_tokens: float) -> float:
    """Prefill of one prompt, compute-bound: 2 × active parameters × input tokens FLOPs at prefill efficiency
    (plus a mixture of experts' routing cost per token)."""
    flops = 2.0 * m.active_parameters_billion * 1e9 * input_tokens
    rate = gpus * compute_tflops(gpu, precision) * 1e12 * PREFILL_COMPUTE_EFFICIENCY
    return flops / (rate * tensor_parallel_efficiency(gpus)) + input_tokens * moe_token_seconds(m, gpu, precision, gpus)


def step_seconds(m: ModelFacts, gpu: GpuFacts, precision: str, gpus: float, batch: float, context: float) -> float:
    """One decode step of `batch` sequences of mean `context` tokens: the longer of reading (weights routed
    to + every sequence's KV cache) and computing (2 × active parameters a token), plus a per-layer overhead."""
    share = 1.0 - (1.0 - m.active_parameters_billion / m.total_parameters_billion) ** max(batch, 1.0)
    weights_read = weights_gb(m, precision) * 1e9 * max(share, m.active_parameters_billion / m.total_parameters_billion)
    read = weights_read + batch * kv_bytes(m, precision, context)
    tp = tensor_parallel_efficiency(gpus)
    t_memory = read / (gpus * gpu.bandwidth_gb_per_second * 1e9 * BANDWIDTH_EFFICIENCY * tp)
    flops = batch * 2.0 * m.active_parameters_billion * 1e9
    t_compute = flops / (gpus * compute_tflops(gpu, precision) * 1e12 * DECODE_COMPUTE_EFFICIENCY * tp)
    t_compute += batch * moe_token_seconds(m, gpu, precision, gpus)
    return max(t_memory, t_compute) + STEP_OVERHEAD_SECONDS_PER_LAYER * m.layers


class Point(NamedTuple):
    """A replica at one batch size."""

    batch: float  # sequences decoded at once
    sequence_tokens_per_second: float  # output tokens a second one sequence gets
    replica_tokens_per_second: float  # batch × per-sequence speed
    prefill_seconds: float  # one prompt's prefill
    request_seconds: float  # prefill + output tokens ÷ per-sequence speed


def point(
    m: ModelFacts, gpu: GpuFacts, precision: str, gpus: float, batch: float, input_tokens: float, output_tokens: float
) -> Point:
    """Speed of each sequence and of the replica at `batch` (continuous batching: the prefills of the requests
    that replace finished ones share the replica's time, batch ÷ output tokens of them per step)."""
    out = max(output_tokens, 1.0)
    pf = prefill_seconds(m, gpu, precision, gpus, input_tokens)
    step = step_seconds(m, gpu, precision, gpus, batch, input_tokens + out / 2.0)
    speed = 1.0 / (step + batch * pf / out)
    return Point(batch, speed, batch * speed, pf, pf + out / speed)


def operating_point(
    m: ModelFacts,
    gpu: GpuFacts,
    precision: str,
    gpus: float,
    max_batch: float,
    input_tokens: float,
    output_tokens: float,
    request_limit_seconds: float = math.inf,
) -> Point:
    """The largest batch (≤ `max_batch`) whose request time (prefill + decode) meets `request_limit_seconds`;
    with no limit, the replica's most. When even one sequence misses the limit (no batch meets it; the
    estimate warns), the knee: the largest batch within `KNEE_SLOWDOWN` of one sequence's request time
    (decode is bandwidth-bound at small batches, so batching up to there costs little time). Bisection on
    the batch: request time grows with it. At most ~13 evaluations."""
    top = max(1.0, math.floor(max_batch))
    best = point(m, gpu, precision, gpus, top, input_tokens, output_tokens)
    if best.request_seconds <= request_limit_seconds:
        return best
    lo, hi = 1.0, top
    alone = point(m, gpu, precision, gpus, lo, input_tokens, output_tokens).request_seconds
    if alone > request_limit_seconds:
        request_limit_seconds = alone * KNEE_SLOWDOWN
    while hi - lo > 1:
        mid = math.floor((lo + hi) / 2)
        if point(m, gpu, precision, gpus, mid, input_tokens, output_tokens).request_seconds <= request_limit_seconds:
            lo = mid
        else:
            hi = mid
    return point(m, gpu, precision, gpus, lo, input_tokens, output_tokens)
