"""The scenario file format's one spelling (US), and the other spelling of a word read with a note.

Every key and choice of the format spells its words the US way: `answers.labeled_examples`, the
`gap` answer `behavior`, `fine_tuning.behavior_retrains_per_month`,
`one_time.labeling_usd_per_example`, `stack.target_utilization` (a test holds the model to it). A
key or a choice written with the British spelling of one of its words (`labelled_examples`,
`gap: behaviour`, `behaviour_retrains_per_month` in files written before the format settled) is
read as the format's spelling, and the reader is told which word was read and how the format
spells it. Pure: no streamlit, no I/O.
"""

from __future__ import annotations

import enum
import functools
import itertools
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

#: Words with a British and a US spelling (either may be the format's): (British, US).
WORD_PAIRS: tuple[tuple[str, str], ...] = (
    ("behaviour", "behavior"),
    ("behaviours", "behaviors"),
    ("labelled", "labeled"),
    ("labelling", "labeling"),
    ("utilisation", "utilization"),
    ("colour", "color"),
    ("favour", "favor"),
    ("catalogue", "catalog"),
    ("modelling", "modeling"),
    ("optimise", "optimize"),
    ("optimisation", "optimization"),
    ("normalise", "normalize"),
    ("centre", "center"),
    ("analyse", "analyze"),
    ("licence", "license"),
)
_OTHER: dict[str, str] = {**dict(WORD_PAIRS), **{us: gb for gb, us in WORD_PAIRS}}


@dataclass(frozen=True)
class Respelled:
    """One word read in the format's spelling: at `path` (keys as written, the last one respelled for a key)."""

    path: tuple[str, ...]
    written: str
    spelling: str
    kind: str  # "key" or "value"

    def message(self) -> str:
        return f"`{self.written}` read as `{self.spelling}`, the scenario format's spelling: write `{self.spelling}`"


def variants(word: str) -> set[str]:
    """`word` (snake_case) with one or more of its parts in the other British/US spelling."""
    parts = word.split("_")
    choices = [(p, _OTHER[p]) if p in _OTHER else (p,) for p in parts]
    return {"_".join(c) for c in itertools.product(*choices)} - {word}


def _others(known: set[str]) -> dict[str, str]:
    """Other spelling → the format's spelling, for each known word (never shadowing a known word)."""
    out: dict[str, str] = {}
    for word in sorted(known):
        for v in variants(word):
            if v not in known:
                out.setdefault(v, word)
    return out


def _submodel(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def _choices(annotation: Any) -> set[str]:
    """The string choices of an annotation: an enum's values or a Literal's strings (through `X | None`)."""
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return {str(m.value) for m in annotation}
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return {a for a in typing.get_args(annotation) if isinstance(a, str)}
    if origin in (typing.Union, types.UnionType):
        return set().union(*(_choices(a) for a in typing.get_args(annotation)))
    return set()


@functools.cache
def _key_others(model: type[BaseModel]) -> dict[str, str]:
    return _others(set(model.model_fields))


@functools.cache
def _value_others(model: type[BaseModel], field: str) -> dict[str, str]:
    return _others(_choices(model.model_fields[field].annotation))


def respell(model: type[BaseModel], data: Mapping[str, Any]) -> tuple[dict[str, Any], list[Respelled]]:
    """`data` (a scenario file's mapping) with keys and choices in the format's spelling, and what was read so.
    A key whose format spelling is also written is left as written (validation then names it)."""
    notes: list[Respelled] = []
    return _respell(model, data, (), notes), notes


def _respell(model: type[BaseModel], data: Mapping[str, Any], at: tuple[str, ...], notes: list[Respelled]) -> dict:
    keys = _key_others(model)
    out: dict[str, Any] = {}
    for key, value in data.items():
        name = key
        if isinstance(key, str) and key not in model.model_fields and keys.get(key) not in (None, *data):
            name = keys[key]
            notes.append(Respelled((*at, key), key, name, "key"))
        if name in model.model_fields:
            value = _respell_value(model, name, value, (*at, str(key)), notes)
        out[name] = value
    return out


def _respell_value(model: type[BaseModel], field: str, value: Any, at: tuple[str, ...], notes: list[Respelled]) -> Any:
    sub = _submodel(model.model_fields[field].annotation)
    if sub is not None and isinstance(value, Mapping):
        return _respell(sub, value, at, notes)
    if isinstance(value, str):
        spelling = _value_others(model, field).get(value)
        if spelling is not None:
            notes.append(Respelled(at, value, spelling, "value"))
            return spelling
    return value


def respell_path(model: type[BaseModel], path: str) -> str | None:
    """A dotted path (`answers.labelled_examples`) in the format's spelling, or None when it is no such path."""
    current: type[BaseModel] | None = model
    out: list[str] = []
    for part in path.split("."):
        if current is None:
            return None
        name = part if part in current.model_fields else _key_others(current).get(part)
        if name is None:
            return None
        out.append(name)
        current = _submodel(current.model_fields[name].annotation)
    return ".".join(out)


def choices_at(model: type[BaseModel], path: str) -> set[str]:
    """The string choices of the field at a dotted path (`stack.precision` → {"bf16", "fp8", "int4"}); empty
    when the field is not a choice."""
    *head, last = path.split(".")
    current: type[BaseModel] | None = model
    for part in head:
        current = _submodel(current.model_fields[part].annotation) if current and part in current.model_fields else None
    if current is None or last not in current.model_fields:
        return set()
    return _choices(current.model_fields[last].annotation)


def respell_choice(model: type[BaseModel], path: str, value: str) -> str | None:
    """The format's spelling of a choice written at a dotted path (`answers.gap`, `behaviour` → `behavior`),
    or None when the value is not another spelling of a choice there."""
    *head, last = path.split(".")
    current: type[BaseModel] | None = model
    for part in head:
        current = _submodel(current.model_fields[part].annotation) if current else None
    if current is None or last not in current.model_fields:
        return None
    return _value_others(current, last).get(value)
