"""Batch skips the byte-level check of a report only when every text in it is known to be safe:
the rules' text (checked once per ruleset) and the person's answers (checked for each line)."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from msgspec.structs import replace

from spinedecide import assess, load_rules
from spinedecide.batch import checked, process_chunk, report_line

GOLDEN = Path(__file__).parent / "golden"


def _golden_answers() -> list[dict[str, object]]:
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(GOLDEN.glob("*.answers.yaml"))]


def test_for_the_shipped_rules_a_checked_report_is_the_same_bytes_as_one_scanned():
    ruleset = load_rules()
    people = _golden_answers()
    assert people
    for answers in people:
        report = assess(ruleset, answers)
        assert checked(ruleset, report.answers)
        assert report_line(report, checked=True) == report_line(report)


def test_rules_with_a_bidirectional_control_are_never_trusted_and_their_lines_are_escaped():
    ruleset = load_rules()
    hostile = replace(ruleset, disclaimer=ruleset.disclaimer + " \u202eevil")  # the API can build this
    answers = _golden_answers()[0]
    assert not checked(hostile, assess(hostile, answers).answers)
    line = process_chunk(hostile, "people.jsonl", [(1, json.dumps(answers).encode())]).data
    assert "\u202e".encode() not in line
    assert b"\\u202e" in line


def test_a_typed_answer_with_an_unsafe_character_or_of_an_unknown_kind_is_not_trusted():
    ruleset = load_rules()
    assert checked(ruleset, {"age": 70, "condition": "spinal_stenosis", "plan_questions": ["Is it safe?"]})
    assert not checked(ruleset, {"plan_questions": ["a \u202e b"]})
    assert not checked(ruleset, {"plan_try_what": "a \x9b b"})
    assert not checked(ruleset, {"plan_questions": [object()]})
    assert not checked(ruleset, {"plan_decide_by": object()})
