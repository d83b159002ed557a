"""The unverified-price warning walks the figures the estimate actually read, of every kind: each `PriceUsed`
carries the components and options it feeds and its kind, so a cached-input, cache-write, batch or long-context
price under the pick's largest component is caught (a name-prefix match missed them)."""

from __future__ import annotations

import pytest

from planner.engine import estimate
from planner.presentation.verdict import weak_evidence
from pricing.llms import LLM
from tests.hand_scenario import make

UNVERIFIED = {"source": "test", "checked": "2026-11-01", "verified": False}

EXTRA = {
    "cached_input_usd_per_1m_tokens": {"cached_input_usd_per_1m_tokens": {"value": 0.1, **UNVERIFIED}},
    "cache_write_usd_per_1m_tokens": {
        "cached_input_usd_per_1m_tokens": {"value": 0.1, "source": "test", "checked": "2026-11-01"},
        "cache_write_usd_per_1m_tokens": {"value": 1.25, **UNVERIFIED},
    },
    "batch_input_usd_per_1m_tokens": {"batch_input_usd_per_1m_tokens": {"value": 0.5, **UNVERIFIED}},
    "batch_output_usd_per_1m_tokens": {"batch_output_usd_per_1m_tokens": {"value": 2, **UNVERIFIED}},
    "long_context.input_usd_per_1m_tokens": {
        "long_context": {
            "above_input_tokens": 50_000,
            "input_usd_per_1m_tokens": {"value": 2, **UNVERIFIED},
            "output_usd_per_1m_tokens": {"value": 8, "source": "test", "checked": "2026-11-01"},
        }
    },
}


def _with(mini, extra: dict):
    data = mini.llms["big"].model_dump() | extra
    return mini.model_copy(update={"llms": mini.llms | {"big": LLM.model_validate(data)}})


@pytest.mark.parametrize("field", list(EXTRA))
def test_an_unverified_price_of_any_kind_under_the_largest_component_is_named(mini, field):
    cat = _with(mini, EXTRA[field])
    est = estimate(cat, make())
    # prompt only at 100,000 queries: inference (250 $) is its only monthly component, priced by `big`
    weak = weak_evidence(est, "prompt_only")
    assert weak is not None and weak.component == "inference"
    assert [p.field for p in weak.prices] == [field]
    assert f"Big model · {field}" in weak.sentence()
    # the fine-tuned option's tokens are priced by the offer (ft-api, verified): `big`'s price is not its evidence
    assert weak_evidence(est, "fine_tuned") is None


def test_price_used_says_what_it_feeds_and_its_kind(mini):
    cat = _with(mini, EXTRA["cached_input_usd_per_1m_tokens"] | EXTRA["long_context.input_usd_per_1m_tokens"])
    est = estimate(cat, make())
    used = {(p.entry, p.field): p for p in est.prices_used}
    cached = used[("big", "cached_input_usd_per_1m_tokens")]
    assert (cached.components, cached.options, cached.kind) == (
        ("inference",),
        ("prompt_only", "long_context", "rag"),
        "cached_input",
    )
    assert used[("big", "long_context.input_usd_per_1m_tokens")].kind == "long_context.input"
    ttft = used[("big", "ttft_ms")]
    assert (ttft.components, ttft.options, ttft.kind) == ((), (), "latency")
    tuned = used[("ft-api", "input_usd_per_1m_tokens")]
    assert (tuned.components, tuned.options) == (("inference",), ("fine_tuned", "hybrid"))
    store = used[("pine", "usd_per_gb_month")]
    assert "vector_store" in store.components and store.options == ("rag", "hybrid")


def test_a_base_model_serving_both_sides_feeds_both(mini):
    # ft-lora is served at the base price of `small`; with `small` as the LLM too, one figure feeds all five
    est = estimate(mini, make(stack={"llm": "small", "fine_tune": "ft-lora"}))
    small_in = next(p for p in est.prices_used if (p.entry, p.field) == ("small", "input_usd_per_1m_tokens"))
    assert small_in.options == ("prompt_only", "long_context", "rag", "fine_tuned", "hybrid")
