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
  inputs    the flat `Inputs` record and `PriceUsed`; gather fills it from a catalog and a scenario
            (inputs_context: the LLM and context fields; vector_stores: one table of store billing shapes)
  serving_model, serving_fit   a replica from first principles; whether a stack can self-host, and why not
  caching, dated, knowledge, quality      prompt caching; prices by date; the knowledge base; measured quality
  lifecycle, in_house, provenance         catalog lifecycle; what leaves the house; where every input came from
`planner.engine` exports what callers use: `estimate` and the `Estimate` it returns (with `Series`,
`Snapshot`, `BreakEven`), `with_serving_comparison`, and the one-pass pieces the read-outs and the verdicts
reuse at many volumes. Anything else (tests, benchmarks) is imported from its module; the labels of the parts
live in `planner.model.vocabulary`.
"""

from __future__ import annotations

from planner.engine.analysis import step_points
from planner.engine.assemble import estimate, with_serving_comparison
from planner.engine.costs import corpus, elementwise_total, monthly_components
from planner.engine.gather import build_inputs
from planner.engine.latency import combine_latency, first_token_latency, latency_parts
from planner.engine.results import BreakEven, Estimate, Series, Snapshot

__all__ = [
    "BreakEven",
    "Estimate",
    "Series",
    "Snapshot",
    "build_inputs",
    "combine_latency",
    "corpus",
    "elementwise_total",
    "estimate",
    "first_token_latency",
    "latency_parts",
    "monthly_components",
    "step_points",
    "with_serving_comparison",
]
