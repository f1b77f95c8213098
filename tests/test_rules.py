from __future__ import annotations

from pathlib import Path

import pytest

from spinedecide import load_rules
from spinedecide.errors import RulesError
from spinedecide.rules import parse_rules

MINIMAL = (Path(__file__).parent / "data" / "minimal.yaml").read_text(encoding="utf-8")


def broken(old: str, new: str) -> str:
    assert old in MINIMAL, old
    return MINIMAL.replace(old, new, 1)


def problems_of(text: str) -> list[str]:
    with pytest.raises(RulesError) as err:
        parse_rules(text.encode(), "clinic.yaml")
    return [str(p) for p in err.value.problems]


def line_of(text: str, needle: str) -> int:
    """The line of the last occurrence of needle (the edited one in these tests)."""
    lines = text.splitlines()
    return max(i for i, line in enumerate(lines, 1) if needle in line)


def test_minimal_rules_load_and_compile(minimal):
    assert minimal.version == "0.0.1"
    assert [f.id for f in minimal.questions()][0] == "bladder_bowel"
    assert "bmi" not in [f.id for f in minimal.questions()]
    assert len(minimal.sha256) == 64
    assert {r.id for r, _e in minimal.effects["op_infection"]} == {
        "smoking_infection",
        "diabetes_infection",
        "obese_infection",
    }


def test_shipped_rules_load(shipped):
    assert shipped.version
    assert shipped.metadata["update_policy"]
    assert "condition" in shipped.factors


@pytest.mark.parametrize(
    ("old", "new", "needle", "message"),
    [
        (
            'when: {smoking: current}\n    text: "Smoking doubles',
            'when: {smokin: current}\n    text: "Smoking doubles',
            "{smokin:",
            "unknown factor 'smokin' (did you mean 'smoking'?)",
        ),
        (
            'when: {diabetes: "yes"}\n    text: "Diabetes',
            'when: {diabetes: maybe}\n    text: "Diabetes',
            "diabetes: maybe",
            "'maybe' is not a value of 'diabetes'",
        ),
        (
            "relative_risk: 2.0}]\n    sources: [s1]",
            "relative_risk: 2.0}]\n    sources: [s9]",
            "sources: [s9]",
            "unknown source 's9'",
        ),
        (
            "{finding: op_infection, relative_risk: 1.5}",
            "{finding: op_infektion, relative_risk: 1.5}",
            "op_infektion",
            "unknown finding 'op_infektion' (did you mean 'op_infection'?)",
        ),
        ("typical: {low: 2, high: 2}", "typical: {low: 2, high: 120}", "high: 120", "0 <= low <= high <= 100"),
        ("evidence: cohort}", "evidence: anecdote}", "anecdote", "evidence must be one of"),
        (
            '    title: "Better anyway"',
            '    titel: "Better anyway"',
            "titel",
            "unknown key 'titel' (did you mean 'title'?)",
        ),
        ("  - id: op_death\n", "  - id: op_infection\n", "id: op_infection", "duplicate finding id 'op_infection'"),
        (
            "options: [op, wait]",
            "options: [op, wiat]",
            "options: [op, wiat]",
            "unknown option 'wiat' (did you mean 'wait'?)",
        ),
        (
            "{finding: op_infection, relative_risk: 1.5}",
            "{finding: op_infection, relative_risk: 1.5, odds_ratio: 1.5}",
            "odds_ratio: 1.5",
            "give one of relative_risk, odds_ratio or figure, not relative_risk and odds_ratio",
        ),
        (
            "{finding: op_infection, relative_risk: 1.5}",
            "{finding: op_infection, odds_ratio: 0}",
            "odds_ratio: 0",
            "odds_ratio must be above 0",
        ),
        (
            "{finding: op_infection, relative_risk: 1.5}",
            "{finding: op_infection, odds_ratio: many}",
            "odds_ratio: many",
            "odds_ratio",
        ),
        (
            '{id: s2, citation: "Test source two.", pmid: "12345"}',
            '{id: s2, citation: "Test source two.", pmid: "12345", secondary: {citation: "A summary."}}',
            "secondary:",
            "secondary: missing required key 'url'",
        ),
        (
            "estimate: {typical: {low: 2, high: 2}",
            "estimate: {bound: upto, typical: {low: 2, high: 2}",
            "bound: upto",
            "bound must be one of up_to, at_least (did you mean 'up_to'?)",
        ),
        (
            "estimate: {typical: {low: 2, high: 2}",
            "estimate: {bound: up_to, typical: {low: 1, high: 2}",
            "bound: up_to",
            "a figure with bound up_to is one number",
        ),
        (
            "estimate: {typical: {low: 0.1, high: 0.1}",
            "estimate: {bound: up_to, typical: {low: 0.1, high: 0.1}",
            "finding: op_death, figure",
            "gives only a limit (up to), so a subgroup figure cannot replace it",
        ),
        (
            "{finding: op_infection, relative_risk: 1.5}",
            "{finding: op_infection, odds_ratio: .inf}",
            "odds_ratio: .inf",
            "a (finite) number",
        ),
        (
            "{finding: op_infection, relative_risk: 1.5}",
            "{finding: op_infection, relative_risk: .nan}",
            "relative_risk: .nan",
            "a (finite) number",
        ),
        (
            "typical: {low: 2, high: 2}",
            "typical: {low: 2, high: 1" + "0" * 400 + "}",
            "high: 1000",
            "a number with 401 digits is too large",
        ),
        (
            '{id: s2, citation: "Test source two.", pmid: "12345"}',
            '{id: s2, citation: "Test source two.", pmid: "12345", secondary: {citation: "A summary.", url: '
            '"javascript:alert(1)"}}',
            "javascript:",
            "a secondary source's url must be a web address",
        ),
        (
            "{finding: op_infection, relative_risk: 1.5}",
            "{finding: op_infection, relative_risk: 15000}",
            "relative_risk: 15000",
            "relative_risk must be above 0 and at most 1,000",
        ),
        (
            '    text: "Diabetes doubles it."\n    effects: [{finding: op_infection, relative_risk: 2.0}]\n'
            "    sources: [s2]",
            '    text: "Diabetes doubles it."\n    effects: [{finding: op_infection, relative_risk: 2.0}]\n'
            "    sources: []",
            "sources: []",
            "cites no source; every finding, rule and red flag needs at least one",
        ),
        ('    action: "Go now."', '    action: "  "', 'action: "  "', "'action' must be non-empty text"),
        (
            'timeframe: "at 1 year", reference_class: "test people", evidence: randomised_trial}',
            'timeframe: " ", reference_class: "test people", evidence: randomised_trial}',
            'timeframe: " "',
            "'timeframe' must be non-empty text",
        ),
        (
            'timeframe: "at 1 year", reference_class: "test people", evidence: randomised_trial}',
            'timeframe: "at 1 year", evidence: randomised_trial}',
            'timeframe: "at 1 year", evidence',
            "missing required key 'reference_class'",
        ),
        (
            '    recovery:\n      - id: wait_course\n        title: "Course"\n        text: "Course text."\n'
            "        sources: [s2]\n",
            "    recovery: []\n",
            "recovery: []",
            "every option needs at least one item under 'recovery'",
        ),
    ],
)
def test_each_defect_names_file_line_and_problem(old, new, needle, message):
    text = broken(old, new)
    found = problems_of(text)
    matching = [p for p in found if message in p]
    assert matching, found
    assert matching[0].startswith(f"clinic.yaml:{line_of(text, needle)}: "), matching[0]


def test_unused_source_is_an_error():
    text = MINIMAL + '  - {id: s3, citation: "Never cited.", url: "https://example.org/3"}\n'
    assert any("source 's3' is never cited" in p for p in problems_of(text))


def test_source_needs_a_way_to_find_it():
    text = broken('{id: s2, citation: "Test source two.", pmid: "12345"}', '{id: s2, citation: "Test source two."}')
    assert any("needs a url, pmid or doi" in p for p in problems_of(text))


def test_all_problems_are_listed_at_once():
    text = broken('{smoking: current}\n    text: "Smoking doubles', '{smokin: current}\n    text: "Smoking doubles')
    text = text.replace("evidence: cohort}", "evidence: anecdote}")
    assert len(problems_of(text)) >= 2


def test_missing_metadata_is_named():
    text = broken('  funding: "none"\n', "")
    assert any("missing required key 'funding'" in p for p in problems_of(text))


def test_wrong_format_version_is_named_first():
    text = broken("format: 1", "format: 7")
    (problem,) = problems_of(text)
    assert "reads rules format 1" in problem and problem.startswith("clinic.yaml:3:")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "must be a mapping"),
        ("- a\n- b\n", "must be a mapping"),
        ("format: 1\nformat: 1\n", "duplicate key 'format'"),
        ("a: !!python/object/apply:os.system ['true']\n", "constructor"),
        ("a: [1, 2\n", "clinic.yaml:"),
    ],
)
def test_unreadable_rules_files(text, message):
    with pytest.raises(RulesError) as err:
        parse_rules(text.encode(), "clinic.yaml")
    assert message in err.value.render()


def test_missing_file_is_named(tmp_path):
    with pytest.raises(RulesError) as err:
        load_rules(tmp_path / "nope.yaml")
    assert "nope.yaml: no such rules file" in err.value.render()


def test_one_slip_gives_one_error_not_a_cascade():
    # A finding whose estimate is broken, or whose keys are misspelt, is reported once; the rules
    # that tailor it are not also reported as pointing at a missing finding or estimate.
    no_timeframe = broken(
        'timeframe: "within 30 days", reference_class: "test people", evidence: registry}\n        sources: [s1]\n'
        "      - id: op_death",
        'reference_class: "test people", evidence: registry}\n        sources: [s1]\n      - id: op_death',
    )
    assert [p for p in problems_of(no_timeframe) if "op_infection" in p or "missing required key" in p] == [
        next(p for p in problems_of(no_timeframe) if "missing required key 'timeframe'" in p)
    ]
    misspelt = broken(
        '        text: "Infection text."\n', '        text: "Infection text."\n        sorces: [s1]\n'
    ).replace(
        '        text: "Infection text."\n        sorces: [s1]\n'
        '        estimate: {typical: {low: 2, high: 2}, timeframe: "within 30 days", reference_class: "test people", '
        "evidence: registry}\n        sources: [s1]\n",
        '        text: "Infection text."\n        sorces: [s1]\n'
        '        estimate: {typical: {low: 2, high: 2}, timeframe: "within 30 days", reference_class: "test people", '
        "evidence: registry}\n",
    )
    found = problems_of(misspelt)
    assert any("unknown key 'sorces' (did you mean 'sources'?)" in p for p in found)
    assert not any("unknown finding 'op_infection'" in p for p in found)


def test_grid_rows_marked_same_study_are_checked_at_load(tmp_path):
    from spinedecide.rules import shipped_rules_path

    shipped = shipped_rules_path().read_text(encoding="utf-8")
    old = "    compared: {how_much: [delitto2015]}\n"
    assert old in shipped
    for new, message in (
        (
            "    compared: {how_mutch: [delitto2015]}\n",
            "unknown option grid row 'how_mutch' (did you mean 'how_much'?)",
        ),
        ("    compared: {how_much: []}\n", "list the sources that every option quotes in this row"),
        ("    compared: {how_much: [delito2015]}\n", "unknown source 'delito2015' (did you mean 'delitto2015'?)"),
        ("    compared: [how_much]\n", "'compared' must be a mapping, not a list"),
    ):
        text = shipped.replace(old, new, 1)
        found = problems_of(text)
        matching = [p for p in found if message in p]
        assert matching, found
        assert matching[0].startswith(f"clinic.yaml:{line_of(text, new.strip())}: "), matching[0]
