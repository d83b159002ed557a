"""Price observed traffic with the catalog and set it beside what the logs report; observed latency.

`match_model` maps a model as a log names it to a catalog LLM key. `reprice` prices every request
(or bucket) at the catalog's prices in force today — cached input at the cached price, cache writes at
the write price, batch requests at batch prices, long-context tiers above their threshold — in one SQL
pass. `reconcile` sets that beside the reported cost per model, with the gap and its likely causes.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date

from planner.traffic.fit import HOURS_PER_MONTH, TrafficStats
from pricing.llms import LLM
from pricing.models import Catalog

_DATE_SUFFIX = re.compile(r"(-\d{4}-\d{2}-\d{2}|-\d{8}|@\d{8}|-\d{4})$")


def _norm(name: str) -> str:
    n = name.strip().lower()
    n = n.split("/")[-1]  # openai/gpt-4o-mini, models/gemini-... (LiteLLM, Vertex)
    return n.split(":")[-1] if n.count(":") == 1 else n  # "openai:gpt-4o" (genai-prices style)


def match_model(catalog: Catalog, model: str) -> str | None:
    """The catalog LLM key for `model` as a log names it: the key, its genai-prices id or its name,
    with a dated snapshot suffix (-2024-07-18) dropped; else the longest key the name starts with."""
    names: dict[str, str] = {}
    for key, llm in catalog.llms.items():
        names.setdefault(key.lower(), key)
        if llm.genai_prices:
            names.setdefault(str(llm.genai_prices).split(":")[-1].lower(), key)
        names.setdefault(llm.name.lower(), key)
    n = _norm(model)
    for candidate in (n, _DATE_SUFFIX.sub("", n)):
        if candidate in names:
            return names[candidate]
    prefixes = [k for k in names if n.startswith(k + "-")]
    return names[max(prefixes, key=len)] if prefixes else None


@dataclass(frozen=True)
class Prices:
    """USD per 1M tokens in force on a day (NaN-free: a missing price falls back as the engine's does)."""

    p_in: float
    p_out: float
    cached: float
    write: float
    b_in: float
    b_out: float
    tier_above: float
    t_in: float
    t_out: float
    t_cached: float


def prices_on(llm: LLM, day: date | None = None) -> Prices:
    llm = llm.on(day or date.today())  # the scheduled price changes in force that day applied
    p_in, p_out = llm.input_usd_per_1m_tokens.value, llm.output_usd_per_1m_tokens.value
    cached = llm.cached_input_usd_per_1m_tokens.value if llm.cached_input_usd_per_1m_tokens else p_in
    write = llm.cache_write_usd_per_1m_tokens.value if llm.cache_write_usd_per_1m_tokens else p_in
    b_in = llm.batch_input_usd_per_1m_tokens.value if llm.batch_input_usd_per_1m_tokens else p_in
    b_out = llm.batch_output_usd_per_1m_tokens.value if llm.batch_output_usd_per_1m_tokens else p_out
    tier = llm.long_context
    if tier is None:
        return Prices(p_in, p_out, cached, write, b_in, b_out, math.inf, p_in, p_out, cached)
    t_in = tier.input_usd_per_1m_tokens.value
    t_out = tier.output_usd_per_1m_tokens.value
    t_cached = tier.cached_input_usd_per_1m_tokens.value if tier.cached_input_usd_per_1m_tokens else t_in
    return Prices(p_in, p_out, cached, write, b_in, b_out, float(tier.above_input_tokens), t_in, t_out, t_cached)


_COST_SQL = """
WITH r AS (
  SELECT t.*, p.*, t.batch_requests / nullif(t.requests, 0) AS bf,
         (t.input_tokens / nullif(t.requests, 0)) > p.tier_above AS tiered
  FROM traffic t JOIN prices p ON p.model = t.model WHERE t.requests > 0
), q AS (
  SELECT model, requests,
    CASE WHEN tiered THEN t_in ELSE p_in END AS pi, CASE WHEN tiered THEN t_out ELSE p_out END AS po,
    CASE WHEN tiered THEN t_cached ELSE cached END AS pc, CASE WHEN tiered THEN t_in ELSE write END AS pw,
    CASE WHEN tiered THEN t_in ELSE b_in END AS bi, CASE WHEN tiered THEN t_out ELSE b_out END AS bo,
    input_tokens - cached_tokens - write_tokens AS plain, cached_tokens, write_tokens, output_tokens, bf
  FROM r
)
SELECT model, sum(
  (1 - bf) * (plain * pi + cached_tokens * pc + write_tokens * pw + output_tokens * po)
  + bf * (plain * bi + cached_tokens * least(pc, bi) + write_tokens * bi + output_tokens * bo)
) / 1e6 FROM q GROUP BY model
"""


def reprice(con, catalog: Catalog, key_of: dict[str, str], day: date | None = None) -> dict[str, float]:
    """USD of the traffic of each model in `key_of` (log name → catalog key) at the catalog's prices."""
    rows = []
    for model, key in key_of.items():
        p = prices_on(catalog.llms[key], day)
        rows.append((model, *(p.__dict__[f] for f in Prices.__dataclass_fields__)))
    con.execute("DROP TABLE IF EXISTS prices")
    cols = ", ".join(f"{f} DOUBLE" for f in Prices.__dataclass_fields__)
    con.execute(f"CREATE TABLE prices (model VARCHAR, {cols})")
    if rows:
        marks = ", ".join("?" * (1 + len(Prices.__dataclass_fields__)))
        con.executemany(f"INSERT INTO prices VALUES ({marks})", [[r[0], *[_finite(v) for v in r[1:]]] for r in rows])
    return {m: float(c or 0.0) for m, c in con.execute(_COST_SQL).fetchall()}


def _finite(v: float) -> float:
    return 1e300 if math.isinf(v) else v


@dataclass(frozen=True)
class ReconcileRow:
    model: str  # as the log names it
    catalog_key: str | None
    requests: float
    reported_usd: float | None
    repriced_usd: float | None
    gap_pct: float | None  # (reported − repriced) ÷ repriced × 100
    causes: list[str]

    def to_dict(self, scale: float) -> dict:
        def month(v: float | None) -> float | None:
            return None if v is None else v * scale

        return {
            "model": self.model,
            "catalog_key": self.catalog_key,
            "requests": self.requests,
            "reported_usd": self.reported_usd,
            "repriced_usd": self.repriced_usd,
            "reported_monthly_usd": month(self.reported_usd),
            "repriced_monthly_usd": month(self.repriced_usd),
            "gap_pct": self.gap_pct,
            "likely_causes": self.causes,
        }


#: Below this gap (percent) the bill and the catalog agree.
GAP_TOLERANCE_PCT = 5.0


def _causes(gap: float | None, usage, llm: LLM | None) -> list[str]:
    """Likely causes of a gap, from what the traffic and the catalog entry show."""
    if llm is None:
        return ["no catalog price for this model: add it (`llm-planner prices add`) or map it in an override"]
    if gap is None:
        return ["the file reports no cost: nothing to reconcile with (import the costs export too)"]
    if abs(gap) <= GAP_TOLERANCE_PCT:
        return []
    out = []
    if gap < 0:
        out.append("a discount, committed-use rate or credits on the bill")
        if usage.cached_tokens == 0 and llm.cached_input_usd_per_1m_tokens:
            out.append("prompt caching the log does not record (no cached tokens logged)")
        if usage.batch_requests == 0 and llm.batch_input_usd_per_1m_tokens:
            out.append("batch use the log does not mark")
    else:
        out.append("a price change since the catalog was checked, or a priority / regional surcharge")
        if usage.write_tokens == 0 and llm.cache_write_usd_per_1m_tokens:
            out.append("cache writes the log does not record")
        if llm.long_context:
            out.append("long-context tier prices on requests the log aggregates")
    out.append("token counts from another tokenizer than the bill's (the same text counts differently)")
    return out


def reconcile(con, stats: TrafficStats, catalog: Catalog) -> list[ReconcileRow]:
    """Per model: reported vs repriced, over the log's window."""
    key_of = {m.model: k for m in stats.models if (k := match_model(catalog, m.model)) is not None}
    priced = reprice(con, catalog, key_of)
    rows = []
    for m in stats.models:
        key = key_of.get(m.model)
        repriced = priced.get(m.model) if key else None
        if m.requests == 0 and repriced == 0:
            repriced = None  # a costs-only line: no traffic of its own
        gap = None
        if m.reported_usd is not None and repriced:
            gap = (m.reported_usd - repriced) / repriced * 100
        rows.append(
            ReconcileRow(
                m.model, key, m.requests, m.reported_usd, repriced, gap, _causes(gap, m, catalog.llms.get(key or ""))
            )
        )
    return rows


def monthly_scale(stats: TrafficStats) -> float:
    """Multiply a cost over the window by this for a month (730 hours)."""
    return HOURS_PER_MONTH / stats.window_hours


@dataclass(frozen=True)
class LatencyRow:
    model: str
    catalog_key: str | None
    requests: int
    ttft_p50_ms: float | None
    ttft_p95_ms: float | None
    latency_p50_ms: float | None
    latency_p95_ms: float | None
    output_tokens_per_second: float | None
    catalog_ttft_ms: float | None
    catalog_output_tokens_per_second: float | None
    catalog_latency_ms: float | None  # the catalog's full answer for this model's mean output


def latency_rows(stats: TrafficStats, catalog: Catalog) -> list[LatencyRow]:
    out = []
    for m in stats.models:
        if not m.latency_requests:
            continue
        key = match_model(catalog, m.model)
        llm = catalog.llms.get(key or "")
        c_ttft = llm.ttft_ms.value if llm else None
        c_tps = llm.output_tokens_per_second.value if llm else None
        mean_out = m.output_tokens / m.requests if m.requests else 0.0
        c_full = c_ttft + mean_out / c_tps * 1000 if llm and c_ttft is not None and c_tps else None
        out.append(
            LatencyRow(
                m.model,
                key,
                m.latency_requests,
                m.ttft_p50_ms,
                m.ttft_p95_ms,
                m.latency_p50_ms,
                m.latency_p95_ms,
                m.output_tokens_per_second_p50,
                c_ttft,
                c_tps,
                c_full,
            )
        )
    return out


def override_catalog_yaml(stats: TrafficStats, catalog: Catalog, day: date | None = None) -> str:
    """An override catalog (`extends: default`) with each matched model's measured time to first token
    (p50, high p95) and output speed (p50), sourced "measured from your traffic" and dated."""
    import yaml

    day = day or date.today()
    llms: dict[str, dict] = {}
    src = f"measured from your traffic: {stats.provenance}"
    for row in latency_rows(stats, catalog):
        if row.catalog_key is None or row.catalog_key in llms:
            continue
        entry: dict = {}
        if row.ttft_p50_ms and row.ttft_p95_ms:
            entry["ttft_ms"] = {
                "value": round(row.ttft_p50_ms, 1),
                "low": round(row.ttft_p50_ms, 1),
                "high": round(max(row.ttft_p95_ms, row.ttft_p50_ms), 1),
                "source": f"{src} ({row.model}, p50; high: p95)",
                "checked": day.isoformat(),
            }
        if row.output_tokens_per_second:
            entry["output_tokens_per_second"] = {
                "value": round(row.output_tokens_per_second, 1),
                "source": f"{src} ({row.model}, p50 of output tokens ÷ (latency − time to first token))",
                "checked": day.isoformat(),
            }
        if entry:
            llms[row.catalog_key] = entry
    doc = {
        "extends": "default",
        "description": f"Latency measured from your traffic ({stats.provenance}).",
        "llms": llms,
    }
    head = "# Override catalog written by `llm-planner traffic reconcile --write-override`: measured latency.\n"
    return head + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=120)
