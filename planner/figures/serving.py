"""API versus self-hosted: one architecture's monthly spend over volume served both ways, with the volumes
where they cross (planner.engine.comparison)."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from planner.engine import Estimate
from planner.figures.style import (
    BREAK_EVEN_TRACE,
    add_current_marker,
    base_layout,
    hover_usd,
    usd_axis,
    volume_axis,
    wrap_figure,
)
from planner.model import format as fmt
from planner.model.vocabulary import COLORS, LABELS

#: The two sides' trace names (tests and the page find them by these).
API_TRACE, SELF_HOSTED_TRACE = "API", "Self-hosted"


def serving_figure(est: Estimate, arch: str, height: int = 380) -> go.Figure:
    """Monthly spend of `arch` through the API (solid) and on GPUs (dashed) over the volume grid."""
    cmp_ = est.serving_comparison
    c = None if cmp_ is None else cmp_.architectures.get(arch)
    q = est.volumes
    data: list[dict] = []
    curves = [] if c is None else [(API_TRACE, c.api_usd, "solid"), (SELF_HOSTED_TRACE, c.self_hosted_usd, "dash")]
    for name, y, dash in curves:
        if y is None:
            continue
        data.append(
            dict(
                type="scatter",
                mode="lines",
                name=name,
                x=q,
                y=y,
                line=dict(color=COLORS[arch], width=2.5, dash=dash, shape="hv" if dash == "dash" else "linear"),
                customdata=hover_usd(y),
                hovertemplate=f"{name}: %{{customdata}}/month<extra></extra>",
            )
        )
    shown = [y for _, y, _ in curves if y is not None]
    lo = min(float(np.min(y)) for y in shown) if shown else 1.0
    hi = max(float(np.max(y)) for y in shown) if shown else 10.0
    if c is not None and c.break_evens:
        data.append(
            dict(
                type="scatter",
                mode="markers",
                name=BREAK_EVEN_TRACE,
                x=[b.queries_per_month for b in c.break_evens],
                y=[b.usd_per_month for b in c.break_evens],
                marker=dict(size=10, color="white", line=dict(color=COLORS[arch], width=2)),
                customdata=[f"{fmt.count(b.queries_per_month)} queries/month: {b.describe()}" for b in c.break_evens],
                hovertemplate="%{customdata}<extra></extra>",
            )
        )
    layout = base_layout(
        height,
        title=dict(text=f"{LABELS[arch]}: API or self-hosted", x=0, font=dict(size=14)),
        xaxis=volume_axis(q),
        yaxis=usd_axis(max(lo, 1e-2), max(hi, lo * 1.01, 1e-2), log=True, title="Monthly spend"),
    )
    add_current_marker(layout, est.scenario.workload.queries_per_month, q)
    return wrap_figure(data, layout)
