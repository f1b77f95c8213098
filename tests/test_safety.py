"""Bad input never shows a traceback; nothing goes on the network; nothing is written unless asked."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import pytest
from contract import check_contract
from helpers import minimal_answers
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from spinedecide import assess
from spinedecide.answers import parse_answers
from spinedecide.cli import app
from spinedecide.errors import AnswersError

MINIMAL = str(Path(__file__).parent / "data" / "minimal.yaml")
COMPLETE = "bladder_bowel: no\nage: 50\nsmoking: never\ndiabetes: no\nbmi: 25\ncondition: disc\n"


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a socket fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("spinedecide tried to open a network connection")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_no_network_and_nothing_written_unless_asked(no_network, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    (tmp_path / "me.yaml").write_text(COMPLETE)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    runner = CliRunner()
    for fmt in ("json", "text", "rich"):
        result = runner.invoke(app, ["ask", "--rules", MINIMAL, "--answers", "me.yaml", "--format", fmt])
        assert result.exit_code == 0, result.stderr
    interview = runner.invoke(
        app, ["ask", "--rules", MINIMAL, "--format", "json"], input="no\n50\nnever\nno\n180\n80\ndisc\n"
    )
    assert interview.exit_code == 0, interview.stderr
    after = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    assert after == before


def test_the_shipped_rules_load_without_network(no_network, shipped):
    assert shipped.version


def test_a_bug_is_reported_plainly_without_traceback(monkeypatch):
    import spinedecide.engine

    def broken(*args, **kwargs):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(spinedecide.engine, "assess", broken)
    given = ["age=50", "bladder_bowel=no", "smoking=never", "diabetes=no", "bmi=25", "condition=disc"]
    sets = [arg for item in given for arg in ("--set", item)]
    result = CliRunner().invoke(app, ["ask", "--rules", MINIMAL, *sets])
    assert result.exit_code == 1
    assert "internal error (a bug" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    debug = CliRunner().invoke(app, ["ask", "--debug", "--rules", MINIMAL, *sets])
    assert "Traceback" in debug.stderr


def test_unwritable_output_is_a_clear_error(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if os.access(locked, os.W_OK):
            pytest.skip("running as a user who can write anywhere (root)")
        result = CliRunner().invoke(
            app, ["ask", "--rules", MINIMAL, "--answers", "-", "--output", str(locked / "r.txt")], input=COMPLETE
        )
        assert result.exit_code == 2
        assert "cannot write here" in result.stderr
    finally:
        locked.chmod(0o700)


def test_output_into_a_folder_is_refused(tmp_path):
    result = CliRunner().invoke(
        app, ["ask", "--rules", MINIMAL, "--answers", "-", "--output", str(tmp_path)], input=COMPLETE
    )
    assert result.exit_code == 2
    assert "this is a folder" in result.stderr
    assert result.stdout == ""


def test_narrow_dumb_terminal_still_gets_a_readable_report(minimal):
    import io

    from spinedecide.render import render

    report = assess(
        minimal,
        {"bladder_bowel": "yes", "age": 50, "smoking": "current", "diabetes": "no", "bmi": 25, "condition": "disc"},
    )
    for fmt in ("text", "rich"):
        out = io.StringIO()
        render(report, fmt, out, color=False, width=40)
        text = out.getvalue()
        assert "\x1b[" not in text
        assert "Emergency" in text and "Go now." in text
        long_lines = [line for line in text.splitlines() if len(line) > 40 and "http" not in line]
        assert long_lines == [], long_lines


# --- property-based: no input produces a traceback ---------------------------------------------

VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)
KEYS = st.sampled_from(
    [
        "bladder_bowel",
        "age",
        "smoking",
        "diabetes",
        "bmi",
        "height_cm",
        "weight_kg",
        "condition",
        "hardware",
        "agee",
        "",
        "unknown",
    ]
)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(document=st.dictionaries(KEYS, VALUES, max_size=10))
def test_any_answers_mapping_gives_a_report_or_answers_error(minimal, document):
    try:
        report = assess(minimal, document)
    except AnswersError as err:
        assert err.problems and all(p.message for p in err.problems)
        return
    check_contract(report.to_dict())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=300))
def test_any_bytes_give_answers_or_a_clear_error(data):
    try:
        parse_answers(data, "fuzz.yaml")
    except AnswersError as err:
        assert "fuzz.yaml" in err.render()


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(text=st.text(alphabet=st.sampled_from(list("{}[]:,-'\"!&*#|>\n ab01yesno.")), max_size=80))
def test_malformed_documents_through_the_cli_never_show_a_traceback(text):
    result = CliRunner().invoke(
        app, ["ask", "--rules", MINIMAL, "--answers", "-", "--no-input", "--format", "json"], input=text
    )
    assert result.exit_code in (0, 2), result.stderr
    assert "Traceback" not in result.stderr
    if result.exit_code == 2:
        assert result.stdout == ""
        error = json.loads(result.stderr)
        assert error["error"] in ("answers_error", "usage_error")


def test_narrow_terminal_keeps_every_picture_whole_and_cuts_no_words(minimal):
    import io
    import re

    from spinedecide.render import render

    report = assess(minimal, minimal_answers(smoking="current", diabetes="yes"))
    out = io.StringIO()
    render(report, "rich", out, color=False, width=40)
    text = out.getvalue()
    assert "…" not in text
    from spinedecide.render.build import build
    from spinedecide.render.document import Picture, Section

    def pictures(blocks):
        for b in blocks:
            if isinstance(b, Section):
                yield from pictures(b.blocks)
            elif isinstance(b, Picture):
                yield b

    # one picture per card, each of its rows (an option, for you or typical) 100 people, none cut off
    series = [s for p in pictures(build(report).sections) for s in p.series]
    assert series
    marks = re.findall(r"[●◐○]{10}", text)  # groups of ten (the legend shows one of each)
    assert sum(len(m) for m in marks) == 100 * len(series)
    assert all(len(line) <= 40 for line in text.splitlines())


def test_dumb_terminal_gets_plain_ascii(minimal, base_answers):
    import io

    from spinedecide.render import render

    out = io.StringIO()
    render(assess(minimal, {**base_answers, "smoking": "current"}), "rich", out, color=False, width=100, ascii=True)
    text = out.getvalue()
    drawing = sorted({c for c in text if 0x2500 <= ord(c) <= 0x25FF or c in "•…≥≤"})
    assert drawing == []
    assert "#" in text and "+---" in text.replace("+-", "+---", 1)  # pictures and boxes in plain characters


def test_ctrl_c_while_the_program_loads_ends_quietly_with_130():
    # The command's entry point catches a Ctrl-C that arrives while the command line is still
    # being imported (before the error boundary exists), instead of printing a traceback.
    import subprocess
    import sys

    script = (
        "import builtins, sys\n"
        "real = builtins.__import__\n"
        "def interrupted(name, *args, **kwargs):\n"
        "    if name == 'cli' or name.endswith('.cli'):\n"
        "        raise KeyboardInterrupt\n"
        "    return real(name, *args, **kwargs)\n"
        "builtins.__import__ = interrupted\n"
        "from spinedecide.__main__ import main\n"
        "main()\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 130
    assert proc.stderr == "\nStopped.\n"
