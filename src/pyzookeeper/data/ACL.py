"""Mirrors org.apache.zookeeper.data.ACL.

Generated from jute/records.jute by tools/jute_compiler.py; do not edit.
"""

from __future__ import annotations

from pyzookeeper.jute.Record import Record
from pyzookeeper.data.Id import Id


class ACL(Record):
    __slots__ = ("perms", "id")
    _fields = ("perms", "id")

    def __init__(self, perms: int = 0, id: Id | None = None) -> None:
        self.perms = perms
        self.id = id

    def serialize(self, a_, tag: str) -> None:
        a_.startRecord(self, tag)
        a_.writeInt(self.perms, "perms")
        a_.writeRecord(self.id, "id")
        a_.endRecord(self, tag)

    def deserialize(self, a_, tag: str) -> None:
        a_.startRecord(tag)
        self.perms = a_.readInt("perms")
        self.id = Id()
        a_.readRecord(self.id, "id")
        a_.endRecord(tag)

    def _values(self) -> tuple:
        return (self.perms, self.id)

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        if type(other) is not type(self):
            return NotImplemented
        return (self.perms, self.id) == (other.perms, other.id)

    __hash__ = Record.__hash__
