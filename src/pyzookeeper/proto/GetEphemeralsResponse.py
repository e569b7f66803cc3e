"""Mirrors org.apache.zookeeper.proto.GetEphemeralsResponse.

Generated from jute/records.jute by tools/jute_compiler.py; do not edit.
"""

from __future__ import annotations

from pyzookeeper.jute.Record import Record


class GetEphemeralsResponse(Record):
    __slots__ = ("ephemerals",)
    _fields = ("ephemerals",)

    def __init__(self, ephemerals: list[str] | None = None) -> None:
        self.ephemerals = ephemerals

    def serialize(self, a_, tag: str) -> None:
        a_.startRecord(self, tag)
        a_.startVector(self.ephemerals, "ephemerals")
        if self.ephemerals is not None:
            for e1 in self.ephemerals:
                a_.writeString(e1, "e1")
        a_.endVector(self.ephemerals, "ephemerals")
        a_.endRecord(self, tag)

    def deserialize(self, a_, tag: str) -> None:
        a_.startRecord(tag)
        vidx1 = a_.startVector("ephemerals")
        if vidx1 is not None:
            self.ephemerals = []
            while not vidx1.done():
                e1 = a_.readString("e1")
                self.ephemerals.append(e1)
                vidx1.incr()
        else:
            self.ephemerals = None
        a_.endVector("ephemerals")
        a_.endRecord(tag)

    def _values(self) -> tuple:
        return (self.ephemerals,)

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        if type(other) is not type(self):
            return NotImplemented
        return (self.ephemerals,) == (other.ephemerals,)

    __hash__ = Record.__hash__
