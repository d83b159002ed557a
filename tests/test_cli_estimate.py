"""`python -m planner estimate`: JSON, CSV and table output, and plain errors without tracebacks."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

import pytest

from planner.cli import main
from planner.engine import estimate
from planner.model import format as fmt
from planner.model.files import load_scenario
from planner.model.scenario import ARCHITECTURES
from planner.model.vocabulary import COMPONENT_LABELS, LABELS, ONE_TIME_LABELS
from pricing.loader import load_catalog

MINI_PATH = ROOT / "tests" / "fixtures" / "mini_catalog.yaml"
SCENARIO_FILES = sorted((ROOT / "scenarios").glob("*.yaml"))

SCENARIO_TEXT = """\
name: CLI test
workload:
  queries_per_month: 100000
  peak_to_average_ratio: 1
  system_prompt_tokens: 100
  input_tokens_per_query: 200
  output_tokens_per_query: 300
  few_shot_tokens: 1000
  top_k: 4
  chunk_tokens: 500
  chunk_overlap_tokens: 50
  corpus_documents: 100000
  tokens_per_document: 1000
  corpus_change_share_per_month: 0.1
fine_tuning:
  training_examples: 1000
  tokens_per_example: 500
  epochs: 2
  knowledge_retrains_per_month: 2
  behavior_retrains_per_month: 0.5
stack:
  embedding_model: emb
  vector_store: pine
  reranker: rr
  llm: big
  fine_tune: ft-lora
  gpu: gpu
"""

TOP_KEYS = {
    "schema_version",
    "scenario",
    "catalog",
    "queries_per_month",
    "volumes_queries_per_month",
    "architectures",
    "break_evens",
    "sensitivity",
    "warnings",
}
ARCH_KEYS = {
    "label",
    "monthly_usd",
    "monthly_low_usd",
    "monthly_high_usd",
    "components_usd",
    "usd_per_1k_queries",
    "latency_p50_ms",
    "latency_p95_ms",
    "one_time_usd",
    "one_time_total_usd",
    "tco_usd",
    "at_queries_per_month",
}
AT_KEYS = {
    "monthly_usd",
    "monthly_low_usd",
    "monthly_high_usd",
    "components_usd",
    "usd_per_1k_queries",
    "latency_p50_ms",
    "latency_p95_ms",
}
COMPONENT_KEYS = {
    "inference",
    "gpu_serving",
    "model_hosting",
    "query_embedding",
    "vector_store",
    "reranking",
    "reembedding",
    "training",
    "cache_storage",
}
ONE_TIME_KEYS = {"engineering", "initial_indexing", "labeling", "first_training"}
BREAK_EVEN_KEYS = {"between", "queries_per_month", "usd_per_month", "cheaper_below", "cheaper_above", "at_step"}
SENSITIVITY_KEYS = {"input", "label", "low_usd", "high_usd"}


@pytest.fixture
def scenario_file(tmp_path):
    p = tmp_path / "scenario.yaml"
    p.write_text(SCENARIO_TEXT, encoding="utf-8")
    return p


def run(capsys, *args):
    code = main(["estimate", *args])
    out, err = capsys.readouterr()
    return code, out, err


def run_mini(capsys, scenario_file, *args):
    return run(capsys, "--scenario", str(scenario_file), "--catalog", str(MINI_PATH), *args)


def rel(x, r=2e-6):
    # numbers in the JSON are rounded to 6 significant digits
    return pytest.approx(x, rel=r, abs=1e-9)


# ============================================================================== JSON


def test_json_has_documented_keys(capsys, scenario_file):
    code, out, err = run_mini(capsys, scenario_file, "--format", "json", "--volumes", "1000,10000")
    assert code == 0, err
    doc = json.loads(out)
    assert TOP_KEYS <= set(doc)
    assert doc["schema_version"] == 1
    assert doc["scenario"] == "CLI test"
    assert doc["catalog"] == {"version": "test-1", "date": "2026-11-01"}
    assert doc["queries_per_month"] == 100000
    assert doc["volumes_queries_per_month"] == [1000, 10000]
    # the knowledge base (100,000 × 1,000 tokens) does not fit the mini model’s 100,000-token window
    assert set(doc["architectures"]) == set(ARCHITECTURES) - {"long_context"}
    assert set(doc["ruled_out"]) == {"long_context"} and "context window" in doc["ruled_out"]["long_context"]
    for a, body in doc["architectures"].items():
        assert ARCH_KEYS <= set(body), a
        assert body["label"] == LABELS[a]
        assert set(body["components_usd"]) == COMPONENT_KEYS
        assert set(body["one_time_usd"]) == ONE_TIME_KEYS
        assert AT_KEYS <= set(body["at_queries_per_month"])
        assert set(body["at_queries_per_month"]["components_usd"]) == COMPONENT_KEYS
        for k in (
            "monthly_usd",
            "monthly_low_usd",
            "monthly_high_usd",
            "usd_per_1k_queries",
            "latency_p50_ms",
            "latency_p95_ms",
        ):
            assert len(body[k]) == 2, (a, k)
        for comp in body["components_usd"].values():
            assert len(comp) == 2
    for be in doc["break_evens"]:
        assert BREAK_EVEN_KEYS <= set(be)
        assert len(be["between"]) == 2
    for a, rows in doc["sensitivity"].items():
        assert a in ARCHITECTURES
        for row in rows:
            assert SENSITIVITY_KEYS <= set(row)
    assert isinstance(doc["warnings"], list)
    # component and one-time names are the engine's
    assert COMPONENT_KEYS == set(COMPONENT_LABELS)
    assert ONE_TIME_KEYS == set(ONE_TIME_LABELS)


def test_json_figures_equal_estimate(capsys, scenario_file):
    code, out, err = run_mini(capsys, scenario_file, "--format", "json", "--volumes", "1000,10000")
    assert code == 0, err
    doc = json.loads(out)
    est = estimate(load_catalog(MINI_PATH), load_scenario(scenario_file), volumes=[1000, 10000])
    for a in est.priced:
        body, ser, snap = doc["architectures"][a], est.series[a], est.current[a]
        assert body["monthly_usd"] == [rel(v) for v in ser.total_usd]
        assert body["monthly_low_usd"] == [rel(v) for v in ser.low_usd]
        assert body["monthly_high_usd"] == [rel(v) for v in ser.high_usd]
        assert body["usd_per_1k_queries"] == [rel(v) for v in ser.usd_per_1k_queries]
        assert body["latency_p50_ms"] == [rel(v) for v in ser.latency_p50_ms]
        assert body["latency_p95_ms"] == [rel(v) for v in ser.latency_p95_ms]
        for k, v in ser.components_usd.items():
            assert body["components_usd"][k] == [rel(x) for x in v], (a, k)
        at = body["at_queries_per_month"]
        assert at["monthly_usd"] == rel(snap.monthly_usd)
        assert at["monthly_low_usd"] == rel(snap.monthly_low_usd)
        assert at["monthly_high_usd"] == rel(snap.monthly_high_usd)
        assert at["usd_per_1k_queries"] == rel(snap.usd_per_1k_queries)
        assert at["latency_p50_ms"] == rel(snap.latency_p50_ms)
        assert at["latency_p95_ms"] == rel(snap.latency_p95_ms)
        assert at["components_usd"] == {k: rel(v) for k, v in snap.components_usd.items()}
        assert body["one_time_usd"] == {k: rel(v) for k, v in snap.one_time_usd.items()}
        assert body["one_time_total_usd"] == rel(snap.one_time_total_usd)
        assert body["tco_usd"] == rel(snap.tco_usd)
    assert len(doc["break_evens"]) == len(est.break_evens)
    for j, b in zip(doc["break_evens"], est.break_evens, strict=True):
        assert j["between"] == [b.a, b.b]
        assert j["queries_per_month"] == rel(b.queries_per_month)
        assert j["cheaper_below"] == b.cheaper_below and j["cheaper_above"] == b.cheaper_above
        assert j["at_step"] == b.at_step
    for a, rows in est.sensitivity.items():
        assert [r["input"] for r in doc["sensitivity"][a]] == [x.input for x in rows]
    # a hand-checked figure, to tie the CLI to the formulas: prompt-only at 100k queries
    assert doc["architectures"]["prompt_only"]["at_queries_per_month"]["monthly_usd"] == rel(
        100_000 * ((100 + 200 + 1000) * 1.0 + 300 * 4.0) / 1e6  # 250
    )
    # fine-tuned at 1000 queries: 1000 × (300 × 0.2 + 300 × 0.2) / 1e6 + 730 hosting + 2 × 0.5 training
    assert doc["architectures"]["fine_tuned"]["monthly_usd"][0] == rel(1000 * 120 / 1e6 + 730 + 2 * 0.5)


def test_json_default_grid_when_no_volumes(capsys, scenario_file):
    code, out, err = run_mini(capsys, scenario_file, "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert len(doc["volumes_queries_per_month"]) == 200  # the scenario's default range
    assert doc["volumes_queries_per_month"][0] == 1000
    assert doc["volumes_queries_per_month"][-1] == rel(10_000_000)


def test_json_volumes_sorted_deduplicated_and_underscores(capsys, scenario_file):
    code, out, err = run_mini(capsys, scenario_file, "--format", "json", "--volumes", "10_000, 1000,10000")
    assert code == 0, err
    assert json.loads(out)["volumes_queries_per_month"] == [1000, 10000]


# =============================================================================== CSV


def test_csv_one_row_per_volume_and_architecture(capsys, scenario_file):
    code, out, err = run_mini(capsys, scenario_file, "--format", "csv", "--volumes", "1000,10000,100000")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 3 * 4
    assert {(float(r["queries_per_month"]), r["architecture"]) for r in rows} == {
        (v, a) for v in (1000.0, 10000.0, 100000.0) for a in ARCHITECTURES if a != "long_context"
    }  # long context is ruled out: the mini scenario's knowledge base does not fit the model
    header = out.splitlines()[0].split(",")
    assert header[:8] == [
        "queries_per_month",
        "architecture",
        "monthly_usd",
        "monthly_low_usd",
        "monthly_high_usd",
        "usd_per_1k_queries",
        "latency_p50_ms",
        "latency_p95_ms",
    ]
    assert set(header[8:-3]) == {f"{c}_usd" for c in COMPONENT_KEYS}
    # the same option through the API and on GPUs (planner.engine.comparison), added at the end
    assert header[-3:] == ["api_monthly_usd", "self_hosted_monthly_usd", "self_hosted_gpus"]
    est = estimate(load_catalog(MINI_PATH), load_scenario(scenario_file), volumes=[1000, 10000, 100000])
    for r in rows:
        k = [1000.0, 10000.0, 100000.0].index(float(r["queries_per_month"]))
        ser = est.series[r["architecture"]]
        assert float(r["monthly_usd"]) == rel(ser.total_usd[k])
        assert float(r["latency_p95_ms"]) == rel(ser.latency_p95_ms[k])
        for c in COMPONENT_KEYS:
            assert float(r[f"{c}_usd"]) == rel(ser.components_usd[c][k])
        # components add up to the total (to the 6 digits printed)
        assert sum(float(r[f"{c}_usd"]) for c in COMPONENT_KEYS) == pytest.approx(float(r["monthly_usd"]), rel=1e-5)
    po = [r for r in rows if r["architecture"] == "prompt_only" and float(r["queries_per_month"]) == 100000][0]
    assert float(po["monthly_usd"]) == rel(250.0)


# ============================================================================= table


def test_table_names_all_architectures(capsys, scenario_file):
    code, out, err = run_mini(capsys, scenario_file, "--format", "table", "--volumes", "1000,10000")
    assert code == 0, err
    for a in ARCHITECTURES:  # priced, or named in the line that says why not
        assert LABELS[a] in out
    assert "Long context is ruled out: the knowledge base (100,000,000 tokens)" in out
    assert "CLI test" in out
    assert "Break-even volumes" in out
    assert "Monthly spend over volume" in out  # short grids print the volume table


def test_table_is_the_default_format(capsys, scenario_file):
    code, out, err = run_mini(capsys, scenario_file, "--volumes", "1000,10000")
    assert code == 0, err
    assert all(LABELS[a] in out for a in ARCHITECTURES)


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=[p.stem for p in SCENARIO_FILES])
def test_shipped_scenarios_on_default_catalog(capsys, path):
    code, out, err = run(capsys, "--scenario", str(path), "--format", "json", "--volumes", "1000,10000")
    assert code == 0, err
    doc = json.loads(out)
    assert set(doc["architectures"]) | set(doc["ruled_out"]) == set(ARCHITECTURES)
    assert not set(doc["architectures"]) & set(doc["ruled_out"])


def test_default_scenario_and_catalog(capsys):
    code, out, err = run(capsys, "--format", "table", "--volumes", "1000,10000")
    assert code == 0, err
    assert all(LABELS[a] in out for a in ARCHITECTURES)


# ============================================================================ errors


def assert_plain_error(code, out, err):
    assert code == 1
    assert err.strip(), "a message on stderr"
    assert "Traceback" not in err and "Traceback" not in out
    assert out == ""


@pytest.mark.parametrize("volumes", ["abc", "1000,x", "0", "-5", "1e12", "nan", "inf", ",", "1000;2000"])
def test_bad_volumes(capsys, scenario_file, volumes):
    code, out, err = run_mini(capsys, scenario_file, "--format", "json", "--volumes", volumes)
    assert_plain_error(code, out, err)
    assert "--volumes" in err


def test_broken_yaml_scenario(capsys, tmp_path):
    p = tmp_path / "broken.yaml"
    p.write_text("workload:\n  queries_per_month: [1, 2\n", encoding="utf-8")
    code, out, err = run(capsys, "--scenario", str(p), "--catalog", str(MINI_PATH), "--format", "json")
    assert_plain_error(code, out, err)
    assert str(p) in err


def test_invalid_scenario_value_is_located(capsys, tmp_path):
    p = tmp_path / "bad.yaml"
    p.write_text("name: bad\nworkload:\n  top_k: 0\n", encoding="utf-8")
    code, out, err = run(capsys, "--scenario", str(p), "--catalog", str(MINI_PATH), "--format", "csv")
    assert_plain_error(code, out, err)
    assert f"{p}:3:" in err and "workload.top_k" in err


def test_unknown_key_in_scenario_file(capsys, tmp_path):
    p = tmp_path / "typo.yaml"
    p.write_text("workload:\n  querys_per_month: 10\n", encoding="utf-8")
    code, out, err = run(capsys, "--scenario", str(p), "--catalog", str(MINI_PATH))
    assert_plain_error(code, out, err)
    assert "did you mean `queries_per_month`" in err


def test_unknown_catalog_entry_in_scenario(capsys, tmp_path):
    p = tmp_path / "entry.yaml"
    p.write_text(SCENARIO_TEXT.replace("llm: big", "llm: bgi"), encoding="utf-8")
    code, out, err = run(capsys, "--scenario", str(p), "--catalog", str(MINI_PATH), "--format", "json")
    assert_plain_error(code, out, err)
    assert "did you mean `big`" in err


def test_missing_scenario_file(capsys, tmp_path):
    code, out, err = run(capsys, "--scenario", str(tmp_path / "nope.yaml"), "--catalog", str(MINI_PATH))
    assert_plain_error(code, out, err)


def test_binary_scenario_file(capsys, tmp_path):
    p = tmp_path / "bin.yaml"
    p.write_bytes(b"\x00\x01\x02 binary")
    code, out, err = run(capsys, "--scenario", str(p), "--catalog", str(MINI_PATH))
    assert_plain_error(code, out, err)


# ======================= absurd inputs answer or are refused (how fast: benchmarks/bench_refusals.py)


def test_absurd_utilization_is_refused_quickly_with_its_line(capsys, tmp_path):
    """The scenario behind `/costs?serving=self_hosted&…&stack.target_utilization=1e-300` (issue 12)."""
    p = tmp_path / "absurd.yaml"
    p.write_text(
        "name: absurd\nstack:\n  llm: small\n  fine_tune: ft-lora\n  serving: self_hosted\n"
        "  target_utilization: 1.0e-300\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, "--scenario", str(p), "--catalog", str(MINI_PATH), "--format", "json")
    assert_plain_error(code, out, err)
    assert f"{p}:6:" in err and "stack.target_utilization" in err


def test_crawling_gpu_throughput_answers_quickly_with_a_warning(capsys, tmp_path):
    slow = tmp_path / "slow-gpu.yaml"
    slow.write_text(
        MINI_PATH.read_text(encoding="utf-8").replace(
            "vllm_8b_tokens_per_second: {value: 1000,", "vllm_8b_tokens_per_second: {value: 0.001,"
        ),
        encoding="utf-8",
    )
    p = tmp_path / "sh.yaml"
    p.write_text(
        "name: slow\nworkload:\n  queries_per_month: 1.0e9\n"
        "stack:\n  embedding_model: emb\n  vector_store: pine\n  reranker: rr\n  gpu: gpu\n"
        "  llm: small\n  fine_tune: ft-lora\n  serving: self_hosted\n  target_utilization: 0.05\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, "--scenario", str(p), "--catalog", str(slow), "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert any("replicas" in w and "throughput" in w for w in data["warnings"])


@pytest.mark.parametrize("field", ["output_tokens_per_second", "vllm_8b_tokens_per_second"])
def test_zero_throughput_is_a_located_catalog_error(capsys, tmp_path, field):
    bad = tmp_path / "zero.yaml"
    text = MINI_PATH.read_text(encoding="utf-8")
    marker = f"{field}: {{value: "
    assert marker in text
    start = text.index(marker) + len(marker)
    end = text.index(",", start)
    bad.write_text(text[:start] + "0" + text[end:], encoding="utf-8")
    p = tmp_path / "sh.yaml"
    p.write_text("name: z\nstack:\n  llm: small\n  fine_tune: ft-lora\n  serving: self_hosted\n", encoding="utf-8")
    code, out, err = run(capsys, "--scenario", str(p), "--catalog", str(bad))
    assert_plain_error(code, out, err)
    assert field in err and "above zero" in err


def test_table_shows_first_token_and_full_answer_latency(capsys, tmp_path):
    p = tmp_path / "limit.yaml"
    p.write_text(
        SCENARIO_TEXT + "latency_target_p95_ms: 500\nlatency_limit_applies_to: first_token\n", encoding="utf-8"
    )
    code, out, err = run(capsys, "--scenario", str(p), "--catalog", str(MINI_PATH), "--volumes", "1000,10000")
    assert code == 0, err
    est = estimate(load_catalog(MINI_PATH), load_scenario(p), volumes=[1000, 10000])
    c = est.current["rag"]
    assert (
        f"  RAG: first token {fmt.ms(c.first_token_p50_ms)} / {fmt.ms(c.first_token_p95_ms)}; "
        f"full answer {fmt.ms(c.latency_p50_ms)} / {fmt.ms(c.latency_p95_ms)}"
    ) in out
    assert "Limits: p95 500 ms to the first token" in out  # an older file's one limit, read as the first-token one
    assert f"RAG: {est.latency_gap_advice('rag')}" in out
