"""The app's estimate cache survives changes the engine does not read (`planner.ui.session.NOT_PRICED`):
a questionnaire answer that sets no number, the scenario's name or description."""

from __future__ import annotations

import pytest

from planner.engine import estimate
from planner.model.scenario import Scenario
from planner.questionnaire import QUESTIONS
from planner.ui import session


def _one_answer(q) -> object:
    if q.kind == "choice":
        return q.choices[-1][0]
    if q.kind == "bool":
        return True
    return 12_345.0


def _changed(base: Scenario, q) -> Scenario:
    return base.with_changes(**{f"answers.{q.id}": _one_answer(q)})


def _priced(s: Scenario) -> str:
    return s.model_dump_json(exclude=session.NOT_PRICED)


#: Answers that set no number the engine reads (the linked ones — volume, examples, budget, latency
#: target — change the cache key, as they must).
#: "The knowledge fits" is read by the engine over an assumed knowledge-base size (planner/engine/knowledge.py):
#: the cache key carries it beside the priced fields (`session.estimate_for`).
READ_BY_ENGINE = {"knowledge_fits_in_context"}
UNLINKED = [
    q for q in QUESTIONS if _priced(_changed(Scenario(), q)) == _priced(Scenario()) and q.id not in READ_BY_ENGINE
]


def test_most_answers_set_no_priced_number():
    # linked: volume, examples, budget, the two latency limits, data in-house (and the measured fit in context)
    assert len(UNLINKED) >= len(QUESTIONS) - 7 - len(READ_BY_ENGINE), [q.id for q in UNLINKED]


@pytest.mark.parametrize("q", UNLINKED, ids=[q.id for q in UNLINKED])
def test_an_answer_the_engine_does_not_read_leaves_the_estimate_unchanged(catalog, q):
    """Guards NOT_PRICED: if the engine ever reads an answer, this fails and the field must leave the set."""
    base = Scenario()
    new = _changed(base, q)
    assert new != base
    assert estimate(catalog, new).to_dict() == estimate(catalog, base).to_dict()


def test_estimate_for_reuses_the_estimate_across_answers_and_names(catalog, monkeypatch):
    calls = []

    def counting(cat, scen, volumes=None, **options):
        calls.append(scen)
        return estimate(cat, scen, volumes=volumes, **options)

    monkeypatch.setattr(session, "estimate", counting)
    session.estimate_cached.clear()
    base = Scenario()
    cite = next(q for q in QUESTIONS if q.id == "citations_required")
    renamed = _changed(base, cite).with_changes(name="Renamed", description="Another text")
    a = session.estimate_for("sha", catalog, base)
    b = session.estimate_for("sha", catalog, renamed)
    assert len(calls) == 1  # the second scenario differs only in what the engine does not read
    assert a.scenario == base and b.scenario == renamed  # each estimate carries its own scenario
    assert b.to_dict()["scenario"] == "Renamed"
    # a number the engine reads is a new key: the engine runs again
    session.estimate_for("sha", catalog, base.with_changes(**{"workload.top_k": base.workload.top_k + 1}))
    assert len(calls) == 2
    session.estimate_cached.clear()


def test_the_fits_answer_over_an_assumed_size_gets_its_own_estimate(catalog):
    session.estimate_cached.clear()
    base = Scenario()
    fits = base.with_changes(**{"answers.knowledge_fits_in_context": True})
    a = session.estimate_for("sha", catalog, base)
    b = session.estimate_for("sha", catalog, fits)
    # the default corpus (10M tokens) does not fit: ruled out without the answer, priced at what fits with it
    assert "long_context" in a.ruled_out and "long_context" in b.priced
    # the same numbers typed by the user: measured, ruled out again
    typed = fits.with_changes(**{"workload.corpus_documents": 10_000})
    assert "long_context" in session.estimate_for("sha", catalog, typed).ruled_out
