"""Every output format of an `Estimate`, in one place: JSON, CSV and the text table.

The command line prints them (`estimate --format json|csv|table`) and the Costs page offers the
CSV for download; the PDF (`planner.report`) and the charts (`planner.figures`) draw the same
`Estimate`. The JSON is the stable form documented in docs/formulas.md ("JSON output"): its
dictionary is `Estimate.to_dict`.
"""

from __future__ import annotations

import csv
import io
import json

from planner.engine import Estimate
from planner.engine.provenance import assumptions, provenance
from planner.model import format as fmt
from planner.model.latency_limits import MEASURE_LABELS, latency_limits
from planner.model.scenario import Scenario
from planner.model.vocabulary import COMPONENT_LABELS, LABELS
from planner.presentation.serving_view import serving_lines
from planner.quality import text as quality_text
from pricing.models import Catalog


def json_text(est: Estimate, catalog: Catalog | None = None, preset: Scenario | None = None) -> str:
    """The stable JSON form, indented (no trailing newline); with the catalog, `provenance` and `assumptions`
    (`preset`: the preset the scenario came from, whose unchanged values are the preset's)."""
    doc = est.to_dict()
    if catalog is not None:
        doc |= provenance_dict(est, catalog, preset)
    return json.dumps(doc, indent=2)


def provenance_dict(est: Estimate, catalog: Catalog, preset: Scenario | None = None) -> dict:
    """The `provenance` and `assumptions` keys of the estimate's JSON (docs/formulas.md)."""
    return {
        "provenance": [p.to_dict() for p in provenance(est.scenario, est, preset)],
        "assumptions": [a.to_dict() for a in assumptions(catalog, est.scenario, est, preset)],
    }


def assumptions_lines(est: Estimate, catalog: Catalog, limit: int = 8) -> list[str]:
    """The assumed values that move the result, largest first, each with what sets it (text)."""
    rows = assumptions(catalog, est.scenario, est)
    if not rows:
        return []
    months = est.scenario.horizon_months
    lines = [f"Assumed values that move the result (spend over {months} months at half and twice the value):"]
    for a in rows[:limit]:
        lines.append(
            f"  {a.field} = {_num(a.value)} ({_num(a.low_value)} to {_num(a.high_value)}): "
            f"{LABELS[a.option]} {fmt.usd(a.low_usd)} to {fmt.usd(a.high_usd)} (set it: {a.control})"
        )
    if len(rows) > limit:
        lines.append(f"  … and {len(rows) - limit} more (--format json lists them all)")
    return lines


def _num(x: float) -> str:
    return f"{x:,.4g}" if abs(x) < 1000 else f"{x:,.0f}"


def measured_lines(est: Estimate) -> list[str]:
    """The numbers measured from the user's inputs rather than given: the prompt-cache hit share (API)."""
    if est.scenario.workload.cache_hit_share is not None or est.scenario.stack.serving == "self_hosted":
        return []
    shares = "; ".join(f"{c.label} {c.cache_hit_share:.1%}" for c in est.current.values())
    return [
        "Prompt-cache hit share, measured from your traffic and each model's cache lifetime (set it: "
        f"workload.cache_hit_share): {shares}"
    ]


def _spend_over_volume(est: Estimate) -> list[str]:
    """The spend table over a few volumes (the CLI's --volumes), or nothing for a long grid."""
    if len(est.volumes) > 12:
        return []
    lines = [
        "",
        "Monthly spend over volume:",
        f"{'Queries/month':>14}" + "".join(f"{LABELS[a]:>13}" for a in est.priced),
    ]
    for k, v in enumerate(est.volumes):
        lines.append(f"{fmt.count(v):>14}" + "".join(f"{fmt.usd(est.series[a].total_usd[k]):>13}" for a in est.priced))
    return lines


def table_text(est: Estimate, catalog: Catalog | None = None) -> str:
    s = est.scenario
    lines = [
        f"Scenario: {s.name} — {fmt.count(s.workload.queries_per_month)} queries/month "
        f"(catalog {est.catalog_version}, {est.catalog_date})",
        "",
        f"{'Architecture':<13}{'Monthly':>11}{'Range':>21}{'Per 1K q':>10}{'p50':>9}{'p95':>9}"
        f"{'One-time':>11}{f'TCO {s.horizon_months} mo':>12}",
    ]
    for a in est.priced:
        c = est.current[a]
        rng = f"{fmt.usd(c.monthly_low_usd)}–{fmt.usd(c.monthly_high_usd)}"
        lines.append(
            f"{c.label:<13}{fmt.usd(c.monthly_usd):>11}{rng:>21}{fmt.usd(c.usd_per_1k_queries):>10}"
            f"{fmt.ms(c.latency_p50_ms):>9}{fmt.ms(c.latency_p95_ms):>9}{fmt.usd(c.one_time_total_usd):>11}{fmt.usd(c.tco_usd):>12}"
        )
    lines += [f"  {reason}" for reason in est.ruled_out_reasons]
    lines += ["", "Latency at this volume, p50 / p95 (time to the first token; to the full answer):"]
    for a in est.priced:
        c = est.current[a]
        lines.append(
            f"  {c.label}: first token {fmt.ms(c.first_token_p50_ms)} / {fmt.ms(c.first_token_p95_ms)}; "
            f"full answer {fmt.ms(c.latency_p50_ms)} / {fmt.ms(c.latency_p95_ms)}"
        )
    limits = latency_limits(s)
    if limits:
        said = "; ".join(f"p95 {fmt.ms(v)} to the {MEASURE_LABELS[m]}" for m, v in limits.items())
        lines.append(f"  Limits: {said}")
        for a in est.priced:
            advice = est.latency_gap_advice(a)
            if advice:
                lines.append(f"  {LABELS[a]}: {advice}")
    lines += ["", "Monthly spend by component at this volume:"]
    for a in est.priced:
        parts = [f"{COMPONENT_LABELS[k]} {fmt.usd(v)}" for k, v in est.current[a].components_usd.items() if v > 0]
        lines.append(f"  {LABELS[a]}: " + ("; ".join(parts) or "nothing"))
    lines += ["", "Break-even volumes:"]
    lines += [f"  {fmt.count(b.queries_per_month)} queries/month: {b.describe()}" for b in est.break_evens] or [
        "  none in the range"
    ]
    lines += _spend_over_volume(est) + ["", *serving_lines(est)]
    if est.quality is not None:
        monthly = {a: est.current[a].monthly_usd for a in est.priced}
        lines += ["", *quality_text.table_lines(est.quality, monthly, s.horizon_months)]
    if est.warnings:
        lines += ["", "Warnings:"] + [f"  {w}" for w in est.warnings]
    if measured := measured_lines(est):
        lines += ["", *measured]
    if catalog is not None and (more := assumptions_lines(est, catalog)):
        lines += ["", *more]
    return "\n".join(lines)


def csv_text(est: Estimate) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    comps = list(COMPONENT_LABELS)
    w.writerow(
        [
            "queries_per_month",
            "architecture",
            "monthly_usd",
            "monthly_low_usd",
            "monthly_high_usd",
            "usd_per_1k_queries",
            "latency_p50_ms",
            "latency_p95_ms",
        ]
        + [f"{c}_usd" for c in comps]
        + ["api_monthly_usd", "self_hosted_monthly_usd", "self_hosted_gpus"]  # the option through the API, on GPUs
    )
    sc = est.serving_comparison.architectures if est.serving_comparison is not None else {}

    def side(a: str, which: str, k: int) -> str:
        c = sc.get(a)
        curve = None if c is None else getattr(c, which)
        return "" if curve is None else f"{curve[k]:.6g}"

    for k, v in enumerate(est.volumes):
        for a in est.priced:
            s = est.series[a]
            w.writerow(
                [
                    f"{v:.6g}",
                    a,
                    f"{s.total_usd[k]:.6g}",
                    f"{s.low_usd[k]:.6g}",
                    f"{s.high_usd[k]:.6g}",
                    f"{s.usd_per_1k_queries[k]:.6g}",
                    f"{s.latency_p50_ms[k]:.6g}",
                    f"{s.latency_p95_ms[k]:.6g}",
                ]
                + [f"{s.components_usd[c][k]:.6g}" for c in comps]
                + [side(a, "api_usd", k), side(a, "self_hosted_usd", k), side(a, "self_hosted_gpus", k)]
            )
    return buf.getvalue()
