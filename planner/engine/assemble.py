"""`estimate`: prices a scenario on a catalog and assembles the `Estimate` (curves, the figures at the
scenario's own volume, ranges, break-evens, sensitivity and warnings)."""

from __future__ import annotations

import dataclasses
import math
from typing import NamedTuple

import numpy as np

from planner.engine.analysis import break_evens_cached, sensitivity, volume_grid
from planner.engine.caching import cache_warnings
from planner.engine.comparison import compare_serving
from planner.engine.costs import (
    ABSURD_REPLICAS,
    cache_hit_share,
    corpus,
    elementwise_total,
    gpus_per_replica,
    knowledge_base_tokens,
    mean_input_tokens,
    monthly_components,
    one_time_usd,
    prompt_tokens,
    replicas,
    sequences_per_replica,
    serving_point,
    utilization,
)
from planner.engine.dated import change_warnings, dated
from planner.engine.gather import build_inputs
from planner.engine.in_house import in_house_warnings, third_party_components
from planner.engine.inputs import Inputs
from planner.engine.knowledge import answer_over_assumed_corpus
from planner.engine.latency import combine_latency, first_token_latency, latency_parts
from planner.engine.lifecycle import scenario_issues
from planner.engine.quality import quality_assessment
from planner.engine.results import Estimate, Series, Snapshot
from planner.engine.serving_fit import long_context_misfit_on_gpus, serving_misfits
from planner.model.scenario import ARCHITECTURES, USES_TUNED, Scenario, start_day
from planner.model.vocabulary import COLORS, LABELS
from pricing.models import Catalog


def arch_series(
    i: Inputs, arch: str, q: np.ndarray, c: dict
) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray]]:
    comps = monthly_components(i, arch, q, c)
    parts = latency_parts(i, arch, q)
    p50, p95 = combine_latency(parts)
    return comps, elementwise_total(comps.values()), p50, p95, first_token_latency(parts)


def long_context_misfit(catalog: Catalog, scenario: Scenario, i: Inputs) -> str | None:
    """Why the knowledge base cannot ride in the prompt of `stack.llm`, or None when it fits."""
    llm = catalog.llms[scenario.stack.llm]
    kb = knowledge_base_tokens(i)
    tin, tout = prompt_tokens(i, "long_context")
    max_in = llm.max_input_tokens
    if tin + tout > llm.context_window_tokens:
        return (
            f"the knowledge base ({kb:,.0f} tokens) with the prompt and the answer ({tin + tout:,.0f} tokens) "
            f"does not fit {llm.name}'s context window of {llm.context_window_tokens:,} tokens"
        )
    if max_in is not None and tin > max_in:
        return (
            f"the knowledge base ({kb:,.0f} tokens) with the prompt ({tin:,.0f} input tokens) is above "
            f"{llm.name}'s maximum input of {max_in:,} tokens"
        )
    return None


class _Priced(NamedTuple):
    """The scenario's inputs at the catalog's typical, low and high prices, with the corpus of each."""

    typ: Inputs
    low: Inputs
    high: Inputs
    c: dict
    c_low: dict
    c_high: dict


def _total_at(i: Inputs, arch: str, q: np.ndarray, c: dict) -> np.ndarray:
    return elementwise_total(monthly_components(i, arch, q, c).values())


def _arch_series(p: _Priced, a: str, q: np.ndarray) -> Series:
    """One architecture over the volume grid `q`."""
    typ = p.typ
    comps, total, p50, p95, (f50, f95) = arch_series(typ, a, q, p.c)
    lo_total, hi_total = _total_at(p.low, a, q, p.c_low), _total_at(p.high, a, q, p.c_high)
    reps = replicas(typ, a, q) if typ.self_hosted else None
    return Series(a, LABELS[a], COLORS[a], total, lo_total, hi_total, comps, total / q * 1000, p50, p95, reps, f50, f95)


def _serving_fields(i: Inputs, a: str, q_now: np.ndarray, gpu_key: str) -> dict:
    """The self-hosted contract fields of one option at the scenario's volume (docs/formulas.md)."""
    if not i.self_hosted:
        return {}
    sp = serving_point(i, a)
    reps = int(replicas(i, a, q_now)[0])
    return dict(
        gpu=gpu_key,
        precision=i.serving_precision,
        gpus=reps * int(sp.gpus_per_replica),
        replica_tokens_per_second=sp.replica_tokens_per_second,
        sequence_tokens_per_second=sp.sequence_tokens_per_second,
        utilization=float(utilization(i, a, q_now)[0]),
    )


def _snapshot(p: _Priced, a: str, q_now: np.ndarray, months: int, gpu_key: str = "") -> Snapshot:
    """One architecture at the scenario's own volume (`q_now`, one element), with its one-time costs and TCO."""
    typ, c = p.typ, p.c
    now = monthly_components(typ, a, q_now, c)
    now_total = float(elementwise_total(now.values())[0])
    now_lo = float(_total_at(p.low, a, q_now, p.c_low)[0])
    now_hi = float(_total_at(p.high, a, q_now, p.c_high)[0])
    parts = latency_parts(typ, a, q_now)
    n50, n95 = combine_latency(parts)
    t50, t95 = first_token_latency(parts)
    one = one_time_usd(typ, a, c)
    one_lo, one_hi = sum(one_time_usd(p.low, a, p.c_low).values()), sum(one_time_usd(p.high, a, p.c_high).values())
    one_total = sum(one.values())
    return Snapshot(
        key=a,
        label=LABELS[a],
        queries_per_month=float(q_now[0]),
        monthly_usd=now_total,
        monthly_low_usd=now_lo,
        monthly_high_usd=now_hi,
        components_usd={k: float(v[0]) for k, v in now.items()},
        usd_per_1k_queries=now_total / q_now[0] * 1000 if q_now[0] > 0 else 0.0,
        latency_p50_ms=float(n50[0]),
        latency_p95_ms=float(n95[0]),
        latency_breakdown_ms={k: (float(v[0][0]), float(v[1][0])) for k, v in parts.items()},
        one_time_usd=one,
        one_time_total_usd=one_total,
        tco_usd=one_total + now_total * months,
        tco_low_usd=one_lo + now_lo * months,
        tco_high_usd=one_hi + now_hi * months,
        input_tokens_per_query=mean_input_tokens(typ, a),
        replicas=int(replicas(typ, a, q_now)[0]) if typ.self_hosted else None,
        cache_hit_share=0.0 if typ.self_hosted else float(cache_hit_share(typ, a, q_now)[0]),
        first_token_p50_ms=float(t50[0]),
        first_token_p95_ms=float(t95[0]),
        gpus_per_replica=int(gpus_per_replica(typ, a)) if typ.self_hosted else None,
        sequences_per_replica=int(sequences_per_replica(typ, a)) if typ.self_hosted else None,
        **_serving_fields(typ, a, q_now, gpu_key),
    )


def estimate(
    catalog: Catalog, scenario: Scenario, volumes=None, sensitivity_delta: float = 0.25, serving_comparison: bool = True
) -> Estimate:
    """Itemized monthly spend and latency of the architectures over query volume (those that can run), at the
    prices in force on the first day of the horizon; the TCO sums the months at the prices in force each month.
    `serving_comparison=False` leaves out API versus self-hosted (`with_serving_comparison` adds it later): it
    runs the engine again for every GPU × precision of the catalog, several times the cost of the rest."""
    start = start_day(scenario)
    dated_catalog, catalog = catalog, catalog.on(start)
    typ, used = build_inputs(catalog, scenario, "value", on=start)
    low, _ = build_inputs(catalog, scenario, "low", on=start)
    high, _ = build_inputs(catalog, scenario, "high", on=start)
    p = _Priced(typ, low, high, corpus(typ), corpus(low), corpus(high))
    q = volume_grid(scenario, volumes)
    q_now = np.array([scenario.workload.queries_per_month])

    misfit = long_context_misfit(catalog, scenario, typ)
    settled = answer_over_assumed_corpus(catalog, scenario, typ, misfit)
    if settled is not None:  # the answer "it fits" stands over the assumed corpus: the largest that fits
        docs = float(settled[0])
        typ, low, high = (x.replace(corpus_documents=docs) for x in (typ, low, high))
        p = _Priced(typ, low, high, corpus(typ), corpus(low), corpus(high))
        misfit = long_context_misfit(catalog, scenario, typ)
    context_misfit = f"Long context is ruled out: {misfit}." if misfit else None
    ruled_out = _ruled_out(catalog, scenario, context_misfit)
    priced = tuple(a for a in ARCHITECTURES if a not in ruled_out)
    series = {a: _arch_series(p, a, q) for a in priced}
    current = {a: _snapshot(p, a, q_now, scenario.horizon_months, scenario.stack.gpu) for a in priced}
    current, changes = dated(dated_catalog, scenario, start, current, p.c, float(settled[0]) if settled else None)
    return Estimate(
        scenario=scenario,
        catalog_version=catalog.version,
        catalog_date=str(catalog.date),
        volumes=q,
        series=series,
        current=current,
        break_evens=break_evens_cached(typ.replace(queries_per_month=0.0), q.tobytes(), priced),
        sensitivity=sensitivity(typ, sensitivity_delta, priced),
        sensitivity_delta=sensitivity_delta,
        prices_used=used,
        corpus=p.c,
        warnings=(
            *((settled[1],) if settled else ()),
            *change_warnings(changes, scenario, start, current),
            *estimate_warnings(catalog, scenario, typ, current),
        ),
        ruled_out=ruled_out,
        context_misfit=context_misfit,
        serving_comparison=compare_serving(catalog, scenario, q, ruled_out_for) if serving_comparison else None,
        third_party=third_party_components(catalog, scenario, priced),
        start_date=start.isoformat(),
        price_changes_in_horizon=changes,
        knowledge_base_note=settled[1] if settled else None,
        quality=quality_assessment(catalog, scenario, {"value": typ, "low": low, "high": high}, q, current, start),
    )


def with_serving_comparison(catalog: Catalog, est: Estimate) -> Estimate:
    """`est` with its API versus self-hosted comparison, as `estimate` computes it by default."""
    if est.serving_comparison is not None:
        return est
    comparison = compare_serving(catalog, est.scenario, est.volumes, ruled_out_for)
    return dataclasses.replace(est, serving_comparison=comparison)


def ruled_out_for(catalog: Catalog, scenario: Scenario, i: Inputs) -> dict[str, str]:
    """The options that cannot run for `scenario` (priced as `i`), each with its reason, as `estimate` rules out."""
    misfit = long_context_misfit(catalog, scenario, i)
    return _ruled_out(catalog, scenario, f"Long context is ruled out: {misfit}." if misfit else None)


def _ruled_out(catalog: Catalog, scenario: Scenario, context_misfit: str | None) -> dict[str, str]:
    """The options that cannot run, in ARCHITECTURES order, each with its reason: long context whose knowledge
    base does not fit the context window; self-hosted, the options served by a model that is not open weights
    or fits no GPU replica, and long context when no replica holds one of its requests (first reason kept)."""
    reasons = {"long_context": context_misfit} if context_misfit else {}
    for field, misfit in serving_misfits(catalog, scenario).items():
        served = [a for a in ARCHITECTURES if USES_TUNED[a] == (field == "stack.fine_tune")]
        # "Prompt only, long context and RAG": labels inside a sentence, acronyms kept
        names = [LABELS[a] if n == 0 or LABELS[a].isupper() else LABELS[a].lower() for n, a in enumerate(served)]
        said = ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]
        for a in served:
            reasons.setdefault(a, f"{said} {'are' if len(served) > 1 else 'is'} ruled out: {misfit}.")
    on_gpus = long_context_misfit_on_gpus(catalog, scenario)
    if on_gpus:
        reasons.setdefault("long_context", f"Long context is ruled out: {on_gpus}.")
    return {a: reasons[a] for a in ARCHITECTURES if a in reasons}


def estimate_warnings(catalog: Catalog, scenario: Scenario, i: Inputs, current: dict[str, Snapshot]) -> list[str]:
    # entries that cannot be bought, or stop inside the horizon, first: nothing unavailable is priced silently
    out = [issue.message() for issue in scenario_issues(catalog, scenario)]
    out += in_house_warnings(catalog, scenario, tuple(current))  # data that must stay in-house, leaving it
    llm = catalog.llms[scenario.stack.llm]
    offer = catalog.fine_tune_offers[scenario.stack.fine_tune]
    tuned = catalog.llms[offer.base_llm]
    for a in current:
        model = tuned if USES_TUNED[a] else llm
        need = prompt_tokens(i, a)[0] + scenario.workload.output_tokens_per_query
        if need > model.context_window_tokens:
            out.append(
                f"{LABELS[a]}: a prompt of {need:,.0f} tokens exceeds {model.name}'s context window "
                f"of {model.context_window_tokens:,} tokens"
            )
    max_docs = catalog.rerankers[scenario.stack.reranker].max_documents_per_search
    n = max(scenario.workload.rerank_candidates_per_query or 0, scenario.workload.top_k)
    if scenario.workload.rerank and n > max_docs and i.rerank_usd_per_1k_searches > 0:
        what = "top_k" if n == scenario.workload.top_k else "rerank_candidates_per_query"
        out.append(
            f"{what} ({n}) is above the reranker's {max_docs} documents per search: "
            f"each query is billed as {math.ceil(n / max_docs)} searches"
        )
    if not i.self_hosted:
        uncached = []
        for a in current:
            at_base = offer.served_at_base_price or offer.input_usd_per_1m_tokens is None
            model = tuned if USES_TUNED[a] else llm
            name = offer.name if USES_TUNED[a] and not at_base else model.name
            no_price = model.cached_input_usd_per_1m_tokens is None or name == offer.name
            if no_price and name not in uncached:
                uncached.append(name)
        if uncached:
            out.append(
                f"no cached-input price in the catalog for {', '.join(uncached)}: the static prompt prefix "
                "is billed at the full input price on every query (no prompt-cache discount)"
            )
    out += cache_warnings(scenario, i, current)
    if i.self_hosted:
        most = max(current.values(), key=lambda snap: snap.replicas or 0)
        if (most.replicas or 0) > ABSURD_REPLICAS:
            out.append(
                f"{most.label} needs {most.replicas:,} GPU replicas at peak — more than {ABSURD_REPLICAS:,} is not a "
                "plan: check the GPU's serving throughput in the catalog, the utilization target and the volume"
            )
    if i.self_hosted and i.serving_gpu_memory_gb <= 0:
        out.append(
            f"{catalog.gpus[scenario.stack.gpu].name} has no `memory_gb_per_gpu` in the catalog: a replica is taken "
            f"as one whole instance holding {scenario.stack.max_sequences_per_replica} sequences at once, without "
            "checking that the model and its KV cache fit"
        )
    out.extend(_serving_warnings(catalog, scenario, i, current))
    if i.training_examples and i.training_examples < 50:
        out.append(f"only {i.training_examples:.0f} training examples: fine-tuning usually needs at least 50 good ones")
    return out


def _serving_warnings(catalog: Catalog, scenario: Scenario, i: Inputs, current: dict[str, Snapshot]) -> list[str]:
    """A dedicated endpoint whose capacity is not modelled; a self-hosted option whose latency limit no batch
    meets; a GPU sized by the legacy 8B throughput (an older catalog)."""
    out = []
    offer = catalog.fine_tune_offers[scenario.stack.fine_tune]
    tuned_here = [a for a in current if USES_TUNED[a]]
    if (
        not i.self_hosted
        and tuned_here
        and offer.hosting == "dedicated"
        and i.tuned_dedicated_output_tokens_per_second <= 0
    ):
        out.append(
            f"{offer.name} runs on a dedicated endpoint whose throughput the catalog does not give "
            "(`dedicated_output_tokens_per_second`): its capacity is not modelled, so it is priced as one replica "
            "at any volume — at high volume it needs more"
        )
    if i.self_hosted and i.serving_model:
        slow = [snap.label for a, snap in current.items() if not serving_point(i, a).meets_limit]
        if slow:
            out.append(
                f"{', '.join(slow)}: even one sequence per replica misses the latency limit on "
                f"{catalog.gpus[scenario.stack.gpu].name} (the model's own time, before network and retrieval), "
                "so each replica runs the largest batch within 10% of one sequence's time; a faster GPU, "
                "a lower stack.precision or a smaller model would meet it"
            )
    elif i.self_hosted:
        out.append(
            f"{catalog.gpus[scenario.stack.gpu].name} names no GPU datasheet (`accelerator`) in this catalog: its "
            "replicas are sized by the legacy 8B throughput scaled by model size, not by the serving model"
        )
    return out
