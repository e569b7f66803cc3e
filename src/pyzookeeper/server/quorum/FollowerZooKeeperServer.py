"""Mirrors org.apache.zookeeper.server.quorum.FollowerZooKeeperServer: a
follower's server. Client requests run FollowerRequestProcessor ->
CommitProcessor -> FinalRequestProcessor; the leader's proposals run
SyncRequestProcessor -> SendAckRequestProcessor and wait in ``pendingTxns``
for their COMMIT.

Deliberate difference: no JMX.
"""

from __future__ import annotations

import logging
import threading
from collections import deque

from pyzookeeper.server.ExitCode import ExitCode
from pyzookeeper.server.FinalRequestProcessor import FinalRequestProcessor
from pyzookeeper.server.Request import Request
from pyzookeeper.server.ServerMetrics import ServerMetrics
from pyzookeeper.server.SyncRequestProcessor import SyncRequestProcessor
from pyzookeeper.server.quorum.CommitProcessor import CommitProcessor
from pyzookeeper.server.quorum.FollowerRequestProcessor import FollowerRequestProcessor
from pyzookeeper.server.quorum.Leader import Leader
from pyzookeeper.server.quorum.LearnerSyncRequest import LearnerSyncRequest
from pyzookeeper.server.quorum.LearnerZooKeeperServer import LearnerZooKeeperServer
from pyzookeeper.server.quorum.QuorumPacket import QuorumPacket
from pyzookeeper.server.quorum.SendAckRequestProcessor import SendAckRequestProcessor
from pyzookeeper.util import ServiceUtils

LOG = logging.getLogger(__name__)

_EPOCH_COUNTER_MASK = 0xFFFFFFFF


def _hex(value: int) -> str:
    return format(value & 0xFFFFFFFFFFFFFFFF, "x")


class FollowerZooKeeperServer(LearnerZooKeeperServer):
    def __init__(self, logFactory, self_, zkDb) -> None:
        super().__init__(logFactory, self_.tickTime, self_.minSessionTimeout, self_.maxSessionTimeout,
                         self_.clientPortListenBacklog, zkDb, self_)
        self.pendingSyncs: deque[Request] = deque()
        self.pendingTxns: deque[Request] = deque()
        self._syncLock = threading.Lock()

    def getFollower(self):
        return self.self.follower

    def setupRequestProcessors(self) -> None:
        finalProcessor = FinalRequestProcessor(self)
        self.commitProcessor = CommitProcessor(finalProcessor, str(self.getServerId()), True,
                                               self.getZooKeeperServerListener())
        self.commitProcessor.start()
        self.firstProcessor = FollowerRequestProcessor(self, self.commitProcessor)
        self.firstProcessor.start()
        self.syncProcessor = SyncRequestProcessor(self, SendAckRequestProcessor(self.getFollower()))
        self.syncProcessor.start()

    def logRequest(self, hdr, txn, digest) -> None:
        """Queue a proposal for the log; its ACK goes out once it is fsynced."""
        self.syncProcessor.processRequest(self._buildRequestToProcess(hdr, txn, digest))

    def appendRequest(self, hdr, txn, digest) -> Request:
        """Append a proposal to the log now (made durable by the caller's commit)."""
        request = self._buildRequestToProcess(hdr, txn, digest)
        self.getZKDatabase().append(request)
        return request

    def commit(self, zxid: int) -> None:
        """A COMMIT from the leader: it must match the oldest pending txn,
        which goes to the CommitProcessor."""
        pendingTxns = self.pendingTxns
        if not pendingTxns:
            LOG.warning("Committing %s without seeing txn", _hex(zxid))
            return
        firstElementZxid = pendingTxns[0].zxid
        if firstElementZxid != zxid:
            LOG.error("Committing zxid 0x%s but next pending txn 0x%s", _hex(zxid), _hex(firstElementZxid))
            ServiceUtils.requestSystemExit(ExitCode.UNMATCHED_TXN_COMMIT.getValue())
        request = pendingTxns.popleft()
        request.logLatency(ServerMetrics.getMetrics().COMMIT_PROPAGATION_LATENCY)
        self.commitProcessor.commit(request)

    def sync(self) -> None:
        """The leader's SYNC: release the oldest sync forwarded from here."""
        with self._syncLock:
            if not self.pendingSyncs:
                LOG.warning("Not expecting a sync.")
                return
            r = self.pendingSyncs.popleft()
            if isinstance(r, LearnerSyncRequest):
                r.fh.queuePacket(QuorumPacket(Leader.SYNC, 0, None, None))
            self.commitProcessor.commit(r)

    def getGlobalOutstandingLimit(self) -> int:
        quorumSize = self.self.getQuorumSize()
        divisor = quorumSize - 1 if quorumSize > 2 else 1
        return super().getGlobalOutstandingLimit() // divisor

    def getState(self) -> str:
        return "follower"

    def getLearner(self):
        return self.getFollower()

    def processObserverRequest(self, request: Request) -> None:
        """A request of an observer connected to this follower's ObserverMaster:
        already checked, it enters the chain after the session-upgrade check."""
        self.firstProcessor.processRequest(request, False)

    def registerMetrics(self) -> None:
        super().registerMetrics()
        rootContext = ServerMetrics.getMetrics().getMetricsProvider().getRootContext()
        rootContext.registerGauge("synced_observers", lambda: self.self.getSynced_observers_metric())

    def unregisterMetrics(self) -> None:
        super().unregisterMetrics()
        rootContext = ServerMetrics.getMetrics().getMetricsProvider().getRootContext()
        rootContext.unregisterGauge("synced_observers")

    def _buildRequestToProcess(self, hdr, txn, digest) -> Request:
        request = Request.fromTxn(hdr.clientId, hdr.cxid, hdr.type, hdr, txn, hdr.zxid)
        request.setTxnDigest(digest)
        if request.zxid & _EPOCH_COUNTER_MASK:
            self.pendingTxns.append(request)
        return request
