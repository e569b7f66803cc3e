"""Mirrors org.apache.zookeeper.OpResult and its nested result classes."""

from __future__ import annotations

from pyzookeeper.ZooDefs import OpCode


class OpResult:
    __slots__ = ("type",)

    def __init__(self, type: int) -> None:
        self.type = type

    def getType(self) -> int:
        return self.type

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and all(
            getattr(self, s) == getattr(other, s) for c in type(self).__mro__ for s in getattr(c, "__slots__", ()))

    def __hash__(self) -> int:
        return hash(self.type)


class CreateResult(OpResult):
    __slots__ = ("path", "stat")

    def __init__(self, path: str, stat=None, opcode: int | None = None) -> None:
        super().__init__(opcode if opcode is not None else (OpCode.create if stat is None else OpCode.create2))
        self.path = path
        self.stat = stat

    def getPath(self) -> str:
        return self.path

    def getStat(self):
        return self.stat


class DeleteResult(OpResult):
    __slots__ = ()

    def __init__(self) -> None:
        super().__init__(OpCode.delete)


class SetDataResult(OpResult):
    __slots__ = ("stat",)

    def __init__(self, stat) -> None:
        super().__init__(OpCode.setData)
        self.stat = stat

    def getStat(self):
        return self.stat


class CheckResult(OpResult):
    __slots__ = ()

    def __init__(self) -> None:
        super().__init__(OpCode.check)


class GetChildrenResult(OpResult):
    __slots__ = ("children",)

    def __init__(self, children: list[str] | None) -> None:
        super().__init__(OpCode.getChildren)
        self.children = children

    def getChildren(self) -> list[str] | None:
        return self.children


class GetDataResult(OpResult):
    __slots__ = ("data", "stat")

    def __init__(self, data: bytes | None, stat) -> None:
        super().__init__(OpCode.getData)
        self.data = data
        self.stat = stat

    def getData(self) -> bytes | None:
        return self.data

    def getStat(self):
        return self.stat


class ErrorResult(OpResult):
    __slots__ = ("err",)

    def __init__(self, err: int) -> None:
        super().__init__(OpCode.error)
        self.err = err

    def getErr(self) -> int:
        return self.err


OpResult.CreateResult = CreateResult
OpResult.DeleteResult = DeleteResult
OpResult.SetDataResult = SetDataResult
OpResult.CheckResult = CheckResult
OpResult.GetChildrenResult = GetChildrenResult
OpResult.GetDataResult = GetDataResult
OpResult.ErrorResult = ErrorResult
