"""Prompt caching as vendors bill it, and the dedicated endpoint that pays no per-token price, checked against
figures computed BY HAND (docs/formulas.md, "Prompt caching").

The catalog is the mini one with caching facts spliced in: `big` (1 / 4 $/1M in/out) gets a cached price of
0.1, a 5-minute write at 1.25, a 1-hour write at 2.0, a 300-second lifetime, explicit-cache storage at
1.0 $/1M tokens an hour, and cache rules (1,024-token minimum prefix, 80% first-token saving). `small`
(0.2 / 0.2) gets a cached price of 0.02 and batch prices of 0.1 / 0.1, and a LoRA on a dedicated endpoint at
$3 an hour with no per-token price is added on it.

Workload: system prompt 100, few-shot 1,000, user input 200, output 300 tokens; prompt only's prefix
P = 1,100, its input 1,300 tokens; 100,000 queries a month unless said.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from planner.engine import estimate, monthly_components
from planner.engine.gather import build_inputs
from planner.engine.latency import latency_parts
from planner.model.scenario import Scenario
from pricing.loader import parse_catalog

MINI = (Path(__file__).resolve().parent / "fixtures" / "mini_catalog.yaml").read_text(encoding="utf-8")
SRC = 'source: "test", checked: 2026-11-01'

BIG_CACHE = (
    f"    cached_input_usd_per_1m_tokens: {{value: 0.1, {SRC}}}\n"
    f"    cache_write_usd_per_1m_tokens: {{value: 1.25, {SRC}}}\n"
    f"    cache_write_1h_usd_per_1m_tokens: {{value: 2.0, {SRC}}}\n"
    f"    cache_ttl_seconds: {{value: 300, {SRC}}}\n"
    f"    cache_storage_usd_per_1m_tokens_per_hour: {{value: 1.0, {SRC}}}\n"
    "    prompt_cache:\n"
    "      min_prefix_tokens: 1024\n"
    "      first_token_saving_share: 0.8\n"
    f"      {SRC.replace(', ', chr(10) + '      ')}\n"
)
SMALL_PRICES = (
    f"    cached_input_usd_per_1m_tokens: {{value: 0.02, {SRC}}}\n"
    f"    batch_input_usd_per_1m_tokens: {{value: 0.1, {SRC}}}\n"
    f"    batch_output_usd_per_1m_tokens: {{value: 0.1, {SRC}}}\n"
)
DEDICATED = (
    "  ft-dedicated:\n"
    "    name: LoRA on a dedicated endpoint\n"
    "    provider: test\n"
    "    base_llm: small\n"
    "    method: lora\n"
    f"    training_usd_per_1m_tokens: {{value: 0.5, {SRC}}}\n"
    "    hosting: dedicated\n"
    f"    hosting_usd_per_hour: {{value: 3, {SRC}}}\n"
)


def _catalog():
    text = MINI.replace("    context_window_tokens: 100000\n", "    context_window_tokens: 100000\n" + BIG_CACHE, 1)
    text = text.replace("    context_window_tokens: 32000\n", "    context_window_tokens: 32000\n" + SMALL_PRICES, 1)
    text = text.replace("gpus:\n", DEDICATED + "gpus:\n", 1)
    return parse_catalog(text, "cat.yaml").catalog


CAT = _catalog()
STACK = {"embedding_model": "emb", "vector_store": "pine", "reranker": "rr", "llm": "big", "fine_tune": "ft-api"}
W = {
    "queries_per_month": 100_000,
    "system_prompt_tokens": 100,
    "few_shot_tokens": 1000,
    "input_tokens_per_query": 200,
    "output_tokens_per_query": 300,
    "top_k": 4,
    "chunk_tokens": 500,
    "chunk_overlap_tokens": 50,
    "corpus_documents": 20,
    "tokens_per_document": 1000,
}


def make(stack=None, **workload) -> Scenario:
    return Scenario.model_validate({"workload": {**W, **workload}, "stack": {**STACK, **(stack or {})}})


def at(s: Scenario, arch: str, component: str = "inference", q: float | None = None) -> float:
    i = build_inputs(CAT, s)[0]
    q = s.workload.queries_per_month if q is None else q
    return float(monthly_components(i, arch, np.array([float(q)]))[component][0])


def approx(x):
    return pytest.approx(x, rel=1e-9, abs=1e-9)


def test_caching_off_bills_the_prefix_at_the_plain_input_price():
    # 0 hits: 1,300 input tokens at $1 + 300 output at $4 = 2,500 µ$ a query → 100,000 × 2,500 ÷ 1e6 = $250
    # (the prefix at the 5-minute write price would be 1,100 × 1.25 + 200 + 1,200 = 2,775 → $277.50)
    assert at(make(cache_hit_share=0.0), "prompt_only") == approx(100_000 * (1300 * 1.0 + 300 * 4.0) / 1e6)
    assert at(make(cache_hit_share=0.0), "prompt_only") == approx(250.0)
    # 10% hits: 0.1 × 0.1 + 0.9 × 1.25 = 1.135 a prefix token, above the input price: caching left off, $250
    assert at(make(cache_hit_share=0.1), "prompt_only") == approx(250.0)
    # half hit: 0.5 × 0.1 + 0.5 × 1.25 = 0.675 → 1,100 × 0.675 + 200 + 1,200 = 2,142.5 µ$ → $214.25
    assert at(make(cache_hit_share=0.5), "prompt_only") == approx(100_000 * (1100 * 0.675 + 200 + 1200) / 1e6)


def test_a_prefix_under_the_minimum_is_never_cached():
    # few-shot 800: P = 100 + 800 = 900 < 1,024 — no hit even when every request would hit
    s = make(few_shot_tokens=800, cache_hit_share=1.0)
    # 1,100 input tokens at $1 + 1,200 output → 2,300 µ$ → $230
    assert at(s, "prompt_only") == approx(100_000 * (1100 * 1.0 + 300 * 4.0) / 1e6)
    assert estimate(CAT, s).current["prompt_only"].cache_hit_share == 0.0
    # at the minimum and above (P = 1,100) the same request hits: 1,100 × 0.1 + 200 + 1,200 = 1,510 → $151
    assert at(make(cache_hit_share=1.0), "prompt_only") == approx(100_000 * (1100 * 0.1 + 200 + 1200) / 1e6)


def test_the_one_hour_cache_writes_at_its_price_and_lives_an_hour():
    # q = 2,628 a month: λ = 2,628 ÷ (730 × 3,600) = 0.001 a second
    q = 2_628.0
    h5 = 1 - math.exp(-0.001 * 300)  # 0.2592: 0.2592 × 0.1 + 0.7408 × 1.25 = 0.952 < 1, cached
    h1 = 1 - math.exp(-0.001 * 3600)  # 0.9727
    five = q * (1100 * (h5 * 0.1 + (1 - h5) * 1.25) + 200 + 1200) / 1e6
    hour = q * (1100 * (h1 * 0.1 + (1 - h1) * 2.0) + 200 + 1200) / 1e6
    assert at(make(queries_per_month=q), "prompt_only") == approx(five)  # $3.6429
    assert at(make(queries_per_month=q, cache_lifetime="1h"), "prompt_only") == approx(hour)  # $3.4396
    assert estimate(CAT, make(queries_per_month=q, cache_lifetime="1h")).current["prompt_only"].cache_hit_share == (
        pytest.approx(h1)
    )


def test_an_explicit_cache_is_read_by_every_request_and_billed_for_storage():
    s = make(explicit_cache=True)
    # long context's prefix: 100 + 20 × 1,000 = 20,100 tokens, stored 730 hours at $1 per 1M tokens an hour
    assert at(s, "long_context", "cache_storage") == approx(20_100 / 1e6 * 1.0 * 730)  # $14.673
    # every request hits: 20,100 × 0.1 + 200 × 1 + 300 × 4 = 3,410 µ$ → $341
    assert at(s, "long_context") == approx(100_000 * (20_100 * 0.1 + 200 + 1200) / 1e6)
    # prompt only stores its 1,100-token prefix: 1,100 ÷ 1e6 × 730 = $0.803
    assert at(s, "prompt_only", "cache_storage") == approx(1100 / 1e6 * 730)
    # without an explicit cache nothing is stored
    assert at(make(), "long_context", "cache_storage") == 0.0


def test_a_hit_saves_first_token_time_on_the_cached_prefix():
    # TTFT = 500 ms + 10 ms per 1K input tokens; a hit skips 80% of the prefix's: 500 + 10 × (1,300 − 0.8 ×
    # 1,100) ÷ 1,000 = 504.2 ms against 513 ms; p95 = 2 × p50 (the catalog's p95 ÷ p50)
    q = np.array([100_000.0])

    def ttft(share):
        i = build_inputs(CAT, make(cache_hit_share=share))[0]
        p50, p95 = latency_parts(i, "prompt_only", q)["time_to_first_token"]
        return float(p50[0]), float(p95[0])

    fast, slow = 500 + 10 * (1300 - 0.8 * 1100) / 1000, 500 + 10 * 1300 / 1000
    assert ttft(1.0) == (approx(fast), approx(2 * fast))
    # 60% hit: the median request hits, the p95 one misses
    assert ttft(0.6) == (approx(fast), approx(2 * slow))
    assert ttft(0.0) == (approx(slow), approx(2 * slow))


def test_the_hit_share_ceiling_caps_the_share_traffic_gives():
    # λ = 1 a second: 1 − e^(−300) ≈ 1, capped at 0.5 → 0.5 × 0.1 + 0.5 × 1.25 = 0.675 a prefix token
    q = 2_628_000.0
    s = make(queries_per_month=q, cache_hit_share_ceiling=0.5)
    assert at(s, "prompt_only") == approx(q * (1100 * 0.675 + 200 + 1200) / 1e6)
    assert estimate(CAT, s).current["prompt_only"].cache_hit_share == approx(0.5)


def test_a_dedicated_endpoint_billed_by_the_hour_pays_no_per_token_price():
    # the base model `small` has cached (0.02) and batch (0.1 / 0.1) prices; the endpoint has none. Every
    # request hits the cache and half go through batch: still $0 of tokens, only 1 replica × $3 × 730 h
    s = make(stack={"fine_tune": "ft-dedicated"}, cache_hit_share=1.0, batch_query_share=0.5)
    for arch in ("fine_tuned", "hybrid"):
        assert at(s, arch) == 0.0, arch  # before the fix: 100 × 0.02 + half of 1,300... at batch prices
        assert at(s, arch, "model_hosting") == approx(1 * 3 * 730)  # $2,190
    # the same with the base model's own serving: the tokens are paid
    base = make(stack={"fine_tune": "ft-api"}, cache_hit_share=1.0, batch_query_share=0.5)
    assert at(base, "fine_tuned") > 0


def test_the_estimate_says_what_caching_it_could_not_apply():
    # few-shot 800: prompt only's prefix of 900 tokens is under big's 1,024 minimum
    est = estimate(CAT, make(few_shot_tokens=800))
    assert any("Prompt only (900 tokens, minimum 1,024)" in w for w in est.warnings)
    # small (the tuned models' base) has a cached price but no 1-hour write and no explicit cache
    est = estimate(CAT, make(stack={"fine_tune": "ft-lora"}, cache_lifetime="1h", explicit_cache=True))
    assert not any(w.startswith("Prompt only:") for w in est.warnings)  # big sells both
    assert any("Fine-tuned: its model sells no 1-hour cache" in w for w in est.warnings)
    assert any("Fine-tuned: its model sells no explicit cache" in w for w in est.warnings)


def test_the_founders_long_context_at_no_hits_costs_the_input_price(default_catalog):
    # shipped gpt-6-luna: input $0.10, output $0.50, cache write $0.125 per 1M tokens. A 120,000-token manual,
    # 300-token system prompt, 200 input and 300 output tokens, 50,000 queries a month, no cache hits:
    # 50,000 × (120,500 × 0.10 + 300 × 0.50) ÷ 1e6 = $610 (at the write price: 120,300 × 0.125 + 200 × 0.10
    # + 300 × 0.50 = 15,207.5 µ$ a query → $760.38)
    s = Scenario.model_validate(
        {
            "workload": {
                "queries_per_month": 50_000,
                "corpus_documents": 1,
                "tokens_per_document": 120_000,
                "cache_hit_share": 0.0,
            }
        }
    )
    est = estimate(default_catalog, s)
    assert est.current["long_context"].monthly_usd == approx(50_000 * (120_500 * 0.10 + 300 * 0.50) / 1e6)
