"""Mirrors org.apache.zookeeper.proto.WatcherEvent.

Generated from jute/records.jute by tools/jute_compiler.py; do not edit.
"""

from __future__ import annotations

import struct

from pyzookeeper.jute.Record import Record


_FIXED0 = struct.Struct(">ii")
_FIXED0_TAGS = ("type", "state")


class WatcherEvent(Record):
    __slots__ = ("type", "state", "path")
    _fields = ("type", "state", "path")

    def __init__(self, type: int = 0, state: int = 0, path: str | None = None) -> None:
        self.type = type
        self.state = state
        self.path = path

    def serialize(self, a_, tag: str) -> None:
        a_.startRecord(self, tag)
        a_.writeFixed(_FIXED0, (self.type, self.state), _FIXED0_TAGS)
        a_.writeString(self.path, "path")
        a_.endRecord(self, tag)

    def deserialize(self, a_, tag: str) -> None:
        a_.startRecord(tag)
        (self.type, self.state) = a_.readFixed(_FIXED0)
        self.path = a_.readString("path")
        a_.endRecord(tag)

    def _values(self) -> tuple:
        return (self.type, self.state, self.path)

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        if type(other) is not type(self):
            return NotImplemented
        return (self.type, self.state, self.path) == (other.type, other.state, other.path)

    __hash__ = Record.__hash__
