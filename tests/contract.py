"""The JSON report contract (README, 'The JSON report'), as a check tests can share."""

from __future__ import annotations

import json


def check_contract(report: dict) -> None:
    """The JSON report contract (README, 'The JSON report')."""
    for key in (
        "schema_version",
        "spinedecide_version",
        "rules",
        "urgent",
        "urgent_reasons",
        "answers",
        "options",
        "considerations",
        "fired_rules",
        "sources",
        "disclaimer",
    ):
        assert key in report, key
    assert {"version", "reviewed", "sha256"} <= set(report["rules"])
    assert isinstance(report["urgent"], bool) and report["urgent"] == bool(report["urgent_reasons"])
    cited = {s["id"] for s in report["sources"]}
    findings = [f for o in report["options"] for k in ("benefits", "risks", "recovery") for f in o[k]] + report[
        "considerations"
    ]
    for option in report["options"]:
        assert option["benefits"] and option["risks"] and option["recovery"]
    for f in findings:
        assert {"id", "title", "text", "estimate", "sources", "rules"} <= set(f)
        assert f["sources"] and set(f["sources"]) <= cited
        e = f["estimate"]
        if e is not None:
            assert e["per"] == 100 and e["timeframe"]
            assert 0 <= e["low"] <= e["high"] <= 100
            assert 0 <= e["typical"]["low"] <= e["typical"]["high"] <= 100
    json.dumps(report)
