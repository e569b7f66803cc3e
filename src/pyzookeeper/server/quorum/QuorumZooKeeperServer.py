"""Mirrors org.apache.zookeeper.server.quorum.QuorumZooKeeperServer: the base
of the leader, follower and observer servers (local session upgrades, the
quorum part of ``conf`` and ``mntr``)."""

from __future__ import annotations

import logging
import struct

from pyzookeeper.CreateMode import CreateMode
from pyzookeeper.KeeperException import KeeperException
from pyzookeeper.MultiOperationRecord import MultiOperationRecord
from pyzookeeper.proto.CreateRequest import CreateRequest
from pyzookeeper.server.ByteBufferInputStream import byteBuffer2Record
from pyzookeeper.server.Request import Request
from pyzookeeper.server.ServerMetrics import ServerMetrics
from pyzookeeper.server.ZooKeeperServer import ZooKeeperServer
from pyzookeeper.ZooDefs import OpCode

LOG = logging.getLogger(__name__)

_INT = struct.Struct(">i")


def _hex(value: int) -> str:
    return format(value & 0xFFFFFFFFFFFFFFFF, "x")


class QuorumZooKeeperServer(ZooKeeperServer):
    def __init__(self, logFactory, tickTime: int, minSessionTimeout: int, maxSessionTimeout: int,
                 listenBacklog: int, zkDb, self_) -> None:
        super().__init__(logFactory, tickTime, minSessionTimeout, maxSessionTimeout, listenBacklog, zkDb,
                         self_.getInitialConfig(), self_.isReconfigEnabled())
        self.self = self_
        self.upgradeableSessionTracker = None

    def startSessionTracker(self) -> None:
        self.upgradeableSessionTracker = self.sessionTracker
        self.upgradeableSessionTracker.start()

    def checkUpgradeSession(self, request: Request) -> Request | None:
        """The createSession request that must precede ``request`` when a local
        session creates an ephemeral node, or None."""
        if request.isThrottled():
            return None
        if (request.type not in (OpCode.create, OpCode.create2, OpCode.multi)
                or not self.upgradeableSessionTracker.isLocalSession(request.sessionId)):
            return None
        if request.type == OpCode.multi:
            multiTransactionRecord = byteBuffer2Record(request.request, MultiOperationRecord())
            containsEphemeralCreate = False
            for op in multiTransactionRecord:
                if op.getType() in (OpCode.create, OpCode.create2):
                    createRequest = op.toRequestRecord()
                    if CreateMode.fromFlag(createRequest.flags).isEphemeral():
                        containsEphemeralCreate = True
                        break
            if not containsEphemeralCreate:
                return None
        else:
            createRequest = byteBuffer2Record(request.request, CreateRequest())
            if not CreateMode.fromFlag(createRequest.flags).isEphemeral():
                return None
        if not self.self.isLocalSessionsUpgradingEnabled():
            raise KeeperException.EphemeralOnLocalSessionException()
        return self.makeUpgradeRequest(request.sessionId)

    def makeUpgradeRequest(self, sessionId: int) -> Request | None:
        # check, upgrade and build the request as one step: another thread may
        # be upgrading the same session
        tracker = self.upgradeableSessionTracker
        with tracker._lock:
            if tracker.isLocalSession(sessionId):
                timeout = tracker.upgradeSession(sessionId)
                return Request(None, sessionId, 0, OpCode.createSession, _INT.pack(timeout), None)
        return None

    def upgrade(self, sessionId: int) -> None:
        request = self.makeUpgradeRequest(sessionId)
        if request is not None:
            LOG.info("Upgrading session 0x%s", _hex(sessionId))
            self.submitRequest(request)

    def setLocalSessionFlag(self, si: Request) -> None:
        if si.type == OpCode.createSession:
            if self.self.areLocalSessionsEnabled():
                si.setLocalSession(True)
        elif si.type == OpCode.closeSession:
            reqType = "global"
            if self.upgradeableSessionTracker.isLocalSession(si.sessionId):
                si.setLocalSession(True)
                reqType = "local"
            LOG.info("Submitting %s closeSession request for session 0x%s", reqType, _hex(si.sessionId))

    def dumpConf(self, pwriter) -> None:
        super().dumpConf(pwriter)
        self_ = self.self
        pwriter.write(f"initLimit={self_.getInitLimit()}\n")
        pwriter.write(f"syncLimit={self_.getSyncLimit()}\n")
        pwriter.write(f"electionAlg={self_.getElectionType()}\n")
        pwriter.write("electionPort=" + "|".join(str(p) for p in self_.getElectionAddress().getAllPorts()) + "\n")
        pwriter.write("quorumPort=" + "|".join(str(p) for p in self_.getQuorumAddress().getAllPorts()) + "\n")
        pwriter.write(f"peerType={self_.getLearnerType().ordinal()}\n")
        pwriter.write("membership: \n")
        pwriter.write(self_.getQuorumVerifier().toString())

    def setState(self, state: str) -> None:
        self.state = state

    def registerMetrics(self) -> None:
        super().registerMetrics()
        rootContext = ServerMetrics.getMetrics().getMetricsProvider().getRootContext()
        rootContext.registerGauge("quorum_size", self.self.getQuorumSize)

    def unregisterMetrics(self) -> None:
        super().unregisterMetrics()
        rootContext = ServerMetrics.getMetrics().getMetricsProvider().getRootContext()
        rootContext.unregisterGauge("quorum_size")

    def dumpMonitorValues(self, response) -> None:
        super().dumpMonitorValues(response)
        response("peer_state", self.self.getDetailedPeerState())
