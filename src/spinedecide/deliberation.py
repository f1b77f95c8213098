"""The deliberation: the person's own weighing of reasons, the scored knowledge check, who else is
involved, and their plan. Plain frozen data built by the engine from the answers and the rules;
``to_dict()`` is its JSON form (the report's ``deliberation`` key). No wording lives here.

The weighing never decides: :func:`lean` only says whether the person's own ratings clearly point
one way, by the rules file's stated rule (``decision_support.weighing.clear_gap``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .conditions import UNKNOWN
from .rules import Factor, QuizItem, Ruleset, Weighing

Named = tuple[str, str]  # (id, label or title)


@dataclass(frozen=True)
class Card:
    """Where in the report a reason or a knowledge-check answer is explained: a finding of an option."""

    finding: str
    title: str
    option: str
    option_title: str
    outcome: str | None = None
    outcome_title: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"finding": self.finding, "option": self.option, "outcome": self.outcome}


@dataclass(frozen=True)
class RatedReason:
    id: str
    kind: str  # the kind of option it is a reason to choose
    text: str
    card: Card | None
    sources: tuple[str, ...]
    stars: int | None  # None: not rated
    rated_by: str | None  # the answer it came from: weigh_<id>, or a value_* answer mapped onto it

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "text": self.text,
            "stars": self.stars,
            "rated_by": self.rated_by,
            "card": self.card.to_dict() if self.card else None,
            "sources": list(self.sources),
        }


@dataclass(frozen=True)
class Side:
    """One kind of option: its options in this report, and the sum of its reasons' stars."""

    kind: str
    options: tuple[Named, ...]
    stars: int
    rated: int
    reasons: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "options": [i for i, _t in self.options],
            "stars": self.stars,
            "rated": self.rated,
            "reasons": self.reasons,
        }


@dataclass(frozen=True)
class WeighingView:
    reasons: tuple[RatedReason, ...]
    sides: tuple[Side, ...]
    result: str  # leans | no_clear_gap | not_all_rated
    leans_to: str | None  # an option kind, only when result == "leans"
    gap_stars: int
    gap_share: float
    not_counted: tuple[tuple[str, str, str], ...] = ()  # (factor, question, answer label): value_* with no reason here

    def to_dict(self) -> dict[str, Any]:
        return {
            "reasons": [r.to_dict() for r in self.reasons],
            "sides": [s.to_dict() for s in self.sides],
            "result": self.result,
            "leans_to": self.leans_to,
            "rule": {"stars": self.gap_stars, "share": self.gap_share},
            "not_counted": [f for f, _q, _a in self.not_counted],
        }


@dataclass(frozen=True)
class QuizAnswer:
    id: str
    statement: str
    answer: bool
    given: str | None  # true | false | unsure | None (not answered)
    explanation: str
    sources: tuple[str, ...]
    card: Card | None

    @property
    def right(self) -> bool:
        return self.given == ("true" if self.answer else "false")

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "given": self.given,
            "right": self.right,
            "card": self.card.to_dict() if self.card else None,
        }


@dataclass(frozen=True)
class QuizView:
    items: tuple[QuizAnswer, ...]

    @property
    def right(self) -> int:
        return sum(1 for q in self.items if q.right)

    @property
    def answered(self) -> int:
        return sum(1 for q in self.items if q.given is not None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "right": self.right,
            "answered": self.answered,
            "out_of": len(self.items),
            "items": [q.to_dict() for q in self.items],
        }


@dataclass(frozen=True)
class SupportView:
    involved: tuple[Named, ...]
    prefers: Named | None
    pressure: Named | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "involved": [i for i, _l in self.involved],
            "prefers": self.prefers[0] if self.prefers else None,
            "pressure": self.pressure[0] if self.pressure else None,
        }


@dataclass(frozen=True)
class PlanView:
    steps: tuple[Named, ...]
    try_what: str | None
    try_weeks: int | None
    decide_by: str | None  # ISO date, checked against the clock when the answers were validated
    questions: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "steps": [i for i, _l in self.steps],
            "try_what": self.try_what,
            "try_weeks": self.try_weeks,
            "decide_by": self.decide_by,
            "questions": list(self.questions),
        }


@dataclass(frozen=True)
class Deliberation:
    weighing: WeighingView | None = None
    quiz: QuizView | None = None
    support: SupportView | None = None
    plan: PlanView | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "weighing": self.weighing.to_dict() if self.weighing else None,
            "quiz": self.quiz.to_dict() if self.quiz else None,
            "support": self.support.to_dict() if self.support else None,
            "plan": self.plan.to_dict() if self.plan else None,
        }


# -- building ----------------------------------------------------------------------------------


def build(ruleset: Ruleset, values: Mapping[str, Any], options: tuple[Named, ...]) -> Deliberation:
    """The deliberation for one person: ``options`` are the (id, title) of the report's options."""
    support = ruleset.support
    quiz = tuple(q for q in support.knowledge_check if q.when is None or q.when(values))
    cards = _cards(ruleset, {o for o, _t in options})
    weighing = _weighing(ruleset, support.weighing, values, options, cards) if support.weighing and options else None
    return Deliberation(
        weighing=weighing,
        quiz=_quiz(quiz, values, cards),
        support=_support(ruleset, support.support_factors, values),
        plan=_plan(ruleset, support.plan_factors, values),
    )


def _known(values: Mapping[str, Any], factor: str | None) -> Any:
    value = values.get(factor) if factor else None
    return None if value is None or value == UNKNOWN else value


def _cards(ruleset: Ruleset, option_ids: set[str]) -> dict[str, Card]:
    """Every finding of the report's options, as a card a reason or an answer can point to."""
    out = {}
    for option_id in option_ids:
        option = ruleset.options[option_id]
        for f in (*option.benefits, *option.risks, *option.recovery):
            outcome = f.estimate.outcome if f.estimate else None
            title = ruleset.outcomes[outcome].title if outcome is not None and outcome in ruleset.outcomes else None
            out[f.id] = Card(f.id, f.title, option.id, option.title, outcome, title)
    return out


def _weighing(
    ruleset: Ruleset,
    weighing: Weighing,
    values: Mapping[str, Any],
    options: tuple[Named, ...],
    cards: Mapping[str, Card],
) -> WeighingView | None:
    condition = values.get("condition")
    reasons = [r for r in weighing.reasons if condition in r.conditions]
    rated = []
    for r in reasons:
        stars: int | None = _known(values, r.factor)
        rated_by: str | None = r.factor
        if stars is None:  # the old "what matters" answers: the highest of those that map onto it
            mapped = [(weighing.from_values[v], f) for f in r.values if (v := _known(values, f)) is not None]
            stars, rated_by = max(mapped) if mapped else (None, None)
        rated.append(RatedReason(r.id, r.kind, r.text, cards.get(r.finding), r.sources, stars, rated_by))
    used = {f for r in reasons for f in r.values}
    not_counted = tuple(
        (f.id, f.question, f.label_of(values[f.id])) for f in _value_factors(ruleset, weighing) if f.id not in used
        and _known(values, f.id) is not None
    )  # fmt: skip
    if not rated or (all(r.stars is None for r in rated) and not not_counted):
        return None
    kinds = [o.kind for o in (ruleset.options[i] for i, _t in options)]
    sides = tuple(
        Side(
            kind,
            tuple((i, t) for i, t in options if ruleset.options[i].kind == kind),
            sum(r.stars or 0 for r in rated if r.kind == kind),
            sum(1 for r in rated if r.kind == kind and r.stars is not None),
            sum(1 for r in rated if r.kind == kind),
        )
        for kind in dict.fromkeys(kinds)
    )
    result, leans_to = lean(sides, weighing.gap_stars, weighing.gap_share)
    return WeighingView(tuple(rated), sides, result, leans_to, weighing.gap_stars, weighing.gap_share, not_counted)


def lean(sides: tuple[Side, ...], gap_stars: int, gap_share: float) -> tuple[str, str | None]:
    """Whether the person's own ratings clearly point one way: every reason rated, and the largest
    sum ahead of every other by at least ``gap_stars`` stars and ``gap_share`` of itself."""
    if any(s.rated < s.reasons for s in sides) or len(sides) < 2:
        return "not_all_rated", None
    ranked = sorted(sides, key=lambda s: -s.stars)
    gap = ranked[0].stars - ranked[1].stars
    if gap >= gap_stars and gap >= gap_share * ranked[0].stars:
        return "leans", ranked[0].kind
    return "no_clear_gap", None


def _value_factors(ruleset: Ruleset, weighing: Weighing) -> list[Factor]:
    """The old "what matters" questions (those the reasons may map from), in file order."""
    named = {f for r in weighing.reasons for f in r.values}
    return [f for f in ruleset.factors.values() if f.id in named]


def _quiz(items: tuple[QuizItem, ...], values: Mapping[str, Any], cards: Mapping[str, Card]) -> QuizView | None:
    if not any(_known(values, q.id) is not None for q in items):
        return None  # nothing answered: the report shows the statements with their answers, as before
    return QuizView(
        tuple(
            QuizAnswer(
                q.id,
                q.statement,
                q.answer,
                _known(values, q.id),
                q.explanation,
                q.sources,
                next((cards[f] for f in q.findings if f in cards), None),
            )
            for q in items
        )
    )


def _labels(ruleset: Ruleset, factor: str | None, value: Any) -> tuple[Named, ...]:
    f = ruleset.factors.get(factor or "")
    chosen = value if isinstance(value, list | tuple) else [value]
    return tuple((str(v), f.label_of(v) if f else str(v)) for v in chosen if v is not None and v != UNKNOWN)


def _support(ruleset: Ruleset, names: Mapping[str, str], values: Mapping[str, Any]) -> SupportView | None:
    got = {role: _known(values, names.get(role)) for role in ("involved", "prefers", "pressure")}
    if all(v is None for v in got.values()):
        return None
    prefers = _labels(ruleset, names.get("prefers"), got["prefers"])
    pressure = _labels(ruleset, names.get("pressure"), got["pressure"])
    return SupportView(
        _labels(ruleset, names.get("involved"), got["involved"]),
        prefers[0] if prefers else None,
        pressure[0] if pressure else None,
    )


def _plan(ruleset: Ruleset, names: Mapping[str, str], values: Mapping[str, Any]) -> PlanView | None:
    got = {
        role: _known(values, names.get(role)) for role in ("steps", "try_what", "try_weeks", "decide_by", "questions")
    }
    if all(v is None for v in got.values()):
        return None
    questions = got["questions"]
    return PlanView(
        _labels(ruleset, names.get("steps"), got["steps"]),
        got["try_what"],
        got["try_weeks"],
        got["decide_by"],
        tuple(questions if isinstance(questions, list | tuple) else [questions] if questions else []),
    )
