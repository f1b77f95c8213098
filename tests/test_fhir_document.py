"""The report as a FHIR R4 document Bundle (issue 22): ``ask --format fhir``, ``batch --format fhir``.

Validated with ``fhir.resources`` (its R4B models: it has no R4; these resources are the same in
R4 and R4B) and the invariants of the document, Composition and RiskAssessment checked with a
FHIRPath engine (``fhirpathpy``, with its R4 model so that choice types such as
``probability[x]`` resolve). The invariant expressions are R4's own (ras-2 as the HL7 validator writes it).
"""

from __future__ import annotations

import base64
import copy
import json
from pathlib import Path
from typing import Any

import pytest
from helpers import run_cli

from spinedecide import assess, load_rules
from spinedecide.answers import parse_answers, validate
from spinedecide.fhir import answers_from_response
from spinedecide.fhir.document import RULES_SHA256_SYSTEM, TIMEFRAME_URL, bundle, document_time

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p.name.removesuffix(".answers.yaml") for p in GOLDEN.glob("*.answers.yaml"))
WHEN = "2026-03-04T05:06:07Z"
EPOCH = "1772600767"  # WHEN as seconds since 1970
UCUM = "http://unitsofmeasure.org"

# R4's invariants, as the specification writes them (ras-1 is on prediction.probability[x]).
INVARIANTS = {
    "bdl-9": ("Bundle", "type = 'document' implies (identifier.system.exists() and identifier.value.exists())"),
    "bdl-10": ("Bundle", "type = 'document' implies (timestamp.hasValue())"),
    "bdl-11": ("Bundle", "type = 'document' implies entry.first().resource.is(Composition)"),
    "cmp-1": ("Composition.section", "text.exists() or entry.exists() or section.exists()"),
    "cmp-2": ("Composition.section", "emptyReason.empty() or entry.empty()"),
    "ras-1": (
        "RiskAssessment.prediction.probability",
        "(low.empty() or ((low.code = '%') and (low.system = %ucum))) and "
        "(high.empty() or ((high.code = '%') and (high.system = %ucum)))",
    ),
    # ras-2 as the HL7 validator's FHIRPathExpressionFixer corrects R4's text (fhirpathpy also
    # parses the published, unbracketed form differently)
    "ras-2": (
        "RiskAssessment.prediction",
        "(probability.exists() and (probability is decimal)) implies ((probability as decimal) <= 100)",
    ),
    # rng-2 is "low.empty() or high.empty() or (low <= high)"; fhirpathpy cannot compare
    # quantities, and ras-1 makes both %, so their values are compared
    "rng-2": ("RiskAssessment.prediction.probability", "low.empty() or high.empty() or (low.value <= high.value)"),
}


# fhirpathpy has no hasValue(): a primitive with a value (not only extensions) is one that is a
# str, number or bool in the JSON.
OPTIONS = {
    "userInvocationTable": {
        "hasValue": {
            "fn": lambda inputs: [len(inputs) == 1 and isinstance(inputs[0], (str, int, float))],
            "arity": {0: []},
        }
    }
}


def _fhirpath(resource: dict[str, Any], context: str, expression: str) -> list[bool]:
    from fhirpathpy import evaluate
    from fhirpathpy.models import models

    nodes = evaluate(resource, context, {"ucum": UCUM}, models["r4"], OPTIONS)
    return [evaluate(node, expression, {"ucum": UCUM}, models["r4"], OPTIONS) == [True] for node in nodes]


def check_document(document: dict[str, Any]) -> None:
    from fhir.resources.R4B.bundle import Bundle

    parsed = Bundle.model_validate(copy.deepcopy(document))
    assert json.loads(parsed.model_dump_json()) == json.loads(json.dumps(document)), "fhir.resources dropped something"
    for key, (context, expression) in INVARIANTS.items():
        if context.startswith("Bundle"):
            results = _fhirpath(document, context, expression)
            assert results == [True], key
            continue
        kind = context.split(".")[0]
        for entry in document["entry"]:
            if entry["resource"]["resourceType"] == kind:
                assert all(_fhirpath(entry["resource"], context, expression)), (key, entry["resource"].get("code"))
    # a document is self-contained: every reference resolves to an entry (and no fullUrl twice)
    urls = [e["fullUrl"] for e in document["entry"]]
    assert len(urls) == len(set(urls))
    from fhirpathpy import evaluate

    references = evaluate(document, "Bundle.descendants().reference", {}, None)
    assert references and set(references) <= set(urls)


def report_and_rules(case: str) -> tuple[Any, Any, dict[str, Any]]:
    rules = load_rules()
    raw = parse_answers((GOLDEN / f"{case}.answers.yaml").read_bytes(), f"{case}.answers.yaml")
    return rules, assess(rules, raw.values), raw.values


def resources(document: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in document["entry"] if e["resource"]["resourceType"] == kind]


@pytest.mark.parametrize("case", CASES)
def test_the_bundle_is_a_valid_document_for_every_golden_patient(case):
    rules, report, _values = report_and_rules(case)
    document = bundle(rules, report, when=WHEN)
    check_document(document)
    composition = document["entry"][0]["resource"]
    assert composition["section"][0]["title"] == "Key points"
    if report.urgent:  # red flags lead the key points
        assert "RED FLAGS" in composition["section"][0]["text"]["div"].split("<li>")[1]
    assert len(resources(document, "RiskAssessment")) == len(report.options)
    for kind in ("Patient", "Device", "QuestionnaireResponse", "DocumentReference", "Provenance"):
        assert len(resources(document, kind)) == 1, kind


@pytest.mark.parametrize("case", ["instability_young_smoker", "stenosis_octogenarian_heart"])
def test_each_risk_assessment_holds_the_figures_shown_for_this_person(case):
    rules, report, _values = report_and_rules(case)
    document = bundle(rules, report, when=WHEN)
    for option, assessment in zip(report.options, resources(document, "RiskAssessment"), strict=True):
        assert assessment["code"]["text"] == option.title
        figures = [f for f in (*option.benefits, *option.risks, *option.recovery) if f.estimate]
        assert [p["outcome"]["text"] for p in assessment.get("prediction", [])] == [f.title for f in figures]
        for prediction, finding in zip(assessment.get("prediction", []), figures, strict=True):
            e = finding.estimate
            got = prediction["probabilityRange"]
            assert got.get("low", {}).get("value", None) == (None if e.bound == "up_to" else e.low)
            assert got.get("high", {}).get("value", None) == (None if e.bound == "at_least" else e.high)
            assert prediction["extension"] == [{"url": TIMEFRAME_URL, "valueString": e.timeframe}]
            assert e.timeframe in prediction["rationale"] and e.reference_class in prediction["rationale"]
            assert all(note in prediction["rationale"] for note in finding.notes)  # e.g. as-treated caveats
        response = resources(document, "QuestionnaireResponse")[0]
        assert assessment["basis"] == [{"reference": f"urn:uuid:{response['id']}"}]


def test_provenance_device_and_patient():
    rules, report, _values = report_and_rules("sciatica_persistent_smoker")
    document = bundle(rules, report, when=WHEN)
    device = resources(document, "Device")[0]
    assert {v["type"]["text"]: v["value"] for v in device["version"]} == {
        "software": report.spinedecide_version,
        "rules": rules.version,
    }
    provenance = resources(document, "Provenance")[0]
    assert provenance["recorded"] == WHEN
    assert provenance["agent"][0]["who"]["reference"] == f"urn:uuid:{device['id']}"
    what = provenance["entity"][0]["what"]
    assert what["identifier"] == {"system": RULES_SHA256_SYSTEM, "value": rules.sha256}
    assert rules.version in what["display"]
    targets = {t["reference"] for t in provenance["target"]}
    kinds = {"Composition", "RiskAssessment", "QuestionnaireResponse", "DocumentReference"}
    assert targets == {e["fullUrl"] for e in document["entry"] if e["resource"]["resourceType"] in kinds}
    patient = resources(document, "Patient")[0]
    assert set(patient) == {"resourceType", "id"}  # anonymous: nothing about the person
    named = bundle(rules, report, when=WHEN, patient_identifier=("urn:oid:1.2.3.4", "MRN-7"))
    check_document(named)
    assert resources(named, "Patient")[0]["identifier"] == [{"system": "urn:oid:1.2.3.4", "value": "MRN-7"}]


def test_the_document_reference_carries_the_note_and_optionally_the_handout():
    rules, report, _values = report_and_rules("spondylolisthesis_age_81")
    note = run_cli(
        "ask", "--answers", GOLDEN / "spondylolisthesis_age_81.answers.yaml", "--no-input", "--format", "note"
    ).stdout
    reference = resources(bundle(rules, report, when=WHEN), "DocumentReference")[0]
    (content,) = reference["content"]
    assert base64.b64decode(content["attachment"]["data"]).decode("utf-8") == note
    assert content["attachment"]["contentType"] == "text/plain; charset=utf-8"
    with_handout = bundle(rules, report, when=WHEN, handout=True)
    check_document(with_handout)
    html = resources(with_handout, "DocumentReference")[0]["content"][1]["attachment"]
    assert html["contentType"].startswith("text/html") and b"<html" in base64.b64decode(html["data"])


@pytest.mark.parametrize("case", CASES)
def test_round_trip_answers_to_the_bundle_and_back_gives_the_same_report(case):
    rules, report, values = report_and_rules(case)
    response = resources(bundle(rules, report, when=WHEN), "QuestionnaireResponse")[0]
    back = answers_from_response(rules, json.loads(json.dumps(response)))
    assert assess(rules, back).to_dict() == report.to_dict()
    assert validate(rules, back).values == validate(rules, values).values


def test_time_and_ids_come_from_the_clock_or_source_date_epoch():
    assert document_time({"SOURCE_DATE_EPOCH": EPOCH}) == WHEN
    now = document_time({})
    assert now.endswith("Z") and now != WHEN and now[:4] >= "2025"
    from spinedecide.errors import UsageError

    with pytest.raises(UsageError, match="SOURCE_DATE_EPOCH"):
        document_time({"SOURCE_DATE_EPOCH": "yesterday"})
    args = ("ask", "--answers", GOLDEN / "stenosis_older_healthy.answers.yaml", "--no-input", "--format", "fhir")
    first = run_cli(*args, env={"SOURCE_DATE_EPOCH": EPOCH}).stdout
    assert first == run_cli(*args, env={"SOURCE_DATE_EPOCH": EPOCH}).stdout  # reproducible
    document = json.loads(first)
    assert document["timestamp"] == WHEN and document["entry"][0]["resource"]["date"] == WHEN
    later = json.loads(run_cli(*args, env={"SOURCE_DATE_EPOCH": str(int(EPOCH) + 1)}).stdout)
    assert later["id"] != document["id"] and later["identifier"]["value"] == f"urn:uuid:{later['id']}"
    ids = [e["resource"]["id"] for e in document["entry"]]
    assert len(set(ids)) == len(ids)


def test_batch_writes_one_bundle_per_line(tmp_path):
    lines = [json.dumps(parse_answers((GOLDEN / f"{c}.answers.yaml").read_bytes(), "x").values) for c in CASES[:3]]
    path = tmp_path / "people.jsonl"
    path.write_text("\n".join([lines[0], "{not json", lines[1], lines[2]]) + "\n", encoding="utf-8")
    env = {"SOURCE_DATE_EPOCH": EPOCH}
    for workers in ("1", "2"):
        out = run_cli("batch", path, "--format", "fhir", "--workers", workers, expect=2, env=env).stdout.splitlines()
        assert len(out) == 4
        assert json.loads(out[1])["line"] == 2 and json.loads(out[1])["error"] == "answers_error"
        documents = [json.loads(out[i]) for i in (0, 2, 3)]
        for document in documents:
            check_document(document)
            assert document["timestamp"] == WHEN
        if workers == "1":
            single = out
    assert out == single  # the same output for any number of workers


def test_a_patient_identifier_is_written_only_when_passed_and_checked_before_any_question():
    args = ("ask", "--answers", GOLDEN / "stenosis_older_healthy.answers.yaml", "--no-input", "--format", "fhir")
    named = json.loads(run_cli(*args, "--patient-id", "urn:oid:1.2.3|MRN-7").stdout)
    check_document(named)
    assert resources(named, "Patient")[0]["identifier"] == [{"system": "urn:oid:1.2.3", "value": "MRN-7"}]
    assert "identifier" not in resources(json.loads(run_cli(*args).stdout), "Patient")[0]
    # a bad one stops at once: nobody answers every question to be told at the end
    result = run_cli("ask", "--format", "fhir", "--patient-id", "MRN-7", input="", expect=2)
    assert "SYSTEM|VALUE" in result.stderr
    assert load_rules().questions()[0].question not in result.stderr  # no question was asked
    assert "only for --format fhir" in run_cli("ask", "--format", "text", "--patient-id", "urn:a|b", expect=2).stderr
