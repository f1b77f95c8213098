from __future__ import annotations

import io
import json

import pytest
from helpers import minimal_answers
from typer.testing import CliRunner

from spinedecide import load_rules
from spinedecide.answers import merge, parse_answers, parse_set, read_answers, validate
from spinedecide.cli import app
from spinedecide.errors import AnswersError, UsageError


def test_hand_written_yaml_is_understood(minimal):
    raw = parse_answers(
        b'bladder_bowel: no\nage: "67"\nsmoking: Current\ndiabetes: yes\nbmi: 24.5\ncondition: disc\n', "me.yaml"
    )
    answers = validate(minimal, merge(raw))
    assert answers.values == {
        "bladder_bowel": "no",
        "age": 67,
        "smoking": "current",
        "diabetes": "yes",
        "bmi": 24.5,
        "condition": "disc",
    }


def test_json_answers(minimal):
    raw = parse_answers(
        b'{"bladder_bowel": "no", "age": 67.0, "smoking": "never", "diabetes": false, "bmi": 30, "condition": "disc"}',
        "me.json",
    )
    assert validate(minimal, merge(raw)).values["age"] == 67


def test_bmi_is_derived_from_height_and_weight(minimal, base_answers):
    del base_answers["bmi"]
    answers = validate(minimal, {**base_answers, "height_cm": 180, "weight_kg": 81})
    assert answers.values["bmi"] == 25.0
    assert answers.derived == {"bmi"}


@pytest.mark.parametrize("height", [0, -180])
def test_a_clinic_file_that_allows_no_height_gives_an_unknown_bmi_not_a_crash(tmp_path, minimal_path, height):
    # A clinic's rules file may let height_cm go down to 0 (or below). BMI is weight over height
    # squared: a height of 0 divided by zero (an internal error, exit 1), and a negative one gave
    # the BMI of a positive height. Neither is a BMI; it is unknown.
    clinic = tmp_path / "clinic.yaml"
    clinic.write_text(minimal_path.read_text().replace("    min: 100\n    max: 250\n", "    min: -250\n    max: 250\n"))
    rules = load_rules(clinic)
    assert rules.factors["height_cm"].min == -250
    answers = {**minimal_answers(), "height_cm": height, "weight_kg": 81}
    del answers["bmi"]
    assert validate(rules, answers).values["bmi"] == "unknown"
    result = CliRunner().invoke(
        app,
        ["ask", "--rules", str(clinic), "--no-input", "--format", "json", "--answers", "-"],
        input=json.dumps(answers),
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["answers"]["bmi"] == "unknown"


def test_optional_questions_left_out_become_unknown(minimal, base_answers):
    del base_answers["bmi"]
    answers = validate(minimal, base_answers)
    assert answers.values["height_cm"] == "unknown"
    assert answers.values["bmi"] == "unknown"


def test_every_problem_is_reported_at_once_with_lines(minimal):
    raw = parse_answers(b"bladder_bowel: maybe\nage: abc\nsmokin: never\ndiabetes: 3\nbmi: 500\n", "me.yaml")
    with pytest.raises(AnswersError) as err:
        validate(minimal, merge(raw))
    shown = [str(p) for p in err.value.problems]
    assert shown == [
        "me.yaml:1: bladder_bowel: 'maybe' is not one of the choices; expected one of no, yes",
        "me.yaml:2: age: expected a number, got 'abc'",
        "me.yaml:3: smokin: unknown question id (did you mean 'smoking'?)",
        "me.yaml:4: diabetes: 3 is not one of the choices; expected one of no, yes, unknown",
        "me.yaml:5: bmi: 500 is out of range; expected 10 to 90",
        "smoking: missing answer: Do you smoke?",
        "condition: missing answer: Which condition?",
    ]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("age", 17, "17 is out of range; expected 18 to 110"),
        ("age", 67.5, "expected a whole number"),
        ("age", True, "expected a number"),
        ("age", "unknown", "'unknown' is not allowed here"),
        ("age", None, "no answer given"),
        ("age", [1], "expected a number"),
        ("smoking", ["never"], "is not one of the choices"),
        ("bmi", float("nan"), "expected a number"),
    ],
)
def test_bad_values(minimal, base_answers, field, value, message):
    with pytest.raises(AnswersError) as err:
        validate(minimal, {**base_answers, field: value})
    assert message in str(err.value.problems[0])
    assert err.value.problems[0].field == field


def test_missing_answers_are_named(minimal):
    with pytest.raises(AnswersError) as err:
        validate(minimal, {"age": 60})
    missing = {p.field for p in err.value.problems}
    assert missing == {"bladder_bowel", "smoking", "diabetes", "condition"}


def test_questions_that_do_not_apply_are_not_required(minimal, base_answers):
    assert "hardware" not in validate(minimal, base_answers).values
    with pytest.raises(AnswersError) as err:
        validate(minimal, {**base_answers, "condition": "not_sure"})
    assert [p.field for p in err.value.problems] == ["hardware"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b"- age\n- 67\n", "must be a mapping"),
        (b"67\n", "must be a mapping"),
        (b'{"age": 67,', "not valid JSON"),
        (b'{"age": 67, "age": 68}', "duplicate key 'age'"),
        (b"age: 67\nage: 68\n", "duplicate key 'age'"),
        (b"age: \xff\n", "not UTF-8"),
        (b"age: !!python/object/apply:os.system ['true']\n", "constructor"),
        (b"[" * 100000, "nested too deeply"),
    ],
)
def test_unreadable_answers_files(data, message):
    with pytest.raises(AnswersError) as err:
        parse_answers(data, "me.yaml")
    assert message in err.value.render()
    assert "me.yaml" in err.value.render()


def test_huge_answers_file_is_refused():
    with pytest.raises(AnswersError) as err:
        read_answers(io.BytesIO(b"#" * (2 * 1024 * 1024)), "big.yaml")
    assert "too large" in err.value.render()


def test_set_items_override_file(minimal, base_answers):
    raw = parse_answers(b"age: 50\n", "me.yaml")
    merged = merge(raw, parse_set(["age=70"]))
    assert validate(minimal, merged, complete=False).values["age"] == 70


def test_set_needs_key_value():
    with pytest.raises(UsageError):
        parse_set(["age"])
