"""The scenario file: defaults, validation, answers kept in step, YAML round trip, shipped presets."""

from __future__ import annotations

import math
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np
import pytest
from pydantic import ValidationError

from planner.engine import estimate
from planner.model.answers import KnowledgeChange
from planner.model.files import SCENARIOS_DIR, load_scenario, parse_scenario, presets, scenario_yaml
from planner.model.scenario import ARCHITECTURES, Scenario
from pricing.errors import InputError, UnknownEntryError

SCENARIO_FILES = sorted((ROOT / "scenarios").glob("*.yaml"))
LOCATED = re.compile(r"^.+:\d+:\d+: ")
MINI_STACK = {
    "embedding_model": "emb",
    "vector_store": "pine",
    "reranker": "rr",
    "llm": "big",
    "fine_tune": "ft-api",
    "gpu": "gpu",
}


def problems_of(text: str, file: str = "s.yaml") -> list[str]:
    with pytest.raises(InputError) as exc:
        parse_scenario(text, file)
    out = [str(p) for p in exc.value.problems]
    assert out, "an InputError lists at least one problem"
    for p in out:
        assert LOCATED.match(p), f"not located as FILE:LINE:COL: {p}"
    return out


# =============================================================== empty and defaults


@pytest.mark.parametrize("text", ["", "   \n", "{}\n", "---\n", "# a comment\n{}\n", b"", b"{}"])
def test_empty_scenario_is_valid(text):
    s = parse_scenario(text)
    assert s == Scenario()


def test_comment_only_scenario_is_the_default():
    assert parse_scenario("# my scenario, all defaults\n") == Scenario()


def test_default_scenario_values():
    s = Scenario.model_validate({})
    assert s == Scenario()
    assert s.workload.queries_per_month == 100_000
    assert s.stack.serving == "api"
    assert s.horizon_months == 12
    assert s.volumes.min_queries_per_month < s.volumes.max_queries_per_month


def test_load_scenario_without_path_is_default():
    assert load_scenario(None) == Scenario()


def test_scenario_is_frozen():
    s = Scenario()
    with pytest.raises(ValidationError):
        s.horizon_months = 3


# ====================================================================== unknown keys


def test_unknown_top_level_key_did_you_mean():
    with pytest.raises(ValidationError, match=r"did you mean `horizon_months`"):
        Scenario.model_validate({"horizon_month": 6})


def test_unknown_nested_key_did_you_mean_is_located():
    text = "name: x\nworkload:\n  querys_per_month: 5\n"
    (p,) = problems_of(text)
    assert p.startswith("s.yaml:3:3: workload.querys_per_month:")
    assert "did you mean `queries_per_month`?" in p


def test_unknown_key_without_close_match_lists_known_keys():
    with pytest.raises(ValidationError, match=r"known keys: .*top_k"):
        Scenario.model_validate({"workload": {"zzzzzz": 1}})


def test_unknown_answer_key_did_you_mean():
    with pytest.raises(ValidationError, match=r"did you mean `knowledge_change`"):
        Scenario.model_validate({"answers": {"knowledge_changes": "daily"}})


# =============================================================== validation of values


def test_overlap_at_or_above_chunk_is_rejected():
    for overlap in (512, 600):
        with pytest.raises(ValidationError, match="chunk_overlap_tokens .* must be smaller than chunk_tokens"):
            Scenario.model_validate({"workload": {"chunk_tokens": 512, "chunk_overlap_tokens": overlap}})
    (p,) = problems_of("workload:\n  chunk_tokens: 100\n  chunk_overlap_tokens: 100\n")
    assert "must be smaller than chunk_tokens" in p
    # just below is fine
    assert (
        Scenario.model_validate(
            {"workload": {"chunk_tokens": 100, "chunk_overlap_tokens": 99}}
        ).workload.chunk_overlap_tokens
        == 99
    )


@pytest.mark.parametrize(
    "data",
    [
        {"workload": {"queries_per_month": -1}},
        {"workload": {"queries_per_month": float("nan")}},
        {"workload": {"top_k": 0}},
        {"workload": {"chunk_tokens": 0}},
        {"stack": {"serving": "on_prem"}},
        {"stack": {"target_utilization": 0}},
        {"stack": {"llm": "bad key!"}},
        {"volumes": {"min_queries_per_month": 1000, "max_queries_per_month": 1000}},
        {"horizon_months": 0},
        {"answers": {"knowledge_change": "hourly"}},
    ],
)
def test_invalid_values_rejected(data):
    with pytest.raises(ValidationError):
        Scenario.model_validate(data)


def test_negative_value_message_is_plain_and_located():
    (p,) = problems_of("workload:\n  output_tokens_per_query: -3\n")
    assert p.startswith("s.yaml:2:")
    assert "negative" in p


# ==================================================================== answers in step

LINKS = [
    # (answer id, path of the scenario field, a value)
    ("queries_per_month", ("workload", "queries_per_month"), 12_345.0),
    ("monthly_budget_usd", ("monthly_budget_usd",), 777.0),
    ("latency_p95_ms", ("latency_target_p95_ms",), 2500.0),
    ("labeled_examples", ("fine_tuning", "training_examples"), 321),
]


def _nest(path, value) -> dict:
    out = value
    for p in reversed(path):
        out = {p: out}
    return out


def _get(s: Scenario, path):
    node = s
    for p in path:
        node = getattr(node, p)
    return node


@pytest.mark.parametrize("answer, path, value", LINKS)
def test_answer_sets_scenario_field(answer, path, value):
    s = Scenario.model_validate({"answers": {answer: value}})
    assert _get(s, path) == value
    assert getattr(s.answers, answer) == value


@pytest.mark.parametrize("answer, path, value", LINKS)
def test_scenario_field_sets_answer_only_for_budget_and_latency(answer, path, value):
    """Budget and latency limit are choices, so setting them answers the question; volume and
    training-set size always have a value for pricing, which is not an answer to the questionnaire."""
    s = Scenario.model_validate(_nest(path, value))
    assert _get(s, path) == value
    mirrored = answer in ("monthly_budget_usd", "latency_p95_ms")
    assert getattr(s.answers, answer) == (value if mirrored else None)


@pytest.mark.parametrize("answer, path, value", LINKS)
def test_same_number_in_both_places_is_fine(answer, path, value):
    data = _nest(path, value)
    data["answers"] = {answer: value}
    s = Scenario.model_validate(data)
    assert _get(s, path) == value == getattr(s.answers, answer)


@pytest.mark.parametrize("answer, path, value", LINKS)
def test_disagreement_is_an_error(answer, path, value):
    data = _nest(path, value)
    data["answers"] = {answer: value + 1}
    with pytest.raises(ValidationError, match=rf"answers\.{answer} .* disagrees with {path[-1]}"):
        Scenario.model_validate(data)


def test_disagreement_in_a_file_is_a_located_error():
    text = "name: x\nworkload:\n  queries_per_month: 5000\nanswers:\n  queries_per_month: 6000\n"
    (p,) = problems_of(text, "bot.yaml")
    assert p.startswith("bot.yaml:")
    assert "answers.queries_per_month (6000" in p and "queries_per_month (5000" in p
    assert "give the number once" in p


EXPECTED_CHANGE = {
    # answer: (corpus share per month, knowledge retrains per month), as in docs/formulas.md
    "static": (0.0, 0.0),
    "yearly": (0.02, 1 / 12),
    "quarterly": (0.05, 1 / 3),
    "monthly": (0.10, 1.0),
    "weekly": (0.20, 52 / 12),
    "daily": (0.35, 365 / 12),
    "realtime": (0.50, 730.0),
}


@pytest.mark.parametrize("change", list(EXPECTED_CHANGE))
def test_knowledge_change_sets_share_and_retrains(change):
    share, retrains = EXPECTED_CHANGE[change]
    s = Scenario.model_validate({"answers": {"knowledge_change": change}})
    assert s.workload.corpus_change_share_per_month == pytest.approx(share)
    assert s.fine_tuning.knowledge_retrains_per_month == pytest.approx(retrains)
    assert s.answers.knowledge_change == KnowledgeChange(change)


def test_knowledge_change_does_not_override_given_values():
    s = Scenario.model_validate(
        {
            "answers": {"knowledge_change": "daily"},
            "workload": {"corpus_change_share_per_month": 0.01},
            "fine_tuning": {"knowledge_retrains_per_month": 2},
        }
    )
    assert s.workload.corpus_change_share_per_month == 0.01
    assert s.fine_tuning.knowledge_retrains_per_month == 2
    # one given, the other from the answer
    s = Scenario.model_validate(
        {"answers": {"knowledge_change": "daily"}, "workload": {"corpus_change_share_per_month": 0.01}}
    )
    assert s.workload.corpus_change_share_per_month == 0.01
    assert s.fine_tuning.knowledge_retrains_per_month == pytest.approx(365 / 12)


def test_knowledge_change_does_not_touch_hybrid_cadence():
    s = Scenario.model_validate({"answers": {"knowledge_change": "realtime"}})
    assert s.fine_tuning.behavior_retrains_per_month == Scenario().fine_tuning.behavior_retrains_per_month


# ======================================================================= with_changes


def test_with_changes_dotted_paths():
    s = Scenario.model_validate({"name": "a", "answers": {"queries_per_month": 1000, "labeled_examples": 10}})
    t = s.with_changes(**{"workload.top_k": 8, "stack.serving": "self_hosted", "name": "b"})
    assert t.workload.top_k == 8 and t.stack.serving == "self_hosted" and t.name == "b"
    assert s.workload.top_k == 5 and s.name == "a"  # the original is untouched
    assert t.workload.queries_per_month == s.workload.queries_per_month


def test_with_changes_validates():
    s = Scenario()
    with pytest.raises(ValidationError):
        s.with_changes(**{"workload.top_k": 0})
    with pytest.raises(ValidationError):
        s.with_changes(**{"workload.chunk_overlap_tokens": 10_000})


@pytest.mark.parametrize("answer, path, value", LINKS)
def test_with_changes_field_moves_its_answer(answer, path, value):
    s = Scenario.model_validate({"answers": {answer: value}})
    new = value * 2
    t = s.with_changes(**{".".join(path): new})
    assert _get(t, path) == new
    assert getattr(t.answers, answer) == new


@pytest.mark.parametrize("answer, path, value", LINKS)
def test_with_changes_answer_moves_its_field(answer, path, value):
    s = Scenario.model_validate({"answers": {answer: value}})
    new = value * 3
    t = s.with_changes(**{f"answers.{answer}": new})
    assert _get(t, path) == new
    assert getattr(t.answers, answer) == new


def test_with_changes_knowledge_change():
    s = Scenario.model_validate({"answers": {"knowledge_change": "static"}})
    t = s.with_changes(**{"answers.knowledge_change": "weekly"})
    assert t.workload.corpus_change_share_per_month == pytest.approx(0.20)
    assert t.fine_tuning.knowledge_retrains_per_month == pytest.approx(52 / 12)
    # unless given in the same call
    u = s.with_changes(**{"answers.knowledge_change": "weekly", "workload.corpus_change_share_per_month": 0.03})
    assert u.workload.corpus_change_share_per_month == 0.03
    assert u.fine_tuning.knowledge_retrains_per_month == pytest.approx(52 / 12)


def test_with_changes_keeps_answered_scenario_otherwise_equal():
    s = load_scenario(SCENARIO_FILES[0])
    t = s.with_changes(**{"workload.top_k": s.workload.top_k + 1})
    assert t.model_dump() | {"workload": None} == s.model_dump() | {"workload": None}
    assert t.workload.model_dump() | {"top_k": 0} == s.workload.model_dump() | {"top_k": 0}


def test_with_changes_of_an_unrelated_field_leaves_answers_unanswered():
    s = Scenario()
    t = s.with_changes(**{"workload.top_k": 8})
    assert t.answers == s.answers


# ========================================================================= round trip


def test_yaml_round_trip_of_a_fully_answered_scenario():
    s = Scenario.model_validate(
        {
            "name": "Round trip — ünïcode",
            "description": "line one\nline two: with a colon",
            "workload": {"queries_per_month": 123_456.5, "top_k": 7, "rerank": False, "chunk_overlap_tokens": 0},
            "fine_tuning": {"epochs": 2.5, "behavior_retrains_per_month": 1 / 6},
            "stack": {"serving": "self_hosted", "llm": "together-llama-3.1-8b", "min_replicas": 2},
            "monthly_budget_usd": 999.99,
            "latency_target_p95_ms": 3000,
            "horizon_months": 36,
            "volumes": {"min_queries_per_month": 10, "max_queries_per_month": 1e9, "points": 17},
            "answers": {
                "knowledge_change": "quarterly",
                "gap": "both",
                "citations_required": True,
                "labeled_examples": 1000,
            },
        }
    )
    text = scenario_yaml(s)
    assert text.startswith("#")
    assert parse_scenario(text) == s


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=[p.stem for p in SCENARIO_FILES])
def test_yaml_round_trip_of_shipped_scenarios(path):
    s = load_scenario(path)
    assert parse_scenario(scenario_yaml(s)) == s


def test_yaml_round_trip_of_the_default_scenario():
    s = Scenario()
    assert parse_scenario(scenario_yaml(s)) == s


# ================================================================= shipped scenarios


def test_there_are_shipped_scenarios():
    assert len(SCENARIO_FILES) >= 4
    assert Path(SCENARIOS_DIR).resolve() == (ROOT / "scenarios").resolve()


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=[p.stem for p in SCENARIO_FILES])
def test_shipped_scenario_loads_and_estimates(path, default_catalog):
    s = load_scenario(path)
    assert s.name and s.name != "Untitled scenario"
    est = estimate(default_catalog, s)
    assert set(est.priced) | set(est.ruled_out) == set(ARCHITECTURES)
    for a in est.priced:
        snap = est.current[a]
        assert math.isfinite(snap.monthly_usd) and snap.monthly_usd > 0
        assert snap.monthly_low_usd <= snap.monthly_usd <= snap.monthly_high_usd
        assert 0 < snap.latency_p50_ms <= snap.latency_p95_ms
        assert math.isfinite(snap.tco_usd)
        assert np.all(np.isfinite(est.series[a].total_usd))
    assert est.catalog_version == default_catalog.version


def test_presets_by_name():
    p = presets()
    assert len(p) == len(SCENARIO_FILES)  # names are unique
    for name, path in p.items():
        assert load_scenario(path).name == name


# =============================================================== unknown catalog key


def test_unknown_catalog_key_in_stack_suggests_the_closest(mini):
    s = Scenario.model_validate({"stack": {**MINI_STACK, "llm": "bgi"}})
    with pytest.raises(UnknownEntryError, match=r"stack\.llm: `bgi` .*did you mean `big`"):
        estimate(mini, s)
    s = Scenario.model_validate({"stack": {**MINI_STACK, "vector_store": "pinee"}})
    with pytest.raises(UnknownEntryError, match=r"stack\.vector_store: .*did you mean `pine`"):
        estimate(mini, s)


def test_unknown_catalog_key_without_close_match_lists_known(mini):
    s = Scenario.model_validate({"stack": {**MINI_STACK, "reranker": "zzzzzzzz"}})
    with pytest.raises(UnknownEntryError, match=r"known: rr"):
        estimate(mini, s)


def test_unknown_catalog_key_on_default_catalog(default_catalog):
    s = Scenario.model_validate({"stack": {"llm": "gpt-4o-mni"}})
    with pytest.raises(UnknownEntryError, match=r"did you mean `gpt-4o-mini`"):
        estimate(default_catalog, s)


def test_default_scenario_names_default_catalog_keys(default_catalog):
    est = estimate(default_catalog, Scenario())
    # 10,000 documents × 1,000 tokens do not fit the default model: long context is ruled out, with the reason
    assert set(est.current) == set(ARCHITECTURES) - {"long_context"}
    assert "does not fit" in est.ruled_out["long_context"]
