"""Mirrors org.apache.zookeeper.txn.ErrorTxn.

Generated from jute/records.jute by tools/jute_compiler.py; do not edit.
"""

from __future__ import annotations

from pyzookeeper.jute.Record import Record


class ErrorTxn(Record):
    __slots__ = ("err",)
    _fields = ("err",)

    def __init__(self, err: int = 0) -> None:
        self.err = err

    def serialize(self, a_, tag: str) -> None:
        a_.startRecord(self, tag)
        a_.writeInt(self.err, "err")
        a_.endRecord(self, tag)

    def deserialize(self, a_, tag: str) -> None:
        a_.startRecord(tag)
        self.err = a_.readInt("err")
        a_.endRecord(tag)

    def _values(self) -> tuple:
        return (self.err,)

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        if type(other) is not type(self):
            return NotImplemented
        return (self.err,) == (other.err,)

    __hash__ = Record.__hash__
