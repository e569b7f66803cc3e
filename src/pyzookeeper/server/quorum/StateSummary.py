"""Mirrors org.apache.zookeeper.server.quorum.StateSummary: a peer's
(currentEpoch, lastZxid), compared epoch first."""

from __future__ import annotations


class StateSummary:
    __slots__ = ("currentEpoch", "lastZxid")

    def __init__(self, currentEpoch: int, lastZxid: int) -> None:
        self.currentEpoch = currentEpoch
        self.lastZxid = lastZxid

    def getCurrentEpoch(self) -> int:
        return self.currentEpoch

    def getLastZxid(self) -> int:
        return self.lastZxid

    def isMoreRecentThan(self, ss: "StateSummary") -> bool:
        return self.currentEpoch > ss.currentEpoch or (
            self.currentEpoch == ss.currentEpoch and self.lastZxid > ss.lastZxid)

    def __eq__(self, obj: object) -> bool:
        if not isinstance(obj, StateSummary):
            return False
        return self.currentEpoch == obj.currentEpoch and self.lastZxid == obj.lastZxid

    def __hash__(self) -> int:
        return hash((self.currentEpoch, self.lastZxid))
