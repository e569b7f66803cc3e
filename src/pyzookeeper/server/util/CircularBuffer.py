"""Mirrors org.apache.zookeeper.server.util.CircularBuffer: a thread-safe FIFO
of fixed capacity whose writes replace the oldest element once it is full.

Deliberate difference: a ``collections.deque`` with ``maxlen`` holds the
elements instead of an array and an index.
"""

from __future__ import annotations

import threading
from collections import deque
from typing import Generic, TypeVar

T = TypeVar("T")


class CircularBuffer(Generic[T]):
    def __init__(self, capacity: int) -> None:
        if capacity <= 0:
            raise ValueError("CircularBuffer capacity should be greater than 0")
        self.capacity = capacity
        self._buffer: deque[T] = deque(maxlen=capacity)
        self._lock = threading.Lock()

    def write(self, element: T) -> None:
        with self._lock:
            self._buffer.append(element)

    def take(self) -> T | None:
        with self._lock:
            return self._buffer.popleft() if self._buffer else None

    def peek(self) -> T | None:
        with self._lock:
            return self._buffer[0] if self._buffer else None

    def size(self) -> int:
        return len(self._buffer)

    def isEmpty(self) -> bool:
        return not self._buffer

    def isFull(self) -> bool:
        return len(self._buffer) >= self.capacity

    def reset(self) -> None:
        with self._lock:
            self._buffer.clear()
