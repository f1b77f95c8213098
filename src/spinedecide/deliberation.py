"""The deliberation: the person's own weighing of reasons, the scored knowledge check, who else is
involved, and their plan. Frozen structs built by the engine from the answers and the rules,
that *are* the report's ``deliberation`` key (1.3): like the rest of the report (``report.py``)
their fields are the JSON's keys, encoded as they stand, and the report schema is generated from
them. The titles and labels the renderers need (render/deliberation.py) ride along without
becoming keys: in :class:`~spinedecide.views.Titled` ids or a :class:`~spinedecide.views.Worded`
view's ``__dict__``, read through the old attribute names. No wording lives here.

The weighing never decides: :func:`lean` only says whether the person's own ratings clearly point
one way, by the rules file's stated rule (``decision_support.weighing.clear_gap``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from msgspec import Meta, field
from msgspec.structs import force_setattr

from .conditions import UNKNOWN
from .memo import for_condition, memo_for
from .rules import Factor, QuizItem, Ruleset, Weighing
from .rules.shape import OPTION_KINDS
from .views import Ids, Titled, View, Worded, enum_meta, titled

Named = tuple[str, str]  # (id, label or title)
Count = Annotated[int, Meta(ge=0)]
Kind = Annotated[str, enum_meta(OPTION_KINDS)]
Chosen = str | None  # a choice id, or None when not answered


class Card(Worded, frozen=True):
    """Where in the report a reason or a knowledge-check answer is explained: a finding of an
    option. Its title, the option's and the outcome's ride along as words (not in the JSON)."""

    finding: str
    option: str
    outcome: str | None = None

    @classmethod
    def of(
        cls,
        finding: str,
        title: str,
        option: str,
        option_title: str,
        outcome: str | None = None,
        outcome_title: str | None = None,
    ) -> Card:
        out: Card = cls(finding, option, outcome).with_words(
            title=title, option_title=option_title, outcome_title=outcome_title
        )
        return out

    @property
    def title(self) -> str:
        return str(self.word("title", self.finding))

    @property
    def option_title(self) -> str:
        return str(self.word("option_title", self.option))

    @property
    def outcome_title(self) -> str | None:
        title: str | None = self.word("outcome_title")
        return title


class RatedReason(View, frozen=True):
    id: str
    kind: Kind  # the kind of option it is a reason to choose
    text: str
    stars: Annotated[int, Meta(ge=0, le=5)] | None  # None: not rated
    rated_by: str | None  # the answer it came from: weigh_<id>, or a value_* answer mapped onto it
    card: Card | None
    sources: Ids


class Side(View, frozen=True):
    """One kind of option: its options in this report, and the sum of its reasons' stars."""

    kind: Kind
    option_ids: Ids = field(name="options")  # a Titled: each option's title rides along
    stars: Count = 0
    rated: Count = 0
    reasons: Count = 0

    @classmethod
    def of(cls, kind: str, options: tuple[Named, ...], stars: int, rated: int, reasons: int) -> Side:
        return cls(kind, Titled(options), stars, rated, reasons)

    @property
    def options(self) -> tuple[Named, ...]:
        """(option id, title) for each option."""
        return titled(self.option_ids)


class GapRule(View, frozen=True):
    """The rules file's stated rule for a clear lean: a gap of ``stars`` and of ``share`` of the larger sum."""

    stars: Count
    share: Annotated[float, Meta(ge=0, le=1)]


class WeighingView(View, frozen=True):
    reasons: tuple[RatedReason, ...]
    sides: tuple[Side, ...]
    result: Annotated[str, enum_meta(("leans", "no_clear_gap", "not_all_rated"))]
    leans_to: Annotated[str | None, enum_meta(OPTION_KINDS, nullable=True)]  # only when result == "leans"
    rule: GapRule
    not_counted_ids: Ids = field(default=(), name="not_counted")  # a Titled: (question, answer label) ride along

    @classmethod
    def of(
        cls,
        reasons: tuple[RatedReason, ...],
        sides: tuple[Side, ...],
        result: str,
        leans_to: str | None,
        gap_stars: int,
        gap_share: float,
        not_counted: tuple[tuple[str, str, str], ...] = (),
    ) -> WeighingView:
        words = Titled((f, (q, a)) for f, q, a in not_counted)
        return cls(reasons, sides, result, leans_to, GapRule(gap_stars, gap_share), words)

    @property
    def gap_stars(self) -> int:
        return self.rule.stars

    @property
    def gap_share(self) -> float:
        return self.rule.share

    @property
    def not_counted(self) -> tuple[tuple[str, str, str], ...]:
        """(factor, question, answer label): value_* answers with no reason here."""
        return tuple((f, *w) if isinstance(w, tuple) else (f, f, "") for f, w in titled(self.not_counted_ids))


class QuizAnswer(Worded, frozen=True):
    """One knowledge-check answer; the statement, the right answer, its explanation and sources
    ride along as words (the JSON names the item by id)."""

    id: str
    given: Annotated[str | None, enum_meta(("true", "false", "unsure"), nullable=True)]  # None: not answered
    right: bool  # whether ``given`` is the right answer
    card: Card | None

    @classmethod
    def of(
        cls,
        id: str,
        statement: str,
        answer: bool,
        given: str | None,
        explanation: str,
        sources: tuple[str, ...],
        card: Card | None,
    ) -> QuizAnswer:
        view = cls(id, given, given == ("true" if answer else "false"), card)
        out: QuizAnswer = view.with_words(statement=statement, answer=answer, explanation=explanation, sources=sources)
        return out

    @property
    def statement(self) -> str:
        return str(self.word("statement", ""))

    @property
    def answer(self) -> bool:
        return bool(self.word("answer", False))

    @property
    def explanation(self) -> str:
        return str(self.word("explanation", ""))

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(self.word("sources", ()))


class QuizScore(View, frozen=True, kw_only=True):
    """The scored knowledge check (its counts are made from the items)."""

    right: Count = 0  # the counts are always made from the items (set from them)
    answered: Count = 0
    out_of: Count = 0
    items: tuple[QuizAnswer, ...]

    def __post_init__(self) -> None:
        force_setattr(self, "right", sum(1 for q in self.items if q.right))
        force_setattr(self, "answered", sum(1 for q in self.items if q.given is not None))
        force_setattr(self, "out_of", len(self.items))


class SupportView(Worded, frozen=True):
    """Who else is involved: choice ids in the JSON; their labels ride along as words."""

    involved_ids: Ids = field(name="involved")  # a Titled: each label rides along
    prefers_id: Chosen = field(name="prefers")
    pressure_id: Chosen = field(name="pressure")

    @classmethod
    def of(cls, involved: tuple[Named, ...], prefers: Named | None, pressure: Named | None) -> SupportView:
        view = cls(Titled(involved), prefers[0] if prefers else None, pressure[0] if pressure else None)
        out: SupportView = view.with_words(prefers=prefers, pressure=pressure)
        return out

    @property
    def involved(self) -> tuple[Named, ...]:
        """(choice id, label) for each."""
        return titled(self.involved_ids)

    @property
    def prefers(self) -> Named | None:
        return self._named("prefers", self.prefers_id)

    @property
    def pressure(self) -> Named | None:
        return self._named("pressure", self.pressure_id)

    def _named(self, name: str, ident: str | None) -> Named | None:
        words: Named | None = self.word(name)
        return words if words is not None else (ident, ident) if ident is not None else None


class PlanView(View, frozen=True):
    steps_ids: Ids = field(name="steps")  # a Titled: each step's label rides along
    try_what: str | None
    try_weeks: Annotated[int, Meta(ge=1)] | None
    decide_by: Annotated[str, Meta(extra_json_schema={"format": "date"})] | None  # ISO date, checked when validated
    questions: Ids

    @classmethod
    def of(
        cls,
        steps: tuple[Named, ...],
        try_what: str | None,
        try_weeks: int | None,
        decide_by: str | None,
        questions: tuple[str, ...],
    ) -> PlanView:
        return cls(Titled(steps), try_what, try_weeks, decide_by, questions)

    @property
    def steps(self) -> tuple[Named, ...]:
        """(choice id, label) for each step."""
        return titled(self.steps_ids)


class Deliberation(View, frozen=True):
    """The report's ``deliberation`` (1.3): the weighing of reasons, the scored quiz, support, the plan."""

    weighing: WeighingView | None = None
    quiz: QuizScore | None = None
    support: SupportView | None = None
    plan: PlanView | None = None


# -- building ----------------------------------------------------------------------------------


def build(ruleset: Ruleset, values: Mapping[str, Any], options: tuple[Named, ...]) -> Deliberation:
    """The deliberation for one person: ``options`` are the (id, title) of the report's options."""
    support = ruleset.support
    quiz = tuple(q for q in for_condition(ruleset, support.knowledge_check, values) if q.when is None or q.when(values))
    cards = memo_for(ruleset).get("cards", tuple(sorted(o for o, _t in options)), lambda: _cards(ruleset, options))
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


def _cards(ruleset: Ruleset, options: tuple[Named, ...]) -> Mapping[str, Card]:
    """Every finding of the report's options, as a card a reason or an answer can point to (the
    same for everyone offered these options: kept in the ruleset's memo, and only read)."""
    out = {}
    for option_id in sorted({o for o, _t in options}):
        option = ruleset.options[option_id]
        for f in (*option.benefits, *option.risks, *option.recovery):
            outcome = f.estimate.outcome if f.estimate else None
            title = ruleset.outcomes[outcome].title if outcome is not None and outcome in ruleset.outcomes else None
            out[f.id] = Card.of(f.id, f.title, option.id, option.title, outcome, title)
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
        rated.append(RatedReason(r.id, r.kind, r.text, stars, rated_by, cards.get(r.finding), tuple(r.sources)))
    used = {f for r in reasons for f in r.values}
    asked_before = memo_for(ruleset).get("value_factors", "", lambda: _value_factors(ruleset, weighing))
    not_counted = tuple(
        (f.id, f.question, f.label_of(values[f.id])) for f in asked_before if f.id not in used
        and _known(values, f.id) is not None
    )  # fmt: skip
    if not rated or (all(r.stars is None for r in rated) and not not_counted):
        return None
    kinds = [o.kind for o in (ruleset.options[i] for i, _t in options)]
    sides = tuple(
        Side.of(
            kind,
            tuple((i, t) for i, t in options if ruleset.options[i].kind == kind),
            sum(r.stars or 0 for r in rated if r.kind == kind),
            sum(1 for r in rated if r.kind == kind and r.stars is not None),
            sum(1 for r in rated if r.kind == kind),
        )
        for kind in dict.fromkeys(kinds)
    )
    result, leans_to = lean(sides, weighing.gap_stars, weighing.gap_share)
    return WeighingView.of(tuple(rated), sides, result, leans_to, weighing.gap_stars, weighing.gap_share, not_counted)


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


def _quiz(items: tuple[QuizItem, ...], values: Mapping[str, Any], cards: Mapping[str, Card]) -> QuizScore | None:
    if not any(_known(values, q.id) is not None for q in items):
        return None  # nothing answered: the report shows the statements with their answers, as before
    return QuizScore(
        items=tuple(
            QuizAnswer.of(
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
    return SupportView.of(
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
    return PlanView.of(
        _labels(ruleset, names.get("steps"), got["steps"]),
        got["try_what"],
        got["try_weeks"],
        got["decide_by"],
        tuple(questions if isinstance(questions, list | tuple) else [questions] if questions else []),
    )
