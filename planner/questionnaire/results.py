"""Verdicts from scores, and the result objects a recommendation is made of."""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any, Literal

from planner.model.scenario import ARCHITECTURES
from planner.model.vocabulary import LABELS

# ---------------------------------------------------------------------------
# Verdicts and numbers
# ---------------------------------------------------------------------------

VERDICTS = ("recommended", "viable", "not advised", "ruled out")  # best first
#: A score at or above this is "recommended".
RECOMMEND_AT = 4
#: A score at or above this (and below RECOMMEND_AT) is "viable"; below, "not advised".
VIABLE_AT = -2
#: Score taken off an architecture whose estimated monthly cost is above the budget.
BUDGET_PENALTY = 2
#: Score taken off an architecture whose estimated p95 latency is above the limit.
LATENCY_PENALTY = 2


def verdict_for(score: int, ruled_out: bool, capped: bool = False) -> str:
    """The verdict from a score. `capped`: the numbers forbid "recommended"."""
    if ruled_out:
        return "ruled out"
    if score >= RECOMMEND_AT and not capped:
        return "recommended"
    if score >= VIABLE_AT:
        return "viable"
    return "not advised"


# ---------------------------------------------------------------------------
# Result objects
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    """A rule that fired, with its explanation filled in from the answers."""

    rule: str
    kind: Literal["hard", "soft"]
    text: str
    effects: Mapping[str, int] = field(default_factory=dict)
    rule_out: frozenset[str] = frozenset()
    fix: str = ""  # a hard rule's way out, filled in from the answers ("" when none)

    def effect_text(self) -> str:
        return effects_text(self.effects, self.rule_out)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "kind": self.kind,
            "text": self.text,
            "effects": {k: self.effects[k] for k in ARCHITECTURES if k in self.effects},
            "rules_out": [k for k in ARCHITECTURES if k in self.rule_out],
        }


@dataclass(frozen=True)
class Ranked:
    key: str
    label: str
    score: int
    verdict: str
    reasons: tuple[str, ...]
    #: False when the estimate rules it out (it has no price): never first while another option can run
    can_run: bool = True
    #: the option that dominates it on measured quality (planner.questionnaire.measured), None when none does
    dominated_by: str | None = None

    @property
    def ruled_out(self) -> bool:
        return self.verdict == "ruled out"

    def to_dict(self) -> dict[str, Any]:
        return {
            "architecture": self.key,
            "label": self.label,
            "score": self.score,
            "verdict": self.verdict,
            "reasons": list(self.reasons),
        }


@dataclass(frozen=True)
class Step:
    stage: Literal["first", "next", "later"]
    text: str

    def to_dict(self) -> dict[str, str]:
        return {"stage": self.stage, "text": self.text}


@dataclass(frozen=True)
class Recommendation:
    ranking: tuple[Ranked, ...]  # best first; ruled-out ones last
    reasons: tuple[Reason, ...]  # every rule that fired, in table order
    watch_outs: tuple[str, ...]  # for the winner
    plan: tuple[Step, ...]  # for the winner: first, next, later
    findings: tuple[str, ...] = ()  # from the numbers, when an estimate was given
    answered_ids: tuple[str, ...] = ()  # the questions answered, in question order
    #: the smallest changes that would lift a rule-out (a rule's fix, the estimate's named fix), in order
    ways_out: tuple[str, ...] = ()
    #: the cheapest of the options still open at the scenario's volume (ties share it; none when nothing fits
    #: or without an estimate): the one "cheapest" of every page, the PDF, the CLI and JSON
    cheapest: tuple[str, ...] = ()

    @property
    def winner(self) -> Ranked:
        """The top of the ranking. No rule rules RAG out, so the winner is ruled out only when the estimate
        rules RAG out (its model fits no GPU) and the answers rule out the others; it can run even then
        (`planner.questionnaire.ranking.recommend` puts the options that can run first in that case)."""
        return self.ranking[0]

    @property
    def nothing_fits(self) -> bool:
        """Every option is ruled out: a state, not an error. No option is then recommended or ranked."""
        return all(r.ruled_out for r in self.ranking)

    @property
    def has_verdict(self) -> bool:
        """False before any question is answered: the ranking is then only the simplest-first order."""
        return bool(self.answered_ids)

    def get(self, key: str) -> Ranked:
        for r in self.ranking:
            if r.key == key:
                return r
        raise KeyError(key)

    def to_dict(self) -> dict[str, Any]:
        return {
            "winner": None if self.nothing_fits else self.winner.key,
            "nothing_fits": self.nothing_fits,
            "ways_out": list(self.ways_out),
            "cheapest": list(self.cheapest),
            "ranking": [r.to_dict() for r in self.ranking],
            "reasons": [r.to_dict() for r in self.reasons],
            "watch_outs": list(self.watch_outs),
            "plan": [s.to_dict() for s in self.plan],
            "findings": list(self.findings),
            "answered": list(self.answered_ids),
        }


def effects_text(effects: Mapping[str, int], rule_out: AbstractSet[str]) -> str:
    if rule_out:
        return "rules out " + ", ".join(LABELS[k] for k in ARCHITECTURES if k in rule_out)
    return ", ".join(f"{LABELS[k]} {effects[k]:+d}" for k in ARCHITECTURES if effects.get(k))


def rank_key(r: Ranked) -> tuple[int, int, int]:
    """Verdict class first (recommended > viable > not advised > ruled out), then score, then simplest first:
    a "viable" option capped by the numbers never stands above a "recommended" one."""
    return (VERDICTS.index(r.verdict), -r.score, ARCHITECTURES.index(r.key))


def scoring_text() -> str:
    """How scores become verdicts and a ranking, in one paragraph (the app and the PDF show it)."""
    order = ", ".join(LABELS[k] for k in ARCHITECTURES)
    return (
        f"How to read the scores: every option starts at 0 and each answer's rules add or take points "
        f"(the rule table). A score of {RECOMMEND_AT:+d} or more is “recommended”, {VIABLE_AT:+d} to "
        f"{RECOMMEND_AT - 1:+d} is “viable”, below {VIABLE_AT:+d} is “not advised”; a hard rule rules an "
        f"option out whatever its score, and a ruled-out option is listed last, without a score. The cost "
        f"estimate then takes {BUDGET_PENALTY} points off an option above the monthly budget and "
        f"{LATENCY_PENALTY} off one above a p95 limit, and either keeps it from “recommended”. "
        f"The ranking orders by verdict first (recommended, viable, not advised, ruled out), then by score "
        f"within a verdict, so a high-scoring option kept from “recommended” by the numbers never stands above "
        f"a recommended one. Equal scores rank simplest first: {order}."
    )


def score_text(r: Ranked) -> str:
    """A score as shown: signed, or a dash for a ruled-out option (its score does not rank it)."""
    return "—" if r.ruled_out else f"{r.score:+d}"


#: The headline's word for the first option's verdict: one wording on every page, the PDF and the CLI.
HEADS = {"recommended": "Recommended", "viable": "Leading, not decisive", "not advised": "Least bad"}
NOTHING_FITS = "Nothing fits"


def headline(rec: Recommendation | None) -> str:
    """The decision in one sentence, as every surface states it: the first option with its verdict word and
    score, "nothing fits" when every option is ruled out, or no verdict before the first answer."""
    if rec is None:
        return ""
    if rec.nothing_fits:
        return f"{NOTHING_FITS}: every option is ruled out as set, so none is recommended."
    if not rec.has_verdict:
        return "No recommendation yet: answer the questions on the Decide page."
    w = rec.winner
    return f"{HEADS.get(w.verdict, 'Least bad')}: {w.label} (score {w.score:+d})."


def pick_line(rec: Recommendation) -> str:
    """The pick as the CLI, the web Report and the PDF title it: "Recommendation: RAG (recommended, score +5)"."""
    if rec.nothing_fits:
        return f"Recommendation: none — {NOTHING_FITS.lower()} (every option is ruled out as set)"
    if not rec.has_verdict and not rec.findings:
        return "Recommendation: none yet (no question answered)"
    w = rec.winner
    return f"Recommendation: {w.label} ({w.verdict}, score {score_text(w)})"
