"""Tools for the people who write rules: a thorough check of a rules file beyond loading.

``check(path)`` loads the file (every load error is reported with file:line) and then looks for
what loading cannot see: rules and red flags that no answers can ever fire (contradictory
conditions), relative risks below 1 on a risk, and patient text above the reading-grade limit.
The IPDAS checklist (``ipdas``) is in ``ipdas.py``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from msgspec import Struct, field

from ._lines import one_line
from .conditions import UNKNOWN, Compare, Condition, Equals, Member
from .errors import Problem, RulesError
from .estimates import tailor
from .rules import Factor, Option, Ruleset, load_rules

MAX_SENTENCE_GRADE = 12.0
MAX_AVERAGE_GRADE = 8.0
#: Medical words the text must use; they are read as one short word when grading.
MEDICAL_TERMS = (
    "herniated",
    "sciatica",
    "stenosis",
    "spondylolisthesis",
    "scoliosis",
    "physiotherapy",
    "physical therapy",
    "decompression",
    "laminectomy",
    "discectomy",
    "microdiscectomy",
    "anaesthetic",
    "anesthetic",
    "deformity",
    "vertebra",
    "instability",
    "osteoporosis",
    "dural",
    "pulmonary embolism",
    "thrombosis",
    "anti-inflammatory",
    "opioids",
    "epidural",
    "rehabilitation",
    "medical",
)
_MAX_COMBINATIONS = 200_000


class CheckResult(Struct):
    file: str
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    ruleset: Ruleset | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


def check(path: str | Path | None = None, *, readability: bool = True) -> CheckResult:
    try:
        ruleset = load_rules(path)
    except RulesError as exc:
        return CheckResult(str(path or "factors.yaml (shipped)"), errors=list(exc.problems))
    result = CheckResult(ruleset.path, ruleset=ruleset)
    _check_satisfiable(ruleset, result)
    _check_directions(ruleset, result)
    _check_compared_rows(ruleset, result)
    _check_red_flag_levels(ruleset, result)
    _check_comparable(ruleset, result)
    _check_key_outcomes(ruleset, result)
    _check_unused_questions(ruleset, result)
    if readability:
        _check_readability(ruleset, result)
    return result


def _check_unused_questions(ruleset: Ruleset, result: CheckResult) -> None:
    """Questions no report can use (relevance.py): the interview never asks them."""
    from .relevance import unused

    for ident in unused(ruleset):
        factor = ruleset.factors[ident]
        result.warnings.append(
            Problem(
                f"factor {ident!r}: no report can use its answer (no red flag, rule, finding, consideration or "
                "decision-support item reads it for any condition), so the interview never asks it",
                file=ruleset.path,
                line=factor.line,
            )
        )


# --- conditions that can never be true -------------------------------------------------------


def _atoms(cond: Any) -> Iterator[Any]:
    yield cond
    for name in getattr(cond, "__struct_fields__", ()):
        value = getattr(cond, name)
        if isinstance(value, Condition):
            yield from _atoms(value)
        elif isinstance(value, tuple):
            for item in value:
                if isinstance(item, Condition):
                    yield from _atoms(item)


def candidate_values(factor: Factor, cond: Condition) -> list[Any]:
    """Values that cover every case the condition can tell apart (plus unknown and missing)."""
    values: list[Any] = [None]
    if factor.unknown or not factor.required:
        values.append(UNKNOWN)
    if factor.type == "choice":
        # A condition can only tell apart the values it names; one other value stands for the rest.
        named: set[Any] = set()
        for atom in _atoms(cond):
            if isinstance(atom, Equals) and atom.factor == factor.id:
                named.add(atom.value)
            elif isinstance(atom, Member) and atom.factor == factor.id:
                named.update(atom.values)
        others = [c for c in factor.choice_ids if c not in named]
        return values + [c for c in factor.choice_ids if c in named] + others[:1]
    step = 1 if factor.type == "integer" else 0.01
    points = {factor.min, factor.max}
    for atom in _atoms(cond):
        if isinstance(atom, Compare) and atom.factor == factor.id:
            points.update({atom.value - step, atom.value, atom.value + step})
        elif isinstance(atom, (Equals,)) and atom.factor == factor.id and isinstance(atom.value, (int, float)):
            points.update({atom.value - step, atom.value, atom.value + step})
        elif isinstance(atom, Member) and atom.factor == factor.id:
            points.update(v for v in atom.values if isinstance(v, (int, float)))
    low, high = (
        factor.min if factor.min is not None else float("-inf"),
        factor.max if factor.max is not None else float("inf"),
    )
    return values + sorted(p for p in points if p is not None and low <= p <= high)


def satisfiable(ruleset: Ruleset, cond: Condition) -> bool | None:
    """True if some answers make the condition true; None if there are too many cases to try.

    Parts of an ``all`` that read different factors are independent, so each group of parts
    is tried on its own; within a group every case the condition can tell apart is tried.
    """
    from .conditions import All

    if isinstance(cond, All) and len(cond.parts) > 1:
        groups: list[tuple[set[str], list[Condition]]] = []
        for part in cond.parts:
            names = set(part.factors())
            joined = [g for g in groups if g[0] & names]
            merged: tuple[set[str], list[Condition]] = (names, [part])
            for g in joined:
                groups.remove(g)
                merged = (merged[0] | g[0], merged[1] + g[1])
            groups.append(merged)
        if len(groups) > 1:
            verdicts = [_try_all(ruleset, All(tuple(parts))) for _names, parts in groups]
            if False in verdicts:
                return False
            return None if None in verdicts else True
    return _try_all(ruleset, cond)


def _try_all(ruleset: Ruleset, cond: Condition) -> bool | None:
    names = sorted(cond.factors())
    pools = [candidate_values(ruleset.factors[n], cond) for n in names]
    total = 1
    for pool in pools:
        total *= len(pool)
    if total > _MAX_COMBINATIONS:
        return None
    for combo in itertools.product(*pools):
        answers = {n: v for n, v in zip(names, combo, strict=True) if v is not None}
        if cond(answers):
            return True
    return False


def _check_satisfiable(ruleset: Ruleset, result: CheckResult) -> None:
    items: list[tuple[str, str, Condition, int]] = []
    items += [("rule", r.id, r.when, r.line) for r in ruleset.rules]
    items += [("red flag", r.id, r.when, r.line) for r in ruleset.red_flags]
    items += [("consideration", c.id, c.when, c.line) for c in ruleset.considerations if c.when is not None]
    items += [("question", f.id, f.ask_when, f.line) for f in ruleset.factors.values() if f.ask_when.factors()]
    for kind, ident, cond, line in items:
        verdict = satisfiable(ruleset, cond)
        if verdict is False:
            result.errors.append(
                Problem(
                    f"{kind} {ident!r} can never apply: no answers make its condition true ({cond.describe()})",
                    file=ruleset.path,
                    line=line,
                )
            )
        elif verdict is None:
            result.notes.append(f"{kind} {ident!r}: too many combinations to check whether it can apply")


def _check_red_flag_levels(ruleset: Ruleset, result: CheckResult) -> None:
    """Each red flag's advice must say what the banner of its level says (now, today, soon)."""
    from .urgency import ACTION_WORDS

    for flag in ruleset.red_flags:
        words = ACTION_WORDS.get(flag.level, ())
        if not any(w in flag.action.lower() for w in words):
            said = " or ".join(repr(w) for w in words)
            result.warnings.append(
                Problem(
                    f"red flag {flag.id!r} is at level {flag.level!r}, but its action does not say {said}; "
                    "the banner and the advice must agree",
                    file=ruleset.path,
                    line=flag.line,
                )
            )


def _check_directions(ruleset: Ruleset, result: CheckResult) -> None:
    for rule in ruleset.rules:
        for effect in rule.effects:
            finding = ruleset.findings.get(effect.finding)
            if finding is None or finding.kind != "risk" or finding.estimate is None:
                continue
            for name, ratio in (("relative risk", effect.relative_risk), ("odds ratio", effect.odds_ratio)):
                if ratio is not None and ratio < 1:
                    result.warnings.append(
                        Problem(
                            f"rule {rule.id!r} lowers the risk {finding.id!r} ({name} {ratio:g}); "
                            "check that this is a protective factor, not a risk factor",
                            file=ruleset.path,
                            line=rule.line,
                        )
                    )
            if effect.baseline is not None:
                start = tailor(finding.estimate, [effect], ruleset.max_combined_relative_risk)
                if start.high < finding.estimate.high:
                    result.warnings.append(
                        Problem(
                            f"rule {rule.id!r} gives {finding.id!r} a figure below the typical one (its baseline "
                            "times its ratio); check the baseline",
                            file=ruleset.path,
                            line=rule.line,
                        )
                    )
            if effect.figure is not None and effect.figure[1] < finding.estimate.high:
                result.warnings.append(
                    Problem(
                        f"rule {rule.id!r} gives {finding.id!r} a subgroup figure below the typical one; "
                        "check that this group has a lower risk",
                        file=ruleset.path,
                        line=rule.line,
                    )
                )


def numbers(text: str) -> set[float]:
    """Every number written in a text: '2,240 and 4.4 in 100' -> {2240.0, 4.4, 100.0}."""
    return {float(n.replace(",", "")) for n in re.findall(r"\d[\d,]*(?:\.\d+)?", text)}


def finding_numbers(option: Option, sources: Iterable[str] | None = None) -> set[float]:
    """The numbers an option's findings state (title, text and figure), so that a grid cell or a
    'living' sentence can be checked to add none; only findings citing ``sources``, if given."""
    wanted = set(sources) if sources is not None else None
    known: set[float] = set()
    for f in (*option.benefits, *option.risks, *option.recovery):
        if wanted is None or wanted & set(f.sources):
            known |= numbers(f.title + " " + f.text)
            if f.estimate:
                known |= {f.estimate.low, f.estimate.high} | numbers(f.estimate.timeframe)
    return known


def compared_row_problems(ruleset: Ruleset) -> list[tuple[str, str]]:
    """A grid row a diagnosis marks `compared` claims every option quotes the same studies: each
    figure in each option's cell must come from that option's findings citing one of them, and at
    least two options must give a figure. (diagnosis id, what breaks the claim) for each problem."""
    out = []
    for diagnosis in ruleset.diagnoses.values():
        for row, shared in diagnosis.compared.items():
            with_figures = 0
            for option_id in diagnosis.options:
                option = ruleset.options[option_id]
                known = finding_numbers(option, shared)
                figures = numbers(option.grid.get(row, ""))
                with_figures += bool(figures)
                cited = {s for f in (*option.benefits, *option.risks, *option.recovery) for s in f.sources}
                if set(shared) - cited:
                    out.append(
                        (
                            diagnosis.id,
                            f"diagnosis {diagnosis.id!r} marks grid row {row!r} as the same study for each option, "
                            f"but {option_id} cites no {', '.join(sorted(set(shared) - cited))}",
                        )
                    )
                if figures - known:
                    listed = ", ".join(f"{n:g}" for n in sorted(figures - known))
                    out.append(
                        (
                            diagnosis.id,
                            f"diagnosis {diagnosis.id!r} marks grid row {row!r} as the same study for each option, "
                            f"but {option_id}'s cell has {listed}, not from its findings citing {', '.join(shared)}",
                        )
                    )
            if with_figures < 2:
                out.append(
                    (
                        diagnosis.id,
                        f"diagnosis {diagnosis.id!r} marks grid row {row!r} as the same study for each option, "
                        "but fewer than two options give a figure there",
                    )
                )
    return out


def _check_compared_rows(ruleset: Ruleset, result: CheckResult) -> None:
    for ident, message in compared_row_problems(ruleset):
        result.errors.append(Problem(message, file=ruleset.path, line=ruleset.diagnoses[ident].line))


def _check_comparable(ruleset: Ruleset, result: CheckResult) -> None:
    """Outcome pairs, certainty on every figure, one denominator per outcome (comparable.py)."""
    from . import comparable

    result.errors.extend(comparable.problems(ruleset))
    graded = comparable.graded(ruleset)
    if graded:
        result.notes.append(f"{len(graded)} figures are of low or very low certainty:")
        result.notes.extend(f"  {line}" for line in graded)


KEY_OUTCOMES = (2, 5)  # how many key outcomes a diagnosis with options lists


def key_outcome_problems(ruleset: Ruleset) -> list[tuple[str, str]]:
    """Each diagnosis with options lists 2 to 5 key outcomes, each declared, once, and with a
    figure in at least one of its options' findings. (diagnosis id, problem) for each problem."""
    low, high = KEY_OUTCOMES
    declared = set(ruleset.outcomes) if ruleset.outcomes else None
    out = []
    for d in ruleset.diagnoses.values():
        where = f"diagnosis {d.id!r}"
        if not d.options:
            if d.key_outcomes:
                out.append((d.id, f"{where} has no options, so it lists no key_outcomes"))
            continue
        if not d.key_outcomes:
            continue  # a warning (below): the key points then show no figures
        if not low <= len(d.key_outcomes) <= high:
            out.append((d.id, f"{where} lists {len(d.key_outcomes)} key_outcomes; list {low} to {high}"))
        figured = {
            f.estimate.outcome
            for option in d.options
            for f in (
                *ruleset.options[option].benefits,
                *ruleset.options[option].risks,
                *ruleset.options[option].recovery,
            )
            if f.estimate is not None and f.estimate.outcome
        }
        for outcome in dict.fromkeys(o for o in d.key_outcomes if d.key_outcomes.count(o) > 1):
            out.append((d.id, f"{where} lists key outcome {outcome!r} more than once"))
        for outcome in d.key_outcomes:
            if declared is not None and outcome not in declared:
                out.append((d.id, f"{where}: key outcome {outcome!r} is not declared under 'outcomes'"))
            elif outcome not in figured:
                out.append((d.id, f"{where}: key outcome {outcome!r} has no figure in any of its options"))
    return out


def _check_key_outcomes(ruleset: Ruleset, result: CheckResult) -> None:
    for ident, message in key_outcome_problems(ruleset):
        result.errors.append(Problem(message, file=ruleset.path, line=ruleset.diagnoses[ident].line))
    for d in ruleset.diagnoses.values():
        if d.options and not d.key_outcomes:
            message = (
                f"diagnosis {d.id!r} lists no key_outcomes, so its key points show no figures; "
                f"list {KEY_OUTCOMES[0]} to {KEY_OUTCOMES[1]} outcome ids"
            )
            result.warnings.append(Problem(message, file=ruleset.path, line=d.line))


# --- plain language ---------------------------------------------------------------------------


def patient_text(ruleset: Ruleset) -> list[tuple[str, int, str]]:
    """Every piece of text a patient reads: (where, line, text)."""
    out: list[tuple[str, int, str]] = []
    for f in ruleset.factors.values():
        out += [(f"factor {f.id} question", f.line, f.question), (f"factor {f.id} help", f.line, f.help)]
    for d in ruleset.diagnoses.values():
        out += [(f"diagnosis {d.id} about", d.line, d.about), (f"diagnosis {d.id} decision", d.line, d.decision)]
    for o in ruleset.options.values():
        out.append((f"option {o.id} summary", o.line, o.summary))
        out += [(f"option {o.id} living {aspect}", o.line, text) for aspect, text in o.living.items()]
        out += [(f"option {o.id} grid {row}", o.line, text) for row, text in o.grid.items()]
    for fid, finding in ruleset.findings.items():
        out.append((f"finding {fid} text", finding.line, finding.text))
        if finding.estimate is not None and finding.estimate.certainty is not None:
            out.append((f"finding {fid} certainty", finding.line, finding.estimate.certainty.reason))
    for d in ruleset.diagnoses.values():
        out += [(f"diagnosis {d.id} not_comparable {o}", d.line, reason) for o, reason in d.not_comparable.items()]
    for r in ruleset.rules:
        out.append((f"rule {r.id} text", r.line, r.text))
    for rf in ruleset.red_flags:
        out += [(f"red flag {rf.id} text", rf.line, rf.text), (f"red flag {rf.id} action", rf.line, rf.action)]
    support = ruleset.support
    out += [(f"priority {p.factor}", 0, p.text) for p in support.priorities]
    out += [(f"SURE {s.factor} next step", 0, s.next_step) for s in support.sure]
    out += [(f"question to ask {q.id}", 0, q.text) for q in support.questions_to_ask]
    out += [(f"knowledge check {q.id}", 0, f"{q.statement} {q.explanation}") for q in support.knowledge_check]
    out += [(f"reason {r.id}", 0, r.text) for r in (support.weighing.reasons if support.weighing else ())]
    out.append(("disclaimer", 0, ruleset.disclaimer))
    return out


def sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z0-9'\"(])", one_line(text))
    return [p for p in parts if len(p.split()) >= 6]  # labels and short titles carry no grade


def grade(sentence: str) -> float:
    import textstat  # optional: pip install 'spinedecide[authoring]'

    cleaned = sentence
    for term in MEDICAL_TERMS:
        cleaned = re.sub(term, "term", cleaned, flags=re.IGNORECASE)
    cleaned = re.sub(r"\d[\d,.]*", "5", cleaned)  # numbers are read as numbers
    return float(textstat.flesch_kincaid_grade(cleaned))


def _check_readability(ruleset: Ruleset, result: CheckResult) -> None:
    try:
        import textstat  # noqa: F401
    except ImportError:
        result.notes.append("plain language not checked: install textstat (pip install 'spinedecide[authoring]')")
        return
    grades = []
    for where, line, text in patient_text(ruleset):
        for sentence in sentences(text):
            g = grade(sentence)
            grades.append(g)
            if g > MAX_SENTENCE_GRADE:
                result.errors.append(
                    Problem(
                        f"{where}: reading grade {g:.1f} is above {MAX_SENTENCE_GRADE:g}; shorten or split: "
                        f"{sentence!r}",
                        file=ruleset.path,
                        line=line or None,
                    )
                )
    if grades:
        average = sum(grades) / len(grades)
        result.notes.append(
            f"plain language: {len(grades)} sentences, average reading grade {average:.1f} (limit "
            f"{MAX_AVERAGE_GRADE:g})"
        )
        if average > MAX_AVERAGE_GRADE:
            result.errors.append(
                Problem(f"the average reading grade {average:.1f} is above {MAX_AVERAGE_GRADE:g}", file=ruleset.path)
            )


#: The IPDAS checklist (``rules check --ipdas``) is ipdas.py's; its names stay importable from
#: here, imported when first used (the engine imports this module for candidate_values).
_IPDAS_NAMES = frozenset(
    {"HUMAN_CRITERIA", "MET", "NEEDS_EVIDENCE", "NOT_APPLICABLE", "NOT_MET", "Criterion", "ipdas", "ipdas_failed"}
)


def __getattr__(name: str) -> Any:
    if name in _IPDAS_NAMES:
        from . import ipdas

        return getattr(ipdas, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
