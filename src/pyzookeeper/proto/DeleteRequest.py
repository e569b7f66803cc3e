"""Mirrors org.apache.zookeeper.proto.DeleteRequest.

Generated from jute/records.jute by tools/jute_compiler.py; do not edit.
"""

from __future__ import annotations

from pyzookeeper.jute.Record import Record


class DeleteRequest(Record):
    __slots__ = ("path", "version")
    _fields = ("path", "version")

    def __init__(self, path: str | None = None, version: int = 0) -> None:
        self.path = path
        self.version = version

    def serialize(self, a_, tag: str) -> None:
        a_.startRecord(self, tag)
        a_.writeString(self.path, "path")
        a_.writeInt(self.version, "version")
        a_.endRecord(self, tag)

    def deserialize(self, a_, tag: str) -> None:
        a_.startRecord(tag)
        self.path = a_.readString("path")
        self.version = a_.readInt("version")
        a_.endRecord(tag)

    def _values(self) -> tuple:
        return (self.path, self.version)

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        if type(other) is not type(self):
            return NotImplemented
        return (self.path, self.version) == (other.path, other.version)

    __hash__ = Record.__hash__
