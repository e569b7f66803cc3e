"""Mirrors org.apache.zookeeper.server.RequestThrottler: the "RequestThrottler"
thread between the connections and the first request processor."""

from __future__ import annotations

import logging
import queue
import threading

from pyzookeeper import system_properties
from pyzookeeper.common import Time
from pyzookeeper.server.Request import Request
from pyzookeeper.server.ServerMetrics import ServerMetrics
from pyzookeeper.server.ZooKeeperCriticalThread import ZooKeeperCriticalThread

LOG = logging.getLogger(__name__)

SHUTDOWN_TIMEOUT = "zookeeper.request_throttler.shutdownTimeout"


class RequestThrottler(ZooKeeperCriticalThread):
    # Java reads these in a static initializer when the class is first used;
    # here that happens at the first construction.
    shutdownTimeout: int | None = None
    maxRequests = 0
    stallTime = 100
    dropStaleRequests = True

    @classmethod
    def _staticInit(cls) -> None:
        if cls.shutdownTimeout is not None:
            return
        cls.shutdownTimeout = system_properties.getInteger(SHUTDOWN_TIMEOUT, 10000)
        LOG.info("%s = %s ms", SHUTDOWN_TIMEOUT, cls.shutdownTimeout)
        cls.maxRequests = system_properties.getInteger("zookeeper.request_throttle_max_requests", 0)
        cls.stallTime = system_properties.getInteger("zookeeper.request_throttle_stall_time", 100)
        cls.dropStaleRequests = system_properties.getProperty(
            "zookeeper.request_throttle_drop_stale", "true").lower() == "true"

    def __init__(self, zks) -> None:
        RequestThrottler._staticInit()
        super().__init__("RequestThrottler", zks.getZooKeeperServerListener())
        self.zks = zks
        self.submittedRequests: queue.SimpleQueue[Request] = queue.SimpleQueue()
        self.stopping = False
        self.killed = False
        self._wakeup = threading.Condition()

    @staticmethod
    def getMaxRequests() -> int:
        return RequestThrottler.maxRequests

    @staticmethod
    def setMaxRequests(requests: int) -> None:
        RequestThrottler.maxRequests = requests

    @staticmethod
    def getStallTime() -> int:
        return RequestThrottler.stallTime

    @staticmethod
    def setStallTime(time: int) -> None:
        RequestThrottler.stallTime = time

    @staticmethod
    def getDropStaleRequests() -> bool:
        return RequestThrottler.dropStaleRequests

    @staticmethod
    def setDropStaleRequests(drop: bool) -> None:
        RequestThrottler.dropStaleRequests = drop

    def shouldThrottleOp(self, request: Request, elapsedTime: int) -> bool:
        wait = self.zks.getThrottledOpWaitTime()
        return request.isThrottlable() and wait > 0 and elapsedTime > wait

    def run(self) -> None:
        metrics = ServerMetrics.getMetrics()
        submitted = self.submittedRequests
        zks = self.zks
        while not self.killed:
            request = submitted.get()
            if request is Request.requestOfDeath:
                break
            if request.mustDrop():
                continue
            if RequestThrottler.maxRequests > 0:
                while not self.killed:
                    if RequestThrottler.dropStaleRequests and request.isStale():
                        self.dropRequest(request)
                        metrics.STALE_REQUESTS_DROPPED.add(1)
                        request = None
                        break
                    if zks.getInProcess() < RequestThrottler.maxRequests:
                        break
                    self.throttleSleep(RequestThrottler.stallTime)
            if self.killed:
                break
            if request is not None:
                if request.isStale():
                    metrics.STALE_REQUESTS.add(1)
                elapsedTime = Time.currentElapsedTime() - request.requestThrottleQueueTime
                metrics.REQUEST_THROTTLE_QUEUE_TIME.add(elapsedTime)
                if self.shouldThrottleOp(request, elapsedTime):
                    request.setIsThrottled(True)
                    metrics.THROTTLED_OPS.add(1)
                zks.submitRequestNow(request)
        dropped = self.drainQueue()
        LOG.info("RequestThrottler shutdown. Dropped %s requests", dropped)

    def throttleSleep(self, stallTime: int) -> None:
        ServerMetrics.getMetrics().REQUEST_THROTTLE_WAIT_COUNT.add(1)
        with self._wakeup:
            self._wakeup.wait(stallTime / 1000.0)

    def throttleWake(self) -> None:
        if RequestThrottler.maxRequests > 0:
            with self._wakeup:
                self._wakeup.notify()

    def drainQueue(self) -> int:
        dropped = 0
        LOG.info("Draining request throttler queue")
        while True:
            try:
                request = self.submittedRequests.get_nowait()
            except queue.Empty:
                break
            dropped += 1
            self.dropRequest(request)
        return dropped

    def dropRequest(self, request: Request) -> None:
        conn = request.getConnection()
        if conn is not None:
            conn.setInvalid()
        self.zks.requestFinished(request)

    def submitRequest(self, request: Request) -> None:
        if self.stopping:
            LOG.debug("Shutdown in progress. Request cannot be processed")
            self.dropRequest(request)
        else:
            request.requestThrottleQueueTime = Time.currentElapsedTime()
            self.submittedRequests.put(request)

    def getInflight(self) -> int:
        return self.submittedRequests.qsize()

    def shutdown(self) -> None:
        LOG.info("Shutting down")
        self.stopping = True
        self.submittedRequests.put(Request.requestOfDeath)
        self.join(RequestThrottler.shutdownTimeout / 1000.0)
        self.killed = True
        with self._wakeup:
            self._wakeup.notify()
        self.join()
