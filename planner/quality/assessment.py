"""`assess`: everything measured quality says about a scenario's options, in one object (`QualityAssessment`)
that the Estimate carries and every surface (JSON, CLI, app, PDF) reads."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from planner.model.quality import Quality
from planner.quality.assess import (
    Inputs,
    ModelPoint,
    OptionQuality,
    OutcomeBreakEven,
    chart_frontier,
    model_points,
    option_quality,
    outcome_break_evens,
    rank_by_outcome,
    with_dominance,
)
from planner.quality.evalplan import EvalPlanCost, Judge, Separation, eval_plan_cost, separation


@dataclass(frozen=True)
class QualityAssessment:
    options: Mapping[str, OptionQuality]  # every priced option, measured or not
    models: tuple[ModelPoint, ...]
    frontier: tuple[str, ...]  # ids (architecture keys, or "architecture:model") cheapest first
    ranking: tuple[str, ...]  # measured options by cost per successful answer, lowest first
    break_evens: tuple[OutcomeBreakEven, ...]
    eval_plan: EvalPlanCost
    separations: tuple[Separation, ...]  # the best on outcome against each other measured option
    failure_cost_usd: float
    retries: int
    queries_per_month: float

    @property
    def measured(self) -> tuple[str, ...]:
        return tuple(k for k, o in self.options.items() if o.measured)

    @property
    def dominated(self) -> dict[str, str]:
        return {k: o.dominated_by for k, o in self.options.items() if o.dominated_by}

    @property
    def unmeasured(self) -> tuple[str, ...]:
        return tuple(k for k, o in self.options.items() if not o.measured)


def assess(quality: Quality | None, x: Inputs, judge: Judge) -> QualityAssessment:
    """The assessment of the priced options (`x.labels`); without a `quality:` section nothing is measured and
    only the eval plan (at its defaults) is priced."""
    q = quality or Quality()
    options = with_dominance({a: option_quality(x, q, a) for a in x.labels})
    models = model_points(x, q)
    ranking = rank_by_outcome(options)
    measured = tuple(a for a in x.labels if options[a].measured)
    seps: tuple[Separation, ...] = ()
    if len(ranking) >= 2:
        best = ranking[0]
        seps = tuple(
            separation(best, b, options[best].pass_rate, options[b].pass_rate, x.answer_usd_per_case, judge)  # type: ignore[arg-type]
            for b in ranking[1:]
        )
    return QualityAssessment(
        options=options,
        models=models,
        frontier=chart_frontier(options, models),
        ranking=ranking,
        break_evens=outcome_break_evens(x, q, measured) if len(measured) >= 2 else (),
        eval_plan=eval_plan_cost(q.eval_plan, tuple(x.labels), x.answer_usd_per_case, judge),
        separations=seps,
        failure_cost_usd=q.failure_cost_usd,
        retries=q.retries,
        queries_per_month=x.queries_per_month,
    )
