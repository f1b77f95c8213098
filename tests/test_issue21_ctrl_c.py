"""Issue 21: Ctrl-C in the interview without --save-answers offers once to save the answers so far.

In a real pseudo-terminal (Ctrl-C is SIGINT from the terminal): yes writes an owner-only file that
--answers reads back; no writes nothing; a second Ctrl-C leaves at once; an existing file is
replaced only when the person says so. Ctrl-D, SIGTERM and piped input ask nothing. Exit 130.
"""

from __future__ import annotations

import os
import signal
import stat
import sys

import pytest
import yaml
from helpers import RULES, run_cli
from test_pty import ASK, session  # noqa: F401  (the fixture)

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")

OFFER = "Save them to a file"


def _stop_at_smoking(s) -> None:
    s.answer("no")
    s.expect("How old are you?")
    s.answer("45")
    s.expect("Do you smoke?")
    s.expect("> ")
    s.send(b"\x03")


def test_yes_writes_an_owner_only_file_that_answers_reads_back(session, tmp_path):  # noqa: F811
    target = tmp_path / "kept.yaml"
    s = session(*ASK, "--format", "text")
    _stop_at_smoking(s)
    s.expect(OFFER)
    s.send(b"yes\r")
    s.expect("File name")
    s.send(str(target).encode() + b"\r")
    code = s.finish()
    assert code == 130, s.buffer[-3000:]
    assert f"Your answers so far are saved in {target}" in s.buffer
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert yaml.safe_load(target.read_text(encoding="utf-8")) == {"bladder_bowel": "no", "age": 45}
    rest = ["--set=smoking=never", "--set=diabetes=no", "--set=bmi=24", "--set=condition=disc"]
    report = run_cli("ask", *RULES, "--answers", str(target), *rest, "--no-input", "--format", "json").json
    assert report["answers"]["age"] == 45


def test_no_writes_nothing(session, tmp_path):  # noqa: F811
    s = session(*ASK, "--format", "text")
    _stop_at_smoking(s)
    s.expect(OFFER)
    s.send(b"no\r")
    code = s.finish()
    assert code == 130, s.buffer[-3000:]
    assert "Nothing was saved." in s.buffer and "File name" not in s.buffer
    assert "Your answers were not saved." in s.buffer


def test_a_second_ctrl_c_leaves_at_once(session):  # noqa: F811
    s = session(*ASK, "--format", "text")
    _stop_at_smoking(s)
    s.expect(OFFER)
    s.send(b"\x03")
    code = s.finish(timeout=10)
    assert code == 130, s.buffer[-3000:]
    assert "File name" not in s.buffer and "Traceback" not in s.buffer
    assert s.buffer.count(OFFER) == 1


def test_an_existing_file_is_replaced_only_when_the_person_says_so(session, tmp_path):  # noqa: F811
    existing = tmp_path / "old.yaml"
    existing.write_text("age: 90\n")
    other = tmp_path / "new.yaml"
    s = session(*ASK, "--format", "text")
    _stop_at_smoking(s)
    s.expect(OFFER)
    s.send(b"yes\r")
    s.expect("File name")
    s.send(str(existing).encode() + b"\r")
    s.expect("already exists. Replace it?")
    s.send(b"no\r")
    s.expect("File name")
    s.send(str(other).encode() + b"\r")
    assert s.finish() == 130, s.buffer[-3000:]
    assert existing.read_text() == "age: 90\n"
    assert yaml.safe_load(other.read_text())["age"] == 45


def test_ctrl_d_asks_nothing(session):  # noqa: F811
    s = session(*ASK, "--format", "text")
    s.answer("no")
    s.expect("How old are you?")
    s.expect("> ")
    s.send(b"\x04")
    assert s.finish() == 130, s.buffer[-3000:]
    assert OFFER not in s.buffer


def test_sigterm_asks_nothing(session):  # noqa: F811
    s = session(*ASK, "--format", "text")
    s.answer("no")
    s.expect("How old are you?")
    s.expect("> ")
    s.proc.send_signal(signal.SIGTERM)
    assert s.finish() == 143, s.buffer[-3000:]
    assert OFFER not in s.buffer


def test_piped_input_and_no_input_ask_nothing():
    piped = run_cli("ask", *RULES, "--format", "json", input="no\n45\n", expect=130)
    assert OFFER not in piped.stderr
    refused = run_cli("ask", *RULES, "--no-input", "--set", "age=45", expect=2)
    assert OFFER not in refused.stderr
