"""Measured quality on the Costs and Decide pages: cost per successful answer, the cost-vs-pass-rate chart,
what measuring would settle, typed-in pass rates, and eval-file import (applied whole, or not at all)."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from pydantic import ValidationError

from planner.engine import Estimate
from planner.figures.quality import quality_figure
from planner.model import format as fmt
from planner.model.scenario import ARCHITECTURES
from planner.model.vocabulary import LABELS
from planner.quality import text as quality_text
from planner.quality.imports import (
    EVAL_SIZE_NOTE,
    MAX_EVAL_BYTES,
    architecture_of,
    measured_rates,
    parse_eval,
    with_measured,
)
from planner.ui import params, session, tables
from planner.ui.messages import md, message, problem_lines
from pricing.errors import InputError
from pricing.safeyaml import too_big


def _monthly(est: Estimate) -> dict[str, float]:
    return {a: est.current[a].monthly_usd for a in est.priced}


def frame(est: Estimate) -> pd.DataFrame:
    """One row per priced option: its pass rate with interval, outcome spend and cost per successful answer."""
    qa = est.quality
    assert qa is not None
    rows = {}
    for k, o in qa.options.items():
        if not o.measured:
            rows[o.label] = ["not measured", "—", "—", fmt.usd(est.current[k].monthly_usd), "—", "—", "—"]
            continue
        rows[o.label] = [
            fmt.pct(o.pass_rate),
            f"{fmt.pct(o.pass_rate_low)}–{fmt.pct(o.pass_rate_high)}",
            f"{o.sample_size:,}" if o.sample_size else "—",
            fmt.usd(o.spend_usd),
            fmt.usd(o.outcome_monthly_usd),
            fmt.usd_each(o.cost_per_successful_answer_usd),
            f"{fmt.usd_each(o.cost_per_successful_answer_low_usd)}–{fmt.usd_each(o.cost_per_successful_answer_high_usd)}"
            + (f" · dominated by {LABELS[o.dominated_by]}" if o.dominated_by else ""),
        ]
    cols = ["Pass rate", "95% interval", "Cases", "Spend/month", "With failures", "Per successful answer", "Range"]
    return pd.DataFrame.from_dict(rows, orient="index", columns=cols)


def section(est: Estimate) -> None:
    """The Costs page's "Cost per successful answer" section."""
    qa = est.quality
    if qa is None:
        return
    st.subheader("Cost per successful answer")
    st.caption(
        f"Failure cost {fmt.usd(qa.failure_cost_usd)} per failed answer, {qa.retries} "
        f"{'retry' if qa.retries == 1 else 'retries'}; at {fmt.count(qa.queries_per_month)} queries/month. "
        "A retry is a whole new query (its tokens and retrieval); what still fails after the last costs the "
        "failure cost."
    )
    if qa.measured:
        st.markdown(tables.markdown_table(frame(est), "Architecture"))
        st.plotly_chart(quality_figure(qa), key="costs.quality", config={"displayModeBar": False})
    for line in quality_text.lines(qa, _monthly(est), est.scenario.horizon_months):
        st.markdown(f"- {md(line)}")
    with st.expander("Measured quality: type pass rates or import eval results", expanded=not qa.measured):
        _typed_form(est)
        _importer()


def decide_note(est: Estimate | None) -> None:
    """On Decide: what measuring would settle (the findings carry the measured verdict when there is one)."""
    if est is None or est.quality is None:
        return
    qa = est.quality
    settle = (*quality_text.settle(qa, _monthly(est)), *quality_text.separations(qa), quality_text.eval_plan(qa))
    if settle:
        st.markdown("**Measured quality**")
        for line in settle:
            st.markdown(f"- {md(line)}")


def _typed_form(est: Estimate) -> None:
    s = session.scenario()
    q = s.quality
    with st.form("quality.form", border=False):
        st.caption(
            "Pass rate (share of answers judged correct) and the eval cases behind it; leave empty if not measured."
        )
        values = {}
        for a in est.priced:
            left, right = st.columns(2)
            rate = getattr(q.pass_rate, a) if q else None
            n = getattr(q.sample_size, a) if q else None
            values[a] = (
                left.number_input(
                    f"{LABELS[a]}: pass rate (%)",
                    0.0,
                    100.0,
                    None if rate is None else rate * 100,
                    1.0,
                    key=f"q.rate.{a}",
                ),
                right.number_input(f"{LABELS[a]}: cases", 1, 10_000_000, n, 10, key=f"q.n.{a}"),
            )
        left, right = st.columns(2)
        fail = left.number_input(
            "Cost of a failed answer (USD)", 0.0, 1_000_000.0, q.failure_cost_usd if q else 0.0, 0.5, key="q.fail"
        )
        retries = right.number_input("Retries of a failed answer", 0, 10, q.retries if q else 0, 1, key="q.retries")
        if st.form_submit_button("Apply measured quality"):
            _apply_typed(s, values, fail, retries)


def _apply_typed(s, values, fail, retries) -> None:
    data = s.model_dump(mode="json")
    q = dict(data.get("quality") or {})
    q["pass_rate"] = {a: (r / 100 if r is not None else None) for a, (r, _) in values.items()}
    q["sample_size"] = {a: (n if r is not None else None) for a, (r, n) in values.items()}
    q["failure_cost_usd"], q["retries"] = fail, retries
    data["quality"] = q
    try:
        session.set_scenario(type(s).model_validate(data))
    except ValidationError as exc:
        session.flash("error", f"Measured quality: {params.validation_message(exc)}")
    st.rerun()


def _importer() -> None:
    files = st.file_uploader(
        "Eval results: promptfoo JSON, Inspect AI JSON log, OpenAI evals JSONL, DeepEval JSON, or CSV "
        "(option, case_id, passed)",
        accept_multiple_files=True,
        key="q.files",
    )
    if not files:
        return
    try:
        imports = []
        for f in files:
            if f.size > MAX_EVAL_BYTES:
                raise InputError([too_big(f.name, f.size, MAX_EVAL_BYTES, EVAL_SIZE_NOTE)])
            imports.append(parse_eval(f.getvalue(), f.name))
    except InputError as exc:
        message("error", "The eval file was not imported (nothing changed):", problem_lines(exc.problems))
        return
    mapping = {}
    for imp in imports:
        for name, (passed, total) in imp.counts.items():
            guess = architecture_of(name)
            mapping[name] = st.selectbox(
                f"{imp.file} ({imp.format}): `{name}` — {passed} of {total} passed "
                f"({fmt.pct(passed / total)}). Architecture:",
                ARCHITECTURES,
                index=ARCHITECTURES.index(guess) if guess else None,
                format_func=LABELS.__getitem__,
                key=f"q.map.{imp.file}.{name}",
                placeholder="Choose the architecture",
            )
    if st.button("Import these pass rates", key="q.import"):
        try:
            rates = measured_rates(imports, {k: v for k, v in mapping.items() if v})
            session.set_scenario(with_measured(session.scenario(), rates))
            session.flash("success", "Imported: " + "; ".join(f"{LABELS[a]} {p} of {n}" for a, (p, n) in rates.items()))
        except InputError as exc:
            session.flash("error", "Not imported (nothing changed): " + "; ".join(problem_lines(exc.problems)))
        except ValidationError as exc:
            session.flash("error", f"Not imported (nothing changed): {params.validation_message(exc)}")
        st.rerun()
