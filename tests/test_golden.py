"""The JSON report for realistic patients, compared byte for byte with tests/golden/*.json.

A failure means a report changed. If the change is meant, remake the files with the command in
tests/golden_reports.py (``.venv/bin/python tests/golden_reports.py --update``) and commit the
diff after reading it.
"""

from __future__ import annotations

import json

import pytest
from golden_reports import GOLDEN, UPDATE_COMMAND, cases, expected, report

from spinedecide import load_rules


def test_there_are_golden_cases_for_every_condition_young_and_old_and_urgent():
    reports = [json.loads(expected(name) or "{}") for name in cases()]
    assert all(reports), "every answers file has its report"
    assert {p.stem for p in GOLDEN.glob("*.json")} == set(cases()), "every report has its answers file"
    conditions = {r["answers"]["condition"] for r in reports}
    assert conditions == set(load_rules().factors["condition"].choice_ids)
    ages = [r["answers"]["age"] for r in reports]
    assert min(ages) < 40 and max(ages) >= 80
    assert any(r["urgent"] for r in reports) and any(not r["urgent"] for r in reports)


@pytest.mark.parametrize("name", cases())
def test_the_report_is_the_golden_one(name):
    want = expected(name)
    assert want is not None, f"tests/golden/{name}.json is missing: run {UPDATE_COMMAND}"
    got = report(name)
    if got != want:
        pytest.fail(
            f"the report for tests/golden/{name}.answers.yaml changed; if that is meant, "
            f"run {UPDATE_COMMAND} and read git diff tests/golden",
            pytrace=False,
        )
