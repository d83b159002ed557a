"""The cost of measuring: an eval plan priced as a one-time cost, and what a decisive eval between two options
costs at their measured rates."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from planner.model.quality import EvalPlan
from planner.quality.stats import cases_to_separate


@dataclass(frozen=True)
class Judge:
    """Who judges each answer and what one judgment costs."""

    kind: str  # "llm" or "person"
    name: str  # the catalog LLM's name, or "a person"
    usd_per_case: float


def llm_judge(plan: EvalPlan, name: str, usd_per_1m_input: float, usd_per_1m_output: float) -> Judge:
    """An LLM judge: (judge input tokens × input price + judge output tokens × output price) / 1M per case."""
    usd = (
        plan.judge_input_tokens_per_case * usd_per_1m_input + plan.judge_output_tokens_per_case * usd_per_1m_output
    ) / 1e6
    return Judge("llm", name, usd)


def person_judge(plan: EvalPlan) -> Judge:
    """A person judging: minutes per case ÷ 60 × the hourly rate."""
    return Judge("person", "a person", plan.person_minutes_per_case / 60 * (plan.usd_per_person_hour or 0.0))


@dataclass(frozen=True)
class EvalPlanCost:
    cases: int
    options: tuple[str, ...]
    judge: Judge
    answer_usd_per_case: Mapping[str, float]
    per_option_usd: Mapping[str, float]
    judge_input_tokens_per_case: float = 0.0  # an LLM judge's assumed tokens (0 for a person)
    judge_output_tokens_per_case: float = 0.0

    @property
    def total_usd(self) -> float:
        return sum(self.per_option_usd.values())


def eval_plan_cost(
    plan: EvalPlan, options: tuple[str, ...], answer_usd: Mapping[str, float], judge: Judge
) -> EvalPlanCost:
    """N cases × options × (answer cost + judge cost): per option N × (answer_usd[option] + judge.usd_per_case)."""
    per = {a: plan.cases * (answer_usd[a] + judge.usd_per_case) for a in options}
    tokens = (plan.judge_input_tokens_per_case, plan.judge_output_tokens_per_case) if judge.kind == "llm" else (0, 0)
    return EvalPlanCost(plan.cases, options, judge, {a: answer_usd[a] for a in options}, per, *tokens)


@dataclass(frozen=True)
class Separation:
    """The cases per option an eval needs to tell `a` from `b` at their measured rates, and what it costs."""

    a: str
    b: str
    pass_rate_a: float
    pass_rate_b: float
    cases_per_option: int | None  # None: the measured rates are equal
    usd: float | None  # both options answered and judged on that many cases


def separation(a: str, b: str, pa: float, pb: float, answer_usd: Mapping[str, float], judge: Judge) -> Separation:
    n = cases_to_separate(pa, pb)
    usd = None if n is None else n * (answer_usd[a] + answer_usd[b] + 2 * judge.usd_per_case)
    return Separation(a, b, pa, pb, n, usd)
