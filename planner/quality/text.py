"""What measured quality says, in sentences every surface shows the same way (CLI, app, PDF, recommendation)."""

from __future__ import annotations

from collections.abc import Mapping

from planner.model import format as fmt
from planner.quality.assessment import QualityAssessment


def _join(names: list[str]) -> str:
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]


def verdict(qa: QualityAssessment, monthly_usd: Mapping[str, float]) -> tuple[str, ...]:
    """Why measured quality ranks the options as it does: the winner on outcome cost against the cheapest by
    tokens, then each dominated option. Empty when fewer than two options are measured."""
    if len(qa.ranking) < 2:
        return ()
    o = qa.options
    best = o[qa.ranking[0]]
    cheap = o[min(qa.ranking, key=lambda a: monthly_usd[a])]
    out = []
    others = "; ".join(f"{o[k].label} {fmt.usd_each(o[k].cost_per_successful_answer_usd)}" for k in qa.ranking[1:])
    head = (
        f"On measured quality {best.label} ranks first on outcome cost: "
        f"{fmt.usd_each(best.cost_per_successful_answer_usd)} per successful answer "
        f"({fmt.usd_each(best.cost_per_successful_answer_low_usd)}–"
        f"{fmt.usd_each(best.cost_per_successful_answer_high_usd)}), against {others}."
    )
    out.append(head)
    if cheap.key != best.key:
        fail = 1 - (cheap.pass_rate or 0)
        out.append(
            f"{cheap.label} is the cheapest by tokens ({fmt.usd(monthly_usd[cheap.key])} a month against "
            f"{fmt.usd(monthly_usd[best.key])}), but {fmt.pct(fail)} of its answers fail"
            + (
                f": {fmt.count(cheap.failures_per_month)} failures a month at {fmt.usd(qa.failure_cost_usd)} "
                f"each add {fmt.usd((cheap.failures_per_month or 0) * qa.failure_cost_usd)}."
                if qa.failure_cost_usd > 0
                else ", and each success carries the cost of the failed answers."
            )
        )
    for k, by in qa.dominated.items():
        a, b = o[k], o[by]
        out.append(
            f"{a.label} is dominated by {b.label}: its pass rate ({fmt.pct(a.pass_rate)}, 95% interval "
            f"{fmt.pct(a.pass_rate_low)}–{fmt.pct(a.pass_rate_high)}) is wholly below {b.label}'s "
            f"({fmt.pct(b.pass_rate_low)}–{fmt.pct(b.pass_rate_high)}) and it costs no less per successful answer "
            f"({fmt.usd_each(a.cost_per_successful_answer_usd)} against "
            f"{fmt.usd_each(b.cost_per_successful_answer_usd)})."
        )
    return tuple(out)


def settle(qa: QualityAssessment, monthly_usd: Mapping[str, float]) -> tuple[str, ...]:
    """What measuring would settle, for the options without a measured pass rate."""
    o = qa.options
    missing = list(qa.unmeasured)
    if not missing:
        return ()
    names = _join([o[k].label for k in missing])
    out = []
    if not qa.measured:
        out.append(
            "No measured pass rates: the ranking rests on the answers and on spend by tokens alone. Measuring "
            "each option on an evaluation set (quality.pass_rate, or import eval results) settles whether a "
            "dearer option's extra spend buys enough successful answers."
        )
    else:
        out.append(
            f"Not measured: {names} — no pass rate is borrowed from another option; measure to compare on outcome."
        )
    if qa.failure_cost_usd > 0 and len(monthly_usd) >= 2:
        cheap = min(monthly_usd, key=lambda a: monthly_usd[a])
        per_point = qa.queries_per_month * qa.failure_cost_usd / 100  # USD a month one point of pass rate is worth
        gaps = [
            _gap(o[k].label, (monthly_usd[k] - monthly_usd[cheap]) / per_point)
            for k in monthly_usd
            if k != cheap and k in missing
        ]
        if gaps:
            out.append(
                f"At {fmt.usd(qa.failure_cost_usd)} a failure, each option pays for its extra spend over "
                f"{o[cheap].label} if its pass rate is higher by at least: " + "; ".join(gaps) + "."
            )
    return tuple(out)


def eval_plan(qa: QualityAssessment) -> str:
    """The eval plan's one-time cost, with who judges and on what assumption."""
    plan = qa.eval_plan
    j = plan.judge
    if j.kind == "person":
        how = f"judged by a person at {fmt.usd_each(j.usd_per_case)} a case"
    else:
        tokens = (
            f" ({fmt.count(plan.judge_input_tokens_per_case)} tokens read, "
            f"{fmt.count(plan.judge_output_tokens_per_case)} written, assumed)"
        )
        how = f"judged by {j.name} at {fmt.usd_each(j.usd_per_case)} a case{tokens}"
    return (
        f"An eval of {fmt.count(plan.cases)} cases per option ({len(plan.options)} options) costs about "
        f"{fmt.usd(plan.total_usd)} once: each answer at the option's per-query cost, {how}; set it in "
        "quality.eval_plan."
    )


def _gap(label: str, points: float) -> str:
    if points > 100:
        return f"{label} {points:,.0f} points (more than the whole scale: failures alone cannot pay for it)"
    return f"{label} {points:.2f} points"


def separations(qa: QualityAssessment) -> tuple[str, ...]:
    """How many cases would tell the best option from each other measured one, and what that eval costs."""
    o = qa.options
    out = []
    for s in qa.separations:
        if s.cases_per_option is None:
            out.append(f"{o[s.a].label} and {o[s.b].label} measured the same pass rate: no eval separates them.")
            continue
        out.append(
            f"Telling {o[s.a].label} ({fmt.pct(s.pass_rate_a)}) from {o[s.b].label} ({fmt.pct(s.pass_rate_b)}) "
            f"takes {s.cases_per_option:,} cases per option (95% confidence, 80% power): about {fmt.usd(s.usd)}."
        )
    return tuple(out)


def horizon(qa: QualityAssessment, months: int) -> tuple[str, ...]:
    """The outcome cost over the horizon and the break-evens on outcome cost of the measured options."""
    o = qa.options
    out = []
    if qa.measured:
        totals = "; ".join(f"{o[k].label} {fmt.usd(o[k].outcome_tco_usd)}" for k in qa.ranking)
        out.append(f"Outcome cost over {months} months (one-time costs, then spend and failures each month): {totals}.")
    for b in qa.break_evens:
        out.append(
            f"On outcome cost {o[b.a].label} and {o[b.b].label} break even at {fmt.count(b.queries_per_month)} "
            f"queries a month ({fmt.usd_each(b.usd_per_success)} per successful answer): "
            f"{o[b.cheaper_below].label} costs less per success below, {o[b.cheaper_above].label} above."
        )
    return tuple(out)


def lines(qa: QualityAssessment, monthly_usd: Mapping[str, float], months: int | None = None) -> tuple[str, ...]:
    """Every sentence, in the order the surfaces show them (`months`: the horizon, for the outcome cost over it)."""
    more = horizon(qa, months) if months else ()
    return (*verdict(qa, monthly_usd), *more, *separations(qa), *settle(qa, monthly_usd), eval_plan(qa))


def table_lines(qa: QualityAssessment, monthly_usd: Mapping[str, float], months: int | None = None) -> list[str]:
    """The CLI's "Measured quality" section: one row per option, then the sentences."""
    o = qa.options
    if not qa.measured:
        return ["Measured quality:", *(f"  {line}" for line in lines(qa, monthly_usd))]
    out = [
        f"Measured quality (failure cost {fmt.usd(qa.failure_cost_usd)}, retries {qa.retries}):",
        f"  {'Architecture':<13}{'Pass rate':>10}{'95% interval':>17}{'n':>6}{'Outcome/mo':>12}"
        f"{'Per success':>14}{'Range':>22}",
    ]
    for x in o.values():
        if not x.measured:
            out.append(f"  {x.label:<13}{'not measured':>16}")
            continue
        low, high = x.cost_per_successful_answer_low_usd, x.cost_per_successful_answer_high_usd
        rng = f"{fmt.usd_each(low)}–{fmt.usd_each(high)}"
        ci = f"{fmt.pct(x.pass_rate_low)}–{fmt.pct(x.pass_rate_high)}"
        n = f"{x.sample_size:,}" if x.sample_size else "—"
        out.append(
            f"  {x.label:<13}{fmt.pct(x.pass_rate):>10}{ci:>17}{n:>6}{fmt.usd(x.outcome_monthly_usd):>12}"
            f"{fmt.usd_each(x.cost_per_successful_answer_usd):>14}{rng:>22}" + ("  dominated" if x.dominated_by else "")
        )
    if qa.frontier:
        out.append("  Efficient frontier (spend vs pass rate): " + ", ".join(_point_label(qa, p) for p in qa.frontier))
    out += [f"  {line}" for line in lines(qa, monthly_usd, months)]
    return out


def _point_label(qa: QualityAssessment, pid: str) -> str:
    if pid in qa.options:
        return qa.options[pid].label
    m = next(m for m in qa.models if m.id == pid)
    return f"{qa.options[m.architecture].label} · {m.name}"


def point_label(qa: QualityAssessment, pid: str) -> str:
    """A chart point's label: the option's, or "option · model"."""
    return _point_label(qa, pid)
