"""Helpers shared by the catalog-loading tests: the mini catalog's text, mutations of it and where a needle
sits in it, checks that a problem is plain and located, and the record of a hostile-input case (`Expect`,
`Case`, `collector`). A plain module (not a test module), imported by tests/test_catalog_*.py and
tests/hostile_catalog_*.py."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from pricing.loader import parse_catalog, validate
from pricing.models import Catalog
from pricing.safeyaml import parse_yaml

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


def matching(problems, phrase: str):
    """The first problem whose message says `phrase` (the test fails naming them all when none does)."""
    hits = [p for p in problems if phrase in p.message]
    assert hits, f"no problem says {phrase!r}: {[str(p) for p in problems]}"
    return hits[0]


def bug(reason: str):
    return pytest.mark.xfail(strict=True, reason=f"BUG: {reason}")


# ---------------------------------------------------------------- a hostile-input case


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


def collector(cases: list[Case]):
    """The `@case(id, ...)` decorator of a module of hostile cases: it appends each case it decorates to `cases`."""

    def case(id: str, bug: str | None = None, location_bug: str | None = None, message_bug: str | None = None):
        def deco(fn):
            cases.append(Case(id, fn, bug, location_bug, message_bug))
            return fn

        return deco

    return case


BIG_OUTPUT = '    output_usd_per_1m_tokens: {value: 4, source: "test", checked: 2026-11-01}'
BIG_INPUT = '    input_usd_per_1m_tokens: {value: 1, low: 0.5, high: 2, source: "test", checked: 2026-11-01}'
