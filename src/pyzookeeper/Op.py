"""Mirrors org.apache.zookeeper.Op: one operation of a multi request, as the
server decodes it (the client-side builders and validation are not needed here)."""

from __future__ import annotations

import enum

from pyzookeeper.CreateMode import CreateMode
from pyzookeeper.proto.CheckVersionRequest import CheckVersionRequest
from pyzookeeper.proto.CreateRequest import CreateRequest
from pyzookeeper.proto.CreateTTLRequest import CreateTTLRequest
from pyzookeeper.proto.DeleteRequest import DeleteRequest
from pyzookeeper.proto.GetChildrenRequest import GetChildrenRequest
from pyzookeeper.proto.GetDataRequest import GetDataRequest
from pyzookeeper.proto.SetDataRequest import SetDataRequest
from pyzookeeper.ZooDefs import OpCode


class OpKind(enum.Enum):
    TRANSACTION = "TRANSACTION"
    READ = "READ"


class Op:
    """An operation: its op code, path, kind and request record."""

    __slots__ = ("_type", "_path", "_opKind", "_record")

    OpKind = OpKind

    def __init__(self, type: int, path: str, opKind: OpKind, record) -> None:
        self._type = type
        self._path = path
        self._opKind = opKind
        self._record = record

    def getType(self) -> int:
        return self._type

    def getPath(self) -> str:
        return self._path

    def getKind(self) -> OpKind:
        return self._opKind

    def toRequestRecord(self):
        return self._record

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Op) and self._type == other._type
                and self._record == other._record)

    def __hash__(self) -> int:
        return hash((self._type, self._path))

    def __repr__(self) -> str:
        return f"Op({self._type}, {self._record!r})"

    @staticmethod
    def create(path: str, data: bytes | None, acl, createMode: CreateMode, ttl: int = -1,
               defaultOpCode: int = OpCode.create) -> "Op":
        """A create op; TTL modes become createTTL, containers createContainer."""
        if createMode.isTTL():
            return Op(OpCode.createTTL, path, OpKind.TRANSACTION,
                      CreateTTLRequest(path, data, acl, createMode.toFlag(), ttl))
        opcode = OpCode.createContainer if createMode.isContainer() else defaultOpCode
        return Op(opcode, path, OpKind.TRANSACTION, CreateRequest(path, data, acl, createMode.toFlag()))

    @staticmethod
    def delete(path: str, version: int) -> "Op":
        return Op(OpCode.delete, path, OpKind.TRANSACTION, DeleteRequest(path, version))

    @staticmethod
    def setData(path: str, data: bytes | None, version: int) -> "Op":
        return Op(OpCode.setData, path, OpKind.TRANSACTION, SetDataRequest(path, data, version))

    @staticmethod
    def check(path: str, version: int) -> "Op":
        return Op(OpCode.check, path, OpKind.TRANSACTION, CheckVersionRequest(path, version))

    @staticmethod
    def getChildren(path: str) -> "Op":
        return Op(OpCode.getChildren, path, OpKind.READ, GetChildrenRequest(path, False))

    @staticmethod
    def getData(path: str) -> "Op":
        return Op(OpCode.getData, path, OpKind.READ, GetDataRequest(path, False))
