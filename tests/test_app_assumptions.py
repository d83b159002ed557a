"""The founder's walk in the app (AppTest): an answer beats an assumption, the knowledge base's size is asked
beside the knowledge question, and the assumptions are in sight with their controls.

Shipped catalog, default stack (gpt-6-luna: a 1,050,000-token window). The founder has a 120K-token manual,
never types the corpus, and answers: the knowledge fits, it never changes, the gap is knowledge, prompting
alone is not good enough. Before: the default corpus (10,000 × 1,000 tokens) overrode "Yes" and RAG won.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pricing.loader import DEFAULT_CATALOG_PATH

APP = str(Path(__file__).resolve().parent.parent / "app.py")
TIMEOUT = 30


@pytest.fixture
def at(tmp_path, monkeypatch) -> AppTest:
    path = tmp_path / "catalog.yaml"
    shutil.copyfile(DEFAULT_CATALOG_PATH, path)
    monkeypatch.setenv("PLANNER_CATALOG", str(path))
    app = AppTest.from_file(APP, default_timeout=TIMEOUT)
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def headline(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("#### "))


def texts(at: AppTest) -> str:
    # markdown escapes (`\.`, `\_`) removed: the text a reader sees
    return "\n".join([*(c.value for c in at.caption), *(w.value for w in at.warning)]).replace("\\", "")


def answer(at: AppTest) -> None:
    at.segmented_control(key="dq.knowledge_fits_in_context").set_value("yes").run()
    at.selectbox(key="dq.gap").set_value("knowledge").run()
    at.segmented_control(key="dq.prompting_good_enough").set_value("no").run()
    at.selectbox(key="dq.knowledge_change").set_value("static").run()
    assert not at.exception, [e.value for e in at.exception]


def test_the_founders_answer_stands_until_he_gives_a_size_that_does_not_fit(at):
    answer(at)
    # the answer stands: long context leads, "Yes" stays selected, the assumed corpus and the question are shown
    assert "Long context" in headline(at) and "RAG" not in headline(at)
    assert at.segmented_control(key="dq.knowledge_fits_in_context").value == "yes"
    said = texts(at)
    assert "the assumed 10,000 documents × 1,000 tokens (10,000,000 tokens)" in said
    assert "Give the knowledge base's size" in said
    # he gives his manual's size beside the question: 1 document of 120,000 tokens — it fits, measured
    at.number_input(key="dq.docs").set_value(1).run()
    at.number_input(key="dq.doc_tokens").set_value(120_000).run()
    assert not at.exception
    assert "Long context" in headline(at)
    assert "Measured by your size: yes" in texts(at) and "assumed 10,000 documents" not in texts(at)
    # a knowledge base that does not fit (100 × 120,000 = 12,000,000 tokens): his number beats his answer
    at.number_input(key="dq.docs").set_value(100).run()
    assert "Long context" not in headline(at)
    assert "Your numbers beat the answer" in texts(at)
    s = at.session_state["planner"].scenario
    assert (s.workload.corpus_documents, s.workload.tokens_per_document) == (100, 120_000)


def test_the_knowledge_base_section_and_the_assumption_controls(at):
    at.session_state["sbx.knowledge"] = True
    at.session_state["sbx.assumptions"] = True
    at.run()
    # the same numbers as the Decide page's, in the sidebar section long context and RAG share
    assert at.number_input(key="sb.docs").value == 10_000 and at.number_input(key="sb.doc_tokens").value == 1_000
    # target utilization, peak ÷ average, input-token weight: visible and settable, with their source
    assert at.slider(key="sb.util").value == 0.6
    assert "utilization: assumed (a default)" in texts(at)
    at.slider(key="sb.util").set_value(0.5).run()
    at.number_input(key="sb.peak").set_value(2.0).run()
    at.number_input(key="sb.itw").set_value(0.2).run()
    s = at.session_state["planner"].scenario
    assert (s.stack.target_utilization, s.workload.peak_to_average_ratio, s.stack.input_token_weight) == (
        0.5,
        2.0,
        0.2,
    )
    assert "utilization: yours" in texts(at) and "peak ÷ average: yours" in texts(at)
    # the measured cache-hit share is shown, not "from traffic" alone
    assert "Cache hits measured from your traffic: Prompt only" in texts(at)


def test_the_costs_page_lists_the_assumptions_that_move_the_result(at):
    at.switch_page("planner/ui/costs.py").run()
    at.segmented_control(key="costs.view").set_value("Assumptions").run()
    assert not at.exception, [e.value for e in at.exception]
    table = "\n".join(m.value for m in at.markdown).replace("\\", "")
    # $800 a day at $400 and $1,600, on hybrid's 40 engineering days: the row names its control
    assert "one_time.usd_per_engineering_day" in table
    assert "One-time costs › Engineer day rate" in table
