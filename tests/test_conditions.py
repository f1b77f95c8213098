from __future__ import annotations

import pytest

from spinedecide._yaml import safe_load as load
from spinedecide.conditions import Compiler


@pytest.fixture
def compile_(minimal):
    def run(text: str):
        compiler = Compiler(minimal.factors, "rules.yaml")
        cond = compiler.compile(load(text), "when")
        return cond, compiler.problems

    return run


@pytest.mark.parametrize(
    ("text", "answers", "expected"),
    [
        ("{smoking: current}", {"smoking": "current"}, True),
        ("{smoking: current}", {"smoking": "never"}, False),
        ("{smoking: current}", {"smoking": "unknown"}, False),
        ("{smoking: current}", {}, False),
        ("{age: {'>=': 65, '<': 75}}", {"age": 65}, True),
        ("{age: {'>=': 65, '<': 75}}", {"age": 75}, False),
        ("{age: {'>': 64}}", {"age": 64}, False),
        ("{age: {'<=': 64}}", {"age": 64}, True),
        ("{age: {'==': 64}}", {"age": 64}, True),
        ("{age: {'!=': 64}}", {"age": 64}, False),
        ("{smoking: {in: [former, current]}}", {"smoking": "former"}, True),
        ("{smoking: {not_in: [former, current]}}", {"smoking": "former"}, False),
        ("{smoking: {not_in: [former, current]}}", {"smoking": "unknown"}, False),
        ("{bmi: {known: true}}", {"bmi": 31.2}, True),
        ("{bmi: {known: true}}", {"bmi": "unknown"}, False),
        ("{bmi: {known: false}}", {}, True),
        ("{diabetes: yes}", {"diabetes": "yes"}, True),  # unquoted YAML yes
        ("{any: [{diabetes: 'yes'}, {smoking: current}]}", {"diabetes": "no", "smoking": "current"}, True),
        ("{all: [{diabetes: 'yes'}, {smoking: current}]}", {"diabetes": "no", "smoking": "current"}, False),
        ("{not: {smoking: current}}", {"smoking": "never"}, True),
        ("{smoking: current, diabetes: 'yes'}", {"smoking": "current", "diabetes": "no"}, False),
    ],
)
def test_condition_semantics(compile_, text, answers, expected):
    cond, problems = compile_(text)
    assert problems == []
    assert cond(answers) is expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{smokin: current}", "unknown factor 'smokin' (did you mean 'smoking'?)"),
        ("{smoking: curent}", "'curent' is not a value of 'smoking' (did you mean 'current'?)"),
        ("{age: {'=>': 65}}", "unknown operator '=>' (did you mean '>='?)"),
        ("{age: {'>': 300}}", "300 is outside the range of 'age'"),
        ("{age: {'>': old}}", "'age' is a number"),
        ("{smoking: {'>': 3}}", "compares numbers, but 'smoking' is a choice"),
        ("{all: []}", "'all' needs a non-empty list"),
        ("{smoking: {in: []}}", "'in' needs a non-empty list"),
    ],
)
def test_bad_conditions_are_refused_at_compile_time(compile_, text, message):
    _cond, problems = compile_(text)
    assert problems, "expected a problem"
    assert message in problems[0].message
    assert problems[0].file == "rules.yaml" and problems[0].line == 1


def test_describe_and_factors(compile_):
    cond, _ = compile_("{all: [{age: {'>=': 80}}, {any: [{smoking: current}, {diabetes: 'yes'}]}]}")
    assert cond.factors() == {"age", "smoking", "diabetes"}
    assert cond.describe() == "age ≥ 80 and (smoking = current or diabetes = yes)"


def test_always_is_one_value_through_pickling():
    """The compiled snapshot is a pickle: the condition of a question asked of everyone must
    come back as the very ALWAYS the code knows, and compare equal in any case."""
    import pickle

    from spinedecide.conditions import ALWAYS, Always

    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
        again = pickle.loads(pickle.dumps(ALWAYS, protocol=protocol))
        assert again is ALWAYS
    assert Always() == ALWAYS and hash(Always()) == hash(ALWAYS)


def test_no_code_compares_conditions_by_identity():
    """`x is ALWAYS` breaks for a copy; conditions are values (== or isinstance)."""
    import re
    from pathlib import Path

    import spinedecide

    package = Path(spinedecide.__file__).parent
    found = [
        f"{path.relative_to(package)}:{n}: {line.strip()}"
        for path in sorted(package.rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\bis\s+(not\s+)?ALWAYS\b", line)
    ]
    assert not found, found
