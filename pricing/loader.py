"""Load and validate catalogs (and any other model) from untrusted YAML.

`load_catalog()` returns the shipped default; `load_catalog(path)` a full
catalog or an override file layered over the default. An override file starts
with `extends: default` and states only what differs: mappings merge key by
key, a figure (anything with a `value`) is replaced whole — so a changed price
always carries its own `source` and `checked` date — and `null` removes an entry.
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from pricing.errors import InputError, Problem
from pricing.models import Catalog
from pricing.safefile import read_regular_file
from pricing.safeyaml import MAX_BYTES, Parsed, decode_text, parse_yaml
from pricing.units import STALE_AFTER_DAYS

DEFAULT_CATALOG_PATH = Path(__file__).with_name("default.yaml")

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class LoadedCatalog:
    """A validated catalog and where it came from (for conflict-safe saving)."""

    catalog: Catalog
    text: str
    file: str
    sha256: str
    is_override: bool = False


def fingerprint(text: str | bytes) -> str:
    if isinstance(text, str):
        text = text.encode("utf-8")
    return hashlib.sha256(text).hexdigest()


def read_text(path: str | Path, max_bytes: int = MAX_BYTES) -> str:
    """Read a file as UTF-8 text, refusing huge, binary or non-UTF-8 files, and anything but a regular file
    (a FIFO, a device such as /dev/zero: never a hang or an endless read), with a located message."""
    return decode_text(read_regular_file(path, max_bytes), str(path), max_bytes)


# ---------------------------------------------------------------- validation


def validate(model: type[M], parsed: Parsed) -> M:
    """Validate parsed YAML against a model; errors become located, plain-language problems."""
    if not isinstance(parsed.data, dict):
        kind = type(parsed.data).__name__
        raise InputError(
            [Problem(parsed.file, 1, 1, "", f"the top level must be a mapping of keys to values, found a {kind}")]
        )
    early = list(parsed.problems)  # values the parser could not read, kept as text
    try:
        result = model.model_validate(parsed.data)
    except ValidationError as exc:
        problems = _problems(exc, parsed)
        problems += _hidden_problems(model, parsed, exc, problems)
        known = {p.path for p in early}
        problems = early + [p for p in problems if p.path not in known]
        raise InputError(sorted(problems, key=lambda p: (p.file, p.line, p.column))) from None
    if early:
        raise InputError(early)
    return result


#: Stand-ins for a figure's descriptive fields, so a later check (a price's plausibility
#: ceiling, a range) still runs when one of them is wrong: every problem is reported at once.
_STAND_INS = {"checked": "2000-01-01", "source": "stand-in", "verified": True, "note": None}


def _hidden_problems(model: type[M], parsed: Parsed, exc: ValidationError, first: list[Problem]) -> list[Problem]:
    """Problems a first error hides: repair what can be stood in for, validate again, keep what is new."""
    seen = {(p.line, p.column, p.path, p.message) for p in first}
    data, extra = copy.deepcopy(parsed.data), []
    for _ in range(3):
        repaired = False
        for err in exc.errors(include_url=False):
            path = _data_path(data, err["loc"])
            ctx = err.get("ctx") or {}
            if err["type"] == "unknown_key" and "key" in ctx:
                node = _at(data, path)
                if isinstance(node, dict) and ctx["key"] in node:
                    del node[ctx["key"]]
                    repaired = True
            elif path and path[-1] in _STAND_INS and isinstance(_at(data, path[:-1]), dict):
                if _at(data, path) != _STAND_INS[path[-1]]:
                    _at(data, path[:-1])[path[-1]] = _STAND_INS[path[-1]]
                    repaired = True
        if not repaired:
            break
        try:
            model.model_validate(data)
            break
        except ValidationError as again:
            exc = again
            for p in _problems(again, Parsed(data, parsed.positions, parsed.file)):
                key = (p.line, p.column, p.path, p.message)
                if key not in seen and not p.message.startswith("… and"):
                    seen.add(key)
                    extra.append(p)
    return extra


MAX_PROBLEMS = 100


def _problems(exc: ValidationError, parsed: Parsed) -> list[Problem]:
    problems = []
    seen = set()
    errors = exc.errors(include_url=False)
    for err in errors[:MAX_PROBLEMS]:
        path = _data_path(parsed.data, err["loc"])
        ctx = err.get("ctx") or {}
        if err["type"] == "unknown_key" and "key" in ctx:
            path = path + (ctx["key"],)
        if "at" in ctx:  # a model-level check that names the field it is about
            path = _data_path(parsed.data, err["loc"] + tuple(ctx["at"]))
        if err["type"] in ("union_tag_invalid", "union_tag_not_found"):
            tag = str(ctx.get("discriminator", "")).strip("'\"")
            if (
                err["type"] == "union_tag_invalid"
                and isinstance(_at(parsed.data, path), dict)
                and tag in _at(parsed.data, path)
            ):
                path = path + (tag,)
        if err["type"] == "missing" and err["loc"]:
            path = path + (err["loc"][-1],) if err["loc"][-1] not in path[-1:] else path
        file, line, col = parsed.locate(path)
        dotted = ".".join(str(p) for p in path)
        message = _message(err)
        key = (line, col, dotted, message)
        if key not in seen:
            seen.add(key)
            problems.append(Problem(file, line, col, dotted, message))
    problems.sort(key=lambda p: (p.file, p.line, p.column))
    if len(errors) > MAX_PROBLEMS:
        last = problems[-1]
        problems.append(
            Problem(
                last.file,
                last.line,
                last.column,
                "",
                f"… and {len(errors) - MAX_PROBLEMS:,} more problems: fix these first",
            )
        )
    return problems


def _at(data, path):
    for part in path:
        data = data[part]
    return data


def _data_path(data, loc) -> tuple:
    """The part of a pydantic location that exists in the data (drops union tags and validator names)."""
    path: list = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            path.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            path.append(part)
            node = node[part]
    return tuple(path)


def _short(value, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _message(err: ErrorDetails) -> str:
    t = err["type"]
    ctx = err.get("ctx") or {}
    given = err.get("input")
    field = err["loc"][-1] if err["loc"] else ""
    if t == "missing":
        extra = " (a missing price is never taken as zero)" if "usd" in str(field) else ""
        return f"required key `{field}` is missing: add it{extra}"
    if t == "finite_number":
        return "must be a finite number: NaN and infinity are not allowed"
    if t in ("greater_than_equal", "greater_than"):
        bound = ctx.get("ge", ctx.get("gt"))
        if bound == 0 and t == "greater_than_equal":
            return f"{_short(given)} is negative: prices, counts and latencies cannot be below zero"
        op = "≥" if t == "greater_than_equal" else ">"
        return f"{_short(given)} is too small: must be {op} {bound}"
    if t in ("less_than_equal", "less_than"):
        bound = ctx.get("le", ctx.get("lt"))
        return f"{_short(given)} is implausibly large: must be ≤ {bound} (check the unit)"
    if t in ("float_parsing", "float_type", "int_parsing", "int_type", "int_from_float"):
        want = "a whole number" if t.startswith("int") else "a number"
        return f"expected {want}, found {_short(given)}"
    if t in ("bool_parsing", "bool_type"):
        return f"expected true or false, found {_short(given)}"
    if t in ("string_type",):
        return f"expected text, found {_short(given)}"
    if t in ("dict_type", "model_type", "model_attributes_type"):
        if given is None:
            return "no value given: expected a mapping of keys to values (a missing price is never taken as zero)"
        kind = {"str": "text", "list": "a list", "int": "a number", "float": "a number", "bool": "true/false"}.get(
            type(given).__name__, "a value"
        )
        return f"expected a mapping of keys to values, found {kind} {_short(given)}"
    if t in ("date_from_datetime_parsing", "date_parsing", "date_type", "date_from_datetime_inexact"):
        return f"expected a date as YYYY-MM-DD, found {_short(given)}"
    if t == "literal_error":
        return f"{_short(given)} is not allowed: expected {ctx.get('expected')}"
    if t == "union_tag_invalid":
        tag = str(ctx.get("discriminator", "")).strip("'\"")
        return f"`{tag}` is {ctx.get('tag')!r}: expected one of {ctx.get('expected_tags')}"
    if t == "union_tag_not_found":
        tag = str(ctx.get("discriminator", "")).strip("'\"")
        return f"missing the key `{tag}` that says which kind of entry this is"
    if t == "string_pattern_mismatch":
        return f"{_short(given)} is not a valid key: use letters, digits, `.`, `_` and `-`"
    if t == "multiple_of" and ctx.get("multiple_of") == 1:
        return f"{_short(given)} is not a whole number: give a count"
    if t == "too_short":
        return "must not be empty"
    msg = err["msg"]
    return msg[0].lower() + msg[1:] if msg else t


# ---------------------------------------------------------------- catalogs


def merge_override(base: dict, override: dict) -> dict:
    """Layer an override mapping over a base mapping (see module docstring)."""
    out = copy.deepcopy(base)
    for key, value in override.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict) and "value" not in out[key]:
            out[key] = merge_override(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _replaced_paths(base, override: dict, path: tuple):
    """Paths that `merge_override` replaces or removes whole (their base positions no longer apply)."""
    for key, value in override.items():
        here = path + (key,)
        if (
            isinstance(value, dict)
            and isinstance(base.get(key) if isinstance(base, dict) else None, dict)
            and "value" not in base[key]
        ):
            yield from _replaced_paths(base[key], value, here)
        else:
            yield here


def default_catalog_text() -> str:
    """The shipped default catalog's text as it is on disk now (what an override is layered over)."""
    return read_text(DEFAULT_CATALOG_PATH)


def catalog_key(text: str, base_text: str) -> str:
    """A cache key for the catalog `text` gives when layered over `base_text` (the default's text).

    It covers everything that determines the result: an override applied after the default
    file changed is a different catalog from the same override over the old default.
    """
    return fingerprint(fingerprint(text) + ":" + fingerprint(base_text))


def parse_catalog(text: str, file: str = "<text>", base_text: str | None = None) -> LoadedCatalog:
    """Validate catalog text: a full catalog, or an override (`extends: default`) over the default.

    `base_text` is the default catalog's text to layer an override over (read from
    `DEFAULT_CATALOG_PATH` when not given); pass the text a cache key was made from.
    """
    parsed = parse_yaml(text, file, keep_going=True)
    data = parsed.data
    if isinstance(data, dict) and "extends" in data:
        if data["extends"] != "default":
            line = parsed.positions.get(("extends",), (file, 1, 1))
            raise InputError(
                [
                    Problem(
                        file,
                        line[1],
                        line[2],
                        "extends",
                        "an override file can only extend `default` (the shipped catalog)",
                    )
                ]
            )
        if base_text is None:
            base_text = default_catalog_text()
        base = parse_yaml(base_text, str(DEFAULT_CATALOG_PATH))
        over = {k: v for k, v in data.items() if k != "extends"}
        replaced = list(_replaced_paths(base.data, over, ()))
        positions = {p: pos for p, pos in base.positions.items() if not any(p[: len(r)] == r for r in replaced)}
        positions.update(parsed.positions)
        if not isinstance(base.data, dict):  # the shipped catalog is a mapping; said for the type checker
            raise TypeError(f"{DEFAULT_CATALOG_PATH} is not a mapping")
        merged = Parsed(merge_override(base.data, over), positions, file, list(parsed.problems))
        catalog = validate(Catalog, merged)
        return LoadedCatalog(catalog, text, file, fingerprint(text), is_override=True)
    catalog = validate(Catalog, parsed)
    return LoadedCatalog(catalog, text, file, fingerprint(text))


def load_catalog_file(path: str | Path | None = None) -> LoadedCatalog:
    path = Path(path) if path is not None else DEFAULT_CATALOG_PATH
    return parse_catalog(read_text(path), str(path))


_default_cache: dict[str, LoadedCatalog] = {}


def load_catalog(path: str | Path | None = None) -> Catalog:
    """The catalog at `path` (full or override), or the shipped default. Raises `InputError`."""
    if path is None:
        text = read_text(DEFAULT_CATALOG_PATH)
        key = fingerprint(text)
        if key not in _default_cache:
            _default_cache.clear()
            _default_cache[key] = parse_catalog(text, str(DEFAULT_CATALOG_PATH))
        return _default_cache[key].catalog
    return load_catalog_file(path).catalog


def summary(catalog: Catalog, today: date | None = None, stale_after_days: int = STALE_AFTER_DAYS) -> str:
    singular = {
        "embedding models": "embedding model",
        "vector stores": "vector store",
        "rerankers": "reranker",
        "LLMs": "LLM",
        "fine-tuning offers": "fine-tuning offer",
        "GPUs": "GPU",
    }
    counts = ", ".join(f"{n} {fam if n != 1 else singular[fam]}" for fam, n in catalog.family_counts().items())
    figures = list(catalog.figures())
    stale = sum(1 for _, f in figures if f.is_stale(today, stale_after_days))
    unverified = sum(1 for _, f in figures if not f.verified)
    return (
        f"catalog {catalog.version} ({catalog.date}): {counts}; {len(figures)} figures, "
        f"{stale} stale (checked over {stale_after_days} days ago), {unverified} unverified"
    )
