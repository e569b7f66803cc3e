"""Mirrors org.apache.zookeeper.proto.SetDataRequest.

Generated from jute/records.jute by tools/jute_compiler.py; do not edit.
"""

from __future__ import annotations

from pyzookeeper.jute.Record import Record


class SetDataRequest(Record):
    __slots__ = ("path", "data", "version")
    _fields = ("path", "data", "version")

    def __init__(self, path: str | None = None, data: bytes | None = None, version: int = 0) -> None:
        self.path = path
        self.data = data
        self.version = version

    def serialize(self, a_, tag: str) -> None:
        a_.startRecord(self, tag)
        a_.writeString(self.path, "path")
        a_.writeBuffer(self.data, "data")
        a_.writeInt(self.version, "version")
        a_.endRecord(self, tag)

    def deserialize(self, a_, tag: str) -> None:
        a_.startRecord(tag)
        self.path = a_.readString("path")
        self.data = a_.readBuffer("data")
        self.version = a_.readInt("version")
        a_.endRecord(tag)

    def _values(self) -> tuple:
        return (self.path, self.data, self.version)

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        if type(other) is not type(self):
            return NotImplemented
        return (self.path, self.data, self.version) == (other.path, other.data, other.version)

    __hash__ = Record.__hash__
