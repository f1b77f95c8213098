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
