"""The engine's memo (memo.py) is a cache and never a source of truth: a report is the same with
it cold, warm or full, and a ruleset made from another one never reads the other's entries."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest
from msgspec.structs import replace

from spinedecide import assess, load_rules, memo
from spinedecide.batch import report_line

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from records import person  # noqa: E402  (the benchmarks' realistic generated people)


@pytest.fixture(scope="module")
def people() -> list[dict[str, object]]:
    ruleset = load_rules()
    rng = random.Random(20261201)
    known = set(ruleset.factors)
    return [{k: v for k, v in person(rng).items() if k in known} for _ in range(150)]


def _lines(ruleset, people) -> list[bytes]:
    return [report_line(assess(ruleset, p)) for p in people]


def test_a_report_is_the_same_from_a_cold_memo_and_a_warm_one(people):
    ruleset = load_rules()
    memo._memos.clear()
    cold = [report_line(assess(ruleset, p)) for p in people[:1]] + _lines(ruleset, people[1:])
    assert memo.memo_for(ruleset).tables["finding_view"], "the memo was not used"
    warm = _lines(ruleset, people)
    memo._memos.clear()
    fresh_each = []
    for p in people:
        memo._memos.clear()
        fresh_each.append(report_line(assess(ruleset, p)))
    assert cold == warm == fresh_each


def test_a_replaced_ruleset_has_its_own_memo(people):
    ruleset = load_rules()
    _lines(ruleset, people)  # fill the original's memo
    lower_cap = replace(ruleset, max_combined_relative_risk=1.1)  # same path and sha256, other figures
    from_memo = _lines(lower_cap, people)
    memo._memos.clear()
    assert from_memo == _lines(lower_cap, people)
    assert from_memo != _lines(ruleset, people), "the cap changes no figure: the test proves nothing"


def test_a_full_table_keeps_no_more_and_the_reports_stay_the_same(people, monkeypatch):
    ruleset = load_rules()
    memo._memos.clear()
    expected = _lines(ruleset, people)
    memo._memos.clear()
    monkeypatch.setattr(memo, "LIMIT", 5)
    monkeypatch.setattr("spinedecide.engine.LIMIT", 5)
    assert _lines(ruleset, people) == expected
    tables = memo.memo_for(ruleset).tables
    assert len(tables["finding_view"]) == 5


def test_only_the_last_few_rulesets_keep_a_memo():
    memo._memos.clear()
    rulesets = [load_rules() for _ in range(memo.RULESETS + 2)]
    for r in rulesets:
        memo.memo_for(r)
    assert [m.ruleset for m in memo._memos] == rulesets[::-1][: memo.RULESETS]


def test_what_an_all_of_single_answer_tests_needs_is_the_same_for_everyone_it_holds_for(people):
    from spinedecide.conditions import UNKNOWN
    from spinedecide.engine import _always_needed, _said_if_unchanged

    ruleset = load_rules()
    listed = _said_if_unchanged(ruleset)
    conditions = [r.when for r in ruleset.rules] + [c.when for c in ruleset.considerations if c.when is not None]
    checked = 0
    for when in conditions:
        fixed = _always_needed(when, listed)
        if fixed is None:
            continue
        for values in (assess(ruleset, p).answers for p in people[:60]):
            if when(values):
                read = when.factors()
                assert fixed == {f for f in read if f in listed and not when({**values, f: UNKNOWN})}
                checked += 1
    assert checked > 50, "too few conditions held to test anything"
