"""Mirrors org.apache.zookeeper.proto.RemoveWatchesRequest.

Generated from jute/records.jute by tools/jute_compiler.py; do not edit.
"""

from __future__ import annotations

from pyzookeeper.jute.Record import Record


class RemoveWatchesRequest(Record):
    __slots__ = ("path", "type")
    _fields = ("path", "type")

    def __init__(self, path: str | None = None, type: int = 0) -> None:
        self.path = path
        self.type = type

    def serialize(self, a_, tag: str) -> None:
        a_.startRecord(self, tag)
        a_.writeString(self.path, "path")
        a_.writeInt(self.type, "type")
        a_.endRecord(self, tag)

    def deserialize(self, a_, tag: str) -> None:
        a_.startRecord(tag)
        self.path = a_.readString("path")
        self.type = a_.readInt("type")
        a_.endRecord(tag)

    def _values(self) -> tuple:
        return (self.path, self.type)

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        if type(other) is not type(self):
            return NotImplemented
        return (self.path, self.type) == (other.path, other.type)

    __hash__ = Record.__hash__
