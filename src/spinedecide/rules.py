"""Loading and checking the rules file (``data/factors.yaml``) into typed, compiled objects.

Every problem names the file, the line and what was expected; all problems are listed at once.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path
from typing import Any, TypeGuard

from msgspec import Struct, field
from msgspec.structs import replace

from ._lines import LineDict, line_of
from .conditions import ALWAYS, Compiler, Condition, suggest
from .errors import Problem, RulesError
from .urgency import DEFAULT_LEVEL
from .urgency import LEVELS as URGENCY_LEVELS

FORMAT_VERSION = 1
MAX_RULES_BYTES = 5 * 1024 * 1024
MAX_RATIO = 1000  # a relative risk or odds ratio above this is a typing slip, not a study's finding

FACTOR_TYPES = ("choice", "integer", "number")
OPTION_KINDS = ("surgery", "non_surgical")
# Which kind of option a "what matters to you" answer tends to fit; "either" when the evidence
# for that condition does not favour one (a value is then not pushed towards either choice).
PRIORITY_FITS = (*OPTION_KINDS, "either")
FINDING_KINDS = ("benefit", "risk", "recovery", "consideration")
# A figure the source gives only as a limit: "up to 33 in 100", "at least 50 in 100".
BOUNDS = ("up_to", "at_least")
EVIDENCE_KINDS = (
    "randomised_trial",
    "systematic_review",
    "cohort",
    "registry",
    "patient_information",
    "practice_estimate",
    "expert_opinion",
)
#: GRADE's four levels of certainty, graded per figure by the content team (an estimate's `certainty`).
CERTAINTY_LEVELS = ("high", "moderate", "low", "very_low")
#: The denominators a figure may be shown with (an estimate's `per`): rare risks per 1,000 or 10,000.
DENOMINATORS = (100, 1000, 10000)
#: What only people, not software, can show (metadata `evaluation`): each needs who, when and how.
EVALUATIONS = ("field_test_patients", "field_test_clinicians", "external_review")
METADATA_REQUIRED = (
    "title",
    "version",
    "published",
    "reviewed",
    "next_review",
    "update_policy",
    "evidence_search",
    "authors",
    "reviewers",
    "funding",
    "conflicts_of_interest",
)
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


class Choice(Struct, frozen=True):
    id: str
    label: str


class Code(Struct, frozen=True):
    """A standard code for a question (e.g. LOINC), for the FHIR Questionnaire's ``item.code``."""

    system: str
    code: str
    display: str


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
    ask: bool = True  # asked in the interview
    ask_when: Condition = ALWAYS
    red_flag: bool = False
    derived_from: tuple[str, ...] = ()
    line: int = 0
    code: Code | None = None  # what the question asks, as a standard code (FHIR item.code)

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


class DecisionSupport(Struct, frozen=True):
    """Shared decision-making content: option grid rows, values, leaning, SURE, questions, quiz."""

    grid: tuple[GridRow, ...] = ()
    priorities: tuple[Priority, ...] = ()
    leaning: str | None = None
    sure: tuple[SureItem, ...] = ()
    sure_yes: str = "yes"
    questions_to_ask: tuple[QuestionToAsk, ...] = ()
    knowledge_check: tuple[QuizItem, ...] = ()


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


class Ruleset(Struct, frozen=True, dict=True):
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
        return list(self._questions)

    @cached_property
    def _questions(self) -> tuple[Factor, ...]:  # computed once: validation asks for it per person
        asked = [f for f in self.factors.values() if f.ask]
        section_order = {s.id: i for i, s in enumerate(self.sections)}
        return tuple(
            sorted(asked, key=lambda f: (not f.red_flag and f.section != "red_flags", section_order.get(f.section, 99)))
        )


# ---------------------------------------------------------------------------------------------
# The shape of the rules file, declared once. The loader checks every object against it, and
# `spinedecide schema rules` turns the same declaration into a JSON Schema, so they cannot drift.
# A kind is a check name ("text", "id", "number", "ids", "any"), a Python type, or a reference:
# ("list", KIND) is a list of objects of KIND, ("object", KIND) one object of KIND.

Spec = tuple[dict[str, Any], dict[str, Any]]  # (required keys, optional keys)

CONDITION = "condition"  # a condition mapping (see conditions.py)
SCHEMA: dict[str, Spec] = {
    "rules_file": (
        {
            "format": int,
            "metadata": ("object", "metadata"),
            "disclaimer": "text",
            "factors": ("list", "factor"),
            "diagnoses": ("list", "diagnosis"),
            "options": ("list", "option"),
            "sources": ("list", "source"),
        },
        {
            "estimates": ("object", "estimates"),
            "sections": ("list", "section"),
            "red_flags": ("list", "red_flag"),
            "considerations": ("list", "consideration"),
            "rules": ("list", "rule"),
            "decision_support": ("object", "decision_support"),
            "outcomes": ("list", "outcome"),
        },
    ),
    "metadata": (
        dict.fromkeys(METADATA_REQUIRED, "any"),
        {"certainty_grading": "text", "evaluation": ("object", "evaluation")},
    ),
    "evaluation": ({}, dict.fromkeys(EVALUATIONS, ("object", "evaluation_record"))),
    "evaluation_record": ({"who": "text", "when": "text", "how": "text"}, {}),
    "outcome": ({"id": "id", "title": "text"}, {}),
    "certainty": ({"level": "text", "reason": "text"}, {}),
    "estimates": ({}, {"max_combined_relative_risk": "number", "say_unchanged": "ids"}),
    "section": ({"id": "id", "title": "text"}, {}),
    "factor": (
        {"id": "id", "section": "id", "type": "text", "question": "text", "help": "text"},
        {
            "choices": ("list", "choice"),
            "min": "number",
            "max": "number",
            "unit": "text",
            "unknown": bool,
            "required": bool,
            "ask": bool,
            "ask_when": CONDITION,
            "red_flag": bool,
            "derived_from": "ids",
            "code": ("one", "code"),
        },
    ),
    "code": ({"system": "text", "code": "text", "display": "text"}, {}),
    "choice": ({"id": "id", "label": "text"}, {}),
    "red_flag": (
        {"id": "id", "title": "text", "text": "text", "action": "text", "when": CONDITION, "sources": "ids"},
        {"level": "id"},
    ),
    "diagnosis": (
        {"id": "id", "title": "text", "about": "text", "decision": "text", "options": "ids"},
        {"sources": "ids", "compared": dict, "not_comparable": dict, "key_outcomes": "ids"},
    ),
    "option": (
        {
            "id": "id",
            "diagnosis": "id",
            "kind": "text",
            "title": "text",
            "summary": "text",
            "benefits": ("list", "finding"),
            "risks": ("list", "finding"),
            "recovery": ("list", "finding"),
        },
        {"grid": dict, "living": ("object", "living")},
    ),
    "living": ({"physical": "text", "emotional": "text", "social": "text"}, {"sources": "ids"}),
    "finding": (
        {"id": "id", "title": "text", "text": "text", "sources": "ids"},
        {"estimate": ("object", "estimate"), "no_figure": "text"},
    ),
    "consideration": (
        {"id": "id", "title": "text", "text": "text", "sources": "ids"},
        {"estimate": ("object", "estimate"), "no_figure": "text", "when": CONDITION},
    ),
    "estimate": (
        {"typical": ("object", "span"), "timeframe": "text", "reference_class": "text", "evidence": "text"},
        {
            "range": ("object", "span"),
            "bound": "text",
            "outcome": "id",
            "certainty": ("object", "certainty"),
            "per": int,
            "includes": "ids",
        },
    ),
    "span": ({"low": "number", "high": "number"}, {}),
    "rule": (
        {
            "id": "id",
            "title": "text",
            "text": "text",
            "when": CONDITION,
            "effects": ("list", "effect"),
            "sources": "ids",
        },
        {"certainty": ("object", "certainty")},
    ),
    "effect": (
        {"finding": "id"},
        {
            "relative_risk": "number",
            "odds_ratio": "number",
            "figure": ("object", "span"),
            "baseline": ("object", "span"),
            "timeframe": "text",
            "reference_class": "text",
        },
    ),
    "source": (
        {"id": "id", "citation": "text"},
        {"url": "text", "pmid": "text", "doi": "text", "secondary": ("object", "secondary_source"), "read": "text"},
    ),
    "secondary_source": ({"citation": "text", "url": "text"}, {}),
    "decision_support": (
        {},
        {
            "grid": ("list", "grid_row"),
            "priorities": ("list", "priority"),
            "leaning": "id",
            "sure": ("list", "sure_item"),
            "questions_to_ask": ("list", "question_to_ask"),
            "knowledge_check": ("list", "quiz_item"),
        },
    ),
    "grid_row": ({"id": "id", "question": "text"}, {}),
    "priority": (
        {"factor": "id", "matters": "ids", "fits": "text", "text": "text", "sources": "ids"},
        {"when": CONDITION},
    ),
    "sure_item": ({"factor": "id", "next_step": "text"}, {}),
    "question_to_ask": ({"id": "id", "text": "text"}, {"when": CONDITION}),
    "quiz_item": (
        {"id": "id", "statement": "text", "answer": bool, "explanation": "text", "sources": "ids"},
        {"when": CONDITION},
    ),
}

# ---------------------------------------------------------------------------------------------
# Loading


def _yaml_kind(value: Any) -> str:
    """What a YAML value is, in the words of the rules file's authors (not Python's type names)."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return "empty" if value is None else type(value).__name__


def _is_number(value: Any) -> TypeGuard[float]:
    """A figure: an int or a float, not a bool, and finite (YAML's .inf and .nan are not figures)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and _finite(value)


def _finite(value: float) -> bool:
    """A number a figure can be: not inf or nan, and not an integer too large for a float."""
    try:
        return math.isfinite(float(value))
    except OverflowError:
        return False


def shipped_rules_path() -> Path:
    """The rules file that ships inside the package (``data/factors.yaml`` in a source checkout)."""
    here = Path(__file__).resolve().parent
    packaged = here / "data" / "factors.yaml"  # an installed wheel
    if packaged.is_file():
        return packaged
    return here.parents[1] / "data" / "factors.yaml"  # a source checkout


def load_rules(path: str | Path | None = None) -> Ruleset:
    """Load, check and compile a rules file (the shipped one when ``path`` is None).

    Raises :class:`RulesError` listing every problem with file and line.
    """
    if path is None:
        file = shipped_rules_path()
        shown = "factors.yaml (shipped)"
    else:
        file = Path(path)
        shown = str(path)
    try:
        # The limit applies while reading, so that a pipe or a device (/dev/zero) is cut short too.
        with open(file, "rb") as handle:
            data = handle.read(MAX_RULES_BYTES + 1)
        if len(data) > MAX_RULES_BYTES:
            raise RulesError(
                [Problem(f"the rules file is too large (over {MAX_RULES_BYTES:,} bytes, the limit)", file=shown)]
            )
    except FileNotFoundError:
        raise RulesError([Problem("no such rules file", file=shown)]) from None
    except IsADirectoryError:
        raise RulesError([Problem("this is a folder, not a rules file", file=shown)]) from None
    except OSError as exc:
        raise RulesError([Problem(f"cannot read the rules file: {exc.strerror}", file=shown)]) from None
    if path is None:
        from . import compiled

        snapshot: Ruleset | None = compiled.load(data)  # Any: the leaf snapshot package names no types
        if snapshot is not None:
            return snapshot
    return parse_rules(data, shown)


def parse_rules(data: bytes, name: str = "<rules>") -> Ruleset:
    from . import _yaml

    try:
        document = _yaml.safe_load(_yaml.decode(data))
    except _yaml.YamlProblem as exc:
        raise RulesError(
            [Problem(exc.message, file=name, line=exc.line)], heading=f"{name}: the rules file cannot be read"
        ) from None
    unsafe = _unsafe_text(document) if document is not None else []
    if unsafe:
        raise RulesError(
            [Problem(message, file=name, line=line) for message, line in unsafe],
            heading=f"{name}: the rules file holds characters that could hide or reorder text on a terminal",
        )
    import hashlib  # here, not at the top: start-up with the compiled snapshot never needs it

    return _Builder(name, hashlib.sha256(data).hexdigest()).build(document)


def _unsafe_text(document: Any, line: int | None = None) -> list[tuple[str, int | None]]:
    """Every text in the file holding a control character (other than tab and newline), DEL, a
    C1 control or a bidirectional override or isolate (``display.UNSAFE``), with its line."""
    from .display import describe, first_unsafe

    found: list[tuple[str, int | None]] = []
    stack: list[tuple[Any, int | None]] = [(document, line)]
    while stack and len(found) < 20:
        node, where = stack.pop()
        if isinstance(node, str):
            index = first_unsafe(node)
            if index is not None:
                found.append(
                    (f"the character {describe(node[index])} is not allowed in a rules file; remove it", where)
                )
        elif isinstance(node, dict):
            for key, value in node.items():
                key_line = node.line_of(key) if hasattr(node, "line_of") else where
                stack += [(value, key_line), (key, key_line)]
        elif isinstance(node, list):
            stack += [(item, node.line_of(i) if hasattr(node, "line_of") else where) for i, item in enumerate(node)]
    return sorted(found, key=lambda item: item[1] or 0)


class _Builder:
    def __init__(self, file: str, sha256: str) -> None:
        self.file = file
        self.sha256 = sha256
        self.problems: list[Problem] = []
        self.ids: dict[str, tuple[str, int | None]] = {}
        self.known_sources: set[str] = set()
        self.broken: set[str] = set()  # ids of findings with a problem already reported
        self.used_sources: set[str] = set()
        self.outcome_ids: set[str] | None = None  # the declared outcomes, once read

    # -- small checking helpers ------------------------------------------------------------

    def problem(self, message: str, path: str, container: Any = None, key: Any = None) -> None:
        self.problems.append(Problem(message, field=path, file=self.file, line=line_of(container, key)))

    def mapping(
        self,
        node: Any,
        path: str,
        required: dict[str, Any],
        optional: dict[str, Any],
        parent: Any = None,
        key: Any = None,
    ) -> LineDict | None:
        if not isinstance(node, Mapping):
            self.problem(f"expected a mapping with keys {', '.join(required)}", path, parent, key)
            return None
        before = len(self.problems)
        known = {**required, **optional}
        for k in node:
            if k not in known:
                self.problem(
                    f"unknown key {k!r}{suggest(k, known)}; allowed: {', '.join(known)}", f"{path}.{k}", node, k
                )
        for k in required:
            if k not in node:
                self.problem(f"missing required key {k!r}", path, node)
        for k, kind in known.items():
            if k in node and not self._type_ok(node[k], kind):
                self.problem(
                    f"{k!r} must be {self._type_name(kind)}, not {_yaml_kind(node[k])}", f"{path}.{k}", node, k
                )
        ok = len(self.problems) == before or all(
            k in node and self._type_ok(node[k], kind) for k, kind in required.items()
        )
        return node if ok and isinstance(node, LineDict) else None

    def code(self, node: Any, path: str, parent: Any) -> Code | None:
        """A factor's ``code:`` (system, code, display; the system a URI)."""
        if not isinstance(node, dict) or self.mapping(node, path, *SCHEMA["code"], parent, "code") is None:
            return None
        if ":" not in node["system"] or any(c.isspace() for c in node["system"]):
            self.problem(
                f"'system' must be a URI (e.g. http://loinc.org), not {node['system']!r}",
                f"{path}.system",
                node,
                "system",
            )
            return None
        return Code(node["system"].strip(), str(node["code"]).strip(), node["display"].strip())

    @staticmethod
    def _type_ok(value: Any, kind: Any) -> bool:
        if kind == "text":
            return isinstance(value, str) and bool(value.strip())
        if kind == "id":
            return isinstance(value, str) and bool(_ID.match(value))
        if kind == "number":
            return _is_number(value)
        if kind == "ids":
            return isinstance(value, list) and all(isinstance(v, str) for v in value)
        if kind == "any":
            return True
        if kind == CONDITION:
            return isinstance(value, dict)
        if isinstance(kind, tuple):
            return isinstance(value, list if kind[0] == "list" else dict)
        return isinstance(value, kind)

    @staticmethod
    def _type_name(kind: Any) -> str:
        names = {
            "text": "non-empty text",
            "id": "an id (lower case letters, digits and _)",
            "number": "a (finite) number",
            "ids": "a list of ids",
            list: "a list",
            dict: "a mapping",
            bool: "true or false",
            str: "text",
            int: "a whole number",
            CONDITION: "a condition (a mapping)",
        }
        if isinstance(kind, tuple):
            return "a list" if kind[0] == "list" else "a mapping"
        return names.get(kind, str(kind))

    def cite(self, node: Any, path: str) -> None:
        """Check a node's `sources` list against the file's sources, at the line of each entry."""
        sources = node.get("sources") if isinstance(node, Mapping) else None
        if not isinstance(sources, list):
            return
        if not sources:
            self.problem(
                "cites no source; every finding, rule and red flag needs at least one",
                f"{path}.sources",
                node,
                "sources",
            )
        for j, ident in enumerate(sources):
            self.used_sources.add(ident)
            if ident not in self.known_sources:
                self.problem(
                    f"unknown source {ident!r}{suggest(ident, self.known_sources)}", f"{path}.sources[{j}]", sources, j
                )

    def claim_id(self, ident: Any, what: str, path: str, node: Any) -> None:
        if not isinstance(ident, str):
            return
        key = f"{what}:{ident}"
        if key in self.ids:
            _other, line = self.ids[key]
            self.problem(f"duplicate {what} id {ident!r} (first used on line {line})", path, node, "id")
        else:
            self.ids[key] = (what, line_of(node, "id"))

    def items(self, document: Mapping[str, Any], key: str) -> list[tuple[int, Any, str]]:
        value = document.get(key, [])
        if not isinstance(value, list):
            self.problem(f"'{key}' must be a list", key, document, key)
            return []
        return [(i, item, f"{key}[{i}]") for i, item in enumerate(value)]

    @staticmethod
    def label(node: Any, path: str) -> str:
        return f"{path} ({node['id']})" if isinstance(node, Mapping) and isinstance(node.get("id"), str) else path

    # -- the file ----------------------------------------------------------------------------

    def build(self, doc: Any) -> Ruleset:
        if not isinstance(doc, Mapping):
            raise RulesError(
                [
                    Problem(
                        "the rules file must be a mapping (format, metadata, factors, ...)",
                        file=self.file,
                        line=line_of(doc),
                    )
                ]
            )
        fmt = doc.get("format")
        if fmt != FORMAT_VERSION:
            raise RulesError(
                [
                    Problem(
                        f"this program reads rules format {FORMAT_VERSION}, but the file says format: {fmt!r}",
                        field="format",
                        file=self.file,
                        line=line_of(doc, "format"),
                    )
                ]
            )
        self.mapping(doc, "(top level)", *SCHEMA["rules_file"])
        metadata = self.metadata(doc.get("metadata"), doc)
        estimates = doc.get("estimates") or {}
        max_rr = 3.0
        if isinstance(estimates, Mapping):
            self.mapping(estimates, "estimates", *SCHEMA["estimates"])
            max_rr = (
                float(estimates.get("max_combined_relative_risk", max_rr))
                if self._type_ok(estimates.get("max_combined_relative_risk", 3.0), "number")
                else max_rr
            )
            if max_rr < 1:
                self.problem(
                    "max_combined_relative_risk must be 1 or more", "estimates", estimates, "max_combined_relative_risk"
                )

        sections = self.sections(doc)
        say_unchanged = tuple(estimates.get("say_unchanged") or ()) if isinstance(estimates, Mapping) else ()
        for ident in say_unchanged:
            if ident not in {s.id for s in sections}:
                self.problem(
                    f"unknown section {ident!r} in say_unchanged", "estimates.say_unchanged", estimates, "say_unchanged"
                )
        factors = self.factors(doc, {s.id for s in sections})
        compiler = Compiler(factors, self.file)
        factors = self.compile_ask_when(doc, factors, compiler)
        source_ids = self.source_ids(doc)
        self.known_sources = source_ids
        outcomes = self.outcomes(doc)
        self.outcome_ids = set(outcomes)
        red_flags = self.red_flags(doc, compiler)
        grid_rows = self.grid_rows(doc.get("decision_support"))
        options, findings = self.options(doc, grid_rows)
        diagnoses = self.diagnoses(doc, factors, options, grid_rows)
        considerations = self.considerations(doc, compiler)
        for f in considerations:
            findings[f.id] = f
        option_findings = {f.id: f for f in findings.values()}
        rules = self.rules(doc, compiler, option_findings)
        support = self.decision_support(doc.get("decision_support"), doc, factors, compiler, grid_rows)
        sources = self.sources(doc)
        self.problems.extend(compiler.problems)
        self.check_unused_sources(doc)
        self.check_options_used(options, diagnoses)

        if self.problems:
            self.problems.sort(key=lambda p: p.line or 0)
            n = len(self.problems)
            raise RulesError(
                self.problems, heading=f"{self.file}: {n} problem{'s' if n != 1 else ''} in the rules file"
            )

        effects: dict[str, list[tuple[Rule, Effect]]] = {}
        for rule in rules:
            for effect in rule.effects:
                effects.setdefault(effect.finding, []).append((rule, effect))
        return Ruleset(
            path=self.file,
            sha256=self.sha256,
            metadata=metadata,
            disclaimer=str(doc["disclaimer"]).strip(),
            max_combined_relative_risk=max_rr,
            sections=tuple(sections),
            factors=factors,
            red_flags=tuple(red_flags),
            diagnoses=diagnoses,
            options=options,
            considerations=tuple(considerations),
            rules=tuple(rules),
            sources=sources,
            findings=findings,
            effects={k: tuple(v) for k, v in effects.items()},
            support=support,
            say_unchanged=say_unchanged,
            outcomes=outcomes,
        )

    def metadata(self, node: Any, doc: Any) -> dict[str, Any]:
        checked = self.mapping(node, "metadata", *SCHEMA["metadata"], doc, "metadata")
        if checked is None:
            return {}
        out: dict[str, Any] = {}
        for k in METADATA_REQUIRED:
            value = checked.get(k)
            if isinstance(value, list):
                if not value or not all(isinstance(v, str) and v.strip() for v in value):
                    self.problem(f"'{k}' must be a non-empty list of names", f"metadata.{k}", checked, k)
                out[k] = [str(v) for v in value]
            elif value is not None:
                if not str(value).strip():
                    self.problem(f"'{k}' must not be empty", f"metadata.{k}", checked, k)
                out[k] = str(value).strip()
        for k in ("published", "reviewed", "next_review"):
            if k in out and not re.match(r"^\d{4}-\d{2}-\d{2}$", str(out[k])):
                self.problem(f"'{k}' must be a date written YYYY-MM-DD", f"metadata.{k}", checked, k)
        if isinstance(checked.get("certainty_grading"), str):
            out["certainty_grading"] = " ".join(checked["certainty_grading"].split())
        if "evaluation" in checked:
            out["evaluation"] = self.evaluation(checked["evaluation"], checked)
        return out

    def evaluation(self, node: Any, parent: Any) -> dict[str, dict[str, str]]:
        """What only people can show (field tests, external review): each claim needs its record."""
        out: dict[str, dict[str, str]] = {}
        if not isinstance(node, Mapping):
            return out
        for k in EVALUATIONS:
            if k not in node:
                continue
            record = node[k]
            where = f"metadata.evaluation.{k}"
            if not isinstance(record, Mapping) or not all(
                isinstance(record.get(f), str) and record[f].strip() for f in ("who", "when", "how")
            ):
                self.problem(
                    f"a claimed {k.replace('_', ' ')} needs its record: who did it, when and how (who, when, how)",
                    where,
                    node,
                    k,
                )
                continue
            if not re.match(r"^\d{4}(-\d{2}){0,2}$", record["when"].strip()):
                self.problem("'when' must be a date written YYYY-MM-DD (or YYYY-MM)", f"{where}.when", record, "when")
            out[k] = {f: " ".join(record[f].split()) for f in ("who", "when", "how")}
        return out

    def outcomes(self, doc: Any) -> dict[str, Outcome]:
        out: dict[str, Outcome] = {}
        for i, node, path in self.items(doc, "outcomes"):
            if self.mapping(node, path, *SCHEMA["outcome"], doc.get("outcomes"), i) is not None:
                self.claim_id(node["id"], "outcome", path, node)
                out[node["id"]] = Outcome(node["id"], " ".join(node["title"].split()), line_of(node) or 0)
        return out

    def certainty(self, node: Any, path: str, parent: Any) -> Certainty | None:
        if self.mapping(node, path, *SCHEMA["certainty"], parent, "certainty") is None:
            return None
        if node["level"] not in CERTAINTY_LEVELS:
            self.problem(
                f"certainty level must be one of {', '.join(CERTAINTY_LEVELS)} "
                f"(GRADE){suggest(node['level'], CERTAINTY_LEVELS)}",
                f"{path}.level",
                node,
                "level",
            )
            return None
        return Certainty(node["level"], " ".join(node["reason"].split()))

    def sections(self, doc: Any) -> list[Section]:
        out = []
        for _i, node, path in self.items(doc, "sections"):
            if self.mapping(node, path, *SCHEMA["section"], doc.get("sections"), _i) is not None:
                self.claim_id(node["id"], "section", path, node)
                out.append(Section(node["id"], node["title"]))
        return out

    def factors(self, doc: Any, section_ids: set[str]) -> dict[str, Factor]:
        out: dict[str, Factor] = {}
        for i, node, path in self.items(doc, "factors"):
            path = self.label(node, path)
            checked = self.mapping(
                node,
                path,
                *SCHEMA["factor"],
                doc.get("factors"),
                i,
            )
            if checked is None or not isinstance(node.get("id"), str):
                continue
            self.claim_id(node["id"], "factor", path, node)
            if node["id"] in ("all", "any", "not", "unknown"):
                self.problem(f"{node['id']!r} is a reserved word and cannot be a factor id", path, node, "id")
            if section_ids and node.get("section") not in section_ids:
                self.problem(
                    f"unknown section {node.get('section')!r}{suggest(node.get('section'), section_ids)}",
                    f"{path}.section",
                    node,
                    "section",
                )
            ftype = node.get("type")
            if ftype not in FACTOR_TYPES:
                self.problem(
                    f"type must be one of {', '.join(FACTOR_TYPES)}, not {ftype!r}", f"{path}.type", node, "type"
                )
                continue
            choices: list[Choice] = []
            if ftype == "choice":
                raw = node.get("choices")
                if not isinstance(raw, list) or len(raw) < 2:
                    self.problem(
                        "a choice factor needs a list of at least two choices", f"{path}.choices", node, "choices"
                    )
                else:
                    seen: set[str] = set()
                    for j, choice in enumerate(raw):
                        cpath = f"{path}.choices[{j}]"
                        if self.mapping(choice, cpath, *SCHEMA["choice"], raw, j) is None:
                            continue
                        if choice["id"] in seen or choice["id"] == "unknown":
                            self.problem(f"choice id {choice['id']!r} is repeated or reserved", cpath, choice, "id")
                        seen.add(choice["id"])
                        choices.append(Choice(choice["id"], choice["label"]))
                for k in ("min", "max"):
                    if k in node:
                        self.problem(f"'{k}' is only for numbers, not for a choice factor", f"{path}.{k}", node, k)
            else:
                if "choices" in node:
                    self.problem("'choices' is only for a choice factor", f"{path}.choices", node, "choices")
                if not all(self._type_ok(node.get(k), "number") for k in ("min", "max")):
                    self.problem("a number factor needs 'min' and 'max'", path, node)
                elif node["min"] > node["max"]:
                    self.problem("'min' is larger than 'max'", path, node, "min")
            out[node["id"]] = Factor(
                id=node["id"],
                section=node.get("section", ""),
                type=ftype,
                question=str(node.get("question", "")).strip(),
                help=str(node.get("help", "")).strip(),
                choices=tuple(choices),
                min=node.get("min")
                if self._type_ok(node.get("min"), "number")
                else None,  # a bad one is reported above
                max=node.get("max") if self._type_ok(node.get("max"), "number") else None,
                unit=node.get("unit"),
                unknown=node.get("unknown", True),
                required=node.get("required", True),
                ask=node.get("ask", True),
                red_flag=node.get("red_flag", False),
                derived_from=tuple(node.get("derived_from", ())),
                line=line_of(node) or 0,
                code=self.code(node.get("code"), f"{path}.code", node),
            )
        for factor in out.values():
            for dep in factor.derived_from:
                if dep not in out:
                    self.problem(
                        f"derived_from names an unknown factor {dep!r}{suggest(dep, out)}",
                        f"factors ({factor.id}).derived_from",
                        None,
                    )
            if factor.derived_from and factor.id != "bmi":
                self.problem("only 'bmi' can be derived (from height_cm and weight_kg)", f"factors ({factor.id})", None)
        if "condition" not in out:
            self.problem(
                "the factors must include 'condition' (it picks the diagnosis and its options)",
                "factors",
                doc,
                "factors",
            )
        return out

    def compile_ask_when(self, doc: Any, factors: dict[str, Factor], compiler: Compiler) -> dict[str, Factor]:
        for _i, node, path in self.items(doc, "factors"):
            if isinstance(node, Mapping) and "ask_when" in node and node.get("id") in factors:
                cond = compiler.compile(node["ask_when"], f"{self.label(node, path)}.ask_when", node, "ask_when")
                factor = factors[node["id"]]
                factors[factor.id] = replace(factor, ask_when=cond)
        return factors

    def source_ids(self, doc: Any) -> set[str]:
        return {
            n["id"]
            for _i, n, _p in self.items(doc, "sources")
            if isinstance(n, Mapping) and isinstance(n.get("id"), str)
        }

    def red_flags(self, doc: Any, compiler: Compiler) -> list[RedFlag]:
        out = []
        for i, node, path in self.items(doc, "red_flags"):
            path = self.label(node, path)
            if self.mapping(node, path, *SCHEMA["red_flag"], doc.get("red_flags"), i) is None:
                continue
            self.claim_id(node["id"], "red flag", path, node)
            self.cite(node, path)
            level = node.get("level", DEFAULT_LEVEL)
            if level not in URGENCY_LEVELS:
                self.problem(
                    f"level must be one of {', '.join(URGENCY_LEVELS)}{suggest(level, URGENCY_LEVELS)}, not {level!r}",
                    f"{path}.level",
                    node,
                    "level",
                )
            out.append(
                RedFlag(
                    node["id"],
                    node["title"].strip(),
                    node["text"].strip(),
                    node["action"].strip(),
                    compiler.compile(node["when"], f"{path}.when", node, "when"),
                    tuple(node["sources"]),
                    line_of(node) or 0,
                    level,
                )
            )
        return out

    def finding(
        self,
        node: Any,
        path: str,
        kind: str,
        parent: Any,
        index: int,
        option: str | None,
        compiler: Compiler | None = None,
    ) -> Finding | None:
        path = self.label(node, path)
        if (
            self.mapping(node, path, *SCHEMA["consideration" if kind == "consideration" else "finding"], parent, index)
            is None
        ):
            if isinstance(node, Mapping) and isinstance(node.get("id"), str):
                self.broken.add(node["id"])  # already reported: don't also call it unknown where it is used
            return None
        self.claim_id(node["id"], "finding", path, node)
        self.cite(node, path)
        estimate = self.estimate(node.get("estimate"), f"{path}.estimate", node) if "estimate" in node else None
        if "estimate" in node and estimate is None:
            self.broken.add(node["id"])
        when = compiler.compile(node["when"], f"{path}.when", node, "when") if compiler and "when" in node else None
        if "estimate" in node and "no_figure" in node:
            self.problem(
                "give either an estimate or no_figure (why there is no figure), not both", path, node, "no_figure"
            )
        return Finding(
            id=node["id"],
            kind=kind,
            title=node["title"].strip(),
            text=" ".join(node["text"].split()),
            sources=tuple(node["sources"]),
            estimate=estimate,
            option=option,
            when=when,
            line=line_of(node) or 0,
            no_figure=" ".join(node["no_figure"].split()) if isinstance(node.get("no_figure"), str) else None,
        )

    def estimate(self, node: Any, path: str, parent: Any) -> Estimate | None:
        checked = self.mapping(node, path, *SCHEMA["estimate"], parent, "estimate")
        if checked is None:
            return None
        typical = checked.get("typical")
        if not isinstance(typical, Mapping):
            return None
        if self.mapping(typical, f"{path}.typical", *SCHEMA["span"], checked, "typical") is None:
            return None
        low, high = typical.get("low"), typical.get("high")
        if not (_is_number(low) and _is_number(high)):
            return None
        if not 0 <= low <= high <= 100:
            self.problem(
                f"a figure must satisfy 0 <= low <= high <= 100 (people in 100), got low {low}, high {high}",
                f"{path}.typical",
                checked,
                "typical",
            )
        if checked.get("evidence") not in EVIDENCE_KINDS:
            self.problem(
                "evidence must be one of "
                f"{', '.join(EVIDENCE_KINDS)}{suggest(checked.get('evidence'), EVIDENCE_KINDS)}",
                f"{path}.evidence",
                checked,
                "evidence",
            )
        span = None
        if (
            isinstance(checked.get("range"), Mapping)
            and self.mapping(checked["range"], f"{path}.range", *SCHEMA["span"], checked, "range") is not None
        ):
            rlow, rhigh = checked["range"]["low"], checked["range"]["high"]
            if not 0 <= rlow <= low <= high <= rhigh <= 100:
                self.problem(
                    "the range must hold the figure: 0 <= range low <= low <= high <= range high <= 100, "
                    f"got {rlow} to {rhigh}",
                    f"{path}.range",
                    checked,
                    "range",
                )
            span = (float(rlow), float(rhigh))
        bound = checked.get("bound")
        if bound is not None:
            if bound not in BOUNDS:
                self.problem(
                    f"bound must be one of {', '.join(BOUNDS)}{suggest(bound, BOUNDS)}",
                    f"{path}.bound",
                    checked,
                    "bound",
                )
                bound = None
            elif low != high:
                self.problem(
                    f"a figure with bound {bound} is one number: give low and high the same value",
                    f"{path}.typical",
                    checked,
                    "typical",
                )
        outcome = checked.get("outcome")
        if outcome is not None and self.outcome_ids is not None and outcome not in self.outcome_ids:
            self.problem(
                f"unknown outcome {outcome!r}{suggest(outcome, self.outcome_ids)}; declare it under 'outcomes'",
                f"{path}.outcome",
                checked,
                "outcome",
            )
        per = checked.get("per", 100)
        if per not in DENOMINATORS:
            self.problem(
                f"per must be one of {', '.join(map(str, DENOMINATORS))} (the denominator the person sees)",
                f"{path}.per",
                checked,
                "per",
            )
            per = 100
        certainty = (
            self.certainty(checked["certainty"], f"{path}.certainty", checked) if "certainty" in checked else None
        )
        includes = tuple(checked.get("includes", ()))
        return Estimate(
            float(low),
            float(high),
            str(checked["timeframe"]).strip(),
            " ".join(str(checked["reference_class"]).split()),
            str(checked["evidence"]),
            span,
            bound,
            outcome if isinstance(outcome, str) else None,
            certainty,
            int(per),
            includes,
        )

    def options(self, doc: Any, grid_rows: tuple[GridRow, ...] = ()) -> tuple[dict[str, Option], dict[str, Finding]]:
        options: dict[str, Option] = {}
        findings: dict[str, Finding] = {}
        for i, node, path in self.items(doc, "options"):
            path = self.label(node, path)
            if (
                self.mapping(
                    node,
                    path,
                    *SCHEMA["option"],
                    doc.get("options"),
                    i,
                )
                is None
            ):
                continue
            self.claim_id(node["id"], "option", path, node)
            if node["kind"] not in OPTION_KINDS:
                self.problem(f"kind must be one of {', '.join(OPTION_KINDS)}", f"{path}.kind", node, "kind")
            groups: dict[str, list[Finding]] = {}
            for key, kind in (("benefits", "benefit"), ("risks", "risk"), ("recovery", "recovery")):
                groups[key] = []
                if not node[key]:
                    self.problem(
                        f"every option needs at least one item under '{key}' (balance: "
                        "benefits, risks and recovery for each option)",
                        f"{path}.{key}",
                        node,
                        key,
                    )
                for j, item in enumerate(node[key]):
                    found = self.finding(item, f"{path}.{key}[{j}]", kind, node[key], j, node["id"])
                    if found:
                        groups[key].append(found)
                        findings[found.id] = found
            grid: dict[str, str] = {}
            if grid_rows or "grid" in node:
                cells = node.get("grid", {})
                row_ids = [r.id for r in grid_rows]
                if "grid" not in node:
                    self.problem(
                        f"every option needs a 'grid' answering the same questions ({', '.join(row_ids)})", path, node
                    )
                elif self.mapping(cells, f"{path}.grid", dict.fromkeys(row_ids, "text"), {}, node, "grid") is not None:
                    grid = {r: " ".join(cells[r].split()) for r in row_ids}
            living: dict[str, str] = {}
            living_sources: tuple[str, ...] = ()
            if (
                isinstance(node.get("living"), Mapping)
                and self.mapping(node["living"], f"{path}.living", *SCHEMA["living"], node, "living") is not None
            ):
                living = {k: " ".join(node["living"][k].split()) for k in ("physical", "emotional", "social")}
                if "sources" in node["living"]:
                    self.cite(node["living"], f"{path}.living")
                    living_sources = tuple(node["living"]["sources"])
            options[node["id"]] = Option(
                node["id"],
                node["diagnosis"],
                node["kind"],
                node["title"].strip(),
                " ".join(node["summary"].split()),
                tuple(groups["benefits"]),
                tuple(groups["risks"]),
                tuple(groups["recovery"]),
                line_of(node) or 0,
                grid,
                living,
                living_sources,
            )
        return options, findings

    def diagnoses(
        self,
        doc: Any,
        factors: Mapping[str, Factor],
        options: Mapping[str, Option],
        grid_rows: tuple[GridRow, ...] = (),
    ) -> dict[str, Diagnosis]:
        out: dict[str, Diagnosis] = {}
        for i, node, path in self.items(doc, "diagnoses"):
            path = self.label(node, path)
            if self.mapping(node, path, *SCHEMA["diagnosis"], doc.get("diagnoses"), i) is None:
                continue
            self.claim_id(node["id"], "diagnosis", path, node)
            for j, opt in enumerate(node["options"]):
                if opt not in options:
                    self.problem(
                        f"unknown option {opt!r}{suggest(opt, options)}", f"{path}.options[{j}]", node["options"], j
                    )
                elif options[opt].diagnosis != node["id"]:
                    self.problem(
                        f"option {opt!r} belongs to diagnosis {options[opt].diagnosis!r}",
                        f"{path}.options[{j}]",
                        node["options"],
                        j,
                    )
            if "sources" in node:
                self.cite(node, path)
            compared: dict[str, tuple[str, ...]] = {}
            row_ids = [r.id for r in grid_rows]
            for row, ids in node["compared"].items() if isinstance(node.get("compared"), Mapping) else ():
                where = f"{path}.compared.{row}"
                if row not in row_ids:
                    self.problem(
                        f"unknown option grid row {row!r}{suggest(row, row_ids)}", where, node["compared"], row
                    )
                elif not self._type_ok(ids, "ids") or not ids:
                    self.problem("list the sources that every option quotes in this row", where, node["compared"], row)
                else:
                    self.cite({"sources": ids}, where)
                    compared[row] = tuple(ids)
            not_comparable: dict[str, str] = {}
            for outcome, reason in (
                node["not_comparable"].items() if isinstance(node.get("not_comparable"), Mapping) else ()
            ):
                where = f"{path}.not_comparable.{outcome}"
                if self.outcome_ids is not None and outcome not in self.outcome_ids:
                    self.problem(
                        f"unknown outcome {outcome!r}{suggest(outcome, self.outcome_ids)}",
                        where,
                        node["not_comparable"],
                        outcome,
                    )
                elif not self._type_ok(reason, "text"):
                    self.problem(
                        "say in plain words why the figures are not directly comparable",
                        where,
                        node["not_comparable"],
                        outcome,
                    )
                else:
                    not_comparable[outcome] = " ".join(reason.split())
            for j, outcome in enumerate(node.get("key_outcomes") or ()):
                if self.outcome_ids is not None and outcome not in self.outcome_ids:
                    self.problem(
                        f"unknown outcome {outcome!r}{suggest(outcome, self.outcome_ids)}",
                        f"{path}.key_outcomes[{j}]",
                        node["key_outcomes"],
                        j,
                    )
            out[node["id"]] = Diagnosis(
                node["id"],
                node["title"].strip(),
                " ".join(node["about"].split()),
                " ".join(node["decision"].split()),
                tuple(node["options"]),
                line_of(node) or 0,
                tuple(node.get("sources", ())),
                compared,
                not_comparable,
                tuple(node.get("key_outcomes") or ()),
            )
        condition = factors.get("condition")
        if condition is not None:
            for choice in condition.choice_ids:
                if choice not in out:
                    self.problem(
                        f"the condition choice {choice!r} has no entry under 'diagnoses'", "diagnoses", doc, "diagnoses"
                    )
            for ident, diag in out.items():
                if ident not in condition.choice_ids:
                    self.problem(
                        f"diagnosis {ident!r} is not a choice of the 'condition' factor", f"diagnoses ({ident})", None
                    )
                    _ = diag
        return out

    def check_options_used(self, options: Mapping[str, Option], diagnoses: Mapping[str, Diagnosis]) -> None:
        for option in options.values():
            if option.diagnosis not in diagnoses:
                self.problems.append(
                    Problem(
                        f"unknown diagnosis {option.diagnosis!r}{suggest(option.diagnosis, diagnoses)}",
                        field=f"options ({option.id}).diagnosis",
                        file=self.file,
                        line=option.line,
                    )
                )
            elif option.id not in diagnoses[option.diagnosis].options:
                self.problems.append(
                    Problem(
                        f"option {option.id!r} is not listed under its diagnosis {option.diagnosis!r}",
                        field=f"options ({option.id})",
                        file=self.file,
                        line=option.line,
                    )
                )

    def considerations(self, doc: Any, compiler: Compiler) -> list[Finding]:
        out = []
        for i, node, path in self.items(doc, "considerations"):
            found = self.finding(node, path, "consideration", doc.get("considerations"), i, None, compiler)
            if found:
                out.append(found)
        return out

    def rules(self, doc: Any, compiler: Compiler, findings: Mapping[str, Finding]) -> list[Rule]:
        out = []
        for i, node, path in self.items(doc, "rules"):
            path = self.label(node, path)
            if self.mapping(node, path, *SCHEMA["rule"], doc.get("rules"), i) is None:
                continue
            self.claim_id(node["id"], "rule", path, node)
            self.cite(node, path)
            when = compiler.compile(node["when"], f"{path}.when", node, "when")
            certainty = self.certainty(node["certainty"], f"{path}.certainty", node) if "certainty" in node else None
            effects = []
            if not node["effects"]:
                self.problem(
                    "a rule needs at least one effect (the findings it tailors)", f"{path}.effects", node, "effects"
                )
            for j, eff in enumerate(node["effects"]):
                epath = f"{path}.effects[{j}]"
                if self.mapping(eff, epath, *SCHEMA["effect"], node["effects"], j) is None:
                    continue
                target = findings.get(eff["finding"])
                if target is None and eff["finding"] in self.broken:
                    continue
                if target is None:
                    self.problem(
                        f"unknown finding {eff['finding']!r}{suggest(eff['finding'], findings)}",
                        f"{epath}.finding",
                        eff,
                        "finding",
                    )
                    continue
                given = [k for k in ("relative_risk", "odds_ratio", "figure") if k in eff]
                if len(given) > 1:
                    self.problem(
                        f"give one of relative_risk, odds_ratio or figure, not {' and '.join(given)}", epath, eff
                    )
                figure, baseline = self._effect_span(eff, epath, "figure"), self._effect_span(eff, epath, "baseline")
                ratios = {}
                for key in ("relative_risk", "odds_ratio"):
                    value = eff.get(key)
                    if value is not None and self._type_ok(value, "number"):
                        if not 0 < value <= MAX_RATIO:
                            self.problem(f"{key} must be above 0 and at most {MAX_RATIO:,}", f"{epath}.{key}", eff, key)
                        ratios[key] = float(value)
                if (ratios or figure is not None) and target.estimate is None and target.id not in self.broken:
                    self.problem(f"finding {target.id!r} has no estimate to tailor", epath, eff, "finding")
                if figure is not None and target.estimate is not None and target.estimate.bound is not None:
                    self.problem(
                        f"finding {target.id!r} gives only a limit ({target.estimate.bound.replace('_', ' ')}), "
                        "so a subgroup figure cannot replace it; use a ratio",
                        f"{epath}.figure",
                        eff,
                        "figure",
                    )
                if baseline is not None and not ratios:
                    self.problem(
                        "a baseline goes with a relative_risk or odds_ratio (the ratio multiplies it)",
                        f"{epath}.baseline",
                        eff,
                        "baseline",
                    )
                if baseline is not None and target.estimate is not None and target.estimate.bound is not None:
                    self.problem(
                        f"finding {target.id!r} gives only a limit, so a baseline cannot replace it",
                        f"{epath}.baseline",
                        eff,
                        "baseline",
                    )
                if ("timeframe" in eff or "reference_class" in eff) and figure is None and baseline is None:
                    self.problem("timeframe and reference_class go with a figure or a baseline", epath, eff)
                effects.append(
                    Effect(
                        eff["finding"],
                        ratios.get("relative_risk"),
                        figure,
                        eff.get("timeframe"),
                        eff.get("reference_class"),
                        ratios.get("odds_ratio"),
                        baseline,
                        certainty if figure is not None else None,
                    )
                )
            out.append(
                Rule(
                    node["id"],
                    node["title"].strip(),
                    " ".join(node["text"].split()),
                    when,
                    tuple(effects),
                    tuple(node["sources"]),
                    line_of(node) or 0,
                    certainty,
                )
            )
        return out

    def _effect_span(self, eff: Mapping[str, Any], epath: str, key: str) -> tuple[float, float] | None:
        """An effect's `figure` or `baseline`: {low, high}, within 0..100."""
        fig = self.mapping(eff[key], f"{epath}.{key}", *SCHEMA["span"], eff, key) if key in eff else None
        if fig is None:
            return None
        low, high = fig.get("low"), fig.get("high")
        if not (_is_number(low) and _is_number(high)):
            return None
        if not 0 <= low <= high <= 100:
            self.problem(f"a {key} must satisfy 0 <= low <= high <= 100", f"{epath}.{key}", eff, key)
        return (float(low), float(high))

    def sources(self, doc: Any) -> dict[str, Source]:
        out: dict[str, Source] = {}
        for i, node, path in self.items(doc, "sources"):
            path = self.label(node, path)
            if self.mapping(node, path, *SCHEMA["source"], doc.get("sources"), i) is None:
                continue
            self.claim_id(node["id"], "source", path, node)
            if not any(node.get(k) for k in ("url", "pmid", "doi")):
                self.problem("a source needs a url, pmid or doi so a reader can find it", path, node)
            secondary = None
            if (
                "secondary" in node
                and self.mapping(node["secondary"], f"{path}.secondary", *SCHEMA["secondary_source"], node, "secondary")
                is not None
            ):
                url = node["secondary"]["url"].strip()
                if not url.startswith(("https://", "http://")):
                    self.problem(
                        "a secondary source's url must be a web address (https://...)",
                        f"{path}.secondary.url",
                        node["secondary"],
                        "url",
                    )
                secondary = SecondarySource(" ".join(node["secondary"]["citation"].split()), url)
            read = node.get("read")
            if read is not None and read not in READ_KINDS:
                self.problem(
                    f"read must be one of {', '.join(READ_KINDS)} (how the figures were read)",
                    f"{path}.read",
                    node,
                    "read",
                )
            elif read == "summary" and secondary is None and "summar" not in node["citation"].lower():
                self.problem(
                    "read: summary needs the summary named, under secondary or in the citation",
                    f"{path}.read",
                    node,
                    "read",
                )
            out[node["id"]] = Source(
                node["id"],
                " ".join(node["citation"].split()),
                node.get("url"),
                node.get("pmid"),
                node.get("doi"),
                secondary,
                read,
            )
        return out

    def grid_rows(self, node: Any) -> tuple[GridRow, ...]:
        if not isinstance(node, Mapping) or not isinstance(node.get("grid"), list):
            return ()
        rows = []
        for i, row in enumerate(node["grid"]):
            path = f"decision_support.grid[{i}]"
            if self.mapping(row, path, *SCHEMA["grid_row"], node["grid"], i) is not None:
                self.claim_id(row["id"], "grid row", path, row)
                rows.append(GridRow(row["id"], row["question"].strip()))
        return tuple(rows)

    def decision_support(
        self, node: Any, doc: Any, factors: Mapping[str, Factor], compiler: Compiler, grid_rows: tuple[GridRow, ...]
    ) -> DecisionSupport:
        if node is None:
            return DecisionSupport()
        path = "decision_support"
        if self.mapping(node, path, *SCHEMA["decision_support"], doc, path) is None:
            return DecisionSupport()

        def choice_factor(ident: Any, where: str, container: Any, key: Any) -> Factor | None:
            factor = factors.get(ident) if isinstance(ident, str) else None
            if factor is None:
                self.problem(f"unknown factor {ident!r}{suggest(ident, factors)}", where, container, key)
            elif factor.type != "choice":
                self.problem(f"{ident!r} must be a choice factor", where, container, key)
                return None
            return factor

        priorities = []
        placed: list[tuple[Any, str]] = []  # (yaml item, path) of each entry in ``priorities``
        for i, item in enumerate(node.get("priorities", [])):
            where = f"{path}.priorities[{i}]"
            if self.mapping(item, where, *SCHEMA["priority"], node["priorities"], i) is None:
                continue
            self.cite(item, where)
            factor = choice_factor(item["factor"], f"{where}.factor", item, "factor")
            if factor is not None:
                for value in item["matters"]:
                    if value not in factor.choice_ids:
                        self.problem(
                            f"{value!r} is not a choice of {factor.id!r}{suggest(value, factor.choice_ids)}",
                            f"{where}.matters",
                            item,
                            "matters",
                        )
            if item["fits"] not in PRIORITY_FITS:
                self.problem(f"fits must be one of {', '.join(PRIORITY_FITS)}", f"{where}.fits", item, "fits")
            when = compiler.compile(item["when"], f"{where}.when", item, "when") if "when" in item else None
            priorities.append(
                Priority(
                    item["factor"],
                    frozenset(item["matters"]),
                    item["fits"],
                    " ".join(item["text"].split()),
                    tuple(item["sources"]),
                    when,
                )
            )
            placed.append((item, where))
        self.check_priorities_do_not_overlap(priorities, placed, factors)

        leaning = node.get("leaning")
        if leaning is not None:
            choice_factor(leaning, f"{path}.leaning", node, "leaning")

        sure = []
        for i, item in enumerate(node.get("sure", [])):
            where = f"{path}.sure[{i}]"
            if self.mapping(item, where, *SCHEMA["sure_item"], node["sure"], i) is None:
                continue
            factor = choice_factor(item["factor"], f"{where}.factor", item, "factor")
            if factor is not None and set(factor.choice_ids) != {"yes", "no"}:
                self.problem(
                    f"a SURE question must be answered yes or no; {factor.id!r} has {', '.join(factor.choice_ids)}",
                    f"{where}.factor",
                    item,
                    "factor",
                )
            sure.append(SureItem(item["factor"], " ".join(item["next_step"].split())))

        questions = []
        for i, item in enumerate(node.get("questions_to_ask", [])):
            where = f"{path}.questions_to_ask[{i}]"
            if self.mapping(item, where, *SCHEMA["question_to_ask"], node["questions_to_ask"], i) is None:
                continue
            self.claim_id(item["id"], "question to ask", where, item)
            when = compiler.compile(item["when"], f"{where}.when", item, "when") if "when" in item else None
            questions.append(QuestionToAsk(item["id"], " ".join(item["text"].split()), when))

        quiz = []
        for i, item in enumerate(node.get("knowledge_check", [])):
            where = f"{path}.knowledge_check[{i}]"
            if self.mapping(item, where, *SCHEMA["quiz_item"], node["knowledge_check"], i) is None:
                continue
            self.claim_id(item["id"], "knowledge check", where, item)
            self.cite(item, where)
            when = compiler.compile(item["when"], f"{where}.when", item, "when") if "when" in item else None
            quiz.append(
                QuizItem(
                    item["id"],
                    " ".join(item["statement"].split()),
                    item["answer"],
                    " ".join(item["explanation"].split()),
                    tuple(item["sources"]),
                    when,
                )
            )
        return DecisionSupport(grid_rows, tuple(priorities), leaning, tuple(sure), "yes", tuple(questions), tuple(quiz))

    def check_priorities_do_not_overlap(
        self, priorities: list[Priority], placed: list[tuple[Any, str]], factors: Mapping[str, Factor]
    ) -> None:
        """Several priorities may share a factor (e.g. one text per condition), but then each needs a
        ``when`` and no set of answers may show two of them: a report shows each question once.
        Checked by trying every combination of answers to the choice factors the conditions read."""
        by_factor: dict[str, list[int]] = {}
        for i, p in enumerate(priorities):
            by_factor.setdefault(p.factor, []).append(i)
        for factor_id, group in by_factor.items():
            if len(group) < 2:
                continue
            whens = {i: priorities[i].when for i in group}
            conditions = {i: when for i, when in whens.items() if when is not None}
            if len(conditions) < len(group):
                for i in group:
                    if whens[i] is None:
                        item, where = placed[i]
                        self.problem(
                            f"{factor_id!r} has several priorities, so each needs a 'when' that says when it is shown",
                            where,
                            item,
                            "factor",
                        )
                continue
            read = sorted(set().union(*(when.factors() for when in conditions.values())))
            bad = [f for f in read if f not in factors or factors[f].type != "choice"]
            if bad:
                item, where = placed[group[0]]
                self.problem(
                    f"the priorities for {factor_id!r} may only read choice factors in 'when' (so they can be checked "
                    f"not to overlap); {', '.join(bad)} is not one",
                    where,
                    item,
                    "when",
                )
                continue
            combos = 1
            for f in read:
                combos *= len(factors[f].choice_ids) + 1
            if combos > 100_000:
                item, where = placed[group[0]]
                self.problem(
                    f"the priorities for {factor_id!r} read too many factors to check that they do not overlap",
                    where,
                    item,
                    "when",
                )
                continue
            answers: list[dict[str, Any]] = [{}]
            for f in read:  # every answer, and no answer at all
                answers = [{**a, f: v} for a in answers for v in (*factors[f].choice_ids, None)]
            reported: set[tuple[int, int]] = set()
            for a in answers:
                shown = [i for i in group if conditions[i](a)]
                for j in shown[1:]:
                    if (shown[0], j) not in reported:
                        reported.add((shown[0], j))
                        item, where = placed[j]
                        detail = ", ".join(f"{k}={v}" for k, v in a.items() if v is not None)
                        self.problem(
                            f"this priority for {factor_id!r} overlaps {placed[shown[0]][1]} (both are shown when "
                            f"{detail or 'nothing is answered'}); their 'when' conditions must not overlap",
                            where,
                            item,
                            "when",
                        )

    def check_unused_sources(self, doc: Any) -> None:
        for _i, node, path in self.items(doc, "sources"):
            if (
                isinstance(node, Mapping)
                and node.get("id") in self.known_sources
                and node["id"] not in self.used_sources
            ):
                self.problem(
                    f"source {node['id']!r} is never cited; remove it or cite it", self.label(node, path), node, "id"
                )
