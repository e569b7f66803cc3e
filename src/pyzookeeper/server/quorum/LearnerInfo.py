"""Mirrors org.apache.zookeeper.server.quorum.LearnerInfo.

Generated from jute/records.jute by tools/jute_compiler.py; do not edit.
"""

from __future__ import annotations

import struct

from pyzookeeper.jute.Record import Record


_FIXED0 = struct.Struct(">qiq")
_FIXED0_TAGS = ("serverid", "protocolVersion", "configVersion")


class LearnerInfo(Record):
    __slots__ = ("serverid", "protocolVersion", "configVersion")
    _fields = ("serverid", "protocolVersion", "configVersion")

    def __init__(self, serverid: int = 0, protocolVersion: int = 0, configVersion: int = 0) -> None:
        self.serverid = serverid
        self.protocolVersion = protocolVersion
        self.configVersion = configVersion

    def serialize(self, a_, tag: str) -> None:
        a_.startRecord(self, tag)
        a_.writeFixed(_FIXED0, (self.serverid, self.protocolVersion, self.configVersion), _FIXED0_TAGS)
        a_.endRecord(self, tag)

    def deserialize(self, a_, tag: str) -> None:
        a_.startRecord(tag)
        (self.serverid, self.protocolVersion, self.configVersion) = a_.readFixed(_FIXED0)
        a_.endRecord(tag)

    def _values(self) -> tuple:
        return (self.serverid, self.protocolVersion, self.configVersion)

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        if type(other) is not type(self):
            return NotImplemented
        return (self.serverid, self.protocolVersion, self.configVersion) == (other.serverid, other.protocolVersion, other.configVersion)

    __hash__ = Record.__hash__
