"""The Report: plain data produced by the engine, in exactly the shape of its JSON (the public contract).

Each struct below *is* a JSON object of the report: its fields, in order, are the object's keys,
in order (``name=`` where the key is not the Python name), and msgspec encodes the report as it
stands (``spinedecide.render.json``). The report schema (``spinedecide.schema.report_schema``) is
generated from these same definitions, so the JSON, its schema and ``Report.to_dict()`` cannot
drift apart. Nothing here renders; renderers read a Report and know nothing of rules.

**Adding a key to the JSON is one line here**: a field with a default, in the place the key
goes (for example ``weighing: WeighingView | None = None`` in :class:`Report`, or
``condition: str | None = None`` in :class:`FindingView`; a new object is a new struct here).
The encoder, ``to_dict()`` and the schema follow from it; nothing else is written by hand. Then
(CONTRIBUTING.md, "Contracts to keep") bump ``SCHEMA_VERSION``'s minor number, list the key in
``schema.ADDITIONS`` under that version, in the README and CHANGELOG.md, and rewrite the shipped
schemas (``spinedecide schema --write-dir src/spinedecide/schemas``). In a ``kw_only`` struct
(Report, FindingView, FigureView, ...) a field with a default can go anywhere; in a positional
one, after its last field without a default (or make it ``kw_only``).

Words the renderers need that the JSON does not carry (an option's title beside its id, the
titles of the rules a cap held back, the question and answer labels) travel with the data
without becoming keys: in the containers that hold the ids (:class:`Titled`, :class:`Answers`)
or, for :class:`PairView`, in the instance's ``__dict__`` (msgspec's ``dict=True``: never
encoded). The old attribute names (``estimate.typical_low``, ``report.grid_rows`` as pairs, ...)
are kept as properties, and the ``of`` constructors take the engine's words.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Annotated, Any, Literal, TypedDict

from msgspec import Meta, field
from msgspec.structs import force_setattr

from . import urgency as _urgency
from .deliberation import Deliberation
from .rules.shape import BOUNDS, CERTAINTY_LEVELS, DENOMINATORS, EVIDENCE_KINDS, OPTION_KINDS, PRIORITY_FITS
from .urgency import DEFAULT_LEVEL, LEVELS
from .views import Titled, View, enum_meta, titled

#: The report's version; the keys each minor version added are listed in ``schema.ADDITIONS``.
SCHEMA_VERSION = "1.3"


# Value types: what each is in the schema (the JSON holds plain strings and numbers).
Figure = Annotated[float, Meta(ge=0, le=100)]  # "in 100"
Level = Annotated[str, enum_meta(CERTAINTY_LEVELS)]
Evidence = Annotated[str, enum_meta(EVIDENCE_KINDS)]
Bound = Annotated[str | None, enum_meta(BOUNDS, nullable=True)]
Denominator = Annotated[int, enum_meta(DENOMINATORS)]
Urgency = Annotated[str, enum_meta(LEVELS)]
Ids = tuple[str, ...]
WHY_UNCHANGED = ("unknown", "not_answered", "capped", "no_subgroup_figure", "no_change")


def _num(value: float) -> float:
    """A whole number as an int, so that it is written ``5``, not ``5.0`` (as the JSON always was)."""
    return int(value) if float(value).is_integer() else value


class Outcomes(Titled):
    """The key outcomes' ids (their titles ride along), and ``titles``: every outcome's title,
    for the renderers' headings (not in the JSON)."""

    titles: dict[str, str]

    def __new__(cls, pairs: Iterable[tuple[str, Any]] = (), titles: Mapping[str, str] | None = None) -> Outcomes:
        out = super().__new__(cls, pairs)
        assert isinstance(out, Outcomes)
        out.titles = dict(titles or {})
        return out

    def __reduce__(self) -> tuple[Any, ...]:
        return (Outcomes, (titled(self), self.titles))


class Answers(dict[str, Any]):
    """The answers, as the JSON has them, with the words to show them: ``questions`` (factor ->
    question) and ``labels`` (factor -> value -> label)."""

    questions: dict[str, str]
    labels: dict[str, dict[str, str]]

    def __reduce__(self) -> tuple[Any, ...]:
        return (_answers, (dict(self), self.questions, self.labels))


def _answers(values: dict[str, Any], questions: dict[str, str], labels: dict[str, dict[str, str]]) -> Answers:
    out = Answers(values)
    out.questions, out.labels = questions, labels
    return out


class CertaintyView(View, frozen=True):
    """GRADE level (high, moderate, low, very_low) and the content team's short reason."""

    level: Level
    reason: str


class PairView(View, frozen=True, dict=True):
    """Another option's finding for the same outcome, and whether it comes from the same study."""

    option: str
    finding: str
    same_study: bool
    reason: str | None = None

    @classmethod
    def of(cls, option: str, option_title: str, finding: str, same_study: bool, reason: str | None) -> PairView:
        view = cls(option, finding, same_study, reason)
        view.__dict__["option_title"] = option_title
        return view

    @property
    def option_title(self) -> str:
        """The other option's title (not in the JSON, which names the option by id)."""
        title: str = self.__dict__.get("option_title", self.option)
        return title

    def __reduce__(self) -> tuple[Any, ...]:
        return (PairView.of, (self.option, self.option_title, self.finding, self.same_study, self.reason))


class UnchangedView(View, frozen=True):
    """Answers that could not change a figure, and why: unknown, not_answered, capped,
    no_subgroup_figure (the rule has only a note) or no_change (another figure or rounding won)."""

    rule: str
    why: Annotated[str, enum_meta(WHY_UNCHANGED)]
    factors: Ids  # a Titled: each factor's (question, the answer in words) ride along

    @classmethod
    def of(cls, rule: str, why: str, answers: Iterable[tuple[str, str, str]]) -> UnchangedView:
        return cls(rule, why, Titled((f, (q, a)) for f, q, a in answers))

    @property
    def answers(self) -> tuple[tuple[str, str, str], ...]:
        """(factor, question, the answer in words) for each factor."""
        return tuple((f, *words) if isinstance(words, tuple) else (f, f, "") for f, words in titled(self.factors))


class TypicalView(View, frozen=True):
    """The typical figure, for people in general (before tailoring)."""

    low: Figure
    high: Figure
    timeframe: str
    certainty: CertaintyView | None


class SpanView(View, frozen=True):
    low: Figure
    high: Figure


class FigureView(View, frozen=True, kw_only=True):
    """A figure: ``low``/``high`` "in 100" for this person, the typical figure, and how sure it is.
    ``per`` is always 100 in the JSON; ``shown_per`` is the denominator the person sees."""

    low: Figure
    high: Figure
    in_100: Literal[100] = field(default=100, name="per")
    timeframe: str
    typical: TypicalView
    capped: bool = False
    tailored: bool
    approximate: bool
    reference_class: str
    evidence: Evidence
    spread: SpanView | None = field(default=None, name="range")
    bound: Bound = None  # "up_to" or "at_least": both figures are limits, not estimates
    held_back: Ids = field(default=(), name="not_counted")  # rules whose ratios the cap held back
    outcome: str | None = None
    certainty: CertaintyView | None = None  # of the figure shown as low/high
    shown_per: Denominator = 100
    pictured: bool = True  # False: said in words only (very low certainty, weak source, or per > 100)
    counts_too: Ids = field(default=(), name="includes")  # findings this composite figure counts

    @classmethod
    def of(
        cls,
        low: float,
        high: float,
        typical_low: float,
        typical_high: float,
        timeframe: str,
        reference_class: str,
        evidence: str,
        approximate: bool,
        tailored: bool,
        range: tuple[float, float] | None = None,
        capped: bool = False,
        typical_timeframe: str = "",
        bound: str | None = None,
        not_counted: Iterable[tuple[str, str]] = (),
        outcome: str | None = None,
        certainty: CertaintyView | None = None,
        typical_certainty: CertaintyView | None = None,
        per: int = 100,
        pictured: bool = True,
        includes: Iterable[tuple[str, str]] = (),
    ) -> FigureView:
        """From the engine's words: (id, title) pairs, the typical figure's parts, ``per`` as shown."""
        typical = TypicalView(_num(typical_low), _num(typical_high), typical_timeframe or timeframe, typical_certainty)
        return cls(
            low=_num(low),
            high=_num(high),
            timeframe=timeframe,
            typical=typical,
            capped=capped,
            tailored=tailored,
            approximate=approximate,
            reference_class=reference_class,
            evidence=evidence,
            spread=SpanView(_num(range[0]), _num(range[1])) if range else None,
            bound=bound,
            held_back=Titled(not_counted),
            outcome=outcome,
            certainty=certainty,
            shown_per=per,
            pictured=pictured,
            counts_too=Titled(includes),
        )

    # The names renderers read.
    @property
    def typical_low(self) -> float:
        return self.typical.low

    @property
    def typical_high(self) -> float:
        return self.typical.high

    @property
    def typical_timeframe(self) -> str:
        return self.typical.timeframe

    @property
    def typical_certainty(self) -> CertaintyView | None:
        return self.typical.certainty

    @property
    def per(self) -> int:
        """The denominator the person sees (``shown_per``); low/high stay "in 100"."""
        return self.shown_per

    @property
    def range(self) -> tuple[float, float] | None:
        return (self.spread.low, self.spread.high) if self.spread else None

    @property
    def not_counted(self) -> tuple[tuple[str, str], ...]:
        """(rule id, title): the rules whose ratios the cap held back."""
        return titled(self.held_back)

    @property
    def includes(self) -> tuple[tuple[str, str], ...]:
        """(finding id, title): what this composite figure counts too."""
        return titled(self.counts_too)


class FindingView(View, frozen=True, kw_only=True):
    id: str
    kind: Annotated[str, enum_meta(("benefit", "risk", "recovery", "consideration"))]
    title: str
    text: str
    estimate: FigureView | None
    no_figure: str | None = None
    notes: Ids = ()
    sources: Ids
    rules: Ids = ()
    compared_with: tuple[PairView, ...] = ()
    unchanged_by: tuple[UnchangedView, ...] = ()


class LivingView(TypedDict):
    """What living with an option is like (each aspect a sentence), and its sources."""

    physical: str
    emotional: str
    social: str
    sources: list[str]


class OptionView(View, frozen=True, kw_only=True):
    id: str
    kind: Annotated[str, enum_meta(OPTION_KINDS)]
    title: str
    summary: str
    grid: dict[str, str] = {}  # grid row id -> this option's answer to it
    living_json: LivingView | None = field(default=None, name="living")
    benefits: tuple[FindingView, ...]
    risks: tuple[FindingView, ...]
    recovery: tuple[FindingView, ...]

    @classmethod
    def of(
        cls,
        id: str,
        kind: str,
        title: str,
        summary: str,
        benefits: tuple[FindingView, ...],
        risks: tuple[FindingView, ...],
        recovery: tuple[FindingView, ...],
        grid: Iterable[tuple[str, str]] = (),
        living: Iterable[tuple[str, str]] = (),
        living_sources: Ids = (),
    ) -> OptionView:
        aspects = dict(living)
        living_json: Any = {**aspects, "sources": list(living_sources)} if aspects else None
        return cls(
            id=id,
            kind=kind,
            title=title,
            summary=summary,
            grid=dict(grid),
            living_json=living_json,
            benefits=benefits,
            risks=risks,
            recovery=recovery,
        )

    @property
    def living(self) -> tuple[tuple[str, str], ...]:
        """(physical|emotional|social, text)."""
        aspects: dict[str, Any] = dict(self.living_json or {})
        return tuple((k, v) for k, v in aspects.items() if k != "sources")

    @property
    def living_sources(self) -> Ids:
        return tuple(self.living_json["sources"]) if self.living_json else ()


class UrgentReason(View, frozen=True, kw_only=True):
    id: str
    level: Urgency = DEFAULT_LEVEL  # emergency | same_day | soon
    title: str
    text: str
    action: str
    sources: Ids


class Explanation(View, frozen=True, kw_only=True):
    """Why something fired: the rule, its condition, and the answers it read."""

    id: str
    kind: str  # rule | red_flag | consideration | finding | question (open: later versions may add kinds)
    title: str
    condition: str
    read: dict[str, Any] = field(name="answers")  # factor -> this person's answer
    findings: Ids = ()
    changes: Ids = ()  # e.g. "decompression_infection x 1.26", "discectomy_death = 0.4 in 100"

    @property
    def answers(self) -> tuple[tuple[str, Any], ...]:
        return tuple(self.read.items())


class NotTailored(View, frozen=True):
    factor: str
    question: str
    rules: Ids


class Unchanged(View, frozen=True):
    """An answer that changed no figure; ``mentioned_in`` names the rules and considerations that
    reflect it in words."""

    factor: str
    question: str
    mentioned_in: Ids


class SecondaryView(View, frozen=True):
    """Where the figures were read when that was not the study itself."""

    citation: str
    url: str


class SourceView(View, frozen=True):
    id: str
    citation: str
    url: str | None
    pmid: str | None
    doi: str | None
    secondary_json: SecondaryView | None = field(default=None, name="secondary")
    read: Annotated[str | None, enum_meta(("abstract", "full_text", "summary"), nullable=True)] = None

    @classmethod
    def of(
        cls,
        id: str,
        citation: str,
        url: str | None,
        pmid: str | None,
        doi: str | None,
        secondary: tuple[str, str] | None = None,
        read: str | None = None,
    ) -> SourceView:
        return cls(id, citation, url, pmid, doi, SecondaryView(*secondary) if secondary else None, read)

    @property
    def secondary(self) -> tuple[str, str] | None:
        """(citation, url) where the figures were read."""
        s = self.secondary_json
        return (s.citation, s.url) if s else None


class PriorityView(View, frozen=True):
    factor: str
    question: str
    answer: str
    answer_label: str
    matters: bool
    fits: Annotated[str, enum_meta(PRIORITY_FITS)]  # option kind, or "either"
    fits_options: Ids
    text: str
    sources: Ids


class LeaningView(TypedDict):
    answer: str
    label: str


class SureView(View, frozen=True, kw_only=True):
    """The SURE test: four yes/no questions; a score below 4 suggests decisional conflict."""

    answers: dict[str, Annotated[str, enum_meta(("yes", "no"))]]
    score: Annotated[int, Meta(ge=0)]
    out_of: Annotated[int, Meta(ge=1)]
    complete: bool
    conflict: bool = False  # always score < out_of (set from them)
    next_steps: Ids

    def __post_init__(self) -> None:
        force_setattr(self, "conflict", self.score < self.out_of)


class QuizView(View, frozen=True):
    id: str
    statement: str
    answer: bool
    explanation: str
    sources: Ids


class DiagnosisView(TypedDict, total=False):
    """The report's ``diagnosis``: the condition the options are for (all keys, or none)."""

    id: str
    title: str
    about: str
    decision: str
    sources: list[str]


class GridRow(View, frozen=True):
    """A row of the options side by side; ``same_study``: sources every option quotes in it."""

    id: str
    question: str
    same_study: Ids = ()


class Ask(View, frozen=True):
    """A question to ask the clinician."""

    id: str
    text: str


class Reminder(View, frozen=True):
    """The urgent advice again, for the end of every format."""

    urgency: Urgency
    banner: str
    actions: Ids  # only the most urgent level's advice
    also_tell: Ids  # the other flags, to mention when seen


RulesInfo = Annotated[
    dict[str, Any],
    Meta(
        extra_json_schema={
            "required": ["version", "reviewed", "sha256"],
            "properties": {
                "version": {"type": "string"},
                "reviewed": {"type": "string"},
                "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
            },
        }
    ),
]


class Report(View, frozen=True, kw_only=True):
    """A tailored decision-aid report, in the shape of its JSON (``to_dict()``)."""

    schema_version: str = SCHEMA_VERSION
    spinedecide_version: str
    urgent: bool = False  # always bool(urgent_reasons) (set from them)
    urgency: Annotated[str | None, enum_meta(LEVELS, nullable=True)] = None  # the most urgent red flag's level
    urgent_reasons: tuple[UrgentReason, ...]
    elective: Annotated[str, enum_meta(("shown", "skipped"))] = "shown"  # "skipped": a red flag, elective part left out
    rules: RulesInfo
    diagnosis: DiagnosisView  # {} when no condition is known
    outcome_ids: Ids = field(default=(), name="key_outcomes")  # the diagnosis's key outcomes
    answers: dict[str, Any]  # an Answers: the questions and labels to show them ride along
    derived: Ids
    options: tuple[OptionView, ...]
    considerations: tuple[FindingView, ...]
    grid: tuple[GridRow, ...] = field(default=(), name="grid_rows")
    priorities: tuple[PriorityView, ...] = ()
    leaning: LeaningView | None = None
    sure: SureView | None = None
    asks: tuple[Ask, ...] = field(default=(), name="questions_to_ask")
    knowledge_check: tuple[QuizView, ...] = ()
    deliberation: Deliberation = field(default_factory=Deliberation)  # weighing, quiz, support, plan (1.3)
    fired_rules: Ids
    explanations: tuple[Explanation, ...]
    not_tailored: tuple[NotTailored, ...]
    no_figure_changed: tuple[Unchanged, ...] = ()
    sources: tuple[SourceView, ...]
    disclaimer: str
    urgent_reminder: Reminder | None = None  # always made from urgent_reasons (set from them)

    def __post_init__(self) -> None:
        force_setattr(self, "urgent", bool(self.urgent_reasons))
        force_setattr(self, "urgent_reminder", _reminder(self))

    @classmethod
    def of(
        cls,
        *,
        grid_rows: Iterable[tuple[str, str]] = (),
        grid_compared: dict[str, Ids] | None = None,
        questions_to_ask: Iterable[tuple[str, str]] = (),
        key_outcomes: Iterable[tuple[str, str]] = (),
        outcome_titles: Mapping[str, str] | None = None,
        answers: dict[str, Any],
        labels: dict[str, dict[str, str]] | None = None,
        questions: dict[str, str] | None = None,
        **fields: Any,
    ) -> Report:
        """From the engine's words: (id, text) pairs, and the labels and questions to show answers."""
        compared = grid_compared or {}
        return cls(
            grid=tuple(GridRow(i, q, tuple(compared.get(i, ()))) for i, q in grid_rows),
            asks=tuple(Ask(i, t) for i, t in questions_to_ask),
            outcome_ids=Outcomes(key_outcomes, outcome_titles),
            answers=_answers(answers, questions or {}, labels or {}),
            **fields,
        )

    # The names renderers read.
    @property
    def labels(self) -> dict[str, dict[str, str]]:
        """factor -> value -> label."""
        return self.answers.labels if isinstance(self.answers, Answers) else {}

    @property
    def questions(self) -> dict[str, str]:
        """factor -> question."""
        return self.answers.questions if isinstance(self.answers, Answers) else {}

    @property
    def outcome_titles(self) -> dict[str, str]:
        """outcome id -> title, for every outcome (the cards' headings; not in the JSON)."""
        titles: dict[str, str] = getattr(self.outcome_ids, "titles", {})
        return titles

    @property
    def key_outcomes(self) -> tuple[tuple[str, str], ...]:
        """(outcome id, title): the diagnosis's key outcomes, in order."""
        return titled(self.outcome_ids)

    @property
    def grid_rows(self) -> tuple[tuple[str, str], ...]:
        """(row id, question)."""
        return tuple((r.id, r.question) for r in self.grid)

    @property
    def grid_compared(self) -> dict[str, Ids]:
        """row id -> sources every option quotes in it (rows with none left out)."""
        return {r.id: r.same_study for r in self.grid if r.same_study}

    @property
    def questions_to_ask(self) -> tuple[tuple[str, str], ...]:
        """(id, text)."""
        return tuple((a.id, a.text) for a in self.asks)

    def __repr__(self) -> str:  # short: the generated repr prints the whole report
        options = ", ".join(o.id for o in self.options)
        return (
            f"<Report {self.diagnosis.get('id', 'no diagnosis')}: urgent={self.urgent}, options [{options}], "
            f"{len(self.fired_rules)} rules fired, rules version {self.rules.get('version')}>"
        )

    @property
    def banner(self) -> str:
        """The urgent banner for this report's urgency ('' when nothing is urgent)."""
        return _urgency.banner(self.urgency) if self.urgent else ""

    def reminder(self) -> dict[str, Any] | None:
        """The urgent advice again, for the end of every format (``urgent_reminder`` as a dict)."""
        r = self.urgent_reminder
        if r is None:
            return None
        return {"urgency": r.urgency, "banner": r.banner, "actions": list(r.actions), "also_tell": list(r.also_tell)}


def _reminder(report: Report) -> Reminder | None:
    if not report.urgent_reasons:
        return None
    level = report.urgency
    top = [r for r in report.urgent_reasons if r.level == level]
    lower = [r for r in report.urgent_reasons if r.level != level]
    return Reminder(
        urgency=level,  # type: ignore[arg-type]  # None only in a report made by hand without its urgency
        banner=_urgency.banner(level),
        actions=tuple(dict.fromkeys(r.action for r in top)),
        also_tell=tuple(dict.fromkeys(r.title for r in lower)),
    )
