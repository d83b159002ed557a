"""The scenario's optional `quality:` section: measured pass rates, the cost of a failure, retries, and the
eval plan. Kept apart from `planner.model.scenario` (which only holds the section) so the core stays small."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from pricing.units import Key, Strict

QUALITY_ARCHITECTURES = ("prompt_only", "long_context", "rag", "fine_tuned", "hybrid")


def _rate():
    return Field(None, ge=0, le=1, allow_inf_nan=False, description="Share of answers judged correct (0–1).")


def _cases():
    return Field(None, ge=1, le=10_000_000, description="Eval cases the pass rate was measured on.")


class PassRates(Strict):
    """Measured pass rate per architecture; an option left out is not measured (it borrows nobody's)."""

    prompt_only: float | None = _rate()
    long_context: float | None = _rate()
    rag: float | None = _rate()
    fine_tuned: float | None = _rate()
    hybrid: float | None = _rate()


class SampleSizes(Strict):
    """Eval cases behind each pass rate (the Wilson interval's n)."""

    prompt_only: int | None = _cases()
    long_context: int | None = _cases()
    rag: int | None = _cases()
    fine_tuned: int | None = _cases()
    hybrid: int | None = _cases()


class ModelQuality(Strict):
    """One model of an option, measured: a point of its own on the cost-vs-pass-rate chart."""

    architecture: Literal["prompt_only", "long_context", "rag", "fine_tuned", "hybrid"]
    model: Key = Field(
        description="Catalog key: an LLM (prompt only, long context, RAG) or a fine-tuning offer (fine-tuned, hybrid)."
    )
    pass_rate: float = Field(ge=0, le=1, allow_inf_nan=False)
    sample_size: int = Field(ge=1, le=10_000_000)


class EvalPlan(Strict):
    """What an evaluation costs before it is run: `cases` per option, each answered and judged."""

    cases: int = Field(100, ge=1, le=1_000_000, description="Eval cases per option.")
    judge: Literal["llm", "person"] = Field("llm", description="Who judges each answer.")
    judge_llm: Key | None = Field(None, description="Catalog LLM that judges (null: the scenario's stack.llm).")
    judge_input_tokens_per_case: float = Field(
        1_000, ge=0, le=10_000_000, multiple_of=1, description="Tokens the judge reads per case (assumed)."
    )
    judge_output_tokens_per_case: float = Field(
        200, ge=0, le=1_000_000, multiple_of=1, description="Tokens the judge writes per case (assumed)."
    )
    person_minutes_per_case: float = Field(
        2.0, gt=0, le=600, allow_inf_nan=False, description="Minutes a person spends judging one answer."
    )
    usd_per_person_hour: float | None = Field(
        None, ge=0, le=10_000, allow_inf_nan=False, description="Loaded hourly rate of the person judging."
    )

    @model_validator(mode="after")
    def _person_has_a_rate(self) -> EvalPlan:
        if self.judge == "person" and self.usd_per_person_hour is None:
            raise PydanticCustomError(
                "person_rate",
                "a person judging needs `usd_per_person_hour` (their loaded hourly rate): nothing is assumed",
            )
        return self


class Quality(Strict):
    pass_rate: PassRates = PassRates()
    sample_size: SampleSizes = SampleSizes()
    failure_cost_usd: float = Field(
        0.0,
        ge=0,
        le=1_000_000,
        allow_inf_nan=False,
        description="What one failed answer costs (a ticket a person handles, an escalation): USD per failure.",
    )
    retries: int = Field(0, ge=0, le=10, description="Times a failed answer is retried before it counts as failed.")
    models: tuple[ModelQuality, ...] = Field((), max_length=20)
    eval_plan: EvalPlan = EvalPlan()

    @model_validator(mode="after")
    def _sizes_have_rates(self) -> Quality:
        for a in QUALITY_ARCHITECTURES:
            if getattr(self.sample_size, a) is not None and getattr(self.pass_rate, a) is None:
                raise PydanticCustomError(
                    "size_without_rate",
                    "sample_size.{a} is given without pass_rate.{a}: give the measured pass rate too, or drop it",
                    {"a": a, "at": ("sample_size", a)},
                )
        return self

    def measured(self) -> tuple[str, ...]:
        """The architectures with a measured pass rate, in architecture order."""
        return tuple(a for a in QUALITY_ARCHITECTURES if getattr(self.pass_rate, a) is not None)
