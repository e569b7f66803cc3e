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
