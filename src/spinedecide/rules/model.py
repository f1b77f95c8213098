"""The typed model of a loaded rules file: frozen Structs, from a factor's choice to the Ruleset."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import Any

from msgspec import Struct, field

from ..conditions import ALWAYS, Condition
from ..urgency import DEFAULT_LEVEL


class Choice(Struct, frozen=True):
    id: str
    label: str


class Code(Struct, frozen=True):
    """A standard code for a question (e.g. LOINC), for the FHIR Questionnaire's ``item.code``."""

    system: str
    code: str
    display: str


class Derivation(Struct, frozen=True):
    """How a factor's value is worked out from other answers: one of ``units.FORMULAS``, over
    ``inputs`` (factor ids, in the formula's order), each answered in a unit of ``sizes`` (its
    size in its kind's base unit, see ``units``)."""

    formula: str
    inputs: tuple[str, ...]
    sizes: tuple[float, ...]


class Factor(Struct, frozen=True, dict=True):
    id: str
    section: str
    type: str
    question: str
    help: str
    choices: tuple[Choice, ...] = ()
    min: float | None = None
    max: float | None = None
    unit: str | None = None
    unknown: bool = True  # may be answered "unknown"
    required: bool = True  # must be present in non-interactive use
    # An optional question left unanswered is recorded as "unknown" (False: left out, so answers
    # written before the question was added give the same report).
    record_unanswered: bool = True
    ask: bool = True  # asked in the interview
    ask_when: Condition = ALWAYS
    red_flag: bool = False
    derived_from: tuple[str, ...] = ()
    line: int = 0
    code: Code | None = None  # what the question asks, as a standard code (FHIR item.code)
    max_items: int = 1  # more than 1: the answer is a list of up to this many (several choices, several texts)
    max_length: int | None = None  # a text answer's longest length, in characters
    fill_unknown: bool | None = None  # unanswered and optional: recorded as "unknown" (default: when asked)

    @property
    def fills_unknown(self) -> bool:
        """Whether an unanswered optional question is recorded as "unknown" in the answers."""
        return self.ask if self.fill_unknown is None else self.fill_unknown

    derivation: Derivation | None = None  # worked out from other answers (formula, derived_from)

    @cached_property
    def choice_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.choices)

    def label_of(self, value: Any) -> str:
        for choice in self.choices:
            if choice.id == value:
                return choice.label
        return str(value)


class Section(Struct, frozen=True):
    id: str
    title: str


class Certainty(Struct, frozen=True):
    """How sure the evidence behind one figure is: a GRADE level and a short reason."""

    level: str  # one of CERTAINTY_LEVELS
    reason: str


class Outcome(Struct, frozen=True):
    """An outcome declared in the rules file; findings naming the same one answer the same question."""

    id: str
    title: str
    line: int = 0


class Estimate(Struct, frozen=True):
    low: float
    high: float
    timeframe: str
    reference_class: str
    evidence: str
    range: tuple[float, float] | None = None  # how sure: e.g. a 95% confidence interval
    bound: str | None = None  # "up_to" or "at_least" when the source gives only a limit
    outcome: str | None = None  # an id from the file's `outcomes`
    certainty: Certainty | None = None
    per: int = 100  # the denominator the person sees (the figures stay "in 100")
    includes: tuple[str, ...] = ()  # findings of the same option this composite figure counts too


class Otherwise(Struct, frozen=True):
    """What an option's finding says to people outside its ``when``: words, and why no figure."""

    text: str
    no_figure: str


class Finding(Struct, frozen=True):
    id: str
    kind: str
    title: str
    text: str
    sources: tuple[str, ...]
    estimate: Estimate | None = None
    option: str | None = None
    when: Condition | None = None
    line: int = 0
    no_figure: str | None = None  # says plainly why there is no figure ("not well known")
    # An option's finding with a ``when``: shown as it is to the people it is about; to everyone
    # else in these words without the figure, or (None) not at all. A consideration's ``when``
    # only says whether it is shown.
    otherwise: Otherwise | None = None


class Option(Struct, frozen=True):
    id: str
    diagnosis: str
    kind: str
    title: str
    summary: str
    benefits: tuple[Finding, ...]
    risks: tuple[Finding, ...]
    recovery: tuple[Finding, ...]
    line: int = 0
    grid: Mapping[str, str] = field(default_factory=dict)
    living: Mapping[str, str] = field(default_factory=dict)  # physical, emotional, social
    living_sources: tuple[str, ...] = ()


class GridRow(Struct, frozen=True):
    id: str
    question: str


class Priority(Struct, frozen=True):
    """A 'what matters to you' question, and which kind of option tends to fit it."""

    factor: str
    matters: frozenset[str]  # answers that mean "this matters to me"
    fits: str  # an option kind, or "either"
    text: str
    sources: tuple[str, ...]
    when: Condition | None = None


class SureItem(Struct, frozen=True):
    factor: str
    next_step: str


class QuestionToAsk(Struct, frozen=True):
    id: str
    text: str
    when: Condition | None


class QuizItem(Struct, frozen=True):
    id: str
    statement: str
    answer: bool
    explanation: str
    sources: tuple[str, ...]
    when: Condition | None = None
    findings: tuple[str, ...] = ()  # the cards that explain it: the first one in the report is named


class Reason(Struct, frozen=True):
    """A reason to choose one kind of option, for some conditions, rated 0 to 5 stars (``weigh_<id>``)."""

    id: str
    kind: str  # the option kind it is a reason to choose: surgery | non_surgical
    text: str
    conditions: tuple[str, ...]
    finding: str  # the card in the report that explains it
    sources: tuple[str, ...]
    values: tuple[str, ...] = ()  # the old "what matters" answers (value_*) that map onto it

    @property
    def factor(self) -> str:
        return f"weigh_{self.id}"


class Weighing(Struct, frozen=True):
    """The Ottawa-style weighing: reasons per option kind, the value_* mapping and the "clear gap" rule."""

    section: str
    question: str
    help: str
    reasons: tuple[Reason, ...] = ()
    from_values: Mapping[str, int] = field(default_factory=dict)  # value_* answer -> stars
    gap_stars: int = 3  # a lean is shown only when the sums differ by at least this many stars
    gap_share: float = 0.25  # ... and by at least this share of the larger sum
    leads: Mapping[str, str] = field(default_factory=dict)  # kind -> words before its reasons when asked


class QuizSettings(Struct, frozen=True):
    """How the knowledge check is asked: its section, and the choices (true, false, unsure)."""

    section: str
    help: str
    choices: tuple[Choice, ...]


class DecisionSupport(Struct, frozen=True):
    """Shared decision-making content: option grid rows, values, leaning, SURE, questions, quiz."""

    grid: tuple[GridRow, ...] = ()
    priorities: tuple[Priority, ...] = ()
    leaning: str | None = None
    sure: tuple[SureItem, ...] = ()
    sure_yes: str = "yes"
    questions_to_ask: tuple[QuestionToAsk, ...] = ()
    knowledge_check: tuple[QuizItem, ...] = ()
    weighing: Weighing | None = None
    quiz: QuizSettings | None = None
    support_factors: Mapping[str, str] = field(default_factory=dict)  # involved|prefers|pressure -> factor id
    plan_factors: Mapping[str, str] = field(default_factory=dict)  # steps|try_what|try_weeks|decide_by|questions


class Diagnosis(Struct, frozen=True):
    id: str
    title: str
    about: str
    decision: str
    options: tuple[str, ...]
    line: int = 0
    sources: tuple[str, ...] = ()  # the evidence behind how the decision is framed
    # Option-grid rows in which every option quotes the same study (or studies): row id ->
    # source ids. Reports mark these rows as like for like; `rules check` verifies the figures.
    compared: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Outcome id -> why two options' figures for it, from different studies, are not directly comparable.
    not_comparable: Mapping[str, str] = field(default_factory=dict)
    # The 2 to 5 outcomes that matter most for this decision, in order: the report's key points.
    key_outcomes: tuple[str, ...] = ()


class Effect(Struct, frozen=True):
    finding: str
    relative_risk: float | None = None
    figure: tuple[float, float] | None = None
    timeframe: str | None = None
    reference_class: str | None = None
    odds_ratio: float | None = None  # converted to a relative risk at the figure it tailors
    # With a ratio: the figure for people without the factor (the ratio's comparison group), read
    # in a source. The ratio then multiplies it, not a typical figure that already includes them.
    baseline: tuple[float, float] | None = None
    certainty: Certainty | None = None  # of a subgroup figure (the rule's `certainty`)


class Rule(Struct, frozen=True):
    id: str
    title: str
    text: str
    when: Condition
    effects: tuple[Effect, ...]
    sources: tuple[str, ...]
    line: int = 0
    certainty: Certainty | None = None  # of the subgroup figures it gives


class RedFlag(Struct, frozen=True):
    id: str
    title: str
    text: str
    action: str
    when: Condition
    sources: tuple[str, ...]
    line: int = 0
    level: str = DEFAULT_LEVEL  # emergency | same_day | soon (see urgency.py)


#: How a source's figures were read (a source entry's `read`): its abstract, its full text (a
#: paper, a guideline, a leaflet or a web page read whole), or a summary that the entry names.
READ_KINDS = ("abstract", "full_text", "summary")


class SecondarySource(Struct, frozen=True):
    """Where a source's figures were read when the primary paper could not be (a summary, a
    review, a news report): shown beside the citation, so a reader knows and can check it."""

    citation: str
    url: str


class Source(Struct, frozen=True):
    id: str
    citation: str
    url: str | None = None
    pmid: str | None = None
    doi: str | None = None
    secondary: SecondarySource | None = None
    read: str | None = None  # how the figures were read: one of READ_KINDS


class Pair(Struct, frozen=True):
    """The other finding of a pair, as seen from one finding (``comparable`` checks and shows them)."""

    option: str
    finding: str
    same_study: bool
    reason: str | None = None  # the diagnosis's `not_comparable` reason, when not the same study


class RulesIndex(Struct, frozen=True):
    """What assessing a person reads that depends only on the rules, worked out once at load (and
    kept in the compiled snapshot), so that ``assess`` does per-person work only."""

    # The factors each condition reads: kind ("rule", "consideration", "finding", "red_flag", "question")
    # -> id -> factors.
    reads: Mapping[str, Mapping[str, frozenset[str]]]
    touches: Mapping[str, frozenset[str]]  # rule id -> the findings its effects change
    readers: Mapping[str, tuple[str, ...]]  # factor id -> the rules that read it, in file order
    labels: dict[str, dict[str, str]]  # choice factor id -> choice id -> label
    questions: dict[str, str]  # factor id -> its question
    pairs: Mapping[str, tuple[Pair, ...]]  # finding id -> the other options' findings on its outcome
    asked: tuple[Factor, ...]  # the factors the interview asks, red flags first, then in file order
    # condition id -> the factors that can matter for it ("" -> for some condition): relevance.py
    relevance: Mapping[str, frozenset[str]] = {}
    outcome_titles: Mapping[str, str] = {}  # outcome id -> its title (the cards' headings)

    def __repr__(self) -> str:
        return f"<RulesIndex of {len(self.reads['rule'])} rules and {len(self.questions)} factors>"


class Ruleset(Struct, frozen=True):
    """The validated, compiled rules file. Build it with :func:`load_rules`."""

    path: str
    sha256: str
    metadata: Mapping[str, Any]
    disclaimer: str
    max_combined_relative_risk: float
    sections: tuple[Section, ...]
    factors: Mapping[str, Factor]
    red_flags: tuple[RedFlag, ...]
    diagnoses: Mapping[str, Diagnosis]
    options: Mapping[str, Option]
    considerations: tuple[Finding, ...]
    rules: tuple[Rule, ...]
    sources: Mapping[str, Source]
    index: RulesIndex  # worked out from the rest at load (rules.index.index_of)
    findings: Mapping[str, Finding] = field(default_factory=dict)
    effects: Mapping[str, tuple[tuple[Rule, Effect], ...]] = field(default_factory=dict)
    support: DecisionSupport = field(default_factory=DecisionSupport)
    # Sections whose answers the report lists when they changed no figure (estimates.say_unchanged).
    say_unchanged: tuple[str, ...] = ()
    outcomes: Mapping[str, Outcome] = field(default_factory=dict)

    def __repr__(self) -> str:  # the generated repr prints every object: 591 KB for the shipped rules
        return (
            f"<Ruleset {self.path!r} version {self.metadata.get('version')}: {len(self.factors)} factors, "
            f"{len(self.options)} options, {len(self.rules)} rules, {len(self.sources)} sources>"
        )

    @property
    def version(self) -> str:
        return str(self.metadata["version"])

    @property
    def reviewed(self) -> str:
        return str(self.metadata["reviewed"])

    def questions(self) -> list[Factor]:
        """The factors the interview asks, red flags first, then in file order."""
        return list(self.index.asked)
