"""Issue 19, layer 1: the key points, built once (render/keypoints.py), first in every human format."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import pytest
import yaml
from helpers import ROOT

from spinedecide import assess, load_rules
from spinedecide.render import render
from spinedecide.render.keypoints import NO_FIGURE, build

RULES = load_rules()
GOLDEN = sorted((ROOT / "tests" / "golden").glob("*.answers.yaml"))
PATIENTS = {p.name.removesuffix(".answers.yaml"): yaml.safe_load(p.read_text()) for p in GOLDEN}


def report(name: str):  # type: ignore[no-untyped-def]
    return assess(RULES, PATIENTS[name])


def shown(rep, fmt: str, *, detail: str = "full", width: int = 80) -> str:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    render(rep, fmt, out, width=width, detail=detail)
    return out.getvalue()


def flat(text: str) -> str:
    """Markup stripped, entities unescaped, box lines and wrapping undone."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    text = re.sub(r"[\u2500-\u257f|*#]", " ", text).replace("\\", "")
    return " ".join(text.split())


ELECTIVE = [n for n in PATIENTS if not report(n).urgent and report(n).options]


def test_the_realistic_patients_cover_every_condition_with_options():
    conditions = {PATIENTS[n]["condition"] for n in ELECTIVE}
    with_options = {d.id for d in RULES.diagnoses.values() if d.options}
    assert with_options <= conditions


@pytest.mark.parametrize("name", ELECTIVE)
def test_key_points_in_text_fit_40_lines_at_80_columns_and_hold_every_option(name):
    rep = report(name)
    text = shown(rep, "text", detail="key")
    lines = text.splitlines()
    assert len(lines) <= 40, "\n".join(lines)
    assert max(len(line) for line in lines) <= 80
    for option in rep.options:
        assert f"- {option.title}: " in text, option.title
    assert "add --detail full" in " ".join(lines[-2:])
    assert "THE DECISION" not in text and "SOURCES" not in text


def test_the_longest_diagnosis_with_three_options_fits_and_says_different_studies():
    rep = report("spondylolisthesis_age_81")
    assert len(rep.options) == 3
    text = shown(rep, "text", detail="key")
    assert len(text.splitlines()) <= 40
    kp = build(rep)
    assert kp is not None
    serious = next(r for r in kp.rows if r.outcome == "serious_complication")
    assert [c.different_studies for c in serious.cells] == [True, True, False]
    assert "different studies: not directly comparable" in " ".join(text.split())


def test_each_figure_is_for_people_like_you_beside_the_typical_one_in_the_same_denominator():
    rep = report("stenosis_octogenarian_heart")
    kp = build(rep)
    assert kp is not None
    death = next(r for r in kp.rows if r.outcome == "death")
    cell = next(c for c in death.cells if c.text != NO_FIGURE)
    # a rare figure: per 10,000 both for the person and typically, never "0.4 in 100"
    assert re.search(r"\d+ in 10,000 for you \(typical \d+ in 10,000", cell.text), cell.text
    assert re.search(r"; (high|moderate|low|very low) certainty", cell.text)


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "rich"])
def test_key_points_come_first_in_every_human_format_with_every_sentence(fmt):
    rep = report("spondylolisthesis_age_81")
    kp = build(rep)
    assert kp is not None
    # rich below 110 columns lists the rows (a table's cells wrap side by side, so cannot be read back)
    page = flat(shown(rep, fmt, width=100))
    start = page.lower().index("key points")
    assert start < page.lower().index("the decision")
    # the same sentences in every format, from the one builder; text and a listed rich may leave
    # the last rows out to fit 40 lines, and then name them
    said = [kp.condition, kp.decision, *kp.legend, *kp.matters]
    left_out = page.split("Also in the full report: ", 1)[1].split(".", 1)[0] if fmt in ("text", "rich") else ""
    said += [c.text for r in kp.rows if r.title not in left_out.split("; ") for c in r.cells]
    for sentence in said:
        assert " ".join(sentence.split()) in page, (fmt, sentence)


def test_the_note_has_a_few_lines_of_key_outcomes():
    rep = report("spondylolisthesis_age_81")
    note = shown(rep, "note")
    assert len(note.splitlines()) <= 25
    assert "- A serious medical problem after the operation: Decompression alone: 2.3/100" in note
    assert "[different studies: not directly comparable]" in " ".join(note.split())


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "rich", "note"])
def test_an_urgent_report_has_no_key_points_and_leads_with_the_urgent_part(fmt):
    rep = report("sciatica_cauda_equina")
    assert rep.urgent and build(rep) is None
    page = shown(rep, fmt, detail="key")
    assert "key points" not in page.lower()
    body = page.split("<body>", 1)[-1]
    assert "emergency" in body[:800].lower()
    assert "Sources" in page or "sources" in page  # the whole urgent report, not a short layer


def test_json_names_the_key_outcomes_in_the_rules_files_order():
    rep = report("stenosis_older_healthy")
    assert rep.to_dict()["key_outcomes"] == list(RULES.diagnoses["spinal_stenosis"].key_outcomes)
    assert report("not_sure_new_pain").to_dict()["key_outcomes"] == []


def test_the_benefit_without_a_figure_is_said_for_every_option_alike():
    kp = build(report("stenosis_older_healthy"))
    assert kp is not None
    first = kp.rows[0]
    assert first.title == "What it can offer"
    assert all("no figure that compares the options" in c.text for c in first.cells)


def test_the_cli_default_in_a_pipe_is_the_full_report_and_detail_key_the_key_points(tmp_path: Path):
    from typer.testing import CliRunner

    from spinedecide.cli import app

    answers = str(ROOT / "tests" / "golden" / "stenosis_older_healthy.answers.yaml")
    runner = CliRunner()
    full = runner.invoke(app, ["ask", "--answers", answers, "--no-input", "--format", "text"])
    assert full.exit_code == 0 and "KEY POINTS" in full.stdout and "SOURCES" in full.stdout
    key = runner.invoke(app, ["ask", "--answers", answers, "--no-input", "--format", "text", "--detail", "key"])
    assert key.exit_code == 0 and "KEY POINTS" in key.stdout and "SOURCES" not in key.stdout
    out = tmp_path / "r.md"
    written = runner.invoke(app, ["ask", "--answers", answers, "--no-input", "--format", "markdown", "-o", str(out)])
    assert written.exit_code == 0 and "## Sources" in out.read_text()
    js = runner.invoke(app, ["ask", "--answers", answers, "--no-input", "--format", "json", "--detail", "key"])
    assert js.exit_code == 0 and '"sources"' in js.stdout and '"key_outcomes"' in js.stdout


def test_rich_key_points_at_80_columns_fit_one_screen_like_the_text():
    rep = report("spondylolisthesis_age_81")
    lines = shown(rep, "rich", detail="key", width=80).splitlines()
    assert len(lines) <= 42, "\n".join(lines)  # the text's 40 lines and the panel's two borders
    assert "add --detail full" in " ".join(lines[-2:])
