"""Mirrors org.apache.jute.ToStringOutputArchive: the text form of records'
``toString()``, which the log dumpers print."""

from __future__ import annotations

import struct
from typing import TextIO

from pyzookeeper.jute.OutputArchive import OutputArchive

_ESCAPES = {"\0": "%00", "\n": "%0A", "\r": "%0D", ",": "%2C", "}": "%7D", "%": "%25"}
_ESCAPE_TABLE = str.maketrans(_ESCAPES)


def _escapeString(s: str | None) -> str:
    if s is None:
        return ""
    return "'" + s.translate(_ESCAPE_TABLE)


def _escapeBuffer(buf: bytes | None) -> str:
    if not buf:
        return ""
    # Integer.toHexString of a signed byte: 0x80..0xff print as ffffff80..ffffffff
    return "#" + "".join(format(b, "x") if b < 0x80 else "ffffff" + format(b, "x") for b in buf)


class ToStringOutputArchive(OutputArchive):
    """Writes records as Java's CSV-like ``toString()`` text."""

    __slots__ = ("_stream", "_isFirst")

    def __init__(self, out: TextIO) -> None:
        self._stream = out
        self._isFirst = True

    def _printCommaUnlessFirst(self) -> None:
        if not self._isFirst:
            self._stream.write(",")
        self._isFirst = False

    def writeByte(self, b: int, tag: str) -> None:
        self.writeLong(b, tag)

    def writeBool(self, b: bool, tag: str) -> None:
        self._printCommaUnlessFirst()
        self._stream.write("T" if b else "F")

    def writeInt(self, i: int, tag: str) -> None:
        self.writeLong(i, tag)

    def writeLong(self, i: int, tag: str) -> None:
        self._printCommaUnlessFirst()
        self._stream.write(str(i))

    def writeFloat(self, f: float, tag: str) -> None:
        self.writeDouble(f, tag)

    def writeDouble(self, d: float, tag: str) -> None:
        self._printCommaUnlessFirst()
        self._stream.write(repr(float(d)))

    def writeString(self, s: str | None, tag: str) -> None:
        self._printCommaUnlessFirst()
        self._stream.write(_escapeString(s))

    def writeBuffer(self, buf: bytes | None, tag: str) -> None:
        self._printCommaUnlessFirst()
        self._stream.write(_escapeBuffer(buf))

    def writeRecord(self, r, tag: str) -> None:
        if r is None:
            return
        r.serialize(self, tag)

    def startRecord(self, r, tag: str) -> None:
        if tag:
            self._printCommaUnlessFirst()
            self._stream.write("s{")
            self._isFirst = True

    def endRecord(self, r, tag: str) -> None:
        if not tag:
            self._stream.write("\n")
            self._isFirst = True
        else:
            self._stream.write("}")
            self._isFirst = False

    def startVector(self, v: list | None, tag: str) -> None:
        self._printCommaUnlessFirst()
        self._stream.write("v{")
        self._isFirst = True

    def endVector(self, v: list | None, tag: str) -> None:
        self._stream.write("}")
        self._isFirst = False

    def startMap(self, v: dict, tag: str) -> None:
        self._printCommaUnlessFirst()
        self._stream.write("m{")
        self._isFirst = True

    def endMap(self, v: dict, tag: str) -> None:
        self._stream.write("}")
        self._isFirst = False

    def writeFixed(self, st: struct.Struct, values: tuple, tags: tuple[str, ...]) -> None:
        for code, value, tag in zip(st.format[1:], values, tags):
            if code == "?":
                self.writeBool(value, tag)
            else:
                self.writeLong(value, tag)
