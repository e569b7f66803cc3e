"""Mirrors org.apache.zookeeper.MultiOperationRecord: the body of a multi or
multiRead request (formats.md §2.6)."""

from __future__ import annotations

from pyzookeeper.CreateMode import CreateMode
from pyzookeeper.jute.Record import Record
from pyzookeeper.KeeperException import KeeperException
from pyzookeeper.Op import Op
from pyzookeeper.proto.CheckVersionRequest import CheckVersionRequest
from pyzookeeper.proto.CreateRequest import CreateRequest
from pyzookeeper.proto.CreateTTLRequest import CreateTTLRequest
from pyzookeeper.proto.DeleteRequest import DeleteRequest
from pyzookeeper.proto.GetChildrenRequest import GetChildrenRequest
from pyzookeeper.proto.GetDataRequest import GetDataRequest
from pyzookeeper.proto.MultiHeader import MultiHeader
from pyzookeeper.proto.SetDataRequest import SetDataRequest
from pyzookeeper.ZooDefs import OpCode

_CREATE_TYPES = (OpCode.create, OpCode.create2, OpCode.createContainer)
_WRITABLE = frozenset({OpCode.create, OpCode.create2, OpCode.createTTL, OpCode.createContainer,
                       OpCode.delete, OpCode.setData, OpCode.check, OpCode.getChildren, OpCode.getData})


class MultiOperationRecord(Record):
    __slots__ = ("ops", "opKind")
    _fields = ("ops",)

    def __init__(self, ops=None) -> None:
        self.ops: list[Op] = []
        self.opKind = None
        for op in ops or ():
            self.add(op)

    def __iter__(self):
        return iter(self.ops)

    def add(self, op: Op) -> None:
        self._setOrCheckOpKind(op.getKind())
        self.ops.append(op)

    def size(self) -> int:
        return len(self.ops)

    def getOpKind(self):
        return self.opKind

    def _setOrCheckOpKind(self, ok) -> None:
        if self.opKind is None:
            self.opKind = ok
        elif ok != self.opKind:
            raise ValueError("Mixing read and write operations (transactions)"
                             " is not allowed in a multi request.")

    def serialize(self, archive, tag: str) -> None:
        archive.startRecord(self, tag)
        for op in self.ops:
            MultiHeader(op.getType(), False, -1).serialize(archive, tag)
            if op.getType() not in _WRITABLE:
                raise IOError("Invalid type of op")
            op.toRequestRecord().serialize(archive, tag)
        MultiHeader(-1, True, -1).serialize(archive, tag)
        archive.endRecord(self, tag)

    def deserialize(self, archive, tag: str) -> None:
        archive.startRecord(tag)
        h = MultiHeader()
        h.deserialize(archive, tag)
        try:
            while not h.done:
                t = h.type
                if t in _CREATE_TYPES:
                    cr = CreateRequest()
                    cr.deserialize(archive, tag)
                    try:
                        createMode = CreateMode.fromFlag(cr.flags)
                    except KeeperException:
                        raise IOError(f"invalid flag {cr.flags} for create mode") from None
                    if createMode.isTTL():
                        # a TTL mode needs a ttl, which a CreateRequest does not carry
                        raise ValueError("ttl not valid")
                    self.add(Op.create(cr.path, cr.data, cr.acl, createMode, defaultOpCode=t))
                elif t == OpCode.createTTL:
                    crTtl = CreateTTLRequest()
                    crTtl.deserialize(archive, tag)
                    createMode = CreateMode.fromFlag(crTtl.flags, CreateMode.PERSISTENT)
                    if createMode.isTTL():
                        self.add(Op(OpCode.createTTL, crTtl.path, Op.OpKind.TRANSACTION, crTtl))
                    else:
                        opcode = OpCode.createContainer if createMode.isContainer() else OpCode.create
                        self.add(Op(opcode, crTtl.path, Op.OpKind.TRANSACTION,
                                    CreateRequest(crTtl.path, crTtl.data, crTtl.acl, crTtl.flags)))
                elif t == OpCode.delete:
                    dr = DeleteRequest()
                    dr.deserialize(archive, tag)
                    self.add(Op.delete(dr.path, dr.version))
                elif t == OpCode.setData:
                    sdr = SetDataRequest()
                    sdr.deserialize(archive, tag)
                    self.add(Op.setData(sdr.path, sdr.data, sdr.version))
                elif t == OpCode.check:
                    cvr = CheckVersionRequest()
                    cvr.deserialize(archive, tag)
                    self.add(Op.check(cvr.path, cvr.version))
                elif t == OpCode.getChildren:
                    gcr = GetChildrenRequest()
                    gcr.deserialize(archive, tag)
                    self.add(Op.getChildren(gcr.path))
                elif t == OpCode.getData:
                    gdr = GetDataRequest()
                    gdr.deserialize(archive, tag)
                    self.add(Op.getData(gdr.path))
                else:
                    raise IOError("Invalid type of op")
                h.deserialize(archive, tag)
        except ValueError:
            raise IOError("Mixing different kind of ops") from None
        archive.endRecord(tag)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, MultiOperationRecord) and self.ops == other.ops

    def __hash__(self) -> int:
        return hash(tuple(self.ops))
