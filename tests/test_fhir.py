"""FHIR R4 Questionnaire out, QuestionnaireResponse in (spinedecide.fhir).

The resources are validated with the maintained model library ``fhir.resources`` (a test
dependency; its ``R4B`` package: Questionnaire and QuestionnaireResponse are unchanged from R4).
Without it the validation tests skip locally and fail in CI.
"""

from __future__ import annotations

import copy
import itertools
import json
import os
import time
from pathlib import Path
from typing import Any

import pytest
from helpers import ROOT, run_cli

from spinedecide import assess, load_rules
from spinedecide.answers import merge, parse_answers, validate
from spinedecide.conditions import ALWAYS, UNKNOWN, Compiler
from spinedecide.errors import AnswersError, RulesError
from spinedecide.fhir import (
    APPLIES_WHEN_URL,
    ENABLE_WHEN_OMITTED_URL,
    MAX_QUANTITY_URL,
    MAX_VALUE_URL,
    MIN_QUANTITY_URL,
    MIN_VALUE_URL,
    QUESTIONNAIRE_URL,
    UNIT_OPTION_URL,
    Inexpressible,
    answers_from_response,
    code_system,
    enable_when,
    from_raw_answers,
    interview,
    interview_text,
    is_questionnaire_response,
    questionnaire,
    response_from_answers,
)

DATA = Path(__file__).parent / "data"
RESPONSE = DATA / "fhir_response_minimal.json"


def _fhir_model(name: str) -> Any:
    """The fhir.resources R4B model class, or skip (fail in CI: it is a test dependency)."""
    try:
        if name == "Questionnaire":
            from fhir.resources.R4B.questionnaire import Questionnaire as model
        else:
            from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse as model
    except ImportError:  # pragma: no cover - depends on the environment
        if os.environ.get("CI"):
            pytest.fail("fhir.resources is a test dependency (pip install -e '.[test]')")
        pytest.skip("fhir.resources is not installed")
    return model


# Required bindings and invariants of R4 that fhir.resources does not check (it checks structure
# and data types, not code values or constraints).
ITEM_TYPES = {
    "group",
    "display",
    "boolean",
    "decimal",
    "integer",
    "date",
    "dateTime",
    "time",
    "string",
    "text",
    "url",
    "choice",
    "open-choice",
    "attachment",
    "reference",
    "quantity",
}
OPERATORS = {"exists", "=", "!=", ">", "<", ">=", "<="}
STATUSES = {"draft", "active", "retired", "unknown"}
RESPONSE_STATUSES = {"in-progress", "completed", "amended", "entered-in-error", "stopped"}


def check_questionnaire_rules(resource: dict[str, Any]) -> None:
    assert resource["status"] in STATUSES
    items = _all_items(resource["item"])
    link_ids = {i["linkId"] for i in items}
    assert len(link_ids) == len(items), "linkIds must be unique"
    for item in items:
        assert item["type"] in ITEM_TYPES
        if item["type"] == "group":
            assert item.get("item"), "que-1: a group has items"
        if item["type"] == "display":
            assert "item" not in item and "required" not in item, "que-1, que-6"
        if "answerOption" in item:
            assert item["type"] in ("choice", "open-choice"), "que-5"
        when = item.get("enableWhen", [])
        if len(when) > 1:
            assert item["enableBehavior"] in ("all", "any"), "que-12"
        else:
            assert "enableBehavior" not in item
        for clause in when:
            assert clause["operator"] in OPERATORS
            assert clause["question"] in link_ids and clause["question"] != item["linkId"]
            answer = [k for k in clause if k.startswith("answer")]
            assert len(answer) == 1
            if clause["operator"] == "exists":
                assert answer == ["answerBoolean"], "que-7"


def fhir_validate(resource: dict[str, Any]) -> dict[str, Any]:
    """Validate with fhir.resources; return its JSON form (which must keep everything we wrote)."""
    if resource["resourceType"] == "Questionnaire":
        check_questionnaire_rules(resource)
    elif resource["resourceType"] == "QuestionnaireResponse":
        assert resource["status"] in RESPONSE_STATUSES
    model = _fhir_model(resource["resourceType"])
    parsed = model.model_validate(copy.deepcopy(resource))
    dumped = json.loads(parsed.model_dump_json())
    assert dumped == json.loads(json.dumps(resource)), "fhir.resources dropped or changed something"
    return dumped


@pytest.fixture(scope="module")
def shipped_rules():
    """The shipped rules; someone may be mid-edit of data/factors.yaml, so retry briefly."""
    for attempt in range(5):
        try:
            return load_rules()
        except RulesError:
            if attempt == 4:
                raise
            time.sleep(2)
    return None  # pragma: no cover


def questions_of(resource: dict[str, Any]) -> list[dict[str, Any]]:
    """The question items (not groups, not help text), depth first."""
    out = []

    def walk(items: list[dict[str, Any]]) -> None:
        for item in items:
            if item["type"] not in ("group", "display"):
                out.append(item)
            walk(item.get("item", []))

    walk(resource["item"])
    return out


def extension(item: dict[str, Any], url: str) -> Any:
    for ext in item.get("extension", []):
        if ext["url"] == url:
            return next(v for k, v in ext.items() if k.startswith("value"))
    return None


# ---------------------------------------------------------------------------------------------
# The Questionnaire


@pytest.mark.parametrize("which", ["minimal", "shipped"])
def test_questionnaire_is_valid_fhir_and_matches_the_interview(which, minimal, request):
    rules = minimal if which == "minimal" else request.getfixturevalue("shipped_rules")
    resource = questionnaire(rules)
    parsed = fhir_validate(resource)
    assert parsed["resourceType"] == "Questionnaire"
    assert resource["url"] == QUESTIONNAIRE_URL
    assert resource["version"] == rules.version
    assert resource["title"] == rules.metadata["title"]
    assert resource["date"] == rules.reviewed
    assert resource["status"] == "active"

    items = questions_of(resource)
    assert [q["linkId"] for q in items] == [f.id for f in rules.questions()]
    assert items[0]["linkId"] == rules.questions()[0].id and rules.questions()[0].red_flag
    link_ids = [i["linkId"] for i in _all_items(resource["item"])]
    assert len(link_ids) == len(set(link_ids)), "linkIds must be unique"
    for q in items:
        factor = rules.factors[q["linkId"]]
        assert q["text"] == factor.question
        quantity = factor.type == "number" and factor.unit in ("cm", "kg")  # a UCUM length or weight
        kinds = {"choice": "choice", "integer": "integer", "number": "decimal", "date": "date", "text": "string"}
        expected = "quantity" if quantity else kinds[factor.type]
        assert q["type"] == expected, factor.id
        assert q.get("repeats", False) == (factor.max_items > 1)
        assert q.get("required", False) == (factor.required and not factor.unknown)
        if factor.type == "choice":
            codes = [o["valueCoding"]["code"] for o in q["answerOption"]]
            assert codes == list(factor.choice_ids) + ([UNKNOWN] if factor.unknown else [])
            assert {o["valueCoding"]["system"] for o in q["answerOption"]} == {code_system(factor.id)}
            assert [o["valueCoding"]["display"] for o in q["answerOption"]][: len(factor.choices)] == [
                c.label for c in factor.choices
            ]
        elif quantity:
            assert "answerOption" not in q and extension(q, MIN_VALUE_URL) is None
            assert extension(q, MIN_QUANTITY_URL)["value"] == factor.min
            assert extension(q, MAX_QUANTITY_URL)["value"] == factor.max
            assert {extension(q, MIN_QUANTITY_URL)["code"]} == {extension(q, UNIT_OPTION_URL)["code"]} == {factor.unit}
        else:
            assert "answerOption" not in q
            assert extension(q, MIN_VALUE_URL) == factor.min
            assert extension(q, MAX_VALUE_URL) == factor.max
        help_items = [i for i in q.get("item", []) if i["type"] == "display"]
        assert [h["text"] for h in help_items] == [" ".join(factor.help.split())]
        if factor.ask_when == ALWAYS:  # asked of everyone: no condition of any kind
            assert extension(q, APPLIES_WHEN_URL) is None, q["linkId"]
            assert "enableWhen" not in q and extension(q, ENABLE_WHEN_OMITTED_URL) is None, q["linkId"]
        else:
            assert extension(q, APPLIES_WHEN_URL) == factor.ask_when.describe()
            # either enforced with enableWhen, or said to be always enabled
            assert ("enableWhen" in q) != (extension(q, ENABLE_WHEN_OMITTED_URL) is not None)
    # the output is plain, deterministic JSON
    assert json.dumps(resource, sort_keys=True) == json.dumps(questionnaire(rules), sort_keys=True)


def _all_items(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for item in items:
        out.append(item)
        out.extend(_all_items(item.get("item", [])))
    return out


def test_conditional_questions_use_enable_when(minimal):
    items = {q["linkId"]: q for q in questions_of(questionnaire(minimal))}
    hardware = items["hardware"]
    assert hardware["enableWhen"] == [
        {
            "question": "condition",
            "operator": "=",
            "answerCoding": {"system": code_system("condition"), "code": "not_sure", "display": "Not sure"},
        }
    ]
    assert "enableBehavior" not in hardware  # one clause
    # height_cm applies when bmi is not known; bmi is derived, never a question, so FHIR cannot
    # refer to it: the item stays enabled and says why.
    height = items["height_cm"]
    assert "enableWhen" not in height
    assert extension(height, APPLIES_WHEN_URL) == "bmi is not known"
    assert "'bmi' is not a question" in extension(height, ENABLE_WHEN_OMITTED_URL)
    assert "bmi" not in items
    assert "enableWhen" not in items["age"]


# -- ask_when -> enableWhen, checked against FHIR's own semantics -------------------------------

EXPRESSIBLE = [
    {"smoking": "current"},
    {"smoking": {"!=": "current"}},
    {"smoking": {"in": ["current", "former"]}},
    {"smoking": {"not_in": ["current", "former"]}},
    {"smoking": {"known": True}},
    {"smoking": {"known": False}},
    {"age": {">=": 65}},
    {"age": {">=": 65, "<": 80}},
    {"age": {"==": 70}},
    {"age": {"!=": 70}},
    {"age": {"known": True}},
    {"smoking": "current", "age": {">": 70}},
    {"any": [{"smoking": "current"}, {"age": {">=": 80}}, {"condition": "not_sure"}]},
    {"all": [{"smoking": {"!=": "never"}}, {"age": {"<=": 60}}]},
    {"not": {"smoking": "current"}},
    {"not": {"smoking": {"!=": "current"}}},
    {"not": {"age": {">": 70}}},
    {"not": {"smoking": {"known": True}}},
    {"not": {"not": {"smoking": "never"}}},
]

INEXPRESSIBLE = [
    {"not": {"smoking": "current", "age": {">": 70}}},  # not of a group
    {"not": {"any": [{"smoking": "current"}, {"diabetes": "yes"}]}},
    {"any": [{"smoking": "current"}, {"all": [{"diabetes": "yes"}, {"age": {">": 70}}]}]},  # all in any
    {"any": [{"smoking": {"not_in": ["never"]}}, {"diabetes": "yes"}]},
    {"smoking": "current", "age": {"known": False}, "diabetes": {"known": False}},  # any in all
    {"bmi": {">=": 30}},  # bmi is not a question
    {"not": {"smoking": {"in": ["current", "former"]}}},
]


def fhir_enabled(clauses: list[dict[str, Any]], behaviour: str, fhir_answers: dict[str, Any]) -> bool:
    """FHIR R4 enableWhen evaluation (operators per the R4 spec; '!=' needs an answer)."""

    def holds(clause: dict[str, Any]) -> bool:
        got = fhir_answers.get(clause["question"])  # one value or None
        if clause["operator"] == "exists":
            return (got is not None) == clause["answerBoolean"]
        if got is None:
            return False
        ((key, want),) = [(k, v) for k, v in clause.items() if k.startswith("answer")]
        if key == "answerCoding":
            if not isinstance(got, dict):
                return False
            same = (got["system"], got["code"]) == (want["system"], want["code"])
            return {"=": same, "!=": not same}[clause["operator"]]
        if isinstance(got, dict):
            return False
        return {
            "=": got == want,
            "!=": got != want,
            "<": got < want,
            "<=": got <= want,
            ">": got > want,
            ">=": got >= want,
        }[clause["operator"]]

    results = [holds(c) for c in clauses]
    return all(results) if behaviour == "all" else any(results)


def as_fhir_answers(rules, answers: dict[str, Any]) -> dict[str, Any]:
    """How a form holds these answers: a coding for a choice, a number, nothing for a numeric unknown."""
    out = {}
    for key, value in answers.items():
        factor = rules.factors[key]
        if factor.type == "choice":
            out[key] = {"system": code_system(key), "code": value}
        elif value != UNKNOWN:
            out[key] = value
    return out


@pytest.mark.parametrize("node", EXPRESSIBLE, ids=lambda n: json.dumps(n))
def test_enable_when_means_the_same_as_ask_when(minimal, node):
    condition = Compiler(minimal.factors, None).compile(node, "test")
    assert not Compiler(minimal.factors, None).problems
    asked = {f.id: f for f in minimal.questions()}
    clauses, behaviour = enable_when(condition, asked)
    assert behaviour in ("all", "any")
    domains = {
        "smoking": [None, "never", "former", "current", UNKNOWN],
        "age": [None, 50, 65, 70, 75, 80, 90],
        "condition": [None, "disc", "not_sure"],
        "diabetes": [None, "no", "yes", UNKNOWN],
    }
    for combo in itertools.product(*domains.values()):
        answers = {k: v for k, v in zip(domains, combo, strict=True) if v is not None}
        expected = condition(answers)
        got = fhir_enabled(clauses, behaviour, as_fhir_answers(minimal, answers))
        assert got == expected, (answers, clauses, behaviour)


@pytest.mark.parametrize("node", INEXPRESSIBLE, ids=lambda n: json.dumps(n))
def test_conditions_fhir_cannot_write_are_refused(minimal, node):
    condition = Compiler(minimal.factors, None).compile(node, "test")
    with pytest.raises(Inexpressible):
        enable_when(condition, {f.id: f for f in minimal.questions()})


def test_clinic_rules_with_a_complex_condition_stay_valid(tmp_path, minimal_path):
    text = minimal_path.read_text(encoding="utf-8").replace(
        "ask_when: {condition: not_sure}",
        'ask_when: {any: [{condition: not_sure}, {all: [{smoking: current}, {age: {">=": 70}}]}]}',
    )
    path = tmp_path / "clinic.yaml"
    path.write_text(text, encoding="utf-8")
    rules = load_rules(path)
    resource = questionnaire(rules)
    fhir_validate(resource)
    hardware = {q["linkId"]: q for q in questions_of(resource)}["hardware"]
    assert "enableWhen" not in hardware
    assert "enableBehavior" in extension(hardware, ENABLE_WHEN_OMITTED_URL)


# ---------------------------------------------------------------------------------------------
# QuestionnaireResponse -> answers


def complete_answers(rules) -> dict[str, Any]:
    """One complete set of answers: the first choice (or min) for every applicable question."""
    answers: dict[str, Any] = {}
    for factor in rules.questions():
        if not factor.ask_when(answers):
            continue
        if factor.type == "choice" and factor.max_items > 1:
            answers[factor.id] = list(factor.choice_ids[: factor.max_items])
        elif factor.type == "choice":
            answers[factor.id] = factor.choice_ids[0]
        elif factor.type == "date":
            answers[factor.id] = "2099-01-31"
        elif factor.type == "text":
            answers[factor.id] = ["Can I <b>drive</b>?", "What *next*?"] if factor.max_items > 1 else "a walk | daily"
        else:
            value = ((factor.min or 0) + (factor.max or 100)) / 2
            answers[factor.id] = int(value) if factor.type == "integer" else value
    return answers


MINIMAL_CASES = {
    "plain": {
        "bladder_bowel": "no",
        "age": 50,
        "smoking": "never",
        "diabetes": "no",
        "height_cm": 180,
        "weight_kg": 81,
        "condition": "disc",
    },
    "unknowns": {
        "bladder_bowel": "yes",
        "age": 85,
        "smoking": UNKNOWN,
        "diabetes": UNKNOWN,
        "height_cm": UNKNOWN,
        "weight_kg": 70.5,
        "condition": "not_sure",
        "hardware": "yes",
    },
    "smoker": {
        "bladder_bowel": "no",
        "age": 67,
        "smoking": "current",
        "diabetes": "yes",
        "height_cm": 165.5,
        "weight_kg": 98,
        "condition": "disc",
    },
}


@pytest.mark.parametrize("case", list(MINIMAL_CASES))
def test_round_trip_gives_the_same_report(minimal, case):
    original = MINIMAL_CASES[case]
    response = response_from_answers(minimal, original)
    fhir_validate(response)
    assert is_questionnaire_response(response)
    back = answers_from_response(minimal, json.loads(json.dumps(response)))
    assert validate(minimal, back).values == validate(minimal, original).values
    assert assess(minimal, back).to_dict() == assess(minimal, original).to_dict()


def test_round_trip_on_the_shipped_rules(shipped_rules):
    original = complete_answers(shipped_rules)
    response = response_from_answers(shipped_rules, original)
    fhir_validate(response)
    back = answers_from_response(shipped_rules, json.loads(json.dumps(response)))
    assert back == {k: original[k] for k in back} and set(back) == set(original)
    assert assess(shipped_rules, back).to_dict() == assess(shipped_rules, original).to_dict()


def test_a_hand_written_response_is_read(minimal):
    resource = json.loads(RESPONSE.read_text(encoding="utf-8"))
    fhir_validate(resource)
    values = answers_from_response(minimal, resource, name="response.json")
    assert values == {
        "bladder_bowel": False,
        "age": 81,
        "smoking": "current",
        "diabetes": "unknown",
        "height_cm": 172.5,
        "weight_kg": 95,
        "condition": "not_sure",
        "hardware": "yes",
    }
    checked = validate(minimal, values).values
    assert checked["bladder_bowel"] == "no" and checked["bmi"] == 31.9
    report = assess(minimal, values).to_dict()
    assert report["answers"]["smoking"] == "current" and report["answers"]["hardware"] == "yes"
    assert report["diagnosis"]["id"] == "not_sure"


def test_answers_nested_under_answers_and_data_absent_reason(minimal):
    resource = {
        "resourceType": "QuestionnaireResponse",
        "status": "in-progress",
        "item": [
            {
                "linkId": "condition",
                "answer": [
                    {
                        "valueCoding": {"code": "not_sure"},
                        "item": [{"linkId": "hardware", "answer": [{"valueCoding": {"code": "no"}}]}],
                    }
                ],
            },
            {
                "linkId": "smoking",
                "answer": [
                    {
                        "extension": [
                            {
                                "url": "http://hl7.org/fhir/StructureDefinition/data-absent-reason",
                                "valueCode": "asked-declined",
                            }
                        ]
                    }
                ],
            },
            {"linkId": "age"},
        ],
    }
    fhir_validate(resource)
    resource["item"].append({"linkId": "diabetes", "answer": []})  # not valid FHIR (empty array), read leniently
    assert answers_from_response(minimal, resource) == {"smoking": UNKNOWN, "condition": "not_sure", "hardware": "no"}


def test_every_structural_problem_is_reported_at_once_naming_the_link_id(minimal):
    resource = {
        "resourceType": "QuestionnaireResponse",
        "status": "completed",
        "item": [
            {
                "linkId": "section:about_you",
                "item": [
                    {"text": "no link id", "answer": [{"valueInteger": 3}]},
                    {"linkId": "age", "answer": [{"valueInteger": 50}, {"valueInteger": 51}]},
                    {"linkId": "smoking", "answer": [{"valueDate": "2020-01-01"}]},
                    {"linkId": "diabetes", "answer": [{"valueCoding": {"system": "x"}}]},
                    {"linkId": "condition", "answer": [{"valueInteger": 2.5}]},
                ],
            },
            {"linkId": "age", "answer": [{"valueInteger": 52}]},
        ],
    }
    with pytest.raises(AnswersError) as err:
        answers_from_response(minimal, resource, name="response.json")
    problems = err.value.problems
    assert [(p.field, p.file) for p in problems] == [
        ("item[0].item[0]", "response.json"),
        ("age", "response.json"),
        ("smoking", "response.json"),
        ("diabetes", "response.json"),
        ("condition", "response.json"),
    ]
    text = str(err.value)
    assert "5 problems with the QuestionnaireResponse" in text
    assert "response.json: item[0].item[0]: an item has no linkId" in text
    assert "response.json: age: 2 answers given; each question takes one" in text
    assert "response.json: smoking: unsupported answer type valueDate" in text
    assert "diabetes: valueCoding has no code" in text
    assert "condition: valueInteger must be a whole number" in text


def test_the_same_question_answered_twice_is_refused(minimal):
    resource = {
        "resourceType": "QuestionnaireResponse",
        "status": "completed",
        "item": [
            {"linkId": "age", "answer": [{"valueInteger": 50}]},
            {"linkId": "g", "item": [{"linkId": "age", "answer": [{"valueInteger": 60}]}]},
        ],
    }
    with pytest.raises(AnswersError) as err:
        answers_from_response(minimal, resource)
    assert [p.field for p in err.value.problems] == ["age"]
    assert "more than once" in str(err.value)


def test_bad_values_are_left_to_validation_which_names_the_link_id(minimal):
    resource = response_from_answers(minimal, MINIMAL_CASES["plain"])
    resource["item"][1]["item"][0]["answer"] = [{"valueInteger": 12}]  # age out of range
    resource["item"][1]["item"].append({"linkId": "smokin", "answer": [{"valueString": "never"}]})
    values = answers_from_response(minimal, resource)
    with pytest.raises(AnswersError) as err:
        validate(minimal, values)
    fields = {p.field: p.message for p in err.value.problems}
    assert "out of range" in fields["age"]
    assert "did you mean 'smoking'" in fields["smokin"]


@pytest.mark.parametrize(
    ("document", "shown"),
    [
        ({"resourceType": "Patient", "id": "x"}, "resourceType 'Patient'"),
        ({"resourceType": "Questionnaire", "item": []}, "resourceType 'Questionnaire'"),
        ({"age": 50}, "no resourceType"),
        (["not", "a", "mapping"], "no resourceType"),
    ],
)
def test_a_document_that_is_not_a_response_is_refused(minimal, document, shown):
    with pytest.raises(AnswersError) as err:
        answers_from_response(minimal, document, name="in.json")
    assert (
        str(err.value) == f"in.json: resourceType: expected a FHIR QuestionnaireResponse, but the document has {shown}"
    )


def test_entered_in_error_is_refused(minimal):
    with pytest.raises(AnswersError, match="entered-in-error"):
        answers_from_response(minimal, {"resourceType": "QuestionnaireResponse", "status": "entered-in-error"})


def test_detection_and_conversion_of_a_parsed_answers_file(minimal):
    raw = parse_answers(RESPONSE.read_bytes(), "response.json")
    assert is_questionnaire_response(raw.values)
    converted = from_raw_answers(minimal, raw)
    assert converted.name == "response.json" and converted.values["condition"] == "not_sure"
    assert validate(minimal, merge(converted)).values["hardware"] == "yes"
    plain = parse_answers(b"age: 50\n", "me.yaml")
    assert not is_questionnaire_response(plain.values)
    assert from_raw_answers(minimal, plain) is plain
    assert from_raw_answers(minimal, None) is None
    assert not is_questionnaire_response(["resourceType"])


def test_the_shipped_questionnaire_is_the_same_from_the_snapshot_and_from_the_rules_file():
    """The compiled snapshot is unpickled; conditions compared by identity broke there (24 of 37
    questions were marked as asked only sometimes)."""
    from_snapshot = run_cli("questions", "--format", "fhir").stdout
    from_file = run_cli("questions", "--format", "fhir", "--rules", ROOT / "data" / "factors.yaml").stdout
    assert from_snapshot == from_file
    always = sum(1 for f in load_rules().questions() if f.ask_when == ALWAYS)
    assert 0 < always < from_snapshot.count('"linkId"'), "the shipped rules ask some questions of everyone"


# ---------------------------------------------------------------------------------------------
# spinedecide questions --format json|text


def test_interview_listing(minimal):
    listed = interview(minimal)
    assert [q["id"] for q in listed] == [f.id for f in minimal.questions()]
    hardware = next(q for q in listed if q["id"] == "hardware")
    assert hardware["applies_when"] == "condition = not_sure"
    assert hardware["choices"] == [{"id": "no", "label": "No"}, {"id": "yes", "label": "Yes"}]
    age = next(q for q in listed if q["id"] == "age")
    assert (age["type"], age["min"], age["max"], age["unknown"], age["required"]) == ("integer", 18, 110, False, True)
    json.dumps(listed)
    text = interview_text(minimal)
    assert text.startswith("1. Bladder trouble?  [bladder_bowel]\n")
    assert "asked only when: condition = not_sure" in text
    assert "answer: a whole number from 18 to 110" in text
