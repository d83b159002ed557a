"""The catalog schema's price shapes of today's market: lifecycle, cached / batch / long-context /
scheduled prices, per-token rerankers, dedicated fine-tune hosting, GPU memory, throughput floors.

Each case is a hand-written YAML snippet spliced into `tests/fixtures/mini_catalog.yaml`; a refused
snippet must give one located problem (file, line, column of the offending key, dotted path) in
plain words. Line numbers are computed from the mutated text, never hard-coded.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from pricing.errors import InputError
from pricing.lifecycle import Lifecycle
from pricing.loader import parse_catalog
from pricing.models import Catalog

MINI = (Path(__file__).resolve().parent / "fixtures" / "mini_catalog.yaml").read_text(encoding="utf-8")

SRC = 'source: "test", checked: 2026-11-01'


def fig(value: float) -> str:
    return f"{{value: {value}, {SRC}}}"


# Anchors in the mini catalog after which snippets are inserted (each occurs exactly once).
BIG_LLM = '    output_tokens_per_second: {value: 100, source: "test", checked: 2026-11-01}\n  small:\n'
SMALL_LLM = '    output_tokens_per_second: {value: 200, source: "test", checked: 2026-11-01}\nfine_tune_offers:\n'
RERANKER = "  rr:\n    name: Rerank\n    provider: test\n"
FT_API = "  ft-api:\n    name: Tuned big\n    provider: test\n    base_llm: big\n    method: full\n"
GPU = "    gpu_type: H100\n"
EMB = '    usd_per_1m_tokens: {value: 0.1, low: 0.05, high: 0.2, source: "test", checked: 2026-11-01}\n'


def add(anchor: str, snippet: str, text: str = MINI) -> str:
    """Insert `snippet` (lines indented for the entry) right after the entry's first lines in `anchor`."""
    assert text.count(anchor) == 1, anchor
    if anchor == BIG_LLM:  # insert inside `big`, before `small:` starts
        head = anchor[: anchor.index("  small:\n")]
        return text.replace(anchor, head + snippet + "  small:\n")
    if anchor == SMALL_LLM:
        head = anchor[: anchor.index("fine_tune_offers:\n")]
        return text.replace(anchor, head + snippet + "fine_tune_offers:\n")
    return text.replace(anchor, anchor + snippet)


def refused(text: str) -> tuple:
    """The single located problem of a refused text, and the text's lines."""
    with pytest.raises(InputError) as info:
        parse_catalog(text, "cat.yaml")
    problems = info.value.problems
    assert len(problems) == 1, [str(p) for p in problems]
    p = problems[0]
    assert p.file == "cat.yaml" and p.line >= 1 and p.column >= 1
    for word in ("pydantic", "Traceback", "ValidationError", "NoneType"):
        assert word not in p.message
    return p, text.splitlines()


def line_of(lines: list[str], needle: str, occurrence: int = 1) -> int:
    hits = [i + 1 for i, line in enumerate(lines) if needle in line]
    assert len(hits) >= occurrence, needle
    return hits[occurrence - 1]


def load(text: str) -> Catalog:
    return parse_catalog(text, "cat.yaml").catalog


# ---------------------------------------------------------------- 2026.11 files still load


def test_a_2026_11_catalog_without_any_new_field_loads():
    cat = load(MINI)
    big = cat.llms["big"]
    assert big.lifecycle is None and big.cached_input_usd_per_1m_tokens is None and big.price_changes == []
    assert cat.rerankers["rr"].usd_per_1m_tokens is None
    assert cat.fine_tune_offers["ft-api"].hosting == "serverless"
    assert cat.gpus["gpu"].memory_gb_per_gpu is None
    assert cat.genai_prices_version is None


# ---------------------------------------------------------------- lifecycle

LIFE = (
    "    lifecycle:\n"
    "      deprecated_on: 2026-06-01\n"
    "      closed_to_new_on: 2026-07-01\n"
    "      shuts_down_on: 2027-01-14\n"
    "      replacement: small\n"
    '      source: "vendor deprecations page"\n'
    "      checked: 2026-11-01\n"
)


def test_lifecycle_loads_with_dates_and_replacement():
    life = load(add(BIG_LLM, LIFE)).llms["big"].lifecycle
    assert life.shuts_down_on == date(2027, 1, 14) and life.replacement == "small"


@pytest.mark.parametrize(
    "day, status, available",
    [
        (date(2026, 5, 31), "available", True),
        (date(2026, 6, 1), "deprecated", True),  # deprecation alone does not stop a purchase
        (date(2026, 6, 30), "deprecated", True),
        (date(2026, 7, 1), "closed_to_new", False),  # closed on its first day
        (date(2027, 1, 13), "closed_to_new", False),
        (date(2027, 1, 14), "shut_down", False),  # shut down on its first day
        (date(2030, 1, 1), "shut_down", False),
    ],
)
def test_lifecycle_status_and_availability_on_a_day(day, status, available):
    life = load(add(BIG_LLM, LIFE)).llms["big"].lifecycle
    assert life.status_on(day) == status
    assert life.available_on(day) is available


def test_lifecycle_without_dates_is_always_available():
    life = Lifecycle(source="vendor page", checked=date(2026, 11, 1))
    assert life.status_on(date(2099, 1, 1)) == "available" and life.available_on(date(2099, 1, 1))


def test_lifecycle_replacement_must_exist_in_the_same_family():
    # `gpu` exists, but under `gpus`, not `llms`
    text = add(BIG_LLM, LIFE.replace("replacement: small", "replacement: gpu"))
    p, lines = refused(text)
    assert p.path == "llms.big.lifecycle.replacement"
    assert p.line == line_of(lines, "replacement: gpu")
    assert "`gpu` is not a key under `llms`" in p.message


def test_lifecycle_replacement_suggests_the_closest_key():
    p, _ = refused(add(BIG_LLM, LIFE.replace("replacement: small", "replacement: smal")))
    assert "did you mean `small`?" in p.message


def test_lifecycle_replacement_cannot_be_the_entry_itself():
    p, lines = refused(add(RERANKER, LIFE.replace("replacement: small", "replacement: rr")))
    assert p.path == "rerankers.rr.lifecycle.replacement"
    assert p.line == line_of(lines, "replacement: rr")
    assert "cannot replace itself" in p.message


def test_lifecycle_replacement_of_a_fine_tune_offer_is_another_offer():
    ok = load(add(FT_API, LIFE.replace("replacement: small", "replacement: ft-lora")))
    assert ok.fine_tune_offers["ft-api"].lifecycle.replacement == "ft-lora"
    p, _ = refused(add(FT_API, LIFE))  # `small` is an LLM, not an offer
    assert p.path == "fine_tune_offers.ft-api.lifecycle.replacement"


def test_lifecycle_on_an_embedding_model():
    emb = load(add(EMB, LIFE.replace("replacement: small", "replacement: emb-local"))).embedding_models["emb"]
    assert emb.lifecycle.replacement == "emb-local"


def test_lifecycle_dates_after_shutdown_are_refused_at_the_date():
    text = add(BIG_LLM, LIFE.replace("closed_to_new_on: 2026-07-01", "closed_to_new_on: 2027-02-01"))
    p, lines = refused(text)
    assert p.path == "llms.big.lifecycle.closed_to_new_on"
    assert p.line == line_of(lines, "closed_to_new_on: 2027-02-01")
    assert "after `shuts_down_on` 2027-01-14" in p.message


def test_lifecycle_needs_a_source():
    p, _ = refused(add(BIG_LLM, LIFE.replace('      source: "vendor deprecations page"\n', "")))
    assert p.path == "llms.big.lifecycle.source" or p.path == "llms.big.lifecycle"
    assert "source" in p.message


def test_lifecycle_unknown_key_names_the_closest():
    p, lines = refused(add(BIG_LLM, LIFE.replace("shuts_down_on:", "shut_down_on:")))
    assert p.path == "llms.big.lifecycle.shut_down_on"
    assert p.line == line_of(lines, "shut_down_on:")
    assert "did you mean `shuts_down_on`?" in p.message


# ---------------------------------------------------------------- LLM price shapes

SHAPES = (
    '    genai_prices: "openai:gpt-5"\n'
    "    max_input_tokens: 80000\n"
    f"    cached_input_usd_per_1m_tokens: {fig(0.1)}\n"
    f"    cache_write_usd_per_1m_tokens: {fig(1.25)}\n"
    f"    cache_ttl_seconds: {fig(300)}\n"
    f"    batch_input_usd_per_1m_tokens: {fig(0.5)}\n"
    f"    batch_output_usd_per_1m_tokens: {fig(2)}\n"
    "    long_context:\n"
    "      above_input_tokens: 50000\n"
    f"      input_usd_per_1m_tokens: {fig(2)}\n"
    f"      output_usd_per_1m_tokens: {fig(6)}\n"
    f"      cached_input_usd_per_1m_tokens: {fig(0.2)}\n"
    "    price_changes:\n"
    "      - effective_on: 2027-01-01\n"
    f"        input_usd_per_1m_tokens: {fig(2)}\n"
    f"        output_usd_per_1m_tokens: {fig(8)}\n"
    "      - effective_on: 2027-06-01\n"
    f"        input_usd_per_1m_tokens: {fig(3)}\n"
    f"        output_usd_per_1m_tokens: {fig(9)}\n"
    f"        cached_input_usd_per_1m_tokens: {fig(0.3)}\n"
)


def test_llm_price_shapes_load():
    big = load(add(BIG_LLM, SHAPES)).llms["big"]
    assert big.genai_prices == "openai:gpt-5"
    assert big.input_limit_tokens == 80000  # max_input_tokens, below the 100,000-token window
    assert big.cached_input_usd_per_1m_tokens.value == 0.1
    assert big.cache_ttl_seconds.value == 300
    assert big.long_context.above_input_tokens == 50000 and big.long_context.output_usd_per_1m_tokens.value == 6
    assert [c.effective_on for c in big.price_changes] == [date(2027, 1, 1), date(2027, 6, 1)]
    assert big.price_changes[1].cached_input_usd_per_1m_tokens.value == 0.3


def test_llm_input_limit_defaults_to_the_window():
    assert load(MINI).llms["big"].input_limit_tokens == 100000


def test_max_input_above_the_window_is_refused():
    p, lines = refused(add(BIG_LLM, "    max_input_tokens: 200000\n"))
    assert p.path == "llms.big.max_input_tokens"
    assert p.line == line_of(lines, "max_input_tokens: 200000")
    assert "above the context window of 100000 tokens" in p.message


@pytest.mark.parametrize("threshold", [100000, 150000])
def test_long_context_threshold_at_or_above_the_window_is_refused(threshold):
    snippet = (
        "    long_context:\n"
        f"      above_input_tokens: {threshold}\n"
        f"      input_usd_per_1m_tokens: {fig(2)}\n"
        f"      output_usd_per_1m_tokens: {fig(6)}\n"
    )
    p, lines = refused(add(BIG_LLM, snippet))
    assert p.path == "llms.big.long_context.above_input_tokens"
    assert p.line == line_of(lines, f"above_input_tokens: {threshold}")
    assert "must be below the 100000 input tokens" in p.message


def test_long_context_threshold_is_checked_against_max_input():
    snippet = (
        "    max_input_tokens: 60000\n"
        "    long_context:\n"
        "      above_input_tokens: 60000\n"
        f"      input_usd_per_1m_tokens: {fig(2)}\n"
        f"      output_usd_per_1m_tokens: {fig(6)}\n"
    )
    p, _ = refused(add(BIG_LLM, snippet))
    assert "below the 60000 input tokens" in p.message


def test_price_changes_out_of_order_are_refused_at_the_later_entry():
    text = add(BIG_LLM, SHAPES.replace("effective_on: 2027-06-01", "effective_on: 2026-12-01"))
    p, lines = refused(text)
    assert p.path == "llms.big.price_changes.1.effective_on"
    assert p.line == line_of(lines, "effective_on: 2026-12-01")
    assert "oldest first" in p.message


def test_two_price_changes_on_one_day_are_refused():
    p, _ = refused(add(BIG_LLM, SHAPES.replace("effective_on: 2027-06-01", "effective_on: 2027-01-01")))
    assert p.path == "llms.big.price_changes.1.effective_on"


def test_price_change_needs_its_date():
    p, lines = refused(add(BIG_LLM, SHAPES.replace("      - effective_on: 2027-06-01\n", "      -\n")))
    assert p.path.startswith("llms.big.price_changes.1")
    assert "effective_on" in p.message


@pytest.mark.parametrize(
    "field, value, phrase",
    [
        ("cache_ttl_seconds", 3_000_000, "seconds is above the plausible ceiling"),
        ("cache_ttl_seconds", 0, "must be above zero"),
        ("cached_input_usd_per_1m_tokens", 5000, "USD per 1M tokens is above the plausible ceiling"),
        ("batch_output_usd_per_1m_tokens", 5000, "USD per 1M tokens is above the plausible ceiling"),
        # a storage price is per hour: the message names the unit the field is in
        ("cache_storage_usd_per_1m_tokens_per_hour", 5000, "USD per 1M tokens per hour is above the plausible ceiling"),
    ],
)
def test_new_llm_figures_have_per_unit_limits(field, value, phrase):
    p, lines = refused(add(BIG_LLM, f"    {field}: {fig(value)}\n"))
    assert p.path == f"llms.big.{field}"
    assert p.line == line_of(lines, f"{field}:")
    assert phrase in p.message


def test_genai_prices_reference_needs_provider_and_model():
    p, lines = refused(add(BIG_LLM, '    genai_prices: "gpt-5"\n'))
    assert p.path == "llms.big.genai_prices"
    assert p.line == line_of(lines, "genai_prices:")


# ---------------------------------------------------------------- throughputs that divide


@pytest.mark.parametrize(
    "old, new, path",
    [
        (
            "    output_tokens_per_second: {value: 100, source",
            "    output_tokens_per_second: {value: 0, source",
            "llms.big.output_tokens_per_second",
        ),
        (
            "    output_tokens_per_second: {value: 100, source",
            "    output_tokens_per_second: {value: 100, low: 0, source",
            "llms.big.output_tokens_per_second",
        ),
        (
            "vllm_8b_tokens_per_second: {value: 1000,",
            "vllm_8b_tokens_per_second: {value: 0,",
            "gpus.gpu.vllm_8b_tokens_per_second",
        ),
        (
            "self_hosted: {gpu: gpu, tokens_per_second: {value: 1000,",
            "self_hosted: {gpu: gpu, tokens_per_second: {value: 0,",
            "embedding_models.emb-local.self_hosted.tokens_per_second",
        ),
        (
            "max_queries_per_second: {value: 100,",
            "max_queries_per_second: {value: 0,",
            "vector_stores.pg.max_queries_per_second",
        ),
    ],
    ids=["llm-tps", "llm-tps-low", "gpu-vllm", "self-hosted-embedding", "vector-store-qps"],
)
def test_zero_throughput_is_a_located_error(old, new, path):
    assert MINI.count(old) == 1
    text = MINI.replace(old, new)
    p, lines = refused(text)
    assert p.path == path
    assert p.line == line_of(lines, path.rsplit(".", 1)[1] + ":")
    assert "must be above zero" in p.message


# ---------------------------------------------------------------- rerankers


def test_per_token_reranker_loads():
    text = MINI.replace(
        '    usd_per_1k_searches: {value: 2, source: "test", checked: 2026-11-01}\n',
        f"    usd_per_1m_tokens: {fig(0.05)}\n",
    )
    rr = load(text).rerankers["rr"]
    assert rr.usd_per_1m_tokens.value == 0.05 and rr.usd_per_1k_searches is None


def test_reranker_with_both_billings_is_refused():
    p, lines = refused(add(RERANKER, f"    usd_per_1m_tokens: {fig(0.05)}\n"))
    assert p.path == "rerankers.rr"
    assert p.line == line_of(lines, "  rr:")
    assert "exactly one of `usd_per_1k_searches`" in p.message


def test_reranker_with_no_billing_is_refused():
    text = MINI.replace('    usd_per_1k_searches: {value: 2, source: "test", checked: 2026-11-01}\n', "")
    p, _ = refused(text)
    assert p.path == "rerankers.rr" and "never taken as zero" in p.message


def test_reranker_per_token_ceiling():
    text = MINI.replace(
        '    usd_per_1k_searches: {value: 2, source: "test", checked: 2026-11-01}\n',
        f"    usd_per_1m_tokens: {fig(50)}\n",
    )
    p, lines = refused(text)
    assert p.path == "rerankers.rr.usd_per_1m_tokens"
    assert p.line == line_of(lines, "usd_per_1m_tokens: {value: 50")
    assert "above the plausible ceiling of 10" in p.message


# ---------------------------------------------------------------- fine-tuning hosting

DEDICATED = (
    "  ft-dedicated:\n"
    "    name: LoRA on a dedicated endpoint\n"
    "    provider: test\n"
    "    base_llm: small\n"
    "    method: lora\n"
    f"    training_usd_per_1m_tokens: {fig(0.5)}\n"
    "    hosting: dedicated\n"
    f"    hosting_usd_per_hour: {fig(3)}\n"
    f"    dedicated_output_tokens_per_second: {fig(1500)}\n"
)


def with_offer(snippet: str) -> str:
    return MINI.replace("gpus:\n", snippet + "gpus:\n")


def test_dedicated_offer_loads_without_per_token_prices():
    offer = load(with_offer(DEDICATED)).fine_tune_offers["ft-dedicated"]
    assert offer.hosting == "dedicated"
    assert offer.hosting_usd_per_hour.value == 3 and offer.input_usd_per_1m_tokens is None
    assert offer.dedicated_output_tokens_per_second.value == 1500


def test_dedicated_offer_needs_an_hourly_price():
    p, lines = refused(with_offer(DEDICATED.replace(f"    hosting_usd_per_hour: {fig(3)}\n", "")))
    assert p.path == "fine_tune_offers.ft-dedicated.hosting"
    assert p.line == line_of(lines, "hosting: dedicated")
    assert "needs `hosting_usd_per_hour`" in p.message


def test_dedicated_offer_with_one_per_token_price_is_refused():
    p, _ = refused(with_offer(DEDICATED + f"    input_usd_per_1m_tokens: {fig(0.2)}\n"))
    assert p.path == "fine_tune_offers.ft-dedicated"
    assert "both `input_usd_per_1m_tokens` and `output_usd_per_1m_tokens`, or neither" in p.message


def test_dedicated_offer_with_both_per_token_prices_loads():
    text = with_offer(
        DEDICATED + f"    input_usd_per_1m_tokens: {fig(0.2)}\n    output_usd_per_1m_tokens: {fig(0.2)}\n"
    )
    assert load(text).fine_tune_offers["ft-dedicated"].output_usd_per_1m_tokens.value == 0.2


def test_replica_throughput_only_with_dedicated_hosting():
    p, lines = refused(add(FT_API, f"    dedicated_output_tokens_per_second: {fig(1000)}\n"))
    assert p.path == "fine_tune_offers.ft-api.dedicated_output_tokens_per_second"
    assert p.line == line_of(lines, "dedicated_output_tokens_per_second:")


def test_replica_throughput_of_zero_is_refused():
    text = with_offer(DEDICATED.replace(f"per_second: {fig(1500)}", f"per_second: {fig(0)}"))
    p, _ = refused(text)
    assert p.path == "fine_tune_offers.ft-dedicated.dedicated_output_tokens_per_second"
    assert "must be above zero" in p.message


def test_unknown_hosting_is_refused():
    p, lines = refused(with_offer(DEDICATED.replace("hosting: dedicated", "hosting: shared")))
    assert p.path == "fine_tune_offers.ft-dedicated.hosting"
    assert "'serverless' or 'dedicated'" in p.message


# ---------------------------------------------------------------- GPUs, embeddings, catalog


def test_gpu_memory_loads_and_is_bounded():
    assert load(add(GPU, "    memory_gb_per_gpu: 80\n")).gpus["gpu"].memory_gb_per_gpu == 80
    p, lines = refused(add(GPU, "    memory_gb_per_gpu: 0\n"))
    assert p.path == "gpus.gpu.memory_gb_per_gpu" and p.line == line_of(lines, "memory_gb_per_gpu: 0")
    p, _ = refused(add(GPU, "    memory_gb_per_gpu: 80.5\n"))
    assert "whole number" in p.message


def test_embedding_batch_price_and_reference():
    text = add(EMB, f'    batch_usd_per_1m_tokens: {fig(0.05)}\n    genai_prices: "openai:text-embedding-3-small"\n')
    emb = load(text).embedding_models["emb"]
    assert emb.batch_usd_per_1m_tokens.value == 0.05 and emb.genai_prices == "openai:text-embedding-3-small"


def test_batch_price_on_a_self_hosted_embedding_is_refused():
    anchor = "    dimensions: 384\n"
    p, lines = refused(add(anchor, f"    batch_usd_per_1m_tokens: {fig(0.05)}\n"))
    assert p.path == "embedding_models.emb-local.batch_usd_per_1m_tokens"
    assert p.line == line_of(lines, "batch_usd_per_1m_tokens:")


def test_catalog_records_the_genai_prices_version():
    text = MINI.replace('version: "test-1"\n', 'version: "test-1"\ngenai_prices_version: "0.2.3"\n')
    assert load(text).genai_prices_version == "0.2.3"


def test_the_default_catalog_has_per_token_rerankers():
    from pricing.loader import load_catalog_file

    loaded = load_catalog_file(Path(__file__).resolve().parent.parent / "pricing" / "default.yaml")
    per_token = {k: r for k, r in loaded.catalog.rerankers.items() if r.usd_per_1m_tokens is not None}
    assert sorted(per_token) == [
        "cohere-rerank-v5.0-fast",
        "cohere-rerank-v5.0-pro",
        "voyage-rerank-2.5",
        "voyage-rerank-2.5-lite",
    ]
    assert [per_token[k].usd_per_1m_tokens.value for k in sorted(per_token)] == [0.02, 0.05, 0.05, 0.02]
    assert all(r.usd_per_1k_searches is None for r in per_token.values())
