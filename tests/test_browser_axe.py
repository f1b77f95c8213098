"""Issue 19: the HTML report stays accessible. axe-core (pinned in tests/browser.py) runs inside
Debian's headless Chromium on a typical and an urgent report and must find no violation of WCAG
2.0 and 2.1 at levels A and AA, nor of its best practices. A page with known faults shows that the
check can fail. In CI a missing chromium or axe-core fails these tests."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import yaml
from browser import axe_violations, describe
from helpers import ROOT

from spinedecide import assess, load_rules
from spinedecide.render import render
from spinedecide.report import Report

GOLDEN = ROOT / "tests" / "golden"


def html_report(name: str, tmp_path: Path) -> tuple[Report, Path]:
    report = assess(load_rules(), yaml.safe_load((GOLDEN / f"{name}.answers.yaml").read_text(encoding="utf-8")))
    out = io.StringIO()
    render(report, "html", out)
    page = tmp_path / f"{name}.html"
    page.write_text(out.getvalue(), encoding="utf-8")
    return report, page


@pytest.mark.parametrize(
    ("name", "urgent"),
    [("spondylolisthesis_age_81", False), ("stenosis_older_healthy", False), ("sciatica_cauda_equina", True)],
)
def test_the_html_report_has_no_axe_violations(name, urgent, tmp_path):
    report, page = html_report(name, tmp_path)
    assert report.urgent is urgent
    violations = axe_violations(page, tmp_path / "profile")
    assert violations == [], describe(violations)


def test_axe_finds_the_faults_of_a_page_that_has_them(tmp_path):
    page = tmp_path / "faulty.html"
    page.write_text(
        '<!doctype html><html><head><title>t</title></head><body><main><h1>t</h1><img src="x.png">'
        '<p style="color:#777;background:#888">faint</p><input type="text"></main></body></html>',
        encoding="utf-8",
    )
    found = {v["id"] for v in axe_violations(page, tmp_path / "profile")}
    assert {"image-alt", "color-contrast", "label", "html-has-lang"} <= found, found
