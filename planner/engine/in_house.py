"""Data that must stay in-house: which components of the stack still send it to a third party, and the
changes that keep everything on infrastructure the team controls. Pure (no streamlit).

A component is in-house when it runs on GPUs or servers the team rents or owns: a self-hosted LLM, an
embedding model or reranker with a `self_hosted` GPU throughput, a vector store marked `in_house`, and
fine-tuning whose training runs on the team's GPUs (`self_hosted_training`). Everything else is a vendor's
API or managed service that receives queries, documents or training data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from planner.engine.serving_fit import Fit, fit_serving, self_hostable_offers
from planner.model.scenario import ARCHITECTURES, Scenario
from planner.model.vocabulary import LABELS
from pricing.models import Catalog

_RETRIEVAL = ("rag", "hybrid")
_TUNED = ("fine_tuned", "hybrid")
_BASE = ("prompt_only", "long_context", "rag")


@dataclass(frozen=True)
class ThirdParty:
    """One component that sends data out of the house."""

    component: str  # "LLM", "Embedding model", …
    field: str  # the scenario field that chose it ("stack.llm", …)
    entry: str  # catalog key
    name: str
    provider: str
    what_leaves: str  # "queries and retrieved documents", …
    options: tuple[str, ...]  # the architectures that use it

    def sentence(self) -> str:
        used = _said([LABELS[a] for a in self.options])
        return (
            f"{self.component} {self.name} sends {self.what_leaves} to {self.provider} (used by {used}; {self.field})"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "component": self.component,
            "field": self.field,
            "entry": self.entry,
            "name": self.name,
            "provider": self.provider,
            "what_leaves": self.what_leaves,
            "options": list(self.options),
        }


def _said(names: list[str]) -> str:
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else (names[0] if names else "")


def third_party_components(
    catalog: Catalog, s: Scenario, options: tuple[str, ...] = ARCHITECTURES
) -> tuple[ThirdParty, ...]:
    """The components of `s`'s stack, among those `options` use, that are a vendor's API or managed service."""
    st, out = s.stack, []

    def used(by: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(a for a in options if a in by)

    llm = catalog.llms.get(st.llm)
    if st.serving == "api" and llm is not None and used(_BASE):
        out.append(ThirdParty("LLM", "stack.llm", st.llm, llm.name, llm.provider, "every query", used(_BASE)))
    offer = catalog.fine_tune_offers.get(st.fine_tune)
    if offer is not None and used(_TUNED):
        trains_out = offer.self_hosted_training is None  # the vendor trains on the team's examples
        if st.serving == "api":
            what = "every query and the training data" if trains_out else "every query"
        else:
            what = "the training data" if trains_out else ""
        if what:
            out.append(
                ThirdParty(
                    "Fine-tuning", "stack.fine_tune", st.fine_tune, offer.name, offer.provider, what, used(_TUNED)
                )
            )
    if used(_RETRIEVAL):
        emb = catalog.embedding_models.get(st.embedding_model)
        if emb is not None and emb.self_hosted is None:
            out.append(
                ThirdParty(
                    "Embedding model", "stack.embedding_model", st.embedding_model, emb.name, emb.provider,
                    "every query and the whole knowledge base", used(_RETRIEVAL),
                )
            )  # fmt: skip
        store = catalog.vector_stores.get(st.vector_store)
        if store is not None and not store.in_house:
            out.append(
                ThirdParty(
                    "Vector store", "stack.vector_store", st.vector_store, store.name, store.provider,
                    "the knowledge base's chunks and vectors", used(_RETRIEVAL),
                )
            )  # fmt: skip
        rr = catalog.rerankers.get(st.reranker)
        if s.workload.rerank and rr is not None and rr.self_hosted is None:
            out.append(
                ThirdParty(
                    "Reranker", "stack.reranker", st.reranker, rr.name, rr.provider,
                    "every query and its retrieved documents", used(_RETRIEVAL),
                )
            )  # fmt: skip
    return tuple(out)


def in_house_warnings(catalog: Catalog, s: Scenario, options: tuple[str, ...] = ARCHITECTURES) -> list[str]:
    """One warning naming every third-party component, when the data must stay in-house (else none)."""
    if not s.data_must_stay_in_house:
        return []
    found = third_party_components(catalog, s, options)
    if not found:
        return []
    return [
        "Data must stay in-house, but "
        + "; ".join(t.sentence() for t in found)
        + '. Pick self-hosted entries for them (the Serving page\'s "Keep everything in-house" does it), '
        "or accept the exception."
    ]


def in_house_entries(catalog: Catalog) -> dict[str, list[str]]:
    """Catalog keys that keep the data in-house, per scenario field."""
    return {
        "stack.embedding_model": [k for k, e in catalog.embedding_models.items() if e.self_hosted is not None],
        "stack.reranker": [k for k, r in catalog.rerankers.items() if r.self_hosted is not None],
        "stack.vector_store": [k for k, v in catalog.vector_stores.items() if v.in_house],
        "stack.fine_tune": [
            k for k in self_hostable_offers(catalog) if catalog.fine_tune_offers[k].self_hosted_training is not None
        ],
    }


def fit_in_house(catalog: Catalog, s: Scenario) -> Fit:
    """The changes that keep the whole stack in-house (self-hosted serving, and an in-house entry for each
    component that is not), with one sentence per change; a component with no in-house entry is left, named."""
    changes: dict[str, Any] = {}
    notes: list[str] = []
    entries = in_house_entries(catalog)
    for t in third_party_components(catalog, s):
        if t.field == "stack.llm":
            continue  # served on GPUs below
        keys = entries.get(t.field, [])
        if not keys:
            notes.append(f"No in-house choice in the catalog for {t.component.lower()} ({t.name} stays).")
            continue
        families: dict[str, dict[str, Any]] = {
            "stack.embedding_model": dict(catalog.embedding_models),
            "stack.reranker": dict(catalog.rerankers),
            "stack.vector_store": dict(catalog.vector_stores),
            "stack.fine_tune": dict(catalog.fine_tune_offers),
        }
        family = families[t.field]
        if t.field == "stack.fine_tune":  # the same base model first: the comparison stays like for like
            base = catalog.fine_tune_offers[s.stack.fine_tune].base_llm
            keys = sorted(keys, key=lambda k: catalog.fine_tune_offers[k].base_llm != base)
        changes[t.field] = keys[0]
        notes.append(f"{t.component} → {family[keys[0]].name} (in-house; {t.name} sends {t.what_leaves} out).")
    if s.stack.serving != "self_hosted":
        changes["stack.serving"] = "self_hosted"
        notes.append("Serving → self-hosted (open weights on your GPUs).")
        fit = fit_serving(catalog, s.with_changes(**changes), "self_hosted")
        changes.update(fit.changes)
        notes.extend(fit.notes)
    return Fit(changes, tuple(notes))
