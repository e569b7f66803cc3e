"""Mirrors org.apache.zookeeper.server.ByteBufferOutputStream: a stream that
appends to a buffer, and ``record2ByteBuffer`` that writes a record into it.

The buffer is a ``bytearray`` that grows as written, where Java's ByteBuffer
has a fixed capacity and overflows.
"""

from __future__ import annotations

import io

from pyzookeeper.jute.BinaryOutputArchive import BinaryOutputArchive


class ByteBufferOutputStream(io.RawIOBase):
    """Appends every write to ``bb``."""

    def __init__(self, bb: bytearray) -> None:
        super().__init__()
        self.bb = bb

    def writable(self) -> bool:
        return True

    def write(self, b) -> int:
        if isinstance(b, int):
            self.bb.append(b & 0xFF)
            return 1
        self.bb += b
        return len(b)

    @staticmethod
    def record2ByteBuffer(record, bb: bytearray) -> None:
        """Serializes ``record`` (tag "request") at the end of ``bb``."""
        record.serialize(BinaryOutputArchive.getArchive(ByteBufferOutputStream(bb)), "request")


record2ByteBuffer = ByteBufferOutputStream.record2ByteBuffer
