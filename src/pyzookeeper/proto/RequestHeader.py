"""Mirrors org.apache.zookeeper.proto.RequestHeader.

Generated from jute/records.jute by tools/jute_compiler.py; do not edit.
"""

from __future__ import annotations

import struct

from pyzookeeper.jute.Record import Record


_FIXED0 = struct.Struct(">ii")
_FIXED0_TAGS = ("xid", "type")


class RequestHeader(Record):
    __slots__ = ("xid", "type")
    _fields = ("xid", "type")

    def __init__(self, xid: int = 0, type: int = 0) -> None:
        self.xid = xid
        self.type = type

    def serialize(self, a_, tag: str) -> None:
        a_.startRecord(self, tag)
        a_.writeFixed(_FIXED0, (self.xid, self.type), _FIXED0_TAGS)
        a_.endRecord(self, tag)

    def deserialize(self, a_, tag: str) -> None:
        a_.startRecord(tag)
        (self.xid, self.type) = a_.readFixed(_FIXED0)
        a_.endRecord(tag)

    def _values(self) -> tuple:
        return (self.xid, self.type)

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        if type(other) is not type(self):
            return NotImplemented
        return (self.xid, self.type) == (other.xid, other.type)

    __hash__ = Record.__hash__
