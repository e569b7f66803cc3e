"""Mirrors org.apache.zookeeper.proto.GetDataResponse.

Generated from jute/records.jute by tools/jute_compiler.py; do not edit.
"""

from __future__ import annotations

from pyzookeeper.jute.Record import Record
from pyzookeeper.data.Stat import Stat


class GetDataResponse(Record):
    __slots__ = ("data", "stat")
    _fields = ("data", "stat")

    def __init__(self, data: bytes | None = None, stat: Stat | None = None) -> None:
        self.data = data
        self.stat = stat

    def serialize(self, a_, tag: str) -> None:
        a_.startRecord(self, tag)
        a_.writeBuffer(self.data, "data")
        a_.writeRecord(self.stat, "stat")
        a_.endRecord(self, tag)

    def deserialize(self, a_, tag: str) -> None:
        a_.startRecord(tag)
        self.data = a_.readBuffer("data")
        self.stat = Stat()
        a_.readRecord(self.stat, "stat")
        a_.endRecord(tag)

    def _values(self) -> tuple:
        return (self.data, self.stat)

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        if type(other) is not type(self):
            return NotImplemented
        return (self.data, self.stat) == (other.data, other.stat)

    __hash__ = Record.__hash__
