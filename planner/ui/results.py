"""What a page draws: the session started (catalog and scenario), and this run's results.

results.start()                 # app.py, before the sidebar: the catalog and the scenario (from the URL)
ctx = results.context()         # a page: catalog, scenario, estimate, recommendation (or the error)
results.page_header("Costs", ctx)
results.require_estimate(ctx)   # stops the page with the error when there is no estimate
"""

from __future__ import annotations

import streamlit as st

from planner.engine import Estimate, serving_fit
from planner.engine.lifecycle import scenario_issues
from planner.model import format as fmt
from planner.model.scenario import given_paths
from planner.questionnaire import Recommendation, recommend
from planner.ui import catalog as catalog_state
from planner.ui import params, session
from planner.ui.messages import md, message, problem_lines
from planner.ui.session import Context
from pricing.errors import InputError, UnknownEntryError


def start() -> None:
    """Load this session's catalog (or follow its file) and, on a new session, the scenario in the URL."""
    s = session.get()
    try:
        if not s.cat_sha:
            catalog_state.load_catalog_file()
        else:
            catalog_state.follow_file()
    except (InputError, OSError) as exc:  # not even the shipped catalog loads: nothing to price with
        problems = problem_lines(exc.problems) if isinstance(exc, InputError) else [str(exc)]
        message(
            "error",
            "No valid pricing catalog could be loaded (neither PLANNER_CATALOG nor the shipped default).",
            problems,
        )
        st.stop()
    if not s.started:
        try:
            qp = st.query_params.to_dict()
        except Exception:  # noqa: BLE001 - a malformed URL must not stop the app
            qp = {}
        preset, scenario, problems = params.decode(qp, session.preset_scenarios())
        s.scenario, s.preset, s.started = scenario, preset, True
        s.link_cat = str(qp.get(params.CATALOG, "") or "")[: params.CATALOG_DIGITS]
        for p in problems:
            session.flash("warning", p)


def context() -> Context:
    """Catalog, scenario, estimate and recommendation for this run (errors as a sentence, not a traceback)."""
    s = session.get()
    cat, scen, sha = catalog_state.catalog(), s.scenario, s.cat_sha
    key = (sha, scen.model_dump_json(), given_paths(scen))  # a typed default is the user's, not assumed
    memo = s.context_memo
    if memo is not None and memo[0] == key:
        return memo[1]
    est = rec = err = None
    try:
        est = session.estimate_for(sha, cat, scen)
        rec = recommend(scen, estimate=est)
    except (InputError, UnknownEntryError, KeyError, ValueError, ArithmeticError) as exc:
        err = _engine_error(exc)
        fixes = serving_fit.serving_problems(cat, scen)
        if fixes:  # say exactly which field to change, with the choices
            err = "Self-hosted serving cannot run this stack: " + "; ".join(fixes) + "."
    except Exception as exc:  # noqa: BLE001 - no traceback reaches a user
        err = f"The estimate failed: {type(exc).__name__}: {exc}"
    ctx = Context(cat, scen, est, rec, err, sha)
    s.context_memo = (key, ctx)
    return ctx


def _engine_error(exc: Exception) -> str:
    if isinstance(exc, InputError):
        return "\n".join(problem_lines(exc.problems))
    text = str(exc).strip("'\"")
    return (
        f"This scenario cannot be priced with the current catalog: {text}. "
        "Pick another entry in the sidebar (Stack) or change the catalog on the Pricing page."
    )


def require_estimate(ctx: Context) -> tuple[Estimate, Recommendation]:
    """This run's estimate and recommendation; without them, the engine's error, and the page stops."""
    if ctx.error or ctx.estimate is None or ctx.recommendation is None:
        message("error", ctx.error or "No estimate.")
        st.stop()
    return ctx.estimate, ctx.recommendation


def page_header(title: str, ctx: Context, caption: str = "") -> None:
    st.title(title)
    s = ctx.scenario
    where = " (preset)" if session.get().preset else ""
    edited = " · edited in this session" if session.get().cat_custom else ""
    extra = f" · {caption}" if caption else ""
    st.caption(
        f"Scenario: **{md(s.name)}**{where} · {fmt.count(s.workload.queries_per_month)} queries/month"
        f" · catalog {md(ctx.catalog.version)} ({ctx.catalog.date}){edited}{extra}"
    )
    link_note(ctx)
    lifecycle_notices(ctx)


def link_note(ctx: Context) -> None:
    """Links carry the scenario, and only the fingerprint of an edited catalog: say so on both ends."""
    state = session.get()
    mine = ctx.cat_sha[: params.CATALOG_DIGITS]
    if state.link_cat and state.link_cat != mine:
        message(
            "warning",
            f"This link was made with an edited price catalog (fingerprint {state.link_cat}); this session prices "
            f"with another one ({mine}), so the numbers may differ from what the sender saw. Ask for their catalog "
            "file and upload it on the Pricing page.",
        )
    elif state.cat_custom and not state.link_cat:
        message(
            "info",
            f"Prices edited in this session (catalog fingerprint {mine}): the link in the address bar carries the "
            "scenario and this fingerprint, not the edit, so whoever opens it sees a warning unless they have the "
            "same catalog. Share the catalog file too (Pricing → Download).",
        )


def lifecycle_notices(ctx: Context) -> None:
    """Entries the scenario uses that are shut down, closed or end inside its horizon, each with a
    button that switches the scenario to the named replacement."""
    for issue in scenario_issues(ctx.catalog, ctx.scenario):
        message("warning", issue.message())
        if issue.field and issue.replacement:
            st.button(
                f"Switch to {issue.replacement_name}",
                key=f"lifecycle.switch.{issue.field}",
                on_click=_switch,
                args=(issue.field, issue.replacement, issue.replacement_name),
                help=f"Use `{issue.replacement}` instead of `{issue.key}` in this scenario.",
            )


def _switch(field: str, replacement: str, name: str) -> None:
    if session.change({f"stack.{field}": replacement}, name):
        session.flash("success", f"Switched to {name}.")
