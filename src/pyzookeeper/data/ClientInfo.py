"""Mirrors org.apache.zookeeper.data.ClientInfo.

Generated from jute/records.jute by tools/jute_compiler.py; do not edit.
"""

from __future__ import annotations

from pyzookeeper.jute.Record import Record


class ClientInfo(Record):
    __slots__ = ("authScheme", "user")
    _fields = ("authScheme", "user")

    def __init__(self, authScheme: str | None = None, user: str | None = None) -> None:
        self.authScheme = authScheme
        self.user = user

    def serialize(self, a_, tag: str) -> None:
        a_.startRecord(self, tag)
        a_.writeString(self.authScheme, "authScheme")
        a_.writeString(self.user, "user")
        a_.endRecord(self, tag)

    def deserialize(self, a_, tag: str) -> None:
        a_.startRecord(tag)
        self.authScheme = a_.readString("authScheme")
        self.user = a_.readString("user")
        a_.endRecord(tag)

    def _values(self) -> tuple:
        return (self.authScheme, self.user)

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        if type(other) is not type(self):
            return NotImplemented
        return (self.authScheme, self.user) == (other.authScheme, other.user)

    __hash__ = Record.__hash__
