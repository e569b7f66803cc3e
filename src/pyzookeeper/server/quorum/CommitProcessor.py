"""Mirrors org.apache.zookeeper.server.quorum.CommitProcessor: the
"CommitProcessor:<id>" thread that holds each write until its commit arrives,
passes committed writes on in zxid order, and runs reads on the
"CommitProcWorkThread-<i>" workers (a session is always hashed to the same
worker, so its requests stay in order) but never while a write is applied.

Deliberate difference: the processor's monitor (``synchronized (this)`` and
its wait/notifyAll) is the Condition ``_cond``; the queued-request counts
Java keeps in AtomicIntegers are updated under it.
"""

from __future__ import annotations

import logging
import os
import threading
from collections import deque

from pyzookeeper import system_properties
from pyzookeeper.common import Time
from pyzookeeper.server.ExitCode import ExitCode
from pyzookeeper.server.Request import Request
from pyzookeeper.server.RequestProcessor import RequestProcessor
from pyzookeeper.server.ServerMetrics import ServerMetrics
from pyzookeeper.server.WorkerService import WorkerService
from pyzookeeper.server.ZooKeeperCriticalThread import ZooKeeperCriticalThread
from pyzookeeper.util import ServiceUtils
from pyzookeeper.ZooDefs import OpCode

LOG = logging.getLogger(__name__)

ZOOKEEPER_COMMIT_PROC_NUM_WORKER_THREADS = "zookeeper.commitProcessor.numWorkerThreads"
ZOOKEEPER_COMMIT_PROC_SHUTDOWN_TIMEOUT = "zookeeper.commitProcessor.shutdownTimeout"
ZOOKEEPER_COMMIT_PROC_MAX_READ_BATCH_SIZE = "zookeeper.commitProcessor.maxReadBatchSize"
ZOOKEEPER_COMMIT_PROC_MAX_COMMIT_BATCH_SIZE = "zookeeper.commitProcessor.maxCommitBatchSize"

_ALWAYS_COMMIT = frozenset({
    OpCode.create, OpCode.create2, OpCode.createTTL, OpCode.createContainer, OpCode.delete,
    OpCode.deleteContainer, OpCode.setData, OpCode.reconfig, OpCode.multi, OpCode.setACL, OpCode.check,
})
_SESSION_OPS = frozenset({OpCode.createSession, OpCode.closeSession})


class CommitProcessor(ZooKeeperCriticalThread, RequestProcessor):
    ZOOKEEPER_COMMIT_PROC_NUM_WORKER_THREADS = ZOOKEEPER_COMMIT_PROC_NUM_WORKER_THREADS
    ZOOKEEPER_COMMIT_PROC_SHUTDOWN_TIMEOUT = ZOOKEEPER_COMMIT_PROC_SHUTDOWN_TIMEOUT
    ZOOKEEPER_COMMIT_PROC_MAX_READ_BATCH_SIZE = ZOOKEEPER_COMMIT_PROC_MAX_READ_BATCH_SIZE
    ZOOKEEPER_COMMIT_PROC_MAX_COMMIT_BATCH_SIZE = ZOOKEEPER_COMMIT_PROC_MAX_COMMIT_BATCH_SIZE

    maxReadBatchSize = -1
    maxCommitBatchSize = 1

    def __init__(self, nextProcessor: RequestProcessor, id: str, matchSyncs: bool, listener) -> None:
        super().__init__("CommitProcessor:" + id, listener)
        self.nextProcessor = nextProcessor
        self.matchSyncs = matchSyncs
        self._cond = threading.Condition(threading.Lock())
        self.queuedRequests: deque[Request] = deque()
        self.queuedWriteRequests: deque[Request] = deque()
        self.committedRequests: deque[Request] = deque()
        self.pendingRequests: dict[int, deque[Request]] = {}
        self.numReadQueuedRequests = 0
        self.numWriteQueuedRequests = 0
        self.numRequestsProcessing = 0
        self.emptyPoolSync = threading.Condition(threading.Lock())
        self.stoppedMainLoop = True
        self.stopped = True
        self.workerShutdownTimeoutMS = 5000
        self.workerPool: WorkerService | None = None

    def isProcessingRequest(self) -> bool:
        return self.numRequestsProcessing != 0

    def needCommit(self, request: Request) -> bool:
        if request.isThrottled():
            return False
        t = request.type
        if t in _ALWAYS_COMMIT:
            return True
        if t == OpCode.sync:
            return self.matchSyncs
        if t in _SESSION_OPS:
            return not request.isLocalSession()
        return False

    def run(self) -> None:
        try:
            self._mainLoop()
        except BaseException as e:
            self.handleException(self.getName(), e)
        LOG.info("CommitProcessor exited loop!")

    def _mainLoop(self) -> None:
        metrics = ServerMetrics.getMetrics()
        cond = self._cond
        queuedRequests = self.queuedRequests
        queuedWriteRequests = self.queuedWriteRequests
        committedRequests = self.committedRequests
        pendingRequests = self.pendingRequests
        needCommit = self.needCommit
        readsDone = 0
        writesDone = 0
        while True:
            # a commit seen here belongs to the first queued write or to a
            # write of another server: requests are queued before they are sent
            with cond:
                self.numReadQueuedRequests -= readsDone
                self.numWriteQueuedRequests -= writesDone
                readsDone = writesDone = 0
                commitIsWaiting = bool(committedRequests)
                requestsToProcess = len(queuedRequests)
                while not self.stopped and requestsToProcess == 0 and not commitIsWaiting:
                    cond.wait()
                    commitIsWaiting = bool(committedRequests)
                    requestsToProcess = len(queuedRequests)
                numReadQueued = self.numReadQueuedRequests
                numWriteQueued = self.numWriteQueuedRequests

            metrics.READS_QUEUED_IN_COMMIT_PROCESSOR.add(numReadQueued)
            metrics.WRITES_QUEUED_IN_COMMIT_PROCESSOR.add(numWriteQueued)
            metrics.COMMITS_QUEUED_IN_COMMIT_PROCESSOR.add(len(committedRequests))
            time = Time.currentElapsedTime()

            maxReadBatchSize = CommitProcessor.maxReadBatchSize
            readsProcessed = 0
            while (not self.stopped and requestsToProcess > 0
                   and (maxReadBatchSize < 0 or readsProcessed <= maxReadBatchSize)
                   and queuedRequests):
                request = queuedRequests.popleft()
                requestsToProcess -= 1
                sid = request.sessionId
                if needCommit(request) or sid in pendingRequests:
                    requests = pendingRequests.get(sid)
                    if requests is None:
                        requests = pendingRequests[sid] = deque()
                    requests.append(request)
                    metrics.REQUESTS_IN_SESSION_QUEUE.add(len(requests))
                else:
                    readsProcessed += 1
                    readsDone += 1
                    self.sendToNextProcessor(request)
                # a pending write with a commit ready: the commit is for it or
                # for a remote write, so it can be processed now
                if maxReadBatchSize < 0 and pendingRequests and committedRequests:
                    commitIsWaiting = True
                    break
            metrics.READS_ISSUED_IN_COMMIT_PROC.add(readsProcessed)

            if not commitIsWaiting:
                commitIsWaiting = bool(committedRequests)

            if commitIsWaiting and not self.stopped:
                self.waitForEmptyPool()
                if self.stopped:
                    return
                commitsToProcess = CommitProcessor.maxCommitBatchSize
                queuesToDrain: list[int] = []
                startWriteTime = Time.currentElapsedTime()
                commitsProcessed = 0
                while commitIsWaiting and not self.stopped and commitsToProcess > 0:
                    request = committedRequests[0]
                    if request.isThrottled():
                        LOG.error("Throttled request in committed pool: %s. Exiting.", request)
                        ServiceUtils.requestSystemExit(ExitCode.UNEXPECTED_ERROR.getValue())
                    # the commit of the oldest local write comes first, as
                    # commits arrive in order; any other is a remote write
                    if (queuedWriteRequests and queuedWriteRequests[0].sessionId == request.sessionId
                            and queuedWriteRequests[0].cxid == request.cxid):
                        sessionQueue = pendingRequests.get(request.sessionId)
                        metrics.PENDING_SESSION_QUEUE_SIZE.add(len(pendingRequests))
                        if not sessionQueue or not needCommit(sessionQueue[0]):
                            # reads of the session go first, or the write has
                            # not left queuedRequests yet
                            break
                        metrics.REQUESTS_IN_SESSION_QUEUE.add(len(sessionQueue))
                        topPending = sessionQueue.popleft()
                        # the local request carries the connection to answer
                        topPending.setHdr(request.getHdr())
                        topPending.setTxn(request.getTxn())
                        topPending.setTxnDigest(request.getTxnDigest())
                        topPending.zxid = request.zxid
                        topPending.commitRecvTime = request.commitRecvTime
                        request = topPending
                        if request.isThrottled():
                            LOG.error("Throttled request in committed & pending pool: %s. Exiting.", request)
                            ServiceUtils.requestSystemExit(ExitCode.UNEXPECTED_ERROR.getValue())
                        writesDone += 1
                        queuedWriteRequests.popleft()
                        if request.sessionId not in queuesToDrain:
                            queuesToDrain.append(request.sessionId)
                    committedRequests.popleft()
                    commitsToProcess -= 1
                    commitsProcessed += 1
                    self.processWrite(request)
                    commitIsWaiting = bool(committedRequests)
                metrics.WRITE_BATCH_TIME_IN_COMMIT_PROCESSOR.add(Time.currentElapsedTime() - startWriteTime)
                metrics.WRITES_ISSUED_IN_COMMIT_PROC.add(commitsProcessed)

                # the reads that waited behind the writes, then drop empty queues
                readsProcessed = 0
                for sessionId in queuesToDrain:
                    sessionQueue = pendingRequests[sessionId]
                    readsAfterWrite = 0
                    while not self.stopped and sessionQueue and not needCommit(sessionQueue[0]):
                        readsDone += 1
                        self.sendToNextProcessor(sessionQueue.popleft())
                        readsAfterWrite += 1
                    metrics.READS_AFTER_WRITE_IN_SESSION_QUEUE.add(readsAfterWrite)
                    readsProcessed += readsAfterWrite
                    if not sessionQueue:
                        del pendingRequests[sessionId]
                metrics.SESSION_QUEUES_DRAINED.add(len(queuesToDrain))
                metrics.READ_ISSUED_FROM_SESSION_QUEUE.add(readsProcessed)

            metrics.COMMIT_PROCESS_TIME.add(Time.currentElapsedTime() - time)
            self.endOfIteration()
            if self.stoppedMainLoop:
                return

    def endOfIteration(self) -> None:
        """A hook for tests, run after every iteration of the main loop."""

    def waitForEmptyPool(self) -> None:
        numRequestsInProcess = self.numRequestsProcessing
        metrics = ServerMetrics.getMetrics()
        if numRequestsInProcess != 0:
            metrics.CONCURRENT_REQUEST_PROCESSING_IN_COMMIT_PROCESSOR.add(numRequestsInProcess)
        startWaitTime = Time.currentElapsedTime()
        with self.emptyPoolSync:
            while not self.stopped and self.numRequestsProcessing != 0:
                self.emptyPoolSync.wait()
        metrics.TIME_WAITING_EMPTY_POOL_IN_COMMIT_PROCESSOR_READ.add(Time.currentElapsedTime() - startWaitTime)

    def start(self) -> None:
        numCores = os.cpu_count() or 1
        numWorkerThreads = system_properties.getInteger(ZOOKEEPER_COMMIT_PROC_NUM_WORKER_THREADS, numCores)
        self.workerShutdownTimeoutMS = system_properties.getLong(ZOOKEEPER_COMMIT_PROC_SHUTDOWN_TIMEOUT, 5000)
        CommitProcessor.initBatchSizes()
        LOG.info("Configuring CommitProcessor with %s worker threads.",
                 numWorkerThreads if numWorkerThreads > 0 else "no")
        if self.workerPool is None:
            self.workerPool = WorkerService("CommitProcWork", numWorkerThreads, True)
        self.stopped = False
        self.stoppedMainLoop = False
        super().start()

    def sendToNextProcessor(self, request: Request) -> None:
        with self.emptyPoolSync:
            self.numRequestsProcessing += 1
        self.workerPool.schedule(CommitWorkRequest(self, request), request.sessionId)

    def processWrite(self, request: Request) -> None:
        CommitProcessor.processCommitMetrics(request, True)
        timeBeforeFinalProc = Time.currentElapsedTime()
        self.nextProcessor.processRequest(request)
        ServerMetrics.getMetrics().WRITE_FINAL_PROC_TIME.add(Time.currentElapsedTime() - timeBeforeFinalProc)

    @staticmethod
    def initBatchSizes() -> None:
        CommitProcessor.maxReadBatchSize = system_properties.getInteger(ZOOKEEPER_COMMIT_PROC_MAX_READ_BATCH_SIZE, -1)
        CommitProcessor.maxCommitBatchSize = system_properties.getInteger(
            ZOOKEEPER_COMMIT_PROC_MAX_COMMIT_BATCH_SIZE, 1)
        if CommitProcessor.maxCommitBatchSize <= 0:
            raise ValueError(f"maxCommitBatchSize must be positive, was {CommitProcessor.maxCommitBatchSize}")
        LOG.info("Configuring CommitProcessor with readBatchSize %s commitBatchSize %s",
                 CommitProcessor.maxReadBatchSize, CommitProcessor.maxCommitBatchSize)

    @staticmethod
    def processCommitMetrics(request: Request, isWrite: bool) -> None:
        metrics = ServerMetrics.getMetrics()
        if isWrite:
            if request.commitProcQueueStartTime != -1 and request.commitRecvTime != -1:
                currentTime = Time.currentElapsedTime()
                metrics.WRITE_COMMITPROC_TIME.add(currentTime - request.commitProcQueueStartTime)
                metrics.LOCAL_WRITE_COMMITTED_TIME.add(currentTime - request.commitRecvTime)
            elif request.commitRecvTime != -1:
                metrics.SERVER_WRITE_COMMITTED_TIME.add(Time.currentElapsedTime() - request.commitRecvTime)
        elif request.commitProcQueueStartTime != -1:
            metrics.READ_COMMITPROC_TIME.add(Time.currentElapsedTime() - request.commitProcQueueStartTime)

    @staticmethod
    def getMaxReadBatchSize() -> int:
        return CommitProcessor.maxReadBatchSize

    @staticmethod
    def getMaxCommitBatchSize() -> int:
        return CommitProcessor.maxCommitBatchSize

    @staticmethod
    def setMaxReadBatchSize(size: int) -> None:
        CommitProcessor.maxReadBatchSize = size
        LOG.info("Configuring CommitProcessor with readBatchSize %s", size)

    @staticmethod
    def setMaxCommitBatchSize(size: int) -> None:
        if size > 0:
            CommitProcessor.maxCommitBatchSize = size
            LOG.info("Configuring CommitProcessor with commitBatchSize %s", size)

    def wakeup(self) -> None:
        with self._cond:
            self._cond.notify_all()

    def wakeupOnEmpty(self) -> None:
        with self.emptyPoolSync:
            self.emptyPoolSync.notify_all()

    def commit(self, request: Request | None) -> None:
        """Hand in a committed request (from the leader's quorum, or a COMMIT
        a learner received)."""
        if self.stopped or request is None:
            return
        if LOG.isEnabledFor(logging.DEBUG):
            LOG.debug("Committing request:: %s", request)
        request.commitRecvTime = Time.currentElapsedTime()
        ServerMetrics.getMetrics().COMMITS_QUEUED.add(1)
        with self._cond:
            self.committedRequests.append(request)
            self._cond.notify_all()

    def processRequest(self, request: Request) -> None:
        if self.stopped:
            return
        if LOG.isEnabledFor(logging.DEBUG):
            LOG.debug("Processing request:: %s", request)
        request.commitProcQueueStartTime = Time.currentElapsedTime()
        write = self.needCommit(request)
        with self._cond:
            self.queuedRequests.append(request)
            if write:
                self.queuedWriteRequests.append(request)
                self.numWriteQueuedRequests += 1
            else:
                self.numReadQueuedRequests += 1
            self._cond.notify_all()

    def halt(self) -> None:
        self.stoppedMainLoop = True
        self.stopped = True
        self.wakeupOnEmpty()
        self.wakeup()
        self.queuedRequests.clear()
        if self.workerPool is not None:
            self.workerPool.stop()

    def shutdown(self) -> None:
        LOG.info("Shutting down")
        self.halt()
        if self.workerPool is not None:
            self.workerPool.join(self.workerShutdownTimeoutMS)
        if self.nextProcessor is not None:
            self.nextProcessor.shutdown()


class CommitWorkRequest(WorkerService.WorkRequest):
    """A read (or a session's following request) run on a worker thread."""

    __slots__ = ("processor", "request")

    def __init__(self, processor: CommitProcessor, request: Request) -> None:
        self.processor = processor
        self.request = request

    def cleanup(self) -> None:
        processor = self.processor
        if not processor.stopped:
            LOG.error("Exception thrown by downstream processor, unable to continue.")
            processor.halt()

    def doWork(self) -> None:
        processor = self.processor
        request = self.request
        try:
            write = processor.needCommit(request)
            CommitProcessor.processCommitMetrics(request, write)
            timeBeforeFinalProc = Time.currentElapsedTime()
            processor.nextProcessor.processRequest(request)
            elapsed = Time.currentElapsedTime() - timeBeforeFinalProc
            if write:
                ServerMetrics.getMetrics().WRITE_FINAL_PROC_TIME.add(elapsed)
            else:
                ServerMetrics.getMetrics().READ_FINAL_PROC_TIME.add(elapsed)
        finally:
            sync = processor.emptyPoolSync
            with sync:
                processor.numRequestsProcessing -= 1
                if processor.numRequestsProcessing == 0:
                    sync.notify_all()
