"""Mirrors org.apache.zookeeper.server.Stats: the statistics a client connection keeps."""

from __future__ import annotations

import abc
import datetime


class Stats(abc.ABC):
    """Statistics on one ServerCnxn (what ``cons`` and ``stat`` print)."""

    __slots__ = ()

    @abc.abstractmethod
    def getEstablished(self) -> datetime.datetime:
        """When the connection was established."""

    @abc.abstractmethod
    def getOutstandingRequests(self) -> int:
        """Requests submitted and not yet answered."""

    @abc.abstractmethod
    def getPacketsReceived(self) -> int:
        ...

    @abc.abstractmethod
    def getPacketsSent(self) -> int:
        """Packets sent, notifications included."""

    @abc.abstractmethod
    def getMinLatency(self) -> int:
        ...

    @abc.abstractmethod
    def getAvgLatency(self) -> int:
        ...

    @abc.abstractmethod
    def getMaxLatency(self) -> int:
        ...

    @abc.abstractmethod
    def getLastOperation(self) -> str:
        ...

    @abc.abstractmethod
    def getLastCxid(self) -> int:
        ...

    @abc.abstractmethod
    def getLastZxid(self) -> int:
        ...

    @abc.abstractmethod
    def getLastResponseTime(self) -> int:
        """Wall-clock ms of the last response sent on this connection."""

    @abc.abstractmethod
    def getLastLatency(self) -> int:
        ...

    @abc.abstractmethod
    def resetStats(self) -> None:
        ...
