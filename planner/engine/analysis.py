"""Across volumes and inputs: the volume grid, the sensitivity ranking and the exact break-even volumes."""

from __future__ import annotations

import functools
import math

import numpy as np

from planner.engine.costs import clamp_share, monthly_totals, queries_per_replica_month
from planner.engine.inputs import Inputs
from planner.engine.results import BreakEven, Sensitivity
from planner.engine.vector_stores import STORE_SHAPES, sensitivity_labels
from planner.model.scenario import ARCHITECTURES, USES_RETRIEVAL, Scenario

#: When the scenario's own volume is outside its chart range, the grid is widened to this factor around it.
WIDEN_FACTOR = 3.0


def volume_grid(scenario: Scenario, volumes=None) -> np.ndarray:
    """The volumes every curve is computed at, the same for the app, the PDF, the CLI and the Python API.

    Given `volumes` (e.g. the CLI's --volumes): those, sorted, without duplicates. Otherwise `scenario.volumes.points`
    volumes spaced evenly on a log scale over the scenario's range, widened when the scenario's own volume lies
    outside it to cover [volume ÷ 3, volume × 3] as well, so the chart always shows the volume asked about."""
    if volumes is not None:
        return np.asarray(sorted(set(float(v) for v in volumes)), dtype=float)
    vr = scenario.volumes
    lo, hi = vr.min_queries_per_month, vr.max_queries_per_month
    q = scenario.workload.queries_per_month
    if q > 0 and not (lo <= q <= hi):  # the scenario's volume is off the chart: widen the grid around it
        lo, hi = min(lo, q / WIDEN_FACTOR), max(hi, q * WIDEN_FACTOR)
    return np.geomspace(lo, hi, vr.points)


# Inputs ranked by the sensitivity analysis, with the labels people read.
SENSITIVITY_INPUTS = {
    "queries_per_month": "Queries per month",
    "input_tokens_per_query": "Input tokens per query",
    "output_tokens_per_query": "Output tokens per query",
    "system_prompt_tokens": "System prompt tokens",
    "few_shot_tokens": "Few-shot example tokens",
    "top_k": "Chunks retrieved (top-k)",
    "chunk_tokens": "Chunk size (tokens)",
    "corpus_documents": "Corpus documents",
    "tokens_per_document": "Tokens per document",
    "retrieval_query_share": "Share of queries that retrieve",
    "rerank_candidates_per_query": "Rerank candidates per query",
    "batch_query_share": "Share of queries sent as batch",
    "cache_hit_share": "Prompt-cache hit share",
    "corpus_change_share_per_month": "Corpus share changing per month",
    "training_examples": "Training examples",
    "epochs": "Training epochs",
    "knowledge_retrains_per_month": "Knowledge retrains per month",
    "behavior_retrains_per_month": "Behaviour retrains per month",
    "peak_to_average_ratio": "Peak-to-average ratio",
    "llm_input_usd_per_1m_tokens": "LLM input price",
    "llm_output_usd_per_1m_tokens": "LLM output price",
    "llm_cached_input_usd_per_1m_tokens": "LLM cached-input price",
    "llm_batch_input_usd_per_1m_tokens": "LLM batch input price",
    "tuned_input_usd_per_1m_tokens": "Tuned-model input price",
    "tuned_output_usd_per_1m_tokens": "Tuned-model output price",
    "tuned_hosting_usd_per_hour": "Tuned-model hosting fee",
    "training_usd_per_1m_tokens": "Training price",
    "training_gpu_usd_per_hour": "Training GPU price",
    "embed_usd_per_1m_tokens": "Embedding price",
    "rerank_usd_per_1k_searches": "Rerank price",
    "rerank_usd_per_1m_tokens": "Rerank price per 1M tokens",
    "serving_gpu_usd_per_hour": "Serving GPU price",
}


def sensitivity(
    i: Inputs, delta: float = 0.25, archs: tuple[str, ...] = ARCHITECTURES
) -> dict[str, tuple[Sensitivity, ...]]:
    """Monthly spend at the scenario's volume with each input moved by ±delta, largest swing first."""
    q = np.array([i.queries_per_month])
    base = monthly_totals(i, q, archs)
    rows: dict[str, list[Sensitivity]] = {a: [] for a in archs}
    for name, label in (SENSITIVITY_INPUTS | sensitivity_labels(i)).items():  # then the store's own (its row)
        v = getattr(i, name)
        if v <= 0 or not math.isfinite(v):
            continue  # zero, unset (negative sentinel) or no tier (infinite)
        lo_i, hi_i = i.replace(**{name: v * (1 - delta)}), i.replace(**{name: v * (1 + delta)})
        if name == "chunk_tokens":  # chunks shrink and grow with their overlap, so the stride stays positive
            lo_i = lo_i.replace(chunk_overlap_tokens=i.chunk_overlap_tokens * (1 - delta))
            hi_i = hi_i.replace(chunk_overlap_tokens=i.chunk_overlap_tokens * (1 + delta))
        if name == "queries_per_month":
            lo = monthly_totals(i, q * (1 - delta), archs)
            hi = monthly_totals(i, q * (1 + delta), archs)
        else:
            lo, hi = monthly_totals(lo_i, q, archs), monthly_totals(hi_i, q, archs)
        for a in archs:
            if abs(hi[a][0] - lo[a][0]) > 1e-9:
                rows[a].append(Sensitivity(name, label, float(lo[a][0]), float(hi[a][0]), float(base[a][0])))
    return {a: tuple(sorted(r, key=lambda s: -s.swing_usd)) for a, r in rows.items()}


def step_points(i: Inputs, lo: float, hi: float, archs: tuple[str, ...] = ARCHITECTURES, cap: int = 5000) -> np.ndarray:
    """Volumes where a capacity step (a replica or an instance) is added, within [lo, hi]."""
    pts: list[float] = []
    if i.self_hosted:
        for arch in archs:
            per_replica = queries_per_replica_month(i, arch)
            if not math.isfinite(per_replica):
                continue  # no GPU work: always the minimum replicas
            k0 = max(1, math.floor(lo / per_replica))
            k1 = min(k0 + cap, math.ceil(hi / per_replica) + 1)
            pts.extend(k * per_replica for k in range(k0, k1))
    r = clamp_share(i.retrieval_query_share)
    store = STORE_SHAPES.get(i.vs_shape)
    if store is not None and store.queries_per_step and r > 0 and any(USES_RETRIEVAL[a] for a in archs):
        per_inst = store.queries_per_step(i, r)
        k0 = max(1, math.floor(lo / per_inst))
        k1 = min(k0 + cap, math.ceil(hi / per_inst) + 1)
        pts.extend(k * per_inst for k in range(k0, k1))
    p = np.asarray(pts, dtype=np.float64)
    return p[(p > lo) & (p < hi)]


def break_evens(
    i: Inputs, volumes: np.ndarray, totals: dict[str, np.ndarray], archs: tuple[str, ...] = ARCHITECTURES
) -> tuple[BreakEven, ...]:
    """Every volume where two architectures' monthly spend cross, found by bisection to 1e-10 relative."""
    lo, hi = float(volumes[0]), float(volumes[-1])
    steps = step_points(i, lo, hi, archs)
    if steps.size:
        # evaluate on both sides of every step so no crossing hides inside a jump
        grid = np.unique(np.concatenate([volumes, steps * (1 - 1e-12), steps * (1 + 1e-7)]))
        tot = monthly_totals(i, grid, archs)
    else:
        grid, tot = volumes, totals
    out = []
    pairs = [(a, b) for n, a in enumerate(archs) for b in archs[n + 1 :]]
    for a, b in pairs:
        d = tot[a] - tot[b]
        scale = np.maximum(np.abs(tot[a]), np.abs(tot[b])) * 1e-12 + 1e-12
        s = np.where(np.abs(d) <= scale, 0, np.sign(d))
        nz = np.nonzero(s)[0]
        flips = nz[:-1][s[nz[:-1]] * s[nz[1:]] < 0], nz[1:][s[nz[:-1]] * s[nz[1:]] < 0]
        exact = [(int(i0), int(j0)) for i0, j0 in zip(*flips, strict=True) if j0 > i0 + 1]  # equal on a grid volume
        for i0, _j0 in exact:
            x = float(grid[i0 + 1])
            cheaper_below = b if s[i0] > 0 else a
            out.append(BreakEven(a, b, x, float(tot[a][i0 + 1]), cheaper_below, a if cheaper_below == b else b, False))
        idx = np.array([i0 for i0, j0 in zip(*flips, strict=True) if j0 == i0 + 1], dtype=int)
        if idx.size == 0:
            continue
        left, right = grid[idx].copy(), grid[idx + 1].copy()
        s_left = s[idx]
        for _ in range(200):
            if np.all(right - left <= left * 1e-10):
                break
            mid = np.sqrt(left * right)
            t = monthly_totals(i, mid, (a, b))
            sm = np.sign(t[a] - t[b])
            go_right = sm == s_left
            left = np.where(go_right, mid, left)
            right = np.where(go_right, right, mid)
        tl, tr = monthly_totals(i, left, (a, b)), monthly_totals(i, right, (a, b))
        for k in range(len(left)):
            x = float(right[k])
            jump_a = abs(tr[a][k] - tl[a][k]) > 1e-6 * max(1.0, abs(tl[a][k]))
            jump_b = abs(tr[b][k] - tl[b][k]) > 1e-6 * max(1.0, abs(tl[b][k]))
            cheaper_below = b if s_left[k] > 0 else a
            out.append(
                BreakEven(
                    a=a,
                    b=b,
                    queries_per_month=x,
                    usd_per_month=float((tr[a][k] + tr[b][k]) / 2),
                    cheaper_below=cheaper_below,
                    cheaper_above=a if cheaper_below == b else b,
                    at_step=bool(jump_a or jump_b),
                )
            )
    return tuple(sorted(out, key=lambda x: x.queries_per_month))


@functools.lru_cache(maxsize=64)
def break_evens_cached(i: Inputs, volumes: bytes, archs: tuple[str, ...] = ARCHITECTURES) -> tuple[BreakEven, ...]:
    """Break-evens do not depend on the scenario's own volume: moving the volume slider reuses them."""
    q = np.frombuffer(volumes, dtype=float)
    return break_evens(i, q, monthly_totals(i, q, archs), archs)
