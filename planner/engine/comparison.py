"""API versus self-hosted, per architecture: the same engine run twice with `stack.serving` switched.

For each architecture `compare_serving` prices the scenario's stack through the API and on GPUs (the same
workload, prompts, retrieval and assumptions on both sides: only `stack.serving` differs), over the volume
grid; finds the volumes where the two monthly spends cross; reads the self-hosted replica shape at the
scenario's volume; and searches the catalog (every GPU that can serve × every precision) for the cheapest
shape that meets the latency limits. Pure: no streamlit. The JSON form is `serving_comparison` in the
estimate (docs/formulas.md, "API versus self-hosted").

`serving_figures` is the one place that reads the serving model's per-option figures (replicas, GPUs per
replica, sequences, throughput, utilization): when the serving model changes, only it follows.
"""

from __future__ import annotations

import dataclasses
import typing
from dataclasses import dataclass

import numpy as np

from planner.engine.costs import (
    monthly_components,
    monthly_totals,
    replicas,
    serving_point,
    utilization,
)
from planner.engine.gather import build_inputs
from planner.engine.inputs import Inputs
from planner.engine.latency import combine_latency, first_token_latency, latency_parts
from planner.engine.serving_fit import serving_gpus
from planner.model.scenario import ARCHITECTURES, Scenario, start_day
from planner.model.sections import Stack
from pricing.errors import UnknownEntryError
from pricing.models import Catalog

#: Precisions the search tries: every one a scenario can choose.
PRECISIONS: tuple[str, ...] = typing.get_args(Stack.model_fields["precision"].annotation)
#: Points of the fine volume grid the API / self-hosted crossings are looked for on, before bisection.
CROSSING_POINTS = 1000
SERVINGS = ("api", "self_hosted")
#: The estimate's own check of which options cannot run: (catalog, scenario, its inputs) → {option: reason}.
RuledOut = typing.Callable[[Catalog, Scenario, Inputs], dict[str, str]]


def rounded(x):
    """Six significant figures, as the estimate's JSON rounds."""
    if isinstance(x, np.ndarray):
        return [float(f"{v:.6g}") for v in x.tolist()]
    return float(f"{x:.6g}")


@dataclass(frozen=True)
class ReplicaShape:
    """How one architecture is served on GPUs at one volume."""

    gpu: str  # catalog key
    gpu_name: str
    precision: str
    gpus_per_replica: int
    replicas: int
    sequences_per_replica: int
    replica_tokens_per_second: float  # output tokens a second one replica delivers at its operating point
    sequence_tokens_per_second: float  # output tokens a second one sequence gets there
    utilization: float  # share of the replicas' throughput the load uses
    monthly_usd: float  # the whole architecture at this volume (GPUs and every other component)
    latency_p95_ms: float  # to the full answer
    first_token_p95_ms: float

    @property
    def gpus(self) -> int:
        return self.gpus_per_replica * self.replicas

    @property
    def headroom(self) -> float:
        """Share of the replicas' throughput left at peak."""
        return max(0.0, 1.0 - self.utilization)

    def describe(self) -> str:
        """ "4 × H100 SXM 80GB at fp8 (2 replicas × 2 GPUs)"."""
        return (
            f"{self.gpus:,} × {self.gpu_name} at {self.precision} "
            f"({self.replicas:,} {'replica' if self.replicas == 1 else 'replicas'} × {self.gpus_per_replica} "
            f"{'GPU' if self.gpus_per_replica == 1 else 'GPUs'})"
        )

    def to_dict(self) -> dict:
        return {
            "gpu": self.gpu,
            "gpu_name": self.gpu_name,
            "precision": self.precision,
            "gpus_per_replica": self.gpus_per_replica,
            "replicas": self.replicas,
            "gpus": self.gpus,
            "sequences_per_replica": self.sequences_per_replica,
            "replica_tokens_per_second": rounded(self.replica_tokens_per_second),
            "sequence_tokens_per_second": rounded(self.sequence_tokens_per_second),
            "utilization": rounded(self.utilization),
            "headroom": rounded(self.headroom),
            "monthly_usd": rounded(self.monthly_usd),
            "latency_p95_ms": rounded(self.latency_p95_ms),
            "first_token_p95_ms": rounded(self.first_token_p95_ms),
        }


class ServingFigures(typing.NamedTuple):
    """What the serving model says about one option over volumes (arrays over `q`, or one figure)."""

    replicas: np.ndarray
    gpus_per_replica: int
    sequences_per_replica: int
    replica_tokens_per_second: float  # output tokens a second one replica delivers at its operating point
    sequence_tokens_per_second: float  # output tokens a second one sequence gets there
    utilization: np.ndarray  # share of the replicas' throughput the load uses

    @property
    def gpus(self) -> np.ndarray:
        return self.replicas * self.gpus_per_replica


def serving_figures(i: Inputs, arch: str, q: np.ndarray) -> ServingFigures:
    """THE adapter: the serving model's per-option figures for `arch` at the volumes `q`, read in one place
    (`planner.engine.costs`: the option's serving point, its replicas and its utilization, the same figures
    as `at_queries_per_month`'s contract keys). When the serving model changes, only this follows."""
    sp = serving_point(i, arch)
    return ServingFigures(
        replicas=replicas(i, arch, q),
        gpus_per_replica=int(sp.gpus_per_replica),
        sequences_per_replica=int(sp.sequences),
        replica_tokens_per_second=sp.replica_tokens_per_second,
        sequence_tokens_per_second=sp.sequence_tokens_per_second,
        utilization=utilization(i, arch, q),
    )


def replica_shape(i: Inputs, arch: str, q_now: float, gpu: str, gpu_name: str, precision: str) -> ReplicaShape:
    """`arch` served on `gpu` at `precision` at the volume `q_now`: its figures, spend and latency."""
    q = np.array([q_now])
    f = serving_figures(i, arch, q)
    parts = latency_parts(i, arch, q)
    _, p95 = combine_latency(parts)
    _, f95 = first_token_latency(parts)
    return ReplicaShape(
        gpu=gpu,
        gpu_name=gpu_name,
        precision=precision,
        gpus_per_replica=f.gpus_per_replica,
        replicas=int(f.replicas[0]),
        sequences_per_replica=f.sequences_per_replica,
        replica_tokens_per_second=f.replica_tokens_per_second,
        sequence_tokens_per_second=f.sequence_tokens_per_second,
        utilization=float(f.utilization[0]),
        monthly_usd=float(sum(v[0] for v in monthly_components(i, arch, q).values())),
        latency_p95_ms=float(p95[0]),
        first_token_p95_ms=float(f95[0]),
    )


def latency_limits(s: Scenario) -> list[tuple[str, float]]:
    """The p95 limits a shape must meet, as (what it bounds, ms): "full_answer" or "first_token".

    `latency_target_p95_ms` (bounding what `latency_limit_applies_to` says: the full answer in a current file)
    and the separate first-token limit `first_token_target_p95_ms`, each when set."""
    out: list[tuple[str, float]] = []
    if s.latency_target_p95_ms is not None:
        out.append((str(s.latency_limit_applies_to), s.latency_target_p95_ms))
    if s.first_token_target_p95_ms is not None:  # the separate first-token limit
        out.append(("first_token", float(s.first_token_target_p95_ms)))
    return out


def _misses(shape: ReplicaShape, limits: list[tuple[str, float]]) -> str | None:
    for what, limit in limits:
        p95 = shape.first_token_p95_ms if what == "first_token" else shape.latency_p95_ms
        if p95 > limit:
            return f"p95 {p95:,.0f} ms to the {what.replace('_', ' ')} is above the {limit:,.0f} ms limit"
    return None


def _idle_misses(i: Inputs, arch: str, limits: list[tuple[str, float]]) -> str | None:
    """Why `arch` misses a limit even with no load (no queue: a lower bound of its latency at any volume),
    or None. Cheap: with no arrivals the queueing model has nothing to sum."""
    if not limits:
        return None
    parts = latency_parts(i, arch, np.zeros(1))
    _, p95 = combine_latency(parts)
    _, f95 = first_token_latency(parts)
    for what, limit in limits:
        ms = float((f95 if what == "first_token" else p95)[0])
        if ms > limit:
            return f"even unloaded, p95 {ms:,.0f} ms to the {what.replace('_', ' ')} is above the {limit:,.0f} ms limit"
    return None


@dataclass(frozen=True)
class ServingBreakEven:
    queries_per_month: float
    usd_per_month: float
    cheaper_below: str  # "api" or "self_hosted"
    cheaper_above: str
    at_step: bool  # at a jump of the self-hosted capacity (a replica added)

    def describe(self) -> str:
        name = {"api": "the API", "self_hosted": "self-hosting"}
        how = " (at a capacity step)" if self.at_step else ""
        return (
            f"{name[self.cheaper_below]} is cheaper below {self.queries_per_month:,.0f} queries/month, "
            f"{name[self.cheaper_above]} above{how}"
        )

    def to_dict(self) -> dict:
        return {
            "queries_per_month": rounded(self.queries_per_month),
            "usd_per_month": rounded(self.usd_per_month),
            "cheaper_below": self.cheaper_below,
            "cheaper_above": self.cheaper_above,
            "at_step": self.at_step,
        }


@dataclass(frozen=True)
class ArchitectureServing:
    """One architecture through the API and on GPUs."""

    arch: str
    api_usd: np.ndarray | None  # over the volume grid; None when the API side cannot run it
    self_hosted_usd: np.ndarray | None
    self_hosted_gpus: np.ndarray | None  # GPUs at each volume of the grid (replicas × GPUs per replica)
    api_reason: str | None  # why the API side cannot run it
    self_hosted_reason: str | None
    break_evens: tuple[ServingBreakEven, ...]
    api_monthly_usd: float | None  # at the scenario's volume
    self_hosted: ReplicaShape | None  # the scenario's GPU and precision, at its volume
    cheapest: ReplicaShape | None  # the cheapest shape in the catalog meeting the latency limits
    cheapest_reason: str | None  # why no shape was found

    def _replace_cheapest(self, shape: ReplicaShape | None, reason: str | None) -> ArchitectureServing:
        return dataclasses.replace(self, cheapest=shape, cheapest_reason=reason)

    @property
    def self_hosting_cheaper(self) -> bool | None:
        if self.self_hosted is None or self.api_monthly_usd is None:
            return None
        return self.self_hosted.monthly_usd < self.api_monthly_usd

    def to_dict(self) -> dict:
        return {
            "api_monthly_usd": None if self.api_usd is None else rounded(self.api_usd),
            "self_hosted_monthly_usd": None if self.self_hosted_usd is None else rounded(self.self_hosted_usd),
            "self_hosted_gpus": None if self.self_hosted_gpus is None else rounded(self.self_hosted_gpus),
            "api_ruled_out": self.api_reason,
            "self_hosted_ruled_out": self.self_hosted_reason,
            "break_evens": [b.to_dict() for b in self.break_evens],
            "at_queries_per_month": {
                "api_monthly_usd": None if self.api_monthly_usd is None else rounded(self.api_monthly_usd),
                "self_hosted": None if self.self_hosted is None else self.self_hosted.to_dict(),
                "self_hosting_cheaper": self.self_hosting_cheaper,
            },
            "cheapest_feasible_shape": None if self.cheapest is None else self.cheapest.to_dict(),
            "cheapest_feasible_shape_missing": self.cheapest_reason,
        }


@dataclass(frozen=True)
class ServingComparison:
    queries_per_month: float
    volumes: np.ndarray
    gpu: str  # the scenario's GPU and precision (the self-hosted side of the curves)
    precision: str
    latency_limits: tuple[tuple[str, float], ...]
    shapes_searched: int  # GPU × precision pairs tried
    architectures: dict[str, ArchitectureServing]

    def to_dict(self) -> dict:
        return {
            "queries_per_month": self.queries_per_month,
            "volumes_queries_per_month": rounded(self.volumes),
            "self_hosted_gpu": self.gpu,
            "self_hosted_precision": self.precision,
            "latency_limits_p95_ms": {what: ms for what, ms in self.latency_limits},
            "shapes_searched": self.shapes_searched,
            "architectures": {a: c.to_dict() for a, c in self.architectures.items()},
        }


def _switched(s: Scenario, **stack: str) -> Scenario:
    """`s` with stack fields switched (values the scenario allows: a serving, a GPU key, a precision)."""
    return s.model_copy(update={"stack": s.stack.model_copy(update=stack)})


def _side(catalog: Catalog, s: Scenario, ruled_out: RuledOut) -> tuple[Inputs | None, dict[str, str], str | None]:
    """One serving side: its inputs, the options it rules out, or why it cannot run at all."""
    try:
        i, _ = build_inputs(catalog, s, "value")
    except (UnknownEntryError, KeyError, ValueError, ArithmeticError) as exc:  # this side cannot be priced
        return None, {}, str(exc).strip("'\"")
    return i, ruled_out(catalog, s, i), None


def _crossings(api: Inputs, own: Inputs, arch: str, lo: float, hi: float) -> tuple[ServingBreakEven, ...]:
    """Volumes in [lo, hi] where the API and self-hosted monthly spend of `arch` cross (bisection)."""
    grid = np.geomspace(lo, hi, CROSSING_POINTS)

    def diff(q: np.ndarray) -> np.ndarray:
        return monthly_totals(api, q, (arch,))[arch] - monthly_totals(own, q, (arch,))[arch]

    d = diff(grid)
    s = np.sign(d)
    idx = np.nonzero(s[:-1] * s[1:] < 0)[0]
    if idx.size == 0:
        return ()
    left, right, s_left = grid[idx].copy(), grid[idx + 1].copy(), s[idx]
    for _ in range(60):
        if np.all(right - left <= left * 1e-7):
            break
        mid = np.sqrt(left * right)
        go_right = np.sign(diff(mid)) == s_left
        left, right = np.where(go_right, mid, left), np.where(go_right, right, mid)
    own_l, own_r = monthly_totals(own, left, (arch,))[arch], monthly_totals(own, right, (arch,))[arch]
    api_r = monthly_totals(api, right, (arch,))[arch]
    out = []
    for k in range(len(left)):
        below = "self_hosted" if s_left[k] > 0 else "api"  # d > 0: the API costs more
        out.append(
            ServingBreakEven(
                queries_per_month=float(right[k]),
                usd_per_month=float(api_r[k]),
                cheaper_below=below,
                cheaper_above="api" if below == "self_hosted" else "self_hosted",
                at_step=bool(abs(own_r[k] - own_l[k]) > 1e-6 * max(1.0, abs(own_l[k]))),
            )
        )
    return tuple(out)


def cheapest_shapes(
    catalog: Catalog, scenario: Scenario, ruled_out: RuledOut
) -> tuple[dict[str, ReplicaShape], dict[str, str], int]:
    """Per architecture, the cheapest GPU × precision × replica shape in the catalog that meets the latency
    limits at the scenario's volume (or why none does), and how many GPU × precision pairs were tried.

    Every pair is priced at the volume (cheap); the latency, which costs more, is computed in order of
    spend until a shape meets the limits: the first that does is the cheapest."""
    catalog = catalog.on(start_day(scenario))  # the prices in force, resolved once for every pair
    limits = latency_limits(scenario)
    q_now = scenario.workload.queries_per_month
    q = np.array([q_now])
    candidates: dict[str, list[tuple[float, str, str, Inputs]]] = {a: [] for a in ARCHITECTURES}
    tried = 0
    for gpu in serving_gpus(catalog):
        for precision in PRECISIONS:
            tried += 1
            s = _switched(scenario, serving="self_hosted", gpu=gpu, precision=precision)
            i, out, _ = _side(catalog, s, ruled_out)
            if i is None:
                continue
            archs = tuple(a for a in ARCHITECTURES if a not in out)
            for a, total in monthly_totals(i, q, archs).items():
                candidates[a].append((float(total[0]), gpu, precision, i))
    best: dict[str, ReplicaShape] = {}
    why: dict[str, str] = {}
    for a, rows in candidates.items():
        for _, gpu, precision, i in sorted(rows, key=lambda r: r[0]):
            idle = _idle_misses(i, a, limits)  # a shape that misses with no queue misses loaded too
            if idle is not None:
                why.setdefault(a, f"no GPU × precision in the catalog meets the latency limit (the cheapest: {idle})")
                continue
            shape = replica_shape(i, a, q_now, gpu, catalog.gpus[gpu].name, precision)
            miss = _misses(shape, limits)
            if miss is None:
                best[a] = shape
                break
            why.setdefault(a, f"no GPU × precision in the catalog meets the latency limit (the cheapest: {miss})")
    return best, why, tried


def compare_serving(
    catalog: Catalog, scenario: Scenario, volumes: np.ndarray, ruled_out: RuledOut
) -> ServingComparison:
    """API versus self-hosted for every architecture, from the one engine with `stack.serving` switched."""
    catalog = catalog.on(start_day(scenario))  # the prices in force on the horizon's first day, as the estimate
    sides = {sv: _side(catalog, _switched(scenario, serving=sv), ruled_out) for sv in SERVINGS}
    best, best_why, tried = cheapest_shapes(catalog, scenario, ruled_out)
    st = scenario.stack
    by_arch = {
        a: _architecture(catalog, scenario, a, volumes, sides["api"], sides["self_hosted"])._replace_cheapest(
            best.get(a),
            None if a in best else best_why.get(a) or _cannot_serve(sides["self_hosted"], a),
        )
        for a in ARCHITECTURES
    }
    return ServingComparison(
        scenario.workload.queries_per_month,
        volumes,
        st.gpu,
        st.precision,
        tuple(latency_limits(scenario)),
        tried,
        by_arch,
    )


Side = tuple[Inputs | None, dict[str, str], str | None]


def _cannot_serve(own_side: Side, a: str) -> str:
    """Why no shape was found for `a` when none was even tried: the scenario's self-hosted reason, if any."""
    _, out, cannot = own_side
    why = cannot or out.get(a)
    return f"self-hosted is ruled out ({why})" if why else "no GPU × precision in the catalog can serve this option"


def _architecture(catalog: Catalog, s: Scenario, a: str, volumes: np.ndarray, api_side: Side, own_side: Side):
    """One architecture through the API and on the scenario's GPU, over `volumes` and at the scenario's volume."""
    api, api_out, api_cannot = api_side
    own, own_out, own_cannot = own_side
    api_reason, own_reason = api_cannot or api_out.get(a), own_cannot or own_out.get(a)
    api_i = api if api_reason is None else None
    own_i = own if own_reason is None else None
    q_now = s.workload.queries_per_month
    lo, hi = float(np.min(volumes)), float(np.max(volumes))
    gpu_name = catalog.gpus[s.stack.gpu].name if s.stack.gpu in catalog.gpus else s.stack.gpu
    return ArchitectureServing(
        arch=a,
        api_usd=None if api_i is None else monthly_totals(api_i, volumes, (a,))[a],
        self_hosted_usd=None if own_i is None else monthly_totals(own_i, volumes, (a,))[a],
        self_hosted_gpus=None if own_i is None else serving_figures(own_i, a, volumes).gpus,
        api_reason=api_reason,
        self_hosted_reason=own_reason,
        break_evens=_crossings(api_i, own_i, a, lo, hi) if api_i is not None and own_i is not None else (),
        api_monthly_usd=None if api_i is None else float(monthly_totals(api_i, np.array([q_now]), (a,))[a][0]),
        self_hosted=None if own_i is None else replica_shape(own_i, a, q_now, s.stack.gpu, gpu_name, s.stack.precision),
        cheapest=None,
        cheapest_reason=None,
    )
