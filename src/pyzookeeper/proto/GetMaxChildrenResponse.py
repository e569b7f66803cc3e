"""Mirrors org.apache.zookeeper.proto.GetMaxChildrenResponse.

Generated from jute/records.jute by tools/jute_compiler.py; do not edit.
"""

from __future__ import annotations

from pyzookeeper.jute.Record import Record


class GetMaxChildrenResponse(Record):
    __slots__ = ("max",)
    _fields = ("max",)

    def __init__(self, max: int = 0) -> None:
        self.max = max

    def serialize(self, a_, tag: str) -> None:
        a_.startRecord(self, tag)
        a_.writeInt(self.max, "max")
        a_.endRecord(self, tag)

    def deserialize(self, a_, tag: str) -> None:
        a_.startRecord(tag)
        self.max = a_.readInt("max")
        a_.endRecord(tag)

    def _values(self) -> tuple:
        return (self.max,)

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        if type(other) is not type(self):
            return NotImplemented
        return (self.max,) == (other.max,)

    __hash__ = Record.__hash__
