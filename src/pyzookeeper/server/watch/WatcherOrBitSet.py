"""Mirrors org.apache.zookeeper.server.watch.WatcherOrBitSet: the watchers an
event was delivered to, so a second trigger for the same change skips them:
a set of watchers (WatchManager) or a BitHashSet of watcher bits
(WatchManagerOptimized).

Java's overloads are one constructor and one ``contains`` that tell a bit (an
int) from a watcher.
"""

from __future__ import annotations

from pyzookeeper.server.util.BitHashSet import BitHashSet


class WatcherOrBitSet:
    __slots__ = ("watchers", "watcherBits")

    def __init__(self, watchers: set | BitHashSet) -> None:
        if isinstance(watchers, BitHashSet):
            self.watchers = None
            self.watcherBits: BitHashSet | None = watchers
        else:
            self.watchers = watchers
            self.watcherBits = None

    def contains(self, watcher) -> bool:
        if isinstance(watcher, int):
            watcherBits = self.watcherBits
            return watcherBits is not None and watcherBits.contains(watcher)
        watchers = self.watchers
        return watchers is not None and watcher in watchers

    def size(self) -> int:
        if self.watchers is not None:
            return len(self.watchers)
        if self.watcherBits is not None:
            return self.watcherBits.size()
        return 0
