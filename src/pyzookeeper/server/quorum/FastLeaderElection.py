"""Mirrors org.apache.zookeeper.server.quorum.FastLeaderElection: leader
election over the QuorumCnxManager connections (election algorithm 3).

Python threads cannot be interrupted: ``shutdown`` wakes a peer blocked in
``lookForLeader`` through its notification queue instead.
"""

from __future__ import annotations

import logging
import queue
import struct
import threading

from pyzookeeper import system_properties
from pyzookeeper.common import Time
from pyzookeeper.server.ZooKeeperThread import ZooKeeperThread
from pyzookeeper.server.quorum.Election import Election
from pyzookeeper.server.quorum.QuorumCnxManager import QuorumCnxManager
from pyzookeeper.server.quorum.QuorumPeer import LearnerType, ServerState
from pyzookeeper.server.quorum.SyncedLearnerTracker import SyncedLearnerTracker
from pyzookeeper.server.quorum.Vote import Vote
from pyzookeeper.server.util import ZxidUtils

LOG = logging.getLogger(__name__)

LONG_MIN_VALUE = -(1 << 63)

_STATES = (ServerState.LOOKING, ServerState.FOLLOWING, ServerState.LEADING, ServerState.OBSERVING)

_HEAD = struct.Struct(">iqqq")
_PEER_EPOCH = struct.Struct(">q")
_INT = struct.Struct(">i")
_MSG40 = struct.Struct(">iqqqqi")
_MSG44 = struct.Struct(">iqqqqii")

# Put in the notification queue to wake lookForLeader after shutdown.
_WAKE = object()


def _hex(v: int) -> str:
    """``Long.toHexString``."""
    return format(v & 0xFFFFFFFFFFFFFFFF, "x")


class Notification:
    """A vote received from another peer."""

    CURRENTVERSION = 0x2

    __slots__ = ("version", "leader", "zxid", "electionEpoch", "state", "sid", "qv", "peerEpoch")

    def __init__(self) -> None:
        self.version = 0
        self.leader = 0
        self.zxid = 0
        self.electionEpoch = 0
        self.state: ServerState | None = None
        self.sid = 0
        self.qv = None
        self.peerEpoch = 0


class ToSend:
    """A vote to send to peer ``sid``."""

    class mType:
        crequest = 0
        challenge = 1
        notification = 2
        ack = 3

    __slots__ = ("leader", "zxid", "electionEpoch", "state", "sid", "peerEpoch", "configData")

    def __init__(self, type: int, leader: int, zxid: int, electionEpoch: int, state: ServerState, sid: int,
                 peerEpoch: int, configData: bytes = b"") -> None:
        self.leader = leader
        self.zxid = zxid
        self.electionEpoch = electionEpoch
        self.state = state
        self.sid = sid
        self.peerEpoch = peerEpoch
        self.configData = configData


class FastLeaderElection(Election):
    """Push-based election: every change of this peer's vote is sent to all voters."""

    Notification = Notification
    ToSend = ToSend

    finalizeWait = 200
    maxNotificationInterval = 60000
    minNotificationInterval = finalizeWait
    MIN_NOTIFICATION_INTERVAL = "zookeeper.fastleader.minNotificationInterval"
    MAX_NOTIFICATION_INTERVAL = "zookeeper.fastleader.maxNotificationInterval"
    _intervals_read = False

    @classmethod
    def _readIntervals(cls) -> None:
        """The static initializer: read the notification intervals once, at first use."""
        if cls._intervals_read:
            return
        cls._intervals_read = True
        cls.minNotificationInterval = system_properties.getInteger(cls.MIN_NOTIFICATION_INTERVAL,
                                                                   cls.minNotificationInterval)
        LOG.info("%s = %s ms", cls.MIN_NOTIFICATION_INTERVAL, cls.minNotificationInterval)
        cls.maxNotificationInterval = system_properties.getInteger(cls.MAX_NOTIFICATION_INTERVAL,
                                                                   cls.maxNotificationInterval)
        LOG.info("%s = %s ms", cls.MAX_NOTIFICATION_INTERVAL, cls.maxNotificationInterval)

    def __init__(self, self_, manager: QuorumCnxManager) -> None:
        self._readIntervals()
        self._lock = threading.RLock()
        self.stop = False
        self.manager = manager
        self.leadingVoteSet: SyncedLearnerTracker | None = None
        self.logicalclock = 0
        self._clockLock = threading.Lock()
        self.self = self_
        self.proposedLeader = -1
        self.proposedZxid = -1
        self.proposedEpoch = 0
        self.sendqueue: queue.Queue[ToSend] = queue.Queue()
        self.recvqueue: queue.Queue[Notification] = queue.Queue()
        self.messenger = FastLeaderElection.Messenger(self, manager)

    # -- message layout ----------------------------------------------------------------------------

    @staticmethod
    def buildMsg(state: int, leader: int, zxid: int, electionEpoch: int, epoch: int,
                 configData: bytes | None = None) -> bytes:
        """A notification: the 40-byte 3.4 layout without ``configData``, else the current layout."""
        if configData is None:
            return _MSG40.pack(state, leader, zxid, electionEpoch, epoch, 0x1)
        return _MSG44.pack(state, leader, zxid, electionEpoch, epoch, Notification.CURRENTVERSION,
                           len(configData)) + configData

    def getLogicalClock(self) -> int:
        return self.logicalclock

    def _setLogicalClock(self, value: int) -> None:
        with self._clockLock:
            self.logicalclock = value

    def start(self) -> None:
        self.messenger.start()

    def _leaveInstance(self, v: Vote) -> None:
        LOG.debug("About to leave FLE instance: leader=%s, zxid=0x%s, my id=%s, my state=%s",
                  v.getId(), _hex(v.getZxid()), self.self.getMyId(), self.self.getPeerState())
        with self.recvqueue.mutex:
            self.recvqueue.queue.clear()

    def getCnxManager(self) -> QuorumCnxManager:
        return self.manager

    def shutdown(self) -> None:
        self.stop = True
        self.proposedLeader = -1
        self.proposedZxid = -1
        self.leadingVoteSet = None
        LOG.debug("Shutting down connection manager")
        self.manager.halt()
        LOG.debug("Shutting down messenger")
        self.messenger.halt()
        self.recvqueue.put(_WAKE)
        LOG.debug("FLE is down")

    def _sendNotifications(self) -> None:
        for sid in self.self.getCurrentAndNextConfigVoters():
            qv = self.self.getQuorumVerifier()
            notmsg = ToSend(ToSend.mType.notification, self.proposedLeader, self.proposedZxid, self.logicalclock,
                            ServerState.LOOKING, sid, self.proposedEpoch, str(qv).encode("utf-8"))
            LOG.debug("Sending Notification: %s (n.leader), 0x%s (n.zxid), 0x%s (n.peerEpoch), 0x%s (n.round), "
                      "%s (recipient), %s (myid) ", self.proposedLeader, _hex(self.proposedZxid),
                      _hex(self.proposedEpoch), _hex(self.logicalclock), sid, self.self.getMyId())
            self.sendqueue.put(notmsg)

    def totalOrderPredicate(self, newId: int, newZxid: int, newEpoch: int, curId: int, curZxid: int,
                            curEpoch: int) -> bool:
        """Whether the vote (newId, newZxid, newEpoch) beats (curId, curZxid, curEpoch):
        higher epoch, then higher zxid, then higher id; never a zero-weight server."""
        LOG.debug("id: %s, proposed id: %s, zxid: 0x%s, proposed zxid: 0x%s, epoch: 0x%s, proposed epoch: 0x%s",
                  newId, curId, _hex(newZxid), _hex(curZxid), _hex(newEpoch), _hex(curEpoch))
        if self.self.getQuorumVerifier().getWeight(newId) == 0:
            return False
        return (newEpoch > curEpoch
                or (newEpoch == curEpoch and (newZxid > curZxid or (newZxid == curZxid and newId > curId))))

    def getVoteTracker(self, votes: dict[int, Vote], vote: Vote) -> SyncedLearnerTracker:
        """The voters in ``votes`` that agree with ``vote``, counted in every active configuration."""
        voteSet = SyncedLearnerTracker()
        qv = self.self.getQuorumVerifier()
        voteSet.addQuorumVerifier(qv)
        lastSeen = self.self.getLastSeenQuorumVerifier()
        if lastSeen is not None and lastSeen.getVersion() > qv.getVersion():
            voteSet.addQuorumVerifier(lastSeen)
        for sid, v in list(votes.items()):
            if vote == v:
                voteSet.addAck(sid)
        return voteSet

    def checkLeader(self, votes: dict[int, Vote], leader: int, electionEpoch: int) -> bool:
        """A leader other than me counts only once it said it is LEADING; I count only in my own round."""
        predicate = True
        if leader != self.self.getMyId():
            v = votes.get(leader)
            if v is None or v.getState() != ServerState.LEADING:
                predicate = False
        elif self.logicalclock != electionEpoch:
            predicate = False
        return predicate

    def updateProposal(self, leader: int, zxid: int, epoch: int) -> None:
        with self._lock:
            LOG.debug("Updating proposal: %s (newleader), 0x%s (newzxid), %s (oldleader), 0x%s (oldzxid)",
                      leader, _hex(zxid), self.proposedLeader, _hex(self.proposedZxid))
            self.proposedLeader = leader
            self.proposedZxid = zxid
            self.proposedEpoch = epoch

    def getVote(self) -> Vote:
        with self._lock:
            return Vote(self.proposedLeader, self.proposedZxid, self.proposedEpoch)

    def _learningState(self) -> ServerState:
        if self.self.getLearnerType() == LearnerType.PARTICIPANT:
            LOG.debug("I am a participant: %s", self.self.getMyId())
            return ServerState.FOLLOWING
        LOG.debug("I am an observer: %s", self.self.getMyId())
        return ServerState.OBSERVING

    def _getInitId(self) -> int:
        if self.self.getMyId() in self.self.getQuorumVerifier().getVotingMembers():
            return self.self.getMyId()
        return LONG_MIN_VALUE

    def _getInitLastLoggedZxid(self) -> int:
        if self.self.getLearnerType() == LearnerType.PARTICIPANT:
            return self.self.getLastLoggedZxid()
        return LONG_MIN_VALUE

    def _getPeerEpoch(self) -> int:
        if self.self.getLearnerType() == LearnerType.PARTICIPANT:
            try:
                return self.self.getCurrentEpoch()
            except OSError as e:
                raise RuntimeError(str(e)) from e
        return LONG_MIN_VALUE

    def _setPeerState(self, proposedLeader: int, voteSet: SyncedLearnerTracker | None) -> None:
        ss = ServerState.LEADING if proposedLeader == self.self.getMyId() else self._learningState()
        self.self.setPeerState(ss)
        if ss == ServerState.LEADING:
            self.leadingVoteSet = voteSet

    # -- the election --------------------------------------------------------------------------------

    def lookForLeader(self) -> Vote | None:
        """Exchange notifications until a quorum agrees on a leader; set this peer's
        state (LEADING, FOLLOWING or OBSERVING) and return the final vote."""
        from pyzookeeper.server.quorum.flexible.QuorumOracleMaj import QuorumOracleMaj

        self.self.start_fle = Time.currentElapsedTime()
        try:
            recvset: dict[int, Vote] = {}
            outofelection: dict[int, Vote] = {}
            notTimeout = self.minNotificationInterval

            with self._lock:
                with self._clockLock:
                    self.logicalclock += 1
                self.updateProposal(self._getInitId(), self._getInitLastLoggedZxid(), self._getPeerEpoch())

            LOG.info("New election. My id = %s, proposed zxid=0x%s", self.self.getMyId(), _hex(self.proposedZxid))
            self._sendNotifications()

            voteSet: SyncedLearnerTracker | None = None

            while self.self.getPeerState() == ServerState.LOOKING and not self.stop:
                try:
                    n = self.recvqueue.get(timeout=notTimeout / 1000.0)
                except queue.Empty:
                    n = None
                if n is _WAKE:
                    continue

                if n is None:
                    if self.manager.haveDelivered():
                        self._sendNotifications()
                    else:
                        self.manager.connectAll()
                    notTimeout = min(notTimeout << 1, self.maxNotificationInterval)
                    qv = self.self.getQuorumVerifier()
                    if (isinstance(qv, QuorumOracleMaj)
                            and qv.revalidateVoteset(voteSet, notTimeout != self.minNotificationInterval)):
                        self._setPeerState(self.proposedLeader, voteSet)
                        endVote = Vote(self.proposedLeader, self.proposedZxid, self.logicalclock, self.proposedEpoch)
                        self._leaveInstance(endVote)
                        return endVote
                    LOG.info("Notification time out: %s ms", notTimeout)

                elif self._validVoter(n.sid) and self._validVoter(n.leader):
                    if n.state == ServerState.LOOKING:
                        if self._getInitLastLoggedZxid() == -1:
                            LOG.debug("Ignoring notification as our zxid is -1")
                            continue
                        if n.zxid == -1:
                            LOG.debug("Ignoring notification from member with -1 zxid %s", n.sid)
                            continue
                        if n.electionEpoch > self.logicalclock:
                            self._setLogicalClock(n.electionEpoch)
                            recvset.clear()
                            if self.totalOrderPredicate(n.leader, n.zxid, n.peerEpoch, self._getInitId(),
                                                        self._getInitLastLoggedZxid(), self._getPeerEpoch()):
                                self.updateProposal(n.leader, n.zxid, n.peerEpoch)
                            else:
                                self.updateProposal(self._getInitId(), self._getInitLastLoggedZxid(),
                                                    self._getPeerEpoch())
                            self._sendNotifications()
                        elif n.electionEpoch < self.logicalclock:
                            LOG.debug("Notification election epoch is smaller than logicalclock. "
                                      "n.electionEpoch = 0x%s, logicalclock=0x%s",
                                      _hex(n.electionEpoch), _hex(self.logicalclock))
                            continue
                        elif self.totalOrderPredicate(n.leader, n.zxid, n.peerEpoch, self.proposedLeader,
                                                      self.proposedZxid, self.proposedEpoch):
                            self.updateProposal(n.leader, n.zxid, n.peerEpoch)
                            self._sendNotifications()

                        LOG.debug("Adding vote: from=%s, proposed leader=%s, proposed zxid=0x%s, "
                                  "proposed election epoch=0x%s", n.sid, n.leader, _hex(n.zxid),
                                  _hex(n.electionEpoch))
                        recvset[n.sid] = Vote(n.leader, n.zxid, n.electionEpoch, n.peerEpoch)
                        voteSet = self.getVoteTracker(
                            recvset, Vote(self.proposedLeader, self.proposedZxid, self.logicalclock,
                                          self.proposedEpoch))

                        if voteSet.hasAllQuorums():
                            n = self._finalizeWait()
                            if n is None:
                                self._setPeerState(self.proposedLeader, voteSet)
                                endVote = Vote(self.proposedLeader, self.proposedZxid, self.logicalclock,
                                               self.proposedEpoch)
                                self._leaveInstance(endVote)
                                return endVote
                    elif n.state == ServerState.OBSERVING:
                        LOG.debug("Notification from observer: %s", n.sid)
                    elif n.state == ServerState.FOLLOWING:
                        resultFN = self._receivedFollowingNotification(recvset, outofelection, voteSet, n)
                        if resultFN is not None:
                            return resultFN
                    elif n.state == ServerState.LEADING:
                        resultLN = self._receivedLeadingNotification(recvset, outofelection, voteSet, n)
                        if resultLN is not None:
                            return resultLN
                    else:
                        LOG.warning("Notification state unrecognized: %s (n.state), %s(n.sid)", n.state, n.sid)
                else:
                    if not self._validVoter(n.leader):
                        LOG.warning("Ignoring notification for non-cluster member sid %s from sid %s",
                                    n.leader, n.sid)
                    if not self._validVoter(n.sid):
                        LOG.warning("Ignoring notification for sid %s from non-quorum member sid %s",
                                    n.leader, n.sid)
            return None
        finally:
            LOG.debug("Number of connection processing threads: %s", self.manager.getConnectionThreadCount())

    def _finalizeWait(self) -> Notification | None:
        """Wait ``finalizeWait`` ms for a better vote; return it (re-queued) or None."""
        while True:
            try:
                n = self.recvqueue.get(timeout=self.finalizeWait / 1000.0)
            except queue.Empty:
                return None
            if n is _WAKE:
                self.recvqueue.put(n)
                return n
            if self.totalOrderPredicate(n.leader, n.zxid, n.peerEpoch, self.proposedLeader, self.proposedZxid,
                                        self.proposedEpoch):
                self.recvqueue.put(n)
                return n

    def _receivedFollowingNotification(self, recvset: dict[int, Vote], outofelection: dict[int, Vote],
                                       voteSet: SyncedLearnerTracker | None, n: Notification) -> Vote | None:
        if n.electionEpoch == self.logicalclock:
            recvset[n.sid] = Vote(n.leader, n.zxid, n.electionEpoch, n.peerEpoch, n.state)
            voteSet = self.getVoteTracker(
                recvset, Vote.withVersion(n.version, n.leader, n.zxid, n.electionEpoch, n.peerEpoch, n.state))
            if voteSet.hasAllQuorums() and self.checkLeader(recvset, n.leader, n.electionEpoch):
                self._setPeerState(n.leader, voteSet)
                endVote = Vote(n.leader, n.zxid, n.electionEpoch, n.peerEpoch)
                self._leaveInstance(endVote)
                return endVote

        # outofelection also holds this round's FOLLOWING/LEADING votes (ZOOKEEPER-1732).
        outofelection[n.sid] = Vote.withVersion(n.version, n.leader, n.zxid, n.electionEpoch, n.peerEpoch, n.state)
        voteSet = self.getVoteTracker(
            outofelection, Vote.withVersion(n.version, n.leader, n.zxid, n.electionEpoch, n.peerEpoch, n.state))
        if voteSet.hasAllQuorums() and self.checkLeader(outofelection, n.leader, n.electionEpoch):
            with self._lock:
                self._setLogicalClock(n.electionEpoch)
                self._setPeerState(n.leader, voteSet)
            endVote = Vote(n.leader, n.zxid, n.electionEpoch, n.peerEpoch)
            self._leaveInstance(endVote)
            return endVote
        return None

    def _receivedLeadingNotification(self, recvset: dict[int, Vote], outofelection: dict[int, Vote],
                                     voteSet: SyncedLearnerTracker | None, n: Notification) -> Vote | None:
        result = self._receivedFollowingNotification(recvset, outofelection, voteSet, n)
        if result is not None:
            return result
        qv = self.self.getQuorumVerifier()
        if qv.getNeedOracle() and not qv.askOracle():
            LOG.info("Oracle indicates to follow")
            self._setPeerState(n.leader, voteSet)
            endVote = Vote(n.leader, n.zxid, n.electionEpoch, n.peerEpoch)
            self._leaveInstance(endVote)
            return endVote
        LOG.info("Oracle indicates not to follow")
        return None

    def _validVoter(self, sid: int) -> bool:
        return sid in self.self.getCurrentAndNextConfigVoters()

    # -- the messenger threads ------------------------------------------------------------------------

    class Messenger:
        """The WorkerSender and WorkerReceiver threads between the election and the connection manager."""

        def __init__(self, fle: FastLeaderElection, manager: QuorumCnxManager) -> None:
            myid = fle.self.getMyId()
            self.ws = FastLeaderElection.Messenger.WorkerSender(fle, manager, f"WorkerSender[myid={myid}]")
            self.wr = FastLeaderElection.Messenger.WorkerReceiver(fle, manager, f"WorkerReceiver[myid={myid}]")

        def start(self) -> None:
            self.ws.start()
            self.wr.start()

        def halt(self) -> None:
            self.ws.stop = True
            self.wr.stop = True

        class WorkerReceiver(ZooKeeperThread):
            """Turns frames from the connection manager into Notifications, and answers
            peers that need this peer's vote."""

            def __init__(self, fle: FastLeaderElection, manager: QuorumCnxManager, name: str) -> None:
                super().__init__(name)
                self.fle = fle
                self.stop = False
                self.manager = manager

            def run(self) -> None:
                while not self.stop:
                    response = self.manager.pollRecvQueue(3000)
                    if response is None:
                        continue
                    if self._process(response):
                        break
                LOG.info("WorkerReceiver is down")

            def _process(self, response) -> bool:
                """Handle one frame; True when the election restarts on a newer config."""
                fle = self.fle
                peer = fle.self
                buf = response.buffer
                capacity = len(buf)
                if capacity < 28:
                    LOG.error("Got a short response from server %s: %s", response.sid, capacity)
                    return False
                backCompatibility28 = capacity == 28
                backCompatibility40 = capacity == 40

                n = Notification()
                rstate, rleader, rzxid, relectionEpoch = _HEAD.unpack_from(buf, 0)
                version = 0x0
                rqv = None
                try:
                    if not backCompatibility28:
                        rpeerepoch = _PEER_EPOCH.unpack_from(buf, 28)[0]
                        if not backCompatibility40:
                            version = _INT.unpack_from(buf, 36)[0]
                        else:
                            LOG.info("Backward compatibility mode (36 bits), server id: %s", response.sid)
                    else:
                        LOG.info("Backward compatibility mode (28 bits), server id: %s", response.sid)
                        rpeerepoch = ZxidUtils.getEpochFromZxid(rzxid)

                    if version > 0x1:
                        configLength = _INT.unpack_from(buf, 40)[0]
                        if configLength < 0 or configLength > capacity:
                            raise OSError(
                                f"Invalid configLength in notification message! sid={response.sid}, "
                                f"capacity={capacity}, version={version}, configLength={configLength}")
                        b = buf[44:44 + configLength]
                        if len(b) < configLength:
                            raise struct.error("buffer underflow")
                        with peer._lock:
                            restart, rqv = self._receivedConfig(b, response.sid)
                        if restart:
                            return True
                    else:
                        LOG.info("Backward compatibility mode (before reconfig), server id: %s", response.sid)
                except (struct.error, OSError) as e:
                    LOG.warning("Skipping the processing of a partial / malformed response message sent by sid=%s "
                                "(message length: %s)", response.sid, capacity, exc_info=e)
                    return False

                if not fle._validVoter(response.sid):
                    current = peer.getCurrentVote()
                    qv = peer.getQuorumVerifier()
                    fle.sendqueue.put(ToSend(ToSend.mType.notification, current.getId(), current.getZxid(),
                                             fle.logicalclock, peer.getPeerState(), response.sid,
                                             current.getPeerEpoch(), str(qv).encode("utf-8")))
                    return False

                LOG.debug("Receive new notification message. My id = %s", peer.getMyId())
                if not 0 <= rstate < len(_STATES):
                    return False
                ackstate = _STATES[rstate]
                n.leader = rleader
                n.zxid = rzxid
                n.electionEpoch = relectionEpoch
                n.state = ackstate
                n.sid = response.sid
                n.peerEpoch = rpeerepoch
                n.version = version
                n.qv = rqv
                LOG.info("Notification: my state:%s; n.sid:%s, n.state:%s, n.leader:%s, n.round:0x%s, "
                         "n.peerEpoch:0x%s, n.zxid:0x%s, message format version:0x%s, n.config version:0x%s",
                         peer.getPeerState(), n.sid, n.state, n.leader, _hex(n.electionEpoch), _hex(n.peerEpoch),
                         _hex(n.zxid), _hex(n.version), _hex(n.qv.getVersion()) if n.qv is not None else "0")

                if peer.getPeerState() == ServerState.LOOKING:
                    fle.recvqueue.put(n)
                    if ackstate == ServerState.LOOKING and n.electionEpoch < fle.logicalclock:
                        v = fle.getVote()
                        qv = peer.getQuorumVerifier()
                        fle.sendqueue.put(ToSend(ToSend.mType.notification, v.getId(), v.getZxid(),
                                                 fle.logicalclock, peer.getPeerState(), response.sid,
                                                 v.getPeerEpoch(), str(qv).encode("utf-8")))
                else:
                    current = peer.getCurrentVote()
                    if ackstate == ServerState.LOOKING:
                        leader = peer.leader
                        if leader is not None:
                            if fle.leadingVoteSet is not None:
                                leader.setLeadingVoteSet(fle.leadingVoteSet)
                                fle.leadingVoteSet = None
                            leader.reportLookingSid(response.sid)
                        LOG.debug("Sending new notification. My id =%s recipient=%s zxid=0x%s leader=%s "
                                  "config version = %s", peer.getMyId(), response.sid, _hex(current.getZxid()),
                                  current.getId(), _hex(peer.getQuorumVerifier().getVersion()))
                        qv = peer.getQuorumVerifier()
                        fle.sendqueue.put(ToSend(ToSend.mType.notification, current.getId(), current.getZxid(),
                                                 current.getElectionEpoch(), peer.getPeerState(), response.sid,
                                                 current.getPeerEpoch(), str(qv).encode("utf-8")))
                return False

            def _receivedConfig(self, b: bytes, sid: int):
                """Parse the sender's config and adopt it when newer (restarting the
                election if LOOKING); return (whether the election restarts, the config)."""
                from pyzookeeper.server.quorum.QuorumPeerConfig import ConfigException

                peer = self.fle.self
                rqv = None
                try:
                    rqv = peer.configFromString(b.decode("utf-8", errors="replace"))
                    curQV = peer.getQuorumVerifier()
                    if rqv.getVersion() > curQV.getVersion():
                        LOG.info("%s Received version: %s my version: %s", peer.getMyId(), _hex(rqv.getVersion()),
                                 _hex(peer.getQuorumVerifier().getVersion()))
                        if peer.getPeerState() == ServerState.LOOKING:
                            LOG.debug("Invoking processReconfig(), state: %s", peer.getServerState())
                            peer.processReconfig(rqv, None, None, False)
                            if rqv != curQV:
                                LOG.info("restarting leader election")
                                peer.shuttingDownLE = True
                                peer.getElectionAlg().shutdown()
                                return True, rqv
                        else:
                            LOG.debug("Skip processReconfig(), state: %s", peer.getServerState())
                except (OSError, ConfigException, ValueError):
                    LOG.error("Something went wrong while processing config received from %s", sid)
                return False, rqv

        class WorkerSender(ZooKeeperThread):
            """Hands queued ToSend messages, encoded, to the connection manager."""

            def __init__(self, fle: FastLeaderElection, manager: QuorumCnxManager, name: str) -> None:
                super().__init__(name)
                self.fle = fle
                self.stop = False
                self.manager = manager

            def run(self) -> None:
                while not self.stop:
                    try:
                        m = self.fle.sendqueue.get(timeout=3.0)
                    except queue.Empty:
                        continue
                    self.process(m)
                LOG.info("WorkerSender is down")

            def process(self, m: ToSend) -> None:
                requestBuffer = FastLeaderElection.buildMsg(m.state.ordinal(), m.leader, m.zxid, m.electionEpoch,
                                                            m.peerEpoch, m.configData)
                self.manager.toSend(m.sid, requestBuffer)
