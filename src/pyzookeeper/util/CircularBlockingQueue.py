"""Mirrors org.apache.zookeeper.util.CircularBlockingQueue: a bounded blocking
queue that drops its oldest element instead of refusing a new one.

Python threads cannot be interrupted, so ``poll`` also returns None early
after ``wake_waiters`` (the stand-in for interrupting a blocked consumer)."""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from typing import Generic, TypeVar

LOG = logging.getLogger(__name__)

E = TypeVar("E")


class CircularBlockingQueue(Generic[E]):

    __slots__ = ("_lock", "_notEmpty", "_queue", "_maxSize", "_droppedCount", "_wakeups")

    def __init__(self, queueSize: int) -> None:
        self._lock = threading.Lock()
        self._notEmpty = threading.Condition(self._lock)
        self._queue: deque[E] = deque()
        self._maxSize = queueSize
        self._droppedCount = 0
        self._wakeups = 0

    def offer(self, e: E) -> bool:
        if e is None:
            raise TypeError("CircularBlockingQueue does not take None")
        with self._lock:
            if len(self._queue) == self._maxSize:
                discard = self._queue.popleft()
                self._droppedCount += 1
                LOG.debug("Queue is full. Discarding oldest element [count=%s]: %s", self._droppedCount, discard)
            self._queue.append(e)
            self._notEmpty.notify()
        return True

    def poll(self, timeout: float) -> E | None:
        """The head, waiting up to ``timeout`` seconds; None on timeout or wake-up."""
        deadline = time.monotonic() + timeout
        with self._lock:
            wakeups = self._wakeups
            while not self._queue:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._wakeups != wakeups:
                    return None
                self._notEmpty.wait(remaining)
            return self._queue.popleft()

    def take(self) -> E:
        with self._lock:
            while not self._queue:
                self._notEmpty.wait()
            return self._queue.popleft()

    def wake_waiters(self) -> None:
        """Make every consumer blocked in ``poll`` return None now."""
        with self._lock:
            self._wakeups += 1
            self._notEmpty.notify_all()

    def isEmpty(self) -> bool:
        with self._lock:
            return not self._queue

    def size(self) -> int:
        with self._lock:
            return len(self._queue)

    def clear(self) -> None:
        with self._lock:
            self._queue.clear()

    def getDroppedCount(self) -> int:
        return self._droppedCount
