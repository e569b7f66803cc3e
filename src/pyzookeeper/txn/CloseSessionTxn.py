"""Mirrors org.apache.zookeeper.txn.CloseSessionTxn.

Generated from jute/records.jute by tools/jute_compiler.py; do not edit.
"""

from __future__ import annotations

from pyzookeeper.jute.Record import Record


class CloseSessionTxn(Record):
    __slots__ = ("paths2Delete",)
    _fields = ("paths2Delete",)

    def __init__(self, paths2Delete: list[str] | None = None) -> None:
        self.paths2Delete = paths2Delete

    def serialize(self, a_, tag: str) -> None:
        a_.startRecord(self, tag)
        a_.startVector(self.paths2Delete, "paths2Delete")
        if self.paths2Delete is not None:
            for e1 in self.paths2Delete:
                a_.writeString(e1, "e1")
        a_.endVector(self.paths2Delete, "paths2Delete")
        a_.endRecord(self, tag)

    def deserialize(self, a_, tag: str) -> None:
        a_.startRecord(tag)
        vidx1 = a_.startVector("paths2Delete")
        if vidx1 is not None:
            self.paths2Delete = []
            while not vidx1.done():
                e1 = a_.readString("e1")
                self.paths2Delete.append(e1)
                vidx1.incr()
        else:
            self.paths2Delete = None
        a_.endVector("paths2Delete")
        a_.endRecord(tag)

    def _values(self) -> tuple:
        return (self.paths2Delete,)

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        if type(other) is not type(self):
            return NotImplemented
        return (self.paths2Delete,) == (other.paths2Delete,)

    __hash__ = Record.__hash__
