"""Mirrors org.apache.zookeeper.server.watch.IDeadWatcherListener: what the
WatcherCleaner hands the watcher bits of closed connections to."""

from __future__ import annotations

import abc


class IDeadWatcherListener(abc.ABC):

    @abc.abstractmethod
    def processDeadWatchers(self, deadWatchers: set[int]) -> None:
        """Forget every watch of the watchers numbered ``deadWatchers``."""
