"""The questionnaire's answers: the `answers:` block of a scenario file.

Every field is optional: `None` means "not answered", and a rule that needs an
unanswered question simply does not fire. The question texts, help and rules
live in `planner.questionnaire`; this module only fixes the file format.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from pricing.units import Strict


class KnowledgeChange(StrEnum):
    static = "static"
    yearly = "yearly"
    quarterly = "quarterly"
    monthly = "monthly"
    weekly = "weekly"
    daily = "daily"
    realtime = "realtime"


#: How many times a month the knowledge changes, for each answer (realtime is
#: treated as hourly). This sets the fine-tuned-only retraining cadence.
CHANGES_PER_MONTH: dict[KnowledgeChange, float] = {
    KnowledgeChange.static: 0.0,
    KnowledgeChange.yearly: 1 / 12,
    KnowledgeChange.quarterly: 1 / 3,
    KnowledgeChange.monthly: 1.0,
    KnowledgeChange.weekly: 52 / 12,
    KnowledgeChange.daily: 365 / 12,
    KnowledgeChange.realtime: 730.0,
}

#: Share of the corpus re-embedded each month, for each answer.
CORPUS_CHANGE_SHARE_PER_MONTH: dict[KnowledgeChange, float] = {
    KnowledgeChange.static: 0.0,
    KnowledgeChange.yearly: 0.02,
    KnowledgeChange.quarterly: 0.05,
    KnowledgeChange.monthly: 0.10,
    KnowledgeChange.weekly: 0.20,
    KnowledgeChange.daily: 0.35,
    KnowledgeChange.realtime: 0.50,
}


class Gap(StrEnum):
    knowledge = "knowledge"
    behavior = "behavior"
    both = "both"


class Answers(Strict):
    """Answers to the decision questionnaire. Unanswered questions are `null`."""

    knowledge_change: KnowledgeChange | None = Field(
        None, description="How often the knowledge the model needs changes."
    )
    gap: Gap | None = Field(None, description="What is missing: knowledge, behavior, or both.")
    strict_output_format: bool | None = Field(None, description="Must every answer follow a schema or rigid template?")
    consistent_voice: bool | None = Field(None, description="Must it hold a brand voice or a domain dialect?")
    citations_required: bool | None = Field(None, description="Must users see the sources behind an answer?")
    latency_p95_ms: float | None = Field(
        None, gt=0, le=600_000, description="Hard p95 limit on the time to the full answer, in ms, or null."
    )
    first_token_p95_ms: float | None = Field(
        None, gt=0, le=600_000, description="Hard p95 limit on the time to the first token (streamed), in ms, or null."
    )
    labeled_examples: int | None = Field(
        None, ge=0, le=100_000_000, description="High-quality input/output examples available."
    )
    monthly_budget_usd: float | None = Field(None, ge=0, le=1e9, description="Monthly budget in USD, or null.")
    queries_per_month: float | None = Field(None, ge=0, le=1e11, description="Expected queries per month.")
    use_case_stable: bool | None = Field(None, description="Is the query distribution known and stable yet?")
    knowledge_fits_in_context: bool | None = Field(
        None, description="Does the whole knowledge base fit in the model's context window?"
    )
    prompting_good_enough: bool | None = Field(
        None, description="Does a well-crafted prompt with examples already reach the quality needed?"
    )
    data_must_stay_external: bool | None = Field(
        None, description="Must the data stay deletable and out of model weights?"
    )
    ml_team_capacity: bool | None = Field(
        None,
        description="Does the team have people and time to run training pipelines and evaluations?",
    )
    data_in_house: bool | None = Field(
        None,
        description="Must queries, documents and training data stay on infrastructure the team controls "
        "(no third-party API sees them)? Sets the scenario's `data_must_stay_in_house`.",
    )
