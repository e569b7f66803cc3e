"""Mirrors org.apache.zookeeper.txn.CreateTxn.

Generated from jute/records.jute by tools/jute_compiler.py; do not edit.
"""

from __future__ import annotations

import struct

from pyzookeeper.jute.Record import Record
from pyzookeeper.data.ACL import ACL


_FIXED0 = struct.Struct(">?i")
_FIXED0_TAGS = ("ephemeral", "parentCVersion")


class CreateTxn(Record):
    __slots__ = ("path", "data", "acl", "ephemeral", "parentCVersion")
    _fields = ("path", "data", "acl", "ephemeral", "parentCVersion")

    def __init__(self, path: str | None = None, data: bytes | None = None, acl: list[ACL] | None = None, ephemeral: bool = False, parentCVersion: int = 0) -> None:
        self.path = path
        self.data = data
        self.acl = acl
        self.ephemeral = ephemeral
        self.parentCVersion = parentCVersion

    def serialize(self, a_, tag: str) -> None:
        a_.startRecord(self, tag)
        a_.writeString(self.path, "path")
        a_.writeBuffer(self.data, "data")
        a_.startVector(self.acl, "acl")
        if self.acl is not None:
            for e1 in self.acl:
                a_.writeRecord(e1, "e1")
        a_.endVector(self.acl, "acl")
        a_.writeFixed(_FIXED0, (self.ephemeral, self.parentCVersion), _FIXED0_TAGS)
        a_.endRecord(self, tag)

    def deserialize(self, a_, tag: str) -> None:
        a_.startRecord(tag)
        self.path = a_.readString("path")
        self.data = a_.readBuffer("data")
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
        (self.ephemeral, self.parentCVersion) = a_.readFixed(_FIXED0)
        a_.endRecord(tag)

    def _values(self) -> tuple:
        return (self.path, self.data, self.acl, self.ephemeral, self.parentCVersion)

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        if type(other) is not type(self):
            return NotImplemented
        return (self.path, self.data, self.acl, self.ephemeral, self.parentCVersion) == (other.path, other.data, other.acl, other.ephemeral, other.parentCVersion)

    __hash__ = Record.__hash__
