"""API versus self-hosted, in words and table rows: what the Serving page, the PDF and the CLI show.

Everything here reads the estimate's `serving_comparison` (planner.engine.comparison) and its `third_party`
components (planner.engine.in_house); the numbers are the engine's, formatted once for every surface.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.engine import Estimate
from planner.engine.comparison import ArchitectureServing, ReplicaShape
from planner.model import format as fmt
from planner.model.scenario import ARCHITECTURES
from planner.model.vocabulary import LABELS

SIDE = {"api": "API", "self_hosted": "self-hosted"}


@dataclass(frozen=True)
class ServingRow:
    """One architecture's line of the comparison, formatted."""

    key: str
    option: str
    api_usd: str
    self_hosted_usd: str
    gpus: str  # "4 × RunPod H100 SXM 80GB at bf16 (2 replicas × 2 GPUs)"
    utilization: str  # "49% (headroom 51%)"
    cheaper: str  # "API", "Self-hosted", or why there is no comparison
    break_even: str  # "self-hosting from 1.69M queries/month", …
    cheapest_shape: str  # the cheapest shape meeting the limits, or why none


def _said(names: list[str]) -> str:
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]


def shape_text(shape: ReplicaShape | None) -> str:
    return "—" if shape is None else shape.describe()


def utilization_text(shape: ReplicaShape | None) -> str:
    if shape is None:
        return "—"
    return f"{shape.utilization:.0%} (headroom {shape.headroom:.0%})"


def break_even_text(c: ArchitectureServing) -> str:
    """Where self-hosting and the API cross, in the chart's range, said from the self-hosting side."""
    if c.api_usd is None or c.self_hosted_usd is None:
        return "—"
    if not c.break_evens:
        lower = "self-hosting" if c.self_hosted_usd[-1] < c.api_usd[-1] else "the API"
        return f"none in the range: {lower} is cheaper throughout"
    parts = []
    for b in c.break_evens:
        at = fmt.count(b.queries_per_month)
        step = " (at a capacity step)" if b.at_step else ""
        if b.cheaper_above == "self_hosted":
            parts.append(f"self-hosting cheaper from {at} queries/month{step}")
        else:
            parts.append(f"the API cheaper from {at} queries/month{step}")
    return "; ".join(parts)


def cheaper_text(c: ArchitectureServing) -> str:
    if c.self_hosting_cheaper is None:
        side = "self-hosted" if c.self_hosted_reason else "through the API" if c.api_reason else ""
        return f"no comparison (ruled out {side})" if side else "no comparison"
    return "Self-hosted" if c.self_hosting_cheaper else "API"


def ruled_out_reasons(est: Estimate) -> list[str]:
    """Why a side cannot run an option, each reason once (the rows say only "ruled out")."""
    cmp_ = est.serving_comparison
    if cmp_ is None:
        return []
    found = [r for c in cmp_.architectures.values() for r in (c.api_reason, c.self_hosted_reason) if r]
    return list(dict.fromkeys(found))


def cheapest_text(c: ArchitectureServing) -> str:
    if c.cheapest is None and c.self_hosted_reason:
        return "— (self-hosted ruled out)"  # the reason is said once, below the rows
    if c.cheapest is None:
        return c.cheapest_reason or "—"
    return f"{c.cheapest.describe()}, {fmt.usd(c.cheapest.monthly_usd)}/month"


def serving_rows(est: Estimate) -> list[ServingRow]:
    """One row per architecture (those neither side can run left out)."""
    cmp_ = est.serving_comparison
    if cmp_ is None:
        return []
    rows = []
    for a in ARCHITECTURES:
        c = cmp_.architectures.get(a)
        if c is None or (c.api_usd is None and c.self_hosted_usd is None):
            continue
        own = c.self_hosted
        rows.append(
            ServingRow(
                key=a,
                option=LABELS[a],
                api_usd="—" if c.api_monthly_usd is None else fmt.usd(c.api_monthly_usd),
                self_hosted_usd="—" if own is None else fmt.usd(own.monthly_usd),
                gpus=shape_text(own) if own is not None else ("ruled out" if c.self_hosted_reason else "—"),
                utilization=utilization_text(own),
                cheaper=cheaper_text(c),
                break_even=break_even_text(c),
                cheapest_shape=cheapest_text(c),
            )
        )
    return rows


def headline(est: Estimate) -> str:
    """One sentence: at the scenario's volume, which options self-hosting wins and which the API wins."""
    rows = [r for r in serving_rows(est) if r.cheaper in ("API", "Self-hosted")]
    if not rows:
        return "No option can be compared: see why below."
    volume = fmt.count(est.scenario.workload.queries_per_month)
    own = [r.option for r in rows if r.cheaper == "Self-hosted"]
    api = [r.option for r in rows if r.cheaper == "API"]
    said = []
    if own:
        said.append(f"self-hosting is cheaper for {_said(own)}")
    if api:
        said.append(f"the API is cheaper for {_said(api)}")
    out = f"At {volume} queries a month, " + " and ".join(said) + "."
    if est.scenario.data_must_stay_in_house:
        out += " Data must stay in-house: the API side sends every query out, so it is shown for comparison only."
    return out


def limits_text(est: Estimate) -> str:
    cmp_ = est.serving_comparison
    if cmp_ is None or not cmp_.latency_limits:
        return "no latency limit (every shape qualifies; the cheapest is shown)"
    return ", ".join(f"p95 {fmt.ms(ms)} to the {what.replace('_', ' ')}" for what, ms in cmp_.latency_limits)


def serving_lines(est: Estimate) -> list[str]:
    """The comparison as plain text lines (the CLI table's section)."""
    cmp_ = est.serving_comparison
    if cmp_ is None:
        return []
    lines = [
        f"API versus self-hosted (self-hosted on {cmp_.gpu} at {cmp_.precision}; "
        f"the cheapest shape searched over {cmp_.shapes_searched} GPU × precision pairs, limits: {limits_text(est)}):",
        f"  {headline(est)}",
    ]
    for r in serving_rows(est):
        api = f"API {r.api_usd}/month" if r.api_usd != "—" else "API: ruled out"
        own = (
            f"self-hosted {r.self_hosted_usd}/month on {r.gpus}, utilization {r.utilization}"
            if r.self_hosted_usd != "—"
            else "self-hosted: ruled out"
        )
        lines.append(f"  {r.option}: {api}; {own}; cheaper: {r.cheaper}")
        lines.append(f"    break-even: {r.break_even}")
        lines.append(f"    cheapest shape meeting the limits: {r.cheapest_shape}")
    shown = set(est.ruled_out_reasons)  # said once above the table already
    lines += [f"  {why}" for why in ruled_out_reasons(est) if why not in shown]
    lines += third_party_lines(est)
    return lines


def third_party_lines(est: Estimate) -> list[str]:
    """Which components still send data out (always listed; flagged when the data must stay in-house)."""
    if not est.third_party:
        return ["  Every component of the stack runs in-house."]
    head = "Data must stay in-house, but these" if est.scenario.data_must_stay_in_house else "These"
    return [f"  {head} components send data to a third party:"] + [f"    {t.sentence()}" for t in est.third_party]
