"""Mirrors org.apache.zookeeper.Watcher with its nested Event.KeeperState,
Event.EventType and WatcherType enums."""

from __future__ import annotations

import enum


class KeeperState(enum.IntEnum):
    Unknown = -1
    Disconnected = 0
    NoSyncConnected = 1
    SyncConnected = 3
    AuthFailed = 4
    ConnectedReadOnly = 5
    SaslAuthenticated = 6
    Expired = -112
    Closed = 7

    def getIntValue(self) -> int:
        return int(self)

    @staticmethod
    def fromInt(value: int) -> "KeeperState":
        return KeeperState(value)


class EventType(enum.IntEnum):
    None_ = -1
    NodeCreated = 1
    NodeDeleted = 2
    NodeDataChanged = 3
    NodeChildrenChanged = 4
    DataWatchRemoved = 5
    ChildWatchRemoved = 6
    PersistentWatchRemoved = 7

    def getIntValue(self) -> int:
        return int(self)

    @staticmethod
    def fromInt(value: int) -> "EventType":
        return EventType(value)

    def __str__(self) -> str:
        return "None" if self is EventType.None_ else self.name


class WatcherType(enum.IntEnum):
    Children = 1
    Data = 2
    Any = 3

    def getIntValue(self) -> int:
        return int(self)

    @staticmethod
    def fromInt(value: int) -> "WatcherType":
        return WatcherType(value)


class Event:
    KeeperState = KeeperState
    EventType = EventType


class Watcher:
    """Anything that receives watch events (the server side: a ServerCnxn)."""

    Event = Event
    WatcherType = WatcherType

    def process(self, event) -> None:
        raise NotImplementedError
