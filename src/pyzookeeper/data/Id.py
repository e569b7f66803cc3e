"""Mirrors org.apache.zookeeper.data.Id.

Generated from jute/records.jute by tools/jute_compiler.py; do not edit.
"""

from __future__ import annotations

from pyzookeeper.jute.Record import Record


class Id(Record):
    __slots__ = ("scheme", "id")
    _fields = ("scheme", "id")

    def __init__(self, scheme: str | None = None, id: str | None = None) -> None:
        self.scheme = scheme
        self.id = id

    def serialize(self, a_, tag: str) -> None:
        a_.startRecord(self, tag)
        a_.writeString(self.scheme, "scheme")
        a_.writeString(self.id, "id")
        a_.endRecord(self, tag)

    def deserialize(self, a_, tag: str) -> None:
        a_.startRecord(tag)
        self.scheme = a_.readString("scheme")
        self.id = a_.readString("id")
        a_.endRecord(tag)

    def _values(self) -> tuple:
        return (self.scheme, self.id)

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        if type(other) is not type(self):
            return NotImplemented
        return (self.scheme, self.id) == (other.scheme, other.id)

    __hash__ = Record.__hash__
