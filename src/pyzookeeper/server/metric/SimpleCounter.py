"""Mirrors org.apache.zookeeper.server.metric.SimpleCounter: one thread-safe count."""

from __future__ import annotations

import threading
from typing import Any

from pyzookeeper.metrics.Counter import Counter
from pyzookeeper.server.metric.Metric import Metric


class SimpleCounter(Metric, Counter):
    __slots__ = ("name", "_counter", "_lock")

    def __init__(self, name: str) -> None:
        self.name = name
        self._counter = 0
        self._lock = threading.Lock()

    def add(self, value: int) -> None:
        lock = self._lock
        lock.acquire()
        try:
            self._counter += value
        finally:
            lock.release()

    def inc(self) -> None:
        lock = self._lock
        lock.acquire()
        try:
            self._counter += 1
        finally:
            lock.release()

    def reset(self) -> None:
        with self._lock:
            self._counter = 0

    def get(self) -> int:
        return self._counter

    def values(self) -> dict[str, Any]:
        return {self.name: self._counter}
