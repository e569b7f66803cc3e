"""Mirrors org.apache.zookeeper.proto.SetSASLRequest.

Generated from jute/records.jute by tools/jute_compiler.py; do not edit.
"""

from __future__ import annotations

from pyzookeeper.jute.Record import Record


class SetSASLRequest(Record):
    __slots__ = ("token",)
    _fields = ("token",)

    def __init__(self, token: bytes | None = None) -> None:
        self.token = token

    def serialize(self, a_, tag: str) -> None:
        a_.startRecord(self, tag)
        a_.writeBuffer(self.token, "token")
        a_.endRecord(self, tag)

    def deserialize(self, a_, tag: str) -> None:
        a_.startRecord(tag)
        self.token = a_.readBuffer("token")
        a_.endRecord(tag)

    def _values(self) -> tuple:
        return (self.token,)

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        if type(other) is not type(self):
            return NotImplemented
        return (self.token,) == (other.token,)

    __hash__ = Record.__hash__
