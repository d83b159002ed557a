"""planner.engine.serving_fit: can a stack self-host, and if not, one sentence per problem on every surface.

The mini catalog (tests/fixtures/mini_catalog.yaml): `big` (Big model) is closed, `small` (Small open model)
open weights; ft-api (Tuned big) tunes big, ft-lora (LoRA small) and ft-gpu (LoRA on own GPU) tune small;
its one GPU (Test GPU) states the legacy 8B throughput, so the serving model can size it.
"""

from __future__ import annotations

import io
import json

import pytest
import yaml

from planner.engine import estimate
from planner.engine.serving_fit import (
    closed_llm_problem,
    closed_offer_problem,
    fit_serving,
    gpu_problem,
    open_llms,
    serving_problems,
)
from planner.model.scenario import Scenario
from pricing.errors import UnknownEntryError
from pricing.models import Catalog
from tests.hand_scenario import BASE_STACK

STACK = BASE_STACK
API = "or serve through the API (stack.serving: api)"
#: The one sentence of each problem on the mini catalog, written out by hand.
CLOSED_LLM = (
    "stack.llm: Big model (`big`) is not open weights, so it cannot run on your GPUs; "
    f"choose one of Small open model (`small`), {API}"
)
CLOSED_OFFER = (
    "stack.fine_tune: Tuned big (`ft-api`) tunes Big model (`big`), which is not open weights, so the tuned "
    f"model (fine-tuned, hybrid) cannot run on your GPUs; choose one of LoRA small (`ft-lora`), "
    f"LoRA on own GPU (`ft-gpu`), {API}"
)
NO_DATASHEET = (
    "stack.gpu: Test GPU (`gpu`) has no GPU datasheet (`accelerator`, with memory bandwidth and compute) in "
    f"the catalog, so the serving model cannot size it; choose one of Second GPU (`gpu2`), {API}"
)


def self_hosted(**stack) -> Scenario:
    return Scenario.model_validate({"stack": {**STACK, "serving": "self_hosted", **stack}})


def no_datasheet(mini: Catalog) -> Catalog:
    """The mini catalog whose GPU lost its serving throughput, beside a second GPU that keeps it."""
    data = mini.model_dump(mode="json")
    data["gpus"]["gpu2"] = {**data["gpus"]["gpu"], "name": "Second GPU"}
    del data["gpus"]["gpu"]["vllm_8b_tokens_per_second"]
    return Catalog.model_validate(data)


def test_switching_to_self_hosted_picks_open_weights_entries(mini):
    s = Scenario.model_validate({"stack": STACK})
    fit = fit_serving(mini, s, "self_hosted")
    assert fit.changes == {"stack.fine_tune": "ft-lora", "stack.llm": "small"}
    assert fit.notes[0].startswith("Fine-tuning offer → LoRA small (Tuned big tunes a model that is not open weights")
    assert fit.notes[1].startswith("LLM → Small open model (Big model is not open weights; the same base model")
    fixed = s.with_changes(**{"stack.serving": "self_hosted", **fit.changes})
    assert serving_problems(mini, fixed) == []
    estimate(mini, fixed)  # prices without an error
    # entries that already fit are kept; API serving needs no change
    keep = fixed.with_changes(**{"stack.fine_tune": "ft-gpu"})
    assert fit_serving(mini, keep, "self_hosted").changes == {}
    assert fit_serving(mini, s, "api").changes == {}


def test_each_problem_is_one_sentence_naming_the_entry_the_field_and_the_fix(mini):
    s = self_hosted()
    assert closed_llm_problem(mini, s) == CLOSED_LLM
    assert closed_offer_problem(mini, s) == CLOSED_OFFER
    assert serving_problems(mini, s) == [CLOSED_LLM, CLOSED_OFFER]
    # the fine-tuning offer is named even when the LLM is already open weights
    assert serving_problems(mini, s.with_changes(**{"stack.llm": "small"})) == [CLOSED_OFFER]
    assert gpu_problem(no_datasheet(mini), self_hosted(llm="small", fine_tune="ft-lora")) == NO_DATASHEET
    # through the API nothing is a problem
    api = Scenario.model_validate({"stack": STACK})
    assert serving_problems(mini, api) == [] and gpu_problem(no_datasheet(mini), api) is None


def test_a_catalog_with_nothing_that_fits_says_to_serve_through_the_api(mini):
    data = mini.model_dump(mode="json")
    data["llms"]["small"]["open_weights"] = False
    closed = Catalog.model_validate(data)
    s = self_hosted(llm="small", fine_tune="ft-lora")
    assert closed_llm_problem(closed, s) == (
        "stack.llm: Small open model (`small`) is not open weights, so it cannot run on your GPUs; "
        "the catalog has no open-weights LLM: serve through the API (stack.serving: api)"
    )
    # the sidebar's switch has nothing to pick and says the same sentences, each closed with a period
    fit = fit_serving(closed, s.with_changes(**{"stack.serving": "api"}), "self_hosted")
    assert fit.changes == {}
    assert fit.notes == (f"{closed_llm_problem(closed, s)}.", f"{closed_offer_problem(closed, s)}.")


def test_a_long_list_of_choices_names_four_and_counts_the_rest(catalog):
    s = Scenario().with_changes(**{"stack.serving": "self_hosted"})
    llm = catalog.llms[s.stack.llm]
    assert not llm.open_weights  # the default LLM is closed
    keys = open_llms(catalog)
    assert len(keys) > 4
    shown = ", ".join(f"{catalog.llms[k].name} (`{k}`)" for k in keys[:4])
    assert closed_llm_problem(catalog, s) == (
        f"stack.llm: {llm.name} (`{s.stack.llm}`) is not open weights, so it cannot run on your GPUs; "
        f"choose one of {shown} and {len(keys) - 4} more, {API}"
    )


# ------------------------------------------------------------------ every surface says the same sentence


def test_the_estimate_rules_out_with_the_sentence_and_refuses_with_every_sentence(mini):
    est = estimate(mini, self_hosted(llm="small"))
    assert (
        est.ruled_out["fine_tuned"]
        == est.ruled_out["hybrid"]
        == f"Fine-tuned and hybrid are ruled out: {CLOSED_OFFER}."
    )
    assert "prompt_only" not in est.ruled_out and "rag" not in est.ruled_out
    with pytest.raises(UnknownEntryError) as err:
        estimate(mini, self_hosted())
    assert str(err.value).strip("'\"") == f"{CLOSED_LLM}; {CLOSED_OFFER}"
    with pytest.raises(UnknownEntryError) as err:
        estimate(no_datasheet(mini), self_hosted(llm="small", fine_tune="ft-lora"))
    assert str(err.value).strip("'\"") == NO_DATASHEET


def test_cli_and_pdf_show_the_sentence(mini, tmp_path, capsys):
    from pypdf import PdfReader

    from planner.cli import main
    from planner.report import build_report

    s = self_hosted(fine_tune="ft-lora")
    cat_file, s_file = tmp_path / "catalog.yaml", tmp_path / "s.yaml"
    cat_file.write_text(yaml.safe_dump(mini.model_dump(mode="json", exclude_none=True)), encoding="utf-8")
    s_file.write_text(yaml.safe_dump(s.model_dump(mode="json")), encoding="utf-8")
    args = ["--scenario", str(s_file), "--catalog", str(cat_file)]
    said = f"Prompt only, long context and RAG are ruled out: {CLOSED_LLM}."
    assert main(["estimate", *args, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["ruled_out"]["rag"] == said
    assert main(["estimate", *args, "--format", "table"]) == 0
    assert said in capsys.readouterr().out
    assert main(["recommend", *args, "--format", "json"]) == 0
    assert said in json.loads(capsys.readouterr().out)["ways_out"]
    pdf = build_report(mini, s)
    flat = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert said in flat


def test_the_serving_page_and_the_pages_error_show_the_sentence(catalog_file):
    from planner import load_catalog
    from tests.apptest import errors, start, unescape

    cat = load_catalog()
    s = Scenario()  # through the API, on a closed default LLM: the Serving page rules the self-hosted side out
    closed_llm = closed_llm_problem(cat, s)
    assert closed_llm is not None
    at = start(catalog_file, "serving")
    said = unescape("\n".join(i.value for i in at.info))
    assert f"Prompt only, long context and RAG are ruled out: {closed_llm}." in said
    # a link to a stack where nothing can self-host: the page's error lists every sentence
    offer = next(k for k, o in cat.fine_tune_offers.items() if not cat.llms[o.base_llm].open_weights)
    mine = s.with_changes(**{"stack.serving": "self_hosted", "stack.fine_tune": offer})
    at = start(catalog_file, "costs", query={"serving": "self_hosted", "llm": s.stack.llm, "ft": offer})
    shown = unescape("\n".join(errors(at)))
    assert shown == f"Self-hosted serving cannot run this stack: {'; '.join(serving_problems(cat, mine))}."


def test_the_switch_says_why_each_entry_changed(mini):
    # an open LLM that shuts down before the horizon starts, and a GPU key the catalog does not have
    data = mini.model_dump(mode="json")
    data["llms"]["small2"] = {**data["llms"]["small"], "name": "Second open model"}
    data["llms"]["small"]["lifecycle"] = {"shuts_down_on": "2026-12-01", "source": "test", "checked": "2026-11-01"}
    cat = Catalog.model_validate(data)
    s = Scenario.model_validate(
        {"start_date": "2027-01-01", "stack": {**STACK, "llm": "small", "fine_tune": "ft-gpu", "gpu": "nope"}}
    )
    fit = fit_serving(cat, s, "self_hosted")
    # the fine-tuning offer is available and tunes an open model: kept
    assert fit.changes == {"stack.llm": "small2", "stack.gpu": "gpu"}
    assert "LLM → Second open model (Small open model is not available on 2027-01-01)." in fit.notes
    assert "GPU → Test GPU (`nope` is not in the catalog)." in fit.notes
