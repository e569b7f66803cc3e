"""Mirrors org.apache.jute.BinaryOutputArchive: big-endian jute encoding.

Deliberate differences: with no stream the archive collects bytes in memory
(``getvalue()``), standing in for Java's ``ByteArrayOutputStream``; and
``writeFixed`` packs a run of fixed-width fields in one ``struct`` call.
"""

from __future__ import annotations

import struct
from typing import BinaryIO

from pyzookeeper.jute.OutputArchive import OutputArchive

_BYTE = struct.Struct(">b")
_BOOL = struct.Struct(">?")
_INT = struct.Struct(">i")
_LONG = struct.Struct(">q")
_FLOAT = struct.Struct(">f")
_DOUBLE = struct.Struct(">d")
_MINUS_ONE = _INT.pack(-1)


def _surrogate_pair(ch: str) -> str:
    code = ord(ch) - 0x10000
    return chr(0xD800 | (code >> 10)) + chr(0xDC00 | (code & 0x3FF))


def stringToBytes(s: str) -> bytes:
    """Jute's text encoding: UTF-8, except that characters outside the BMP are
    written as two 3-byte surrogate sequences (CESU-8), as Java's writer does."""
    try:
        data = s.encode("utf-8")
    except UnicodeEncodeError:
        # lone surrogates: Java writes each UTF-16 unit as 3 bytes
        data = s.encode("utf-8", "surrogatepass")
    if len(data) == len(s):
        return data
    if any(b >= 0xF0 for b in data):
        text = "".join(_surrogate_pair(c) if c > "\uffff" else c for c in s)
        return text.encode("utf-8", "surrogatepass")
    return data


class BinaryOutputArchive(OutputArchive):
    """Writes jute records to a binary stream, or to memory when none is given."""

    __slots__ = ("_out", "_buf", "_write")

    def __init__(self, out: BinaryIO | None = None) -> None:
        self._out = out
        if out is None:
            self._buf = bytearray()
            self._write = self._buf.extend
        else:
            self._buf = None
            self._write = out.write

    @staticmethod
    def getArchive(strm: BinaryIO | None = None) -> "BinaryOutputArchive":
        return BinaryOutputArchive(strm)

    def getvalue(self) -> bytes:
        """The bytes written so far (in-memory archives only)."""
        return bytes(self._buf)

    def buffer(self) -> bytearray:
        """The in-memory buffer itself, without a copy."""
        return self._buf

    def writeByte(self, b: int, tag: str) -> None:
        self._write(_BYTE.pack(b))

    def writeBool(self, b: bool, tag: str) -> None:
        self._write(b"\x01" if b else b"\x00")

    def writeInt(self, i: int, tag: str) -> None:
        self._write(_INT.pack(i))

    def writeLong(self, i: int, tag: str) -> None:
        self._write(_LONG.pack(i))

    def writeFloat(self, f: float, tag: str) -> None:
        self._write(_FLOAT.pack(f))

    def writeDouble(self, d: float, tag: str) -> None:
        self._write(_DOUBLE.pack(d))

    def writeString(self, s: str | None, tag: str) -> None:
        if s is None:
            self._write(_MINUS_ONE)
            return
        data = stringToBytes(s)
        self._write(_INT.pack(len(data)) + data)

    def writeBuffer(self, buf: bytes | None, tag: str) -> None:
        if buf is None:
            self._write(_MINUS_ONE)
            return
        self._write(_INT.pack(len(buf)))
        self._write(buf)

    def writeRecord(self, r, tag: str) -> None:
        r.serialize(self, tag)

    def startRecord(self, r, tag: str) -> None:
        pass

    def endRecord(self, r, tag: str) -> None:
        pass

    def startVector(self, v: list | None, tag: str) -> None:
        self._write(_MINUS_ONE if v is None else _INT.pack(len(v)))

    def endVector(self, v: list | None, tag: str) -> None:
        pass

    def startMap(self, v: dict, tag: str) -> None:
        self._write(_INT.pack(len(v)))

    def endMap(self, v: dict, tag: str) -> None:
        pass

    def writeFixed(self, st: struct.Struct, values: tuple, tags: tuple[str, ...]) -> None:
        self._write(st.pack(*values))
