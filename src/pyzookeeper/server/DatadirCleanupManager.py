"""Mirrors org.apache.zookeeper.server.DatadirCleanupManager: the autopurge
of old snapshots and logs every ``autopurge.purgeInterval`` hours.

Deliberate difference: java.util.Timer is a small daemon thread named
"PurgeTask" that runs the task at a fixed rate until cancelled.
"""

from __future__ import annotations

import enum
import logging
import os
import threading
import time
from pathlib import Path

from pyzookeeper.server.PurgeTxnLog import PurgeTxnLog

LOG = logging.getLogger(__name__)


class PurgeTaskStatus(enum.Enum):
    NOT_STARTED = "NOT_STARTED"
    STARTED = "STARTED"
    COMPLETED = "COMPLETED"


class _FixedRateTimer(threading.Thread):
    """``java.util.Timer`` running one task with ``scheduleAtFixedRate(task, 0, period)``."""

    def __init__(self, name: str, task: "PurgeTask", periodSeconds: float) -> None:
        super().__init__(name=name, daemon=True)
        self._task = task
        self._period = periodSeconds
        self._cancelled = threading.Event()

    def run(self) -> None:
        nextRun = time.monotonic()
        while not self._cancelled.is_set():
            self._task.run()
            nextRun += self._period
            if self._cancelled.wait(max(0.0, nextRun - time.monotonic())):
                break

    def cancel(self) -> None:
        self._cancelled.set()


class PurgeTask:
    """Purges once: keeps ``count`` snapshots and the logs they need."""

    def __init__(self, dataDir: Path, snapDir: Path, count: int) -> None:
        self.logsDir = dataDir
        self.snapsDir = snapDir
        self.snapRetainCount = count

    def run(self) -> None:
        LOG.info("Purge task started.")
        try:
            PurgeTxnLog.purge(self.logsDir, self.snapsDir, self.snapRetainCount)
        except Exception as e:
            LOG.error("Error occurred while purging.", exc_info=e)
        LOG.info("Purge task completed.")


class DatadirCleanupManager:
    PurgeTaskStatus = PurgeTaskStatus
    PurgeTask = PurgeTask

    def __init__(self, snapDir: os.PathLike | str, dataLogDir: os.PathLike | str,
                 snapRetainCount: int, purgeInterval: int) -> None:
        self.purgeTaskStatus = PurgeTaskStatus.NOT_STARTED
        self.snapDir = Path(snapDir) if snapDir is not None else None
        self.dataLogDir = Path(dataLogDir) if dataLogDir is not None else None
        self.snapRetainCount = snapRetainCount
        self.purgeInterval = purgeInterval
        self.timer: _FixedRateTimer | None = None
        LOG.info("autopurge.snapRetainCount set to %s", snapRetainCount)
        LOG.info("autopurge.purgeInterval set to %s", purgeInterval)

    def start(self) -> None:
        """Run the purge now and then every purgeInterval hours (not when the interval is <= 0)."""
        if self.purgeTaskStatus is PurgeTaskStatus.STARTED:
            LOG.warning("Purge task is already running.")
            return
        if self.purgeInterval <= 0:
            LOG.info("Purge task is not scheduled.")
            return
        task = PurgeTask(self.dataLogDir, self.snapDir, self.snapRetainCount)
        self.timer = _FixedRateTimer("PurgeTask", task, self.purgeInterval * 3600.0)
        self.timer.start()
        self.purgeTaskStatus = PurgeTaskStatus.STARTED

    def shutdown(self) -> None:
        if self.purgeTaskStatus is PurgeTaskStatus.STARTED:
            LOG.info("Shutting down purge task.")
            self.timer.cancel()
            self.purgeTaskStatus = PurgeTaskStatus.COMPLETED
        else:
            LOG.warning("Purge task not started. Ignoring shutdown!")

    def getPurgeTaskStatus(self) -> PurgeTaskStatus:
        return self.purgeTaskStatus

    def getSnapDir(self) -> Path:
        return self.snapDir

    def getDataLogDir(self) -> Path:
        return self.dataLogDir

    def getPurgeInterval(self) -> int:
        return self.purgeInterval

    def getSnapRetainCount(self) -> int:
        return self.snapRetainCount
