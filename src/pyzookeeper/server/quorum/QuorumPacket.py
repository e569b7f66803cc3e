"""Mirrors org.apache.zookeeper.server.quorum.QuorumPacket.

Generated from jute/records.jute by tools/jute_compiler.py; do not edit.
"""

from __future__ import annotations

import struct

from pyzookeeper.jute.Record import Record
from pyzookeeper.data.Id import Id


_FIXED0 = struct.Struct(">iq")
_FIXED0_TAGS = ("type", "zxid")


class QuorumPacket(Record):
    __slots__ = ("type", "zxid", "data", "authinfo")
    _fields = ("type", "zxid", "data", "authinfo")

    def __init__(self, type: int = 0, zxid: int = 0, data: bytes | None = None, authinfo: list[Id] | None = None) -> None:
        self.type = type
        self.zxid = zxid
        self.data = data
        self.authinfo = authinfo

    def serialize(self, a_, tag: str) -> None:
        a_.startRecord(self, tag)
        a_.writeFixed(_FIXED0, (self.type, self.zxid), _FIXED0_TAGS)
        a_.writeBuffer(self.data, "data")
        a_.startVector(self.authinfo, "authinfo")
        if self.authinfo is not None:
            for e1 in self.authinfo:
                a_.writeRecord(e1, "e1")
        a_.endVector(self.authinfo, "authinfo")
        a_.endRecord(self, tag)

    def deserialize(self, a_, tag: str) -> None:
        a_.startRecord(tag)
        (self.type, self.zxid) = a_.readFixed(_FIXED0)
        self.data = a_.readBuffer("data")
        vidx1 = a_.startVector("authinfo")
        if vidx1 is not None:
            self.authinfo = []
            while not vidx1.done():
                e1 = Id()
                a_.readRecord(e1, "e1")
                self.authinfo.append(e1)
                vidx1.incr()
        else:
            self.authinfo = None
        a_.endVector("authinfo")
        a_.endRecord(tag)

    def _values(self) -> tuple:
        return (self.type, self.zxid, self.data, self.authinfo)

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        if type(other) is not type(self):
            return NotImplemented
        return (self.type, self.zxid, self.data, self.authinfo) == (other.type, other.zxid, other.data, other.authinfo)

    __hash__ = Record.__hash__
