"""Mirrors org.apache.zookeeper.server.metric.AvgMinMaxPercentileCounterSet: percentiles by key."""

from __future__ import annotations

from typing import Any

from pyzookeeper.common.java_concurrent_hash_map import JavaConcurrentHashMap
from pyzookeeper.metrics.SummarySet import SummarySet
from pyzookeeper.server.metric.AvgMinMaxPercentileCounter import AvgMinMaxPercentileCounter
from pyzookeeper.server.metric.Metric import Metric


class AvgMinMaxPercentileCounterSet(Metric, SummarySet):
    """Each key publishes the AvgMinMaxPercentileCounter names of ``<key>_<name>``."""

    __slots__ = ("name", "counters")

    def __init__(self, name: str) -> None:
        self.name = name
        self.counters: JavaConcurrentHashMap[AvgMinMaxPercentileCounter] = JavaConcurrentHashMap()

    def _getCounterForKey(self, key: str) -> AvgMinMaxPercentileCounter:
        return self.counters.setdefault(key, AvgMinMaxPercentileCounter(key + "_" + self.name))

    def addDataPoint(self, key: str, value: int) -> None:
        counter = self.counters.get(key)
        if counter is None:
            counter = self._getCounterForKey(key)
        counter.addDataPoint(value)

    add = addDataPoint

    def resetMax(self) -> None:
        for counter in list(self.counters.values()):
            counter.resetMax()

    def reset(self) -> None:
        for counter in list(self.counters.values()):
            counter.reset()

    def values(self) -> dict[str, Any]:
        m: dict[str, Any] = {}
        for counter in list(self.counters.values()):
            m.update(counter.values())
        return m
