"""Mirrors org.apache.zookeeper.metrics.Counter: a value that only goes up."""

from __future__ import annotations

from abc import ABC, abstractmethod


class Counter(ABC):
    """A count, usually zero when the process starts. Thread safe."""

    __slots__ = ()

    def inc(self) -> None:
        self.add(1)

    @abstractmethod
    def add(self, delta: int) -> None:
        """Raise the count by ``delta`` (never negative)."""

    @abstractmethod
    def get(self) -> int:
        """The current count."""
