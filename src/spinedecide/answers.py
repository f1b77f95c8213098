"""Reading and validating answers: a file (YAML or JSON), standard input, or ``--set key=value``.

Answers are a mapping of factor id to value. Validation checks every answer against the
rules file's factors and reports every problem at once, naming the field (and file and line).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import IO, Any, Literal, overload

from msgspec import Struct

from . import _lines
from ._lines import folded, line_of
from .conditions import UNKNOWN, normalise_choice, suggest
from .display import quote
from .errors import AnswersError, Problem, UsageError
from .memo import memo_for
from .rules import Factor, Ruleset
from .units import UNITS as _UNITS
from .units import WORDS as _WORDS
from .units import unit_word, work_out

MAX_ANSWERS_BYTES = 1024 * 1024
#: The most answers one file may hold: far more than any rules file asks.
MAX_ANSWERS = 1000


class RawAnswers(Struct, frozen=True):
    """Answers as written, before validation, with where they came from."""

    values: Mapping[str, Any]
    name: str | None = None  # file name, "<stdin>" or "--set"


def read_answers(stream: IO[bytes], name: str) -> RawAnswers:
    """Read a YAML or JSON answers document. Raises AnswersError naming the file and line."""
    data = stream.read(MAX_ANSWERS_BYTES + 1)
    if len(data) > MAX_ANSWERS_BYTES:
        raise AnswersError([Problem(f"the answers file is too large (over {MAX_ANSWERS_BYTES:,} bytes)", file=name)])
    return parse_answers(data, name)


def parse_answers(data: bytes, name: str) -> RawAnswers:
    try:
        text = _lines.decode(data)
    except _lines.YamlProblem as exc:
        raise AnswersError([Problem(exc.message, file=name, line=exc.line)]) from None
    if not text.strip():
        raise AnswersError([Problem("the answers file is empty; write one answer a line, e.g. 'age: 67'", file=name)])
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        document = _parse_json(text, name)
    else:
        try:
            from . import _yaml

            document = _yaml.safe_load(text, max_keys=MAX_ANSWERS, too_many="too many answers")
        except _lines.YamlProblem as exc:
            raise AnswersError([Problem(exc.message, file=name, line=exc.line)]) from None
    if not isinstance(document, Mapping):
        kind = "a list" if isinstance(document, list) else "a single value"
        raise AnswersError(
            [
                Problem(
                    f"answers must be a mapping of question id to answer (e.g. 'age: 67'), not {kind}",
                    file=name,
                    line=line_of(document),
                )
            ]
        )
    if len(document) > MAX_ANSWERS:
        raise AnswersError(
            [
                Problem(
                    f"too many answers: {len(document):,}, at most {MAX_ANSWERS:,}", file=name, line=line_of(document)
                )
            ]
        )
    return RawAnswers(document, name)


def _parse_json(text: str, name: str) -> Any:
    from ._json import JsonProblem, loads_with_lines

    try:
        return loads_with_lines(text)
    except JsonProblem as exc:
        raise AnswersError([Problem(exc.message, field=exc.key, file=name, line=exc.line)]) from None


def parse_set(items: Iterable[str]) -> RawAnswers:
    """``--set age=67 --set smoking=current``."""
    values: dict[str, Any] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--set needs key=value (e.g. --set age=67), not {item!r}")
        values[key.strip()] = value.strip()
    return RawAnswers(values, "--set")


def merge(*layers: RawAnswers | None) -> dict[str, tuple[Any, RawAnswers]]:
    """Later layers win: file, then --set. Keeps where each answer came from."""
    out: dict[str, tuple[Any, RawAnswers]] = {}
    for layer in layers:
        if layer is None:
            continue
        for key, value in layer.values.items():
            out[key] = (value, layer)
    return out


# ---------------------------------------------------------------------------------------------


def convert(factor: Factor, value: Any, today: date | None = None) -> tuple[Any, str | None]:
    """One answer to its normalised value, or (None, what is wrong). ``today``, when given, is the
    earliest date a date question accepts (the interview passes the clock's date; answers files,
    batch lines and the API do not, so a saved file's date that has since passed still reads)."""
    if (
        type(value) is str
        and factor.type == "choice"
        and factor.max_items == 1
        and value in factor.choice_ids
        and value != UNKNOWN
    ):
        return value, None  # the usual answer: a choice written exactly as the rules file has it
    if isinstance(value, str) and folded(value) in (UNKNOWN, "don't know", "dont know", "?"):
        if factor.unknown:
            return UNKNOWN, None
        return None, "this question needs an answer; 'unknown' is not allowed here"
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, "no answer given"
    if factor.max_items > 1 or factor.type in ("date", "text"):
        from .free_answers import convert_free

        return convert_free(factor, value, today)
    if factor.type == "choice":
        choice = normalise_choice(factor, value)
        if choice is None:
            allowed = ", ".join(factor.choice_ids) + (", unknown" if factor.unknown else "")
            return (
                None,
                f"{quote(value)} is not one of the choices{suggest(value, factor.choice_ids)}; "
                f"expected one of {allowed}",
            )
        return choice, None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None, f"expected a number, got {quote(value)}"
    number: float
    if isinstance(value, str):
        try:
            number = float(value.strip().replace(",", "."))
        except ValueError:
            if unit_of(factor) is not None:
                return with_unit(factor, value)
            own = _with_own_unit(factor, value)
            if own is None:
                return None, f"expected a number, got {quote(value)}"
            number = own
    else:
        try:
            number = float(value)
        except OverflowError:  # a whole number too large for a float
            return None, "expected a number, got one far too large"
    if math.isnan(number) or math.isinf(number):
        return None, f"expected a number, got {quote(value)}"
    if factor.type == "integer":
        if not number.is_integer():
            return None, f"expected a whole number, got {quote(value)}"
    return _in_range(factor, number)


def _with_own_unit(factor: Factor, text: str) -> float | None:
    """A number followed by the question's own unit word ("4 stars", "1 star", "60 years"), or None."""
    found = re.fullmatch(r"\s*([0-9]+(?:[.,][0-9]+)?)\s*([^\W\d_]+)\.?\s*", text)
    unit = (factor.unit or "").lower()
    if not found or not unit or found.group(2).lower() not in (unit, unit.removesuffix("s")):
        return None
    return float(found.group(1).replace(",", "."))


def _in_range(factor: Factor, number: float, given: str | None = None) -> tuple[Any, str | None]:
    low, high = factor.min, factor.max
    if (low is not None and number < low) or (high is not None and number > high):
        unit = f" {factor.unit}" if factor.unit else ""
        shown = f"{quote(given)} is {_fmt(number)}{unit}, which" if given is not None else _fmt(number)
        return None, f"{shown} is out of range; expected {_fmt(low)} to {_fmt(high)}{unit}"
    if factor.type == "integer":
        return int(number), None
    return (int(number) if number.is_integer() else round(number, 2)), None


# Numbers with their unit ---------------------------------------------------------------------
# A question in cm, kg, weeks or days also takes a number with another unit of the same kind
# (5'10", 11 st 4 lb, 2 years), turned into the question's unit: one decimal place, or the nearest
# whole number for a whole-number question (halves up). A plain number is in the question's unit.

#: What a question measured in one of these units says it takes (an age in years takes a number).
_EXAMPLES = {
    "cm": "178 cm, 1.78 m or 5'10\"",
    "kg": "72 kg, 180 lb or 11 st 4 lb",
    "wk": "10 days, 6 months or 2 years",
    "d": "10 days, 6 months or 2 years",
}
#: A bare number after feet is inches, after stones pounds: 5 ft 10, 11 st 4.
_THEN = {"ft": "in", "st": "lb"}
_PART = re.compile(r"(\d+(?:[.,]\d+)?|[.,]\d+)\s*([a-z]+|'|\")?\.?\s*")
_QUOTES = str.maketrans({"\u2019": "'", "\u2032": "'", "\u201d": '"', "\u2033": '"', "\u00a0": " "})


def unit_of(factor: Factor) -> str | None:
    """The unit of a question that takes numbers with a unit (cm, kg, weeks, days), or None."""
    unit = unit_word(factor.unit)
    return unit if unit in _EXAMPLES else None


def unit_examples(factor: Factor) -> str | None:
    """``178 cm, 1.78 m or 5'10"``: how a question's answer may be written with a unit."""
    unit = unit_of(factor)
    return _EXAMPLES[unit] if unit else None


def _or_with_unit(factor: Factor) -> str:
    examples = unit_examples(factor)
    return f"; type a number in {factor.unit}, or with its unit, e.g. {examples}" if examples else ""


def read_units(factor: Factor, text: str) -> float | None:
    """``5'10"`` for a question in cm: 177.8. None when the text is not a number with units of the
    question's kind, each unit once, largest first."""
    unit = unit_of(factor)
    if unit is None:
        return None
    kind, size, _ = _UNITS[unit]
    cleaned = re.sub(r"\band\b", " ", folded(text.translate(_QUOTES))).replace("''", '"')
    total, pos, previous = 0.0, 0, None
    while pos < len(cleaned):
        match = _PART.match(cleaned, pos)
        if match is None:
            return None
        number, word = match.groups()
        part = _WORDS.get(word) if word else _THEN.get(previous or "")
        if part is None or _UNITS[part][0] != kind:
            return None
        if previous is not None and _UNITS[part][1] >= _UNITS[previous][1]:
            return None  # each unit once, largest first: 5 ft 10 in, not 10 in 5 ft
        total += float(number.replace(",", ".")) * _UNITS[part][1]
        pos, previous = match.end(), part
    return None if previous is None else total / size


def with_unit(factor: Factor, value: str) -> tuple[Any, str | None]:
    """A number written with its unit, in the question's unit (rounded: see above)."""
    number = read_units(factor, value)
    if number is None:
        return None, f"could not read {quote(value)}{_or_with_unit(factor)}"
    digits = 0 if factor.type == "integer" else 1
    rounded = math.floor(number * 10**digits + 0.5) / 10**digits
    return _in_range(factor, rounded, value)


def _fmt(value: float | None) -> str:
    if value is None:
        return "?"
    return str(int(value)) if float(value).is_integer() else str(value)


def applicable(factor: Factor, values: Mapping[str, Any]) -> bool:
    return factor.ask_when(values)


def wanted(ruleset: Ruleset, factor: Factor, values: Mapping[str, Any]) -> bool:
    """A question that applies to these answers and whose answer can change the report (see
    relevance.py): only these are asked, required, or filled in as "unknown"."""
    from .relevance import can_matter

    return applicable(factor, values) and can_matter(ruleset, factor.id, values)


def missing(ruleset: Ruleset, values: Mapping[str, Any]) -> list[Factor]:
    """Required, askable questions that apply to these answers, can matter, and have no answer yet."""
    required = memo_for(ruleset).get("required", "", lambda: tuple(f for f in ruleset.questions() if f.required))
    return [f for f in required if f.id not in values and wanted(ruleset, f, values)]


def urgent(ruleset: Ruleset, values: Mapping[str, Any]) -> bool:
    """Whether any red flag is present in these answers."""
    return any(flag.when(values) for flag in ruleset.red_flags)


def elective_complete(ruleset: Ruleset, values: Mapping[str, Any]) -> bool:
    """Whether every required question that applies is answered (the elective part can be shown)."""
    return not missing(ruleset, values)


def derive(ruleset: Ruleset, values: dict[str, Any]) -> dict[str, Any]:
    """Add the values the rules file derives from other answers (BMI from height and weight: see
    ``derived``), unless given directly. Returns the derived ones."""
    derived: dict[str, Any] = {}
    worked_out = memo_for(ruleset).get(
        "derived", "", lambda: tuple(f for f in ruleset.factors.values() if f.derivation is not None)
    )
    for factor in worked_out:
        how = factor.derivation
        if how is None or factor.id in values:
            continue
        given = [values.get(i) for i in how.inputs]
        numbers = [v for v in given if isinstance(v, int | float) and v > 0]
        # Only positive inputs make a value: a clinic's file may allow 0 (or less) for them.
        if len(numbers) == len(given):
            value = work_out(how.formula, numbers, how.sizes)
            derived[factor.id] = value if (factor.min or 0) <= value <= (factor.max or 1000) else UNKNOWN
        elif any(i in values for i in how.inputs):
            derived[factor.id] = UNKNOWN
    values.update(derived)
    return derived


class Given(Struct, frozen=True):
    """Answers checked one by one (each converted to its normalised value, once), in the rules
    file's factor order; not yet required to be complete. :func:`complete` makes them
    :class:`Answers` without converting any again."""

    values: Mapping[str, Any]

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)


class Answers(Struct, frozen=True):
    """Validated, complete, normalised answers in the rules file's factor order, with the derived
    ones (BMI) worked out: what :func:`spinedecide.engine.assess` takes without validating again."""

    values: Mapping[str, Any]
    derived: frozenset[str] = frozenset()

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)


Raw = Mapping[str, Any] | dict[str, tuple[Any, RawAnswers]]


@overload
def validate(ruleset: Ruleset, raw: Raw, *, complete: Literal[True] = True, today: date | None = None) -> Answers: ...
@overload
def validate(ruleset: Ruleset, raw: Raw, *, complete: Literal[False], today: date | None = None) -> Given: ...
@overload
def validate(ruleset: Ruleset, raw: Raw, *, complete: bool, today: date | None = None) -> Answers | Given: ...
def validate(ruleset: Ruleset, raw: Raw, *, complete: bool = True, today: date | None = None) -> Answers | Given:
    """Check every answer; with ``complete`` also require every applicable required question.

    ``raw`` is either a plain mapping (the Python API) or the output of :func:`merge`.
    ``today``, when given, is the earliest date a date question accepts (the check is made here,
    so the report itself never reads the clock); without it any real date is accepted, so an
    answers file that gave a report yesterday gives the same report tomorrow.
    Raises :class:`AnswersError` listing every problem (bad answers and missing ones at once).
    """
    ordered, problems = _check_each(ruleset, raw, today)
    if not complete:
        _raise(problems)
        return Given(ordered)
    return _complete(ruleset, ordered, problems, raw)


def check(ruleset: Ruleset, raw: Raw, *, today: date | None = None) -> Given:
    """Each answer checked and converted, once; missing answers are allowed (see :func:`complete`)."""
    return validate(ruleset, raw, complete=False, today=today)


def complete(ruleset: Ruleset, given: Given) -> Answers:
    """Checked answers made complete: every applicable required question must be answered (a red
    flag forgives the missing ones), optional ones unanswered are "unknown", and derived values are
    worked out. No answer is converted again."""
    return _complete(ruleset, dict(given.values), [], given.values)


def _check_each(ruleset: Ruleset, raw: Raw, today: date | None) -> tuple[dict[str, Any], list[Problem]]:
    """Each answer converted to its normalised value (in factor order), and the problems found."""
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    factors = ruleset.factors
    for key, entry in raw.items():
        if type(entry) is not tuple and type(key) is str and key in factors:  # a plain answer (batch, the API)
            converted, error = convert(factors[key], entry, today)
            if error:
                problems.append(Problem(error, field=key))
            else:
                values[key] = converted
            continue
        value, origin = (
            entry
            if isinstance(entry, tuple) and len(entry) == 2 and isinstance(entry[1], RawAnswers)
            else (entry, None)
        )
        file = origin.name if origin and origin.name != "--set" else None
        line = line_of(origin.values, key) if origin is not None else None
        label = f"--set {key}" if origin is not None and origin.name == "--set" else key
        factor = ruleset.factors.get(key) if isinstance(key, str) else None
        if factor is None:
            problems.append(
                Problem(f"unknown question id{suggest(key, ruleset.factors)}", field=str(label), file=file, line=line)
            )
            continue
        converted, error = convert(factor, value, today)
        if error:
            problems.append(Problem(error, field=label, file=file, line=line))
        else:
            values[key] = converted
    return {k: values[k] for k in ruleset.factors if k in values}, problems


def _complete(ruleset: Ruleset, ordered: dict[str, Any], problems: list[Problem], raw: Mapping[str, Any]) -> Answers:
    # A red flag makes every other answer optional: the urgent advice never waits for them.
    # (A bad answer is still reported: only the missing ones are forgiven.)
    absent = missing(ruleset, ordered)
    urgent_only = bool(absent) and urgent(ruleset, ordered)
    if not urgent_only:
        for factor in absent:
            if factor.id not in raw:  # a bad answer is already reported above
                problems.append(Problem(f"missing answer: {factor.question}", field=factor.id))
    _raise(problems)
    for factor in _fillable(ruleset):
        if urgent_only and factor.section != "red_flags":
            continue  # the elective part is left out, so its optional questions are not "unknown"
        if factor.id not in ordered and applicable(factor, ordered):
            ordered[factor.id] = UNKNOWN
    derived = derive(ruleset, ordered)
    ordered = {k: ordered[k] for k in ruleset.factors if k in ordered}
    return Answers(ordered, frozenset(derived))


def _fillable(ruleset: Ruleset) -> tuple[Factor, ...]:
    """The optional questions recorded as "unknown" when they apply and are not answered (not the
    deliberation's, say), in file order: worked out once per ruleset."""
    return memo_for(ruleset).get(
        "fillable",
        "",
        lambda: tuple(
            f for f in ruleset.factors.values() if f.fills_unknown and not f.required and f.record_unanswered
        ),
    )


def _raise(problems: list[Problem]) -> None:
    if problems:
        n = len(problems)
        raise AnswersError(problems, heading=f"{n} problem{'s' if n != 1 else ''} with the answers")
