"""Mirrors org.apache.zookeeper.common.Time: monotonic and wall clocks in milliseconds."""

from __future__ import annotations

import datetime
import time


def currentElapsedTime() -> int:
    """Milliseconds of a monotonic clock (Java's ``System.nanoTime() / 1000000``)."""
    return time.monotonic_ns() // 1_000_000


def currentWallTime() -> int:
    """Milliseconds since the epoch (Java's ``System.currentTimeMillis()``)."""
    return time.time_ns() // 1_000_000


def elapsedTimeToDate(elapsedTime: int) -> datetime.datetime:
    wallTime = currentWallTime() + elapsedTime - currentElapsedTime()
    return datetime.datetime.fromtimestamp(wallTime / 1000.0)
