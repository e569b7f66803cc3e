"""Mirrors org.apache.zookeeper.server.watch.IWatchManager: what the DataTree needs
from a watch manager.

Java's overloads become optional arguments: ``addWatch(path, watcher[, mode])``,
``triggerWatch(path, type, acl[, suppress])``, and ``removeWatcher(path,
watcher)`` / ``removeWatcher(watcher)`` (a single argument removes every watch
of that watcher).
"""

from __future__ import annotations

import abc

from pyzookeeper.server.watch.WatcherMode import WatcherMode


class IWatchManager(abc.ABC):

    @abc.abstractmethod
    def addWatch(self, path: str, watcher, watcherMode: WatcherMode = WatcherMode.STANDARD) -> bool:
        """Add a watch; False when ``watcher`` already watched ``path`` or is a dead
        connection. Managers that only know standard watches raise
        NotImplementedError for the other modes."""

    @abc.abstractmethod
    def containsWatcher(self, path: str, watcher) -> bool:
        """Whether ``watcher`` watches ``path`` (directly or through a recursive parent)."""

    @abc.abstractmethod
    def removeWatcher(self, path, watcher=None):
        """``removeWatcher(path, watcher) -> bool`` removes one watch;
        ``removeWatcher(watcher)`` removes all of a watcher's watches."""

    @abc.abstractmethod
    def triggerWatch(self, path: str, type, acl, suppress=None):
        """Deliver ``type`` for ``path`` to its watchers (skipping those in
        ``suppress``); returns the watchers as a WatcherOrBitSet, or None."""

    @abc.abstractmethod
    def size(self) -> int:
        """The number of (path, watcher) pairs."""

    @abc.abstractmethod
    def shutdown(self) -> None:
        """Stop any background work."""

    @abc.abstractmethod
    def getWatchesSummary(self):
        """A WatchesSummary."""

    @abc.abstractmethod
    def getWatches(self):
        """A WatchesReport (paths by session)."""

    @abc.abstractmethod
    def getWatchesByPath(self):
        """A WatchesPathReport (sessions by path)."""

    @abc.abstractmethod
    def dumpWatches(self, pwriter, byPath: bool) -> None:
        """Write the watches as text (``wchc``/``wchp``) to ``pwriter``."""

    def getRecursiveWatchQty(self) -> int:
        return 0
