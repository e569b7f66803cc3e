"""Mirrors org.apache.zookeeper.server.watch.WatchesSummary: counts of watching
connections, watched paths and watches."""

from __future__ import annotations

KEY_NUM_CONNECTIONS = "num_connections"
KEY_NUM_PATHS = "num_paths"
KEY_NUM_TOTAL_WATCHES = "num_total_watches"


class WatchesSummary:
    __slots__ = ("numConnections", "numPaths", "totalWatches")

    KEY_NUM_CONNECTIONS = KEY_NUM_CONNECTIONS
    KEY_NUM_PATHS = KEY_NUM_PATHS
    KEY_NUM_TOTAL_WATCHES = KEY_NUM_TOTAL_WATCHES

    def __init__(self, numConnections: int, numPaths: int, totalWatches: int) -> None:
        self.numConnections = numConnections
        self.numPaths = numPaths
        self.totalWatches = totalWatches

    def getNumConnections(self) -> int:
        return self.numConnections

    def getNumPaths(self) -> int:
        return self.numPaths

    def getTotalWatches(self) -> int:
        return self.totalWatches

    def toMap(self) -> dict[str, int]:
        return {
            KEY_NUM_CONNECTIONS: self.numConnections,
            KEY_NUM_PATHS: self.numPaths,
            KEY_NUM_TOTAL_WATCHES: self.totalWatches,
        }
