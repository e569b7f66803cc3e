"""Mirrors org.apache.zookeeper.txn.TxnHeader.

Generated from jute/records.jute by tools/jute_compiler.py; do not edit.
"""

from __future__ import annotations

import struct

from pyzookeeper.jute.Record import Record


_FIXED0 = struct.Struct(">qiqqi")
_FIXED0_TAGS = ("clientId", "cxid", "zxid", "time", "type")


class TxnHeader(Record):
    __slots__ = ("clientId", "cxid", "zxid", "time", "type")
    _fields = ("clientId", "cxid", "zxid", "time", "type")

    def __init__(self, clientId: int = 0, cxid: int = 0, zxid: int = 0, time: int = 0, type: int = 0) -> None:
        self.clientId = clientId
        self.cxid = cxid
        self.zxid = zxid
        self.time = time
        self.type = type

    def serialize(self, a_, tag: str) -> None:
        a_.startRecord(self, tag)
        a_.writeFixed(_FIXED0, (self.clientId, self.cxid, self.zxid, self.time, self.type), _FIXED0_TAGS)
        a_.endRecord(self, tag)

    def deserialize(self, a_, tag: str) -> None:
        a_.startRecord(tag)
        (self.clientId, self.cxid, self.zxid, self.time, self.type) = a_.readFixed(_FIXED0)
        a_.endRecord(tag)

    def _values(self) -> tuple:
        return (self.clientId, self.cxid, self.zxid, self.time, self.type)

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        if type(other) is not type(self):
            return NotImplemented
        return (self.clientId, self.cxid, self.zxid, self.time, self.type) == (other.clientId, other.cxid, other.zxid, other.time, other.type)

    __hash__ = Record.__hash__
