"""Mirrors org.apache.zookeeper.server.watch.WatcherOrBitSet: the watchers an
event was delivered to, so a second trigger for the same change skips them.

Only the set form exists here (the bit-set form belongs to
WatchManagerOptimized, which is not ported).
"""

from __future__ import annotations


class WatcherOrBitSet:
    __slots__ = ("watchers",)

    def __init__(self, watchers: set) -> None:
        self.watchers = watchers

    def contains(self, watcher) -> bool:
        if self.watchers is None:
            return False
        return watcher in self.watchers

    def size(self) -> int:
        if self.watchers is not None:
            return len(self.watchers)
        return 0
