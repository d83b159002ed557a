"""One call from files to answers: `analyze(paths, catalog, scenario, architecture)`.

Reads the files (`planner.traffic.read`), fits the workload (`planner.traffic.fit`), reprices and
reconciles (`planner.traffic.reprice`), and runs the existing estimate on the fitted scenario for every
architecture, with the round trip: the architecture and model the logs came from, estimated on the
fitted scenario, against the observed traffic priced at the same prices.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from planner.model.scenario import ARCHITECTURES, Scenario
from planner.traffic.fit import Fit, TrafficStats, apply_fit, fit_scenario, traffic_stats
from planner.traffic.read import LoadedFile, open_traffic
from planner.traffic.reprice import (
    LatencyRow,
    ReconcileRow,
    latency_rows,
    match_model,
    monthly_scale,
    reconcile,
    reprice,
)
from pricing.models import Catalog


@dataclass(frozen=True)
class RoundTrip:
    architecture: str
    llm: str
    observed_monthly_usd: float  # the observed traffic, every request priced at `llm`, scaled to a month
    estimate_monthly_usd: float  # the estimate's inference on the fitted scenario
    gap_pct: float

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass(frozen=True)
class TrafficAnalysis:
    files: list[LoadedFile]
    stats: TrafficStats
    fit: Fit
    fitted: Scenario  # the scenario with every fitted field applied
    reconciliation: list[ReconcileRow]
    latency: list[LatencyRow]
    monthly_by_architecture: dict[str, float]  # the estimate on the fitted scenario
    round_trip: RoundTrip | None
    round_trip_note: str


def analyze(
    paths, catalog: Catalog, scenario: Scenario, architecture: str = "prompt_only", progress=None
) -> TrafficAnalysis:
    """Everything the Import page, the CLI and the PDF show about the files. Raises `TrafficError`."""
    from planner.engine import estimate

    con, files = open_traffic([Path(p) for p in paths], progress=progress)
    try:
        stats = traffic_stats(con, files)
        key = next((k for m in stats.models if m.requests and (k := match_model(catalog, m.model))), None)
        fit = fit_scenario(stats, scenario, architecture, key)
        fitted = apply_fit(scenario, fit)
        rows = reconcile(con, stats, catalog)
        est = estimate(catalog, fitted)
        monthly = {a: est.current[a].monthly_usd for a in ARCHITECTURES if a in est.current}
        trip, note = None, ""
        if key is None:
            note = "no model of the logs is in the catalog: nothing to round-trip"
        elif fitted.stack.serving != "api":
            note = "the scenario serves on its own GPUs: the round trip compares API prices"
        elif architecture in ("fine_tuned", "hybrid") or architecture not in est.current:
            note = f"{architecture} is not priced on the logged model (a tuned model, or a prompt that does not fit)"
        else:
            observed = sum(reprice(con, catalog, {m.model: key for m in stats.models}).values())
            observed *= monthly_scale(stats)
            inference = est.current[architecture].components_usd.get("inference", 0.0)
            gap = (inference - observed) / observed * 100 if observed else 0.0
            trip = RoundTrip(architecture, key, observed, inference, gap)
        return TrafficAnalysis(files, stats, fit, fitted, rows, latency_rows(stats, catalog), monthly, trip, note)
    finally:
        con.close()
