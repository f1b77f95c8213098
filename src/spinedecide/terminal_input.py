"""Waiting for a person to type a line at a terminal, without losing a Ctrl-C.

Python runs a signal's handler only between two steps of Python code, and a read that has not
yet begun when the signal arrives is not interrupted by it. A Ctrl-C pressed in the instant
between the prompt appearing and the read beginning was therefore noticed only once the person
pressed Enter: the program seemed to ignore it. :func:`wait_for_line` waits in short steps
instead, so such a stop (Ctrl-C, SIGTERM or SIGHUP) is acted on within a fifth of a second.
"""

from __future__ import annotations

import os
from typing import Any

#: How long one step of the wait lasts, in seconds.
STEP = 0.2
#: Terminals once read in another mode (another program, say a pager, changed it): a line may
#: wait in Python's buffer from then on, unseen by ``select``, so they are read at once.
_not_line_by_line: set[int] = set()


def wait_for_line(stream: Any, step: float = STEP) -> None:
    """Return once ``stream`` has a line to read, waking every ``step`` seconds.

    Only for a terminal in its usual line-by-line mode on a POSIX system: there each read
    returns at most one line, so nothing waits unseen in Python's buffer. Anything else (a pipe,
    a file, a test's text stream, Windows) is read at once as before.
    """
    fd = _line_terminal(stream)
    if fd is None:
        return
    import select

    while not select.select([fd], [], [], step)[0]:
        pass  # a stop that came just before the wait is acted on here, between two steps


def _line_terminal(stream: Any) -> int | None:
    """The file descriptor of ``stream`` when it is a terminal in canonical (line) mode."""
    if os.name != "posix":
        return None
    import termios

    try:
        fd = int(stream.fileno())
        if not os.isatty(fd):
            return None
        canonical = bool(termios.tcgetattr(fd)[3] & termios.ICANON)
    except (AttributeError, OSError, ValueError, TypeError, termios.error):
        return None
    if not canonical:
        _not_line_by_line.add(fd)
    return fd if canonical and fd not in _not_line_by_line and fd < 1024 else None
