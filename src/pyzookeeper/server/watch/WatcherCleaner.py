"""Mirrors org.apache.zookeeper.server.watch.WatcherCleaner: the thread that
collects the watcher bits of closed connections and, once
``zookeeper.watcherCleanThreshold`` of them are waiting or
``zookeeper.watcherCleanIntervalInSeconds`` (plus up to half again, at random)
have passed, hands them in one batch to the "DeadWatcherCleanner" workers.

The thread is unnamed, as Java's is ("Thread-<n>"). Deliberate differences:
Java's ``interrupt()`` of the waiting thread is a flag checked around the
wait; the monitors of the object, ``cleanEvent`` and
``processingCompletedEvent`` are a lock and two Conditions.
"""

from __future__ import annotations

import logging
import random
import threading

from pyzookeeper import system_properties
from pyzookeeper.common import Time
from pyzookeeper.server.RateLogger import RateLogger
from pyzookeeper.server.ServerMetrics import ServerMetrics
from pyzookeeper.server.WorkerService import WorkerService
from pyzookeeper.server.ZooKeeperThread import ZooKeeperThread
from pyzookeeper.server.watch.IDeadWatcherListener import IDeadWatcherListener

LOG = logging.getLogger(__name__)


class WatcherCleaner(ZooKeeperThread):

    class _DeadWatchersWork(WorkerService.WorkRequest):
        """One batch of dead watchers for the listener, run on a cleaner worker."""

        __slots__ = ("cleaner", "snapshot", "total")

        def __init__(self, cleaner: "WatcherCleaner", snapshot: set[int]) -> None:
            self.cleaner = cleaner
            self.snapshot = snapshot
            self.total = len(snapshot)

        def doWork(self) -> None:
            cleaner = self.cleaner
            total = self.total
            startTime = Time.currentElapsedTime()
            cleaner.listener.processDeadWatchers(self.snapshot)
            latency = Time.currentElapsedTime() - startTime
            LOG.info("Takes %s to process %s watches", latency, total)
            metrics = ServerMetrics.getMetrics()
            metrics.DEAD_WATCHERS_CLEANER_LATENCY.add(latency)
            metrics.DEAD_WATCHERS_CLEARED.add(total)
            with cleaner._totalLock:
                cleaner.totalDeadWatchers -= total
            with cleaner.processingCompletedEvent:
                cleaner.processingCompletedEvent.notify_all()

    def __init__(self, listener: IDeadWatcherListener, watcherCleanThreshold: int | None = None,
                 watcherCleanIntervalInSeconds: int | None = None, watcherCleanThreadsNum: int | None = None,
                 maxInProcessingDeadWatchers: int | None = None) -> None:
        """Settings left out are read from their ``zookeeper.*`` properties."""
        super().__init__(None)
        if watcherCleanThreshold is None:
            watcherCleanThreshold = system_properties.getInteger("zookeeper.watcherCleanThreshold", 1000)
        if watcherCleanIntervalInSeconds is None:
            watcherCleanIntervalInSeconds = system_properties.getInteger(
                "zookeeper.watcherCleanIntervalInSeconds", 600)
        if watcherCleanThreadsNum is None:
            watcherCleanThreadsNum = system_properties.getInteger("zookeeper.watcherCleanThreadsNum", 2)
        if maxInProcessingDeadWatchers is None:
            maxInProcessingDeadWatchers = system_properties.getInteger("zookeeper.maxInProcessingDeadWatchers", -1)
        self.RATE_LOGGER = RateLogger(LOG)
        self.stopped = False
        self._interrupted = False
        self._lock = threading.Lock()
        self.cleanEvent = threading.Condition(threading.Lock())
        self.processingCompletedEvent = threading.Condition(threading.Lock())
        self.listener = listener
        self.watcherCleanThreshold = watcherCleanThreshold
        self.watcherCleanIntervalInSeconds = watcherCleanIntervalInSeconds
        suggestedMaxInProcessingThreshold = watcherCleanThreshold * watcherCleanThreadsNum
        if 0 < maxInProcessingDeadWatchers < suggestedMaxInProcessingThreshold:
            maxInProcessingDeadWatchers = suggestedMaxInProcessingThreshold
            LOG.info("The maxInProcessingDeadWatchers config is smaller than the suggested one, change it to use %s",
                     maxInProcessingDeadWatchers)
        self.maxInProcessingDeadWatchers = maxInProcessingDeadWatchers
        self.deadWatchers: set[int] = set()
        self.totalDeadWatchers = 0
        self._totalLock = threading.Lock()
        self.cleaners = WorkerService("DeadWatcherCleanner", watcherCleanThreadsNum, False)
        LOG.info("watcherCleanThreshold=%s, watcherCleanIntervalInSeconds=%s"
                 ", watcherCleanThreadsNum=%s, maxInProcessingDeadWatchers=%s",
                 watcherCleanThreshold, watcherCleanIntervalInSeconds, watcherCleanThreadsNum,
                 maxInProcessingDeadWatchers)

    def addDeadWatcher(self, watcherBit: int) -> None:
        """Queue the bit of a closed connection's watcher; waits while
        ``maxInProcessingDeadWatchers`` are already queued or being cleaned."""
        maxInProcessing = self.maxInProcessingDeadWatchers
        while maxInProcessing > 0 and not self.stopped and self.totalDeadWatchers >= maxInProcessing:
            self.RATE_LOGGER.rateLimitLog("Waiting for dead watchers cleaning")
            startTime = Time.currentElapsedTime()
            with self.processingCompletedEvent:
                self.processingCompletedEvent.wait(0.1)
            latency = Time.currentElapsedTime() - startTime
            ServerMetrics.getMetrics().ADD_DEAD_WATCHER_STALL_TIME.add(latency)
        with self._lock:
            deadWatchers = self.deadWatchers
            if watcherBit in deadWatchers:
                return
            deadWatchers.add(watcherBit)
            with self._totalLock:
                self.totalDeadWatchers += 1
            ServerMetrics.getMetrics().DEAD_WATCHERS_QUEUED.add(1)
            if len(deadWatchers) >= self.watcherCleanThreshold:
                with self.cleanEvent:
                    self.cleanEvent.notify_all()

    def run(self) -> None:
        while not self.stopped:
            with self.cleanEvent:
                if not self.stopped and len(self.deadWatchers) < self.watcherCleanThreshold:
                    interval = self.watcherCleanIntervalInSeconds
                    # jitter, so the servers of an ensemble do not all clean at once
                    maxWaitMs = (interval + random.randrange(int(interval / 2) + 1)) * 1000
                    if maxWaitMs < 0:
                        raise ValueError("timeout value is negative")
                    if not self._interrupted:
                        self.cleanEvent.wait(maxWaitMs / 1000 if maxWaitMs else None)
                    if self._interrupted:
                        self._interrupted = False
                        LOG.info("Received InterruptedException while waiting for cleanEvent")
                        break
            if not self.deadWatchers:
                continue
            with self._lock:
                # the listener walks every watched path, so a batch is cleaned
                # on a worker from a copy while new dead watchers queue up here
                snapshot = set(self.deadWatchers)
                self.deadWatchers.clear()
                LOG.info("Processing %s dead watchers", len(snapshot))
                self.cleaners.schedule(WatcherCleaner._DeadWatchersWork(self, snapshot))
        LOG.info("WatcherCleaner thread exited")

    def interrupt(self) -> None:
        """Java's ``Thread.interrupt()``: ends a wait for the clean event."""
        with self.cleanEvent:
            self._interrupted = True
            self.cleanEvent.notify_all()

    def shutdown(self) -> None:
        self.stopped = True
        self.deadWatchers.clear()
        self.cleaners.stop()
        self.interrupt()
        LOG.info("WatcherCleaner thread shutdown is initiated")
