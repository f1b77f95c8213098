"""A batch worker's results, sent to the parent with as few copies of the output as possible.

A chunk's output is about 3.5 MB (64 reports of some 54 KB). Pickled inside its result it was
copied by ``pickle.dumps`` in the worker, then by ``Connection.recv_bytes`` (which gathers the
pipe's pieces in a BytesIO and copies them out) and by ``pickle.loads`` in the parent, whose
one core is shared with the workers: on two cores that held ``--workers 2`` back. Here the
result goes as two messages, the small pickled rest of it and then the output as it is, and the
parent reads each message straight into one buffer of its size, which it writes as it is.

The messages use ``multiprocessing.connection``'s framing (a 4-byte big-endian size, or -1 and
an 8-byte size), so the worker sends them with ``Connection.send_bytes``, which writes a large
buffer without copying it.
"""

from __future__ import annotations

import io
import pickle
import struct
from typing import Any

_SIZE = struct.Struct("!i")
_LONG_SIZE = struct.Struct("!Q")


def send_result(conn: Any, result: Any, data: bytes | bytearray) -> None:
    """From the worker: ``result`` (its output lines left out) pickled, then ``data`` as it is."""
    conn.send_bytes(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    conn.send_bytes(data)


class Reader:
    """The parent's end: whole messages, each read into a buffer of its own size."""

    def __init__(self, fd: int) -> None:
        self._file = io.FileIO(fd, "rb", closefd=False)

    def result(self) -> tuple[Any, bytearray]:
        """The next (result, output lines); EOFError when the worker has gone, even halfway."""
        head = self.message()
        return pickle.loads(head), self.message()

    def message(self) -> bytearray:
        (size,) = _SIZE.unpack(self._exactly(_SIZE.size))
        if size == -1:
            (size,) = _LONG_SIZE.unpack(self._exactly(_LONG_SIZE.size))
        return self._exactly(size)

    def _exactly(self, size: int) -> bytearray:
        buffer = bytearray(size)
        view = memoryview(buffer)
        got = 0
        while got < size:
            n = self._file.readinto(view[got:])
            if not n:
                raise EOFError("the worker's pipe closed")
            got += n
        return buffer
