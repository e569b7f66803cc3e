"""Mirrors org.apache.zookeeper.txn.MultiTxn.

Generated from jute/records.jute by tools/jute_compiler.py; do not edit.
"""

from __future__ import annotations

from pyzookeeper.jute.Record import Record
from pyzookeeper.txn.Txn import Txn


class MultiTxn(Record):
    __slots__ = ("txns",)
    _fields = ("txns",)

    def __init__(self, txns: list[Txn] | None = None) -> None:
        self.txns = txns

    def serialize(self, a_, tag: str) -> None:
        a_.startRecord(self, tag)
        a_.startVector(self.txns, "txns")
        if self.txns is not None:
            for e1 in self.txns:
                a_.writeRecord(e1, "e1")
        a_.endVector(self.txns, "txns")
        a_.endRecord(self, tag)

    def deserialize(self, a_, tag: str) -> None:
        a_.startRecord(tag)
        vidx1 = a_.startVector("txns")
        if vidx1 is not None:
            self.txns = []
            while not vidx1.done():
                e1 = Txn()
                a_.readRecord(e1, "e1")
                self.txns.append(e1)
                vidx1.incr()
        else:
            self.txns = None
        a_.endVector("txns")
        a_.endRecord(tag)

    def _values(self) -> tuple:
        return (self.txns,)

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        if type(other) is not type(self):
            return NotImplemented
        return (self.txns,) == (other.txns,)

    __hash__ = Record.__hash__
