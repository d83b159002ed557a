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

from planner.model.quality import EvalPlan, ModelQuality, Quality
from planner.quality.assess import Inputs
from planner.quality.assessment import QualityAssessment, assess
from planner.quality.evalplan import Judge, eval_plan_cost, llm_judge, person_judge
from planner.quality.outcome import Point, attempts_per_query, dominated, frontier, outcome
from planner.quality.stats import cases_to_separate, wilson

__all__ = [
    "EvalPlan",
    "Inputs",
    "Judge",
    "ModelQuality",
    "Point",
    "Quality",
    "QualityAssessment",
    "assess",
    "attempts_per_query",
    "cases_to_separate",
    "dominated",
    "eval_plan_cost",
    "frontier",
    "llm_judge",
    "outcome",
    "person_judge",
    "wilson",
]
