"""Mirrors org.apache.zookeeper.server.watch.WatchManager: watches by path and by
watcher, standard (one-shot), persistent and persistent-recursive.

Thread-safe as Java's synchronized methods are: one lock guards the tables;
events are delivered outside it.

A null (None) path is kept as Java's HashMaps keep it, and fails where Java's
fails (WatcherModeManager, PathParentIterator), leaving the tables as Java
leaves them. Unlike Java, removing all the watches of a closing connection
does not stop at a null path, and also drops what such a failure left behind.

The paths of the watch table, and each watcher's paths, iterate in the order
of Java's ``HashMap<String, ...>`` and ``HashSet<String>`` (wchp, wchc and the
AdminServer's watch reports list them so); watchers, which Java orders by
identity hash, come in Python's set order.
"""

from __future__ import annotations

import logging
import threading

from pyzookeeper.common.java_concurrent_hash_map import long_hash
from pyzookeeper.common.java_hash_set import JavaHashSet, hash_map_order, table_size_for
from pyzookeeper.server.ServerMetrics import ServerMetrics
from pyzookeeper.server.ServerWatcher import ServerWatcher
from pyzookeeper.server.watch.IWatchManager import IWatchManager
from pyzookeeper.server.watch.PathParentIterator import PathParentIterator
from pyzookeeper.server.watch.WatcherMode import WatcherMode
from pyzookeeper.server.watch.WatcherModeManager import WatcherModeManager
from pyzookeeper.server.watch.WatcherOrBitSet import WatcherOrBitSet
from pyzookeeper.server.watch.WatchesPathReport import WatchesPathReport
from pyzookeeper.server.watch.WatchesReport import WatchesReport
from pyzookeeper.server.watch.WatchesSummary import WatchesSummary
from pyzookeeper.WatchedEvent import WatchedEvent
from pyzookeeper.Watcher import EventType, KeeperState

LOG = logging.getLogger(__name__)

_STANDARD = WatcherMode.STANDARD
# stands for a null path in the order of the watch table's keys: hash 0, as
# Java's HashMap hashes null
_NULL_PATH = "\0"


def _isDeadWatcher(watcher) -> bool:
    # Java asks ServerCnxn.isStale(); any watcher that can go stale answers here
    isStale = getattr(watcher, "isStale", None)
    return isStale is not None and isStale()


class WatchManager(IWatchManager):

    def __init__(self) -> None:
        self.watchTable: dict[str, set] = {}
        # the keys of watchTable, in Java's HashMap order
        self.watchTableOrder = JavaHashSet()
        self.watch2Paths: dict[object, JavaHashSet] = {}
        self.watcherModeManager = WatcherModeManager()
        self._lock = threading.Lock()

    def size(self) -> int:
        with self._lock:
            return sum(len(watches) for watches in self.watchTable.values())

    def addWatch(self, path: str, watcher, watcherMode: WatcherMode = _STANDARD) -> bool:
        if _isDeadWatcher(watcher):
            LOG.debug("Ignoring addWatch with closed cnxn")
            return False
        with self._lock:
            watchers = self.watchTable.get(path)
            if watchers is None:
                watchers = self.watchTable[path] = set()
                self.watchTableOrder.add(_NULL_PATH if path is None else path)
            watchers.add(watcher)
            paths = self.watch2Paths.get(watcher)
            if paths is None:
                paths = self.watch2Paths[watcher] = JavaHashSet()
            self.watcherModeManager.setWatcherMode(watcher, path, watcherMode)
            if path in paths:
                return False
            paths.add(path)
            return True

    def removeWatcher(self, path, watcher=None):
        if watcher is None:
            self._removeAllWatches(path)
            return None
        with self._lock:
            paths = self.watch2Paths.get(watcher)
            if paths is None or path not in paths:
                return False
            paths.remove(path)
            watchers = self.watchTable.get(path)
            if watchers is None or watcher not in watchers:
                return False
            watchers.remove(watcher)
            if not watchers:
                self._dropPath(path)
            self.watcherModeManager.removeWatcher(watcher, path)
            return True

    def _removeAllWatches(self, watcher) -> None:
        with self._lock:
            paths = self.watch2Paths.pop(watcher, None)
            if paths is None:
                return
            # a watch request that failed on a null path may have left the
            # watcher in the table, or its mode, without the path in ``paths``
            for p in [*paths, None]:
                watchers = self.watchTable.get(p)
                if watchers is not None:
                    watchers.discard(watcher)
                    if not watchers:
                        self._dropPath(p)
                self.watcherModeManager.discard_watcher(watcher, p)

    def _dropPath(self, path) -> None:
        """Remove an emptied path from the watch table (the lock is held)."""
        del self.watchTable[path]
        self.watchTableOrder.discard(_NULL_PATH if path is None else path)

    def triggerWatch(self, path: str, type: EventType, acl, suppress: WatcherOrBitSet | None = None):
        modes = self.watcherModeManager
        # nothing to do, and no need to wait for the lock, when nobody watches
        # this path and there is no recursive watch (a dict lookup is atomic)
        if modes.recursiveQty == 0 and path not in self.watchTable:
            return None
        with self._lock:
            watchTable = self.watchTable
            if modes.recursiveQty == 0:
                if not watchTable.get(path):
                    return None
                localPaths = (path,)
            else:
                localPaths = _pathAndParents(path)
            watchers: set = set()
            for level, localPath in enumerate(localPaths):
                thisWatchers = watchTable.get(localPath)
                if not thisWatchers:
                    continue
                for watcher in list(thisWatchers):
                    watcherMode = modes.getWatcherMode(watcher, localPath)
                    if watcherMode.isRecursive():
                        if type != EventType.NodeChildrenChanged:
                            watchers.add(watcher)
                    elif level == 0:
                        watchers.add(watcher)
                        if not watcherMode.isPersistent():
                            thisWatchers.remove(watcher)
                            paths = self.watch2Paths.get(watcher)
                            if paths is not None:
                                paths.discard(localPath)
                if not thisWatchers:
                    self._dropPath(localPath)
        if not watchers:
            return None
        e = WatchedEvent(type, KeeperState.SyncConnected, path)
        for w in watchers:
            if suppress is not None and suppress.contains(w):
                continue
            if isinstance(w, ServerWatcher):
                w.process(e, acl)
            else:
                w.process(e)
        metrics = ServerMetrics.getMetrics()
        if type == EventType.NodeCreated:
            metrics.NODE_CREATED_WATCHER.add(len(watchers))
        elif type == EventType.NodeDeleted:
            metrics.NODE_DELETED_WATCHER.add(len(watchers))
        elif type == EventType.NodeDataChanged:
            metrics.NODE_CHANGED_WATCHER.add(len(watchers))
        elif type == EventType.NodeChildrenChanged:
            metrics.NODE_CHILDREN_WATCHER.add(len(watchers))
        return WatcherOrBitSet(watchers)

    def toString(self) -> str:
        with self._lock:
            total = sum(len(paths) for paths in self.watch2Paths.values())
            return (f"{len(self.watch2Paths)} connections watching {len(self.watchTable)} paths\n"
                    f"Total watches:{total}")

    __str__ = toString

    def dumpWatches(self, pwriter, byPath: bool) -> None:
        with self._lock:
            if byPath:
                for path, watchers in self._tableInOrder():
                    pwriter.write(_text(path) + "\n")
                    for w in watchers:
                        pwriter.write("\t0x" + _hex(w.getSessionId()) + "\n")
            else:
                for w, paths in self.watch2Paths.items():
                    pwriter.write("0x" + _hex(w.getSessionId()) + "\n")
                    for path in paths:
                        pwriter.write("\t" + _text(path) + "\n")

    def containsWatcher(self, path: str, watcher) -> bool:
        with self._lock:
            watcherMode = self.watcherModeManager.getWatcherMode(watcher, path)
            pathParentIterator = self._getPathParentIterator(path)
            for localPath in pathParentIterator:
                watchers = self.watchTable.get(localPath)
                if not pathParentIterator.atParentPath():
                    if watchers is not None:
                        return True
                if watcherMode.isRecursive():
                    return True
            return False

    def getWatches(self) -> WatchesReport:
        with self._lock:
            copies = {w.getSessionId(): JavaHashSet.copy_of(paths) for w, paths in self.watch2Paths.items()}
            # a HashMap<Long, Set<String>>
            return WatchesReport({sid: copies[sid] for sid in hash_map_order(copies, long_hash)})

    def getWatchesByPath(self) -> WatchesPathReport:
        with self._lock:
            # a HashMap<String, Set<Long>> filled in the watch table's order,
            # each set sized for the path's watchers
            table = self._tableInOrder()
            keys = JavaHashSet()
            for path, _ in table:
                keys.add(_NULL_PATH if path is None else path)
            byKey = {(_NULL_PATH if path is None else path): (path, watchers) for path, watchers in table}
            path2ids: dict[str | None, list[int]] = {}
            for key in keys.to_list():
                path, watchers = byKey[key]
                ids = list(dict.fromkeys(w.getSessionId() for w in watchers))
                path2ids[path] = hash_map_order(ids, long_hash, table_size_for(len(watchers)))
            return WatchesPathReport(path2ids)

    def _tableInOrder(self) -> list[tuple[str | None, set]]:
        """The watch table's (path, watchers) in Java's order (the lock is held)."""
        table = self.watchTable
        out = []
        for key in self.watchTableOrder.to_list():
            path = None if key == _NULL_PATH and None in table else key
            out.append((path, table[path]))
        return out

    def getWatchesSummary(self) -> WatchesSummary:
        with self._lock:
            totalWatches = sum(len(paths) for paths in self.watch2Paths.values())
            return WatchesSummary(len(self.watch2Paths), len(self.watchTable), totalWatches)

    def shutdown(self) -> None:
        pass

    def getRecursiveWatchQty(self) -> int:
        return self.watcherModeManager.getRecursiveQty()

    def _getPathParentIterator(self, path: str) -> PathParentIterator:
        if self.watcherModeManager.getRecursiveQty() == 0:
            return PathParentIterator.forPathOnly(path)
        return PathParentIterator.forAll(path)


def _pathAndParents(path: str) -> list[str]:
    """What PathParentIterator.forAll yields: the path, then each parent up to "/"."""
    return list(PathParentIterator.forAll(path))


def _text(path: str | None) -> str:
    """A path as Java's PrintWriter prints a String, null included."""
    return "null" if path is None else path


def _hex(value: int) -> str:
    return format(value & 0xFFFFFFFFFFFFFFFF, "x")
