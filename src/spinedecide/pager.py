"""Showing a long report through a pager on a terminal: ``$PAGER``, or ``less``.

The CLI decides when (a long rich or text report on a terminal, never piped, never with
--output, never urgent); this module only runs the pager. less keeps no search history
(``LESSHISTFILE=-``: a history would name what was searched) and runs in secure mode.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import signal
import subprocess
from collections.abc import Mapping

#: less's options when LESS is not set: quit if the report fits, keep colours, leave it on screen.
LESS_DEFAULT = "FRX"


def command(environ: Mapping[str, str]) -> list[str] | None:
    """The pager to run: ``$PAGER`` split like a shell would, ``less`` when unset, None when
    PAGER is set but empty (no pager)."""
    if "PAGER" in environ:
        try:
            words = shlex.split(environ["PAGER"])
        except ValueError:
            return None
        return words or None
    return ["less"]


def pager_environment(environ: Mapping[str, str]) -> dict[str, str]:
    env = dict(environ)
    env["LESSHISTFILE"] = "-"
    env["LESSSECURE"] = "1"
    env.setdefault("LESS", LESS_DEFAULT)
    return env


def too_long(text: str) -> bool:
    """Whether the text is taller than the terminal (standard output's, else 24 lines)."""
    return text.count("\n") > shutil.get_terminal_size((80, 24)).lines


def page(text: str, environ: Mapping[str, str] | None = None) -> bool:
    """Show ``text`` through the pager. False when there is no pager to run (the caller then
    writes it directly); True once the pager has ended, also when the person quit it early."""
    environ = os.environ if environ is None else environ
    argv = command(environ)
    if argv is None:
        return False
    try:
        proc = subprocess.Popen(argv, stdin=subprocess.PIPE, env=pager_environment(environ))
    except OSError:  # not installed, not executable: show the report directly
        return False
    # Ctrl-C belongs to the pager while it runs (less uses it to stop a search).
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        assert proc.stdin is not None
        with contextlib.suppress(BrokenPipeError, OSError):  # the person quit before the end
            proc.stdin.write(text.encode("utf-8", "backslashreplace"))
        with contextlib.suppress(BrokenPipeError, OSError):
            proc.stdin.close()
        proc.wait()
    finally:
        signal.signal(signal.SIGINT, previous)
    return True
