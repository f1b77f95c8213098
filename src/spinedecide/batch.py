"""Batch mode: JSON Lines of answers in, one compact JSON report (or error) per line out.

``spinedecide batch FILE`` reads one JSON object of answers per line and writes, for each input
line and in the same order, one line: the report (exactly ``report.to_dict()``, encoded straight
from its structs) or, for a line that cannot be assessed, an error object in its place::

    {"line": 3, "error": "answers_error", "message": "...", "problems": [{field, file, line, message}]}

So output line N always belongs to input line N. A blank line is an error too (JSON Lines has
no blank records), which keeps that correspondence. Memory stays constant however long the
input: lines are read, assessed and written in small chunks, with a bounded number in flight.
With several workers the chunks go to a process pool (rules loaded once per worker) and come
back in order.

No Typer here; ``cli.batch`` wires this to the command line. Rich is imported only when a
progress bar is shown (standard error is a terminal).
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any, cast

import msgspec
from msgspec import Struct, field
from msgspec.structs import replace

from ._json import TooLong, parse_int
from ._lines import MAX_DIGITS
from .answers import MAX_ANSWERS, MAX_ANSWERS_BYTES
from .display import UNSAFE, escape, json_utf8, json_utf8_bytes
from .engine import assess
from .errors import AnswersError, ExitCode, Problem, RulesError, SpinedecideError, UsageError, WorkerStopped
from .handouts import NAME_KEY, DiskFull, Folder, Handout, Spec, name_problem, prepare_folder, render_document
from .memo import memo_for
from .render.json import encode as encode_report
from .report import Report
from .rules import Ruleset, load_rules
from .worker_pipe import Reader, Slots, send_result

#: The longest line accepted (the same limit as an answers file). Longer lines are skipped
#: without being held in memory and reported as errors.
MAX_LINE_BYTES = MAX_ANSWERS_BYTES
#: Lines handed to a worker at a time, and chunks in flight per worker (bounds memory).
CHUNK_LINES = 64
IN_FLIGHT_PER_WORKER = 4
#: How many failed line numbers the summary lists.
SUMMARY_LINES = 10

_TOO_LONG = None  # marker in place of a line's bytes

_encoder = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def dumps(data: Any) -> str:
    """One compact JSON line (no newline): the form of every batch output line.

    Control characters, bidirectional controls and lone surrogates from the input (say, in an
    unknown key echoed by an error) are written as JSON escapes: the same data, safe to show,
    and always encodable as UTF-8."""
    return escape(_encoder.encode(data))


def dumps_utf8(data: Any) -> bytes:
    """:func:`dumps` as UTF-8 bytes (what batch writes), without a second pass over the text."""
    return json_utf8(_encoder.encode(data))


def report_line(report: Report, checked: bool = False) -> bytes:
    """A report's line: its structs encoded as they are by msgspec, then the same byte-level
    check as :func:`dumps_utf8` (the same bytes as ``dumps_utf8(report.to_dict())``).

    ``checked``: every text the report holds is known to be safe to show (see :func:`checked`),
    so the byte-level check, which reads all 50 KB, would find nothing and is skipped."""
    try:
        raw = encode_report(report)
    except UnicodeEncodeError:  # a lone surrogate from the input: the standard library writes it escaped
        return dumps_utf8(msgspec.to_builtins(report))
    return raw if checked else json_utf8_bytes(raw)


def checked(ruleset: Ruleset, answers: Mapping[str, Any]) -> bool:
    """Whether a report made from these rules and these validated answers can hold no character
    that :func:`report_line`'s check escapes. Its texts come from the rules (checked once per
    ruleset here, and refused at load) and from the answers: a choice is one of the rules' ids
    and a number is a number, so only the answers typed as text are searched (one search over
    them all); everything else is words the program writes."""
    memo = memo_for(ruleset)
    if not memo.get("safe_text", "", lambda: _safe_rules(ruleset)):
        return False
    free = memo.get(
        "free_text",
        "",
        lambda: tuple(f.id for f in ruleset.factors.values() if f.type not in ("choice", "integer", "number")),
    )
    texts = []
    for key in free:
        value = answers.get(key)
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, list | tuple) and all(isinstance(item, str) for item in value):
            texts += value
        elif value is not None:
            return False  # an answer of some other kind: check the bytes
    return UNSAFE.search("\n".join(texts)) is None


def _safe_rules(ruleset: Ruleset) -> bool:
    try:
        raw = msgspec.json.encode(ruleset)
    except (UnicodeEncodeError, TypeError):
        return False
    return json_utf8_bytes(raw) is raw


# ---------------------------------------------------------------------------------------------
# One line


class _Duplicate(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def _pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(items)
    if len(out) != len(items):
        seen: set[str] = set()
        for key, _value in items:
            if key in seen:
                raise _Duplicate(key)
            seen.add(key)
    return out


def parse_line(data: bytes | str | None, line: int, name: str) -> Mapping[str, Any]:
    """One input line to a mapping of answers, or :class:`AnswersError` naming the line.

    The reserved key ``_file`` (``handouts.NAME_KEY``: a handout's file name) is checked and left
    out, so a line with it gives the same report as without it."""
    return parse_record(data, line, name)[0]


def parse_record(data: bytes | str | None, line: int, name: str) -> tuple[dict[str, Any], str | None]:
    """One input line to its answers and the file name it chose (``_file``), if any."""

    def fail(message: str, field: str | None = None) -> AnswersError:
        return AnswersError([Problem(message, field=field, file=name, line=line)])

    if data is _TOO_LONG:
        raise fail(f"the line is too long (over {MAX_LINE_BYTES:,} bytes)")
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig" if line == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            raise fail(f"the line is not UTF-8 text (byte {exc.start + 1} cannot be read)") from None
    else:
        text = data
    text = text.rstrip("\r\n")  # the line's own end is not part of the record
    if not text.strip():
        raise fail('blank line; expected one JSON object of answers, e.g. {"age": 67, ...}')
    try:
        document = json.loads(text, object_pairs_hook=_pairs, parse_int=parse_int)
    except TooLong as exc:
        raise fail(f"a number with {exc.digits:,} digits is too large (at most {MAX_DIGITS})") from None
    except json.JSONDecodeError as exc:
        raise fail(f"not valid JSON: {exc.msg} (column {exc.colno})") from None
    except _Duplicate as exc:
        raise fail(f"duplicate key {exc.key!r}", field=exc.key) from None
    except RecursionError:
        raise fail("the JSON is nested too deeply") from None
    if not isinstance(document, dict):
        kind = "a list" if isinstance(document, list) else "a single value"
        raise fail(f'expected a JSON object of answers (e.g. {{"age": 67, ...}}), not {kind}')
    if len(document) > MAX_ANSWERS:
        raise fail(f"too many answers: {len(document):,}, at most {MAX_ANSWERS:,}")
    if NAME_KEY not in document:
        return document, None
    chosen = document.pop(NAME_KEY)
    problem = name_problem(chosen)
    if problem is not None:
        raise fail(f"the file name {problem}", field=NAME_KEY)
    return document, chosen


def error_record(line: int, exc: AnswersError, name: str) -> dict[str, Any]:
    """The error object written in place of a line's report."""
    problems = [replace(p, file=p.file or name, line=p.line or line) for p in exc.problems]
    data = AnswersError(problems, heading=exc.heading).to_dict()
    return {"line": line, **data}


def internal_error_record(line: int, exc: BaseException) -> dict[str, Any]:
    return {"line": line, "error": "internal_error", "message": f"{type(exc).__name__}: {exc}", "problems": []}


# ---------------------------------------------------------------------------------------------
# Chunks


class ChunkResult(Struct):
    data: bytes | bytearray | memoryview  # the output lines, UTF-8, each ending in a newline
    lines: int = 0
    reports: int = 0
    urgent: int = 0
    failed: list[int] = field(default_factory=list)  # input line numbers
    internal: int = 0
    size: int = 0  # input bytes consumed
    handouts: list[Handout] = field(default_factory=list)  # with --out-dir: every line, in order, instead of data


def process_chunk(
    ruleset: Ruleset,
    name: str,
    chunk: list[tuple[int, bytes | None]],
    fhir_time: str | None = None,
    spec: Spec | None = None,
) -> ChunkResult:
    """Assess a chunk of (line number, line bytes); never raises for a bad line.

    With ``fhir_time`` each report is written as a FHIR document Bundle made at that time. With
    ``spec`` (``--out-dir``) each line becomes a :class:`Handout` (its document, or its error
    line) in ``result.handouts`` for the parent to write, and ``result.data`` stays empty."""
    out: list[bytes] = []
    result = ChunkResult(b"", lines=len(chunk))
    for line, data in chunk:
        result.size += len(data) if data is not None else MAX_LINE_BYTES
        try:
            answers, chosen = parse_record(data, line, name)
            report = assess(ruleset, answers)
            document = render_document(ruleset, report, spec, fhir_time) if spec is not None else b""
        except AnswersError as exc:
            _failed(result, out, spec, line, dumps_utf8(error_record(line, exc, name)))
            continue
        except Exception as exc:  # a bug: reported in place, the run goes on, exit 1 at the end
            _failed(result, out, spec, line, dumps_utf8(internal_error_record(line, exc)))
            result.internal += 1
            continue
        if spec is not None:
            result.handouts.append(Handout(line, name=chosen, document=document, urgent=bool(report.urgent_reasons)))
        else:
            out.append(
                report_line(report, checked(ruleset, report.answers))
                if fhir_time is None
                else _bundle_line(ruleset, report, fhir_time)
            )
        result.reports += 1
        result.urgent += bool(report.urgent_reasons)
    out.append(b"")
    result.data = b"\n".join(out) if spec is None else b""
    return result


def _failed(result: ChunkResult, out: list[bytes], spec: Spec | None, line: int, record: bytes) -> None:
    """An error line in place of the report (or of the handout)."""
    if spec is None:
        out.append(record)
    else:
        result.handouts.append(Handout(line, error=record))
    result.failed.append(line)


def _bundle_line(ruleset: Ruleset, report: Any, when: str) -> bytes:
    from .fhir.document import bundle_json

    return json_utf8(bundle_json(ruleset, report, when=when))


def read_lines(stream: IO[bytes]) -> Iterator[tuple[int, bytes | None]]:
    """(line number, bytes) for each line; a too-long line is drained and given as None."""
    number = 0
    while True:
        data = stream.readline(MAX_LINE_BYTES + 1)
        if not data:
            return
        number += 1
        if len(data) > MAX_LINE_BYTES:
            while not data.endswith(b"\n"):
                data = stream.readline(64 * 1024)
                if not data:
                    break
            yield number, _TOO_LONG
        else:
            yield number, data


def chunked(lines: Iterable[tuple[int, bytes | None]], size: int) -> Iterator[list[tuple[int, bytes | None]]]:
    chunk: list[tuple[int, bytes | None]] = []
    for item in lines:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# ---------------------------------------------------------------------------------------------
# Workers
#
# Each worker process has a pipe of its own. Chunks go out round-robin (a thread per worker sends
# them, so the main thread only reads) and results are read back in input order: worker k % N
# holds chunk k and answers its chunks in order. A pipe of its own is what lets a dead worker be
# noticed: when a worker is killed (the out-of-memory killer, an administrator), even halfway
# through sending a result, reading its pipe ends with EOF; with a shared result pipe
# (multiprocessing.Pool, ProcessPoolExecutor) the reader can wait for ever for the rest of that
# result. A worker whose parent dies (killed outright) notices within a second and exits.

_worker_state: tuple[Ruleset, str, str | None, Spec | None] | BaseException | None = None
_STOP = b""  # sent to a worker instead of a chunk: no more work


def _init_worker(
    rules_file: str | None, sha256: str, name: str, fhir_time: str | None = None, spec: Spec | None = None
) -> None:
    """Load the rules once per worker (inherited as-is when forked)."""
    from .signals import for_worker

    global _worker_state
    for_worker()  # Ctrl-C, SIGTERM, SIGHUP are the parent's to handle: it ends its workers
    state = _worker_state
    if isinstance(state, tuple) and state[0].sha256 == sha256:
        return
    try:
        ruleset = load_rules(rules_file)
        if ruleset.sha256 != sha256:
            raise RulesError(
                [
                    Problem(
                        "the rules file changed while the batch was starting; run it again",
                        file=str(rules_file or "factors.yaml (shipped)"),
                    )
                ]
            )
        _worker_state = (ruleset, name, fhir_time, spec)
    except BaseException as exc:  # noqa: BLE001 - reported with the first chunk's result
        _worker_state = exc


def _work(chunk: list[tuple[int, bytes | None]]) -> ChunkResult:
    state = _worker_state
    if isinstance(state, SpinedecideError):
        raise state  # the same message and exit code as in the parent
    if not isinstance(state, tuple):
        raise RuntimeError(f"a worker could not load the rules: {state!r}")
    return process_chunk(state[0], state[1], chunk, state[2], state[3])


def _worker_main(
    conn: Any,
    parent_end: Any,
    rules_file: str | None,
    sha256: str,
    name: str,
    fhir_time: str | None = None,
    spec: Spec | None = None,
    slots: Slots | None = None,
) -> None:
    """A worker process: chunks in, results (or the exception) out, until told to stop."""
    import os
    import pickle

    # Close this process's copy of the parent's end, so that if the parent dies, a result being
    # sent fails instead of waiting for a reader that will never come.
    parent_end.close()
    parent = os.getppid()
    _init_worker(rules_file, sha256, name, fhir_time, spec)
    turn = 0  # this worker's chunks so far: each result's slot (worker_pipe.Slots)
    while True:
        try:
            if not conn.poll(1.0):
                if os.getppid() != parent:  # the parent was killed: nobody will read our results
                    return
                continue
            data = conn.recv_bytes()
        except (EOFError, OSError):  # the parent has gone
            return
        if data == _STOP:
            return
        try:
            result: Any = _work(pickle.loads(data))
        except Exception as exc:  # noqa: BLE001 - raised again in the parent
            result = exc
        lines: bytes | bytearray | memoryview = b""
        if isinstance(result, ChunkResult):
            lines, result.data = result.data, b""
        send_result(conn, result, lines, slots, turn)  # the output lines apart, never pickled (worker_pipe.py)
        turn += 1


class _Workers:
    """N worker processes, each with its own pipe, a sending thread and a receiving thread.

    The receiving thread reads each result as soon as it is ready, so a worker that is ahead
    never waits, stuck halfway through sending a result, until the parent has had the result of
    a slower worker's chunk before it (results are taken in input order from the inboxes)."""

    def __init__(
        self,
        count: int,
        rules_file: str | None,
        sha256: str,
        name: str,
        fhir_time: str | None = None,
        spec: Spec | None = None,
    ) -> None:
        import multiprocessing
        import queue
        import threading

        ctx = multiprocessing.get_context()
        self.processes: list[Any] = []
        self.conns: list[Any] = []
        self.outboxes: list[queue.SimpleQueue[bytes]] = []
        self.inboxes: list[queue.SimpleQueue[tuple[Any, bytearray | memoryview] | BaseException | None]] = []
        self.receivers: list[threading.Thread] = []
        # Shared memory for the output only where workers are forked (it is inherited, not sent).
        shared = ctx.get_start_method() == "fork"
        self.slots = [Slots(IN_FLIGHT_PER_WORKER) if shared else None for _ in range(count)]
        for slots in self.slots:  # every process first: forking once threads run is unsafe
            ours, theirs = ctx.Pipe(duplex=True)
            process = ctx.Process(
                target=_worker_main,
                args=(theirs, ours, rules_file, sha256, name, fhir_time, spec, slots),
                daemon=True,
            )
            process.start()
            theirs.close()  # only the worker holds its end: its death is an EOF here
            self.processes.append(process)
            self.conns.append(ours)
        for conn, slots in zip(self.conns, self.slots, strict=True):
            outbox: queue.SimpleQueue[bytes] = queue.SimpleQueue()
            threading.Thread(target=self._send, args=(conn, outbox), daemon=True).start()
            self.outboxes.append(outbox)
            inbox: queue.SimpleQueue[tuple[Any, bytearray | memoryview] | BaseException | None] = queue.SimpleQueue()
            receiver = threading.Thread(target=self._receive, args=(conn, inbox, slots), daemon=True)
            receiver.start()
            self.receivers.append(receiver)
            self.inboxes.append(inbox)

    @staticmethod
    def _send(conn: Any, outbox: Any) -> None:
        while True:
            data = outbox.get()
            try:
                conn.send_bytes(data)
            except OSError:  # the worker has gone; reading its result says so
                return
            if data == _STOP:
                return

    @staticmethod
    def _receive(conn: Any, inbox: Any, slots: Slots | None) -> None:
        try:
            reader = Reader(conn, slots)
            while True:
                inbox.put(reader.result())
        except (EOFError, OSError):  # the worker has gone (EOF even halfway through a result)
            inbox.put(None)
        except BaseException as exc:  # noqa: BLE001 - anything else stops the run with it, never a wait for ever
            inbox.put(exc)

    def submit(self, index: int, chunk: list[tuple[int, bytes | None]]) -> None:
        import pickle

        self.outboxes[index % len(self.conns)].put(pickle.dumps(chunk, protocol=pickle.HIGHEST_PROTOCOL))

    def result(self, index: int) -> ChunkResult:
        got = self.inboxes[index % len(self.conns)].get()
        if got is None:
            raise _WorkerGone
        if isinstance(got, BaseException):
            raise got
        result, lines = got
        if isinstance(result, BaseException):
            raise result
        assert isinstance(result, ChunkResult)
        result.data = lines  # written as it is, before the result that may reuse its slot is taken
        return result

    def close(self, *, finished: bool) -> None:
        """Stop the workers: let them finish when the run did, else end them at once."""
        for outbox in self.outboxes:
            outbox.put(_STOP)
        for process in self.processes:
            if not finished:
                process.kill()
            process.join()
        for receiver in self.receivers:  # each ends at its worker's end of file: then no thread reads a closed pipe
            receiver.join(timeout=5)
        for conn in self.conns:
            conn.close()


class _WorkerGone(Exception):
    pass


def run(
    ruleset: Ruleset,
    source: IO[bytes],
    write: Callable[[bytes | bytearray | memoryview], Any],
    *,
    name: str,
    rules_file: str | Path | None = None,
    workers: int = 1,
    on_chunk: Callable[[ChunkResult], None] | None = None,
    chunk_lines: int = CHUNK_LINES,
    fhir_time: str | None = None,
    spec: Spec | None = None,
    deliver: Callable[[ChunkResult], None] | None = None,
) -> Summary:
    """Assess every line of ``source``, writing the output lines in input order with ``write``.

    ``write`` gets a buffer (bytes, or with forked workers a view of memory shared with them)
    that is good only while the call lasts: write it, or copy it (``bytes(data)``) to keep it.

    With ``spec`` (handouts) each chunk's results go to ``deliver`` instead, in input order."""
    summary = Summary()

    def emit(result: ChunkResult) -> None:
        if deliver is None:
            write(result.data)
        else:
            deliver(result)
        summary.add(result)
        if on_chunk is not None:
            on_chunk(result)

    chunks = chunked(read_lines(source), chunk_lines)
    if workers <= 1:
        for chunk in chunks:
            emit(process_chunk(ruleset, name, chunk, fhir_time, spec))
        return summary

    global _worker_state
    _worker_state = (ruleset, name, fhir_time, spec)  # forked workers inherit it; others load the file
    pool = _Workers(workers, str(rules_file) if rules_file is not None else None, ruleset.sha256, name, fhir_time, spec)
    finished = False
    try:
        sent = received = 0
        limit = workers * IN_FLIGHT_PER_WORKER
        for chunk in chunks:
            pool.submit(sent, chunk)
            sent += 1
            if sent - received >= limit:
                emit(pool.result(received))
                received += 1
        while received < sent:
            emit(pool.result(received))
            received += 1
        finished = True
    except _WorkerGone:
        # Say where the output stops, so that the rest can be run again from there.
        raise WorkerStopped(
            "a worker process stopped before the run finished (was it killed, or out of memory?). "
            f"The output is complete for input lines 1 to {summary.lines:,}; run the rest again."
        ) from None
    finally:
        pool.close(finished=finished)
        _worker_state = None
    return summary


# ---------------------------------------------------------------------------------------------
# Summary


class Summary(Struct):
    lines: int = 0
    reports: int = 0
    urgent: int = 0
    errors: int = 0
    internal: int = 0
    failed: list[int] = field(default_factory=list)  # the first SUMMARY_LINES failed lines

    def add(self, result: ChunkResult) -> None:
        self.lines += result.lines
        self.reports += result.reports
        self.urgent += result.urgent
        self.errors += len(result.failed)
        self.internal += result.internal
        room = SUMMARY_LINES - len(self.failed)
        if room > 0:
            self.failed.extend(result.failed[:room])

    @property
    def exit_code(self) -> int:
        if self.internal:
            return ExitCode.INTERNAL
        return ExitCode.BAD_INPUT if self.errors else ExitCode.OK

    def text(self, where: str | None = None) -> str:
        """``spinedecide batch: 5 lines: 3 reports (1 urgent), 2 errors (lines 2, 4).``; ``where``
        (``3 files written in handouts``) is added after a semicolon."""
        words = (
            f"{_n(self.lines, 'line')}: {_n(self.reports, 'report')} ({self.urgent:,} urgent), "
            f"{_n(self.errors, 'error')}"
        )
        if self.failed:
            listed = ", ".join(f"{n:,}" for n in self.failed)
            more = self.errors - len(self.failed)
            words += f" (line{'s' if self.errors != 1 else ''} {listed}{f' and {more:,} more' if more else ''})"
        if self.internal:
            words += f"; {self.internal:,} of the errors are internal errors (a bug, not something in the input)"
        if where:
            words += f"; {where}"
        return f"spinedecide batch: {words}."


def _n(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


# ---------------------------------------------------------------------------------------------
# The command (called by cli.batch inside its error boundary)


def run_command(
    env: Any,
    file: str,
    *,
    workers: int,
    rules_file: Path | None,
    fmt: str = "json",
    out_dir: Path | None = None,
    force: bool = False,
    detail: str | None = None,
) -> int:
    """``spinedecide batch FILE``: returns the exit code (0 all lines OK, 2 some failed, 1 a bug).

    With ``out_dir``, one file per line (see :mod:`spinedecide.handouts`) and a status record per
    line on standard output."""
    workers = _worker_count(workers)
    spec = _spec(fmt, out_dir, force, detail)
    ruleset = load_rules(rules_file)
    fhir_time = None
    if fmt == "fhir":  # one time for the whole run, so that the output is the same for any --workers
        from .fhir.document import document_time

        fhir_time = document_time()
    with _open_input(env, file) as (source, name, total):
        write = _stdout_writer(env)
        folder = None
        if spec is not None and out_dir is not None:  # only now: nothing is made unless the run can start
            folder = _folder(env, out_dir, spec, force, [file, rules_file])
        with _progress(env, total) as on_chunk:
            summary = run(
                ruleset,
                source,
                write,
                name=name,
                rules_file=rules_file,
                workers=workers,
                on_chunk=on_chunk,
                fhir_time=fhir_time,
                spec=spec,
                deliver=_deliver(folder, write) if folder is not None else None,
            )
        env.stdout.flush()
    with contextlib.suppress(OSError, ValueError):
        where = None if folder is None else f"{_n(folder.written, 'file')} written in {escape(str(folder.path))}"
        env.stderr.write(summary.text(where) + "\n")
        env.stderr.flush()
    return int(summary.exit_code)


def _worker_count(workers: int) -> int:
    if workers < 0:
        raise UsageError(f"--workers must be 0 (one per CPU) or more, not {workers}")
    if workers == 0:
        return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return workers


def _spec(fmt: str, out_dir: Path | None, force: bool, detail: str | None) -> Spec | None:
    """What each handout is, or None for JSON Lines on standard output; bad combinations refused."""
    human = fmt not in ("json", "fhir")
    if out_dir is None:
        if human:
            raise UsageError(f"--format {fmt} writes one file per line: give --out-dir DIR (a folder for them)")
        if force:
            raise UsageError("--force is for --out-dir (it replaces files already there)")
    if detail is not None and not human:
        raise UsageError("--detail is for the handouts in text, markdown, html or note; JSON and FHIR hold everything")
    if out_dir is None:
        return None
    return Spec(fmt, detail or "full")


def _stdout_writer(env: Any) -> Callable[[bytes | bytearray | memoryview], Any]:
    out = getattr(env.stdout, "write_bytes", None) or getattr(getattr(env.stdout, "buffer", None), "write", None)
    if out is not None:  # output.SafeStream: UTF-8 whatever the locale; a full disk is exit 2
        env.stdout.flush()
        return cast(Callable[[bytes | bytearray | memoryview], Any], out)

    def write(data: bytes | bytearray | memoryview) -> None:  # a text-only stream (tests)
        env.stdout.write(bytes(data).decode("utf-8"))

    return write


def _folder(env: Any, out_dir: Path, spec: Spec, force: bool, inputs: list[str | Path | None]) -> Folder:
    path, note = prepare_folder(out_dir)
    if note is not None:
        with contextlib.suppress(OSError, ValueError):
            env.stderr.write(note + "\n")
    return Folder(path, spec, force=force, protect=[p for p in inputs if p is not None and str(p) != "-"])


def _deliver(folder: Folder, write: Callable[[bytes], Any]) -> Callable[[ChunkResult], None]:
    """Write a chunk's handouts in input order; each line's status (or error) record to standard
    output, flushed even when the disk fills up halfway through the chunk."""

    from .signals import deferred

    def deliver(result: ChunkResult) -> None:
        out: list[bytes] = []
        try:
            for item in result.handouts:
                if item.error:
                    out.append(item.error)
                    continue
                with deferred():  # a Ctrl-C waits until the file's status record is kept too
                    try:
                        record = folder.write(item)
                    except DiskFull as exc:
                        out.append(dumps_utf8({"line": item.line, **exc.to_dict()}))
                        raise
                    out.append(dumps_utf8(record))
                if "error" in record:  # the file could not be written: this line failed after all
                    result.failed.append(item.line)
                    result.reports -= 1
                    result.urgent -= item.urgent
        finally:
            if out:
                write(b"\n".join(out) + b"\n")
        result.failed.sort()

    return deliver


def _open_input(env: Any, file: str) -> Any:
    from .terminal import open_input

    return open_input(env, file, "JSON Lines file")


@contextlib.contextmanager
def _progress(env: Any, total: int | None) -> Iterator[Callable[[ChunkResult], None] | None]:
    """A Rich progress bar on standard error, only when it is a terminal."""
    if not getattr(env, "stderr_isatty", False):
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    console = Console(file=env.stderr, no_color=getattr(env, "no_color_env", False))
    columns: list[Any] = [SpinnerColumn(), TextColumn("{task.description}")]
    if total:
        columns += [BarColumn(), TextColumn("{task.percentage:>3.0f}%"), TimeRemainingColumn()]
    columns.append(TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("0 lines", total=total)
        counts = [0, 0]

        def on_chunk(result: ChunkResult) -> None:
            counts[0] += result.lines
            counts[1] += len(result.failed)
            progress.update(task, advance=result.size, description=f"{counts[0]:,} lines, {counts[1]:,} errors")

        yield on_chunk
