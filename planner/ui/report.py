"""Report: a preview of the PDF recommendation report and its download (built only on click)."""

import functools

import pandas as pd
import streamlit as st

from planner.model import format as fmt
from planner.model import vocabulary
from planner.model.break_even_text import interval_sentences
from planner.presentation import verdict
from planner.questionnaire import score_text
from planner.ui import results, session, summary, tables
from planner.ui.messages import md


def report_pdf(*args, **kwargs) -> bytes:
    """The PDF, built on click (reportlab loads then, not when the page is shown)."""
    from planner.report import report_or_error_pdf

    return report_or_error_pdf(*args, **kwargs)


ctx = results.context()
results.page_header("Report", ctx, "a PDF for people who will not open the app")
est, rec = results.require_estimate(ctx)
s = ctx.scenario
summary.verdict_box(ctx)  # what the PDF's first page says

slug = vocabulary.slug(s.name)
st.download_button(
    "Download PDF report",
    data=functools.partial(
        report_pdf,
        ctx.catalog,
        s,
        estimate=est,
        recommendation=rec,
        traffic=session.get().traffic if session.get().traffic_applied else None,
    ),
    file_name=f"{slug}-llm-architecture-report.pdf",
    mime="application/pdf",
    on_click="ignore",
    type="primary",
    icon=":material/download:",
    help="Built when you click, from exactly what this preview shows: the scenario, the catalog this session uses, "
    "the recommendation and the numbers.",
)
st.caption(
    "The PDF holds the recommendation and why, the staged plan, cost and latency charts, the numbers below, and "
    "every price used with its source and checked date."
)

left, right = st.columns(2, gap="large")
with left:
    st.subheader("Scenario")
    st.markdown(f"**{md(s.name)}**")
    if s.description:
        st.markdown(md(s.description, multiline=True))
    w, stack = s.workload, s.stack
    cat = ctx.catalog

    def name(family, key):
        entry = family.get(key)
        return entry.name if entry is not None else key

    facts = {
        "Queries per month": fmt.count(w.queries_per_month),
        "Tokens per query (in / out)": f"{fmt.count(w.input_tokens_per_query)} / "
        f"{fmt.count(w.output_tokens_per_query)}",
        "System prompt + few-shot": f"{fmt.count(w.system_prompt_tokens)} + {fmt.count(w.few_shot_tokens)} tokens",
        "Corpus": f"{fmt.count(w.corpus_documents)} documents × {fmt.count(w.tokens_per_document)} tokens; top-k "
        f"{w.top_k} × {fmt.count(w.chunk_tokens)}-token chunks" + ("; reranked" if w.rerank else ""),
        "Serving": vocabulary.SERVING_LABELS[stack.serving]
        + (f" ({name(cat.gpus, stack.gpu)})" if stack.serving == "self_hosted" else ""),
        "LLM": name(cat.llms, stack.llm),
        "Fine-tuning": name(cat.fine_tune_offers, stack.fine_tune),
        "Retrieval": f"{name(cat.embedding_models, stack.embedding_model)}, "
        f"{name(cat.vector_stores, stack.vector_store)}",
        "Budget": f"{fmt.usd(s.monthly_budget_usd)}/month" if s.monthly_budget_usd else "none set",
        "Latency target (p95)": fmt.ms(s.latency_target_p95_ms) if s.latency_target_p95_ms else "none set",
        "Horizon": f"{s.horizon_months} months",
    }
    st.markdown(tables.markdown_table(pd.DataFrame({"Value": list(facts.values())}, index=list(facts)), "Setting"))
with right:
    st.subheader("Recommendation")
    wn = rec.winner
    if rec.nothing_fits:
        summary.nothing_fits_box(rec)
    else:
        st.markdown(f"**{md(verdict.headline(rec))}**")
        for reason in wn.reasons[:4]:
            st.markdown(f"- {md(reason)}")
    st.markdown(
        tables.markdown_table(
            pd.DataFrame(
                {"Verdict": [r.verdict for r in rec.ranking], "Score": [score_text(r) for r in rec.ranking]},
                index=[r.label for r in rec.ranking],
            ),
            "Architecture",
        )
    )
    if rec.plan and not rec.nothing_fits:
        st.markdown("**Plan in stages**")
        st.markdown(
            "\n".join(
                f"- **{vocabulary.STAGE_LABELS.get(step.stage, step.stage)}:** {md(step.text)}" for step in rec.plan
            )
        )

st.subheader("Key numbers")
st.markdown(tables.markdown_table(tables.numbers_frame(est, verdict.ruled_out_keys(rec)), "Architecture"))
if est.break_evens:  # each pair as the intervals where each of the two is cheaper
    st.markdown("\n".join(f"- {md(t)}" for t in interval_sentences(est.break_evens)))
