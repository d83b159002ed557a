"""Measured quality in the decision: pass rates with Wilson intervals, the cost of a failure and of retries,
cost per successful answer with its range, the cost-vs-pass-rate frontier and dominated options, break-evens
on outcome cost, the eval plan's cost and the cases needed to tell two options apart, and eval-file import.

The package, along its seams:
  stats       Wilson interval, cases to separate two rates
  outcome     retries and failures → outcome spend and cost per success; frontier; dominance
  model       the scenario's `quality:` section (pydantic)
  assess      one option's figures from the engine's spend function; break-evens on outcome cost
  evalplan    the eval plan's cost; a decisive eval's cost
  assessment  `assess` → QualityAssessment (what the Estimate carries)
  text        the sentences every surface shows
  imports     eval result files (promptfoo, Inspect AI, OpenAI evals, DeepEval, generic CSV)
  ranking     the recommendation's quality step (dominated options marked and moved down)
Formulas and keys: docs/formulas.md, "Measured quality".
"""

from planner.quality.assess import Inputs, ModelPoint, OptionQuality, OutcomeBreakEven, SpendFn
from planner.quality.assessment import QualityAssessment, assess
from planner.quality.evalplan import EvalPlanCost, Judge, Separation, eval_plan_cost, llm_judge, person_judge
from planner.quality.model import EvalPlan, ModelQuality, PassRates, Quality, SampleSizes
from planner.quality.outcome import Outcome, Point, attempts_per_query, dominated, failure_share, frontier, outcome
from planner.quality.stats import Z_95, Z_POWER_80, cases_to_separate, wilson

__all__ = [
    "Z_95",
    "Z_POWER_80",
    "EvalPlan",
    "EvalPlanCost",
    "Inputs",
    "Judge",
    "ModelPoint",
    "ModelQuality",
    "OptionQuality",
    "Outcome",
    "OutcomeBreakEven",
    "PassRates",
    "Point",
    "Quality",
    "QualityAssessment",
    "SampleSizes",
    "Separation",
    "SpendFn",
    "assess",
    "attempts_per_query",
    "cases_to_separate",
    "dominated",
    "eval_plan_cost",
    "failure_share",
    "frontier",
    "llm_judge",
    "outcome",
    "person_judge",
    "wilson",
]
