"""Mirrors org.apache.jute.OutputArchive: the interface records serialize to."""

from __future__ import annotations

import struct


class OutputArchive:
    """Abstract writer of jute primitives, vectors and nested records.

    ``writeFixed`` is a Python-only addition: generated records write runs of
    fixed-width fields (byte, boolean, int, long) through one precompiled
    ``struct.Struct``; the default implementation writes them one by one.
    """

    __slots__ = ()

    def writeByte(self, b: int, tag: str) -> None:
        raise NotImplementedError

    def writeBool(self, b: bool, tag: str) -> None:
        raise NotImplementedError

    def writeInt(self, i: int, tag: str) -> None:
        raise NotImplementedError

    def writeLong(self, i: int, tag: str) -> None:
        raise NotImplementedError

    def writeFloat(self, f: float, tag: str) -> None:
        raise NotImplementedError

    def writeDouble(self, d: float, tag: str) -> None:
        raise NotImplementedError

    def writeString(self, s: str | None, tag: str) -> None:
        raise NotImplementedError

    def writeBuffer(self, buf: bytes | None, tag: str) -> None:
        raise NotImplementedError

    def writeRecord(self, r, tag: str) -> None:
        raise NotImplementedError

    def startRecord(self, r, tag: str) -> None:
        raise NotImplementedError

    def endRecord(self, r, tag: str) -> None:
        raise NotImplementedError

    def startVector(self, v: list | None, tag: str) -> None:
        raise NotImplementedError

    def endVector(self, v: list | None, tag: str) -> None:
        raise NotImplementedError

    def startMap(self, v: dict, tag: str) -> None:
        raise NotImplementedError

    def endMap(self, v: dict, tag: str) -> None:
        raise NotImplementedError

    def writeFixed(self, st: struct.Struct, values: tuple, tags: tuple[str, ...]) -> None:
        writers = {
            "b": self.writeByte,
            "?": self.writeBool,
            "i": self.writeInt,
            "q": self.writeLong,
        }
        for code, value, tag in zip(st.format[1:], values, tags):
            writers[code](value, tag)
