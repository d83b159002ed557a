"""Pydantic models of the pricing catalog.

Every figure (a price, a latency, a throughput) is a `Figure`: a value with an
optional low/high range, the `source` it was read from and the date it was
`checked`. The unit lives in the field name (`usd_per_1m_tokens`,
`latency_p50_ms`, ...). Implausible magnitudes are rejected by per-field
ceilings, which catch the classic unit mistake (a per-token price stored as a
per-1M price). The JSON Schema in `pricing/catalog.schema.json` is generated
from these models (`python -m pricing.schema`), never written by hand.

The catalog's rooms: the strict base model, `Figure` and the unit types in `pricing/units.py`; lifecycles in
`pricing/lifecycle.py`; LLMs and fine-tuning offers in `pricing/llms.py`; embedding models, vector stores and
rerankers in `pricing/retrieval.py`; GPUs in `pricing/gpus.py` (owned hardware in `pricing/owned.py`, GPU
datasheets and model architectures in `pricing/serving_facts.py`). This module holds the `Catalog` that joins them.
"""

from __future__ import annotations

import datetime
import difflib
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator
from pydantic_core import PydanticCustomError

from pricing.gpus import GPU
from pricing.llms import LLM, FineTuneOffer
from pricing.retrieval import EmbeddingModel, Reranker, VectorStore
from pricing.serving_facts import Accelerator
from pricing.units import (
    STALE_AFTER_DAYS,
    Figure,
    Key,
    LatencyMs,
    MsPer1KTokens,
    Name,
    Strict,
)


class LatencyModel(Strict):
    """Assumptions of the latency model (see docs/formulas.md)."""

    ttft_ms_per_1k_input_tokens: MsPer1KTokens = Field(description="Extra time to first token per 1,000 input tokens.")
    p95_over_p50: float = Field(
        1.6, ge=1, le=20, allow_inf_nan=False, description="p95 ÷ p50 for a figure given only as a median.", strict=True
    )
    network_overhead_ms: LatencyMs = Field(description="Client ↔ API round trip added once per request.")


class Catalog(Strict):
    """A pricing catalog: versioned, dated, in USD."""

    version: Name
    currency: Literal["USD"] = "USD"
    date: date
    description: str | None = Field(None, max_length=2000)
    genai_prices_version: str | None = Field(
        None, max_length=50, description="Version of the genai-prices package the catalog was last checked against."
    )
    latency_model: LatencyModel
    embedding_models: dict[Key, EmbeddingModel] = Field(min_length=1)
    vector_stores: dict[Key, VectorStore] = Field(min_length=1)
    rerankers: dict[Key, Reranker] = Field(min_length=1)
    llms: dict[Key, LLM] = Field(min_length=1)
    fine_tune_offers: dict[Key, FineTuneOffer] = Field(min_length=1)
    gpus: dict[Key, GPU] = Field(min_length=1)
    accelerators: dict[Key, Accelerator] = Field(
        default_factory=dict, description="GPU datasheets the serving model reads (absent: no GPU can self-host)."
    )

    @model_validator(mode="after")
    def _references_exist(self) -> Catalog:
        problems: list[tuple[str, str, str, str | None, str, str]] = []
        for key, emb in self.embedding_models.items():
            if emb.self_hosted and emb.self_hosted.gpu not in self.gpus:
                problems.append(("embedding_models", key, "self_hosted", "gpu", emb.self_hosted.gpu, "gpus"))
        for key, gpu in self.gpus.items():
            if gpu.accelerator is not None and gpu.accelerator not in self.accelerators:
                problems.append(("gpus", key, "accelerator", None, gpu.accelerator, "accelerators"))
        for key, offer in self.fine_tune_offers.items():
            if offer.base_llm not in self.llms:
                problems.append(("fine_tune_offers", key, "base_llm", None, offer.base_llm, "llms"))
            if offer.self_hosted_training and offer.self_hosted_training.gpu not in self.gpus:
                problems.append(
                    ("fine_tune_offers", key, "self_hosted_training", "gpu", offer.self_hosted_training.gpu, "gpus")
                )
        for fam in ("llms", "embedding_models", "rerankers", "fine_tune_offers"):
            for key, entry in getattr(self, fam).items():
                life = entry.lifecycle
                if life is not None and life.replacement is not None:
                    if life.replacement == key:
                        raise PydanticCustomError(
                            "self_reference",
                            "`{ref}` cannot replace itself: name another entry under `{target}`",
                            {"ref": key, "target": fam, "at": (fam, key, "lifecycle", "replacement")},
                        )
                    if life.replacement not in getattr(self, fam):
                        problems.append((fam, key, "lifecycle", "replacement", life.replacement, fam))
        if problems:
            fam, key, f1, f2, ref, target = problems[0]
            known = sorted(getattr(self, target))
            close = difflib.get_close_matches(ref, known, n=1)
            hint = f" — did you mean `{close[0]}`?" if close else f" (known: {', '.join(known)})"
            raise PydanticCustomError(
                "unknown_reference",
                "`{ref}` is not a key under `{target}`{hint}",
                {"ref": ref, "target": target, "hint": hint, "at": tuple(p for p in (fam, key, f1, f2) if p)},
            )
        return self

    def on(self, day: datetime.date) -> Catalog:
        """The catalog with every LLM's scheduled price changes in effect on `day` applied."""
        changed = {k: llm.on(day) for k, llm in self.llms.items() if llm.price_changes}
        changed = {k: v for k, v in changed.items() if v is not self.llms[k]}
        return self.model_copy(update={"llms": self.llms | changed}) if changed else self

    def figures(self):
        """Yield (path, Figure) for every figure in the catalog."""
        yield from walk_figures(self, ())

    def family_counts(self) -> dict[str, int]:
        """Entries per family, keyed by the family's plural name."""
        return {
            "embedding models": len(self.embedding_models),
            "vector stores": len(self.vector_stores),
            "rerankers": len(self.rerankers),
            "LLMs": len(self.llms),
            "fine-tuning offers": len(self.fine_tune_offers),
            "GPUs": len(self.gpus),
        }

    def stale_figures(self, today: datetime.date | None = None, after_days: int = STALE_AFTER_DAYS):
        return [(p, f) for p, f in self.figures() if f.is_stale(today, after_days)]


def walk_figures(obj: Any, path: tuple):
    if isinstance(obj, Figure):
        yield path, obj
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            yield from walk_figures(getattr(obj, name), path + (name,))
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield from walk_figures(v, path + (k,))
