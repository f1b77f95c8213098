"""Issue 22 (leftover): height and weight are FHIR ``quantity`` items, read back in any UCUM unit
the question offers, and old responses with ``valueDecimal`` still give the same report.

Validated with fhir.resources (R4B models) and FHIRPath (fhirpathpy, R4 model): each unit
extension only where its context allows it (questionnaire-unit on integer and decimal items,
questionnaire-unitOption and SDC min/maxQuantity on quantity items), every answer of the type its
item declares, and the round trip answers -> QuestionnaireResponse -> report.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from helpers import run_cli

from spinedecide import assess, load_rules
from spinedecide.answers import parse_answers
from spinedecide.fhir import (
    MAX_QUANTITY_URL,
    MIN_QUANTITY_URL,
    UNIT_OPTION_URL,
    UNIT_URL,
    answers_from_response,
    questionnaire,
    response_from_answers,
)

pytest.importorskip("fhir.resources")
pytest.importorskip("fhirpathpy")

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p.name.removesuffix(".answers.yaml") for p in GOLDEN.glob("*.answers.yaml"))
RULES = load_rules()
UCUM = "http://unitsofmeasure.org"


def _fhirpath(resource: dict[str, Any], expression: str) -> list[Any]:
    from fhirpathpy import evaluate
    from fhirpathpy.models import models

    return list(evaluate(resource, expression, {}, models["r4"]))


def _items(resource: dict[str, Any]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for item in resource.get("item", []):
        out[item["linkId"]] = item
        out.update(_items(item))
    return out


def test_height_and_weight_are_quantity_items_with_ucum_unit_options() -> None:
    from fhir.resources.R4B.questionnaire import Questionnaire

    form = questionnaire(RULES)
    parsed = Questionnaire.model_validate(copy.deepcopy(form))
    assert json.loads(parsed.model_dump_json()) == json.loads(json.dumps(form))
    items = _items(form)
    for link, units, low, high in (
        ("height_cm", ["cm", "m", "[in_i]"], 100, 250),
        ("weight_kg", ["kg", "[lb_av]"], 25, 350),
    ):
        item = items[link]
        assert item["type"] == "quantity"
        options = [e["valueCoding"] for e in item["extension"] if e["url"] == UNIT_OPTION_URL]
        assert [o["code"] for o in options] == units and {o["system"] for o in options} == {UCUM}
        bounds = {e["url"]: e["valueQuantity"] for e in item["extension"] if "valueQuantity" in e}
        assert bounds[MIN_QUANTITY_URL] == {"value": low, "unit": units[0], "system": UCUM, "code": units[0]}
        assert bounds[MAX_QUANTITY_URL]["value"] == high


def test_each_unit_extension_is_only_where_its_context_allows() -> None:
    form = questionnaire(RULES)
    # questionnaire-unit (R4 contextInvariant): type='integer' or type='decimal'
    on_numbers = _fhirpath(form, f"Questionnaire.repeat(item).where(extension('{UNIT_URL}').exists()).type")
    assert on_numbers and set(on_numbers) <= {"integer", "decimal"}
    for url in (UNIT_OPTION_URL, MIN_QUANTITY_URL, MAX_QUANTITY_URL):
        types = _fhirpath(form, f"Questionnaire.repeat(item).where(extension('{url}').exists()).type")
        assert types == ["quantity", "quantity"], url
    # min/maxValue (valueInteger/valueDecimal) are never put on a quantity item
    assert _fhirpath(
        form,
        "Questionnaire.repeat(item).where(type = 'quantity').extension"
        ".where(url = 'http://hl7.org/fhir/StructureDefinition/minValue').exists()",
    ) == [False]


ANSWER_TYPE = {
    "quantity": "valueQuantity",
    "decimal": "valueDecimal",
    "integer": "valueInteger",
    "choice": "valueCoding",
}


@pytest.mark.parametrize("case", CASES)
def test_every_answer_has_the_type_its_item_declares_and_the_round_trip_keeps_the_report(case: str) -> None:
    from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

    values = parse_answers((GOLDEN / f"{case}.answers.yaml").read_bytes(), case).values
    response = response_from_answers(RULES, values, quantities=True)
    QuestionnaireResponse.model_validate(copy.deepcopy(response))
    declared = {link: item["type"] for link, item in _items(questionnaire(RULES)).items()}
    for link, item in _items(response).items():
        for answer in item.get("answer", []):
            keys = [k for k in answer if k.startswith("value")]
            if declared.get(link) == "quantity":
                assert keys in (["valueQuantity"], []), (link, answer)  # [] : unknown, data-absent-reason
            elif link in declared and answer.get("valueString") != "unknown":
                assert keys == [ANSWER_TYPE[declared[link]]], (link, answer)
    back = answers_from_response(RULES, response)
    assert assess(RULES, back).to_dict() == assess(RULES, values).to_dict()


def test_the_response_command_round_trip_gives_the_same_report(tmp_path: Path) -> None:
    answers = GOLDEN / "spondylolisthesis_bmi_from_height_weight.answers.yaml"
    response = tmp_path / "response.json"
    run_cli("response", answers, "--output", response)
    items = _items(json.loads(response.read_text(encoding="utf-8")))
    assert items["height_cm"]["answer"][0]["valueQuantity"]["code"] == "cm"
    from_response = run_cli("ask", "--answers", response, "--no-input", "--format", "json").json
    assert from_response == run_cli("ask", "--answers", answers, "--no-input", "--format", "json").json


def test_an_old_response_with_value_decimal_and_one_in_other_units_give_the_same_report(tmp_path: Path) -> None:
    answers = GOLDEN / "spondylolisthesis_bmi_from_height_weight.answers.yaml"
    values = parse_answers(answers.read_bytes(), "a").values
    expected = run_cli("ask", "--answers", answers, "--no-input", "--format", "json").json
    response = response_from_answers(RULES, values)
    items = _items(response)
    height, weight = values["height_cm"], values["weight_kg"]
    items["height_cm"]["answer"] = [{"valueDecimal": height}]  # as spinedecide wrote it before issue 22
    items["weight_kg"]["answer"] = [{"valueDecimal": weight}]
    old = tmp_path / "old.json"
    old.write_text(json.dumps(response), encoding="utf-8")
    assert run_cli("ask", "--answers", old, "--no-input", "--format", "json").json == expected
    items["height_cm"]["answer"] = [{"valueQuantity": {"value": height / 100, "system": UCUM, "code": "m"}}]
    metres = tmp_path / "metres.json"
    metres.write_text(json.dumps(response), encoding="utf-8")
    assert run_cli("ask", "--answers", metres, "--no-input", "--format", "json").json == expected


def test_an_unknown_height_is_a_data_absent_reason_and_reads_back_as_unknown() -> None:
    response = response_from_answers(RULES, {"height_cm": "unknown", "weight_kg": 70})
    answer = _items(response)["height_cm"]["answer"][0]
    assert answer == {
        "extension": [
            {"url": "http://hl7.org/fhir/StructureDefinition/data-absent-reason", "valueCode": "asked-unknown"}
        ]
    }
    assert answers_from_response(RULES, response)["height_cm"] == "unknown"
