"""The README cannot drift from the code: vocabulary, commands and set-up."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from spinedecide.cli import app

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def vocabulary_table() -> dict[str, set[str]]:
    section = README.split("## The answers vocabulary", 1)[1].split("\n## ", 1)[0]
    rows: dict[str, set[str]] = {}
    for line in section.splitlines():
        if not line.startswith("| `"):
            continue
        ids_cell, values_cell = line.strip("|").split("|", 1)
        values = set(re.findall(r"`([a-z_]+)`", values_cell))
        for ident in re.findall(r"`([a-z_]+)`", ids_cell):
            rows[ident] = values
    return rows


def test_readme_vocabulary_matches_the_shipped_factors(shipped):
    table = vocabulary_table()
    assert set(table) == set(shipped.factors), "README vocabulary and factors.yaml differ"
    for factor in shipped.factors.values():
        if factor.type == "choice":
            assert table[factor.id] == set(factor.choice_ids), factor.id


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    command = ci.strip().splitlines()[-1]
    assert command in README


def test_ci_runs_the_checks_then_the_tests():
    command = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()[-1]
    steps = [step.strip() for step in command.split("&&")]
    assert steps[1] == ".venv/bin/pip install -e '.[test,dev]'"
    assert steps[2:] == [
        ".venv/bin/ruff check .",
        ".venv/bin/ruff format --check .",
        ".venv/bin/mypy",
        ".venv/bin/python -m pytest",
    ]


def test_every_option_of_ask_is_in_the_readme():
    result = CliRunner().invoke(app, ["ask", "--help"])
    assert result.exit_code == 0
    options = set(re.findall(r"(--[a-z][a-z-]+)", result.output)) - {"--help"}
    missing = sorted(o for o in options if o not in README)
    assert missing == []


def test_example_answers_file_is_complete_for_the_shipped_rules(shipped):
    from spinedecide import assess
    from spinedecide.answers import parse_answers

    raw = parse_answers((ROOT / "examples" / "answers-stenosis.yaml").read_bytes(), "example")
    report = assess(shipped, dict(raw.values))  # validates completely: nothing missing
    assert report.diagnosis["id"] == "spinal_stenosis"


def test_readme_json_contract_names_every_report_key(shipped):
    import yaml

    from spinedecide import assess

    block = README.split("## The JSON report", 1)[1].split("```", 2)[1]
    answers = yaml.safe_load((ROOT / "examples" / "answers-stenosis.yaml").read_text())
    report = assess(shipped, answers).to_dict()
    missing = [key for key in report if not re.search(rf"(^|[\s,{{]){key}\b", block, flags=re.M)]
    assert missing == []
    finding = report["options"][0]["risks"][0]
    assert [key for key in (*finding, *finding["estimate"]) if key not in block] == []


def test_readme_json_contract_names_every_key_of_the_generated_schema():
    """The README's sketch is a summary of the report's definitions: every key of every object
    in the schema generated from them (the report, findings, estimates, sources...) is in it."""
    from spinedecide.schema import report_schema

    block = README.split("## The JSON report", 1)[1].split("```", 2)[1]
    document = report_schema(strict=True)
    objects = {"report": document, **document["$defs"]}
    missing = [
        f"{name}.{key}"
        for name, schema in objects.items()
        for key in schema.get("properties", {})
        if not re.search(rf"(^|[\s,{{(]){key}\b", block, flags=re.M)
    ]
    assert missing == [], "add these keys to the README's sketch of the JSON report"
