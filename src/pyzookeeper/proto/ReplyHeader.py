"""Mirrors org.apache.zookeeper.proto.ReplyHeader.

Generated from jute/records.jute by tools/jute_compiler.py; do not edit.
"""

from __future__ import annotations

import struct

from pyzookeeper.jute.Record import Record


_FIXED0 = struct.Struct(">iqi")
_FIXED0_TAGS = ("xid", "zxid", "err")


class ReplyHeader(Record):
    __slots__ = ("xid", "zxid", "err")
    _fields = ("xid", "zxid", "err")

    def __init__(self, xid: int = 0, zxid: int = 0, err: int = 0) -> None:
        self.xid = xid
        self.zxid = zxid
        self.err = err

    def serialize(self, a_, tag: str) -> None:
        a_.startRecord(self, tag)
        a_.writeFixed(_FIXED0, (self.xid, self.zxid, self.err), _FIXED0_TAGS)
        a_.endRecord(self, tag)

    def deserialize(self, a_, tag: str) -> None:
        a_.startRecord(tag)
        (self.xid, self.zxid, self.err) = a_.readFixed(_FIXED0)
        a_.endRecord(tag)

    def _values(self) -> tuple:
        return (self.xid, self.zxid, self.err)

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        if type(other) is not type(self):
            return NotImplemented
        return (self.xid, self.zxid, self.err) == (other.xid, other.zxid, other.err)

    __hash__ = Record.__hash__
