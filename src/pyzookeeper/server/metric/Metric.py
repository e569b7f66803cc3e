"""Mirrors org.apache.zookeeper.server.metric.Metric: the base of the built-in metric kinds.

Java overloads ``add`` on the argument types; each subclass here defines the one ``add``
that fits it (``add(value)`` or ``add(key, value)``).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

LONG_MAX = (1 << 63) - 1
LONG_MIN = -(1 << 63)


class Metric(ABC):
    __slots__ = ()

    def reset(self) -> None:
        """Zero the metric; some kinds have nothing to reset."""

    @abstractmethod
    def values(self) -> dict[str, Any]:
        """Every published name of this metric with its current value."""
