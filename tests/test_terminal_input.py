"""A Ctrl-C that lands just before the interview starts reading a line is acted on at once.

Python runs a handler only between steps of Python code, and a read that has not begun is not
interrupted: the pseudo-terminal tests caught a Ctrl-C shown as ^C and then ignored until Enter.
The child here puts itself in that state for sure: the signal is taken by another thread while
the main thread waits to read, as a signal that came just before the read leaves it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest
from helpers import ROOT

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")

CHILD = textwrap.dedent(
    """
    import os, signal, sys, threading, time
    from spinedecide.interview import StreamPrompter

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, stop)
    asked = threading.Event()

    def press_ctrl_c():
        asked.wait()
        time.sleep(0.5)  # the main thread is waiting to read by now
        os.kill(os.getpid(), signal.SIGINT)  # taken by this thread: the main one blocks it

    threading.Thread(target=press_ctrl_c, daemon=True).start()
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    prompter = StreamPrompter(sys.stderr, sys.stdin)
    asked.set()
    try:
        prompter.ask("> ")
    except KeyboardInterrupt:
        print("stopped", flush=True)
    """
)


def _run_on_a_terminal(script: str, typed: bytes = b"") -> subprocess.CompletedProcess[str]:
    master, slave = os.openpty()
    try:
        if typed:
            os.write(master, typed)
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        return subprocess.run(
            [sys.executable, "-c", script], stdin=slave, capture_output=True, text=True, env=env, timeout=20
        )
    finally:
        os.close(slave)
        os.close(master)


def test_a_ctrl_c_the_read_did_not_see_still_stops_the_question():
    proc = _run_on_a_terminal(CHILD)
    assert proc.stdout == "stopped\n", proc.stderr


def test_a_typed_line_is_read_as_before():
    script = (
        "import sys\n"
        "from spinedecide.interview import StreamPrompter\n"
        "print(StreamPrompter(sys.stderr, sys.stdin).ask('> '))"
    )
    proc = _run_on_a_terminal(script, typed=b"45\n")
    assert proc.stdout == "45\n", proc.stderr


def test_a_terminal_once_read_in_another_mode_is_read_at_once_from_then_on():
    """After a read in non-canonical mode (a pager can leave the terminal so), a line may wait in
    Python's buffer where ``select`` cannot see it: waiting would then hang."""
    import termios

    from spinedecide import terminal_input

    master, slave = os.openpty()
    try:
        with open(slave, closefd=False) as terminal:
            assert terminal_input._line_terminal(terminal) == slave  # a fresh terminal: line by line
            mode = termios.tcgetattr(slave)
            raw = list(mode)
            raw[3] &= ~termios.ICANON
            termios.tcsetattr(slave, termios.TCSANOW, raw)
            assert terminal_input._line_terminal(terminal) is None
            termios.tcsetattr(slave, termios.TCSANOW, mode)
            assert terminal_input._line_terminal(terminal) is None  # still: something may be buffered
    finally:
        terminal_input._not_line_by_line.discard(slave)
        os.close(slave)
        os.close(master)
