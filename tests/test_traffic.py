"""Bring your own traffic: every format's fixture fits to hand-computed values, malformed files give
located errors and change nothing, and a fitted scenario round-trips through `estimate`.

Prices used below are the shipped catalog's gpt-4o-mini (USD per 1M tokens): input 0.15, cached
input 0.075, output 0.60, batch input 0.075, batch output 0.30; gpt-4o: input 2.50, cached 1.25,
output 10.00.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planner.cli import main
from planner.model.scenario import Scenario
from planner.traffic.analysis import analyze
from planner.traffic.fit import apply_fit, fit_scenario, traffic_stats
from planner.traffic.read import TrafficError, open_traffic
from planner.traffic.reprice import match_model, override_catalog_yaml
from pricing.loader import load_catalog, parse_catalog

FIX = Path(__file__).resolve().parent / "fixtures" / "traffic"
MINI_IN, MINI_CACHED, MINI_OUT, MINI_B_IN, MINI_B_OUT = 0.15, 0.075, 0.60, 0.075, 0.30


@pytest.fixture(scope="module")
def catalog():
    cat = load_catalog()
    m = cat.llms["gpt-4o-mini"]  # the arithmetic below is written at these prices
    assert (m.input_usd_per_1m_tokens.value, m.cached_input_usd_per_1m_tokens.value) == (MINI_IN, MINI_CACHED)
    assert (m.output_usd_per_1m_tokens.value, m.batch_input_usd_per_1m_tokens.value) == (MINI_OUT, MINI_B_IN)
    assert m.batch_output_usd_per_1m_tokens.value == MINI_B_OUT
    return cat


def fields(a):
    return {f.path: f.value for f in a.fit.fields}


def test_generic_csv_fits_by_hand(catalog):
    a = analyze([FIX / "generic.csv"], catalog, Scenario())
    s = a.stats
    # 8 requests in hours 10, 11, 12 (4, 1, 3): 3 hours; 8 / 3 × 730 a month
    assert s.requests == 8 and s.window_hours == 3
    assert s.queries_per_month == pytest.approx(8 / 3 * 730)
    assert s.peak_to_average == pytest.approx(4 / (8 / 3))  # 1.5
    # input 1000+1200+1100+1400+2000+1100+1200+1000 = 10,000 → mean 1,250
    assert s.input_mean == 1250
    # sorted 1000 1000 1100 1100 1200 1200 1400 2000: p50 at 3.5 → 1100 + 0.5×100; p95 at 6.65 → 1400 + 0.65×600
    assert s.input_p50 == pytest.approx(1150) and s.input_p95 == pytest.approx(1790)
    # output 100 200 300 400 500 100 200 300 = 2,100 → 262.5; sorted p50 at 3.5 → 250, p95 at 6.65 → 400 + 0.65×100
    assert s.output_mean == 262.5 and s.output_p50 == pytest.approx(250) and s.output_p95 == pytest.approx(465)
    # 5 of 8 requests read 1,024 cached tokens
    assert s.cache_hit_share == 5 / 8 and s.static_prefix_tokens == 1024
    assert s.batch_share == 1 / 8
    f = fields(a)
    assert f["workload.system_prompt_tokens"] == 1024 and f["workload.few_shot_tokens"] == 0
    assert f["workload.input_tokens_per_query"] == 1250 - 1024  # the prefix is not user input
    assert f["workload.output_tokens_per_query"] == 262  # round(262.5), banker's rounding to even
    assert f["stack.llm"] == "gpt-4o-mini"
    # reported 8 × 0.0005; repriced: 7 interactive requests: uncached (8000 − 5120) × 0.15 + 5120 × 0.075
    # + 1600 × 0.60; the batch one: 2000 × 0.075 + 500 × 0.30
    (row,) = a.reconciliation
    repriced = (
        (8000 - 5120) * MINI_IN + 5120 * MINI_CACHED + 1600 * MINI_OUT + 2000 * MINI_B_IN + 500 * MINI_B_OUT
    ) / 1e6
    assert row.reported_usd == pytest.approx(0.004)
    assert row.repriced_usd == pytest.approx(repriced)
    assert row.gap_pct == pytest.approx((0.004 - repriced) / repriced * 100)
    assert row.causes  # a gap above 5% names its likely causes
    # latency p50 of 1200 2200 3200 4200 5200 1200 2200 3200 → sorted, at 3.5 → (2200 + 3200) / 2
    (lat,) = a.latency
    assert lat.latency_p50_ms == pytest.approx(2700) and lat.ttft_p50_ms == pytest.approx(450)


def test_otel_spans_fit_and_round_trip(catalog):
    a = analyze([FIX / "otel.jsonl"], catalog, Scenario())
    s = a.stats
    assert [f.skipped for f in a.files] == [1]  # the retrieval span is not a model call
    # 4 spans in hours 9 (2), 10 (1), 11 (1)
    assert s.requests == 4 and s.window_hours == 3 and s.peak_to_average == pytest.approx(2 / (4 / 3))
    assert s.input_mean == (2000 + 2100 + 1900 + 2400) / 4
    assert s.input_p50 == pytest.approx(2050) and s.input_p95 == pytest.approx(2100 + 0.85 * 300)
    assert s.cache_hit_share == 3 / 4 and s.static_prefix_tokens == 1536
    assert fields(a)["workload.input_tokens_per_query"] == 2100 - 1536
    # latency: the span's duration 1, 2, 3, 4 s → p50 2.5 s
    assert a.latency[0].latency_p50_ms == pytest.approx(2500) and a.latency[0].ttft_p50_ms is None
    # observed, priced: uncached (8400 − 4608) × 0.15 + 4608 × 0.075 + 1000 × 0.60 over 3 hours, × 730 / 3
    observed = ((8400 - 4608) * MINI_IN + 4608 * MINI_CACHED + 1000 * MINI_OUT) / 1e6 * 730 / 3
    assert a.round_trip.observed_monthly_usd == pytest.approx(observed)
    assert abs(a.round_trip.gap_pct) < 2


def test_openai_usage_and_costs_reconcile(catalog):
    a = analyze([FIX / "openai_usage.json", FIX / "openai_costs.json"], catalog, Scenario())
    s = a.stats
    # two daily buckets: 48 hours, 50 + 25 + 25 requests
    assert s.requests == 100 and s.window_hours == 48
    assert s.queries_per_month == pytest.approx(100 / 48 * 730)
    assert s.input_mean == (100_000 + 50_000 + 60_000) / 100 and s.output_mean == (20_000 + 10_000 + 15_000) / 100
    assert s.batch_share == 25 / 100
    assert s.peak_to_average is None and s.input_p50 is None and s.cache_hit_share is None  # bucket totals only
    # cached 60,000 over 100 requests = 600 a request, read off the default prefix 300 + 1,500
    assert fields(a)["workload.cache_hit_share"] == pytest.approx(600 / 1800)
    (row,) = a.reconciliation
    assert match_model(catalog, row.model) == "gpt-4o-mini" == row.catalog_key  # dated snapshot matched
    # day 1 interactive: 60,000 × 0.15 + 40,000 × 0.075 + 20,000 × 0.60; batch: 50,000 × 0.075 + 10,000 × 0.30;
    # day 2: 40,000 × 0.15 + 20,000 × 0.075 + 15,000 × 0.60
    repriced = (60_000 * 0.15 + 40_000 * 0.075 + 20_000 * 0.6 + 50_000 * 0.075 + 10_000 * 0.3) / 1e6
    repriced += (40_000 * 0.15 + 20_000 * 0.075 + 15_000 * 0.6) / 1e6
    assert row.repriced_usd == pytest.approx(repriced)
    assert row.reported_usd == pytest.approx(0.02 + 0.02 + 0.01 + 0.01)
    assert row.gap_pct == pytest.approx((0.06 - repriced) / repriced * 100)


def test_costs_export_alone_is_refused(catalog):
    with pytest.raises(TrafficError, match="costs export holds money only"):
        analyze([FIX / "openai_costs.json"], catalog, Scenario())


@pytest.mark.parametrize("name", ["litellm.json", "litellm.csv"])
def test_litellm_spend_logs(catalog, name):
    a = analyze([FIX / name], catalog, Scenario())
    s = a.stats
    # 3 model calls (the JSON's 4th was answered from LiteLLM's own cache) in hours 8 (2) and 9 (1)
    assert s.requests == 3 and s.window_hours == 2
    assert s.peak_to_average == pytest.approx(2 / 1.5)
    assert s.input_mean == pytest.approx((1000 + 1500 + 1200) / 3)
    assert s.cache_hit_share == pytest.approx(2 / 3) and s.static_prefix_tokens == 1024
    (row,) = a.reconciliation
    repriced = ((3700 - 2048) * MINI_IN + 2048 * MINI_CACHED + 600 * MINI_OUT) / 1e6
    assert row.repriced_usd == pytest.approx(repriced)
    assert row.reported_usd == pytest.approx(0.00027 + 0.0002 + 0.0002)
    # time to first token: completionStartTime − startTime = 500, 400, 600 ms
    assert a.latency[0].ttft_p50_ms == pytest.approx(500)
    assert abs(a.round_trip.gap_pct) < 2


def test_langfuse_observations(catalog):
    a = analyze([FIX / "langfuse.json"], catalog, Scenario())
    s = a.stats
    # two GENERATIONs (the SPAN is left out); Langfuse's input leaves out the cached tokens: 800 + 1,024 and 500
    assert s.requests == 2 and s.input_mean == (800 + 1024 + 500) / 2
    assert s.cache_hit_share == 0.5 and s.window_hours == 1 and s.peak_to_average == 1
    (row,) = a.reconciliation
    repriced = (1300 * MINI_IN + 1024 * MINI_CACHED + 400 * MINI_OUT) / 1e6
    assert row.repriced_usd == pytest.approx(repriced) and row.reported_usd == pytest.approx(0.0005)
    assert row.causes == []  # −2.3%: within the 5% the bill and the catalog agree
    assert a.latency[0].ttft_p50_ms == pytest.approx((250 + 500) / 2)


def test_hourly_aggregate(catalog):
    a = analyze([FIX / "hourly.csv"], catalog, Scenario())
    s = a.stats
    # hours 00 (100), 01 (300 + 100), 02 (none), 03 (200): a 4-hour window
    assert s.requests == 700 and s.window_hours == 4
    assert [n for _, n in s.hourly] == [100, 400, 0, 200]
    assert s.peak_to_average == pytest.approx(400 / (700 / 4))
    assert s.cache_hit_share == pytest.approx(300 / 700) and s.static_prefix_tokens == pytest.approx(307_200 / 300)
    assert s.batch_share == pytest.approx(30 / 700)
    assert [m.model for m in s.models] == ["gpt-4o-mini", "gpt-4o"]
    gpt4o = next(r for r in a.reconciliation if r.model == "gpt-4o")
    p = catalog.llms["gpt-4o"]
    assert gpt4o.repriced_usd == pytest.approx(
        (100_000 * p.input_usd_per_1m_tokens.value + 20_000 * p.output_usd_per_1m_tokens.value) / 1e6
    )


def test_hourly_aggregate_with_token_histograms_fits_percentiles(catalog):
    a = analyze([FIX / "hourly.csv", FIX / "token_histogram.csv"], catalog, Scenario())
    s = a.stats
    assert s.requests == 700 and [f.format for f in s.files] == ["hourly_csv", "token_histogram_csv"]
    # input buckets, pooled over both models (each runs from the model's previous bound, 0 first):
    # [0, 1024] 100 + 50 = 150, [1024, 2048] 300 + 50 = 350, [2048, 4096] 200; 700 requests
    # p50: 350 requests; 150 below 1024, 500 below 2048 -> 1024 + (350 - 150) / 350 * 1024
    assert s.input_p50 == pytest.approx(1024 + 200 / 350 * 1024)  # 1,609.1
    # p95: 665 requests; 500 below 2048, 700 below 4096 -> 2048 + 165 / 200 * 2048
    assert s.input_p95 == pytest.approx(2048 + 165 / 200 * 2048)  # 3,737.6
    # output: gpt-4o-mini [0, 256] 200, [256, 512] 400; gpt-4o [0, 128] 40, [128, 384] 60 (bounds differ)
    # below 256: 200 + 40 + 60 * 128/256 = 270; below 384: 200 + 400 * 128/256 + 40 + 60 = 500; below 512: 700
    assert s.output_p50 == pytest.approx(256 + (350 - 270) / (500 - 270) * 128)  # 300.5
    assert s.output_p95 == pytest.approx(384 + (665 - 500) / (700 - 500) * 128)  # 489.6
    assert s.input_histogram == [(0, 1024, 150), (1024, 2048, 350), (2048, 4096, 200)]
    # the means still come from the hourly totals: 1,300,000 input tokens / 700 requests
    assert s.input_mean == pytest.approx((200_000 + 600_000 + 100_000 + 400_000) / 700)
    note = next(f.note for f in a.fit.fields if f.path == "workload.output_tokens_per_query")
    assert "p50 301, p95 490" in note
    assert not [w for w in a.fit.warnings if "histogram" in w]  # 700 requests each kind, as the hourly file
    # without the histogram file the aggregated form gives means only
    assert analyze([FIX / "hourly.csv"], catalog, Scenario()).stats.output_p50 is None


def test_token_histogram_of_other_traffic_is_flagged(catalog, tmp_path):
    hist = tmp_path / "hist.csv"
    # 650 requests' output tokens against the hourly file's 700: off by 7% (more than 1%)
    hist.write_text("model,tokens_kind,bucket_upper_tokens,requests\ngpt-4o-mini,output,256,650\n")
    a = analyze([FIX / "hourly.csv", hist], catalog, Scenario())
    assert a.stats.output_p50 == pytest.approx(128)  # half of 650 requests spread over [0, 256]
    assert a.stats.input_p50 is None  # no input buckets
    assert [w for w in a.fit.warnings if "token histogram counts 650 requests' output tokens against 700" in w]


def test_cli_fit_round_trips_through_estimate(tmp_path, capsys):
    out = tmp_path / "fitted.yaml"
    assert main(["traffic", "fit", str(FIX / "otel.jsonl"), "--out", str(out), "--format", "json"]) == 0
    fit = json.loads(capsys.readouterr().out)
    assert {f["path"] for f in fit["fitted"]} >= {"workload.queries_per_month", "workload.cache_hit_share"}
    assert all(f["source"] == "measured" and "4 requests" in f["provenance"] for f in fit["fitted"])
    text = out.read_text()
    assert "queries_per_month: 973.3" in text and "# fitted from traffic, 4 requests" in text
    assert main(["estimate", "--scenario", str(out), "--format", "json"]) == 0
    est = json.loads(capsys.readouterr().out)
    observed = ((8400 - 4608) * MINI_IN + 4608 * MINI_CACHED + 1000 * MINI_OUT) / 1e6 * 730 / 3
    monthly = est["architectures"]["prompt_only"]["at_queries_per_month"]["monthly_usd"]
    assert abs(monthly - observed) / observed < 0.02


def test_cli_reconcile_json_and_override(tmp_path, capsys):
    override = tmp_path / "measured.yaml"
    args = ["traffic", "reconcile", str(FIX / "litellm.json"), "--format", "json", "--write-override", str(override)]
    assert main(args) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["reconciliation"][0]["catalog_key"] == "gpt-4o-mini"
    assert set(d["monthly_usd_by_architecture"]) >= {"prompt_only", "rag"}
    loaded = parse_catalog(override.read_text(), str(override))
    ttft = loaded.catalog.llms["gpt-4o-mini"].ttft_ms
    assert ttft.value == 500 and ttft.high == pytest.approx(590)  # p95 of 400, 500, 600: 500 + 0.9 × 100
    assert "measured from your traffic" in ttft.source


MALFORMED = {
    "generic.csv": (
        "timestamp,model,input_tokens,output_tokens\n2026-11-02T10:00:00Z,m,10,5\n2026-11-02T11:00:00Z,m,ten,5\n",
        "line 3",
        "input_tokens",
    ),
    "hourly.csv": (
        "hour,model,requests,input_tokens,cached_input_tokens,output_tokens\n2026-11-05T00:00:00Z,m,1,10,20,5\n",
        "line 2",
        "cached_input_tokens",
    ),
    "token_histogram.csv": (
        "model,tokens_kind,bucket_upper_tokens,requests\nm,input,1024,10\nm,prompt,2048,5\n",
        "line 3",
        "tokens_kind",
    ),
    "litellm.csv": (
        "request_id,spend,prompt_tokens,completion_tokens,startTime,model\nr1,0.1,-5,3,2026-11-03T08:00:00Z,m\n",
        "line 2",
        "negative",
    ),
    "otel.jsonl": (
        '{"resourceSpans":[{"scopeSpans":[{"spans":[{"startTimeUnixNano":"yesterday","attributes":['
        '{"key":"gen_ai.request.model","value":{"stringValue":"m"}},'
        '{"key":"gen_ai.usage.input_tokens","value":{"intValue":"3"}},'
        '{"key":"gen_ai.usage.output_tokens","value":{"intValue":"3"}}]}]}]}]}\n',
        "record 1",
        "startTimeUnixNano",
    ),
    "openai_usage.json": (
        '{"object":"page","data":[{"start_time":1,"end_time":86401,"results":[{"object":'
        '"organization.usage.completions.result","input_tokens":5,"output_tokens":1}]}]}',
        "record 1",
        "num_model_requests",
    ),
    "openai_costs.json": (
        '{"object":"page","data":[{"start_time":1,"end_time":86401,"results":[{"object":'
        '"organization.costs.result","amount":{"value":1.5,"currency":"eur"}}]}]}',
        "record 1",
        "USD",
    ),
    "litellm.json": (
        '[{"request_id":"r","spend":0.1,"prompt_tokens":3,"completion_tokens":1,"model":"m"}]',
        "record 1",
        "startTime",
    ),
    "langfuse.json": (
        '{"data":[{"type":"GENERATION","startTime":"2026-11-04T12:00:00Z","model":"m","usageDetails":{"input":"x","output":1}}]}',
        "record 1",
        "usageDetails.input",
    ),
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_file_gives_located_error_and_writes_nothing(tmp_path, capsys, name):
    text, where, words = MALFORMED[name]
    bad = tmp_path / name
    bad.write_text(text)
    out = tmp_path / "fitted.yaml"
    out.write_text("name: kept\n")
    assert main(["traffic", "fit", str(bad), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"{bad}:{where}:" in err and words in err and "Traceback" not in err
    assert out.read_text() == "name: kept\n"  # nothing half-applied


@pytest.mark.parametrize("part_bytes", [16 * 1024**2, 150])
def test_broken_json_line_is_located_in_the_file_even_when_read_in_parts(tmp_path, monkeypatch, part_bytes):
    from planner.traffic import read

    monkeypatch.setattr(read, "PART_BYTES", part_bytes)  # 150 bytes: a part of about one export batch a line
    good = (FIX / "otel.jsonl").read_text().splitlines()[0]
    bad = tmp_path / "spans.jsonl"
    # lines 1-3 good, line 4 not JSON, line 5 good: the error names line 4 of this file, not of a part
    bad.write_text("\n".join([good, good, good, '{"resourceSpans": [}', good]) + "\n")
    with pytest.raises(TrafficError) as e:
        open_traffic([bad])
    assert e.value.file == str(bad) and e.value.where == "line 4"
    assert "part-" not in str(e.value) and "line 4:" in str(e.value)


def test_unknown_format_names_what_was_expected(tmp_path):
    bad = tmp_path / "x.csv"
    bad.write_text("a,b\n1,2\n")
    with pytest.raises(TrafficError, match="timestamp, model, input_tokens, output_tokens"):
        open_traffic([bad])
    folder = tmp_path / "dir.csv"
    folder.mkdir()
    with pytest.raises(TrafficError, match="not a regular file"):
        open_traffic([folder])


def test_apply_part_of_the_fit(catalog):
    con, files = open_traffic([FIX / "generic.csv"])
    stats = traffic_stats(con, files)
    fit = fit_scenario(stats, Scenario(), "prompt_only", "gpt-4o-mini")
    con.close()
    s = apply_fit(Scenario(), fit, ["workload.output_tokens_per_query"])
    assert (
        s.workload.output_tokens_per_query == 262
        and s.workload.queries_per_month == Scenario().workload.queries_per_month
    )
    with pytest.raises(TrafficError, match="not a fitted field"):
        apply_fit(Scenario(), fit, ["workload.top_k"])


def test_rag_logs_leave_out_retrieved_context(catalog):
    # logs from RAG carry top_k × chunk_tokens of retrieved text in every input: not user input
    a = analyze([FIX / "otel.jsonl"], catalog, Scenario(), architecture="rag")
    w = Scenario().workload
    assert fields(a)["workload.input_tokens_per_query"] == 2100 - 1536 - w.top_k * w.chunk_tokens or (
        2100 - 1536 - w.top_k * w.chunk_tokens < 0 and fields(a)["workload.input_tokens_per_query"] == 0
    )


def test_no_text_is_kept(catalog):
    con, _ = open_traffic([FIX / "litellm.json"])
    cols = [r[0] for r in con.execute("DESCRIBE traffic").fetchall()]
    assert not {"messages", "response", "input", "output"} & set(cols)
    dump = str(con.execute("SELECT * FROM traffic").fetchall())
    con.close()
    assert "never kept" not in dump


def test_override_catalog_is_valid(catalog):
    con, files = open_traffic([FIX / "generic.csv"])
    text = override_catalog_yaml(traffic_stats(con, files), catalog)
    con.close()
    assert parse_catalog(text, "measured.yaml").catalog.llms["gpt-4o-mini"].output_tokens_per_second.value > 0


def test_pdf_has_a_section_when_the_scenario_was_fitted(catalog, tmp_path, capsys):
    import io

    from pypdf import PdfReader

    from planner.report import build_report

    a = analyze([FIX / "otel.jsonl"], catalog, Scenario())

    def text(pdf: bytes) -> str:
        return "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)

    fitted = text(build_report(catalog, a.fitted, traffic=a))
    assert "Fitted from your traffic" in fitted and "4 requests" in fitted
    assert "973.333" in fitted  # 4 / 3 × 730 queries a month
    assert "Fitted from your traffic" not in text(build_report(catalog, a.fitted))
    # a field changed since the fit is no longer the traffic's: not listed
    moved = a.fitted.with_changes(**{"workload.queries_per_month": 5000})
    assert "973.333" not in text(build_report(catalog, moved, traffic=a))
    out = tmp_path / "r.pdf"
    assert main(["report", "--traffic", str(FIX / "otel.jsonl"), "--out", str(out)]) == 0
    assert "Fitted from your traffic" in text(out.read_bytes())


def test_retrieval_spans_suggest_the_logs_come_from_rag(catalog):
    # otel.jsonl holds one `retrieve` span with db.system: the fit says the logs may come from RAG
    a = analyze([FIX / "otel.jsonl"], catalog, Scenario())
    assert a.files[0].retrieval_spans == 1
    assert any("may come from RAG" in w for w in a.fit.warnings)
    assert not any(
        "may come from RAG" in w for w in analyze([FIX / "otel.jsonl"], catalog, Scenario(), "rag").fit.warnings
    )
