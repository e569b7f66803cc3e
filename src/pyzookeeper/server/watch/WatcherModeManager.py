"""Mirrors org.apache.zookeeper.server.watch.WatcherModeManager: the mode of each
(watcher, path) pair that is not a standard watch, and how many are recursive.

A null (None) path fails where Java's fails: Java's map compares keys of equal
hash with ``Key.equals``, which dereferences the path of the key looked up, so
a null path throws once the map holds a key of the same watcher whose path is
null or has ``String.hashCode()`` 0.
"""

from __future__ import annotations

import threading

from pyzookeeper.common.java_hash_set import string_hash
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
                if path is None:
                    self._checkNullPath(watcher)
                key = (watcher, path)
                old = self.watcherModes.get(key)
                self.watcherModes[key] = mode
                self._adjustRecursiveQty(old, mode)

    def getWatcherMode(self, watcher, path: str) -> WatcherMode:
        if path is None:
            self._checkNullPath(watcher)
        return self.watcherModes.get((watcher, path), _STANDARD)

    def removeWatcher(self, watcher, path: str) -> None:
        with self._lock:
            if path is None:
                self._checkNullPath(watcher)
            self._adjustRecursiveQty(self.watcherModes.pop((watcher, path), None), _STANDARD)

    def discard_watcher(self, watcher, path: str | None) -> None:
        """``removeWatcher`` that takes a null path too: a closing connection's
        watches all go, where Java stops at the first null path."""
        with self._lock:
            self._adjustRecursiveQty(self.watcherModes.pop((watcher, path), None), _STANDARD)

    def getRecursiveQty(self) -> int:
        return self.recursiveQty

    def _checkNullPath(self, watcher) -> None:
        for w, p in list(self.watcherModes):
            if w == watcher and (p is None or string_hash(p) == 0):
                raise TypeError("path is null")

    def _adjustRecursiveQty(self, oldMode: WatcherMode | None, newMode: WatcherMode) -> None:
        if oldMode is None:
            oldMode = _STANDARD
        if oldMode.isRecursive() != newMode.isRecursive():
            if newMode.isRecursive():
                self.recursiveQty += 1
            else:
                self.recursiveQty -= 1
