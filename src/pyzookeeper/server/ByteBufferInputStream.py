"""Mirrors org.apache.zookeeper.server.ByteBufferInputStream: a stream over a
received request body, and ``byteBuffer2Record`` that decodes a request record
from it.

A body here is an immutable ``bytes`` (or any buffer) with the stream keeping
its own position, where Java moves the ByteBuffer's. ``byteBuffer2Record``
decodes straight from the buffer, without a stream in between, and returns the
record as well.
"""

from __future__ import annotations

import io

from pyzookeeper.jute.BinaryInputArchive import BinaryInputArchive


class ByteBufferInputStream(io.RawIOBase):
    """Reads ``bb`` from its start; ``read`` answers b"" at the end."""

    def __init__(self, bb: bytes | bytearray | memoryview) -> None:
        super().__init__()
        self.bb = memoryview(bb).cast("B")
        self._position = 0

    def readable(self) -> bool:
        return True

    def available(self) -> int:
        """The bytes left to read."""
        return len(self.bb) - self._position

    def readinto(self, b) -> int:
        n = min(len(b), self.available())
        start = self._position
        b[:n] = self.bb[start:start + n]
        self._position = start + n
        return n

    def skip(self, n: int) -> int:
        """Moves past at most ``n`` bytes; the number skipped (0 for a negative ``n``)."""
        if n < 0:
            return 0
        n = min(n, self.available())
        self._position += n
        return n

    @staticmethod
    def byteBuffer2Record(bb: bytes | bytearray | memoryview, record):
        """Decodes ``record`` (tag "request") from a request body; the record."""
        record.deserialize(BinaryInputArchive.fromBytes(bb), "request")
        return record


byteBuffer2Record = ByteBufferInputStream.byteBuffer2Record
