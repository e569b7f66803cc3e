"""Mirrors org.apache.zookeeper.proto.GetACLResponse.

Generated from jute/records.jute by tools/jute_compiler.py; do not edit.
"""

from __future__ import annotations

from pyzookeeper.jute.Record import Record
from pyzookeeper.data.ACL import ACL
from pyzookeeper.data.Stat import Stat


class GetACLResponse(Record):
    __slots__ = ("acl", "stat")
    _fields = ("acl", "stat")

    def __init__(self, acl: list[ACL] | None = None, stat: Stat | None = None) -> None:
        self.acl = acl
        self.stat = stat

    def serialize(self, a_, tag: str) -> None:
        a_.startRecord(self, tag)
        a_.startVector(self.acl, "acl")
        if self.acl is not None:
            for e1 in self.acl:
                a_.writeRecord(e1, "e1")
        a_.endVector(self.acl, "acl")
        a_.writeRecord(self.stat, "stat")
        a_.endRecord(self, tag)

    def deserialize(self, a_, tag: str) -> None:
        a_.startRecord(tag)
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
        self.stat = Stat()
        a_.readRecord(self.stat, "stat")
        a_.endRecord(tag)

    def _values(self) -> tuple:
        return (self.acl, self.stat)

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        if type(other) is not type(self):
            return NotImplemented
        return (self.acl, self.stat) == (other.acl, other.stat)

    __hash__ = Record.__hash__
