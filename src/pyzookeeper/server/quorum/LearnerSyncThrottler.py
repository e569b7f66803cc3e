"""Mirrors org.apache.zookeeper.server.quorum.LearnerSyncThrottler: bounds the
number of DIFF or SNAP syncs a leader runs at once (essential syncs, those of
participants, are counted but never refused)."""

from __future__ import annotations

import enum
import logging
import threading

from pyzookeeper.server.quorum.SyncThrottleException import SyncThrottleException

LOG = logging.getLogger(__name__)


class SyncType(enum.Enum):
    DIFF = 0
    SNAP = 1

    def __str__(self) -> str:
        return self.name


class LearnerSyncThrottler:
    SyncType = SyncType

    def __init__(self, maxConcurrentSyncs: int, syncType: SyncType) -> None:
        if maxConcurrentSyncs <= 0:
            raise ValueError(f"maxConcurrentSyncs must be positive, was {maxConcurrentSyncs}")
        self.countSyncObject = threading.Condition(threading.Lock())
        self.maxConcurrentSyncs = maxConcurrentSyncs
        self.syncType = syncType
        self.syncInProgress = 0

    def beginSync(self, essential: bool) -> None:
        with self.countSyncObject:
            if essential or self.syncInProgress < self.maxConcurrentSyncs:
                self.syncInProgress += 1
            else:
                raise SyncThrottleException(self.syncInProgress + 1, self.maxConcurrentSyncs, self.syncType)

    def endSync(self) -> None:
        with self.countSyncObject:
            self.syncInProgress -= 1
            newCount = self.syncInProgress
            self.countSyncObject.notify()
        if newCount < 0:
            LOG.error("endSync() called incorrectly; current sync count is %s", newCount)

    def setMaxConcurrentSyncs(self, maxConcurrentSyncs: int) -> None:
        self.maxConcurrentSyncs = maxConcurrentSyncs

    def getSyncInProgress(self) -> int:
        return self.syncInProgress
