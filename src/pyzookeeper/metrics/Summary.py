"""Mirrors org.apache.zookeeper.metrics.Summary: the sizes or durations of events."""

from __future__ import annotations

from abc import ABC, abstractmethod


class Summary(ABC):
    """Publishes count, min, max, average (and percentiles, per provider). Thread safe."""

    __slots__ = ()

    @abstractmethod
    def add(self, value: int) -> None:
        """Record one event of size or duration ``value``."""
