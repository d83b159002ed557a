"""The decision questionnaire: questions, the rule table, and the recommendation.

Everything that decides is *data*, so a reader can audit it and a contributor can
add to it without touching the logic:

* `QUESTIONS`: one `Question` per field of `planner.model.answers.Answers`, with a
  plain-language help text, for a UI to render generically.
* `RULES`: the rule table. A rule has a declarative condition (all of its
  `Cond(field, op, value)` triples must hold; an unanswered question never
  holds), and either rules architectures out (kind "hard") or moves their
  scores (kind "soft"), with an explanation that quotes the answer.
* `WATCH_OUTS` and `PLAN`: what to keep an eye on, and the staged plan, for
  the winning architecture (some items only when a condition holds).

`recommend(scenario, estimate=None)` scores the five architectures from the
answers (every score starts at 0), then, when an engine `Estimate` is given,
checks the numbers: cost at the expected volume against the budget, p95
latency against the limit, and where the break-even volumes fall. Numbers
move scores modestly and never bring back a ruled-out architecture.

The package, by module: `questions` (the questions, how an answer reads),
`conditions` (`Cond`, `C`, `Rule`), `rules` (the rule table), `guidance`
(watch-outs and plan), `results` (verdicts and result objects), `ranking`
(`evaluate`, `recommend`), `numbers` (the check against an estimate),
`render` (text and Markdown).

`python -m planner.questionnaire --markdown` prints the generated part of
`docs/decision-rules.md` (the questions and the rule table).
"""

from planner.questionnaire.conditions import Cond, Rule
from planner.questionnaire.questions import QUESTIONS, Question, template_fields
from planner.questionnaire.ranking import answered_ids, evaluate, recommend, recommend_for
from planner.questionnaire.render import generated_markdown, main, render_text, rules_markdown
from planner.questionnaire.results import (
    BUDGET_PENALTY,
    LATENCY_PENALTY,
    VERDICTS,
    Ranked,
    Recommendation,
    pick_line,
    score_text,
    scoring_text,
    verdict_for,
)
from planner.questionnaire.rules import RULES

__all__ = [
    "BUDGET_PENALTY",
    "Cond",
    "LATENCY_PENALTY",
    "QUESTIONS",
    "Question",
    "RULES",
    "Ranked",
    "Recommendation",
    "Rule",
    "VERDICTS",
    "answered_ids",
    "evaluate",
    "generated_markdown",
    "main",
    "pick_line",
    "recommend",
    "recommend_for",
    "render_text",
    "rules_markdown",
    "score_text",
    "scoring_text",
    "template_fields",
    "verdict_for",
]
