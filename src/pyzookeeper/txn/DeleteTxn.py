"""Mirrors org.apache.zookeeper.txn.DeleteTxn.

Generated from jute/records.jute by tools/jute_compiler.py; do not edit.
"""

from __future__ import annotations

from pyzookeeper.jute.Record import Record


class DeleteTxn(Record):
    __slots__ = ("path",)
    _fields = ("path",)

    def __init__(self, path: str | None = None) -> None:
        self.path = path

    def serialize(self, a_, tag: str) -> None:
        a_.startRecord(self, tag)
        a_.writeString(self.path, "path")
        a_.endRecord(self, tag)

    def deserialize(self, a_, tag: str) -> None:
        a_.startRecord(tag)
        self.path = a_.readString("path")
        a_.endRecord(tag)

    def _values(self) -> tuple:
        return (self.path,)

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        if type(other) is not type(self):
            return NotImplemented
        return (self.path,) == (other.path,)

    __hash__ = Record.__hash__
