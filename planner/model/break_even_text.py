"""Break-evens said as intervals: for each pair of architectures, which is cheaper over which range of volume
("RAG and Hybrid: Hybrid is cheaper below 1,011,650; RAG between 1,011,650 and 1,621,851; Hybrid above
1,621,851"), so several crossings at capacity steps read as one story, not as contradictions. Pure: the
numbers check, the pages and the PDF say them the same way."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from planner.model.vocabulary import LABELS

#: A crossing of one pair: (queries per month, cheaper below, cheaper above).
Point = tuple[float, str, str]


def _q(x: float) -> str:
    return f"{x:,.0f}"


def intervals_sentence(a: str, b: str, points: Iterable[Point]) -> str:
    """One pair's crossings, in volume order, as the intervals where each of the two is cheaper."""
    return f"{LABELS.get(a, a)} and {LABELS.get(b, b)}: " + intervals(points)


def intervals(points: Iterable[Point]) -> str:
    """ "RAG is cheaper below 1,000; Hybrid between 1,000 and 2,000; RAG above 2,000 queries a month." """
    pts = sorted(points)
    if not pts:
        return ""
    parts = [f"{LABELS.get(pts[0][1], pts[0][1])} is cheaper below {_q(pts[0][0])}"]
    for (q0, _, above), (q1, _, _) in zip(pts, pts[1:], strict=False):
        parts.append(f"{LABELS.get(above, above)} between {_q(q0)} and {_q(q1)}")
    parts.append(f"{LABELS.get(pts[-1][2], pts[-1][2])} above {_q(pts[-1][0])}")
    return "; ".join(parts) + " queries a month."


def by_pair(break_evens: Iterable[Any]) -> dict[tuple[str, str], list[Point]]:
    """The break-evens (objects with a, b, queries_per_month, cheaper_below, cheaper_above) grouped by pair,
    each pair's crossings in volume order."""
    out: dict[tuple[str, str], list[Point]] = {}
    for be in break_evens:
        out.setdefault((be.a, be.b), []).append((float(be.queries_per_month), be.cheaper_below, be.cheaper_above))
    for pts in out.values():
        pts.sort()
    return out


def interval_sentences(break_evens: Iterable[Any]) -> list[str]:
    """Every pair's intervals, one sentence a pair, pairs in the order of their first crossing."""
    pairs = by_pair(break_evens)
    return [intervals_sentence(a, b, pts) for (a, b), pts in sorted(pairs.items(), key=lambda kv: kv[1][0][0])]
