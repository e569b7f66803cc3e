"""Mirrors org.apache.zookeeper.txn.SetACLTxn.

Generated from jute/records.jute by tools/jute_compiler.py; do not edit.
"""

from __future__ import annotations

from pyzookeeper.jute.Record import Record
from pyzookeeper.data.ACL import ACL


class SetACLTxn(Record):
    __slots__ = ("path", "acl", "version")
    _fields = ("path", "acl", "version")

    def __init__(self, path: str | None = None, acl: list[ACL] | None = None, version: int = 0) -> None:
        self.path = path
        self.acl = acl
        self.version = version

    def serialize(self, a_, tag: str) -> None:
        a_.startRecord(self, tag)
        a_.writeString(self.path, "path")
        a_.startVector(self.acl, "acl")
        if self.acl is not None:
            for e1 in self.acl:
                a_.writeRecord(e1, "e1")
        a_.endVector(self.acl, "acl")
        a_.writeInt(self.version, "version")
        a_.endRecord(self, tag)

    def deserialize(self, a_, tag: str) -> None:
        a_.startRecord(tag)
        self.path = a_.readString("path")
        vidx1 = a_.startVector("acl")
        if vidx1 is not None:
            self.acl = []
            while not vidx1.done():
                e1 = ACL()
                a_.readRecord(e1, "e1")
                self.acl.append(e1)
                vidx1.incr()
        else:
            self.acl = None
        a_.endVector("acl")
        self.version = a_.readInt("version")
        a_.endRecord(tag)

    def _values(self) -> tuple:
        return (self.path, self.acl, self.version)

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        if type(other) is not type(self):
            return NotImplemented
        return (self.path, self.acl, self.version) == (other.path, other.acl, other.version)

    __hash__ = Record.__hash__
