"""Mirrors org.apache.zookeeper.server.util.BitHashSet: a set of small ints held
as bits, with the first ``zookeeper.bitHashCacheSize`` (10) elements also in a
hash set so that iterating a small set does not walk every bit.

Deliberate differences: Java's BitSet is one Python int; ``synchronized
(set)`` is ``with set:`` (each set has its own re-entrant lock); ``remove``
takes one element, or a set of elements with the same elements as bits, as
Java's two overloads do. Iterating needs ``with set:`` held, as in Java.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

from pyzookeeper import system_properties


class BitHashSet:
    __slots__ = ("elementBits", "cache", "cacheSize", "elementCount", "_lock")

    def __init__(self, cacheSize: int | None = None) -> None:
        if cacheSize is None:
            cacheSize = system_properties.getInteger("zookeeper.bitHashCacheSize", 10)
        self.elementBits = 0
        self.cache: set[int] = set()
        self.cacheSize = cacheSize
        self.elementCount = 0
        self._lock = threading.RLock()

    def __enter__(self) -> "BitHashSet":
        self._lock.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self._lock.release()

    def add(self, elementBit: int | None) -> bool:
        with self._lock:
            if elementBit is None or self.elementBits >> elementBit & 1:
                return False
            if len(self.cache) < self.cacheSize:
                self.cache.add(elementBit)
            self.elementBits |= 1 << elementBit
            self.elementCount += 1
            return True

    def remove(self, element, bits: int | None = None):
        """``remove(bit) -> bool`` removes one element; ``remove(elements, bits)``
        removes many (``bits`` has the bits of ``elements`` set) and returns how
        many of them were here."""
        with self._lock:
            if bits is not None:
                self.cache.difference_update(element)
                self.elementBits &= ~bits
                elementCountBefore = self.elementCount
                self.elementCount = self.elementBits.bit_count()
                return elementCountBefore - self.elementCount
            if element is None or not self.elementBits >> element & 1:
                return False
            self.cache.discard(element)
            self.elementBits ^= 1 << element
            self.elementCount -= 1
            return True

    def contains(self, elementBit: int | None) -> bool:
        if elementBit is None:
            return False
        with self._lock:
            return bool(self.elementBits >> elementBit & 1)

    def size(self) -> int:
        return self.elementCount

    def __iter__(self) -> Iterator[int]:
        currentSize = self.elementCount
        if len(self.cache) == currentSize:
            return iter(self.cache)
        return _setBits(self.elementBits, currentSize)

    def cachedSize(self) -> int:
        return len(self.cache)

    def isEmpty(self) -> bool:
        return self.elementCount == 0


def _setBits(bits: int, count: int) -> Iterator[int]:
    """The first ``count`` set bits of ``bits``, lowest first."""
    while count > 0 and bits:
        lowest = bits & -bits
        yield lowest.bit_length() - 1
        bits ^= lowest
        count -= 1
