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
  assemble  `estimate`, which prices a scenario and builds the Estimate
Everything is importable from `planner.engine` as before.
"""

from __future__ import annotations

from planner.engine.analysis import (
    SENSITIVITY_INPUTS,
    WIDEN_FACTOR,
    break_evens,
    sensitivity,
    step_points,
    volume_grid,
)
from planner.engine.assemble import arch_series, estimate, long_context_misfit
from planner.engine.costs import (
    ABSURD_REPLICAS,
    KNOWLEDGE_IN_PROMPT,
    SECONDS_PER_MONTH,
    USES_RETRIEVAL,
    USES_TUNED,
    cache_hit_share,
    candidates_retrieved,
    corpus,
    dedicated_replicas,
    elementwise_total,
    embed_batch_price,
    gpus_per_replica,
    knowledge_base_tokens,
    llm_usd_per_query,
    mean_input_tokens,
    monthly_components,
    monthly_totals,
    one_time_usd,
    prefix_tokens,
    prompt_tokens,
    replicas,
    rerank_searches_per_query,
    rerank_usd_per_query,
    sequences_per_replica,
    training_usd_per_run,
)
from planner.engine.latency import (
    FIRST_TOKEN_PARTS,
    closing_the_gap,
    combine_latency,
    erlang_c,
    first_token_latency,
    latency_parts,
)
from planner.engine.results import BreakEven, Estimate, Sensitivity, Series, Snapshot
from planner.inputs import Inputs, PriceUsed, build_inputs
from planner.latency_limits import MEASURE_LABELS, LatencyCheck, latency_limits, shown_measure
from planner.scenario import ARCHITECTURES, COLORS, LABELS
from planner.vocabulary import COMPONENT_LABELS, LATENCY_LABELS, ONE_TIME_LABELS

__all__ = [
    "erlang_c",
    "elementwise_total",
    "arch_series",
    "step_points",
    "ABSURD_REPLICAS",
    "ARCHITECTURES",
    "COLORS",
    "COMPONENT_LABELS",
    "FIRST_TOKEN_PARTS",
    "KNOWLEDGE_IN_PROMPT",
    "LABELS",
    "LATENCY_LABELS",
    "MEASURE_LABELS",
    "ONE_TIME_LABELS",
    "SECONDS_PER_MONTH",
    "SENSITIVITY_INPUTS",
    "USES_RETRIEVAL",
    "USES_TUNED",
    "WIDEN_FACTOR",
    "BreakEven",
    "Estimate",
    "Inputs",
    "LatencyCheck",
    "PriceUsed",
    "Sensitivity",
    "Series",
    "Snapshot",
    "break_evens",
    "build_inputs",
    "latency_limits",
    "shown_measure",
    "cache_hit_share",
    "candidates_retrieved",
    "closing_the_gap",
    "combine_latency",
    "corpus",
    "dedicated_replicas",
    "embed_batch_price",
    "estimate",
    "first_token_latency",
    "gpus_per_replica",
    "knowledge_base_tokens",
    "latency_parts",
    "llm_usd_per_query",
    "long_context_misfit",
    "mean_input_tokens",
    "monthly_components",
    "monthly_totals",
    "one_time_usd",
    "prefix_tokens",
    "prompt_tokens",
    "replicas",
    "rerank_searches_per_query",
    "rerank_usd_per_query",
    "sensitivity",
    "sequences_per_replica",
    "training_usd_per_run",
    "volume_grid",
]
