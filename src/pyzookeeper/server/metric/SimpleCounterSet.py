"""Mirrors org.apache.zookeeper.server.metric.SimpleCounterSet: thread-safe counts by key."""

from __future__ import annotations

from typing import Any

from pyzookeeper.common.java_concurrent_hash_map import JavaConcurrentHashMap
from pyzookeeper.metrics.CounterSet import CounterSet
from pyzookeeper.server.metric.Metric import Metric
from pyzookeeper.server.metric.SimpleCounter import SimpleCounter


class SimpleCounterSet(Metric, CounterSet):
    """Each key publishes ``<key>_<name>``."""

    __slots__ = ("name", "counters")

    def __init__(self, name: str) -> None:
        self.name = name
        self.counters: JavaConcurrentHashMap[SimpleCounter] = JavaConcurrentHashMap()

    def add(self, key: str, delta: int) -> None:
        counter = self.counters.get(key)
        if counter is None:
            counter = self.counters.setdefault(key, SimpleCounter(key + "_" + self.name))
        counter.add(delta)

    def reset(self) -> None:
        for counter in list(self.counters.values()):
            counter.reset()

    def values(self) -> dict[str, Any]:
        m: dict[str, Any] = {}
        for counter in list(self.counters.values()):
            m.update(counter.values())
        return m
