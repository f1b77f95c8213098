"""The JSON report contract (README, 'The JSON report'), as a check tests can share.

The shape (every key, its type, its allowed values, figures within 0..100) is the report schema,
generated from the report's structs: ``check_contract`` validates against its strict form (this
version exactly, no unlisted key). What a schema cannot say is checked here: that the parts of
a report agree with each other.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator

from spinedecide.schema import report_schema


@cache
def _validator() -> Any:
    schema = report_schema(strict=True)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def check_contract(report: dict) -> None:
    """The JSON report contract (README, 'The JSON report')."""
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in _validator().iter_errors(report)]
    assert errors == [], errors
    assert report["urgent"] == bool(report["urgent_reasons"])
    assert (report["urgent_reminder"] is None) == (not report["urgent"])
    cited = {s["id"] for s in report["sources"]}
    findings = [f for o in report["options"] for k in ("benefits", "risks", "recovery") for f in o[k]] + report[
        "considerations"
    ]
    for option in report["options"]:
        assert option["benefits"] and option["risks"] and option["recovery"]
    for f in findings:
        assert f["sources"] and set(f["sources"]) <= cited
        e = f["estimate"]
        if e is not None:
            assert e["timeframe"]
            assert e["low"] <= e["high"]
            assert e["typical"]["low"] <= e["typical"]["high"]
    json.dumps(report)
