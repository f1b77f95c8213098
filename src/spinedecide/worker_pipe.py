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

Where workers are forked (Linux), each also has :class:`Slots`: memory shared with the parent,
made before the fork and never named (nothing in /dev/shm to leak if a process is killed). The
worker copies a chunk's output into the slot of its turn and sends only where it is; the parent
writes it from there, so the output never crosses the pipe at all. A slot is reused only after
the parent has written what it held: a worker has at most ``count`` chunks in flight (the
parent sends a worker's next chunk only after writing the one ``count`` before it). Output too
big for a slot goes through the pipe as above.
"""

from __future__ import annotations

import io
import mmap
import os
import pickle
import struct
from typing import Any

_SIZE = struct.Struct("!i")
_LONG_SIZE = struct.Struct("!Q")


#: Each slot's size: a chunk's output is about 3.5 MB (more with long lines or FHIR bundles).
SLOT_BYTES = 16 * 1024 * 1024


class Slots:
    """``count`` slots of shared memory for one worker's output (anonymous: inherited by a forked
    worker, gone with the last process that maps it; only the pages written are ever used)."""

    def __init__(self, count: int, size: int = SLOT_BYTES) -> None:
        self.count = count
        self.size = size
        self.memory = mmap.mmap(-1, count * size)  # MAP_SHARED | MAP_ANONYMOUS

    def put(self, turn: int, data: bytes | bytearray | memoryview) -> tuple[int, int] | None:
        """Copy ``data`` into the slot of this ``turn``: (slot, length), or None if it is too big."""
        if len(data) > self.size:
            return None
        slot = turn % self.count
        start = slot * self.size
        self.memory[start : start + len(data)] = data
        return slot, len(data)

    def view(self, slot: int, length: int) -> memoryview:
        start = slot * self.size
        return memoryview(self.memory)[start : start + length]


def send_result(
    conn: Any, result: Any, data: bytes | bytearray | memoryview, slots: Slots | None = None, turn: int = 0
) -> None:
    """From the worker: ``result`` (its output lines left out) and where its lines are, pickled;
    then the lines themselves, unless they went into the shared slot of this ``turn``."""
    where = slots.put(turn, data) if slots is not None and data else None
    conn.send_bytes(pickle.dumps((result, where), protocol=pickle.HIGHEST_PROTOCOL))
    conn.send_bytes(b"" if where is not None else data)


class Reader:
    """The parent's end: whole messages, each read into a buffer of its own size."""

    def __init__(self, conn: Any, slots: Slots | None = None) -> None:
        # On POSIX the connection's descriptor is read directly; elsewhere (a Windows handle is
        # not a descriptor) through the connection itself, one copy more.
        self._conn = conn
        self._file = io.FileIO(conn.fileno(), "rb", closefd=False) if os.name == "posix" else None
        self._slots = slots

    def result(self) -> tuple[Any, bytearray | memoryview]:
        """The next (result, output lines); EOFError when the worker has gone, even halfway.
        Lines in a shared slot are a view of it: write them before asking for the result that
        comes ``count`` turns later, which may reuse the slot."""
        result, where = pickle.loads(self.message())
        data = self.message()
        if where is not None:
            if self._slots is None:
                raise EOFError("a worker wrote to shared memory the parent does not have")
            return result, self._slots.view(*where)
        return result, data

    def message(self) -> bytearray:
        if self._file is None:
            return bytearray(self._conn.recv_bytes())
        (size,) = _SIZE.unpack(self._exactly(_SIZE.size))
        if size == -1:
            (size,) = _LONG_SIZE.unpack(self._exactly(_LONG_SIZE.size))
        return self._exactly(size)

    def _exactly(self, size: int) -> bytearray:
        assert self._file is not None
        buffer = bytearray(size)
        view = memoryview(buffer)
        got = 0
        while got < size:
            n = self._file.readinto(view[got:])
            if not n:
                raise EOFError("the worker's pipe closed")
            got += n
        return buffer
