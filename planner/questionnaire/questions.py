"""The questions, one per field of `planner.model.answers.Answers`, and how an answer is shown in a sentence."""

from __future__ import annotations

import math
import string
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal

from planner.model import format as fmt
from planner.model.answers import Answers, Gap, KnowledgeChange

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
    ordered: bool = False  # kind "choice": the choices are in order, so a rule may compare them (<, <=, >, >=)


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
        ordered=True,
    ),
    Question(
        "gap",
        "What is the model missing today: knowledge, behavior, or both?",
        "Knowledge: it does not know your facts (your documents, your data). Behavior: it "
        "knows enough but answers in the wrong form, tone or style, or lacks a task skill. "
        "The field's rule of thumb: retrieval adds knowledge, fine-tuning changes behavior.",
        "choice",
        choices=(
            ("knowledge", "Knowledge: it lacks our facts"),
            ("behavior", "Behavior: wrong form, tone or skill"),
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
        "A voice is behavior: a tuned model holds it more consistently than instructions "
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
        "Is there a hard limit on the time to the full answer (95th percentile)? Leave empty if none.",
        "The time within which 95% of answers must be complete. Retrieval adds an embedding "
        "call, a vector search and often a rerank before the model starts writing.",
        "number",
        unit="ms",
    ),
    Question(
        "first_token_p95_ms",
        "Is there a hard limit on the time to the first token (95th percentile)? Leave empty if none.",
        "When answers stream, users wait for the first words, not the whole answer. Everything before "
        "generation counts: retrieval and reranking, queueing, and the model's time to first token.",
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
    Question(
        "data_in_house",
        "Must the data stay in-house (no third-party API may see queries, documents or training data)?",
        "Regulated teams often must keep prompts, documents and training data on machines they control. "
        "Then every component runs on your own GPUs or servers: the LLM, the embedding model, the reranker, "
        "the vector store and fine-tuning. The estimate names each component that still sends data to a vendor.",
        "bool",
    ),
)

QUESTION_BY_ID: Mapping[str, Question] = MappingProxyType({q.id: q for q in QUESTIONS})


def plain_value(value: Any) -> Any:
    """An answer as a plain value: enums become their string value."""
    return value.value if isinstance(value, (KnowledgeChange, Gap)) else value


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


def usd(x: float | None) -> str:
    """Money as the app, the PDF and the CLI print it (planner.model.format.usd)."""
    if x is None or not math.isfinite(x):
        return "an unknown amount"
    return fmt.usd(x)


def count(x: float) -> str:
    return f"{x:,.0f}"


def duration_text(x: float | None) -> str:
    """A duration as the app, the PDF and the CLI print it (planner.model.format.ms)."""
    return "an unknown time" if x is None else fmt.ms(x)


def _show(field: str, value: Any) -> str:
    """An answer as a person would say it."""
    value = plain_value(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if field == "gap":
        return {"behavior": "behavior", "both": "both knowledge and behavior"}.get(value, value)
    if field == "monthly_budget_usd":
        return usd(value)
    if field in ("latency_p95_ms", "first_token_p95_ms"):
        return duration_text(value)
    if field in ("queries_per_month", "labeled_examples"):
        return count(value)
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
        raw = plain_value(getattr(self.answers, value))
        if raw is None:
            raise ValueError(f"template uses unanswered {value!r}")
        if format_spec == "every":
            return _EVERY[raw]
        if format_spec:
            raise ValueError(f"unknown format {format_spec!r}")
        return _show(value, raw)


def fill(template: str, answers: Answers) -> str:
    return _AnswerFormatter(answers).format(template)


def template_fields(template: str) -> set[str]:
    """The answers a template quotes."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}
