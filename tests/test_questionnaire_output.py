"""What the questionnaire says: its JSON, text and Markdown outputs and the generated tables in
docs/decision-rules.md; statements that hold at the user's volume (ties, the cheaper of a pair), a scoring
that explains itself; and the walk-throughs' cases (a founder's knowledge gap, legal Q&A, nothing fits)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from planner import questionnaire as q
from planner.model import format as fmt
from planner.model.answers import Answers
from planner.model.scenario import ARCHITECTURES, Scenario
from planner.questionnaire import RULES, Cond, Rule, generated_markdown, recommend, render_text, rules_markdown
from planner.questionnaire.conditions import C
from planner.questionnaire.render import documented
from tests.recommendation_helpers import F, H, L, P, R, crossing, fake_estimate, fired

ROOT = Path(__file__).resolve().parents[1]

# ---------------------------------------------------------------------------
# Output: JSON, text, Markdown, docs
# ---------------------------------------------------------------------------


def test_to_dict_is_json_ready_with_the_documented_shape():
    rec = recommend(Answers(knowledge_change="daily", citations_required=True))
    d = json.loads(json.dumps(rec.to_dict()))
    assert {"ranking", "watch_outs", "plan", "findings"} <= set(d)
    assert [r["architecture"] for r in d["ranking"]] == [R, H, P, L, F]
    assert set(d["ranking"][0]) == {"architecture", "label", "score", "verdict", "reasons"}
    assert d["ranking"][0]["label"] == "RAG" and d["ranking"][0]["verdict"] == "recommended"
    assert d["ranking"][-1]["verdict"] == "ruled out"
    assert all(set(s) == {"stage", "text"} for s in d["plan"])
    assert d["winner"] == R
    assert d["reasons"][0] == {
        "rule": "citations_need_sources",
        "kind": "hard",
        "text": rec.reasons[0].text,
        "effects": {},
        "rules_out": [F],
    }


def test_render_text_sections():
    rec = recommend(Answers(knowledge_change="weekly", strict_output_format=True, labeled_examples=1000))
    text = render_text(rec)
    assert text.startswith("Recommendation: Hybrid (recommended, score +6)\n")
    for heading in ("Ranking", "Because", "Watch-outs (Hybrid)", "Plan"):
        assert f"\n{heading}\n" in text
    assert "[Hybrid +3]" in text
    assert "Numbers" not in text


def test_results_are_frozen():
    rec = recommend(Answers())
    with pytest.raises(AttributeError):
        rec.ranking = ()  # type: ignore[misc]
    with pytest.raises(AttributeError):
        rec.winner.score = 3  # type: ignore[misc]
    assert isinstance(RULES[0].rule_out, frozenset)
    with pytest.raises(TypeError):
        RULES[5].effects[P] = 9  # type: ignore[index]


def test_docs_contain_the_generated_tables():
    doc = (ROOT / "docs" / "decision-rules.md").read_text(encoding="utf-8")
    assert generated_markdown() in doc, "regenerate with: python -m planner.questionnaire --update-docs"
    assert documented(doc) == doc  # what --update-docs writes is what is there
    for r in RULES:
        assert f"| `{r.id}` |" in rules_markdown()
    assert "_sync_answers" in doc


def test_markdown_command(capsys):
    assert q.main(["--markdown"]) == 0
    assert capsys.readouterr().out == generated_markdown()
    assert q.main([]) == 2


def test_update_docs_rewrites_only_the_tables_between_the_markers(tmp_path, monkeypatch, capsys):
    from planner.questionnaire import render

    doc = tmp_path / "decision-rules.md"
    doc.write_text(f"# Rules\n\nprose\n\n{render.BEGIN}\n\nstale table\n\n{render.END}\n\nmore prose\n")
    monkeypatch.setattr(render, "DOC", doc)
    assert q.main(["--update-docs"]) == 0
    text = doc.read_text(encoding="utf-8")
    assert text == f"# Rules\n\nprose\n\n{render.BEGIN}\n\n{generated_markdown()}\n{render.END}\n\nmore prose\n"
    # without its markers the file is left as it was, and the command says why
    doc.write_text("no markers\n")
    assert q.main(["--update-docs"]) == 1
    assert doc.read_text() == "no markers\n" and "markers" in capsys.readouterr().err


def test_choice_answers_compare_in_the_order_of_their_question():
    # daily comes after monthly in the question's choices (alphabetically it comes before)
    assert C("knowledge_change", ">=", "monthly").holds(Answers(knowledge_change="daily"))
    assert not C("knowledge_change", "<", "monthly").holds(Answers(knowledge_change="daily"))
    # a choice question whose choices have no order refuses a comparison, at table-building time
    with pytest.raises(ValueError, match="no order"):
        C("gap", "<", "both")


def test_planner_questionnaire_does_not_import_streamlit():
    code = "import sys, planner.questionnaire; assert 'streamlit' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


# ---------------------------------------------------------------------------
# Statements that hold at the user's volume; a ranking that explains itself
# ---------------------------------------------------------------------------

SUPPORT_BOT_ANSWERS = {
    "knowledge_change": "weekly",
    "gap": "knowledge",
    "citations_required": True,
    "knowledge_fits_in_context": False,
    "monthly_budget_usd": 1500,
    "queries_per_month": 200_000,
}


def _costs(**by_key: float):
    """Every architecture but long context at $9,999 unless given (the knowledge base does not fit: long context
    is ruled out, `MISFIT`)."""
    return {k: by_key.get(k, 9_999.0) for k in ARCHITECTURES if k != L}


MISFIT = "Long context is ruled out: the knowledge base does not fit the model's context window."


def test_equal_costs_read_as_a_tie_and_no_pair_is_called_cheaper_both_ways():
    # The self-hosted Llama stack of issue 13: RAG $2,633.327 and Hybrid $2,633.387 a month at 200K
    # (same GPU, hybrid adds $0.06 of retraining); the pair crosses three times at capacity steps.
    s = Scenario.model_validate({"answers": SUPPORT_BOT_ANSWERS})
    crossings = [
        crossing("rag", b="hybrid", queries_per_month=4_291_419.0, cheaper_below="rag", cheaper_above="hybrid"),
        crossing("rag", b="hybrid", queries_per_month=5_311_162.0, cheaper_below="hybrid", cheaper_above="rag"),
        crossing("rag", b="hybrid", queries_per_month=8_582_838.0, cheaper_below="rag", cheaper_above="hybrid"),
    ]
    est = fake_estimate(_costs(rag=2633.327, hybrid=2633.3868), {k: 800.0 for k in ARCHITECTURES}, crossings, MISFIT)
    rec = recommend(s, est)
    text = " ".join(rec.findings)
    assert "is the cheaper of the two" not in text and "Hybrid is cheaper" not in text
    pair = [f for f in rec.findings if f.startswith("RAG and Hybrid")]
    assert pair == [
        # the crossings as intervals, each volume once: one story, not "cheaper below X" then "above Y"
        "RAG and Hybrid break even 3 times: RAG is cheaper below 4,291,419; Hybrid between 4,291,419 and "
        "5,311,162; RAG between 5,311,162 and 8,582,838; Hybrid above 8,582,838 queries a month. "
        "At your 200,000, the two cost the same "
        f"({fmt.usd(2633.327)}/month): a tie, not a reason to switch."
    ]
    # over budget, neither fits: both cheapest, named as a tie
    assert any(f"the cheapest are RAG and Hybrid, at {fmt.usd(2633.327)}/month each." in f for f in rec.findings)


def test_the_cheaper_of_a_pair_is_read_from_the_costs_at_the_volume():
    # the break-even says RAG is cheaper above 150,000 but at 200,000 the costs say Hybrid ($900 < $1,000)
    s = Scenario.model_validate({"answers": SUPPORT_BOT_ANSWERS})
    be = [crossing("rag", b="hybrid", queries_per_month=150_000.0, cheaper_below="hybrid", cheaper_above="rag")]
    rec = recommend(s, fake_estimate(_costs(rag=1000.0, hybrid=900.0), {k: 800.0 for k in ARCHITECTURES}, be, MISFIT))
    assert rec.winner.key == "rag"
    msg = next(f for f in rec.findings if "break even" in f)
    assert "At your 200,000, Hybrid is cheaper: the numbers favor it over RAG" in msg


def test_every_answer_counts_the_linked_numbers_too():
    a = Answers(labeled_examples=20, queries_per_month=5_000_000)
    rec = recommend(a)
    assert rec.answered_ids == ("labeled_examples", "queries_per_month")
    assert rec.has_verdict
    assert {"too_few_examples", "high_volume"} <= set(fired(rec))
    assert rec.get("fine_tuned").verdict == "ruled out"
    assert not recommend(Answers()).has_verdict


def test_the_scoring_explains_itself_and_a_ruled_out_option_shows_no_score():
    text = q.scoring_text()
    for needle in (
        "+4 or more",
        "“recommended”",
        "-2 to +3",
        "“viable”",
        "below -2",
        "“not advised”",
        "simplest first",
    ):
        assert needle in text, needle
    assert "Prompt only, " in text and text.endswith("Hybrid.")
    rec = recommend(Answers(citations_required=True, gap="knowledge"))
    ft = rec.get("fine_tuned")
    assert ft.ruled_out and q.score_text(ft) == "—"
    assert q.score_text(rec.get("rag")) == f"{rec.get('rag').score:+d}"
    assert rec.ranking[-1].ruled_out  # listed last


def test_no_reason_is_listed_twice_for_an_architecture():
    twice = Rule("twice", (Cond("gap", "==", "knowledge"),), "Same words.", "soft", effects={"rag": 1})
    rules = (*RULES, twice, Rule("again", (Cond("gap", "==", "knowledge"),), "Same words.", "soft", effects={"rag": 1}))
    rec = recommend(Answers(gap="knowledge"), rules=rules)
    reasons = rec.get("rag").reasons
    assert len(reasons) == len(set(reasons)) and reasons.count("Same words.") == 1


# ------------------------------------------------------------------ the walk-throughs' cases (issue 21)


def _founder(llm: str) -> Scenario:
    """The founder's case: a 120K-token manual, a knowledge gap, a $100 budget, 20,000 queries a month."""
    return Scenario.model_validate(
        {
            "workload": {"corpus_documents": 1, "tokens_per_document": 120_000, "queries_per_month": 20_000},
            "stack": {"llm": llm},
            "answers": {"gap": "knowledge", "monthly_budget_usd": 100, "knowledge_change": "quarterly"},
        }
    )


@pytest.mark.parametrize("llm", ["claude-haiku-4.5", "claude-sonnet-4.5"])
def test_founders_case_a_knowledge_gap_never_picks_prompt_only_and_long_context_gets_the_knowledge_credit(llm):
    from planner.engine import estimate
    from pricing.loader import load_catalog

    s = _founder(llm)
    est = estimate(load_catalog(), s)
    assert est.context_misfit is None  # the manual fits the window: the measured answer is "fits"
    rec = recommend(s, est)
    # prompt only never sees the manual: ruled out, however cheap ($42 a month with Haiku, under the budget)
    assert rec.get(P).verdict == "ruled out" and "cannot supply the facts" in rec.get(P).reasons[0]
    # both long context and RAG are over the $100 budget (-2 each); long context keeps the knowledge credit:
    # knowledge_fits +3, gap_knowledge_in_context +2, budget -2 = 3; RAG: gap_knowledge +2, knowledge_fits -1,
    # budget -2 = -1
    assert est.current[L].monthly_usd > 100 and est.current[R].monthly_usd > 100
    assert rec.get(L).score == 3 + 2 - 2 and rec.get(R).score == 2 - 1 - 2
    assert rec.winner.key == L and rec.winner.verdict == "viable"
    assert any("long context adds the facts" in t for t in rec.get(L).reasons)


def test_legal_qa_a_recommended_option_stands_above_a_viable_one_with_a_higher_score():
    from planner.engine import estimate
    from planner.model.files import SCENARIOS_DIR, load_scenario
    from planner.presentation import verdict
    from pricing.loader import load_catalog

    s = load_scenario(SCENARIOS_DIR / "legal-qa.yaml")
    rec = recommend(s, estimate(load_catalog(), s))
    rag, hybrid = rec.get(R), rec.get(H)
    # hybrid outscores RAG on the answers but is over the $5,000 budget: capped at "viable"
    assert hybrid.score > rag.score and hybrid.verdict == "viable" and rag.verdict == "recommended"
    assert [r.key for r in rec.ranking][:2] == [R, H]  # verdict class first, then score
    assert verdict.headline(rec) == f"Recommended: RAG (score {rag.score:+d})."
    assert "verdict first" in q.scoring_text()


def test_nothing_fits_rules_every_option_out_and_names_the_ways_out():
    from planner.engine import estimate
    from pricing.loader import load_catalog

    s = Scenario().with_changes(**{"stack.serving": "self_hosted", "answers.labeled_examples": 0})
    rec = recommend(s, estimate(load_catalog(), s))
    assert rec.nothing_fits and all(r.verdict == "ruled out" for r in rec.ranking)
    assert rec.to_dict()["winner"] is None and rec.to_dict()["nothing_fits"] is True
    assert "At least 50 labeled examples (you have 0) would make fine-tuned and hybrid possible." in rec.ways_out
    assert any(
        "is not open weights, so it cannot run on your GPUs" in w and "serve through the API" in w for w in rec.ways_out
    )
    # a ruled-out option's reasons are what rules it out, never a rule that argues for it
    for r in rec.ranking:
        assert all("ruled out" in t or "not viable" in t for t in r.reasons), (r.key, r.reasons)
