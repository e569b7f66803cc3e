"""Mirrors org.apache.zookeeper.server.persistence.SnapshotInfo: the zxid and
time (seconds) of the last snapshot written or loaded."""

from __future__ import annotations


class SnapshotInfo:
    __slots__ = ("zxid", "timestamp")

    def __init__(self, zxid: int, timestamp: int) -> None:
        self.zxid = zxid
        self.timestamp = timestamp

    def __repr__(self) -> str:
        return f"SnapshotInfo(zxid=0x{self.zxid & 0xFFFFFFFFFFFFFFFF:x}, timestamp={self.timestamp})"
