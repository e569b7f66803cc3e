"""Mirrors org.apache.zookeeper.proto.Create2Response.

Generated from jute/records.jute by tools/jute_compiler.py; do not edit.
"""

from __future__ import annotations

from pyzookeeper.jute.Record import Record
from pyzookeeper.data.Stat import Stat


class Create2Response(Record):
    __slots__ = ("path", "stat")
    _fields = ("path", "stat")

    def __init__(self, path: str | None = None, stat: Stat | None = None) -> None:
        self.path = path
        self.stat = stat

    def serialize(self, a_, tag: str) -> None:
        a_.startRecord(self, tag)
        a_.writeString(self.path, "path")
        a_.writeRecord(self.stat, "stat")
        a_.endRecord(self, tag)

    def deserialize(self, a_, tag: str) -> None:
        a_.startRecord(tag)
        self.path = a_.readString("path")
        self.stat = Stat()
        a_.readRecord(self.stat, "stat")
        a_.endRecord(tag)

    def _values(self) -> tuple:
        return (self.path, self.stat)

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        if type(other) is not type(self):
            return NotImplemented
        return (self.path, self.stat) == (other.path, other.stat)

    __hash__ = Record.__hash__
