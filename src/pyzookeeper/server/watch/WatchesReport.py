"""Mirrors org.apache.zookeeper.server.watch.WatchesReport: watched paths by session id."""

from __future__ import annotations


def _deepCopy(m: dict) -> dict:
    return {k: set(v) for k, v in m.items()}


class WatchesReport:
    __slots__ = ("id2paths",)

    def __init__(self, id2paths: dict[int, set[str]]) -> None:
        self.id2paths = _deepCopy(id2paths)

    def hasPaths(self, sessionId: int) -> bool:
        return sessionId in self.id2paths

    def getPaths(self, sessionId: int) -> frozenset[str] | None:
        s = self.id2paths.get(sessionId)
        return frozenset(s) if s is not None else None

    def toMap(self) -> dict[int, set[str]]:
        return _deepCopy(self.id2paths)
