"""The QuestionnaireResponse reader follows FHIR R4's rules (issue 22).

Each test is a response shaped as real form fillers and EHRs write them: answers left in items
that enableWhen disabled, codings from SNOMED CT, a response to another form (PHQ-9), a
response made with another version of the questions, a response with no ``questionnaire``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import run_cli

from spinedecide.errors import AnswersError
from spinedecide.fhir import QUESTIONNAIRE_URL, answers_from_response, code_system, response_from_answers

MINIMAL = Path(__file__).parent / "data" / "minimal.yaml"
PLAIN = {
    "bladder_bowel": "no",
    "age": 50,
    "smoking": "never",
    "diabetes": "no",
    "height_cm": 180,
    "weight_kg": 81,
    "condition": "disc",
}
SNOMED = "http://snomed.info/sct"


def _response(answers, **changes):
    from spinedecide import load_rules

    resource = response_from_answers(load_rules(MINIMAL), answers)
    resource.update(changes)
    return resource


def _item(resource, link):
    for group in resource["item"]:
        for item in group["item"]:
            if item["linkId"] == link:
                return item
    raise KeyError(link)


def _ask(tmp_path, resource, expect=0):
    path = tmp_path / "response.json"
    path.write_text(json.dumps(resource), encoding="utf-8")
    fmt = "json" if expect == 0 else "text"  # errors as text on stderr
    return run_cli("ask", "--rules", MINIMAL, "--answers", path, "--no-input", "--format", fmt, expect=expect)


def test_an_answer_to_a_disabled_item_is_dropped_and_named(tmp_path):
    # A form filler that keeps an answer after the person changed an earlier one: hardware is
    # only enabled when condition = not_sure, but the response still carries hardware = yes.
    resource = _response({**PLAIN, "condition": "not_sure", "hardware": "yes"})
    _item(resource, "condition")["answer"] = [{"valueCoding": {"system": code_system("condition"), "code": "disc"}}]
    result = _ask(tmp_path, resource)
    assert "hardware" not in result.json["answers"]
    assert result.json["answers"]["condition"] == "disc"
    assert "were left out: hardware" in result.stderr
    # enabled, it is kept, and nothing is said
    enabled = _ask(tmp_path, _response({**PLAIN, "condition": "not_sure", "hardware": "yes"}))
    assert enabled.json["answers"]["hardware"] == "yes" and "left out" not in enabled.stderr


def test_an_item_that_depends_on_a_dropped_answer_is_dropped_too(tmp_path):
    text = MINIMAL.read_text(encoding="utf-8").replace(
        "    ask_when: {condition: not_sure}\n",
        "    ask_when: {condition: not_sure}\n"
        "  - id: hardware_kind\n    section: about_you\n    type: choice\n"
        '    question: "Which kind?"\n    help: "Only with hardware."\n'
        "    choices: [{id: screws, label: Screws}, {id: other, label: Other}]\n    required: false\n"
        '    ask_when: {hardware: "yes"}\n',
    )
    rules_path = tmp_path / "clinic.yaml"
    rules_path.write_text(text, encoding="utf-8")
    from spinedecide import load_rules

    rules = load_rules(rules_path)
    resource = response_from_answers(
        rules, {**PLAIN, "condition": "not_sure", "hardware": "yes", "hardware_kind": "screws"}
    )
    notes = []
    assert answers_from_response(rules, resource, note=notes.append)["hardware_kind"] == "screws"
    assert notes == []
    _item(resource, "condition")["answer"] = [{"valueCoding": {"code": "disc"}}]
    values = answers_from_response(rules, resource, name="r.json", note=notes.append)
    assert "hardware" not in values and "hardware_kind" not in values
    assert notes == [
        "r.json: answers to questions that do not apply (their enableWhen is false) were left out: "
        "hardware, hardware_kind"
    ]


def test_a_coding_from_another_system_is_refused(tmp_path):
    # An EHR's coding from SNOMED CT: whatever its code, it is not spinedecide's answer code.
    resource = _response(PLAIN)
    _item(resource, "smoking")["answer"] = [{"valueCoding": {"system": SNOMED, "code": "current", "display": "Smoker"}}]
    result = _ask(tmp_path, resource, expect=2)
    assert "smoking: valueCoding is from the code system 'http://snomed.info/sct'" in result.stderr
    assert code_system("smoking") in result.stderr
    # the same code with no system is read (a hand-written or minimal response)
    _item(resource, "smoking")["answer"] = [{"valueCoding": {"code": "current"}}]
    assert _ask(tmp_path, resource).json["answers"]["smoking"] == "current"


def test_a_response_to_another_questionnaire_is_refused(tmp_path):
    # A PHQ-9 response from an EHR (LOINC panel 44249-1), whose linkIds happen to look like ours
    resource = _response(PLAIN, questionnaire="http://loinc.org/q/44249-1")
    result = _ask(tmp_path, resource, expect=2)
    assert "answers the Questionnaire 'http://loinc.org/q/44249-1', not spinedecide's" in result.stderr
    assert result.stdout == ""
    with pytest.raises(AnswersError, match="questionnaire"):
        answers_from_response(__import__("spinedecide").load_rules(MINIMAL), {**resource, "questionnaire": 7})


def test_another_version_of_the_questions_is_read_with_a_note(tmp_path):
    resource = _response(PLAIN, questionnaire=f"{QUESTIONNAIRE_URL}|0.0.0")
    result = _ask(tmp_path, resource)
    assert result.json["answers"]["age"] == 50
    assert "made with version '0.0.0' of the questions; it was checked against version '0.0.1'" in result.stderr
    # ... but only when every linkId and answer validates against these rules
    _item(resource, "age")["linkId"] = "age_years"
    bad = _ask(tmp_path, resource, expect=2)
    assert "age_years" in bad.stderr
    # the same version, or no version: no note
    for canonical in (f"{QUESTIONNAIRE_URL}|0.0.1", QUESTIONNAIRE_URL):
        assert "version" not in _ask(tmp_path, _response(PLAIN, questionnaire=canonical)).stderr


def test_a_response_without_questionnaire_is_read(tmp_path):
    resource = _response(PLAIN)
    del resource["questionnaire"]
    result = _ask(tmp_path, resource)
    assert result.json["answers"]["smoking"] == "never" and result.stderr.count("Note:") == 0
