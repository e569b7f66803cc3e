"""Mirrors org.apache.zookeeper.server.SyncRequestProcessor: the "SyncThread"
that appends txns to the log, group-commits them with one fsync, hands them on,
and starts a "Snapshot Thread" when snapCount is reached."""

from __future__ import annotations

import logging
import queue
import random
import threading
from collections import deque

from pyzookeeper.common import Time
from pyzookeeper.server.Request import Request
from pyzookeeper.server.RequestProcessor import RequestProcessor
from pyzookeeper.server.ServerMetrics import ServerMetrics
from pyzookeeper.server.ZooKeeperCriticalThread import ZooKeeperCriticalThread
from pyzookeeper.server.ZooKeeperThread import ZooKeeperThread

LOG = logging.getLogger(__name__)

REQUEST_OF_DEATH = Request.requestOfDeath


class SyncRequestProcessor(ZooKeeperCriticalThread, RequestProcessor):
    # Java reads these from ZooKeeperServer in a static initializer when the
    # class is first used; here that happens at the first construction.
    snapCount: int | None = None
    snapSizeInBytes: int = 0

    @classmethod
    def _staticInit(cls, zks) -> None:
        if cls.snapCount is None:
            cls.snapCount = zks.getSnapCount()
            cls.snapSizeInBytes = zks.getSnapSizeInBytes()

    def __init__(self, zks, nextProcessor: RequestProcessor | None) -> None:
        SyncRequestProcessor._staticInit(zks)
        super().__init__(f"SyncThread:{zks.getServerId()}", zks.getZooKeeperServerListener())
        self.zks = zks
        self.nextProcessor = nextProcessor
        self.queuedRequests: queue.SimpleQueue[Request] = queue.SimpleQueue()
        self.snapThreadMutex = threading.Semaphore(1)
        self.toFlush: deque[Request] = deque()
        self.lastFlushTime = 0
        self.randRoll = 0
        self.randSize = 0

    @staticmethod
    def setSnapCount(count: int) -> None:
        SyncRequestProcessor.snapCount = count

    @staticmethod
    def getSnapCount() -> int:
        return SyncRequestProcessor.snapCount

    @staticmethod
    def setSnapSizeInBytes(size: int) -> None:
        SyncRequestProcessor.snapSizeInBytes = size

    def getRemainingDelay(self) -> int:
        flushDelay = self.zks.getFlushDelay()
        duration = Time.currentElapsedTime() - self.lastFlushTime
        if duration < flushDelay:
            return flushDelay - duration
        return 0

    def shouldFlush(self) -> bool:
        flushDelay = self.zks.getFlushDelay()
        maxBatchSize = self.zks.getMaxBatchSize()
        if flushDelay > 0 and self.getRemainingDelay() == 0:
            return True
        return maxBatchSize > 0 and len(self.toFlush) >= maxBatchSize

    def shouldSnapshot(self) -> bool:
        zkDb = self.zks.getZKDatabase()
        logCount = zkDb.getTxnCount()
        logSize = zkDb.getTxnSize()
        snapCount = SyncRequestProcessor.snapCount
        snapSize = SyncRequestProcessor.snapSizeInBytes
        return (logCount > (snapCount // 2 + self.randRoll)
                or (snapSize > 0 and logSize > (snapSize // 2 + self.randSize)))

    def resetSnapshotStats(self) -> None:
        self.randRoll = random.randrange(max(1, SyncRequestProcessor.snapCount // 2))
        half = SyncRequestProcessor.snapSizeInBytes // 2
        self.randSize = random.randrange(half) if half > 0 else 0

    def run(self) -> None:
        metrics = ServerMetrics.getMetrics()
        zks = self.zks
        zkDb = zks.getZKDatabase()
        queued = self.queuedRequests
        toFlush = self.toFlush
        self.resetSnapshotStats()
        self.lastFlushTime = Time.currentElapsedTime()
        try:
            while True:
                metrics.SYNC_PROCESSOR_QUEUE_SIZE.add(queued.qsize())
                pollTime = min(zks.getMaxWriteQueuePollTime(), self.getRemainingDelay())
                try:
                    if pollTime > 0:
                        si = queued.get(timeout=pollTime / 1000.0)
                    else:
                        si = queued.get_nowait()
                except queue.Empty:
                    # nothing more to batch: flush now, then wait for the next write
                    self.flush()
                    si = queued.get()
                if si is REQUEST_OF_DEATH:
                    break
                startProcessTime = Time.currentElapsedTime()
                metrics.SYNC_PROCESSOR_QUEUE_TIME.add(startProcessTime - si.syncQueueStartTime)
                if not si.isThrottled() and zkDb.append(si):
                    if self.shouldSnapshot():
                        self.resetSnapshotStats()
                        zkDb.rollLog()
                        if not self.snapThreadMutex.acquire(blocking=False):
                            LOG.warning("Too busy to snap, skipping")
                        else:
                            _SnapshotThread(zks, self.snapThreadMutex).start()
                elif not toFlush:
                    if self.nextProcessor is not None:
                        self.nextProcessor.processRequest(si)
                        flush = getattr(self.nextProcessor, "flush", None)
                        if flush is not None:
                            flush()
                    continue
                toFlush.append(si)
                if self.shouldFlush():
                    self.flush()
                metrics.SYNC_PROCESS_TIME.add(Time.currentElapsedTime() - startProcessTime)
        except BaseException as e:
            self.handleException(self.getName(), e)
        LOG.info("SyncRequestProcessor exited!")

    def flush(self) -> None:
        toFlush = self.toFlush
        if not toFlush:
            return
        metrics = ServerMetrics.getMetrics()
        metrics.BATCH_SIZE.add(len(toFlush))
        flushStartTime = Time.currentElapsedTime()
        self.zks.getZKDatabase().commit()
        now = Time.currentElapsedTime()
        metrics.SYNC_PROCESSOR_FLUSH_TIME.add(now - flushStartTime)
        nextProcessor = self.nextProcessor
        if nextProcessor is None:
            toFlush.clear()
        else:
            queueAndFlush = metrics.SYNC_PROCESSOR_QUEUE_AND_FLUSH_TIME
            while toFlush:
                i = toFlush.popleft()
                queueAndFlush.add(now - i.syncQueueStartTime)
                nextProcessor.processRequest(i)
            flush = getattr(nextProcessor, "flush", None)
            if flush is not None:
                flush()
        self.lastFlushTime = Time.currentElapsedTime()

    def shutdown(self) -> None:
        LOG.info("Shutting down")
        self.queuedRequests.put(REQUEST_OF_DEATH)
        if self.is_alive():
            self.join()
        try:
            self.flush()
        except OSError:
            LOG.warning("Got IO exception during shutdown")
        if self.nextProcessor is not None:
            self.nextProcessor.shutdown()

    def processRequest(self, request: Request) -> None:
        if request is None:
            raise TypeError("Request cannot be null")
        request.syncQueueStartTime = Time.currentElapsedTime()
        self.queuedRequests.put(request)
        ServerMetrics.getMetrics().SYNC_PROCESSOR_QUEUED.add(1)


class _SnapshotThread(ZooKeeperThread):
    """The anonymous "Snapshot Thread" of Java's SyncRequestProcessor."""

    def __init__(self, zks, mutex: threading.Semaphore) -> None:
        super().__init__("Snapshot Thread")
        self.zks = zks
        self.mutex = mutex

    def run(self) -> None:
        try:
            self.zks.takeSnapshot()
        except Exception:
            LOG.warning("Unexpected exception", exc_info=True)
        finally:
            self.mutex.release()
