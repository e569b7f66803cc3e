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
