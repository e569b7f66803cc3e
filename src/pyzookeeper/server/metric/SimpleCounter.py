"""Mirrors org.apache.zookeeper.server.metric.SimpleCounter: one thread-safe count.

Deliberate difference: an update is an append to a deque, folded into the count in batches
(see Metric), where Java adds to an AtomicLong.
"""

from __future__ import annotations

import threading
from collections import deque
from typing import Any

from pyzookeeper.metrics.Counter import Counter
from pyzookeeper.server.metric.Metric import FOLD_THRESHOLD, Metric, drain


class SimpleCounter(Metric, Counter):
    __slots__ = ("name", "_counter", "_pending", "_lock")

    def __init__(self, name: str) -> None:
        self.name = name
        self._counter = 0
        self._pending: deque[int] = deque()
        self._lock = threading.Lock()

    def add(self, value: int) -> None:
        pending = self._pending
        pending.append(value)
        if len(pending) >= FOLD_THRESHOLD and self._lock.acquire(False):
            try:
                self._fold()
            finally:
                self._lock.release()

    def inc(self) -> None:
        pending = self._pending
        pending.append(1)
        if len(pending) >= FOLD_THRESHOLD and self._lock.acquire(False):
            try:
                self._fold()
            finally:
                self._lock.release()

    def _fold(self) -> None:
        pending = self._pending
        if pending:
            self._counter += sum(drain(pending))

    def reset(self) -> None:
        with self._lock:
            self._pending.clear()
            self._counter = 0

    def get(self) -> int:
        with self._lock:
            self._fold()
            return self._counter

    def values(self) -> dict[str, Any]:
        return {self.name: self.get()}
