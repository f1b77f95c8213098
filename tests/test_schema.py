"""The JSON Schemas validate real answers, reports and the shipped rules, and refuse bad ones."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

jsonschema = pytest.importorskip("jsonschema")

from spinedecide import assess  # noqa: E402
from spinedecide.rules import shipped_rules_path  # noqa: E402
from spinedecide.schema import answers_schema, report_schema, rules_schema  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def validator(schema):
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_the_shipped_rules_validate_against_the_rules_schema():
    document = yaml.safe_load(shipped_rules_path().read_text(encoding="utf-8"))
    errors = [e.message for e in validator(rules_schema()).iter_errors(document)]
    assert errors == []


def test_the_rules_schema_refuses_what_the_loader_refuses():
    document = yaml.safe_load(shipped_rules_path().read_text(encoding="utf-8"))
    document["factors"][0]["titel"] = "typo"
    document["options"][0]["kind"] = "operation"
    messages = [e.message for e in validator(rules_schema()).iter_errors(document)]
    assert any("titel" in m for m in messages) and any("operation" in m for m in messages)


def test_example_answers_validate_in_canonical_form(shipped):
    from spinedecide.answers import validate

    answers = yaml.safe_load((ROOT / "examples" / "answers-stenosis.yaml").read_text())
    schema = validator(answers_schema(shipped))
    # unquoted YAML no/yes are booleans: a lenient form the program takes and the schema does not
    assert "False is not one of ['no', 'yes']" in [e.message for e in schema.iter_errors(answers)]
    checked = validate(shipped, answers)
    canonical = {k: v for k, v in checked.values.items() if k not in checked.derived}
    assert [e.message for e in schema.iter_errors(canonical)] == []


def test_bad_answers_fail_the_answers_schema(shipped):
    errors = list(validator(answers_schema(shipped)).iter_errors({"age": 12, "smoking": "curent", "agee": 3}))
    assert len(errors) == 3


def test_reports_validate(shipped, minimal, base_answers):
    answers = yaml.safe_load((ROOT / "examples" / "answers-stenosis.yaml").read_text())
    for report in (
        assess(shipped, answers),
        assess(shipped, {**answers, "bladder_bowel": "yes", "condition": "not_sure"}),
        assess(minimal, base_answers),
    ):
        assert [e.message for e in validator(report_schema()).iter_errors(report.to_dict())] == []


def test_a_broken_report_fails_the_report_schema(minimal, base_answers):
    report = assess(minimal, base_answers).to_dict()
    report["options"][0]["risks"][0]["estimate"]["low"] = 140
    del report["disclaimer"]
    assert len(list(validator(report_schema()).iter_errors(report))) == 2


def test_every_generated_and_golden_report_validates_against_the_strict_schema():
    """The schema is generated from the report's structs: every report made from them fits it
    exactly (every fifth of tests/byte_identity's 420 people, which equal today's reports byte for
    byte, and every golden report)."""
    import json
    import lzma

    import contract

    here = ROOT / "tests"
    lines = lzma.decompress((here / "byte_identity" / "reports.jsonl.xz").read_bytes()).decode("utf-8").splitlines()
    reports = [json.loads(line) for line in lines[::5]] + [
        json.loads(p.read_text(encoding="utf-8")) for p in sorted((here / "golden").glob("*.json"))
    ]
    assert len(reports) > 84
    for report in reports:
        contract.check_contract(report)
