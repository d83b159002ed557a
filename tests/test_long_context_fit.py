"""Self-hosted long context is sized for its own requests, and each side's open weights are checked apart.

Long context puts the whole knowledge base in every prompt (docs/formulas.md, "The five architectures"):
one request holds system + K + input + output tokens of KV cache, K = corpus_documents × tokens_per_document.
A replica of `stack.llm` for long context gets its own GPUs (1, 2, 4 or 8), its own sequences and its
own throughput; when no replica of 8 GPUs holds one long-context request, long context alone is ruled out.

The mini catalog's `small` model (8B, open weights) is given an 80 GB GPU and a 5,000,000-token window,
so knowledge bases of every size fit its context and only GPU memory decides:

    weights   = 8 × 2 = 16 GB at bf16
    kv        = 2 × 32 layers × 1,024 × 2 bytes = 131,072 bytes a token
    usable    = g × 80 × 0.9 = 72 GB a GPU (g = 1, 2, 4, 8; 8 GPUs give 576 GB)

Prompt only, RAG, fine-tuned and hybrid must give exactly the numbers they gave before the change:
tests/fixtures/self_hosted_before.json holds their JSON, written by the engine before it.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from planner.engine import estimate
from planner.engine.costs import gpus_per_replica, sequences_per_replica
from planner.engine.gather import build_inputs
from planner.model.scenario import ARCHITECTURES, USES_TUNED, Scenario
from pricing.errors import UnknownEntryError
from pricing.models import Catalog
from tests import huge_model

#: The options the base model serves and those the tuned model serves.
BASE_SIDE = tuple(a for a in ARCHITECTURES if not USES_TUNED[a])
TUNED_SIDE = tuple(a for a in ARCHITECTURES if USES_TUNED[a])

BEFORE = Path(__file__).parent / "fixtures" / "self_hosted_before.json"
OTHERS = ("prompt_only", "rag", "fine_tuned", "hybrid")
KV_8B = 2 * 32 * 1024 * 2  # 131,072 bytes a token at bf16
USD_GPU_MONTH = 3.6 * 730  # the mini GPU: 3.6 $/h × 730 h = 2,628 $ a month

# the replica-fit tests' workload and stack, with 1,000-token documents (each test sets how many)
WORKLOAD = {**huge_model.WORKLOAD, "tokens_per_document": 1000}
STACK = {**huge_model.STACK, "llm": "small", "fine_tune": "ft-lora"}


def wide_catalog(mini: Catalog) -> Catalog:
    """The replica-fit tests' catalog (`huge`, `ft-huge`), both models with a 5,000,000-token window."""
    data = huge_model.huge_catalog(mini).model_dump(mode="json")
    for llm in ("small", "huge"):
        data["llms"][llm]["context_window_tokens"] = 5_000_000
    return Catalog.model_validate(data)


@pytest.fixture(scope="module")
def cat(mini) -> Catalog:
    return wide_catalog(mini)


def scenario(documents: int, q: float = 1000, **stack) -> Scenario:
    return Scenario.model_validate(
        {
            "name": "long context on GPUs",
            "workload": {**WORKLOAD, "corpus_documents": documents, "queries_per_month": q},
            "stack": {**STACK, **stack},
        }
    )


SHIPPED_8B = {
    "name": "Self-hosted 8B, a 50,000-token knowledge base",
    "workload": {"queries_per_month": 100_000, "corpus_documents": 50, "tokens_per_document": 1000},
    "stack": {
        "serving": "self_hosted",
        "llm": "together-llama-3.1-8b",
        "fine_tune": "together-llama-3.1-8b-lora",
        "gpu": "runpod-h100-sxm",
        "gpu_memory_utilization": 0.2,
    },
}


def golden_cases() -> dict[str, tuple[Catalog, Scenario]]:
    """Self-hosted scenarios whose prompt-only, RAG, fine-tuned and hybrid numbers must not move."""
    from planner import load_catalog
    from tests.conftest import FIXTURES

    shipped = load_catalog()
    wide = wide_catalog(load_catalog(FIXTURES / "mini_catalog.yaml"))
    s8 = Scenario.model_validate(SHIPPED_8B)
    return {
        "mini-200-docs": (wide, scenario(200, 100_000)),
        "mini-500-docs": (wide, scenario(500, 60_000)),
        "mini-500-docs-fp8": (wide, scenario(500, 250_000, precision="fp8")),
        "shipped-8b": (shipped, s8),
        "shipped-8b-more-memory": (shipped, s8.with_changes(**{"stack.gpu_memory_utilization": 0.9})),
        "shipped-70b-fp8": (
            shipped,
            s8.with_changes(
                **{
                    "stack.llm": "together-llama-3.3-70b",
                    "stack.precision": "fp8",
                    "stack.gpu_memory_utilization": 0.9,
                    "workload.corpus_documents": 100,
                }
            ),
        ),
    }


# ------------------------------------------------------------------ long context sized for its own requests


def test_a_long_context_request_gets_the_gpus_it_needs(cat):
    # 500 documents × 1,000 = 500,000 tokens of knowledge base; one request holds
    # 500,000 + 1,000 + 400 = 501,400 tokens × 131,072 B = 65.7195 GB of KV cache:
    # 16 + 65.72 = 81.72 GB > 72 (one GPU), ≤ 144 (two) ⇒ 2 GPUs a replica
    # prompt only and RAG hold 1,000 + 400 (+ 2 × 100) = 1,600 tokens: 0.21 GB ⇒ 1 GPU a replica
    kv_gb = 501_400 * KV_8B / 1e9
    assert kv_gb == pytest.approx(65.7195, abs=1e-4)
    est = estimate(cat, scenario(500))
    lc, po = est.current["long_context"], est.current["prompt_only"]
    assert po.gpus_per_replica == 1 and lc.gpus_per_replica == 2
    # (144 − 16) ÷ 65.72 = 1.95 ⇒ one long-context request at a time
    assert lc.sequences_per_replica == math.floor((144 - 16) / kv_gb) == 1
    # one replica at 1,000 queries a month: 1 × 2 GPUs × 3.6 $/h × 730 h = 5,256 (prompt only: 2,628)
    assert lc.components_usd["gpu_serving"] == pytest.approx(1 * 2 * USD_GPU_MONTH)
    assert po.components_usd["gpu_serving"] == pytest.approx(1 * 1 * USD_GPU_MONTH)


def test_a_long_context_replica_of_two_gpus_has_twice_the_throughput(cat):
    # throughput of a 2-GPU replica: 1,000 tokens/s a GPU × 2 × 8 ÷ 8 = 2,000 tokens/s
    i, _ = build_inputs(cat, scenario(500, 60_000))
    assert gpus_per_replica(i, "long_context") == 2 and gpus_per_replica(i, "prompt_only") == 1
    # work = 400 + (500,000 + 1,000) × 0.1 = 50,500 tokens a query; at 60,000 queries a month, peak 1:
    # need = 60,000 ÷ 2,628,000 × 50,500 ÷ (2,000 × 0.5) = 1.153 ⇒ 2 replicas × 2 GPUs × 2,628 = 10,512
    need = 60_000 / 2_628_000 * 50_500 / (2000 * 0.5)
    assert need == pytest.approx(1.15297, abs=1e-5)
    snap = estimate(cat, scenario(500, 60_000)).current["long_context"]
    assert snap.replicas == 2 == math.ceil(need)
    assert snap.components_usd["gpu_serving"] == pytest.approx(2 * 2 * USD_GPU_MONTH)


def test_a_long_context_request_that_fits_one_gpu_keeps_one_and_holds_fewer_sequences(cat):
    # 200,000 tokens: 201,400 × 131,072 B = 26.40 GB; 16 + 26.40 ≤ 72 ⇒ 1 GPU;
    # (72 − 16) ÷ 26.40 = 2.12 ⇒ 2 sequences (prompt only: 56 ÷ (1,400 × 131,072 B) = 305 ⇒ the cap of 256)
    i, _ = build_inputs(cat, scenario(200))
    kv_gb = 201_400 * KV_8B / 1e9
    assert gpus_per_replica(i, "long_context") == 1
    assert sequences_per_replica(i, "long_context") == math.floor((72 - 16) / kv_gb) == 2
    assert sequences_per_replica(i, "prompt_only") == 256


def test_long_context_that_no_replica_holds_is_ruled_out_with_the_fixes(cat):
    # 4,500 documents: 4,501,400 tokens × 131,072 B = 590.0 GB; 16 + 590.0 > 8 × 80 × 0.9 = 576
    assert 16 + 4_501_400 * KV_8B / 1e9 > 576
    est = estimate(cat, scenario(4500))
    assert tuple(est.ruled_out) == ("long_context",)
    assert est.priced == OTHERS
    reason = est.ruled_out["long_context"]
    assert reason.startswith(
        "Long context is ruled out: stack.llm: Small open model (`small`, 8B parameters at bf16) needs 16 GB"
    )
    assert "590.0 GB of KV cache for one long-context request" in reason
    assert "4,501,400 tokens" in reason and "4,500,000 tokens" in reason
    assert "gives it 576 GB" in reason
    for fix in ("RAG", "workload.corpus_documents", "stack.precision", "stack.gpu", "serve through the API"):
        assert fix in reason, fix
    # it fits the context window: the answer "the knowledge fits in context" stays measured as fitting
    assert est.context_misfit is None
    assert est.ruled_out_reasons == (reason,)
    # at fp8: 8 GB of weights + 4,501,400 × 65,536 B = 295.0 GB; 4 GPUs give 288, 8 give 576 ⇒ 8 GPUs
    fp8 = estimate(cat, scenario(4500, precision="fp8"))
    assert "long_context" in fp8.priced and fp8.current["long_context"].gpus_per_replica == 8


def test_a_long_context_misfit_beside_a_tuned_misfit_prices_prompt_only_and_rag(cat):
    est = estimate(cat, scenario(4500, fine_tune="ft-huge"))
    assert est.priced == ("prompt_only", "rag")
    assert tuple(est.ruled_out) == ("long_context", "fine_tuned", "hybrid")
    assert est.ruled_out["long_context"].startswith("Long context is ruled out: stack.llm: Small open model (`small`")
    assert est.ruled_out["hybrid"].startswith(
        "Fine-tuned and hybrid are ruled out: stack.fine_tune: Huge open model (`huge`"
    )


def test_the_window_misfit_is_said_before_the_gpu_misfit(cat):
    # 6,000,000 tokens do not fit the 5,000,000-token window: that is the reason given
    est = estimate(cat, scenario(6000))
    assert est.ruled_out["long_context"].startswith("Long context is ruled out: the knowledge base (6,000,000 tokens)")
    assert est.context_misfit == est.ruled_out["long_context"]


GOLDEN = ("mini-200-docs", "mini-500-docs", "mini-500-docs-fp8")


@pytest.mark.parametrize("name", GOLDEN)
def test_prompt_only_rag_fine_tuned_and_hybrid_give_the_numbers_they_gave_before(name):
    """A catalog whose GPU names no datasheet keeps the legacy sizing: every key recorded before is unchanged
    (the serving model's added keys aside). The shipped catalog's GPUs now run the serving model, so its
    recorded cases moved on purpose (docs/formulas.md, "Serving model")."""
    before = json.loads(BEFORE.read_text(encoding="utf-8"))[name]
    cat, s = golden_cases()[name]
    now = estimate(cat, s, volumes=[1000, 30000, 100000, 1000000, 5000000]).to_dict()["architectures"]
    assert set(before) == set(OTHERS)
    for a in OTHERS:
        # added since: explicit-cache storage, zero without an explicit cache
        for where in (now[a]["at_queries_per_month"]["components_usd"], now[a]["components_usd"]):
            stored = where.pop("cache_storage")
            assert not any(stored if isinstance(stored, list) else [stored])
        # the keys recorded then hold the same numbers (keys added since, e.g. `monthly_usd_by_month`, aside)
        was = before[a]
        got = {k: now[a][k] for k in was}
        got["at_queries_per_month"] = {k: now[a]["at_queries_per_month"][k] for k in was["at_queries_per_month"]}
        assert got == was, a


def test_shipped_catalog_long_context_on_an_8b_replica(shipped_8b):
    # together-llama-3.1-8b (8B: 32 layers × 8 KV heads × 128 × 2 (K, V) × 2 bytes = 131,072 B a token) on
    # runpod-h100-sxm (80 GB), 20 % of it for the server less 2 GB of runtime: 14 GB a GPU; weights 16 GB
    # long context: 300 + 50,000 + 200 + 300 = 50,800 tokens × 131,072 B = 6.66 GB; 14 − 16 < 6.66 (one GPU),
    # 28 − 16 = 12 ≥ 6.66 (two) ⇒ 2 GPUs; 12 ÷ 6.66 = 1.80 ⇒ 1 sequence
    cat, s = shipped_8b
    est = estimate(cat, s)
    lc = est.current["long_context"]
    kv_gb = 50_800 * KV_8B / 1e9
    assert lc.gpus_per_replica == 2 and lc.sequences_per_replica == math.floor((28 - 16) / kv_gb) == 1
    # at 90 % of memory: 72 − 2 = 70 GB a GPU, the long-context replica holds floor((70 − 16) ÷ 6.66) = 8
    roomy = estimate(cat, s.with_changes(**{"stack.gpu_memory_utilization": 0.9})).current["long_context"]
    assert roomy.gpus_per_replica == 1 and roomy.sequences_per_replica == math.floor((70 - 16) / kv_gb) == 8


@pytest.fixture(scope="module")
def shipped_8b():
    from planner import load_catalog

    cat = load_catalog()
    s = Scenario.model_validate(SHIPPED_8B)
    assert cat.llms[s.stack.llm].parameters_billion == 8 and cat.gpus[s.stack.gpu].memory_gb_per_gpu == 80
    assert cat.llms[s.stack.llm].open_weights and cat.llms[s.stack.llm].context_window_tokens >= 50_800
    return cat, s


# ------------------------------------------------------------------ open weights, one side at a time


def test_a_closed_base_model_rules_out_prompt_only_long_context_and_rag(cat):
    # 50 documents: 50,000 + 1,400 tokens fit big's window of 100,000, so the one reason is the weights
    est = estimate(cat, scenario(50, llm="big"))
    assert est.priced == TUNED_SIDE and tuple(est.ruled_out) == BASE_SIDE
    reason = est.ruled_out["rag"]
    assert reason.startswith(
        "Prompt only, long context and RAG are ruled out: stack.llm: Big model (`big`) is not open"
    )
    assert "choose one of Small open model (`small`), Huge open model (`huge`), or serve through the API" in reason
    assert est.context_misfit is None
    fits = estimate(cat, scenario(50))
    for a in TUNED_SIDE:
        assert est.current[a] == fits.current[a]


def test_a_closed_tuned_model_rules_out_fine_tuned_and_hybrid(cat):
    est = estimate(cat, scenario(200, fine_tune="ft-api"))
    assert est.priced == BASE_SIDE and tuple(est.ruled_out) == TUNED_SIDE
    reason = est.ruled_out["fine_tuned"]
    assert reason.startswith(
        "Fine-tuned and hybrid are ruled out: stack.fine_tune: Tuned big (`ft-api`) tunes Big model"
    )
    assert "choose one of LoRA small (`ft-lora`), LoRA on own GPU (`ft-gpu`), " in reason
    fits = estimate(cat, scenario(200))
    for a in BASE_SIDE:
        assert est.current[a] == fits.current[a]


def test_both_sides_impossible_refuse_with_both_reasons(cat):
    with pytest.raises(UnknownEntryError) as err:
        estimate(cat, scenario(200, llm="big", fine_tune="ft-api"))
    msg = str(err.value)
    assert msg.startswith("stack.llm: Big model (`big`) is not open weights")
    assert "; stack.fine_tune: Tuned big (`ft-api`) tunes Big model" in msg
    # a closed base beside a tuned model too big for any replica: both named too
    with pytest.raises(UnknownEntryError) as err:
        estimate(cat, scenario(200, llm="big", fine_tune="ft-huge"))
    msg = str(err.value)
    assert (
        msg.startswith("stack.llm: Big model (`big`) is not open weights")
        and "stack.fine_tune: Huge open model (`huge`" in msg
    )


def test_a_gpu_without_a_serving_throughput_still_refuses_everything(cat):
    data = cat.model_dump(mode="json")
    del data["gpus"]["gpu"]["vllm_8b_tokens_per_second"]
    with pytest.raises(UnknownEntryError) as err:
        estimate(Catalog.model_validate(data), scenario(200))
    assert "stack.gpu: Test GPU (`gpu`) has no GPU datasheet (`accelerator`" in str(err.value)


# ------------------------------------------------------------------ every surface


def test_cli_json_and_text_show_a_long_context_gpu_misfit(cat, tmp_path, capsys):
    import yaml

    from planner.cli import main

    cat_file = tmp_path / "catalog.yaml"
    cat_file.write_text(yaml.safe_dump(cat.model_dump(mode="json", exclude_none=True)), encoding="utf-8")
    s_file = tmp_path / "s.yaml"
    s_file.write_text(yaml.safe_dump(scenario(4500).model_dump(mode="json")), encoding="utf-8")
    args = ["estimate", "--scenario", str(s_file), "--catalog", str(cat_file), "--volumes", "1000,10000"]
    assert main([*args, "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert list(out["architectures"]) == list(OTHERS)
    assert out["ruled_out"]["long_context"].startswith(
        "Long context is ruled out: stack.llm: Small open model (`small`"
    )
    assert main([*args, "--format", "table"]) == 0
    assert capsys.readouterr().out.count("590.0 GB of KV cache for one long-context request") == 1


@pytest.mark.parametrize("documents", [50, 200])
def test_the_pdf_lists_a_closed_base_model(cat, documents):
    import io

    from pypdf import PdfReader

    from planner.questionnaire import recommend
    from planner.report import build_report

    # 200 documents: long context misses big's window too; before any answer it is still never the pick
    s = scenario(documents, llm="big")
    assert recommend(s, estimate(cat, s)).winner.key in TUNED_SIDE
    pdf = build_report(cat, s)
    flat = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Not priced" in flat and "Prompt only, long context and RAG are ruled out" in flat


# Shipped entries: a closed base model (gpt-6-luna) beside an 8B LoRA on an H100, self-hosted
SHIPPED_CLOSED = {
    "name": "Self-hosted with a closed base model",
    "workload": {"queries_per_month": 100_000, "corpus_documents": 50, "tokens_per_document": 1000},
    "stack": {
        "serving": "self_hosted",
        "llm": "gpt-6-luna",
        "fine_tune": "together-llama-3.1-8b-lora",
        "gpu": "runpod-h100-sxm",
    },
}


@pytest.mark.parametrize("page", ["costs", "latency"])
def test_pages_show_a_closed_base_model_ruled_out(catalog_file, page):  # noqa: F811
    import yaml

    from planner import load_catalog
    from tests.apptest import all_charts, errors, go, open_sections, start, unescape

    cat = load_catalog()
    assert not cat.llms["gpt-6-luna"].open_weights
    assert cat.llms[cat.fine_tune_offers["together-llama-3.1-8b-lora"].base_llm].open_weights
    at = start(catalog_file, "costs")
    open_sections(at, "file")
    body = yaml.safe_dump(SHIPPED_CLOSED).encode()
    at.file_uploader(key="sb.upload").set_value(("closed.yaml", body, "application/x-yaml")).run()
    assert not at.exception and errors(at) == []
    if page != "costs":
        go(at, page)
    said = unescape("\n".join(i.value for i in at.info))
    assert said.count("Prompt only, long context and RAG are ruled out: stack.llm: GPT-6 Luna (`gpt-6-luna`)") == 1, (
        said
    )
    names = {t.get("name") for t in all_charts(at)[0]["data"]}
    assert {"Fine-tuned", "Hybrid"} <= names and not {"Prompt only", "Long context", "RAG"} & names


def test_shipped_catalog_a_70b_long_context_needs_two_gpus_where_prompt_only_needs_one():
    from planner import load_catalog

    cat = load_catalog()
    s = Scenario.model_validate(
        {
            "name": "70B at fp8, a 100,000-token knowledge base",
            "workload": {"queries_per_month": 1000, "corpus_documents": 100, "tokens_per_document": 1000},
            "stack": {
                "serving": "self_hosted",
                "llm": "together-llama-3.3-70b",
                "fine_tune": "together-llama-3.1-8b-lora",
                "gpu": "runpod-h100-sxm",
                "precision": "fp8",
                "gpu_memory_utilization": 0.95,
            },
        }
    )
    gpu = cat.gpus["runpod-h100-sxm"]
    assert cat.llms["together-llama-3.3-70b"].parameters_billion == 70 and gpu.memory_gb_per_gpu == 80
    w = s.workload  # the default prompt: system 300, input 200, answer 300
    tokens = w.system_prompt_tokens + 100 * 1000 + w.input_tokens_per_query + w.output_tokens_per_query
    assert tokens == 100_800
    # fp8: 70 GB of weights; KV 80 layers × 8 KV heads × 128 × 2 (K, V) × 1 byte = 163,840 B a token ⇒
    # 16.52 GB a request; a GPU gives 80 × 0.95 − 2 = 74 GB: 74 − 70 = 4 < 16.52 (one GPU), 148 − 70 = 78 (two)
    # ⇒ 2 GPUs, floor(78 ÷ 16.52) = 4 requests at once; prompt only's 800 tokens (0.13 GB) fit in one GPU's 4 GB
    kv_gb = 80 * 8 * 128 * 2 * 1 * tokens / 1e9
    assert kv_gb == pytest.approx(16.515, abs=1e-3)
    est = estimate(cat, s)
    lc, po = est.current["long_context"], est.current["prompt_only"]
    assert po.gpus_per_replica == 1 and lc.gpus_per_replica == 2
    assert lc.sequences_per_replica == math.floor((148 - 70) / kv_gb) == 4
    # one replica at 1,000 queries a month: 2 GPUs × the H100's hourly price × 730 h (prompt only: one GPU);
    # before, long context was priced on prompt only's one-GPU replica, at prompt only's spend
    usd_month = gpu.usd_per_hour.value / gpu.gpu_count * 730
    assert lc.components_usd["gpu_serving"] == pytest.approx(2 * usd_month)
    assert po.components_usd["gpu_serving"] == pytest.approx(1 * usd_month)


def test_shipped_catalog_a_million_token_knowledge_base_fits_a_scout_replica_by_its_chunked_attention():
    from planner import load_catalog

    cat = load_catalog()
    s = Scenario.model_validate(
        {
            "name": "Llama 4 Scout, a 1,000,000-token knowledge base",
            "workload": {"corpus_documents": 1000, "tokens_per_document": 1000},
            "stack": {
                "serving": "self_hosted",
                "llm": "together-llama-4-scout",
                "fine_tune": "together-llama-3.1-8b-lora",
                "gpu": "runpod-h100-sxm",
            },
        }
    )
    scout = cat.llms["together-llama-4-scout"]
    assert scout.parameters_billion == 109 and scout.context_window_tokens >= 1_000_800
    # 109 × 2 = 218 GB. Sized as a dense model (the size formula: 2 × 32 × (109 ÷ 8)^0.4 × 1,024 × 2 B a token)
    # the KV of 1,000,800 tokens was 372.9 GB and no replica held it. Llama 4 keeps every token only in its
    # 12 full-attention layers; the other 36 hold one chunk of 8,192 (2 × 8 KV heads × 128 × 2 B = 4,096 B a
    # token a layer): 12 × 4,096 × 1,000,800 + 36 × 4,096 × 8,192 = 50.40 GB
    kv_gb = (12 * 4096 * 1_000_800 + 36 * 4096 * 8192) / 1e9
    assert f"{kv_gb:.2f}" == "50.40"
    # a GPU gives 80 × 0.9 − 2 = 70 GB: 2 GPUs (140) < 218 + 50.4, 4 GPUs (280) ≥ 268.4 ⇒ 4 GPUs, 1 request
    est = estimate(cat, s)
    assert "long_context" in est.priced and est.context_misfit is None
    lc = est.current["long_context"]
    assert lc.gpus_per_replica == 4 and lc.sequences_per_replica == math.floor((280 - 218) / kv_gb) == 1
    assert est.current["prompt_only"].gpus_per_replica == 4  # 218 GB of weights: 2 × 70 < 218 ≤ 4 × 70
