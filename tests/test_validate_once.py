"""Answers are validated once in a run: checked into a typed value (answers.Given, then
answers.Answers) that the rest of the run takes without checking any answer again."""

from __future__ import annotations

import pytest
from helpers import RULES, minimal_answers, run_cli, write_answers

from spinedecide import answers as answers_module
from spinedecide import engine, interview
from spinedecide.answers import Answers, Given, check, complete, validate
from spinedecide.errors import AnswersError


@pytest.fixture
def conversions(monkeypatch):
    """Every answer converted (the check of one answer: by validation, or by the interview as it
    is typed), by question id; and assess() refusing to validate anything (it is given validated
    answers)."""
    seen: list[str] = []
    real = answers_module.convert

    def counted(factor, value, *today):
        seen.append(factor.id)
        return real(factor, value, *today)

    def never(*args, **kwargs):
        raise AssertionError("assess() validated answers that were validated already")

    monkeypatch.setattr(answers_module, "convert", counted)
    monkeypatch.setattr(interview, "convert", counted)
    monkeypatch.setattr(engine, "validate", never)
    return seen


def test_an_ask_run_checks_each_answer_once(tmp_path, conversions):
    given = minimal_answers()
    path = write_answers(tmp_path / "me.yaml", given)
    result = run_cli("ask", "--answers", path, "--format", "json", "--no-input", *RULES)
    assert result.json["answers"]["age"] == 50
    assert sorted(conversions) == sorted(given)  # each answer once: not again when completed or assessed


def test_a_red_flag_with_answers_missing_checks_each_answer_once(tmp_path, conversions):
    # Once the path that validated three times: checked, then "complete?" (forgiven by the red
    # flag), then completed again for the report.
    path = write_answers(tmp_path / "me.yaml", {"bladder_bowel": "yes", "age": 50})
    result = run_cli("ask", "--answers", path, "--set", "smoking=never", "--format", "json", "--no-input", *RULES)
    assert result.json["urgent"] is True
    assert sorted(conversions) == ["age", "bladder_bowel", "smoking"]


def test_missing_answers_are_named_after_one_check(tmp_path, conversions):
    path = write_answers(tmp_path / "me.yaml", minimal_answers(smoking=None))
    result = run_cli("ask", "--answers", path, "--format", "json", "--no-input", *RULES, expect=2)
    assert "smoking" in result.stderr
    assert sorted(conversions) == sorted(minimal_answers(smoking=None))


def test_check_then_complete_is_validate(minimal):
    raw = {**minimal_answers(age="67", smoking="Current"), "bmi": "24.5"}
    given = check(minimal, raw)
    assert isinstance(given, Given) and given.values["smoking"] == "current"
    assert complete(minimal, given) == validate(minimal, raw)
    assert isinstance(complete(minimal, given), Answers)


def test_complete_names_every_missing_answer_and_assess_completes_checked_answers(minimal):
    given = check(minimal, minimal_answers(smoking=None, condition=None))
    with pytest.raises(AnswersError) as err:
        complete(minimal, given)
    assert {p.field for p in err.value.problems} == {"smoking", "condition"}
    assert engine.assess(minimal, check(minimal, minimal_answers())) == engine.assess(minimal, minimal_answers())


def test_answers_given_in_the_interview_are_not_checked_again(tmp_path, conversions):
    path = write_answers(tmp_path / "me.yaml", minimal_answers(smoking=None))
    result = run_cli("ask", "--answers", path, "--format", "json", *RULES, input="current\n")
    assert result.json["answers"]["smoking"] == "current"
    # The file's answers once each, and the typed one once, by the interview as it was typed.
    assert sorted(conversions) == sorted(minimal_answers())
