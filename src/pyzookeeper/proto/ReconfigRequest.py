"""Mirrors org.apache.zookeeper.proto.ReconfigRequest.

Generated from jute/records.jute by tools/jute_compiler.py; do not edit.
"""

from __future__ import annotations

from pyzookeeper.jute.Record import Record


class ReconfigRequest(Record):
    __slots__ = ("joiningServers", "leavingServers", "newMembers", "curConfigId")
    _fields = ("joiningServers", "leavingServers", "newMembers", "curConfigId")

    def __init__(self, joiningServers: str | None = None, leavingServers: str | None = None, newMembers: str | None = None, curConfigId: int = 0) -> None:
        self.joiningServers = joiningServers
        self.leavingServers = leavingServers
        self.newMembers = newMembers
        self.curConfigId = curConfigId

    def serialize(self, a_, tag: str) -> None:
        a_.startRecord(self, tag)
        a_.writeString(self.joiningServers, "joiningServers")
        a_.writeString(self.leavingServers, "leavingServers")
        a_.writeString(self.newMembers, "newMembers")
        a_.writeLong(self.curConfigId, "curConfigId")
        a_.endRecord(self, tag)

    def deserialize(self, a_, tag: str) -> None:
        a_.startRecord(tag)
        self.joiningServers = a_.readString("joiningServers")
        self.leavingServers = a_.readString("leavingServers")
        self.newMembers = a_.readString("newMembers")
        self.curConfigId = a_.readLong("curConfigId")
        a_.endRecord(tag)

    def _values(self) -> tuple:
        return (self.joiningServers, self.leavingServers, self.newMembers, self.curConfigId)

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        if type(other) is not type(self):
            return NotImplemented
        return (self.joiningServers, self.leavingServers, self.newMembers, self.curConfigId) == (other.joiningServers, other.leavingServers, other.newMembers, other.curConfigId)

    __hash__ = Record.__hash__
