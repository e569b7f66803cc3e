"""Mirrors org.apache.zookeeper.server.quorum.ObserverMaster: a follower's
LearnerMaster for observers. It listens on ``observerMasterPort`` (the
"ObserverMaster" thread), syncs each observer through a LearnerHandler, passes
the observers' requests and session revalidations on to the leader, and
forwards every txn the leader commits to them as an INFORM packet, keeping the
recent ones so that a connecting observer can catch up from memory.

Deliberate differences: no JMX beans; the pinger is a small daemon thread
named as the JDK names a single-thread scheduled executor's thread
("pool-N-thread-1", N counting these pingers only); no TLS quorum.
"""

from __future__ import annotations

import itertools
import logging
import socket
import struct
import threading
import time
from collections import deque

from pyzookeeper import system_properties
from pyzookeeper.server.quorum.Leader import Leader
from pyzookeeper.server.quorum.LearnerHandler import LearnerHandler, set_so_timeout
from pyzookeeper.server.quorum.LearnerMaster import LearnerMaster
from pyzookeeper.server.quorum.QuorumPacket import QuorumPacket

LOG = logging.getLogger(__name__)

PKTS_SIZE_LIMIT = 32 * 1024 * 1024

_SESSION_VALID = struct.Struct(">q?")
_SESSION_TIMEOUT = struct.Struct(">qi")

_poolNumbers = itertools.count(1)


def _hex(value: int) -> str:
    return format(value & 0xFFFFFFFFFFFFFFFF, "x")


class Revalidation:
    """A session an observer asked to revalidate, waiting for the leader's answer."""

    __slots__ = ("sessionId", "timeout", "handler")

    def __init__(self, sessionId: int, timeout: int, handler: LearnerHandler) -> None:
        self.sessionId = sessionId
        self.timeout = timeout
        self.handler = handler

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if type(other) is not Revalidation:
            return False
        return (self.sessionId == other.sessionId and self.timeout == other.timeout
                and self.handler == other.handler)

    def __hash__(self) -> int:
        return hash((self.sessionId, self.timeout, self.handler))


class _Pinger(threading.Thread):
    """``Executors.newSingleThreadScheduledExecutor().scheduleAtFixedRate(task,
    period, period)``: runs ``task`` every ``periodMs`` until shut down; a task
    that raises ends the schedule, as it does in Java."""

    def __init__(self, task, periodMs: int) -> None:
        super().__init__(name=f"pool-{next(_poolNumbers)}-thread-1", daemon=True)
        self._task = task
        self._period = max(periodMs, 1) / 1000.0
        self._stopped = threading.Event()

    def run(self) -> None:
        nextRun = time.monotonic() + self._period
        while not self._stopped.wait(max(0.0, nextRun - time.monotonic())):
            try:
                self._task()
            except Exception as e:
                LOG.warning("Unexpected exception", exc_info=e)
                return
            nextRun += self._period

    def shutdownNow(self) -> None:
        self._stopped.set()


class ObserverMaster(LearnerMaster):
    """Hosts observers on a follower, taking that load off the leader."""

    Revalidation = Revalidation

    pktsSizeLimit = system_properties.getInteger("zookeeper.observerMaster.sizeLimit", PKTS_SIZE_LIMIT)

    def __init__(self, self_, zks, port: int) -> None:
        super().__init__()
        self.self = self_
        self.zks = zks
        self.port = port
        self._lock = threading.RLock()
        self._followerCounterLock = threading.Lock()
        self.followerCounter = -1
        self.activeObservers: dict[LearnerHandler, bool] = {}
        self.proposedPkts: deque[QuorumPacket] = deque()
        self.committedPkts: deque[QuorumPacket] = deque()
        self.pktsSize = 0
        self.lastProposedZxid = 0
        self.revalidateSessionLock = threading.Lock()
        self.pendingRevalidations: deque[Revalidation] = deque()
        self.thread: threading.Thread | None = None
        self.ss: socket.socket | None = None
        self.listenerRunning = False
        self.pinger: _Pinger | None = None

    def ping(self) -> None:
        for lh in list(self.activeObservers):
            lh.ping()

    # -- LearnerMaster ----------------------------------------------------------------------------

    def addLearnerHandler(self, learnerHandler: LearnerHandler) -> None:
        if not self.listenerRunning:
            raise RuntimeError("ObserverMaster is not running")

    def removeLearnerHandler(self, learnerHandler: LearnerHandler) -> None:
        self.activeObservers.pop(learnerHandler, None)

    def syncTimeout(self) -> int:
        return self.self.getSyncLimit() * self.self.getTickTime()

    def getTickOfNextAckDeadline(self) -> int:
        return self.self.tick + self.self.syncLimit

    def getTickOfInitialAckDeadline(self) -> int:
        return self.self.tick + self.self.initLimit + self.self.syncLimit

    def getAndDecrementFollowerCounter(self) -> int:
        with self._followerCounterLock:
            value = self.followerCounter
            self.followerCounter -= 1
            return value

    def waitForEpochAck(self, sid: int, ss) -> None:
        """A following peer has its epoch already: nothing to wait for."""

    def waitForStartup(self) -> None:
        """A following peer is up already: nothing to wait for."""

    def getLastProposed(self) -> int:
        with self._lock:
            return self.lastProposedZxid

    def getEpochToPropose(self, sid: int, lastAcceptedEpoch: int) -> int:
        return self.self.getCurrentEpoch()

    def getZKDatabase(self):
        return self.zks.getZKDatabase()

    def waitForNewLeaderAck(self, sid: int, zxid: int) -> None:
        """The leader is established already: nothing to wait for."""

    def getCurrentTick(self) -> int:
        return self.self.tick

    def processAck(self, sid: int, zxid: int, localSocketAddress) -> None:
        if zxid & 0xFFFFFFFF == 0:
            # the ack of NEWLEADER an observer sends after UPTODATE
            return
        raise RuntimeError("Observers shouldn't send ACKS ack = " + _hex(zxid))

    def touch(self, sess: int, to: int) -> None:
        self.zks.getSessionTracker().touchSession(sess, to)

    def revalidateLearnerSession(self, qp: QuorumPacket) -> bool:
        """The leader's answer to a REVALIDATE: True when it was an observer's,
        which then gets its copy; False when the follower asked for itself."""
        id, valid = _SESSION_VALID.unpack_from(qp.data, 0)
        pending = self.pendingRevalidations
        if not pending:
            return False
        revalidation = pending[0]
        if revalidation.sessionId != id:
            return False
        pending.popleft()
        # the follower reads its next packet into qp: the observer gets a copy
        deepCopy = QuorumPacket(qp.type, qp.zxid, bytes(qp.data),
                                None if qp.authinfo is None else list(qp.authinfo))
        revalidation.handler.queuePacket(deepCopy)
        # a valid session is touched, as the leader does when it revalidates
        if valid:
            self.touch(revalidation.sessionId, revalidation.timeout)
        return True

    def revalidateSession(self, qp: QuorumPacket, learnerHandler: LearnerHandler) -> None:
        id, to = _SESSION_TIMEOUT.unpack_from(qp.data, 0)
        with self.revalidateSessionLock:
            self.pendingRevalidations.append(Revalidation(id, to, learnerHandler))
            learner = self.zks.getLearner()
            if learner is not None:
                learner.writePacket(qp, True)

    def submitLearnerRequest(self, si) -> None:
        self.zks.processObserverRequest(si)

    def startForwarding(self, learnerHandler: LearnerHandler, lastSeenZxid: int) -> int:
        """Queue the retained commits past ``lastSeenZxid`` to a synced
        observer and make it active; an observer older than what is retained
        is disconnected (-1)."""
        with self._lock:
            itr = iter(self.committedPkts)
            packet = next(itr, None)
            if packet is not None:
                if packet.zxid > lastSeenZxid + 1:
                    LOG.error("LearnerHandler is too far behind (0x%s < 0x%s), disconnecting %s at %s",
                              _hex(lastSeenZxid + 1), _hex(packet.zxid), learnerHandler.getSid(),
                              learnerHandler.getRemoteAddress())
                    learnerHandler.shutdown()
                    return -1
                if packet.zxid == lastSeenZxid + 1:
                    learnerHandler.queuePacket(packet)
                queueHeadZxid = packet.zxid
                queueBytesUsed = LearnerHandler.packetSize(packet)
                for packet in itr:
                    if packet.zxid <= lastSeenZxid:
                        continue
                    learnerHandler.queuePacket(packet)
                    queueBytesUsed += LearnerHandler.packetSize(packet)
                LOG.info("finished syncing observer from retained commit queue: sid %s, queue head 0x%s, "
                         "queue tail 0x%s, sync position 0x%s, num packets used %s, num bytes used %s",
                         learnerHandler.getSid(), _hex(queueHeadZxid), _hex(packet.zxid), _hex(lastSeenZxid),
                         packet.zxid - lastSeenZxid, queueBytesUsed)
            self.activeObservers[learnerHandler] = True
            return self.lastProposedZxid

    def getQuorumVerifierVersion(self) -> int:
        return self.self.getQuorumVerifier().getVersion()

    def getPeerInfo(self, sid: int) -> str:
        server = self.self.getView().get(sid)
        return "" if server is None else server.toString()

    def getQuorumVerifierBytes(self) -> bytes:
        return self.self.getLastSeenQuorumVerifier().toString().encode("utf-8")

    def getQuorumAuthServer(self):
        return None if self.self is None else self.self.authServer

    def registerLearnerHandlerBean(self, learnerHandler: LearnerHandler, socket_) -> None:
        """No JMX here."""

    def unregisterLearnerHandlerBean(self, learnerHandler: LearnerHandler) -> None:
        """No JMX here."""

    # -- the leader's packets, from the Follower thread -------------------------------------------

    def proposalReceived(self, qp: QuorumPacket) -> None:
        self.proposedPkts.append(QuorumPacket(Leader.INFORM, qp.zxid, qp.data, None))

    def _removeProposedPacket(self, zxid: int) -> QuorumPacket | None:
        with self._lock:
            proposed = self.proposedPkts
            pkt = proposed[0] if proposed else None
            if pkt is None or pkt.zxid > zxid:
                LOG.debug("ignore missing proposal packet for %s", _hex(zxid))
                return None
            if pkt.zxid != zxid:
                m = "Unexpected proposal packet on commit ack, expected zxid 0x%d got zxid 0x%d" % (zxid, pkt.zxid)
                LOG.error(m)
                raise RuntimeError(m)
            proposed.popleft()
            return pkt

    def _cacheCommittedPacket(self, pkt: QuorumPacket) -> None:
        with self._lock:
            committed = self.committedPkts
            committed.append(pkt)
            self.pktsSize += LearnerHandler.packetSize(pkt)
            limit = ObserverMaster.pktsSizeLimit
            # near the limit, drop up to five old packets for each new one
            i = 0
            while self.pktsSize > limit * 0.8 and i < 5:
                if not committed:
                    self.pktsSize = 0
                    break
                self.pktsSize -= LearnerHandler.packetSize(committed.popleft())
                i += 1
            # and never keep more than the limit
            while self.pktsSize > limit:
                if not committed:
                    self.pktsSize = 0
                    break
                self.pktsSize -= LearnerHandler.packetSize(committed.popleft())

    def _sendPacket(self, pkt: QuorumPacket) -> None:
        with self._lock:
            for lh in list(self.activeObservers):
                lh.queuePacket(pkt)
            self.lastProposedZxid = pkt.zxid

    def proposalCommitted(self, zxid: int) -> None:
        with self._lock:
            pkt = self._removeProposedPacket(zxid)
            if pkt is None:
                return
            self._cacheCommittedPacket(pkt)
            self._sendPacket(pkt)

    def informAndActivate(self, zxid: int, suggestedLeaderId: int) -> None:
        with self._lock:
            pkt = self._removeProposedPacket(zxid)
            if pkt is None:
                return
            informAndActivateQP = Leader.buildInformAndActivePacket(zxid, suggestedLeaderId, pkt.data)
            self._cacheCommittedPacket(informAndActivateQP)
            self._sendPacket(informAndActivateQP)

    # -- life cycle ------------------------------------------------------------------------------

    def start(self) -> None:
        """Listen on the observer master port and start pinging the observers."""
        with self._lock:
            if self.thread is not None and self.thread.is_alive():
                return
            self.listenerRunning = True
            backlog = 10
            peer = self.self
            if peer.shouldUsePortUnification() or peer.isSslQuorum():
                raise OSError("TLS on the quorum port (sslQuorum, portUnification) is not supported")
            if peer.getQuorumListenOnAllIPs():
                host = "0.0.0.0"
            else:
                host = peer.getQuorumAddress().getReachableOrOne().getAddress().socket_host()
            ss = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
            try:
                ss.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                ss.bind((host, self.port))
                ss.listen(backlog)
            except OSError:
                ss.close()
                raise
            self.ss = ss
            self.thread = threading.Thread(target=self.run, name="ObserverMaster", daemon=True)
            self.thread.start()
            self.pinger = _Pinger(self.ping, peer.tickTime // 2)
            self.pinger.start()

    def run(self) -> None:
        with self._lock:
            ss = self.ss
        peer = self.self
        while self.listenerRunning:
            try:
                s, _ = ss.accept()
                # initLimit while syncing; the LearnerHandler moves to syncLimit once acked
                set_so_timeout(s, peer.tickTime * peer.initLimit)
                try:
                    lh = LearnerHandler(s, None, self)
                except Exception:
                    s.close()
                    raise
                lh.start()
            except Exception as e:
                if self.listenerRunning:
                    LOG.debug("Ignoring accept exception (maybe shutting down)", exc_info=e)
                else:
                    LOG.debug("Ignoring accept exception (maybe client closed)", exc_info=e)
        # stop() closed the socket after clearing listenerRunning

    def stop(self) -> None:
        """Stop listening and pinging, and disconnect every active observer."""
        with self._lock:
            self.listenerRunning = False
            if self.pinger is not None:
                self.pinger.shutdownNow()
            ss = self.ss
            if ss is not None:
                try:
                    # wakes the thread blocked in accept(); close() alone does not
                    ss.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                try:
                    ss.close()
                except OSError as e:
                    LOG.warning("Ignoring error closing the observer master socket", exc_info=e)
            for lh in list(self.activeObservers):
                lh.shutdown()

    def getNumActiveObservers(self) -> int:
        return len(self.activeObservers)

    def getActiveObservers(self) -> list[dict]:
        return [lh.getLearnerHandlerInfo() for lh in list(self.activeObservers)]

    def resetObserverConnectionStats(self) -> None:
        for lh in list(self.activeObservers):
            lh.resetObserverConnectionStats()

    def getPktsSizeLimit(self) -> int:
        return ObserverMaster.pktsSizeLimit

    @staticmethod
    def setPktsSizeLimit(sizeLimit: int) -> None:
        ObserverMaster.pktsSizeLimit = sizeLimit
