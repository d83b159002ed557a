"""API versus self-hosted (planner.engine.comparison), owned GPUs (pricing.owned), data that must stay in-house
(planner.engine.in_house) and the Serving page: hand-computed figures, the same engine on both sides, every surface."""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import numpy as np
import pytest
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from planner.engine import estimate
from planner.engine.comparison import PRECISIONS
from planner.engine.costs import SECONDS_PER_MONTH
from planner.engine.in_house import fit_in_house, third_party_components
from planner.engine.serving_fit import serving_gpus
from planner.model.scenario import Scenario
from planner.presentation.output import csv_text, json_text, table_text
from planner.report import build_report
from pricing.gpus import GPU
from pricing.loader import DEFAULT_CATALOG_PATH, load_catalog
from pricing.units import Figure

ML_LEAD = {
    "workload.queries_per_month": 2_000_000,
    "stack.llm": "together-llama-3.3-70b",  # a 70B open model
    "stack.fine_tune": "fireworks-gpt-oss-20b-lora",  # a 20B open model, tuned
    "latency_target_p95_ms": 3000,  # the full answer within 3 s
    "first_token_target_p95_ms": 500,  # the first token within 500 ms
    "data_must_stay_in_house": True,
}


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def _fig(value: float) -> Figure:
    return Figure(value=value, source="test: a round number", checked="2026-01-01")


# ------------------------------------------------------------------ owned GPUs


def test_owned_gpu_hourly_price_is_purchase_amortized_plus_power_plus_hosting(catalog):
    g = catalog.gpus["owned-h100-sxm-example"]
    # purchase $30,000 over 36 months of 730 h: 30000 / 26280 = 1.141552511 $/h
    # power 0.7 kW x PUE 1.58 x $0.1199/kWh = 0.13260940 $/h
    # colocation 0.7 kW x $184.06 per kW-month / 730 h = 128.842 / 730 = 0.17649589 $/h
    assert g.usd_per_hour.value == pytest.approx(1.141552511 + 0.13260940 + 0.17649589, rel=1e-8)
    assert g.usd_per_hour.value == pytest.approx(1.45065780, rel=1e-8)
    assert g.usd_per_hour.verified is False  # the purchase price is an example, and it says so
    assert g.usd_per_hour.source.startswith("computed from `owned`")


def test_owned_gpu_prices_a_self_hosted_month(catalog):
    s = Scenario().with_changes(
        **{
            "stack.serving": "self_hosted",
            "stack.llm": "together-llama-3.1-8b",
            "stack.fine_tune": "together-llama-3.1-8b-lora",
            "stack.gpu": "owned-h100-sxm-example",
            "workload.queries_per_month": 10_000,
        }
    )
    est = estimate(catalog, s)
    snap = est.current["prompt_only"]
    assert (snap.replicas, snap.gpus_per_replica) == (1, 1)  # an 8B model, 10K queries: one GPU
    # 1 GPU x $1.45065780 an hour x 730 hours = $1,058.98
    assert snap.components_usd["gpu_serving"] == pytest.approx(1.45065780 * 730, rel=1e-8)


def _owned(**change) -> dict:
    part = {"source": "test", "checked": "2026-01-01"}
    owned = {
        "purchase_usd": {"value": 36_500, **part},
        "amortization_months": 50,
        "power_watts": {"value": 1000, **part},
        "usd_per_kwh": {"value": 0.1, **part},
        "pue": {"value": 1.5, **part},
        "hosting_usd_per_kw_month": {"value": 73, **part},
    }
    return {"name": "Mine", "provider": "Us", "gpu_type": "X", "gpu_count": 2, "owned": owned, **change}


def test_owned_gpu_with_two_gpus_and_a_round_trip():
    g = GPU.model_validate(_owned())
    # per GPU: 36500 / (50 x 730) = 1.0; 1 kW x 1.5 x 0.1 = 0.15; 1 kW x 73 / 730 = 0.1 → 1.25; x 2 GPUs = 2.5
    assert g.usd_per_hour.value == pytest.approx(2.5)
    again = GPU.model_validate(g.model_dump(mode="json"))  # a saved catalog reloads (the price is recomputed)
    assert again.usd_per_hour.value == pytest.approx(2.5)


def test_owned_gpu_refuses_an_hourly_price_that_disagrees():
    with pytest.raises(Exception, match="disagrees with the owned costs"):
        GPU.model_validate(_owned(usd_per_hour={"value": 9.0, "source": "my note", "checked": "2026-01-01"}))


# ------------------------------------------------------------------ API versus self-hosted


def _round_catalog(catalog):
    """The default catalog with round prices: Llama 3.1 8B at $1 / $2 per 1M input / output tokens, one H100 $2."""
    llm = catalog.llms["together-llama-3.1-8b"].model_copy(
        update={"input_usd_per_1m_tokens": _fig(1.0), "output_usd_per_1m_tokens": _fig(2.0)}
    )
    gpu = catalog.gpus["runpod-h100-sxm"].model_copy(update={"usd_per_hour": _fig(2.0)})
    return catalog.model_copy(
        update={
            "llms": {**catalog.llms, "together-llama-3.1-8b": llm},
            "gpus": {**catalog.gpus, "runpod-h100-sxm": gpu},
        }
    )


def test_api_self_hosted_break_even_by_hand(catalog):
    cat = _round_catalog(catalog)
    s = Scenario().with_changes(
        **{
            "stack.llm": "together-llama-3.1-8b",
            "stack.fine_tune": "together-llama-3.1-8b-lora",
            "stack.gpu": "runpod-h100-sxm",
            "workload.cache_hit_share": 0.0,
            "workload.queries_per_month": 100_000,
        }
    )
    cmp_ = estimate(cat, s).serving_comparison.architectures["prompt_only"]
    # API, one query: (300 system + 1,500 few-shot + 200 input) = 2,000 tokens x $1 + 300 output x $2, per 1M
    per_query = (2000 * 1.0 + 300 * 2.0) / 1e6  # $0.0026
    # self-hosted: one replica of one GPU (8B at bf16 fits one H100) x $2 x 730 h = $1,460 a month, flat
    # while one replica carries the peak: 5,103 tok/s x 0.6 x 2,628,000 s / (3 x (300 + 2,000 x 0.1)) = 5.36M/month
    gpu_month = 1 * 1 * 2.0 * 730
    assert 5103 * 0.6 * SECONDS_PER_MONTH / (3 * 500) > gpu_month / per_query
    assert cmp_.api_monthly_usd == pytest.approx(100_000 * per_query)
    assert cmp_.self_hosted.monthly_usd == pytest.approx(gpu_month)
    (be,) = cmp_.break_evens
    assert be.queries_per_month == pytest.approx(gpu_month / per_query, rel=1e-6)  # 561,538 queries a month
    assert be.queries_per_month == pytest.approx(561_538.46, rel=1e-6)
    assert (be.cheaper_below, be.cheaper_above, be.at_step) == ("api", "self_hosted", False)
    assert cmp_.self_hosting_cheaper is False  # at 100K queries the API's $260 beats $1,460


def test_both_sides_are_the_engine_with_serving_switched(catalog):
    """The comparison's curves are exactly the estimate of the same scenario served each way."""
    s = Scenario().with_changes(**ML_LEAD)
    est = estimate(catalog, s)
    api = estimate(catalog, s.with_changes(**{"stack.serving": "api"}))
    own = estimate(catalog, s.with_changes(**{"stack.serving": "self_hosted"}))
    for a, c in est.serving_comparison.architectures.items():
        if a in api.series:
            np.testing.assert_allclose(c.api_usd, api.series[a].total_usd, rtol=1e-12)
        if a in own.series:
            np.testing.assert_allclose(c.self_hosted_usd, own.series[a].total_usd, rtol=1e-12)
            snap = own.current[a]
            assert c.self_hosted.monthly_usd == pytest.approx(snap.monthly_usd, rel=1e-12)
            assert (c.self_hosted.replicas, c.self_hosted.gpus_per_replica) == (snap.replicas, snap.gpus_per_replica)
            assert c.self_hosted.gpus == snap.replicas * snap.gpus_per_replica
        else:
            assert c.self_hosted_usd is None and c.self_hosted_reason  # ruled out, with the reason


def test_cheapest_shape_is_the_cheapest_feasible_over_the_catalog(catalog):
    s = Scenario().with_changes(
        **{
            "stack.llm": "together-llama-3.1-8b",
            "stack.fine_tune": "together-llama-3.1-8b-lora",
            "workload.queries_per_month": 3_000_000,
            "latency_target_p95_ms": 20_000,
        }
    )
    cmp_ = estimate(catalog, s).serving_comparison
    assert cmp_.shapes_searched == len(serving_gpus(catalog)) * len(PRECISIONS)
    best = cmp_.architectures["rag"].cheapest
    assert best is not None
    # every GPU x precision by hand, through the whole estimate: none that meets the limit is cheaper
    for gpu in serving_gpus(catalog):
        for precision in PRECISIONS:
            e = estimate(
                catalog,
                s.with_changes(**{"stack.serving": "self_hosted", "stack.gpu": gpu, "stack.precision": precision}),
            )
            if "rag" in e.current and e.current["rag"].latency_p95_ms <= 20_000:
                assert best.monthly_usd <= e.current["rag"].monthly_usd + 1e-9
    # and it is one of them, priced as the engine prices it
    e = estimate(
        catalog,
        s.with_changes(**{"stack.serving": "self_hosted", "stack.gpu": best.gpu, "stack.precision": best.precision}),
    )
    assert e.current["rag"].monthly_usd == pytest.approx(best.monthly_usd, rel=1e-12)


def test_both_latency_limits_are_checked(catalog):
    s = Scenario().with_changes(**{**ML_LEAD, "latency_target_p95_ms": None, "first_token_target_p95_ms": 1})
    cmp_ = estimate(catalog, s).serving_comparison
    assert cmp_.latency_limits == (("first_token", 1.0),)
    assert "to the first token is above the 1 ms limit" in cmp_.architectures["rag"].cheapest_reason
    roomy = estimate(catalog, s.with_changes(first_token_target_p95_ms=600_000)).serving_comparison
    assert roomy.architectures["rag"].cheapest is not None  # no first token takes ten minutes


def test_no_shape_meets_an_impossible_limit_and_says_why(catalog):
    s = Scenario().with_changes(**{**ML_LEAD, "latency_target_p95_ms": 1})
    c = estimate(catalog, s).serving_comparison.architectures["rag"]
    assert c.cheapest is None
    assert "above the 1 ms limit" in c.cheapest_reason


def test_utilization_is_peak_load_over_what_the_replicas_deliver(catalog):
    s = Scenario().with_changes(**ML_LEAD)
    shape = estimate(catalog, s).serving_comparison.architectures["prompt_only"].self_hosted
    # prompt only on Llama 3.3 70B (no reasoning tokens): 300 output tokens a query, 2M queries a month,
    # at peak x3 (no batch share): the output tokens a second the load needs, over what the replicas deliver
    peak_tokens_per_second = 2_000_000 / SECONDS_PER_MONTH * 3 * 300
    assert shape.utilization == pytest.approx(
        peak_tokens_per_second / (shape.replicas * shape.replica_tokens_per_second)
    )
    assert shape.headroom == pytest.approx(1 - shape.utilization)
    assert 0 < shape.utilization <= 0.6 + 1e-9  # sized at the 0.6 target
    # the contract: a replica delivers its sequences at their speed, no more
    assert shape.replica_tokens_per_second == pytest.approx(
        shape.sequences_per_replica * shape.sequence_tokens_per_second
    )


# ------------------------------------------------------------------ data in-house


def test_in_house_names_every_third_party_component_then_none_after_the_fix(catalog):
    s = Scenario().with_changes(**ML_LEAD)
    est = estimate(catalog, s)
    leaving = {t.component: t.provider for t in est.third_party}
    assert leaving == {
        "LLM": "Together AI",
        "Fine-tuning": "Fireworks AI",
        "Embedding model": "OpenAI",
        "Vector store": "Pinecone",
        "Reranker": "Cohere",
    }
    assert est.warnings[0].startswith("Data must stay in-house, but LLM")
    fit = fit_in_house(catalog, s)
    fixed = estimate(catalog, s.with_changes(**fit.changes))
    assert fixed.third_party == ()
    assert not any("in-house" in w for w in fixed.warnings)
    assert fixed.scenario.stack.serving == "self_hosted"


def test_in_house_question_and_setting_are_one():
    assert Scenario.model_validate({"answers": {"data_in_house": True}}).data_must_stay_in_house is True
    assert Scenario.model_validate({"data_must_stay_in_house": True}).answers.data_in_house is True
    assert Scenario().answers.data_in_house is None  # the default is not an answer


def test_self_hosted_reranker_priced_as_gpu_time(catalog):
    s = Scenario().with_changes(**{"stack.reranker": "ms-marco-minilm-l6-self-hosted", "workload.top_k": 10})
    est = estimate(catalog, s)
    l4 = catalog.gpus["aws-g6-xlarge-l4"].usd_per_hour.value
    # 10 candidates a query at 1,800 documents a second on the L4: 10 / 1800 s of GPU time
    per_query = 10 * l4 / (1800 * 3600)
    assert est.current["rag"].components_usd["reranking"] == pytest.approx(100_000 * per_query, rel=1e-9)
    assert "Reranker" not in {t.component for t in third_party_components(catalog, s)}


# ------------------------------------------------------------------ every surface


def test_json_csv_table_and_pdf_carry_the_answers(catalog):
    s = Scenario().with_changes(**ML_LEAD)
    est = estimate(catalog, s)
    data = json.loads(json_text(est))
    sc = data["serving_comparison"]["architectures"]["rag"]
    shape = sc["at_queries_per_month"]["self_hosted"]
    assert shape["gpus"] == shape["replicas"] * shape["gpus_per_replica"]
    assert shape["gpu"] == "runpod-h100-sxm" and shape["precision"] == "bf16"
    assert len(sc["api_monthly_usd"]) == len(data["volumes_queries_per_month"])
    assert data["in_house"]["required"] is True
    assert {t["provider"] for t in data["in_house"]["third_party_components"]} >= {"Together AI", "OpenAI"}
    rows = [r.split(",") for r in csv_text(est).splitlines()]
    assert rows[0][-3:] == ["api_monthly_usd", "self_hosted_monthly_usd", "self_hosted_gpus"]
    # GPUs at each volume of the grid: the self-hosted estimate's replicas × GPUs per replica
    own = estimate(catalog, s.with_changes(**{"stack.serving": "self_hosted"}))
    for k, q in enumerate(est.volumes):
        row = next(r for r in rows[1:] if r[1] == "rag" and float(r[0]) == float(f"{q:.6g}"))
        assert float(row[-1]) == own.series["rag"].replicas[k] * own.current["rag"].gpus_per_replica
    table = table_text(est)
    assert "API versus self-hosted" in table and "× RunPod H100 SXM 80GB at bf16" in table
    assert "sends every query to Together AI" in table
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(build_report(catalog, s))).pages)
    assert "4. API or self-hosted" in text
    assert "RunPod H100 SXM 80GB at bf16" in text
    assert "Data must stay in-house: components that still send it out" in text


# ------------------------------------------------------------------ the ML lead's walk, in the app


def test_ml_lead_walk_on_the_serving_page(tmp_path, monkeypatch, catalog):
    path = tmp_path / "catalog.yaml"
    shutil.copyfile(DEFAULT_CATALOG_PATH, path)
    monkeypatch.setenv("PLANNER_CATALOG", str(path))
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=30)
    for k, v in {
        "q": "2000000",
        "llm": "together-llama-3.3-70b",
        "ft": "fireworks-gpt-oss-20b-lora",
        "p95": "3000",
        "ttft": "500",
        "in_house": "yes",
    }.items():
        at.query_params[k] = v
    at.run()
    at.switch_page("planner/ui/serving.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    page = re.sub(r"\\(.)", r"\1", "\n".join(m.value for m in at.markdown))  # markdown escapes undone
    # how many GPUs of which kind each option needs at 2M queries a month
    assert "GPUs at 2M queries/month" in page
    own = estimate(catalog, Scenario().with_changes(**{**ML_LEAD, "stack.serving": "self_hosted"}))
    for a in ("prompt_only", "rag", "fine_tuned", "hybrid"):
        snap = own.current[a]
        assert f"{snap.replicas * snap.gpus_per_replica} × RunPod H100 SXM 80GB at bf16" in page
    # whether self-hosting beats the API, and from which volume
    assert "At 2M queries a month," in page and "cheaper" in page
    assert "queries/month" in page and ("self-hosting cheaper from" in page or "the API cheaper from" in page)
    # which components still leave the house
    warning = " ".join(w.value for w in at.warning)
    for who in ("Together AI", "Fireworks AI", "OpenAI", "Pinecone", "Cohere"):
        assert who in warning
    at.button(key="serving.in_house").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Every component of the stack runs in-house" in s.value for s in at.success)


def test_the_in_house_toggle_sets_the_scenario_and_names_third_parties(tmp_path, monkeypatch):
    path = tmp_path / "catalog.yaml"
    shutil.copyfile(DEFAULT_CATALOG_PATH, path)
    monkeypatch.setenv("PLANNER_CATALOG", str(path))
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=30)
    at.run()
    at.switch_page("planner/ui/serving.py")
    at.run()
    assert not any("must stay in" in w.value for w in at.warning)  # not required by default
    at.toggle(key="serving.must_stay_in_house").set_value(True)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["serving.must_stay_in_house"] is True
    warning = re.sub(r"\\(.)", r"\1", " ".join(w.value for w in at.warning))  # markdown escapes undone
    assert "Data must stay in-house" in warning and "OpenAI" in warning  # the default stack's LLM and embedding


def test_bench_serving_smoke():
    from benchmarks import bench_serving

    out = bench_serving.run(repeat=1)
    pairs = len(load_catalog().gpus) * len(PRECISIONS)  # every GPU of the catalog made servable
    assert any(f"{pairs} GPU × precision pairs" in k for k in out)
    assert all(v["median_ms"] > 0 and v["p95_ms"] >= v["median_ms"] for v in out.values())


def test_the_app_leaves_the_comparison_out_until_asked_and_then_shows_the_cli_s_figures(catalog):
    """The app's estimate skips API versus self-hosted (it re-runs the engine for every GPU × precision on
    each move of the volume); the Serving page, the CSV and the PDF add it, equal to the command line's."""
    from planner.engine import with_serving_comparison
    from planner.model.files import load_preset

    scenario = load_preset("support-bot")
    full = estimate(catalog, scenario)
    lite = estimate(catalog, scenario, serving_comparison=False)
    assert full.serving_comparison is not None and lite.serving_comparison is None
    assert json.loads(json_text(lite))["serving_comparison"] is None
    added = with_serving_comparison(catalog, lite)
    assert json_text(added) == json_text(full)  # the same figures as the command line's JSON
    assert csv_text(added) == csv_text(full)
    # the PDF built from the app's estimate (no comparison) still has its section 4, with the API side priced
    pdf = build_report(catalog, scenario, estimate=lite)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "4. API or self-hosted" in text
