"""Mirrors org.apache.zookeeper.server.quorum.BufferStats: last/min/max sizes
of buffers (client responses, proposals)."""

from __future__ import annotations

import threading


class BufferStats:
    INIT_VALUE = -1

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.lastBufferSize = BufferStats.INIT_VALUE
        self.minBufferSize = BufferStats.INIT_VALUE
        self.maxBufferSize = BufferStats.INIT_VALUE

    def getLastBufferSize(self) -> int:
        return self.lastBufferSize

    def setLastBufferSize(self, value: int) -> None:
        with self._lock:
            self.lastBufferSize = value
            if self.minBufferSize == BufferStats.INIT_VALUE or value < self.minBufferSize:
                self.minBufferSize = value
            if value > self.maxBufferSize:
                self.maxBufferSize = value

    def getMinBufferSize(self) -> int:
        return self.minBufferSize

    def getMaxBufferSize(self) -> int:
        return self.maxBufferSize

    def reset(self) -> None:
        with self._lock:
            self.lastBufferSize = BufferStats.INIT_VALUE
            self.minBufferSize = BufferStats.INIT_VALUE
            self.maxBufferSize = BufferStats.INIT_VALUE

    def __str__(self) -> str:
        with self._lock:
            return f"{self.lastBufferSize}/{self.minBufferSize}/{self.maxBufferSize}"

    toString = __str__
