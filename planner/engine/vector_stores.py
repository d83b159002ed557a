"""Vector-store billing shapes, each declared once: the catalog class, the fields it prices and its cost function.

A shape's `prices` are catalog figures copied into the `Inputs` field `vs_<name>` (optional ones, absent in
the catalog entry, stay 0); its `throughputs` are figures whose low-cost end is the high figure; its
`constants` are plain numbers copied as they are. Every other `vs_*` field keeps its neutral value (0 for a price
or a constant, 1 for a throughput, or the row's `neutral`; `VS_DEFAULTS` gathers them from the rows). A row also
owns its shape's policies: its capacity step (`queries_per_step`, for the break-even search) and the inputs the
sensitivity analysis moves (`sensitivity`). Adding a shape means one `StoreShape` here and, for a new field, its
`vs_*` field in `planner.engine.inputs.Inputs` (tests/test_engine_retrieval.py checks the two agree).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from pricing.retrieval import Capacity, PerDimension, PineconeServerless, UsageBased

if TYPE_CHECKING:
    from planner.engine.inputs import Inputs

SECONDS_PER_MONTH = 730 * 3600.0

CostFn = Callable[["Inputs", np.ndarray, dict], tuple[np.ndarray, float]]


@dataclass(frozen=True)
class StoreShape:
    model: type
    prices: tuple[str, ...]  # Figure fields, priced at the chosen end ("value", "low", "high")
    throughputs: tuple[str, ...]  # Figure fields whose low-cost end is the high figure
    constants: tuple[str, ...]  # plain numbers
    cost: CostFn  # (monthly USD over volume q, one-time write cost of the first index)
    #: (inputs, share of queries that retrieve) -> queries a month each added instance carries (a capacity step
    #: the break-even search looks on both sides of); None: the store bills no capacity steps
    queries_per_step: Callable[[Inputs, float], float] | None = None
    #: the shape's fields the sensitivity analysis moves ±25 %, with the label people read (in ranking order)
    sensitivity: Mapping[str, str] = field(default_factory=dict)
    #: the value a field of this shape takes in `Inputs` when another shape is chosen, where not 0 (a price, a
    #: plain number) or 1 (a throughput): never read by the other shape's cost, only kept finite and harmless
    neutral: Mapping[str, float] = field(default_factory=dict)

    def neutral_inputs(self) -> dict[str, float]:
        """The `vs_*` inputs of this shape at their neutral values."""
        out = {f"vs_{f}": 0.0 for f in self.prices + self.constants}
        out |= {f"vs_{f}": 1.0 for f in self.throughputs}
        return out | {f"vs_{f}": v for f, v in self.neutral.items()}


def _pinecone_serverless(i: Inputs, q: np.ndarray, c: dict) -> tuple[np.ndarray, float]:
    gb = c["stored_gb"]
    wu_per_vector = math.ceil(c["record_bytes"] / 1024) * i.vs_write_units_per_kb
    ru_per_query = max(i.vs_min_read_units_per_query, gb * i.vs_read_units_per_gb_per_query)
    storage = gb * i.vs_usd_per_gb_month
    reads = q * ru_per_query * i.vs_usd_per_1m_read_units / 1e6
    writes = c["vectors"] * i.corpus_change_share_per_month * wu_per_vector * i.vs_usd_per_1m_write_units / 1e6
    initial = c["vectors"] * wu_per_vector * i.vs_usd_per_1m_write_units / 1e6
    return np.maximum(i.vs_usd_minimum_per_month, storage + reads + writes), initial


def _per_dimension(i: Inputs, q: np.ndarray, c: dict) -> tuple[np.ndarray, float]:
    usage = (
        c["vectors"] * i.embed_dimensions / 1e6 * i.vs_usd_per_1m_dimensions_month
        + c["stored_gb"] * i.vs_usd_per_gb_month
    )
    return np.maximum(i.vs_usd_minimum_per_month, np.full_like(q, usage)), 0.0


def _usage_based(i: Inputs, q: np.ndarray, c: dict) -> tuple[np.ndarray, float]:
    gb = c["stored_gb"]
    storage = gb * i.vs_usd_per_gb_month
    writes = gb * i.corpus_change_share_per_month * i.vs_usd_per_gb_written
    scanned = q * gb / 1000 * i.vs_usd_per_tb_scanned
    n = max(i.rerank_candidates_per_query, i.top_k) if i.rerank else i.top_k  # records returned: rerank candidates
    returned = q * n * c["record_bytes"] / 1e9 * i.vs_usd_per_gb_returned
    return np.maximum(i.vs_usd_minimum_per_month, storage + writes + scanned + returned), gb * i.vs_usd_per_gb_written


def _capacity(i: Inputs, q: np.ndarray, c: dict) -> tuple[np.ndarray, float]:
    gb = c["stored_gb"]
    by_memory = math.ceil(gb * i.vs_index_overhead / i.vs_memory_gb_per_instance - 1e-9)
    peak_qps = q / SECONDS_PER_MONTH * i.peak_to_average_ratio
    by_load = np.ceil(peak_qps / i.vs_max_queries_per_second - 1e-9)
    instances = np.maximum(max(i.vs_min_instances, by_memory), by_load)
    return instances * i.vs_usd_per_hour * i.hours_per_month + gb * i.vs_usd_per_gb_month, 0.0


def _capacity_step(i: Inputs, r: float) -> float:
    return i.vs_max_queries_per_second * SECONDS_PER_MONTH / (i.peak_to_average_ratio * r)


STORE_SHAPES: dict[str, StoreShape] = {
    "pinecone_serverless": StoreShape(
        model=PineconeServerless,
        prices=("usd_per_gb_month", "usd_per_1m_read_units", "usd_per_1m_write_units", "usd_minimum_per_month"),
        throughputs=(),
        constants=("read_units_per_gb_per_query", "min_read_units_per_query", "write_units_per_kb"),
        cost=_pinecone_serverless,
        sensitivity={
            "usd_per_gb_month": "Vector store storage price",
            "usd_per_1m_read_units": "Vector store read-unit price",
            "usd_per_1m_write_units": "Vector store write-unit price",
            "usd_minimum_per_month": "Vector store plan minimum",
        },
    ),
    "per_dimension": StoreShape(
        model=PerDimension,
        prices=("usd_per_1m_dimensions_month", "usd_minimum_per_month", "usd_per_gb_month"),
        throughputs=(),
        constants=(),
        cost=_per_dimension,
        sensitivity={
            "usd_per_gb_month": "Vector store storage price",
            "usd_per_1m_dimensions_month": "Vector store price per dimension",
            "usd_minimum_per_month": "Vector store plan minimum",
        },
    ),
    "usage_based": StoreShape(
        model=UsageBased,
        prices=(
            "usd_per_gb_written",
            "usd_per_gb_month",
            "usd_per_tb_scanned",
            "usd_per_gb_returned",
            "usd_minimum_per_month",
        ),
        throughputs=(),
        constants=(),
        cost=_usage_based,
        sensitivity={
            "usd_per_gb_month": "Vector store storage price",
            "usd_per_tb_scanned": "Vector store scan price",
            "usd_minimum_per_month": "Vector store plan minimum",
        },
    ),
    "capacity": StoreShape(
        model=Capacity,
        prices=("usd_per_hour", "usd_per_gb_month"),
        throughputs=("max_queries_per_second",),
        constants=("memory_gb_per_instance", "index_overhead", "min_instances"),
        cost=_capacity,
        queries_per_step=_capacity_step,
        sensitivity={"usd_per_gb_month": "Vector store storage price", "usd_per_hour": "Vector store instance price"},
        neutral={"memory_gb_per_instance": 1.0, "index_overhead": 1.0},
    ),
}

#: Every `vs_*` input of every shape at its neutral value: an estimate starts from these and fills in the
#: chosen shape's own.
VS_DEFAULTS: dict[str, float] = {k: v for shape in STORE_SHAPES.values() for k, v in shape.neutral_inputs().items()}


def sensitivity_labels(i: Inputs) -> dict[str, str]:
    """The chosen store's inputs the sensitivity analysis moves, keyed by `Inputs` field, with their labels."""
    shape = STORE_SHAPES.get(i.vs_shape)
    return {f"vs_{f}": label for f, label in shape.sensitivity.items()} if shape is not None else {}


def vector_store_usd(i: Inputs, q: np.ndarray, c: dict) -> tuple[np.ndarray, float]:
    """(monthly spend over volume, one-time write cost of the first index) in the store's billing shape."""
    shape = STORE_SHAPES.get(i.vs_shape)
    if shape is None:
        raise ValueError(f"unknown vector store billing shape {i.vs_shape!r}")
    return shape.cost(i, q, c)
