"""Mirrors org.apache.zookeeper.server.ServerStats: the server-wide statistics
that ``stat``, ``srvr`` and ``mntr`` print."""

from __future__ import annotations

import abc
import collections
import decimal
import math
import threading

from pyzookeeper.common import Time
from pyzookeeper.server.metric.AvgMinMaxCounter import AvgMinMaxCounter
from pyzookeeper.server.quorum.BufferStats import BufferStats
from pyzookeeper.server.ServerMetrics import ServerMetrics


def java_double_str(d: float) -> str:
    """Java's ``Double.toString``: plain notation for 1e-3 <= |d| < 1e7, else
    ``d.dddE±n``, always with at least one digit after the point."""
    if math.isnan(d):
        return "NaN"
    if math.isinf(d):
        return "Infinity" if d > 0 else "-Infinity"
    if d == 0:
        return "-0.0" if math.copysign(1.0, d) < 0 else "0.0"
    sign = "-" if d < 0 else ""
    a = abs(d)
    if 1e-3 <= a < 1e7:
        text = repr(a)
        if "e" in text:
            text = format(decimal.Decimal(text), "f")
        if "." not in text:
            text += ".0"
        return sign + text
    t = decimal.Decimal(repr(a)).normalize().as_tuple()
    digits = "".join(map(str, t.digits))
    exponent = len(digits) - 1 + t.exponent
    return f"{sign}{digits[0]}.{digits[1:] or '0'}E{exponent}"


class _AtomicCounter:
    """A long counter several threads update (Java's AtomicLong): an increment is
    one atomic deque append, folded into the count when read or when many wait."""

    __slots__ = ("_value", "_pending", "_lock")

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: collections.deque = collections.deque()
        self._value = 0

    def increment(self) -> None:
        pending = self._pending
        pending.append(1)
        if len(pending) >= 4096 and self._lock.acquire(False):
            try:
                self._fold()
            finally:
                self._lock.release()

    def _fold(self) -> None:
        pending = self._pending
        n = len(pending)
        for _ in range(n):
            pending.popleft()
        self._value += n

    def get(self) -> int:
        with self._lock:
            self._fold()
            return self._value

    def set(self, value: int) -> None:
        with self._lock:
            self._fold()
            self._value = value


class ServerStats:
    """Basic server statistics, with the live values supplied by a Provider."""

    class Provider(abc.ABC):
        @abc.abstractmethod
        def getOutstandingRequests(self) -> int: ...

        @abc.abstractmethod
        def getLastProcessedZxid(self) -> int: ...

        @abc.abstractmethod
        def getState(self) -> str: ...

        @abc.abstractmethod
        def getNumAliveConnections(self) -> int: ...

        @abc.abstractmethod
        def getDataDirSize(self) -> int: ...

        @abc.abstractmethod
        def getLogDirSize(self) -> int: ...

    def __init__(self, provider: "ServerStats.Provider | None") -> None:
        self.provider = provider
        self.packetsSent = _AtomicCounter()
        self.packetsReceived = _AtomicCounter()
        self.requestLatency = AvgMinMaxCounter("request_latency")
        self.fsyncThresholdExceedCount = _AtomicCounter()
        self.clientResponseStats = BufferStats()
        self.nonMTLSRemoteConnCntr = _AtomicCounter()
        self.nonMTLSLocalConnCntr = _AtomicCounter()
        self.authFailedCntr = _AtomicCounter()
        self.startTime = Time.currentElapsedTime()

    def getMinLatency(self) -> int:
        return self.requestLatency.getMin()

    def getAvgLatency(self) -> float:
        return self.requestLatency.getAvg()

    def getMaxLatency(self) -> int:
        return self.requestLatency.getMax()

    def getOutstandingRequests(self) -> int:
        return self.provider.getOutstandingRequests()

    def getLastProcessedZxid(self) -> int:
        return self.provider.getLastProcessedZxid()

    def getDataDirSize(self) -> int:
        return self.provider.getDataDirSize()

    def getLogDirSize(self) -> int:
        return self.provider.getLogDirSize()

    def getPacketsReceived(self) -> int:
        return self.packetsReceived.get()

    def getPacketsSent(self) -> int:
        return self.packetsSent.get()

    def getServerState(self) -> str:
        return self.provider.getState()

    def getNumAliveClientConnections(self) -> int:
        """The number of client connections alive to this server."""
        return self.provider.getNumAliveConnections()

    def getUptime(self) -> int:
        return Time.currentElapsedTime() - self.startTime

    def isProviderNull(self) -> bool:
        return self.provider is None

    def __str__(self) -> str:
        lines = [
            f"Latency min/avg/max: {self.getMinLatency()}/{java_double_str(self.getAvgLatency())}"
            f"/{self.getMaxLatency()}\n",
            f"Received: {self.getPacketsReceived()}\n",
            f"Sent: {self.getPacketsSent()}\n",
            f"Connections: {self.getNumAliveClientConnections()}\n",
        ]
        if self.provider is not None:
            lines.append(f"Outstanding: {self.getOutstandingRequests()}\n")
            lines.append(f"Zxid: 0x{self.getLastProcessedZxid() & 0xFFFFFFFFFFFFFFFF:x}\n")
        lines.append(f"Mode: {self.getServerState()}\n")
        return "".join(lines)

    toString = __str__

    def updateLatency(self, request, currentTime: int) -> None:
        """Records the latency of a request that originated on this server."""
        latency = currentTime - request.createTime
        if latency < 0:
            return
        self.requestLatency.addDataPoint(latency)
        if request.getHdr() is not None:
            ServerMetrics.getMetrics().UPDATE_LATENCY.add(latency)
        else:
            ServerMetrics.getMetrics().READ_LATENCY.add(latency)

    def resetLatency(self) -> None:
        self.requestLatency.reset()

    def resetMaxLatency(self) -> None:
        self.requestLatency.resetMax()

    def incrementPacketsReceived(self) -> None:
        self.packetsReceived.increment()

    def incrementPacketsSent(self) -> None:
        self.packetsSent.increment()

    def resetRequestCounters(self) -> None:
        self.packetsReceived.set(0)
        self.packetsSent.set(0)

    def getFsyncThresholdExceedCount(self) -> int:
        return self.fsyncThresholdExceedCount.get()

    def incrementFsyncThresholdExceedCount(self) -> None:
        self.fsyncThresholdExceedCount.increment()

    def resetFsyncThresholdExceedCount(self) -> None:
        self.fsyncThresholdExceedCount.set(0)

    def getNonMTLSLocalConnCount(self) -> int:
        return self.nonMTLSLocalConnCntr.get()

    def incrementNonMTLSLocalConnCount(self) -> None:
        self.nonMTLSLocalConnCntr.increment()

    def resetNonMTLSLocalConnCount(self) -> None:
        self.nonMTLSLocalConnCntr.set(0)

    def getNonMTLSRemoteConnCount(self) -> int:
        return self.nonMTLSRemoteConnCntr.get()

    def incrementNonMTLSRemoteConnCount(self) -> None:
        self.nonMTLSRemoteConnCntr.increment()

    def resetNonMTLSRemoteConnCount(self) -> None:
        self.nonMTLSRemoteConnCntr.set(0)

    def getAuthFailedCount(self) -> int:
        return self.authFailedCntr.get()

    def incrementAuthFailedCount(self) -> None:
        self.authFailedCntr.increment()

    def resetAuthFailedCount(self) -> None:
        self.authFailedCntr.set(0)

    def reset(self) -> None:
        self.resetLatency()
        self.resetRequestCounters()
        self.clientResponseStats.reset()
        ServerMetrics.getMetrics().resetAll()

    def updateClientResponseSize(self, size: int) -> None:
        self.clientResponseStats.setLastBufferSize(size)

    def getClientResponseStats(self) -> BufferStats:
        return self.clientResponseStats
