"""Mirrors org.apache.zookeeper.metrics.SummarySet: summaries grouped by key."""

from __future__ import annotations

from abc import ABC, abstractmethod


class SummarySet(ABC):
    """One :class:`~pyzookeeper.metrics.Summary.Summary` per key. Thread safe."""

    __slots__ = ()

    @abstractmethod
    def add(self, key: str, value: int) -> None:
        """Record one event of ``value`` under ``key``."""
