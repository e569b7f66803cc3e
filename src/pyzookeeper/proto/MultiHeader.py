"""Mirrors org.apache.zookeeper.proto.MultiHeader.

Generated from jute/records.jute by tools/jute_compiler.py; do not edit.
"""

from __future__ import annotations

import struct

from pyzookeeper.jute.Record import Record


_FIXED0 = struct.Struct(">i?i")
_FIXED0_TAGS = ("type", "done", "err")


class MultiHeader(Record):
    __slots__ = ("type", "done", "err")
    _fields = ("type", "done", "err")

    def __init__(self, type: int = 0, done: bool = False, err: int = 0) -> None:
        self.type = type
        self.done = done
        self.err = err

    def serialize(self, a_, tag: str) -> None:
        a_.startRecord(self, tag)
        a_.writeFixed(_FIXED0, (self.type, self.done, self.err), _FIXED0_TAGS)
        a_.endRecord(self, tag)

    def deserialize(self, a_, tag: str) -> None:
        a_.startRecord(tag)
        (self.type, self.done, self.err) = a_.readFixed(_FIXED0)
        a_.endRecord(tag)

    def _values(self) -> tuple:
        return (self.type, self.done, self.err)

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        if type(other) is not type(self):
            return NotImplemented
        return (self.type, self.done, self.err) == (other.type, other.done, other.err)

    __hash__ = Record.__hash__
