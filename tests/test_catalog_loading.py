"""Loading a pricing catalog from untrusted YAML: hostile input, located errors, stale figures,
override files and the JSON Schema.

Most hostile cases mutate `tests/fixtures/mini_catalog.yaml`, so the expected line and column are
computed from the mutated text (never hard-coded). Every case must raise `pricing.errors.InputError`
(no other exception type), each problem naming the file, a line ≥ 1 and a column ≥ 1, in a sentence
without Python internals.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pricing import loader, safeyaml
from pricing.errors import InputError
from pricing.loader import (
    DEFAULT_CATALOG_PATH,
    load_catalog,
    load_catalog_file,
    merge_override,
    parse_catalog,
    summary,
    validate,
)
from pricing.models import Catalog
from pricing.safeyaml import MAX_BYTES, MAX_DEPTH, parse_yaml
from pricing.schema import SCHEMA_PATH, schema_text
from pricing.units import STALE_AFTER_DAYS, Figure

MINI_PATH = Path(__file__).resolve().parent / "fixtures" / "mini_catalog.yaml"
MINI = MINI_PATH.read_text(encoding="utf-8")

# Words that betray Python internals leaking into a message meant for a person.
INTERNALS = (
    "Traceback",
    "pydantic",
    "<class",
    "NoneType",
    "datetime.",
    "<unicode string>",
    "input_value=",
    "errors.pydantic",
)
_EXC_NAME = re.compile(r"\b[A-Z][A-Za-z]*(Error|Exception)\b")


# ---------------------------------------------------------------- helpers


def mutate(old: str, new: str, text: str = MINI) -> str:
    """Replace the one occurrence of `old` (the fixture must contain it exactly once)."""
    assert text.count(old) == 1, f"the mini catalog must contain {old!r} exactly once"
    return text.replace(old, new)


def where(text: str, needle: str, at: str | None = None) -> tuple[int, int]:
    """(line, column), 1-based, of the unique line containing `needle`; the column is where `at` starts on it."""
    lines = text.splitlines()
    hits = [i for i, line in enumerate(lines) if needle in line]
    assert len(hits) == 1, f"{needle!r} must be on exactly one line, found {len(hits)}"
    return hits[0] + 1, lines[hits[0]].index(needle if at is None else at) + 1


def last_line_plus_one(text: str) -> int:
    return len(text.splitlines()) + 1


def first_key_line(text: str) -> int:
    """Line of the first key of the document (where the top-level mapping starts)."""
    for i, line in enumerate(text.splitlines()):
        if line.strip() and not line.lstrip().startswith("#"):
            return i + 1
    raise AssertionError("no key")


def block(text: str, header: str) -> str:
    """The block starting at the top-level line `header` and its indented lines."""
    m = re.search(rf"^{re.escape(header)}\n(?:[ \t].*\n)+", text, flags=re.M)
    assert m, header
    return m.group(0)


def assert_plain(message: str) -> None:
    for word in INTERNALS:
        assert word not in message, f"Python internals ({word!r}) in: {message}"
    assert not _EXC_NAME.search(message), f"an exception class name in: {message}"
    assert "\n" not in message, f"a problem must fit one line: {message!r}"


def assert_well_formed(problems, file: str | None = None) -> None:
    assert problems, "an InputError must list at least one problem"
    for p in problems:
        if file is not None:
            assert p.file == file
        assert isinstance(p.line, int) and p.line >= 1, p
        assert isinstance(p.column, int) and p.column >= 1, p
        assert isinstance(p.path, str)
        assert p.message.strip()
        assert_plain(p.message)
        assert_plain(str(p))


def parse_in_memory(content: str | bytes, file: str = "mem.yaml"):
    if isinstance(content, str):
        return parse_catalog(content, file)
    return validate(Catalog, parse_yaml(content, file))


def bug(reason: str):
    return pytest.mark.xfail(strict=True, reason=f"BUG: {reason}")


# ---------------------------------------------------------------- the hostile-input suite


@dataclass
class Expect:
    content: str | bytes
    line: int
    column: int | None  # None: not meaningful for this case
    path: str | None  # None: not checked here; "" = the whole file
    phrase: str  # a key phrase of the message ("" = the first problem)
    wording: str | None = None  # an exact wording checked with the location


@dataclass
class Case:
    id: str
    build: Callable[[], Expect]
    bug: str | None = None  # the case fails for a known bug (both tests)
    location_bug: str | None = None  # refused, but located wrongly (the location test only)
    message_bug: str | None = None  # located right, but the message is wrong (the first test only)


CASES: list[Case] = []


def case(id: str, bug: str | None = None, location_bug: str | None = None, message_bug: str | None = None):
    def deco(fn):
        CASES.append(Case(id, fn, bug, location_bug, message_bug))
        return fn

    return deco


BIG_OUTPUT = '    output_usd_per_1m_tokens: {value: 4, source: "test", checked: 2026-11-01}'
BIG_INPUT = '    input_usd_per_1m_tokens: {value: 1, low: 0.5, high: 2, source: "test", checked: 2026-11-01}'


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


def _params(location: bool):
    params = []
    for c in CASES:
        reason = c.bug or (c.location_bug if location else c.message_bug)
        params.append(pytest.param(c, id=c.id, marks=[bug(reason)] if reason else []))
    return params


def _refuse(content, tmp_path) -> tuple[InputError, Path]:
    f = tmp_path / "hostile.yaml"
    f.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    with pytest.raises(InputError) as info:
        load_catalog_file(f)
    return info.value, f


def _matching(problems, phrase: str):
    hits = [p for p in problems if phrase in p.message]
    assert hits, f"no problem says {phrase!r}: {[str(p) for p in problems]}"
    return hits[0]


@pytest.mark.parametrize("c", _params(location=False))
def test_hostile_input_is_refused_with_plain_located_problems(c: Case, tmp_path):
    exp = c.build()
    err, f = _refuse(exp.content, tmp_path)
    assert_well_formed(err.problems, file=str(f))
    _matching(err.problems, exp.phrase)
    # the same text given in memory (the app's editor) is refused the same way
    with pytest.raises(InputError) as info:
        parse_in_memory(exp.content, "mem.yaml")
    assert_well_formed(info.value.problems, file="mem.yaml")


@pytest.mark.parametrize("c", _params(location=True))
def test_hostile_input_problem_points_at_the_place(c: Case, tmp_path):
    exp = c.build()
    err, _ = _refuse(exp.content, tmp_path)
    p = _matching(err.problems, exp.phrase)
    assert p.line == exp.line, str(p)
    if exp.column is not None:
        assert p.column == exp.column, str(p)
    if exp.path is not None:
        assert p.path == exp.path, str(p)
    if exp.wording is not None:
        assert exp.wording in p.message


@pytest.mark.parametrize(
    "old, new, path",
    [
        (
            "name: Test embedding\n    provider: test\n",
            "name: Test embedding\n    provider: test\n    provider: again\n",
            "embedding_models.emb.provider",
        ),
        (
            "    provider: test\n    dimensions: 1000",
            "    provider: !foo test\n    dimensions: 1000",
            "embedding_models.emb.provider",
        ),
        (
            BIG_OUTPUT,
            BIG_OUTPUT.replace("checked: 2026-11-01", "checked: 2026-13-01"),
            "llms.big.output_usd_per_1m_tokens.checked",
        ),
    ],
    ids=["duplicate-key", "tag", "invalid-date"],
)
def test_parse_time_problems_name_the_field_path(old, new, path):
    with pytest.raises(InputError) as info:
        parse_catalog(mutate(old, new), "f.yaml")
    assert info.value.problems[0].path == path


def test_unclosed_quote_is_refused():
    text = mutate("name: Big model", "name: 'Big model")
    with pytest.raises(InputError) as info:
        parse_catalog(text, "f.yaml")
    (p,) = info.value.problems
    assert_plain(p.message)
    assert "quoted scalar" in p.message


def test_unclosed_quote_names_the_line_where_it_opened():
    text = mutate("name: Big model", "name: 'Big model")
    line, col = where(text, "'Big model")
    with pytest.raises(InputError) as info:
        parse_catalog(text, "f.yaml")
    (p,) = info.value.problems
    # today: f.yaml:123:1 (the end of the file) — the quote opened on line 75
    assert p.line == line or f"line {line}" in p.message, str(p)


def test_several_problems_are_all_reported_in_file_order():
    text = mutate(BIG_OUTPUT, BIG_OUTPUT.replace("value: 4", "value: -4"))
    text = mutate("dimensions: 1000", "dimensions: lots", text)
    text = mutate("memory_gb_per_instance: 4", "memory_gb_per_instance: .inf", text)
    with pytest.raises(InputError) as info:
        parse_catalog(text, "f.yaml")
    problems = info.value.problems
    assert [p.path for p in problems] == [
        "embedding_models.emb.dimensions",
        "vector_stores.pg.memory_gb_per_instance",
        "llms.big.output_usd_per_1m_tokens.value",
    ]
    assert [p.line for p in problems] == sorted(p.line for p in problems)
    assert str(info.value).count("\n") == 2  # one line per problem


def test_problem_str_is_file_line_column_path_message():
    text = mutate(BIG_OUTPUT, BIG_OUTPUT.replace("value: 4", "value: -4"))
    line, col = where(text, "value: -4", at="value")
    with pytest.raises(InputError) as info:
        parse_catalog(text, "cat.yaml")
    assert str(info.value.problems[0]).startswith(f"cat.yaml:{line}:{col}: llms.big.output_usd_per_1m_tokens.value: ")


# ---------------------------------------------------------------- the safe parser itself


def test_python_tags_are_never_executed(tmp_path):
    marker = tmp_path / "pwned"
    for payload in (
        f'!!python/object/apply:os.system ["touch {marker}"]',
        f'!!python/object/apply:builtins.open ["{marker}", "w"]',
        f"!!python/object/new:subprocess.Popen [[touch, {marker}]]",
    ):
        text = mutate('version: "test-1"', f"version: {payload}")
        with pytest.raises(InputError):
            parse_catalog(text)
        with pytest.raises(InputError):
            parse_yaml(f"a: {payload}\n")
    assert not marker.exists()


def test_size_is_checked_before_parsing(monkeypatch):
    class Exploding:
        def __init__(self, *a, **k):
            raise AssertionError("the YAML parser ran on an oversize text")

    monkeypatch.setattr(safeyaml, "_Loader", Exploding)
    for content in ("a: b\n" + "#" * MAX_BYTES, ("a: b\n" + "#" * MAX_BYTES).encode()):
        with pytest.raises(InputError) as info:
            parse_yaml(content, "big.yaml")
        (p,) = info.value.problems
        assert (p.file, p.line, p.column) == ("big.yaml", 1, 1)
        assert f"{MAX_BYTES:,}-byte limit" in p.message


def test_oversize_file_is_refused_before_it_is_read(tmp_path, monkeypatch):
    f = tmp_path / "big.yaml"
    f.write_bytes(b"a: b\n" + b"#" * MAX_BYTES)

    def no_read(self):
        raise AssertionError("an oversize file was read into memory")

    monkeypatch.setattr(Path, "read_bytes", no_read)
    with pytest.raises(InputError) as info:
        load_catalog_file(f)
    assert "limit" in info.value.problems[0].message
    assert f"{MAX_BYTES + 5:,} bytes" in info.value.problems[0].message


def test_size_cap_counts_utf8_bytes_not_characters():
    text = "a: " + "é" * (MAX_BYTES // 2 + 10) + "\n"  # fewer characters than the cap, more bytes
    assert len(text) < MAX_BYTES < len(text.encode())
    with pytest.raises(InputError, match="limit"):
        parse_yaml(text)


def test_a_catalog_of_exactly_the_size_cap_loads(tmp_path):
    padding = MAX_BYTES - len(MINI.encode()) - 2
    text = MINI + "#" + "x" * padding + "\n"
    assert len(text.encode()) == MAX_BYTES
    f = tmp_path / "exact.yaml"
    f.write_text(text, encoding="utf-8")
    assert load_catalog_file(f).catalog.version == "test-1"
    with pytest.raises(InputError, match="limit"):
        parse_catalog(text + "#")


def test_utf8_bom_is_accepted():
    assert parse_yaml(b"\xef\xbb\xbfa: 1\n").data == {"a": 1}


def test_positions_are_recorded_for_keys(mini_catalog_text):
    parsed = parse_yaml(mini_catalog_text, "mini.yaml")
    line, col = where(mini_catalog_text, BIG_OUTPUT)
    assert parsed.positions[("llms", "big", "output_usd_per_1m_tokens")] == ("mini.yaml", line, col + 4)
    # a path not written falls back to its deepest written prefix
    assert parsed.locate(("llms", "big", "output_usd_per_1m_tokens", "nowhere")) == ("mini.yaml", line, col + 4)


def test_plain_yaml_values_keep_their_types():
    data = parse_yaml("a: 1\nb: 1.5\nc: true\nd: null\ne: 2026-01-02\nf: [x, 'y']\ng: {h: i}\n12: twelve\n").data
    assert data == {
        "a": 1,
        "b": 1.5,
        "c": True,
        "d": None,
        "e": date(2026, 1, 2),
        "f": ["x", "y"],
        "g": {"h": "i"},
        "12": "twelve",
    }


# ---------------------------------------------------------------- fuzzing: never another exception type

_YAML_SOUP = st.text(alphabet="ab1.:-?[]{},&*!|>'\"#%@` \n\t", max_size=120)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_YAML_SOUP)
def test_fuzz_yaml_soup_raises_only_input_error(text):
    try:
        parse_catalog(text, "soup.yaml")
    except InputError as e:
        for p in e.problems:
            assert p.file == "soup.yaml" and p.line >= 1 and p.column >= 1
            assert not any(w in p.message for w in ("Traceback", "<class", "pydantic"))


_MUTATION = st.tuples(
    st.sampled_from(["delete", "duplicate", "swap", "indent", "dedent", "truncate"]), st.integers(0, 10_000)
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_MUTATION, min_size=1, max_size=4))
def test_fuzz_mutated_mini_catalog_raises_only_located_input_errors(mutations):
    lines = MINI.splitlines()
    for op, n in mutations:
        if not lines:
            break
        i = n % len(lines)
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap" and i + 1 < len(lines):
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
        elif op == "indent":
            lines[i] = " " + lines[i]
        elif op == "dedent":
            lines[i] = lines[i][1:]
        elif op == "truncate":
            lines[i] = lines[i][: len(lines[i]) // 2]
    text = "\n".join(lines) + "\n"
    try:
        parse_catalog(text, "m.yaml")
    except InputError as e:
        for p in e.problems:
            assert p.file == "m.yaml"
            assert 1 <= p.line <= len(lines) + 1 and p.column >= 1
            assert not any(w in p.message for w in ("Traceback", "<class", "pydantic"))


# ---------------------------------------------------------------- valid catalogs


def test_mini_catalog_loads(mini_catalog_path):
    loaded = load_catalog_file(mini_catalog_path)
    cat = loaded.catalog
    assert not loaded.is_override
    assert loaded.file == str(mini_catalog_path)
    assert loaded.sha256 == loader.fingerprint(mini_catalog_path.read_bytes())
    assert cat.llms["big"].output_usd_per_1m_tokens.value == 4
    assert cat.llms["big"].input_usd_per_1m_tokens.lo == 0.5
    assert cat.family_counts() == {
        "embedding models": 2,
        "vector stores": MINI.count("\n    billing: "),  # one per store (4; each billing shape's test entry adds one)
        "rerankers": 1,
        "LLMs": 2,
        "fine-tuning offers": 3,
        "GPUs": 1,
    }
    # every figure in the file is found by the walker (including nested ones)
    assert len(list(cat.figures())) == MINI.count("value:")


def test_default_catalog_validates_and_has_every_family():
    cat = load_catalog()
    assert cat.currency == "USD"
    for family, n in cat.family_counts().items():
        assert n >= 1, family
    assert load_catalog() is cat  # cached while the file is unchanged
    assert load_catalog_file().catalog == cat


def test_default_catalog_starts_with_the_schema_comment(default_catalog_text):
    assert default_catalog_text.splitlines()[0] == "# yaml-language-server: $schema=./catalog.schema.json"


def test_default_catalog_has_no_anchors_or_duplicate_keys(default_catalog_text):
    # parse_yaml refuses both: parsing the shipped file proves it
    parsed = parse_yaml(default_catalog_text, str(DEFAULT_CATALOG_PATH))
    assert isinstance(parsed.data, dict)


# ---------------------------------------------------------------- JSON Schema


def test_committed_schema_equals_the_generated_one():
    assert SCHEMA_PATH.read_text(encoding="utf-8") == schema_text(), (
        "pricing/catalog.schema.json is out of date: run `python -m pricing.schema`"
    )


def test_schema_describes_the_catalog():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert schema["$schema"].startswith("https://json-schema.org/")
    families = {"embedding_models", "vector_stores", "rerankers", "llms", "fine_tune_offers", "gpus"}
    assert families <= set(schema["properties"])
    assert families <= set(schema["required"])
    assert schema.get("additionalProperties") is False
    assert SCHEMA_PATH.parent == DEFAULT_CATALOG_PATH.parent  # `./catalog.schema.json` resolves beside the YAML


# ---------------------------------------------------------------- stale figures


def _figure(checked: date) -> Figure:
    return Figure(value=1.0, source="test", checked=checked)


def test_figure_is_stale_strictly_after_the_given_days():
    checked = date(2026, 1, 1)
    f = _figure(checked)
    assert f.age_days(checked + timedelta(days=10)) == 10
    assert not f.is_stale(checked + timedelta(days=30), after_days=30)
    assert f.is_stale(checked + timedelta(days=31), after_days=30)
    assert not f.is_stale(checked + timedelta(days=STALE_AFTER_DAYS))
    assert f.is_stale(checked + timedelta(days=STALE_AFTER_DAYS + 1))
    assert not f.is_stale(checked - timedelta(days=5), after_days=0)  # "today" before the check


def test_figure_is_stale_defaults_to_today():
    assert _figure(date.today() - timedelta(days=STALE_AFTER_DAYS + 1)).is_stale()
    assert not _figure(date.today()).is_stale()


def test_stale_figures_are_listed_and_counted_not_refused():
    old = BIG_OUTPUT.replace("checked: 2026-11-01", "checked: 2020-01-01")
    cat = parse_catalog(mutate(BIG_OUTPUT, old)).catalog  # an old figure is not an error
    today = date(2026, 11, 1)
    stale = cat.stale_figures(today=today, after_days=180)
    assert [path for path, _ in stale] == [("llms", "big", "output_usd_per_1m_tokens")]
    assert stale[0][1].checked == date(2020, 1, 1)
    assert "1 stale (checked over 180 days ago)" in summary(cat, today=today, stale_after_days=180)
    n = len(list(cat.figures()))
    later = today + timedelta(days=400)
    assert len(cat.stale_figures(today=later, after_days=180)) == n
    assert f"{n} figures, {n} stale" in summary(cat, today=later)
    assert "0 stale (checked over 3000 days ago)" in summary(cat, today=today, stale_after_days=3000)


def test_summary_counts_families_figures_and_unverified():
    text = mutate(BIG_OUTPUT, BIG_OUTPUT.replace("}", ", verified: false}"))
    cat = parse_catalog(text).catalog
    s = summary(cat, today=date(2026, 11, 1))
    assert s.startswith("catalog test-1 (2026-11-01): ")
    stores = MINI.count("\n    billing: ")  # one per store (4; each billing shape's test entry adds one)
    assert f"2 embedding models, {stores} vector stores, 1 reranker, 2 LLMs, 3 fine-tuning offers, 1 GPU;" in s
    assert f"{MINI.count('value:')} figures" in s
    assert "1 unverified" in s


# ---------------------------------------------------------------- override files


def _override(path: tuple, body: list[str], head: str = "extends: default") -> str:
    lines = [head]
    for depth, key in enumerate(path):
        lines.append("  " * depth + f'"{key}":')
    lines += ["  " * len(path) + b for b in body]
    return "\n".join(lines) + "\n"


def _write(tmp_path, text, name="override.yaml") -> Path:
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    return f


@pytest.fixture(scope="module")
def default():
    return load_catalog()


def test_override_changes_one_price_and_keeps_the_rest(default, tmp_path):
    key, other = sorted(default.llms)[:2]
    old = default.llms[key].output_usd_per_1m_tokens
    new_value = round(min(old.value + 1.25, 999.0), 4)
    assert new_value != old.value
    f = _write(
        tmp_path,
        _override(
            ("llms", key, "output_usd_per_1m_tokens"),
            [f"value: {new_value}", 'source: "https://example.com/our-contract"', "checked: 2026-11-01"],
        ),
    )
    loaded = load_catalog_file(f)
    assert loaded.is_override and loaded.file == str(f)
    cat = loaded.catalog
    fig = cat.llms[key].output_usd_per_1m_tokens
    assert fig.value == new_value
    assert fig.source == "https://example.com/our-contract"
    assert fig.checked == date(2026, 11, 1)
    # the rest of that entry and every unrelated price keep their default
    assert cat.llms[key].input_usd_per_1m_tokens == default.llms[key].input_usd_per_1m_tokens
    assert cat.llms[other] == default.llms[other]
    assert cat.gpus == default.gpus
    assert cat.version == default.version
    assert load_catalog(f) == cat


def test_override_mappings_merge_key_by_key(default, tmp_path):
    key = sorted(default.llms)[0]
    f = _write(tmp_path, _override(("llms", key), ["name: Renamed by us"]))
    cat = load_catalog_file(f).catalog
    assert cat.llms[key].name == "Renamed by us"
    assert cat.llms[key].model_copy(update={"name": default.llms[key].name}) == default.llms[key]
    assert set(cat.llms) == set(default.llms)


def test_override_replaces_a_figure_whole(default, tmp_path):
    found = next(((p, f) for p, f in default.figures() if f.low is not None or f.high is not None or f.note), None)
    if found is None:
        pytest.skip("no figure in the default catalog has a range or a note")
    path, fig = found
    f = _write(
        tmp_path, _override(path, [f"value: {fig.value}", 'source: "our own measurement"', "checked: 2026-10-01"])
    )
    cat = load_catalog_file(f).catalog
    new = dict(cat.figures())[path]
    assert new.value == fig.value
    assert (new.low, new.high, new.note, new.verified) == (None, None, None, True)
    assert new.source == "our own measurement"


def test_override_adds_an_entry(default, tmp_path):
    body = [
        "name: Our fine model",
        "provider: us",
        "input_usd_per_1m_tokens: {value: 0.3, source: our contract, checked: 2026-10-01}",
        "output_usd_per_1m_tokens: {value: 0.6, source: our contract, checked: 2026-10-01}",
        "context_window_tokens: 32000",
        "ttft_ms: {value: 300, source: our test, checked: 2026-10-01}",
        "output_tokens_per_second: {value: 80, source: our test, checked: 2026-10-01}",
    ]
    cat = load_catalog_file(_write(tmp_path, _override(("llms", "our-model"), body))).catalog
    assert cat.llms["our-model"].output_usd_per_1m_tokens.value == 0.6
    assert set(cat.llms) == set(default.llms) | {"our-model"}


def test_override_null_removes_an_entry(default, tmp_path):
    if len(default.rerankers) < 2:
        pytest.skip("needs two rerankers in the default catalog")
    gone, *kept = sorted(default.rerankers)
    f = _write(tmp_path, f'extends: default\nrerankers:\n  "{gone}": null\n')
    cat = load_catalog_file(f).catalog
    assert sorted(cat.rerankers) == kept
    assert cat.llms == default.llms


def test_override_removing_a_family_is_refused_in_the_override_file(tmp_path):
    f = _write(tmp_path, "extends: default\nrerankers: null\n")
    with pytest.raises(InputError) as info:
        load_catalog_file(f)
    p = _matching(info.value.problems, "required key `rerankers` is missing")
    assert (p.file, p.line, p.column, p.path) == (str(f), 2, 1, "rerankers")


def test_override_removing_a_referenced_base_model_is_refused(default, tmp_path):
    offer = default.fine_tune_offers[sorted(default.fine_tune_offers)[0]]
    f = _write(tmp_path, f'extends: default\nllms:\n  "{offer.base_llm}": null\n')
    with pytest.raises(InputError) as info:
        load_catalog_file(f)
    assert_well_formed(info.value.problems)
    _matching(info.value.problems, "is not a key under `llms`")


def test_overridden_price_without_source_and_checked_points_into_the_override(default, tmp_path):
    key = sorted(default.llms)[0]
    text = _override(("llms", key, "output_usd_per_1m_tokens"), ["value: 5"])
    f = _write(tmp_path, text)
    with pytest.raises(InputError) as info:
        load_catalog_file(f)
    problems = info.value.problems
    assert_well_formed(problems)
    line, col = where(text, "output_usd_per_1m_tokens")
    for phrase, field in (
        ("required key `source` is missing", "source"),
        ("required key `checked` is missing", "checked"),
    ):
        p = _matching(problems, phrase)
        assert p.path == f"llms.{key}.output_usd_per_1m_tokens.{field}"
        assert (p.file, p.line) == (str(f), line), str(p)


def test_overridden_price_error_points_into_the_override(default, tmp_path):
    key = sorted(default.llms)[0]
    text = _override(
        ("llms", key, "output_usd_per_1m_tokens"), ["value: -5", "source: our contract", "checked: 2026-10-01"]
    )
    f = _write(tmp_path, text)
    with pytest.raises(InputError) as info:
        load_catalog_file(f)
    p = _matching(info.value.problems, "negative")
    line, col = where(text, "value: -5")
    assert (p.file, p.line, p.column, p.path) == (str(f), line, col, f"llms.{key}.output_usd_per_1m_tokens.value")


def test_override_unit_mistake_and_typo_point_into_the_override(default, tmp_path):
    key = sorted(default.llms)[0]
    text = _override(
        ("llms", key),
        [
            "ouput_usd_per_1m_tokens: {value: 1, source: our contract, checked: 2026-10-01}",
        ],
    )
    other = sorted(default.llms)[1]
    text += f'  "{other}":\n    input_usd_per_1m_tokens: {{value: 2500, source: our contract, checked: 2026-10-01}}\n'
    f = _write(tmp_path, text)
    with pytest.raises(InputError) as info:
        load_catalog_file(f)
    unit = _matching(info.value.problems, "USD per 1M tokens")
    assert (unit.file, unit.line) == (str(f), where(text, "value: 2500")[0])
    typo = _matching(info.value.problems, "did you mean `output_usd_per_1m_tokens`?")
    assert (typo.file, typo.line, typo.column) == (str(f), *where(text, "ouput_usd"))


def test_override_file_is_parsed_safely(tmp_path):
    text = "extends: default\nllms: &x {}\nrerankers: *x\n"
    with pytest.raises(InputError) as info:
        load_catalog_file(_write(tmp_path, text))
    (p,) = info.value.problems
    assert (p.line, p.column) == (2, 7) and "anchors" in p.message


def test_merge_override_semantics():
    base = {"a": {"x": 1, "y": 2}, "f": {"value": 1, "low": 0, "source": "s"}, "gone": {"k": 1}, "keep": 3}
    over = {"a": {"y": 20, "z": 30}, "f": {"value": 2}, "gone": None, "new": [1]}
    out = merge_override(base, over)
    assert out == {"a": {"x": 1, "y": 20, "z": 30}, "f": {"value": 2}, "keep": 3, "new": [1]}
    assert base["a"] == {"x": 1, "y": 2}  # the base is not modified


def test_a_bad_date_and_an_implausible_price_are_reported_together():
    # the upload of issue 13: a bad date in one figure hid an implausible price in another,
    # and a bad source in a figure hid that same figure's implausible price
    text = mutate(BIG_OUTPUT, BIG_OUTPUT.replace("checked: 2026-11-01", "checked: 2026-13-45"))
    dear = BIG_INPUT.replace("value: 1, low: 0.5, high: 2", "value: 1500, low: 1500, high: 1500")
    text = mutate(BIG_INPUT, dear, text)
    emb = '    usd_per_1m_tokens: {value: 0.1, low: 0.05, high: 0.2, source: "test", checked: 2026-11-01}'
    text = mutate(emb, '    usd_per_1m_tokens: {value: 20000, source: "x", checked: 2026-11-01}', text)
    with pytest.raises(InputError) as info:
        parse_catalog(text, "f.yaml")
    by_path = {p.path: p.message for p in info.value.problems}
    assert "is not a valid date" in by_path["llms.big.output_usd_per_1m_tokens.checked"]
    assert "above the plausible ceiling" in by_path["llms.big.input_usd_per_1m_tokens"]
    assert "embedding_models.emb.usd_per_1m_tokens.source" in by_path
    assert "ceiling" in by_path["embedding_models.emb.usd_per_1m_tokens"]
    lines = [p.line for p in info.value.problems]
    assert lines == sorted(lines)
    # the scenario reader (no keep_going) still stops at the first unreadable value
    with pytest.raises(InputError) as info:
        parse_yaml("a: 2026-13-45\n", "s.yaml")
    assert len(info.value.problems) == 1
