"""Which catalog entries fit the chosen serving, and what to change when they do not. Pure (no streamlit).

Self-hosted serving runs open weights on rented GPUs: the LLM (prompt only, RAG) and the fine-tuning
offer's base model (fine-tuned, hybrid) must both be open-weights models, and the GPU must state a
serving throughput. `fit_serving(catalog, scenario, serving)` returns the scenario changes that make
a stack fit (keeping every entry that already fits) and one sentence per change;
`serving_problems(catalog, scenario)` names each field that does not fit, with the choices that do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from planner.engine.serving_fit import can_serve
from planner.model.scenario import Scenario
from pricing.llms import LLM, FineTuneOffer
from pricing.models import Catalog


def _available(entry: LLM | FineTuneOffer, today: date) -> bool:
    return entry.lifecycle is None or entry.lifecycle.available_on(today)


def open_llms(catalog: Catalog, today: date | None = None) -> list[str]:
    """LLM keys that can be self-hosted (open weights), in catalog order."""
    day = today or date.today()
    return [k for k, m in catalog.llms.items() if m.open_weights and _available(m, day)]


def self_hostable_offers(catalog: Catalog, today: date | None = None) -> list[str]:
    """Fine-tuning offer keys whose tuned model can be self-hosted (an open-weights base), in catalog order."""
    day = today or date.today()
    return [
        k
        for k, o in catalog.fine_tune_offers.items()
        if o.base_llm in catalog.llms and catalog.llms[o.base_llm].open_weights and _available(o, day)
    ]


def serving_gpus(catalog: Catalog) -> list[str]:
    """GPU keys the serving model can size (a datasheet in the catalog), in catalog order."""
    return [k for k, g in catalog.gpus.items() if can_serve(catalog, g)]


@dataclass(frozen=True)
class Fit:
    changes: dict[str, Any] = field(default_factory=dict)  # dotted scenario paths → new keys
    notes: tuple[str, ...] = ()  # one sentence per change, or why nothing fits


def _names(family: dict, keys: list[str], limit: int = 8) -> str:
    shown = ", ".join(f"{family[k].name} (`{k}`)" for k in keys[:limit])
    return shown + (f" and {len(keys) - limit} more" if len(keys) > limit else "")


def serving_problems(catalog: Catalog, scenario: Scenario) -> list[str]:
    """Each stack field that does not fit self-hosted serving, with the entries that would."""
    st = scenario.stack
    if st.serving != "self_hosted":
        return []
    out = []
    llm = catalog.llms.get(st.llm)
    if llm is not None and not llm.open_weights:
        choices = open_llms(catalog)
        out.append(
            f"stack.llm: {llm.name} (`{st.llm}`) is not open weights, so it cannot be self-hosted; "
            + (f"choose one of {_names(catalog.llms, choices)}." if choices else "the catalog has no open-weights LLM.")
        )
    offer = catalog.fine_tune_offers.get(st.fine_tune)
    if offer is not None:
        base = catalog.llms.get(offer.base_llm)
        if base is not None and not base.open_weights:
            choices = self_hostable_offers(catalog)
            out.append(
                f"stack.fine_tune: {offer.name} (`{st.fine_tune}`) tunes {base.name}, which is not open weights, so "
                "the fine-tuned and hybrid models cannot be self-hosted; "
                + (
                    f"choose one of {_names(catalog.fine_tune_offers, choices)}."
                    if choices
                    else "the catalog has no fine-tuning offer on an open-weights model."
                )
            )
    gpu = catalog.gpus.get(st.gpu)
    if gpu is not None and not can_serve(catalog, gpu):
        choices = serving_gpus(catalog)
        out.append(
            f"stack.gpu: {gpu.name} (`{st.gpu}`) has no GPU datasheet (memory bandwidth, compute) in the catalog; "
            + (f"choose one of {_names(catalog.gpus, choices)}." if choices else "add one to the catalog.")
        )
    return out


def fit_serving(catalog: Catalog, scenario: Scenario, serving: str) -> Fit:
    """The changes that make the stack fit `serving` (nothing for "api": every entry has token prices)."""
    if serving != "self_hosted":
        return Fit()
    st = scenario.stack
    changes: dict[str, Any] = {}
    notes: list[str] = []
    offers = self_hostable_offers(catalog)
    llms = open_llms(catalog)
    offer = catalog.fine_tune_offers.get(st.fine_tune)
    offer_ok = st.fine_tune in offers
    llm_ok = st.llm in llms
    new_offer = st.fine_tune
    if not offer_ok and offers:
        # an offer on the LLM about to be used, else the first self-hostable one
        want = st.llm if llm_ok else None
        new_offer = next((k for k in offers if catalog.fine_tune_offers[k].base_llm == want), offers[0])
        changes["stack.fine_tune"] = new_offer
        o = catalog.fine_tune_offers[new_offer]
        was = f"{offer.name} tunes a model that is not open weights" if offer is not None else "the offer is unknown"
        notes.append(f"Fine-tuning offer → {o.name} ({was}; this one tunes {catalog.llms[o.base_llm].name}).")
    if not llm_ok and llms:
        base = catalog.fine_tune_offers[new_offer].base_llm if new_offer in catalog.fine_tune_offers else None
        new_llm = base if base in llms else llms[0]
        changes["stack.llm"] = new_llm
        old = catalog.llms.get(st.llm)
        notes.append(
            f"LLM → {catalog.llms[new_llm].name} ({old.name if old else st.llm} is not open weights; "
            "the same base model as the fine-tuning offer, so the four options compare like for like)."
            if new_llm == base
            else f"LLM → {catalog.llms[new_llm].name} ({old.name if old else st.llm} is not open weights)."
        )
    gpus = serving_gpus(catalog)
    if st.gpu not in gpus and gpus:
        changes["stack.gpu"] = gpus[0]
        notes.append(f"GPU → {catalog.gpus[gpus[0]].name} (the one chosen has no GPU datasheet in the catalog).")
    if not offers or not llms or not gpus:
        notes.extend(serving_problems(catalog, scenario.with_changes(**{"stack.serving": "self_hosted", **changes})))
    return Fit(changes, tuple(notes))
