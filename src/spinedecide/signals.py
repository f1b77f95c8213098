"""The signals that stop the program: Ctrl-C (SIGINT), SIGTERM, and SIGHUP (the terminal closed).

All three are treated alike. Before a command runs (start-up, argument parsing) there is
nothing to clean up, so the handlers ``__main__`` installs first thing end the program at once
with "Stopped." and exit 128 + the signal. While a command runs,
:func:`armed` turns each of them into ``KeyboardInterrupt``, so the same code that handles
Ctrl-C cleans up (temporary files, batch workers, saved answers) and the command's error
boundary ends with :func:`exit_code`: 130, 143 or 129.

Importing ``spinedecide`` as a library installs no handler; only the command line does.
"""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
from collections.abc import Iterator
from typing import Any

STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))

#: The signal that stopped the running command (None: none, or Ctrl-C raised by hand).
received: int | None = None
#: Inside :func:`deferred` (a file being written): a stop is recorded, then acted on at its end.
_holding = 0
_pending = False
#: A stop is waiting to be retried (``_retry``): it is acted on when the command ends, if not before.
_retrying = False
#: ``armed`` is putting the previous handlers back.
_closing = False


def _interrupt(signum: int, frame: Any) -> None:
    global received, _pending, _retrying
    if signum == getattr(signal, "SIGALRM", None):  # the retry below
        if received is None:
            return
        _retrying = False
    else:
        received = signum
    if _closing:  # the command is ending (``armed``): it raises the stop once its handlers are back
        _retrying = True
        return
    if _holding:
        # The signal reached the process just before it was blocked: Python runs this handler at
        # the next line, which may be between creating a temporary file and removing it.
        _pending = True
        return
    if _unsafe_here(frame) and hasattr(signal, "setitimer"):
        _retry()
        return
    raise KeyboardInterrupt


def _unsafe_here(frame: Any) -> bool:
    """Whether a KeyboardInterrupt raised in ``frame`` would escape the command's handling.

    Inside the import machinery (say, a module lock's weakref callback) it is "ignored" with a
    traceback printed, and the stop is lost. In a context manager's ``__exit__`` as the command
    ends (the ``with boundary(...)`` block) it is raised before the boundary can catch it, and
    Typer would end the program silently with exit 130 (a test caught both).
    """
    if frame is None:
        return False
    code = frame.f_code
    if code.co_filename.startswith("<frozen importlib"):
        return True
    return code.co_name in ("__exit__", "__enter__") and code.co_filename == contextlib.__file__


def _retry() -> None:
    """Try again shortly, once out of the place where raising is unsafe."""
    global _retrying
    _retrying = True
    signal.setitimer(signal.ITIMER_REAL, 0.002)


def _unraisable(info: Any, previous: Any) -> None:
    """A stop raised where Python cannot pass it on (a ``__del__``, a weakref callback) would be
    printed as "Exception ignored" and lost: instead, quietly try again shortly."""
    if isinstance(info.exc_value, KeyboardInterrupt) and received is not None and hasattr(signal, "setitimer"):
        _retry()
        return
    previous(info)


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def armed() -> Iterator[None]:
    """While a command runs: every stop signal raises KeyboardInterrupt (see the docstring)."""
    global received, _pending, _retrying, _closing
    received = None
    _pending = _retrying = _closing = False
    if not _main_thread():
        yield
        return
    handled = (*STOP_SIGNALS, signal.SIGALRM) if hasattr(signal, "SIGALRM") else STOP_SIGNALS
    previous = {number: signal.getsignal(number) for number in handled}
    previous_hook = sys.unraisablehook
    sys.unraisablehook = lambda info: _unraisable(info, previous_hook)
    for number in handled:
        signal.signal(number, _interrupt)
    try:
        yield
    finally:
        _closing = True  # from here a stop is kept, not raised: nothing can cut this short
        try:
            sys.unraisablehook = previous_hook
            if hasattr(signal, "setitimer"):
                signal.setitimer(signal.ITIMER_REAL, 0)
            _put_back(previous)
        finally:
            _closing = False
        # A stop not yet acted on: now, still inside the command's boundary, unless the command
        # is already ending with an error or a stop of its own (which says more, and whose exit
        # code ``received`` already holds).
        if _retrying and sys.exc_info()[1] is None:
            _retrying = False
            raise KeyboardInterrupt
        _retrying = False


def _put_back(previous: dict[int, Any]) -> None:
    """Every handler as it was, even when one put back runs at once and raises (a caller's own
    Ctrl-C handler, when spinedecide runs inside another program): that is raised at the end."""
    failure: BaseException | None = None
    for number, handler in previous.items():
        try:
            signal.signal(number, handler if handler is not None else signal.SIG_DFL)
        except BaseException as exc:  # noqa: BLE001  (raised again below, once all are back)
            failure = failure or exc
    if failure is not None:
        raise failure


def exit_code() -> int:
    """128 + the signal that stopped the command; 130 (Ctrl-C) when none was recorded."""
    return 128 + (received or signal.SIGINT)


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """Hold the stop signals back while a file is written, so that one arriving then is acted
    on afterwards, never halfway (a temporary file left behind)."""
    global _holding, _pending
    if not _main_thread() or not hasattr(signal, "pthread_sigmask"):
        yield
        return
    _holding += 1
    old = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)  # a signal held back runs its handler now
        _holding -= 1
        if not _holding and _pending:
            _pending = False
            raise KeyboardInterrupt


def for_worker() -> None:
    """A batch worker process: the parent handles every stop signal and ends its workers."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
