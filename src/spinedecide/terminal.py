"""Streams, terminals, colour and private files. Nothing else asks sys.stdout.isatty()."""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, TextIO

from msgspec import Struct, field


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


class Env(Struct):
    """The program's environment: streams and what they are. Tests may build their own."""

    stdin: IO[str] = field(default_factory=lambda: sys.stdin)
    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)
    stdin_isatty: bool = False
    stdout_isatty: bool = False
    stderr_isatty: bool = False
    no_color_env: bool = False
    dumb: bool = False
    width: int = 80

    @classmethod
    def from_system(cls) -> Env:
        """The real streams, wrapped so that writing never fails with a traceback
        (``output.SafeStream``): plain ASCII where the encoding is not UTF-8 or TERM is dumb,
        and control characters escaped on standard output."""
        from .output import SafeStream

        dumb = os.environ.get("TERM") == "dumb"
        # The ignores below: a SafeStream has the methods of a TextIO that spinedecide uses
        # (write, flush, encoding, isatty, fileno), not the whole TextIO interface.
        return cls(
            stdin=sys.stdin,
            stdout=SafeStream(sys.stdout, "standard output", escape_controls=True, ascii=dumb),  # type: ignore[arg-type]
            stderr=SafeStream(sys.stderr, "standard error", escape_controls=False, quiet=True, ascii=dumb),  # type: ignore[arg-type]
            stdin_isatty=_isatty(sys.stdin),
            stdout_isatty=_isatty(sys.stdout),
            stderr_isatty=_isatty(sys.stderr),
            no_color_env="NO_COLOR" in os.environ and os.environ["NO_COLOR"] != "",
            dumb=dumb,
            width=shutil.get_terminal_size((80, 24)).columns,
        )

    @property
    def stdout_ascii(self) -> bool:
        """Whether reports on standard output are drawn in plain ASCII (TERM=dumb, or an
        encoding that cannot carry UTF-8)."""
        return self.dumb or bool(getattr(self.stdout, "ascii", False))

    @property
    def stderr_ascii(self) -> bool:
        return self.dumb or bool(getattr(self.stderr, "ascii", False))

    def color_for(self, isatty: bool, no_color_flag: bool) -> bool:
        return isatty and not no_color_flag and not self.no_color_env and not self.dumb


def write_private(path: str | Path, text: str | bytes, *, replace: bool = True) -> None:
    """Write a file atomically with owner-only permissions (0600); text is written as UTF-8.

    The text goes to a temporary file in the same folder, then replaces the target, so a
    crash or Ctrl-C never leaves a half-written file. Ctrl-C, SIGTERM and SIGHUP wait until the
    write is over (or undone), so a stop never leaves the temporary file behind either.

    With ``replace=False`` an existing target is never replaced, even one made a moment ago by
    another program: the finished file is linked into place (which fails if the name is taken)
    and :class:`FileExistsError` is raised.
    """
    import tempfile  # only when writing: most runs write nothing

    from .signals import deferred

    data = text.encode("utf-8") if isinstance(text, str) else text
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    with deferred():
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            if replace:
                os.replace(tmp, target)
            else:
                _link_new(tmp, target)
            os.chmod(target, 0o600)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise


def _link_new(tmp: str, target: Path) -> None:
    """Put ``tmp`` at ``target`` only if nothing is there (a hard link cannot replace a name)."""
    try:
        os.link(tmp, target, follow_symlinks=False)
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links: the name is claimed first, then filled
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600))
        os.replace(tmp, target)
        return
    os.unlink(tmp)


@contextlib.contextmanager
def open_input(env: Env, name: str, what: str) -> Iterator[tuple[IO[bytes], str, int | None]]:
    """Open a file named on the command line (``-`` is standard input) for reading bytes.

    Yields the stream, the name to show in messages, and the size when it is a regular file.
    A file that cannot be opened becomes a UsageError naming it (``what`` says what it should be).
    """
    import stat

    from .errors import UsageError

    if name == "-":
        stream = getattr(env.stdin, "buffer", None)
        if stream is None:
            import io

            stream = io.BytesIO(env.stdin.read().encode("utf-8"))
        yield stream, "<stdin>", None
        return
    try:
        handle = open(name, "rb")  # noqa: SIM115 - closed below
    except FileNotFoundError:
        raise UsageError(f"{name}: no such {what}") from None
    except IsADirectoryError:
        raise UsageError(f"{name}: this is a folder, not {'an' if what[0] in 'aeiou' else 'a'} {what}") from None
    except PermissionError:
        raise UsageError(f"{name}: permission denied") from None
    except OSError as exc:
        raise UsageError(f"{name}: cannot read it: {exc.strerror}") from None
    with handle:
        info = os.fstat(handle.fileno())
        yield handle, name, info.st_size if stat.S_ISREG(info.st_mode) else None
