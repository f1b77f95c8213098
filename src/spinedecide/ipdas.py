"""The IPDAS checklist (``spinedecide rules check --ipdas``): the criteria of the international
standard for patient decision aids that software can check on a rules file (IPDASi v4.0
numbering, as tabulated by Légaré 2016; probability items from IPDASi). Qualifying and
certifying criteria must all be met; those only people can show need a record in the metadata.
"""

from __future__ import annotations

from typing import Any

from msgspec import Struct

from .errors import Problem
from .rules import Option, Ruleset

MET, NOT_MET, NOT_APPLICABLE = "met", "not met", "not applicable"
#: A criterion only people can show (field tests, external review): never "met" without a record
#: (metadata.evaluation: who, when, how); reported, but it does not fail the exit code.
NEEDS_EVIDENCE = "needs evidence"
#: Criteria software cannot verify, paraphrased from the IPDAS development criteria:
#: (metadata.evaluation key, wording).
HUMAN_CRITERIA = (
    ("field_test_patients", "The decision aid was field tested with patients who were facing the decision."),
    (
        "field_test_clinicians",
        "The decision aid was field tested with clinicians who counsel patients facing the decision.",
    ),
    ("external_review", "The decision aid was peer reviewed by patients and professionals not involved in making it."),
)


class Criterion(Struct, frozen=True):
    number: str
    level: str  # qualifying | certifying | probability | quality
    wording: str
    status: str
    details: tuple[Problem, ...] = ()


class _Checklist:
    """The criteria found so far, with the rules file they are about."""

    def __init__(self, ruleset: Ruleset) -> None:
        self.ruleset = ruleset
        self.file = ruleset.path
        self.meta: Any = ruleset.metadata
        self.out: list[Criterion] = []
        self.decided = [d for d in ruleset.diagnoses.values() if d.options]
        self.options: list[Option] = [ruleset.options[o] for d in self.decided for o in d.options]
        self.estimates = [f for f in ruleset.findings.values() if f.estimate]

    def add(self, number: str, level: str, wording: str, problems: list[Problem], applicable: bool = True) -> None:
        status = NOT_APPLICABLE if not applicable else (NOT_MET if problems else MET)
        self.out.append(Criterion(number, level, wording, status, tuple(problems)))

    def missing_meta(self, *keys: str) -> list[Problem]:
        return [Problem(f"metadata.{k} is missing or empty", file=self.file) for k in keys if not self.meta.get(k)]

    def problem(self, message: str, line: int | None = None) -> Problem:
        return Problem(message, file=self.file, line=line)


def ipdas(ruleset: Ruleset) -> list[Criterion]:
    """Check the IPDAS criteria that software can check (IPDASi v4.0 numbering, as tabulated by
    Légaré 2016; probability items from IPDASi). Qualifying and certifying criteria must all be met."""
    c = _Checklist(ruleset)
    _content(c)
    _living(c)
    _equal_detail(c)
    _development(c)
    _probabilities(c)
    _quality(c)
    _human(c)
    return c.out


def ipdas_failed(criteria: list[Criterion]) -> bool:
    return any(c.status == NOT_MET and c.level in ("qualifying", "certifying") for c in criteria)


def _content(c: _Checklist) -> None:
    """1.1.1 to 1.1.5: the condition, the decision, the options, and each option's good and bad sides."""
    ruleset = c.ruleset
    c.add(
        "1.1.1",
        "qualifying",
        "The decision aid describes the health condition or problem for which the index decision is required.",
        [
            c.problem(f"diagnosis {d.id!r} has no description ('about')", d.line)
            for d in ruleset.diagnoses.values()
            if not d.about.strip()
        ],
    )
    c.add(
        "1.1.2",
        "qualifying",
        "The decision aid explicitly states the decision that needs to be considered.",
        [
            c.problem(f"diagnosis {d.id!r} does not state the decision", d.line)
            for d in ruleset.diagnoses.values()
            if not d.decision.strip()
        ],
    )
    problems = []
    for d in c.decided:
        kinds = {ruleset.options[o].kind for o in d.options}
        if len(d.options) < 2:
            problems.append(c.problem(f"diagnosis {d.id!r} offers fewer than two options", d.line))
        if "non_surgical" not in kinds:
            problems.append(c.problem(f"diagnosis {d.id!r} has no option without surgery", d.line))
    c.add("1.1.3", "qualifying", "The decision aid describes the options available for the index decision.", problems)
    c.add(
        "1.1.4",
        "qualifying",
        "The decision aid describes the positive features (benefits or advantages) of each option.",
        [c.problem(f"option {o.id!r} lists no benefits", o.line) for o in c.options if not o.benefits],
    )
    c.add(
        "1.1.5",
        "qualifying",
        "The decision aid describes the negative features (harms, side effects or disadvantages) of each option.",
        [c.problem(f"option {o.id!r} lists no risks", o.line) for o in c.options if not o.risks],
    )


def _living(c: _Checklist) -> None:
    """1.2.1: the options can be compared, and living with each is described."""
    problems = [
        c.problem(f"option {o.id!r} does not say what living with it is like ('recovery')", o.line)
        for o in c.options
        if not o.recovery
    ]
    if any(o.living for o in c.options):  # once a file describes living with options, every option must
        problems += [
            c.problem(
                f"option {o.id!r} does not describe living with it ('living': physical, emotional, social)", o.line
            )
            for o in c.options
            if not o.living
        ]
    c.add(
        "1.2.1",
        "qualifying",
        "The decision aid makes it possible to compare the positive and negative features of the available options, "
        "and describes what it is like to experience the consequences of the options (physical, psychological, "
        "social).",
        problems,
    )


def _equal_detail(c: _Checklist) -> None:
    """2.1.1: every option of a diagnosis has a figure (or says why not) for its benefits and its risks alike."""
    problems = []
    for d in c.decided:
        shapes = {}
        for o in (c.ruleset.options[i] for i in d.options):
            shapes[o.id] = (
                any(f.estimate or f.no_figure for f in o.benefits),
                any(f.estimate or f.no_figure for f in o.risks),
            )
        if len(set(shapes.values())) > 1:
            detail = ", ".join(
                f"{k}: benefit figure {'yes' if b else 'no'}, risk figure {'yes' if r else 'no'}"
                for k, (b, r) in shapes.items()
            )
            problems.append(
                c.problem(
                    f"the options for {d.id!r} are not given in equal detail ({detail}); "
                    "give a figure, or say plainly with no_figure why there is none",
                    d.line,
                )
            )
    c.add(
        "2.1.1",
        "certifying",
        "The decision aid shows the negative and positive features of options with equal detail (for example, "
        "using similar fonts, order and display of statistical information).",
        problems,
    )


def _development(c: _Checklist) -> None:
    """2.2.1 to 2.3.1: citations, dates, the update policy, uncertainty and funding."""
    ruleset = c.ruleset
    problems = [
        c.problem(f"source {s.id!r} has no url, pmid or doi")
        for s in ruleset.sources.values()
        if not (s.url or s.pmid or s.doi)
    ]
    problems += [
        c.problem(f"finding {f.id!r} cites no source", f.line) for f in ruleset.findings.values() if not f.sources
    ]
    c.add("2.2.1", "certifying", "The decision aid provides citations to the studies selected.", problems)
    c.add(
        "2.2.2",
        "certifying",
        "The decision aid provides a production or publication date.",
        c.missing_meta("published"),
    )
    c.add(
        "2.2.3",
        "certifying",
        "The decision aid provides information about the update policy.",
        c.missing_meta("update_policy", "next_review"),
    )
    c.add(
        "2.2.4",
        "certifying",
        "The decision aid provides information about the levels of uncertainty around event or outcome probabilities "
        "(for example, by giving a range or by using phrases such as 'our best estimate is').",
        [
            c.problem(f"finding {f.id!r}: its figure does not say what kind of evidence it comes from", f.line)
            for f in c.estimates
            if f.estimate is not None and not f.estimate.evidence
        ],
    )
    c.add(
        "2.3.1",
        "certifying",
        "The decision aid provides information about the funding used for development.",
        c.missing_meta("funding"),
    )


def _probabilities(c: _Checklist) -> None:
    """P1 to P8: how the figures are given."""
    from . import comparable

    estimates = c.estimates
    c.add(
        "P1",
        "probability",
        "Probabilities of outcomes are given.",
        [] if estimates else [c.problem("no finding has a figure")],
    )
    c.add(
        "P2",
        "probability",
        "The reference class (who the figure is about) is defined.",
        [
            c.problem(f"finding {f.id!r} does not say who its figure is about", f.line)
            for f in estimates
            if f.estimate is not None and not f.estimate.reference_class
        ],
    )
    c.add("P3", "probability", "Event rates are given as natural frequencies (N in 100 people).", [])
    c.add(
        "P4",
        "probability",
        "A time period is given for each probability.",
        [
            c.problem(f"finding {f.id!r} has no time frame", f.line)
            for f in estimates
            if f.estimate is not None and not f.estimate.timeframe
        ],
    )
    shape = comparable.problems(c.ruleset)
    c.add(
        "P5",
        "probability",
        "Probabilities of options are compared with the same denominator.",
        [p for p in shape if "denominator" in p.message or "fraction of a person" in p.message],
    )
    c.add(
        "P6",
        "probability",
        "The uncertainty around probabilities is described (evidence kind, certainty in GRADE's four levels, "
        "and a range where the source gives one).",
        [
            c.problem(f"finding {f.id!r} has no evidence kind", f.line)
            for f in estimates
            if f.estimate is not None and not f.estimate.evidence
        ]
        + [p for p in shape if "no certainty" in p.message],
    )
    c.add(
        "P7",
        "probability",
        "The person can see probabilities for people like them (tailored figures).",
        [] if any(r.effects for r in c.ruleset.rules) else [c.problem("no rule tailors any figure")],
    )
    c.add(
        "P8",
        "probability",
        "Probabilities are shown in more than one way (words, numbers and a picture of 100 people).",
        [],
    )


def _quality(c: _Checklist) -> None:
    """Conflicts of interest, authors, reviewers and the evidence search."""
    c.add(
        "Q-COI",
        "quality",
        "The decision aid reports conflicts of interest of its developers.",
        c.missing_meta("conflicts_of_interest"),
    )
    c.add(
        "Q-DEV",
        "quality",
        "The decision aid names its authors and reviewers, and the date of the evidence search.",
        c.missing_meta("authors", "reviewers", "evidence_search"),
    )


#: Each criterion only people can show, by its metadata.evaluation key: its number in the checklist.
_HUMAN_NUMBERS = {"field_test_patients": "D-FT1", "field_test_clinicians": "D-FT2", "external_review": "D-PR"}


def _human(c: _Checklist) -> None:
    """Field tests and external review: met only with a record (who, when, how) in the metadata."""
    records = c.meta.get("evaluation") or {}
    for key, wording in HUMAN_CRITERIA:
        record = records.get(key)
        status = MET if record else NEEDS_EVIDENCE
        details = (
            ()
            if record
            else (
                c.problem(
                    f"software cannot check this; record it under metadata.evaluation.{key} (who, when, "
                    "how) once it is done"
                ),
            )
        )
        c.out.append(
            Criterion(
                _HUMAN_NUMBERS[key],
                "development",
                wording + (f" Recorded: {record['who']}, {record['when']}: {record['how']}" if record else ""),
                status,
                details,
            )
        )
