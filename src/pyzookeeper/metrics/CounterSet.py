"""Mirrors org.apache.zookeeper.metrics.CounterSet: counters that only go up, grouped by key."""

from __future__ import annotations

from abc import ABC, abstractmethod


class CounterSet(ABC):
    """One :class:`~pyzookeeper.metrics.Counter.Counter` per key. Thread safe."""

    __slots__ = ()

    def inc(self, key: str) -> None:
        self.add(key, 1)

    @abstractmethod
    def add(self, key: str, delta: int) -> None:
        """Raise the count of ``key`` by ``delta`` (never negative)."""
