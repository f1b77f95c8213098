"""The interview in a real pseudo-terminal: typing at the prompt, Ctrl-C, and rich output on a tty.

Uses only the standard library (os.openpty + subprocess). Every read has a deadline so a test
fails, rather than hangs, when the program does not show what is expected.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import re
import select
import struct
import subprocess
import sys
import termios
import threading
import time

import pytest
from helpers import MINIMAL, ROOT

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")

TIMEOUT = 20.0
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def _child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES", "TERM")}
    env["PYTHONPATH"] = str(ROOT / "src")
    env["TERM"] = "xterm"
    return env


def _make_controlling_tty() -> None:  # runs in the child, after stdin is the pty slave
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class PtySession:
    """``python -m spinedecide ARGS`` with stdin and stderr (and, unless ``stdout_pipe``, stdout)
    on a fresh pseudo-terminal that is the child's controlling terminal (so Ctrl-C is SIGINT)."""

    def __init__(self, *args: str, stdout_pipe: bool = False) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))
        self.buffer = ""
        self.pos = 0  # where the next expect() starts looking
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "spinedecide", *args],
            cwd=ROOT,
            env=_child_env(),
            stdin=slave,
            stdout=subprocess.PIPE if stdout_pipe else slave,
            stderr=slave,
            start_new_session=True,
            preexec_fn=_make_controlling_tty,
            close_fds=True,
        )
        os.close(slave)
        self.stdout_bytes = b""
        self._reader = None
        if stdout_pipe:
            # drain stdout in the background so a big report can never block the child
            self._reader = threading.Thread(target=self._drain, daemon=True)
            self._reader.start()

    def _drain(self) -> None:
        assert self.proc.stdout is not None
        self.stdout_bytes = self.proc.stdout.read()

    def _read_some(self, deadline: float) -> bool:
        """Read what is available from the terminal; False when the child closed it."""
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return True
        ready, _, _ = select.select([self.master], [], [], min(remaining, 0.5))
        if not ready:
            return True
        try:
            chunk = os.read(self.master, 65536)
        except OSError as exc:  # EIO: the child closed the slave side
            if exc.errno == errno.EIO:
                return False
            raise
        if not chunk:
            return False
        self.buffer += chunk.decode("utf-8", errors="replace")
        return True

    def expect(self, text: str, timeout: float = TIMEOUT) -> str:
        """Wait until ``text`` appears after the last match; return what came before it."""
        deadline = time.monotonic() + timeout
        while True:
            plain = self.buffer
            found = plain.find(text, self.pos)
            if found >= 0:
                before = plain[self.pos : found]
                self.pos = found + len(text)
                return before
            if time.monotonic() >= deadline:
                self.kill()
                pytest.fail(
                    f"timed out after {timeout:.0f}s waiting for {text!r}; the terminal showed:\n{self.buffer[-3000:]}"
                )
            if not self._read_some(deadline):
                if text in self.buffer[self.pos :]:
                    continue
                self.kill()
                pytest.fail(f"the program ended before showing {text!r}; the terminal showed:\n{self.buffer[-3000:]}")

    def answer(self, line: str) -> None:
        """Wait for the prompt, then type ``line`` and Enter."""
        self.expect("> ")
        os.write(self.master, line.encode() + b"\r")

    def send(self, data: bytes) -> None:
        os.write(self.master, data)

    def finish(self, timeout: float = TIMEOUT) -> int:
        """Read the terminal until the child exits; return its exit code."""
        deadline = time.monotonic() + timeout
        while self._read_some(deadline):
            if time.monotonic() >= deadline:
                self.kill()
                pytest.fail(
                    f"the program did not exit within {timeout:.0f}s; the terminal showed:\n{self.buffer[-3000:]}"
                )
        try:
            code = self.proc.wait(timeout=max(1.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            self.kill()
            pytest.fail("the program closed the terminal but did not exit")
        if self._reader is not None:
            self._reader.join(timeout=5)
        return code

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=5)

    def close(self) -> None:
        self.kill()
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        os.close(self.master)


@pytest.fixture
def session():
    sessions: list[PtySession] = []

    def start(*args: str, **kwargs) -> PtySession:
        s = PtySession(*args, **kwargs)
        sessions.append(s)
        return s

    yield start
    for s in sessions:
        s.close()


ASK = ("ask", "--rules", str(MINIMAL))


def test_interview_in_a_terminal_with_json_report(session):
    s = session(*ASK, "--format", "json", stdout_pipe=True)
    s.expect("Bladder trouble?")
    s.answer("no")
    s.expect("How old are you?")
    s.answer("abc")  # a bad answer: explained and asked again
    s.expect("expected a number, got 'abc'")
    s.answer("45")
    s.expect("Do you smoke?")
    s.answer("back")  # change the age
    s.expect("How old are you?")
    s.answer("81")
    s.expect("Do you smoke?")
    s.answer("3")
    s.expect("Diabetes?")
    s.answer("?")
    s.expect("Diabetes help.")
    s.answer("no")
    s.expect("Height?")
    s.answer("170")
    s.expect("Weight?")
    s.answer("70")
    s.expect("Which condition?")
    s.answer("disc")
    code = s.finish()
    assert code == 0, s.buffer[-3000:]
    report = json.loads(s.stdout_bytes.decode("utf-8"))
    assert report["answers"]["age"] == 81
    assert report["answers"]["smoking"] == "current"
    assert report["answers"]["bmi"] == 24.2
    assert report["fired_rules"] == ["smoking_infection", "old_death"]
    assert report["urgent"] is False
    assert "Traceback" not in s.buffer
    # the report went to stdout (the pipe), never to the terminal
    assert '"schema_version"' not in s.buffer


def test_interview_in_a_terminal_uses_colour_on_stderr(session):
    s = session(*ASK, "--format", "json", stdout_pipe=True)
    s.expect("Bladder trouble?")
    s.answer("yes")
    s.expect("URGENT")
    s.kill()
    # stderr is a terminal, NO_COLOR is unset, TERM=xterm: the questions are styled
    assert "\x1b[" in s.buffer


def test_ctrl_c_mid_interview_exits_130_without_traceback(session):
    s = session(*ASK, "--format", "text")
    s.answer("no")
    s.expect("How old are you?")
    s.expect("> ")
    s.send(b"\x03")
    s.expect("Save them to a file")  # issue 21: the answers so far are offered to be saved
    s.send(b"no\r")
    code = s.finish()
    assert code == 130, s.buffer[-3000:]
    assert "^C" in s.buffer  # the terminal echoed the interrupt: it really was SIGINT, not EOF
    assert "Traceback" not in s.buffer
    assert "KeyboardInterrupt" not in s.buffer
    assert "Stopped" in s.buffer


def test_ctrl_d_mid_interview_exits_130(session, tmp_path):
    saved = tmp_path / "me.yaml"
    s = session(*ASK, "--format", "text", "--save-answers", str(saved))
    s.answer("no")
    s.answer("70")
    s.expect("Do you smoke?")
    s.expect("> ")
    s.send(b"\x04")  # Ctrl-D at the start of a line: end of input
    code = s.finish()
    assert code == 130, s.buffer[-3000:]
    assert "Traceback" not in s.buffer
    text = saved.read_text()
    assert "age: 70" in text and "bladder_bowel:" in text and "smoking" not in text


def test_auto_format_on_a_terminal_is_rich_with_colour(session, tmp_path):
    answers = tmp_path / "me.yaml"
    answers.write_text("bladder_bowel: no\nage: 50\nsmoking: current\ndiabetes: no\nbmi: 25\ncondition: disc\n")
    s = session(*ASK, "--answers", str(answers))
    code = s.finish()
    assert code == 0, s.buffer[-3000:]
    out = s.buffer
    assert "\x1b[" in out, "no colour on a terminal"
    plain = ANSI.sub("", out)
    assert "Your options side by side" in plain
    assert any(ch in plain for ch in "╭┏"), "no panels: not the rich renderer"
    assert "THE DECISION" not in plain  # the text renderer's heading


def test_no_color_on_a_terminal_keeps_rich_without_colour(session, tmp_path):
    answers = tmp_path / "me.yaml"
    answers.write_text("bladder_bowel: no\nage: 50\nsmoking: never\ndiabetes: no\nbmi: 25\ncondition: disc\n")
    s = session(*ASK, "--answers", str(answers), "--no-color")
    code = s.finish()
    assert code == 0, s.buffer[-3000:]
    assert "Your options side by side" in s.buffer
    assert not re.search(r"\x1b\[[0-9;]*m", s.buffer), "colour despite --no-color"


def test_resuming_at_a_terminal_asks_the_optional_questions_not_yet_reached(session, tmp_path):
    # Every required answer is saved, but the optional height and weight were never reached:
    # a person at a terminal is asked them; a script (no terminal) would not be.
    saved = tmp_path / "me.yaml"
    saved.write_text("bladder_bowel: no\nage: 60\nsmoking: never\ndiabetes: no\ncondition: disc\n")
    s = session(*ASK, "--format", "text", "--answers", str(saved))
    s.expect("Height?")
    s.answer("180")
    s.expect("Weight?")
    s.answer("81")
    s.expect("Save your answers to a file")  # asked at the end, as --save-answers was not given
    s.expect("Type yes or no: ")
    s.send(b"no\r")
    code = s.finish()
    assert code == 0, s.buffer[-3000:]
    assert "25" in s.buffer  # BMI worked out from the two answers


def test_back_in_a_terminal_shows_the_previous_answer_and_keeps_it_on_enter(session):
    # Issue 21: 'back' shows what was answered, and Enter keeps it.
    s = session(*ASK, "--format", "json", stdout_pipe=True)
    s.answer("no")
    s.expect("How old are you?")
    s.answer("45")
    s.expect("Do you smoke?")
    s.answer("current")
    s.expect("Diabetes?")
    s.answer("back")
    s.expect("Do you smoke?")
    s.expect("Your answer was: Current. Press Enter to keep it, or type a new answer.")
    s.answer("")
    s.expect("Diabetes?")
    s.answer("back")
    s.expect("Your answer was: Current.")
    s.answer("back")
    s.expect("How old are you?")
    s.expect("Your answer was: 45.")
    s.answer("81")  # a new answer replaces it
    for line in ("current", "no", "170", "70", "disc"):
        s.answer(line)
    code = s.finish()
    assert code == 0, s.buffer[-3000:]
    report = json.loads(s.stdout_bytes.decode("utf-8"))
    assert (report["answers"]["age"], report["answers"]["smoking"]) == (81, "current")


def test_the_count_in_a_terminal_never_jumps_after_back(session, tmp_path):
    # Issue 21: resumed from saved answers, 'back' steps the count back one question and keeps
    # the total (on main: "Question 1 of 6" became "Question 1 of 7", then "1 of 8").
    saved = tmp_path / "me.yaml"
    saved.write_text("bladder_bowel: no\nage: 60\n")
    s = session(*ASK, "--format", "text", "--answers", str(saved))
    s.expect("Question 3 of 8")
    s.expect("Do you smoke?")
    s.answer("back")
    s.expect("Question 2 of 8")
    s.expect("Your answer was: 60.")
    s.answer("back")
    s.expect("Question 1 of 8")
    s.expect("Your answer was: No.")
    s.answer("")
    s.expect("Question 2 of 8")
    s.answer("")
    s.expect("Question 3 of 8")
    for line in ("never", "no", "170", "70", "disc"):
        s.answer(line)
    s.expect("Save your answers to a file")
    s.expect("Type yes or no: ")
    s.send(b"no\r")
    code = s.finish()
    assert code == 0, s.buffer[-3000:]
    shown = re.findall(r"Question \d+ of (\d+)", ANSI.sub("", s.buffer))
    assert set(shown) == {"8"}, shown


def test_the_deliberation_in_a_terminal(session, tmp_path):
    # Issue 21: the knowledge check before any answer is shown, the reasons to weigh ('skip'
    # leaves the rest of a part out), who else is involved and a plan with the person's own words.
    saved = tmp_path / "me.yaml"
    golden = (ROOT / "tests" / "golden" / "sciatica_early_young.answers.yaml").read_text()
    # the optional questions the report relies on are answered, so the interview goes to the deliberation
    saved.write_text(golden + '\nlives_alone: "no"\nblood_thinners: "no"\nopioids: "no"\n')
    s = session("ask", "--format", "json", "--answers", str(saved), stdout_pipe=True)
    s.expect("Check what you know")
    s.expect("For most people with sciatica, the pain gets better")
    s.answer("1")
    s.expect("After one year, people who had early surgery")
    s.answer("true")
    s.expect("Choosing care without surgery now means")
    s.answer("2")
    # which side the reason is on comes first, then the reason, then the question (patient review 2)
    s.expect("Here is a reason some people choose an operation. An operation eases leg pain sooner.")
    s.expect("How much does this reason matter to you, from 0 to 5 stars?")
    s.expect("skip (to skip this part)")
    s.answer("4")
    s.expect("Here is a reason some people choose care without surgery. Care without surgery has none of the")
    s.answer("skip")
    s.expect("Skipped: Weigh your reasons.")
    s.expect("Where are you leaning now?")
    s.answer("skip")
    s.expect("Who else is involved in this choice?")
    s.answer("1, 3")
    s.expect("Which option do the people involved prefer?")
    s.answer("4")
    s.expect("Do you feel that anyone is pushing you towards one choice?")
    s.answer("no")
    s.expect("What will you do next?")
    s.answer("4")
    s.expect("By what date do you want to decide?")
    s.answer("2099-01-31")
    s.expect("Do you have your own questions for the visit?")
    s.answer("Will it hurt <much>?")
    s.expect("Type another, or press Enter if that is all (1 of 5).")
    s.answer("")
    code = s.finish()
    assert code == 0, s.buffer[-3000:]
    assert "The answer is" not in s.buffer  # no right answer shown in the interview
    report = json.loads(s.stdout_bytes.decode("utf-8"))
    d = report["deliberation"]
    assert (d["quiz"]["right"], d["quiz"]["out_of"]) == (2, 3)
    assert [r["stars"] for r in d["weighing"]["reasons"] if r["stars"] is not None] == [4]
    assert d["weighing"]["result"] == "not_all_rated"
    assert d["support"] == {"involved": ["partner", "friend"], "prefers": "dont_know", "pressure": "no"}
    assert d["plan"]["steps"] == ["decide_by"] and d["plan"]["decide_by"] == "2099-01-31"
    assert d["plan"]["questions"] == ["Will it hurt <much>?"]


def test_at_the_end_of_the_questions_a_terminal_offers_to_save_the_answers(session, tmp_path):
    # Patient review (2026-12-01, second pass): the key points end with "add --detail full", but
    # nothing was saved, so seeing the whole report meant answering every question again. At the
    # end of the questions, without --save-answers, the person is asked once; yes writes an
    # owner-only file and says the command that shows everything; no writes nothing.
    for reply, name in (("yes", "mine.yaml"), ("no", None)):
        home = tmp_path / reply
        home.mkdir()
        s = session(*ASK, "--format", "text")
        for line in ("no", "60", "never", "no", "170", "70", "disc"):
            s.answer(line)
        s.expect("Save your answers to a file")
        s.expect("Type yes or no: ")
        s.send(reply.encode() + b"\r")
        if name:
            s.expect("Enter to save nothing): ")
            s.send(str(home / name).encode() + b"\r")
            s.expect("To see the whole report: spinedecide ask --answers")
        code = s.finish()
        assert code == 0, s.buffer[-3000:]
        saved = list(home.iterdir())
        if name is None:
            assert saved == []  # nothing written on no
            continue
        assert saved == [home / name] and os.stat(saved[0]).st_mode & 0o777 == 0o600
        again = subprocess.run(
            [sys.executable, "-m", "spinedecide", *ASK, "--answers", str(saved[0]), "--no-input", "--format", "json"],
            capture_output=True, text=True, env=_child_env(), check=False,
        )  # fmt: skip
        assert again.returncode == 0, again.stderr
        assert json.loads(again.stdout)["answers"]["age"] == 60
