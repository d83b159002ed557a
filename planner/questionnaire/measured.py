"""The recommendation's measured-quality step, applied to a ranked result: an option whose pass-rate interval
lies wholly below another's at no lower cost per successful answer is marked dominated (it says by which option
and why), kept from "recommended", and listed after the options that are not dominated. Without measured pass
rates (fewer than two options measured) the ranking is returned unchanged."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from planner.model import format as fmt
from planner.quality.text import verdict as quality_verdict
from planner.questionnaire.results import Ranked

if TYPE_CHECKING:
    from planner.engine import Estimate


def apply_measured_quality(
    ranking: tuple[Ranked, ...], estimate: Estimate | None
) -> tuple[tuple[Ranked, ...], tuple[str, ...]]:
    """(the ranking with dominated options marked and moved down, the findings measured quality adds)."""
    if estimate is None or estimate.quality is None or len(estimate.quality.ranking) < 2:
        return ranking, ()
    qa = estimate.quality
    dominated = qa.dominated
    out = []
    for r in ranking:
        by = dominated.get(r.key)
        if by is not None and not r.ruled_out:
            a, b = qa.options[r.key], qa.options[by]
            why = (
                f"Dominated on measured quality by {b.label}: pass rate {fmt.pct(a.pass_rate)} "
                f"({fmt.pct(a.pass_rate_low)}–{fmt.pct(a.pass_rate_high)}) against {fmt.pct(b.pass_rate)} "
                f"({fmt.pct(b.pass_rate_low)}–{fmt.pct(b.pass_rate_high)}), at "
                f"{fmt.usd_each(a.cost_per_successful_answer_usd)} per successful answer against "
                f"{fmt.usd_each(b.cost_per_successful_answer_usd)}."
            )
            verdict = "viable" if r.verdict == "recommended" else r.verdict
            r = dataclasses.replace(r, verdict=verdict, reasons=(why, *r.reasons), dominated_by=by)
        out.append(r)
    # stable: the ranking's own order among the undominated, then the dominated, then what is ruled out
    out.sort(key=lambda r: (r.ruled_out, r.dominated_by is not None))
    monthly = {a: estimate.current[a].monthly_usd for a in estimate.priced}
    return tuple(out), quality_verdict(qa, monthly)
