"""Mirrors org.apache.zookeeper.proto.AuthPacket.

Generated from jute/records.jute by tools/jute_compiler.py; do not edit.
"""

from __future__ import annotations

from pyzookeeper.jute.Record import Record


class AuthPacket(Record):
    __slots__ = ("type", "scheme", "auth")
    _fields = ("type", "scheme", "auth")

    def __init__(self, type: int = 0, scheme: str | None = None, auth: bytes | None = None) -> None:
        self.type = type
        self.scheme = scheme
        self.auth = auth

    def serialize(self, a_, tag: str) -> None:
        a_.startRecord(self, tag)
        a_.writeInt(self.type, "type")
        a_.writeString(self.scheme, "scheme")
        a_.writeBuffer(self.auth, "auth")
        a_.endRecord(self, tag)

    def deserialize(self, a_, tag: str) -> None:
        a_.startRecord(tag)
        self.type = a_.readInt("type")
        self.scheme = a_.readString("scheme")
        self.auth = a_.readBuffer("auth")
        a_.endRecord(tag)

    def _values(self) -> tuple:
        return (self.type, self.scheme, self.auth)

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        if type(other) is not type(self):
            return NotImplemented
        return (self.type, self.scheme, self.auth) == (other.type, other.scheme, other.auth)

    __hash__ = Record.__hash__
