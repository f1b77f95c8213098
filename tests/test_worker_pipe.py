"""A worker's result crosses the pipe as two messages (worker_pipe.py): read back whole, and a
worker that dies halfway through sending is an EOF, never a wait for ever."""

from __future__ import annotations

import multiprocessing
import threading

import pytest

from spinedecide.batch import ChunkResult
from spinedecide.worker_pipe import Reader, send_result


def test_a_result_and_its_output_lines_arrive_whole():
    ours, theirs = multiprocessing.Pipe(duplex=True)
    lines = b"".join(b'{"line": %d, "x": "%s"}\n' % (n, b"y" * 5000) for n in range(700))  # 3.5 MB
    result = ChunkResult(b"", lines=700, reports=700, failed=[3])
    sender = threading.Thread(target=send_result, args=(theirs, result, lines))
    sender.start()  # a pipe holds far less than 3.5 MB: the reader must read while it is sent
    got, data = Reader(ours.fileno()).result()
    sender.join()
    assert data == lines
    assert (got.lines, got.reports, got.failed, got.data) == (700, 700, [3], b"")


def test_a_small_result_with_no_lines_and_an_exception_arrive_too():
    ours, theirs = multiprocessing.Pipe(duplex=True)
    send_result(theirs, ValueError("bad rules"), b"")
    got, data = Reader(ours.fileno()).result()
    assert isinstance(got, ValueError) and str(got) == "bad rules" and data == b""


def test_a_worker_gone_halfway_through_its_output_is_an_eof():
    ours, theirs = multiprocessing.Pipe(duplex=True)
    theirs.send_bytes(b"\x80\x05N.")  # a pickled None, then the output's size and only part of it
    theirs._send(b"\x00\x00\x10\x00" + b"x" * 100)  # 4,096 bytes announced, 100 sent
    theirs.close()
    with pytest.raises(EOFError):
        Reader(ours.fileno()).result()
