"""Mirrors org.apache.zookeeper.proto.WhoAmIResponse.

Generated from jute/records.jute by tools/jute_compiler.py; do not edit.
"""

from __future__ import annotations

from pyzookeeper.jute.Record import Record
from pyzookeeper.data.ClientInfo import ClientInfo


class WhoAmIResponse(Record):
    __slots__ = ("clientInfo",)
    _fields = ("clientInfo",)

    def __init__(self, clientInfo: list[ClientInfo] | None = None) -> None:
        self.clientInfo = clientInfo

    def serialize(self, a_, tag: str) -> None:
        a_.startRecord(self, tag)
        a_.startVector(self.clientInfo, "clientInfo")
        if self.clientInfo is not None:
            for e1 in self.clientInfo:
                a_.writeRecord(e1, "e1")
        a_.endVector(self.clientInfo, "clientInfo")
        a_.endRecord(self, tag)

    def deserialize(self, a_, tag: str) -> None:
        a_.startRecord(tag)
        vidx1 = a_.startVector("clientInfo")
        if vidx1 is not None:
            self.clientInfo = []
            while not vidx1.done():
                e1 = ClientInfo()
                a_.readRecord(e1, "e1")
                self.clientInfo.append(e1)
                vidx1.incr()
        else:
            self.clientInfo = None
        a_.endVector("clientInfo")
        a_.endRecord(tag)

    def _values(self) -> tuple:
        return (self.clientInfo,)

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        if type(other) is not type(self):
            return NotImplemented
        return (self.clientInfo,) == (other.clientInfo,)

    __hash__ = Record.__hash__
