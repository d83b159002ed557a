"""Cost and latency engine: itemized monthly spend and latency of five architectures.

One vectorized pass over an array of query volumes computes every component of
every architecture (`compute`). `estimate` adds the low/high range, the figures
at the scenario's own volume, exact break-even volumes and the sensitivity
ranking. The formulas are documented, with their symbols, in docs/formulas.md.

The package, along its seams:
  costs     the core pass: monthly and one-time spend of each component, over an array of volumes
  latency   one request's latency parts, their p50/p95, and what closes a gap to the limit
  results   Series, Snapshot, BreakEven, Sensitivity and Estimate (with its JSON form)
  analysis  the volume grid, sensitivity ranking and exact break-evens
  comparison API versus self-hosted per architecture: break-evens, replica shapes, the cheapest feasible shape
  assemble  `estimate`, which prices a scenario and builds the Estimate
`planner.engine` exports what callers use: `estimate` and the `Estimate` it returns (with `Series`,
`Snapshot`, `BreakEven`), the one-pass pieces the read-outs and the verdicts reuse at many volumes, and the
labels of its parts. Anything else is imported from its module.
"""

from __future__ import annotations

from planner.engine.analysis import break_evens, sensitivity, step_points, volume_grid
from planner.engine.assemble import arch_series, estimate, long_context_misfit, with_serving_comparison
from planner.engine.costs import (
    SECONDS_PER_MONTH,
    cache_hit_share,
    corpus,
    elementwise_total,
    gpus_per_replica,
    monthly_components,
    monthly_totals,
    one_time_usd,
    sequences_per_replica,
)
from planner.engine.latency import closing_the_gap, combine_latency, erlang_c, first_token_latency, latency_parts
from planner.engine.results import BreakEven, Estimate, Series, Snapshot
from planner.inputs import build_inputs
from planner.scenario import ARCHITECTURES
from planner.vocabulary import COMPONENT_LABELS, LATENCY_LABELS, ONE_TIME_LABELS

__all__ = [
    "ARCHITECTURES",
    "COMPONENT_LABELS",
    "LATENCY_LABELS",
    "ONE_TIME_LABELS",
    "SECONDS_PER_MONTH",
    "BreakEven",
    "Estimate",
    "Series",
    "Snapshot",
    "arch_series",
    "break_evens",
    "build_inputs",
    "cache_hit_share",
    "closing_the_gap",
    "combine_latency",
    "corpus",
    "elementwise_total",
    "erlang_c",
    "estimate",
    "with_serving_comparison",
    "first_token_latency",
    "gpus_per_replica",
    "latency_parts",
    "long_context_misfit",
    "monthly_components",
    "monthly_totals",
    "one_time_usd",
    "sensitivity",
    "sequences_per_replica",
    "step_points",
    "volume_grid",
]
