"""Coded questions, spinedecide's answer codes as CodeSystems, and answers -> QuestionnaireResponse (issue 22)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from helpers import run_cli

from spinedecide import load_rules
from spinedecide.answers import validate
from spinedecide.errors import AnswersError, RulesError
from spinedecide.fhir import answers_from_response, code_system, code_systems, questionnaire, response_from_answers

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "answers-stenosis.yaml"
LOINC = "http://loinc.org"
#: Each code was checked against a source read (cited beside it in data/factors.yaml). Questions
#: whose meaning differs from every code found stay uncoded (e.g. pain averaged over a week).
CODED = {
    "height_cm": (LOINC, "8302-2", "Body height"),
    "weight_kg": (LOINC, "29463-7", "Body weight"),
    "smoking": (LOINC, "72166-2", "Tobacco smoking status"),
}


def _items(resource):
    out = []
    for group in resource["item"]:
        out.extend(group["item"])
    return {i["linkId"]: i for i in out}


def test_the_questions_with_a_checked_standard_code_carry_it_and_no_others():
    items = _items(questionnaire(load_rules()))
    coded = {link: tuple(item["code"][0].values()) for link, item in items.items() if "code" in item}
    assert coded == CODED
    assert "code" not in items["pain"]


def test_a_bad_code_in_a_rules_file_is_refused(tmp_path):
    text = (ROOT / "tests" / "data" / "minimal.yaml").read_text(encoding="utf-8")
    bad = text.replace(
        "  - id: hardware\n", '  - id: hardware\n    code: {system: "loinc", code: "1", display: "x"}\n', 1
    )
    path = tmp_path / "clinic.yaml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(RulesError, match="must be a URI"):
        load_rules(path)
    path.write_text(bad.replace('system: "loinc", ', ""), encoding="utf-8")
    with pytest.raises(RulesError, match="system"):
        load_rules(path)


def test_every_answer_code_is_in_its_code_system():
    from fhir.resources.R4B.bundle import Bundle

    rules = load_rules()
    bundle = code_systems(rules)
    parsed = Bundle.model_validate(copy.deepcopy(bundle))
    assert json.loads(parsed.model_dump_json()) == json.loads(json.dumps(bundle))
    systems = {e["resource"]["url"]: {c["code"] for c in e["resource"]["concept"]} for e in bundle["entry"]}
    for item in _items(questionnaire(rules)).values():
        for option in item.get("answerOption", []):
            coding = option["valueCoding"]
            assert coding["code"] in systems[coding["system"]], coding
    assert systems[code_system("smoking")] == {"never", "former", "current", "unknown"}
    assert run_cli("questions", "--format", "codesystems").json == bundle


def test_the_response_command_writes_height_and_weight_as_ucum_quantities(tmp_path):
    from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

    written = run_cli("response", EXAMPLE).json
    QuestionnaireResponse.model_validate(copy.deepcopy(written))
    items = _items(written)
    assert items["height_cm"]["answer"] == [
        {"valueQuantity": {"value": 165, "unit": "cm", "system": "http://unitsofmeasure.org", "code": "cm"}}
    ]
    assert items["weight_kg"]["answer"][0]["valueQuantity"]["code"] == "kg"
    assert written["status"] == "completed"
    # read back: the same report as the answers file
    path = tmp_path / "response.json"
    run_cli("response", EXAMPLE, "--output", path)
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    from_response = run_cli("ask", "--answers", path, "--no-input", "--format", "json").json
    assert from_response == run_cli("ask", "--answers", EXAMPLE, "--no-input", "--format", "json").json
    partial = run_cli("response", "-", input='{"age": 50}').json
    assert partial["status"] == "in-progress"
    assert "out of range" in run_cli("response", "-", input='{"age": 12}', expect=2).stderr


def test_a_quantity_in_another_unit_the_question_takes_is_converted_any_other_is_refused():
    # Issue 22: the quantity items offer cm, m, [in_i] and kg, [lb_av] (questionnaire-unitOption);
    # the reader turns each into cm or kg as the interview does (one decimal place).
    rules = load_rules()
    resource = response_from_answers(rules, {"height_cm": 180, "weight_kg": 80}, quantities=True)
    assert answers_from_response(rules, resource) == {"height_cm": 180, "weight_kg": 80}
    ucum = "http://unitsofmeasure.org"
    for link, code, value, held in (
        ("weight_kg", "[lb_av]", 176, 79.8),
        ("height_cm", "m", 1.78, 178),
        ("height_cm", "[in_i]", 70, 177.8),
    ):
        _items(resource)[link]["answer"] = [{"valueQuantity": {"value": value, "system": ucum, "code": code}}]
        assert validate(rules, answers_from_response(rules, resource), complete=False).values[link] == held
    _items(resource)["weight_kg"]["answer"] = [{"valueQuantity": {"value": 12, "system": ucum, "code": "[stone_av]"}}]
    with pytest.raises(AnswersError, match=r"weight_kg: valueQuantity is in '\[stone_av\]'.*takes kg, \[lb_av\]"):
        answers_from_response(rules, resource)
    _items(resource)["height_cm"]["answer"] = [{"valueQuantity": {"value": 70, "system": ucum, "code": "[lb_av]"}}]
    with pytest.raises(AnswersError, match=r"height_cm: valueQuantity is in '\[lb_av\]'"):
        answers_from_response(rules, resource)
    _items(resource)["height_cm"]["answer"] = [{"valueDecimal": 180}]  # a response written before quantities
    _items(resource)["weight_kg"]["answer"] = [{"valueQuantity": {"value": 80}}]  # no unit: the question's
    assert answers_from_response(rules, resource)["weight_kg"] == 80
    _items(resource)["height_cm"]["answer"] = [{"valueQuantity": {"value": 180}}]
    _items(resource)["weight_kg"]["answer"] = [{"valueQuantity": {"code": "kg"}}]
    with pytest.raises(AnswersError, match="no number"):
        answers_from_response(rules, resource)
    smoking = {
        "resourceType": "QuestionnaireResponse",
        "status": "completed",
        "item": [{"linkId": "smoking", "answer": [{"valueQuantity": {"value": 1}}]}],
    }
    with pytest.raises(AnswersError, match="only for a question with a unit"):
        answers_from_response(rules, smoking)
