"""Mirrors org.apache.zookeeper.server.util.BitMap: gives each value a small bit
number, reusing the lowest freed one, and maps both ways.

Deliberate difference: Java's read-write lock is a mutex taken by the writers
only; readers look the dicts up without it (a single dict read is atomic), and
writers publish bit-to-value before value-to-bit and retract in the reverse
order, so a reader that found a value's bit also finds the bit's value. The
freed bits (Java's BitSet) are one Python int. ``remove`` takes a bit (an int)
or a value, as Java's two overloads do.
"""

from __future__ import annotations

import threading
from typing import Generic, TypeVar

T = TypeVar("T")


class BitMap(Generic[T]):
    __slots__ = ("value2Bit", "bit2Value", "freedBitSet", "nextBit", "_lock")

    def __init__(self) -> None:
        self.value2Bit: dict[T, int] = {}
        self.bit2Value: dict[int, T] = {}
        self.freedBitSet = 0
        self.nextBit = 0
        self._lock = threading.Lock()

    def add(self, value: T) -> int:
        """The bit of ``value``, allocating the lowest free one the first time."""
        bit = self.value2Bit.get(value)
        if bit is not None:
            return bit
        with self._lock:
            bit = self.value2Bit.get(value)
            if bit is not None:
                return bit
            freed = self.freedBitSet
            if freed:
                lowest = freed & -freed
                self.freedBitSet = freed ^ lowest
                bit = lowest.bit_length() - 1
            else:
                bit = self.nextBit
                self.nextBit = bit + 1
            self.bit2Value[bit] = value
            self.value2Bit[value] = bit
            return bit

    def get(self, bit: int) -> T | None:
        return self.bit2Value.get(bit)

    def getBit(self, value: T) -> int | None:
        return self.value2Bit.get(value)

    def remove(self, valueOrBit):
        """``remove(bit)`` frees ``bit`` and returns its value (None if unused);
        ``remove(value)`` frees the value's bit and returns it (-1 if it had none)."""
        with self._lock:
            if isinstance(valueOrBit, int):
                bit = valueOrBit
                value = self.bit2Value.get(bit)
                if value is None:
                    return None
                self._release(value, bit)
                return value
            bit = self.value2Bit.get(valueOrBit)
            if bit is None:
                return -1
            self._release(valueOrBit, bit)
            return bit

    def _release(self, value: T, bit: int) -> None:
        del self.value2Bit[value]
        del self.bit2Value[bit]
        self.freedBitSet |= 1 << bit

    def size(self) -> int:
        return len(self.value2Bit)
