"""Read usage files into one normalized DuckDB table, out of core, with located errors.

`open_traffic(paths)` checks each file (a regular file, not too large), detects its format from its
first bytes, and loads its counts and times (never prompt or completion text) into the table
`traffic` of a DuckDB connection capped in memory and threads. DuckDB streams CSV and JSON from disk
and spills to a temporary folder past its memory limit, so a file larger than memory still reads.
Any problem raises `TrafficError` naming the file, the record and the fix; nothing is returned
half-read.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from planner.traffic.formats import CSV_SIGNATURES, FORMATS, Column, Format

#: Largest usage file read (bytes): a year of hourly aggregates or a few million spans fit well below.
MAX_FILE_BYTES = 4 * 1024**3
#: DuckDB's working memory; past it, it spills to a temporary folder.
MEMORY_LIMIT = "512MB"
THREADS = 2
SNIFF_BYTES = 65_536


class TrafficError(Exception):
    """A usage file could not be read: `file`, `where` (line or record) and a sentence with the fix."""

    def __init__(self, file: str, message: str, where: str = ""):
        self.file, self.where, self.message = file, where, message
        super().__init__(f"{file}:{where}: {message}" if where else f"{file}: {message}")


@dataclass(frozen=True)
class LoadedFile:
    path: str
    format: str
    title: str
    rows: int  # requests or buckets read
    skipped: int  # records that were not LLM calls (other spans, proxy-cache answers)
    retrieval_spans: int = 0  # of those, retrieval or embedding spans (OTel: the logs may come from RAG)


def check_file(path: str | Path) -> int:
    """The size of `path` in bytes, after checking it is a regular file within MAX_FILE_BYTES.
    (The one place usage files are vetted before reading.)"""
    name = str(path)
    try:
        st = os.stat(path)
    except OSError as e:
        raise TrafficError(name, f"cannot read the file ({e.strerror}): check the path") from None
    if not stat.S_ISREG(st.st_mode):
        raise TrafficError(name, "not a regular file: give a usage export file (CSV, JSON or JSON lines)")
    if st.st_size > MAX_FILE_BYTES:
        raise TrafficError(
            name,
            f"{st.st_size / 1024**3:.1f} GB is above the {MAX_FILE_BYTES / 1024**3:.0f} GB limit: aggregate it "
            "by hour first (the 'Aggregated form' query in docs/formulas.md)",
        )
    if st.st_size == 0:
        raise TrafficError(name, "the file is empty")
    return st.st_size


def detect_format(path: str | Path) -> Format:
    """The format of `path`, from its first bytes; a `TrafficError` naming what was expected otherwise."""
    name = str(path)
    with open(path, "rb") as f:
        head = f.read(SNIFF_BYTES).decode("utf-8", "replace").lstrip("\ufeff \t\r\n")
    if head.startswith(("{", "[")):
        if '"resourceSpans"' in head:
            return FORMATS["otel"]
        if "organization.usage.completions.result" in head:
            return FORMATS["openai_usage"]
        if "organization.costs.result" in head:
            return FORMATS["openai_costs"]
        if '"spend"' in head and ('"prompt_tokens"' in head or '"request_id"' in head):
            return FORMATS["litellm_json"]
        if any(k in head for k in ('"usageDetails"', '"completionStartTime"', '"GENERATION"', '"calculatedTotalCost"')):
            return FORMATS["langfuse"]
        raise TrafficError(
            name,
            "a JSON file of no known usage format: expected OTLP spans (resourceSpans), an OpenAI usage or costs "
            "export (organization.usage.completions.result / organization.costs.result), LiteLLM spend logs "
            "(spend, prompt_tokens) or Langfuse observations (usageDetails)",
            "1",
        )
    first = head.splitlines()[0] if head else ""
    header = {c.strip().strip('"') for c in first.split(",")}
    for fmt, needed in CSV_SIGNATURES:
        if needed <= header:
            return FORMATS[fmt]
    raise TrafficError(
        name,
        "no known usage format: a CSV needs the header columns timestamp, model, input_tokens, output_tokens "
        "(generic CSV), "
        "or hour, model, requests, input_tokens, output_tokens (aggregated hourly), or LiteLLM's spend-log "
        "columns; JSON must be an OTLP, OpenAI, LiteLLM or Langfuse export",
        "1",
    )


def _text(col: Column, fmt: Format) -> str:
    return f"CAST(({col.sql}) AS VARCHAR)"


def _typed(name: str, col: Column, prefix: str = "r.") -> str:
    raw = f"{prefix}{name}"
    if col.kind == "num":
        return f"TRY_CAST({raw} AS DOUBLE)"
    if col.kind == "bool":
        return f"TRY_CAST({raw} AS BOOLEAN)"
    if col.kind == "iso":
        return f"epoch(TRY_CAST({raw} AS TIMESTAMPTZ))"
    if col.kind == "epoch_s":
        return f"TRY_CAST({raw} AS DOUBLE)"
    if col.kind == "unix_nano":
        return f"TRY_CAST({raw} AS DOUBLE) / 1e9"
    return raw  # str


_KIND_WORDS = {
    "num": "a number",
    "bool": "true or false",
    "iso": "a date and time (ISO 8601, e.g. 2026-11-02T10:00:00Z)",
    "epoch_s": "seconds since 1970 (a whole number)",
    "unix_nano": "nanoseconds since 1970 (a whole number)",
    "str": "a text",
}


class Workspace:
    """An in-memory DuckDB database whose tables past the memory limit spill to a private temporary folder,
    removed on `close()` (with the parts a large file is read in). `execute` and `executemany` are DuckDB's."""

    def __init__(self) -> None:
        import duckdb

        self.folder = tempfile.mkdtemp(prefix="llm-planner-traffic-")
        self.con = duckdb.connect(config={"memory_limit": MEMORY_LIMIT, "threads": THREADS})
        for setting in (
            "TimeZone='UTC'",
            "enable_progress_bar=false",
            "preserve_insertion_order=true",
            f"temp_directory={_quote(os.path.join(self.folder, 'spill'))}",
        ):
            self.con.execute(f"SET {setting}")

    def execute(self, sql: str, params=None):
        return self.con.execute(sql, params) if params is not None else self.con.execute(sql)

    def executemany(self, sql: str, rows):
        return self.con.executemany(sql, rows)

    def close(self) -> None:
        self.con.close()
        shutil.rmtree(self.folder, ignore_errors=True)


def _connect() -> Workspace:
    return Workspace()


def _quote(path: str) -> str:
    return "'" + path.replace("'", "''") + "'"


def _where(fmt: Format, row_no: int) -> str:
    return f"line {row_no + 1}" if fmt.csv else f"record {row_no}"


def _located(e: Exception, name: str, json_lines: bool = False, lines_before: int = 0, part: str = "") -> TrafficError:
    """A DuckDB reading error as a located `TrafficError` (its line, when DuckDB names one). DuckDB 2.0's JSON
    reader names the line after the malformed one (`json_lines`: one less is given). Read from a part of the
    file (`part`, after `lines_before` lines), the line and the name are given as the file's."""
    text = str(e).split("\n")[0]
    m = re.search(r"(?:[Ll]ine|record/value)[: ]+(\d+)", text)
    line = int(m.group(1)) - (1 if json_lines else 0) + lines_before if m else None
    if m:
        text = text[: m.start()] + f"line {line}" + text[m.end() :]
    if part:
        text = text.replace(part, name)
    text = re.sub(r"^[A-Za-z ]*Error: ", "", text)
    return TrafficError(name, f"the file could not be read as its format: {text}", f"line {line}" if m else "")


def load_file(con, path: str | Path, fmt: Format | None = None, file_no: int = 0) -> LoadedFile:  # long: one pass
    """Read one file into the `traffic` table (created on first use). Raises `TrafficError`."""
    name = str(path)
    check_file(path)
    fmt = fmt or detect_format(path)
    source = fmt.records.replace("{file}", _quote(os.fspath(path)))
    cols = dict(fmt.columns)
    if fmt.csv:  # optional columns the file leaves out read as absent; a missing required one is named
        try:
            header = {r[0] for r in con.execute(f"DESCRIBE {source} LIMIT 0").fetchall()}
        except Exception as e:
            raise _located(e, name) from None
        for n, c in list(cols.items()):
            missing = [x for x in re.findall(r'"([^"]+)"', c.sql) if x not in header]
            if missing:
                if c.required:
                    raise TrafficError(name, f"the column `{missing[0]}` is missing: {_expected(fmt)}", "line 1")
                del cols[n]
        fmt = replace(fmt, columns=cols)
    raw_select = ", ".join(f"{_text(c, fmt)} AS {n}" for n, c in cols.items())
    keep = f"CAST(({fmt.where}) AS BOOLEAN)"
    try:
        con.execute("DROP TABLE IF EXISTS raw")
        # no window over the source (it would hold every record): the record's number is the row's place
        if not fmt.in_parts:
            con.execute(f"CREATE TABLE raw AS SELECT {keep} AS keep, {raw_select} FROM ({source}) s")
        for k, (part, lines_before) in enumerate(_parts(path, con.folder) if fmt.in_parts else []):
            into = "CREATE TABLE raw AS" if k == 0 else "INSERT INTO raw"
            records = fmt.records.replace("{file}", _quote(os.fspath(part)))
            try:
                con.execute(f"{into} SELECT {keep} AS keep, {raw_select} FROM ({records}) s")
            except Exception as e:  # the part's line and name, as the file's
                raise _located(e, name, True, lines_before, str(part)) from None
            if part != Path(path):
                os.remove(part)
    except TrafficError:
        raise
    except Exception as e:  # duckdb's errors carry their own line
        raise _located(e, name, not fmt.csv) from None
    total, kept = con.execute("SELECT count(*), count(*) FILTER (WHERE keep) FROM raw").fetchone()
    if not kept:
        raise TrafficError(name, f"no usage records in this {fmt.title} file: {_expected(fmt)}")
    _check_values(con, name, fmt)
    if fmt.name == "token_histogram_csv":
        return _insert_histogram(con, name, fmt, kept)
    retrieval = 0
    if "retrieval" in cols:
        retrieval = con.execute("SELECT count(*) FROM raw WHERE NOT keep AND retrieval IS NOT NULL").fetchone()[0]
    typed = {n: _typed(n, c) for n, c in cols.items()}
    _insert(con, fmt, typed, file_no)
    con.execute("DROP TABLE raw")
    skipped = total - kept
    proxy = 0
    if "proxy_cache_hit" in cols:
        proxy = con.execute(
            "SELECT count(*) FROM traffic WHERE file_no = ? AND model = '__proxy_cache__'", [file_no]
        ).fetchone()[0]
        con.execute("DELETE FROM traffic WHERE file_no = ? AND model = '__proxy_cache__'", [file_no])
    return LoadedFile(name, fmt.name, fmt.title, kept - proxy, skipped + proxy, retrieval)


#: JSON lines are read in parts of about this many bytes: DuckDB reads 2,048 lines at once, and 2,048
#: OTLP export batches of a few hundred spans each would not fit in its memory.
PART_BYTES = 16 * 1024**2


def _parts(path: str | Path, folder: str):
    """(`path` itself, 0) when small, else its lines in files of about PART_BYTES (in `folder`), in order,
    each with the number of the file's lines before it. Read in blocks cut after their last line end."""
    if os.path.getsize(path) <= PART_BYTES:
        yield Path(path), 0
        return
    with open(path, "rb") as f:
        k, before, rest = 0, 0, b""
        while True:
            block = f.read(PART_BYTES)
            data = rest + block
            if not data:
                return
            cut = data.rfind(b"\n") + 1 if block else len(data)
            if cut == 0:  # one line longer than a part: read on to its end
                rest = data
                continue
            part, rest = data[:cut], data[cut:]
            p = Path(folder) / f"part-{k}.jsonl"
            p.write_bytes(part)
            yield p, before
            k, before = k + 1, before + part.count(b"\n")


def _expected(fmt: Format) -> str:
    need = [c.label for c in fmt.columns.values() if c.required]
    return "each record needs " + ", ".join(need)


def _checks(fmt: Format) -> list[tuple[str, str, str]]:
    """(column, SQL true on a bad value, the sentence) of every check, in the order they are reported."""
    out = []
    for n, c in fmt.columns.items():
        typed = _typed(n, c, "")
        if c.required:
            out.append((n, f"({n} IS NULL OR trim({n}) = '')", f"`{c.label}` is missing: {_expected(fmt)}"))
        if c.kind != "str":
            out.append((n, f"({n} IS NOT NULL AND trim({n}) <> '' AND {typed} IS NULL)", f"not {_KIND_WORDS[c.kind]}"))
        if c.kind == "num":
            out.append((n, f"({typed} < 0)", f"`{c.label}` is negative: counts and costs are 0 or more"))
    if "cached_tokens" in fmt.columns and not fmt.input_excludes_cache:
        cached, inp = fmt.columns["cached_tokens"].label, fmt.columns["input_tokens"].label
        out.append(
            (
                "cached_tokens",
                "(TRY_CAST(cached_tokens AS DOUBLE) > TRY_CAST(input_tokens AS DOUBLE))",
                f"`{cached}` is above `{inp}`: cached input tokens are part of the input",
            )
        )
    if "tokens_kind" in fmt.columns:
        kind = "`tokens_kind` is neither input nor output: each bucket counts input or output tokens"
        out.append(("tokens_kind", "(lower(trim(tokens_kind)) NOT IN ('input', 'output'))", kind))
    if "currency" in fmt.columns:
        usd_only = "a cost in a currency other than USD: export costs in USD"
        out.append(("currency", "(lower(currency) <> 'usd')", usd_only))
    return out


def _check_values(con, name: str, fmt: Format) -> None:
    """The first record with a missing required value, a value of the wrong kind, or an impossible
    count (negative, cached above input), as a located error. One pass over the rows for every check."""
    checks = _checks(fmt)
    firsts = con.execute(
        "SELECT " + ", ".join(f"min(rowid) FILTER (WHERE keep AND {bad})" for _, bad, _ in checks) + " FROM raw"
    ).fetchone()
    found = [(row, k) for k, row in enumerate(firsts) if row is not None]
    if not found:
        return
    row, k = min(found)  # the first bad record; on it, the first check that fails
    column, _, sentence = checks[k]
    if sentence.startswith("not "):
        bad = con.execute(f"SELECT {column} FROM raw WHERE rowid = ?", [row]).fetchone()[0]
        sentence = f"`{fmt.columns[column].label}` is `{bad[:40]}`, {sentence}"
    raise TrafficError(name, sentence, _where(fmt, row + 1))


_TABLE = """CREATE TABLE IF NOT EXISTS traffic (
    file_no INTEGER, row_no BIGINT, t DOUBLE, bucket_s DOUBLE, model VARCHAR, requests DOUBLE,
    input_tokens DOUBLE, cached_tokens DOUBLE, write_tokens DOUBLE, output_tokens DOUBLE,
    hit_requests DOUBLE, batch_requests DOUBLE, cost_usd DOUBLE, latency_ms DOUBLE, ttft_ms DOUBLE)"""


def _insert(con, fmt: Format, typed: dict[str, str], file_no: int) -> None:
    def get(n: str, default: str = "NULL") -> str:
        return typed.get(n, default)

    requests = get("requests", "1.0")
    per_request = "requests" not in typed
    cached = f"coalesce({get('cached_tokens', '0')}, 0)"
    write = f"coalesce({get('write_tokens', '0')}, 0)"
    inp = f"coalesce({get('input_tokens', '0')}, 0)"
    if fmt.input_excludes_cache:
        inp = f"({inp} + {cached} + {write})"
    bucket = f"greatest(coalesce({get('end_t')} - {get('t')}, 0), 0)" if not per_request else "0.0"
    if fmt.name == "hourly_csv":
        bucket = "3600.0"
    hits = (
        get("hit_requests", f"CASE WHEN {cached} > 0 THEN 1.0 ELSE 0.0 END")
        if per_request
        else get("hit_requests", "NULL")
    )
    if per_request:
        batch = f"CASE WHEN coalesce({get('batch', 'FALSE')}, FALSE) THEN 1.0 ELSE 0.0 END"
    elif "batch_requests" in typed:
        batch = f"coalesce({typed['batch_requests']}, 0)"
    else:
        batch = f"CASE WHEN coalesce({get('batch', 'FALSE')}, FALSE) THEN {requests} ELSE 0.0 END"
    latency = get("latency_ms")
    if "end_t" in typed and per_request:
        latency = f"coalesce({latency}, ({typed['end_t']} - {typed['t']}) * 1000)"
    ttft = get("ttft_ms")
    if "first_t" in typed:
        ttft = f"coalesce({ttft}, ({typed['first_t']} - {typed['t']}) * 1000)"
    model = "r.model"
    if "proxy_cache_hit" in typed:
        model = f"CASE WHEN coalesce({typed['proxy_cache_hit']}, FALSE) THEN '__proxy_cache__' ELSE r.model END"
    con.execute(_TABLE)
    con.execute(
        f"""INSERT INTO traffic SELECT {file_no}, r.rowid + 1, {get("t")}, {bucket}, {model}, {requests},
        {inp}, {cached}, {write}, coalesce({get("output_tokens", "0")}, 0), {hits}, {batch},
        {get("cost_usd")}, {latency}, {ttft} FROM raw r WHERE r.keep"""
    )


def _insert_histogram(con, name: str, fmt: Format, rows: int) -> LoadedFile:
    """The checked histogram rows into the table `token_histogram` (model, kind, upper bound, requests)."""
    con.execute(_TABLE)  # a histogram file alone reads as no requests, not as a missing table
    con.execute(
        "CREATE TABLE IF NOT EXISTS token_histogram (model VARCHAR, kind VARCHAR, upper DOUBLE, requests DOUBLE)"
    )
    con.execute(
        f"""INSERT INTO token_histogram SELECT model, lower(trim(tokens_kind)),
        {_typed("bucket_upper_tokens", fmt.columns["bucket_upper_tokens"], "")},
        {_typed("requests", fmt.columns["requests"], "")} FROM raw"""
    )
    con.execute("DROP TABLE raw")
    return LoadedFile(name, fmt.name, fmt.title, rows, 0)


def open_traffic(paths, progress=None):
    """A DuckDB connection holding the table `traffic` read from `paths`, and a `LoadedFile` per file.
    `progress(done_files, total_files, name)` is called after each file. Raises `TrafficError`."""
    paths = [Path(p) for p in paths]
    if not paths:
        raise TrafficError("<traffic>", "no usage file given")
    for p in paths:  # vet every file before reading any
        check_file(p)
        detect_format(p)
    con = _connect()
    loaded = []
    try:
        for k, p in enumerate(paths):
            loaded.append(load_file(con, p, file_no=k))
            if progress:
                progress(k + 1, len(paths), str(p))
    except BaseException:
        con.close()
        raise
    return con, loaded
