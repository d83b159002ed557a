"""Provenance of every input and the assumptions that move the result (docs/formulas.md, "Provenance and
assumptions"): each number says where it came from, and each assumed one what it moves, checked by hand."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from planner.cli import main
from planner.engine import estimate
from planner.engine.provenance import SOURCES, assumptions, control_for, provenance
from planner.model.scenario import Scenario

ROOT = Path(__file__).resolve().parents[1]


def by_field(rows):
    return {r.field: r for r in rows}


def test_typed_numbers_are_yours_and_the_rest_assumed(default_catalog):
    s = Scenario.model_validate({"workload": {"queries_per_month": 50_000, "top_k": 8}})
    rows = by_field(provenance(s, estimate(default_catalog, s)))
    assert rows["workload.queries_per_month"].source == "you" and rows["workload.queries_per_month"].value == 50_000
    assert rows["workload.top_k"].source == "you"
    assert rows["stack.target_utilization"].source == "assumed" and rows["stack.target_utilization"].value == 0.6
    assert rows["workload.peak_to_average_ratio"].source == "assumed"
    # the cache-hit share nobody set is measured from traffic, per option, with its value
    hit = rows["workload.cache_hit_share"]
    assert hit.source == "measured" and isinstance(hit.value, dict) and "prompt_only" in hit.value
    # the catalog's figures, with their own source
    llm = rows["gpt-6-luna.input_usd_per_1m_tokens"]
    assert llm.source == "catalog" and llm.note.startswith("genai-prices")
    assert {r.source for r in rows.values()} <= set(SOURCES)


def test_a_preset_value_is_the_presets_until_changed():
    preset = Scenario.model_validate(yaml.safe_load((ROOT / "scenarios" / "support-bot.yaml").read_text()))
    moved = preset.with_changes(**{"workload.top_k": preset.workload.top_k + 1})
    rows = by_field(provenance(moved, None, preset))
    assert rows["workload.top_k"].source == "you"
    assert rows["workload.queries_per_month"].source == "preset"
    assert rows["stack.target_utilization"].source == "assumed"  # the preset does not set it either


def test_each_row_names_the_control_that_sets_it():
    assert control_for("stack.target_utilization") == "Assumptions › Target utilization"
    assert control_for("workload.cache_hit_share") == "Assumptions › Prompt-cache hits"
    assert control_for("workload.corpus_documents") == "Knowledge base › Documents"
    retrains = "fine_tuning.behavior_retrains_per_month"
    assert control_for(retrains) == f"scenario file: {retrains}"


def test_assumptions_ranked_by_the_swing_they_cause(default_catalog):
    s = Scenario()
    rows = assumptions(default_catalog, s, estimate(default_catalog, s))
    swings = [a.swing_usd for a in rows]
    assert swings == sorted(swings, reverse=True) and all(x > 0 for x in swings)
    day = by_field(rows)["one_time.usd_per_engineering_day"]
    # $800 a day, priced at $400 and $1,600: the option with the most engineering days is hybrid (40 days):
    # 40 × ($1,600 − $400) = $48,000 over the horizon
    assert (day.low_value, day.high_value, day.option) == (400.0, 1600.0, "hybrid")
    assert day.swing_usd == 40 * (1600 - 400)
    # a number the user gave is not an assumption
    given = s.with_changes(**{"one_time.usd_per_engineering_day": 800})
    assert "one_time.usd_per_engineering_day" not in by_field(
        assumptions(default_catalog, given, estimate(default_catalog, given))
    )


def test_estimate_json_carries_provenance_and_assumptions(capsys, tmp_path):
    p = tmp_path / "s.yaml"
    p.write_text("workload:\n  queries_per_month: 50000\n", encoding="utf-8")
    assert main(["estimate", "--scenario", str(p), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    rows = {r["field"]: r for r in doc["provenance"]}
    assert rows["workload.queries_per_month"] == {
        "field": "workload.queries_per_month",
        "value": 50000.0,
        "source": "you",
        "control": "Queries per month",
    }
    assert doc["assumptions"] and set(doc["assumptions"][0]) == {
        "field",
        "value",
        "low_value",
        "high_value",
        "option",
        "low_usd",
        "high_usd",
        "swing_usd",
        "control",
    }
    swings = [a["swing_usd"] for a in doc["assumptions"]]
    assert swings == sorted(swings, reverse=True)


def test_cli_table_lists_the_assumptions_and_the_measured_hit_share(capsys):
    assert main(["estimate"]) == 0
    out = capsys.readouterr().out
    assert "Assumed values that move the result" in out
    assert "(set it: One-time costs › Engineer day rate)" in out
    assert "Prompt-cache hit share, measured from your traffic" in out


def test_pdf_lists_the_assumptions_and_the_measured_hit_share(default_catalog):
    import io
    from datetime import date

    from pypdf import PdfReader

    from planner.report import build_report

    s = Scenario()
    pdf = build_report(default_catalog, s, today=date(2026, 12, 6), invariant=True)
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).replace("\n", " ")
    assert "3.0 Assumed values that move the result" in text
    est = estimate(default_catalog, s)
    top = assumptions(default_catalog, s, est)[0]
    assert top.control.split(" › ")[0] in text  # the largest swing's control is named
    assert "measured from traffic: Prompt only" in text  # not "none set"
    assert "assumed (a default)" in text  # each default in the inputs table says so


def test_a_dated_scenario_gives_json_provenance(capsys, tmp_path):
    p = tmp_path / "s.yaml"
    p.write_text("start_date: 2026-12-01\nlatency_limit_applies_to: first_token\n", encoding="utf-8")
    assert main(["estimate", "--scenario", str(p), "--format", "json"]) == 0
    rows = {r["field"]: r for r in json.loads(capsys.readouterr().out)["provenance"]}
    assert rows["start_date"] == {
        "field": "start_date",
        "value": "2026-12-01",
        "source": "you",
        "control": "scenario file: start_date",
    }


def test_cli_preset_values_are_the_presets(capsys):
    assert main(["estimate", "--preset", "support-bot", "--format", "json"]) == 0
    rows = {r["field"]: r for r in json.loads(capsys.readouterr().out)["provenance"]}
    assert rows["workload.queries_per_month"]["source"] == "preset"
    assert rows["stack.target_utilization"]["source"] == "assumed"  # the preset does not set it
