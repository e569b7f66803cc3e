"""Mirrors org.apache.zookeeper.server.quorum.ObserverRequestProcessor: the
"ObserverRequestProcessor:<id>" thread, first in an observer's chain. Every
request goes on to the CommitProcessor; writes, syncs and global session
changes are also forwarded to the leader."""

from __future__ import annotations

import logging
import queue

from pyzookeeper.server.Request import Request
from pyzookeeper.server.RequestProcessor import RequestProcessor
from pyzookeeper.server.ServerMetrics import ServerMetrics
from pyzookeeper.server.ZooKeeperCriticalThread import ZooKeeperCriticalThread
from pyzookeeper.server.ZooTrace import ZooTrace
from pyzookeeper.server.quorum.FollowerRequestProcessor import FORWARDED_TYPES, check_upgrade, drain_queue
from pyzookeeper.ZooDefs import OpCode

LOG = logging.getLogger(__name__)


class ObserverRequestProcessor(ZooKeeperCriticalThread, RequestProcessor):
    def __init__(self, zks, nextProcessor: RequestProcessor) -> None:
        super().__init__(f"ObserverRequestProcessor:{zks.getServerId()}", zks.getZooKeeperServerListener())
        self.zks = zks
        self.nextProcessor = nextProcessor
        self.queuedRequests: queue.SimpleQueue[Request] = queue.SimpleQueue()
        self.finished = False

    def run(self) -> None:
        try:
            zks = self.zks
            queued = self.queuedRequests
            queueSize = ServerMetrics.getMetrics().LEARNER_REQUEST_PROCESSOR_QUEUE_SIZE
            while not self.finished:
                queueSize.add(queued.qsize())
                request = queued.get()
                if LOG.isEnabledFor(logging.DEBUG):
                    ZooTrace.logRequest(LOG, ZooTrace.CLIENT_REQUEST_TRACE_MASK, "F", request, "")
                if request is Request.requestOfDeath:
                    break
                if not zks.authWriteRequest(request):
                    continue
                # queued here before it reaches the leader, so the answer finds it waiting
                self.nextProcessor.processRequest(request)
                if request.isThrottled():
                    continue
                rtype = request.type
                if rtype == OpCode.sync:
                    zks.pendingSyncs.append(request)
                    zks.getObserver().request(request)
                elif rtype in FORWARDED_TYPES:
                    zks.getObserver().request(request)
                elif rtype == OpCode.createSession or rtype == OpCode.closeSession:
                    if not request.isLocalSession():
                        zks.getObserver().request(request)
        except Exception as e:
            self.handleException(self.getName(), e)
        LOG.info("ObserverRequestProcessor exited loop!")

    def processRequest(self, request: Request) -> None:
        if self.finished:
            return
        check_upgrade(self.zks, request, self.queuedRequests, LOG, LOG.info)
        self.queuedRequests.put(request)

    def shutdown(self) -> None:
        LOG.info("Shutting down")
        self.finished = True
        drain_queue(self.queuedRequests)
        self.queuedRequests.put(Request.requestOfDeath)
        self.nextProcessor.shutdown()
