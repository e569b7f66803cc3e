"""Mirrors org.apache.zookeeper.server.metric.Metric: the base of the built-in metric kinds.

Java overloads ``add`` on the argument types; each subclass here defines the one ``add``
that fits it (``add(value)`` or ``add(key, value)``).

Where Java updates atomics, the metrics here append each update to a deque (one atomic,
lock-free call) and fold the waiting updates into their totals under a lock, in batches:
when the metric is read, reset, or when FOLD_THRESHOLD updates are waiting.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import deque
from itertools import repeat, starmap
from typing import Any

LONG_MAX = (1 << 63) - 1
LONG_MIN = -(1 << 63)

FOLD_THRESHOLD = 512
"""Updates that may wait before the writer that sees them folds them in."""


def drain(pending: deque) -> list:
    """Take every item now in ``pending``, oldest first; later appends stay for the next drain."""
    return list(starmap(pending.popleft, repeat((), len(pending))))


class Metric(ABC):
    __slots__ = ()

    def reset(self) -> None:
        """Zero the metric; some kinds have nothing to reset."""

    @abstractmethod
    def values(self) -> dict[str, Any]:
        """Every published name of this metric with its current value."""
