"""Mirrors org.apache.zookeeper.proto.SetWatches2.

Generated from jute/records.jute by tools/jute_compiler.py; do not edit.
"""

from __future__ import annotations

from pyzookeeper.jute.Record import Record


class SetWatches2(Record):
    __slots__ = ("relativeZxid", "dataWatches", "existWatches", "childWatches", "persistentWatches", "persistentRecursiveWatches")
    _fields = ("relativeZxid", "dataWatches", "existWatches", "childWatches", "persistentWatches", "persistentRecursiveWatches")

    def __init__(self, relativeZxid: int = 0, dataWatches: list[str] | None = None, existWatches: list[str] | None = None, childWatches: list[str] | None = None, persistentWatches: list[str] | None = None, persistentRecursiveWatches: list[str] | None = None) -> None:
        self.relativeZxid = relativeZxid
        self.dataWatches = dataWatches
        self.existWatches = existWatches
        self.childWatches = childWatches
        self.persistentWatches = persistentWatches
        self.persistentRecursiveWatches = persistentRecursiveWatches

    def serialize(self, a_, tag: str) -> None:
        a_.startRecord(self, tag)
        a_.writeLong(self.relativeZxid, "relativeZxid")
        a_.startVector(self.dataWatches, "dataWatches")
        if self.dataWatches is not None:
            for e1 in self.dataWatches:
                a_.writeString(e1, "e1")
        a_.endVector(self.dataWatches, "dataWatches")
        a_.startVector(self.existWatches, "existWatches")
        if self.existWatches is not None:
            for e1 in self.existWatches:
                a_.writeString(e1, "e1")
        a_.endVector(self.existWatches, "existWatches")
        a_.startVector(self.childWatches, "childWatches")
        if self.childWatches is not None:
            for e1 in self.childWatches:
                a_.writeString(e1, "e1")
        a_.endVector(self.childWatches, "childWatches")
        a_.startVector(self.persistentWatches, "persistentWatches")
        if self.persistentWatches is not None:
            for e1 in self.persistentWatches:
                a_.writeString(e1, "e1")
        a_.endVector(self.persistentWatches, "persistentWatches")
        a_.startVector(self.persistentRecursiveWatches, "persistentRecursiveWatches")
        if self.persistentRecursiveWatches is not None:
            for e1 in self.persistentRecursiveWatches:
                a_.writeString(e1, "e1")
        a_.endVector(self.persistentRecursiveWatches, "persistentRecursiveWatches")
        a_.endRecord(self, tag)

    def deserialize(self, a_, tag: str) -> None:
        a_.startRecord(tag)
        self.relativeZxid = a_.readLong("relativeZxid")
        vidx1 = a_.startVector("dataWatches")
        if vidx1 is not None:
            self.dataWatches = []
            while not vidx1.done():
                e1 = a_.readString("e1")
                self.dataWatches.append(e1)
                vidx1.incr()
        else:
            self.dataWatches = None
        a_.endVector("dataWatches")
        vidx1 = a_.startVector("existWatches")
        if vidx1 is not None:
            self.existWatches = []
            while not vidx1.done():
                e1 = a_.readString("e1")
                self.existWatches.append(e1)
                vidx1.incr()
        else:
            self.existWatches = None
        a_.endVector("existWatches")
        vidx1 = a_.startVector("childWatches")
        if vidx1 is not None:
            self.childWatches = []
            while not vidx1.done():
                e1 = a_.readString("e1")
                self.childWatches.append(e1)
                vidx1.incr()
        else:
            self.childWatches = None
        a_.endVector("childWatches")
        vidx1 = a_.startVector("persistentWatches")
        if vidx1 is not None:
            self.persistentWatches = []
            while not vidx1.done():
                e1 = a_.readString("e1")
                self.persistentWatches.append(e1)
                vidx1.incr()
        else:
            self.persistentWatches = None
        a_.endVector("persistentWatches")
        vidx1 = a_.startVector("persistentRecursiveWatches")
        if vidx1 is not None:
            self.persistentRecursiveWatches = []
            while not vidx1.done():
                e1 = a_.readString("e1")
                self.persistentRecursiveWatches.append(e1)
                vidx1.incr()
        else:
            self.persistentRecursiveWatches = None
        a_.endVector("persistentRecursiveWatches")
        a_.endRecord(tag)

    def _values(self) -> tuple:
        return (self.relativeZxid, self.dataWatches, self.existWatches, self.childWatches, self.persistentWatches, self.persistentRecursiveWatches)

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        if type(other) is not type(self):
            return NotImplemented
        return (self.relativeZxid, self.dataWatches, self.existWatches, self.childWatches, self.persistentWatches, self.persistentRecursiveWatches) == (other.relativeZxid, other.dataWatches, other.existWatches, other.childWatches, other.persistentWatches, other.persistentRecursiveWatches)

    __hash__ = Record.__hash__
