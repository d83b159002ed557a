"""The two latency limits and how each is judged: `latency_target_p95_ms` bounds the time to the full answer,
`first_token_target_p95_ms` the time to the first token (streamed answers). Each is optional and judged on its
own measure; the one that binds (the largest p95-to-limit ratio) is the one a headline shows. Pure: the
engine, the questionnaire's numbers check, the pages and the PDF read them from here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from planner.model.scenario import Scenario

#: The two latency measures a limit can bound, in words.
MEASURE_LABELS = {"full_answer": "full answer", "first_token": "first token"}


@dataclass(frozen=True)
class LatencyCheck:
    """One latency limit against one architecture's p95 on that limit's own measure."""

    measure: str  # "full_answer" (latency_target_p95_ms) or "first_token" (first_token_target_p95_ms)
    p95_ms: float
    limit_ms: float

    @property
    def label(self) -> str:
        return MEASURE_LABELS[self.measure]

    @property
    def over(self) -> bool:
        return self.p95_ms > self.limit_ms

    @property
    def ratio(self) -> float:
        """p95 over the limit: above 1 the limit is missed; the larger, the more it binds."""
        return self.p95_ms / self.limit_ms


def latency_limits(scenario: Scenario) -> dict[str, float]:
    """The latency limits set, by measure (full answer first): each optional, each judged on its own measure."""
    out = {}
    if scenario.latency_target_p95_ms is not None:
        out["full_answer"] = float(scenario.latency_target_p95_ms)
    if scenario.first_token_target_p95_ms is not None:
        out["first_token"] = float(scenario.first_token_target_p95_ms)
    return out


def shown_measure(scenario: Scenario) -> str:
    """The measure a single read-out shows: the first token when only it is limited, else the full answer."""
    return "first_token" if list(latency_limits(scenario)) == ["first_token"] else "full_answer"


class TimedOption(Protocol):
    """What a latency check reads of an option's figures (the engine's `Snapshot`, from the layer above)."""

    @property
    def latency_p95_ms(self) -> float: ...
    @property
    def first_token_p95_ms(self) -> float: ...


def checks_of(scenario: Scenario, snap: TimedOption) -> tuple[LatencyCheck, ...]:
    """Each latency limit set, against a snapshot's p95 on that limit's measure (full answer first)."""
    p95 = {"full_answer": snap.latency_p95_ms, "first_token": snap.first_token_p95_ms}
    return tuple(LatencyCheck(m, float(p95[m]), lim) for m, lim in latency_limits(scenario).items())


def binding(checks: tuple[LatencyCheck, ...]) -> LatencyCheck | None:
    """The limit that binds (the largest p95-to-limit ratio), None without a limit."""
    return max(checks, key=lambda c: c.ratio) if checks else None
