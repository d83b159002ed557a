"""The spend curve: monthly spend over query volume with ranges, break-evens, the budget and the
scenario's own volume (`spend_figure`)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

from planner.engine import Estimate, Series
from planner.figures.style import (
    BREAK_EVEN_TRACE,
    BUDGET_SHAPE,
    add_current_marker,
    base_layout,
    figure_spec,
    hline,
    hover_usd,
    positive,
    to_rgba,
    usd_axis,
    volume_axis,
    wrap_figure,
)
from planner.model import format as fmt
from planner.model.vocabulary import COLORS, COMPONENT_LABELS, LABELS, MUTED

#: The name of the spend figure's trace of markers at the scenario's own volume (`at_volume_trace`).
AT_VOLUME_TRACE = "At your volume"


def components_used(est: Estimate, arch: str) -> list[str]:
    """The cost components that are not zero everywhere for one architecture."""
    comps = est.series[arch].components_usd
    return [k for k in COMPONENT_LABELS if np.any(comps[k] > 0)]


def spend_figure(est: Estimate, *, bands: bool = True, height: int = 460) -> go.Figure:
    """Monthly spend over query volume (log–log): one line per architecture with its
    low–high band, break-even points, the budget and the scenario's own volume.
    Hovering a line shows the spend by component at that volume."""
    return wrap_figure(*_spend_parts(est, bands, height))


def spend_spec(est: Estimate) -> dict:
    """`spend_figure(est)`'s JSON (as `to_plotly_json` gives it), built without wrapping the figure."""
    return figure_spec(*_spend_parts(est, True, 460))


def spend_range(est: Estimate) -> tuple[float, float]:
    """The lowest and highest spend the chart shows (every curve and band, and the budget), in USD a month."""
    series = [est.series[a] for a in est.priced]
    every = np.concatenate([np.ravel(x) for s in series for x in (s.low_usd, s.high_usd, s.total_usd)])
    every = every[every > 0]
    y_lo = float(every.min()) if every.size else 0.01
    y_hi = float(every.max()) if every.size else 1.0
    budget = est.scenario.monthly_budget_usd
    if budget:
        y_lo, y_hi = min(y_lo, budget), max(y_hi, budget)
    return y_lo, y_hi


def spend_floor(est: Estimate) -> float:
    """Where the chart draws zero: a tenth of the lowest spend it shows (log axes cannot show zero)."""
    return spend_range(est)[0] / 10


def _spend_parts(est: Estimate, bands: bool, height: int) -> tuple[list[dict], dict]:
    v = est.volumes
    series = [est.series[a] for a in est.priced]
    y_lo, y_hi = spend_range(est)
    budget = est.scenario.monthly_budget_usd
    floor = spend_floor(est)
    data: list[dict] = _band_traces(series, v, floor) if bands else []
    data += [_spend_trace(est, s, floor) for s in series]
    be = _break_even_trace(est, floor)
    if be:
        data.append(be)
    layout = base_layout(
        height,
        xaxis=volume_axis(v),
        yaxis=usd_axis(y_lo, y_hi, log=True, title="Monthly spend (USD)"),
    )
    q = est.scenario.workload.queries_per_month
    if v[0] <= q <= v[-1]:
        data.append(at_volume_trace(est.priced, {a: est.current[a].monthly_usd for a in est.priced}, q, floor))
    add_current_marker(layout, q, v)
    _break_even_labels(layout, est, floor, y_lo, y_hi)
    _ruled_out_note(layout, est)
    if budget:
        hline(layout, data, budget, BUDGET_SHAPE, f"Budget {fmt.usd(budget)}/month")
    return data, layout


def _band_traces(series: list[Series], v: np.ndarray, floor: float) -> list[dict]:
    """Each architecture's low–high band: one closed polygon (high forward, low back), thinned to ≤ ~200 points."""
    n = len(v)
    idx = np.unique(np.r_[np.arange(0, n, max(1, math.ceil(n / 100))), n - 1])
    data = []
    for s in series:
        if np.allclose(s.low_usd, s.high_usd):
            continue
        data.append(
            dict(
                type="scatter",
                mode="lines",
                name=f"{s.label} range",
                legendgroup=s.key,
                showlegend=False,
                x=np.r_[v[idx], v[idx][::-1]],
                y=np.r_[positive(s.high_usd[idx], floor), positive(s.low_usd[idx][::-1], floor)],
                fill="toself",
                fillcolor=to_rgba(s.color, 0.13),
                line=dict(width=0),
                hoverinfo="skip",
            )
        )
    return data


def _spend_trace(est: Estimate, s: Series, floor: float) -> dict:
    """One architecture's spend line; its hover lists the spend by component at that volume."""
    comps = components_used(est, s.key)
    cols = [s.total_usd, s.low_usd, s.high_usd] + [s.components_usd[k] for k in comps]
    lines = "".join(f"<br>· {COMPONENT_LABELS[k]}: %{{customdata[{3 + j}]}}" for j, k in enumerate(comps))
    return dict(
        type="scatter",
        mode="lines",
        name=s.label,
        legendgroup=s.key,
        x=est.volumes,
        y=positive(s.total_usd, floor),
        line=dict(color=s.color, width=2.5),
        # each point's money preformatted in the app's one format (planner.model.format.usd), one column per figure
        customdata=np.column_stack([hover_usd(c) for c in cols]),
        hovertemplate=(
            f"<b>{s.label}</b> at %{{x:,.0f}} queries/month<br>"
            "<b>%{customdata[0]}/month</b> (range %{customdata[1]}–%{customdata[2]})"
            f"{lines}<extra></extra>"
        ),
    )


def at_volume_trace(priced: Sequence[str], monthly_usd: Mapping[str, float], q: float, floor: float) -> dict:
    """A marker per priced architecture at the volume `q`, where it spends `monthly_usd[a]` a month (drawn no
    lower than `floor`); the trace is named `AT_VOLUME_TRACE`."""
    return dict(
        type="scatter",
        mode="markers",
        name=AT_VOLUME_TRACE,
        showlegend=False,
        x=[q] * len(priced),
        y=[max(monthly_usd[a], floor) for a in priced],
        marker=dict(color=[COLORS[a] for a in priced], size=9, line=dict(color="white", width=1)),
        text=[f"{LABELS[a]}: {fmt.usd(monthly_usd[a])}/month" for a in priced],
        hovertemplate="%{text}<extra>your volume</extra>",
    )


def _ruled_out_note(layout: dict, est: Estimate) -> None:
    """Say on the chart which architecture has no curve, and why (e.g. the knowledge does not fit)."""
    for n, reason in enumerate(est.ruled_out_reasons):
        layout.setdefault("annotations", []).append(
            dict(
                text=reason if len(reason) <= 110 else reason[:107] + "…",
                xref="paper",
                yref="paper",
                x=0.01,
                y=0.99 - 0.06 * n,
                xanchor="left",
                yanchor="top",
                showarrow=False,
                font=dict(size=11, color=MUTED),
                bgcolor="rgba(255,255,255,0.8)",
            )
        )


def break_evens_in_range(est: Estimate) -> list:
    return [b for b in est.break_evens if est.volumes[0] <= b.queries_per_month <= est.volumes[-1]]


def _break_even_trace(est: Estimate, floor: float) -> dict | None:
    bes = break_evens_in_range(est)
    if not bes:
        return None
    return dict(
        type="scatter",
        mode="markers",
        name=BREAK_EVEN_TRACE,
        x=[b.queries_per_month for b in bes],
        y=[max(b.usd_per_month, floor) for b in bes],
        marker=dict(symbol="diamond", size=11, color="rgba(0,0,0,0)", line=dict(color=MUTED, width=2)),
        hovertext=[f"{b.describe()} ({fmt.usd(b.usd_per_month)}/month)" for b in bes],
        hovertemplate="%{hovertext}<extra>break-even</extra>",
    )


#: Break-even labels are drawn only when they cannot collide or be cut off: at most this many,
LABEL_MAX = 3
#: at least this far apart and from the plot's left and right edges (in decades of volume),
LABEL_GAP_DECADES = 0.45
LABEL_EDGE_DECADES = 0.35
#: and this far from the top and bottom (in decades of spend). Otherwise they live in the markers'
#: hover and in the break-even table under the chart.
LABEL_EDGE_Y_DECADES = 0.25


def break_even_labels_fit(est: Estimate, y_lo: float, y_hi: float) -> bool:
    """True when every break-even in range can carry a label with no overlap and no clipping."""
    bes = break_evens_in_range(est)
    if not bes or len(bes) > LABEL_MAX:
        return False
    xs = sorted(math.log10(b.queries_per_month) for b in bes)
    x0, x1 = math.log10(est.volumes[0]), math.log10(est.volumes[-1])
    if xs[0] - x0 < LABEL_EDGE_DECADES or x1 - xs[-1] < LABEL_EDGE_DECADES:
        return False
    if any(b - a < LABEL_GAP_DECADES for a, b in zip(xs, xs[1:], strict=False)):
        return False
    lo, hi = math.log10(max(y_lo, 1e-12)), math.log10(max(y_hi, 1e-12))
    return all(
        lo + LABEL_EDGE_Y_DECADES <= math.log10(max(b.usd_per_month, 1e-12)) <= hi - LABEL_EDGE_Y_DECADES for b in bes
    )


def _break_even_labels(layout: dict, est: Estimate, floor: float, y_lo: float, y_hi: float) -> None:
    """A label with an arrow for each break-even, alternating above and below the lines, only when they fit."""
    bes = break_evens_in_range(est)
    if not break_even_labels_fit(est, y_lo, y_hi):
        return
    for n, b in enumerate(bes):
        layout["annotations"].append(
            dict(
                x=math.log10(b.queries_per_month),
                y=math.log10(max(b.usd_per_month, floor)),
                xref="x",
                yref="y",
                text=f"{LABELS[b.a]} = {LABELS[b.b]}<br>at {fmt.count(b.queries_per_month)}/month",
                showarrow=True,
                arrowhead=0,
                arrowwidth=1,
                arrowcolor=MUTED,
                ax=0,
                ay=-46 if n % 2 == 0 else 46,
                font=dict(size=11, color=MUTED),
                name=BREAK_EVEN_TRACE,
            )
        )
