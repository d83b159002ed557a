"""Section 3: assumptions (inputs, derived quantities, the catalog prices used, the method)."""

from __future__ import annotations

import datetime
from enum import Enum
from typing import Any

from pydantic import BaseModel
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
)

from planner.model.format import count, ms, usd
from planner.model.scenario import LABELS, given_paths
from planner.model.vocabulary import ALERT, SERVING_LABELS, STACK_FAMILIES
from planner.report.document import ReportDocument
from planner.report.provenance import assumed_values
from planner.report.style import BOX_BG
from planner.report.text import FONT_BOLD, fig, long_date, num, para_text, xw
from pricing.units import STALE_AFTER_DAYS


class AssumptionsSection(ReportDocument):
    # --- 3. assumptions

    def assumptions(self) -> None:
        self.add(CondPageBreak(self.height * 0.35))
        self.h1("3. Assumptions")
        self.add(
            self.p(
                "Everything the estimate rests on: the scenario's inputs as entered, and every catalog figure "
                "used, with its source and the date it was checked. "
                f"The questionnaire answers are in section {self.answers_section}."
            )
        )
        assumed_values(self)
        self.inputs_table()
        self.derived()
        self.prices()
        self.method()

    def inputs_table(self) -> None:
        """3.1: every scenario input as entered, grouped, with what it means."""
        st, s = self.st, self.scenario
        self.add(self.p("3.1 Scenario inputs", st.h2))
        rows = [[self.p(x, st.head) for x in ("Input", "Value", "What it means")]]
        style: list = []

        def group(title: str) -> None:
            rows.append([self.p(f"<b>{title}</b>", st.cell), "", ""])
            style.append(("SPAN", (0, len(rows) - 1), (-1, len(rows) - 1)))
            style.append(("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1), BOX_BG))

        given = given_paths(s)
        assumed = "<br/><font size='6.5' color='#616E7C'>assumed (a default)</font>"

        def model_rows(model: BaseModel, prefix: str = "", path: str = "") -> None:
            for name, info in type(model).model_fields.items():
                v = getattr(model, name)
                if hasattr(type(v), "model_fields"):
                    model_rows(v, prefix + _human(name) + ": ", f"{path}{name}.")
                    continue
                label = prefix + (LABELS[name] if name in LABELS else _human(name))
                note = assumed if f"{path}{name}" not in given and v is not None else ""
                rows.append(
                    [
                        self.p(para_text(label), st.cell),
                        self.p(self.input_value(name, v) + note, st.cell),
                        self.p(para_text(info.description or ""), st.cell_small),
                    ]
                )

        group("Workload")
        model_rows(s.workload, path="workload.")
        group("Fine-tuning plan")
        model_rows(s.fine_tuning, path="fine_tuning.")
        group("Stack")
        model_rows(s.stack, path="stack.")
        group("One-time costs")
        model_rows(s.one_time, path="one_time.")
        group("Horizon, budget and limits")
        fields = type(s).model_fields
        for name in ("horizon_months", "start_date", "monthly_budget_usd", "latency_target_p95_ms"):
            rows.append(
                [
                    self.p(para_text(_human(name)), st.cell),
                    self.p(self.input_value(name, getattr(s, name)), st.cell),
                    self.p(para_text(fields[name].description or ""), st.cell_small),
                ]
            )
        vr = s.volumes
        rows.append(
            [
                self.p("Charted volume range", st.cell),
                self.p(
                    f"{count(vr.min_queries_per_month)} – {count(vr.max_queries_per_month)} queries a month", st.cell
                ),
                self.p(f"{vr.points} volumes, evenly spaced on a log scale.", st.cell_small),
            ]
        )
        self.add(self.table(rows, [2.2, 1.6, 3.2], style=style, zebra=False))

    def input_value(self, name: str, v: Any) -> str:
        if v is None and name == "cache_hit_share" and self.scenario.stack.serving == "api":
            shares = ", ".join(f"{para_text(c.label)} {c.cache_hit_share:.1%}" for c in self.est.current.values())
            return f"measured from traffic: {shares}"
        if v is None:
            return f"today ({para_text(self.est.start_date)})" if name == "start_date" else "none set"
        if isinstance(v, bool):
            return "yes" if v else "no"
        if isinstance(v, datetime.date):
            return v.isoformat()
        if isinstance(v, Enum):
            v = v.value
        if isinstance(v, str):
            family = STACK_FAMILIES.get(name)
            entry = getattr(self.catalog, family).get(v) if family else None  # a catalog family, by its field name
            if entry is not None:
                w = self.col_width([2.2, 1.6, 3.2], 1)
                return f"{xw(entry.name, w)}<br/><font size='6.5' color='#616E7C'>{xw(v, w, size=6.5)}</font>"
            return para_text(SERVING_LABELS.get(v, v))
        if name in ("latency_target_p95_ms",) or name.endswith("_ms"):
            return ms(v)
        if name == "horizon_months":
            return f"{v} months"
        if "usd" in name:
            return usd(v) if name == "monthly_budget_usd" else "$" + num(v)
        if "share" in name or "utilization" in name:
            return f"{v * 100:.4g}%"
        return num(v)

    def derived(self) -> None:
        st, c = self.st, self.est.corpus
        if not c:
            return
        rows = [[self.p("Knowledge base as modelled", st.head), self.p("Value", st.head_r)]]
        names = {
            "chunks_per_document": ("Chunks per document", num),
            "vectors": ("Vectors in the index", num),
            "embedded_tokens": ("Tokens embedded to index the corpus once", num),
            "record_bytes": ("Bytes stored per vector (vector + text and metadata)", num),
            "stored_gb": ("Index size (GB)", lambda v: f"{v:,.4g}"),
        }
        for k, (label, f) in names.items():
            if k in c:
                rows.append([self.p(label, st.cell), self.p(f(c[k]), st.cell_r)])
        self.add(KeepTogether([self.p("3.2 Derived from the inputs", st.h2), self.table(rows, [4, 1.5], zebra=False)]))

    def prices(self) -> None:
        st, est, today = self.st, self.est, self.today
        used = list(est.prices_used)
        stale = [u for u in used if u.figure.is_stale(today)]
        unverified = [u for u in used if not u.figure.verified]
        cat = self.catalog
        self.add(self.p("3.3 Catalog figures used", st.h2))
        intro = (
            f"Catalog version {para_text(cat.version)}, dated {para_text(str(cat.date))}. "
            f"{len(used)} figures feed this estimate; "
            f"<b>{len(stale)}</b> {'was' if len(stale) == 1 else 'were'} checked more than {STALE_AFTER_DAYS} days "
            f"before {long_date(today)} "
            f"(<font color='{ALERT}'><b>stale</b></font>) and <b>{len(unverified)}</b> could not be confirmed at their "
            f"source (<font color='#B9770E'><b>unverified</b></font>). Check those before relying on the numbers."
        )
        self.add(self.p(intro))
        if cat.description:
            self.add(self.p(para_text(cat.description), st.small))
        rows = [[self.p(x, st.head) for x in ("Used for", "Figure", "Value", "Source and note", "Checked", "Status")]]
        pw = [1.5, 1.05, 0.7, 3.0, 0.95, 0.95]
        wrole, wsrc = self.col_width(pw, 0), self.col_width(pw, 3)
        for u in used:
            f = u.figure
            unit = "$" if "usd" in u.field else ""
            value = unit + fig(f.value)
            if f.lo != f.value or f.hi != f.value:
                value += f"<br/><font size='6.5' color='#616E7C'>{unit}{fig(f.lo)}–{unit}{fig(f.hi)}</font>"
            src = xw(f.source, wsrc)
            if f.note:
                src += f"<br/><font size='6.5' color='#616E7C'>{xw(f.note, wsrc, size=6.5)}</font>"
            flags = []
            if f.is_stale(today):
                flags.append(f"<font color='{ALERT}'><b>stale</b></font> ({f.age_days(today):,} days)")
            if not f.verified:
                flags.append("<font color='#B9770E'><b>unverified</b></font>")
            rows.append(
                [
                    self.p(f"{xw(u.role, wrole)}<br/><b>{xw(u.name, wrole, FONT_BOLD)}</b>", st.cell),
                    self.p(xw(_human_field(u.field), self.col_width(pw, 1)), st.cell),
                    self.p(value, st.cell_r),
                    self.p(src, st.cell),
                    self.p(str(f.checked), st.cell),
                    self.p("<br/>".join(flags) or "ok", st.cell),
                ]
            )
        self.add(self.table(rows, pw))

    def method(self) -> None:
        st = self.st
        self.add(self.p("3.4 How the numbers are computed", st.h2))
        text = [
            "Monthly cost is the sum of its components (LLM tokens or GPU hours, query embedding, vector store, "
            "reranking, re-embedding changed documents, retraining runs, tuned-model hosting), each computed from the "
            "inputs and the catalog prices above. Cost per 1,000 queries is the monthly total divided by the volume.",
            "Ranges: the estimate is run with every catalog figure at its low and at its high end; the band is that "
            "envelope, not a confidence interval.",
            "Break-even volumes are found exactly (by bisection), not read off the chart. Sensitivity moves one input "
            f"at a time by ±{self.est.sensitivity_delta * 100:.0f}%.",
            "Latency: the parts' medians add and their tails add in quadrature; self-hosted serving adds an M/M/c "
            "queueing delay at peak load. The full formulas are in docs/formulas.md of the planner.",
        ]
        self.add(*self.bullets(text))


_WORDS = {
    "usd": "USD",
    "1m": "1M",
    "1k": "1K",
    "gb": "GB",
    "tb": "TB",
    "ms": "ms",
    "llm": "LLM",
    "gpu": "GPU",
    "ttft": "TTFT",
    "p50": "p50",
    "p95": "p95",
    "vllm": "vLLM",
    "8b": "8B",
    "kb": "KB",
    "top": "top",
}


def _human(name: str) -> str:
    words = [_WORDS.get(w, w) for w in name.split("_")]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def _human_field(name: str) -> str:
    return " · ".join(_human(part) for part in name.split("."))
