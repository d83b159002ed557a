"""Measured quality on every headless surface: the support-bot preset with pass rates of 70% (prompt only) and
92% (RAG) and a $4 failure cost ranks RAG first on outcome cost in the JSON, the recommendation, the CLI and the
PDF, each saying why; each eval format imports to the pass rates counted by hand; a malformed file is located."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from pypdf import PdfReader

from planner import report
from planner.cli import main
from planner.engine import estimate
from planner.model.files import load_scenario
from planner.quality.imports import measured_rates, parse_eval, read_eval_bytes, read_eval_file, with_measured
from planner.questionnaire import recommend
from pricing.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
FIX = ROOT / "tests" / "fixtures" / "eval"
QUALITY = """
quality:
  pass_rate: {prompt_only: 0.70, rag: 0.92}
  sample_size: {prompt_only: 100, rag: 100}
  failure_cost_usd: 4
"""


@pytest.fixture
def measured_file(tmp_path) -> Path:
    path = tmp_path / "support-bot-measured.yaml"
    path.write_text((ROOT / "scenarios" / "support-bot.yaml").read_text() + QUALITY)
    return path


def test_support_bot_ranks_rag_first_on_outcome_cost_in_the_json(catalog, measured_file, capsys):
    assert main(["estimate", "--scenario", str(measured_file), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    po = doc["architectures"]["prompt_only"]["at_queries_per_month"]
    rag = doc["architectures"]["rag"]["at_queries_per_month"]
    q = 200_000
    # cheapest by tokens is prompt only ...
    assert po["monthly_usd"] < rag["monthly_usd"]
    # ... but per successful answer: (spend + q·(1−p)·$4) / (q·p)
    assert po["cost_per_successful_answer_usd"] == pytest.approx(
        (po["monthly_usd"] + q * 0.3 * 4) / (q * 0.7), rel=1e-5
    )
    assert rag["cost_per_successful_answer_usd"] == pytest.approx(
        (rag["monthly_usd"] + q * 0.08 * 4) / (q * 0.92), rel=1e-5
    )
    assert rag["outcome_monthly_usd"] == pytest.approx(rag["monthly_usd"] + q * 0.08 * 4, rel=1e-5)
    assert rag["cost_per_successful_answer_usd"] < po["cost_per_successful_answer_usd"]
    for body in (po, rag):
        assert body["pass_rate_low"] < body["pass_rate"] < body["pass_rate_high"]
        assert body["cost_per_successful_answer_low_usd"] < body["cost_per_successful_answer_usd"]
        assert body["cost_per_successful_answer_usd"] < body["cost_per_successful_answer_high_usd"]
    assert doc["quality"]["ranking_by_cost_per_successful_answer"] == ["rag", "prompt_only"]
    assert doc["quality"]["dominated"] == {"prompt_only": "rag"}
    # not measured: keys present, null, nothing borrowed
    assert doc["architectures"]["hybrid"]["at_queries_per_month"]["pass_rate"] is None
    assert doc["architectures"]["hybrid"]["at_queries_per_month"]["cost_per_successful_answer_usd"] is None


def test_support_bot_recommendation_and_cli_say_why(catalog, measured_file, capsys):
    s = load_scenario(measured_file)
    rec = recommend(s, estimate(catalog, s))
    assert rec.winner.key == "rag"
    said = "\n".join(rec.findings)
    assert "On measured quality RAG ranks first on outcome cost: $0.351 per successful answer" in said
    assert "Prompt only is the cheapest by tokens ($31.20 a month against $522), but 30.0% of its answers fail" in said
    assert "Prompt only is dominated by RAG" in said
    assert main(["recommend", "--scenario", str(measured_file)]) == 0
    out = capsys.readouterr().out
    assert "On measured quality RAG ranks first on outcome cost" in out
    assert main(["estimate", "--scenario", str(measured_file)]) == 0
    table = capsys.readouterr().out
    assert "Measured quality (failure cost $4.00, retries 0):" in table
    assert "60K failures a month at $4.00 each add $240K" in table


def test_support_bot_pdf_says_why(catalog, measured_file):
    s = load_scenario(measured_file)
    pdf = report.build_report(catalog, s, invariant=True)
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)
    # its own number, after the sensitivity's 2.5 (both once: no two headings share a number)
    assert text.count("2.5 What moves") == 1 and text.count("2.6 Cost per successful answer") == 1
    assert "2.5 Cost per successful answer" not in text
    assert "On measured quality RAG ranks first on outcome cost: $0.351 per successful answer" in text
    assert "Prompt only is dominated by RAG" in text


def test_without_a_quality_section_nothing_changes(catalog):
    s = load_scenario(ROOT / "scenarios" / "support-bot.yaml")
    est = estimate(catalog, s)
    rec = recommend(s, est)
    assert not any("measured quality" in f.lower() for f in rec.findings)
    assert all(r.dominated_by is None for r in rec.ranking)
    d = est.to_dict()
    assert d["quality"]["measured"] == []
    assert d["architectures"]["rag"]["at_queries_per_month"]["pass_rate"] is None


def test_retries_price_the_retried_queries_through_the_engine(catalog, measured_file):
    # one retry at p = 0.92: A = 1 + 0.08 = 1.08 attempts a query → spend at 216,000 queries a month
    text = measured_file.read_text().replace("failure_cost_usd: 4", "failure_cost_usd: 4\n  retries: 1")
    measured_file.write_text(text)
    s = load_scenario(measured_file)
    est = estimate(catalog, s)
    at = estimate(catalog, s, volumes=[216_000.0])
    rag = est.quality.options["rag"]
    assert rag.attempts_per_query == pytest.approx(1.08)
    assert rag.spend_usd == pytest.approx(float(at.series["rag"].total_usd[0]), rel=1e-9)
    # failures after two attempts: 200,000 · 0.08² = 1,280 × $4
    assert rag.outcome_monthly_usd == pytest.approx(rag.spend_usd + 1_280 * 4, rel=1e-9)


# ------------------------------------------------------------------ eval files, counted by hand


@pytest.mark.parametrize(
    ("name", "fmt", "counts"),
    [
        # testIdx 0 and 2 pass for prompt only (3 failed with an error: a failure); RAG fails testIdx 3 only
        ("promptfoo.json", "promptfoo", {"Prompt only": (2, 4), "RAG": (3, 4)}),
        # C, I, C, P, C: "P" (partial) is not a pass
        ("inspect.json", "inspect", {"openai/gpt-6-luna": (3, 5)}),
        # four match events, one incorrect; the sampling event is not a case
        ("openai_evals.jsonl", "openai_evals", {"rag-pipeline": (3, 4)}),
        ("deepeval.json", "deepeval", {"fine-tuned": (2, 3)}),
        ("generic.csv", "csv", {"prompt_only": (2, 3), "rag": (3, 4), "hybrid": (1, 2)}),
    ],
)
def test_each_eval_format_imports_to_the_counts_by_hand(name, fmt, counts):
    imp = read_eval_file(FIX / name)
    assert imp.format == fmt
    assert imp.counts == counts


def test_imported_files_become_pass_rates_and_sample_sizes(catalog):
    imports = [read_eval_file(FIX / "promptfoo.json"), read_eval_file(FIX / "inspect.json")]
    rates = measured_rates(imports, {"openai/gpt-6-luna": "long_context"})
    assert rates == {"prompt_only": (2, 4), "rag": (3, 4), "long_context": (3, 5)}
    s = with_measured(load_scenario(None), rates)
    assert (s.quality.pass_rate.rag, s.quality.sample_size.rag) == (0.75, 4)
    assert (s.quality.pass_rate.long_context, s.quality.sample_size.long_context) == (0.6, 5)
    # a one-option file can be put under an architecture with `option`
    assert measured_rates([read_eval_file(FIX / "deepeval.json")], option="hybrid") == {"hybrid": (2, 3)}


def test_an_unmapped_option_is_named_with_the_fix():
    with pytest.raises(InputError) as e:
        measured_rates([read_eval_file(FIX / "inspect.json")])
    assert "option `openai/gpt-6-luna` is not an architecture: map it with --map" in str(e.value)


@pytest.mark.parametrize(
    ("name", "where"),
    [
        ("malformed.csv", "malformed.csv:3:3: passed: `passed` is `maybe`"),
        ("malformed_promptfoo.json", "results.results[1].success: each result needs `success`"),
        ("broken.json", "broken.json:2:33: not valid JSON"),
    ],
)
def test_a_malformed_eval_file_gives_a_located_error(name, where):
    with pytest.raises(InputError) as e:
        read_eval_file(FIX / name)
    assert where in str(e.value)


def test_malformed_lines_and_values_are_located():
    with pytest.raises(InputError) as e:
        parse_eval(b'{"spec": {"completion_fns": ["x"]}}\n{"type": "match", "data": {"correct": "yes"}}\n', "r.jsonl")
    assert "r.jsonl:2:1: data.correct" in str(e.value)
    with pytest.raises(InputError) as e:
        parse_eval(b"option,case_id,passed\nrag,c1,true\nrag,c1,false\n", "dup.csv")
    assert "dup.csv:3:2: case_id: case `c1` of `rag` is listed twice" in str(e.value)
    with pytest.raises(InputError) as e:
        parse_eval(b'{"eval": {"model": "m"}, "samples": [{"scores": {"s": {"value": "maybe"}}}]}', "i.json")
    assert "samples[0].scores.s.value" in str(e.value)
    with pytest.raises(InputError) as e:
        parse_eval(b"PK\x03\x04rest-of-a-zip", "run.eval")
    assert "inspect log convert --to json" in str(e.value)
    with pytest.raises(InputError) as e:
        parse_eval(b"a,b\n1,2\n", "other.csv")
    assert "lacks option, case_id, passed" in str(e.value)


def test_json_nested_too_deeply_is_refused_with_its_place_not_a_recursion_error():
    # 200,000 open brackets: Python's JSON decoder raises RecursionError, which no page or command catches
    with pytest.raises(InputError) as e:
        parse_eval(b'{"results": ' + b"[" * 200_000, "deep.json")
    assert "deep.json:1:1:" in str(e.value) and "nested too deeply" in str(e.value)
    with pytest.raises(InputError) as e:  # the same on the second line of an OpenAI evals record
        parse_eval(b'{"spec": {"completion_fns": ["x"]}}\n' + b"[" * 200_000, "deep.jsonl")
    assert "deep.jsonl:2:1:" in str(e.value) and "nested too deeply" in str(e.value)


def test_only_regular_files_within_the_size_limit_are_read(tmp_path):
    with pytest.raises(InputError) as e:
        read_eval_bytes(tmp_path)
    assert "not a regular file" in str(e.value)
    big = tmp_path / "big.csv"
    big.write_bytes(b"option,case_id,passed\n" + b"rag,c,true\n" * 10)
    with pytest.raises(InputError) as e:
        read_eval_bytes(big, limit=50)
    assert "above the 50-byte limit" in str(e.value)
    if hasattr(os, "mkfifo"):
        fifo = tmp_path / "pipe"
        os.mkfifo(fifo)
        with pytest.raises(InputError):
            read_eval_bytes(fifo)  # refused without opening it (a read would hang)


def test_cli_imports_and_refuses_a_bad_file_without_changing_anything(capsys, measured_file):
    assert main(["quality", "import", str(FIX / "generic.csv")]) == 0
    out = capsys.readouterr().out
    assert "rag: 3 of 4 passed (75.0%)" in out
    assert "rag: 0.75" in out
    code = main(["estimate", "--scenario", str(measured_file), "--eval", str(FIX / "malformed.csv")])
    err = capsys.readouterr().err
    assert code == 1 and "malformed.csv:3:3: passed" in err and "Traceback" not in err
    # --eval replaces the measured rates of the architectures it covers: RAG 3 of 4 from the CSV
    assert (
        main(["estimate", "--scenario", str(measured_file), "--eval", str(FIX / "generic.csv"), "--format", "json"])
        == 0
    )
    rag = json.loads(capsys.readouterr().out)["architectures"]["rag"]["at_queries_per_month"]
    assert (rag["pass_rate"], rag["sample_size"]) == (0.75, 4)


def test_the_documented_quality_section_is_a_valid_scenario(catalog):
    import re

    from planner.model.files import read_scenario

    text = (ROOT / "docs" / "formulas.md").read_text(encoding="utf-8")
    block = next(b for b in re.findall(r"```yaml\n(.*?)```", text, flags=re.S) if b.startswith("quality:"))
    s, _ = read_scenario(block, "docs/formulas.md")
    assert s.quality.pass_rate.rag == 0.92 and s.quality.failure_cost_usd == 4
    est = estimate(catalog, s)
    # the documented model point is priced with its own model: RAG on gpt-4o
    (point,) = est.quality.models
    assert point.id == "rag:gpt-4o" and point.spend_usd > 0


def test_the_quality_chart_is_a_valid_plotly_figure_with_the_frontier(catalog, measured_file):
    import plotly.graph_objects as go

    from planner.figures.quality import FRONTIER_TRACE, quality_figure

    est = estimate(catalog, load_scenario(measured_file))
    fig = go.Figure(quality_figure(est.quality).to_dict())  # validated by plotly this time
    names = [t.name for t in fig.data]
    assert names == ["Prompt only", "RAG", FRONTIER_TRACE]
    # each point at its spend and pass rate, its error bar the Wilson interval
    rag = fig.data[1]
    o = est.quality.options["rag"]
    assert (rag.x[0], rag.y[0]) == pytest.approx((o.spend_usd, 0.92))
    assert rag.error_y.array[0] == pytest.approx(o.pass_rate_high - 0.92)


def test_outcome_cost_over_the_horizon_and_what_measuring_would_settle(catalog, tmp_path, capsys):
    s = load_scenario(ROOT / "scenarios" / "support-bot.yaml")
    est = estimate(catalog, s.with_changes(**{"quality": {"pass_rate": {"rag": 0.92}, "sample_size": {"rag": 100}}}))
    rag = est.quality.options["rag"]
    # one-time costs + 12 months of (spend + 200,000 · 0.08 · $0 failures)
    assert rag.outcome_tco_usd == pytest.approx(est.current["rag"].one_time_total_usd + 12 * rag.outcome_monthly_usd)
    # no rate measured, a $4 failure cost: RAG pays for its extra spend over prompt only if its pass rate is
    # higher by (RAG − prompt only monthly) ÷ (200,000 · $4 / 100) points
    path = tmp_path / "settle.yaml"
    path.write_text((ROOT / "scenarios" / "support-bot.yaml").read_text() + "quality:\n  failure_cost_usd: 4\n")
    est = estimate(catalog, load_scenario(path))
    gap = (est.current["rag"].monthly_usd - est.current["prompt_only"].monthly_usd) / (200_000 * 4 / 100)
    assert main(["estimate", "--scenario", str(path)]) == 0
    out = capsys.readouterr().out
    assert "No measured pass rates" in out
    assert f"RAG {gap:.2f} points" in out


def test_a_scenario_with_measured_quality_round_trips_through_its_yaml(measured_file):
    from planner.model.files import read_scenario, scenario_yaml

    s = load_scenario(measured_file)
    again, _ = read_scenario(scenario_yaml(s), "downloaded.yaml")
    assert again == s and again.quality.pass_rate.rag == 0.92


def test_the_quality_chart_money_ticks_are_round_and_in_the_money_format():
    from planner.figures.quality import usd_ticks

    # log from $15.60 to $1,044: the 1-2-5 values inside
    assert usd_ticks(15.6, 1044, True) == ([20, 50, 100, 200, 500, 1000], ["$20", "$50", "$100", "$200", "$500", "$1K"])
    # linear $0–$3,877: a fifth is $775, the nearest 1-2-5 step is $1,000
    assert usd_ticks(0, 3877, False) == ([0, 1000, 2000, 3000], ["$0", "$1K", "$2K", "$3K"])


def test_a_dominated_winner_is_marked_kept_from_recommended_and_moved_down(catalog, tmp_path):
    path = tmp_path / "tickets.yaml"
    path.write_text(
        (ROOT / "scenarios" / "ticket-classification.yaml").read_text()
        + "quality:\n  pass_rate: {fine_tuned: 0.70, prompt_only: 0.95}\n"
        "  sample_size: {fine_tuned: 200, prompt_only: 200}\n  failure_cost_usd: 1\n"
    )
    s = load_scenario(path)
    plain = load_scenario(ROOT / "scenarios" / "ticket-classification.yaml")
    before = recommend(plain, estimate(catalog, plain))
    assert before.winner.key == "fine_tuned" and before.winner.verdict == "recommended"
    est = estimate(catalog, s)
    o = est.quality.options
    # the intervals: fine-tuned's high end below prompt only's low end, at no lower cost per success
    assert o["fine_tuned"].pass_rate_high < o["prompt_only"].pass_rate_low
    assert o["fine_tuned"].cost_per_successful_answer_usd >= o["prompt_only"].cost_per_successful_answer_usd
    rec = recommend(s, est)
    ft = rec.get("fine_tuned")
    assert ft.dominated_by == "prompt_only" and ft.verdict == "viable"
    assert ft.reasons[0].startswith("Dominated on measured quality by Prompt only")
    keys = [r.key for r in rec.ranking]
    assert keys.index("fine_tuned") > max(keys.index(k) for k in keys if k != "fine_tuned" and not rec.get(k).ruled_out)
    assert rec.winner.key != "fine_tuned"
    # the watch-outs and the plan follow the new winner, not the dominated one
    assert (rec.watch_outs, rec.plan) != (before.watch_outs, before.plan)
