"""Mirrors org.apache.jute.Record: a type that jute archives can write and read.

The record classes are generated from ``records.jute`` by ``tools/jute_compiler.py``.
Java's generated getters and setters become plain attributes; ``toString()``
keeps the Java text form (``ToStringOutputArchive``) and ``repr()`` a readable one.
"""

from __future__ import annotations

import io


class Record:
    """Base of every jute record."""

    __slots__ = ()
    _fields: tuple[str, ...] = ()

    def serialize(self, archive, tag: str) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def deserialize(self, archive, tag: str) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def _values(self) -> tuple:
        return tuple(getattr(self, f) for f in self._fields)

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        if type(other) is not type(self):
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash((type(self).__name__,) + tuple(_hashable(v) for v in self._values()))

    def __repr__(self) -> str:
        body = ", ".join(f"{f}={getattr(self, f)!r}" for f in self._fields)
        return f"{type(self).__name__}({body})"

    def toString(self) -> str:
        """The Java ``toString()`` text (CSV-like, ending with a newline)."""
        from pyzookeeper.jute.ToStringOutputArchive import ToStringOutputArchive

        out = io.StringIO()
        self.serialize(ToStringOutputArchive(out), "")
        return out.getvalue()

    __str__ = toString

    def toByteArray(self) -> bytes:
        """The record serialized by a BinaryOutputArchive (Python-only helper)."""
        from pyzookeeper.jute.BinaryOutputArchive import BinaryOutputArchive

        archive = BinaryOutputArchive()
        self.serialize(archive, "")
        return archive.getvalue()

    @classmethod
    def fromByteArray(cls, data, tag: str = ""):
        """A new record deserialized from ``data`` (Python-only helper)."""
        from pyzookeeper.jute.BinaryInputArchive import BinaryInputArchive

        record = cls()
        record.deserialize(BinaryInputArchive(data), tag)
        return record


def _hashable(value):
    if isinstance(value, list):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, bytearray):
        return bytes(value)
    return value
