"""Issue 19: on a terminal a long rich or text report goes through a pager; never when piped,
with --output, or urgent. Run in a real pseudo-terminal, with a fake PAGER that records what it got."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest
from helpers import ROOT
from test_pty import ANSI, session  # noqa: F401  (session is a fixture)

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")

GOLDEN = ROOT / "tests" / "golden"
STENOSIS = str(GOLDEN / "stenosis_older_healthy.answers.yaml")
URGENT = str(GOLDEN / "sciatica_cauda_equina.answers.yaml")


@pytest.fixture
def fake_pager(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A PAGER that saves what it is given, and the less variables it saw, in tmp_path."""
    script = tmp_path / "fakepager"
    script.write_text(
        "#!/bin/sh\n"
        f'echo "LESSHISTFILE=$LESSHISTFILE LESSSECURE=$LESSSECURE" > "{tmp_path}/env"\n'
        f'cat > "{tmp_path}/paged"\n'
        "echo FAKE-PAGER-DONE\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PAGER", str(script))
    return tmp_path


def test_a_long_report_on_a_terminal_goes_through_the_pager_without_history(session, fake_pager):  # noqa: F811
    s = session("ask", "--answers", STENOSIS, "--no-input", "--detail", "full")
    assert s.finish() == 0, s.buffer[-2000:]
    paged = ANSI.sub("", (fake_pager / "paged").read_text())
    assert "Key points" in paged and "Sources" in paged  # the whole report, key points first
    assert paged.index("Key points") < paged.index("The decision")
    assert (fake_pager / "env").read_text().split() == ["LESSHISTFILE=-", "LESSSECURE=1"]
    assert "FAKE-PAGER-DONE" in s.buffer
    assert "About this decision aid" not in ANSI.sub("", s.buffer)  # not also written directly


@pytest.mark.parametrize("how", ["--no-pager", "PAGER="])
def test_no_pager_and_an_empty_pager_write_directly(session, fake_pager, monkeypatch, how):  # noqa: F811
    args = ["ask", "--answers", STENOSIS, "--no-input", "--detail", "full"]
    if how == "PAGER=":
        monkeypatch.setenv("PAGER", "")
    else:
        args.append(how)
    s = session(*args)
    assert s.finish() == 0
    assert not (fake_pager / "paged").exists()
    assert "About this decision aid" in ANSI.sub("", s.buffer)


def test_a_missing_pager_falls_back_to_direct_output(session, monkeypatch, tmp_path):  # noqa: F811
    monkeypatch.setenv("PAGER", str(tmp_path / "no-such-pager"))
    s = session("ask", "--answers", STENOSIS, "--no-input", "--detail", "full")
    assert s.finish() == 0
    plain = ANSI.sub("", s.buffer)
    assert "About this decision aid" in plain and "Traceback" not in plain


def test_an_urgent_report_never_goes_through_the_pager(session, fake_pager):  # noqa: F811
    s = session("ask", "--answers", URGENT, "--no-input", "--detail", "full")
    assert s.finish() == 0
    assert not (fake_pager / "paged").exists()
    assert "EMERGENCY" in ANSI.sub("", s.buffer).upper()


def test_never_when_piped_or_with_output(session, fake_pager, tmp_path):  # noqa: F811
    s = session("ask", "--answers", STENOSIS, "--no-input", stdout_pipe=True)
    assert s.finish() == 0
    text = s.stdout_bytes.decode()
    assert "KEY POINTS" in text and "SOURCES" in text  # a pipe keeps the full report, key points first
    report = tmp_path / "report.txt"
    s = session("ask", "--answers", STENOSIS, "--no-input", "--format", "text", "--output", str(report))
    assert s.finish() == 0
    assert "SOURCES" in report.read_text()
    assert not (fake_pager / "paged").exists()


def test_quitting_the_pager_early_ends_quietly(session, monkeypatch, tmp_path):  # noqa: F811
    script = tmp_path / "quits"
    script.write_text("#!/bin/sh\nhead -c 10 > /dev/null\n")
    script.chmod(0o700)
    monkeypatch.setenv("PAGER", str(script))
    s = session("ask", "--answers", STENOSIS, "--no-input", "--detail", "full")
    assert s.finish() == 0
    assert "Traceback" not in s.buffer and "Error" not in s.buffer


@pytest.mark.skipif(not any(os.access(Path(d) / "less", os.X_OK) for d in os.defpath.split(":")), reason="no less")
def test_real_less_quit_with_q(session, monkeypatch):  # noqa: F811
    monkeypatch.delenv("PAGER", raising=False)
    monkeypatch.delenv("LESS", raising=False)
    s = session("ask", "--answers", STENOSIS, "--no-input", "--detail", "full", "--no-color")
    s.expect("Key points")
    s.send(b"q")
    assert s.finish() == 0
    assert "Traceback" not in s.buffer


def test_the_terminal_default_is_the_key_points_and_how_to_see_more(session, monkeypatch):  # noqa: F811
    monkeypatch.setenv("PAGER", "")
    s = session("ask", "--answers", STENOSIS, "--no-input")
    assert s.finish() == 0
    plain = ANSI.sub("", s.buffer)
    assert "Key points" in plain and "add --detail full" in plain
    assert "About this decision aid" not in plain and "Sources" not in plain


def test_the_pager_command_and_its_environment():
    from spinedecide import pager

    assert pager.command({}) == ["less"]
    assert pager.command({"PAGER": "less -R"}) == ["less", "-R"]
    assert pager.command({"PAGER": ""}) is None and pager.command({"PAGER": "  "}) is None
    env = pager.pager_environment({"LESSHISTFILE": "/home/me/.lesshst", "LESS": "R"})
    assert env["LESSHISTFILE"] == "-" and env["LESSSECURE"] == "1" and env["LESS"] == "R"
    assert pager.pager_environment({})["LESS"] == "FRX"
