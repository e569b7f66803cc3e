"""Mirrors org.apache.zookeeper.proto.AddWatchRequest.

Generated from jute/records.jute by tools/jute_compiler.py; do not edit.
"""

from __future__ import annotations

from pyzookeeper.jute.Record import Record


class AddWatchRequest(Record):
    __slots__ = ("path", "mode")
    _fields = ("path", "mode")

    def __init__(self, path: str | None = None, mode: int = 0) -> None:
        self.path = path
        self.mode = mode

    def serialize(self, a_, tag: str) -> None:
        a_.startRecord(self, tag)
        a_.writeString(self.path, "path")
        a_.writeInt(self.mode, "mode")
        a_.endRecord(self, tag)

    def deserialize(self, a_, tag: str) -> None:
        a_.startRecord(tag)
        self.path = a_.readString("path")
        self.mode = a_.readInt("mode")
        a_.endRecord(tag)

    def _values(self) -> tuple:
        return (self.path, self.mode)

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        if type(other) is not type(self):
            return NotImplemented
        return (self.path, self.mode) == (other.path, other.mode)

    __hash__ = Record.__hash__
