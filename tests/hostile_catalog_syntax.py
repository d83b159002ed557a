"""Hostile catalogs, part one: YAML syntax errors, anchors and aliases (billion laughs, merge keys, deep
nesting), duplicate keys and tags, and values of the wrong type.

Each case mutates tests/fixtures/mini_catalog.yaml (or writes a text of its own) and returns what the loader must
say: the line and column computed from the mutated text (never hard-coded), the field path and a key phrase.
tests/test_catalog_hostile.py runs every case."""

from __future__ import annotations

from pricing.safeyaml import MAX_DEPTH
from tests.catalog_text import BIG_OUTPUT, MINI, Case, Expect, block, collector, last_line_plus_one, mutate, where

CASES: list[Case] = []
case = collector(CASES)

# --- syntax errors


@case("syntax-unclosed-flow-mapping")
def _():
    old = '  network_overhead_ms: {value: 50, source: "test", checked: 2026-11-01}'
    text = mutate(old, old[:-1])
    line, _col = where(text, "network_overhead_ms")
    nxt = text.splitlines()[line]  # the parser notices on the next line, at its `:`
    return Expect(text, line + 1, nxt.index(":") + 1, "", "flow mapping")


@case("syntax-bad-indentation")
def _():
    text = mutate("name: Test embedding\n    provider: test", "name: Test embedding\n   provider: test")
    line = where(text, "name: Test embedding")[0] + 1  # the badly indented line
    assert text.splitlines()[line - 1] == "   provider: test"
    return Expect(text, line, 4, "", "YAML syntax error")


@case("syntax-tab-indentation")
def _():
    text = mutate("name: Test embedding\n    provider: test", "name: Test embedding\n\tprovider: test")
    line, _ = where(text, "\tprovider")
    return Expect(text, line, 1, "", "tab character")


@case("syntax-two-documents")
def _():
    text = MINI + "---\nversion: again\n"
    return Expect(text, last_line_plus_one(MINI), 1, "", "single document")


# --- anchors, aliases, merge keys, nesting


@case("alias-bomb-billion-laughs")
def _():
    lines = ['lol: &lol "lol"'] + [
        f"lol{i}: &lol{i} [" + ", ".join([f"*lol{i - 1 if i > 1 else ''}"] * 10) + "]" for i in range(1, 10)
    ]
    text = "\n".join(lines) + "\n"
    return Expect(text, 1, text.index("&") + 1, "", "anchors (`&name`) are not allowed")


@case("single-anchor-and-alias")
def _():
    text = mutate("currency: USD\n", "currency: &cur USD\ndescription: *cur\n")
    line, col = where(text, "currency: &cur", at="&cur")
    return Expect(text, line, col, "", "anchors (`&name`) are not allowed")


@case("alias-without-anchor")
def _():
    text = mutate("currency: USD\n", "currency: USD\ndescription: *cur\n")
    line, col = where(text, "description: *cur", at="*cur")
    return Expect(text, line, col, "", "aliases (`*name`) are not allowed")


@case("merge-key")
def _():
    text = mutate("currency: USD\n", "<<: {currency: USD}\n")
    line, col = where(text, "<<:")
    return Expect(text, line, col, "", "merge keys (`<<`) are not allowed")


@case("deep-nesting-10000-brackets")
def _():
    text = MINI + "description: " + "[" * 10_000 + "]" * 10_000 + "\n"
    return Expect(text, last_line_plus_one(MINI), None, "", f"nesting deeper than {MAX_DEPTH} levels")


@case("deep-nesting-unclosed-brackets")
def _():
    text = "version: " + "[" * 900_000
    return Expect(text, 1, None, "", "nesting deeper than")


@case("deep-nesting-block-mappings")
def _():
    text = "".join("  " * i + f"k{i}:\n" for i in range(MAX_DEPTH + 10)) + "  " * (MAX_DEPTH + 10) + "v\n"
    # libyaml marks a block mapping where its first key starts: the mapping of level MAX_DEPTH + 1
    # is the one under `k{MAX_DEPTH - 1}`, whose key `k{MAX_DEPTH}` is on line MAX_DEPTH + 1
    return Expect(text, MAX_DEPTH + 1, 2 * MAX_DEPTH + 1, "", "nesting deeper than")


# --- duplicate keys, tags


@case("duplicate-key-top-level")
def _():
    text = MINI + 'version: "again"\n'
    first, _ = where(MINI, 'version: "test-1"')
    return Expect(text, last_line_plus_one(MINI), 1, None, f"duplicate key `version` (first given on line {first})")


@case("duplicate-key-nested")
def _():
    text = mutate(
        "name: Test embedding\n    provider: test\n", "name: Test embedding\n    provider: test\n    provider: again\n"
    )
    first, _ = where(text, "name: Test embedding")
    return Expect(text, first + 2, 5, None, f"duplicate key `provider` (first given on line {first + 1})")


@case("python-tag-os-system")
def _():
    text = mutate('version: "test-1"', 'version: !!python/object/apply:os.system ["echo pwned"]')
    line, col = where(text, "!!python", at="!!python")
    return Expect(text, line, col, None, "is not allowed")


@case("python-tag-name")
def _():
    text = mutate(
        "    provider: test\n    dimensions: 1000", "    provider: !!python/name:os.system\n    dimensions: 1000"
    )
    line, col = where(text, "!!python", at="!!python")
    return Expect(text, line, col, None, "is not allowed")


@case("custom-tag")
def _():
    text = mutate('version: "test-1"', "version: !foo bar")
    line, col = where(text, "!foo", at="!foo")
    return Expect(text, line, col, None, "the tag `!foo` is not allowed")


@case("binary-tag")
def _():
    text = mutate('version: "test-1"', "version: !!binary aGVsbG8=")
    line, col = where(text, "!!binary", at="!!binary")
    return Expect(text, line, col, None, "is not allowed")


@case("complex-key")
def _():
    text = MINI + "? [a, b]\n: c\n"
    return Expect(text, last_line_plus_one(MINI), 3, None, "mapping keys must be plain text")


# --- wrong types


@case("string-for-a-whole-number")
def _():
    text = mutate("dimensions: 1000", "dimensions: lots")
    line, col = where(text, "dimensions: lots")
    return Expect(text, line, col, "embedding_models.emb.dimensions", "expected a whole number, found 'lots'")


@case("string-for-a-price")
def _():
    text = mutate(BIG_OUTPUT, BIG_OUTPUT.replace("value: 4", "value: four"))
    line, col = where(text, "value: four", at="value")
    return Expect(text, line, col, "llms.big.output_usd_per_1m_tokens.value", "expected a number, found 'four'")


@case("boolean-for-a-price")
def _():
    text = mutate(BIG_OUTPUT, BIG_OUTPUT.replace("value: 4", "value: true"))
    line, col = where(text, "value: true", at="value")
    return Expect(text, line, col, "llms.big.output_usd_per_1m_tokens.value", "expected a number")


@case("list-where-a-mapping-is-expected")
def _():
    text = MINI.replace(block(MINI, "latency_model:"), "latency_model: [1, 2]\n")
    line, col = where(text, "latency_model: [1, 2]")
    return Expect(text, line, col, "latency_model", "expected a mapping of keys to values")


@case("list-where-a-figure-is-expected")
def _():
    text = mutate(
        'ttft_ms_per_1k_input_tokens: {value: 10, source: "test", checked: 2026-11-01}',
        "ttft_ms_per_1k_input_tokens: [10]",
    )
    line, col = where(text, "ttft_ms_per_1k_input_tokens")
    return Expect(text, line, col, "latency_model.ttft_ms_per_1k_input_tokens", "expected a mapping of keys to values")


@case("null-price")
def _():
    text = mutate(BIG_OUTPUT, "    output_usd_per_1m_tokens: null")
    line, col = where(text, "output_usd_per_1m_tokens: null")
    return Expect(text, line, col, "llms.big.output_usd_per_1m_tokens", "")


@case("invalid-date")
def _():
    text = mutate(BIG_OUTPUT, BIG_OUTPUT.replace("checked: 2026-11-01", "checked: 2026-13-01"))
    line, col = where(text, "2026-13-01")
    return Expect(text, line, col, None, "2026-13-01")


@case("date-in-the-future")
def _():
    text = mutate(BIG_OUTPUT, BIG_OUTPUT.replace("checked: 2026-11-01", "checked: 2999-01-01"))
    line, col = where(text, "2999-01-01", at="output_usd")
    return Expect(text, line, col, "llms.big.output_usd_per_1m_tokens", "in the future")


@case("date-like-key")
def _():
    text = MINI + "2026-01-01: x\n"
    return Expect(text, last_line_plus_one(MINI), 1, None, "2026-01-01")


@case("control-character-escape")
def _():
    text = mutate("name: Big model", "name: Big \x1b[31mmodel")
    line, col = where(text, "\x1b", at="\x1b")
    return Expect(text, line, col, None, "character")


@case("control-character-bell")
def _():
    text = mutate('version: "test-1"', 'version: "test\x07-1"')
    line, col = where(text, "\x07", at="\x07")
    return Expect(text, line, col, None, "character")
