"""Self-hosted serving: can this stack run on its GPUs, and if not, why and what to change.

A replica holds the model's weights and the KV cache of the sequences it decodes at once; its GPUs
(1, 2, 4 or 8) are the fewest that hold the weights plus one request of the longest prompt it serves
(docs/formulas.md, "GPUs per replica"). Three replicas are sized: `stack.llm` for prompt only and RAG,
`stack.llm` again for long context (whose prompt carries the whole knowledge base), and the fine-tuning
offer's base model for fine-tuned and hybrid.

One sentence per problem, the same on every surface (the Serving page, the sidebar, the estimate's rule-outs,
the CLI and the PDF), each naming the field, the entry and the fix: `closed_llm_problem`,
`closed_offer_problem` (not open weights), `gpu_problem` (no GPU datasheet) and a replica too small for the
weights (`replica`). The questions callers ask:
  serving_misfits             per side, why its model cannot run; the estimate rules out the options it serves
  serving_problems            every reason at once; `build_inputs` refuses when nothing can be priced
  long_context_misfit_on_gpus why no replica holds one long-context request
  fit_serving                 the changes that make a stack fit a serving, one sentence per change
  open_llms, self_hostable_offers, serving_gpus   the entries that can self-host
"""

from __future__ import annotations

import dataclasses
import typing
from datetime import date
from typing import Any, NamedTuple

from planner.engine import serving_model as sm
from planner.model import scenario as scenario_model
from planner.model.scenario import Scenario, start_day
from planner.model.sections import Stack
from pricing.llms import LLM, FineTuneOffer
from pricing.models import Catalog

#: Bytes per weight at each precision.
#: Replica sizes tried, smallest first (tensor parallelism over 1, 2, 4 or 8 GPUs).
GPUS_PER_REPLICA = (1, 2, 4, 8)
#: The precisions a scenario can choose, fewest bytes a parameter last (bf16, fp8, fp4, int4).
PRECISIONS = tuple(
    sorted(typing.get_args(Stack.model_fields["precision"].annotation), key=lambda p: -sm.BYTES_PER_PARAMETER[p])
)


def lower_precisions(precision: str) -> tuple[str, ...]:
    """The precisions with fewer bytes a parameter than `precision`, the nearest first."""
    return tuple(p for p in PRECISIONS if sm.BYTES_PER_PARAMETER[p] < sm.BYTES_PER_PARAMETER[precision])


#: The scenario field that chose each side's model.
SIDES = ("stack.llm", "stack.fine_tune")


def kv_bytes_per_token(parameters_billion: float, precision: str) -> float:
    """KV-cache bytes one token holds: 2 (K and V) × layers × KV width × bytes per value.

    Assumes grouped-query attention with 8 KV heads of 128 dimensions (KV width 1,024) and a layer count
    growing as the 0.4 power of size, 32 layers at 8B (docs/formulas.md); values at 16 bits, 8 at fp8.
    """
    layers = 32.0 * (parameters_billion / 8.0) ** 0.4
    return 2.0 * layers * 1024.0 * (1.0 if precision == "fp8" else 2.0)


def _available(entry: LLM | FineTuneOffer, day: date) -> bool:
    return entry.lifecycle is None or entry.lifecycle.available_on(day)


def open_llms(catalog: Catalog, day: date | None = None) -> list[str]:
    """LLM keys that can be self-hosted (open weights, available on `day`, default today), in catalog order."""
    day = day or scenario_model.today()
    return [k for k, m in catalog.llms.items() if m.open_weights and _available(m, day)]


def self_hostable_offers(catalog: Catalog, day: date | None = None) -> list[str]:
    """Fine-tuning offer keys whose tuned model can be self-hosted (an open-weights base, available on `day`,
    default today), in catalog order."""
    day = day or scenario_model.today()
    return [
        k
        for k, o in catalog.fine_tune_offers.items()
        if o.base_llm in catalog.llms and catalog.llms[o.base_llm].open_weights and _available(o, day)
    ]


def serving_gpus(catalog: Catalog) -> list[str]:
    """GPU keys the serving model can size (a datasheet in the catalog), in catalog order."""
    return [k for k, g in catalog.gpus.items() if can_serve(catalog, g)]


def can_serve(catalog: Catalog, gpu) -> bool:
    """A GPU can self-host when its datasheet is in the catalog (or, in an older catalog without datasheets,
    when it states the legacy 8B serving throughput)."""
    if gpu.accelerator is not None and gpu.accelerator in catalog.accelerators:
        return True
    return gpu.accelerator is None and gpu.vllm_8b_tokens_per_second is not None


# ------------------------------------------------------------------ one sentence per problem
# Each names the field, the entry, why it cannot self-host, and the fix: the entries that would, or the API.

#: The last fix of every sentence: the API always serves.
API = "serve through the API (stack.serving: api)"
OR_API = f"or {API}"


def _choose(family: dict, keys: list[str], none: str, limit: int = 4) -> str:
    """ "choose one of Name (`key`), …, or serve through the API", or `none` when no entry fits."""
    if not keys:
        return none
    shown = ", ".join(f"{family[k].name} (`{k}`)" for k in keys[:limit])
    more = f" and {len(keys) - limit} more" if len(keys) > limit else ""
    return f"choose one of {shown}{more}, {OR_API}"


def closed_llm_problem(catalog: Catalog, s: Scenario) -> str | None:
    """Self-hosted: why `stack.llm` cannot run on GPUs (not open weights), or None."""
    llm = catalog.llms.get(s.stack.llm)
    if llm is None or llm.open_weights:
        return None
    choices = _choose(catalog.llms, open_llms(catalog, start_day(s)), f"the catalog has no open-weights LLM: {API}")
    return f"stack.llm: {llm.name} (`{s.stack.llm}`) is not open weights, so it cannot run on your GPUs; {choices}"


def closed_offer_problem(catalog: Catalog, s: Scenario) -> str | None:
    """Self-hosted: why the fine-tuning offer's tuned model cannot run on GPUs (its base is not open weights)."""
    offer = catalog.fine_tune_offers.get(s.stack.fine_tune)
    base = catalog.llms.get(offer.base_llm) if offer is not None else None
    if offer is None or base is None or base.open_weights:
        return None
    choices = _choose(
        catalog.fine_tune_offers,
        self_hostable_offers(catalog, start_day(s)),
        f"the catalog has no fine-tuning offer on an open-weights model: {API}",
    )
    return (
        f"stack.fine_tune: {offer.name} (`{s.stack.fine_tune}`) tunes {base.name} (`{offer.base_llm}`), which is not "
        f"open weights, so the tuned model (fine-tuned, hybrid) cannot run on your GPUs; {choices}"
    )


def gpu_problem(catalog: Catalog, s: Scenario) -> str | None:
    """Self-hosted: why `stack.gpu` cannot price any option (no datasheet for the serving model), or None."""
    gpu = catalog.gpus.get(s.stack.gpu)
    if s.stack.serving != "self_hosted" or gpu is None or can_serve(catalog, gpu):
        return None
    none = f"no GPU in the catalog has one: add its datasheet (`accelerators`), {OR_API}"
    choices = _choose(catalog.gpus, serving_gpus(catalog), none)
    return (
        f"stack.gpu: {gpu.name} (`{s.stack.gpu}`) has no GPU datasheet (`accelerator`, with memory bandwidth and "
        f"compute) in the catalog, so the serving model cannot size it; {choices}"
    )


def knowledge_base_tokens(s: Scenario) -> float:
    """Tokens of the whole knowledge base, what long context puts in every prompt (as planner.engine.costs)."""
    return s.workload.corpus_documents * s.workload.tokens_per_document


def _longest_sequence_tokens(s: Scenario, tuned: bool) -> float:
    """Tokens of the longest request (prompt + answer) over prompt only and RAG, or fine-tuned and hybrid."""
    w = s.workload
    base = w.system_prompt_tokens + w.input_tokens_per_query + w.output_tokens_per_query
    retrieval = w.top_k * w.chunk_tokens
    return base + retrieval + (0.0 if tuned else w.few_shot_tokens)


def long_context_sequence_tokens(s: Scenario) -> float:
    """Tokens of one long-context request: system + the whole knowledge base + input + answer (no few-shot)."""
    w = s.workload
    return w.system_prompt_tokens + knowledge_base_tokens(s) + w.input_tokens_per_query + w.output_tokens_per_query


class Replica(NamedTuple):
    gpus: float  # per replica; the largest tried when the model fits none
    weights_gb: float
    kv_bytes_per_token: float
    misfit: str | None  # why one request fits no replica (located), or None


def replica(s: Scenario, gpu, llm, llm_key: str, field: str, tokens: float, what: str = "", acc=None) -> Replica:
    """GPUs per replica, weights GB and KV bytes per token of `llm` on `gpu` for requests of `tokens`
    (prompt + answer), and why none fits. `what` names a request that is not the side's usual one. With the
    GPU's datasheet (`acc`) the serving model's memory arithmetic applies (planner/engine/serving_model.py)."""
    st = s.stack
    params = llm.parameters_billion or 8.0
    weights_gb = params * sm.BYTES_PER_PARAMETER[st.precision]
    kv = st.kv_cache_kb_per_token * 1000 if st.kv_cache_kb_per_token else kv_bytes_per_token(params, st.precision)
    too_big = _TooBig(s, llm, llm_key, field, what or "request")
    if acc is not None:
        m = sm.model_facts(llm, st.kv_cache_kb_per_token, st.precision)
        g_facts = sm.GpuFacts(acc.memory_gb, acc.memory_bandwidth_gb_per_second, acc.dense_bf16_tflops, 0.0, 0.0)
        weights_gb = sm.weights_gb(m, st.precision)
        kv = sm.kv_bytes(m, st.precision, tokens) / max(tokens, 1.0)
        g = sm.gpus_per_replica(m, g_facts, st.precision, tokens, st.gpu_memory_utilization)
        if g is not None:
            return Replica(g, weights_gb, kv, None)
        runtime = sm.RUNTIME_OVERHEAD_GB_PER_GPU
        most = GPUS_PER_REPLICA[-1] * (acc.memory_gb * st.gpu_memory_utilization - runtime)
        return Replica(8.0, weights_gb, kv, too_big.say(weights_gb, kv * tokens / 1e9, most, acc.memory_gb, runtime))
    if gpu.memory_gb_per_gpu is None:
        return Replica(float(gpu.gpu_count), weights_gb, kv, None)
    one_sequence_gb = kv * tokens / 1e9
    for g in GPUS_PER_REPLICA:
        if weights_gb + one_sequence_gb <= g * gpu.memory_gb_per_gpu * st.gpu_memory_utilization:
            return Replica(float(g), weights_gb, kv, None)
    most = GPUS_PER_REPLICA[-1] * gpu.memory_gb_per_gpu * st.gpu_memory_utilization
    misfit = too_big.say(weights_gb, one_sequence_gb, most, gpu.memory_gb_per_gpu)
    return Replica(float(GPUS_PER_REPLICA[-1]), weights_gb, kv, misfit)


class _TooBig(NamedTuple):
    """The sentence for a model whose weights and one request's KV cache fit no replica."""

    s: Scenario
    llm: LLM
    key: str
    field: str
    what: str

    def say(self, weights_gb: float, one_sequence_gb: float, most: float, memory_gb: float, runtime=0.0) -> str:
        st = self.s.stack
        less = f", less {runtime:g} GB a GPU for the runtime" if runtime else ""
        params = self.llm.parameters_billion or 8.0
        fewer = lower_precisions(st.precision)
        lower = f"a lower stack.precision ({', '.join(fewer)}), " if fewer else ""
        return (
            f"{self.field}: {self.llm.name} (`{self.key}`, {params:g}B parameters at {st.precision}) needs "
            f"{weights_gb:,.0f} GB for its weights plus {one_sequence_gb:,.1f} GB of KV cache for one {self.what}, "
            f"but a replica of at most {GPUS_PER_REPLICA[-1]} × {memory_gb:g} GB GPUs gives it {most:,.0f} GB "
            f"(at stack.gpu_memory_utilization {st.gpu_memory_utilization:g}{less}): pick {lower}a GPU with more "
            f"memory (stack.gpu), a smaller model, {OR_API}"
        )


class Replicas(NamedTuple):
    base: Replica  # stack.llm for prompt only and RAG
    tuned: Replica  # the offer's base model for fine-tuned and hybrid
    long_context: Replica  # stack.llm for long context: the knowledge base in every prompt


def replicas(catalog: Catalog, s: Scenario, gpu) -> Replicas:
    """The replica of each model, each sized for the longest request it serves."""
    st = s.stack
    llm, offer = catalog.llms[st.llm], catalog.fine_tune_offers[st.fine_tune]
    acc = catalog.accelerators.get(gpu.accelerator) if gpu.accelerator else None
    base = replica(s, gpu, llm, st.llm, "stack.llm", _longest_sequence_tokens(s, tuned=False), acc=acc)
    tuned_llm, tuned_tokens = catalog.llms[offer.base_llm], _longest_sequence_tokens(s, True)
    tuned = replica(s, gpu, tuned_llm, offer.base_llm, "stack.fine_tune", tuned_tokens, acc=acc)
    tokens = long_context_sequence_tokens(s)
    what = (
        f"long-context request ({tokens:,.0f} tokens: the knowledge base of {knowledge_base_tokens(s):,.0f} tokens "
        "rides in every prompt)"
    )
    lc = replica(s, gpu, llm, st.llm, "stack.llm", tokens, what, acc=acc)
    if lc.misfit:
        lc = lc._replace(
            misfit=lc.misfit.replace(
                ": pick a lower",
                ": use RAG, a smaller knowledge base (workload.corpus_documents, workload.tokens_per_document), "
                "or pick a lower",
            )
        )
    return Replicas(base, tuned, lc)


# ------------------------------------------------------------------ the questions callers ask


def _self_hosted_gpu(catalog: Catalog, s: Scenario):
    """The serving GPU when the stack is self-hosted and every entry it names is in the catalog, else None."""
    st = s.stack
    offer = catalog.fine_tune_offers.get(st.fine_tune)
    known = st.llm in catalog.llms and offer is not None and offer.base_llm in catalog.llms
    if st.serving != "self_hosted" or not known or st.gpu not in catalog.gpus:
        return None  # API serving; or an unknown key, which `build_inputs` names
    return catalog.gpus[st.gpu]


def serving_misfits(catalog: Catalog, s: Scenario) -> dict[str, str]:
    """Self-hosted: each side that cannot run, by the field that chose its model ("stack.llm" serves prompt
    only, long context and RAG; "stack.fine_tune" fine-tuned and hybrid), with its sentence: a model that is
    not open weights, or one too big for any GPU replica. The estimate rules out the options a misfit
    serves; when both sides misfit, `build_inputs` refuses the scenario."""
    gpu = _self_hosted_gpu(catalog, s)
    if gpu is None:
        return {}
    base, tuned, _ = replicas(catalog, s, gpu)
    said = {
        "stack.llm": closed_llm_problem(catalog, s) or base.misfit,
        "stack.fine_tune": closed_offer_problem(catalog, s) or tuned.misfit,
    }
    return {f: why for f in SIDES if (why := said[f])}


def serving_problems(catalog: Catalog, s: Scenario) -> list[str]:
    """Self-hosted: every reason the stack cannot run on its GPUs, one sentence each (a side's model, then the
    GPU); empty when it can, or when serving is through the API."""
    gpu = gpu_problem(catalog, s)
    return [*serving_misfits(catalog, s).values(), *([gpu] if gpu else [])]


def long_context_misfit_on_gpus(catalog: Catalog, s: Scenario) -> str | None:
    """Self-hosted: why no replica of `stack.llm` holds one long-context request, or None."""
    gpu = _self_hosted_gpu(catalog, s)
    return None if gpu is None else replicas(catalog, s, gpu).long_context.misfit


# ------------------------------------------------------------------ switching to self-hosted


@dataclasses.dataclass(frozen=True)
class Fit:
    changes: dict[str, Any] = dataclasses.field(default_factory=dict)  # dotted scenario paths → new keys
    notes: tuple[str, ...] = ()  # one sentence per change, or why nothing fits


def fit_serving(catalog: Catalog, scenario: Scenario, serving: str) -> Fit:
    """The changes that make the stack fit `serving` (nothing for "api": every entry has token prices), each
    with a sentence; when the catalog has nothing that fits, the problem's own sentence."""
    if serving != "self_hosted":
        return Fit()
    st, day = scenario.stack, start_day(scenario)
    changes: dict[str, Any] = {}
    notes: list[str] = []
    offers, llms, gpus = self_hostable_offers(catalog, day), open_llms(catalog, day), serving_gpus(catalog)
    new_offer = st.fine_tune
    if st.fine_tune not in offers and offers:
        # an offer on the LLM about to be used, else the first self-hostable one
        want = st.llm if st.llm in llms else None
        new_offer = next((k for k in offers if catalog.fine_tune_offers[k].base_llm == want), offers[0])
        changes["stack.fine_tune"] = new_offer
        o = catalog.fine_tune_offers[new_offer]
        was = _was(catalog.fine_tune_offers, st.fine_tune, day, lambda e: catalog.llms[e.base_llm].open_weights)
        notes.append(f"Fine-tuning offer → {o.name} ({was}; this one tunes {catalog.llms[o.base_llm].name}).")
    if st.llm not in llms and llms:
        base = catalog.fine_tune_offers[new_offer].base_llm if new_offer in catalog.fine_tune_offers else None
        new_llm = base if base in llms else llms[0]
        changes["stack.llm"] = new_llm
        was = _was(catalog.llms, st.llm, day, lambda e: e.open_weights)
        like = "; the same base model as the fine-tuning offer, so the four options compare like for like"
        notes.append(f"LLM → {catalog.llms[new_llm].name} ({was}{like if new_llm == base else ''}).")
    if st.gpu not in gpus and gpus:
        changes["stack.gpu"] = gpus[0]
        notes.append(f"GPU → {catalog.gpus[gpus[0]].name} ({_was(catalog.gpus, st.gpu, day, lambda e: False)}).")
    if not offers or not llms or not gpus:
        switched = scenario.with_changes(**{"stack.serving": "self_hosted", **changes})
        notes.extend(f"{p}." for p in _entry_problems(catalog, switched))
    return Fit(changes, tuple(notes))


def _was(family: dict, key: str, day: date, runs: Any) -> str:
    """Why the entry `key` was switched: not in the catalog, what keeps it off GPUs, or not available on `day`."""
    entry = family.get(key)
    if entry is None:
        return f"`{key}` is not in the catalog"
    if isinstance(entry, LLM):
        fault = "is not open weights"
    elif isinstance(entry, FineTuneOffer):
        fault = "tunes a model that is not open weights"
    else:
        fault = "has no GPU datasheet in the catalog"
    return f"{entry.name} {fault if not runs(entry) else f'is not available on {day.isoformat()}'}"


def _entry_problems(catalog: Catalog, s: Scenario) -> list[str]:
    """The entries' own problems (closed weights, a GPU without a datasheet), without sizing a replica."""
    found = (closed_llm_problem(catalog, s), closed_offer_problem(catalog, s), gpu_problem(catalog, s))
    return [p for p in found if p]
