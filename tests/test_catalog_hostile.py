"""Loading a pricing catalog from untrusted YAML: every hostile case (tests/hostile_catalog_syntax.py,
tests/hostile_catalog_values.py) must raise `pricing.errors.InputError` (no other exception type), each
problem naming the file, a line ≥ 1 and a column ≥ 1 at the place of the fault, in a sentence without Python
internals; the same text given in memory (the app's editor) is refused the same way. Also: field paths of
parse-time problems, several problems reported together in file order, and a problem's one-line form."""

from __future__ import annotations

from pathlib import Path

import pytest

from pricing.errors import InputError
from pricing.loader import load_catalog_file, parse_catalog
from tests import hostile_catalog_syntax, hostile_catalog_values
from tests.catalog_text import (
    BIG_OUTPUT,
    Case,
    assert_plain,
    assert_well_formed,
    bug,
    matching,
    mutate,
    parse_in_memory,
    where,
)

CASES = [*hostile_catalog_syntax.CASES, *hostile_catalog_values.CASES]


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


@pytest.mark.parametrize("c", _params(location=False))
def test_hostile_input_is_refused_with_plain_located_problems(c: Case, tmp_path):
    exp = c.build()
    err, f = _refuse(exp.content, tmp_path)
    assert_well_formed(err.problems, file=str(f))
    matching(err.problems, exp.phrase)
    # the same text given in memory (the app's editor) is refused the same way
    with pytest.raises(InputError) as info:
        parse_in_memory(exp.content, "mem.yaml")
    assert_well_formed(info.value.problems, file="mem.yaml")


@pytest.mark.parametrize("c", _params(location=True))
def test_hostile_input_problem_points_at_the_place(c: Case, tmp_path):
    exp = c.build()
    err, _ = _refuse(exp.content, tmp_path)
    p = matching(err.problems, exp.phrase)
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
