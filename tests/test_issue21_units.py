"""Issue 21: answers with their units (5'10", 180 lb, 2 years), the same wherever answers come in,
held in cm, kg and weeks; and a correctly quoted message for anything else."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from helpers import ROOT, run_cli
from typer.testing import CliRunner

from spinedecide import assess, load_rules
from spinedecide.answers import convert
from spinedecide.cli import app

SHIPPED = load_rules(None)
EXAMPLE = yaml.safe_load((ROOT / "examples" / "answers-stenosis.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("factor", "given", "held"),
    [
        ("height_cm", "5'10\"", 177.8),
        ("height_cm", "5' 10''", 177.8),
        ("height_cm", "5\u2019 10\u201d", 177.8),  # typographic quotes, as phones type them
        ("height_cm", "5 ft 10", 177.8),
        ("height_cm", "5ft10in", 177.8),
        ("height_cm", "5 feet 10 inches", 177.8),
        ("height_cm", "5 ft", 152.4),
        ("height_cm", "70 in", 177.8),
        ("height_cm", "178 cm", 178),
        ("height_cm", "178cm", 178),
        ("height_cm", "1.78 m", 178),
        ("height_cm", "1,78 m", 178),
        ("height_cm", "178", 178),  # a plain number keeps its meaning: cm
        ("height_cm", 177.8, 177.8),
        ("weight_kg", "180 lb", 81.6),
        ("weight_kg", "180 lbs", 81.6),
        ("weight_kg", "11 st 4 lb", 71.7),
        ("weight_kg", "11 st 4", 71.7),
        ("weight_kg", "11st4lb", 71.7),
        ("weight_kg", "11 stone", 69.9),
        ("weight_kg", "72 kg", 72),
        ("weight_kg", "72,5", 72.5),
        ("weight_kg", 72, 72),
        ("symptom_weeks", "2 years", 104),
        ("symptom_weeks", "6 months", 26),
        ("symptom_weeks", "10 days", 1),
        ("symptom_weeks", "3 weeks", 3),
        ("symptom_weeks", "1 year 6 months", 78),
        ("symptom_weeks", "104", 104),  # a plain number keeps its meaning: weeks
        ("symptom_weeks", 104, 104),
    ],
)
def test_unit_forms_are_held_in_the_questions_unit(factor: str, given: object, held: float) -> None:
    assert convert(SHIPPED.factors[factor], given) == (held, None)


@pytest.mark.parametrize(
    ("factor", "given", "message"),
    [
        ("height_cm", "10 in 5 ft", "could not read '10 in 5 ft'; type a number in cm, or with its unit"),
        ("height_cm", "72 kg", "could not read '72 kg'"),  # a weight is not a height
        ("height_cm", "five foot ten", "could not read 'five foot ten'"),
        ("height_cm", "9 ft", "'9 ft' is 274.3 cm, which is out of range; expected 100 to 250 cm"),
        ("weight_kg", "lots", "could not read 'lots'; type a number in kg, or with its unit, e.g. 72 kg, 180 lb"),
        ("symptom_weeks", "2 cm", "could not read '2 cm'; type a number in weeks, or with its unit"),
        ("symptom_weeks", "3.5", "expected a whole number, got '3.5'"),
        # quoted as typed, never with a backslash: a question with no units
        ("age", "5'10\"", "expected a number, got \u201c5'10\"\u201d"),
        ("age", "don't", 'expected a number, got "don\'t"'),
        ("age", "\x1b[8m", "expected a number, got '\\x1b[8m'"),  # control characters stay escaped
    ],
)
def test_anything_else_gets_a_clear_correctly_quoted_message(factor: str, given: str, message: str) -> None:
    value, error = convert(SHIPPED.factors[factor], given)
    assert value is None and error is not None
    assert error.startswith(message), error
    assert "\x1b" not in error and "\\'" not in error


UNITS = {"height_cm": "5'10\"", "weight_kg": "180 lb", "symptom_weeks": "2 years"}
HELD = {"height_cm": 177.8, "weight_kg": 81.6, "symptom_weeks": 104}


def _json_report(*args: str, input: str | None = None) -> dict:
    result = run_cli("ask", "--no-input", "--format", "json", *args, input=input)
    return result.json


def test_the_same_forms_everywhere_answers_come_in(tmp_path: Path) -> None:
    canonical = _json_report("--answers", str(_write(tmp_path / "canonical.json", {**EXAMPLE, **HELD})))
    assert canonical["answers"]["bmi"] == 25.8  # 81.6 kg / 1.778 m squared
    with_units = {**EXAMPLE, **UNITS}
    sets = [f"--set={key}={value}" for key, value in UNITS.items()]
    yaml_file = tmp_path / "units.yaml"
    yaml_file.write_text(yaml.safe_dump(with_units), encoding="utf-8")
    reports = {
        "--set": _json_report("--answers", str(_write(tmp_path / "base.json", EXAMPLE)), *sets),
        "yaml": _json_report("--answers", str(yaml_file)),
        "json": _json_report("--answers", str(_write(tmp_path / "units.json", with_units))),
    }
    batch = CliRunner().invoke(app, ["batch", "-"], input=json.dumps(with_units) + "\n")
    assert batch.exit_code == 0, batch.stderr
    reports["batch"] = json.loads(batch.stdout)
    reports["api"] = json.loads(_api_json(with_units))
    for where, report in reports.items():
        assert report == canonical, where


def test_saved_answers_hold_cm_kg_and_weeks(tmp_path: Path) -> None:
    saved = tmp_path / "saved.yaml"
    # The optional questions asked before symptom_weeks are answered, so the typed line answers it.
    base = {k: v for k, v in EXAMPLE.items() if k != "symptom_weeks"} | {"lives_alone": "no", "blood_thinners": "no"}
    sets = ["--set=height_cm=5 ft 10", "--set=weight_kg=11 st 4 lb"]
    # Saved after every answer: the end of input at the next (optional) question stops with 130.
    run_cli("ask", "--answers", str(_write(tmp_path / "base.json", base)), *sets, "--format", "json",
            "--save-answers", str(saved), input="2 years\n", expect=130)  # fmt: skip
    held = yaml.safe_load(saved.read_text(encoding="utf-8"))
    assert (held["height_cm"], held["weight_kg"], held["symptom_weeks"]) == (177.8, 71.7, 104)


def test_the_interview_offers_the_unit_forms_and_says_what_it_read(tmp_path: Path) -> None:
    # The optional questions asked before symptom_weeks are answered, so the typed line answers it.
    base = {k: v for k, v in EXAMPLE.items() if k != "symptom_weeks"} | {"lives_alone": "no", "blood_thinners": "no"}
    saved = tmp_path / "saved.yaml"
    result = run_cli("ask", "--answers", str(_write(tmp_path / "b.json", base)), "--format", "json",
                     "--save-answers", str(saved), input="two years\n2 years\n", expect=130)  # fmt: skip
    assert "or with its unit, e.g. 10 days, 6 months or 2 years" in result.stderr
    assert "could not read 'two years'" in result.stderr
    assert "That is 104 weeks." in result.stderr
    assert yaml.safe_load(saved.read_text(encoding="utf-8"))["symptom_weeks"] == 104


def test_bmi_given_directly_is_used_as_given(tmp_path: Path) -> None:
    base = {k: v for k, v in EXAMPLE.items() if k not in ("height_cm", "weight_kg")}
    report = _json_report("--answers", str(_write(tmp_path / "b.json", base)), "--set", "bmi=31.5")
    assert report["answers"]["bmi"] == 31.5
    assert "bmi" not in report["derived"]


def test_unreadable_height_on_the_command_line_names_the_field_and_exits_2() -> None:
    result = run_cli("ask", "--no-input", "--set", "height_cm=5 foot 10 and a bit", expect=2)
    assert "--set height_cm: could not read '5 foot 10 and a bit'" in result.stderr
    assert "Traceback" not in result.stderr


def _write(path: Path, answers: dict) -> Path:
    path.write_text(json.dumps(answers), encoding="utf-8")
    return path


def _api_json(answers: dict) -> str:
    import io

    from spinedecide.render import render

    out = io.StringIO()
    render(assess(SHIPPED, answers), "json", out)
    return out.getvalue()
