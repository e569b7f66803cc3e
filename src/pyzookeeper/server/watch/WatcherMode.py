"""Mirrors org.apache.zookeeper.server.watch.WatcherMode: standard (one-shot),
persistent, or persistent and recursive."""

from __future__ import annotations

import enum

from pyzookeeper.ZooDefs import AddWatchModes


class WatcherMode(enum.Enum):
    STANDARD = (False, False)
    PERSISTENT = (True, False)
    PERSISTENT_RECURSIVE = (True, True)

    def isPersistent(self) -> bool:
        return self.value[0]

    def isRecursive(self) -> bool:
        return self.value[1]

    @staticmethod
    def fromZooDef(mode: int) -> "WatcherMode":
        """The mode of an addWatch request (``ZooDefs.AddWatchModes``)."""
        if mode == AddWatchModes.persistent:
            return WatcherMode.PERSISTENT
        if mode == AddWatchModes.persistentRecursive:
            return WatcherMode.PERSISTENT_RECURSIVE
        raise ValueError("Unsupported mode: " + str(mode))


WatcherMode.DEFAULT_WATCHER_MODE = WatcherMode.STANDARD
