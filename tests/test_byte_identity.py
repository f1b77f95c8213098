"""Byte identity: today's JSON reports for 420 generated people equal those main wrote before
issue 20 changed how reports are made.

``tests/byte_identity/people.jsonl.xz`` holds 420 answers records made by
``tests/byte_identity/people.py`` from its checked-in seed (every condition in every age band,
each red flag, unknown and omitted answers). ``reports.jsonl.xz`` is what ``spinedecide batch``
printed for them, and ``reports-indented.json.xz`` what ``spinedecide.render.json.dumps`` (the
``--format json`` output) gave, one report after another, both made once on main at commit
c26bf89 (schema_version 1.3, before the report became msgspec structs; the old dict-based
to_dict() + json code) with::

    python tests/byte_identity/people.py > people.jsonl
    spinedecide batch people.jsonl > reports.jsonl
    # and render.json.dumps(assess(load_rules(), record)) for each record, concatenated

(The people were first made at 63ff436, and main's reports for them then; main's content changed
on purpose after that (figures by age, new questions, the deliberation key), so the reports were
rebuilt from c26bf89, the commit before the change to structs. The second clinician and patient
reviews then changed the rules' content again (review2fix), so they were rebuilt once more with
the same old dict-based code: c26bf89 with review2fix merged into it in a scratch tree (the same
data/factors.yaml as main's), never with the struct code. The golden reports made by that old
code equal main's byte for byte. The people are the same records: they answer only the questions
the rules asked at 63ff436.)

**These files are never remade.** They are the old code's output, kept as evidence: remaking
them from new code would make the test pass whatever the new code writes. There is deliberately
no script that writes them. If a report is *meant* to change (new rules content, a fixed bug),
that change shows in the golden reports (tests/golden) and this guard is retired, or rebuilt
from the commit before the change, never from the change itself.

Later minor versions only add keys (README, "The JSON report"). So that a branch adding a key in
1.4 or later does not break this guard, each key that ``spinedecide.schema.ADDITIONS`` lists for
a version after 1.3 is dropped from today's report (found by walking the report schema, so a key
added to every finding is dropped from every finding) and ``schema_version`` is read as 1.3; the
rest is re-encoded with the encoder main used (the standard library's, in the same key order)
and compared byte for byte with main's output. A second check keeps the encoder honest:
today's output must equal that same re-encoding of itself, added keys included, so a change in
how numbers or characters are written fails too. Any other change (a key renamed, moved,
reordered, removed, or added without being listed) fails.
"""

from __future__ import annotations

import json
import lzma
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from spinedecide import assess, load_rules, schema
from spinedecide.cli import app
from spinedecide.render.json import dumps as indented_report

HERE = Path(__file__).parent / "byte_identity"
MAIN_SCHEMA_VERSION = "1.3"


def _read(name: str) -> str:
    return lzma.decompress((HERE / name).read_bytes()).decode("utf-8")


def _compact(data: Any) -> str:
    """Main's batch encoder (spinedecide.batch.dumps at c26bf89), without the line end."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _indented(data: Any) -> str:
    """Main's render/json.py at c26bf89."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _later_additions() -> set[tuple[str, str]]:
    """(schema $defs name, key) of every key a minor version after MAIN_SCHEMA_VERSION added."""
    listed = schema.ADDITIONS
    later = [v for v in listed if tuple(map(int, v.split("."))) > tuple(map(int, MAIN_SCHEMA_VERSION.split(".")))]
    return {tuple(path.rsplit(".", 1)) for version in later for path in listed[version]}  # type: ignore[misc]


def _drop(value: Any, node: dict[str, Any], defs: dict[str, Any], added: set[tuple[str, str]], name: str) -> Any:
    """``value`` without the ``added`` keys, walking the report schema ``node`` beside it.

    ``name`` is the ``$defs`` name of the object being walked, or for an object written inline
    (not a def), its def's name and the keys down to it (``report.rules``)."""
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        return _drop(value, defs[name], defs, added, name)
    for branch in node.get("anyOf", ()):
        if value is not None and ("$ref" in branch or branch.get("type") in ("object", "array")):
            return _drop(value, branch, defs, added, name)
    if isinstance(value, dict):
        props = node.get("properties", {})
        rest = node.get("additionalProperties")
        out = {}
        for key, item in value.items():
            if (name, key) in added:
                continue
            child = props.get(key, rest if isinstance(rest, dict) else {})
            out[key] = _drop(item, child, defs, added, f"{name}.{key}")  # an inline object: "report.rules"
        return out
    if isinstance(value, list) and isinstance(node.get("items"), dict):
        return [_drop(item, node["items"], defs, added, name) for item in value]
    return value


def as_main_wrote_it(report: dict[str, Any]) -> dict[str, Any]:
    """Today's report without the keys later minor versions added, as MAIN_SCHEMA_VERSION."""
    added = _later_additions()
    if not added:
        return report
    document = schema.report_schema(strict=True)
    out = _drop(report, document, document.get("$defs", {}), added, "report")
    assert isinstance(out, dict)
    return {**out, "schema_version": MAIN_SCHEMA_VERSION}


def _compare(kind: str, index: int, today: str, main: str, encode: Any) -> None:
    data = json.loads(today)
    assert encode(data) == today, f"{kind} report {index + 1}: not written as main's encoder writes the same data"
    was = encode(as_main_wrote_it(data))
    if was != main:
        at = next(i for i, (a, b) in enumerate(zip(was, main, strict=False)) if a != b) if was[:1] else 0
        pytest.fail(
            f"{kind} report {index + 1} differs from main's at character {at}:\n"
            f"  main:  ...{main[max(0, at - 80) : at + 80]!r}\n  today: ...{was[max(0, at - 80) : at + 80]!r}",
            pytrace=False,
        )


@pytest.fixture(scope="module")
def people() -> list[str]:
    return _read("people.jsonl.xz").splitlines(keepends=True)


def test_the_checked_in_people_are_the_seeded_ones(people):
    import sys

    sys.path.insert(0, str(HERE))
    try:
        from people import people as generate
    finally:
        sys.path.remove(str(HERE))
    assert [json.loads(line) for line in people] == generate()


def test_main_encoded_as_the_standard_library_does():
    """The re-encoders above are main's encoders: they give back main's bytes from main's data."""
    for line in _read("reports.jsonl.xz").splitlines():
        assert _compact(json.loads(line)) == line
    text = _read("reports-indented.json.xz")
    reports = text.split("\n}\n")
    assert "".join(_indented(json.loads(r + "\n}")) for r in reports[:-1]) == text


def test_batch_writes_the_bytes_main_wrote(people, tmp_path):
    source = tmp_path / "people.jsonl"
    source.write_text("".join(people), encoding="utf-8")
    result = CliRunner().invoke(app, ["batch", str(source)])
    assert result.exit_code == 0, result.stderr
    today, main = result.stdout.splitlines(), _read("reports.jsonl.xz").splitlines()
    assert len(today) == len(main) == len(people)
    for index, (now, was) in enumerate(zip(today, main, strict=True)):
        _compare("batch", index, now, was, _compact)


def test_the_json_format_writes_the_bytes_main_wrote(people):
    rules = load_rules()
    main = _read("reports-indented.json.xz").split("\n}\n")[:-1]
    assert len(main) == len(people)
    for index, (line, was) in enumerate(zip(people, main, strict=True)):
        _compare("--format json", index, indented_report(assess(rules, json.loads(line))), was + "\n}\n", _indented)


def test_keys_a_later_minor_version_lists_are_dropped_and_no_other(monkeypatch):
    """The guard stays green for a listed 1.4 key, wherever its object is, and fails otherwise."""
    rules = load_rules()
    record = json.loads(_read("people.jsonl.xz").splitlines()[0])
    main = _compact(assess(rules, record).to_dict())
    later = json.loads(main)
    later["schema_version"] = "1.4"
    later["weighing"] = {"reasons": []}
    for option in later["options"]:
        for finding in option["risks"]:
            finding["condition"] = "x"
    later["rules"]["checked_by"] = "x"
    monkeypatch.setitem(schema.ADDITIONS, "1.4", ("report.weighing", "finding.condition", "report.rules.checked_by"))
    assert _compact(as_main_wrote_it(later)) == main
    monkeypatch.setitem(schema.ADDITIONS, "1.4", ("report.weighing", "report.rules.checked_by"))
    assert _compact(as_main_wrote_it(later)) != main  # finding.condition is not listed: it shows
