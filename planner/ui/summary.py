"""The verdict and the budget, said the same way on every page (Decide, Costs, Latency)."""

from __future__ import annotations

import streamlit as st

from planner.model.scenario import Scenario
from planner.presentation import verdict
from planner.ui.messages import md
from pricing.models import Catalog


@st.cache_data(show_spinner=False, max_entries=64)
def budget_crossing_cached(
    cat_sha: str, scenario_json: str, arch: str, _catalog: Catalog, _scenario: Scenario
) -> verdict.BudgetCrossing | None:
    """`verdict.budget_crossings`, cached by (catalog sha256, scenario JSON, architecture)."""
    return verdict.budget_crossings(_catalog, _scenario, arch)


def budget_text(ctx, arch: str) -> str | None:
    """Where `arch`'s monthly cost crosses the budget, as a sentence (None without a budget or an estimate)."""
    s = ctx.scenario
    if s.monthly_budget_usd is None or ctx.estimate is None:
        return None
    try:
        bc = budget_crossing_cached(ctx.cat_sha, s.model_dump_json(), arch, ctx.catalog, s)
    except Exception:  # noqa: BLE001 - the page's own estimate reports pricing errors
        return None
    return verdict.budget_sentence(bc, s.workload.queries_per_month)


def nothing_fits_box(rec) -> None:
    """Nothing fits: the state, why each option is out, and the smallest changes that would make one feasible."""
    lines = verdict.nothing_fits_lines(rec)
    st.error(md(lines[0]), icon=":material/block:")
    text = ""
    for x in lines[1:]:
        text += ("- " + md(x[2:]) + "\n") if x.startswith("- ") else ("\n**" + md(x) + "**\n\n")
    st.markdown(text)


def verdict_box(ctx) -> None:
    """The recommendation, the ruled-out options, the budget crossing and weak evidence, in one box."""
    rec = ctx.recommendation
    if rec is None:
        return
    if rec.nothing_fits:
        nothing_fits_box(rec)
        return
    lines = [verdict.verdict_line(rec)]
    if rec.has_verdict:
        b = budget_text(ctx, rec.winner.key)
        if b:
            lines.append(b)
        if ctx.estimate is not None:
            weak = verdict.weak_evidence(ctx.estimate, rec.winner.key)
            if weak is not None:
                lines.append(weak.sentence())
    st.info("  \n".join(md(x) for x in lines), icon=":material/recommend:")
