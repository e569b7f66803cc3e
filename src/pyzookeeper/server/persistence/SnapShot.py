"""Mirrors org.apache.zookeeper.server.persistence.SnapShot: the interface of
a snapshot store."""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from pathlib import Path


class SnapShot(ABC):

    @abstractmethod
    def deserialize(self, dt, sessions: dict[int, int]) -> int:
        """Load the newest valid snapshot into ``dt`` and ``sessions``; its zxid, or -1 if none."""

    @abstractmethod
    def serialize(self, dt, sessions: dict[int, int], name: os.PathLike | str, fsync: bool) -> None:
        """Write ``dt`` and ``sessions`` to the snapshot file ``name``."""

    @abstractmethod
    def findMostRecentSnapshot(self) -> Path | None:
        ...

    @abstractmethod
    def getLastSnapshotInfo(self):
        ...

    @abstractmethod
    def close(self) -> None:
        ...
