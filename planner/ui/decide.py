"""Decide: the questionnaire beside its ranked, explained recommendation."""

import streamlit as st

from planner.engine.dated import change_note
from planner.model import format as fmt
from planner.model.scenario import LINKED_ANSWERS
from planner.model.vocabulary import ARCHITECTURE_MD_COLORS as MD_COLOR
from planner.model.vocabulary import STAGE_LABELS
from planner.presentation import verdict
from planner.questionnaire import QUESTIONS, Question, answered_ids, recommend, score_text, scoring_text
from planner.ui import assumptions, quality, results, session, summary
from planner.ui.messages import md, message

#: Answers whose number is also a scenario field that always has a value (the estimate needs one):
#: the answer may still be left empty, and the estimate then uses the scenario's number.
#: The linked answers whose scenario number always has a value (`planner.model.scenario.LINKED_ANSWERS`)
ALWAYS_SET = {link.answer: link.field for link in LINKED_ANSWERS if not link.mirrored}
BOOL = {True: "yes", False: "no", None: None}  # unanswered: nothing selected
BOOL_BACK = {"yes": True, "no": False}


def question_widget(q: Question) -> None:
    key, path = f"dq.{q.id}", f"answers.{q.id}"
    what = q.text
    if q.kind == "choice":
        labels = dict(q.choices)
        st.selectbox(
            q.text,
            [None, *labels],
            format_func=lambda v: "Not answered" if v is None else labels[v],
            help=q.help,
            placeholder="Not answered",
            **session.control(key, path, what),
        )
    elif q.kind == "bool":
        st.segmented_control(
            q.text,
            ["yes", "no"],
            format_func={"yes": "Yes", "no": "No"}.__getitem__,
            selection_mode="single",
            help=q.help + " Not sure? Leave it unselected (click a chosen answer again to clear it).",
            **session.control(key, path, what, to_widget=lambda v: BOOL[v], from_widget=lambda v: BOOL_BACK.get(v)),
        )
    else:
        unit = f" ({q.unit})" if q.unit else ""
        if q.id in ALWAYS_SET:
            # an answer (None: not answered); answering also sets the number the estimate prices
            priced = session.get_path(session.scenario(), ALWAYS_SET[q.id])
            integer = q.id == "labeled_examples"
            st.number_input(
                q.text + unit,
                **session.limits(ALWAYS_SET[q.id]),
                step=50 if integer else 1000.0,
                value=None,
                format=None if integer else "%.0f",
                placeholder=f"Not answered (the estimate uses {fmt.count(priced)})",
                help=q.help + " Answering sets the same number in the sidebar; leave empty to keep it unanswered.",
                **session.control(
                    key,
                    path,
                    what,
                    to_widget=lambda v: None if v is None else (int(v) if integer else float(v)),
                    from_widget=lambda v: None if v is None else (int(v) if integer else float(v)),
                ),
            )
        else:
            st.number_input(
                q.text + unit,
                **session.limits(path),
                step=100.0,
                value=None,
                format="%.2f" if q.id == "monthly_budget_usd" else "%g",
                placeholder="No limit" if q.id != "monthly_budget_usd" else "No budget",
                help=q.help + " (The same number as the sidebar's.)",
                **session.control(key, path, what, to_widget=lambda v: None if v is None else float(v)),
            )


def clear_answers() -> None:
    answers = session.scenario().answers
    changes = {f"answers.{q.id}": None for q in QUESTIONS if getattr(answers, q.id) is not None}
    if changes:
        session.change(changes, "Clear answers")


ctx = results.context()
results.page_header("Decide", ctx, "answer what you know; every answer updates the ranking")
if ctx.error:
    message("warning", ctx.error + " The ranking below uses the answers only.")
rec = ctx.recommendation or recommend(ctx.scenario)

left, right = st.columns([5, 6], gap="large")
with left:
    answered = len(answered_ids(ctx.scenario.answers))
    st.subheader("Questions")
    st.progress(answered / len(QUESTIONS), text=f"{answered} of {len(QUESTIONS)} answered")
    with st.container(border=True):
        for q in QUESTIONS:
            question_widget(q)
            if q.id == "knowledge_fits_in_context":
                assumptions.knowledge_fit_note(ctx.estimate, ctx.scenario)
    st.button(
        "Clear answers",
        on_click=clear_answers,
        help="Set every answer back to 'not answered' (the estimate keeps the volume and training-set size).",
    )

shown: set[str] = set()  # each reason once on the page


def bullets(texts) -> None:
    for text in texts:
        if text not in shown:
            shown.add(text)
            st.markdown(f"- {md(text)}")


with right:
    w = rec.winner
    st.subheader("Recommendation")
    with st.container(border=True):
        if not rec.has_verdict:
            st.markdown("#### No verdict yet")
            st.caption(
                "Answer a question on the left: until then every option is open, listed simplest first, "
                "which is where the field's advice says to start."
            )
            for r in rec.ranking:
                st.markdown(f":{MD_COLOR.get(r.key, 'gray')}[**{r.label}**]")
        elif rec.nothing_fits:
            summary.nothing_fits_box(rec)
            for r in rec.ranking:
                st.markdown(f"- :{MD_COLOR.get(r.key, 'gray')}[**{r.label}**] — ruled out")
        else:
            head = verdict.HEADS.get(w.verdict, "Least bad")
            st.markdown(f"#### {head}: :{MD_COLOR.get(w.key, 'gray')}[**{w.label}**]")
            if ctx.estimate is not None and w.key in ctx.estimate.current:
                c = ctx.estimate.current[w.key]
                bind = ctx.estimate.binding_latency(w.key)  # the limit that binds, on its own measure
                p95 = (
                    f"p95 {bind.label} {fmt.ms(bind.p95_ms)} (limit {fmt.ms(bind.limit_ms)})"
                    if bind is not None
                    else f"p95 {fmt.ms(c.latency_p95_ms)}"
                )
                st.caption(
                    f"{fmt.usd(c.monthly_usd)}/month at {fmt.count(c.queries_per_month)} queries · "
                    f"{p95} · one-time {fmt.usd(c.one_time_total_usd)}"
                )
                b = summary.budget_text(ctx, w.key)
                if b:
                    st.markdown(md(b))
                weak = verdict.weak_evidence(ctx.estimate, w.key)
                if weak is not None:
                    st.warning(md(weak.sentence()), icon=":material/fact_check:")
                dated_note = change_note(ctx.estimate, w.key)
                if dated_note is not None:
                    st.info(md(dated_note), icon=":material/event:")
            for n, r in enumerate(rec.ranking, 1):
                st.markdown(
                    f"{n}. :{MD_COLOR.get(r.key, 'gray')}[**{r.label}**] — {r.verdict}"
                    + ("" if r.ruled_out else f" · score {score_text(r)}")
                )
        st.caption(scoring_text())

    if rec.has_verdict and not rec.nothing_fits:
        st.markdown("**Why**")
        if w.reasons:
            bullets(w.reasons)
        else:
            st.caption("No rule has moved its score: answer more questions on the left.")
        others = [r for r in rec.ranking if r.key != w.key and r.reasons]
        for r in others:
            fresh = [t for t in r.reasons if t not in shown]
            if fresh:
                with st.expander(f"Why {r.label} is {r.verdict}"):
                    bullets(fresh)
    elif not rec.nothing_fits:
        st.caption("No rule has fired yet: answer a few questions on the left.")

    if rec.findings:
        st.markdown("**The numbers**")
        bullets(rec.findings)
    quality.decide_note(ctx.estimate)
    if rec.has_verdict and not rec.nothing_fits and rec.watch_outs:
        st.markdown(f"**Watch out for ({w.label})**")
        for item in rec.watch_outs:
            st.markdown(f"- {md(item)}")
    if rec.has_verdict and not rec.nothing_fits and rec.plan:
        st.markdown("**Plan in stages**")
        for step in rec.plan:
            st.markdown(f"- **{STAGE_LABELS.get(step.stage, step.stage)}:** {md(step.text)}")
