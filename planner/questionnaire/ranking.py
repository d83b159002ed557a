"""Scoring: the rules that fire, the ranking, and the recommendation (with the numbers checked when given)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from planner.model.answers import Answers
from planner.model.scenario import ARCHITECTURES, Scenario, corpus_given
from planner.model.vocabulary import LABELS
from planner.questionnaire.conditions import Rule
from planner.questionnaire.guidance import plan_for, watch_outs_for
from planner.questionnaire.measured import apply_measured_quality
from planner.questionnaire.numbers import cheapest, check_numbers
from planner.questionnaire.questions import QUESTIONS
from planner.questionnaire.results import Ranked, Reason, Recommendation, rank_key, verdict_for
from planner.questionnaire.rules import RULES

if TYPE_CHECKING:  # the engine is optional here (imported lazily by `recommend_for`)
    from planner.engine import Estimate
    from pricing.models import Catalog

# ---------------------------------------------------------------------------
# Scoring
# ---------------------------------------------------------------------------


def _answers_of(x: Scenario | Answers) -> Answers:
    if isinstance(x, Scenario):
        return x.answers
    if isinstance(x, Answers):
        return x
    raise TypeError(f"expected a Scenario or Answers, got {type(x).__name__}")


def evaluate(answers: Answers | Scenario, rules: tuple[Rule, ...] = RULES) -> tuple[Reason, ...]:
    """The rules that fire for these answers, in table order, explained."""
    a = _answers_of(answers)
    return tuple(
        Reason(r.id, r.kind, r.explain(a), r.effects, frozenset(r.rule_out), r.fix_text(a))
        for r in rules
        if r.applies(a)
    )


def _unique(texts: Iterable[str]) -> tuple[str, ...]:
    """Texts in order, each once."""
    return tuple(dict.fromkeys(texts))


def _order_reasons(key: str, fired: tuple[Reason, ...]) -> tuple[str, ...]:
    """Why `key` stands where it does: a ruled-out option's rule-outs alone (a rule that argues for it is not
    why it is ruled out), else every rule that moved its score, the largest moves first."""
    out = [r for r in fired if key in r.rule_out]
    if out:
        return _unique(r.text for r in out)
    soft = [r for r in fired if r.effects.get(key)]
    soft.sort(key=lambda r: -abs(r.effects[key]))  # stable: table order among equals
    return _unique(r.text for r in out + soft)


def measured_fit(answers: Answers, context_misfit: str | None, size_given: bool = True) -> tuple[Answers, str | None]:
    """ "Does the knowledge fit in context?" is measured (the corpus size the user gave against the chosen
    model): the answers with the measured fit, and a note when it contradicts the answer given. Only the
    context window decides it: long context ruled out for another reason (its model fits no GPU) says nothing
    here. A size never given is an assumption, and an answer beats an assumption: the answer stands."""
    fits = context_misfit is None
    said = answers.knowledge_fits_in_context
    if said is not None and not size_given:
        note = None
        if said != fits:
            note = (
                f"You answered that the knowledge base {'fits' if said else 'does not fit'} in the context "
                "window; its size is not given and the assumed one says otherwise: your answer is used. Give the "
                "knowledge base's size (sidebar: Knowledge base) to have it measured."
            )
        return answers, note
    note = None
    if said is not None and said != fits:
        note = (
            f"You answered that the knowledge base {'fits' if said else 'does not fit'} "
            f"in the context window, but by the size you gave and the chosen model it "
            f"{'does' if fits else 'does not'}: your numbers are used."
        )
    return answers.model_copy(update={"knowledge_fits_in_context": fits}), note


def _ranking(fired: tuple[Reason, ...], measured: Mapping[str, str] | None = None) -> tuple[Ranked, ...]:
    """Every architecture scored from 0 by the rules that fired, best first, ruled-out ones last. `measured`:
    the options the estimate rules out (they cannot run), each with its reason, first among its reasons
    unless a rule already rules it out."""
    scores = {k: 0 for k in ARCHITECTURES}
    out: set[str] = set()
    for reason in fired:
        out |= reason.rule_out
        for k, d in reason.effects.items():
            scores[k] += d
    measured = measured or {}

    def ranked(k: str) -> Ranked:
        reasons = _order_reasons(k, fired)
        if k in measured:  # it cannot run: that is a reason, the rules that weigh it are not
            reasons = _unique((measured[k], *reasons)) if k in out else (measured[k],)
        verdict = verdict_for(scores[k], k in out or k in measured)
        return Ranked(k, LABELS[k], scores[k], verdict, reasons, can_run=k not in measured)

    return tuple(sorted((ranked(k) for k in ARCHITECTURES), key=rank_key))


def recommend(
    scenario: Scenario | Answers, estimate: Estimate | None = None, rules: tuple[Rule, ...] = RULES
) -> Recommendation:
    """Rank the five architectures for a scenario's answers.

    With `estimate` (a `planner.engine.Estimate`), the numbers are checked too: see `docs/decision-rules.md`.
    """
    if isinstance(scenario, Answers):
        scenario = Scenario.model_validate({"answers": scenario.model_dump(mode="json", exclude_none=True)})
    answers = given = _answers_of(scenario)
    # None: no estimate, or one made without measuring the fit
    ruled: Mapping[str, str] | None = estimate.ruled_out if estimate is not None else None
    fits_note = None
    if estimate is not None and answered_ids(given):  # no verdict before the first answer
        answers, fits_note = measured_fit(answers, estimate.context_misfit, corpus_given(scenario))
        fits_note = estimate.knowledge_base_note or fits_note
    fired = evaluate(answers, rules)
    # what cannot run is ruled out whatever the answers (and is never first, even before an answer)
    ranking = _ranking(fired, _cannot_run(estimate, bool(answered_ids(given))))
    findings: tuple[str, ...] = ()
    if estimate is not None:
        ranking, findings = check_numbers(scenario, ranking, estimate)
        ranking, measured = apply_measured_quality(ranking, estimate)
        findings = (*findings, *measured)
        findings = _unique((*((fits_note,) if fits_note else ()), *(ruled.values() if ruled else ()), *findings))
    # everything is ruled out, or the first has no price (long context outside its window before an answer,
    # beside options a GPU misfit rules out): the pick is one that can run and has numbers (stable: by score)
    priced = set(estimate.priced) if estimate is not None else set(ARCHITECTURES)
    if not ranking[0].can_run or ranking[0].key not in priced:
        ranking = tuple(sorted(ranking, key=lambda r: not r.can_run or r.key not in priced))
    winner = ranking[0]
    return Recommendation(
        ranking=ranking,
        reasons=fired,
        watch_outs=watch_outs_for(winner.key, answers),
        plan=plan_for(winner.key, answers),
        findings=findings,
        answered_ids=answered_ids(given),
        ways_out=_ways_out(fired, ranking, ruled or {}),
        cheapest=_cheapest_open(estimate, ranking),
    )


def _cheapest_open(estimate: Estimate | None, ranking: tuple[Ranked, ...]) -> tuple[str, ...]:
    """The cheapest of the options still open, at the scenario's volume (`numbers.cheapest`)."""
    current = estimate.current if estimate is not None else {}
    costs = {k: float(current[k].monthly_usd) for k in ARCHITECTURES if k in current}
    return cheapest(costs, {r.key for r in ranking if r.ruled_out})


def _ways_out(fired: tuple[Reason, ...], ranking: tuple[Ranked, ...], ruled: Mapping[str, str]) -> tuple[str, ...]:
    """The smallest changes that would make a ruled-out option feasible: each hard rule's fix and each of the
    estimate's rule-outs (which name their fix: a model that self-hosts, the API, a larger window), in
    option order, each once."""
    out: list[str] = []
    for r in ranking:
        if not r.ruled_out:
            continue
        if r.key in ruled:
            out.append(ruled[r.key])
        out += [x.fix for x in fired if r.key in x.rule_out and x.fix]
    return _unique(out)


def _cannot_run(estimate: Estimate | None, answered: bool) -> dict[str, str]:
    """The estimate's ruled-out options, for the ranking. Before the first answer, long context's misfit in the
    context window is left to the answer it measures (the options are then listed simplest first); a model
    that fits no GPU counts always."""
    ruled = estimate.ruled_out if estimate is not None and estimate.ruled_out else {}
    context = estimate.context_misfit if estimate is not None else None
    return {k: v for k, v in ruled.items() if answered or v != context}


def answered_ids(answers: Answers | Scenario) -> tuple[str, ...]:
    """The questions answered, in question order. Every answer counts, the linked numbers too."""
    a = _answers_of(answers)
    return tuple(q.id for q in QUESTIONS if getattr(a, q.id) is not None)


def recommend_for(catalog: Catalog, scenario: Scenario) -> Recommendation:
    """Estimate with the engine, then recommend with the numbers checked."""
    from planner.engine import estimate  # lazy: the engine is optional here

    return recommend(scenario, estimate(catalog, scenario))
