"""Mirrors org.apache.zookeeper.server.watch.WatchesPathReport: watching session ids by path."""

from __future__ import annotations


def _deepCopy(m: dict) -> dict:
    return {k: set(v) for k, v in m.items()}


class WatchesPathReport:
    __slots__ = ("path2Ids",)

    def __init__(self, path2Ids: dict[str, set[int]]) -> None:
        self.path2Ids = _deepCopy(path2Ids)

    def hasSessions(self, path: str) -> bool:
        return path in self.path2Ids

    def getSessions(self, path: str) -> frozenset[int] | None:
        s = self.path2Ids.get(path)
        return frozenset(s) if s is not None else None

    def toMap(self) -> dict[str, set[int]]:
        return _deepCopy(self.path2Ids)
