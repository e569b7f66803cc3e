"""Mirrors org.apache.zookeeper.proto.SetACLResponse.

Generated from jute/records.jute by tools/jute_compiler.py; do not edit.
"""

from __future__ import annotations

from pyzookeeper.jute.Record import Record
from pyzookeeper.data.Stat import Stat


class SetACLResponse(Record):
    __slots__ = ("stat",)
    _fields = ("stat",)

    def __init__(self, stat: Stat | None = None) -> None:
        self.stat = stat

    def serialize(self, a_, tag: str) -> None:
        a_.startRecord(self, tag)
        a_.writeRecord(self.stat, "stat")
        a_.endRecord(self, tag)

    def deserialize(self, a_, tag: str) -> None:
        a_.startRecord(tag)
        self.stat = Stat()
        a_.readRecord(self.stat, "stat")
        a_.endRecord(tag)

    def _values(self) -> tuple:
        return (self.stat,)

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        if type(other) is not type(self):
            return NotImplemented
        return (self.stat,) == (other.stat,)

    __hash__ = Record.__hash__
