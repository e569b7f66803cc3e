"""Mirrors org.apache.jute.InputArchive: the interface records deserialize from."""

from __future__ import annotations

import struct

from pyzookeeper.jute.Index import Index


class InputArchive:
    """Abstract reader of jute primitives, vectors and nested records.

    ``readFixed`` is a Python-only addition, the reading twin of
    ``OutputArchive.writeFixed``.
    """

    __slots__ = ()

    def readByte(self, tag: str) -> int:
        raise NotImplementedError

    def readBool(self, tag: str) -> bool:
        raise NotImplementedError

    def readInt(self, tag: str) -> int:
        raise NotImplementedError

    def readLong(self, tag: str) -> int:
        raise NotImplementedError

    def readFloat(self, tag: str) -> float:
        raise NotImplementedError

    def readDouble(self, tag: str) -> float:
        raise NotImplementedError

    def readString(self, tag: str) -> str | None:
        raise NotImplementedError

    def readBuffer(self, tag: str) -> bytes | None:
        raise NotImplementedError

    def readRecord(self, r, tag: str) -> None:
        raise NotImplementedError

    def startRecord(self, tag: str) -> None:
        raise NotImplementedError

    def endRecord(self, tag: str) -> None:
        raise NotImplementedError

    def startVector(self, tag: str) -> Index | None:
        raise NotImplementedError

    def endVector(self, tag: str) -> None:
        raise NotImplementedError

    def startMap(self, tag: str) -> Index:
        raise NotImplementedError

    def endMap(self, tag: str) -> None:
        raise NotImplementedError

    def readFixed(self, st: struct.Struct) -> tuple:
        raise NotImplementedError
