"""Mirrors org.apache.zookeeper.CreateMode: the node kinds and their ``flags`` values."""

from __future__ import annotations

import enum

from pyzookeeper.KeeperException import Code, KeeperException


class CreateMode(enum.Enum):
    # (flag, ephemeral, sequential, container, ttl)
    PERSISTENT = (0, False, False, False, False)
    PERSISTENT_SEQUENTIAL = (2, False, True, False, False)
    EPHEMERAL = (1, True, False, False, False)
    EPHEMERAL_SEQUENTIAL = (3, True, True, False, False)
    CONTAINER = (4, False, False, True, False)
    PERSISTENT_WITH_TTL = (5, False, False, False, True)
    PERSISTENT_SEQUENTIAL_WITH_TTL = (6, False, True, False, True)

    def __init__(self, flag: int, ephemeral: bool, sequential: bool, container: bool, ttl: bool) -> None:
        # plain attributes: an enum's .value goes through a descriptor on every read
        self.flag = flag
        self.ephemeral = ephemeral
        self.sequential = sequential
        self.container = container
        self.ttl = ttl

    def isEphemeral(self) -> bool:
        return self.ephemeral

    def isSequential(self) -> bool:
        return self.sequential

    def isContainer(self) -> bool:
        return self.container

    def isTTL(self) -> bool:
        return self.ttl

    def toFlag(self) -> int:
        return self.flag

    @staticmethod
    def fromFlag(flag: int, defaultMode: "CreateMode | None" = None) -> "CreateMode":
        mode = _BY_FLAG.get(flag)
        if mode is not None:
            return mode
        if defaultMode is not None:
            return defaultMode
        raise KeeperException.create(Code.BADARGUMENTS)


_BY_FLAG = {m.flag: m for m in CreateMode}
