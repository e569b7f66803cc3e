"""Mirrors org.apache.zookeeper.server.quorum.LeaderZooKeeperServer: the
leader's server, whose chain is LeaderRequestProcessor -> PrepRequestProcessor
-> ProposalRequestProcessor -> CommitProcessor -> Leader.ToBeAppliedRequestProcessor
-> FinalRequestProcessor (ProposalRequestProcessor also logs through
SyncRequestProcessor -> AckRequestProcessor).

Deliberate differences: no JMX beans; the reconfig computation Java keeps in
PrepRequestProcessor's reconfig case is ``prepareReconfig`` here.
"""

from __future__ import annotations

import logging

from pyzookeeper import system_properties
from pyzookeeper.common.java_properties import Properties, parse_java_long
from pyzookeeper.common.StringUtils import StringUtils
from pyzookeeper.KeeperException import KeeperException
from pyzookeeper.server.ContainerManager import ContainerManager
from pyzookeeper.server.FinalRequestProcessor import FinalRequestProcessor
from pyzookeeper.server.PrepRequestProcessor import PrepRequestProcessor
from pyzookeeper.server.ServerCnxn import ServerCnxn
from pyzookeeper.server.ServerMetrics import ServerMetrics
from pyzookeeper.server.quorum.CommitProcessor import CommitProcessor
from pyzookeeper.server.quorum.Leader import Leader
from pyzookeeper.server.quorum.LeaderRequestProcessor import LeaderRequestProcessor
from pyzookeeper.server.quorum.LeaderSessionTracker import LeaderSessionTracker
from pyzookeeper.server.quorum.ProposalRequestProcessor import ProposalRequestProcessor
from pyzookeeper.server.quorum.QuorumZooKeeperServer import QuorumZooKeeperServer

LOG = logging.getLogger(__name__)
# the reconfig checks are PrepRequestProcessor code in Java, and log under its name
PREP_LOG = logging.getLogger(PrepRequestProcessor.__module__)

_LEADER_GAUGES = ("learners", "synced_followers", "synced_non_voting_followers", "synced_observers",
                  "pending_syncs", "leader_uptime", "last_proposal_size", "max_proposal_size",
                  "min_proposal_size")


class LeaderZooKeeperServer(QuorumZooKeeperServer):
    def __init__(self, logFactory, self_, zkDb) -> None:
        super().__init__(logFactory, self_.tickTime, self_.minSessionTimeout, self_.maxSessionTimeout,
                         self_.clientPortListenBacklog, zkDb, self_)
        self.containerManager: ContainerManager | None = None
        self.commitProcessor: CommitProcessor | None = None
        self.prepRequestProcessor: PrepRequestProcessor | None = None

    def getLeader(self) -> Leader | None:
        return self.self.leader

    def setupRequestProcessors(self) -> None:
        finalProcessor = FinalRequestProcessor(self)
        toBeAppliedProcessor = Leader.ToBeAppliedRequestProcessor(finalProcessor, self.getLeader())
        self.commitProcessor = CommitProcessor(toBeAppliedProcessor, str(self.getServerId()), False,
                                               self.getZooKeeperServerListener())
        self.commitProcessor.start()
        proposalProcessor = ProposalRequestProcessor(self, self.commitProcessor)
        proposalProcessor.initialize()
        self.prepRequestProcessor = PrepRequestProcessor(self, proposalProcessor)
        self.prepRequestProcessor.start()
        self.firstProcessor = LeaderRequestProcessor(self, self.prepRequestProcessor)
        self.setupContainerManager()

    def setupContainerManager(self) -> None:
        with self._lock:
            self.containerManager = ContainerManager(
                self.getZKDatabase(), self.prepRequestProcessor,
                system_properties.getInteger("znode.container.checkIntervalMs", 60_000),
                system_properties.getInteger("znode.container.maxPerMinute", 10000),
                system_properties.getLong("znode.container.maxNeverUsedIntervalMs", 0))

    def startup(self) -> None:
        with self._lock:
            super().startup()
            if self.containerManager is not None:
                self.containerManager.start()

    def registerMetrics(self) -> None:
        super().registerMetrics()
        rootContext = ServerMetrics.getMetrics().getMetricsProvider().getRootContext()
        rootContext.registerGauge("learners", self._gaugeWithLeader(lambda leader: len(leader.getLearners())))
        rootContext.registerGauge("synced_followers",
                                  self._gaugeWithLeader(lambda leader: len(leader.getForwardingFollowers())))
        rootContext.registerGauge("synced_non_voting_followers",
                                  self._gaugeWithLeader(lambda leader: len(leader.getNonVotingFollowers())))
        rootContext.registerGauge("synced_observers", lambda: self.self.getSynced_observers_metric())
        rootContext.registerGauge("pending_syncs", self._gaugeWithLeader(lambda leader: leader.getNumPendingSyncs()))
        rootContext.registerGauge("leader_uptime", self._gaugeWithLeader(lambda leader: leader.getUptime()))
        rootContext.registerGauge("last_proposal_size", self._gaugeWithLeader(
            lambda leader: leader.getProposalStats().getLastBufferSize()))
        rootContext.registerGauge("max_proposal_size", self._gaugeWithLeader(
            lambda leader: leader.getProposalStats().getMaxBufferSize()))
        rootContext.registerGauge("min_proposal_size", self._gaugeWithLeader(
            lambda leader: leader.getProposalStats().getMinBufferSize()))

    def _gaugeWithLeader(self, supplier):
        def gauge():
            leader = self.getLeader()
            if leader is None:
                return None
            return supplier(leader)
        return gauge

    def unregisterMetrics(self) -> None:
        super().unregisterMetrics()
        rootContext = ServerMetrics.getMetrics().getMetricsProvider().getRootContext()
        for name in _LEADER_GAUGES:
            rootContext.unregisterGauge(name)

    def shutdown(self, fullyShutDown: bool = False) -> None:
        with self._lock:
            if self.containerManager is not None:
                self.containerManager.stop()
            super().shutdown(fullyShutDown)

    def getGlobalOutstandingLimit(self) -> int:
        quorumSize = self.self.getQuorumSize()
        divisor = quorumSize - 1 if quorumSize > 2 else 1
        return super().getGlobalOutstandingLimit() // divisor

    def createSessionTracker(self) -> None:
        self.sessionTracker = LeaderSessionTracker(
            self, self.getZKDatabase().getSessionWithTimeOuts(), self.tickTime, self.self.getMyId(),
            self.self.areLocalSessionsEnabled(), self.getZooKeeperServerListener())

    def touch(self, sess, to: int | None = None):
        """``touch(sessionId, timeout)`` from a learner's PING; ``touch(cnxn)``
        is ZooKeeperServer's."""
        if to is None:
            return super().touch(sess)
        return self.sessionTracker.touchSession(sess, to)

    def checkIfValidGlobalSession(self, sess: int, to: int) -> bool:
        if self.self.areLocalSessionsEnabled() and not self.upgradeableSessionTracker.isGlobalSession(sess):
            return False
        return self.sessionTracker.touchSession(sess, to)

    def submitLearnerRequest(self, request) -> None:
        """Learners' requests were checked where they arrived and skip the
        leader's local-session upgrade: they enter at PrepRequestProcessor."""
        self.prepRequestProcessor.processRequest(request)

    def getState(self) -> str:
        return "leader"

    def getServerId(self) -> int:
        return self.self.getMyId()

    def revalidateSession(self, cnxn, sessionId: int, sessionTimeout: int) -> None:
        super().revalidateSession(cnxn, sessionId, sessionTimeout)
        try:
            # the leader owns the session until a learner's handler claims it
            self.setOwner(sessionId, ServerCnxn.me)
        except KeeperException.SessionExpiredException:
            pass

    def prepareReconfig(self, request, reconfigRequest):
        """The new QuorumVerifier of a reconfig request (PrepRequestProcessor's
        reconfig case): checks no reconfig is in progress, the config version,
        the new membership, and that a synced quorum of it is connected."""
        from pyzookeeper.server.quorum.flexible.QuorumMaj import QuorumMaj
        from pyzookeeper.server.quorum.flexible.QuorumOracleMaj import QuorumOracleMaj
        from pyzookeeper.server.quorum.QuorumPeer import QuorumServer
        from pyzookeeper.server.quorum.QuorumPeerConfig import ConfigException, QuorumPeerConfig

        self_ = self.self
        lastSeenQV = self_.getLastSeenQuorumVerifier()
        if lastSeenQV.getVersion() != self_.getQuorumVerifier().getVersion():
            raise KeeperException.ReconfigInProgress()
        configId = reconfigRequest.curConfigId
        if configId != -1 and configId != self_.getLastSeenQuorumVerifier().getVersion():
            raise KeeperException.BadVersionException(
                f"Reconfiguration from version {configId} failed -- last seen version is "
                f"{self_.getLastSeenQuorumVerifier().getVersion()}")
        newMembers = reconfigRequest.newMembers
        if newMembers is not None:
            PREP_LOG.info("Non-incremental reconfig")
            newMembers = newMembers.replace(",", "\n")
            try:
                props = Properties()
                props.load(newMembers)
                qv = QuorumPeerConfig.parseDynamicConfig(props, self_.getElectionType(), True, False,
                                                         lastSeenQV.getOraclePath())
                qv.setVersion(request.getHdr().zxid)
            except (OSError, ConfigException) as e:
                raise KeeperException.BadArgumentsException(str(e)) from None
        else:
            PREP_LOG.info("Incremental reconfig")
            joiningServers = None
            if reconfigRequest.joiningServers is not None:
                joiningServers = StringUtils.split(reconfigRequest.joiningServers, ",")
            leavingServers = None
            if reconfigRequest.leavingServers is not None:
                leavingServers = StringUtils.split(reconfigRequest.leavingServers, ",")
            if not isinstance(lastSeenQV, (QuorumMaj, QuorumOracleMaj)):
                msg = ("Incremental reconfiguration requested but last configuration seen has a"
                       " non-majority quorum system")
                PREP_LOG.warning(msg)
                raise KeeperException.BadArgumentsException(msg)
            nextServers = dict(lastSeenQV.getAllMembers())
            try:
                for leaving in leavingServers or ():
                    nextServers.pop(parse_java_long(leaving), None)
                for joiner in joiningServers or ():
                    parts = StringUtils.split(joiner, "=")
                    if len(parts) != 2:
                        raise KeeperException.BadArgumentsException("Wrong format of server string")
                    sid = parse_java_long(parts[0][parts[0].rfind(".") + 1:])
                    qs = QuorumServer(sid, parts[1])
                    if qs.clientAddr is None:
                        raise KeeperException.BadArgumentsException(
                            "Wrong format of server string - each server should have 3 ports specified")
                    for nqs in nextServers.values():
                        if qs.id == nqs.id:
                            continue
                        qs.checkAddressDuplicate(nqs)
                    nextServers.pop(qs.id, None)
                    nextServers[qs.id] = qs
            except ConfigException:
                raise KeeperException.BadArgumentsException("Reconfiguration failed") from None
            if isinstance(lastSeenQV, QuorumOracleMaj):
                qv = QuorumOracleMaj(nextServers, lastSeenQV.getOraclePath())
            else:
                qv = QuorumMaj(nextServers)
            qv.setVersion(request.getHdr().zxid)
        if QuorumPeerConfig.isStandaloneEnabled() and len(qv.getVotingMembers()) < 2:
            msg = "Reconfig failed - new configuration must include at least 2 followers"
            PREP_LOG.warning(msg)
            raise KeeperException.BadArgumentsException(msg)
        if len(qv.getVotingMembers()) < 1:
            msg = "Reconfig failed - new configuration must include at least 1 follower"
            PREP_LOG.warning(msg)
            raise KeeperException.BadArgumentsException(msg)
        if not self.getLeader().isQuorumSynced(qv):
            PREP_LOG.warning("Reconfig failed - there must be a connected and synced quorum in new configuration")
            raise KeeperException.NewConfigNoQuorum()
        return qv

