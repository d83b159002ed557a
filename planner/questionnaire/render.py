"""The recommendation as plain text (the CLI), and the generated Markdown of docs/decision-rules.md."""

from __future__ import annotations

import sys
from pathlib import Path

from planner.model.vocabulary import STAGE_LABELS
from planner.questionnaire.questions import QUESTIONS
from planner.questionnaire.results import Recommendation, pick_line, score_text, scoring_text
from planner.questionnaire.rules import RULES

# ---------------------------------------------------------------------------
# Text and Markdown
# ---------------------------------------------------------------------------


def render_text(rec: Recommendation) -> str:
    """The recommendation as plain text, for the CLI."""
    w = rec.winner
    lines = [pick_line(rec)]
    if rec.nothing_fits:
        lines += ["", "Why nothing fits"]
        lines += [f"  - {r.label}: {r.reasons[0] if r.reasons else 'ruled out.'}" for r in rec.ranking]
        lines += ["", "What would make one feasible"]
        lines += [f"  - {t}" for t in rec.ways_out] or ["  - No change of a setting lifts the rule-outs."]
    if not rec.reasons:
        lines.append("No answers yet: every architecture is open; the field's advice is to start with the simplest.")
    if not rec.nothing_fits:  # nothing fits: no ranking (each option's rule-out is listed above)
        lines += ["", "Ranking"]
        width = max(len(r.label) for r in rec.ranking)
        for i, r in enumerate(rec.ranking, 1):
            lines.append(f"  {i}. {r.label:<{width}}  {score_text(r):>3}  {r.verdict}")
    if rec.reasons:
        lines += ["", "Because"]
        for reason in rec.reasons:
            lines.append(f"  - {reason.text} [{reason.effect_text()}]")
    if rec.findings:
        lines += ["", "Numbers"]
        lines += [f"  - {f}" for f in rec.findings]
    lines += ["", scoring_text()]
    if rec.nothing_fits:  # no pick: no watch-outs or plan for one
        return "\n".join(lines) + "\n"
    lines += ["", f"Watch-outs ({w.label})"]
    lines += [f"  - {t}" for t in rec.watch_outs]
    lines += ["", "Plan"]
    lines += [f"  {STAGE_LABELS.get(s.stage, s.stage):<6} {s.text}" for s in rec.plan]
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def questions_markdown() -> str:
    """The questions as a Markdown table (generated; kept in docs/decision-rules.md)."""
    rows = ["| id | question | kind | help |", "|---|---|---|---|"]
    for q in QUESTIONS:
        if q.kind == "choice":
            kind = "choice: " + ", ".join(f"`{v}`" for v, _ in q.choices)
        elif q.kind == "number":
            kind = f"number ({q.unit})"
        else:
            kind = "yes / no"
        rows.append(f"| `{q.id}` | {_md(q.text)} | {kind} | {_md(q.help)} |")
    return "\n".join(rows) + "\n"


def rules_markdown() -> str:
    """The rule table as Markdown (generated; kept in docs/decision-rules.md)."""
    rows = ["| id | kind | condition | effect | explanation |", "|---|---|---|---|---|"]
    for r in RULES:
        rows.append(
            f"| `{r.id}` | {r.kind} | {' and '.join(f'`{_md(c.describe())}`' for c in r.condition)} "
            f"| {r.effect_text()} | {_md(r.explanation)} |"
        )
    return "\n".join(rows) + "\n"


def generated_markdown() -> str:
    """Both generated tables, as they appear in docs/decision-rules.md."""
    return "## Questions\n\n" + questions_markdown() + "\n## Rules\n\n" + rules_markdown()


#: Where the generated tables sit in docs/decision-rules.md (a source checkout; an installed package has no docs).
DOC = Path(__file__).resolve().parents[2] / "docs" / "decision-rules.md"
BEGIN = "<!-- BEGIN GENERATED: python -m planner.questionnaire --update-docs -->"
END = "<!-- END GENERATED -->"
USAGE = (
    "usage: python -m planner.questionnaire --markdown      print the generated tables\n"
    "       python -m planner.questionnaire --update-docs   rewrite them in docs/decision-rules.md\n"
)


def documented(text: str) -> str:
    """`text` (docs/decision-rules.md) with the tables between its markers regenerated."""
    head, sep, rest = text.partition(BEGIN)
    _, sep2, tail = rest.partition(END)
    if not sep or not sep2:
        raise ValueError(f"the markers {BEGIN} and {END} are missing")
    return f"{head}{BEGIN}\n\n{generated_markdown()}\n{END}{tail}"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv == ["--markdown"]:
        sys.stdout.write(generated_markdown())
        return 0
    if argv == ["--update-docs"]:
        try:
            text = DOC.read_text(encoding="utf-8")
            DOC.write_text(documented(text), encoding="utf-8")
        except (OSError, ValueError) as exc:
            sys.stderr.write(f"{DOC}: {exc} (run it from a source checkout)\n")
            return 1
        sys.stdout.write(f"{DOC.name}: the question and rule tables regenerated\n")
        return 0
    sys.stderr.write(USAGE)
    return 2
