"""The scenario: everything a user sets. One YAML file, validated like the catalog.

An empty file is a valid scenario: every field has a sensible default. The same
file is what the app downloads and uploads, what the CLI reads and what the PDF
is built from. The questionnaire's answers live under `answers:`; four of them
(`queries_per_month`, `monthly_budget_usd`, `latency_p95_ms`, `labeled_examples`)
are the same numbers as scenario fields and are kept in step (see `_sync_answers`),
and `knowledge_change` sets the re-embedding share and the fine-tuned-only
retraining cadence unless those are given explicitly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from planner.model.answers import (
    CHANGES_PER_MONTH,
    CORPUS_CHANGE_SHARE_PER_MONTH,
    Answers,
    KnowledgeChange,
)
from planner.model.quality import Quality
from planner.model.sections import FineTuning, OneTime, Stack, VolumeRange, Workload
from pricing.safeyaml import unsafe_text_problem
from pricing.units import Strict

ARCHITECTURES = ("prompt_only", "long_context", "rag", "fine_tuned", "hybrid")
#: What each architecture is made of: retrieval (RAG, hybrid), the tuned model (fine-tuned, hybrid), the whole
#: knowledge base in every prompt (long context).
USES_RETRIEVAL = {"prompt_only": False, "long_context": False, "rag": True, "fine_tuned": False, "hybrid": True}
USES_TUNED = {"prompt_only": False, "long_context": False, "rag": False, "fine_tuned": True, "hybrid": True}
KNOWLEDGE_IN_PROMPT = {a: a == "long_context" for a in ARCHITECTURES}


@dataclass(frozen=True)
class LinkedAnswer:
    """A questionnaire answer that is also a scenario number: the same number in two places."""

    answer: str  # the answer's id (`Answers` field)
    field: str  # the scenario field, as a dotted path
    #: True: an unanswered answer takes the field's number (budget, latency limits: unset by default). False: the
    #: field always has a value for pricing (volume, training-set size), which is not an answer.
    mirrored: bool


#: Every linked answer, in one table: the scenario's validation, `Scenario.with_changes` and the app read it.
LINKED_ANSWERS = (
    LinkedAnswer("queries_per_month", "workload.queries_per_month", mirrored=False),
    LinkedAnswer("monthly_budget_usd", "monthly_budget_usd", mirrored=True),
    LinkedAnswer("latency_p95_ms", "latency_target_p95_ms", mirrored=True),
    LinkedAnswer("first_token_p95_ms", "first_token_target_p95_ms", mirrored=True),
    LinkedAnswer("labeled_examples", "fine_tuning.training_examples", mirrored=False),
    LinkedAnswer("data_in_house", "data_must_stay_in_house", mirrored=False),
)


def today() -> date:
    """The planner's today: the default start of a scenario's horizon and the day a price check looks at.
    Tests replace it (`monkeypatch.setattr("planner.model.scenario.today", ...)`)."""
    return date.today()


def start_day(scenario: Scenario) -> date:
    """The first day of the scenario's horizon: its `start_date`, or today."""
    return scenario.start_date if scenario.start_date is not None else today()


class Scenario(Strict):
    name: str = Field("Untitled scenario", min_length=1, max_length=200)
    description: str = Field("", max_length=5_000)
    workload: Workload = Workload()
    fine_tuning: FineTuning = FineTuning()
    stack: Stack = Stack()
    one_time: OneTime = OneTime()
    horizon_months: int = Field(12, ge=1, le=120, description="Months the total cost of ownership covers.")
    start_date: date | None = Field(
        None,
        description="First day of the horizon (YYYY-MM-DD; absent: today). Each month is priced with the "
        "prices in force that month.",
    )
    monthly_budget_usd: float | None = Field(None, ge=0, le=1e9, allow_inf_nan=False)
    latency_target_p95_ms: float | None = Field(None, gt=0, le=600_000, allow_inf_nan=False)
    first_token_target_p95_ms: float | None = Field(
        None,
        gt=0,
        le=600_000,
        allow_inf_nan=False,
        description="p95 limit on the time to the first token (when answers stream); "
        "`latency_target_p95_ms` bounds the full answer. Each is optional and judged on its own measure.",
    )
    latency_limit_applies_to: Literal["full_answer", "first_token"] = Field(
        "full_answer",
        description="Read from older files only: `first_token` meant `latency_target_p95_ms` bounded the first "
        "token; it is read as `first_token_target_p95_ms` (and this field as `full_answer`).",
    )
    volumes: VolumeRange = VolumeRange()
    data_must_stay_in_house: bool = Field(
        False,
        description="Queries, documents and training data must stay on infrastructure the team controls: every "
        "component that sends them to a third party is named in a warning.",
    )
    answers: Answers = Answers()
    quality: Quality | None = Field(
        None,
        description="Measured quality: pass rates per option (with their sample sizes), the cost of a failed "
        "answer, retries, and the eval plan (absent: nothing is measured and nothing changes).",
    )

    @field_validator("name", "description")
    @classmethod
    def _shown_text(cls, value: str, info: ValidationInfo) -> str:
        """Text shown as a title and in the PDF: no terminal escapes or bidi overrides; a name is not blank."""
        refusal = unsafe_text_problem(value.replace("\n", " ") if info.field_name == "description" else value)
        if refusal:
            raise PydanticCustomError("unsafe_text", refusal)
        if info.field_name == "name":
            value = " ".join(value.split())  # one line, no padding: a title, a file name, a PDF heading
            if not value:
                raise PydanticCustomError("blank_name", "the name is blank: give the scenario a name")
        return value

    @model_validator(mode="before")
    @classmethod
    def _in_house_answers(cls, data: Any) -> Any:
        """A scenario that requires in-house data answers the question (False is the default, not an answer)."""
        if not isinstance(data, dict) or data.get("data_must_stay_in_house") is not True:
            return data
        answers = data.get("answers") or {}
        if isinstance(answers, dict) and answers.get("data_in_house") is None:
            return {**data, "answers": {**answers, "data_in_house": True}}
        return data

    @model_validator(mode="before")
    @classmethod
    def _sync_answers(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        answers = data.get("answers") or {}
        if not isinstance(answers, dict):
            return data
        data = _two_latency_limits(dict(data))
        answers = dict(data.get("answers") or {})
        workload = (
            dict(data.get("workload") or {}) if isinstance(data.get("workload") or {}, dict) else data.get("workload")
        )
        fine_tuning = (
            dict(data.get("fine_tuning") or {})
            if isinstance(data.get("fine_tuning") or {}, dict)
            else data.get("fine_tuning")
        )
        if not isinstance(workload, dict) or not isinstance(fine_tuning, dict):
            return data
        # the same number in two places (`LINKED_ANSWERS`): an answer always sets its field
        containers = {"": data, "workload": workload, "fine_tuning": fine_tuning}
        for link in LINKED_ANSWERS:
            answer_id, mirrored = link.answer, link.mirrored
            head, _, field = link.field.rpartition(".")
            container = containers[head]
            a, s = answers.get(answer_id), container.get(field)
            if a is not None and s is not None and a != s:
                raise PydanticCustomError(
                    "answers_disagree",
                    "answers.{a} ({av}) disagrees with {f} ({sv}): give the number once, or the same in both",
                    {"a": answer_id, "av": a, "f": field, "sv": s, "at": ("answers", answer_id)},
                )
            if a is not None:
                container[field] = a
            elif s is not None and mirrored:
                answers[answer_id] = s
        # examples the team says it has are on hand: they need no labeling
        if answers.get("labeled_examples") is not None:
            fine_tuning.setdefault("examples_on_hand", answers["labeled_examples"])
        change = answers.get("knowledge_change")
        if change is not None:
            try:
                kc = KnowledgeChange(change)
            except ValueError:
                kc = None  # the field's own validation reports it
            if kc is not None:
                workload.setdefault("corpus_change_share_per_month", CORPUS_CHANGE_SHARE_PER_MONTH[kc])
                fine_tuning.setdefault("knowledge_retrains_per_month", CHANGES_PER_MONTH[kc])
        data["answers"] = answers
        if workload:
            data["workload"] = workload
        if fine_tuning:
            data["fine_tuning"] = fine_tuning
        return data

    def with_changes(self, **paths: Any) -> Scenario:
        """A copy with dotted paths changed, validated: `s.with_changes(**{"workload.top_k": 8})`.

        Only what was given (here or before) is carried: a field never given stays a default, so
        `given_paths` still tells the user's numbers from the assumed ones."""
        data = self.model_dump(mode="json", exclude_unset=True)
        for key in ("workload", "fine_tuning", "stack", "one_time", "answers"):
            data.setdefault(key, {})
        for path, value in paths.items():
            node = data
            parts = path.split(".")
            for p in parts[:-1]:
                node = node.setdefault(p, {})
            node[parts[-1]] = value
        change = paths.get("answers.knowledge_change")
        if change is not None:
            kc = KnowledgeChange(change)
            if "workload.corpus_change_share_per_month" not in paths:
                data["workload"]["corpus_change_share_per_month"] = CORPUS_CHANGE_SHARE_PER_MONTH[kc]
            if "fine_tuning.knowledge_retrains_per_month" not in paths:
                data["fine_tuning"]["knowledge_retrains_per_month"] = CHANGES_PER_MONTH[kc]
        # linked answers follow the scenario field that was changed
        for answer_id, field in ((link.answer, link.field) for link in LINKED_ANSWERS):
            if field in paths and data["answers"].get(answer_id) is not None:
                data["answers"][answer_id] = paths[field]
            elif paths.get(f"answers.{answer_id}") is not None:  # un-answering leaves the number as it is
                node = data
                *head, last = field.split(".")
                for p in head:
                    node = node.setdefault(p, {})
                node[last] = paths[f"answers.{answer_id}"]
        # the examples the team says it has are on hand (no labeling), as the answer changes
        have = data["answers"].get("labeled_examples")
        touched = "answers.labeled_examples" in paths or "fine_tuning.training_examples" in paths
        if have is not None and touched and "fine_tuning.examples_on_hand" not in paths:
            data["fine_tuning"]["examples_on_hand"] = have
        return Scenario.model_validate(data)


def _two_latency_limits(data: dict[str, Any]) -> dict[str, Any]:
    """Older files had one latency limit and `latency_limit_applies_to`; `first_token` there is read as
    `first_token_target_p95_ms` (with its answer), and the field as `full_answer`."""
    if data.get("latency_limit_applies_to") != "first_token":
        return data
    answers = data.get("answers") or {}
    if not isinstance(answers, dict):
        return data
    answers = dict(answers)
    if data.get("first_token_target_p95_ms") is not None or answers.get("first_token_p95_ms") is not None:
        raise PydanticCustomError(
            "two_first_token_limits",
            "latency_limit_applies_to: first_token (an older file's way to bound the first token) and "
            "first_token_target_p95_ms are both given: keep first_token_target_p95_ms and drop the other",
            {"at": ("latency_limit_applies_to",)},
        )
    data["latency_limit_applies_to"] = "full_answer"
    limit, answered = data.pop("latency_target_p95_ms", None), answers.pop("latency_p95_ms", None)
    if limit is not None or answered is not None:
        data["first_token_target_p95_ms"] = limit if limit is not None else answered
    if answered is not None:
        answers["first_token_p95_ms"] = answered
    data["answers"] = answers
    return data


def given_paths(scenario: Scenario) -> frozenset[str]:
    """The dotted paths of every field the scenario was given (a file, a preset, a control, an answer's
    number): the rest are defaults, assumed. `given_paths(Scenario())` is empty."""
    out: set[str] = set()

    def walk(model: Any, prefix: str) -> None:
        for name in model.model_fields_set:
            value = getattr(model, name)
            path = f"{prefix}{name}"
            if isinstance(value, Strict):
                walk(value, path + ".")
            else:
                out.add(path)

    walk(scenario, "")
    return frozenset(out)


#: The scenario fields that size the knowledge base.
CORPUS_FIELDS = ("workload.corpus_documents", "workload.tokens_per_document")


def corpus_given(scenario: Scenario) -> bool:
    """Whether the user gave the knowledge base's size (either of its two numbers); else it is assumed."""
    given = given_paths(scenario)
    return any(f in given for f in CORPUS_FIELDS)


@dataclass(frozen=True)
class Bounds:
    """The values a scenario field accepts: `low` (excluded when `low_open`) to `high`; `whole`: integers only."""

    low: float | None
    high: float | None
    low_open: bool
    whole: bool


def bounds(path: str) -> Bounds:
    """The bounds of the scenario field at a dotted path, read from the model itself (one source for
    the model and the controls that edit it): `bounds("workload.top_k")` → Bounds(1, 1000, False, True)."""
    model: Any = Scenario
    *head, last = path.split(".")
    for part in head:
        model = model.model_fields[part].annotation
    field = model.model_fields[last]
    low = high = None
    low_open = False
    whole = field.annotation is int
    for m in field.metadata:
        if getattr(m, "ge", None) is not None:
            low = m.ge
        if getattr(m, "gt", None) is not None:
            low, low_open = m.gt, True
        if getattr(m, "le", None) is not None:
            high = m.le
        if getattr(m, "multiple_of", None) == 1:
            whole = True
    return Bounds(low, high, low_open, whole)
