"""Messages on a page: alerts that show user and catalog text literally, and located problems."""

from __future__ import annotations

import streamlit as st

from planner.ui import session
from planner.ui.session import Kind
from planner.ui.tables import literal
from pricing.errors import Problem


def show_flash() -> None:
    """The messages left for this page (`session.flash`), once."""
    s = session.get()
    flashes, s.flashes = s.flashes, []
    for kind, text, lines in flashes:
        message(kind, text, lines)


def message(kind: Kind, text: str, lines: list[str] | None = None) -> None:
    """An alert whose text may hold user or catalog text: shown literally (markdown escaped), with
    `lines` (e.g. located problems) in a code block, where nothing is interpreted."""
    body = md(text, multiline=True)
    if lines:
        shown = [line.replace("`", "'") for line in lines[:40]] + (["…"] if len(lines) > 40 else [])
        body += "\n\n```text\n" + "\n".join(shown) + "\n```"
    getattr(st, kind)(body)


def problem_lines(problems: list[Problem]) -> list[str]:
    """Each problem as "line L, column C — path: message"."""
    out = []
    for p in problems:
        where = f"line {p.line}, column {p.column}"
        out.append(f"{where} — {p.path}: {p.message}" if p.path else f"{where} — {p.message}")
    return out


def md(text: object, multiline: bool = False) -> str:
    """User text shown inside markdown exactly as typed (see `planner.ui.tables.literal`)."""
    return literal(text, multiline)
