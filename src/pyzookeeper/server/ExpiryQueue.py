"""Mirrors org.apache.zookeeper.server.ExpiryQueue: elements kept in expiry
buckets of a fixed interval, used by the session tracker and by
NIOServerCnxnFactory to expire idle connections.

One lock guards both maps where Java relies on two ConcurrentHashMaps.
"""

from __future__ import annotations

import threading
import time
import types
from collections.abc import Mapping
from typing import Generic, TextIO, TypeVar

from pyzookeeper.common import Time

E = TypeVar("E")

_EMPTY: frozenset = frozenset()


def java_date_string(elapsedTime: int) -> str:
    """``Time.elapsedTimeToDate(t).toString()`` as Java prints a ``Date``."""
    wallTime = Time.currentWallTime() + elapsedTime - Time.currentElapsedTime()
    return time.strftime("%a %b %d %H:%M:%S %Z %Y", time.localtime(wallTime / 1000.0))


class ExpiryQueue(Generic[E]):
    """Tracks elements in time-sorted buckets of ``expirationInterval`` ms."""

    def __init__(self, expirationInterval: int) -> None:
        self.expirationInterval = expirationInterval
        self._lock = threading.Lock()
        self.elemMap: dict[E, int] = {}
        self.expiryMap: dict[int, set[E]] = {}
        self.nextExpirationTime = self.roundToNextInterval(Time.currentElapsedTime())

    def roundToNextInterval(self, time: int) -> int:
        interval = self.expirationInterval
        return (time // interval + 1) * interval

    def remove(self, elem: E) -> int | None:
        """Removes ``elem``; returns the time it was set to expire, or None."""
        with self._lock:
            expiryTime = self.elemMap.pop(elem, None)
            if expiryTime is not None:
                bucket = self.expiryMap.get(expiryTime)
                if bucket is not None:
                    bucket.discard(elem)
            return expiryTime

    def update(self, elem: E, timeout: int) -> int | None:
        """Adds or moves ``elem`` to the bucket for now + ``timeout``; returns the
        new expiry time, or None when it is unchanged."""
        newExpiryTime = self.roundToNextInterval(Time.currentElapsedTime() + timeout)
        with self._lock:
            elemMap = self.elemMap
            prevExpiryTime = elemMap.get(elem)
            if prevExpiryTime == newExpiryTime:
                return None
            bucket = self.expiryMap.get(newExpiryTime)
            if bucket is None:
                bucket = self.expiryMap[newExpiryTime] = set()
            bucket.add(elem)
            elemMap[elem] = newExpiryTime
            if prevExpiryTime is not None:
                prevBucket = self.expiryMap.get(prevExpiryTime)
                if prevBucket is not None:
                    prevBucket.discard(elem)
            return newExpiryTime

    def getWaitTime(self) -> int:
        """Milliseconds until the next expiration time, 0 if it has passed."""
        now = Time.currentElapsedTime()
        expirationTime = self.nextExpirationTime
        return expirationTime - now if now < expirationTime else 0

    def poll(self) -> set[E] | frozenset:
        """Takes out the next bucket once its time has come; an empty set otherwise."""
        now = Time.currentElapsedTime()
        with self._lock:
            expirationTime = self.nextExpirationTime
            if now < expirationTime:
                return _EMPTY
            self.nextExpirationTime = expirationTime + self.expirationInterval
            bucket = self.expiryMap.pop(expirationTime, None)
        return _EMPTY if bucket is None else bucket

    def dump(self, pwriter: TextIO) -> None:
        with self._lock:
            buckets = sorted(((t, list(s)) for t, s in self.expiryMap.items()), key=lambda e: e[0])
            numSets = len(self.expiryMap)
            numElems = len(self.elemMap)
        out = [f"Sets ({numSets})/({numElems}):\n"]
        for expiry, elems in buckets:
            out.append(f"{len(elems)} expire at {java_date_string(expiry)}:\n")
            out.extend(f"\t{elem}\n" for elem in elems)
        pwriter.write("".join(out))

    def getExpiryMap(self) -> Mapping[int, set[E]]:
        """A read-only view of expiry time -> elements."""
        return types.MappingProxyType(self.expiryMap)
