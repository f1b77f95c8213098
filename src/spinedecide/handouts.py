"""Handouts: ``spinedecide batch FILE --format html --out-dir DIR`` writes one file per line.

Each file holds exactly what ``spinedecide ask --answers LINE --format FORMAT --output FILE``
would write for that line. Standard output gets one JSON status record per input line, in input
order: ``{"line": N, "file": "DIR/line-000001.html", "urgent": false}`` for a file written, or the
batch error record (``batch.error_record``) in its place. Its schema: ``spinedecide schema
batch-status``.

The pieces, in the order a run meets them:

- :func:`prepare_folder`: the folder is made owner-only (0700) when it does not exist; an existing
  one is used only if it is the person's own and nobody else can write in it.
- :func:`name_problem` (in the worker that reads the line): a name from the reserved key
  :data:`NAME_KEY` must be a plain file name.
- :func:`render_document` (in the worker): the report in the chosen format, as bytes.
- :class:`Folder` (in the parent, in input order): the file's name, a check against every name
  already used in this run and already in the folder (ignoring case), and the atomic owner-only
  write, which never replaces a file unless ``--force`` was given. A disk that is full (or
  read-only, or failing) stops the run: :class:`DiskFull`, exit 2, saying which lines were
  written.
"""

from __future__ import annotations

import errno
import io
import os
import stat
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from msgspec import Struct

from .display import UNSAFE, escape
from .errors import OutputError, Problem, UsageError

#: The reserved key a batch line may carry to name its file (``{"_file": "smith-j", ...}``). A
#: question id starts with a letter (``rules/shape.py``), so it can never clash with this key; the
#: key is taken out of the line before the answers are checked, so the report is the same.
NAME_KEY = "_file"
#: The longest name (before the extension), in characters and in UTF-8 bytes (file systems allow
#: 255 bytes, and the temporary file adds a dot, 8 random characters and ``.tmp``).
MAX_NAME_CHARS = 100
MAX_NAME_BYTES = 200
#: Line numbers in file names are at least this many digits (``line-000001``), so that the files
#: sort in input order up to 999,999 lines; longer inputs go on with more digits.
LINE_DIGITS = 6
#: Each format's extension.
EXTENSIONS = {"html": ".html", "markdown": ".md", "text": ".txt", "note": ".txt", "json": ".json", "fhir": ".json"}
#: Characters a file name may not hold: path separators, and what Windows refuses (so that the
#: folder can be copied to a shared drive or a memory stick).
_FORBIDDEN = set('/\\:*?"<>|')
#: Errors that every later file would meet too: the run stops instead of failing line by line.
_FATAL = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EIO, errno.EFBIG}


class DiskFull(OutputError):
    """The folder cannot take more files (full, read-only, failing): the run stops here."""


class Handout(Struct):
    """One line's outcome, from the worker to the parent: an error line, or a document."""

    line: int
    error: bytes = b""  # the error record's JSON line (UTF-8), when the line gave no report
    name: str | None = None  # from NAME_KEY, already checked by name_problem
    document: bytes = b""
    urgent: bool = False


class Spec(Struct, frozen=True):
    """What each handout is: the format and how much of the report (``--detail``)."""

    format: str
    detail: str = "full"


def name_problem(value: Any) -> str | None:
    """Why ``value`` cannot name a file (a message), or None when it can."""
    if not isinstance(value, str):
        return "must be text: the file's name, without a folder or extension"
    if not value.strip():
        return "is empty; give the file's name, or leave the key out to name it by line number"
    if len(value) > MAX_NAME_CHARS or len(value.encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES:
        return f"is too long (at most {MAX_NAME_CHARS} characters)"
    if UNSAFE.search(value):
        return "holds a control character; give a plain name"
    bad = sorted(_FORBIDDEN.intersection(value))
    if bad:
        return f"may not hold {' '.join(bad)} (a name, not a path)"
    if value.startswith(".") or ".." in value:
        return "may not start with a dot or hold '..'"
    if value != value.strip() or value.endswith("."):
        return "may not start or end with a space, or end with a dot"
    return None


def file_name(spec: Spec, line: int, name: str | None) -> str:
    """``line-000001.html``, or the chosen name with the format's extension (added unless the name
    already ends with it)."""
    extension = EXTENSIONS[spec.format]
    if name is None:
        return f"line-{line:0{LINE_DIGITS}d}{extension}"
    return name if name.lower().endswith(extension) else name + extension


def same_name(name: str) -> str:
    """The form in which two names are the same file on many systems (case and Unicode form)."""
    return unicodedata.normalize("NFC", name).casefold()


def render_document(ruleset: Any, report: Any, spec: Spec, fhir_time: str | None) -> bytes:
    """The report as ``ask --format FORMAT --output FILE`` writes it."""
    from .render import render

    buffer = io.StringIO()
    if spec.format == "fhir":
        from .fhir.document import renderer

        renderer(ruleset, when=fhir_time)(report, "fhir", buffer)
    else:
        render(report, spec.format, buffer, color=False, width=100, detail=spec.detail)
    return escape(buffer.getvalue()).encode("utf-8")


def prepare_folder(path: Path) -> tuple[Path, str | None]:
    """The folder to write in, made owner-only if new; and a note when others can list it.

    An existing folder is refused (a :class:`UsageError`, before anything is written) unless it
    belongs to the person running the command and nobody else can write in it: someone who can
    write there could put a link or a file of their own in place of a handout."""
    shown = escape(str(path))
    try:
        os.mkdir(path, 0o700)
    except FileExistsError:
        pass
    except FileNotFoundError:
        raise UsageError(f"--out-dir {shown}: the folder that should hold it does not exist") from None
    except OSError as exc:
        raise UsageError(f"--out-dir {shown}: cannot make the folder: {exc.strerror}") from None
    else:
        os.chmod(path, 0o700)  # whatever the umask
        return path, None
    try:
        info = os.stat(path)
    except OSError as exc:
        raise UsageError(f"--out-dir {shown}: {exc.strerror}") from None
    if not stat.S_ISDIR(info.st_mode):
        raise UsageError(f"--out-dir {shown}: this is not a folder")
    if info.st_uid != os.geteuid():
        raise UsageError(f"--out-dir {shown}: the folder belongs to another user; give a folder of your own")
    if info.st_mode & 0o022:
        raise UsageError(
            f"--out-dir {shown}: others can write in this folder; make it yours alone (chmod go-w) or give a new one"
        )
    if not os.access(path, os.W_OK | os.X_OK):
        raise UsageError(f"--out-dir {shown}: cannot write in this folder (permission denied)")
    note = None
    if info.st_mode & 0o044:
        note = f"note: others can see the names of the files in {shown} (not what they hold); chmod 700 it to hide them"
    return path, note


def _identity(path: str | Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


class Folder:
    """Writes the handouts, in input order, and makes each line's status record."""

    def __init__(self, path: Path, spec: Spec, *, force: bool, protect: Sequence[str | Path] = ()) -> None:
        self.path = path
        self.spec = spec
        self.force = force
        self.protected = {_identity(p) for p in protect} - {None}  # the input and rules files: never replaced
        self.used: dict[str, str] = {}  # same_name -> the name, for this run's files
        self.existing = {same_name(entry): entry for entry in os.listdir(path)}
        self.written = 0
        self.last_written = 0  # the input line of the last file written

    def write(self, item: Handout) -> dict[str, Any]:
        """Write one handout; the status record, or an error record for this line.

        Raises :class:`DiskFull` when no later file could be written either."""
        name = file_name(self.spec, item.line, item.name)
        target = self.path / name
        field = NAME_KEY if item.name is not None else None
        problem = self._clash(name)
        if problem is None:
            problem = self._store(target, item)
        if problem is not None:  # the batch error record, as for a line that cannot be assessed
            return {"line": item.line, **OutputError([Problem(problem, field=field, file=str(target))]).to_dict()}
        self.used[same_name(name)] = name
        self.written += 1
        self.last_written = item.line
        return {"line": item.line, "file": str(target), "urgent": item.urgent}

    def _clash(self, name: str) -> str | None:
        key = same_name(name)
        if key in self.used:
            return f"another line of this run already wrote {self.used[key]} (names that differ only in case clash)"
        existing = self.existing.get(key)
        if existing is not None and existing != name:
            return f"the folder already holds {existing}, which differs only in case; rename one of them"
        if existing is not None and not self.force:
            return "the file already exists; give --force to replace it"
        if existing is not None and _identity(self.path / name) in self.protected:
            return "this is the batch's own input or rules file; it is never replaced"
        return None

    def _store(self, target: Path, item: Handout) -> str | None:
        from .terminal import write_private

        try:
            write_private(target, item.document, replace=self.force)
        except FileExistsError:
            return "the file already exists; give --force to replace it"
        except OSError as exc:
            if exc.errno in _FATAL:
                raise DiskFull(self._stopped(target, item.line, exc)) from None
            return f"cannot write the file: {exc.strerror}"
        return None

    def _stopped(self, target: Path, line: int, exc: OSError) -> str:
        done = (
            f"The files for the lines before it are complete ({self.written:,} written, the last for line "
            f"{self.last_written:,}; the status records on standard output name each one)"
            if self.written
            else "No file was written"
        )
        return (
            f"cannot write {escape(str(target))} (line {line:,}): {exc.strerror}. The run stopped there. {done}; "
            f"nothing from line {line:,} on was written. Make room, then run it again with --force (or on the "
            "lines from here on)."
        )
