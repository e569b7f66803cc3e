"""Mirrors org.apache.zookeeper.server.watch.WatchesReport: watched paths by session id.

Its copies iterate as Java's: a ``HashMap<Long, Set<String>>`` of ``HashSet`` copies."""

from __future__ import annotations

from pyzookeeper.common.java_concurrent_hash_map import long_hash
from pyzookeeper.common.java_hash_set import JavaHashSet, hash_map_order


def _deepCopy(m: dict) -> dict:
    return {k: JavaHashSet.copy_of(m[k]) for k in hash_map_order(m, long_hash)}


class WatchesReport:
    __slots__ = ("id2paths",)

    def __init__(self, id2paths: dict[int, set[str]]) -> None:
        self.id2paths = _deepCopy(id2paths)

    def hasPaths(self, sessionId: int) -> bool:
        return sessionId in self.id2paths

    def getPaths(self, sessionId: int) -> frozenset[str] | None:
        s = self.id2paths.get(sessionId)
        return frozenset(s) if s is not None else None

    def toMap(self) -> dict[int, JavaHashSet]:
        return _deepCopy(self.id2paths)
