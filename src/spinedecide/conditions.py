"""The condition language of the rules file, compiled once into predicate objects.

A condition is a mapping. Several keys must all hold. Keys are factor ids or the words
``all``, ``any`` and ``not``::

    {smoking: current}                       equality
    {age: {">=": 65, "<": 75}}               comparisons: <  <=  >  >=  ==  !=
    {condition: {in: [spinal_stenosis]}}     membership (and not_in)
    {bmi: {known: true}}                     answered, and not "unknown"
    {plan_steps: decide_by}                  for a question with several answers: among them
    {any: [{diabetes: "yes"}, {bmi: {">=": 35}}]}

An answer of ``unknown`` (or a missing answer) matches no comparison, equality or membership,
except the value ``unknown`` itself, allowed for a factor that may be answered "unknown":
``{fever_or_infection: unknown}`` holds for that answer only, never for a missing one.
Nothing here calls ``eval``; every factor and value is checked against the factors at load time.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from msgspec import Struct

from ._lines import folded, line_of
from .errors import Problem

UNKNOWN = "unknown"

_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
_SYMBOL = {"<": "<", "<=": "≤", ">": ">", ">=": "≥", "==": "=", "!=": "≠"}
OPERATORS = ("==", "!=", "<", "<=", ">", ">=", "in", "not_in", "known")


class FactorLike(Protocol):
    # Read-only members, so that a frozen rules.Factor satisfies the protocol.
    @property
    def id(self) -> str: ...
    @property
    def type(self) -> str: ...
    @property
    def choice_ids(self) -> tuple[str, ...]: ...
    @property
    def min(self) -> float | None: ...
    @property
    def max(self) -> float | None: ...


Answers = Mapping[str, Any]


def is_known(value: Any) -> bool:
    return value is not None and value != UNKNOWN


class Condition(Struct, frozen=True):
    def __call__(self, answers: Answers) -> bool:
        raise NotImplementedError

    def factors(self) -> frozenset[str]:
        raise NotImplementedError

    def describe(self) -> str:
        raise NotImplementedError


class Equals(Condition, frozen=True):
    factor: str
    value: Any
    negate: bool = False

    def __call__(self, answers: Answers) -> bool:  # (the engine's most called test: written for speed)
        got = answers.get(self.factor)
        if got is None:  # a missing answer matches nothing, not even "unknown"
            return False
        value = self.value
        if value == UNKNOWN:  # an answer of "unknown"
            return bool(got == UNKNOWN) != self.negate
        if got == UNKNOWN:
            return False
        if isinstance(got, list | tuple):  # several choices: equality means "among them"
            return (value in got) != self.negate
        return bool(got == value) != self.negate

    def factors(self) -> frozenset[str]:
        return frozenset([self.factor])

    def describe(self) -> str:
        return f"{self.factor} {'≠' if self.negate else '='} {self.value}"


class Member(Condition, frozen=True):
    factor: str
    values: frozenset[Any]
    negate: bool = False

    def __call__(self, answers: Answers) -> bool:
        got = answers.get(self.factor)
        if got is None:
            return False
        if got == UNKNOWN:
            return UNKNOWN in self.values and not self.negate
        if isinstance(got, list | tuple):  # several choices: membership means "any of them"
            return any(g in self.values for g in got) != self.negate
        return (got in self.values) != self.negate

    def factors(self) -> frozenset[str]:
        return frozenset([self.factor])

    def describe(self) -> str:
        listed = ", ".join(sorted(map(str, self.values)))
        return f"{self.factor} {'not in' if self.negate else 'in'} [{listed}]"


class Compare(Condition, frozen=True):
    factor: str
    op: str
    value: float

    def __call__(self, answers: Answers) -> bool:
        got = answers.get(self.factor)
        if got is None or got == UNKNOWN:
            return False
        return _COMPARE[self.op](got, self.value)

    def factors(self) -> frozenset[str]:
        return frozenset([self.factor])

    def describe(self) -> str:
        return f"{self.factor} {_SYMBOL[self.op]} {_number(self.value)}"


class Known(Condition, frozen=True):
    factor: str
    expected: bool

    def __call__(self, answers: Answers) -> bool:
        return is_known(answers.get(self.factor)) == self.expected

    def factors(self) -> frozenset[str]:
        return frozenset([self.factor])

    def describe(self) -> str:
        return f"{self.factor} is {'known' if self.expected else 'not known'}"


class All(Condition, frozen=True):
    parts: tuple[Condition, ...]

    def __call__(self, answers: Answers) -> bool:
        for part in self.parts:  # a plain loop: the engine's hottest line, and no generator to make
            if not part(answers):
                return False
        return True

    def factors(self) -> frozenset[str]:
        return frozenset().union(*(p.factors() for p in self.parts))

    def describe(self) -> str:
        if len(self.parts) == 1:
            return self.parts[0].describe()
        return " and ".join(_group(p) for p in self.parts)


class AnyOf(Condition, frozen=True):
    parts: tuple[Condition, ...]

    def __call__(self, answers: Answers) -> bool:
        for part in self.parts:
            if part(answers):
                return True
        return False

    def factors(self) -> frozenset[str]:
        return frozenset().union(*(p.factors() for p in self.parts))

    def describe(self) -> str:
        return " or ".join(_group(p) for p in self.parts)


class Not(Condition, frozen=True):
    part: Condition

    def __call__(self, answers: Answers) -> bool:
        return not self.part(answers)

    def factors(self) -> frozenset[str]:
        return self.part.factors()

    def describe(self) -> str:
        return f"not {_group(self.part)}"


class Always(Condition, frozen=True):
    """The condition that always holds (a question asked of everyone). One instance, ``ALWAYS``;
    it stays the one instance through pickling (the compiled snapshot), but compare conditions
    with ``==`` or ``isinstance``, never ``is``."""

    def __reduce__(self) -> str:
        return "ALWAYS"  # unpickled as this module's ALWAYS, not a copy

    def __call__(self, answers: Answers) -> bool:
        return True

    def factors(self) -> frozenset[str]:
        return frozenset()

    def describe(self) -> str:
        return "always"


ALWAYS = Always()


def _group(cond: Condition) -> str:
    text = cond.describe()
    return f"({text})" if isinstance(cond, (All, AnyOf)) and len(getattr(cond, "parts", ())) > 1 else text


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def suggest(word: object, choices: Any) -> str:
    import difflib

    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


class Compiler:
    """Compiles condition mappings, collecting every problem with its file and line."""

    def __init__(self, factors: Mapping[str, FactorLike], file: str | None) -> None:
        self.factors = factors
        self.file = file
        self.problems: list[Problem] = []

    def problem(self, message: str, path: str, container: Any, key: Any = None) -> None:
        self.problems.append(Problem(message, field=path, file=self.file, line=line_of(container, key)))

    def compile(self, node: Any, path: str, parent: Any = None, key: Any = None) -> Condition:
        if not isinstance(node, Mapping) or not node:
            self.problem("a condition must be a non-empty mapping, e.g. {smoking: current}", path, parent, key)
            return ALWAYS
        parts = [self._clause(k, v, f"{path}.{k}", node) for k, v in node.items()]
        return parts[0] if len(parts) == 1 else All(tuple(parts))

    def _clause(self, key: Any, value: Any, path: str, node: Any) -> Condition:
        if key in ("all", "any"):
            if not isinstance(value, list) or not value:
                self.problem(f"'{key}' needs a non-empty list of conditions", path, node, key)
                return ALWAYS
            parts = tuple(self.compile(item, f"{path}[{i}]", value, i) for i, item in enumerate(value))
            return All(parts) if key == "all" else AnyOf(parts)
        if key == "not":
            return Not(self.compile(value, path, node, key))
        factor = self.factors.get(key) if isinstance(key, str) else None
        if factor is None:
            self.problem(
                f"unknown factor {key!r}{suggest(key, self.factors)}; conditions use factor ids or all/any/not",
                path,
                node,
                key,
            )
            return ALWAYS
        if isinstance(value, Mapping):
            if not value:
                self.problem("an empty comparison; use e.g. {'>=': 65}", path, node, key)
                return ALWAYS
            ops = tuple(self._operator(factor, op, operand, f"{path}.{op}", value) for op, operand in value.items())
            return ops[0] if len(ops) == 1 else All(ops)
        return self._operator(factor, "==", value, path, node, key)

    def _operator(self, factor: FactorLike, op: Any, operand: Any, path: str, node: Any, key: Any = None) -> Condition:
        key = op if key is None else key
        if op == "known":
            if not isinstance(operand, bool):
                self.problem("'known' takes true or false", path, node, key)
                return ALWAYS
            return Known(factor.id, operand)
        if op in ("in", "not_in"):
            if not isinstance(operand, list) or not operand:
                self.problem(f"'{op}' needs a non-empty list of values", path, node, key)
                return ALWAYS
            values = frozenset(self._value(factor, v, path, node, key) for v in operand)
            return Member(factor.id, values, negate=op == "not_in")
        if op in ("==", "!="):
            return Equals(factor.id, self._value(factor, operand, path, node, key), negate=op == "!=")
        if op in _COMPARE:
            if factor.type == "choice":
                self.problem(
                    f"'{op}' compares numbers, but {factor.id!r} is a choice; use a value or 'in'",
                    path,
                    node,
                    key,
                )
                return ALWAYS
            return Compare(factor.id, op, self._value(factor, operand, path, node, key))
        hint = (
            f" (did you mean {op[::-1]!r}?)"
            if isinstance(op, str) and op[::-1] in OPERATORS
            else suggest(op, OPERATORS)
        )
        self.problem(
            f"unknown operator {op!r}{hint}; use one of {', '.join(OPERATORS)}",
            path,
            node,
            key,
        )
        return ALWAYS

    def _value(self, factor: FactorLike, value: Any, path: str, node: Any, key: Any) -> Any:
        if value == UNKNOWN and getattr(factor, "unknown", False):
            return UNKNOWN
        if factor.type == "choice":
            choice = normalise_choice(factor, value)
            if choice is None:
                self.problem(
                    f"{value!r} is not a value of {factor.id!r}{suggest(value, factor.choice_ids)}; "
                    f"expected one of {', '.join(factor.choice_ids)}",
                    path,
                    node,
                    key,
                )
            return choice
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.problem(f"{factor.id!r} is a number, but the condition gives {value!r}", path, node, key)
            return 0
        low, high = factor.min, factor.max
        if (low is not None and value < low) or (high is not None and value > high):
            self.problem(
                f"{_number(value)} is outside the range of {factor.id!r} ({_number(low or 0)} to {_number(high or 0)})",
                path,
                node,
                key,
            )
        return value


_BOOL_WORDS = {True: ("yes", "true", "on"), False: ("no", "false", "off")}


def normalise_choice(factor: FactorLike, value: Any) -> str | None:
    """Map a written value onto one of the factor's choice ids, or None.

    YAML reads unquoted ``yes``/``no`` as booleans; they mean the choices "yes"/"no".
    Matching ignores case and surrounding spaces.
    """
    if isinstance(value, bool):
        for word in _BOOL_WORDS[value]:
            if word in factor.choice_ids:
                return word
        return None
    if isinstance(value, (int, float)):
        value = str(value)
    if not isinstance(value, str):
        return None
    if value in factor.choice_ids:  # the common case, exactly as written in the rules file
        return value
    text = folded(value).replace(" ", "_").replace("-", "_")
    for choice in factor.choice_ids:
        if choice.lower() == text:
            return choice
    return None
