"""Mirrors org.apache.zookeeper.MultiResponse: the reply body of multi and
multiRead (formats.md §2.6)."""

from __future__ import annotations

from pyzookeeper.jute.Record import Record
from pyzookeeper.OpResult import (CheckResult, CreateResult, DeleteResult, ErrorResult,
                                  GetChildrenResult, GetDataResult, OpResult, SetDataResult)
from pyzookeeper.proto.Create2Response import Create2Response
from pyzookeeper.proto.CreateResponse import CreateResponse
from pyzookeeper.proto.ErrorResponse import ErrorResponse
from pyzookeeper.proto.GetChildrenResponse import GetChildrenResponse
from pyzookeeper.proto.GetDataResponse import GetDataResponse
from pyzookeeper.proto.MultiHeader import MultiHeader
from pyzookeeper.proto.SetDataResponse import SetDataResponse
from pyzookeeper.ZooDefs import OpCode


class MultiResponse(Record):
    __slots__ = ("results",)
    _fields = ("results",)

    def __init__(self) -> None:
        self.results: list[OpResult] = []

    def add(self, x: OpResult) -> None:
        self.results.append(x)

    def __iter__(self):
        return iter(self.results)

    def size(self) -> int:
        return len(self.results)

    def getResultList(self) -> list[OpResult]:
        return self.results

    def serialize(self, archive, tag: str) -> None:
        archive.startRecord(self, tag)
        for result in self.results:
            t = result.getType()
            err = result.getErr() if t == OpCode.error else 0
            MultiHeader(t, False, err).serialize(archive, tag)
            if t == OpCode.create:
                CreateResponse(result.getPath()).serialize(archive, tag)
            elif t == OpCode.create2:
                Create2Response(result.getPath(), result.getStat()).serialize(archive, tag)
            elif t in (OpCode.delete, OpCode.check):
                pass
            elif t == OpCode.setData:
                SetDataResponse(result.getStat()).serialize(archive, tag)
            elif t == OpCode.getChildren:
                GetChildrenResponse(result.getChildren()).serialize(archive, tag)
            elif t == OpCode.getData:
                GetDataResponse(result.getData(), result.getStat()).serialize(archive, tag)
            elif t == OpCode.error:
                ErrorResponse(result.getErr()).serialize(archive, tag)
            else:
                raise IOError(f"Invalid type {t} in MultiResponse")
        MultiHeader(-1, True, -1).serialize(archive, tag)
        archive.endRecord(self, tag)

    def deserialize(self, archive, tag: str) -> None:
        self.results = []
        archive.startRecord(tag)
        h = MultiHeader()
        h.deserialize(archive, tag)
        while not h.done:
            t = h.type
            if t == OpCode.create:
                cr = CreateResponse()
                cr.deserialize(archive, tag)
                self.results.append(CreateResult(cr.path))
            elif t == OpCode.create2:
                cr2 = Create2Response()
                cr2.deserialize(archive, tag)
                self.results.append(CreateResult(cr2.path, cr2.stat))
            elif t == OpCode.delete:
                self.results.append(DeleteResult())
            elif t == OpCode.setData:
                sdr = SetDataResponse()
                sdr.deserialize(archive, tag)
                self.results.append(SetDataResult(sdr.stat))
            elif t == OpCode.check:
                self.results.append(CheckResult())
            elif t == OpCode.getChildren:
                gcr = GetChildrenResponse()
                gcr.deserialize(archive, tag)
                self.results.append(GetChildrenResult(gcr.children))
            elif t == OpCode.getData:
                gdr = GetDataResponse()
                gdr.deserialize(archive, tag)
                self.results.append(GetDataResult(gdr.data, gdr.stat))
            elif t == OpCode.error:
                er = ErrorResponse()
                er.deserialize(archive, tag)
                self.results.append(ErrorResult(er.err))
            else:
                raise IOError(f"Invalid type {t} in MultiResponse")
            h.deserialize(archive, tag)
        archive.endRecord(tag)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, MultiResponse) and self.results == other.results

    def __hash__(self) -> int:
        return hash(tuple(self.results))
