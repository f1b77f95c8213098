"""Tools for rules editors: the thorough check, and the IPDAS checklist."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from spinedecide._yaml import safe_load as load
from spinedecide.authoring import MET, NOT_MET, check, ipdas, ipdas_failed, satisfiable
from spinedecide.conditions import Compiler
from spinedecide.rules import parse_rules, shipped_rules_path

MINIMAL = Path(__file__).parent / "data" / "minimal.yaml"
SHIPPED = shipped_rules_path().read_text(encoding="utf-8")


def compile_(rules, text):
    compiler = Compiler(rules.factors, "x")
    cond = compiler.compile(load(text), "when")
    assert not compiler.problems
    return cond


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{age: {'>=': 80, '<': 65}}", False),
        ("{age: {'>': 64, '<': 65}}", False),  # whole years: nothing between 64 and 65
        ("{age: {'>=': 64, '<': 65}}", True),
        ("{all: [{smoking: current}, {smoking: never}]}", False),
        ("{all: [{smoking: current}, {not: {smoking: never}}]}", True),
        ("{all: [{bmi: {known: false}}, {bmi: {'>': 30}}]}", False),
        ("{all: [{smoking: {in: [never, former]}}, {smoking: {not_in: [never, former]}}]}", False),
        ("{any: [{age: {'>': 200}}, {smoking: current}]}", True),
        ("{all: [{age: {'<': 30}}, {diabetes: 'yes'}, {bmi: {'>=': 35}}]}", True),
    ],
)
def test_satisfiable(minimal, text, expected):
    # 200 is out of range, so the compiler would refuse it; build that one by hand
    if "200" in text:
        from spinedecide.conditions import AnyOf, Compare, Equals

        cond = AnyOf((Compare("age", ">", 200), Equals("smoking", "current")))
    else:
        cond = compile_(minimal, text)
    assert satisfiable(minimal, cond) is expected


def test_a_rule_that_can_never_fire_is_an_error_with_its_line(tmp_path):
    text = MINIMAL.read_text().replace('when: {age: {">=": 80}}', 'when: {age: {">=": 80, "<": 65}}')
    path = tmp_path / "clinic.yaml"
    path.write_text(text)
    result = check(path, readability=False)
    assert not result.ok
    (problem,) = result.errors
    line = next(i for i, text_line in enumerate(text.splitlines(), 1) if "id: old_death" in text_line)
    assert str(problem).startswith(f"{path}:{line}: ")
    assert "rule 'old_death' can never apply" in str(problem)


def test_a_risk_lowered_by_a_rule_is_a_warning(tmp_path):
    path = tmp_path / "clinic.yaml"
    path.write_text(
        MINIMAL.read_text().replace(
            "relative_risk: 2.0}]\n    sources: [s1]", "relative_risk: 0.5}]\n    sources: [s1]"
        )
    )
    result = check(path, readability=False)
    assert result.ok
    assert any("lowers the risk 'op_infection' (relative risk 0.5)" in str(w) for w in result.warnings)
    path.write_text(
        MINIMAL.read_text().replace("relative_risk: 2.0}]\n    sources: [s1]", "odds_ratio: 0.8}]\n    sources: [s1]")
    )
    assert any(
        "lowers the risk 'op_infection' (odds ratio 0.8)" in str(w) for w in check(path, readability=False).warnings
    )


def test_load_errors_come_through(tmp_path):
    path = tmp_path / "clinic.yaml"
    path.write_text(
        MINIMAL.read_text().replace(
            '{smoking: current}\n    text: "Smoking doubles', '{smokin: current}\n    text: "Smoking doubles'
        )
    )
    result = check(path)
    assert not result.ok and "did you mean 'smoking'" in str(result.errors[0])


def test_hard_text_is_an_error(tmp_path):
    pytest.importorskip("textstat")
    path = tmp_path / "clinic.yaml"
    hard = (
        "Postoperative pseudarthrosis necessitates comprehensive radiographic reevaluation considering multifactorial "
        "etiologies."
    )
    path.write_text(MINIMAL.read_text().replace('text: "Infection text."', f'text: "{hard}"'))
    result = check(path)
    assert any("reading grade" in str(p) and "op_infection" in str(p) for p in result.errors)


def test_the_shipped_rules_pass_the_check():
    result = check(None, readability=False)  # plain language: tests/test_readability.py
    assert result.errors == [], "\n".join(map(str, result.errors))


# --- IPDAS --------------------------------------------------------------------------------


def test_the_shipped_rules_meet_every_qualifying_and_certifying_criterion(shipped):
    criteria = ipdas(shipped)
    failing = [(c.number, [str(p) for p in c.details]) for c in criteria if c.status == NOT_MET]
    assert failing == []
    numbers = {c.number for c in criteria}
    assert {
        "1.1.1",
        "1.1.2",
        "1.1.3",
        "1.1.4",
        "1.1.5",
        "1.2.1",
        "2.1.1",
        "2.2.1",
        "2.2.2",
        "2.2.3",
        "2.2.4",
        "2.3.1",
    } <= numbers


def breaks(old: str, new: str, count: int = 1) -> str:
    assert old in SHIPPED, old
    return SHIPPED.replace(old, new, count)


def first_option_block(kind: str) -> tuple[str, str]:
    """The text of the first option's `kind:` list (benefits/risks/recovery), to empty it."""
    match = re.search(rf"\n    {kind}:\n(      - .*?)(?=\n    [a-z_]+:|\n  - id:)", SHIPPED, flags=re.S)
    assert match
    return f"\n    {kind}:\n{match.group(1)}", f"\n    {kind}: []"


@pytest.mark.parametrize(
    ("number", "edit"),
    [
        ("2.2.2", lambda: breaks('  published: "', '  published_was: "')),
        ("2.2.3", lambda: breaks("  update_policy:", "  update_policy_was:")),
        ("2.3.1", lambda: breaks("  funding:", "  funding_was:")),
        ("Q-COI", lambda: breaks("  conflicts_of_interest:", "  conflicts_of_interest_was:")),
    ],
)
def test_metadata_is_required_at_load(number, edit):
    """IPDAS {number}: a rules file without it is refused when loaded (and the checklist names it)."""
    text = edit()
    from spinedecide.errors import RulesError

    with pytest.raises(RulesError) as err:
        parse_rules(text.encode(), "copy.yaml")
    assert "missing required key" in err.value.render()


def test_ipdas_names_missing_metadata_as_criteria(shipped):
    from msgspec.structs import replace

    meta = dict(shipped.metadata)
    for key in ("published", "update_policy", "funding", "conflicts_of_interest"):
        meta[key] = ""
    criteria = {c.number: c for c in ipdas(replace(shipped, metadata=meta))}
    for number in ("2.2.2", "2.2.3", "2.3.1", "Q-COI"):
        assert criteria[number].status == NOT_MET, number
    assert ipdas_failed(list(criteria.values()))


def test_equal_detail_fails_when_one_option_loses_its_figures(shipped):
    from msgspec.structs import replace

    diagnosis = next(d for d in shipped.diagnoses.values() if len(d.options) >= 2)
    option = shipped.options[diagnosis.options[-1]]
    bare = replace(option, benefits=tuple(replace(f, estimate=None, no_figure=None) for f in option.benefits))
    criteria = {c.number: c for c in ipdas(replace(shipped, options={**shipped.options, option.id: bare}))}
    assert criteria["2.1.1"].status == NOT_MET
    assert diagnosis.id in str(criteria["2.1.1"].details[0])


def test_options_need_a_non_surgical_choice(shipped):
    from msgspec.structs import replace

    diagnosis = next(d for d in shipped.diagnoses.values() if len(d.options) >= 2)
    surgical_only = replace(
        diagnosis, options=tuple(o for o in diagnosis.options if shipped.options[o].kind == "surgery")
    )
    criteria = {
        c.number: c for c in ipdas(replace(shipped, diagnoses={**shipped.diagnoses, diagnosis.id: surgical_only}))
    }
    assert criteria["1.1.3"].status == NOT_MET


@pytest.mark.parametrize(("field", "number"), [("benefits", "1.1.4"), ("risks", "1.1.5"), ("recovery", "1.2.1")])
def test_each_side_of_each_option_is_required(shipped, field, number):
    from msgspec.structs import replace

    option = next(iter(shipped.options.values()))
    criteria = {
        c.number: c
        for c in ipdas(replace(shipped, options={**shipped.options, option.id: replace(option, **{field: ()})}))
    }
    assert criteria[number].status == NOT_MET
    assert option.id in str(criteria[number].details[0])


def test_a_missing_decision_statement_fails_1_1_2(shipped):
    from msgspec.structs import replace

    d = next(iter(shipped.diagnoses.values()))
    criteria = {
        c.number: c for c in ipdas(replace(shipped, diagnoses={**shipped.diagnoses, d.id: replace(d, decision=" ")}))
    }
    assert criteria["1.1.2"].status == NOT_MET and criteria["1.1.1"].status == MET


def test_a_grid_row_marked_same_study_must_really_quote_it(tmp_path):
    # The stenosis 'how much' row is marked as the same trial (Delitto 2015) for both options.
    # A figure from elsewhere in one cell breaks that claim: rules check says so, with the line.
    text = SHIPPED.replace(
        "gained about 22 points on a 100-point score", "gained about 27 points on a 100-point score", 1
    )
    assert text != SHIPPED
    path = tmp_path / "clinic.yaml"
    path.write_text(text, encoding="utf-8")
    result = check(path, readability=False)
    problems = [str(e) for e in result.errors if "same study" in str(e)]
    assert problems and "decompression's cell has 27" in problems[0], problems
    line = next(i for i, text_line in enumerate(text.splitlines(), 1) if text_line == "  - id: spinal_stenosis")
    assert problems[0].startswith(f"{path}:{line}: ")
