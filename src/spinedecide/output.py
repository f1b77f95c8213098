"""Writing safely: the standard streams, and files named with --output, --save-answers, rules init.

:class:`SafeStream` wraps standard output or standard error. It never lets a write fail with a
traceback: a full disk (``> /dev/full``), a closed stream (``>&-``) or an I/O error on standard
output becomes :class:`OutputError` (exit 2, one line on standard error); failures on standard
error are ignored, so a closed standard error never changes the exit code. Text that the stream's
encoding cannot carry (a Latin-1 or POSIX locale) is written as plain ASCII, the rendering
``TERM=dumb`` gets; JSON is always UTF-8 bytes.

:func:`write_file` writes a file the person named: a new or regular file atomically and
owner-only (:func:`terminal.write_private`); an existing character device or FIFO (``/dev/stdout``,
``/dev/null``, a named pipe) in place; a folder, socket or block device is refused, and so is a
symbolic link unless it leads to a regular file that could be written anyway, or to a character
device or FIFO.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path
from typing import Any

from .display import escape, json_utf8, to_ascii
from .errors import OutputError, UsageError


def _is_utf8(stream: Any) -> bool:
    import codecs

    try:
        return codecs.lookup(getattr(stream, "encoding", None) or "utf-8").name == "utf-8"
    except LookupError:
        return False


class SafeStream:
    """A standard stream that turns write failures into :class:`OutputError` (or ignores them)."""

    def __init__(
        self, stream: Any, name: str, *, escape_controls: bool, quiet: bool = False, ascii: bool = False
    ) -> None:
        self.stream = stream  # None when the stream was closed before the program started
        self.name = name
        self.escape_controls = escape_controls
        self.quiet = quiet  # standard error: a failure to show a message is not an error
        self.ascii = ascii or (stream is not None and not _is_utf8(stream))
        self.failed = False

    # What Rich, Click and our own code ask of a stream.
    @property
    def encoding(self) -> str:
        return "ascii" if self.ascii else "utf-8"

    def isatty(self) -> bool:
        with contextlib.suppress(AttributeError, ValueError, OSError):
            return bool(self.stream.isatty())
        return False

    def fileno(self) -> int:
        if self.stream is None:
            raise OSError(9, "closed")
        return int(self.stream.fileno())

    def write(self, text: str) -> int:
        """Text to show: unsafe characters escaped (standard output), ASCII where needed."""
        return self._text(escape(text) if self.escape_controls else text)

    def write_raw(self, text: str) -> int:
        """Styled text whose escape sequences are the program's own (Rich with colour)."""
        return self._text(text)

    def write_json(self, text: str) -> int:
        """JSON text: always UTF-8, unsafe characters as JSON escapes (the same data), checked on
        the bytes (``display.json_utf8``: the same bytes as ``escape(text).encode("utf-8")``)."""
        self.write_bytes(json_utf8(text))
        return len(text)

    def _text(self, text: str) -> int:
        shown = to_ascii(text) if self.ascii else text
        self.write_bytes(shown.encode("ascii" if self.ascii else "utf-8", "backslashreplace"))
        return len(text)

    def write_bytes(self, data: bytes | bytearray | memoryview) -> None:
        if self.failed:
            return
        try:
            if self.stream is None:
                raise OSError(9, "it is closed")
            buffer = getattr(self.stream, "buffer", None)
            if buffer is None:  # a text-only stream
                self.stream.write(bytes(data).decode("utf-8", "backslashreplace"))
            else:
                self.stream.flush()
                buffer.write(data)
                buffer.flush()
        except (OSError, ValueError) as exc:
            self._fail(exc)

    def flush(self) -> None:
        if self.stream is None or self.failed:
            return
        try:
            self.stream.flush()
        except (OSError, ValueError) as exc:
            self._fail(exc)

    def _fail(self, exc: BaseException) -> None:
        self.failed = True
        self._silence()
        if self.quiet:
            return
        if isinstance(exc, BrokenPipeError):
            raise exc  # the reader went away (`| head`): the boundary ends quietly
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else "it is closed"
        raise OutputError(f"cannot write to {self.name}: {why}") from None

    def _silence(self) -> None:
        """Point the stream at /dev/null, so that Python's own flush at exit cannot fail too."""
        with contextlib.suppress(OSError, ValueError, AttributeError, TypeError):
            fd = self.stream.fileno()
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, fd)
            os.close(null)


def write_json(stream: Any, text: str) -> None:
    """JSON to a stream: :meth:`SafeStream.write_json`, or plain ``write`` for a test's stream."""
    getattr(stream, "write_json", stream.write)(text)


def write_raw(stream: Any, text: str) -> None:
    getattr(stream, "write_raw", stream.write)(text)


# ---------------------------------------------------------------------------------------------
# Files


def _kind(mode: int) -> str | None:
    """Why a file of this mode cannot be written, or None when it can."""
    if stat.S_ISDIR(mode):
        return "this is a folder; give a file name"
    if stat.S_ISSOCK(mode):
        return "this is a socket, not a file"
    if stat.S_ISBLK(mode):
        return "this is a block device (a disk), not a file"
    return None


def check_target(path: Path, option: str) -> None:
    """Refuse early, before any question is asked, a target that :func:`write_file` would refuse."""
    try:
        link = os.lstat(path)
    except FileNotFoundError:
        link = None
    except OSError as exc:
        raise UsageError(f"{option} {escape(str(path))}: {exc.strerror}") from None
    if link is not None and stat.S_ISLNK(link.st_mode):
        try:
            info = os.stat(path)
        except OSError:
            raise UsageError(f"{option} {escape(str(path))}: a symbolic link to nothing; give a file name") from None
        if not (stat.S_ISREG(info.st_mode) or stat.S_ISCHR(info.st_mode) or stat.S_ISFIFO(info.st_mode)):
            raise UsageError(f"{option} {escape(str(path))}: a symbolic link to something that is not a file")
        if stat.S_ISREG(info.st_mode):
            real = Path(os.path.realpath(path))
            if not os.access(real, os.W_OK) or not os.access(real.parent, os.W_OK):
                raise UsageError(
                    f"{option} {escape(str(path))}: a symbolic link to {escape(str(real))}, "
                    "which cannot be written (permission denied)"
                )
        elif not os.access(path, os.W_OK):
            raise UsageError(f"{option} {escape(str(path))}: cannot write here (permission denied)")
        return
    if link is not None:
        why = _kind(link.st_mode)
        if why:
            raise UsageError(f"{option} {escape(str(path))}: {why}")
        if stat.S_ISCHR(link.st_mode) or stat.S_ISFIFO(link.st_mode):
            if not os.access(path, os.W_OK):
                raise UsageError(f"{option} {escape(str(path))}: cannot write here (permission denied)")
            return
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError(f"{option} {escape(str(path))}: the folder {escape(str(folder))} does not exist")
    if not os.access(folder, os.W_OK) or (link is not None and not os.access(path, os.W_OK)):
        raise UsageError(f"{option} {escape(str(path))}: cannot write here (permission denied)")


def write_file(path: Path, data: str | bytes, *, option: str, what: str) -> None:
    """Write ``data`` (text as UTF-8) to ``path`` as described in the module's docstring.

    ``what`` names the content in a message ("the report"). Any failure is an error with exit 2.
    """
    from .terminal import write_private

    payload = data.encode("utf-8") if isinstance(data, str) else data
    check_target(path, option)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise OutputError(f"cannot write {what} to {escape(str(path))}: {exc.strerror}") from None
    try:
        if info is not None and (stat.S_ISCHR(info.st_mode) or stat.S_ISFIFO(info.st_mode)):
            _write_in_place(path, payload)
        else:
            target = Path(os.path.realpath(path)) if os.path.islink(path) else path
            write_private(target, payload)
    except OSError as exc:
        raise OutputError(f"cannot write {what} to {escape(str(path))}: {exc.strerror}") from None


def _write_in_place(path: Path, payload: bytes) -> None:
    """A character device or FIFO: open it as it is (never replaced, never chmod-ed) and write."""
    fd = os.open(path, os.O_WRONLY | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0))
    try:
        view = memoryview(payload)
        while view:
            written = os.write(fd, view)
            view = view[written:]
    finally:
        os.close(fd)


def same_file(a: str | Path, b: str | Path) -> bool:
    """Whether two names are one regular file: the same device and inode (hard links count), or,
    for a file not written yet, the same real path."""
    try:
        sa, sb = os.stat(a), os.stat(b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)
    if not (stat.S_ISREG(sa.st_mode) and stat.S_ISREG(sb.st_mode)):
        return False
    return (sa.st_dev, sa.st_ino) == (sb.st_dev, sb.st_ino)
