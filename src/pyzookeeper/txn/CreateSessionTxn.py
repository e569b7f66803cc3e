"""Mirrors org.apache.zookeeper.txn.CreateSessionTxn.

Generated from jute/records.jute by tools/jute_compiler.py; do not edit.
"""

from __future__ import annotations

from pyzookeeper.jute.Record import Record


class CreateSessionTxn(Record):
    __slots__ = ("timeOut",)
    _fields = ("timeOut",)

    def __init__(self, timeOut: int = 0) -> None:
        self.timeOut = timeOut

    def serialize(self, a_, tag: str) -> None:
        a_.startRecord(self, tag)
        a_.writeInt(self.timeOut, "timeOut")
        a_.endRecord(self, tag)

    def deserialize(self, a_, tag: str) -> None:
        a_.startRecord(tag)
        self.timeOut = a_.readInt("timeOut")
        a_.endRecord(tag)

    def _values(self) -> tuple:
        return (self.timeOut,)

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        if type(other) is not type(self):
            return NotImplemented
        return (self.timeOut,) == (other.timeOut,)

    __hash__ = Record.__hash__
