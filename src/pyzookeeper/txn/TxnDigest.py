"""Mirrors org.apache.zookeeper.txn.TxnDigest.

Generated from jute/records.jute by tools/jute_compiler.py; do not edit.
"""

from __future__ import annotations

import struct

from pyzookeeper.jute.Record import Record


_FIXED0 = struct.Struct(">iq")
_FIXED0_TAGS = ("version", "treeDigest")


class TxnDigest(Record):
    __slots__ = ("version", "treeDigest")
    _fields = ("version", "treeDigest")

    def __init__(self, version: int = 0, treeDigest: int = 0) -> None:
        self.version = version
        self.treeDigest = treeDigest

    def serialize(self, a_, tag: str) -> None:
        a_.startRecord(self, tag)
        a_.writeFixed(_FIXED0, (self.version, self.treeDigest), _FIXED0_TAGS)
        a_.endRecord(self, tag)

    def deserialize(self, a_, tag: str) -> None:
        a_.startRecord(tag)
        (self.version, self.treeDigest) = a_.readFixed(_FIXED0)
        a_.endRecord(tag)

    def _values(self) -> tuple:
        return (self.version, self.treeDigest)

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        if type(other) is not type(self):
            return NotImplemented
        return (self.version, self.treeDigest) == (other.version, other.treeDigest)

    __hash__ = Record.__hash__
