"""The engine's inference and hosting costs checked against figures computed BY HAND from docs/formulas.md:
API inference per architecture, hosting fees, self-hosted replicas, batched serving and GPU memory, dedicated
endpoints, a closed fine-tuning offer asked to self-host, and edge cases (zero volume, zero work, absurd
utilization, a crawling GPU).

Every expected value is written as literal arithmetic from the documented formulas and the round numbers of
tests/fixtures/mini_catalog.yaml (listed in tests/hand_scenario.py) — never by calling an engine helper — so a
wrong formula in the engine cannot hide behind the same wrong formula in the test."""

from __future__ import annotations

import math

import numpy as np
import pytest

from planner.engine import estimate
from tests.hand_scenario import PER_REPLICA, approx, comps, make, sh

# ======================================================================= inference


def test_inference_prompt_only_counts_system_input_and_few_shot(mini):
    c = comps(mini, make(), "prompt_only")
    expected = 100_000 * ((100 + 200 + 1000) * 1.0 + 300 * 4.0) / 1e6  # = 250
    assert expected == 250
    assert c["inference"] == approx(expected)


def test_inference_rag_adds_top_k_chunks(mini):
    c = comps(mini, make(), "rag")
    expected = 100_000 * ((100 + 200 + 1000 + 4 * 500) * 1.0 + 300 * 4.0) / 1e6  # = 450
    assert c["inference"] == approx(expected)
    assert expected == 450


def test_inference_fine_tuned_drops_few_shot_and_uses_premium_prices(mini):
    c = comps(mini, make(), "fine_tuned")
    expected = 100_000 * ((100 + 200) * 2.0 + 300 * 8.0) / 1e6  # = 300, ft-api premium 2/8
    assert c["inference"] == approx(expected)
    # not the base model's prices (1/4) — that would be 150
    assert c["inference"] != approx(100_000 * (300 * 1.0 + 300 * 4.0) / 1e6)


def test_inference_hybrid_has_chunks_but_no_few_shot(mini):
    c = comps(mini, make(), "hybrid")
    expected = 100_000 * ((100 + 200 + 4 * 500) * 2.0 + 300 * 8.0) / 1e6  # = 700
    assert c["inference"] == approx(expected)


def test_prompt_tokens_reported_per_architecture(mini):
    est = estimate(mini, make())
    assert est.current["prompt_only"].input_tokens_per_query == 1300
    assert est.current["rag"].input_tokens_per_query == 3300
    assert est.current["fine_tuned"].input_tokens_per_query == 300
    assert est.current["hybrid"].input_tokens_per_query == 2300


def test_fine_tuned_served_at_base_price(mini):
    # ft-lora is served at its base model's (small) prices 0.2 / 0.2, whatever stack.llm is
    est = estimate(mini, make(stack={"fine_tune": "ft-lora"}))
    assert est.current["fine_tuned"].components_usd["inference"] == approx(
        100_000 * (300 * 0.2 + 300 * 0.2) / 1e6
    )  # 12
    assert est.current["hybrid"].components_usd["inference"] == approx(100_000 * (2300 * 0.2 + 300 * 0.2) / 1e6)  # 52
    # prompt-only still on stack.llm = big
    assert est.current["prompt_only"].components_usd["inference"] == approx(250.0)


def test_hosting_fee_for_tuned_model_on_api(mini):
    est = estimate(mini, make(stack={"fine_tune": "ft-lora"}))
    for a in ("fine_tuned", "hybrid"):
        assert est.current[a].components_usd["model_hosting"] == approx(1.0 * 730)  # 1 $/h × 730 h
    for a in ("prompt_only", "rag"):
        assert est.current[a].components_usd["model_hosting"] == 0
    est = estimate(mini, make(stack={"fine_tune": "ft-lora", "hours_per_month": 500}))
    assert est.current["fine_tuned"].components_usd["model_hosting"] == approx(1.0 * 500)
    # flat in volume
    assert np.allclose(est.series["fine_tuned"].components_usd["model_hosting"], 500.0)


def test_no_hosting_fee_when_offer_has_none(mini):
    est = estimate(mini, make())  # ft-api has no hosting fee
    assert est.current["fine_tuned"].components_usd["model_hosting"] == 0
    assert est.current["hybrid"].components_usd["model_hosting"] == 0


# ===================================================================== self-hosted


def test_self_hosted_replicas_step(mini):
    below = estimate(mini, sh(PER_REPLICA * 0.999)).current["prompt_only"]
    above = estimate(mini, sh(PER_REPLICA * 1.001)).current["prompt_only"]
    assert below.replicas == 1
    assert above.replicas == 2
    assert below.components_usd["gpu_serving"] == approx(1 * 3.6 * 730)  # 2628
    assert above.components_usd["gpu_serving"] == approx(2 * 3.6 * 730)  # 5256
    # GPU serving replaces token inference, and no API hosting fee
    for snap in (below, above):
        assert snap.components_usd["inference"] == 0
        assert snap.components_usd["model_hosting"] == 0
    # next step
    assert estimate(mini, sh(PER_REPLICA * 2.999)).current["prompt_only"].replicas == 3
    assert estimate(mini, sh(PER_REPLICA * 3.001)).current["prompt_only"].replicas == 4


def test_self_hosted_min_replicas(mini):
    snap = estimate(mini, sh(1000, min_replicas=3)).current["prompt_only"]
    assert snap.replicas == 3
    assert snap.components_usd["gpu_serving"] == approx(3 * 3.6 * 730)  # 7884


def test_self_hosted_tuned_model_has_its_own_work(mini):
    # fine_tuned on the same prompt: no few-shot here either, so the same work = 500;
    # hybrid: T_in = 1000 + 4 × 500 = 3000, work = 400 + 300 = 700 ⇒ per replica 2_628_000 × 500 / 700
    per_hybrid = 2_628_000 * 500 / 700
    assert estimate(mini, sh(per_hybrid * 0.999)).current["hybrid"].replicas == 1
    assert estimate(mini, sh(per_hybrid * 1.001)).current["hybrid"].replicas == 2


def test_self_hosted_rules_out_what_a_closed_model_serves(mini):
    # `big` is not open weights: prompt only, long context and RAG cannot run on GPUs; the tuned side can
    s = make(stack={"serving": "self_hosted", "llm": "big", "fine_tune": "ft-lora"})
    est = estimate(mini, s)
    assert est.priced == ("fine_tuned", "hybrid")
    assert (
        "stack.llm: Big model (`big`) is not open weights, so it cannot run on your GPUs"
        in est.ruled_out["prompt_only"]
    )


def test_absurd_utilization_is_refused_with_its_location():
    from pydantic import ValidationError

    for bad in (1e-300, 0.0, 0.99, 1.0):
        with pytest.raises(ValidationError) as err:
            sh(1000, target_utilization=bad)
        assert "stack.target_utilization" in str(err.value).replace("\n  ", ".")


def test_crawling_gpu_throughput_answers_and_warns(mini):
    """A catalog GPU at 0.001 tokens/s: ~10¹¹ replicas at the top of the volume range, bounded work."""
    from pricing.models import Catalog

    data = mini.model_dump(mode="json")
    data["gpus"]["gpu"]["vllm_8b_tokens_per_second"].update(value=0.001)
    cat = Catalog.model_validate(data)
    s = sh(1e9, target_utilization=0.05)
    est = estimate(cat, s)
    snap = est.current["prompt_only"]
    # peak 1e9 / 2_628_000 × 1 = 380.5 q/s × work 500 ÷ (0.001 × 0.05) tokens/s = 3.805e9 replicas
    assert snap.replicas == math.ceil(1e9 / 2_628_000 * 500 / (0.001 * 0.05))
    assert any("replicas" in w and "throughput" in w for w in est.warnings)


# ================================================================ batched serving and GPU memory


def test_batched_replica_queues_as_many_slots(mini):
    """One replica decoding 4 sequences at once is an M/M/4 queue of slots, not one server."""
    q = 0.9 * PER_REPLICA
    snap = estimate(mini, sh(q, max_sequences_per_replica=4)).current["prompt_only"]
    assert snap.replicas == 1
    # λ = 0.9 /s; a slot serves 1000 ÷ (4 × 500) = 0.5 /s; a = 0.9 / 0.5 = 1.8 erlangs on c = 4 slots (ρ = 0.45)
    # Erlang C = (a⁴/4! × 4/(4 − a)) ÷ (1 + a + a²/2 + a³/6 + a⁴/4! × 4/(4 − a))
    top = 1.8**4 / 24 * 4 / (4 - 1.8)  # 0.795273
    p_wait = top / (1 + 1.8 + 1.8**2 / 2 + 1.8**3 / 6 + top)  # 0.128534
    spare = 4 * 0.5 - 0.9  # 1.1 requests a second
    w95 = math.log(p_wait / 0.05) / spare * 1000  # ≈ 858 ms, against ≈ 1,998 ms with one slot
    assert snap.latency_breakdown_ms["queueing"] == (0.0, approx(w95, rel=1e-9))
    # the default batch of 256 sequences all but removes the queue at the same load
    assert estimate(mini, sh(q)).current["prompt_only"].latency_breakdown_ms["queueing"][1] < 1e-6


def _with_gpu_memory(mini, memory_gb, parameters_billion=8.0):
    from pricing.models import Catalog

    data = mini.model_dump(mode="json")
    data["gpus"]["gpu"]["memory_gb_per_gpu"] = memory_gb
    data["llms"]["small"]["parameters_billion"] = parameters_billion
    return Catalog.model_validate(data)


def test_kv_bytes_per_token_by_hand():
    from planner.engine.serving_fit import kv_bytes_per_token

    # 8B: 32 layers × 2 (K, V) × 1,024 × 2 bytes = 131,072 bytes a token
    assert kv_bytes_per_token(8, "bf16") == approx(2 * 32 * 1024 * 2)
    # 70B: 32 × (70/8)^0.4 = 76.197 layers ⇒ 312,103 bytes at 16 bits, half at fp8
    assert kv_bytes_per_token(70, "bf16") == approx(2 * 32 * 8.75**0.4 * 1024 * 2)
    assert kv_bytes_per_token(70, "fp8") == approx(2 * 32 * 8.75**0.4 * 1024 * 1)


def test_a_70b_model_needs_two_80gb_gpus_at_bf16(mini):
    cat = _with_gpu_memory(mini, 80, parameters_billion=70)
    est = estimate(cat, sh(1000))
    snap = est.current["prompt_only"]
    # weights 70 × 2 = 140 GB; the longest request (RAG: 1000 + 400 + 4 × 500 = 3,400 tokens) needs
    # 3,400 × 312,103 B = 1.06 GB; one GPU gives 80 × 0.9 = 72 GB, two give 144 ≥ 141.06 ⇒ 2 GPUs, both billed
    assert snap.components_usd["gpu_serving"] == approx(1 * 2 * 3.6 * 730)  # 5,256
    # a replica of 2 GPUs runs 1000 × 2 × 8 / 70 = 228.57 tokens/s
    from planner.engine.costs import sequences_per_replica
    from planner.engine.gather import build_inputs

    i, _ = build_inputs(cat, sh(1000))
    assert i.serving_gpus_per_replica_base == 2
    assert i.serving_tokens_per_second_base == approx(1000 * 2 * 8 / 70)
    # prompt-only requests hold 1,400 tokens: (144 − 140) GB ÷ (1,400 × 312,103 B) = 9.15 ⇒ 9 at once
    kv = 2 * 32 * 8.75**0.4 * 1024 * 2
    assert sequences_per_replica(i, "prompt_only") == math.floor((144 - 140) / (1400 * kv / 1e9))
    assert sequences_per_replica(i, "prompt_only") == 9
    assert not any("memory_gb_per_gpu" in w for w in est.warnings)


def test_precision_shrinks_the_replica(mini):
    from planner.engine.costs import sequences_per_replica
    from planner.engine.gather import build_inputs

    cat = _with_gpu_memory(mini, 80, parameters_billion=70)
    i4, _ = build_inputs(cat, sh(1000, precision="int4"))
    # int4: 70 × 0.5 = 35 GB + 1.06 GB ≤ 72 ⇒ one GPU; (72 − 35) ÷ (1,400 × 312,103 B) = 84.7 ⇒ 84 sequences
    kv16 = 2 * 32 * 8.75**0.4 * 1024 * 2
    assert i4.serving_gpus_per_replica_base == 1
    assert sequences_per_replica(i4, "prompt_only") == math.floor((72 - 35) / (1400 * kv16 / 1e9)) == 84
    f8, _ = build_inputs(cat, sh(1000, precision="fp8"))
    # fp8: 70 GB + 3,400 × 156,052 B = 0.53 GB ≤ 72 ⇒ one GPU; 2 GB ÷ (1,400 × 156,052 B) = 9.15 ⇒ 9
    assert f8.serving_gpus_per_replica_base == 1
    assert sequences_per_replica(f8, "prompt_only") == 9


def test_a_model_that_fits_no_replica_is_refused_with_the_reason(mini):
    from pricing.errors import UnknownEntryError

    cat = _with_gpu_memory(mini, 80, parameters_billion=405)
    # 405 × 2 = 810 GB of weights > 8 × 80 × 0.9 = 576 GB
    with pytest.raises(UnknownEntryError) as err:
        estimate(cat, sh(1000))
    msg = str(err.value)
    assert (
        msg.startswith("stack.llm: Small open model (`small`, 405B parameters at bf16)")
        and "810 GB" in msg
        and "576 GB" in msg
    )
    assert "stack.precision" in msg and "stack.gpu" in msg
    # at int4 it fits: 202.5 GB on 4 GPUs (288 GB usable; 2 give 144)
    from planner.engine.gather import build_inputs

    i, _ = build_inputs(cat, sh(1000, precision="int4"))
    assert i.serving_gpus_per_replica_base == 4


def test_unknown_gpu_memory_warns_and_keeps_one_instance(mini):
    est = estimate(mini, sh(1000))
    assert any("memory_gb_per_gpu" in w for w in est.warnings)
    assert est.current["prompt_only"].components_usd["gpu_serving"] == approx(3.6 * 730)


def test_self_hosting_a_closed_fine_tuning_offer_names_the_offer_and_the_choices(mini):
    """Issue 13: the real culprit (the fine-tuning offer) is named, with the entries that would fit."""
    from pricing.errors import UnknownEntryError

    # an open LLM, but ft-api tunes `big`, which is API-only: fine-tuned and hybrid are ruled out, named
    est = estimate(mini, sh(1000, fine_tune="ft-api"))
    msg = est.ruled_out["fine_tuned"]
    assert "stack.fine_tune: Tuned big (`ft-api`) tunes Big model (`big`), which is not open weights" in msg
    assert "choose one of LoRA small (`ft-lora`), LoRA on own GPU (`ft-gpu`), or serve through the API" in msg
    assert "stack.llm" not in msg
    # both wrong: both fields named, each with its choices
    with pytest.raises(UnknownEntryError) as err:
        estimate(mini, sh(1000, llm="big", fine_tune="ft-api"))
    msg = str(err.value)
    assert (
        "stack.llm: Big model (`big`) is not open weights, so it cannot run on your GPUs; "
        "choose one of Small open model (`small`)" in msg
    )
    assert "stack.fine_tune" in msg and "stack.serving: api" in msg


def _with_dedicated_offer(mini, tps=None):
    from pricing.llms import FineTuneOffer

    def fig(v):
        return {"value": v, "source": "test", "checked": "2026-11-01"}

    offer = {
        "name": "LoRA on a dedicated endpoint",
        "provider": "test",
        "base_llm": "small",
        "method": "lora",
        "training_usd_per_1m_tokens": fig(0.5),
        "hosting": "dedicated",
        "hosting_usd_per_hour": fig(2),
    }
    if tps is not None:
        offer["dedicated_output_tokens_per_second"] = fig(tps)
    offers = {**mini.fine_tune_offers, "ft-dedicated": FineTuneOffer.model_validate(offer)}
    return mini.model_copy(update={"fine_tune_offers": offers})


def test_dedicated_endpoint_is_billed_by_the_hour_alone(mini):
    # A dedicated endpoint with no per-token prices charges no tokens (not the base model's price on top):
    # fine_tuned inference = 0; hosting = 1 replica × 2 $/h × 730 h = 1,460
    est = estimate(_with_dedicated_offer(mini), make(stack={"fine_tune": "ft-dedicated"}))
    for a in ("fine_tuned", "hybrid"):
        assert est.current[a].components_usd["inference"] == 0
        assert est.current[a].components_usd["model_hosting"] == approx(2 * 730)


def test_dedicated_endpoint_replicas_scale_with_peak_output(mini):
    # sized like self-hosting (counting input tokens, at the target utilization 0.6): work of one request =
    # 300 output + (100 system + 200 input) × input-token weight 0.1 = 330 tokens; peak work = 100,000 q /
    # (730 × 3,600 s) × peak 1 × 330 = 12.557 tokens/s; one replica sustains 5 × 0.6 = 3 → ceil(4.186) = 5
    # replicas → 5 × 2 $/h × 730 h = 7,300 (sized at 100 % on output alone, it was 3)
    est = estimate(_with_dedicated_offer(mini, tps=5), make(stack={"fine_tune": "ft-dedicated"}))
    assert est.current["fine_tuned"].components_usd["model_hosting"] == approx(5 * 2 * 730)
    # at 10,000 queries: 1.256 tokens/s ÷ 3 → one replica (never fewer than one)
    est = estimate(
        _with_dedicated_offer(mini, tps=5),
        make(workload={"queries_per_month": 10_000}, stack={"fine_tune": "ft-dedicated"}),
    )
    assert est.current["fine_tuned"].components_usd["model_hosting"] == approx(2 * 730)


# ===================================================================== edge cases


def test_estimate_survives_overlap_at_three_quarters_of_chunk(mini):
    s = make(workload={"chunk_tokens": 100, "chunk_overlap_tokens": 75})  # valid: 75 < 100
    est = estimate(mini, s)
    # stride 25 ⇒ chunks/doc = ceil((1000 − 75) / 25) = 37
    assert est.corpus["chunks_per_document"] == 37


def test_self_hosted_zero_work_per_query(mini):
    s = make(
        workload={"output_tokens_per_query": 0},
        stack={"llm": "small", "fine_tune": "ft-lora", "serving": "self_hosted", "input_token_weight": 0},
    )
    est = estimate(mini, s)
    # no GPU work ⇒ min replicas, no queueing
    assert est.current["prompt_only"].replicas == 1
    assert est.current["prompt_only"].components_usd["gpu_serving"] == approx(3.6 * 730)
    assert est.current["prompt_only"].latency_breakdown_ms["queueing"] == (0, 0)


def test_zero_volume_scenario(mini):
    est = estimate(mini, make(workload={"queries_per_month": 0}))
    po = est.current["prompt_only"]
    assert po.monthly_usd == 0 and po.usd_per_1k_queries == 0
    assert est.current["rag"].monthly_usd == approx(50 + 1.1)  # store minimum + re-embedding
