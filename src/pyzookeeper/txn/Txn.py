"""Mirrors org.apache.zookeeper.txn.Txn.

Generated from jute/records.jute by tools/jute_compiler.py; do not edit.
"""

from __future__ import annotations

from pyzookeeper.jute.Record import Record


class Txn(Record):
    __slots__ = ("type", "data")
    _fields = ("type", "data")

    def __init__(self, type: int = 0, data: bytes | None = None) -> None:
        self.type = type
        self.data = data

    def serialize(self, a_, tag: str) -> None:
        a_.startRecord(self, tag)
        a_.writeInt(self.type, "type")
        a_.writeBuffer(self.data, "data")
        a_.endRecord(self, tag)

    def deserialize(self, a_, tag: str) -> None:
        a_.startRecord(tag)
        self.type = a_.readInt("type")
        self.data = a_.readBuffer("data")
        a_.endRecord(tag)

    def _values(self) -> tuple:
        return (self.type, self.data)

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        if type(other) is not type(self):
            return NotImplemented
        return (self.type, self.data) == (other.type, other.data)

    __hash__ = Record.__hash__
