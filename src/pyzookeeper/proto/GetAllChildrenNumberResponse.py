"""Mirrors org.apache.zookeeper.proto.GetAllChildrenNumberResponse.

Generated from jute/records.jute by tools/jute_compiler.py; do not edit.
"""

from __future__ import annotations

from pyzookeeper.jute.Record import Record


class GetAllChildrenNumberResponse(Record):
    __slots__ = ("totalNumber",)
    _fields = ("totalNumber",)

    def __init__(self, totalNumber: int = 0) -> None:
        self.totalNumber = totalNumber

    def serialize(self, a_, tag: str) -> None:
        a_.startRecord(self, tag)
        a_.writeInt(self.totalNumber, "totalNumber")
        a_.endRecord(self, tag)

    def deserialize(self, a_, tag: str) -> None:
        a_.startRecord(tag)
        self.totalNumber = a_.readInt("totalNumber")
        a_.endRecord(tag)

    def _values(self) -> tuple:
        return (self.totalNumber,)

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        if type(other) is not type(self):
            return NotImplemented
        return (self.totalNumber,) == (other.totalNumber,)

    __hash__ = Record.__hash__
