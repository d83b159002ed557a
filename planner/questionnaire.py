"""The decision questionnaire: questions, the rule table, and the recommendation.

Everything that decides is *data*, so a reader can audit it and a contributor can
add to it without touching the logic:

* `QUESTIONS`: one `Question` per field of `planner.answers.Answers`, with a
  plain-language help text, for a UI to render generically.
* `RULES`: the rule table. A rule has a declarative condition (all of its
  `Cond(field, op, value)` triples must hold; an unanswered question never
  holds), and either rules architectures out (kind "hard") or moves their
  scores (kind "soft"), with an explanation that quotes the answer.
* `WATCH_OUTS` and `PLAN`: what to keep an eye on, and the staged plan, for
  the winning architecture (some items only when a condition holds).

`recommend(scenario, estimate=None)` scores the five architectures from the
answers (every score starts at 0), then, when an engine `Estimate` is given,
checks the numbers: cost at the expected volume against the budget, p95
latency against the limit, and where the break-even volumes fall. Numbers
move scores modestly and never bring back a ruled-out architecture.

`python -m planner.questionnaire --markdown` prints the generated part of
`docs/decision-rules.md` (the questions and the rule table).
"""

from __future__ import annotations

import math
import string
import sys
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

from planner import format as fmt
from planner.answers import Answers, Gap, KnowledgeChange
from planner.scenario import ARCHITECTURES, LABELS, Scenario
from planner.vocabulary import STAGE_LABELS

__all__ = [
    "ARCHITECTURES",
    "BUDGET_PENALTY",
    "LATENCY_PENALTY",
    "PLAN",
    "QUESTIONS",
    "QUESTION_BY_ID",
    "RECOMMEND_AT",
    "RULES",
    "VERDICTS",
    "VIABLE_AT",
    "WATCH_OUTS",
    "Cond",
    "PlanItem",
    "Question",
    "Ranked",
    "Reason",
    "Recommendation",
    "Rule",
    "Step",
    "WatchOut",
    "C",
    "answered_ids",
    "evaluate",
    "generated_markdown",
    "questions_markdown",
    "recommend",
    "recommend_for",
    "render_text",
    "rules_markdown",
    "same_cost",
    "score_text",
    "scoring_text",
    "template_fields",
    "verdict_for",
]

# ---------------------------------------------------------------------------
# Questions
# ---------------------------------------------------------------------------

Kind = Literal["choice", "bool", "number"]


@dataclass(frozen=True)
class Question:
    """One question. `id` is the `Answers` field it fills."""

    id: str
    text: str
    help: str
    kind: Kind
    choices: tuple[tuple[str, str], ...] = ()  # (value, label), for kind "choice"
    unit: str | None = None  # for kind "number"


QUESTIONS: tuple[Question, ...] = (
    Question(
        "knowledge_change",
        "How often does the knowledge the model needs change?",
        "Think of the facts behind an answer: prices, policies, product docs, tickets. "
        "A fine-tuned model only knows what it was trained on, so every change means "
        "retraining; retrieval (RAG) sees a changed document as soon as it is re-indexed.",
        "choice",
        choices=(
            ("static", "Static: rarely or never"),
            ("yearly", "Yearly"),
            ("quarterly", "Quarterly"),
            ("monthly", "Monthly"),
            ("weekly", "Weekly"),
            ("daily", "Daily"),
            ("realtime", "In real time (minutes to hours)"),
        ),
    ),
    Question(
        "gap",
        "What is the model missing today: knowledge, behaviour, or both?",
        "Knowledge: it does not know your facts (your documents, your data). Behaviour: it "
        "knows enough but answers in the wrong form, tone or style, or lacks a task skill. "
        "The field's rule of thumb: retrieval adds knowledge, fine-tuning changes behaviour.",
        "choice",
        choices=(
            ("knowledge", "Knowledge: it lacks our facts"),
            ("behavior", "Behaviour: wrong form, tone or skill"),
            ("both", "Both"),
        ),
    ),
    Question(
        "strict_output_format",
        "Must every answer follow a strict format (a JSON schema, a rigid template)?",
        "Fine-tuning teaches a format reliably without spending prompt tokens on "
        "instructions and examples in every query. Answer no if a loose structure is fine.",
        "bool",
    ),
    Question(
        "consistent_voice",
        "Must answers hold a consistent brand voice or domain dialect?",
        "A voice is behaviour: a tuned model holds it more consistently than instructions "
        "in a prompt, especially over long conversations.",
        "bool",
    ),
    Question(
        "citations_required",
        "Must users see the sources behind an answer?",
        "Citations need the source text at answer time. A fine-tuned model alone answers "
        "from its weights and cannot point to where a fact came from.",
        "bool",
    ),
    Question(
        "latency_p95_ms",
        "Is there a hard limit on response time (95th percentile)? Leave empty if none.",
        "The time within which 95% of answers must be complete. Retrieval adds an embedding "
        "call, a vector search and often a rerank before the model starts writing.",
        "number",
        unit="ms",
    ),
    Question(
        "labeled_examples",
        "How many high-quality input/output examples do you have?",
        "Examples of the exact answer you want for a realistic input, checked by a person. "
        "Fine-tuning needs about 50 good ones to show an effect, and usually hundreds to "
        "a few thousand to be reliable.",
        "number",
        unit="examples",
    ),
    Question(
        "monthly_budget_usd",
        "What is the monthly budget for running it? Leave empty if none.",
        "The running cost you can defend each month: model calls, retrieval, hosting. "
        "It is checked against the cost estimate at your expected volume.",
        "number",
        unit="USD per month",
    ),
    Question(
        "queries_per_month",
        "How many queries a month do you expect?",
        "Volume decides what pays off: at low volume nothing justifies upfront training; at "
        "high volume every token in the prompt is paid again on every query.",
        "number",
        unit="queries per month",
    ),
    Question(
        "use_case_stable",
        "Is the use case stable: do you know what users will ask, and will that hold?",
        "A fine-tune freezes today's idea of the task. While the queries are still "
        "shifting, prompts and retrieval are much cheaper to change.",
        "bool",
    ),
    Question(
        "knowledge_fits_in_context",
        "Does the whole knowledge base fit in the model's context window?",
        "If it fits (say, a few hundred pages), it can ride in the prompt, cached, with no "
        "retrieval pipeline to build (long context). If it does not, retrieval picks the relevant part. "
        "With an estimate, this is measured: the corpus size against the chosen model's context window.",
        "bool",
    ),
    Question(
        "prompting_good_enough",
        "Does a well-crafted prompt with a few examples already reach the quality you need?",
        "Measure it on a small evaluation set of real queries. If a prompt already works, "
        "the field's advice is to ship it and keep the budget for later.",
        "bool",
    ),
    Question(
        "data_must_stay_external",
        "Must the data stay out of model weights (deletable, access-controlled, auditable)?",
        "Data trained into weights cannot be deleted or access-controlled afterwards. "
        "Privacy rules, the right to erasure or per-user permissions usually mean yes.",
        "bool",
    ),
    Question(
        "ml_team_capacity",
        "Does the team have people and time to run training pipelines and evaluations?",
        "A fine-tuned model is a product to maintain: datasets, training runs, evaluation "
        "sets, regression checks, retraining when things change.",
        "bool",
    ),
)

QUESTION_BY_ID: Mapping[str, Question] = MappingProxyType({q.id: q for q in QUESTIONS})

# ---------------------------------------------------------------------------
# Conditions
# ---------------------------------------------------------------------------

Op = Literal["==", "!=", "<", "<=", ">", ">=", "in"]
_OPS: dict[str, str] = {
    "==": "=",
    "!=": "≠",
    "<": "<",
    "<=": "≤",
    ">": ">",
    ">=": "≥",
    "in": "in",
}
#: Choice answers that have an order (comparisons use the order of the choices).
_ORDERED: dict[str, tuple[str, ...]] = {
    "knowledge_change": tuple(k.value for k in KnowledgeChange),
}


def _plain(value: Any) -> Any:
    """An answer as a plain value: enums become their string value."""
    return value.value if isinstance(value, (KnowledgeChange, Gap)) else value


@dataclass(frozen=True)
class Cond:
    """`field op value` over one answer. Never holds when the answer is unanswered."""

    field: str
    op: Op
    value: Any

    def __post_init__(self) -> None:
        if self.field not in Answers.model_fields:
            raise ValueError(f"unknown answer {self.field!r} in a rule condition")
        if self.op not in _OPS:
            raise ValueError(f"unknown operator {self.op!r}")
        if self.op == "in":
            object.__setattr__(self, "value", frozenset(_plain(v) for v in self.value))
        else:
            object.__setattr__(self, "value", _plain(self.value))
        q = QUESTION_BY_ID.get(self.field)
        if q is not None and q.kind == "choice":
            known = {v for v, _ in q.choices}
            for v in self.value if self.op == "in" else (self.value,):
                if v not in known:
                    raise ValueError(f"{self.field}: unknown choice {v!r}")

    def holds(self, answers: Answers) -> bool:
        raw = getattr(answers, self.field)
        if raw is None:
            return False
        a, b = _plain(raw), self.value
        if self.op == "in":
            return a in b
        if self.op == "==":
            return a == b
        if self.op == "!=":
            return a != b
        order = _ORDERED.get(self.field)
        if order is not None:
            a, b = order.index(a), order.index(b)
        return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[self.op]

    def describe(self) -> str:
        v = self.value
        if isinstance(v, bool):
            shown = "yes" if v else "no"
        elif isinstance(v, frozenset):
            order = _ORDERED.get(self.field) or tuple(c for c, _ in QUESTION_BY_ID[self.field].choices)
            shown = "{" + ", ".join(sorted(v, key=order.index)) + "}"
        elif isinstance(v, (int, float)):
            shown = f"{v:,}"
        else:
            shown = str(v)
        return f"{self.field} {_OPS[self.op]} {shown}"


def C(field: str, op: Op, value: Any) -> Cond:  # noqa: N802 - short on purpose, for the table
    return Cond(field, op, value)


# ---------------------------------------------------------------------------
# Explanation templates: `{field}` shows the answer; `{knowledge_change:every}`
# shows the retraining cadence ("every week").
# ---------------------------------------------------------------------------

_EVERY = {
    "static": "never",
    "yearly": "every year",
    "quarterly": "every quarter",
    "monthly": "every month",
    "weekly": "every week",
    "daily": "every day",
    "realtime": "continuously",
}


def _usd(x: float | None) -> str:
    """Money as the app, the PDF and the CLI print it (planner.format.usd)."""
    if x is None or not math.isfinite(x):
        return "an unknown amount"
    return fmt.usd(x)


def _count(x: float) -> str:
    return f"{x:,.0f}"


def _ms(x: float | None) -> str:
    """A duration as the app, the PDF and the CLI print it (planner.format.ms)."""
    return "an unknown time" if x is None else fmt.ms(x)


def _show(field: str, value: Any) -> str:
    """An answer as a person would say it."""
    value = _plain(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if field == "gap":
        return {"behavior": "behaviour", "both": "both knowledge and behaviour"}.get(value, value)
    if field == "monthly_budget_usd":
        return _usd(value)
    if field == "latency_p95_ms":
        return _ms(value)
    if field in ("queries_per_month", "labeled_examples"):
        return _count(value)
    if field == "knowledge_change":
        return {"static": "rarely or never", "realtime": "in real time"}.get(value, value)
    return str(value)


class _AnswerFormatter(string.Formatter):
    def __init__(self, answers: Answers) -> None:
        self.answers = answers

    def get_value(self, key, args, kwargs):
        if not isinstance(key, str) or key not in Answers.model_fields:
            raise KeyError(key)
        return key

    def format_field(self, value: str, format_spec: str) -> str:
        raw = _plain(getattr(self.answers, value))
        if raw is None:
            raise ValueError(f"template uses unanswered {value!r}")
        if format_spec == "every":
            return _EVERY[raw]
        if format_spec:
            raise ValueError(f"unknown format {format_spec!r}")
        return _show(value, raw)


def _fill(template: str, answers: Answers) -> str:
    return _AnswerFormatter(answers).format(template)


def template_fields(template: str) -> set[str]:
    """The answers a template quotes."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


# ---------------------------------------------------------------------------
# Rules
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """One line of the rule table.

    kind "hard": `rule_out` names the architectures the condition excludes.
    kind "soft": `effects` maps architectures to score deltas.
    """

    id: str
    condition: tuple[Cond, ...]
    explanation: str
    kind: Literal["hard", "soft"]
    effects: Mapping[str, int] = field(default_factory=dict)
    rule_out: AbstractSet[str] = frozenset()  # frozen in __post_init__

    def __post_init__(self) -> None:
        object.__setattr__(self, "effects", MappingProxyType(dict(self.effects)))
        object.__setattr__(self, "rule_out", frozenset(self.rule_out))
        if not self.condition:
            raise ValueError(f"rule {self.id}: needs a condition")
        unknown = (set(self.effects) | self.rule_out) - set(ARCHITECTURES)
        if unknown:
            raise ValueError(f"rule {self.id}: unknown architectures {sorted(unknown)}")
        if self.kind == "hard" and (not self.rule_out or self.effects):
            raise ValueError(f"rule {self.id}: a hard rule rules out and does not weigh")
        if self.kind == "soft" and (self.rule_out or not self.effects):
            raise ValueError(f"rule {self.id}: a soft rule weighs and does not rule out")
        quoted = template_fields(self.explanation)
        conditioned = {c.field for c in self.condition}
        if not quoted <= conditioned:
            raise ValueError(f"rule {self.id}: explanation quotes {sorted(quoted - conditioned)}, not in its condition")

    def applies(self, answers: Answers) -> bool:
        return all(c.holds(answers) for c in self.condition)

    def explain(self, answers: Answers) -> str:
        return _fill(self.explanation, answers)

    def condition_text(self) -> str:
        return " and ".join(c.describe() for c in self.condition)

    def effect_text(self) -> str:
        return _effect_text(self.effects, self.rule_out)


def _effect_text(effects: Mapping[str, int], rule_out: AbstractSet[str]) -> str:
    if rule_out:
        return "rules out " + ", ".join(LABELS[k] for k in ARCHITECTURES if k in rule_out)
    return ", ".join(f"{LABELS[k]} {effects[k]:+d}" for k in ARCHITECTURES if effects.get(k))


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
        "knowledge_exceeds_context",
        (C("knowledge_fits_in_context", "==", False), C("gap", "in", ("knowledge", "both"))),
        "The gap is {gap}, and the knowledge base does not fit in the context window: a "
        "prompt alone cannot carry the facts, so prompt only is ruled out.",
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
        "gap_behaviour",
        (C("gap", "==", "behavior"),),
        "The gap is behaviour (form, tone, task skill): that is what fine-tuning changes; "
        "retrieval, or the whole knowledge base in the prompt, adds facts, not behaviour.",
        "soft",
        effects={F: 2, H: 1, R: -1, L: -1},
    ),
    Rule(
        "gap_both",
        (C("gap", "==", "both"),),
        "The gap is both knowledge and behaviour: the field's answer is a hybrid, a model "
        "tuned for the behaviour and fed the knowledge by retrieval.",
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
        "(retrieval for missing facts, tuning for behaviour).",
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
        "the more behaviour there is to learn, the more a tuned model gains over a prompt.",
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
    # --- soft: organisation -------------------------------------------------------
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
        "behaviour only (format, tone) on examples free of protected data, while the facts "
        "stay in the retrieval index where they can be deleted.",
        "soft",
        effects={H: -1, R: 1},
    ),
)

_ids = [r.id for r in RULES]
if len(set(_ids)) != len(_ids):  # pragma: no cover - guards contributors
    raise ValueError("duplicate rule ids")
del _ids

# ---------------------------------------------------------------------------
# Verdicts and numbers
# ---------------------------------------------------------------------------

VERDICTS = ("recommended", "viable", "not advised", "ruled out")  # best first
#: A score at or above this is "recommended".
RECOMMEND_AT = 4
#: A score at or above this (and below RECOMMEND_AT) is "viable"; below, "not advised".
VIABLE_AT = -2
#: Score taken off an architecture whose estimated monthly cost is above the budget.
BUDGET_PENALTY = 2
#: Score taken off an architecture whose estimated p95 latency is above the limit.
LATENCY_PENALTY = 2


def verdict_for(score: int, ruled_out: bool, capped: bool = False) -> str:
    """The verdict from a score. `capped`: the numbers forbid "recommended"."""
    if ruled_out:
        return "ruled out"
    if score >= RECOMMEND_AT and not capped:
        return "recommended"
    if score >= VIABLE_AT:
        return "viable"
    return "not advised"


# ---------------------------------------------------------------------------
# Result objects
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    """A rule that fired, with its explanation filled in from the answers."""

    rule: str
    kind: Literal["hard", "soft"]
    text: str
    effects: Mapping[str, int] = field(default_factory=dict)
    rule_out: frozenset[str] = frozenset()

    def effect_text(self) -> str:
        return _effect_text(self.effects, self.rule_out)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "kind": self.kind,
            "text": self.text,
            "effects": {k: self.effects[k] for k in ARCHITECTURES if k in self.effects},
            "rules_out": [k for k in ARCHITECTURES if k in self.rule_out],
        }


@dataclass(frozen=True)
class Ranked:
    key: str
    label: str
    score: int
    verdict: str
    reasons: tuple[str, ...]

    @property
    def ruled_out(self) -> bool:
        return self.verdict == "ruled out"

    def to_dict(self) -> dict[str, Any]:
        return {
            "architecture": self.key,
            "label": self.label,
            "score": self.score,
            "verdict": self.verdict,
            "reasons": list(self.reasons),
        }


@dataclass(frozen=True)
class Step:
    stage: Literal["first", "next", "later"]
    text: str

    def to_dict(self) -> dict[str, str]:
        return {"stage": self.stage, "text": self.text}


@dataclass(frozen=True)
class Recommendation:
    ranking: tuple[Ranked, ...]  # best first; ruled-out ones last
    reasons: tuple[Reason, ...]  # every rule that fired, in table order
    watch_outs: tuple[str, ...]  # for the winner
    plan: tuple[Step, ...]  # for the winner: first, next, later
    findings: tuple[str, ...] = ()  # from the numbers, when an estimate was given
    answered_ids: tuple[str, ...] = ()  # the questions answered, in question order

    @property
    def winner(self) -> Ranked:
        """The top of the ranking. No rule rules RAG out, so the winner is never ruled out."""
        return self.ranking[0]

    @property
    def has_verdict(self) -> bool:
        """False before any question is answered: the ranking is then only the simplest-first order."""
        return bool(self.answered_ids)

    def get(self, key: str) -> Ranked:
        for r in self.ranking:
            if r.key == key:
                return r
        raise KeyError(key)

    def to_dict(self) -> dict[str, Any]:
        return {
            "winner": self.winner.key,
            "ranking": [r.to_dict() for r in self.ranking],
            "reasons": [r.to_dict() for r in self.reasons],
            "watch_outs": list(self.watch_outs),
            "plan": [s.to_dict() for s in self.plan],
            "findings": list(self.findings),
            "answered": list(self.answered_ids),
        }


# ---------------------------------------------------------------------------
# Watch-outs and the staged plan (data, like the rules)
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class WatchOut:
    architecture: str
    text: str
    condition: tuple[Cond, ...] = ()  # all must hold; empty: always


@dataclass(frozen=True)
class PlanItem:
    architecture: str
    stage: Literal["first", "next", "later"]
    text: str
    condition: tuple[Cond, ...] = ()


WATCH_OUTS: tuple[WatchOut, ...] = (
    # long context
    WatchOut(
        L,
        "Every query sends the whole knowledge base: the bill rests on the prompt cache. A cached "
        "prefix lives minutes, so at low traffic it expires between queries and each one pays full "
        "price again; check the cache hit share the estimate assumes.",
    ),
    WatchOut(
        L,
        "The knowledge base grows: once it no longer fits the context window (or crosses a "
        "long-context price tier), move to retrieval. Models also attend less well to the middle "
        "of a very long prompt; test recall on facts placed deep in it.",
    ),
    # prompt only
    WatchOut(
        P,
        "Context cost grows with volume: every query pays again for the instructions "
        "and examples in the prompt. Cache the static prefix and watch "
        "the cost per query as volume rises.",
    ),
    WatchOut(
        P,
        "At {queries_per_month} queries a month the prompt is paid {queries_per_month} "
        "times: a few hundred tokens trimmed from it is real money.",
        (C("queries_per_month", ">=", 1_000_000),),
    ),
    WatchOut(
        P,
        "Without retrieval the model answers from its training data and the prompt: "
        "facts missing from the prompt come back outdated or invented, stated with confidence.",
    ),
    WatchOut(
        P,
        "With citations required, the prompt must carry the sources with ids and the "
        "answer must quote them; check citation accuracy on the evaluation set.",
        (C("citations_required", "==", True),),
    ),
    WatchOut(
        P, "Prompts are brittle across model versions: pin the model and rerun the evaluation set before every upgrade."
    ),
    # RAG
    WatchOut(
        R,
        "RAG still hallucinates on a share of queries: retrieved context reduces "
        "invented answers but does not remove them. Measure groundedness on an evaluation set.",
    ),
    WatchOut(
        R,
        "It lives or dies by retrieval quality: chunking, embeddings and reranking decide "
        "whether the right passage reaches the model. Measure retrieval recall separately "
        "from answer quality.",
    ),
    WatchOut(R, "Retrieval adds latency (embedding, vector search, rerank) and prompt tokens to every query.", ()),
    WatchOut(
        R,
        "Knowledge changes {knowledge_change}: automate re-indexing, remove deleted "
        "documents, and monitor how stale the index is.",
        (C("knowledge_change", ">=", "weekly"),),
    ),
    WatchOut(
        R,
        "The p95 limit of {latency_p95_ms} leaves little time for retrieval: budget each "
        "stage (search, rerank, generation) and measure p95 end to end.",
        (C("latency_p95_ms", "<", 2000),),
    ),
    # fine-tuned
    WatchOut(
        F,
        "Fine-tuned knowledge goes stale: facts in weights are frozen at training time; "
        "every change needs a retraining run and a new evaluation.",
    ),
    WatchOut(
        F,
        "A tuned model can overfit a narrow training set and lose general skills: keep "
        "a held-out evaluation set and compare with the prompt baseline on every run.",
    ),
    WatchOut(F, "It cannot show sources, and it will answer confidently outside what it was trained on."),
    WatchOut(
        F,
        "You own a training pipeline: versioned datasets, retraining, regression tests. "
        "Tuned-model inference can cost more per token than the base model (a provider "
        "premium or a hosting fee).",
    ),
    WatchOut(
        F,
        "Only {labeled_examples} examples: start with a small tune, check it beats the "
        "prompt baseline, and grow the set before relying on it.",
        (C("labeled_examples", "<", 500),),
    ),
    # hybrid
    WatchOut(
        H,
        "Hybrid is the most complex to run: a retrieval stack and a training pipeline, "
        "two things to evaluate, version and keep in step.",
    ),
    WatchOut(
        H,
        "Train on examples that include retrieved context, so the tuned model learns to "
        "use what retrieval gives it, and to say so when the context does not answer.",
    ),
    WatchOut(
        H,
        "RAG's watch-outs still apply: retrieval quality caps answer quality, and it "
        "still hallucinates on a share of queries.",
    ),
    WatchOut(
        H,
        "The data must stay out of weights: tune behaviour only (format, tone) on "
        "examples free of protected data; keep every fact in the retrieval index.",
        (C("data_must_stay_external", "==", True),),
    ),
)

_EVAL = (
    "Write the best prompt you can (instructions plus a few examples) and build an "
    "evaluation set of 50 to 100 real queries with expected answers; it is the baseline "
    "every later stage must beat."
)

PLAN: tuple[PlanItem, ...] = (
    # long context
    PlanItem(L, "first", _EVAL),
    PlanItem(
        L,
        "next",
        "Put the instructions and the whole knowledge base first in the prompt, unchanged between "
        "queries so the provider caches it, and the user's question last.",
    ),
    PlanItem(
        L,
        "later",
        "If the knowledge outgrows the context, or the cache rarely hits at your traffic, add "
        "retrieval (RAG) and send only the relevant part.",
    ),
    # prompt only
    PlanItem(P, "first", _EVAL),
    PlanItem(
        P,
        "next",
        "Ship the prompt; cache its static prefix (instructions, examples) and log failures by type.",
    ),
    PlanItem(
        P,
        "later",
        "If the knowledge outgrows the context or changes often, add "
        "retrieval (RAG); if format or tone fail on a measurable share of "
        "queries, fine-tune a smaller model on those failures.",
    ),
    # RAG
    PlanItem(R, "first", _EVAL),
    PlanItem(
        R,
        "next",
        "Add retrieval: chunk and embed the corpus, retrieve and rerank the "
        "top passages; measure retrieval recall and answer groundedness "
        "separately from answer quality.",
    ),
    PlanItem(
        R,
        "next",
        "Automate re-indexing {knowledge_change:every} and monitor how stale the index is.",
        (C("knowledge_change", ">=", "monthly"),),
    ),
    PlanItem(
        R,
        "later",
        "Collect the failures that remain; if they are behaviour (format, "
        "tone), fine-tune a smaller model on them and keep retrieval in front "
        "(hybrid).",
    ),
    # fine-tuned
    PlanItem(F, "first", _EVAL),
    PlanItem(
        F,
        "first",
        "Grow the example set from {labeled_examples} to at least 500 good "
        "ones, drawn from the queries the prompt gets wrong.",
        (C("labeled_examples", "<", 500),),
    ),
    PlanItem(
        F,
        "next",
        "Fine-tune a smaller model on the behaviours the prompt fails "
        "(format, voice, task skill); hold back a test set and beat the "
        "prompt baseline before switching traffic.",
    ),
    PlanItem(
        F,
        "later",
        "Retrain on a schedule as queries drift; if facts start to change "
        "or citations are needed, put retrieval in front (hybrid).",
    ),
    # hybrid
    PlanItem(H, "first", _EVAL),
    PlanItem(
        H,
        "next",
        "Add retrieval for the knowledge (RAG) and measure retrieval recall "
        "and groundedness; this alone may be enough.",
    ),
    PlanItem(
        H,
        "later",
        "Fine-tune a smaller model on the behaviours that still fail (format, "
        "voice), training on examples that include retrieved context, and "
        "serve it behind the same retrieval.",
    ),
    PlanItem(
        H,
        "later",
        "Tune behaviour only: keep protected data out of the training examples; facts stay in the index.",
        (C("data_must_stay_external", "==", True),),
    ),
)


def _watch_outs(key: str, answers: Answers) -> tuple[str, ...]:
    return tuple(
        _fill(w.text, answers)
        for w in WATCH_OUTS
        if w.architecture == key and all(c.holds(answers) for c in w.condition)
    )


def _plan(key: str, answers: Answers) -> tuple[Step, ...]:
    return tuple(
        Step(stage, _fill(p.text, answers))
        for stage in ("first", "next", "later")
        for p in PLAN
        if p.architecture == key and p.stage == stage and all(c.holds(answers) for c in p.condition)
    )


# ---------------------------------------------------------------------------
# Scoring
# ---------------------------------------------------------------------------


def _answers_of(x: Scenario | Answers) -> Answers:
    if isinstance(x, Scenario):
        return x.answers
    if isinstance(x, Answers):
        return x
    raise TypeError(f"expected a Scenario or Answers, got {type(x).__name__}")


def evaluate(answers: Answers | Scenario, rules: tuple[Rule, ...] = RULES) -> tuple[Reason, ...]:
    """The rules that fire for these answers, in table order, explained."""
    a = _answers_of(answers)
    return tuple(Reason(r.id, r.kind, r.explain(a), r.effects, frozenset(r.rule_out)) for r in rules if r.applies(a))


def _rank_key(r: Ranked) -> tuple[bool, int, int]:
    return (r.ruled_out, -r.score, ARCHITECTURES.index(r.key))


def _unique(texts: Any) -> tuple[str, ...]:
    """Texts in order, each once."""
    return tuple(dict.fromkeys(texts))


def _order_reasons(key: str, fired: tuple[Reason, ...]) -> tuple[str, ...]:
    out = [r for r in fired if key in r.rule_out]
    soft = [r for r in fired if r.effects.get(key)]
    soft.sort(key=lambda r: -abs(r.effects[key]))  # stable: table order among equals
    return _unique(r.text for r in out + soft)


def recommend(scenario: Scenario | Answers, estimate: Any = None, rules: tuple[Rule, ...] = RULES) -> Recommendation:
    """Rank the five architectures for a scenario's answers.

    With `estimate` (a `planner.engine.Estimate`, or anything with the same
    attributes), the numbers are checked too: see `docs/decision-rules.md`.
    """
    if isinstance(scenario, Answers):
        scenario = Scenario.model_validate({"answers": scenario.model_dump(mode="json", exclude_none=True)})
    answers = _answers_of(scenario)
    fits_note = None
    ruled = getattr(estimate, "ruled_out", None)
    given = answers
    if isinstance(ruled, Mapping) and answered_ids(given):  # no verdict before the first answer
        # "does the knowledge fit in context?" is measured (corpus size against the chosen model), not guessed
        fits = "long_context" not in ruled
        if answers.knowledge_fits_in_context is not None and answers.knowledge_fits_in_context != fits:
            said = "fits" if answers.knowledge_fits_in_context else "does not fit"
            fits_note = (
                f"You answered that the knowledge base {said} "
                f"in the context window, but by the corpus size and the chosen model it "
                f"{'does' if fits else 'does not'}: the measured answer is used."
            )
        answers = answers.model_copy(update={"knowledge_fits_in_context": fits})
    fired = evaluate(answers, rules)
    scores = {k: 0 for k in ARCHITECTURES}
    out: set[str] = set()
    for reason in fired:
        out |= reason.rule_out
        for k, d in reason.effects.items():
            scores[k] += d
    ranking = tuple(
        sorted(
            (
                Ranked(k, LABELS[k], scores[k], verdict_for(scores[k], k in out), _order_reasons(k, fired))
                for k in ARCHITECTURES
            ),
            key=_rank_key,
        )
    )
    findings: tuple[str, ...] = ()
    if estimate is not None:
        ranking, findings = _check_numbers(scenario, ranking, estimate)
        findings = (
            *((fits_note,) if fits_note else ()),
            *tuple(ruled.values() if isinstance(ruled, Mapping) else ()),
            *findings,
        )
    winner = ranking[0]
    return Recommendation(
        ranking=ranking,
        reasons=fired,
        watch_outs=_watch_outs(winner.key, answers),
        plan=_plan(winner.key, answers),
        findings=findings,
        answered_ids=answered_ids(given),
    )


def answered_ids(answers: Answers | Scenario) -> tuple[str, ...]:
    """The questions answered, in question order. Every answer counts, the linked numbers too."""
    a = _answers_of(answers)
    return tuple(q.id for q in QUESTIONS if getattr(a, q.id) is not None)


def scoring_text() -> str:
    """How scores become verdicts and a ranking, in one paragraph (the app and the PDF show it)."""
    order = ", ".join(LABELS[k] for k in ARCHITECTURES)
    return (
        f"How to read the scores: every option starts at 0 and each answer's rules add or take points "
        f"(the rule table). A score of {RECOMMEND_AT:+d} or more is “recommended”, {VIABLE_AT:+d} to "
        f"{RECOMMEND_AT - 1:+d} is “viable”, below {VIABLE_AT:+d} is “not advised”; a hard rule rules an "
        f"option out whatever its score, and a ruled-out option is listed last, without a score. The cost "
        f"estimate then takes {BUDGET_PENALTY} points off an option above the monthly budget and "
        f"{LATENCY_PENALTY} off one above the p95 limit, and either keeps it from “recommended”. "
        f"Equal scores rank simplest first: {order}."
    )


def score_text(r: Ranked) -> str:
    """A score as shown: signed, or a dash for a ruled-out option (its score does not rank it)."""
    return "—" if r.ruled_out else f"{r.score:+d}"


def recommend_for(catalog: Any, scenario: Scenario) -> Recommendation:
    """Estimate with the engine, then recommend with the numbers checked."""
    from planner.engine import estimate  # lazy: the engine is optional here

    return recommend(scenario, estimate(catalog, scenario))


# ---------------------------------------------------------------------------
# Numbers check
# ---------------------------------------------------------------------------


def _current(est: Any, key: str) -> Any:
    current = getattr(est, "current", None)
    if current is None:
        return None
    try:
        return current[key]
    except (KeyError, IndexError, TypeError):
        return None


def _finite(x: Any) -> float | None:
    try:
        x = float(x)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def _limited_p95(est: Any, key: str) -> float | None:
    """The p95 the latency limit bounds (full answer or first token, as the scenario says)."""
    if hasattr(est, "limited_p95_ms"):
        try:
            return _finite(est.limited_p95_ms(key))
        except (KeyError, TypeError):
            return None
    return _finite(getattr(_current(est, key), "latency_p95_ms", None))


def _gap_advice(est: Any, key: str) -> str | None:
    try:
        return est.latency_gap_advice(key) if hasattr(est, "latency_gap_advice") else None
    except (KeyError, TypeError):
        return None


def _cheapest(alive: list[Ranked], cost: dict[str, float | None]) -> str:
    priced = [r for r in alive if cost[r.key] is not None]
    if not priced:
        return "none has a cost estimate."
    c = min(priced, key=lambda r: (cost[r.key] or 0.0, ARCHITECTURES.index(r.key)))
    low = cost[c.key] or 0.0
    tied = [r.label for r in priced if same_cost(cost[r.key] or 0.0, low)]
    if len(tied) > 1:
        return f"the cheapest are {' and '.join(tied)}, at {_usd(low)}/month each."
    return f"the cheapest is {c.label} at {_usd(low)}/month."


def same_cost(x: float, y: float) -> bool:
    """Two monthly costs that print the same (or differ by less than a cent) read as a tie."""
    return abs(x - y) < 0.005 or _usd(x) == _usd(y)


def _cheaper_at_volume(
    top: Ranked, other_label: str, other: str, cost: dict[str, float | None], points: list, volume: float, vol: str
) -> str:
    """Which of the pick and `other` is cheaper at the user's volume, from their costs there."""
    ct, co = cost.get(top.key), cost.get(other)
    if ct is not None and co is not None:
        if same_cost(ct, co):
            return f"At your {vol}, the two cost the same ({_usd(ct)}/month): a tie, not a reason to switch."
        cheaper = top.key if ct < co else other
    else:  # no costs: read it from the crossings
        state = points[0][1]
        for q, _below, above in points:
            if volume >= q:
                state = above
        cheaper = state
    if cheaper == top.key:
        return f"At your {vol}, {top.label} is the cheaper of the two."
    return f"At your {vol}, {other_label} is cheaper: the numbers favour it over {top.label}, against the answers."


def _break_even_findings(
    est: Any, top: Ranked, alive_keys: set[str], cost: dict[str, float | None], volume: float, vol: str
) -> list[str]:
    """Where the break-evens with the pick fall: one sentence per pair, and which of the two is cheaper
    said from their costs at the user's volume (equal costs read as a tie)."""
    out: list[str] = []
    crossings: dict[tuple[Any, Any], list[Any]] = {}
    for be in getattr(est, "break_evens", None) or ():
        a, b = getattr(be, "a", ""), getattr(be, "b", "")
        q = _finite(getattr(be, "queries_per_month", None))
        below, above = getattr(be, "cheaper_below", ""), getattr(be, "cheaper_above", "")
        if q is None or top.key not in (a, b) or not {a, b} <= alive_keys or below not in LABELS or above not in LABELS:
            continue
        crossings.setdefault((a, b), []).append((q, below, above))
    for (a, b), points in crossings.items():
        points.sort()
        other = b if a == top.key else a
        if len(points) == 1:
            q, below, above = points[0]
            text = (
                f"{LABELS[a]} and {LABELS[b]} break even at {_count(q)} queries a month: "
                f"{LABELS[below]} is cheaper below, {LABELS[above]} above."
            )
        else:
            at = ", ".join(_count(p[0]) for p in points[:-1]) + f" and {_count(points[-1][0])}"
            text = (
                f"{LABELS[a]} and {LABELS[b]} break even {len(points)} times, at {at} queries a month: "
                "the cheaper of the two changes at each."
            )
        text += " " + _cheaper_at_volume(top, LABELS[other], other, cost, points, volume, vol)
        near = [p[0] for p in points if p[0] > 0 and volume > 0 and 0.5 <= volume / p[0] <= 2]
        if near:
            text += " Your volume is within a factor of two of the break-even, so a change in volume can flip it."
        out.append(text)

    return out


def _check_numbers(
    scenario: Scenario, ranking: tuple[Ranked, ...], est: Any
) -> tuple[tuple[Ranked, ...], tuple[str, ...]]:
    budget = scenario.monthly_budget_usd
    limit = scenario.latency_target_p95_ms
    volume = scenario.workload.queries_per_month
    vol = _count(volume)
    first = ranking[0]
    findings: list[str] = []

    cost = {r.key: _finite(getattr(_current(est, r.key), "monthly_usd", None)) for r in ranking}
    p95 = {r.key: _limited_p95(est, r.key) for r in ranking}
    what = "time to first token" if scenario.latency_limit_applies_to == "first_token" else "latency"
    alive = [r for r in ranking if not r.ruled_out]

    in_order = sorted(alive, key=lambda r: ARCHITECTURES.index(r.key))
    shown = [f"{r.label} {_usd(cost[r.key])}" for r in in_order if cost[r.key] is not None]
    if shown:
        findings.append(f"Estimated monthly cost at {vol} queries a month: " + ", ".join(shown) + ".")
    missing = [r.label for r in in_order if cost[r.key] is None]
    if missing:
        findings.append("No cost estimate for " + ", ".join(missing) + ": the catalog lacks a price it needs.")

    over_budget = {k for k, c in cost.items() if budget is not None and c is not None and c > budget}
    over_latency = {k for k, t in p95.items() if limit is not None and t is not None and t > limit}

    new: list[Ranked] = []
    for r in ranking:
        if r.ruled_out:  # numbers never bring a ruled-out architecture back
            new.append(r)
            continue
        score, extra = r.score, []
        if r.key in over_budget:
            score -= BUDGET_PENALTY
            extra.append(f"Costs {_usd(cost[r.key])}/month at {vol} queries, above the {_usd(budget)} budget.")
        if r.key in over_latency:
            score -= LATENCY_PENALTY
            extra.append(f"p95 {what} of {_ms(p95[r.key])} is above the {_ms(limit)} limit.")
        capped = r.key in over_budget or r.key in over_latency
        new.append(Ranked(r.key, r.label, score, verdict_for(score, False, capped), r.reasons + tuple(extra)))
    new_ranking = tuple(sorted(new, key=_rank_key))

    # the qualitative pick against the numbers, said plainly
    fits_budget = [r for r in alive if r.key not in over_budget and cost[r.key] is not None]
    fits_latency = [r for r in alive if r.key not in over_latency and p95[r.key] is not None]
    lead = (
        f"{first.label} is recommended by the answers"
        if first.verdict == "recommended"
        else f"{first.label} ranks first on the answers"
    )
    if first.key in over_budget:
        alt = [r for r in fits_budget if r.key != first.key]
        tail = (
            "; "
            + " and ".join(f"{r.label} ({_usd(cost[r.key])})" for r in alt)
            + (" fits." if len(alt) == 1 else " fit.")
            if alt
            else "; no viable architecture fits it: " + _cheapest(alive, cost)
        )
        findings.append(
            f"{lead} but costs {_usd(cost[first.key])}/month at {vol} queries, above the {_usd(budget)} budget{tail}"
        )
    if first.key in over_latency:
        alt = [r for r in fits_latency if r.key != first.key]
        tail = (
            "; "
            + " and ".join(f"{r.label} ({_ms(p95[r.key])})" for r in alt)
            + (" meets it." if len(alt) == 1 else " meet it.")
            if alt
            else "; no other viable architecture meets it either."
        )
        findings.append(f"{lead} but its p95 {what} is {_ms(p95[first.key])}, above the {_ms(limit)} limit{tail}")
        advice = _gap_advice(est, first.key)
        if advice:
            findings.append(f"To bring {first.label} under it: {advice}")
    for r in alive:
        if r.key == first.key:
            continue
        if r.key in over_budget:
            findings.append(
                f"{r.label} costs {_usd(cost[r.key])}/month at {vol} queries, above the {_usd(budget)} budget."
            )
        if r.key in over_latency:
            findings.append(f"{r.label}'s p95 {what} is {_ms(p95[r.key])}, above the {_ms(limit)} limit.")
    top = new_ranking[0]
    if top.key != first.key:
        findings.append(f"With the numbers, {top.label} ranks first instead of {first.label}.")

    # where the break-evens fall, for the pick
    findings += _break_even_findings(est, top, {r.key for r in alive}, cost, volume, vol)

    w = _current(est, top.key)
    one_time = _finite(getattr(w, "one_time_total_usd", None))
    tco = _finite(getattr(w, "tco_usd", None))
    if cost[top.key] is not None and one_time is not None and tco is not None:
        findings.append(
            f"{top.label}: {_usd(cost[top.key])}/month plus {_usd(one_time)} one-time; "
            f"{_usd(tco)} over {scenario.horizon_months} months."
        )
    return new_ranking, tuple(findings)


# ---------------------------------------------------------------------------
# Text and Markdown
# ---------------------------------------------------------------------------


def render_text(rec: Recommendation) -> str:
    """The recommendation as plain text, for the CLI."""
    w = rec.winner
    if rec.has_verdict or rec.findings:
        lines = [f"Recommendation: {w.label} ({w.verdict}, score {w.score:+d})"]
    else:
        lines = ["Recommendation: none yet (no question answered)"]
    if not rec.reasons:
        lines.append("No answers yet: every architecture is open; the field's advice is to start with the simplest.")
    lines += ["", "Ranking"]
    width = max(len(r.label) for r in rec.ranking)
    for i, r in enumerate(rec.ranking, 1):
        lines.append(f"  {i}. {r.label:<{width}}  {score_text(r):>3}  {r.verdict}")
    if rec.reasons:
        lines += ["", "Because"]
        for reason in rec.reasons:
            lines.append(f"  - {reason.text} [{reason.effect_text()}]")
    if rec.findings:
        lines += ["", "Numbers"]
        lines += [f"  - {f}" for f in rec.findings]
    lines += ["", scoring_text()]
    lines += ["", f"Watch-outs ({w.label})"]
    lines += [f"  - {t}" for t in rec.watch_outs]
    lines += ["", "Plan"]
    lines += [f"  {STAGE_LABELS.get(s.stage, s.stage):<6} {s.text}" for s in rec.plan]
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def questions_markdown() -> str:
    """The questions as a Markdown table (generated; kept in docs/decision-rules.md)."""
    rows = ["| id | question | kind | help |", "|---|---|---|---|"]
    for q in QUESTIONS:
        if q.kind == "choice":
            kind = "choice: " + ", ".join(f"`{v}`" for v, _ in q.choices)
        elif q.kind == "number":
            kind = f"number ({q.unit})"
        else:
            kind = "yes / no"
        rows.append(f"| `{q.id}` | {_md(q.text)} | {kind} | {_md(q.help)} |")
    return "\n".join(rows) + "\n"


def rules_markdown() -> str:
    """The rule table as Markdown (generated; kept in docs/decision-rules.md)."""
    rows = ["| id | kind | condition | effect | explanation |", "|---|---|---|---|---|"]
    for r in RULES:
        rows.append(
            f"| `{r.id}` | {r.kind} | {' and '.join(f'`{_md(c.describe())}`' for c in r.condition)} "
            f"| {r.effect_text()} | {_md(r.explanation)} |"
        )
    return "\n".join(rows) + "\n"


def generated_markdown() -> str:
    """Both generated tables, as they appear in docs/decision-rules.md."""
    return "## Questions\n\n" + questions_markdown() + "\n## Rules\n\n" + rules_markdown()


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv == ["--markdown"]:
        sys.stdout.write(generated_markdown())
        return 0
    sys.stderr.write("usage: python -m planner.questionnaire --markdown\n")
    return 2


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
