"""Lifecycle across the product: which entries a scenario uses are shut down, closed to new
customers, or stop inside its horizon (planner/engine/lifecycle.py), and every surface says so — the
estimate's warnings (CLI, Python API, app, PDF) and `python -m planner validate`.

The catalog is `tests/fixtures/mini_catalog.yaml` with hand-written lifecycles spliced in; the day
is fixed (2026-11-30), so every date below is checked by hand against it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from planner.cli import main
from planner.engine import estimate
from planner.engine.lifecycle import (
    CLOSED,
    CLOSES_IN_HORIZON,
    SHUT_DOWN,
    SHUTS_DOWN_IN_HORIZON,
    add_months,
    catalog_notices,
    prices_checked_after_shutdown,
    scenario_issues,
    switched,
)
from planner.model.files import ScenarioWarning, load_scenario
from planner.model.scenario import Scenario
from pricing.loader import parse_catalog
from tests.hand_scenario import BASE_STACK

MINI = (Path(__file__).resolve().parent / "fixtures" / "mini_catalog.yaml").read_text(encoding="utf-8")
TODAY = date(2026, 11, 30)

BIG_END = '    output_tokens_per_second: {value: 100, source: "test", checked: 2026-11-01}\n  small:\n'
FT_API_HEAD = "  ft-api:\n    name: Tuned big\n"
RR_HEAD = "  rr:\n    name: Rerank\n"
EMB_HEAD = "  emb:\n    name: Test embedding\n"


def life(indent: str = "    ", **dates) -> str:
    lines = [f"{indent}lifecycle:"]
    lines += [f"{indent}  {k}: {v}" for k, v in dates.items()]
    lines += [f'{indent}  source: "vendor deprecations page"', f"{indent}  checked: 2026-11-01"]
    return "\n".join(lines) + "\n"


def with_big(lifecycle: str, text: str = MINI) -> str:
    return text.replace(BIG_END, BIG_END.replace("  small:\n", "") + lifecycle + "  small:\n")


def with_after(head: str, lifecycle: str, text: str = MINI) -> str:
    assert text.count(head) == 1
    return text.replace(head, head + lifecycle)


def cat(text: str):
    return parse_catalog(text, "cat.yaml").catalog


STACK = BASE_STACK


def scenario(horizon: int = 12, rerank: bool = True, **stack) -> Scenario:
    return Scenario.model_validate(
        {"horizon_months": horizon, "workload": {"rerank": rerank}, "stack": {**STACK, **stack}}
    )


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize(
    "day, months, expected",
    [
        (date(2026, 11, 30), 12, date(2027, 11, 30)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),  # February has no 30th: its last day
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),  # across the year
        (date(2026, 11, 30), 24, date(2028, 11, 30)),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


# ---------------------------------------------------------------- what the scenario uses


def test_no_lifecycle_no_issue():
    assert scenario_issues(cat(MINI), scenario(), TODAY) == []


def test_shut_down_llm_names_its_replacement():
    c = cat(with_big(life(shuts_down_on="2026-10-23", replacement="small")))
    (issue,) = scenario_issues(c, scenario(), TODAY)
    assert (issue.kind, issue.key, issue.on, issue.replacement, issue.field) == (
        SHUT_DOWN,
        "big",
        date(2026, 10, 23),
        "small",
        "llm",
    )
    assert issue.unavailable
    msg = issue.message()
    assert "LLM Big model (`big`) was shut down on 2026-10-23" in msg
    assert msg.endswith("— its replacement: Small open model (`small`)")


def test_shutdown_inside_the_horizon():
    # 2027-01-14 < 2026-11-30 + 12 months = 2027-11-30
    c = cat(with_big(life(deprecated_on="2026-10-14", shuts_down_on="2027-01-14", replacement="small")))
    (issue,) = scenario_issues(c, scenario(horizon=12), TODAY)
    assert issue.kind == SHUTS_DOWN_IN_HORIZON and not issue.unavailable
    assert "shuts down on 2027-01-14, inside the scenario's 12-month horizon" in issue.message()


def test_shutdown_after_the_horizon_is_no_issue():
    # 2 months: the horizon ends 2027-01-30, before the 2027-03-01 shutdown
    c = cat(with_big(life(deprecated_on="2026-10-14", shuts_down_on="2027-03-01")))
    assert scenario_issues(c, scenario(horizon=2), TODAY) == []
    # 3 months: the horizon ends 2027-02-28, still before 2027-03-01
    assert scenario_issues(c, scenario(horizon=3), TODAY) == []
    # 4 months: the horizon ends 2027-03-30, after it
    assert [i.kind for i in scenario_issues(c, scenario(horizon=4), TODAY)] == [SHUTS_DOWN_IN_HORIZON]


def test_shutdown_on_the_last_day_of_the_horizon_is_outside_it():
    c = cat(with_big(life(shuts_down_on="2027-11-30")))  # = TODAY + 12 months
    assert scenario_issues(c, scenario(horizon=12), TODAY) == []
    c = cat(with_big(life(shuts_down_on="2027-11-29")))
    assert len(scenario_issues(c, scenario(horizon=12), TODAY)) == 1


def test_deprecated_without_dates_is_no_issue():
    c = cat(with_big(life(deprecated_on="2026-06-01", replacement="small")))
    assert scenario_issues(c, scenario(), TODAY) == []


def test_closed_offer_says_when_it_stops_too():
    text = with_after(
        FT_API_HEAD,
        life(closed_to_new_on="2026-05-07", shuts_down_on="2027-01-14", replacement="ft-lora"),
    )
    (issue,) = scenario_issues(cat(text), scenario(), TODAY)
    assert (issue.kind, issue.on, issue.field, issue.replacement) == (
        CLOSED,
        date(2026, 5, 7),
        "fine_tune",
        "ft-lora",
    )
    msg = issue.message()
    assert "Fine-tuning offer Tuned big (`ft-api`) is closed to new customers since 2026-05-07" in msg
    assert "it shuts down on 2027-01-14" in msg and "LoRA small (`ft-lora`)" in msg


def test_closing_inside_the_horizon():
    text = with_after(FT_API_HEAD, life(closed_to_new_on="2027-01-06"))
    (issue,) = scenario_issues(cat(text), scenario(), TODAY)
    assert issue.kind == CLOSES_IN_HORIZON and issue.replacement is None and issue.field is None
    assert "closes to new customers on 2027-01-06" in issue.message() and "no replacement is named" in issue.message()


def test_reranker_counts_only_when_reranking():
    text = with_after(RR_HEAD, life(shuts_down_on="2026-01-01"))
    assert [i.key for i in scenario_issues(cat(text), scenario(rerank=True), TODAY)] == ["rr"]
    assert scenario_issues(cat(text), scenario(rerank=False), TODAY) == []


def test_embedding_model_counts():
    text = with_after(EMB_HEAD, life(shuts_down_on="2026-01-01", replacement="emb-local"))
    (issue,) = scenario_issues(cat(text), scenario(), TODAY)
    assert issue.role == "Embedding model" and issue.field == "embedding_model"


def test_base_model_of_a_serverless_offer_counts_once():
    # ft-api is tuned on `big`; the scenario's own LLM is `small`: big's shutdown stops the tuned model
    c = cat(with_big(life(shuts_down_on="2026-10-23", replacement="small")))
    (issue,) = scenario_issues(c, scenario(llm="small"), TODAY)
    assert issue.key == "big" and issue.role == "Base model of the fine-tuning offer"
    assert issue.field is None, "the offer's base model is not a stack field to switch"
    # when the scenario's LLM is the base model itself, it is reported once, as the LLM
    (issue,) = scenario_issues(c, scenario(llm="big"), TODAY)
    assert issue.role == "LLM"


def test_base_model_is_not_repeated_when_the_offer_itself_is_reported():
    text = with_big(life(shuts_down_on="2026-10-23", replacement="small"))
    text = with_after(FT_API_HEAD, life(closed_to_new_on="2026-05-07", shuts_down_on="2026-10-23"), text)
    assert [i.key for i in scenario_issues(cat(text), scenario(llm="small"), TODAY)] == ["ft-api"]


def test_self_hosted_serving_does_not_depend_on_the_vendor_api():
    c = cat(with_big(life(shuts_down_on="2026-10-23", replacement="small")))
    s = scenario(llm="big", fine_tune="ft-gpu", serving="self_hosted")
    assert scenario_issues(c, s, TODAY) == []


def test_issues_are_listed_worst_first():
    text = with_big(life(shuts_down_on="2027-01-14"))
    text = with_after(FT_API_HEAD, life(closed_to_new_on="2026-05-07"), text)
    text = with_after(EMB_HEAD, life(shuts_down_on="2026-01-01"), text)
    kinds = [i.kind for i in scenario_issues(cat(text), scenario(), TODAY)]
    assert kinds == [SHUT_DOWN, CLOSED, SHUTS_DOWN_IN_HORIZON]


def test_switching_to_the_replacement_clears_the_issue():
    c = cat(with_big(life(shuts_down_on="2026-10-23", replacement="small")))
    s = scenario(fine_tune="ft-lora")
    (issue,) = scenario_issues(c, s, TODAY)
    s2 = switched(s, issue)
    assert s2.stack.llm == "small" and s2.stack.fine_tune == "ft-lora" and s.stack.llm == "big"
    assert scenario_issues(c, s2, TODAY) == []


# ---------------------------------------------------------------- the estimate says it


def test_estimate_warnings_carry_the_message_first():
    # today's date: a shutdown long past is past on any day this test runs
    c = cat(with_big(life(shuts_down_on="2020-01-01", replacement="small")))
    est = estimate(c, scenario())
    assert est.warnings[0].startswith("LLM Big model (`big`) was shut down on 2020-01-01")
    assert "Small open model (`small`)" in est.warnings[0]


def test_estimate_of_an_available_stack_has_no_lifecycle_warning():
    c = cat(with_big(life(shuts_down_on="2020-01-01", replacement="small")))
    est = estimate(c, scenario(llm="small", fine_tune="ft-lora"))
    assert not any("shut down" in w for w in est.warnings)


# ---------------------------------------------------------------- the catalog's own notices


def test_catalog_notices_past_and_near():
    text = with_big(life(shuts_down_on="2026-12-11", replacement="small"))  # 11 days after TODAY
    text = with_after(FT_API_HEAD, life(closed_to_new_on="2026-05-07", shuts_down_on="2027-01-14"), text)
    text = with_after(RR_HEAD, life(shuts_down_on="2027-06-01"), text)  # 183 days away: not near
    notices = catalog_notices(cat(text), TODAY)
    assert [(n.family, n.key, n.status, n.on) for n in notices] == [
        ("fine_tune_offers", "ft-api", "closed_to_new", date(2026, 5, 7)),
        ("llms", "big", "shuts_down_soon", date(2026, 12, 11)),
    ]
    assert notices[1].message() == "llms.big: shuts down on 2026-12-11 (replacement: `small`)"


def test_prices_checked_after_shutdown_are_listed():
    # every figure of `big` is checked 2026-11-01, after a 2026-10-23 shutdown
    late = prices_checked_after_shutdown(cat(with_big(life(shuts_down_on="2026-10-23"))))
    paths = [p for p, _, _ in late]
    assert "llms.big.input_usd_per_1m_tokens" in paths and len(paths) == 4
    assert prices_checked_after_shutdown(cat(with_big(life(shuts_down_on="2026-11-02")))) == []
    # a historical price marked unverified is not claimed live
    old = '    input_usd_per_1m_tokens: {value: 1, low: 0.5, high: 2, source: "test", checked: 2026-11-01}'
    assert MINI.count(old) == 1
    text = MINI.replace(old, old.replace("checked: 2026-11-01", "checked: 2026-11-01, verified: false"))
    late = prices_checked_after_shutdown(cat(with_big(life(shuts_down_on="2026-10-23"), text)))
    assert "llms.big.input_usd_per_1m_tokens" not in [p for p, _, _ in late] and len(late) == 3


def test_validate_prints_the_notices(capsys, tmp_path):
    f = tmp_path / "cat.yaml"
    f.write_text(with_big(life(shuts_down_on="2026-10-23", replacement="small")), encoding="utf-8")
    assert main(["validate", str(f)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"{f}: valid — ")
    assert "  llms.big: shut down on 2026-10-23 (replacement: `small`)" in out
    assert "  llms.big.ttft_ms: checked 2026-11-01, shut down 2026-10-23" in out


# ---------------------------------------------------------------- the shipped catalog and presets

PRESETS = sorted((Path(__file__).resolve().parent.parent / "scenarios").glob("*.yaml"))


@pytest.mark.parametrize("path", PRESETS, ids=[p.stem for p in PRESETS])
def test_shipped_presets_use_only_entries_available_for_their_whole_horizon(path, default_catalog):
    preset = load_scenario(path)
    issues = scenario_issues(default_catalog, preset, date.today())
    assert issues == [], [i.message() for i in issues]
    assert not [w for w in estimate(default_catalog, preset).warnings if "shut" in w or "closed" in w]


def test_the_default_scenario_uses_only_entries_available_for_its_whole_horizon(default_catalog):
    """A visitor opening the app with no preset, and `Scenario()` in Python, start on today's market:
    no model or offer that is shut down, closed to new customers, or ends within the horizon."""
    default = Scenario()
    issues = scenario_issues(default_catalog, default, date.today())
    assert issues == [], [i.message() for i in issues]
    assert not [w for w in estimate(default_catalog, default).warnings if "shut" in w or "closed" in w]


def test_there_are_presets():
    assert len(PRESETS) >= 4


def test_a_2026_11_scenario_on_a_shut_down_offer_is_told_the_replacement(default_catalog):
    # scenarios/ticket-classification.yaml of catalog 2026.11 tuned on openai-gpt-4.1-nano-ft
    old = Scenario.model_validate({"stack": {"llm": "gpt-6-luna", "fine_tune": "openai-gpt-4.1-nano-ft"}})
    est = estimate(default_catalog, old)
    first = est.warnings[0]
    assert (
        "Fine-tuning offer OpenAI fine-tuned GPT-4.1 nano (`openai-gpt-4.1-nano-ft`) was shut down on 2026-10-23"
        in first
    )
    rep = default_catalog.fine_tune_offers["openai-gpt-4.1-nano-ft"].lifecycle.replacement
    assert f"(`{rep}`)" in first
    (issue,) = [i for i in scenario_issues(default_catalog, old) if i.field == "fine_tune"]
    assert scenario_issues(default_catalog, switched(old, issue)) == []


def test_every_closed_or_shut_down_offer_of_the_shipped_catalog_names_a_replacement(default_catalog):
    notices = catalog_notices(default_catalog, date.today(), near_days=366)
    offers = [n for n in notices if n.family in ("fine_tune_offers", "rerankers")]
    assert len(offers) >= 5  # the five OpenAI fine-tuning offers
    assert [(n.family, n.key) for n in offers if n.replacement is None] == []


# ---------------------------------------------------------------- files written for catalog 2026.11

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def test_a_2026_11_catalog_still_loads_and_estimates():
    from pricing.loader import load_catalog

    old = load_catalog(FIXTURES / "catalog-2026.11.yaml")
    assert old.version == "2026.11" and len(old.llms) == 21 and len(old.fine_tune_offers) == 12
    assert old.fine_tune_offers["together-llama-3.1-8b-lora"].hosting == "serverless"
    assert old.fine_tune_offers["together-llama-3.1-8b-lora"].served_at_base_price
    scenario = old_scenario()
    # it knows no lifecycle: nothing to say about it; only that it has no cached-input prices either
    warnings = estimate(old, scenario).warnings
    assert [w for w in warnings if not w.startswith("no cached-input price in the catalog")] == []


def old_scenario() -> Scenario:
    """The 2026.11 ticket-classification preset: it loads, told once of the spelling the format settled on."""
    with pytest.warns(
        ScenarioWarning, match="`behaviour_retrains_per_month` read as `behavior_retrains_per_month`"
    ) as w:
        scenario = load_scenario(FIXTURES / "ticket-classification-2026.11.yaml")
    assert len(w) == 1
    return scenario


def test_a_2026_11_scenario_is_told_what_changed(default_catalog):
    scenario = old_scenario()
    assert scenario.stack.fine_tune == "openai-gpt-4.1-nano-ft" and scenario.stack.llm == "gpt-4o-mini"
    issues = {i.key: i for i in scenario_issues(default_catalog, scenario, TODAY)}
    nano = issues["openai-gpt-4.1-nano-ft"]
    assert (nano.kind, nano.on, nano.replacement) == (SHUT_DOWN, date(2026, 10, 23), "together-qwen3.5-9b-lora")
    mini = issues["gpt-4o-mini"]  # 2027-01-14 is inside 12 months of 2026-11-30
    assert (mini.kind, mini.on, mini.replacement) == (SHUTS_DOWN_IN_HORIZON, date(2027, 1, 14), "gpt-6-luna")
    # every surface shows the estimate's warnings: the shut-down offer comes first, with its replacement
    first = estimate(default_catalog, scenario).warnings[0]
    assert "(`openai-gpt-4.1-nano-ft`) was shut down on 2026-10-23" in first
    assert "(`together-qwen3.5-9b-lora`)" in first
