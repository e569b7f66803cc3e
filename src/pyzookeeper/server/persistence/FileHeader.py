"""Mirrors org.apache.zookeeper.server.persistence.FileHeader.

Generated from jute/records.jute by tools/jute_compiler.py; do not edit.
"""

from __future__ import annotations

import struct

from pyzookeeper.jute.Record import Record


_FIXED0 = struct.Struct(">iiq")
_FIXED0_TAGS = ("magic", "version", "dbid")


class FileHeader(Record):
    __slots__ = ("magic", "version", "dbid")
    _fields = ("magic", "version", "dbid")

    def __init__(self, magic: int = 0, version: int = 0, dbid: int = 0) -> None:
        self.magic = magic
        self.version = version
        self.dbid = dbid

    def serialize(self, a_, tag: str) -> None:
        a_.startRecord(self, tag)
        a_.writeFixed(_FIXED0, (self.magic, self.version, self.dbid), _FIXED0_TAGS)
        a_.endRecord(self, tag)

    def deserialize(self, a_, tag: str) -> None:
        a_.startRecord(tag)
        (self.magic, self.version, self.dbid) = a_.readFixed(_FIXED0)
        a_.endRecord(tag)

    def _values(self) -> tuple:
        return (self.magic, self.version, self.dbid)

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        if type(other) is not type(self):
            return NotImplemented
        return (self.magic, self.version, self.dbid) == (other.magic, other.version, other.dbid)

    __hash__ = Record.__hash__
