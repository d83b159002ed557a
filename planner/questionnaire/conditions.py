"""Conditions over the answers (`Cond`, `C`) and the `Rule` a line of the rule table is."""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

from planner.model.answers import Answers
from planner.model.scenario import ARCHITECTURES
from planner.questionnaire.questions import QUESTION_BY_ID, fill, plain_value, template_fields
from planner.questionnaire.results import effects_text

# ---------------------------------------------------------------------------
# Conditions
# ---------------------------------------------------------------------------

Op = Literal["==", "!=", "<", "<=", ">", ">=", "in"]
_OPS: dict[str, str] = {
    "==": "=",
    "!=": "≠",
    "<": "<",
    "<=": "≤",
    ">": ">",
    ">=": "≥",
    "in": "in",
}
_COMPARE = ("<", "<=", ">", ">=")


def _choice_order(field: str) -> tuple[str, ...] | None:
    """The choices of a choice answer, in the question's order (comparisons of an ordered one use it)."""
    q = QUESTION_BY_ID.get(field)
    return tuple(v for v, _ in q.choices) if q is not None and q.kind == "choice" else None


@dataclass(frozen=True)
class Cond:
    """`field op value` over one answer. Never holds when the answer is unanswered."""

    field: str
    op: Op
    value: Any  # a choice, a yes/no, a number, or (op "in") a frozenset of choices

    def __post_init__(self) -> None:
        if self.field not in Answers.model_fields:
            raise ValueError(f"unknown answer {self.field!r} in a rule condition")
        if self.op not in _OPS:
            raise ValueError(f"unknown operator {self.op!r}")
        if self.op == "in":
            object.__setattr__(self, "value", frozenset(plain_value(v) for v in self.value))
        else:
            object.__setattr__(self, "value", plain_value(self.value))
        q = QUESTION_BY_ID.get(self.field)
        if q is not None and q.kind == "choice":
            known = {v for v, _ in q.choices}
            for v in self.value if self.op == "in" else (self.value,):
                if v not in known:
                    raise ValueError(f"{self.field}: unknown choice {v!r}")
            if self.op in _COMPARE and not q.ordered:
                raise ValueError(
                    f"{self.field}: its choices have no order (Question.ordered), so {self.op} means nothing"
                )

    def holds(self, answers: Answers) -> bool:
        raw = getattr(answers, self.field)
        if raw is None:
            return False
        a, b = plain_value(raw), self.value
        if self.op == "in":
            return a in b
        if self.op == "==":
            return a == b
        if self.op == "!=":
            return a != b
        order = _choice_order(self.field)
        if order is not None:
            a, b = order.index(a), order.index(b)
        return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[self.op]

    def describe(self) -> str:
        v = self.value
        if isinstance(v, bool):
            shown = "yes" if v else "no"
        elif isinstance(v, frozenset):
            order = _choice_order(self.field) or ()
            shown = "{" + ", ".join(sorted(v, key=order.index)) + "}"
        elif isinstance(v, (int, float)):
            shown = f"{v:,}"
        else:
            shown = str(v)
        return f"{self.field} {_OPS[self.op]} {shown}"


def C(field: str, op: Op, value: Any) -> Cond:  # noqa: N802 - short on purpose, for the table
    return Cond(field, op, value)


# ---------------------------------------------------------------------------
# Rules
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """One line of the rule table.

    kind "hard": `rule_out` names the architectures the condition excludes.
    kind "soft": `effects` maps architectures to score deltas.
    """

    id: str
    condition: tuple[Cond, ...]
    explanation: str
    kind: Literal["hard", "soft"]
    effects: Mapping[str, int] = field(default_factory=dict)
    rule_out: AbstractSet[str] = frozenset()  # frozen in __post_init__
    #: a hard rule's way out: the smallest change that would lift it (empty: a requirement, not a setting)
    fix: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "effects", MappingProxyType(dict(self.effects)))
        object.__setattr__(self, "rule_out", frozenset(self.rule_out))
        if not self.condition:
            raise ValueError(f"rule {self.id}: needs a condition")
        unknown = (set(self.effects) | self.rule_out) - set(ARCHITECTURES)
        if unknown:
            raise ValueError(f"rule {self.id}: unknown architectures {sorted(unknown)}")
        if self.kind == "hard" and (not self.rule_out or self.effects):
            raise ValueError(f"rule {self.id}: a hard rule rules out and does not weigh")
        if self.kind == "soft" and (self.rule_out or not self.effects):
            raise ValueError(f"rule {self.id}: a soft rule weighs and does not rule out")
        quoted = template_fields(self.explanation) | template_fields(self.fix)
        conditioned = {c.field for c in self.condition}
        if not quoted <= conditioned:
            raise ValueError(f"rule {self.id}: explanation quotes {sorted(quoted - conditioned)}, not in its condition")

    def applies(self, answers: Answers) -> bool:
        return all(c.holds(answers) for c in self.condition)

    def explain(self, answers: Answers) -> str:
        return fill(self.explanation, answers)

    def fix_text(self, answers: Answers) -> str:
        return fill(self.fix, answers) if self.fix else ""

    def effect_text(self) -> str:
        return effects_text(self.effects, self.rule_out)
