"""Mirrors org.apache.zookeeper.server.quorum.FollowerRequestProcessor: the
"FollowerRequestProcessor:<id>" thread, first in a follower's chain. Every
request goes on to the CommitProcessor; writes, syncs and global session
changes are also forwarded to the leader."""

from __future__ import annotations

import logging
import queue

from pyzookeeper import system_properties
from pyzookeeper.KeeperException import KeeperException
from pyzookeeper.server.Request import Request
from pyzookeeper.server.RequestProcessor import RequestProcessor
from pyzookeeper.server.ServerMetrics import ServerMetrics
from pyzookeeper.server.ZooKeeperCriticalThread import ZooKeeperCriticalThread
from pyzookeeper.server.ZooTrace import ZooTrace
from pyzookeeper.txn.ErrorTxn import ErrorTxn
from pyzookeeper.ZooDefs import OpCode

LOG = logging.getLogger(__name__)

# writes forwarded to the leader as they are
FORWARDED_TYPES = frozenset({
    OpCode.create, OpCode.create2, OpCode.createTTL, OpCode.createContainer, OpCode.delete,
    OpCode.deleteContainer, OpCode.setData, OpCode.reconfig, OpCode.setACL, OpCode.multi, OpCode.check,
})


def check_upgrade(zks, request: Request, queuedRequests, log: logging.Logger, logError) -> None:
    """Queue the createSession that upgrades a local session before a request
    that needs a global one (an ephemeral create); a failed upgrade turns the
    request into an error."""
    upgradeRequest = None
    try:
        upgradeRequest = zks.checkUpgradeSession(request)
    except KeeperException as ke:
        if request.getHdr() is not None:
            request.getHdr().type = OpCode.error
            request.setTxn(ErrorTxn(ke.code().intValue()))
        request.setException(ke)
        logError("Error creating upgrade request", exc_info=ke)
    except OSError as ie:
        log.error("Unexpected error in upgrade", exc_info=ie)
    if upgradeRequest is not None:
        queuedRequests.put(upgradeRequest)


class FollowerRequestProcessor(ZooKeeperCriticalThread, RequestProcessor):
    SKIP_LEARNER_REQUEST_TO_NEXT_PROCESSOR = "zookeeper.follower.skipLearnerRequestToNextProcessor"

    def __init__(self, zks, nextProcessor: RequestProcessor) -> None:
        super().__init__(f"FollowerRequestProcessor:{zks.getServerId()}", zks.getZooKeeperServerListener())
        self.zks = zks
        self.nextProcessor = nextProcessor
        self.queuedRequests: queue.SimpleQueue[Request] = queue.SimpleQueue()
        self.finished = False
        self.skipLearnerRequestToNextProcessor = system_properties.getBoolean(
            self.SKIP_LEARNER_REQUEST_TO_NEXT_PROCESSOR)
        LOG.info("Initialized FollowerRequestProcessor with %s as %s", self.SKIP_LEARNER_REQUEST_TO_NEXT_PROCESSOR,
                 "true" if self.skipLearnerRequestToNextProcessor else "false")

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
                # quorum requests are screened against the ACLs first
                if not zks.authWriteRequest(request):
                    continue
                # queued here before it reaches the leader, so the answer finds it waiting
                self.maybeSendRequestToNextProcessor(request)
                if request.isThrottled():
                    continue
                rtype = request.type
                if rtype == OpCode.sync:
                    zks.pendingSyncs.append(request)
                    zks.getFollower().request(request)
                elif rtype in FORWARDED_TYPES:
                    zks.getFollower().request(request)
                elif rtype == OpCode.createSession or rtype == OpCode.closeSession:
                    # local sessions stay here
                    if not request.isLocalSession():
                        zks.getFollower().request(request)
        except Exception as e:
            self.handleException(self.getName(), e)
        LOG.info("FollowerRequestProcessor exited loop!")

    def maybeSendRequestToNextProcessor(self, request: Request) -> None:
        if self.skipLearnerRequestToNextProcessor and request.isFromLearner():
            ServerMetrics.getMetrics().SKIP_LEARNER_REQUEST_TO_NEXT_PROCESSOR_COUNT.add(1)
        else:
            self.nextProcessor.processRequest(request)

    def processRequest(self, request: Request, checkForUpgrade: bool = True) -> None:
        if self.finished:
            return
        if checkForUpgrade:
            check_upgrade(self.zks, request, self.queuedRequests, LOG, LOG.warning)
        self.queuedRequests.put(request)

    def shutdown(self) -> None:
        LOG.info("Shutting down")
        self.finished = True
        drain_queue(self.queuedRequests)
        self.queuedRequests.put(Request.requestOfDeath)
        self.nextProcessor.shutdown()


def drain_queue(q: queue.SimpleQueue) -> None:
    while True:
        try:
            q.get_nowait()
        except queue.Empty:
            return
