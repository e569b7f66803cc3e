"""Mirrors org.apache.zookeeper.proto.GetChildren2Request.

Generated from jute/records.jute by tools/jute_compiler.py; do not edit.
"""

from __future__ import annotations

from pyzookeeper.jute.Record import Record


class GetChildren2Request(Record):
    __slots__ = ("path", "watch")
    _fields = ("path", "watch")

    def __init__(self, path: str | None = None, watch: bool = False) -> None:
        self.path = path
        self.watch = watch

    def serialize(self, a_, tag: str) -> None:
        a_.startRecord(self, tag)
        a_.writeString(self.path, "path")
        a_.writeBool(self.watch, "watch")
        a_.endRecord(self, tag)

    def deserialize(self, a_, tag: str) -> None:
        a_.startRecord(tag)
        self.path = a_.readString("path")
        self.watch = a_.readBool("watch")
        a_.endRecord(tag)

    def _values(self) -> tuple:
        return (self.path, self.watch)

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        if type(other) is not type(self):
            return NotImplemented
        return (self.path, self.watch) == (other.path, other.watch)

    __hash__ = Record.__hash__
