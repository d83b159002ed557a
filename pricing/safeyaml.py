"""A hostile-input-safe YAML reader that remembers where every value came from.

- the text is capped in size before parsing, and must be UTF-8;
- anchors and aliases are refused (a 275-byte alias bomb expands to 58 MB);
- duplicate keys are refused (PyYAML would silently keep the last);
- only the plain YAML types are allowed: no `!!python/...` or custom tags;
- nesting is capped in depth;
- every mapping key and value records its line and column, so a validation
  error can point at the place in the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from pricing.errors import InputError, Problem

MAX_BYTES = 1_000_000
MAX_DEPTH = 30

_ALLOWED_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


class _Refused(Exception):
    def __init__(self, mark, message, path: tuple = ()):
        super().__init__(message)
        self.mark = mark
        self.message = message
        self.path = path


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses anchors, aliases and deep nesting while composing."""

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(event.start_mark, "aliases (`*name`) are not allowed: write the value out in full")
        if getattr(event, "anchor", None):
            raise _Refused(event.start_mark, "anchors (`&name`) are not allowed: write each value out in full")
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _Refused(event.start_mark, f"nesting deeper than {MAX_DEPTH} levels is not allowed")
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


_CLoader: Any = None  # libyaml's loader, when PyYAML has it
if getattr(yaml, "__with_libyaml__", False):

    class _LibYamlLoader(yaml.CSafeLoader):
        """libyaml's parser and composer (fast); anchors, aliases and depth are screened first."""

    _CLoader = _LibYamlLoader

for _cls in filter(None, (_Loader, _CLoader)):
    # YAML 1.1 reads `1e6` (no dot, no exponent sign) as text; people mean a number.
    _cls.add_implicit_resolver(
        "tag:yaml.org,2002:float",
        re.compile(r"^[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9_]+)[eE][-+]?[0-9]+$"),
        list("-+0123456789."),
    )

#: Characters refused inside text values (what escapes such as "\e[2J" in a double-quoted string produce):
#: C0 controls but tab and newline, DEL, C1 controls (terminal escape sequences start with ESC or CSI), and
#: the bidirectional embeddings, overrides and isolates (they reverse the text shown around them).
UNSAFE_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def unsafe_text_problem(text: str) -> str:
    """ "" when `text` may be shown as it is; else a sentence naming the first character refused (not echoing it)."""
    bad = UNSAFE_TEXT.search(text)
    if bad is None:
        return ""
    char = f"U+{ord(bad.group()):04X}"
    if "\u202a" <= bad.group() <= "\u2069":
        return f"the bidirectional-text control {char} is not allowed in text (it reverses what is shown): delete it"
    return f"the control character {char} is not allowed in text (terminal escapes, line feeds): delete it"


# Characters YAML does not allow in a document (C0 controls but tab and newlines, DEL, C1, surrogates, U+FFFE/F).
_FORBIDDEN = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _screen_events(text: str) -> None:
    """Refuse anchors, aliases and deep nesting from the event stream, before anything is built."""
    depth = 0
    for event in yaml.parse(text, Loader=_CLoader):
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(event.start_mark, "aliases (`*name`) are not allowed: write the value out in full")
        if getattr(event, "anchor", None):
            raise _Refused(event.start_mark, "anchors (`&name`) are not allowed: write each value out in full")
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise _Refused(event.start_mark, f"nesting deeper than {MAX_DEPTH} levels is not allowed")
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


@dataclass
class Parsed:
    """Plain Python data plus where each path was written (1-based line, column)."""

    data: object
    positions: dict[tuple, tuple[str, int, int]] = field(default_factory=dict)
    file: str = "<text>"
    #: Values that could not be read (a bad date, a number out of range), kept as their text so that
    #: validation still runs and every problem is reported at once (see `parse_yaml(keep_going=True)`).
    problems: list[Problem] = field(default_factory=list)

    def locate(self, path: tuple) -> tuple[str, int, int]:
        """(file, line, column) of the deepest prefix of `path` written in the file."""
        for n in range(len(path), -1, -1):
            pos = self.positions.get(tuple(path[:n]))
            if pos is not None:
                return pos
        return (self.file, 1, 1)


def decode_text(raw: bytes, file: str = "<text>", max_bytes: int = MAX_BYTES) -> str:
    """Untrusted bytes as UTF-8 text (a BOM dropped), refusing huge, binary or non-UTF-8 input."""
    if len(raw) > max_bytes:
        raise InputError([too_big(file, len(raw), max_bytes)])
    if b"\x00" in raw[:8192]:
        raise InputError([Problem(file, 1, 1, "", "this is a binary file, not YAML text")])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            [
                Problem(
                    file, line, 1, "", f"the file is not UTF-8 text (bad byte at offset {exc.start}): save it as UTF-8"
                )
            ]
        ) from None


def parse_yaml(text: str | bytes, file: str = "<text>", max_bytes: int = MAX_BYTES, keep_going: bool = False) -> Parsed:
    """Parse untrusted YAML text. Raises `InputError` with a located problem.

    `keep_going`: a value that cannot be read (a bad date) does not raise; it is kept as its text and
    listed in `Parsed.problems`, for the caller to report with the problems validation finds.
    """
    if isinstance(text, bytes):
        text = decode_text(text, file, max_bytes)
    if len(text.encode("utf-8", "surrogatepass")) > max_bytes:
        raise InputError([too_big(file, len(text.encode("utf-8", "surrogatepass")), max_bytes)])
    if "\x00" in text:
        raise InputError([Problem(file, 1, 1, "", "this is a binary file, not YAML text")])
    if not text.strip():
        raise InputError([Problem(file, 1, 1, "", "the file is empty: it needs at least the required top-level keys")])
    bad = _FORBIDDEN.search(text)
    if bad:
        before = text[: bad.start()]
        line, col = before.count("\n") + 1, bad.start() - (before.rfind("\n") + 1) + 1
        char = f"U+{ord(bad.group()):04X}"
        raise InputError(
            [Problem(file, line, col, "", f"the control character {char} is not allowed in YAML text: delete it")]
        )
    loader = None
    try:
        if _CLoader is not None:
            _screen_events(text)
            loader = _CLoader(text)
        else:
            loader = _Loader(text)
        node = loader.get_single_node()
        if node is None:
            raise InputError([Problem(file, 1, 1, "", "the file holds no YAML document (only comments?)")])
        parsed = Parsed(None, {}, file)
        parsed.data = _build(node, (), parsed, loader)
        if parsed.problems and not keep_going:
            raise InputError(parsed.problems)
        return parsed
    except _Refused as r:
        dotted = ".".join(str(p) for p in r.path)
        raise InputError([Problem(file, r.mark.line + 1, r.mark.column + 1, dotted, r.message)]) from None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = " ".join(x for x in (e.context, e.problem) if x) or "invalid YAML"
        if e.context_mark is not None and e.problem_mark is not None and e.context_mark.line != e.problem_mark.line:
            what += f" (the construct started on line {e.context_mark.line + 1}, column {e.context_mark.column + 1})"
        raise InputError([Problem(file, line, col, "", f"YAML syntax error: {what}")]) from None
    except yaml.YAMLError as e:
        raise InputError([Problem(file, 1, 1, "", f"YAML error: {e}")]) from None
    except RecursionError:
        raise InputError([Problem(file, 1, 1, "", "the document is nested too deeply")]) from None
    finally:
        if loader is not None:
            loader.dispose()


#: What a catalog or scenario file that is too big is told.
CATALOG_SIZE_NOTE = ": a catalog or scenario is a few tens of KB"


def too_big(file, size, cap, note: str = CATALOG_SIZE_NOTE) -> Problem:
    """The file is above its byte limit; `note` says what such a file should be (appended to the sentence)."""
    return Problem(file, 1, 1, "", f"the file is {size:,} bytes, above the {cap:,}-byte limit{note}")


def _mark(node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


#: Plain (unquoted) numbers that YAML 1.1 (PyYAML) and YAML 1.2 read differently, or that 1.2 reads as text:
#: sexagesimal `1:30` (1.1: 90), a leading zero `010` (1.1: octal 8; 1.2: 10), binary `0b11` (1.1: 3), hex
#: `0x10` (16 in both, but a price never means it) and octal `0o10`. Refused with their place, never guessed.
_AMBIGUOUS_NUMBER = re.compile(
    r"^[-+]?(?:[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?|0[0-9_]+|0b[01_]+|0x[0-9a-fA-F_]+|0o[0-7_]+)$"
)


def _scalar_refusal(node: ScalarNode, value: object) -> str:
    """Why a scalar is refused: text with a control character, or a number spelled the YAML 1.1 way."""
    if isinstance(value, str):
        return unsafe_text_problem(value)
    if not node.style and isinstance(value, (int, float)) and not isinstance(value, bool):
        if _AMBIGUOUS_NUMBER.match(node.value.strip()):
            return (
                f"`{node.value}` is a number YAML versions read differently (sexagesimal, octal, binary or hex): "
                "write it in plain decimal (e.g. 90, 10, 3, 16), or quote it if it is text"
            )
    return ""


def _build(node, path: tuple, parsed: Parsed, loader: _Loader):
    if node.tag not in _ALLOWED_TAGS:
        raise _Refused(
            node.start_mark, f"the tag `{node.tag}` is not allowed: only plain values, lists and mappings", path
        )
    parsed.positions.setdefault(path, (parsed.file, *_mark(node)))
    if isinstance(node, ScalarNode):
        try:
            value = loader.construct_object(node)
        except (ValueError, OverflowError, yaml.constructor.ConstructorError):
            what = {"timestamp": "date (YYYY-MM-DD)"}.get(node.tag.rsplit(":", 1)[-1], node.tag.rsplit(":", 1)[-1])
            line, col = _mark(node)
            dotted = ".".join(str(p) for p in path)
            parsed.problems.append(Problem(parsed.file, line, col, dotted, f"`{node.value}` is not a valid {what}"))
            return node.value
        refusal = _scalar_refusal(node, value)
        if refusal:
            line, col = _mark(node)
            parsed.problems.append(Problem(parsed.file, line, col, ".".join(str(p) for p in path), refusal))
            return "" if isinstance(value, str) else node.value
        return value
    if isinstance(node, SequenceNode):
        return [_build(child, path + (i,), parsed, loader) for i, child in enumerate(node.value)]
    if isinstance(node, MappingNode):
        out: dict = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _Refused(
                    key_node.start_mark, "merge keys (`<<`) are not allowed: write each value out in full", path
                )
            if not isinstance(key_node, ScalarNode):
                raise _Refused(key_node.start_mark, "mapping keys must be plain text", path)
            if key_node.tag not in _ALLOWED_TAGS:
                raise _Refused(
                    key_node.start_mark,
                    f"the tag `{key_node.tag}` is not allowed: only plain values, lists and mappings",
                    path,
                )
            key = str(key_node.value)  # keys are text: `2026-01-01:` or `8:` is a name, not a date or number
            if UNSAFE_TEXT.search(key):
                raise _Refused(key_node.start_mark, unsafe_text_problem(key), path)
            if key in out:
                first = parsed.positions.get(path + (key,), ("", "?", "?"))[1]
                raise _Refused(
                    key_node.start_mark, f"duplicate key `{key}` (first given on line {first}): keep one", path + (key,)
                )
            parsed.positions[path + (key,)] = (parsed.file, *_mark(key_node))
            out[key] = _build(value_node, path + (key,), parsed, loader)
        return out
    raise _Refused(node.start_mark, "unsupported YAML node")
