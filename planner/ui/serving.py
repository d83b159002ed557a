"""Serving: API or self-hosted — the GPUs each option needs at the planned volume, which side is cheaper and
from which volume, the cheapest GPU shape that meets the latency limits, and the components that still send
data out of the house (with a button that keeps everything in-house)."""

import pandas as pd
import streamlit as st

from planner.engine.in_house import fit_in_house
from planner.figures import CONFIG
from planner.figures.serving import serving_figure
from planner.model import format as fmt
from planner.model.vocabulary import LABELS
from planner.presentation.serving_view import headline, limits_text, ruled_out_reasons, serving_rows
from planner.ui import results, session, tables
from planner.ui.messages import md


def _keep_in_house() -> None:
    """Apply the changes that keep the whole stack in-house, and say what changed."""
    fit = fit_in_house(results.context().catalog, session.scenario())
    if fit.changes and session.change(fit.changes, "Keep everything in-house"):
        session.flash("success", "Switched to an in-house stack.", list(fit.notes))
    elif not fit.changes:
        session.flash("info", "Nothing to change.", list(fit.notes))


def _in_house(ctx: session.Context) -> None:
    est = ctx.estimate
    assert est is not None
    st.subheader("Data in-house")
    st.toggle(
        "Data must stay in-house",
        help="Queries, documents and training data stay on machines you control: every component that sends "
        "them to a third party is named in a warning (the Decide page asks the same question).",
        **session.control("serving.must_stay_in_house", "data_must_stay_in_house", "Data must stay in-house"),
    )
    required = ctx.scenario.data_must_stay_in_house
    if not est.third_party:
        st.success("Every component of the stack runs in-house: no query, document or training example leaves.")
        return
    lines = [t.sentence() for t in est.third_party]
    bullets = "\n".join(f"- {md(x)}" for x in lines)  # each escaped; a list wraps where a code block would not
    if required:
        st.warning("Data must stay in-house, but these components send it to a third party:\n\n" + bullets)
    else:
        st.caption("These components send data to a third party (the scenario does not require it in-house):")
        st.markdown(bullets)
    st.button(
        "Keep everything in-house",
        key="serving.in_house",
        on_click=_keep_in_house,
        help="Serve on your GPUs and switch each component above to an in-house entry of the catalog.",
    )


def _page() -> None:
    ctx = results.context()
    results.page_header("Serving", ctx, "API or self-hosted")
    est, _ = results.require_estimate(ctx)
    est = session.serving_comparison_for(ctx.cat_sha, ctx.catalog, est)
    cmp_ = est.serving_comparison
    if cmp_ is None:
        st.info("No serving comparison for this estimate.")
        return
    st.markdown(md(headline(est)))
    gpu = ctx.catalog.gpus[cmp_.gpu].name if cmp_.gpu in ctx.catalog.gpus else cmp_.gpu
    st.caption(
        f"Each option priced twice by the same model with the same assumptions: through the API, and on "
        f"{md(gpu)} at {cmp_.precision} (Stack in the sidebar). The cheapest shape searches "
        f"{cmp_.shapes_searched} GPU × precision pairs of the catalog; limits: {md(limits_text(est))}."
    )
    rows = serving_rows(est)
    frame = pd.DataFrame(
        {
            "API a month": [r.api_usd for r in rows],
            "Self-hosted a month": [r.self_hosted_usd for r in rows],
            f"GPUs at {fmt.count(cmp_.queries_per_month)} queries/month": [r.gpus for r in rows],
            "Utilization": [r.utilization for r in rows],
            "Cheaper": [r.cheaper for r in rows],
            "Break-even": [r.break_even for r in rows],
            "Cheapest shape meeting the limits": [r.cheapest_shape for r in rows],
        },
        index=[r.option for r in rows],
    )
    st.markdown(tables.markdown_table(frame, "Option"))
    for why in ruled_out_reasons(est):
        st.info(md(why))
    both = [r.key for r in rows if r.api_usd != "—" and r.self_hosted_usd != "—"]
    if both:
        arch = (
            st.segmented_control("Option", both, format_func=LABELS.__getitem__, default=both[0], key="serving.arch")
            or both[0]
        )
        st.plotly_chart(serving_figure(est, arch), config=CONFIG, key="serving.chart")
    _in_house(ctx)


_page()
