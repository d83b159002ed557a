"""Hostile catalogs, part two: impossible values, missing or unknown keys, and texts that are not a catalog at
all.

Each case mutates tests/fixtures/mini_catalog.yaml (or writes a text of its own) and returns what the loader must
say: the line and column computed from the mutated text (never hard-coded), the field path and a key phrase.
tests/test_catalog_hostile.py runs every case."""

from __future__ import annotations

from pricing.safeyaml import MAX_BYTES
from tests.catalog_text import (
    BIG_INPUT,
    BIG_OUTPUT,
    MINI,
    Case,
    Expect,
    block,
    collector,
    first_key_line,
    last_line_plus_one,
    mutate,
    where,
)

CASES: list[Case] = []
case = collector(CASES)

# --- impossible values


@case("negative-price")
def _():
    text = mutate(BIG_OUTPUT, BIG_OUTPUT.replace("value: 4", "value: -4"))
    line, col = where(text, "value: -4", at="value")
    return Expect(text, line, col, "llms.big.output_usd_per_1m_tokens.value", "negative")


@case("negative-low")
def _():
    text = mutate(BIG_INPUT, BIG_INPUT.replace("low: 0.5", "low: -0.5"))
    line, col = where(text, "low: -0.5", at="low")
    return Expect(text, line, col, "llms.big.input_usd_per_1m_tokens.low", "negative")


@case("nan-price")
def _():
    text = mutate(BIG_OUTPUT, BIG_OUTPUT.replace("value: 4", "value: .nan"))
    line, col = where(text, "value: .nan", at="value")
    return Expect(text, line, col, "llms.big.output_usd_per_1m_tokens.value", "NaN and infinity are not allowed")


@case("inf-price")
def _():
    text = mutate(BIG_OUTPUT, BIG_OUTPUT.replace("value: 4", "value: .inf"))
    line, col = where(text, "value: .inf", at="value")
    return Expect(text, line, col, "llms.big.output_usd_per_1m_tokens.value", "NaN and infinity are not allowed")


@case("overflowing-float-price")
def _():
    text = mutate(BIG_OUTPUT, BIG_OUTPUT.replace("value: 4", "value: 1.0e400"))
    line, col = where(text, "value: 1.0e400", at="value")
    return Expect(text, line, col, "llms.big.output_usd_per_1m_tokens.value", "NaN and infinity are not allowed")


@case("nan-plain-number")
def _():
    text = mutate("p95_over_p50: 2.0", "p95_over_p50: .nan")
    line, col = where(text, "p95_over_p50")
    return Expect(text, line, col, "latency_model.p95_over_p50", "NaN and infinity are not allowed")


@case("inf-plain-number")
def _():
    text = mutate("memory_gb_per_instance: 4", "memory_gb_per_instance: .inf")
    line, col = where(text, "memory_gb_per_instance")
    return Expect(text, line, col, "vector_stores.pg.memory_gb_per_instance", "NaN and infinity are not allowed")


@case("unit-mistake-per-1m-tokens")
def _():
    text = mutate(BIG_OUTPUT, BIG_OUTPUT.replace("value: 4", "value: 15000"))
    line, col = where(text, "value: 15000", at="output")
    return Expect(
        text, line, col, "llms.big.output_usd_per_1m_tokens", "USD per 1M tokens is above the plausible ceiling"
    )


@case("unit-mistake-per-hour")
def _():
    old = 'usd_per_hour: {value: 3.6, source: "test", checked: 2026-11-01}'
    text = mutate(old, old.replace("3.6", "2600"))
    line, col = where(text, "value: 2600", at="usd_per_hour")
    return Expect(text, line, col, "gpus.gpu.usd_per_hour", "USD per hour")


@case("range-does-not-bracket-value")
def _():
    text = mutate(BIG_INPUT, BIG_INPUT.replace("value: 1,", "value: 3,"))
    line, col = where(text, "value: 3, low: 0.5", at="input")
    return Expect(text, line, col, "llms.big.input_usd_per_1m_tokens", "the range must bracket the value")


# --- missing or unknown keys


@case("unknown-key-with-suggestion")
def _():
    text = mutate(BIG_OUTPUT, BIG_OUTPUT.replace("output_usd", "ouput_usd"))
    line, col = where(text, "ouput_usd_per_1m_tokens")
    return Expect(text, line, col, "llms.big.ouput_usd_per_1m_tokens", "did you mean `output_usd_per_1m_tokens`?")


@case("unknown-top-level-key-with-suggestion")
def _():
    text = MINI + "lmms: {}\n"
    return Expect(text, last_line_plus_one(MINI), 1, "lmms", "did you mean `llms`?")


@case("missing-price")
def _():
    text = mutate(BIG_OUTPUT + "\n", "")
    line, col = where(text, "  big:", at="big")
    return Expect(text, line, col, "llms.big.output_usd_per_1m_tokens", "a missing price is never taken as zero")


@case("missing-price-value")
def _():
    text = mutate(BIG_OUTPUT, BIG_OUTPUT.replace("value: 4, ", ""))
    line, col = where(text, "output_usd_per_1m_tokens: {source")
    return Expect(text, line, col, "llms.big.output_usd_per_1m_tokens.value", "required key `value` is missing")


@case("missing-fine-tune-inference-price")
def _():
    old = '    input_usd_per_1m_tokens: {value: 2, source: "test", checked: 2026-11-01}\n'
    text = mutate(old, "")
    line, col = where(text, "  ft-api:", at="ft-api")
    return Expect(text, line, col, "fine_tune_offers.ft-api", "a missing price is never taken as zero")


@case("missing-embedding-price")
def _():
    old = '    usd_per_1m_tokens: {value: 0.1, low: 0.05, high: 0.2, source: "test", checked: 2026-11-01}\n'
    text = mutate(old, "")
    line, col = where(text, "  emb:", at="emb")
    return Expect(text, line, col, "embedding_models.emb", "give exactly one of `usd_per_1m_tokens`")


@case("missing-required-family")
def _():
    text = MINI.replace(block(MINI, "rerankers:"), "")
    return Expect(text, first_key_line(text), 1, "rerankers", "required key `rerankers` is missing")


@case("unknown-vector-store-billing")
def _():
    text = mutate("billing: per_dimension", "billing: per_query")
    line, col = where(text, "billing: per_query")
    return Expect(text, line, col, "vector_stores.dims.billing", "'per_query'", wording="`billing` is 'per_query'")


@case("missing-vector-store-billing")
def _():
    text = mutate("    billing: per_dimension\n", "")
    line, col = where(text, "  dims:", at="dims")
    return Expect(text, line, col, "vector_stores.dims", "billing")


@case("unknown-gpu-reference")
def _():
    text = mutate("self_hosted: {gpu: gpu,", "self_hosted: {gpu: gpux,")
    line, col = where(text, "gpu: gpux", at="gpu: gpux")
    return Expect(
        text,
        line,
        col,
        "embedding_models.emb-local.self_hosted.gpu",
        "`gpux` is not a key under `gpus` — did you mean `gpu`?",
    )


@case("unknown-base-model-reference")
def _():
    text = mutate("base_llm: big", "base_llm: bigg")
    line, col = where(text, "base_llm: bigg")
    return Expect(
        text, line, col, "fine_tune_offers.ft-api.base_llm", "`bigg` is not a key under `llms` — did you mean `big`?"
    )


@case("override-of-something-else")
def _():
    text = "extends: production\n" + MINI
    return Expect(text, 1, 1, "extends", "can only extend `default`")


# --- not a catalog at all


@case("oversize-over-1mb")
def _():
    text = MINI + "# " + "x" * MAX_BYTES + "\n"
    return Expect(text, 1, 1, "", f"{MAX_BYTES:,}-byte limit")


@case("oversize-alias-bomb-is-refused-for-size-first")
def _():
    text = 'a: &a ["lol"]\n' + "b: [" + ", ".join(["*a"] * (MAX_BYTES // 4)) + "]\n"
    return Expect(text, 1, 1, "", f"{MAX_BYTES:,}-byte limit")


@case("binary-nul-bytes")
def _():
    data = MINI.encode()
    return Expect(data[:100] + b"\x00\x01\x02\x00" + data[100:], 1, 1, "", "binary")


@case("binary-png-header")
def _():
    return Expect(
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00\x00\x00", 1, 1, "", "binary"
    )


@case("utf16-text")
def _():
    return Expect(MINI.encode("utf-16"), 1, 1, "", "binary")


@case("latin1-bytes")
def _():
    text = mutate("name: Big model", "name: Big modèl")
    line, _ = where(text, "Big modèl")
    return Expect(text.encode("latin-1"), line, 1, "", "not UTF-8")


@case("empty-file")
def _():
    return Expect("", 1, 1, "", "empty")


@case("whitespace-only")
def _():
    return Expect("\n   \n\n", 1, 1, "", "empty")


@case("only-comments")
def _():
    return Expect("# a catalog\n# with nothing in it\n", 1, 1, "", "no YAML document")


@case("top-level-list")
def _():
    return Expect("- version: x\n- date: 2026-01-01\n", 1, 1, "", "the top level must be a mapping")


@case("top-level-scalar")
def _():
    return Expect("just some words\n", 1, 1, "", "the top level must be a mapping")
