"""Issue 19: each diagnosis lists its key outcomes in the rules file, and `rules check` checks them."""

from __future__ import annotations

from pathlib import Path

import pytest

from spinedecide.authoring import check
from spinedecide.errors import RulesError
from spinedecide.rules import load_rules, shipped_rules_path

SHIPPED = shipped_rules_path().read_text(encoding="utf-8")
STENOSIS = "    key_outcomes: [serious_complication, later_surgery, reoperation, got_worse, death]\n"


def messages(tmp_path: Path, new: str, old: str = STENOSIS) -> list[tuple[int | None, str]]:
    assert SHIPPED.count(old) == 1
    path = tmp_path / "clinic.yaml"
    path.write_text(SHIPPED.replace(old, new), encoding="utf-8")
    return [(p.line, p.message) for p in check(path, readability=False).errors]


def test_every_shipped_diagnosis_with_options_lists_2_to_5_key_outcomes_with_figures():
    ruleset = load_rules()
    for d in ruleset.diagnoses.values():
        if not d.options:
            assert d.key_outcomes == ()
            continue
        assert 2 <= len(d.key_outcomes) <= 5, d.id
        figured = {
            f.estimate.outcome
            for o in d.options
            for f in (*ruleset.options[o].benefits, *ruleset.options[o].risks, *ruleset.options[o].recovery)
            if f.estimate
        }
        assert set(d.key_outcomes) <= figured, d.id


def test_too_few_key_outcomes_is_an_error_at_the_diagnosis(tmp_path):
    line = next(i for i, t in enumerate(SHIPPED.splitlines(), 1) if t == "  - id: spinal_stenosis")
    errors = messages(tmp_path, "    key_outcomes: [death]\n")
    assert (line, "diagnosis 'spinal_stenosis' lists 1 key_outcomes; list 2 to 5") in errors, errors


def test_missing_key_outcomes_is_a_warning_so_an_older_clinic_file_still_passes(tmp_path):
    path = tmp_path / "clinic.yaml"
    path.write_text(SHIPPED.replace(STENOSIS, ""), encoding="utf-8")
    result = check(path, readability=False)
    assert result.ok, result.errors
    assert any("'spinal_stenosis' lists no key_outcomes" in p.message for p in result.warnings), result.warnings


def test_too_many_key_outcomes_is_an_error(tmp_path):
    six = "    key_outcomes: [serious_complication, death, reoperation, later_surgery, got_worse, dural_tear]\n"
    errors = messages(tmp_path, six)
    assert any("lists 6 key_outcomes" in m for _l, m in errors), errors


def test_a_key_outcome_without_a_figure_in_the_diagnosis_is_an_error(tmp_path):
    errors = messages(tmp_path, "    key_outcomes: [serious_complication, nonunion]\n")
    assert any("key outcome 'nonunion' has no figure in any of its options" in m for _l, m in errors), errors


def test_a_repeated_key_outcome_is_an_error(tmp_path):
    errors = messages(tmp_path, "    key_outcomes: [death, death, reoperation]\n")
    assert any("'death' more than once" in m for _l, m in errors), errors


def test_an_undeclared_key_outcome_fails_to_load_with_its_line(tmp_path):
    path = tmp_path / "clinic.yaml"
    path.write_text(SHIPPED.replace(STENOSIS, "    key_outcomes: [deaht, reoperation]\n"), encoding="utf-8")
    with pytest.raises(RulesError) as err:
        load_rules(path)
    assert "unknown outcome 'deaht'" in str(err.value) and "death" in str(err.value)
