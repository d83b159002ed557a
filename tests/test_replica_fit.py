"""Self-hosted serving: a model that fits no GPU replica rules out only the options it serves.

`stack.llm` serves prompt only, long context and RAG; the fine-tuning offer's base model serves
fine-tuned and hybrid. The mini catalog's GPU is given 80 GB per GPU, and a `huge` open-weights
model of 405B parameters is added (with an offer tuning it):

    huge at bf16: 405 × 2 = 810 GB of weights > 8 GPUs × 80 GB × 0.9 = 576 GB  ⇒ fits no replica
    small at bf16: 8 × 2 = 16 GB (+ well under 1 GB of KV) ≤ 1 × 80 × 0.9 = 72 GB ⇒ one GPU a replica
"""

from __future__ import annotations

import json

import pytest

from planner.engine import estimate
from planner.model.scenario import Scenario
from planner.questionnaire import recommend
from pricing.errors import UnknownEntryError
from pricing.models import Catalog
from tests.huge_model import STACK, WORKLOAD, huge_catalog

BASE_SIDE = ("prompt_only", "long_context", "rag")
TUNED_SIDE = ("fine_tuned", "hybrid")


@pytest.fixture(scope="module")
def cat(mini) -> Catalog:
    return huge_catalog(mini)


def scenario(llm: str, fine_tune: str, answers: dict | None = None) -> Scenario:
    data = {"name": "fit", "workload": WORKLOAD, "stack": {**STACK, "llm": llm, "fine_tune": fine_tune}}
    if answers:
        data["answers"] = answers
    return Scenario.model_validate(data)


def test_a_base_model_that_fits_no_replica_rules_out_only_what_it_serves(cat):
    est = estimate(cat, scenario("huge", "ft-lora"))
    assert est.priced == TUNED_SIDE
    assert tuple(est.ruled_out) == BASE_SIDE
    reason = est.ruled_out["rag"]
    assert len(set(est.ruled_out.values())) == 1  # one reason, said once per option it rules out
    assert reason.startswith(
        "Prompt only, long context and RAG are ruled out: stack.llm: Huge open model (`huge`, 405B parameters"
    )
    # 810 GB of weights against 8 × 80 × 0.9 = 576 GB, and every fix
    assert "needs 810 GB for its weights" in reason and "gives it 576 GB" in reason
    for fix in ("stack.gpu", "a smaller model", "serve through the API"):
        assert fix in reason
    # every precision with fewer bytes a parameter than bf16 (2): fp8 1, fp4 0.5625, int4 0.5, the nearest first
    assert "pick a lower stack.precision (fp8, fp4, int4), a GPU with more memory (stack.gpu)" in reason
    assert est.ruled_out_reasons == (reason,)
    # the tuned side runs on `small`: one GPU a replica, one replica at 1,000 queries a month
    # gpu_serving = 1 replica × 1 GPU × 3.6 $/h × 730 h = 2,628
    for a in TUNED_SIDE:
        snap = est.current[a]
        assert snap.gpus_per_replica == 1 and snap.replicas == 1
        assert snap.components_usd["gpu_serving"] == pytest.approx(1 * 1 * 3.6 * 730)
    # the priced options' numbers are those of the same scenario with a base model that fits
    fits = estimate(cat, scenario("small", "ft-lora"))
    for a in TUNED_SIDE:
        assert est.current[a] == fits.current[a]
        assert (est.series[a].total_usd == fits.series[a].total_usd).all()
    # sensitivity and break-evens only over what is priced
    assert set(est.sensitivity) == set(TUNED_SIDE)
    assert all({b.a, b.b} <= set(TUNED_SIDE) for b in est.break_evens)


def test_a_tuned_model_that_fits_no_replica_rules_out_fine_tuned_and_hybrid(cat):
    est = estimate(cat, scenario("small", "ft-huge"))
    assert est.priced == BASE_SIDE
    assert tuple(est.ruled_out) == TUNED_SIDE
    reason = est.ruled_out["hybrid"]
    assert reason == est.ruled_out["fine_tuned"]
    assert reason.startswith(
        "Fine-tuned and hybrid are ruled out: stack.fine_tune: Huge open model (`huge`, 405B parameters"
    )
    assert "810 GB" in reason and "576 GB" in reason
    # prompt only on `small`: work 400 + 1000 × 0.1 = 500 tokens a query, 1,000 tokens/s a replica at 50 %:
    # one replica (1,000 queries a month is far below its 2,628,000) ⇒ 1 × 3.6 × 730 = 2,628
    snap = est.current["prompt_only"]
    assert snap.replicas == 1 and snap.gpus_per_replica == 1
    assert snap.components_usd["gpu_serving"] == pytest.approx(3.6 * 730)
    fits = estimate(cat, scenario("small", "ft-lora"))
    for a in BASE_SIDE:
        assert est.current[a] == fits.current[a]
    assert set(est.sensitivity) == set(BASE_SIDE)
    assert est.break_evens == tuple(b for b in fits.break_evens if {b.a, b.b} <= set(BASE_SIDE))


def test_when_neither_model_fits_nothing_is_priced_and_the_refusal_names_both_fields(cat):
    with pytest.raises(UnknownEntryError) as err:
        estimate(cat, scenario("huge", "ft-huge"))
    msg = str(err.value)
    assert msg.startswith("stack.llm: Huge open model (`huge`") and "; stack.fine_tune: Huge open model (`huge`" in msg
    assert msg.count("810 GB") == 2 and "serve through the API" in msg


def test_a_ruled_out_option_is_never_recommended_and_shows_its_reason(cat):
    # answers that make RAG the pick: fresh knowledge, citations
    answers = {"knowledge_change": "daily", "citations_required": True, "gap": "knowledge"}
    assert recommend(scenario("small", "ft-lora", answers)).winner.key == "rag"
    s = scenario("huge", "ft-lora", answers)
    est = estimate(cat, s)
    rec = recommend(s, est)
    assert rec.winner.key in TUNED_SIDE and not rec.winner.ruled_out
    for a in BASE_SIDE:
        r = rec.get(a)
        assert r.ruled_out and r.verdict == "ruled out"
        assert r.reasons[0] == est.ruled_out[a]
    # ruled-out options are listed last (daily changes rule fine-tuned out too: hybrid is the pick)
    flags = [r.ruled_out for r in rec.ranking]
    assert flags == sorted(flags) and rec.winner.key == "hybrid"
    assert rec.findings.count(est.ruled_out["rag"]) == 1  # said once
    # before any answer too: the options that cannot run are never first
    bare = scenario("huge", "ft-lora")
    assert recommend(bare, estimate(cat, bare)).winner.key in TUNED_SIDE


def test_a_serving_misfit_says_nothing_about_the_knowledge_base_fitting_the_context(cat):
    # the corpus (1,000 tokens) fits the 32,000-token window: the measured answer stays "fits",
    # though long context is ruled out (its model fits no GPU replica)
    s = scenario("huge", "ft-lora", {"knowledge_fits_in_context": True, "gap": "knowledge"})
    est = estimate(cat, s)
    assert "long_context" in est.ruled_out and est.context_misfit is None
    rec = recommend(s, est)
    assert not any("You answered that the knowledge base" in f for f in rec.findings)
    assert not any("does not fit in the context window" in x for x in rec.get("long_context").reasons)


def test_cli_json_and_text_show_the_ruled_out_options(cat, tmp_path, capsys):
    import yaml

    from planner.cli import main

    cat_file = tmp_path / "catalog.yaml"
    cat_file.write_text(yaml.safe_dump(cat.model_dump(mode="json", exclude_none=True)), encoding="utf-8")
    s_file = tmp_path / "s.yaml"
    s_file.write_text(yaml.safe_dump(scenario("small", "ft-huge").model_dump(mode="json")), encoding="utf-8")
    args = ["estimate", "--scenario", str(s_file), "--catalog", str(cat_file), "--volumes", "1000,10000"]
    assert main([*args, "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert list(out["architectures"]) == list(BASE_SIDE)
    assert list(out["ruled_out"]) == list(TUNED_SIDE)
    assert out["ruled_out"]["fine_tuned"].startswith("Fine-tuned and hybrid are ruled out: stack.fine_tune:")
    assert set(out["sensitivity"]) == set(BASE_SIDE)
    assert main([*args, "--format", "table"]) == 0
    text = capsys.readouterr().out
    assert text.count("Fine-tuned and hybrid are ruled out") == 1  # one reason, printed once


def test_when_the_answers_rule_out_what_the_estimate_leaves_the_pick_can_still_be_priced(cat):
    from planner.report import build_report

    # base misfit rules out prompt only, long context and RAG; 10 examples rule out fine-tuned and hybrid
    s = scenario("huge", "ft-lora", {"labeled_examples": 10, "gap": "knowledge"})
    est = estimate(cat, s)
    rec = recommend(s, est)
    assert all(r.ruled_out for r in rec.ranking)
    assert rec.winner.key in est.priced  # an option with numbers, never one that cannot run
    assert {r.key for r in rec.ranking[2:]} == set(BASE_SIDE)
    assert build_report(cat, s)[:5] == b"%PDF-"


# ------------------------------------------------------------------ the shipped catalog, every surface

# Shipped entries: an 8B and a 70B open-weights model on an 80 GB GPU, its memory given 20 % to the
# server: a replica of at most 8 × 80 × 0.2 = 128 GB. The 70B model at bf16 needs 70 × 2 = 140 GB
# of weights: it fits none; the 8B model needs 16 GB plus its KV cache: it fits (two GPUs, 32 GB).
SHIPPED = {
    "name": "Self-hosted, a 70B fine-tune on small replicas",
    "workload": {"queries_per_month": 100_000, "corpus_documents": 50, "tokens_per_document": 1000},
    "stack": {
        "serving": "self_hosted",
        "llm": "together-llama-3.1-8b",
        "fine_tune": "together-llama-3.3-70b-lora",
        "gpu": "runpod-h100-sxm",
        "gpu_memory_utilization": 0.2,
    },
    "answers": {"gap": "knowledge", "citations_required": True},
}


@pytest.fixture(scope="module")
def shipped():
    from planner import load_catalog

    cat = load_catalog()
    s = Scenario.model_validate(SHIPPED)
    st = s.stack
    assert cat.llms[st.llm].parameters_billion == 8 and cat.gpus[st.gpu].memory_gb_per_gpu == 80
    assert cat.fine_tune_offers[st.fine_tune].base_llm == "together-llama-3.3-70b"
    assert cat.llms["together-llama-3.3-70b"].parameters_billion == 70
    return cat, s


def test_shipped_catalog_a_70b_fine_tune_on_small_replicas(shipped):
    cat, s = shipped
    est = estimate(cat, s)
    assert est.priced == BASE_SIDE and tuple(est.ruled_out) == TUNED_SIDE
    reason = est.ruled_out["fine_tuned"]
    assert "(`together-llama-3.3-70b`, 70B parameters at bf16) needs 140 GB" in reason
    # 8 × (80 × 0.2 − 2 GB of runtime) = 112 GB
    assert (
        "8 × 80 GB GPUs gives it 112 GB (at stack.gpu_memory_utilization 0.2, less 2 GB a GPU for the runtime)"
        in reason
    )
    # the same scenario with an 8B fine-tune prices prompt only, long context and RAG the same
    fits = estimate(cat, s.with_changes(**{"stack.fine_tune": "together-llama-3.1-8b-lora"}))
    for a in BASE_SIDE:
        assert est.current[a] == fits.current[a]
        assert est.current[a].gpus_per_replica == 2  # 16 GB + KV > 16 GB on one GPU; ≤ 32 GB on two


def test_shipped_catalog_the_pdf_lists_what_is_not_priced(shipped):
    import io

    from pypdf import PdfReader

    from planner.report import build_report

    cat, s = shipped
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(build_report(cat, s))).pages)
    flat = " ".join(text.split())
    assert "Not priced" in flat and "Fine-tuned and hybrid are ruled out" in flat
    assert "together-llama-3.3-70b" in flat


@pytest.mark.parametrize("page", ["costs", "latency", "decide", "report"])
def test_pages_show_the_ruled_out_reason_and_draw_the_others(shipped, catalog_file, page):  # noqa: F811
    import yaml

    from tests.apptest import all_charts, errors, go, metrics, open_sections, start, unescape

    at = start(catalog_file, "costs")
    open_sections(at, "file")
    body = yaml.safe_dump(SHIPPED).encode()
    at.file_uploader(key="sb.upload").set_value(("fit.yaml", body, "application/x-yaml")).run()
    assert not at.exception and errors(at) == []
    if page != "costs":
        go(at, page)
    said = unescape("\n".join(i.value for i in at.info))
    if page in ("costs", "latency"):
        assert said.count("Fine-tuned and hybrid are ruled out: stack.fine_tune:") == 1, said
        spend = all_charts(at)[0]
        names = {t.get("name") for t in spend["data"]}
        assert {"Prompt only", "Long context", "RAG"} <= names and not {"Fine-tuned", "Hybrid"} & names
        cards = " ".join(metrics(at))
        assert all(x in cards for x in ("Prompt only", "Long context", "RAG"))
        assert "Fine-tuned" not in cards and "Hybrid" not in cards
    shown = said + "\n" + unescape("\n".join(m.value for m in at.markdown))
    if page != "report":  # the report page previews the PDF (tested above)
        assert "Fine-tuned and hybrid are ruled out" in shown
    if page == "decide":  # the ranking says it, and the reason is under "Why Hybrid is ruled out"
        assert "[**Hybrid**] — ruled out" in shown and "[**Fine-tuned**] — ruled out" in shown
    else:  # the verdict box above the charts
        assert "Ruled out: " in shown and "Hybrid" in shown.split("Ruled out: ")[1]


def test_at_the_lowest_precision_the_fix_does_not_offer_a_lower_one(cat):
    """huge at int4: 405 × 0.5 = 202.5 GB of weights > 8 GPUs × 80 GB × 0.3 = 192 GB: still fits no replica, and
    int4 has the fewest bytes a parameter, so the sentence names the other fixes only. At fp8 (405 GB > 192 GB) it
    names the two precisions below: fp4 (0.5625) and int4 (0.5)."""
    s = scenario("huge", "ft-lora")
    at_int4 = s.model_copy(
        update={"stack": s.stack.model_copy(update={"precision": "int4", "gpu_memory_utilization": 0.3})}
    )
    reason = estimate(cat, at_int4).ruled_out["rag"]
    assert "needs 202 GB for its weights" in reason and "gives it 192 GB" in reason
    assert "stack.precision" not in reason.split("): pick ")[1]
    assert "): pick a GPU with more memory (stack.gpu), a smaller model, or serve through the API" in reason
    at_fp8 = s.model_copy(
        update={"stack": s.stack.model_copy(update={"precision": "fp8", "gpu_memory_utilization": 0.3})}
    )
    assert "pick a lower stack.precision (fp4, int4), a GPU" in estimate(cat, at_fp8).ruled_out["rag"]
