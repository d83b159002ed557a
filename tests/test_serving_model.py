"""The self-hosted serving model by hand (planner/engine/serving_model.py) and through the engine on the shipped
catalog: a 70B replica's sequences, speed and throughput; a mixture of experts' memory by total and speed by active
parameters; sliding-window KV; reasoning tokens in cost and latency; each option its own replica; batch work in
the troughs; and the property that no replica is credited with more than its sequences × per-sequence speed."""

from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytest import approx

from planner import load_catalog
from planner.engine import estimate
from planner.engine import serving_model as sm
from planner.model.scenario import Scenario

CAT = load_catalog()
H100 = sm.GpuFacts(80, 3350, 989.4, 1978.9, 0)
H200 = sm.GpuFacts(141, 4800, 989, 1979, 0)


def facts(key: str) -> sm.ModelFacts:
    return sm.architecture_facts(CAT.llms[key].architecture)


def test_the_gpu_facts_here_are_the_catalogs():
    for key, g in (("h100-sxm", H100), ("h200", H200)):
        a = CAT.accelerators[key]
        assert (a.memory_gb, a.memory_bandwidth_gb_per_second, a.dense_bf16_tflops, a.dense_fp8_tflops) == g[:4]


def test_a_70b_replica_by_hand():
    """Llama 3.3 70B at fp8 on 2 × H100 SXM, 1,000 prompt + 1,000 answer tokens, 90 % of memory."""
    m = facts("together-llama-3.3-70b")
    # weights 70 B × 1 byte = 70 GB; KV 80 layers × 8 KV heads × 128 dims × 2 (K, V) × 1 byte (fp8) = 163,840 B
    assert sm.weights_gb(m, "fp8") == approx(70.0)
    assert sm.kv_bytes_per_token(m, "fp8") == 80 * 8 * 128 * 2 * 1 == 163_840
    # room: 2 × (80 × 0.9 − 2 GB runtime) − 70 = 70 GB; a sequence of 2,000 tokens holds 0.32768 GB ⇒ 213
    assert sm.sequences_that_fit(m, H100, "fp8", 2, 2000, 0.9) == math.floor(70 / 0.32768) == 213
    # one decode step at batch 213, mean context 1,000 + 1,000/2 = 1,500 tokens; tensor-parallel 0.95 at 2 GPUs
    read = 70e9 + 213 * 1500 * 163_840  # bytes: the weights and every sequence's KV cache
    t_memory = read / (2 * 3350e9 * 0.8 * 0.95)  # 24.0 ms
    t_compute = 213 * 2 * 70e9 / (2 * 1978.9e12 * 0.25 * 0.95)  # 31.7 ms: compute-bound
    step = max(t_memory, t_compute) + 80 * 0.00013  # 31.724 + 10.4 = 42.124 ms
    prefill = 2 * 70e9 * 1000 / (2 * 1978.9e12 * 0.65 * 0.95)  # 57.284 ms; × 213 ÷ 1,000 = 12.202 ms
    speed = 1 / (step + 213 * prefill / 1000)  # each sequence shares the replica with the new prompts' prefills
    assert speed == approx(1 / (0.042124 + 0.012202), abs=0.01) == approx(18.41, abs=0.005)
    p = sm.operating_point(m, H100, "fp8", 2, 213, 1000, 1000)
    assert p.batch == 213
    assert p.sequence_tokens_per_second == approx(speed)
    assert p.replica_tokens_per_second == approx(213 * speed)  # 3,921 tokens/s a replica, 1,960 a GPU
    assert p.prefill_seconds == approx(prefill)


def test_a_latency_limit_picks_a_smaller_batch_that_meets_it():
    m = facts("together-llama-3.3-70b")
    most = sm.operating_point(m, H100, "fp8", 2, 213, 1000, 1000)
    # 1,000 tokens at 18.4 tokens/s take ~54 s: a 30 s limit needs a smaller batch, each sequence faster
    p = sm.operating_point(m, H100, "fp8", 2, 213, 1000, 1000, request_limit_seconds=30)
    assert p.request_seconds <= 30 < sm.point(m, H100, "fp8", 2, p.batch + 1, 1000, 1000).request_seconds
    assert p.batch < most.batch and p.sequence_tokens_per_second > most.sequence_tokens_per_second
    assert p.replica_tokens_per_second == approx(p.batch * p.sequence_tokens_per_second)


def test_a_mixture_of_experts_holds_its_total_and_reads_its_active_parameters():
    """gpt-oss-120b: 117B parameters in MXFP4 (0.5 + 1/32 bytes), 5.1B active a token."""
    m = facts("together-gpt-oss-120b")
    # memory by total: 117 × 0.53125 = 62.16 GB, never upcast (asked for bf16, the MXFP4 weights stay)
    assert sm.weights_gb(m, "fp8") == approx(117 * 0.53125) == sm.weights_gb(m, "bf16")
    # one sequence reads the experts it routes to: 5.1 ÷ 117 of the weights = 2.71 GB a step
    one = sm.step_seconds(m, H200, "fp8", 1, 1, 0)
    routed = 62.15625e9 * 5.1 / 117 / (4800e9 * 0.8)  # 0.705 ms
    moe_overhead = 36 * 3.0e9 / (1979e12)  # the routing cost of one token, 36 layers: 0.055 ms (compute)
    assert one == approx(max(routed, 2 * 5.1e9 / (1979e12 * 0.25) + moe_overhead) + 36 * 0.00013)
    # a dense model of the same total size at one sequence reads all 117 × 0.53 GB: 23 times slower to read
    dense = m._replace(active_parameters_billion=117.0)
    assert sm.step_seconds(dense, H200, "fp8", 1, 1, 0) - 36 * 0.00013 == approx(62.15625e9 / (4800e9 * 0.8), rel=1e-9)
    # at a large batch nearly every expert is read: 1 − (1 − 5.1/117)^64 = 94 % of the weights
    assert 1 - (1 - 5.1 / 117) ** 64 == approx(0.942, abs=1e-3)


def test_sliding_window_layers_hold_only_the_window():
    """gpt-oss-120b: 18 full-attention layers keep every token, 18 sliding-window layers the last 128."""
    m = facts("together-gpt-oss-120b")
    per_layer = 2 * 8 * 64 * 2  # K and V × 8 KV heads × 64 dims × 2 bytes = 2,048 B a token
    assert m.kv_bytes_per_token_full == 18 * per_layer == 36_864
    assert m.kv_bytes_per_token_window == 18 * per_layer
    # a 10,000-token sequence at bf16: 36,864 × 10,000 + 36,864 × 128 = 373.36 MB (all 36 layers full: 737.28 MB)
    assert sm.kv_bytes(m, "bf16", 10_000) == 36_864 * 10_000 + 36_864 * 128 == 373_358_592
    # Llama 4 Scout: 12 full layers, 36 chunked to 8,192 tokens: a 100,000-token prompt holds
    scout = facts("together-llama-4-scout")
    per = 2 * 8 * 128 * 2
    assert sm.kv_bytes(scout, "bf16", 100_000) == 12 * per * 100_000 + 36 * per * 8192


def test_the_kv_override_replaces_the_formula_per_model():
    arch = CAT.llms["together-llama-3.3-70b"].architecture.model_copy(update={"kv_bytes_per_token": 100_000.0})
    m = sm.architecture_facts(arch)
    assert sm.kv_bytes(m, "bf16", 10) == 1_000_000 and sm.kv_bytes(m, "fp8", 10) == 500_000


def _scenario(**stack) -> Scenario:
    return Scenario.model_validate(
        {
            "name": "serving",
            "workload": {
                "queries_per_month": 2_000_000,
                "peak_to_average_ratio": 2,
                "input_tokens_per_query": 200,
                "output_tokens_per_query": 300,
                "system_prompt_tokens": 300,
                "few_shot_tokens": 0,
                "corpus_documents": 100,
                "tokens_per_document": 1000,
                "top_k": 10,
                "chunk_tokens": 500,
            },
            "stack": {
                "serving": "self_hosted",
                "llm": "together-llama-3.1-8b",
                "fine_tune": "self-hosted-llama-3.1-8b-lora-h100",
                "gpu": "runpod-h100-sxm",
                **stack,
            },
        }
    )


def test_each_option_gets_its_own_replica_shape():
    """Prompt only (800 tokens a request) is no longer sized for RAG's (5,800): more of its sequences fit."""
    est = estimate(CAT, _scenario())
    po, rag = est.current["prompt_only"], est.current["rag"]
    # 8B bf16 on one H100 at 90 %: 72 − 2 − 16 = 54 GB of KV at 131,072 B a token
    assert po.sequences_per_replica == min(256, math.floor(54e9 / (131_072 * 800)))  # 256 (the cap; 515 fit)
    assert rag.sequences_per_replica == math.floor(54e9 / (131_072 * 5800)) == 71
    d = est.to_dict()["architectures"]["rag"]["at_queries_per_month"]
    assert d["gpu"] == "runpod-h100-sxm" and d["precision"] == "bf16" and d["gpus_per_replica"] == 1
    assert d["gpus"] == d["replicas"] * d["gpus_per_replica"]
    assert d["replica_tokens_per_second"] == approx(
        d["sequences_per_replica"] * d["sequence_tokens_per_second"], rel=1e-5
    )


def test_batch_requests_are_served_in_the_troughs():
    """Half the requests in batch at peak-to-average 2: the fleet sizes for max((1 − ½) × 2, 1) = 1 × the average
    load, half what all-interactive traffic at peak needs (2 × the average)."""
    inter = estimate(CAT, _scenario()).current["prompt_only"]
    half = estimate(CAT, _scenario().with_changes(**{"workload.batch_query_share": 0.5})).current["prompt_only"]
    # load: 2,000,000 ÷ 2,628,000 s × 300 tokens = 228.3 tokens/s on average; one replica delivers
    # replica_tokens_per_second × 0.6
    per_replica = inter.replica_tokens_per_second * 0.6
    assert inter.replicas == math.ceil(2_000_000 / 2_628_000 * 300 * 2 / per_replica)
    assert half.replicas == math.ceil(2_000_000 / 2_628_000 * 300 * 1 / per_replica)


def test_self_hosted_latency_comes_from_the_serving_model_not_the_api_entry():
    est = estimate(CAT, _scenario())
    snap = est.current["prompt_only"]
    ttft, gen = snap.latency_breakdown_ms["time_to_first_token"][0], snap.latency_breakdown_ms["generation"][0]
    # prefill of 500 prompt tokens of an 8B model on one H100 at bf16: 2 × 8e9 × 500 ÷ (989.4e12 × 0.65) = 12.4 ms
    assert ttft == approx(2 * 8e9 * 500 / (989.4e12 * 0.65) * 1000)
    assert ttft < CAT.llms["together-llama-3.1-8b"].ttft_ms.value  # the API entry says 400 ms
    # 2,000,000 queries at peak 2 keep ⌈1.522 /s ÷ replicas × a request's time⌉ sequences busy a replica,
    # fewer than its operating batch: each decodes faster than at the operating point, and no faster than alone
    assert gen < 300 / snap.sequence_tokens_per_second * 1000
    m, g = sm.architecture_facts(CAT.llms["together-llama-3.1-8b"].architecture), H100
    alone = sm.point(m, g, "bf16", 1, 1, 500, 300).sequence_tokens_per_second
    assert gen >= 300 / alone * 1000
    # a thousand times the volume keeps more sequences busy in each replica: each is slower than at light load
    busy = estimate(CAT, _scenario().with_changes(**{"workload.queries_per_month": 2e9})).current["prompt_only"]
    assert gen < busy.latency_breakdown_ms["generation"][0] <= 300 / busy.sequence_tokens_per_second * 1000


def _with_reasoning(tokens: float):
    data = CAT.model_dump(mode="json")
    data["llms"]["together-gpt-oss-120b"]["reasoning"] = {
        "tokens_per_request": tokens,
        "effort": "low",
        "source": "test",
        "checked": "2026-11-01",
    }
    return type(CAT).model_validate(data)


def test_reasoning_tokens_are_billed_and_timed_on_the_api():
    s = _scenario(serving="api", llm="together-gpt-oss-120b")
    plain, reasoning = estimate(_with_reasoning(0), s), estimate(_with_reasoning(500), s)
    a, b = plain.current["prompt_only"], reasoning.current["prompt_only"]
    out_price = CAT.llms["together-gpt-oss-120b"].output_usd_per_1m_tokens.value  # $0.60 per 1M
    # 500 hidden tokens a query × 2,000,000 queries × $0.60 ÷ 1M = $600 more a month
    assert b.components_usd["inference"] - a.components_usd["inference"] == approx(500 * 2_000_000 * out_price / 1e6)
    # decoded before the first answer token at the entry's 300 tokens/s: 500 ÷ 300 s = 1,667 ms later
    tps = CAT.llms["together-gpt-oss-120b"].output_tokens_per_second.value
    later = b.latency_breakdown_ms["time_to_first_token"][0] - a.latency_breakdown_ms["time_to_first_token"][0]
    assert later == approx(500 / tps * 1000)


def test_reasoning_tokens_are_gpu_work_and_time_when_self_hosted():
    s = _scenario(llm="together-gpt-oss-120b")
    a = estimate(_with_reasoning(0), s).current["prompt_only"]
    b = estimate(_with_reasoning(500), s).current["prompt_only"]
    # each request decodes 300 + 500 tokens: the reasoning comes before the first answer token at the
    # per-sequence speed, and the answer after it
    ttft_b = b.latency_breakdown_ms["time_to_first_token"][0]
    ms_per_token = b.latency_breakdown_ms["generation"][0] / 300  # the speed each sequence gets at this load
    prefill_b = ttft_b - 500 * ms_per_token
    assert prefill_b == approx(a.latency_breakdown_ms["time_to_first_token"][0], rel=1e-9)
    # capacity: a replica serves replica_tokens_per_second × 0.6 ÷ 800 tokens a request; peak 2 × average
    need = 2_000_000 / 2_628_000 * 2 * 800 / (b.replica_tokens_per_second * 0.6)
    assert b.replicas == max(1, math.ceil(need))


@st.composite
def serving_scenarios(draw):
    llm = draw(
        st.sampled_from(
            [
                "together-llama-3.1-8b",
                "together-llama-3.3-70b",
                "together-gpt-oss-120b",
                "fireworks-gpt-oss-20b",
                "together-llama-4-scout",
                "together-qwen2.5-7b",
            ]
        )
    )
    gpu = draw(
        st.sampled_from(["runpod-h100-sxm", "runpod-h200", "runpod-b200", "runpod-a100-80gb", "aws-g6e-xlarge-l40s"])
    )
    return Scenario.model_validate(
        {
            "name": "drawn",
            "workload": {
                "queries_per_month": draw(st.floats(1e3, 5e7)),
                "peak_to_average_ratio": draw(st.floats(1, 5)),
                "input_tokens_per_query": draw(st.integers(10, 4000)),
                "output_tokens_per_query": draw(st.integers(1, 2000)),
                "system_prompt_tokens": draw(st.integers(0, 2000)),
                "few_shot_tokens": draw(st.integers(0, 2000)),
                "top_k": draw(st.integers(1, 20)),
                "chunk_tokens": draw(st.sampled_from([200, 500, 1000])),
                "chunk_overlap_tokens": 0,
                "batch_query_share": draw(st.floats(0, 1)),
            },
            "stack": {
                "serving": "self_hosted",
                "llm": llm,
                "fine_tune": "self-hosted-llama-3.1-8b-lora-h100",
                "gpu": gpu,
                "precision": draw(st.sampled_from(["bf16", "fp8", "int4", "fp4"])),
                "target_utilization": draw(st.floats(0.1, 0.95)),
                "max_sequences_per_replica": draw(st.sampled_from([1, 16, 256, 1024])),
            },
            "latency_target_p95_ms": draw(st.one_of(st.none(), st.floats(500, 60_000))),
        }
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(serving_scenarios())
def test_no_replica_is_credited_with_more_than_its_sequences_at_their_speed(s):
    """Cost, queueing and latency read one operating point: a replica's throughput is its batch × the speed
    each sequence gets, the generation time is the answer at that speed, and the sizing load stays within
    the replicas' capacity at the target utilization."""
    est = estimate(CAT, s, volumes=[s.workload.queries_per_month])
    for a in est.priced:
        snap = est.current[a]
        assert snap.replica_tokens_per_second <= snap.sequences_per_replica * snap.sequence_tokens_per_second * (
            1 + 1e-9
        )
        assert 1 <= snap.sequences_per_replica <= s.stack.max_sequences_per_replica
        # at its share of the load a replica decodes at most its operating batch: each sequence at least as
        # fast as at the operating point, and never faster than alone
        gen = s.workload.output_tokens_per_query / snap.sequence_tokens_per_second * 1000
        assert snap.latency_breakdown_ms["generation"][0] <= gen * (1 + 1e-9)
        assert snap.gpus == snap.replicas * snap.gpus_per_replica
        assert 0 < snap.utilization <= s.stack.target_utilization * (1 + 1e-9)


def test_a_limit_no_batch_meets_runs_the_replica_at_the_knee():
    """1,000 answer tokens in 1 s: even one sequence of a 70B (≈ 40 tokens/s) misses it. The replica then runs
    the largest batch whose request time is within 10% of one sequence's, not one sequence (whose queue
    would be far worse) nor its maximum load (whose every answer would be far slower)."""
    m = facts("together-llama-3.3-70b")
    alone = sm.point(m, H100, "fp8", 2, 1, 1000, 1000).request_seconds
    assert alone > 1
    p = sm.operating_point(m, H100, "fp8", 2, 213, 1000, 1000, request_limit_seconds=1)
    assert p.request_seconds <= 1.1 * alone < sm.point(m, H100, "fp8", 2, p.batch + 1, 1000, 1000).request_seconds
    assert 1 < p.batch < 213
