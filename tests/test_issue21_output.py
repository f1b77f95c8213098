"""Issue 21: `--output FILE` without `--format` picks the format from the file's extension."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import RULES, minimal_answers, run_cli, write_answers


@pytest.fixture
def answers(tmp_path: Path) -> Path:
    return write_answers(tmp_path / "me.yaml", minimal_answers())


def _ask(answers: Path, out: Path, *args: str):
    return run_cli("ask", *RULES, "--no-input", "--answers", str(answers), "--output", str(out), *args)


@pytest.mark.parametrize(
    ("name", "fmt", "starts"),
    [
        ("visit.html", "html", "<!DOCTYPE html>"),
        ("VISIT.HTM", "html", "<!DOCTYPE html>"),
        ("visit.md", "markdown", "# "),
        ("visit.Markdown", "markdown", "# "),
        ("report.json", "json", "{"),
        ("report.TXT", "text", ""),
    ],
)
def test_the_extension_picks_the_format_and_says_so(answers: Path, tmp_path: Path, name, fmt, starts) -> None:
    out = tmp_path / name
    result = _ask(answers, out)
    assert f"Writing the report as {fmt}, from the file name {name}" in result.stderr
    text = out.read_text(encoding="utf-8")
    assert text.startswith(starts)
    if fmt == "json":
        assert json.loads(text)["schema_version"]
    if fmt == "text":
        assert not text.lstrip().startswith(("{", "<", "#"))


def test_an_explicit_format_wins_with_a_warning_when_it_disagrees(answers: Path, tmp_path: Path) -> None:
    out = tmp_path / "visit.html"
    result = _ask(answers, out, "--format", "json")
    assert "Warning: visit.html looks like html, but --format json was given: writing json." in result.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["schema_version"]


def test_an_explicit_format_that_agrees_gives_no_warning(answers: Path, tmp_path: Path) -> None:
    result = _ask(answers, tmp_path / "note.txt", "--format", "note")
    assert "Warning" not in result.stderr and "Writing the report as" not in result.stderr


def test_an_unknown_extension_keeps_the_default(answers: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    result = _ask(answers, out)
    assert "Writing the report as" not in result.stderr and "Warning" not in result.stderr
    assert not out.read_text(encoding="utf-8").startswith(("{", "<"))
