"""Fit the scenario's workload to observed traffic (the table `traffic`, see `planner.traffic.read`).

Every figure is one SQL aggregate over the normalized rows (formulas in docs/formulas.md, "Bring your
own traffic"). The fit is a list of `FittedField`s, each with the value it replaces and where it
came from; `apply_fit` applies all or some of them in one validated step (nothing half-applied).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from planner.model.scenario import Scenario
from planner.traffic.histogram import bins_by_kind, pooled, quantile
from planner.traffic.read import LoadedFile, TrafficError

HOURS_PER_MONTH = 730.0  # the engine's month (planner.engine.costs.SECONDS_PER_MONTH / 3600)
#: What every fitted field says about where it came from, in the planner's provenance vocabulary.
SOURCE = "measured"


@dataclass(frozen=True)
class ModelUsage:
    model: str  # as the file names it
    requests: float
    input_tokens: float
    cached_tokens: float
    write_tokens: float
    output_tokens: float
    batch_requests: float
    reported_usd: float | None  # the cost the file reports (None: no cost in the file)
    ttft_p50_ms: float | None = None
    ttft_p95_ms: float | None = None
    latency_p50_ms: float | None = None
    latency_p95_ms: float | None = None
    output_tokens_per_second_p50: float | None = None
    latency_requests: int = 0


@dataclass(frozen=True)
class TrafficStats:
    files: list[LoadedFile]
    requests: float
    window_start: datetime
    window_end: datetime
    window_hours: float
    input_mean: float
    output_mean: float
    cached_mean: float
    input_p50: float | None
    input_p95: float | None
    output_p50: float | None
    output_p95: float | None
    cache_hit_share: float | None  # None: the file has bucket totals only
    static_prefix_tokens: float | None  # mean cached tokens on a hit
    batch_share: float
    peak_to_average: float | None  # None: buckets wider than an hour
    busiest_hour: datetime | None
    busiest_hour_requests: float | None
    hourly: list[tuple[datetime, float]]  # requests in each hour of the window (empty hours included)
    input_histogram: list[tuple[float, float, int]]  # (from, to, requests), powers of two
    output_histogram: list[tuple[float, float, int]]
    models: list[ModelUsage]
    per_request_rows: int
    #: requests counted by a token histogram file, per kind (input, output), when percentiles come from it
    histogram_requests: dict[str, float] = field(default_factory=dict)

    @property
    def queries_per_month(self) -> float:
        return self.requests / self.window_hours * HOURS_PER_MONTH

    @property
    def provenance(self) -> str:
        return (
            f"fitted from traffic, {self.requests:,.0f} requests, {self.window_start:%Y-%m-%d %H:%M} to "
            f"{self.window_end:%Y-%m-%d %H:%M} UTC"
        )


def _dt(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, UTC).replace(tzinfo=None)


def _window(con) -> tuple[float, float]:
    """[start, end) in epoch seconds: from the hour of the first request to the end of the hour of the
    last one (or the end of the last bucket)."""
    start, end = con.execute(
        """SELECT floor(min(t) / 3600) * 3600,
                  max(CASE WHEN bucket_s = 0 THEN floor(t / 3600) * 3600 + 3600 ELSE t + bucket_s END)
           FROM traffic WHERE requests > 0"""
    ).fetchone()
    return start, end


def traffic_stats(con, files: list[LoadedFile]) -> TrafficStats:  # long: one aggregate per fitted figure
    """The observed workload. Raises `TrafficError` when there are no requests."""
    n, sin, sout, scached, sbatch, hits_known, shits, max_bucket, per_req = con.execute(
        """SELECT sum(requests), sum(input_tokens), sum(output_tokens), sum(cached_tokens), sum(batch_requests),
                  bool_and(hit_requests IS NOT NULL) FILTER (WHERE requests > 0), sum(hit_requests),
                  max(bucket_s), count(*) FILTER (WHERE bucket_s = 0)
           FROM traffic"""
    ).fetchone()
    where = ", ".join(f.path for f in files)
    if not n:
        raise TrafficError(
            where,
            "no requests in the files: a costs export holds money only; import it together with the usage export",
        )
    start, end = _window(con)
    hours = (end - start) / 3600
    q = con.execute(
        """SELECT quantile_cont(input_tokens, 0.5), quantile_cont(input_tokens, 0.95),
                  quantile_cont(output_tokens, 0.5), quantile_cont(output_tokens, 0.95)
           FROM traffic WHERE bucket_s = 0 AND requests = 1"""
    ).fetchone()
    histograms = {"input": _histogram(con, "input_tokens"), "output": _histogram(con, "output_tokens")}
    if q[0] is None and _has_table(con, "token_histogram"):  # aggregated traffic: percentiles from buckets
        bins = bins_by_kind(con.execute("SELECT model, kind, upper, requests FROM token_histogram").fetchall())
        q = tuple(quantile(bins.get(k, []), p) for k in ("input", "output") for p in (0.5, 0.95))
        histograms = {k: pooled(bins.get(k, [])) for k in histograms}
        counted: dict[str, float] = {k: sum(n for _, _, n in bins[k]) for k in ("input", "output") if k in bins}
    else:
        counted = {}  # per-request percentiles, or none
    hourly: list[tuple[datetime, float]] = []
    peak = busiest = busiest_n = None
    if max_bucket <= 3600:
        counts = dict(
            con.execute(
                "SELECT floor(t / 3600) * 3600 AS h, sum(requests) FROM traffic WHERE requests > 0 GROUP BY h"
            ).fetchall()
        )
        hourly = [(_dt(start + 3600 * k), float(counts.get(start + 3600 * k, 0.0))) for k in range(round(hours))]
        h, busiest_n = max(counts.items(), key=lambda kv: (kv[1], -kv[0]))
        busiest = _dt(h)
        peak = busiest_n / (n / hours)
    hit_share = shits / n if hits_known else None
    prefix = scached / shits if hits_known and shits else None
    return TrafficStats(
        files=files,
        requests=n,
        window_start=_dt(start),
        window_end=_dt(end),
        window_hours=hours,
        input_mean=sin / n,
        output_mean=sout / n,
        cached_mean=scached / n,
        input_p50=q[0],
        input_p95=q[1],
        output_p50=q[2],
        output_p95=q[3],
        cache_hit_share=hit_share,
        static_prefix_tokens=prefix,
        batch_share=sbatch / n,
        peak_to_average=peak,
        busiest_hour=busiest,
        busiest_hour_requests=busiest_n,
        hourly=hourly,
        input_histogram=histograms["input"],
        output_histogram=histograms["output"],
        models=_models(con),
        per_request_rows=per_req,
        histogram_requests=counted,
    )


def _has_table(con, name: str) -> bool:
    return bool(con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", [name]).fetchone()[0])


def _histogram(con, column: str) -> list[tuple[float, float, int]]:
    """Requests by token count in bins doubling in width: [0, 1), [1, 2), [2, 4), [4, 8) ..."""
    rows = con.execute(
        f"""SELECT CASE WHEN {column} < 1 THEN -1 ELSE floor(log2({column})) END AS b, count(*)
            FROM traffic WHERE bucket_s = 0 AND requests = 1 GROUP BY b ORDER BY b"""
    ).fetchall()
    return [(0.0 if b < 0 else 2.0**b, 1.0 if b < 0 else 2.0 ** (b + 1), int(c)) for b, c in rows]


def _models(con) -> list[ModelUsage]:
    rows = con.execute(
        """SELECT model, sum(requests), sum(input_tokens), sum(cached_tokens), sum(write_tokens), sum(output_tokens),
                  sum(batch_requests), sum(cost_usd), count(cost_usd),
                  quantile_cont(ttft_ms, 0.5), quantile_cont(ttft_ms, 0.95),
                  quantile_cont(latency_ms, 0.5), quantile_cont(latency_ms, 0.95),
                  quantile_cont(CASE WHEN latency_ms > ttft_ms AND output_tokens > 0
                                     THEN output_tokens / ((latency_ms - ttft_ms) / 1000) END, 0.5),
                  count(latency_ms)
           FROM traffic GROUP BY model ORDER BY sum(requests) DESC, model"""
    ).fetchall()
    return [
        ModelUsage(
            model=r[0],
            requests=r[1],
            input_tokens=r[2],
            cached_tokens=r[3],
            write_tokens=r[4],
            output_tokens=r[5],
            batch_requests=r[6],
            reported_usd=r[7] if r[8] else None,
            ttft_p50_ms=r[9],
            ttft_p95_ms=r[10],
            latency_p50_ms=r[11],
            latency_p95_ms=r[12],
            output_tokens_per_second_p50=r[13],
            latency_requests=r[14],
        )
        for r in rows
    ]


@dataclass(frozen=True)
class FittedField:
    path: str  # dotted scenario path
    value: Any
    current: Any  # the value it replaces
    provenance: str
    note: str = ""
    source: str = SOURCE

    def to_dict(self) -> dict:
        return {
            "path": self.path,
            "value": self.value,
            "current": self.current,
            "source": self.source,
            "provenance": self.provenance,
            "note": self.note,
        }


@dataclass(frozen=True)
class Fit:
    stats: TrafficStats
    architecture: str
    fields: list[FittedField]
    warnings: list[str] = field(default_factory=list)


def _get(scenario: Scenario, path: str) -> Any:
    node: Any = scenario
    for part in path.split("."):
        node = getattr(node, part)
    return node


def fit_scenario(  # long: one block per fitted field, in the order the page shows them
    stats: TrafficStats, scenario: Scenario, architecture: str = "prompt_only", llm_key: str | None = None
) -> Fit:
    """The fitted fields for traffic that came from `architecture` (its static prefix and retrieved context
    are not user input). `llm_key`: the catalog entry of the busiest model (None: unmatched, left as is)."""
    from planner.model.scenario import ARCHITECTURES

    if architecture not in ARCHITECTURES:
        raise TrafficError("<traffic>", f"unknown architecture `{architecture}`: one of {', '.join(ARCHITECTURES)}")
    prov = stats.provenance
    w = scenario.workload
    out: list[FittedField] = []
    warnings: list[str] = []
    retrieval = sum(f.retrieval_spans for f in stats.files)
    if retrieval and architecture not in ("rag", "hybrid"):
        warnings.append(
            f"{retrieval:,} retrieval or embedding spans in the logs: they may come from RAG (then say so: "
            "--architecture rag, or 'The logs come from' on the Import page), so retrieved context is not "
            "counted as user input"
        )
    for kind, counted in stats.histogram_requests.items():
        if abs(counted - stats.requests) > 0.01 * stats.requests:
            warnings.append(
                f"the token histogram counts {counted:,.0f} requests' {kind} tokens against {stats.requests:,.0f} "
                "requests in the hourly totals: export both over the same window and spans, or the percentiles "
                "describe other traffic"
            )

    def add(path: str, value: Any, note: str = "") -> None:
        out.append(FittedField(path, value, _get(scenario, path), prov, note))

    add(
        "workload.queries_per_month",
        stats.queries_per_month,
        f"{stats.requests:,.0f} requests in {stats.window_hours:,.0f} hours × {HOURS_PER_MONTH:.0f} hours a month",
    )
    if stats.peak_to_average is not None:
        add(
            "workload.peak_to_average_ratio",
            max(1.0, stats.peak_to_average),
            f"busiest hour {stats.busiest_hour:%Y-%m-%d %H:00} ({stats.busiest_hour_requests:,.0f} requests) "
            f"÷ the mean hour ({stats.requests / stats.window_hours:,.1f})",
        )
    else:
        warnings.append("peak-to-average not fitted: the file has buckets wider than an hour")
    system, few_shot = w.system_prompt_tokens, w.few_shot_tokens
    measured_prefix = stats.static_prefix_tokens
    bucket_hits = None  # bucket totals only: the hit share that reads the logged cached tokens off the prefix
    current = system + (few_shot if architecture in ("prompt_only", "rag") else 0.0)
    if stats.cache_hit_share is None and stats.cached_mean > 0:
        if architecture == "long_context" or stats.cached_mean <= current:
            bucket_hits = min(1.0, stats.cached_mean / current) if current else None
        else:
            measured_prefix, bucket_hits = stats.cached_mean, 1.0
    if measured_prefix is not None and architecture != "long_context":
        system = float(round(measured_prefix))
        how = "mean cached input tokens on a cache hit" if bucket_hits is None else "mean cached input tokens a request"
        add("workload.system_prompt_tokens", system, f"static prefix: {how}")
        if architecture in ("prompt_only", "rag"):
            few_shot = 0.0
            add("workload.few_shot_tokens", few_shot, "the examples are part of the measured static prefix")
    retrieved = 0.0
    if architecture in ("rag", "hybrid"):
        retrieved = w.retrieval_query_share * w.top_k * w.chunk_tokens
    knowledge = 0.0
    if architecture == "long_context":
        knowledge = w.corpus_documents * w.tokens_per_document
    prefix = system + knowledge + (few_shot if architecture in ("prompt_only", "rag") else 0.0)
    user = stats.input_mean - prefix - retrieved
    if user < 0:
        warnings.append(
            f"the mean input ({stats.input_mean:,.0f} tokens) is below the {architecture} prompt's prefix and "
            f"retrieved context ({prefix + retrieved:,.0f}): user input set to 0; check the architecture asked"
        )
    add(
        "workload.input_tokens_per_query",
        float(round(max(0.0, user))),
        f"mean input {stats.input_mean:,.1f} tokens less the {architecture} prompt's prefix ({prefix:,.0f})"
        + (f" and retrieved context ({retrieved:,.0f})" if retrieved else "")
        + _pct_note(stats.input_p50, stats.input_p95),
    )
    add(
        "workload.output_tokens_per_query",
        float(round(stats.output_mean)),
        f"mean output {stats.output_mean:,.1f} tokens" + _pct_note(stats.output_p50, stats.output_p95),
    )
    if stats.cache_hit_share is not None:
        add("workload.cache_hit_share", stats.cache_hit_share, "share of requests with cached input tokens")
    elif bucket_hits is not None:
        add(
            "workload.cache_hit_share",
            bucket_hits,
            f"cached input tokens a request ({stats.cached_mean:,.1f}) ÷ the static prefix "
            f"({system if measured_prefix is not None else current:,.0f}): "
            "the file has bucket totals only",
        )
    else:
        warnings.append("cache-hit share not fitted: the file has bucket totals only and no cached tokens")
    add("workload.batch_query_share", stats.batch_share, "share of requests sent through a batch interface")
    if llm_key is not None:
        busiest = stats.models[0]
        add(
            "stack.llm",
            llm_key,
            f"the busiest model, {busiest.model} ({busiest.requests / stats.requests:.0%} of requests)",
        )
    return Fit(stats, architecture, out, warnings)


def _pct_note(p50: float | None, p95: float | None) -> str:
    if p50 is None or p95 is None:
        return " (percentiles: not in the file)"
    return f"; p50 {p50:,.0f}, p95 {p95:,.0f} (the scenario uses the mean)"


def apply_fit(scenario: Scenario, fit: Fit, paths: list[str] | None = None) -> Scenario:
    """The scenario with the fitted fields (all, or those in `paths`) applied at once and validated:
    on any problem nothing is applied (`TrafficError`)."""
    chosen = [f for f in fit.fields if paths is None or f.path in paths]
    unknown = set(paths or ()) - {f.path for f in fit.fields}
    if unknown:
        raise TrafficError("<traffic>", f"not a fitted field: {', '.join(sorted(unknown))}")
    try:
        return scenario.with_changes(**{f.path: f.value for f in chosen})
    except (ValueError, KeyError) as e:
        raise TrafficError("<traffic>", f"the fit does not make a valid scenario, nothing applied: {e}") from None
