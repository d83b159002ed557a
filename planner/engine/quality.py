"""Measured quality priced by the engine: hands `planner.quality.assess` the engine's spend as a function of
volume (typical, low and high prices), each option's per-query cost, the judge's price and each measured
model's spend, so the quality package stays pure."""

from __future__ import annotations

import difflib
from datetime import date

import numpy as np

from planner.engine.costs import monthly_totals
from planner.engine.gather import build_inputs
from planner.engine.inputs import Inputs
from planner.engine.results import Snapshot
from planner.model.scenario import USES_TUNED, Scenario
from planner.model.vocabulary import LABELS
from planner.quality import Inputs as QualityInputs
from planner.quality import Judge, ModelQuality, QualityAssessment, assess, llm_judge, person_judge
from pricing.errors import UnknownEntryError
from pricing.models import Catalog

#: the components one more query adds to: an eval case costs what these cost per query at the planned volume
PER_QUERY_COMPONENTS = ("inference", "gpu_serving", "query_embedding", "reranking")


def _known(family: dict, key: str, where: str, what: str) -> None:
    if key not in family:
        close = difflib.get_close_matches(key, sorted(family), n=1)
        hint = f" — did you mean `{close[0]}`?" if close else ""
        raise UnknownEntryError(f"{where}: `{key}` is not in the catalog's {what}{hint}")


def judge_of(catalog: Catalog, scenario: Scenario) -> Judge:
    """The eval plan's judge: a catalog LLM at its typical prices, or a person at the given rate."""
    plan = scenario.quality.eval_plan if scenario.quality else None
    if plan is None:
        from planner.quality import EvalPlan

        plan = EvalPlan()
    if plan.judge == "person":
        return person_judge(plan)
    key = plan.judge_llm or scenario.stack.llm
    _known(catalog.llms, key, "quality.eval_plan.judge_llm", "LLMs")
    llm = catalog.llms[key]
    return llm_judge(
        plan, llm.name, llm.input_usd_per_1m_tokens.pick("value"), llm.output_usd_per_1m_tokens.pick("value")
    )


def _model_spend(catalog: Catalog, scenario: Scenario, on: date | None = None):
    """Spend of one measured model of an option at a volume: the scenario priced with that model in the stack."""
    for n, m in enumerate(scenario.quality.models if scenario.quality else ()):
        if USES_TUNED[m.architecture]:
            _known(catalog.fine_tune_offers, m.model, f"quality.models[{n}].model", "fine-tuning offers")
        else:
            _known(catalog.llms, m.model, f"quality.models[{n}].model", "LLMs")

    def spend(m: ModelQuality, queries: float) -> tuple[float, str]:
        field = "stack.fine_tune" if USES_TUNED[m.architecture] else "stack.llm"
        s = scenario.with_changes(**{field: m.model})
        i, _ = build_inputs(catalog, s, "value", on=on)
        total = monthly_totals(i, np.array([queries]), (m.architecture,))[m.architecture]
        entry = catalog.fine_tune_offers[m.model] if USES_TUNED[m.architecture] else catalog.llms[m.model]
        return float(total[0]), entry.name

    return spend


def quality_assessment(
    catalog: Catalog,
    scenario: Scenario,
    priced: dict[str, Inputs],
    volumes: np.ndarray,
    current: dict[str, Snapshot],
    on: date | None = None,
) -> QualityAssessment:
    """The quality assessment of the priced options (`current`); `priced`: the scenario's inputs at "value",
    "low" and "high" prices."""

    def spend(arch: str, q: np.ndarray, which: str) -> np.ndarray:
        return monthly_totals(priced[which], np.asarray(q, dtype=float), (arch,))[arch]

    q_now = scenario.workload.queries_per_month
    answer = {
        a: sum(s.components_usd.get(k, 0.0) for k in PER_QUERY_COMPONENTS) / q_now if q_now > 0 else 0.0
        for a, s in current.items()
    }
    x = QualityInputs(
        queries_per_month=q_now,
        horizon_months=scenario.horizon_months,
        volumes=volumes,
        labels={a: LABELS[a] for a in current},
        one_time_usd={a: s.one_time_total_usd for a, s in current.items()},
        tco_usd={a: s.tco_usd for a, s in current.items()},
        monthly_usd={a: s.monthly_usd for a, s in current.items()},
        answer_usd_per_case=answer,
        spend=spend,
        model_spend=_model_spend(catalog, scenario, on),
    )
    return assess(scenario.quality, x, judge_of(catalog, scenario))
