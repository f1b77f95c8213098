"""Issue 18: comparable by construction. Each check is broken in a copy of the shipped rules file,
and `rules check` must name the file and the line of the figure (or declaration) at fault."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from spinedecide.authoring import check
from spinedecide.cli import app
from spinedecide.rules import shipped_rules_path

SHIPPED = shipped_rules_path().read_text(encoding="utf-8")


def line_of(text: str, needle: str) -> int:
    """The 1-based line of the first line containing ``needle``."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def broken(tmp_path: Path, old: str, new: str, count: int = 1) -> tuple[Path, str]:
    assert SHIPPED.count(old) >= count, old
    text = SHIPPED.replace(old, new, count)
    path = tmp_path / "clinic.yaml"
    path.write_text(text, encoding="utf-8")
    return path, text


def errors_at(path: Path) -> list[tuple[int | None, str]]:
    result = check(path, readability=False)
    return [(p.line, p.message) for p in result.errors]


def test_the_shipped_file_passes_with_the_new_checks_on():
    result = check(None, readability=False)
    assert result.ok, [str(p) for p in result.errors]
    notes = "\n".join(result.notes)
    assert "figures are of low or very low certainty" in notes
    assert "decompression_not_relieved is very low certainty" in notes


def test_an_undeclared_pair_from_different_studies_fails_at_the_figure(tmp_path):
    start = SHIPPED.index("    not_comparable:\n      serious_complication:")
    end = SHIPPED.index("  - id: scoliosis", start)
    path, text = broken(tmp_path, SHIPPED[start:end], "")
    errors = errors_at(path)
    line = line_of(text, "- id: ds_decompression_medical")
    assert any(at == line and "ds_fusion_medical" in msg and "not_comparable" in msg for at, msg in errors), errors


def test_a_declared_pair_that_is_from_one_study_is_an_error(tmp_path):
    path, text = broken(
        tmp_path,
        "    not_comparable:\n      serious_complication:",
        '    not_comparable:\n      transfusion: "Said for a test."\n      serious_complication:',
    )
    errors = errors_at(path)
    assert any(
        at == line_of(text, "- id: spondylolisthesis") and "'transfusion' not comparable" in msg for at, msg in errors
    ), errors


def test_a_figure_without_certainty_fails_at_its_line(tmp_path):
    start = SHIPPED.index("- id: discectomy_death")
    cut = SHIPPED.index("          certainty:", start)
    end = SHIPPED.index("\n", cut) + 1
    text = SHIPPED[:cut] + SHIPPED[end:]
    path = tmp_path / "clinic.yaml"
    path.write_text(text, encoding="utf-8")
    errors = errors_at(path)
    assert (
        line_of(text, "- id: discectomy_death"),
        "finding 'discectomy_death': its figure has no certainty (estimate.certainty: "
        "level high, moderate, low or very_low, and a reason)",
    ) in errors


def test_a_leaflet_figure_graded_above_very_low_would_be_pictured_and_fails(tmp_path):
    start = SHIPPED.index("- id: decompression_not_relieved")
    old = SHIPPED[start : SHIPPED.index("sources:", start)]
    path, text = broken(tmp_path, old, old.replace("level: very_low", "level: moderate"))
    errors = errors_at(path)
    line = line_of(text, "- id: decompression_not_relieved")
    assert any(at == line and "never pictured" in msg for at, msg in errors), errors


def test_mixed_denominators_for_one_outcome_fail_at_the_odd_figure(tmp_path):
    start = SHIPPED.index("- id: ds_fusion_death")
    old = SHIPPED[start : SHIPPED.index("sources:", start)]
    path, text = broken(tmp_path, old, old.replace("per: 10000", "per: 1000"))
    errors = errors_at(path)
    line = line_of(text, "- id: ds_fusion_death")
    assert any(at == line and "one outcome has one denominator" in msg for at, msg in errors), errors


def test_a_rare_figure_shown_in_100_fails(tmp_path):
    text = re.sub(r"(?m)^ *per: 1000\n", "", SHIPPED)  # nerve damage back to "in 100"
    assert text != SHIPPED
    path = tmp_path / "clinic.yaml"
    path.write_text(text, encoding="utf-8")
    errors = errors_at(path)
    line = line_of(text, "- id: instability_fusion_nerve")
    assert any(at == line and "0.9 in 100" in msg and "per: 1000" in msg for at, msg in errors), errors


def test_a_subgroup_figure_needs_its_rules_certainty(tmp_path):
    start = SHIPPED.index("  - id: age_80_dural_tear\n")
    cut = SHIPPED.index("    certainty:", start)
    text = SHIPPED[:cut] + SHIPPED[SHIPPED.index("\n", cut) + 1 :]
    path = tmp_path / "clinic.yaml"
    path.write_text(text, encoding="utf-8")
    errors = errors_at(path)
    assert any(at == line_of(text, "- id: age_80_dural_tear") and "no certainty" in msg for at, msg in errors), errors


def test_a_claimed_field_test_without_a_record_fails_at_its_line(tmp_path):
    old = "  certainty_grading: >-\n"
    path, text = broken(tmp_path, old, '  evaluation:\n    field_test_patients: {who: "a clinic"}\n' + old)
    runner = CliRunner()
    result = runner.invoke(app, ["rules", "check", str(path)])
    assert result.exit_code == 2
    line = line_of(text, "field_test_patients")
    assert re.search(rf"clinic\.yaml:{line}\b.*field test patients needs its record", result.output), result.output


def test_rules_check_names_file_and_line_on_the_command_line(tmp_path):
    start = SHIPPED.index("- id: discectomy_death")
    old = SHIPPED[start : SHIPPED.index("sources:", start)]
    path, text = broken(tmp_path, old, old.replace("outcome: death", "outcome: deaths"))
    result = CliRunner().invoke(app, ["rules", "check", str(path)])
    assert result.exit_code == 2
    assert f"clinic.yaml:{line_of(text, 'outcome: deaths')}" in result.output
    assert "unknown outcome 'deaths'" in result.output


@pytest.mark.parametrize("outcome", ["death", "nerve_damage"])
def test_every_option_uses_one_denominator_for_a_rare_outcome(outcome):
    from spinedecide.rules import load_rules

    rules = load_rules()
    pers = {f.estimate.per for f in rules.findings.values() if f.estimate and f.estimate.outcome == outcome}
    assert len(pers) == 1 and pers.pop() > 100


# --- an honest IPDAS self-check ---------------------------------------------------------------


def test_ipdas_never_marks_field_tests_or_external_review_met_without_a_record(tmp_path):
    from spinedecide.authoring import MET, NEEDS_EVIDENCE, ipdas, ipdas_failed
    from spinedecide.rules import load_rules

    criteria = {c.number: c for c in ipdas(load_rules())}
    assert {criteria[n].status for n in ("D-FT1", "D-FT2", "D-PR")} == {NEEDS_EVIDENCE}
    assert not ipdas_failed(list(criteria.values()))  # reported, but not a failure
    result = CliRunner().invoke(app, ["rules", "check", "--ipdas"])
    assert result.exit_code == 0 and "[needs evidence] D-PR" in result.output and "[met] D-PR" not in result.output

    record = (
        '  evaluation:\n    external_review: {who: "Two patients and a surgeon from a test clinic", when: '
        '"2026-10", how: "read the report and wrote comments"}\n'
    )
    path, _text = broken(tmp_path, "  certainty_grading: >-\n", record + "  certainty_grading: >-\n")
    recorded = {c.number: c for c in ipdas(load_rules(path))}
    assert recorded["D-PR"].status == MET and "Two patients and a surgeon" in recorded["D-PR"].wording
    assert recorded["D-FT1"].status == NEEDS_EVIDENCE


def test_ipdas_denominator_criterion_fails_on_mixed_denominators(tmp_path):
    from spinedecide.authoring import NOT_MET, ipdas
    from spinedecide.rules import load_rules

    start = SHIPPED.index("- id: ds_fusion_death")
    old = SHIPPED[start : SHIPPED.index("sources:", start)]
    path, _text = broken(tmp_path, old, old.replace("per: 10000", "per: 1000"))
    criteria = {c.number: c for c in ipdas(load_rules(path))}
    assert criteria["P5"].status == NOT_MET
