"""Mirrors org.apache.zookeeper.proto.SetMaxChildrenRequest.

Generated from jute/records.jute by tools/jute_compiler.py; do not edit.
"""

from __future__ import annotations

from pyzookeeper.jute.Record import Record


class SetMaxChildrenRequest(Record):
    __slots__ = ("path", "max")
    _fields = ("path", "max")

    def __init__(self, path: str | None = None, max: int = 0) -> None:
        self.path = path
        self.max = max

    def serialize(self, a_, tag: str) -> None:
        a_.startRecord(self, tag)
        a_.writeString(self.path, "path")
        a_.writeInt(self.max, "max")
        a_.endRecord(self, tag)

    def deserialize(self, a_, tag: str) -> None:
        a_.startRecord(tag)
        self.path = a_.readString("path")
        self.max = a_.readInt("max")
        a_.endRecord(tag)

    def _values(self) -> tuple:
        return (self.path, self.max)

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        if type(other) is not type(self):
            return NotImplemented
        return (self.path, self.max) == (other.path, other.max)

    __hash__ = Record.__hash__
