"""The safe YAML parser under the catalog loader: Python tags never executed, the size cap checked before
parsing (in UTF-8 bytes), a BOM accepted, key positions recorded, plain values keeping their types; and
fuzzing: random YAML soup and random mutations of the mini catalog raise only located `InputError`s."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pricing import safeyaml
from pricing.errors import InputError
from pricing.loader import load_catalog_file, parse_catalog
from pricing.safeyaml import MAX_BYTES, parse_yaml
from tests.catalog_text import BIG_OUTPUT, MINI, mutate, where

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
