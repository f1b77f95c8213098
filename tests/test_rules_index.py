"""What depends only on the rules is worked out once at load (``Ruleset.index``), so that assess()
does per-person work only: it reads no condition's factors and keeps no memo on the ruleset."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from spinedecide import assess, comparable, conditions, load_rules
from spinedecide.rules import parse_rules, shipped_rules_path

GOLDEN = Path(__file__).resolve().parent / "golden"
CONDITION_KINDS = [c for c in vars(conditions).values() if isinstance(c, type) and issubclass(c, conditions.Condition)]


def golden_answers() -> list[dict]:
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(GOLDEN.glob("*.answers.yaml"))]


def test_the_index_says_what_the_rules_say(shipped):
    index = shipped.index
    for rule in shipped.rules:
        assert index.reads["rule"][rule.id] == rule.when.factors()
        assert index.touches[rule.id] == {e.finding for e in rule.effects}
    for factor in shipped.factors.values():
        assert index.readers.get(factor.id, ()) == tuple(r.id for r in shipped.rules if factor.id in r.when.factors())
        assert index.questions[factor.id] == factor.question
    for c in shipped.considerations:
        if c.when is not None:
            assert index.reads["consideration"][c.id] == c.when.factors()
    assert {f.id for f in shipped.red_flags} == set(index.reads["red_flag"])
    some = {f.id: f.when.factors() for f in shipped.findings.values() if f.when is not None}
    assert index.reads["finding"] == some and any(
        f.kind != "consideration" for f in shipped.findings.values() if f.when
    )
    assert index.labels["smoking"]["current"] == "I smoke now"
    assert index.pairs == comparable.pairs(shipped) and index.pairs  # the same as worked out from the ruleset
    assert len(repr(index)) < 100


def test_the_compiled_snapshot_and_the_parsed_file_have_the_same_index(shipped):
    parsed = parse_rules(shipped_rules_path().read_bytes(), "factors.yaml (shipped)")
    assert parsed.index == shipped.index


def test_assess_reads_no_conditions_factors_and_keeps_no_memo(monkeypatch):
    rules = load_rules()
    people = [*golden_answers(), {**golden_answers()[0], "smoking": "unknown", "diabetes": "unknown"}]
    expected = [json.dumps(assess(rules, p).to_dict()) for p in people]
    assert not hasattr(rules, "__dict__")  # nothing can be memoised on the ruleset

    def never(self):
        raise AssertionError(f"assess() worked out {type(self).__name__}.factors() per person")

    for kind in CONDITION_KINDS:
        if "factors" in vars(kind):
            monkeypatch.setattr(kind, "factors", never)
    assert [json.dumps(assess(rules, p).to_dict()) for p in people] == expected
