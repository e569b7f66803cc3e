"""Mirrors org.apache.zookeeper.server.watch.WatchManagerOptimized: standard
watches only, kept per path as a BitHashSet of watcher bits (a BitMap numbers
the watchers); a closed connection's watches are dropped lazily by a
WatcherCleaner, and paths left empty by it go at their next trigger.

As in Java, persistent and persistent-recursive watches are refused
(NotImplementedError, Java's UnsupportedOperationException), and a trigger's
suppress set is made of this manager's bits.

Deliberate difference: Java's read-write lock around adding and removing paths
is one mutex (the readers, adders of watches, would take turns under the
interpreter lock anyway). A null (None) path fails as Java's
ConcurrentHashMap fails for it (TypeError for its NullPointerException).
"""

from __future__ import annotations

import logging
import threading

from pyzookeeper.server.ServerMetrics import ServerMetrics
from pyzookeeper.server.ServerWatcher import ServerWatcher
from pyzookeeper.server.util.BitHashSet import BitHashSet
from pyzookeeper.server.util.BitMap import BitMap
from pyzookeeper.server.watch.IDeadWatcherListener import IDeadWatcherListener
from pyzookeeper.server.watch.IWatchManager import IWatchManager
from pyzookeeper.server.watch.WatcherCleaner import WatcherCleaner
from pyzookeeper.server.watch.WatcherMode import WatcherMode
from pyzookeeper.server.watch.WatcherOrBitSet import WatcherOrBitSet
from pyzookeeper.server.watch.WatchesPathReport import WatchesPathReport
from pyzookeeper.server.watch.WatchesReport import WatchesReport
from pyzookeeper.server.watch.WatchesSummary import WatchesSummary
from pyzookeeper.WatchedEvent import WatchedEvent
from pyzookeeper.Watcher import EventType, KeeperState

LOG = logging.getLogger(__name__)

_DEFAULT_WATCHER_MODE = WatcherMode.DEFAULT_WATCHER_MODE


def _isServerCnxn(watcher) -> bool:
    # Java asks ``instanceof ServerCnxn``: here, anything with a session
    return hasattr(watcher, "getSessionId")


def _checkPath(path) -> None:
    if path is None:
        raise TypeError("path is null")


class WatchManagerOptimized(IWatchManager, IDeadWatcherListener):

    def __init__(self) -> None:
        self.pathWatches: dict[str, BitHashSet] = {}
        self.watcherBitIdMap: BitMap = BitMap()
        self.addRemovePathRWLock = threading.Lock()
        self.watcherCleaner = WatcherCleaner(self)
        self.watcherCleaner.start()

    def addWatch(self, path: str, watcher, watcherMode: WatcherMode = _DEFAULT_WATCHER_MODE) -> bool:
        if watcherMode is not _DEFAULT_WATCHER_MODE:
            raise NotImplementedError(f"{watcherMode.name} watches need a watch manager that supports them")
        with self.addRemovePathRWLock:
            # checked under the lock: removeWatcher(watcher) of a closing
            # connection must not be overtaken by a late watch of it
            if self.isDeadWatcher(watcher):
                LOG.debug("Ignoring addWatch with closed cnxn")
                return False
            bit = self.watcherBitIdMap.add(watcher)
            _checkPath(path)
            watchers = self.pathWatches.get(path)
            if watchers is None:
                watchers = self.pathWatches[path] = BitHashSet()
            return watchers.add(bit)

    def containsWatcher(self, path: str, watcher) -> bool:
        _checkPath(path)
        watchers = self.pathWatches.get(path)
        return watchers is not None and watchers.contains(self.watcherBitIdMap.getBit(watcher))

    def removeWatcher(self, path, watcher=None):
        if watcher is None:
            self._removeAllWatches(path)
            return None
        with self.addRemovePathRWLock:
            _checkPath(path)
            watchers = self.pathWatches.get(path)
            if watchers is None or not watchers.remove(self.watcherBitIdMap.getBit(watcher)):
                return False
            if watchers.isEmpty():
                del self.pathWatches[path]
            return True

    def _removeAllWatches(self, watcher) -> None:
        with self.addRemovePathRWLock:
            watcherBit = self.watcherBitIdMap.getBit(watcher)
            if watcherBit is None:
                return
        # the connection is already stale, so no watch of it can be added any
        # more: its bit is queued for the cleaner outside the lock, as that
        # may wait for earlier batches to be cleaned
        self.watcherCleaner.addDeadWatcher(watcherBit)

    def processDeadWatchers(self, deadWatchers: set[int]) -> None:
        bits = 0
        for dw in deadWatchers:
            bits |= 1 << dw
        for watchers in list(self.pathWatches.values()):
            watchers.remove(deadWatchers, bits)
        # the paths left empty go when they are next triggered
        watcherBitIdMap = self.watcherBitIdMap
        for wbit in deadWatchers:
            watcherBitIdMap.remove(wbit)

    def triggerWatch(self, path: str, type: EventType, acl, suppress: WatcherOrBitSet | None = None):
        watchers = self._remove(path)
        if watchers is None:
            return None
        e = WatchedEvent(type, KeeperState.SyncConnected, path)
        triggeredWatches = 0
        watcherBitIdMap = self.watcherBitIdMap
        with watchers:
            for wBit in watchers:
                if suppress is not None and suppress.contains(wBit):
                    continue
                w = watcherBitIdMap.get(wBit)
                if w is None or self.isDeadWatcher(w):
                    continue
                if isinstance(w, ServerWatcher):
                    w.process(e, acl)
                else:
                    w.process(e)
                triggeredWatches += 1
        self.updateMetrics(type, triggeredWatches)
        return WatcherOrBitSet(watchers)

    def size(self) -> int:
        return sum(watches.size() for watches in list(self.pathWatches.values()))

    def shutdown(self) -> None:
        if self.watcherCleaner is not None:
            self.watcherCleaner.shutdown()

    def _remove(self, path: str) -> BitHashSet | None:
        with self.addRemovePathRWLock:
            _checkPath(path)
            return self.pathWatches.pop(path, None)

    def updateMetrics(self, type: EventType, size: int) -> None:
        metrics = ServerMetrics.getMetrics()
        if type == EventType.NodeCreated:
            metrics.NODE_CREATED_WATCHER.add(size)
        elif type == EventType.NodeDeleted:
            metrics.NODE_DELETED_WATCHER.add(size)
        elif type == EventType.NodeDataChanged:
            metrics.NODE_CHANGED_WATCHER.add(size)
        elif type == EventType.NodeChildrenChanged:
            metrics.NODE_CHILDREN_WATCHER.add(size)

    def isDeadWatcher(self, watcher) -> bool:
        # Java asks ServerCnxn.isStale(); any watcher that can go stale answers here
        isStale = getattr(watcher, "isStale", None)
        return isStale is not None and isStale()

    def pathSize(self) -> int:
        return len(self.pathWatches)

    def getWatchesSummary(self) -> WatchesSummary:
        return WatchesSummary(self.watcherBitIdMap.size(), self.pathSize(), self.size())

    def getWatches(self) -> WatchesReport:
        id2paths: dict[int, set[str]] = {}
        for watcher, paths in self.getWatcher2PathesMap().items():
            id2paths[watcher.getSessionId()] = set(paths)
        return WatchesReport(id2paths)

    def getWatchesByPath(self) -> WatchesPathReport:
        path2ids: dict[str, set[int]] = {}
        watcherBitIdMap = self.watcherBitIdMap
        for path, watchers in list(self.pathWatches.items()):
            with watchers:
                ids: set[int] = set()
                path2ids[path] = ids
                for wbit in watchers:
                    watcher = watcherBitIdMap.get(wbit)
                    if _isServerCnxn(watcher):
                        ids.add(watcher.getSessionId())
        return WatchesPathReport(path2ids)

    def getWatcher2PathesMap(self) -> dict[object, set[str]]:
        """The watched paths of each watcher (a walk of every path)."""
        watcher2paths: dict[object, set[str]] = {}
        watcherBitIdMap = self.watcherBitIdMap
        for path, watchers in list(self.pathWatches.items()):
            with watchers:
                for wbit in watchers:
                    w = watcherBitIdMap.get(wbit)
                    if w is None:
                        continue
                    paths = watcher2paths.get(w)
                    if paths is None:
                        paths = watcher2paths[w] = set()
                    paths.add(path)
        return watcher2paths

    def dumpWatches(self, pwriter, byPath: bool) -> None:
        if byPath:
            watcherBitIdMap = self.watcherBitIdMap
            for path, watchers in list(self.pathWatches.items()):
                pwriter.write(path + "\n")
                with watchers:
                    for wbit in watchers:
                        w = watcherBitIdMap.get(wbit)
                        if not _isServerCnxn(w):
                            continue
                        pwriter.write("\t0x" + _hex(w.getSessionId()) + "\n")
        else:
            for w, paths in self.getWatcher2PathesMap().items():
                pwriter.write("0x" + _hex(w.getSessionId()) + "\n")
                for path in paths:
                    pwriter.write("\t" + path + "\n")

    def toString(self) -> str:
        return (f"{self.watcherBitIdMap.size()} connections watching {self.pathSize()} paths\n"
                f"Total watches:{self.size()}")

    __str__ = toString


def _hex(value: int) -> str:
    """Java's ``Long.toHexString``."""
    return format(value & 0xFFFFFFFFFFFFFFFF, "x")
