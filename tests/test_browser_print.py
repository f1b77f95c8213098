"""Issue 19: the HTML report's key points are on its first printed page, on A4 and on Letter.

Each test prints one report with Debian's headless Chromium (``--print-to-pdf``), reads page one
back with ``pdftotext`` and looks there for what the key points must hold, taken from the Report
(not from the HTML), so the test keeps guarding however the HTML is built. An urgent report's
first page holds its urgent part. In CI a missing chromium or poppler-utils fails these tests.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import yaml
from browser import PAPER, page_text, paper_size, print_pdf, with_paper
from helpers import ROOT

from spinedecide import assess, load_rules
from spinedecide.render import render
from spinedecide.render.phrases import span
from spinedecide.report import FigureView, Report

RULES = load_rules()
PATIENTS = {
    p.name.removesuffix(".answers.yaml"): yaml.safe_load(p.read_text(encoding="utf-8"))
    for p in sorted((ROOT / "tests" / "golden").glob("*.answers.yaml"))
}
REPORTS = {name: assess(RULES, answers) for name, answers in PATIENTS.items()}
ELECTIVE = [n for n, r in REPORTS.items() if r.options and not r.urgent]
#: Every elective patient, three options included (the document model's print CSS fits them).
PRINTED = ELECTIVE
URGENT = [n for n, r in REPORTS.items() if r.urgent]


def first_page(report: Report, paper: str, tmp_path: Path) -> str:
    """The report as HTML, printed on ``paper``; its first page as one line of text."""
    out = io.StringIO()
    render(report, "html", out)
    page = tmp_path / "report.html"
    page.write_text(with_paper(out.getvalue(), paper), encoding="utf-8")
    pdf = tmp_path / "report.pdf"
    print_pdf(page, pdf, tmp_path / "profile")
    width, height = paper_size(pdf)
    assert (round(width), round(height)) == PAPER[paper], f"printed on {width} x {height} pt, not {paper}"
    return page_text(pdf, 1)


def key_figures(report: Report) -> list[tuple[str, str, list[str]]]:
    """(option, key outcome, its figures as said) for every key outcome an option has a figure
    for: the figure for people like this person and, when answers changed it, the typical one."""
    found = []
    for option in report.options:
        for outcome, _title in report.key_outcomes:
            figure = next(
                (
                    f.estimate
                    for f in (*option.benefits, *option.risks, *option.recovery)
                    if f.estimate is not None and f.estimate.outcome == outcome
                ),
                None,
            )
            if figure is not None:
                found.append((option.title, outcome, said(figure)))
    return found


def said(e: FigureView) -> list[str]:
    typical = span(e.typical_low, e.typical_high, e.bound, e.per)
    return [span(e.low, e.high, e.bound, e.per), typical] if e.tailored else [typical]


def test_every_condition_with_options_has_a_printed_patient():
    assert {r.diagnosis["id"] for n, r in REPORTS.items() if n in ELECTIVE} >= {
        d.id for d in RULES.diagnoses.values() if d.options
    }
    assert URGENT, "no urgent patient among the golden answers"


@pytest.mark.parametrize("paper", sorted(PAPER))
@pytest.mark.parametrize("name", PRINTED)
def test_the_key_points_are_on_the_first_printed_page(name, paper, tmp_path):
    report = REPORTS[name]
    figures = key_figures(report)
    assert figures, f"{name}: no option has a figure for a key outcome; nothing to look for"
    page = first_page(report, paper, tmp_path)
    assert "Key points" in page, page[:600]
    for option in report.options:
        assert option.title in page, (option.title, page)
    for option, outcome, texts in figures:
        for text in texts:
            assert text in page, f"{option}, {outcome}: {text!r} is not on page one:\n{page}"


@pytest.mark.parametrize("paper", sorted(PAPER))
@pytest.mark.parametrize("name", URGENT)
def test_an_urgent_report_has_its_urgent_part_on_the_first_printed_page(name, paper, tmp_path):
    report = REPORTS[name]
    page = first_page(report, paper, tmp_path)
    # the banner first (its heading may be printed in capitals), then every red flag and its advice
    assert report.banner and report.banner.lower() in page.lower()[:800], page[:1200]
    for reason in report.urgent_reasons:
        for said_here in (reason.title, reason.text, reason.action):
            assert " ".join(said_here.split()) in page, (said_here, page)
