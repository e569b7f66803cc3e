"""Mirrors org.apache.zookeeper.server.quorum.ObserverZooKeeperServer: an
observer's server. Client requests run ObserverRequestProcessor ->
CommitProcessor -> FinalRequestProcessor; committed txns arrive as INFORMs
and are logged by a SyncRequestProcessor when ``syncEnabled`` (the default).

Deliberate difference: no JMX.
"""

from __future__ import annotations

import logging
import threading
from collections import deque

from pyzookeeper.server.FinalRequestProcessor import FinalRequestProcessor
from pyzookeeper.server.Request import Request
from pyzookeeper.server.SyncRequestProcessor import SyncRequestProcessor
from pyzookeeper.server.quorum.CommitProcessor import CommitProcessor
from pyzookeeper.server.quorum.LearnerZooKeeperServer import LearnerZooKeeperServer
from pyzookeeper.server.quorum.ObserverRequestProcessor import ObserverRequestProcessor

LOG = logging.getLogger(__name__)


class ObserverZooKeeperServer(LearnerZooKeeperServer):
    def __init__(self, logFactory, self_, zkDb) -> None:
        super().__init__(logFactory, self_.tickTime, self_.minSessionTimeout, self_.maxSessionTimeout,
                         self_.clientPortListenBacklog, zkDb, self_)
        self.syncRequestProcessorEnabled = self_.getSyncEnabled()
        self.pendingSyncs: deque[Request] = deque()
        self._syncLock = threading.Lock()
        LOG.info("syncEnabled =%s", "true" if self.syncRequestProcessorEnabled else "false")

    def getObserver(self):
        return self.self.observer

    def getLearner(self):
        return self.self.observer

    def commitRequest(self, request: Request) -> None:
        """Commit a txn the leader sent in an INFORM (logging it first when syncEnabled)."""
        if self.syncRequestProcessorEnabled:
            self.syncProcessor.processRequest(request)
        self.commitProcessor.commit(request)

    def setupRequestProcessors(self) -> None:
        finalProcessor = FinalRequestProcessor(self)
        self.commitProcessor = CommitProcessor(finalProcessor, str(self.getServerId()), True,
                                               self.getZooKeeperServerListener())
        self.commitProcessor.start()
        self.firstProcessor = ObserverRequestProcessor(self, self.commitProcessor)
        self.firstProcessor.start()
        # logging keeps a restarted observer close enough to DIFF instead of SNAP
        if self.syncRequestProcessorEnabled:
            self.syncProcessor = SyncRequestProcessor(self, None)
            self.syncProcessor.start()

    def sync(self) -> None:
        """The leader's SYNC: release the oldest sync forwarded from here."""
        with self._syncLock:
            if not self.pendingSyncs:
                LOG.warning("Not expecting a sync.")
                return
            self.commitProcessor.commit(self.pendingSyncs.popleft())

    def getState(self) -> str:
        return "observer"

    def dumpMonitorValues(self, response) -> None:
        super().dumpMonitorValues(response)
        observer = self.getObserver()
        response("observer_master_id", observer.getLearnerMasterId() if observer is not None else -1)
