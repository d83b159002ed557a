"""Prices on the dates they apply: a scenario's start date, scheduled price changes inside its horizon, the
months before and after a change and the TCO summed month by month — checked against arithmetic done by hand
on the round numbers of tests/fixtures/mini_catalog.yaml (see tests/hand_scenario.py for the workload):

  prompt only, model `big`: T_in = 100 + 200 + 1000 = 1300 tokens, T_out = 300, 100,000 queries a month
  at 1 / 4 $ per 1M tokens:  100,000 × (1300 × 1 + 300 × 4) / 1e6 = 250 $/month
  at 2 / 8 $ per 1M tokens:  100,000 × (1300 × 2 + 300 × 8) / 1e6 = 500 $/month
  one-time (engineering): 5 days × 1,000 $ = 5,000 $
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from planner.engine import estimate
from planner.engine.dated import month_shares
from planner.model.files import load_scenario
from planner.presentation import output
from pricing.llms import LLM, PriceChange
from pricing.models import Catalog
from tests.hand_scenario import approx, make

FIG = {"source": "test", "checked": "2026-11-01"}


def with_change(cat: Catalog, key: str = "big", **change) -> Catalog:
    """`cat` with one scheduled price change on `llms.<key>`."""
    llm = cat.llms[key]
    data = llm.model_dump()
    data["price_changes"] = [change]
    return cat.model_copy(update={"llms": cat.llms | {key: LLM.model_validate(data)}})


def doubled_on(day: str) -> dict:
    return {
        "effective_on": day,
        "input_usd_per_1m_tokens": {"value": 2, **FIG},
        "output_usd_per_1m_tokens": {"value": 8, **FIG},
    }


def scenario(start: str | None, months: int = 12):
    top = {"horizon_months": months, **({"start_date": start} if start else {})}
    return make(one_time={"usd_per_engineering_day": 1000}, **top)


def test_months_before_and_after_a_change_inside_the_horizon(mini):
    cat = with_change(mini, **doubled_on("2027-03-01"))
    est = estimate(cat, scenario("2027-01-01"))
    po = est.current["prompt_only"]
    # January and February at the start's prices, March to December (10 months) at the new ones
    assert po.monthly_usd == approx(250.0)
    assert po.monthly_by_month_usd == approx((250.0,) * 2 + (500.0,) * 10)
    assert po.tco_usd == approx(5_000 + 2 * 250 + 10 * 500)  # 10,500, not 5,000 + 12 × 250 = 8,000
    cum = est.cumulative_usd("prompt_only")
    assert cum[0] == approx(5_000) and cum[2] == approx(5_500) and cum[3] == approx(6_000) and cum[-1] == approx(10_500)
    # the low end: input 0.5 (the range of `big`) before, the change's 2 (no range) after
    assert po.monthly_low_by_month_usd[0] == approx(100_000 * (1300 * 0.5 + 300 * 4) / 1e6)  # 185
    assert po.monthly_low_by_month_usd[2] == approx(500.0)
    # the tuned model has its own prices (ft-api 2 / 8): no month of it moves
    ft = est.current["fine_tuned"]
    assert ft.monthly_by_month_usd == approx((ft.monthly_usd,) * 12)
    assert ft.tco_usd == approx(25_000 + 1000 + 10 + 320 * 12)


def test_the_change_is_said_with_the_after_change_figure(mini):
    cat = with_change(mini, **doubled_on("2027-03-01"))
    est = estimate(cat, scenario("2027-01-01"))
    met = {c.field: c for c in est.price_changes_in_horizon}
    assert set(met) == {"input_usd_per_1m_tokens", "output_usd_per_1m_tokens"}
    assert (met["input_usd_per_1m_tokens"].old, met["input_usd_per_1m_tokens"].new) == (1.0, 2.0)
    assert met["output_usd_per_1m_tokens"].month == 3  # March is the horizon's third month
    assert met["input_usd_per_1m_tokens"].monthly_usd_after["prompt_only"] == approx(500.0)
    said = [w for w in est.warnings if "changes its prices on 2027-03-01" in w]
    assert len(said) == 1
    assert "input $1 → $2" in said[0] and "output $4 → $8" in said[0] and "Prompt only $500/month" in said[0]
    assert "Fine-tuned" not in said[0]  # it does not move
    data = json.loads(output.json_text(est))
    assert data["start_date"] == "2027-01-01"
    rows = data["price_changes_in_horizon"]
    assert {
        (r["date"], r["entry"], r["field"], r["old_usd_per_1m_tokens"], r["new_usd_per_1m_tokens"]) for r in rows
    } == {
        ("2027-03-01", "big", "input_usd_per_1m_tokens", 1.0, 2.0),
        ("2027-03-01", "big", "output_usd_per_1m_tokens", 4.0, 8.0),
    }
    by_month = data["architectures"]["prompt_only"]["at_queries_per_month"]["monthly_usd_by_month"]
    assert by_month == [250.0, 250.0] + [500.0] * 10
    assert data["architectures"]["prompt_only"]["tco_usd"] == 10_500


def test_a_start_on_or_after_the_change_is_priced_at_the_new_prices(mini):
    cat = with_change(mini, **doubled_on("2027-03-01"))
    est = estimate(cat, scenario("2027-03-01"), volumes=[10_000, 100_000])
    assert est.current["prompt_only"].monthly_usd == approx(500.0)
    assert est.current["prompt_only"].tco_usd == approx(5_000 + 12 * 500)
    assert est.price_changes_in_horizon == ()
    # the curves are at the start's prices too: 100,000 queries on the curve read the same 500
    assert est.series["prompt_only"].total_usd[1] == approx(500.0)


def test_a_change_after_the_horizon_is_not_met(mini):
    cat = with_change(mini, **doubled_on("2027-03-01"))
    est = estimate(cat, scenario("2027-01-01", months=2))  # January and February only
    assert est.price_changes_in_horizon == ()
    assert est.current["prompt_only"].tco_usd == approx(5_000 + 2 * 250)


def test_a_change_in_the_middle_of_a_month_prices_it_by_its_days(mini):
    cat = with_change(mini, **doubled_on("2027-01-16"))
    est = estimate(cat, scenario("2027-01-01", months=2))
    # January: 15 days at 250, 16 at 500, of 31; February at 500
    jan = (15 * 250 + 16 * 500) / 31
    assert est.current["prompt_only"].monthly_by_month_usd == approx((jan, 500.0))
    assert est.current["prompt_only"].tco_usd == approx(5_000 + jan + 500)


def test_month_shares_split_a_month_at_the_change():
    shares = month_shares(date(2027, 1, 1), 3, [date(2027, 2, 15)])
    assert shares.tolist() == [[1.0, 0.0], [14 / 28, 14 / 28], [0.0, 1.0]]


def test_start_date_defaults_to_today_which_tests_can_set(mini, monkeypatch):
    cat = with_change(mini, **doubled_on("2027-03-01"))
    monkeypatch.setattr("planner.model.scenario.today", lambda: date(2027, 3, 5))
    est = estimate(cat, scenario(None))
    assert est.start_date == "2027-03-05"
    assert est.current["prompt_only"].monthly_usd == approx(500.0)
    monkeypatch.setattr("planner.model.scenario.today", lambda: date(2027, 2, 1))
    est = estimate(cat, scenario(None))
    assert est.current["prompt_only"].monthly_usd == approx(250.0)
    assert est.current["prompt_only"].tco_usd == approx(5_000 + 1 * 250 + 11 * 500)


def test_a_change_carries_every_price_kind():
    change = PriceChange.model_validate(
        {
            "effective_on": "2027-01-01",
            "cached_input_usd_per_1m_tokens": {"value": 0.2, **FIG},
            "cache_write_usd_per_1m_tokens": {"value": 2.5, **FIG},
            "batch_input_usd_per_1m_tokens": {"value": 1, **FIG},
            "batch_output_usd_per_1m_tokens": {"value": 5, **FIG},
            "long_context": {
                "above_input_tokens": 200_000,
                "input_usd_per_1m_tokens": {"value": 4, **FIG},
                "output_usd_per_1m_tokens": {"value": 18, **FIG},
            },
        }
    )
    assert set(change.prices()) == {
        "cached_input_usd_per_1m_tokens",
        "cache_write_usd_per_1m_tokens",
        "batch_input_usd_per_1m_tokens",
        "batch_output_usd_per_1m_tokens",
        "long_context",
    }
    with pytest.raises(ValueError, match="at least one price"):
        PriceChange.model_validate({"effective_on": "2027-01-01"})


def test_a_batch_only_change_keeps_the_other_prices_and_is_met(mini):
    change = {"effective_on": "2027-02-01", "batch_input_usd_per_1m_tokens": {"value": 0.5, **FIG}}
    cat = with_change(mini, **change)
    big = cat.llms["big"]
    after = big.on(date(2027, 2, 1))
    assert after.batch_input_usd_per_1m_tokens.value == 0.5
    assert after.input_usd_per_1m_tokens.value == 1 and after.output_usd_per_1m_tokens.value == 4
    assert big.on(date(2027, 1, 31)) is big
    est = estimate(cat, scenario("2027-01-01"))
    met = [(c.field, c.old, c.new) for c in est.price_changes_in_horizon]
    assert met == [("batch_input_usd_per_1m_tokens", None, 0.5)]


# ---------------------------------------------------------------- the Argon walk (shipped catalog)


@pytest.fixture(scope="module")
def default():
    from pricing.loader import load_catalog

    return load_catalog()


def _argon(start: str):
    s = load_scenario("scenarios/support-bot.yaml")
    return s.with_changes(**{"stack.llm": "gemini-4-argon", "stack.serving": "api", "start_date": start})


def _price(est, field: str) -> float:
    return next(p.figure.value for p in est.prices_used if p.entry == "gemini-4-argon" and p.field == field)


def test_argon_from_december_uses_the_new_prices(default):
    est = estimate(default, _argon("2026-12-01"))
    assert (_price(est, "input_usd_per_1m_tokens"), _price(est, "output_usd_per_1m_tokens")) == (4, 20)
    assert est.price_changes_in_horizon == ()


def test_argon_from_november_says_when_the_price_changes(default):
    before, after = estimate(default, _argon("2026-11-01")), estimate(default, _argon("2026-12-01"))
    assert (_price(before, "input_usd_per_1m_tokens"), _price(before, "output_usd_per_1m_tokens")) == (2, 10)
    assert any("changes its prices on 2026-12-01" in w and "input $2 → $4" in w for w in before.warnings)
    po_before, po_after = before.current["prompt_only"], after.current["prompt_only"]
    # November at the introductory prices, then eleven months at the prices from 2026-12-01: the same monthly
    # spend as the estimate that starts on 2026-12-01 (the volume and the catalog are the same)
    assert po_before.monthly_by_month_usd[1:] == approx((po_after.monthly_usd,) * 11)
    assert po_before.tco_usd == approx(po_after.one_time_total_usd + po_before.monthly_usd + 11 * po_after.monthly_usd)
    # doubling the token prices doubles the token spend: inference after = 2 × inference before
    assert po_after.components_usd["inference"] == approx(2 * po_before.components_usd["inference"])


def test_every_surface_says_when_argon_changes_its_prices(default, tmp_path, capsys):
    """CLI table, JSON, the Decide/PDF note: the change date and the after-change figure."""
    import io

    from pypdf import PdfReader

    from planner import report
    from planner.cli import main
    from planner.engine.dated import change_note
    from planner.model.files import scenario_yaml

    s = _argon("2026-11-01")
    path = tmp_path / "argon.yaml"
    path.write_text(scenario_yaml(s), encoding="utf-8")
    est = estimate(default, s)
    after = est.price_changes_in_horizon[0].monthly_usd_after["prompt_only"]
    from planner.model import format as fmt

    assert main(["estimate", "--scenario", str(path)]) == 0
    table = capsys.readouterr().out
    assert "changes its prices on 2026-12-01" in table and f"Prompt only {fmt.usd(after)}/month" in table
    assert main(["estimate", "--scenario", str(path), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {r["field"] for r in data["price_changes_in_horizon"]} >= {
        "input_usd_per_1m_tokens",
        "output_usd_per_1m_tokens",
    }
    note = change_note(est, "prompt_only")
    assert note is not None and f"from 2026-12-01, {fmt.usd(after)}/month" in note
    pdf = report.build_report(default, s)
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "changes its prices on 2026-12-01" in text


def test_the_pdf_sums_the_months_and_states_the_start(default):
    import io

    from pypdf import PdfReader

    from planner import report
    from planner.model import format as fmt

    s = _argon("2026-11-01")
    est = estimate(default, s)
    po = est.current["prompt_only"]
    text = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(report.build_report(default, s))).pages
    )
    assert "12 months from 2026-11-01" in text
    # the monthly costs over the horizon are the months summed (November at 2 / 10, eleven months at 4 / 20),
    # not November's monthly cost × 12
    assert "Monthly costs over 12 months" in text
    assert fmt.usd(po.tco_usd - po.one_time_total_usd) in text
    assert po.tco_usd - po.one_time_total_usd == approx(sum(po.monthly_by_month_usd))
