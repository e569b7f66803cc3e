"""Mirrors org.apache.zookeeper.server.quorum.QuorumAuthPacket.

Generated from jute/records.jute by tools/jute_compiler.py; do not edit.
"""

from __future__ import annotations

import struct

from pyzookeeper.jute.Record import Record


_FIXED0 = struct.Struct(">qi")
_FIXED0_TAGS = ("magic", "status")


class QuorumAuthPacket(Record):
    __slots__ = ("magic", "status", "token")
    _fields = ("magic", "status", "token")

    def __init__(self, magic: int = 0, status: int = 0, token: bytes | None = None) -> None:
        self.magic = magic
        self.status = status
        self.token = token

    def serialize(self, a_, tag: str) -> None:
        a_.startRecord(self, tag)
        a_.writeFixed(_FIXED0, (self.magic, self.status), _FIXED0_TAGS)
        a_.writeBuffer(self.token, "token")
        a_.endRecord(self, tag)

    def deserialize(self, a_, tag: str) -> None:
        a_.startRecord(tag)
        (self.magic, self.status) = a_.readFixed(_FIXED0)
        self.token = a_.readBuffer("token")
        a_.endRecord(tag)

    def _values(self) -> tuple:
        return (self.magic, self.status, self.token)

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        if type(other) is not type(self):
            return NotImplemented
        return (self.magic, self.status, self.token) == (other.magic, other.status, other.token)

    __hash__ = Record.__hash__
