"""The traffic analysis as JSON, as text tables, and as a scenario file with a comment on each fitted field."""

from __future__ import annotations

import json

from planner.model.files import scenario_yaml
from planner.model.format import ms as fmt_ms
from planner.model.format import usd as money
from planner.model.vocabulary import LABELS
from planner.traffic.analysis import TrafficAnalysis
from planner.traffic.fit import TrafficStats
from planner.traffic.reprice import monthly_scale


def _stats_dict(s: TrafficStats) -> dict:
    return {
        "requests": s.requests,
        "window_start": s.window_start.isoformat() + "Z",
        "window_end": s.window_end.isoformat() + "Z",
        "window_hours": s.window_hours,
        "queries_per_month": s.queries_per_month,
        "input_tokens": {"mean": s.input_mean, "p50": s.input_p50, "p95": s.input_p95},
        "output_tokens": {"mean": s.output_mean, "p50": s.output_p50, "p95": s.output_p95},
        "cached_input_tokens_mean": s.cached_mean,
        "static_prefix_tokens": s.static_prefix_tokens,
        "cache_hit_share": s.cache_hit_share,
        "batch_share": s.batch_share,
        "peak_to_average": s.peak_to_average,
        "busiest_hour": s.busiest_hour.isoformat() + "Z" if s.busiest_hour else None,
        "models": [
            {"model": m.model, "requests": m.requests, "share": m.requests / s.requests if s.requests else 0.0}
            for m in s.models
        ],
        "provenance": s.provenance,
    }


def fit_dict(a: TrafficAnalysis) -> dict:
    """`llm-planner traffic fit --format json`."""
    return {
        "files": [f.__dict__ for f in a.files],
        "architecture": a.fit.architecture,
        "traffic": _stats_dict(a.stats),
        "fitted": [f.to_dict() for f in a.fit.fields],
        "warnings": a.fit.warnings,
    }


def reconcile_dict(a: TrafficAnalysis) -> dict:
    """`llm-planner traffic reconcile --format json`."""
    scale = monthly_scale(a.stats)
    return {
        **fit_dict(a),
        "reconciliation": [r.to_dict(scale) for r in a.reconciliation],
        "latency": [r.__dict__ for r in a.latency],
        "monthly_usd_by_architecture": a.monthly_by_architecture,
        "round_trip": a.round_trip.to_dict() if a.round_trip else None,
        "round_trip_note": a.round_trip_note,
    }


def json_text(d: dict) -> str:
    return json.dumps(d, indent=2, default=str)


def value_text(v) -> str:
    if isinstance(v, float):
        return f"{v:,.3f}".rstrip("0").rstrip(".") if v % 1 else f"{v:,.0f}"
    return str(v)


def fit_text(a: TrafficAnalysis) -> str:
    lines = [
        f"{f.path} ({f.title}): {f.rows:,} rows" + (f", {f.skipped:,} left out (not model calls)" if f.skipped else "")
        for f in a.files
    ]
    lines.append(a.stats.provenance + f"; logs from: {LABELS[a.fit.architecture]}")
    lines.append("")
    width = max(len(f.path) for f in a.fit.fields)
    lines.append(f"{'field':<{width}}  {'now':>14}  {'fitted':>14}  how")
    for f in a.fit.fields:
        lines.append(f"{f.path:<{width}}  {value_text(f.current):>14}  {value_text(f.value):>14}  {f.note}")
    lines += [f"warning: {w}" for w in a.fit.warnings]
    return "\n".join(lines)


def reconcile_text(a: TrafficAnalysis) -> str:
    scale = monthly_scale(a.stats)
    out = [fit_text(a), "", f"Reported vs catalog prices (over the window; a month = × {scale:.2f})"]
    out.append(f"{'model':<32} {'requests':>10} {'reported':>12} {'catalog':>12} {'gap':>8}  likely causes")
    for r in a.reconciliation:
        rep = money(r.reported_usd) if r.reported_usd is not None else "—"
        cat = money(r.repriced_usd) if r.repriced_usd is not None else "—"
        gap = f"{r.gap_pct:+.1f}%" if r.gap_pct is not None else "—"
        out.append(f"{r.model[:32]:<32} {r.requests:>10,.0f} {rep:>12} {cat:>12} {gap:>8}  {'; '.join(r.causes)}")
    if a.latency:
        out += ["", "Observed latency vs catalog (ms)"]
        out.append(f"{'model':<32} {'TTFT p50':>9} {'p95':>8} {'catalog':>8} {'full p50':>9} {'p95':>8} {'catalog':>8}")
        for lat in a.latency:
            out.append(
                f"{lat.model[:32]:<32} {_ms(lat.ttft_p50_ms):>9} {_ms(lat.ttft_p95_ms):>8} "
                f"{_ms(lat.catalog_ttft_ms):>8} "
                f"{_ms(lat.latency_p50_ms):>9} {_ms(lat.latency_p95_ms):>8} {_ms(lat.catalog_latency_ms):>8}"
            )
    out += ["", "The same traffic under every architecture (estimate on the fitted scenario, a month)"]
    for arch, usd in a.monthly_by_architecture.items():
        out.append(f"  {LABELS[arch]:<14} {money(usd):>12}")
    if a.round_trip:
        t = a.round_trip
        out.append(
            f"Round trip ({LABELS[t.architecture]}, {t.llm}): estimate {money(t.estimate_monthly_usd)} vs observed "
            f"traffic at the same prices {money(t.observed_monthly_usd)} ({t.gap_pct:+.1f}%)"
        )
    elif a.round_trip_note:
        out.append(f"Round trip: {a.round_trip_note}")
    return "\n".join(out)


def _ms(v: float | None) -> str:
    return fmt_ms(v)


def fitted_scenario_yaml(a: TrafficAnalysis) -> str:
    """The fitted scenario in the existing format, each fitted field's line commented with its provenance."""
    text = scenario_yaml(a.fitted)
    notes = {f.path: f"{a.stats.provenance}: {f.note}" for f in a.fit.fields}
    out: list[str] = []
    stack: list[str] = []
    for line in text.splitlines():
        stripped = line.lstrip(" ")
        if stripped and not stripped.startswith(("#", "-")) and ":" in stripped:
            depth = (len(line) - len(stripped)) // 2
            stack = stack[:depth] + [stripped.split(":", 1)[0]]
            note = notes.get(".".join(stack))
            if note:
                line = f"{line}  # {note.replace(chr(10), ' ')}"
        out.append(line)
    return "\n".join(out) + "\n"
