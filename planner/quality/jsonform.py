"""The JSON form of measured quality (docs/formulas.md, "Measured quality"): keys added per architecture under
`at_queries_per_month`, and the top-level `quality` object."""

from __future__ import annotations

from planner.quality.assessment import QualityAssessment

OPTION_KEYS = (
    "pass_rate",
    "pass_rate_low",
    "pass_rate_high",
    "sample_size",
    "attempts_per_query",
    "cost_per_successful_answer_usd",
    "cost_per_successful_answer_low_usd",
    "cost_per_successful_answer_high_usd",
    "outcome_monthly_usd",
    "outcome_monthly_low_usd",
    "outcome_monthly_high_usd",
    "outcome_tco_usd",
    "dominated_by",
)


def _r(x):
    """Numbers to six significant figures, as the rest of the JSON; counts and names as they are."""
    if x is None or isinstance(x, (str, int)):
        return x
    return float(f"{x:.6g}")


def option_keys(qa: QualityAssessment | None, arch: str) -> dict:
    """The quality keys of one architecture at the scenario's volume: null where it is not measured."""
    o = qa.options.get(arch) if qa is not None else None
    return {k: (_r(getattr(o, k)) if o is not None and getattr(o, k) is not None else None) for k in OPTION_KEYS}


def quality_dict(qa: QualityAssessment | None) -> dict | None:
    if qa is None:
        return None
    plan = qa.eval_plan
    return {
        "measured": list(qa.measured),
        "failure_cost_usd": _r(qa.failure_cost_usd),
        "retries": qa.retries,
        "ranking_by_cost_per_successful_answer": list(qa.ranking),
        "dominated": dict(qa.dominated),
        "frontier": list(qa.frontier),
        "models": [
            {
                "id": m.id,
                "architecture": m.architecture,
                "model": m.model,
                "pass_rate": _r(m.pass_rate),
                "pass_rate_low": _r(m.pass_rate_low),
                "pass_rate_high": _r(m.pass_rate_high),
                "sample_size": m.sample_size,
                "monthly_usd": _r(m.spend_usd),
                "cost_per_successful_answer_usd": None
                if m.cost_per_successful_answer_usd is None
                else _r(m.cost_per_successful_answer_usd),
            }
            for m in qa.models
        ],
        "break_evens": [
            {
                "between": [b.a, b.b],
                "queries_per_month": _r(b.queries_per_month),
                "cost_per_successful_answer_usd": _r(b.usd_per_success),
                "cheaper_below": b.cheaper_below,
                "cheaper_above": b.cheaper_above,
            }
            for b in qa.break_evens
        ],
        "eval_plan": {
            "cases_per_option": plan.cases,
            "options": list(plan.options),
            "judge": plan.judge.kind,
            "judge_name": plan.judge.name,
            "judge_usd_per_case": _r(plan.judge.usd_per_case),
            "answer_usd_per_case": {a: _r(v) for a, v in plan.answer_usd_per_case.items()},
            "usd_per_option": {a: _r(v) for a, v in plan.per_option_usd.items()},
            "total_usd": _r(plan.total_usd),
        },
        "cases_to_separate": [
            {
                "between": [s.a, s.b],
                "cases_per_option": s.cases_per_option,
                "usd": None if s.usd is None else _r(s.usd),
            }
            for s in qa.separations
        ],
    }
