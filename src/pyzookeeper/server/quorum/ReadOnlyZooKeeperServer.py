"""Mirrors org.apache.zookeeper.server.quorum.ReadOnlyZooKeeperServer: the
server of a peer cut off from its quorum (``readonlymode.enabled``). It
serves reads to clients that allow read-only mode, refuses the others, and
answers writes with NOTREADONLY (ReadOnlyRequestProcessor ->
PrepRequestProcessor -> FinalRequestProcessor).

Deliberate difference: no JMX.
"""

from __future__ import annotations

import logging

from pyzookeeper.server.FinalRequestProcessor import FinalRequestProcessor
from pyzookeeper.server.PrepRequestProcessor import PrepRequestProcessor
from pyzookeeper.server.Request import Request
from pyzookeeper.server.ServerCnxn import ServerCnxn
from pyzookeeper.server.ZooKeeperServer import ZooKeeperServer
from pyzookeeper.server.quorum.LearnerSessionTracker import LearnerSessionTracker
from pyzookeeper.server.quorum.ReadOnlyRequestProcessor import ReadOnlyRequestProcessor
from pyzookeeper.ZooDefs import OpCode

LOG = logging.getLogger(__name__)


def _hex(value: int) -> str:
    return format(value & 0xFFFFFFFFFFFFFFFF, "x")


class ReadOnlyZooKeeperServer(ZooKeeperServer):
    def __init__(self, logFactory, self_, zkDb) -> None:
        super().__init__(logFactory, self_.tickTime, self_.minSessionTimeout, self_.maxSessionTimeout,
                         self_.clientPortListenBacklog, zkDb, self_.getInitialConfig(), self_.isReconfigEnabled())
        self.self = self_
        self._shutdown = False

    def setupRequestProcessors(self) -> None:
        finalProcessor = FinalRequestProcessor(self)
        prepProcessor = PrepRequestProcessor(self, finalProcessor)
        prepProcessor.start()
        self.firstProcessor = ReadOnlyRequestProcessor(self, prepProcessor)
        self.firstProcessor.start()

    def startup(self) -> None:
        with self._lock:
            # a shutdown may come first, from the peer leaving LOOKING
            if self._shutdown:
                LOG.warning("Not starting Read-only server as startup follows shutdown!")
                return
            super().startup()
            self.self.setZooKeeperServer(self)
            self.self.adminServer.setZooKeeperServer(self)
            LOG.info("Read-only server started")

    def createSessionTracker(self) -> None:
        self.sessionTracker = LearnerSessionTracker(
            self, self.getZKDatabase().getSessionWithTimeOuts(), self.tickTime, self.self.getMyId(),
            self.self.areLocalSessionsEnabled(), self.getZooKeeperServerListener())

    def startSessionTracker(self) -> None:
        self.sessionTracker.start()

    def setLocalSessionFlag(self, si: Request) -> None:
        if si.type == OpCode.createSession:
            if self.self.areLocalSessionsEnabled():
                si.setLocalSession(True)
        elif si.type == OpCode.closeSession:
            if self.sessionTracker.isLocalSession(si.sessionId):
                si.setLocalSession(True)
            else:
                LOG.warning("Submitting global closeSession request for session 0x%s in ReadOnly mode",
                            _hex(si.sessionId))

    def validateSession(self, cnxn, sessionId: int) -> None:
        if self.sessionTracker.isGlobalSession(sessionId):
            msg = f"Refusing global session reconnection in RO mode {cnxn.getRemoteSocketAddress()}"
            LOG.info(msg)
            raise ServerCnxn.CloseRequestException(msg, ServerCnxn.DisconnectReason.RENEW_GLOBAL_SESSION_IN_RO_MODE)

    def isReadOnly(self) -> bool:
        return True

    def getState(self) -> str:
        return "read-only"

    def getServerId(self) -> int:
        return self.self.getMyId()

    def shutdown(self, fullyShutDown: bool = False) -> None:
        with self._lock:
            if not self.canShutdown():
                LOG.debug("ZooKeeper server is not running, so not proceeding to shutdown!")
                return
            self._shutdown = True
            self.self.setZooKeeperServer(None)
            self.self.closeAllConnections()
            self.self.adminServer.setZooKeeperServer(None)
            super().shutdown(fullyShutDown)

    def dumpConf(self, pwriter) -> None:
        super().dumpConf(pwriter)
        peer = self.self
        pwriter.write(f"initLimit={peer.getInitLimit()}\n")
        pwriter.write(f"syncLimit={peer.getSyncLimit()}\n")
        pwriter.write(f"electionAlg={peer.getElectionType()}\n")
        pwriter.write("electionPort=" + "|".join(str(p) for p in peer.getElectionAddress().getAllPorts()) + "\n")
        pwriter.write("quorumPort=" + "|".join(str(p) for p in peer.getQuorumAddress().getAllPorts()) + "\n")
        pwriter.write(f"peerType={peer.getLearnerType().ordinal()}\n")

    def setState(self, state: str) -> None:
        self.state = state
