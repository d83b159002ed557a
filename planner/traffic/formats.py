"""The usage-export formats the planner reads, each mapped onto one normalized row.

A normalized row is one request (or, in an aggregated export, one bucket of requests):

    row_no        where the row is in its file (line of a CSV, record of a JSON file), for located errors
    t             start, seconds since 1970-01-01 UTC
    bucket_s      0 for one request; the bucket's width for an aggregated row (an hour, a day)
    model         the model as the file names it
    requests      1 for one request; the bucket's count
    input_tokens  all input tokens, cached ones included
    cached_tokens input tokens read from the provider's prompt cache
    write_tokens  input tokens written to the provider's prompt cache
    output_tokens output tokens
    hit_requests  requests that read from the cache (1/0 for one request)
    batch_requests requests sent through a batch interface (1/0 for one request)
    cost_usd      the cost the file reports (null: none)
    latency_ms    start to last token (null: not in the file)
    ttft_ms       start to first token (null: not in the file)

Each format is a `Format`: how to find its records (SQL over DuckDB's readers) and, per normalized
column, the SQL that reads it from a record (`j` for a JSON record, the column itself in a CSV) and
its kind (how the text is converted). Prompt and completion text are never selected. The field
mapping of each format, and the published document it follows, is in docs/formulas.md ("Bring your
own traffic").
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Column:
    sql: str  # an expression giving VARCHAR (or NULL) from the record
    kind: str = "num"  # num | iso | epoch_s | unix_nano | bool | str | ms_after (sql: "a|b": b − a in ms)
    required: bool = False
    label: str = ""  # the name in the file, for messages


@dataclass(frozen=True)
class Format:
    name: str
    title: str
    document: str  # the published document the mapping follows
    records: str  # SQL giving one row per record: a column `j` (JSON) or the file's columns (CSV)
    columns: dict[str, Column]
    csv: bool = False
    stage: str = ""  # SQL run first (e.g. a table `stage` the records are read from)
    where: str = "TRUE"  # records to keep (e.g. only LLM spans)
    notes: tuple[str, ...] = field(default_factory=tuple)
    #: the file's input count leaves out cached and cache-write tokens (added back when read)
    input_excludes_cache: bool = False
    unmapped: tuple[str, ...] = field(default_factory=tuple)


#: The span attributes read (OpenTelemetry GenAI semantic conventions).
OTEL_KEYS = (
    "gen_ai.request.model",
    "gen_ai.response.model",
    "gen_ai.usage.input_tokens",
    "gen_ai.usage.output_tokens",
    "gen_ai.usage.cache_read.input_tokens",
    "gen_ai.usage.cache_creation.input_tokens",
    "gen_ai.operation.name",
    "db.system",
)


def _attr(key: str) -> str:
    """An OTLP attribute's value as text, a column of the pivoted record (see `_OTEL_RECORDS`)."""
    return f'"{key}"'


def _otel_records() -> str:
    """One row per span of the table `stage`: its times and the attributes of OTEL_KEYS as columns. OTLP
    attributes are a list of {key, value: {intValue|doubleValue|stringValue|boolValue}}: each span is parsed
    once (`json_transform` to a struct), its attributes unnested and pivoted back by span."""
    wanted = ", ".join(f"'{k}'" for k in OTEL_KEYS)
    v = "a.value"
    text = f"coalesce({v}->>'intValue', {v}->>'doubleValue', {v}->>'stringValue', {v}->>'boolValue')"
    pivot = ", ".join(f"max(x) FILTER (WHERE k = '{k}') AS \"{k}\"" for k in OTEL_KEYS)
    shape = (
        '{"startTimeUnixNano": "VARCHAR", "endTimeUnixNano": "VARCHAR", '
        '"attributes": [{"key": "VARCHAR", "value": "JSON"}]}'
    )
    spans = f"SELECT rowid AS s, json_transform(j, '{shape}') AS t FROM stage"
    pairs = f"SELECT s, t.startTimeUnixNano AS st, t.endTimeUnixNano AS en, unnest(t.attributes) AS a FROM ({spans})"
    return (
        f"SELECT * FROM (SELECT s, any_value(st) AS st, any_value(en) AS en, {pivot} FROM "
        f"(SELECT s, st, en, a.key AS k, CASE WHEN a.key IN ({wanted}) THEN {text} END AS x FROM ({pairs})) "
        "GROUP BY s) ORDER BY s"
    )


_READ_JSON = "read_json_objects({file}, format='auto', maximum_object_size=67108864)"


def _json_records(path_sql: str | None = None) -> str:
    """One row per record: the elements at `path_sql` of each document, or (None) each document or each
    element of a `{"data": [...]}` page (a JSON array, JSON lines, or API pages)."""
    if path_sql is None:
        each = "CASE WHEN json_type(json, '$.data') = 'ARRAY' THEN CAST(json->'data' AS JSON[]) ELSE [json] END"
    else:
        each = f"json_extract(json, '{path_sql}')"
    return f"SELECT unnest({each}) AS j FROM {_READ_JSON}"


OTEL = Format(
    name="otel",
    title="OpenTelemetry GenAI spans (OTLP JSON)",
    document="OpenTelemetry semantic conventions for generative AI (gen_ai.* span attributes; "
    "@opentelemetry/semantic-conventions incubating ATTR_GEN_AI_USAGE_*), spans in the OTLP JSON encoding",
    # spans are first unnested into a table of their own (`stage`): reading attributes while unnesting holds
    # every span of a chunk of export batches at once
    stage="CREATE TABLE stage AS " + _json_records("$.resourceSpans[*].scopeSpans[*].spans[*]"),
    records=_otel_records(),
    columns={
        "t": Column("st", "unix_nano", True, "startTimeUnixNano"),
        "end_t": Column("en", "unix_nano", False, "endTimeUnixNano"),
        "model": Column(
            f"coalesce({_attr('gen_ai.request.model')}, {_attr('gen_ai.response.model')})",
            "str",
            True,
            "gen_ai.request.model",
        ),
        "input_tokens": Column(_attr("gen_ai.usage.input_tokens"), "num", True, "gen_ai.usage.input_tokens"),
        "output_tokens": Column(_attr("gen_ai.usage.output_tokens"), "num", True, "gen_ai.usage.output_tokens"),
        "cached_tokens": Column(
            _attr("gen_ai.usage.cache_read.input_tokens"), "num", False, "gen_ai.usage.cache_read.input_tokens"
        ),
        "write_tokens": Column(
            _attr("gen_ai.usage.cache_creation.input_tokens"), "num", False, "gen_ai.usage.cache_creation.input_tokens"
        ),
        # a retrieval span (a vector store's `db.system`, an embeddings call): the logs may come from RAG
        "retrieval": Column(
            f"CASE WHEN {_attr('db.system')} IS NOT NULL OR {_attr('gen_ai.operation.name')} = 'embeddings' "
            "THEN 'yes' END",
            "str",
        ),
    },
    # LLM calls carry token usage; other spans (tools, retrieval, the app's own) are counted apart
    where='"gen_ai.usage.input_tokens" IS NOT NULL OR "gen_ai.usage.output_tokens" IS NOT NULL',
    notes=("latency = endTimeUnixNano − startTimeUnixNano",),
    unmapped=(
        "time to first token (no span attribute in the conventions)",
        "batch use (no span attribute)",
        "cost (no span attribute)",
    ),
)

OPENAI_USAGE = Format(
    name="openai_usage",
    title="OpenAI organization usage export (completions buckets)",
    document="OpenAI API reference, Usage API: GET /v1/organization/usage/completions "
    "(page → data[] buckets → results[] of organization.usage.completions.result)",
    records=(
        "SELECT b->>'start_time' AS start_time, b->>'end_time' AS end_time, j "
        "FROM (SELECT b, unnest(json_extract(b, '$.results[*]')) AS j FROM (SELECT unnest(json_extract(json, "
        "'$.data[*]')) AS b FROM " + _READ_JSON + "))"
    ),
    columns={
        "t": Column("start_time", "epoch_s", True, "start_time"),
        "end_t": Column("end_time", "epoch_s", True, "end_time"),
        "model": Column("coalesce(j->>'model', '(all models)')", "str", True, "model"),
        "requests": Column("j->>'num_model_requests'", "num", True, "num_model_requests"),
        "input_tokens": Column("j->>'input_tokens'", "num", True, "input_tokens"),
        "cached_tokens": Column("j->>'input_cached_tokens'", "num", False, "input_cached_tokens"),
        "output_tokens": Column("j->>'output_tokens'", "num", True, "output_tokens"),
        "batch": Column("j->>'batch'", "bool", False, "batch"),
    },
    notes=("each result is a bucket: requests = num_model_requests, width = end_time − start_time",),
    unmapped=(
        "token percentiles and cache-hit share (only bucket totals)",
        "latency",
        "cost (in the costs export)",
        "cache writes",
    ),
)

OPENAI_COSTS = Format(
    name="openai_costs",
    title="OpenAI organization costs export",
    document="OpenAI API reference, Costs API: GET /v1/organization/costs "
    "(page → data[] buckets → results[] of organization.costs.result: amount.value, amount.currency, line_item)",
    records=OPENAI_USAGE.records,
    columns={
        "t": Column("start_time", "epoch_s", True, "start_time"),
        "end_t": Column("end_time", "epoch_s", True, "end_time"),
        # line items read like "gpt-4o-mini-2024-07-18, input": the model is the text before the comma
        "model": Column("coalesce(split_part(j->>'line_item', ',', 1), '(all models)')", "str", True, "line_item"),
        "requests": Column("'0'", "num"),
        "cost_usd": Column("j->'amount'->>'value'", "num", True, "amount.value"),
        "currency": Column("coalesce(j->'amount'->>'currency', 'usd')", "str", False, "amount.currency"),
    },
    notes=("money only: import it with the usage export of the same window to reconcile",),
    unmapped=("tokens and requests (in the usage export)",),
)

_LITELLM_CACHED = (
    "coalesce(json_extract_string(TRY_CAST({m} AS JSON), '$.usage_object.prompt_tokens_details.cached_tokens'), "
    "json_extract_string(TRY_CAST({m} AS JSON), '$.usage_object.cache_read_input_tokens'))"
)
_LITELLM_WRITE = "json_extract_string(TRY_CAST({m} AS JSON), '$.usage_object.cache_creation_input_tokens')"


def _litellm(csv: bool) -> Format:
    def f(name: str) -> str:
        return f'"{name}"' if csv else f"j->>'{name}'"

    meta = '"metadata"' if csv else "j->'metadata'"
    return Format(
        name="litellm_csv" if csv else "litellm_json",
        title="LiteLLM spend logs (" + ("CSV" if csv else "JSON") + ")",
        document="LiteLLM proxy schema.prisma, model LiteLLM_SpendLogs (request_id, call_type, spend, "
        "prompt_tokens, completion_tokens, startTime, endTime, completionStartTime, model, cache_hit, metadata)",
        records=("SELECT * FROM read_csv({file}, header=true, all_varchar=true)" if csv else _json_records()),
        csv=csv,
        columns={
            "t": Column(f("startTime"), "iso", True, "startTime"),
            "end_t": Column(f("endTime"), "iso", False, "endTime"),
            "first_t": Column(f("completionStartTime"), "iso", False, "completionStartTime"),
            "model": Column(f("model"), "str", True, "model"),
            "input_tokens": Column(f("prompt_tokens"), "num", True, "prompt_tokens"),
            "output_tokens": Column(f("completion_tokens"), "num", True, "completion_tokens"),
            "cached_tokens": Column(_LITELLM_CACHED.format(m=meta), "num", False, "metadata.usage_object"),
            "write_tokens": Column(_LITELLM_WRITE.format(m=meta), "num", False, "metadata.usage_object"),
            "cost_usd": Column(f("spend"), "num", False, "spend"),
            "proxy_cache_hit": Column(f("cache_hit"), "bool", False, "cache_hit"),
        },
        notes=("rows answered from LiteLLM's own response cache (cache_hit true) reached no model: left out",),
        unmapped=("batch use (no column)",),
    )


LITELLM_CSV = _litellm(True)
LITELLM_JSON = _litellm(False)

_LF_USAGE = "coalesce(j->'usageDetails', j->'usage')"
LANGFUSE = Format(
    name="langfuse",
    title="Langfuse observations export",
    document="Langfuse public API, observations (GET /api/public/observations: id, type, startTime, endTime, "
    "completionStartTime, model, usageDetails, costDetails, calculatedTotalCost) and "
    "'Token & cost tracking' (usage types input, output, cached)",
    records=_json_records(),
    columns={
        "t": Column("j->>'startTime'", "iso", True, "startTime"),
        "end_t": Column("j->>'endTime'", "iso", False, "endTime"),
        "first_t": Column("j->>'completionStartTime'", "iso", False, "completionStartTime"),
        "model": Column("j->>'model'", "str", True, "model"),
        "input_tokens": Column(
            f"coalesce({_LF_USAGE}->>'input', j->>'promptTokens')", "num", True, "usageDetails.input"
        ),
        "output_tokens": Column(
            f"coalesce({_LF_USAGE}->>'output', j->>'completionTokens')", "num", True, "usageDetails.output"
        ),
        "cached_tokens": Column(
            f"coalesce({_LF_USAGE}->>'input_cached_tokens', {_LF_USAGE}->>'cache_read_input_tokens', "
            f"{_LF_USAGE}->>'input_cache_read')",
            "num",
            False,
            "usageDetails.input_cached_tokens",
        ),
        "write_tokens": Column(
            f"coalesce({_LF_USAGE}->>'cache_creation_input_tokens', {_LF_USAGE}->>'cache_write_input_tokens', "
            f"{_LF_USAGE}->>'input_cache_creation')",
            "num",
            False,
            "usageDetails.cache_creation_input_tokens",
        ),
        "cost_usd": Column(
            "coalesce(j->'costDetails'->>'total', j->>'calculatedTotalCost', j->>'totalCost')",
            "num",
            False,
            "costDetails",
        ),
    },
    where="upper(coalesce(j->>'type', 'GENERATION')) = 'GENERATION'",
    input_excludes_cache=True,
    notes=(
        "only observations of type GENERATION; Langfuse counts usageDetails.input without the cached tokens "
        "when a cached key is given, so input = input + cached",
    ),
    unmapped=("batch use (no field)",),
)

GENERIC = Format(
    name="generic_csv",
    title="Generic CSV (one request a row)",
    document="this project's documented columns (docs/formulas.md, 'Generic CSV')",
    records="SELECT * FROM read_csv({file}, header=true, all_varchar=true)",
    csv=True,
    columns={
        "t": Column('"timestamp"', "iso", True, "timestamp"),
        "model": Column('"model"', "str", True, "model"),
        "input_tokens": Column('"input_tokens"', "num", True, "input_tokens"),
        "output_tokens": Column('"output_tokens"', "num", True, "output_tokens"),
        "cached_tokens": Column('"cached_input_tokens"', "num", False, "cached_input_tokens"),
        "write_tokens": Column('"cache_write_tokens"', "num", False, "cache_write_tokens"),
        "batch": Column('"batch"', "bool", False, "batch"),
        "latency_ms": Column('"latency_ms"', "num", False, "latency_ms"),
        "ttft_ms": Column('"ttft_ms"', "num", False, "ttft_ms"),
        "cost_usd": Column('"cost_usd"', "num", False, "cost_usd"),
    },
)

HOURLY = Format(
    name="hourly_csv",
    title="Aggregated hourly traffic (warehouse form)",
    document="this project's documented columns and the SQL query over OTel GenAI spans that produces them "
    "(docs/formulas.md, 'Aggregated form')",
    records="SELECT * FROM read_csv({file}, header=true, all_varchar=true)",
    csv=True,
    columns={
        "t": Column('"hour"', "iso", True, "hour"),
        "model": Column('"model"', "str", True, "model"),
        "requests": Column('"requests"', "num", True, "requests"),
        "input_tokens": Column('"input_tokens"', "num", True, "input_tokens"),
        "output_tokens": Column('"output_tokens"', "num", True, "output_tokens"),
        "cached_tokens": Column('"cached_input_tokens"', "num", False, "cached_input_tokens"),
        "write_tokens": Column('"cache_write_tokens"', "num", False, "cache_write_tokens"),
        "hit_requests": Column('"cache_hit_requests"', "num", False, "cache_hit_requests"),
        "batch_requests": Column('"batch_requests"', "num", False, "batch_requests"),
        "cost_usd": Column('"cost_usd"', "num", False, "cost_usd"),
    },
    notes=("each row is one hour of one model",),
    unmapped=("token percentiles (only hourly totals)", "latency"),
)

FORMATS: dict[str, Format] = {
    f.name: f for f in (OTEL, OPENAI_USAGE, OPENAI_COSTS, LITELLM_CSV, LITELLM_JSON, LANGFUSE, GENERIC, HOURLY)
}

#: CSV formats by the header columns that identify them (all must be present), most specific first.
CSV_SIGNATURES: tuple[tuple[str, frozenset[str]], ...] = (
    ("litellm_csv", frozenset({"request_id", "spend", "prompt_tokens", "completion_tokens", "startTime"})),
    ("hourly_csv", frozenset({"hour", "model", "requests", "input_tokens", "output_tokens"})),
    ("generic_csv", frozenset({"timestamp", "model", "input_tokens", "output_tokens"})),
)
