"""What an estimate returns: one architecture over the volume grid (`Series`), at the scenario's volume
(`Snapshot`), the break-evens, the sensitivity rows, and the `Estimate` with its stable JSON form."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from planner.engine.inputs import PriceUsed
from planner.engine.latency import closing_the_gap
from planner.model.latency_limits import LatencyCheck, binding, checks_of, latency_limits, shown_measure
from planner.model.scenario import ARCHITECTURES, Scenario
from planner.model.vocabulary import LABELS
from planner.quality import QualityAssessment
from planner.quality.jsonform import option_keys, quality_dict

if TYPE_CHECKING:
    from planner.engine.comparison import ServingComparison
    from planner.engine.in_house import ThirdParty


@dataclass(frozen=True)
class Series:
    """One architecture over the volume grid."""

    key: str
    label: str
    color: str
    total_usd: np.ndarray
    low_usd: np.ndarray
    high_usd: np.ndarray
    components_usd: dict[str, np.ndarray]
    usd_per_1k_queries: np.ndarray
    latency_p50_ms: np.ndarray  # to the full answer
    latency_p95_ms: np.ndarray
    replicas: np.ndarray | None
    first_token_p50_ms: np.ndarray  # to the first token
    first_token_p95_ms: np.ndarray


@dataclass(frozen=True)
class Snapshot:
    """One architecture at the scenario's own volume."""

    key: str
    label: str
    queries_per_month: float
    monthly_usd: float
    monthly_low_usd: float
    monthly_high_usd: float
    components_usd: dict[str, float]
    usd_per_1k_queries: float
    latency_p50_ms: float
    latency_p95_ms: float
    latency_breakdown_ms: dict[str, tuple[float, float]]
    one_time_usd: dict[str, float]
    one_time_total_usd: float
    tco_usd: float
    tco_low_usd: float
    tco_high_usd: float
    input_tokens_per_query: float
    replicas: int | None
    cache_hit_share: float = 0.0  # share of requests reading the prompt prefix from the cache
    first_token_p50_ms: float = 0.0  # time to the first token; latency_p50_ms/latency_p95_ms are to the full answer
    first_token_p95_ms: float = 0.0
    gpus_per_replica: int | None = None  # self-hosted only
    sequences_per_replica: int | None = None  # at the operating point (the replica's batch)
    # self-hosted only (None on the API): the serving model's figures at the scenario's volume
    gpu: str | None = None  # catalog key of the GPU
    precision: str | None = None
    gpus: int | None = None  # replicas × gpus_per_replica
    replica_tokens_per_second: float | None = None  # output tokens/s of one replica at its operating point
    sequence_tokens_per_second: float | None = None  # output tokens/s one sequence gets there
    utilization: float | None = None  # share of the replicas' throughput the sizing load uses
    # the monthly spend of each month of the horizon, when a scheduled price change falls inside it (empty: every
    # month costs `monthly_usd`, the start's prices)
    monthly_by_month_usd: tuple[float, ...] = ()
    monthly_low_by_month_usd: tuple[float, ...] = ()
    monthly_high_by_month_usd: tuple[float, ...] = ()

    def by_month(self, which: str = "monthly_usd") -> tuple[float, ...]:
        """`which` ("monthly_usd", "monthly_low_usd", "monthly_high_usd") for each month of a horizon of
        `len(self.monthly_by_month_usd)` months; empty when no price changes inside it."""
        return getattr(self, which.replace("_usd", "_by_month_usd"))


@dataclass(frozen=True)
class BreakEven:
    a: str
    b: str
    queries_per_month: float
    usd_per_month: float
    cheaper_below: str
    cheaper_above: str
    at_step: bool  # the crossing is a jump of a capacity step, not a smooth crossing

    def describe(self) -> str:
        how = " (at a capacity step)" if self.at_step else ""
        return (
            f"{LABELS[self.cheaper_below]} is cheaper below {self.queries_per_month:,.0f} queries/month, "
            f"{LABELS[self.cheaper_above]} above{how}"
        )


@dataclass(frozen=True)
class Sensitivity:
    input: str
    label: str
    low_usd: float  # monthly spend with the input at −delta
    high_usd: float  # at +delta
    base_usd: float

    @property
    def swing_usd(self) -> float:
        return abs(self.high_usd - self.low_usd)


@dataclass(frozen=True)
class Estimate:
    scenario: Scenario
    catalog_version: str
    catalog_date: str
    volumes: np.ndarray
    series: dict[str, Series]
    current: dict[str, Snapshot]
    break_evens: tuple[BreakEven, ...]
    sensitivity: dict[str, tuple[Sensitivity, ...]]
    sensitivity_delta: float
    prices_used: tuple[PriceUsed, ...]
    corpus: dict[str, float]
    warnings: tuple[str, ...]
    #: architectures that cannot run at all for this scenario, with the reason (no curve, no number)
    ruled_out: dict[str, str] = dataclasses.field(default_factory=dict)
    #: why the knowledge base does not fit `stack.llm`'s context window (None: it fits), measured even when
    #: long context is ruled out for another reason (its model is not open weights or fits no GPU replica)
    context_misfit: str | None = None
    #: API versus self-hosted per architecture (planner.engine.comparison); None for an estimate built without it
    serving_comparison: ServingComparison | None = None
    #: the components of the stack, among the priced options', that send data to a vendor (planner.engine.in_house)
    third_party: tuple[ThirdParty, ...] = ()
    #: the first day of the horizon (the prices in force that day give the curves and the monthly figures)
    start_date: str = ""
    #: every scheduled price change of an entry the estimate uses inside the horizon (planner.engine.dated)
    price_changes_in_horizon: tuple = ()
    #: the answer "the knowledge fits" over an assumed corpus that does not: the sentence saying what was
    #: priced instead (the largest knowledge base that fits) and asking for the size (None: nothing to settle)
    knowledge_base_note: str | None = None
    #: measured quality joined to the spend (None only for an Estimate built by hand)
    quality: QualityAssessment | None = None

    @property
    def ruled_out_reasons(self) -> tuple[str, ...]:
        """Each reason once, in architecture order (one model fitting no GPU rules out several options)."""
        return tuple(dict.fromkeys(self.ruled_out.values()))

    @property
    def priced(self) -> tuple[str, ...]:
        """The architectures that were priced, in ARCHITECTURES order (those not ruled out)."""
        return tuple(a for a in ARCHITECTURES if a in self.series)

    def cumulative_usd(self, arch: str, which: str = "monthly_usd") -> np.ndarray:
        """Cumulative spend at months 0..horizon: one-time costs, then the monthly spend each month."""
        snap = self.current[arch]
        by_month = snap.by_month(which)
        if by_month:  # a price changes inside the horizon: the months one by one
            return snap.one_time_total_usd + np.concatenate([[0.0], np.cumsum(by_month)])
        months = np.arange(self.scenario.horizon_months + 1)
        return snap.one_time_total_usd + getattr(snap, which) * months

    def limited_p95_ms(self, arch: str) -> float:
        """The p95 a single read-out shows (`shown_measure`): to the first token when only it is limited, else
        to the full answer."""
        snap = self.current[arch]
        if shown_measure(self.scenario) == "first_token":
            return snap.first_token_p95_ms
        return snap.latency_p95_ms

    def latency_checks(self, arch: str) -> tuple[LatencyCheck, ...]:
        """Each latency limit set, against `arch`'s p95 on that limit's measure (full answer first)."""
        return checks_of(self.scenario, self.current[arch])

    def binding_latency(self, arch: str) -> LatencyCheck | None:
        """The limit that binds `arch` (the largest p95-to-limit ratio), None without a limit: the one a
        headline shows."""
        return binding(self.latency_checks(arch))

    def latency_gap_advice(self, arch: str) -> str | None:
        """What would bring `arch` under each latency limit it misses, with what each change saves; None when
        it meets them all."""
        said = [
            (f"{c.label}: " if len(latency_limits(self.scenario)) > 1 else "")
            + closing_the_gap(self.current[arch].latency_breakdown_ms, c.limit_ms, c.measure)
            for c in self.latency_checks(arch)
            if c.over
        ]
        return " ".join(said) or None

    def cheapest(self) -> str:
        return min(self.priced, key=lambda a: self.current[a].monthly_usd)

    def to_dict(self) -> dict:
        """The stable JSON form (see docs/formulas.md, "JSON output")."""
        r = round_figures
        return {
            "schema_version": 1,
            "scenario": self.scenario.name,
            "catalog": {"version": self.catalog_version, "date": self.catalog_date},
            "queries_per_month": self.scenario.workload.queries_per_month,
            "volumes_queries_per_month": r(self.volumes),
            "architectures": {a: _architecture_dict(s, self.current[a], self.quality) for a, s in self.series.items()},
            "break_evens": [_break_even_dict(b) for b in self.break_evens],
            "sensitivity": {
                a: [
                    {"input": x.input, "label": x.label, "low_usd": r(x.low_usd), "high_usd": r(x.high_usd)}
                    for x in rows
                ]
                for a, rows in self.sensitivity.items()
            },
            "warnings": list(self.warnings),
            "ruled_out": dict(self.ruled_out),
            "start_date": self.start_date,
            "price_changes_in_horizon": [c.to_dict() for c in self.price_changes_in_horizon],
            "latency_limit": {
                "p95_ms": self.scenario.latency_target_p95_ms,
                "applies_to": self.scenario.latency_limit_applies_to,
            },
            "serving_comparison": None if self.serving_comparison is None else self.serving_comparison.to_dict(),
            "in_house": {
                "required": self.scenario.data_must_stay_in_house,
                "third_party_components": [t.to_dict() for t in self.third_party],
            },
            "first_token_limit": {"p95_ms": self.scenario.first_token_target_p95_ms},
            "quality": quality_dict(self.quality),
        }


def _architecture_dict(s: Series, now: Snapshot, quality: QualityAssessment | None = None) -> dict:
    """One architecture in the JSON form: its curves, one-time costs and TCO, and its figures at the volume."""
    r = round_figures
    return {
        "label": s.label,
        "monthly_usd": r(s.total_usd),
        "monthly_low_usd": r(s.low_usd),
        "monthly_high_usd": r(s.high_usd),
        "components_usd": {k: r(v) for k, v in s.components_usd.items()},
        "usd_per_1k_queries": r(s.usd_per_1k_queries),
        "latency_p50_ms": r(s.latency_p50_ms),
        "latency_p95_ms": r(s.latency_p95_ms),
        "first_token_p50_ms": r(s.first_token_p50_ms),
        "first_token_p95_ms": r(s.first_token_p95_ms),
        "one_time_usd": {k: r(v) for k, v in now.one_time_usd.items()},
        "one_time_total_usd": r(now.one_time_total_usd),
        "tco_usd": r(now.tco_usd),
        "at_queries_per_month": _snapshot_dict(now) | option_keys(quality, s.key),
    }


def _snapshot_dict(now: Snapshot) -> dict:
    r = round_figures
    return {
        "monthly_usd": r(now.monthly_usd),
        "monthly_low_usd": r(now.monthly_low_usd),
        "monthly_high_usd": r(now.monthly_high_usd),
        "components_usd": {k: r(v) for k, v in now.components_usd.items()},
        "usd_per_1k_queries": r(now.usd_per_1k_queries),
        "latency_p50_ms": r(now.latency_p50_ms),
        "latency_p95_ms": r(now.latency_p95_ms),
        "input_tokens_per_query": r(now.input_tokens_per_query),
        "cache_hit_share": r(now.cache_hit_share),
        "first_token_p50_ms": r(now.first_token_p50_ms),
        "first_token_p95_ms": r(now.first_token_p95_ms),
        "gpus_per_replica": now.gpus_per_replica,
        "sequences_per_replica": now.sequences_per_replica,
        **(
            {
                "gpu": now.gpu,
                "precision": now.precision,
                "replicas": now.replicas,
                "gpus": now.gpus,
                "replica_tokens_per_second": r(now.replica_tokens_per_second),
                "sequence_tokens_per_second": r(now.sequence_tokens_per_second),
                "utilization": r(now.utilization or 0.0),
            }
            if now.gpu is not None
            else {}
        ),
        "monthly_usd_by_month": r(np.array(now.monthly_by_month_usd)) if now.monthly_by_month_usd else None,
    }


def _break_even_dict(b: BreakEven) -> dict:
    return {
        "between": [b.a, b.b],
        "queries_per_month": round_figures(b.queries_per_month),
        "usd_per_month": round_figures(b.usd_per_month),
        "cheaper_below": b.cheaper_below,
        "cheaper_above": b.cheaper_above,
        "at_step": b.at_step,
    }


def round_figures(x):
    if isinstance(x, np.ndarray):
        return [float(f"{v:.6g}") for v in x.tolist()]
    return float(f"{x:.6g}")
