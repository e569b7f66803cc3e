"""Mirrors org.apache.zookeeper.server.quorum.LearnerMaster: what a
LearnerHandler needs from the server it syncs learners from (the Leader, or a
follower's ObserverMaster), with the sync throttlers both share."""

from __future__ import annotations

import logging

from pyzookeeper import system_properties
from pyzookeeper.server.quorum.LearnerSyncThrottler import LearnerSyncThrottler

LOG = logging.getLogger(__name__)

MAX_CONCURRENT_SNAPSYNCS = "zookeeper.leader.maxConcurrentSnapSyncs"
MAX_CONCURRENT_DIFF_SYNCS = "zookeeper.leader.maxConcurrentDiffSyncs"


class LearnerMaster:
    # Java reads these in a static initializer when the class is first used;
    # here that happens at the first construction.
    DEFAULT_CONCURRENT_SNAPSYNCS: int | None = None
    DEFAULT_CONCURRENT_DIFF_SYNCS = 100

    @classmethod
    def _staticInit(cls) -> None:
        if cls.DEFAULT_CONCURRENT_SNAPSYNCS is not None:
            return
        cls.DEFAULT_CONCURRENT_SNAPSYNCS = system_properties.getInteger(MAX_CONCURRENT_SNAPSYNCS, 10)
        LOG.info("%s = %s", MAX_CONCURRENT_SNAPSYNCS, cls.DEFAULT_CONCURRENT_SNAPSYNCS)
        cls.DEFAULT_CONCURRENT_DIFF_SYNCS = system_properties.getInteger(MAX_CONCURRENT_DIFF_SYNCS, 100)
        LOG.info("%s = %s", MAX_CONCURRENT_DIFF_SYNCS, cls.DEFAULT_CONCURRENT_DIFF_SYNCS)

    def __init__(self) -> None:
        LearnerMaster._staticInit()
        self.maxConcurrentSnapSyncs = LearnerMaster.DEFAULT_CONCURRENT_SNAPSYNCS
        self.maxConcurrentDiffSyncs = LearnerMaster.DEFAULT_CONCURRENT_DIFF_SYNCS
        self.learnerSnapSyncThrottler = LearnerSyncThrottler(self.maxConcurrentSnapSyncs,
                                                             LearnerSyncThrottler.SyncType.SNAP)
        self.learnerDiffSyncThrottler = LearnerSyncThrottler(self.maxConcurrentDiffSyncs,
                                                             LearnerSyncThrottler.SyncType.DIFF)

    def getMaxConcurrentSnapSyncs(self) -> int:
        return self.maxConcurrentSnapSyncs

    def setMaxConcurrentSnapSyncs(self, maxConcurrentSnapSyncs: int) -> None:
        LOG.info("Set maxConcurrentSnapSyncs to %s", maxConcurrentSnapSyncs)
        self.maxConcurrentSnapSyncs = maxConcurrentSnapSyncs
        self.learnerSnapSyncThrottler.setMaxConcurrentSyncs(maxConcurrentSnapSyncs)

    def getMaxConcurrentDiffSyncs(self) -> int:
        return self.maxConcurrentDiffSyncs

    def setMaxConcurrentDiffSyncs(self, maxConcurrentDiffSyncs: int) -> None:
        LOG.info("Set maxConcurrentDiffSyncs to %s", maxConcurrentDiffSyncs)
        self.maxConcurrentDiffSyncs = maxConcurrentDiffSyncs
        self.learnerDiffSyncThrottler.setMaxConcurrentSyncs(maxConcurrentDiffSyncs)

    def getLearnerSnapSyncThrottler(self) -> LearnerSyncThrottler:
        return self.learnerSnapSyncThrottler

    def getLearnerDiffSyncThrottler(self) -> LearnerSyncThrottler:
        return self.learnerDiffSyncThrottler

    def addLearnerHandler(self, learnerHandler) -> None:
        raise NotImplementedError

    def removeLearnerHandler(self, learnerHandler) -> None:
        raise NotImplementedError

    def waitForEpochAck(self, sid: int, ss) -> None:
        raise NotImplementedError

    def waitForStartup(self) -> None:
        raise NotImplementedError

    def getEpochToPropose(self, sid: int, lastAcceptedEpoch: int) -> int:
        raise NotImplementedError

    def getZKDatabase(self):
        raise NotImplementedError

    def waitForNewLeaderAck(self, sid: int, zxid: int) -> None:
        raise NotImplementedError

    def getLastProposed(self) -> int:
        raise NotImplementedError

    def getCurrentTick(self) -> int:
        raise NotImplementedError

    def syncTimeout(self) -> int:
        raise NotImplementedError

    def getTickOfNextAckDeadline(self) -> int:
        raise NotImplementedError

    def getTickOfInitialAckDeadline(self) -> int:
        raise NotImplementedError

    def getAndDecrementFollowerCounter(self) -> int:
        raise NotImplementedError

    def processAck(self, sid: int, zxid: int, localSocketAddress) -> None:
        raise NotImplementedError

    def touch(self, sess: int, to: int) -> None:
        raise NotImplementedError

    def revalidateSession(self, qp, learnerHandler) -> None:
        raise NotImplementedError

    def submitLearnerRequest(self, si) -> None:
        raise NotImplementedError

    def startForwarding(self, learnerHandler, lastSeenZxid: int) -> int:
        raise NotImplementedError

    def getQuorumVerifierVersion(self) -> int:
        raise NotImplementedError

    def getPeerInfo(self, sid: int) -> str:
        raise NotImplementedError

    def getQuorumVerifierBytes(self) -> bytes:
        raise NotImplementedError

    def getQuorumAuthServer(self):
        raise NotImplementedError

    def registerLearnerHandlerBean(self, learnerHandler, socket) -> None:
        raise NotImplementedError

    def unregisterLearnerHandlerBean(self, learnerHandler) -> None:
        raise NotImplementedError
