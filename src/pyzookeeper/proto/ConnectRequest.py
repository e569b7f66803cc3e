"""Mirrors org.apache.zookeeper.proto.ConnectRequest.

Generated from jute/records.jute by tools/jute_compiler.py; do not edit.
"""

from __future__ import annotations

import struct

from pyzookeeper.jute.Record import Record


_FIXED0 = struct.Struct(">iqiq")
_FIXED0_TAGS = ("protocolVersion", "lastZxidSeen", "timeOut", "sessionId")


class ConnectRequest(Record):
    __slots__ = ("protocolVersion", "lastZxidSeen", "timeOut", "sessionId", "passwd")
    _fields = ("protocolVersion", "lastZxidSeen", "timeOut", "sessionId", "passwd")

    def __init__(self, protocolVersion: int = 0, lastZxidSeen: int = 0, timeOut: int = 0, sessionId: int = 0, passwd: bytes | None = None) -> None:
        self.protocolVersion = protocolVersion
        self.lastZxidSeen = lastZxidSeen
        self.timeOut = timeOut
        self.sessionId = sessionId
        self.passwd = passwd

    def serialize(self, a_, tag: str) -> None:
        a_.startRecord(self, tag)
        a_.writeFixed(_FIXED0, (self.protocolVersion, self.lastZxidSeen, self.timeOut, self.sessionId), _FIXED0_TAGS)
        a_.writeBuffer(self.passwd, "passwd")
        a_.endRecord(self, tag)

    def deserialize(self, a_, tag: str) -> None:
        a_.startRecord(tag)
        (self.protocolVersion, self.lastZxidSeen, self.timeOut, self.sessionId) = a_.readFixed(_FIXED0)
        self.passwd = a_.readBuffer("passwd")
        a_.endRecord(tag)

    def _values(self) -> tuple:
        return (self.protocolVersion, self.lastZxidSeen, self.timeOut, self.sessionId, self.passwd)

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        if type(other) is not type(self):
            return NotImplemented
        return (self.protocolVersion, self.lastZxidSeen, self.timeOut, self.sessionId, self.passwd) == (other.protocolVersion, other.lastZxidSeen, other.timeOut, other.sessionId, other.passwd)

    __hash__ = Record.__hash__
