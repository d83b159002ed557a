"""The rule table: what each answer does to each architecture, in the order reasons are listed."""

from __future__ import annotations

from planner.model.scenario import ARCHITECTURES
from planner.questionnaire.conditions import C, Rule

P, L, R, F, H = ARCHITECTURES  # "prompt_only", "long_context", "rag", "fine_tuned", "hybrid"
_FRESH = ("monthly", "weekly", "daily", "realtime")

#: The rule table. Order is the order reasons are listed in. Hard rules first.
RULES: tuple[Rule, ...] = (
    # --- hard: rule out -----------------------------------------------------
    Rule(
        "citations_need_sources",
        (C("citations_required", "==", True),),
        "Citations are required: a fine-tuned model alone answers from its weights and cannot "
        "show where a fact came from, so fine-tuned only is ruled out.",
        "hard",
        rule_out={F},
    ),
    Rule(
        "too_few_examples",
        (C("labeled_examples", "<", 50),),
        "Only {labeled_examples} good examples: below about 50, fine-tuning is not viable yet "
        "(fine-tuned and hybrid are ruled out until the set grows).",
        "hard",
        rule_out={F, H},
        fix="At least 50 labeled examples (you have {labeled_examples}) would make fine-tuned and hybrid possible.",
    ),
    Rule(
        "data_out_of_weights",
        (C("data_must_stay_external", "==", True),),
        "The data must stay out of model weights: fine-tuned only would have to learn it "
        "into weights, where it cannot be deleted or access-controlled, so it is ruled out.",
        "hard",
        rule_out={F},
    ),
    Rule(
        "knowledge_gap_needs_knowledge",
        (C("gap", "in", ("knowledge", "both")),),
        "The gap is {gap}: prompt only answers from the model's weights and a prompt without your "
        "knowledge base, so it cannot supply the facts (facts missing from the prompt come back "
        "invented) and is ruled out. The knowledge in the prompt is long context; retrieved per query, RAG.",
        "hard",
        rule_out={P},
    ),
    Rule(
        "knowledge_not_in_context",
        (C("knowledge_fits_in_context", "==", False),),
        "The knowledge base does not fit in the model's context window (and maximum input), "
        "so it cannot ride in the prompt: long context is ruled out.",
        "hard",
        rule_out={L},
        fix="A model with a larger context window (or a smaller knowledge base) would let long context carry it.",
    ),
    # --- soft: knowledge freshness -------------------------------------------
    Rule(
        "knowledge_static",
        (C("knowledge_change", "<=", "yearly"),),
        "Knowledge changes {knowledge_change}: facts written once into a prompt or into "
        "weights stay true, with no retraining or re-indexing to keep them fresh.",
        "soft",
        effects={P: 1, F: 1},
    ),
    Rule(
        "knowledge_changes_monthly",
        (C("knowledge_change", ">=", "monthly"),),
        "Knowledge changes {knowledge_change}: a fine-tuned model would need retraining "
        "{knowledge_change:every} to stay fresh; retrieval sees a changed document as soon "
        "as it is re-indexed.",
        "soft",
        effects={F: -2, R: 1},
    ),
    Rule(
        "knowledge_changes_weekly",
        (C("knowledge_change", ">=", "weekly"),),
        "Knowledge changes {knowledge_change}: at this pace weights are out of date most of "
        "the time; keep facts in a retrieval index (RAG, or hybrid).",
        "soft",
        effects={F: -2, R: 1, H: 1},
    ),
    Rule(
        "knowledge_realtime",
        (C("knowledge_change", "==", "realtime"),),
        "Knowledge changes in real time: no training schedule keeps up; only retrieval at query time can.",
        "soft",
        effects={F: -2, R: 1},
    ),
    # --- soft: what is missing -----------------------------------------------
    Rule(
        "gap_knowledge",
        (C("gap", "==", "knowledge"),),
        "The gap is knowledge: retrieval adds facts at answer time; fine-tuning teaches form "
        "more reliably than facts, and a model tuned on new facts tends to invent the rest.",
        "soft",
        effects={R: 2, F: -2},
    ),
    Rule(
        "gap_knowledge_in_context",
        (C("gap", "==", "knowledge"), C("knowledge_fits_in_context", "==", True)),
        "The gap is knowledge and the knowledge base fits in the context window: long context adds "
        "the facts as retrieval does, the whole knowledge base in every (cached) prompt.",
        "soft",
        effects={L: 2},
    ),
    Rule(
        "gap_both_in_context",
        (C("gap", "==", "both"), C("knowledge_fits_in_context", "==", True)),
        "The gap is both and the knowledge base fits in the context window: long context supplies "
        "the knowledge as retrieval does.",
        "soft",
        effects={L: 1},
    ),
    Rule(
        "gap_behaviour",
        (C("gap", "==", "behavior"),),
        "The gap is behavior (form, tone, task skill): that is what fine-tuning changes; "
        "retrieval, or the whole knowledge base in the prompt, adds facts, not behavior.",
        "soft",
        effects={F: 2, H: 1, R: -1, L: -1},
    ),
    Rule(
        "gap_both",
        (C("gap", "==", "both"),),
        "The gap is both knowledge and behavior: the field's answer is a hybrid, a model "
        "tuned for the behavior and fed the knowledge by retrieval.",
        "soft",
        effects={H: 3, R: 1, F: 1},
    ),
    # --- soft: form and voice -------------------------------------------------
    Rule(
        "strict_format",
        (C("strict_output_format", "==", True),),
        "Every answer must follow a strict format: fine-tuning teaches a format reliably, "
        "without instructions and examples in every prompt; prompted formats drift on edge cases.",
        "soft",
        effects={F: 2, H: 1},
    ),
    Rule(
        "consistent_voice",
        (C("consistent_voice", "==", True),),
        "A brand voice or domain dialect must hold: a tuned model keeps a voice more "
        "consistently than instructions do.",
        "soft",
        effects={F: 2, H: 1},
    ),
    Rule(
        "format_and_fresh_knowledge",
        (C("strict_output_format", "==", True), C("knowledge_change", "in", _FRESH)),
        "A strict format and knowledge that changes {knowledge_change}: that is the hybrid's "
        "case: tune the format into the model, retrieve the facts.",
        "soft",
        effects={H: 3},
    ),
    Rule(
        "voice_and_fresh_knowledge",
        (C("consistent_voice", "==", True), C("knowledge_change", "in", _FRESH)),
        "A consistent voice and knowledge that changes {knowledge_change}: tune the voice, "
        "retrieve the facts (hybrid).",
        "soft",
        effects={H: 2},
    ),
    Rule(
        "citations_from_retrieval",
        (C("citations_required", "==", True),),
        "Citations are required: retrieval hands the model the passages it answers from, so it can cite them.",
        "soft",
        effects={R: 2, H: 1},
    ),
    Rule(
        "citations_and_format",
        (C("citations_required", "==", True), C("strict_output_format", "==", True)),
        "Cited answers in a strict format: retrieval supplies the sources, a tuned model keeps the format (hybrid).",
        "soft",
        effects={H: 2},
    ),
    # --- soft: what a prompt can do -------------------------------------------
    Rule(
        "prompting_works",
        (C("prompting_good_enough", "==", True),),
        "A well-crafted prompt already reaches the quality needed: ship it; retrieval or "
        "training would add cost and moving parts without a measured gain.",
        "soft",
        effects={P: 3, R: -1, F: -2, H: -2},
    ),
    Rule(
        "prompting_falls_short",
        (C("prompting_good_enough", "==", False),),
        "A well-crafted prompt falls short of the quality needed: move on to the next stage "
        "(retrieval for missing facts, tuning for behavior).",
        "soft",
        effects={P: -2, R: 1, F: 1, H: 1},
    ),
    Rule(
        "knowledge_fits",
        (C("knowledge_fits_in_context", "==", True),),
        "The whole knowledge base fits in the context window: it can ride in a cached prompt "
        "(long context), with no retrieval pipeline to build and run.",
        "soft",
        effects={L: 3, R: -1, H: -1},
    ),
    Rule(
        "knowledge_too_big",
        (C("knowledge_fits_in_context", "==", False),),
        "The knowledge base does not fit in the context window: retrieval is how the model "
        "sees the part that matters for each query.",
        "soft",
        effects={P: -2, R: 2, H: 1},
    ),
    # --- soft: examples ---------------------------------------------------------
    Rule(
        "enough_examples",
        (C("labeled_examples", ">=", 500),),
        "{labeled_examples} good examples: enough for a solid first fine-tune, with some held back to evaluate it.",
        "soft",
        effects={F: 1, H: 1},
    ),
    Rule(
        "many_examples",
        (C("labeled_examples", ">=", 1000),),
        "{labeled_examples} good examples: enough to teach a format or a voice reliably; "
        "the more behavior there is to learn, the more a tuned model gains over a prompt.",
        "soft",
        effects={F: 1},
    ),
    # --- soft: volume, budget, latency ------------------------------------------
    Rule(
        "high_volume",
        (C("queries_per_month", ">=", 1_000_000),),
        "{queries_per_month} queries a month: every token of instructions, examples and "
        "context is paid again on every query; a tuned (often smaller) model needs a much "
        "shorter prompt.",
        "soft",
        effects={F: 2, H: 1, P: -1},
    ),
    Rule(
        "low_volume",
        (C("queries_per_month", "<", 10_000),),
        "{queries_per_month} queries a month: too few to pay back training and maintaining a "
        "model; a prompt costs nothing up front.",
        "soft",
        effects={P: 1, F: -1, H: -1},
    ),
    Rule(
        "small_budget",
        (C("monthly_budget_usd", "<", 500),),
        "A budget of {monthly_budget_usd} a month leaves little room for training runs, a "
        "tuned model's hosting and a retrieval stack together.",
        "soft",
        effects={P: 1, F: -1, H: -2},
    ),
    Rule(
        "tight_latency",
        (C("latency_p95_ms", "<", 1000),),
        "A p95 limit of {latency_p95_ms}: retrieval adds an embedding call, a vector search "
        "and often a rerank before generation; a tuned model answers from a shorter prompt.",
        "soft",
        effects={R: -2, H: -2, F: 1},
    ),
    Rule(
        "tight_first_token",
        (C("first_token_p95_ms", "<", 1000),),
        "A first-token p95 limit of {first_token_p95_ms}: retrieval (an embedding call, a vector search, a "
        "rerank) all run before the first token; a prompt or a cached context starts writing sooner.",
        "soft",
        effects={R: -1, H: -1},
    ),
    # --- soft: organization -------------------------------------------------------
    Rule(
        "use_case_unstable",
        (C("use_case_stable", "==", False),),
        "The use case is not stable yet: a fine-tune freezes today's idea of the task; "
        "prompts and retrieval are cheap to change while it settles.",
        "soft",
        effects={F: -2, H: -2, P: 1, R: 1},
    ),
    Rule(
        "use_case_stable",
        (C("use_case_stable", "==", True),),
        "The use case is stable: a model tuned on today's queries will keep matching what users ask.",
        "soft",
        effects={F: 1, H: 1},
    ),
    Rule(
        "no_ml_capacity",
        (C("ml_team_capacity", "==", False),),
        "No capacity to run training pipelines and evaluations: a tuned model needs "
        "datasets, retraining and regression checks; hybrid needs that and a retrieval stack.",
        "soft",
        effects={F: -2, H: -3},
    ),
    Rule(
        "ml_capacity",
        (C("ml_team_capacity", "==", True),),
        "The team can run training pipelines and evaluations, which fine-tuning needs.",
        "soft",
        effects={F: 1, H: 1},
    ),
    Rule(
        "data_external_hybrid_caution",
        (C("data_must_stay_external", "==", True),),
        "Caution for hybrid: with the data kept out of weights, hybrid may still tune "
        "behavior only (format, tone) on examples free of protected data, while the facts "
        "stay in the retrieval index where they can be deleted.",
        "soft",
        effects={H: -1, R: 1},
    ),
)

_ids = [r.id for r in RULES]
if len(set(_ids)) != len(_ids):  # pragma: no cover - guards contributors
    raise ValueError("duplicate rule ids")
del _ids
