"""Mirrors org.apache.zookeeper.server.watch.WatchesPathReport: watching session ids by path.

Its copies iterate as Java's: a ``HashMap<String, Set<Long>>`` of ``HashSet``
copies (a null path is ordered as the key "\\0", whose hash is also 0)."""

from __future__ import annotations

from collections.abc import KeysView

from pyzookeeper.common.java_concurrent_hash_map import long_hash
from pyzookeeper.common.java_hash_set import JavaHashSet, hash_map_order, hash_set_copy_capacity


def _deepCopy(m: dict) -> dict:
    keys = JavaHashSet()
    for path in m:
        keys.add("\0" if path is None else path)
    out = {}
    for key in keys.to_list():
        path = None if key == "\0" and None in m else key
        ids = list(m[path])
        # an ordered set of ids: the keys of a dict
        out[path] = dict.fromkeys(hash_map_order(ids, long_hash, hash_set_copy_capacity(len(ids)))).keys()
    return out


class WatchesPathReport:
    __slots__ = ("path2Ids",)

    def __init__(self, path2Ids: dict[str, set[int]]) -> None:
        self.path2Ids = _deepCopy(path2Ids)

    def hasSessions(self, path: str) -> bool:
        return path in self.path2Ids

    def getSessions(self, path: str) -> frozenset[int] | None:
        s = self.path2Ids.get(path)
        return frozenset(s) if s is not None else None

    def toMap(self) -> dict[str, KeysView[int]]:
        return _deepCopy(self.path2Ids)
