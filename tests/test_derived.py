"""A derived factor (BMI) is declared in the rules file (``formula`` over ``derived_from``), loaded
and checked like the rest; the arithmetic and the unit conversion stay in code (units.py). A
format 1 file without the declaration derives BMI exactly as before."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import minimal_answers

from spinedecide.answers import derive, validate
from spinedecide.errors import RulesError
from spinedecide.rules import Derivation, parse_rules, shipped_rules_path

MINIMAL = (Path(__file__).parent / "data" / "minimal.yaml").read_text(encoding="utf-8")
SHIPPED = shipped_rules_path().read_text(encoding="utf-8")
DECLARED = "    derived_from: [height_cm, weight_kg]\n"


def rules_of(text: str):
    return parse_rules(text.encode(), "clinic.yaml")


def problems_of(text: str) -> list[str]:
    with pytest.raises(RulesError) as err:
        rules_of(text)
    return [str(p) for p in err.value.problems]


def old_bmi(height: float, weight: float) -> float:
    """The derivation as it was hard-coded before the rules file declared it."""
    return round(weight / (height / 100) ** 2, 1)


def test_the_shipped_file_declares_bmi_and_derives_it_as_before():
    assert "formula: body_mass_index" in SHIPPED
    rules = rules_of(SHIPPED)
    assert rules.factors["bmi"].derivation == Derivation("body_mass_index", ("height_cm", "weight_kg"), (1.0, 1.0))
    # Without the declaration (a format 1 file from before it), the same derivation.
    legacy = rules_of(SHIPPED.replace("    formula: body_mass_index\n", ""))
    assert legacy.factors["bmi"].derivation == rules.factors["bmi"].derivation


@pytest.mark.parametrize("text", [MINIMAL, SHIPPED], ids=["format 1 without the declaration", "shipped"])
def test_bmi_is_the_same_as_the_hard_coded_one_for_every_height_and_weight(text):
    rules = rules_of(text)
    height_f, weight_f = rules.factors["height_cm"], rules.factors["weight_kg"]
    bmi, checked = rules.factors["bmi"], 0
    for height in [*range(int(height_f.min), int(height_f.max) + 1, 3), 172.5, 181.3]:
        for weight in [*range(int(weight_f.min), int(weight_f.max) + 1, 7), 70.7, 99.9]:
            values = {"height_cm": height, "weight_kg": weight}
            assert derive(rules, values) == {"bmi": values["bmi"]}
            want = old_bmi(height, weight)
            assert values["bmi"] == (want if bmi.min <= want <= bmi.max else "unknown"), (height, weight)
            checked += 1
    assert checked > 500


def test_minimal_file_has_no_declaration_and_still_derives_bmi(minimal):
    assert "formula" not in MINIMAL
    answers = validate(minimal, {**minimal_answers(bmi=None), "height_cm": 180, "weight_kg": 81})
    assert answers.values["bmi"] == 25.0 and answers.derived == {"bmi"}


def test_a_declared_formula_reads_its_inputs_units():
    # A clinic that asks height in inches and weight in pounds: the code converts the units.
    text = (
        MINIMAL.replace("  - id: height_cm\n", "  - id: height_in\n")
        .replace("  - id: weight_kg\n", "  - id: weight_lb\n")
        .replace("    min: 100\n    max: 250\n", "    unit: in\n    min: 40\n    max: 100\n")
        .replace("    min: 25\n    max: 350\n", "    unit: lb\n    min: 50\n    max: 800\n")
        .replace(DECLARED, "    derived_from: [weight_lb, height_in]\n    formula: body_mass_index\n")
    )
    rules = rules_of(text)
    assert rules.factors["bmi"].derivation.inputs == ("height_in", "weight_lb")  # matched by the units' kinds
    answers = validate(rules, {**minimal_answers(bmi=None), "height_in": 70, "weight_lb": 180})
    assert answers.values["bmi"] == round(180 * 0.45359237 / (70 * 2.54 / 100) ** 2, 1) == 25.8


def test_a_declared_formula_over_inputs_without_units_is_refused_with_its_line():
    text = MINIMAL.replace(DECLARED, DECLARED + "    formula: body_mass_index\n")
    found = problems_of(text)
    assert any("needs exactly one answer measured in a unit of length" in p for p in found), found
    line = text.splitlines().index("    derived_from: [height_cm, weight_kg]") + 1
    assert any(f"clinic.yaml:{line}" in p for p in found), found


def renamed_bmi(text: str) -> str:
    """The file with its bmi factor called body_mass (and its conditions with it)."""
    return text.replace("  - id: bmi\n", "  - id: body_mass\n").replace("{bmi:", "{body_mass:")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (MINIMAL.replace(DECLARED, DECLARED + "    formula: body_mass_indx\n"), "unknown formula 'body_mass_indx'"),
        (MINIMAL.replace(DECLARED, "    formula: body_mass_index\n"), "needs derived_from"),
        # Only the legacy bmi may leave its formula out; any other derived factor names one.
        (renamed_bmi(MINIMAL), "a derived factor needs a formula: body_mass_index"),
    ],
)
def test_bad_declarations_are_refused(text, message):
    found = problems_of(text)
    assert any(message in p for p in found), found
