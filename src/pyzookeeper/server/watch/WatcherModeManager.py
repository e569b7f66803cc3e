"""Mirrors org.apache.zookeeper.server.watch.WatcherModeManager: the mode of each
(watcher, path) pair that is not a standard watch, and how many are recursive."""

from __future__ import annotations

import threading

from pyzookeeper.server.watch.WatcherMode import WatcherMode

_STANDARD = WatcherMode.STANDARD


class WatcherModeManager:
    __slots__ = ("watcherModes", "recursiveQty", "_lock")

    def __init__(self) -> None:
        self.watcherModes: dict[tuple, WatcherMode] = {}
        self.recursiveQty = 0
        self._lock = threading.Lock()

    def getWatcherModes(self) -> dict[tuple, WatcherMode]:
        return self.watcherModes

    def setWatcherMode(self, watcher, path: str, mode: WatcherMode) -> None:
        if mode is _STANDARD:
            self.removeWatcher(watcher, path)
        else:
            with self._lock:
                key = (watcher, path)
                old = self.watcherModes.get(key)
                self.watcherModes[key] = mode
                self._adjustRecursiveQty(old, mode)

    def getWatcherMode(self, watcher, path: str) -> WatcherMode:
        return self.watcherModes.get((watcher, path), _STANDARD)

    def removeWatcher(self, watcher, path: str) -> None:
        with self._lock:
            self._adjustRecursiveQty(self.watcherModes.pop((watcher, path), None), _STANDARD)

    def getRecursiveQty(self) -> int:
        return self.recursiveQty

    def _adjustRecursiveQty(self, oldMode: WatcherMode | None, newMode: WatcherMode) -> None:
        if oldMode is None:
            oldMode = _STANDARD
        if oldMode.isRecursive() != newMode.isRecursive():
            if newMode.isRecursive():
                self.recursiveQty += 1
            else:
                self.recursiveQty -= 1
