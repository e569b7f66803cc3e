"""Mirrors org.apache.zookeeper.server.metric.AvgMinMaxCounter: min, max, average of a series.

Deliberate difference: Java updates four atomics per data point; here a data point is one
append to a deque, folded into the totals in batches (see Metric). The published numbers
are the same.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Any

from pyzookeeper.metrics.Summary import Summary
from pyzookeeper.server.metric.Metric import FOLD_THRESHOLD, LONG_MAX, LONG_MIN, Metric, drain

_SCALE = Decimal("0.0001")
_DECIMAL_CONTEXT = Context(prec=400, rounding=ROUND_HALF_UP)


class AvgMinMaxCounter(Metric, Summary):
    """Publishes ``avg_<name>``, ``min_<name>``, ``max_<name>``, ``cnt_<name>``, ``sum_<name>``."""

    __slots__ = ("name", "_pending", "_lock", "_total", "_min", "_max", "_count")

    def __init__(self, name: str) -> None:
        self.name = name
        self._pending: deque[int] = deque()
        self._lock = threading.Lock()
        self._total = 0
        self._min = LONG_MAX
        self._max = LONG_MIN
        self._count = 0

    def addDataPoint(self, value: int) -> None:
        pending = self._pending
        pending.append(value)
        if len(pending) >= FOLD_THRESHOLD and self._lock.acquire(False):
            try:
                self._fold()
            finally:
                self._lock.release()

    add = addDataPoint

    def add_batch(self, batch: Sequence[int]) -> None:
        """Fold ``batch`` in at once (used by the percentile counter, which buffers on its own)."""
        with self._lock:
            self._fold()
            self._absorb(batch)

    def _fold(self) -> None:
        pending = self._pending
        if pending:
            self._absorb(drain(pending))

    def _absorb(self, batch: Sequence[int]) -> None:
        if not batch:
            return
        self._total += sum(batch)
        self._count += len(batch)
        low = min(batch)
        if low < self._min:
            self._min = low
        high = max(batch)
        if high > self._max:
            self._max = high

    def getAvg(self) -> float:
        with self._lock:
            self._fold()
            return self._avg()

    def _avg(self) -> float:
        count = self._count
        if count > 0:
            avg = float(self._total) / float(count)
            return float(Decimal(avg).quantize(_SCALE, context=_DECIMAL_CONTEXT))
        return 0.0

    def getCount(self) -> int:
        with self._lock:
            self._fold()
            return self._count

    def getMax(self) -> int:
        with self._lock:
            self._fold()
            return self._max_or_zero()

    def _max_or_zero(self) -> int:
        return 0 if self._max == LONG_MIN else self._max

    def getMin(self) -> int:
        with self._lock:
            self._fold()
            return self._min_or_zero()

    def _min_or_zero(self) -> int:
        return 0 if self._min == LONG_MAX else self._min

    def getTotal(self) -> int:
        with self._lock:
            self._fold()
            return self._total

    def resetMax(self) -> None:
        with self._lock:
            self._fold()
            self._max = self._min_or_zero()

    def reset(self) -> None:
        with self._lock:
            self._pending.clear()
            self._count = 0
            self._total = 0
            self._min = LONG_MAX
            self._max = LONG_MIN

    def values(self) -> dict[str, Any]:
        name = self.name
        with self._lock:
            self._fold()
            return {
                "avg_" + name: self._avg(),
                "min_" + name: self._min_or_zero(),
                "max_" + name: self._max_or_zero(),
                "cnt_" + name: self._count,
                "sum_" + name: self._total,
            }
