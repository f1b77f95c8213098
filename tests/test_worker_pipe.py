"""A worker's result crosses the pipe as two messages (worker_pipe.py): read back whole, and a
worker that dies halfway through sending is an EOF, never a wait for ever."""

from __future__ import annotations

import multiprocessing
import pickle
import threading

import pytest

from spinedecide.batch import ChunkResult
from spinedecide.worker_pipe import Reader, Slots, send_result


def test_a_result_and_its_output_lines_arrive_whole():
    ours, theirs = multiprocessing.Pipe(duplex=True)
    lines = b"".join(b'{"line": %d, "x": "%s"}\n' % (n, b"y" * 5000) for n in range(700))  # 3.5 MB
    result = ChunkResult(b"", lines=700, reports=700, failed=[3])
    sender = threading.Thread(target=send_result, args=(theirs, result, lines))
    sender.start()  # a pipe holds far less than 3.5 MB: the reader must read while it is sent
    got, data = Reader(ours).result()
    sender.join()
    assert data == lines
    assert (got.lines, got.reports, got.failed, got.data) == (700, 700, [3], b"")


def test_a_small_result_with_no_lines_and_an_exception_arrive_too():
    ours, theirs = multiprocessing.Pipe(duplex=True)
    send_result(theirs, ValueError("bad rules"), b"")
    got, data = Reader(ours).result()
    assert isinstance(got, ValueError) and str(got) == "bad rules" and data == b""


def test_a_worker_gone_halfway_through_its_output_is_an_eof():
    ours, theirs = multiprocessing.Pipe(duplex=True)
    theirs.send_bytes(pickle.dumps((None, None)))  # a result, then the output's size and only part of it
    theirs._send(b"\x00\x00\x10\x00" + b"x" * 100)  # 4,096 bytes announced, 100 sent
    theirs.close()
    with pytest.raises(EOFError):
        Reader(ours).result()


def test_output_in_a_shared_slot_is_not_sent_through_the_pipe_and_reads_back_whole():
    ours, theirs = multiprocessing.Pipe(duplex=True)
    slots = Slots(2, size=1024)
    reader = Reader(ours, slots)
    send_result(theirs, "first", b"a" * 1000, slots, turn=0)
    send_result(theirs, "second", b"b" * 2000, slots, turn=1)  # too big for a slot: through the pipe
    first, data = reader.result()
    assert (first, bytes(data)) == ("first", b"a" * 1000) and isinstance(data, memoryview)
    assert reader.result() == ("second", bytearray(b"b" * 2000))
    send_result(theirs, "third", b"c" * 10, slots, turn=2)  # the first slot again, once it was read
    third, data = reader.result()
    assert (third, bytes(data)) == ("third", b"c" * 10)


def test_two_forked_workers_writing_through_shared_memory_give_the_same_output_as_one(tmp_path):
    import json
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from records import records

    from spinedecide import load_rules
    from spinedecide.batch import run

    ruleset = load_rules()
    text = "".join(json.dumps(r) + "\n" for r in records(ruleset, 600))  # 10 chunks: slots reused
    source = tmp_path / "people.jsonl"
    source.write_text(text, encoding="utf-8")

    def output(workers: int) -> bytes:
        got: list[bytes] = []  # a copy of each write: a slot's view is only good until it is reused
        with source.open("rb") as f:
            run(ruleset, f, lambda data: got.append(bytes(data)), name="people.jsonl", workers=workers)
        return b"".join(got)

    outputs = [output(1), output(2)]
    assert outputs[0] == outputs[1]
    assert outputs[0].count(b"\n") == 600


def test_a_result_that_cannot_be_read_stops_the_run_instead_of_waiting_for_ever():
    import queue

    from spinedecide.batch import _Workers

    ours, theirs = multiprocessing.Pipe(duplex=True)
    theirs.send_bytes(b"not a pickle")
    theirs.close()
    inbox: queue.SimpleQueue[object] = queue.SimpleQueue()
    _Workers._receive(ours, inbox, None)
    got = inbox.get(timeout=5)
    assert isinstance(got, Exception) and not isinstance(got, EOFError | OSError)
