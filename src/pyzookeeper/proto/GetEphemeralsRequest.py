"""Mirrors org.apache.zookeeper.proto.GetEphemeralsRequest.

Generated from jute/records.jute by tools/jute_compiler.py; do not edit.
"""

from __future__ import annotations

from pyzookeeper.jute.Record import Record


class GetEphemeralsRequest(Record):
    __slots__ = ("prefixPath",)
    _fields = ("prefixPath",)

    def __init__(self, prefixPath: str | None = None) -> None:
        self.prefixPath = prefixPath

    def serialize(self, a_, tag: str) -> None:
        a_.startRecord(self, tag)
        a_.writeString(self.prefixPath, "prefixPath")
        a_.endRecord(self, tag)

    def deserialize(self, a_, tag: str) -> None:
        a_.startRecord(tag)
        self.prefixPath = a_.readString("prefixPath")
        a_.endRecord(tag)

    def _values(self) -> tuple:
        return (self.prefixPath,)

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        if type(other) is not type(self):
            return NotImplemented
        return (self.prefixPath,) == (other.prefixPath,)

    __hash__ = Record.__hash__
