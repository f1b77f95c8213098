"""Comparable by construction: outcome pairs, certainty and denominators, checked over a ruleset.

A *pair* is two options' findings, in one diagnosis, that name the same outcome. A pair whose
findings cite no study in common comes from different studies of different people: the diagnosis
must declare that outcome under ``not_comparable`` with the reason, and reports say so beside it.
``problems()`` lists what breaks these promises (``rules check`` reports them with file:line);
the pairs (worked out at load, ``Ruleset.index.pairs``) are what the engine puts beside each finding.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .errors import Problem
from .rules import Effect, Finding, Ruleset
from .rules.model import Pair as Pair  # the other finding of a pair (its home is the rules' index)

#: Evidence kinds whose figures are said in words and never pictured: they must be graded very low.
WEAK_EVIDENCE = ("patient_information", "practice_estimate", "expert_opinion")


def pairs(ruleset: Ruleset) -> Mapping[str, tuple[Pair, ...]]:
    """Finding id -> the other options' findings in its diagnosis that answer the same outcome
    (worked out from the ruleset as it is: ``Ruleset.index.pairs`` holds the same, from load)."""
    from .rules.index import pairs_of  # only rules check and replaced rulesets need it: the engine reads the index

    return pairs_of(ruleset.diagnoses, ruleset.options)


def problems(ruleset: Ruleset) -> list[Problem]:
    """Everything in the file that breaks comparability, certainty or denominators (file:line)."""
    file = ruleset.path
    out: list[Problem] = []

    def add(message: str, line: int) -> None:
        out.append(Problem(message, file=file, line=line or None))

    if not ruleset.outcomes:
        add("the rules file declares no outcomes: add an 'outcomes' list, and name one in every figure's estimate", 0)
    per_of: dict[str, tuple[int, str]] = {}
    for finding in ruleset.findings.values():
        e = finding.estimate
        if e is None:
            continue
        if not e.outcome:
            add(
                f"finding {finding.id!r}: its figure names no outcome (estimate.outcome, from the file's 'outcomes')",
                finding.line,
            )
        if e.certainty is None:
            add(
                f"finding {finding.id!r}: its figure has no certainty (estimate.certainty: "
                "level high, moderate, low or very_low, and a reason)",
                finding.line,
            )
        elif e.evidence in WEAK_EVIDENCE and e.certainty.level != "very_low":
            add(
                f"finding {finding.id!r}: a figure from {e.evidence.replace('_', ' ')} would be pictured as if a "
                "study had measured it; grade it very_low, so it is said in words and never pictured",
                finding.line,
            )
        if e.outcome:
            first = per_of.setdefault(e.outcome, (e.per, finding.id))
            if first[0] != e.per:
                add(
                    f"finding {finding.id!r} shows outcome {e.outcome!r} per {e.per:,}, "
                    f"but {first[1]!r} shows it per {first[0]:,}; one outcome has one denominator",
                    finding.line,
                )
        out += _denominator(finding.id, e.low, e.per, finding.line, file)
        for ident in e.includes:
            other = ruleset.findings.get(ident)
            if other is None or other.option != finding.option or other.estimate is None:
                add(
                    f"finding {finding.id!r} includes {ident!r}, which is not a finding with a figure in the same "
                    "option",
                    finding.line,
                )
    for rule in ruleset.rules:
        for effect in rule.effects:
            target = ruleset.findings.get(effect.finding)
            if effect.figure is None or target is None or target.estimate is None:
                continue
            if rule.certainty is None:
                add(
                    f"rule {rule.id!r} gives {effect.finding!r} a subgroup figure with no certainty (the rule's "
                    "certainty: level and reason)",
                    rule.line,
                )
            out += _denominator(f"{rule.id} ({effect.finding})", effect.figure[0], target.estimate.per, rule.line, file)
    out += _pair_problems(ruleset)
    return out


def _denominator(what: str, low: float, per: int, line: int, file: str) -> list[Problem]:
    """A figure under 1 in 100 is shown per 1,000 or 10,000, and is at least 1 in what is shown."""
    if low <= 0 or low * per / 100 >= 1 - 1e-9:
        return []
    need = 1000 if low * 10 >= 1 else 10000
    return [
        Problem(
            f"{what}: {low:g} in 100 would be shown as a fraction of a person per {per:,}; "
            f"give its outcome's figures per: {need}",
            file=file,
            line=line or None,
        )
    ]


def _pair_problems(ruleset: Ruleset) -> list[Problem]:
    from .rules.index import figured

    out: list[Problem] = []
    found = pairs(ruleset)
    for diagnosis in ruleset.diagnoses.values():
        different: set[str] = set()
        for option_id in diagnosis.options:
            for finding in figured(ruleset.options[option_id]):
                assert finding.estimate is not None and finding.estimate.outcome is not None
                for pair in found.get(finding.id, ()):
                    if pair.same_study:
                        continue
                    different.add(finding.estimate.outcome)
                    if finding.estimate.outcome not in diagnosis.not_comparable and finding.id < pair.finding:
                        out.append(
                            Problem(
                                f"findings {finding.id!r} ({option_id}) and {pair.finding!r} ({pair.option}) both "
                                f"give outcome {finding.estimate.outcome!r} "
                                f"but cite different studies; declare it under diagnosis {diagnosis.id!r} "
                                "not_comparable, with the reason in plain words",
                                file=ruleset.path,
                                line=finding.line or None,
                            )
                        )
        for outcome in diagnosis.not_comparable:
            if outcome not in different:
                out.append(
                    Problem(
                        f"diagnosis {diagnosis.id!r} declares {outcome!r} not comparable, "
                        "but no two of its options give it from different studies",
                        file=ruleset.path,
                        line=diagnosis.line or None,
                    )
                )
    return out


def graded(ruleset: Ruleset, levels: tuple[str, ...] = ("low", "very_low")) -> list[str]:
    """One line per figure graded at these levels: what `rules check` lists for the reviewers."""
    out = []
    for finding in ruleset.findings.values():
        c = finding.estimate.certainty if finding.estimate else None
        if c is not None and c.level in levels:
            out.append(f"line {finding.line}: {finding.id} is {c.level.replace('_', ' ')} certainty: {c.reason}")
    for rule in ruleset.rules:
        if rule.certainty is not None and rule.certainty.level in levels and any(e.figure for e in rule.effects):
            out.append(
                f"line {rule.line}: rule {rule.id}'s subgroup figure is {rule.certainty.level.replace('_', ' ')} "
                f"certainty: {rule.certainty.reason}"
            )
    return out


# --- what the engine puts in each report ----------------------------------------------------


def figure_fields(ruleset: Ruleset, finding: Finding, effects: list[Effect]) -> dict[str, Any]:
    """The FigureView fields this module owns: outcome, certainty, denominator, picture, includes."""
    from .report import CertaintyView

    e = finding.estimate
    assert e is not None
    typical = CertaintyView(e.certainty.level, e.certainty.reason) if e.certainty else None
    figures = [x for x in effects if x.figure is not None]
    best = max(figures, key=lambda x: (x.figure[1], x.figure[0])) if figures else None  # type: ignore[index]
    mine = (
        CertaintyView(best.certainty.level, best.certainty.reason) if best is not None and best.certainty else typical
    )
    weak = e.evidence in WEAK_EVIDENCE or any(c is not None and c.level == "very_low" for c in (mine, typical))
    includes = tuple((i, ruleset.findings[i].title) for i in e.includes if i in ruleset.findings)
    return {
        "outcome": e.outcome,
        "certainty": mine,
        "typical_certainty": typical,
        "per": e.per,
        "pictured": e.per == 100 and not weak,
        "includes": includes,
    }


def pair_views(ruleset: Ruleset, finding_id: str) -> tuple[Any, ...]:
    from .report import PairView

    return tuple(
        PairView.of(p.option, ruleset.options[p.option].title, p.finding, p.same_study, p.reason)
        for p in ruleset.index.pairs.get(finding_id, ())
    )
