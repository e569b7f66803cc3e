"""Mirrors org.apache.zookeeper.proto.GetChildren2Response.

Generated from jute/records.jute by tools/jute_compiler.py; do not edit.
"""

from __future__ import annotations

from pyzookeeper.jute.Record import Record
from pyzookeeper.data.Stat import Stat


class GetChildren2Response(Record):
    __slots__ = ("children", "stat")
    _fields = ("children", "stat")

    def __init__(self, children: list[str] | None = None, stat: Stat | None = None) -> None:
        self.children = children
        self.stat = stat

    def serialize(self, a_, tag: str) -> None:
        a_.startRecord(self, tag)
        a_.startVector(self.children, "children")
        if self.children is not None:
            for e1 in self.children:
                a_.writeString(e1, "e1")
        a_.endVector(self.children, "children")
        a_.writeRecord(self.stat, "stat")
        a_.endRecord(self, tag)

    def deserialize(self, a_, tag: str) -> None:
        a_.startRecord(tag)
        vidx1 = a_.startVector("children")
        if vidx1 is not None:
            self.children = []
            while not vidx1.done():
                e1 = a_.readString("e1")
                self.children.append(e1)
                vidx1.incr()
        else:
            self.children = None
        a_.endVector("children")
        self.stat = Stat()
        a_.readRecord(self.stat, "stat")
        a_.endRecord(tag)

    def _values(self) -> tuple:
        return (self.children, self.stat)

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        if type(other) is not type(self):
            return NotImplemented
        return (self.children, self.stat) == (other.children, other.stat)

    __hash__ = Record.__hash__
