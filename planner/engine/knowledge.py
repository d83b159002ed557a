"""An answer beats an assumption: the knowledge base's size against the questionnaire's "it fits" answer.

The corpus (`workload.corpus_documents` × `workload.tokens_per_document`) has defaults. When the user
answered that the knowledge base fits in the context window and never gave its size, the default must not
overrule the answer: the estimate prices the largest knowledge base that fits the model (an upper bound on
what "it fits" can cost), says so, and asks for the size. A size the user gave is measured against the
window and beats the answer (planner/questionnaire/ranking.py says so). docs/formulas.md, "Knowledge base".
"""

from __future__ import annotations

import math

from planner.engine.inputs import Inputs
from planner.model.scenario import Scenario, corpus_given
from pricing.models import Catalog


def documents_that_fit(catalog: Catalog, scenario: Scenario, i: Inputs) -> int:
    """The most documents of `tokens_per_document` tokens that ride in `stack.llm`'s prompt with the system
    prompt, the user's input and the answer: min(window − output, maximum input) − system − input tokens."""
    llm = catalog.llms[scenario.stack.llm]
    rest = i.system_prompt_tokens + i.input_tokens_per_query
    room = llm.context_window_tokens - i.output_tokens_per_query - rest
    max_in = llm.max_input_tokens
    if max_in is not None:
        room = min(room, max_in - rest)
    return max(0, math.floor(room / i.tokens_per_document)) if i.tokens_per_document > 0 else 0


def answer_over_assumed_corpus(
    catalog: Catalog, scenario: Scenario, i: Inputs, misfit: str | None
) -> tuple[int, str] | None:
    """(documents to price, the sentence that says why) when the answer "the knowledge fits" meets an assumed
    corpus that does not fit; None when the answer, the size or the fit leaves nothing to settle."""
    if scenario.answers.knowledge_fits_in_context is not True or corpus_given(scenario) or misfit is None:
        return None
    docs = documents_that_fit(catalog, scenario, i)
    if docs < 1:
        return None
    llm = catalog.llms[scenario.stack.llm]
    w = scenario.workload
    note = (
        f"You answered that the knowledge base fits in the context window, but its size was never given: the "
        f"assumed {w.corpus_documents:,.0f} documents × {w.tokens_per_document:,.0f} tokens "
        f"({w.corpus_documents * w.tokens_per_document:,.0f} tokens) would not fit {llm.name}'s window of "
        f"{llm.context_window_tokens:,} tokens. Your answer stands: the estimate prices the largest knowledge base "
        f"that fits ({docs:,} documents, {docs * w.tokens_per_document:,.0f} tokens), an upper bound. Give the "
        "knowledge base's size (workload.corpus_documents and workload.tokens_per_document; sidebar: Knowledge "
        "base) to price yours."
    )
    return docs, note
