"""Mirrors org.apache.zookeeper.server.quorum.Leader: the Zab leader. lead()
runs discovery (the new epoch), synchronization (NEWLEADER acked by a quorum)
and broadcast (proposals committed in zxid order by a quorum of every active
QuorumVerifier), pinging the learners every half tick and stepping down when
no synced quorum remains.

Deliberate differences: no JMX beans; Java's monitors (``synchronized`` on the
leader, on ``learners``, ``forwardingFollowers``, ``observingLearners``,
``connectingFollowers``, ``electingFollowers`` and the NEWLEADER ack sets) are
Locks and Conditions of the same names; an interrupted wait of a
LearnerHandler thread raises InterruptedError.
"""

from __future__ import annotations

import logging
import socket
import struct
import threading
from collections import deque

from pyzookeeper import system_properties
from pyzookeeper.common import Time
from pyzookeeper.common.inet_address import InetAddress, InetSocketAddress
from pyzookeeper.common.java_properties import hashmap_order
from pyzookeeper.KeeperException import KeeperException
from pyzookeeper.server.ExitCode import ExitCode
from pyzookeeper.server.RequestProcessor import RequestProcessor
from pyzookeeper.server.ServerMetrics import ServerMetrics
from pyzookeeper.server.ZooKeeperCriticalThread import ZooKeeperCriticalThread
from pyzookeeper.server.ZooTrace import ZooTrace
from pyzookeeper.server.quorum.BufferStats import BufferStats
from pyzookeeper.server.quorum.LearnerMaster import LearnerMaster
from pyzookeeper.server.quorum.QuorumPacket import QuorumPacket
from pyzookeeper.server.quorum.StateSummary import StateSummary
from pyzookeeper.server.quorum.SyncedLearnerTracker import SyncedLearnerTracker
from pyzookeeper.server.util import SerializeUtils, ZxidUtils
from pyzookeeper.util import ServiceUtils
from pyzookeeper.ZooDefs import OpCode

LOG = logging.getLogger(__name__)

ACK_LOGGING_FREQUENCY = "zookeeper.leader.ackLoggingFrequency"
MAX_TIME_TO_WAIT_FOR_EPOCH = "zookeeper.leader.maxTimeToWaitForEpoch"

_LONG = struct.Struct(">q")
_LONG_INT = struct.Struct(">qi")
_LONG_BOOL = struct.Struct(">q?")


def _hex(value: int) -> str:
    return format(value & 0xFFFFFFFFFFFFFFFF, "x")


class Proposal(SyncedLearnerTracker):
    """A packet sent to the learners with the request it carries and its acks."""

    __slots__ = ("packet", "request")

    def __init__(self, packet: QuorumPacket | None = None, request=None) -> None:
        super().__init__()
        self.packet = packet
        self.request = request

    def __str__(self) -> str:
        return f"{self.packet.type}, {self.packet.zxid}, {self.request}"

    toString = __str__


class XidRolloverException(Exception):
    """The counter half of the zxid is exhausted: a new epoch must start."""


def socket_address(sockaddr) -> InetSocketAddress:
    """A socket module address as Java's InetSocketAddress (``/ip:port``)."""
    return InetSocketAddress(InetAddress.getByName(sockaddr[0]), sockaddr[1])


def interruptible_wait(cond: threading.Condition, timeout: float) -> None:
    """``Object.wait(timeout)`` for a thread that may be interrupted: raises
    InterruptedError when the waiting LearnerHandler has been interrupted."""
    thread = threading.current_thread()
    if getattr(thread, "interrupted", False):
        raise InterruptedError()
    cond.wait(timeout)
    if getattr(thread, "interrupted", False):
        raise InterruptedError()


class Leader(LearnerMaster):
    """The leader of the quorum (one per epoch, driven by QuorumPeer.run)."""

    Proposal = Proposal
    XidRolloverException = XidRolloverException

    DIFF = 13
    TRUNC = 14
    SNAP = 15
    OBSERVERINFO = 16
    NEWLEADER = 10
    FOLLOWERINFO = 11
    UPTODATE = 12
    LEADERINFO = 17
    ACKEPOCH = 18
    REQUEST = 1
    PROPOSAL = 2
    ACK = 3
    COMMIT = 4
    PING = 5
    REVALIDATE = 6
    SYNC = 7
    INFORM = 8
    COMMITANDACTIVATE = 9
    INFORMANDACTIVATE = 19

    MAX_TIME_TO_WAIT_FOR_EPOCH = MAX_TIME_TO_WAIT_FOR_EPOCH

    _PACKET_TYPE_NAMES = {
        13: "DIFF", 14: "TRUNC", 15: "SNAP", 16: "OBSERVERINFO", 10: "NEWLEADER",
        11: "FOLLOWERINFO", 12: "UPTODATE", 17: "LEADERINFO", 18: "ACKEPOCH",
        1: "REQUEST", 2: "PROPOSAL", 3: "ACK", 4: "COMMIT", 9: "COMMITANDACTIVATE",
        5: "PING", 6: "REVALIDATE", 7: "SYNC", 8: "INFORM", 19: "INFORMANDACTIVATE",
    }

    # Java reads these in static initializers when the class is first used;
    # here that happens at the first construction.
    _staticsLoaded = False
    nodelay = True
    ackLoggingFrequency = 1000
    maxTimeToWaitForEpoch = -1

    @classmethod
    def _staticInit(cls) -> None:
        if cls._staticsLoaded:
            return
        cls._staticsLoaded = True
        cls.nodelay = system_properties.getProperty("leader.nodelay", "true") == "true"
        LOG.info("TCP NoDelay set to: %s", "true" if cls.nodelay else "false")
        cls.ackLoggingFrequency = system_properties.getInteger(ACK_LOGGING_FREQUENCY, 1000)
        LOG.info("%s = %s", ACK_LOGGING_FREQUENCY, cls.ackLoggingFrequency)
        cls.maxTimeToWaitForEpoch = system_properties.getInteger(MAX_TIME_TO_WAIT_FOR_EPOCH, -1)
        LOG.info("%s = %sms", MAX_TIME_TO_WAIT_FOR_EPOCH, cls.maxTimeToWaitForEpoch)

    @staticmethod
    def setAckLoggingFrequency(frequency: int) -> None:
        Leader.ackLoggingFrequency = frequency

    @staticmethod
    def getAckLoggingFrequency() -> int:
        return Leader.ackLoggingFrequency

    @staticmethod
    def setMaxTimeToWaitForEpoch(maxTimeToWaitForEpoch: int) -> None:
        Leader.maxTimeToWaitForEpoch = maxTimeToWaitForEpoch
        LOG.info("Set %s to %sms", MAX_TIME_TO_WAIT_FOR_EPOCH, maxTimeToWaitForEpoch)

    @staticmethod
    def getPacketType(packetType: int) -> str:
        return Leader._PACKET_TYPE_NAMES.get(packetType, "UNKNOWN")

    def __init__(self, self_, zk) -> None:
        Leader._staticInit()
        super().__init__()
        self.self = self_
        self.proposalStats = BufferStats()
        self._lock = threading.RLock()
        self._cond = threading.Condition(self._lock)
        self.quorumFormed = False
        self.cnxAcceptor: LearnerCnxAcceptor | None = None
        self.learners: set = set()
        self._learnersLock = threading.RLock()
        self.forwardingFollowers: set = set()
        self._forwardingFollowersLock = threading.RLock()
        self.observingLearners: set = set()
        self._observingLearnersLock = threading.RLock()
        self.pendingSyncs: dict[int, list] = {}
        self._followerCounterLock = threading.Lock()
        self.followerCounter = -1
        self.outstandingProposals: dict[int, Proposal] = {}
        self.toBeApplied: deque[Proposal] = deque()
        self.newLeaderProposal = Proposal()
        self._newLeaderAcks = threading.Condition(threading.Lock())
        self.leaderStateSummary: StateSummary | None = None
        self.epoch = -1
        self.waitingForNewEpoch = True
        self.allowedToCommit = True
        self.leaderStartTime = 0
        self.isShutdown = False
        self.lastCommitted = -1
        self.lastProposed = 0
        self.connectingFollowers: set[int] = set()
        self._connectingFollowersCond = threading.Condition(threading.Lock())
        self.quitWaitForEpoch = False
        self.timeStartWaitForEpoch = -1
        self.voteSet: SyncedLearnerTracker | None = None
        self.electingFollowers: set[int] = set()
        self._electingFollowersCond = threading.Condition(threading.Lock())
        self.electionFinished = False

        if self_.getQuorumListenOnAllIPs():
            addresses = self_.getQuorumAddress().getWildcardAddresses()
        else:
            addresses = self_.getQuorumAddress().getAllAddresses()
        self.serverSockets: list[socket.socket] = []
        for address in addresses:
            serverSocket = self.createServerSocket(address, self_.shouldUsePortUnification(), self_.isSslQuorum())
            if serverSocket is not None:
                self.serverSockets.append(serverSocket)
        if not self.serverSockets:
            raise OSError("Leader failed to initialize any of the following sockets: ["
                          + ", ".join(str(a) for a in addresses) + "]")
        self.zk = zk

    def getProposalStats(self) -> BufferStats:
        return self.proposalStats

    # -- learners -----------------------------------------------------------------------------

    def getLearners(self) -> list:
        with self._learnersLock:
            return list(self.learners)

    def getForwardingFollowers(self) -> list:
        with self._forwardingFollowersLock:
            return list(self.forwardingFollowers)

    def getNonVotingFollowers(self) -> list:
        with self._forwardingFollowersLock:
            return [lh for lh in self.forwardingFollowers if not self.isParticipant(lh.getSid())]

    def addForwardingFollower(self, lh) -> None:
        with self._forwardingFollowersLock:
            self.forwardingFollowers.add(lh)
            # the followers decide whether an oracle is needed
            self.self.getQuorumVerifier().updateNeedOracle(list(self.forwardingFollowers))

    def getObservingLearners(self) -> list:
        with self._observingLearnersLock:
            return list(self.observingLearners)

    def addObserverLearnerHandler(self, lh) -> None:
        with self._observingLearnersLock:
            self.observingLearners.add(lh)

    def getObservingLearnersInfo(self) -> list[dict]:
        with self._observingLearnersLock:
            return [lh.getLearnerHandlerInfo() for lh in self.observingLearners]

    def resetObserverConnectionStats(self) -> None:
        with self._observingLearnersLock:
            for lh in self.observingLearners:
                lh.resetObserverConnectionStats()

    def getNumPendingSyncs(self) -> int:
        with self._lock:
            return len(self.pendingSyncs)

    def addLearnerHandler(self, learner) -> None:
        with self._learnersLock:
            self.learners.add(learner)

    def removeLearnerHandler(self, peer) -> None:
        with self._forwardingFollowersLock:
            self.forwardingFollowers.discard(peer)
        with self._learnersLock:
            self.learners.discard(peer)
        with self._observingLearnersLock:
            self.observingLearners.discard(peer)

    def isLearnerSynced(self, peer) -> bool:
        with self._forwardingFollowersLock:
            return peer in self.forwardingFollowers

    def isQuorumSynced(self, qv) -> bool:
        """Whether a quorum of ``qv`` is connected and synced with this leader."""
        ids: set[int] = set()
        myId = self.self.getMyId()
        if myId in qv.getVotingMembers():
            ids.add(myId)
        with self._forwardingFollowersLock:
            for learnerHandler in self.forwardingFollowers:
                if learnerHandler.synced() and learnerHandler.getSid() in qv.getVotingMembers():
                    ids.add(learnerHandler.getSid())
        return qv.containsQuorum(ids)

    # -- the learner port ---------------------------------------------------------------------

    def createServerSocket(self, address: InetSocketAddress, portUnification: bool,
                           sslQuorum: bool) -> socket.socket | None:
        """A listening socket on ``address``, or None (logged) when it cannot be bound."""
        serverSocket = None
        try:
            if portUnification or sslQuorum:
                raise OSError("TLS on the quorum port (sslQuorum, portUnification) is not supported")
            host = address.getAddress().socket_host() if address.getAddress() is not None else address.getHostString()
            family = socket.AF_INET6 if ":" in host else socket.AF_INET
            serverSocket = socket.socket(family, socket.SOCK_STREAM)
            serverSocket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            serverSocket.bind((host, address.getPort()))
            serverSocket.listen(50)
            return serverSocket
        except OSError as e:
            LOG.error("Couldn't bind to %s", address.toString(), exc_info=e)
            if serverSocket is not None:
                serverSocket.close()
        return None

    def closeSockets(self) -> None:
        with self._lock:
            for serverSocket in self.serverSockets:
                if serverSocket.fileno() != -1:
                    try:
                        # wakes a thread blocked in accept(); close() alone does not
                        serverSocket.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass
                    try:
                        serverSocket.close()
                    except OSError as e:
                        LOG.warning("Ignoring unexpected exception during close %s", serverSocket, exc_info=e)

    def getUptime(self) -> int:
        if self.leaderStartTime > 0:
            return Time.currentElapsedTime() - self.leaderStartTime
        return 0

    # -- leading -------------------------------------------------------------------------------

    def lead(self) -> None:
        """Discovery, synchronization, then broadcast until leadership is lost."""
        from pyzookeeper.server.quorum.QuorumPeer import QuorumPeer, ZabState

        self_ = self.self
        zk = self.zk
        self_.end_fle = Time.currentElapsedTime()
        electionTimeTaken = self_.end_fle - self_.start_fle
        self_.setElectionTimeTaken(electionTimeTaken)
        ServerMetrics.getMetrics().ELECTION_TIME.add(electionTimeTaken)
        LOG.info("LEADING - LEADER ELECTION TOOK - %s %s", electionTimeTaken, QuorumPeer.FLE_TIME_UNIT)
        self_.start_fle = 0
        self_.end_fle = 0

        self_.setZabState(ZabState.DISCOVERY)
        self_.tick = 0
        zk.loadData()

        self.leaderStateSummary = StateSummary(self_.getCurrentEpoch(), zk.getLastProcessedZxid())

        # learners may connect from now on
        self.cnxAcceptor = LearnerCnxAcceptor(self)
        self.cnxAcceptor.start()

        epoch = self.getEpochToPropose(self_.getMyId(), self_.getAcceptedEpoch())
        zk.setZxid(ZxidUtils.makeZxid(epoch, 0))
        with self._lock:
            self.lastProposed = zk.getZxid()
        self.newLeaderProposal.packet = QuorumPacket(Leader.NEWLEADER, zk.getZxid(), None, None)
        if self.newLeaderProposal.packet.zxid & 0xFFFFFFFF != 0:
            LOG.info("NEWLEADER proposal has Zxid of %s", _hex(self.newLeaderProposal.packet.zxid))

        lastSeenQV = self_.getLastSeenQuorumVerifier()
        curQV = self_.getQuorumVerifier()
        if curQV.getVersion() == 0 and curQV.getVersion() == lastSeenQV.getVersion():
            # an established configuration gets a version (the NEWLEADER
            # zxid), agreed on by sending it as the last seen configuration
            # with NEWLEADER; this must precede waitForEpochAck, which lets the
            # LearnerHandlers build their NEWLEADER packets
            try:
                LOG.debug("set lastSeenQuorumVerifier to currentQuorumVerifier (%s)", curQV.toString())
                newQV = self_.configFromString(curQV.toString())
                newQV.setVersion(zk.getZxid())
                self_.setLastSeenQuorumVerifier(newQV, True)
            except Exception as e:
                raise OSError(str(e)) from e

        self.newLeaderProposal.addQuorumVerifier(self_.getQuorumVerifier())
        if self_.getLastSeenQuorumVerifier().getVersion() > self_.getQuorumVerifier().getVersion():
            self.newLeaderProposal.addQuorumVerifier(self_.getLastSeenQuorumVerifier())

        # a quorum must be in sync with us: wait for its NEWLEADER acks
        self.waitForEpochAck(self_.getMyId(), self.leaderStateSummary)
        self_.setCurrentEpoch(epoch)
        self_.setLeaderAddressAndId(self_.getQuorumAddress(), self_.getMyId())
        self_.setZabState(ZabState.SYNCHRONIZATION)

        try:
            self.waitForNewLeaderAck(self_.getMyId(), zk.getZxid())
        except InterruptedError:
            self.shutdown("Waiting for a quorum of followers, only synced with sids: [ "
                          + self.newLeaderProposal.ackSetsToString() + " ]")
            followerSet = set()
            for f in self.getLearners():
                if f.getSid() in self_.getQuorumVerifier().getVotingMembers():
                    followerSet.add(f.getSid())
            initTicksShouldBeIncreased = True
            for qvAckset in self.newLeaderProposal.qvAcksetPairs:
                if not qvAckset.getQuorumVerifier().containsQuorum(followerSet):
                    initTicksShouldBeIncreased = False
                    break
            if initTicksShouldBeIncreased:
                LOG.warning("Enough followers present. Perhaps the initTicks need to be increased.")
            return

        self.startZkServer()

        # for testing the counter roll-over on a real ensemble only
        initialZxid = system_properties.getProperty("zookeeper.testingonly.initialZxid")
        if initialZxid is not None:
            zk.setZxid((zk.getZxid() & 0xFFFFFFFF00000000) | int(initialZxid))

        if system_properties.getProperty("zookeeper.leaderServes", "yes") != "no":
            self_.setZooKeeperServer(zk)

        self_.setZabState(ZabState.BROADCAST)
        self_.adminServer.setZooKeeperServer(zk)

        # two pings per tick: the tick advances every other round
        tickSkip = True
        shutdownMessage = None
        halfTick = self_.tickTime / 2
        while True:
            with self._cond:
                start = Time.currentElapsedTime()
                cur = start
                end = start + halfTick
                while cur < end:
                    self._cond.wait((end - cur) / 1000.0)
                    cur = Time.currentElapsedTime()

                if not tickSkip:
                    self_.tick += 1

                # a quorum of the current (and any pending) view must be synced
                syncedAckSet = SyncedLearnerTracker()
                syncedAckSet.addQuorumVerifier(self_.getQuorumVerifier())
                if (self_.getLastSeenQuorumVerifier() is not None
                        and self_.getLastSeenQuorumVerifier().getVersion() > self_.getQuorumVerifier().getVersion()):
                    syncedAckSet.addQuorumVerifier(self_.getLastSeenQuorumVerifier())
                syncedAckSet.addAck(self_.getMyId())
                for f in self.getLearners():
                    if f.synced():
                        syncedAckSet.addAck(f.getSid())

                if not self.isRunning():
                    shutdownMessage = "Unexpected internal error"
                    break

                # an oracle may keep a two-server ensemble going: it revalidates
                # the outstanding proposals in order
                qv = self_.getQuorumVerifier()
                if (not tickSkip and not syncedAckSet.hasAllQuorums()
                        and not (qv.overrideQuorumDecision(self.getForwardingFollowers())
                                 and qv.revalidateOutstandingProp(self, list(self.outstandingProposals.values()),
                                                                  self.lastCommitted))):
                    shutdownMessage = ("Not sufficient followers synced, only synced with sids: [ "
                                       + syncedAckSet.ackSetsToString() + " ]")
                    break
                tickSkip = not tickSkip
            for f in self.getLearners():
                f.ping()
        if shutdownMessage is not None:
            self.shutdown(shutdownMessage)

    def shutdown(self, reason: str) -> None:
        """Close the learner port, stop serving and drop every learner."""
        LOG.info("Shutting down")
        if self.isShutdown:
            return
        LOG.info("Shutdown called. For the reason %s", reason)
        if self.cnxAcceptor is not None:
            self.cnxAcceptor.halt()
        else:
            self.closeSockets()
        # the client port must not hand requests to this server any more
        self.self.setZooKeeperServer(None)
        self.self.adminServer.setZooKeeperServer(None)
        self.self.closeAllConnections()
        if self.zk is not None:
            self.zk.shutdown()
        with self._learnersLock:
            for f in list(self.learners):
                self.learners.discard(f)
                f.shutdown()
        self.isShutdown = True
        self._wake_waiters()

    def _wake_waiters(self) -> None:
        """Wakes every thread waiting in one of the leader's conditions, so an
        interrupted LearnerHandler sees its flag."""
        for cond in (self._connectingFollowersCond, self._electingFollowersCond, self._newLeaderAcks,
                     self.zk._stateChanged if self.zk is not None else None):
            if cond is not None:
                with cond:
                    cond.notify_all()

    # -- committing -----------------------------------------------------------------------------

    def getDesignatedLeader(self, reconfigProposal: Proposal, zxid: int) -> int:
        """The leader of the configuration a reconfig installs: this server
        when it stays a voter at the same quorum address, else the voter of
        the new configuration that acked the most of the following proposals."""
        newQVAcksetPair = reconfigProposal.qvAcksetPairs[-1]
        myId = self.self.getMyId()
        voting = newQVAcksetPair.getQuorumVerifier().getVotingMembers()
        if myId in voting and voting[myId].addr == self.self.getQuorumAddress():
            return myId
        candidates = set(newQVAcksetPair.getAckset())
        candidates.discard(myId)
        curCandidate = hashmap_order(candidates)[0]
        curZxid = zxid + 1
        p = self.outstandingProposals.get(curZxid)
        while p is not None and candidates:
            for qvAckset in p.qvAcksetPairs:
                candidates &= qvAckset.getAckset()
                if not candidates:
                    return curCandidate
                curCandidate = hashmap_order(candidates)[0]
                if len(candidates) == 1:
                    return curCandidate
            curZxid += 1
            p = self.outstandingProposals.get(curZxid)
        return curCandidate

    def tryToCommit(self, p: Proposal, zxid: int, followerAddr) -> bool:
        """Commit ``p`` if its predecessor is committed and every active
        verifier has a quorum of acks; True when committed."""
        with self._lock:
            if zxid - 1 in self.outstandingProposals:
                return False
            if not p.hasAllQuorums():
                return False
            if zxid != self.lastCommitted + 1:
                LOG.warning("Commiting zxid 0x%s from %s not first!", _hex(zxid),
                            "null" if followerAddr is None else followerAddr)
                LOG.warning("First is 0x%s", _hex(self.lastCommitted + 1))
            self.outstandingProposals.pop(zxid, None)
            if p.request is not None:
                self.toBeApplied.append(p)
            if p.request is None:
                LOG.warning("Going to commit null: %s", p)
            elif p.request.getHdr().type == OpCode.reconfig:
                LOG.debug("Committing a reconfiguration! %s", len(self.outstandingProposals))
                # this server stays leader when it is a voter of the new
                # configuration at the same address; else an up-to-date
                # follower is designated, which saves an election
                designatedLeader = self.getDesignatedLeader(p, zxid)
                newQV = p.qvAcksetPairs[-1].getQuorumVerifier()
                self.self.processReconfig(newQV, designatedLeader, self.zk.getZxid(), True)
                if designatedLeader != self.self.getMyId():
                    LOG.info("Committing a reconfiguration (reconfigEnabled=%s); this leader is not the designated "
                             "leader anymore, setting allowedToCommit=false",
                             "true" if self.self.isReconfigEnabled() else "false")
                    self.allowedToCommit = False
                # the followers close their connection if the leader changes,
                # after at least a majority received the commit
                self.commitAndActivate(zxid, designatedLeader)
                self.informAndActivate(p, designatedLeader)
            else:
                p.request.logLatency(ServerMetrics.getMetrics().QUORUM_ACK_LATENCY)
                self.commit(zxid)
                self.inform(p)
            self.zk.commitProcessor.commit(p.request)
            syncs = self.pendingSyncs.pop(zxid, None)
            if syncs is not None:
                for r in syncs:
                    self.sendSync(r)
            return True

    def processAck(self, sid: int, zxid: int, followerAddr) -> None:
        """Count the ack of ``sid`` for ``zxid`` and commit what it completes."""
        with self._lock:
            if not self.allowedToCommit:
                # the last commit changed the leader: the new one commits
                return
            if zxid & 0xFFFFFFFF == 0:
                # the ack a learner sends after UPTODATE; NEWLEADER acks are
                # counted by waitForNewLeaderAck
                return
            if not self.outstandingProposals:
                LOG.debug("outstanding is 0")
                return
            if self.lastCommitted >= zxid:
                LOG.debug("proposal has already been committed, pzxid: 0x%s zxid: 0x%s",
                          _hex(self.lastCommitted), _hex(zxid))
                return
            p = self.outstandingProposals.get(zxid)
            if p is None:
                LOG.warning("Trying to commit future proposal: zxid 0x%s from %s", _hex(zxid), followerAddr)
                return
            if Leader.ackLoggingFrequency > 0 and zxid % Leader.ackLoggingFrequency == 0:
                p.request.logLatency(ServerMetrics.getMetrics().ACK_LATENCY, str(sid))
            p.addAck(sid)
            hasCommitted = self.tryToCommit(p, zxid, followerAddr)
            # after a reconfig, later proposals may already have their acks
            if hasCommitted and p.request is not None and p.request.getHdr().type == OpCode.reconfig:
                curZxid = zxid
                while self.allowedToCommit and hasCommitted and p is not None:
                    curZxid += 1
                    p = self.outstandingProposals.get(curZxid)
                    if p is not None:
                        hasCommitted = self.tryToCommit(p, curZxid, None)

    class ToBeAppliedRequestProcessor(RequestProcessor):
        """Removes each committed proposal from ``toBeApplied`` once the
        FinalRequestProcessor (which must run synchronously) applied it."""

        def __init__(self, next: RequestProcessor, leader: "Leader") -> None:
            from pyzookeeper.server.FinalRequestProcessor import FinalRequestProcessor

            if not isinstance(next, FinalRequestProcessor):
                raise RuntimeError(f"{Leader.ToBeAppliedRequestProcessor.__qualname__} must be connected to "
                                   f"{FinalRequestProcessor.__qualname__} not {type(next).__qualname__}")
            self.leader = leader
            self.next = next

        def processRequest(self, request) -> None:
            self.next.processRequest(request)
            # only writes are on toBeApplied; request.zxid of a read is the
            # last write's, so the header decides
            hdr = request.getHdr()
            if hdr is not None:
                zxid = hdr.zxid
                toBeApplied = self.leader.toBeApplied
                if toBeApplied:
                    p = toBeApplied[0]
                    if p.request is not None and p.request.zxid == zxid:
                        toBeApplied.popleft()
                        return
                LOG.error("Committed request not found on toBeApplied: %s", request)

        def shutdown(self) -> None:
            LOG.info("Shutting down")
            self.next.shutdown()

    def sendPacket(self, qp: QuorumPacket) -> None:
        """Queue ``qp`` to every follower that is synced (forwarding)."""
        with self._forwardingFollowersLock:
            for f in self.forwardingFollowers:
                f.queuePacket(qp)

    def sendObserverPacket(self, qp: QuorumPacket) -> None:
        for f in self.getObservingLearners():
            f.queuePacket(qp)

    def commit(self, zxid: int) -> None:
        with self._lock:
            self.lastCommitted = zxid
        self.sendPacket(QuorumPacket(Leader.COMMIT, zxid, None, None))
        ServerMetrics.getMetrics().COMMIT_COUNT.add(1)

    def commitAndActivate(self, zxid: int, designatedLeader: int) -> None:
        with self._lock:
            self.lastCommitted = zxid
        self.sendPacket(QuorumPacket(Leader.COMMITANDACTIVATE, zxid, _LONG.pack(designatedLeader), None))

    def inform(self, proposal: Proposal) -> None:
        self.sendObserverPacket(QuorumPacket(Leader.INFORM, proposal.request.zxid, proposal.packet.data, None))

    @staticmethod
    def buildInformAndActivePacket(zxid: int, designatedLeader: int, proposalData: bytes) -> QuorumPacket:
        return QuorumPacket(Leader.INFORMANDACTIVATE, zxid, _LONG.pack(designatedLeader) + proposalData, None)

    def informAndActivate(self, proposal: Proposal, designatedLeader: int) -> None:
        self.sendObserverPacket(Leader.buildInformAndActivePacket(proposal.request.zxid, designatedLeader,
                                                                  proposal.packet.data))

    def getLastProposed(self) -> int:
        with self._lock:
            return self.lastProposed

    def getEpoch(self) -> int:
        return ZxidUtils.getEpochFromZxid(self.lastProposed)

    def propose(self, request) -> Proposal:
        """Send ``request``'s txn to the followers as a PROPOSAL."""
        if request.isThrottled():
            LOG.error("Throttled request send as proposal: %s. Exiting.", request)
            ServiceUtils.requestSystemExit(ExitCode.UNEXPECTED_ERROR.getValue())
        # all counter bits set: force an election and so a new epoch
        if request.zxid & 0xFFFFFFFF == 0xFFFFFFFF:
            msg = "zxid lower 32 bits have rolled over, forcing re-election, and therefore new epoch start"
            self.shutdown(msg)
            raise XidRolloverException(msg)
        data = SerializeUtils.serializeRequest(request)
        self.proposalStats.setLastBufferSize(len(data))
        pp = QuorumPacket(Leader.PROPOSAL, request.zxid, data, None)
        p = Proposal(pp, request)
        self_ = self.self
        with self._lock:
            p.addQuorumVerifier(self_.getQuorumVerifier())
            if request.getHdr().type == OpCode.reconfig:
                self_.setLastSeenQuorumVerifier(request.qv, True)
            if self_.getQuorumVerifier().getVersion() < self_.getLastSeenQuorumVerifier().getVersion():
                p.addQuorumVerifier(self_.getLastSeenQuorumVerifier())
            if LOG.isEnabledFor(logging.DEBUG):
                LOG.debug("Proposing:: %s", request)
            self.lastProposed = pp.zxid
            self.outstandingProposals[self.lastProposed] = p
            self.sendPacket(pp)
        ServerMetrics.getMetrics().PROPOSAL_COUNT.add(1)
        return p

    def processSync(self, r) -> None:
        """Answer a learner's sync once the last proposal is committed."""
        with self._lock:
            if not self.outstandingProposals:
                self.sendSync(r)
            else:
                self.pendingSyncs.setdefault(self.lastProposed, []).append(r)

    def sendSync(self, r) -> None:
        r.fh.queuePacket(QuorumPacket(Leader.SYNC, 0, None, None))

    def startForwarding(self, handler, lastSeenZxid: int) -> int:
        """Queue what ``handler`` still misses beyond its sync (committed but
        not applied proposals with their COMMITs, and for participants the
        outstanding proposals), then start sending it new packets."""
        from pyzookeeper.server.quorum.QuorumPeer import LearnerType

        with self._lock:
            if self.lastProposed > lastSeenZxid:
                for p in list(self.toBeApplied):
                    if p.packet.zxid <= lastSeenZxid:
                        continue
                    handler.queuePacket(p.packet)
                    handler.queuePacket(QuorumPacket(Leader.COMMIT, p.packet.zxid, None, None))
                if handler.getLearnerType() == LearnerType.PARTICIPANT:
                    for zxid in sorted(self.outstandingProposals):
                        if zxid <= lastSeenZxid:
                            continue
                        handler.queuePacket(self.outstandingProposals[zxid].packet)
            if handler.getLearnerType() == LearnerType.PARTICIPANT:
                self.addForwardingFollower(handler)
            else:
                self.addObserverLearnerHandler(handler)
            return self.lastProposed

    def waitForStartup(self) -> None:
        zk = self.zk
        with zk._stateChanged:
            while not zk.isRunning():
                interruptible_wait(zk._stateChanged, 0.02)

    # -- discovery -----------------------------------------------------------------------------

    def quitLeading(self) -> None:
        """A voter that elected this leader went back to looking for too long."""
        with self._connectingFollowersCond:
            self.quitWaitForEpoch = True
            self._connectingFollowersCond.notify_all()
        ServerMetrics.getMetrics().QUIT_LEADING_DUE_TO_DISLOYAL_VOTER.add(1)
        LOG.info("Quit leading due to voter changed mind.")

    def setLeadingVoteSet(self, voteSet: SyncedLearnerTracker) -> None:
        self.voteSet = voteSet

    def reportLookingSid(self, sid: int) -> None:
        if Leader.maxTimeToWaitForEpoch < 0 or self.timeStartWaitForEpoch < 0 or not self.waitingForNewEpoch:
            return
        if self.voteSet is None or not self.voteSet.hasSid(sid):
            return
        if Time.currentElapsedTime() - self.timeStartWaitForEpoch > Leader.maxTimeToWaitForEpoch:
            self.quitLeading()

    def getEpochToPropose(self, sid: int, lastAcceptedEpoch: int) -> int:
        """The new epoch, one above every accepted epoch of a quorum of voters
        (this server included); waits up to initLimit ticks for that quorum."""
        self_ = self.self
        cond = self._connectingFollowersCond
        with cond:
            if not self.waitingForNewEpoch:
                return self.epoch
            if lastAcceptedEpoch >= self.epoch:
                self.epoch = lastAcceptedEpoch + 1
            if self.isParticipant(sid):
                self.connectingFollowers.add(sid)
            verifier = self_.getQuorumVerifier()
            if self_.getMyId() in self.connectingFollowers and verifier.containsQuorum(self.connectingFollowers):
                self.waitingForNewEpoch = False
                self_.setAcceptedEpoch(self.epoch)
                cond.notify_all()
            else:
                start = Time.currentElapsedTime()
                if sid == self_.getMyId():
                    self.timeStartWaitForEpoch = start
                cur = start
                end = start + self_.getInitLimit() * self_.getTickTime()
                while self.waitingForNewEpoch and cur < end and not self.quitWaitForEpoch:
                    interruptible_wait(cond, (end - cur) / 1000.0)
                    cur = Time.currentElapsedTime()
                if self.waitingForNewEpoch:
                    raise InterruptedError("Timeout while waiting for epoch from quorum")
            return self.epoch

    def getZKDatabase(self):
        return self.zk.getZKDatabase()

    def waitForEpochAck(self, id: int, ss: StateSummary) -> None:
        """Record the ACKEPOCH of ``id``; waits up to initLimit ticks until a
        quorum (this server included) acked. A learner ahead of the leader is
        refused with OSError."""
        self_ = self.self
        cond = self._electingFollowersCond
        with cond:
            if self.electionFinished:
                return
            if ss.getCurrentEpoch() != -1:
                if ss.isMoreRecentThan(self.leaderStateSummary):
                    raise OSError("Follower is ahead of the leader, leader summary: "
                                  f"{self.leaderStateSummary.getCurrentEpoch()} (current epoch), "
                                  f"{self.leaderStateSummary.getLastZxid()} (last zxid)")
                if ss.getLastZxid() != -1 and self.isParticipant(id):
                    self.electingFollowers.add(id)
            verifier = self_.getQuorumVerifier()
            if self_.getMyId() in self.electingFollowers and verifier.containsQuorum(self.electingFollowers):
                self.electionFinished = True
                cond.notify_all()
            else:
                start = Time.currentElapsedTime()
                cur = start
                end = start + self_.getInitLimit() * self_.getTickTime()
                while not self.electionFinished and cur < end:
                    interruptible_wait(cond, (end - cur) / 1000.0)
                    cur = Time.currentElapsedTime()
                if not self.electionFinished:
                    raise InterruptedError("Timeout while waiting for epoch to be acked by quorum")

    @staticmethod
    def getSidSetString(sidSet) -> str:
        return ",".join(str(sid) for sid in sidSet)

    def startZkServer(self) -> None:
        """Start serving at the new epoch's first zxid, completing any
        configuration change NEWLEADER carried."""
        self_ = self.self
        zk = self.zk
        with self._lock:
            self.lastCommitted = zk.getZxid()
            LOG.info("Have quorum of supporters, sids: [%s]; starting up and setting last processed zxid: 0x%s",
                     self.newLeaderProposal.ackSetsToString(), _hex(zk.getZxid()))
            if self_.isReconfigEnabled():
                # NEWLEADER carried the last seen configuration; acked by a
                # quorum, it applies here too
                newQV = self_.getLastSeenQuorumVerifier()
                designatedLeader = self.getDesignatedLeader(self.newLeaderProposal, zk.getZxid())
                self_.processReconfig(newQV, designatedLeader, zk.getZxid(), True)
                if designatedLeader != self_.getMyId():
                    LOG.warning("This leader is not the designated leader, it will be initialized with"
                                " allowedToCommit = false")
                    self.allowedToCommit = False
            else:
                LOG.info("Dynamic reconfig feature is disabled, skip designatedLeader calculation and reconfig"
                         " processing.")
            self.leaderStartTime = Time.currentElapsedTime()
            zk.startup()
            # every member reports the same vote to servers that start later
            self_.updateElectionVote(self.getEpoch())
            zk.getZKDatabase().setlastProcessedZxid(zk.getZxid())

    def waitForNewLeaderAck(self, sid: int, zxid: int) -> None:
        """Count the NEWLEADER ack of ``sid``; waits up to initLimit ticks until
        every active verifier has a quorum of them."""
        self_ = self.self
        cond = self._newLeaderAcks
        with cond:
            if self.quorumFormed:
                return
            currentZxid = self.newLeaderProposal.packet.zxid
            if zxid != currentZxid:
                LOG.error("NEWLEADER ACK from sid: %s is from a different epoch - current 0x%s received 0x%s",
                          sid, _hex(currentZxid), _hex(zxid))
                return
            # addAck counts participants only
            self.newLeaderProposal.addAck(sid)
            if self.newLeaderProposal.hasAllQuorums():
                self.quorumFormed = True
                cond.notify_all()
            else:
                start = Time.currentElapsedTime()
                cur = start
                end = start + self_.getInitLimit() * self_.getTickTime()
                while not self.quorumFormed and cur < end:
                    interruptible_wait(cond, (end - cur) / 1000.0)
                    cur = Time.currentElapsedTime()
                if not self.quorumFormed:
                    raise InterruptedError("Timeout while waiting for NEWLEADER to be acked by quorum")

    def isRunning(self) -> bool:
        return self.self.isRunning() and self.zk.isRunning()

    def isParticipant(self, sid: int) -> bool:
        return sid in self.self.getQuorumVerifier().getVotingMembers()

    # -- LearnerMaster ----------------------------------------------------------------------------

    def getCurrentTick(self) -> int:
        return self.self.tick

    def syncTimeout(self) -> int:
        return self.self.tickTime * self.self.syncLimit

    def getTickOfNextAckDeadline(self) -> int:
        return self.self.tick + self.self.syncLimit

    def getTickOfInitialAckDeadline(self) -> int:
        return self.self.tick + self.self.initLimit + self.self.syncLimit

    def getAndDecrementFollowerCounter(self) -> int:
        with self._followerCounterLock:
            value = self.followerCounter
            self.followerCounter -= 1
            return value

    def touch(self, sess: int, to: int) -> None:
        self.zk.touch(sess, to)

    def submitLearnerRequest(self, si) -> None:
        self.zk.submitLearnerRequest(si)

    def getQuorumVerifierVersion(self) -> int:
        return self.self.getQuorumVerifier().getVersion()

    def getPeerInfo(self, sid: int) -> str:
        server = self.self.getView().get(sid)
        return "" if server is None else server.toString()

    def getQuorumVerifierBytes(self) -> bytes:
        return self.self.getLastSeenQuorumVerifier().toString().encode("utf-8")

    def getQuorumAuthServer(self):
        return None if self.self is None else self.self.authServer

    def revalidateSession(self, qp: QuorumPacket, learnerHandler) -> None:
        """Answer a learner's REVALIDATE with the session's validity (touching it)."""
        id, to = _LONG_INT.unpack_from(qp.data, 0)
        valid = self.zk.checkIfValidGlobalSession(id, to)
        if valid:
            try:
                # the learner whose client reconnected now owns the session
                self.zk.setOwner(id, learnerHandler)
            except KeeperException.SessionExpiredException as e:
                LOG.error("Somehow session 0x%s expired right after being renewed! (impossible)", _hex(id),
                          exc_info=e)
        if ZooTrace.isTraceEnabled(LOG, ZooTrace.SESSION_TRACE_MASK):
            ZooTrace.logTraceMessage(LOG, ZooTrace.SESSION_TRACE_MASK,
                                     f"Session 0x{_hex(id)} is valid: {'true' if valid else 'false'}")
        qp.data = _LONG_BOOL.pack(id, valid)
        learnerHandler.queuePacket(qp)

    def registerLearnerHandlerBean(self, learnerHandler, socket_) -> None:
        """No JMX here."""

    def unregisterLearnerHandlerBean(self, learnerHandler) -> None:
        """No JMX here."""


class LearnerCnxAcceptor(ZooKeeperCriticalThread):
    """Accepts learners on every quorum address, one
    "LearnerCnxAcceptorHandler-<addr>" thread per listening socket, and
    starts a LearnerHandler for each connection."""

    def __init__(self, leader: Leader) -> None:
        super().__init__("LearnerCnxAcceptor-" + "|".join(
            socket_address(s.getsockname()).toString() for s in leader.serverSockets),
            leader.zk.getZooKeeperServerListener())
        self.leader = leader
        self.stop = threading.Event()
        self._failLock = threading.Lock()
        self.fail = False

    def run(self) -> None:
        leader = self.leader
        if self.stop.is_set() or not leader.serverSockets:
            return
        handlers = [LearnerCnxAcceptor.LearnerCnxAcceptorHandler(self, s) for s in leader.serverSockets]
        for h in handlers:
            h.start()
        try:
            for h in handlers:
                h.join()
        finally:
            leader.closeSockets()

    def halt(self) -> None:
        self.stop.set()
        self.leader.closeSockets()

    class LearnerCnxAcceptorHandler(threading.Thread):
        def __init__(self, acceptor: "LearnerCnxAcceptor", serverSocket: socket.socket) -> None:
            super().__init__(name="LearnerCnxAcceptorHandler-"
                             + socket_address(serverSocket.getsockname()).toString(), daemon=True)
            self.acceptor = acceptor
            self.serverSocket = serverSocket

        def run(self) -> None:
            acceptor = self.acceptor
            try:
                while not acceptor.stop.is_set():
                    self.acceptConnections()
            except Exception as e:
                LOG.warning("Exception while accepting follower", exc_info=e)
                with acceptor._failLock:
                    first = not acceptor.fail
                    acceptor.fail = True
                if first:
                    acceptor.handleException(acceptor.getName(), e)
                    acceptor.halt()

        def acceptConnections(self) -> None:
            from pyzookeeper.server.quorum.LearnerHandler import LearnerHandler, set_so_timeout
            from pyzookeeper.server.ZooKeeperSaslServer import SaslException

            acceptor = self.acceptor
            leader = acceptor.leader
            sock = None
            error = False
            try:
                sock, _ = self.serverSocket.accept()
                # initLimit while syncing; LearnerHandler switches to syncLimit
                set_so_timeout(sock, leader.self.tickTime * leader.self.initLimit)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1 if Leader.nodelay else 0)
                fh = LearnerHandler(sock, None, leader)
                fh.start()
            except SaslException as e:
                LOG.error("Exception while connecting to quorum learner", exc_info=e)
                error = True
            except OSError as e:
                error = True
                if acceptor.stop.is_set():
                    LOG.warning("Exception while shutting down acceptor.", exc_info=e)
                else:
                    raise
            except Exception:
                error = True
                raise
            finally:
                # no socket leaks on errors
                if error and sock is not None and sock.fileno() != -1:
                    try:
                        sock.close()
                    except OSError as e:
                        LOG.warning("Error closing socket: %s", sock, exc_info=e)


Leader.LearnerCnxAcceptor = LearnerCnxAcceptor
