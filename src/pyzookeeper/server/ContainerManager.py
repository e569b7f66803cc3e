"""Mirrors org.apache.zookeeper.server.ContainerManager: the "ContainerManagerTask"
timer that deletes empty containers and expired TTL nodes."""

from __future__ import annotations

import logging
import threading

from pyzookeeper.common import Time
from pyzookeeper.common.java_hash_set import JavaHashSet
from pyzookeeper.server.EphemeralType import EphemeralType
from pyzookeeper.server.Request import Request
from pyzookeeper.server.ZooKeeperThread import ZooKeeperThread
from pyzookeeper.ZooDefs import OpCode

LOG = logging.getLogger(__name__)


class ContainerManager:
    def __init__(self, zkDb, requestProcessor, checkIntervalMs: int, maxPerMinute: int,
                 maxNeverUsedIntervalMs: int = 0) -> None:
        self.zkDb = zkDb
        self.requestProcessor = requestProcessor
        self.checkIntervalMs = checkIntervalMs
        self.maxPerMinute = maxPerMinute
        self.maxNeverUsedIntervalMs = maxNeverUsedIntervalMs
        self._task: _TimerTask | None = None
        self._lock = threading.Lock()
        LOG.info("Using checkIntervalMs=%s maxPerMinute=%s maxNeverUsedIntervalMs=%s",
                 checkIntervalMs, maxPerMinute, maxNeverUsedIntervalMs)

    def start(self) -> None:
        with self._lock:
            if self._task is None:
                self._task = _TimerTask(self)
                self._task.start()

    def stop(self) -> None:
        with self._lock:
            task, self._task = self._task, None
        if task is not None:
            task.cancel()

    def checkContainers(self, cancelled: threading.Event | None = None) -> None:
        minIntervalMs = self.getMinIntervalMs()
        for containerPath in self.getCandidates():
            startMs = Time.currentElapsedTime()
            request = Request(None, 0, 0, OpCode.deleteContainer, containerPath.encode("utf-8"), None)
            try:
                LOG.info("Attempting to delete candidate container: %s", containerPath)
                self.postDeleteRequest(request)
            except Exception:
                LOG.error("Could not delete container: %s", containerPath, exc_info=True)
            waitMs = minIntervalMs - (Time.currentElapsedTime() - startMs)
            if waitMs > 0 and cancelled is not None and cancelled.wait(waitMs / 1000.0):
                return

    def postDeleteRequest(self, request: Request) -> None:
        self.requestProcessor.processRequest(request)

    def getMinIntervalMs(self) -> int:
        return 60_000 // self.maxPerMinute

    def getCandidates(self) -> JavaHashSet:
        tree = self.zkDb.getDataTree()
        candidates = JavaHashSet()
        for containerPath in tree.getContainers():
            node = tree.getNode(containerPath)
            if node is not None and not node.getChildren():
                # cversion 0: never had a child; only removed once old enough, if configured
                if node.stat.cversion > 0:
                    candidates.add(containerPath)
                elif self.maxNeverUsedIntervalMs != 0 and self.getElapsed(node) > self.maxNeverUsedIntervalMs:
                    candidates.add(containerPath)
        for ttlPath in tree.getTtls():
            node = tree.getNode(ttlPath)
            if node is not None and not node.getChildren():
                owner = node.stat.ephemeralOwner
                if EphemeralType.get(owner) == EphemeralType.TTL:
                    ttl = EphemeralType.TTL.getValue(owner)
                    if ttl != 0 and self.getElapsed(node) > ttl:
                        candidates.add(ttlPath)
        return candidates

    def getElapsed(self, node) -> int:
        return Time.currentWallTime() - node.stat.mtime


class _TimerTask(ZooKeeperThread):
    """Java's java.util.Timer thread "ContainerManagerTask" at a fixed rate."""

    def __init__(self, manager: ContainerManager) -> None:
        super().__init__("ContainerManagerTask")
        self.manager = manager
        self.cancelled = threading.Event()

    def cancel(self) -> None:
        self.cancelled.set()

    def run(self) -> None:
        interval = self.manager.checkIntervalMs / 1000.0
        deadline = Time.currentElapsedTime() / 1000.0 + interval
        while not self.cancelled.wait(max(0.0, deadline - Time.currentElapsedTime() / 1000.0)):
            try:
                self.manager.checkContainers(self.cancelled)
            except Exception:
                LOG.error("Error checking containers", exc_info=True)
            deadline += interval
