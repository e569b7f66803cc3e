"""Mirrors org.apache.zookeeper.server.quorum.Learner: what followers and
observers share — connecting to the leader, the discovery handshake, the
synchronisation (DIFF, TRUNC or SNAP), forwarding client writes, pings and
session revalidation.

Deliberate differences: blocking sockets with buffered file objects stand in
for Java's socket streams; closing the socket shuts it down first, so that a
thread blocked reading it wakes up (Python's close alone does not do that);
no SSL quorum (``sslQuorum`` fails the connection with an IOException).
"""

from __future__ import annotations

import logging
import socket
import struct
import threading
import time
from collections import deque

from pyzookeeper import system_properties
from pyzookeeper.common import Time
from pyzookeeper.jute.BinaryInputArchive import BinaryInputArchive, bytesToString
from pyzookeeper.jute.BinaryOutputArchive import BinaryOutputArchive
from pyzookeeper.server.ExitCode import ExitCode
from pyzookeeper.server.Request import Request
from pyzookeeper.server.ServerMetrics import ServerMetrics
from pyzookeeper.server.ZooTrace import ZooTrace
from pyzookeeper.server.quorum.Leader import Leader
from pyzookeeper.server.quorum.LearnerInfo import LearnerInfo
from pyzookeeper.server.quorum.QuorumPacket import QuorumPacket
from pyzookeeper.server.quorum.QuorumPeer import SyncMode
from pyzookeeper.server.util import SerializeUtils, ZxidUtils
from pyzookeeper.server.util.ConfigUtils import ConfigUtils
from pyzookeeper.server.util.MessageTracker import MessageTracker
from pyzookeeper.util import ServiceUtils
from pyzookeeper.ZooDefs import OpCode

LOG = logging.getLogger(__name__)

_INT = struct.Struct(">i")
_LONG = struct.Struct(">q")
_LONG_INT = struct.Struct(">qi")
_REQUEST_PREFIX = struct.Struct(">qii")
_LONG_BOOL = struct.Struct(">q?")


def _hex(value: int) -> str:
    return format(value & 0xFFFFFFFFFFFFFFFF, "x")


def _parseBoolean(value: str | None) -> bool:
    return value is not None and value.lower() == "true"


class PacketInFlight:
    """A proposal received during synchronisation, not yet logged or applied."""

    __slots__ = ("hdr", "rec", "digest")

    def __init__(self) -> None:
        self.hdr = None
        self.rec = None
        self.digest = None


class _SocketHolder:
    """``AtomicReference<Socket>``: the first connected socket wins."""

    __slots__ = ("_value", "_lock")

    def __init__(self) -> None:
        self._value: socket.socket | None = None
        self._lock = threading.Lock()

    def get(self) -> socket.socket | None:
        return self._value

    def compareAndSet(self, expect, update) -> bool:
        with self._lock:
            if self._value is not expect:
                return False
            self._value = update
            return True


class Learner:
    """The base of Follower and Observer."""

    PacketInFlight = PacketInFlight

    leaderConnectDelayDuringRetryMs = system_properties.getInteger("zookeeper.leaderConnectDelayDuringRetryMs", 100)
    nodelay = system_properties.getProperty("follower.nodelay", "true") == "true"
    LEARNER_ASYNC_SENDING = "zookeeper.learner.asyncSending"
    asyncSending = _parseBoolean(ConfigUtils.getPropertyBackwardCompatibleWay(LEARNER_ASYNC_SENDING))
    LEARNER_CLOSE_SOCKET_ASYNC = "zookeeper.learner.closeSocketAsync"
    closeSocketAsync = _parseBoolean(ConfigUtils.getPropertyBackwardCompatibleWay(LEARNER_CLOSE_SOCKET_ASYNC))
    BUFFERED_MESSAGE_SIZE = 10

    _staticsLogged = False

    @classmethod
    def _logStatics(cls) -> None:
        if Learner._staticsLogged:
            return
        Learner._staticsLogged = True
        LOG.info("leaderConnectDelayDuringRetryMs: %s", cls.leaderConnectDelayDuringRetryMs)
        LOG.info("TCP NoDelay set to: %s", "true" if cls.nodelay else "false")
        LOG.info("%s = %s", cls.LEARNER_ASYNC_SENDING, "true" if Learner.asyncSending else "false")
        LOG.info("%s = %s", cls.LEARNER_CLOSE_SOCKET_ASYNC, "true" if cls.closeSocketAsync else "false")

    def __init__(self) -> None:
        Learner._logStatics()
        self.self = None
        self.zk = None
        self.bufferedOutput = None
        self.sock: socket.socket | None = None
        self.leaderAddr = None
        self.sockBeingClosed = threading.Event()
        self.sender = None
        self.leaderIs: BinaryInputArchive | None = None
        self.leaderOs: BinaryOutputArchive | None = None
        self._leaderIsLock = threading.Lock()
        self._leaderOsLock = threading.Lock()
        self._sockFiles: list = []
        self.leaderProtocolVersion = 0x01
        self.messageTracker = MessageTracker(Learner.BUFFERED_MESSAGE_SIZE)
        self.pendingRevalidations: dict[int, object] = {}

    def getSocket(self) -> socket.socket | None:
        return self.sock

    def getPendingRevalidationsCount(self) -> int:
        return len(self.pendingRevalidations)

    @staticmethod
    def setAsyncSending(newMode: bool) -> None:
        Learner.asyncSending = newMode
        LOG.info("%s = %s", Learner.LEARNER_ASYNC_SENDING, "true" if newMode else "false")

    @staticmethod
    def getAsyncSending() -> bool:
        return Learner.asyncSending

    # -- sessions ---------------------------------------------------------------------------------

    def validateSession(self, cnxn, clientId: int, timeout: int) -> None:
        """Ask the leader whether session ``clientId`` is still valid; the
        answer (REVALIDATE) finishes the client's connection."""
        LOG.info("Revalidating client: 0x%s", _hex(clientId))
        qp = QuorumPacket(Leader.REVALIDATE, -1, _LONG_INT.pack(clientId, timeout), None)
        self.pendingRevalidations[clientId] = cnxn
        if ZooTrace.isTraceEnabled(LOG, ZooTrace.SESSION_TRACE_MASK):
            ZooTrace.logTraceMessage(LOG, ZooTrace.SESSION_TRACE_MASK,
                                     "To validate session 0x" + _hex(clientId))
        self.writePacket(qp, True)

    # -- the leader connection ----------------------------------------------------------------

    def writePacket(self, pp: QuorumPacket | None, flush: bool) -> None:
        """Send ``pp`` to the leader (``None`` only flushes). Writers are
        serialised here, or by the LearnerSender queue when sending asynchronously."""
        if Learner.asyncSending:
            self.sender.queuePacket(pp)
        else:
            self.writePacketNow(pp, flush)

    def writePacketNow(self, pp: QuorumPacket | None, flush: bool) -> None:
        leaderOs = self.leaderOs
        if leaderOs is None:
            raise OSError("Not connected to the leader")
        with self._leaderOsLock:
            if pp is not None:
                self.messageTracker.trackSent(pp.type)
                leaderOs.writeRecord(pp, "packet")
            if flush:
                self.bufferedOutput.flush()

    def startSendingThread(self) -> None:
        from pyzookeeper.server.quorum.LearnerSender import LearnerSender

        self.sender = LearnerSender(self)
        self.sender.start()

    def readPacket(self, pp: QuorumPacket) -> None:
        with self._leaderIsLock:
            self.leaderIs.readRecord(pp, "packet")
            self.messageTracker.trackReceived(pp.type)
        if LOG.isEnabledFor(logging.DEBUG):
            traceMask = (ZooTrace.SERVER_PING_TRACE_MASK if pp.type == Leader.PING
                         else ZooTrace.SERVER_PACKET_TRACE_MASK)
            ZooTrace.logQuorumPacket(LOG, traceMask, "i", pp)

    def request(self, request: Request) -> None:
        """Forward a client request to the leader as a REQUEST packet."""
        if request.isThrottled():
            LOG.error("Throttled request sent to leader: %s. Exiting", request)
            ServiceUtils.requestSystemExit(ExitCode.UNEXPECTED_ERROR.getValue())
        data = _REQUEST_PREFIX.pack(request.sessionId, request.cxid, request.type)
        if request.request is not None:
            data += bytes(request.request)
        qp = QuorumPacket(Leader.REQUEST, -1, data, request.authInfo)
        self.writePacket(qp, True)

    def findLeader(self):
        """The QuorumServer of the peer we voted for, with fresh addresses."""
        leaderServer = None
        current = self.self.getCurrentVote()
        for s in self.self.getView().values():
            if s.id == current.getId():
                s.recreateSocketAddresses()
                leaderServer = s
                break
        if leaderServer is None:
            LOG.warning("Couldn't find the leader with id = %s", current.getId())
        return leaderServer

    def nanoTime(self) -> int:
        return time.monotonic_ns()

    def sockConnect(self, sock: socket.socket, addr, timeout: int) -> None:
        inet = addr.getAddress()
        if inet is None:
            raise OSError(f"Unresolved address {addr}")
        sock.settimeout(timeout / 1000.0)
        try:
            sock.connect((inet.socket_host(), addr.getPort()))
        finally:
            sock.settimeout(self.self.tickTime * self.self.initLimit / 1000.0)

    def connectToLeader(self, multiAddr, hostname: str | None) -> None:
        """Connect to the leader, trying every address of ``multiAddr`` at
        once (one LeaderConnector thread each); the first to connect wins."""
        self.leaderAddr = multiAddr
        if self.self.isMultiAddressReachabilityCheckEnabled():
            addresses = multiAddr.getAllReachableAddressesOrAll()
        else:
            addresses = multiAddr.getAllAddresses()
        holder = _SocketHolder()
        connectors = [LeaderConnector(self, address, holder) for address in addresses]
        for connector in connectors:
            connector.start()
        for connector in connectors:
            connector.join()
        sock = holder.get()
        if sock is None:
            raise OSError(f"Failed connect to {multiAddr}")
        self.sock = sock
        self.sockBeingClosed.clear()
        self.self.authLearner.authenticate(sock, hostname)
        reader = sock.makefile("rb", buffering=65536)
        self.bufferedOutput = sock.makefile("wb", buffering=65536)
        self._sockFiles = [reader, self.bufferedOutput]
        self.leaderIs = BinaryInputArchive.getArchive(reader)
        self.leaderOs = BinaryOutputArchive.getArchive(self.bufferedOutput)
        if Learner.asyncSending:
            self.startSendingThread()

    def createSocket(self) -> socket.socket:
        if self.self.isSslQuorum():
            raise OSError("SSL quorum connections are not supported")
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.settimeout(self.self.tickTime * self.self.initLimit / 1000.0)
        return sock

    # -- discovery ----------------------------------------------------------------------------

    def registerWithLeader(self, pktType: int) -> int:
        """Send FOLLOWERINFO/OBSERVERINFO, take the leader's epoch and ACK it;
        returns the new epoch's first zxid."""
        peer = self.self
        lastLoggedZxid = peer.getLastLoggedZxid()
        qp = QuorumPacket()
        qp.type = pktType
        qp.zxid = ZxidUtils.makeZxid(peer.getAcceptedEpoch(), 0)
        li = LearnerInfo(peer.getMyId(), 0x10000, peer.getQuorumVerifier().getVersion())
        boa = BinaryOutputArchive()
        boa.writeRecord(li, "LearnerInfo")
        qp.data = boa.getvalue()

        self.writePacket(qp, True)
        self.readPacket(qp)
        newEpoch = ZxidUtils.getEpochFromZxid(qp.zxid)
        if qp.type == Leader.LEADERINFO:
            if qp.data is None or len(qp.data) < 4:
                raise OSError("LEADERINFO without a protocol version")
            self.leaderProtocolVersion = _INT.unpack_from(qp.data, 0)[0]
            if newEpoch > peer.getAcceptedEpoch():
                epochBytes = _INT.pack(_toInt(peer.getCurrentEpoch()))
                peer.setAcceptedEpoch(newEpoch)
            elif newEpoch == peer.getAcceptedEpoch():
                # this epoch was acked already: the reply only carries our last zxid
                epochBytes = _INT.pack(-1)
            else:
                raise OSError(f"Leaders epoch, {newEpoch} is less than accepted epoch, {peer.getAcceptedEpoch()}")
            ackNewEpoch = QuorumPacket(Leader.ACKEPOCH, lastLoggedZxid, epochBytes, None)
            self.writePacket(ackNewEpoch, True)
            return ZxidUtils.makeZxid(newEpoch, 0)
        if newEpoch > peer.getAcceptedEpoch():
            peer.setAcceptedEpoch(newEpoch)
        if qp.type != Leader.NEWLEADER:
            LOG.error("First packet should have been NEWLEADER")
            raise OSError("First packet should have been NEWLEADER")
        return qp.zxid

    # -- synchronisation ----------------------------------------------------------------------

    def syncWithLeader(self, newLeaderZxid: int) -> None:
        """Bring the database in line with the leader (DIFF, TRUNC or SNAP),
        log what it proposed, and start serving once it says UPTODATE."""
        from pyzookeeper.server.quorum.FollowerZooKeeperServer import FollowerZooKeeperServer
        from pyzookeeper.server.quorum.ObserverZooKeeperServer import ObserverZooKeeperServer

        peer = self.self
        zk = self.zk
        ack = QuorumPacket(Leader.ACK, 0, None, None)
        qp = QuorumPacket()
        newEpoch = ZxidUtils.getEpochFromZxid(newLeaderZxid)
        newLeaderQV = None

        # a DIFF lands on top of the snapshot we have; SNAP and TRUNC need a new one
        snapshotNeeded = True
        syncSnapshot = False
        self.readPacket(qp)
        packetsCommitted: deque[int] = deque()
        packetsNotCommitted: deque[PacketInFlight] = deque()
        requestsToAck: deque[Request] = deque()

        with zk._lock:
            if qp.type == Leader.DIFF:
                LOG.info("Getting a diff from the leader 0x%s", _hex(qp.zxid))
                peer.setSyncMode(SyncMode.DIFF)
                if zk.shouldForceWriteInitialSnapshotAfterLeaderElection():
                    LOG.info("Forcing a snapshot write as part of upgrading from an older Zookeeper. "
                             "This should only happen while upgrading.")
                    snapshotNeeded = True
                    syncSnapshot = True
                else:
                    snapshotNeeded = False
            elif qp.type == Leader.SNAP:
                peer.setSyncMode(SyncMode.SNAP)
                LOG.info("Getting a snapshot from leader 0x%s", _hex(qp.zxid))
                zk.getZKDatabase().deserializeSnapshot(self.leaderIs)
                if not peer.isReconfigEnabled():
                    LOG.debug("Reset config node content from local config after deserialization of snapshot.")
                    zk.getZKDatabase().initConfigInZKDatabase(peer.getQuorumVerifier())
                signature = self.leaderIs.readString("signature")
                if signature != "BenWasHere":
                    LOG.error("Missing signature. Got %s", signature)
                    raise OSError("Missing signature")
                zk.getZKDatabase().setlastProcessedZxid(qp.zxid)
                # the log has a gap now: persist the received state at once
                syncSnapshot = True
            elif qp.type == Leader.TRUNC:
                peer.setSyncMode(SyncMode.TRUNC)
                LOG.warning("Truncating log to get in sync with the leader 0x%s", _hex(qp.zxid))
                truncated = zk.getZKDatabase().truncateLog(qp.zxid)
                if not truncated:
                    LOG.error("Not able to truncate the log 0x%s", _hex(qp.zxid))
                    ServiceUtils.requestSystemExit(ExitCode.QUORUM_PACKET_ERROR.getValue())
                zk.getZKDatabase().setlastProcessedZxid(qp.zxid)
            else:
                LOG.error("Got unexpected packet from leader: %s, exiting ... ", packet_to_string(qp))
                ServiceUtils.requestSystemExit(ExitCode.QUORUM_PACKET_ERROR.getValue())
            zk.getZKDatabase().initConfigInZKDatabase(peer.getQuorumVerifier())
            zk.createSessionTracker()

            lastQueued = 0
            # Zab 1.0 snapshots at NEWLEADER; a pre-1.0 leader only sends UPTODATE
            isPreZAB1_0 = True
            # without a snapshot to come, txns go to the log instead of the tree
            writeToTxnLog = not snapshotNeeded
            while peer.isRunning():
                self.readPacket(qp)
                ptype = qp.type
                if ptype == Leader.PROPOSAL:
                    pif = PacketInFlight()
                    logEntry = SerializeUtils.deserializeTxn(qp.data)
                    pif.hdr = logEntry.getHeader()
                    pif.rec = logEntry.getTxn()
                    pif.digest = logEntry.getDigest()
                    if pif.hdr.zxid != lastQueued + 1:
                        LOG.warning("Got zxid 0x%s expected 0x%s", _hex(pif.hdr.zxid), _hex(lastQueued + 1))
                    lastQueued = pif.hdr.zxid
                    if pif.hdr.type == OpCode.reconfig:
                        qv = peer.configFromString(bytesToString(pif.rec.data))
                        peer.setLastSeenQuorumVerifier(qv, True)
                    packetsNotCommitted.append(pif)
                elif ptype == Leader.COMMIT or ptype == Leader.COMMITANDACTIVATE:
                    pif = packetsNotCommitted[0] if packetsNotCommitted else None
                    if pif is None:
                        raise OSError(f"Got {Leader.getPacketType(ptype)} 0x{_hex(qp.zxid)} without a proposal")
                    if pif.hdr.zxid == qp.zxid and ptype == Leader.COMMITANDACTIVATE:
                        qv = peer.configFromString(bytesToString(pif.rec.data))
                        majorChange = peer.processReconfig(qv, _LONG.unpack_from(qp.data, 0)[0], qp.zxid, True)
                        if majorChange:
                            raise ReconfigException("changes proposed in reconfig")
                    if not writeToTxnLog:
                        if pif.hdr.zxid != qp.zxid:
                            LOG.warning("Committing 0x%s, but next proposal is 0x%s",
                                        _hex(qp.zxid), _hex(pif.hdr.zxid))
                        else:
                            zk.processTxn(pif.hdr, pif.rec)
                            packetsNotCommitted.popleft()
                    else:
                        packetsCommitted.append(qp.zxid)
                elif ptype == Leader.INFORM or ptype == Leader.INFORMANDACTIVATE:
                    packet = PacketInFlight()
                    if ptype == Leader.INFORMANDACTIVATE:
                        suggestedLeaderId = _LONG.unpack_from(qp.data, 0)[0]
                        logEntry = SerializeUtils.deserializeTxn(qp.data[8:])
                        packet.hdr = logEntry.getHeader()
                        packet.rec = logEntry.getTxn()
                        packet.digest = logEntry.getDigest()
                        qv = peer.configFromString(bytesToString(packet.rec.data))
                        majorChange = peer.processReconfig(qv, suggestedLeaderId, qp.zxid, True)
                        if majorChange:
                            raise ReconfigException("changes proposed in reconfig")
                    else:
                        logEntry = SerializeUtils.deserializeTxn(qp.data)
                        packet.rec = logEntry.getTxn()
                        packet.hdr = logEntry.getHeader()
                        packet.digest = logEntry.getDigest()
                        if packet.hdr.zxid != lastQueued + 1:
                            LOG.warning("Got zxid 0x%s expected 0x%s", _hex(packet.hdr.zxid), _hex(lastQueued + 1))
                        lastQueued = packet.hdr.zxid
                    if not writeToTxnLog:
                        # no snapshot taken yet: straight into the tree
                        zk.processTxn(packet.hdr, packet.rec)
                    else:
                        packetsNotCommitted.append(packet)
                        packetsCommitted.append(qp.zxid)
                elif ptype == Leader.UPTODATE:
                    LOG.info("Learner received UPTODATE message")
                    if newLeaderQV is not None:
                        majorChange = peer.processReconfig(newLeaderQV, None, None, True)
                        if majorChange:
                            raise ReconfigException("changes proposed in reconfig")
                    if isPreZAB1_0:
                        zk.takeSnapshot(syncSnapshot)
                        peer.setCurrentEpoch(newEpoch)
                    peer.setZooKeeperServer(zk)
                    peer.adminServer.setZooKeeperServer(zk)
                    break
                elif ptype == Leader.NEWLEADER:
                    LOG.info("Learner received NEWLEADER message")
                    if qp.data is not None and len(qp.data) > 1:
                        try:
                            qv = peer.configFromString(bytesToString(qp.data))
                            peer.setLastSeenQuorumVerifier(qv, True)
                            newLeaderQV = qv
                        except Exception:
                            LOG.warning("Cannot use the configuration sent with NEWLEADER", exc_info=True)

                    if snapshotNeeded:
                        zk.takeSnapshot(syncSnapshot)

                    # from here on every txn goes to the log, not straight into the tree
                    writeToTxnLog = True
                    isPreZAB1_0 = False

                    # the uncommitted txns must be durable before NEWLEADER is acked
                    self.sock.settimeout(peer.tickTime * peer.syncLimit / 1000.0)
                    peer.setSyncMode(SyncMode.NONE)
                    zk.startupWithoutServing()
                    if isinstance(zk, FollowerZooKeeperServer):
                        startTime = Time.currentElapsedTime()
                        for p in packetsNotCommitted:
                            requestsToAck.append(zk.appendRequest(p.hdr, p.rec, p.digest))
                        zk.getZKDatabase().commit()
                        LOG.info("%s txns have been persisted and it took %sms",
                                 len(packetsNotCommitted), Time.currentElapsedTime() - startTime)
                        packetsNotCommitted.clear()

                    # the epoch changes only once the txns are on disk
                    peer.setCurrentEpoch(newEpoch)
                    LOG.info("Set the current epoch to %s", newEpoch)

                    self.writePacket(QuorumPacket(Leader.ACK, newLeaderZxid, None, None), True)
                    LOG.info("Sent NEWLEADER ack to leader with zxid %s", _hex(newLeaderZxid))
        ack.zxid = ZxidUtils.makeZxid(newEpoch, 0)
        self.writePacket(ack, True)
        zk.startServing()
        # every member reports the same vote to peers that start later (ZOOKEEPER-1732)
        peer.updateElectionVote(newEpoch)

        if isinstance(zk, FollowerZooKeeperServer):
            # the proposal ACKs follow the NEWLEADER ACK, so the leader is not kept waiting
            for request in requestsToAck:
                self.writePacket(QuorumPacket(Leader.ACK, request.getHdr().zxid, None, None), False)
            self.writePacket(None, True)
            requestsToAck.clear()

            for p in packetsNotCommitted:
                zk.logRequest(p.hdr, p.rec, p.digest)
            LOG.info("%s txns have been logged asynchronously", len(packetsNotCommitted))

            for zxid in packetsCommitted:
                zk.commit(zxid)
            LOG.info("%s txns have been committed", len(packetsCommitted))
        elif isinstance(zk, ObserverZooKeeperServer):
            # the observer logs and applies what came between the snapshot and UPTODATE
            for p in packetsNotCommitted:
                zxid = packetsCommitted[0] if packetsCommitted else None
                if p.hdr.zxid != zxid:
                    # an outstanding proposal of the old leader, never committed
                    LOG.warning("Committing 0x%s, but next proposal is 0x%s",
                                "null" if zxid is None else _hex(zxid), _hex(p.hdr.zxid))
                    continue
                packetsCommitted.popleft()
                request = Request(None, p.hdr.clientId, p.hdr.cxid, p.hdr.type, None, None)
                request.setTxn(p.rec)
                request.setHdr(p.hdr)
                request.setTxnDigest(p.digest)
                zk.commitRequest(request)
        else:
            raise NotImplementedError("Unknown server type")

    def revalidate(self, qp: QuorumPacket) -> None:
        """The leader's answer to validateSession."""
        sessionId, valid = _LONG_BOOL.unpack_from(qp.data, 0)
        cnxn = self.pendingRevalidations.pop(sessionId, None)
        if cnxn is None:
            LOG.warning("Missing session 0x%s for validation", _hex(sessionId))
        else:
            self.zk.finishSessionInit(cnxn, valid)
        if ZooTrace.isTraceEnabled(LOG, ZooTrace.SESSION_TRACE_MASK):
            ZooTrace.logTraceMessage(LOG, ZooTrace.SESSION_TRACE_MASK,
                                     f"Session 0x{_hex(sessionId)} is valid: {'true' if valid else 'false'}")

    def ping(self, qp: QuorumPacket) -> None:
        """Answer a PING with the sessions touched since the last one."""
        touchTable = self.zk.getTouchSnapshot()
        data = b"".join([_LONG_INT.pack(sessionId, timeout) for sessionId, timeout in touchTable.items()])
        pingReply = QuorumPacket(qp.type, qp.zxid, data, qp.authinfo)
        self.writePacket(pingReply, True)

    # -- shutdown -----------------------------------------------------------------------------

    def shutdown(self) -> None:
        peer = self.self
        peer.setZooKeeperServer(None)
        peer.closeAllConnections()
        peer.adminServer.setZooKeeperServer(None)
        if self.sender is not None:
            self.sender.shutdown()
        self.closeSocket()
        if self.zk is not None:
            # an unfinished SNAP sync leaves the tree half loaded: drop it
            self.zk.shutdown(peer.getSyncMode() == SyncMode.SNAP)

    def isRunning(self) -> bool:
        return self.self.isRunning() and self.zk.isRunning()

    def closeSocket(self) -> None:
        if self.sock is None or self.sockBeingClosed.is_set():
            return
        self.sockBeingClosed.set()
        if Learner.closeSocketAsync:
            threading.Thread(target=self.closeSockSync, name=f"CloseSocketThread(sid:{self.zk.getServerId()}",
                             daemon=True).start()
        else:
            self.closeSockSync()

    def closeSockSync(self) -> None:
        startTime = Time.currentElapsedTime()
        sock = self.sock
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            for f in self._sockFiles:
                try:
                    f.close()
                except OSError:
                    LOG.debug("Ignoring error closing a stream of the leader connection", exc_info=True)
            try:
                sock.close()
            except OSError as e:
                LOG.warning("Ignoring error closing connection to leader", exc_info=e)
            self.sock = None
        ServerMetrics.getMetrics().SOCKET_CLOSING_TIME.add(Time.currentElapsedTime() - startTime)


class LeaderConnector(threading.Thread):
    """Connects to one address of the leader, retrying within the connect limit."""

    def __init__(self, learner: Learner, address, socketHolder: _SocketHolder) -> None:
        super().__init__(name=f"LeaderConnector-{address}", daemon=True)
        self.learner = learner
        self.address = address
        self.socket = socketHolder

    def run(self) -> None:
        try:
            sock = self.connectToLeader()
            if sock is not None:
                if self.socket.compareAndSet(None, sock):
                    LOG.info("Successfully connected to leader, using address: %s", self.address)
                else:
                    LOG.info("Connection to the leader is already established, close the redundant connection")
                    sock.close()
        except Exception as e:
            LOG.error("Failed connect to %s", self.address, exc_info=e)

    def connectToLeader(self) -> socket.socket | None:
        learner = self.learner
        peer = learner.self
        sock = learner.createSocket()
        # tickTime * initLimit, or connectToLearnerMasterLimit ticks when that is set
        connectTimeout = peer.tickTime * peer.initLimit
        if peer.connectToLearnerMasterLimit > 0:
            connectTimeout = peer.tickTime * peer.connectToLearnerMasterLimit
        startNanoTime = learner.nanoTime()
        delayMs = Learner.leaderConnectDelayDuringRetryMs
        connected = False
        tries = 0
        while tries < 5 and self.socket.get() is None:
            try:
                remainingTimeout = connectTimeout - (learner.nanoTime() - startNanoTime) // 1_000_000
                if remainingTimeout <= 0:
                    LOG.error("connectToLeader exceeded on retries.")
                    raise OSError("connectToLeader exceeded on retries.")
                learner.sockConnect(sock, self.address, min(connectTimeout, remainingTimeout))
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1 if Learner.nodelay else 0)
                connected = True
                break
            except OSError as e:
                remainingTimeout = connectTimeout - (learner.nanoTime() - startNanoTime) // 1_000_000
                sock.close()
                if remainingTimeout <= delayMs:
                    LOG.error("Unexpected exception, connectToLeader exceeded. tries=%s, remaining init limit=%s,"
                              " connecting to %s", tries, remainingTimeout, self.address, exc_info=e)
                    raise
                if tries >= 4:
                    LOG.error("Unexpected exception, retries exceeded. tries=%s, remaining init limit=%s,"
                              " connecting to %s", tries, remainingTimeout, self.address, exc_info=e)
                    raise
                LOG.warning("Unexpected exception, tries=%s, remaining init limit=%s, connecting to %s",
                            tries, remainingTimeout, self.address, exc_info=e)
                sock = learner.createSocket()
            time.sleep(delayMs / 1000.0)
            tries += 1
        if not connected:
            sock.close()
            return None
        return sock


class ReconfigException(Exception):
    """A reconfiguration changed this peer's role: leave the leader and look again."""


def _toInt(value: int) -> int:
    """Java's ``(int)`` narrowing of a long."""
    value &= 0xFFFFFFFF
    return value - (1 << 32) if value >= (1 << 31) else value


def packet_to_string(qp: QuorumPacket) -> str:
    from pyzookeeper.server.quorum.LearnerHandler import LearnerHandler

    return LearnerHandler.packetToString(qp)
