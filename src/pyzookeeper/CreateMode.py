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

    def isEphemeral(self) -> bool:
        return self.value[1]

    def isSequential(self) -> bool:
        return self.value[2]

    def isContainer(self) -> bool:
        return self.value[3]

    def isTTL(self) -> bool:
        return self.value[4]

    def toFlag(self) -> int:
        return self.value[0]

    @staticmethod
    def fromFlag(flag: int, defaultMode: "CreateMode | None" = None) -> "CreateMode":
        mode = _BY_FLAG.get(flag)
        if mode is not None:
            return mode
        if defaultMode is not None:
            return defaultMode
        raise KeeperException.create(Code.BADARGUMENTS)


_BY_FLAG = {m.value[0]: m for m in CreateMode}
