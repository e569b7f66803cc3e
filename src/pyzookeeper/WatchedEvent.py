"""Mirrors org.apache.zookeeper.WatchedEvent."""

from __future__ import annotations

from pyzookeeper.proto.WatcherEvent import WatcherEvent
from pyzookeeper.Watcher import EventType, KeeperState


class WatchedEvent:
    __slots__ = ("keeperState", "eventType", "path", "zxid")

    NO_ZXID = -1

    def __init__(self, eventType: EventType, keeperState: KeeperState, path: str | None,
                 zxid: int = -1) -> None:
        self.eventType = eventType
        self.keeperState = keeperState
        self.path = path
        self.zxid = zxid

    def getState(self) -> KeeperState:
        return self.keeperState

    def getType(self) -> EventType:
        return self.eventType

    def getPath(self) -> str | None:
        return self.path

    def getZxid(self) -> int:
        return self.zxid

    def getWrapper(self) -> WatcherEvent:
        """The wire form sent to clients."""
        return WatcherEvent(int(self.eventType), int(self.keeperState), self.path)

    def __str__(self) -> str:
        return f"WatchedEvent state:{self.keeperState.name} type:{self.eventType} path:{self.path} zxid: {self.zxid}"

    __repr__ = __str__
