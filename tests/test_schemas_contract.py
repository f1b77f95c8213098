"""The schemas never drift from the program (issue 22).

* Answers: every document the answers schema accepts, the program accepts; every document in
  canonical form (choice ids exactly, numbers as numbers) that the program accepts, the schema
  accepts. Checked with generated documents (hypothesis), for the shipped rules and a small file.
* Report: the published schema accepts a later minor version's added keys (the compatibility
  rule), the strict one is this version exactly.
* Batch error lines have a schema, and real error lines meet it.
* The schemas ship in the package and beside the rules file, equal to the generated ones.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from helpers import run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spinedecide import assess, load_rules
from spinedecide.answers import validate
from spinedecide.errors import AnswersError
from spinedecide.report import SCHEMA_VERSION
from spinedecide.schema import FILES, answers_schema, batch_error_schema, documents, dumps, report_schema, rules_schema

jsonschema = pytest.importorskip("jsonschema")

ROOT = Path(__file__).resolve().parents[1]
PACKAGED = ROOT / "src" / "spinedecide" / "schemas"
REMAKE = (
    "remake them with: .venv/bin/spinedecide schema --write-dir src/spinedecide/schemas"
    " && cp src/spinedecide/schemas/rules.schema.json data/"
)


def checker(schema: dict[str, Any]) -> Any:
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


# -- answers: schema and program agree ------------------------------------------------------------


def values_for(factor: Any) -> st.SearchStrategy[Any]:
    """Canonical and lenient values, in and out of range, for one factor."""
    numbers = st.one_of(
        st.integers(-50, 400), st.floats(-50, 400, allow_nan=False), st.sampled_from([0, 17, 18, 110, 111, 67.0])
    )
    lenient = st.one_of(
        st.booleans(), numbers.map(str), st.sampled_from(["unknown", "Unknown", " 67 ", "", "?", "200"])
    )
    if factor.type in ("date", "text") or factor.max_items > 1:
        return st.one_of(_free_values(factor), lenient)
    if factor.type == "choice":
        ids = list(factor.choice_ids) + ["unknown", "nonsense"]
        return st.one_of(st.sampled_from(ids), st.sampled_from(ids).map(str.upper), lenient)
    return st.one_of(numbers, lenient)


def _free_values(factor: Any) -> st.SearchStrategy[Any]:
    """Several choices, dates (past and future), texts (with a control character, too long)."""
    if factor.type == "date":
        one: st.SearchStrategy[Any] = st.sampled_from(["2001-01-01", "2099-12-31", "2099-13-01", "31/12/2099"])
    elif factor.type == "text":
        one = st.sampled_from(["a question?", " padded ", "bell\x07", "x" * 301, "\u202e", "<b>*x*</b>"])
    else:
        one = st.sampled_from([*factor.choice_ids, "nonsense"])
    if factor.max_items > 1:
        return st.one_of(one, st.lists(one, max_size=factor.max_items + 1))
    return one


def _canonical_free(factor: Any, value: Any) -> bool:
    """The canonical form of several choices (a list, each once), a date (ISO, today or later) or texts."""
    if value == "unknown":
        return True
    items = value if factor.max_items > 1 else [value]
    if not isinstance(items, list) or (factor.max_items > 1 and not 1 <= len(items) <= factor.max_items):
        return False
    if not all(isinstance(v, str) for v in items):
        return False
    if factor.type == "choice":
        return len(set(items)) == len(items) and all(v in factor.choice_ids for v in items)
    if factor.type == "date":
        try:
            return date.fromisoformat(items[0]) >= date.today() and len(items[0]) == 10
        except ValueError:
            return False
    return all(v == v.strip() and v and len(v) <= (factor.max_length or 0) and v.isprintable() for v in items)


def documents_for(rules: Any) -> st.SearchStrategy[dict[str, Any]]:
    factors = list(rules.factors.values())
    keys = st.lists(st.sampled_from(factors), max_size=8, unique_by=lambda f: f.id)
    pairs = keys.flatmap(lambda chosen: st.tuples(*[values_for(f).map(lambda v, f=f: (f.id, v)) for f in chosen]))
    extra = st.sampled_from([{}, {}, {}, {"agee": 50}])
    return st.tuples(pairs, extra).map(lambda t: {**dict(t[0]), **t[1]})


def is_canonical(rules: Any, document: dict[str, Any]) -> bool:
    for key, value in document.items():
        factor = rules.factors.get(key)
        if factor is None:
            return True  # an unknown id: refused by both, nothing to compare
        if factor.type in ("date", "text") or factor.max_items > 1:
            if not _canonical_free(factor, value):
                return False
        elif factor.type == "choice":
            if not (isinstance(value, str) and (value in factor.choice_ids or value == "unknown")):
                return False
        elif value != "unknown" and (isinstance(value, bool) or not isinstance(value, (int, float))):
            return False
    return True


def program_accepts(rules: Any, document: dict[str, Any]) -> bool:
    try:
        validate(rules, document, complete=False)
    except AnswersError:
        return False
    return True


@pytest.mark.parametrize("which", ["minimal", "shipped"])
def test_the_answers_schema_and_the_program_agree_on_canonical_answers(which, minimal):
    rules = minimal if which == "minimal" else load_rules()
    schema = checker(answers_schema(rules))

    @settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(documents_for(rules))
    def agree(document: dict[str, Any]) -> None:
        by_schema = schema.is_valid(document)
        by_program = program_accepts(rules, document)
        # The one rule a schema cannot hold: a date must not be in the past (the program checks it
        # against today's date when it reads the answers; README, the answers vocabulary).
        past = any(
            k in rules.factors and rules.factors[k].type == "date" and isinstance(v, str) and v < str(date.today())
            for k, v in document.items()
        )
        if by_schema and not past:
            assert by_program, ("the schema accepts what the program refuses", document)
        if by_program and is_canonical(rules, document):
            assert by_schema, ("the program accepts a canonical document the schema refuses", document)

    agree()


def test_the_issue_examples(minimal):
    shipped = load_rules()
    schema = checker(answers_schema(shipped))
    assert not schema.is_valid({"age": "200"}) and not program_accepts(shipped, {"age": "200"})
    # a lenient form: the program takes it, the schema (canonical forms only) does not
    assert program_accepts(shipped, {"smoking": "Current"}) and not schema.is_valid({"smoking": "Current"})
    for with_unit in ({"height_cm": "5'10\""}, {"weight_kg": "180 lb"}, {"symptom_weeks": "2 years"}):
        assert program_accepts(shipped, with_unit) and not schema.is_valid(with_unit), with_unit
    assert schema.is_valid({"smoking": "current", "age": 67})


def test_the_readme_lists_the_lenient_forms():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Canonical and lenient answers", 1)[1].split("\n## ", 1)[0]
    forms = ("`Current`", "unquoted `no`/`yes`", '`"67"`', '`"72,5"`', "`don't know`", '`"72 kg"`', '`"5\'10\\""`')
    for form in (*forms, '`"11 st 4 lb"`', '`"2 years"`'):
        assert form in section, form


# -- report: the compatibility rule ---------------------------------------------------------------


def test_a_pinned_report_schema_accepts_a_later_minor_versions_added_keys(minimal, base_answers):
    report = assess(minimal, base_answers).to_dict()
    assert checker(report_schema(strict=True)).is_valid(report)
    major, minor = SCHEMA_VERSION.split(".")
    later = json.loads(json.dumps(report))
    later["schema_version"] = f"{major}.{int(minor) + 1}"
    later["certainty"] = {"words": "moderate"}  # keys a later minor version might add
    later["options"][0]["risks"][0]["comparable"] = True
    later["options"][0]["risks"][0]["estimate"]["denominator"] = 100
    pinned = checker(report_schema())
    assert [e.message for e in pinned.iter_errors(later)] == []
    assert not checker(report_schema(strict=True)).is_valid(later)
    next_major = {**later, "schema_version": f"{int(major) + 1}.0"}
    assert not pinned.is_valid(next_major)  # a major version is another contract
    del later["disclaimer"]
    assert not pinned.is_valid(later)  # removing a key is never a minor change


# -- batch error lines ----------------------------------------------------------------------------


def test_batch_error_lines_meet_their_schema(tmp_path):
    path = tmp_path / "people.jsonl"
    path.write_text('{"age": 12}\n\n[1]\n{"age": 50, "age": 51}\n{"smoking": "curent"}\n', encoding="utf-8")
    lines = [json.loads(line) for line in run_cli("batch", path, expect=2).stdout.splitlines()]
    errors = checker(batch_error_schema())
    assert len(lines) == 5
    for line in lines:
        assert [e.message for e in errors.iter_errors(line)] == [], line
    assert not errors.is_valid({"line": 0, "error": "answers_error", "message": "x", "problems": []})


# -- shipped, written, and named -----------------------------------------------------------------


def test_the_shipped_schemas_equal_the_generated_ones():
    made = documents(load_rules())
    assert sorted(p.name for p in PACKAGED.glob("*.json")) == sorted(made)
    for name, document in made.items():
        assert (PACKAGED / name).read_text(encoding="utf-8") == dumps(document), f"{name} is out of date; {REMAKE}"
    beside = ROOT / "data" / FILES["rules"]
    assert beside.read_text(encoding="utf-8") == dumps(rules_schema()), (
        f"data/{FILES['rules']} is out of date; {REMAKE}"
    )


def test_ids_are_urns():
    for document in documents(load_rules()).values():
        assert document["$id"].startswith("urn:spinedecide:schema:")


def test_the_shipped_rules_file_names_the_schema_beside_it():
    first = (ROOT / "data" / "factors.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == f"# yaml-language-server: $schema={FILES['rules']}"
    assert (ROOT / "data" / FILES["rules"]).is_file()


def test_schema_write_dir_and_rules_init_write_the_schemas(tmp_path):
    out = tmp_path / "schemas"
    out.mkdir()
    run_cli("schema", "--write-dir", out)
    made = documents(load_rules())
    assert {p.name: p.read_text(encoding="utf-8") for p in out.iterdir()} == {n: dumps(d) for n, d in made.items()}
    assert run_cli("schema", "--write-dir", tmp_path / "missing", expect=2)
    clinic = tmp_path / "clinic"
    clinic.mkdir()
    result = run_cli("rules", "init", clinic / "clinic.yaml")
    assert (clinic / FILES["rules"]).read_text(encoding="utf-8") == dumps(rules_schema())
    assert (
        (clinic / "clinic.yaml")
        .read_text(encoding="utf-8")
        .startswith(f"# yaml-language-server: $schema={FILES['rules']}\n")
    )
    assert "rules.schema.json" in result.stderr
