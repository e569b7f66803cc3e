"""Mirrors org.apache.zookeeper.server.quorum.LearnerZooKeeperServer: the
base of the follower's and the observer's server.

Deliberate differences: no JMX; ``shutdown`` also stops the SyncThread when
called with ``fullyShutDown`` (as Learner.shutdown does), so that it has
logged what it queued before the database is fast-forwarded from the log and
no idle SyncThread outlives its server (Java 3.8 stops it only from
``shutdown()``); and a server started without serving (NEWLEADER seen, no
UPTODATE yet) can be shut down, which stops the processors it started.
"""

from __future__ import annotations

import logging

from pyzookeeper.server.ZooKeeperServer import State
from pyzookeeper.server.quorum.LearnerSessionTracker import LearnerSessionTracker
from pyzookeeper.server.quorum.QuorumZooKeeperServer import QuorumZooKeeperServer

LOG = logging.getLogger(__name__)


class LearnerZooKeeperServer(QuorumZooKeeperServer):
    def __init__(self, logFactory, tickTime: int, minSessionTimeout: int, maxSessionTimeout: int,
                 listenBacklog: int, zkDb, self_) -> None:
        super().__init__(logFactory, tickTime, minSessionTimeout, maxSessionTimeout, listenBacklog, zkDb, self_)
        self.commitProcessor = None
        self.syncProcessor = None

    def getLearner(self):
        """The Follower or Observer of the peer (it changes as the peer changes roles)."""
        raise NotImplementedError

    def getTouchSnapshot(self) -> dict[int, int]:
        """The sessions touched since the last PING answer."""
        if self.sessionTracker is not None:
            return self.sessionTracker.snapshot()
        return {}

    def getServerId(self) -> int:
        return self.self.getMyId()

    def createSessionTracker(self) -> None:
        self.sessionTracker = LearnerSessionTracker(
            self, self.getZKDatabase().getSessionWithTimeOuts(), self.tickTime, self.self.getMyId(),
            self.self.areLocalSessionsEnabled(), self.getZooKeeperServerListener())

    def revalidateSession(self, cnxn, sessionId: int, sessionTimeout: int) -> None:
        if self.upgradeableSessionTracker.isLocalSession(sessionId):
            super().revalidateSession(cnxn, sessionId, sessionTimeout)
        else:
            self.getLearner().validateSession(cnxn, sessionId, sessionTimeout)

    def canShutdown(self) -> bool:
        return super().canShutdown() or (self.state == State.INITIAL and self.firstProcessor is not None)

    def shutdown(self, fullyShutDown: bool = False) -> None:
        with self._lock:
            if not self.canShutdown():
                if fullyShutDown and self.zkDb is not None:
                    self.zkDb.clear()
                LOG.debug("ZooKeeper server is not running, so not proceeding to shutdown!")
                return
            LOG.info("Shutting down")
            self.shutdownSyncProcessor()
            try:
                super().shutdown(fullyShutDown)
            except Exception:
                LOG.warning("Ignoring unexpected exception during shutdown", exc_info=True)

    def shutdownSyncProcessor(self) -> None:
        if self.syncProcessor is None:
            return
        try:
            self.syncProcessor.shutdown()
        except Exception:
            LOG.warning("Ignoring unexpected exception in syncprocessor shutdown", exc_info=True)
