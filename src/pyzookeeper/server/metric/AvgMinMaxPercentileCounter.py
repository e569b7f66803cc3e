"""Mirrors org.apache.zookeeper.server.metric.AvgMinMaxPercentileCounter: min, max, average
and 50th, 95th, 99th, 99.9th percentiles, from Dropwizard's UniformSnapshot as in Java.

Deliberate differences: updates are folded in batches (see Metric), and the reservoir of 4096
samples uses algorithm L, the same uniform sample as Java's algorithm R for fewer random draws.
"""

from __future__ import annotations

import math
import random
import threading
from collections import deque
from collections.abc import Sequence
from typing import Any

from pyzookeeper.metrics.Summary import Summary
from pyzookeeper.server.metric.AvgMinMaxCounter import AvgMinMaxCounter
from pyzookeeper.server.metric.Metric import FOLD_THRESHOLD, Metric, drain


def _open_unit() -> float:
    """A uniform random number in (0, 1]."""
    return 1.0 - random.random()


def java_round(value: float) -> int:
    """``Math.round(double)``: the closest integer, halves rounded up."""
    if math.isnan(value):
        return 0
    floor = math.floor(value)
    return floor + 1 if value - floor >= 0.5 else floor


class UniformSnapshot:
    """The quantiles of a set of samples, interpolated as Dropwizard's UniformSnapshot does."""

    __slots__ = ("values",)

    def __init__(self, values: Sequence[int]) -> None:
        self.values = sorted(values)

    def getValue(self, quantile: float) -> float:
        if not 0.0 <= quantile <= 1.0:
            raise ValueError(f"{quantile} is not in [0..1]")
        values = self.values
        size = len(values)
        if size == 0:
            return 0.0
        pos = quantile * (size + 1)
        index = int(pos)
        if index < 1:
            return float(values[0])
        if index >= size:
            return float(values[size - 1])
        lower = float(values[index - 1])
        upper = float(values[index])
        return lower + (pos - math.floor(pos)) * (upper - lower)

    def getMedian(self) -> float:
        return self.getValue(0.5)

    def get95thPercentile(self) -> float:
        return self.getValue(0.95)

    def get99thPercentile(self) -> float:
        return self.getValue(0.99)

    def get999thPercentile(self) -> float:
        return self.getValue(0.999)

    def size(self) -> int:
        return len(self.values)


class AvgMinMaxPercentileCounter(Metric, Summary):
    """Publishes the AvgMinMaxCounter names plus ``p50_``, ``p95_``, ``p99_``, ``p999_<name>``."""

    class ResettableUniformReservoir:
        """A uniform sample of at most DEFAULT_SIZE of the values seen since the last reset.

        Not thread safe on its own: the owning counter calls it under its lock.
        """

        DEFAULT_SIZE = 4096

        __slots__ = ("count", "values", "_w", "_next")

        def __init__(self) -> None:
            self.reset()

        def size(self) -> int:
            return len(self.values)

        def update_batch(self, batch: Sequence[int]) -> None:
            k = self.DEFAULT_SIZE
            values = self.values
            room = k - len(values)
            if room > 0:
                values.extend(batch[:room])
            seen = self.count
            end = seen + len(batch)
            nxt = self._next
            while nxt <= end:
                values[random.randrange(k)] = batch[nxt - seen - 1]
                self._w *= math.exp(math.log(_open_unit()) / k)
                nxt += self._skip() + 1
            self._next = nxt
            self.count = end

        def _skip(self) -> int:
            """How many values go by before the next one is kept (algorithm L)."""
            w = self._w
            if w >= 1.0:
                return 0
            return math.floor(math.log(_open_unit()) / math.log1p(-w))

        def getSnapshot(self) -> UniformSnapshot:
            return UniformSnapshot(self.values)

        def reset(self) -> None:
            k = self.DEFAULT_SIZE
            self.count = 0
            self.values: list[int] = []
            self._w = math.exp(math.log(_open_unit()) / k)
            self._next = k + self._skip() + 1

    __slots__ = ("name", "counter", "reservoir", "_pending", "_lock")

    def __init__(self, name: str) -> None:
        self.name = name
        self.counter = AvgMinMaxCounter(name)
        self.reservoir = AvgMinMaxPercentileCounter.ResettableUniformReservoir()
        self._pending: deque[int] = deque()
        self._lock = threading.Lock()

    def addDataPoint(self, value: int) -> None:
        pending = self._pending
        pending.append(value)
        if len(pending) >= FOLD_THRESHOLD and self._lock.acquire(False):
            try:
                self._fold()
            finally:
                self._lock.release()

    add = addDataPoint

    def _fold(self) -> None:
        pending = self._pending
        if pending:
            batch = drain(pending)
            self.counter.add_batch(batch)
            self.reservoir.update_batch(batch)

    def resetMax(self) -> None:
        with self._lock:
            self._fold()
            self.counter.resetMax()

    def reset(self) -> None:
        with self._lock:
            self._pending.clear()
            self.counter.reset()
            self.reservoir.reset()

    def values(self) -> dict[str, Any]:
        name = self.name
        with self._lock:
            self._fold()
            m = self.counter.values()
            snapshot = self.reservoir.getSnapshot()
        m["p50_" + name] = java_round(snapshot.getMedian())
        m["p95_" + name] = java_round(snapshot.get95thPercentile())
        m["p99_" + name] = java_round(snapshot.get99thPercentile())
        m["p999_" + name] = java_round(snapshot.get999thPercentile())
        return m
