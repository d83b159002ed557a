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
from planner.model.vocabulary import ARCHITECTURE_COLORS, ARCHITECTURE_LABELS
from pricing.safeyaml import unsafe_text_problem
from pricing.units import Key, Strict

ARCHITECTURES = ("prompt_only", "long_context", "rag", "fine_tuned", "hybrid")


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

#: Each architecture's name and color (`planner.model.vocabulary`, where every label and color lives), under the
#: names the modules that read a scenario import them by.
LABELS = ARCHITECTURE_LABELS
COLORS = ARCHITECTURE_COLORS


def num(default, ge=0.0, le=1e12, gt=None, description="", whole=False):
    """A finite number field; `whole`: a count the app's controls show as a whole number."""
    kw = dict(le=le, allow_inf_nan=False, description=description)
    if whole:
        kw["multiple_of"] = 1
    if gt is not None:
        kw["gt"] = gt
    else:
        kw["ge"] = ge
    return Field(default, **kw)


class Workload(Strict):
    queries_per_month: float = num(100_000, le=1e11, description="Queries per month at the planned volume.")
    peak_to_average_ratio: float = num(
        3.0, ge=1, le=100, description="Peak hourly rate ÷ average rate (sizes self-hosted capacity)."
    )
    input_tokens_per_query: float = num(
        200, le=10_000_000, description="User input tokens per query (question, conversation).", whole=True
    )
    output_tokens_per_query: float = num(
        300, le=1_000_000, description="Output tokens generated per query.", whole=True
    )
    system_prompt_tokens: float = num(
        300, le=10_000_000, description="System prompt tokens sent with every query.", whole=True
    )
    few_shot_tokens: float = num(
        1_500,
        le=10_000_000,
        description="Few-shot example tokens (prompt-only and RAG; a tuned model needs none).",
        whole=True,
    )
    corpus_documents: float = num(10_000, le=1e10, description="Documents in the knowledge base.", whole=True)
    tokens_per_document: float = num(1_000, le=1e8, description="Average tokens per document.", whole=True)
    chunk_tokens: float = num(512, gt=0, le=1_000_000, description="Tokens per retrieved chunk.", whole=True)
    chunk_overlap_tokens: float = num(64, le=1_000_000, description="Tokens shared by neighbouring chunks.", whole=True)
    corpus_change_share_per_month: float = num(
        0.05, le=1, description="Share of the corpus that changes (is re-embedded) each month."
    )
    top_k: int = Field(5, ge=1, le=1000, description="Chunks retrieved into the prompt.")
    rerank: bool = Field(True, description="Rerank retrieved candidates before generation.")
    metadata_bytes_per_chunk: float = num(
        1_000, le=1e7, description="Text and metadata stored beside each vector (bytes)."
    )
    rerank_candidates_per_query: int | None = Field(
        None,
        ge=1,
        le=10_000,
        description="Candidates the reranker scores per query (at least top_k; null: top_k, nothing more retrieved).",
    )
    retrieval_query_share: float = num(
        1.0, le=1, description="RAG and hybrid: share of queries routed to retrieval (the rest are answered without)."
    )
    batch_query_share: float = num(
        0.0, le=1, description="Share of queries that can wait for a batch API (priced at batch rates where offered)."
    )
    cache_hit_share: float | None = Field(
        None,
        ge=0,
        le=1,
        allow_inf_nan=False,
        description="Share of requests whose static prompt prefix is read from the prompt cache "
        "(null: from traffic and the model's cache lifetime).",
    )
    cache_lifetime: Literal["default", "1h"] = Field(
        "default",
        description="Prompt-cache lifetime: the vendor's default, or 1 hour where offered (writes at the 1-hour "
        "price, a longer life for the hit share).",
    )
    explicit_cache: bool = Field(
        False,
        description="Keep the prefix in an explicit cache where the model offers one: every request reads it, "
        "storage is billed per hour around the clock.",
    )
    cache_hit_share_ceiling: float | None = Field(
        None,
        ge=0,
        le=1,
        allow_inf_nan=False,
        description="Most requests that can hit the prompt cache (null: the model's documented ceiling, if any).",
    )

    @model_validator(mode="after")
    def _overlap_below_chunk(self) -> Workload:
        if self.chunk_overlap_tokens >= self.chunk_tokens:
            raise PydanticCustomError(
                "overlap",
                "chunk_overlap_tokens ({o}) must be smaller than chunk_tokens ({c})",
                {"o": self.chunk_overlap_tokens, "c": self.chunk_tokens},
            )
        return self

    @model_validator(mode="after")
    def _candidates_cover_top_k(self) -> Workload:
        if self.rerank_candidates_per_query is not None and self.rerank_candidates_per_query < self.top_k:
            raise PydanticCustomError(
                "candidates",
                "rerank_candidates_per_query ({n}) must be at least top_k ({k}): the reranker picks the top_k "
                "chunks from its candidates",
                {"n": self.rerank_candidates_per_query, "k": self.top_k},
            )
        return self


class FineTuning(Strict):
    training_examples: int = Field(1_000, ge=0, le=100_000_000, description="Examples in the training set.")
    examples_on_hand: int = Field(
        0,
        ge=0,
        le=100_000_000,
        description="Training examples the team already has, labeled: only the rest of the set is paid for. "
        "The questionnaire's `labeled_examples` answer sets it.",
    )
    tokens_per_example: float = num(500, le=10_000_000, description="Tokens per training example.")
    epochs: float = num(3, gt=0, le=100, description="Passes over the training set per run.")
    knowledge_retrains_per_month: float = num(
        1.0, le=1000, description="Fine-tuned only: retraining runs a month to keep its knowledge fresh."
    )
    behavior_retrains_per_month: float = num(
        1 / 6, le=1000, description="Hybrid: retraining runs a month, only when behavior must change."
    )


class Stack(Strict):
    embedding_model: Key = "openai-text-embedding-3-small"
    vector_store: Key = "pinecone-serverless-standard"
    reranker: Key = "cohere-rerank-3.5"
    llm: Key = Field("gpt-6-luna", description="Base LLM for prompt-only and RAG.")
    fine_tune: Key = Field(
        "fireworks-gpt-oss-20b-lora",
        description="Fine-tuning offer for fine-tuned and hybrid (its base model serves them).",
    )
    serving: Literal["api", "self_hosted"] = Field(
        "api", description="Pay per token at an API, or rent GPUs and serve open weights."
    )
    gpu: Key = Field("runpod-h100-sxm", description="GPU entry for self-hosted serving.")
    target_utilization: float = num(
        0.6,
        ge=0.05,
        le=0.95,
        description="Self-hosted: plan replicas to run at this share of their throughput at peak "
        "(0.05–0.95: at full use the queue never empties).",
    )
    min_replicas: int = Field(1, ge=1, le=1000, description="Self-hosted: replicas kept up at any volume.")
    input_token_weight: float = num(
        0.1, le=10, description="Self-hosted: GPU work of one input token relative to an output token."
    )
    hours_per_month: float = num(730, gt=0, le=744, description="Hours a month capacity is rented.")
    precision: Literal["bf16", "fp8", "int4", "fp4"] = Field(
        "bf16",
        description="Self-hosted: weight precision (bytes per parameter: bf16 2, fp8 1, int4 0.5, fp4 0.5625; "
        "never wider than the weights ship in).",
    )
    kv_cache_kb_per_token: float | None = Field(
        None,
        gt=0,
        le=100_000,
        allow_inf_nan=False,
        description="Self-hosted: KV-cache memory of one token (KB); absent: estimated from the model's size.",
    )
    gpu_memory_utilization: float = num(
        0.9, gt=0.1, le=1, description="Self-hosted: share of GPU memory the server gives to weights and KV cache."
    )
    max_sequences_per_replica: int = Field(
        256, ge=1, le=4096, description="Self-hosted: most sequences one replica decodes at once (its batch)."
    )


class EngineeringDays(Strict):
    prompt_only: float = num(5, le=10_000)
    long_context: float = num(5, le=10_000)
    rag: float = num(20, le=10_000)
    fine_tuned: float = num(25, le=10_000)
    hybrid: float = num(40, le=10_000)


class OneTime(Strict):
    labeling_usd_per_example: float = num(1.0, le=10_000, description="Cost to write or check one training example.")
    engineering_days: EngineeringDays = EngineeringDays()
    usd_per_engineering_day: float = num(800, le=100_000, description="Loaded day rate of an engineer.")


class VolumeRange(Strict):
    min_queries_per_month: float = num(1_000, gt=0, le=1e11)
    max_queries_per_month: float = num(10_000_000, gt=0, le=1e11)
    points: int = Field(200, ge=2, le=5_000)

    @model_validator(mode="after")
    def _ordered(self) -> VolumeRange:
        if self.max_queries_per_month <= self.min_queries_per_month:
            raise PydanticCustomError("range", "max_queries_per_month must be above min_queries_per_month")
        return self


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
