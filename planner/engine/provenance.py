"""Where every number the estimate used came from, and which assumed ones move the result.

`provenance(scenario, estimate, preset)` lists every scenario field the estimate read with its value and its
source — `you` (typed, a link, a file), `preset` (the preset's value, unchanged), `measured` (derived from what
the user gave: the cache-hit share from traffic × the cache lifetime), `assumed` (a default nobody gave) —
then every catalog figure it read (`catalog`, with the figure's own source). `assumptions(catalog, scenario,
estimate)` prices each assumed number at half and at twice its value (within the field's bounds; a share of 0
at one half) and ranks them by the spend swing over the horizon they cause on one option, largest first,
each with the control or scenario field that sets it. docs/formulas.md, "Provenance and assumptions".
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any

import numpy as np

from planner.model.scenario import Scenario, bounds, given_paths, start_day
from planner.model.vocabulary import LABELS
from pricing.errors import InputError, UnknownEntryError
from pricing.units import Strict

if TYPE_CHECKING:
    from planner.engine.results import Estimate
    from pricing.models import Catalog

SOURCES = ("you", "preset", "measured", "catalog", "assumed")

#: Scenario sections the estimate never reads (the answers set numbers through their linked fields).
_UNREAD = {"name", "description", "answers"}

#: Sections listed as one input (measured quality: pass rates and sample sizes the user gave).
_WHOLE = {"quality"}

#: Where each field is set in the app's sidebar (section › control); the rest: the scenario file.
CONTROLS = {
    "workload.queries_per_month": "Queries per month",
    "workload.input_tokens_per_query": "Tokens per query › Input",
    "workload.output_tokens_per_query": "Tokens per query › Output",
    "workload.system_prompt_tokens": "Tokens per query › System prompt",
    "workload.few_shot_tokens": "Tokens per query › Few-shot",
    "workload.batch_query_share": "Tokens per query › Queries sent as batch",
    "workload.cache_hit_share": "Assumptions › Prompt-cache hits",
    "workload.cache_lifetime": "Assumptions › Cache lifetime",
    "workload.explicit_cache": "Assumptions › Explicit cache",
    "workload.cache_hit_share_ceiling": "Assumptions › Cache-hit ceiling",
    "workload.peak_to_average_ratio": "Assumptions › Peak ÷ average traffic",
    "workload.corpus_documents": "Knowledge base › Documents",
    "workload.tokens_per_document": "Knowledge base › Tokens per document",
    "workload.chunk_tokens": "Retrieval › Chunk size",
    "workload.top_k": "Retrieval › Top-k",
    "workload.rerank": "Retrieval › Rerank",
    "workload.rerank_candidates_per_query": "Retrieval › Rerank candidates",
    "workload.retrieval_query_share": "Retrieval › Queries that retrieve",
    "workload.corpus_change_share_per_month": "Retrieval › Corpus changing each month",
    "fine_tuning.training_examples": "Fine-tuning › Training examples",
    "fine_tuning.epochs": "Fine-tuning › Training epochs",
    "stack.target_utilization": "Assumptions › Target utilization",
    "stack.input_token_weight": "Assumptions › Input-token weight",
    "stack.min_replicas": "Assumptions › Minimum replicas",
    "stack.hours_per_month": "Assumptions › Hours rented a month",
    "stack.gpu_memory_utilization": "Assumptions › GPU memory for the server",
    "stack.max_sequences_per_replica": "Assumptions › Most sequences per replica",
    "stack.kv_cache_kb_per_token": "Assumptions › KV cache per token",
    "horizon_months": "Budget, latency target, horizon › Horizon",
    "monthly_budget_usd": "Budget, latency target, horizon › Budget",
    "latency_target_p95_ms": "Budget, latency target, horizon › Latency target",
    "one_time.usd_per_engineering_day": "One-time costs › Engineer day rate",
    "one_time.labeling_usd_per_example": "One-time costs › Labelling cost",
}


def control_for(path: str) -> str:
    """The sidebar control that sets `path`, or the scenario-file field."""
    if path.startswith("one_time.engineering_days."):
        return f"One-time costs › {LABELS.get(path.rsplit('.', 1)[1], path)} engineering days"
    if path.startswith("stack.") and path not in CONTROLS:
        return "Stack › " + path.split(".", 1)[1].replace("_", " ")
    return CONTROLS.get(path, f"scenario file: {path}")


@dataclass(frozen=True)
class Provenance:
    """One number the estimate read: its value, where it came from, and what sets it."""

    field: str  # a dotted scenario path, or `<catalog entry>.<field>`
    value: Any
    source: str  # one of SOURCES
    control: str  # the sidebar control or scenario field that sets it (catalog: the catalog entry)
    note: str = ""  # how it was measured, or the catalog figure's source

    def to_dict(self) -> dict[str, Any]:
        value = self.value
        if isinstance(value, datetime.date):
            value = value.isoformat()
        elif isinstance(value, Enum):
            value = value.value
        return {"field": self.field, "value": value, "source": self.source, "control": self.control} | (
            {"note": self.note} if self.note else {}
        )


def _leaves(model: Any, prefix: str = "") -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for name in type(model).model_fields:
        if not prefix and name in _UNREAD:
            continue
        value = getattr(model, name)
        if not prefix and name in _WHOLE:  # measured data the user gave, listed as one input
            out.append((name, value.model_dump(mode="json") if isinstance(value, Strict) else value))
        elif isinstance(value, Strict):
            out += _leaves(value, f"{prefix}{name}.")
        else:
            out.append((f"{prefix}{name}", value))
    return out


def _get(s: Scenario, path: str) -> Any:
    node: Any = s
    for part in path.split("."):
        node = getattr(node, part)
    return node


def _source(path: str, value: Any, given: frozenset[str], preset: Scenario | None, preset_given: frozenset[str]) -> str:
    if path not in given:
        return "assumed"
    if preset is not None and path in preset_given and _get(preset, path) == value:
        return "preset"
    return "you"


def provenance(
    scenario: Scenario, est: Estimate | None = None, preset: Scenario | None = None
) -> tuple[Provenance, ...]:
    """Every scenario field the estimate read, then every catalog figure (with `est`), each with its source."""
    given = given_paths(scenario)
    preset_given = given_paths(preset) if preset is not None else frozenset()
    out: list[Provenance] = []
    for path, value in _leaves(scenario):
        source = _source(path, value, given, preset, preset_given)
        note = ""
        if path == "workload.cache_hit_share" and value is None:
            source, note = "measured", "from traffic (queries a second) and the model's cache lifetime: 1 − e^(−λ·TTL)"
            if est is not None:
                value = {a: round(s.cache_hit_share, 6) for a, s in est.current.items()}
        if path == "workload.corpus_documents" and est is not None and est.knowledge_base_note:
            note = "priced at the largest knowledge base that fits, by your answer (see the warning)"
        out.append(Provenance(path, value, source, control_for(path), note))
    if est is not None:
        for u in est.prices_used:
            fig = u.figure
            out.append(Provenance(f"{u.entry}.{u.field}", fig.value, "catalog", f"catalog: {u.entry}", fig.source))
    return tuple(out)


@dataclass(frozen=True)
class Assumption:
    """An assumed number, what it moves, and what sets it."""

    field: str
    value: Any
    low_value: float
    high_value: float
    option: str  # the architecture whose spend it moves most
    low_usd: float  # that option's spend over the horizon (TCO) at `low_value`
    high_usd: float
    control: str

    @property
    def swing_usd(self) -> float:
        return abs(self.high_usd - self.low_usd)

    def to_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "value": self.value,
            "low_value": self.low_value,
            "high_value": self.high_value,
            "option": self.option,
            "low_usd": round(self.low_usd, 2),
            "high_usd": round(self.high_usd, 2),
            "swing_usd": round(self.swing_usd, 2),
            "control": self.control,
        }


def _alternatives(path: str, value: float) -> tuple[float, float] | None:
    """Half and twice `value`, inside the field's bounds (a share of 0: 0 and one half); None: no range."""
    try:
        b = bounds(path)
    except (AttributeError, KeyError):  # a field inside a union or a mapping: no range to try
        return None
    lo, hi = (value / 2, value * 2) if value > 0 else ((0.0, 0.5) if (b.high or 0) <= 1 else (0.0, 0.0))
    if b.low is not None:
        lo = max(lo, b.low + (1e-9 if b.low_open else 0.0))
    if b.high is not None:
        hi = min(hi, b.high)
    if b.whole:
        lo, hi = float(max(round(lo), 1 if value >= 1 else 0)), float(round(hi))
    return (lo, hi) if hi > lo else None


def _tco_by_option(catalog: Catalog, scenario: Scenario, priced: tuple[str, ...]) -> dict[str, float]:
    """Each priced option's spend over the horizon at the scenario's volume: one-time + monthly × months,
    from the same inputs as the estimate (the answer over an assumed corpus included)."""
    from planner.engine.assemble import long_context_misfit
    from planner.engine.costs import monthly_totals, one_time_usd
    from planner.engine.gather import build_inputs
    from planner.engine.knowledge import answer_over_assumed_corpus

    start = start_day(scenario)
    catalog = catalog.on(start)  # the prices in force on the first day, as the estimate's monthly figures
    i = build_inputs(catalog, scenario, on=start)[0]
    settled = answer_over_assumed_corpus(catalog, scenario, i, long_context_misfit(catalog, scenario, i))
    if settled is not None:
        i = i.replace(corpus_documents=float(settled[0]))
    if long_context_misfit(catalog, scenario, i):  # no price where the knowledge base does not fit
        priced = tuple(a for a in priced if a != "long_context")
    q = np.array([scenario.workload.queries_per_month])
    monthly = monthly_totals(i, q, priced)
    return {a: sum(one_time_usd(i, a).values()) + float(monthly[a][0]) * scenario.horizon_months for a in priced}


def assumptions(
    catalog: Catalog, scenario: Scenario, est: Estimate, preset: Scenario | None = None
) -> tuple[Assumption, ...]:
    """The assumed numbers that move the result, largest spend swing first (ties: field order)."""
    out: list[Assumption] = []
    priced = est.priced
    capped: Any = None
    if est.knowledge_base_note:
        capped = float(est.current["long_context"].input_tokens_per_query) if "long_context" in est.current else None
        if capped is not None:  # documents priced: (input − system − user input) ÷ tokens per document
            w = scenario.workload
            capped = int(round((capped - w.system_prompt_tokens - w.input_tokens_per_query) / w.tokens_per_document))
    for p in provenance(scenario, None, preset):
        if p.source != "assumed" or isinstance(p.value, bool) or not isinstance(p.value, int | float):
            continue
        if p.field == "workload.corpus_documents" and capped is not None:
            alt: tuple[float, float] | None = (float(max(1, capped // 2)), float(capped))  # half of what fits, all
        else:
            alt = _alternatives(p.field, float(p.value))
        if alt is None:
            continue
        try:
            lo = _tco_by_option(catalog, scenario.with_changes(**{p.field: alt[0]}), priced)
            hi = _tco_by_option(catalog, scenario.with_changes(**{p.field: alt[1]}), priced)
        except (ValueError, KeyError, ArithmeticError, InputError, UnknownEntryError):
            continue  # an alternative the scenario or the stack refuses (overlap ≥ chunk, no replica fits)
        both = [a for a in priced if a in lo and a in hi]
        if not both:
            continue
        option = max(both, key=lambda a: abs(hi[a] - lo[a]))
        if abs(hi[option] - lo[option]) < 0.005:
            continue
        out.append(Assumption(p.field, p.value, alt[0], alt[1], option, lo[option], hi[option], p.control))
    return tuple(sorted(out, key=lambda a: -a.swing_usd))
