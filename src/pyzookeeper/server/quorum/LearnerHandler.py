"""Mirrors org.apache.zookeeper.server.quorum.LearnerHandler: the leader's end
of one learner connection. The "LearnerHandler-<remote>" thread runs the
handshake (FOLLOWERINFO/OBSERVERINFO, LEADERINFO, ACKEPOCH), syncs the learner
(DIFF, TRUNC or SNAP, then NEWLEADER and UPTODATE) and then reads its packets;
the "Sender-<remote>" thread writes the queued packets.

Deliberate differences: the socket's read timeout is SO_RCVTIMEO on a blocking
socket (Java's soTimeout: reads time out, writes never do), read and written
through small buffered wrappers; no JMX bean.
"""

from __future__ import annotations

import logging
import socket
import struct
import threading
import time
from collections import deque

from pyzookeeper.common import Time
from pyzookeeper.data.Id import Id
from pyzookeeper.jute.BinaryInputArchive import BinaryInputArchive
from pyzookeeper.jute.BinaryOutputArchive import BinaryOutputArchive
from pyzookeeper.server.Request import Request
from pyzookeeper.server.ServerMetrics import ServerMetrics
from pyzookeeper.server.ZooKeeperThread import ZooKeeperThread
from pyzookeeper.server.ZooTrace import ZooTrace
from pyzookeeper.server.quorum.Leader import Leader, socket_address
from pyzookeeper.server.quorum.LearnerSyncRequest import LearnerSyncRequest
from pyzookeeper.server.quorum.QuorumPacket import QuorumPacket
from pyzookeeper.server.quorum.QuorumPeer import LearnerType
from pyzookeeper.server.quorum.StateSummary import StateSummary
from pyzookeeper.server.quorum.SyncThrottleException import SyncThrottleException
from pyzookeeper.server.util import ZxidUtils
from pyzookeeper.server.util.ConfigUtils import ConfigUtils
from pyzookeeper.server.util.MessageTracker import MessageTracker
from pyzookeeper import system_properties
from pyzookeeper.ZooDefs import OpCode

LOG = logging.getLogger(__name__)

LEADER_CLOSE_SOCKET_ASYNC = "zookeeper.leader.closeSocketAsync"
FORCE_SNAP_SYNC = "zookeeper.forceSnapshotSync"

_LONG = struct.Struct(">q")
_INT = struct.Struct(">i")
_SESSION_TOUCH = struct.Struct(">qi")
_REQUEST_HEADER = struct.Struct(">qii")
_VERSION_0x10000 = _INT.pack(0x10000)
_MINUS_ONE = _INT.pack(-1)
_TIMEVAL = struct.Struct("@ll")
_PACKET_HEAD = struct.Struct(">iqi")
_NO_DATA_NO_AUTH = struct.Struct(">iqii")


def write_packet(out, oa: BinaryOutputArchive, p: QuorumPacket) -> None:
    """``oa.writeRecord(p, "packet")``: the same bytes, framed with one struct
    call when the packet has no authinfo (every packet the leader sends)."""
    if p.authinfo is not None:
        oa.writeRecord(p, "packet")
        return
    data = p.data
    if data is None:
        out.write(_NO_DATA_NO_AUTH.pack(p.type, p.zxid, -1, -1))
    else:
        out.write(_PACKET_HEAD.pack(p.type, p.zxid, len(data)) + data + _MINUS_ONE)


def read_packet(stream, ia: BinaryInputArchive) -> QuorumPacket:
    """``ia.readRecord(qp, "packet")`` on a BufferedSocketInput: the head in
    one read; authinfo, when present, through the archive."""
    head = stream.read(16)
    if len(head) != 16:
        raise EOFError()
    type, zxid, length = _PACKET_HEAD.unpack(head)
    data = None
    if length != -1:
        ia.checkLength(length)
        data = stream.read(length)
        if len(data) != length:
            raise EOFError()
    count = stream.read(4)
    if len(count) != 4:
        raise EOFError()
    qp = QuorumPacket(type, zxid, data, None)
    if count != _MINUS_ONE:
        authinfo = []
        for _ in range(_INT.unpack(count)[0]):
            ident = Id()
            ident.deserialize(ia, "e1")
            authinfo.append(ident)
        qp.authinfo = authinfo
    return qp


def _hex(value: int) -> str:
    return format(value & 0xFFFFFFFFFFFFFFFF, "x")


def _observer_master_class() -> type:
    """ObserverMaster, which imports this module."""
    from pyzookeeper.server.quorum.ObserverMaster import ObserverMaster

    return ObserverMaster


def set_so_timeout(sock: socket.socket, timeoutMs: int) -> None:
    """``Socket.setSoTimeout``: reads wait at most ``timeoutMs`` (0 = forever);
    writes are not limited."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO,
                    _TIMEVAL.pack(timeoutMs // 1000, (timeoutMs % 1000) * 1000))


class SocketTimeoutException(TimeoutError):
    """A read on a socket with a read timeout took too long."""


class BufferedSocketInput:
    """``new BufferedInputStream(socket.getInputStream())`` for a blocking
    socket with SO_RCVTIMEO: ``read(n)`` returns exactly ``n`` bytes, or
    fewer only at the end of the stream."""

    __slots__ = ("_sock", "_buf", "_pos")

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        self._buf = b""
        self._pos = 0

    def read(self, n: int) -> bytes:
        buf = self._buf
        pos = self._pos
        end = pos + n
        if end <= len(buf):
            self._pos = end
            return buf[pos:end]
        parts = [buf[pos:]]
        have = len(buf) - pos
        self._buf = b""
        self._pos = 0
        while have < n:
            try:
                chunk = self._sock.recv(max(65536, n - have))
            except BlockingIOError:
                raise SocketTimeoutException("Read timed out") from None
            if not chunk:
                return b"".join(parts)
            need = n - have
            if len(chunk) > need:
                parts.append(chunk[:need])
                self._buf = chunk
                self._pos = need
                have = n
            else:
                parts.append(chunk)
                have += len(chunk)
        return b"".join(parts)


class BufferedSocketOutput:
    """``new BufferedOutputStream(socket.getOutputStream())``: collects writes
    and sends them on ``flush`` (or once the buffer is full)."""

    __slots__ = ("_sock", "_buf", "_size")

    def __init__(self, sock: socket.socket, size: int = 65536) -> None:
        self._sock = sock
        self._buf = bytearray()
        self._size = size

    def write(self, data) -> None:
        buf = self._buf
        buf += data
        if len(buf) >= self._size:
            self.flush()

    def flush(self) -> None:
        buf = self._buf
        if buf:
            self._sock.sendall(buf)
            buf.clear()


class MarkerQuorumPacket(QuorumPacket):
    """Queued every ``markerPacketInterval`` packets to measure queueing time."""

    __slots__ = ("time",)

    def __init__(self, time_: int) -> None:
        super().__init__()
        self.time = time_


class SyncLimitCheck:
    """How long the leader has waited for this learner's ack of a proposal.
    It follows one proposal at a time (and remembers the next); past
    syncLimit ticks the learner is dropped."""

    __slots__ = ("handler", "_lock", "started", "currentZxid", "currentTime", "nextZxid", "nextTime")

    def __init__(self, handler: "LearnerHandler") -> None:
        self.handler = handler
        self._lock = threading.Lock()
        self.started = False
        self.currentZxid = 0
        self.currentTime = 0
        self.nextZxid = 0
        self.nextTime = 0

    def start(self) -> None:
        with self._lock:
            self.started = True

    def updateProposal(self, zxid: int, time_: int) -> None:
        with self._lock:
            if not self.started:
                return
            if self.currentTime == 0:
                self.currentTime = time_
                self.currentZxid = zxid
            else:
                self.nextTime = time_
                self.nextZxid = zxid

    def updateAck(self, zxid: int) -> None:
        with self._lock:
            if self.currentZxid == zxid:
                self.currentTime = self.nextTime
                self.currentZxid = self.nextZxid
                self.nextTime = 0
                self.nextZxid = 0
            elif self.nextZxid == zxid:
                LOG.warning("ACK for 0x%s received before ACK for 0x%s", _hex(zxid), _hex(self.currentZxid))
                self.nextTime = 0
                self.nextZxid = 0

    def check(self, time_: int) -> bool:
        with self._lock:
            if self.currentTime == 0:
                return True
            msDelay = (time_ - self.currentTime) // 1000000
            return msDelay < self.handler.learnerMaster.syncTimeout()


class LearnerHandler(ZooKeeperThread):
    LEADER_CLOSE_SOCKET_ASYNC = LEADER_CLOSE_SOCKET_ASYNC
    FORCE_SNAP_SYNC = FORCE_SNAP_SYNC

    # Java reads this in a static initializer when the class is first used;
    # here that happens at the first construction.
    closeSocketAsync: bool | None = None

    markerPacketInterval = 1000

    @classmethod
    def _staticInit(cls) -> None:
        if cls.closeSocketAsync is not None:
            return
        value = ConfigUtils.getPropertyBackwardCompatibleWay(LEADER_CLOSE_SOCKET_ASYNC)
        cls.closeSocketAsync = value is not None and value.lower() == "true"
        LOG.info("%s = %s", LEADER_CLOSE_SOCKET_ASYNC, "true" if cls.closeSocketAsync else "false")

    def __init__(self, sock: socket.socket, bufferedInput, learnerMaster) -> None:
        LearnerHandler._staticInit()
        self.sock = sock
        self.remoteAddress = socket_address(sock.getpeername())
        super().__init__("LearnerHandler-" + self.remoteAddress.toString())
        self.learnerMaster = learnerMaster
        self.bufferedInput = bufferedInput if bufferedInput is not None else BufferedSocketInput(sock)
        self.sockBeingClosed = False
        self._closeLock = threading.Lock()
        self.tickOfNextAckDeadline = 0
        self.sid = 0
        self.version = 0x1
        self.queuedPackets: deque[QuorumPacket] = deque()
        self._queueCond = threading.Condition(threading.Lock())
        self._senderWaiting = False
        self.queuedPacketsSize = 0
        self.packetCounter = 0
        self.packetsReceived = 0
        self.packetsSent = 0
        self.requestsReceived = 0
        self.lastZxid = -1
        self.established = time.time()
        self.syncLimitCheck = SyncLimitCheck(self)
        self.ia: BinaryInputArchive | None = None
        self.oa: BinaryOutputArchive | None = None
        self.bufferedOutput: BufferedSocketOutput | None = None
        self.sendingThreadStarted = False
        self.forceSnapSync = False
        self.needOpPacket = True
        self.leaderLastZxid = 0
        self.syncThrottler = None
        self.learnerType = LearnerType.PARTICIPANT
        self.proposalOfDeath = QuorumPacket()
        self.interrupted = False
        self._statsLock = threading.Lock()
        if system_properties.getBoolean(FORCE_SNAP_SYNC):
            self.forceSnapSync = True
            LOG.info("Forcing snapshot sync is enabled")
        try:
            authServer = learnerMaster.getQuorumAuthServer()
            if authServer is not None:
                authServer.authenticate(sock, self.bufferedInput)
        except (OSError, EOFError) as e:
            from pyzookeeper.server.ZooKeeperSaslServer import SaslException

            LOG.error("Server failed to authenticate quorum learner, addr: %s, closing connection",
                      self.remoteAddress, exc_info=e)
            self.closeSocket()
            raise SaslException("Authentication failure: " + str(e)) from e
        self.messageTracker = MessageTracker(MessageTracker.BUFFERED_MESSAGE_SIZE)

    def getSocket(self) -> socket.socket:
        return self.sock

    def getSid(self) -> int:
        return self.sid

    def getRemoteAddress(self) -> str:
        return "<null>" if self.sock is None else self.remoteAddress.toString()

    def getVersion(self) -> int:
        return self.version

    def getLastZxid(self) -> int:
        return self.lastZxid

    def getEstablished(self) -> float:
        return self.established

    def getLearnerType(self) -> LearnerType:
        return self.learnerType

    def _socketText(self) -> str:
        """``Socket.toString()``."""
        try:
            localPort = self.sock.getsockname()[1]
        except OSError:
            return "Socket[unconnected]"
        addr = self.remoteAddress
        return f"Socket[addr={addr.getAddress().toString()},port={addr.getPort()},localport={localPort}]"

    def __str__(self) -> str:
        return (f"LearnerHandler {self._socketText()} tickOfNextAckDeadline:{self.tickOfNextAckDeadline}"
                f" synced?:{'true' if self.synced() else 'false'} queuedPacketLength:{len(self.queuedPackets)}")

    toString = __str__

    # -- the sender ----------------------------------------------------------------------------

    def sendPackets(self) -> None:
        """Write the queued packets until the packet of death, flushing
        whenever the queue runs empty."""
        queued = self.queuedPackets
        cond = self._queueCond
        metrics = ServerMetrics.getMetrics()
        sidText = str(self.sid)
        oa = self.oa
        out = self.bufferedOutput
        while True:
            try:
                try:
                    p = queued.popleft()
                except IndexError:
                    self.bufferedOutput.flush()
                    with cond:
                        self._senderWaiting = True
                        while not queued:
                            cond.wait()
                        self._senderWaiting = False
                    p = queued.popleft()
                metrics.LEARNER_HANDLER_QP_SIZE.add(sidText, len(queued))
                if type(p) is MarkerQuorumPacket:
                    metrics.LEARNER_HANDLER_QP_TIME.add(sidText, (time.monotonic_ns() - p.time) // 1000000)
                    continue
                size = LearnerHandler.packetSize(p)
                with self._statsLock:
                    self.queuedPacketsSize -= size
                if p is self.proposalOfDeath:
                    break
                if p.type == Leader.PROPOSAL:
                    self.syncLimitCheck.updateProposal(p.zxid, time.monotonic_ns())
                if LOG.isEnabledFor(logging.DEBUG):
                    traceMask = ZooTrace.SERVER_PING_TRACE_MASK if p.type == Leader.PING \
                        else ZooTrace.SERVER_PACKET_TRACE_MASK
                    ZooTrace.logQuorumPacket(LOG, traceMask, "o", p)
                # the zxid of the last request, when it is one
                if p.zxid > 0:
                    self.lastZxid = p.zxid
                write_packet(out, oa, p)
                self.packetsSent += 1
                self.messageTracker.trackSent(p.type)
            except OSError as e:
                LOG.error("Exception while sending packets in LearnerHandler", exc_info=e)
                # everything on this handler shuts down, and the learner
                # notices at once
                self.closeSocket()
                break

    @staticmethod
    def packetToString(p: QuorumPacket) -> str:
        mess = None
        name = Leader._PACKET_TYPE_NAMES.get(p.type)
        if name is None or p.type in (Leader.OBSERVERINFO, Leader.LEADERINFO):
            typeText = "UNKNOWN" + str(p.type)
        else:
            typeText = name
        if p.type == Leader.REVALIDATE:
            try:
                mess = f" sessionid = {_LONG.unpack_from(p.data, 0)[0]}"
            except (struct.error, TypeError) as e:
                LOG.warning("Unexpected exception", exc_info=e)
        return f"{typeText} {_hex(p.zxid)} {'null' if mess is None else mess}"

    # -- the handler thread --------------------------------------------------------------------

    def run(self) -> None:
        learnerMaster = self.learnerMaster
        try:
            learnerMaster.addLearnerHandler(self)
            self.tickOfNextAckDeadline = learnerMaster.getTickOfInitialAckDeadline()

            self.ia = BinaryInputArchive(self.bufferedInput)
            self.bufferedOutput = BufferedSocketOutput(self.sock)
            self.oa = BinaryOutputArchive(self.bufferedOutput)
            ia = self.ia
            oa = self.oa

            qp = QuorumPacket()
            ia.readRecord(qp, "packet")
            self.messageTracker.trackReceived(qp.type)
            if qp.type != Leader.FOLLOWERINFO and qp.type != Leader.OBSERVERINFO:
                LOG.error("First packet %s is not FOLLOWERINFO or OBSERVERINFO!", qp.toString())
                return
            if isinstance(learnerMaster, _observer_master_class()) and qp.type != Leader.OBSERVERINFO:
                raise OSError(f"Non observer attempting to connect to ObserverMaster. type = {qp.type}")
            learnerInfoData = qp.data
            if learnerInfoData is not None:
                if len(learnerInfoData) >= 8:
                    self.sid = _LONG.unpack_from(learnerInfoData, 0)[0]
                if len(learnerInfoData) >= 12:
                    self.version = _INT.unpack_from(learnerInfoData, 8)[0]
                if len(learnerInfoData) >= 20:
                    configVersion = _LONG.unpack_from(learnerInfoData, 12)[0]
                    if configVersion > learnerMaster.getQuorumVerifierVersion():
                        raise OSError("Follower is ahead of the leader (has a later activated configuration)")
            else:
                self.sid = learnerMaster.getAndDecrementFollowerCounter()

            followerInfo = learnerMaster.getPeerInfo(self.sid)
            if not followerInfo:
                LOG.info("Follower sid: %s not in the current config %s", self.sid,
                         _hex(learnerMaster.getQuorumVerifierVersion()))
            else:
                LOG.info("Follower sid: %s : info : %s", self.sid, followerInfo)

            if qp.type == Leader.OBSERVERINFO:
                self.learnerType = LearnerType.OBSERVER

            learnerMaster.registerLearnerHandlerBean(self, self.sock)

            lastAcceptedEpoch = ZxidUtils.getEpochFromZxid(qp.zxid)
            zxid = qp.zxid
            newEpoch = learnerMaster.getEpochToPropose(self.getSid(), lastAcceptedEpoch)
            newLeaderZxid = ZxidUtils.makeZxid(newEpoch, 0)

            if self.getVersion() < 0x10000:
                # a pre-Zab-1.0 learner: its epoch comes from its zxid
                epoch = ZxidUtils.getEpochFromZxid(zxid)
                ss = StateSummary(epoch, zxid)
                learnerMaster.waitForEpochAck(self.getSid(), ss)
            else:
                oa.writeRecord(QuorumPacket(Leader.LEADERINFO, newLeaderZxid, _VERSION_0x10000, None), "packet")
                self.messageTracker.trackSent(Leader.LEADERINFO)
                self.bufferedOutput.flush()
                ackEpochPacket = QuorumPacket()
                ia.readRecord(ackEpochPacket, "packet")
                self.messageTracker.trackReceived(ackEpochPacket.type)
                if ackEpochPacket.type != Leader.ACKEPOCH:
                    LOG.error("%s is not ACKEPOCH", ackEpochPacket.toString())
                    return
                ss = StateSummary(_INT.unpack_from(ackEpochPacket.data, 0)[0], ackEpochPacket.zxid)
                learnerMaster.waitForEpochAck(self.getSid(), ss)
            peerLastZxid = ss.getLastZxid()

            # queues DIFF or TRUNC when they do; startForwarding runs in any case
            needSnap = self.syncFollower(peerLastZxid, learnerMaster)

            # syncs of voters are counted but never refused: a quorum must stay current
            exemptFromThrottle = self.getLearnerType() != LearnerType.OBSERVER
            metrics = ServerMetrics.getMetrics()
            if needSnap:
                self.syncThrottler = learnerMaster.getLearnerSnapSyncThrottler()
                self.syncThrottler.beginSync(exemptFromThrottle)
                metrics.INFLIGHT_SNAP_COUNT.add(self.syncThrottler.getSyncInProgress())
                try:
                    zxidToSend = learnerMaster.getZKDatabase().getDataTreeLastProcessedZxid()
                    oa.writeRecord(QuorumPacket(Leader.SNAP, zxidToSend, None, None), "packet")
                    self.messageTracker.trackSent(Leader.SNAP)
                    self.bufferedOutput.flush()
                    LOG.info("Sending snapshot last zxid of peer is 0x%s, zxid of leader is 0x%s, "
                             "send zxid of db as 0x%s, %s concurrent snapshot sync, "
                             "snapshot sync was %s from throttle",
                             _hex(peerLastZxid), _hex(self.leaderLastZxid), _hex(zxidToSend),
                             self.syncThrottler.getSyncInProgress(),
                             "exempt" if exemptFromThrottle else "not exempt")
                    learnerMaster.getZKDatabase().serializeSnapshot(oa)
                    oa.writeString("BenWasHere", "signature")
                    self.bufferedOutput.flush()
                finally:
                    metrics.SNAP_COUNT.add(1)
            else:
                self.syncThrottler = learnerMaster.getLearnerDiffSyncThrottler()
                self.syncThrottler.beginSync(exemptFromThrottle)
                metrics.INFLIGHT_DIFF_COUNT.add(self.syncThrottler.getSyncInProgress())
                metrics.DIFF_COUNT.add(1)

            LOG.debug("Sending NEWLEADER message to %s", self.sid)
            # waitForEpochAck returned, so Leader.lead() has set the version of
            # the configuration NEWLEADER carries
            if self.getVersion() < 0x10000:
                oa.writeRecord(QuorumPacket(Leader.NEWLEADER, newLeaderZxid, None, None), "packet")
            else:
                self.queuedPackets.append(QuorumPacket(Leader.NEWLEADER, newLeaderZxid,
                                                       learnerMaster.getQuorumVerifierBytes(), None))
            self.bufferedOutput.flush()

            self.startSendingPackets()

            # the first ACK, then wait for the leader to start
            qp = QuorumPacket()
            ia.readRecord(qp, "packet")
            self.messageTracker.trackReceived(qp.type)
            if qp.type != Leader.ACK:
                LOG.error("Next packet was supposed to be an ACK, but received packet: %s",
                          LearnerHandler.packetToString(qp))
                return
            LOG.debug("Received NEWLEADER-ACK message from %s", self.sid)
            learnerMaster.waitForNewLeaderAck(self.getSid(), qp.zxid)

            self.syncLimitCheck.start()
            # the sync ends with the NEWLEADER ack
            self.syncThrottler.endSync()
            if needSnap:
                metrics.INFLIGHT_SNAP_COUNT.add(self.syncThrottler.getSyncInProgress())
            else:
                metrics.INFLIGHT_DIFF_COUNT.add(self.syncThrottler.getSyncInProgress())
            self.syncThrottler = None

            # acked: from now on the syncLimit applies
            set_so_timeout(self.sock, learnerMaster.syncTimeout())

            learnerMaster.waitForStartup()

            # packets queued during the sync came before; the learner may
            # serve from here on
            LOG.debug("Sending UPTODATE message to %s", self.sid)
            self.queuePacketRaw(QuorumPacket(Leader.UPTODATE, -1, None, None))

            self._readLoop(ia)
        except InterruptedError as e:
            LOG.error("Unexpected exception in LearnerHandler.", exc_info=e)
        except (OSError, EOFError) as e:
            LOG.error("Unexpected exception in LearnerHandler: ", exc_info=e)
            self.closeSocket()
        except SyncThrottleException as e:
            LOG.error("too many concurrent sync.", exc_info=e)
            self.syncThrottler = None
        except Exception as e:
            LOG.error("Unexpected exception in LearnerHandler.", exc_info=e)
            raise
        finally:
            if self.syncThrottler is not None:
                self.syncThrottler.endSync()
                self.syncThrottler = None
            remoteAddr = self.getRemoteAddress()
            LOG.warning("******* GOODBYE %s ********", remoteAddr)
            self.messageTracker.dumpToLog(remoteAddr)
            self.shutdown()

    def _readLoop(self, ia: BinaryInputArchive) -> None:
        """The learner's packets after the sync: ACKs, PINGs with session
        touches, REVALIDATEs and forwarded REQUESTs."""
        learnerMaster = self.learnerMaster
        tracker = self.messageTracker
        syncLimitCheck = self.syncLimitCheck
        localAddress = socket_address(self.sock.getsockname())
        metrics = ServerMetrics.getMetrics()
        debug = LOG.isEnabledFor(logging.DEBUG)
        stream = self.bufferedInput
        fast = isinstance(stream, BufferedSocketInput)
        while True:
            if fast:
                qp = read_packet(stream, ia)
            else:
                qp = QuorumPacket()
                ia.readRecord(qp, "packet")
            tracker.trackReceived(qp.type)
            if debug:
                traceMask = ZooTrace.SERVER_PING_TRACE_MASK if qp.type == Leader.PING \
                    else ZooTrace.SERVER_PACKET_TRACE_MASK
                ZooTrace.logQuorumPacket(LOG, traceMask, "i", qp)
            self.tickOfNextAckDeadline = learnerMaster.getTickOfNextAckDeadline()
            self.packetsReceived += 1
            ptype = qp.type
            if ptype == Leader.ACK:
                if self.learnerType == LearnerType.OBSERVER:
                    LOG.debug("Received ACK from Observer %s", self.sid)
                syncLimitCheck.updateAck(qp.zxid)
                learnerMaster.processAck(self.sid, qp.zxid, localAddress)
            elif ptype == Leader.PING:
                data = qp.data or b""
                whole = len(data) - len(data) % _SESSION_TOUCH.size
                for sess, to in _SESSION_TOUCH.iter_unpack(data[:whole]):
                    learnerMaster.touch(sess, to)
                if whole != len(data):
                    raise EOFError()
            elif ptype == Leader.REVALIDATE:
                metrics.REVALIDATE_COUNT.add(1)
                learnerMaster.revalidateSession(qp, self)
            elif ptype == Leader.REQUEST:
                data = qp.data
                sessionId, cxid, rtype = _REQUEST_HEADER.unpack_from(data, 0)
                body = data[_REQUEST_HEADER.size:]
                if rtype == OpCode.sync:
                    si = LearnerSyncRequest(self, sessionId, cxid, rtype, body, qp.authinfo)
                else:
                    si = Request(None, sessionId, cxid, rtype, body, qp.authinfo)
                si.setOwner(self)
                learnerMaster.submitLearnerRequest(si)
                self.requestsReceived += 1
            else:
                LOG.warning("unexpected quorum packet, type: %s", LearnerHandler.packetToString(qp))

    def startSendingPackets(self) -> None:
        """Start the "Sender-<remote>" thread that writes the queued packets."""
        if not self.sendingThreadStarted:
            threading.Thread(target=self._runSender, name="Sender-" + self.remoteAddress.toString(),
                             daemon=True).start()
            self.sendingThreadStarted = True
        else:
            LOG.error("Attempting to start sending thread after it already started")

    def _runSender(self) -> None:
        try:
            self.sendPackets()
        except Exception:
            LOG.warning("Unexpected exception", exc_info=True)

    def shouldSendMarkerPacketForLogging(self) -> bool:
        return True

    # -- sync ------------------------------------------------------------------------------------

    def syncFollower(self, peerLastZxid: int, learnerMaster) -> bool:
        """Queue DIFF or TRUNC (with the proposals and commits the learner
        misses) when possible and start forwarding; True when a snapshot must
        be sent instead."""
        # after an election the leader's lastProcessedZxid is <epoch, 0>, which
        # no txn carries: a learner at such a zxid is never truncated, it gets
        # a DIFF when the history reaches back far enough
        isPeerNewEpochZxid = (peerLastZxid & 0xFFFFFFFF) == 0
        currentZxid = peerLastZxid
        needSnap = True
        db = learnerMaster.getZKDatabase()
        txnLogSyncEnabled = db.isTxnLogSyncEnabled()
        rl = db.getLogLock().readLock()
        rl.lock()
        try:
            maxCommittedLog = db.getmaxCommittedLog()
            minCommittedLog = db.getminCommittedLog()
            lastProcessedZxid = db.getDataTreeLastProcessedZxid()
            LOG.info("Synchronizing with Learner sid: %s maxCommittedLog=0x%s minCommittedLog=0x%s"
                     " lastProcessedZxid=0x%s peerLastZxid=0x%s", self.getSid(), _hex(maxCommittedLog),
                     _hex(minCommittedLog), _hex(lastProcessedZxid), _hex(peerLastZxid))
            committedLog = db.getCommittedLog()
            if not committedLog:
                # an empty history: both bounds at the last zxid leave the
                # cases in sync, peer ahead (TRUNC) and peer behind (below)
                minCommittedLog = lastProcessedZxid
                maxCommittedLog = lastProcessedZxid

            if self.forceSnapSync:
                LOG.warning("Forcing snapshot sync - should not see this in production")
            elif lastProcessedZxid == peerLastZxid:
                LOG.info("Sending DIFF zxid=0x%s for peer sid: %s", _hex(peerLastZxid), self.getSid())
                self.queueOpPacket(Leader.DIFF, peerLastZxid)
                self.needOpPacket = False
                needSnap = False
            elif peerLastZxid > maxCommittedLog and not isPeerNewEpochZxid:
                # the peer has txns we never saw (an old leader): truncate them
                LOG.debug("Sending TRUNC to follower zxidToSend=0x%s for peer sid:%s", _hex(maxCommittedLog),
                          self.getSid())
                self.queueOpPacket(Leader.TRUNC, maxCommittedLog)
                currentZxid = maxCommittedLog
                self.needOpPacket = False
                needSnap = False
            elif maxCommittedLog >= peerLastZxid and minCommittedLog <= peerLastZxid:
                LOG.info("Using committedLog for peer sid: %s", self.getSid())
                currentZxid = self.queueCommittedProposals(iter(committedLog), peerLastZxid, None, maxCommittedLog)
                needSnap = False
            elif peerLastZxid < minCommittedLog and txnLogSyncEnabled:
                # the txn log on disk, then the committed log
                sizeLimit = db.calculateTxnLogSizeLimit()
                # empty when the log does not reach back to the peer's zxid
                txnLogItr = db.getProposalsFromTxnLog(peerLastZxid, sizeLimit)
                if txnLogItr.hasNext():
                    LOG.info("Use txnlog and committedLog for peer sid: %s", self.getSid())
                    currentZxid = self.queueCommittedProposals(txnLogItr, peerLastZxid, minCommittedLog,
                                                               maxCommittedLog)
                    if currentZxid < minCommittedLog:
                        LOG.info("Detected gap between end of txnlog: 0x%s and start of committedLog: 0x%s",
                                 _hex(currentZxid), _hex(minCommittedLog))
                        currentZxid = peerLastZxid
                        # drop what was queued: a snapshot it is
                        self.queuedPackets.clear()
                        self.needOpPacket = True
                    else:
                        LOG.debug("Queueing committedLog 0x%s", _hex(currentZxid))
                        currentZxid = self.queueCommittedProposals(iter(db.getCommittedLog()), currentZxid, None,
                                                                   maxCommittedLog)
                        needSnap = False
                txnLogItr.close()
            else:
                LOG.warning("Unhandled scenario for peer sid: %s maxCommittedLog=0x%s minCommittedLog=0x%s"
                            " lastProcessedZxid=0x%s peerLastZxid=0x%s txnLogSyncEnabled=%s", self.getSid(),
                            _hex(maxCommittedLog), _hex(minCommittedLog), _hex(lastProcessedZxid),
                            _hex(peerLastZxid), "true" if txnLogSyncEnabled else "false")
            if needSnap:
                currentZxid = db.getDataTreeLastProcessedZxid()
            LOG.debug("Start forwarding 0x%s for peer sid: %s", _hex(currentZxid), self.getSid())
            self.leaderLastZxid = learnerMaster.startForwarding(self, currentZxid)
        finally:
            rl.unlock()

        if self.needOpPacket and not needSnap:
            # cannot happen; a snapshot is the safe way out
            LOG.error("Unhandled scenario for peer sid: %s fall back to use snapshot", self.getSid())
            needSnap = True
        return needSnap

    def queueCommittedProposals(self, itr, peerLastZxid: int, maxZxid: int | None, lastCommittedZxid: int) -> int:
        """Queue the proposals of ``itr`` in (peerLastZxid, maxZxid], each with
        its COMMIT, preceded by the DIFF or TRUNC the first one calls for; the
        zxid of the last one queued."""
        isPeerNewEpochZxid = (peerLastZxid & 0xFFFFFFFF) == 0
        queuedZxid = peerLastZxid
        # the zxid of the proposal before the current one
        prevProposalZxid = -1
        for propose in itr:
            packetZxid = propose.packet.zxid
            if maxZxid is not None and packetZxid > maxZxid:
                break
            if packetZxid < peerLastZxid:
                prevProposalZxid = packetZxid
                continue
            if self.needOpPacket:
                if packetZxid == peerLastZxid:
                    # the peer's zxid is in our history
                    LOG.info("Sending DIFF zxid=0x%s  for peer sid: %s", _hex(lastCommittedZxid), self.getSid())
                    self.queueOpPacket(Leader.DIFF, lastCommittedZxid)
                    self.needOpPacket = False
                    continue
                if isPeerNewEpochZxid:
                    LOG.info("Sending DIFF zxid=0x%s  for peer sid: %s", _hex(lastCommittedZxid), self.getSid())
                    self.queueOpPacket(Leader.DIFF, lastCommittedZxid)
                    self.needOpPacket = False
                elif packetZxid > peerLastZxid:
                    # the peer has proposals we never saw (an old leader)
                    if ZxidUtils.getEpochFromZxid(packetZxid) != ZxidUtils.getEpochFromZxid(peerLastZxid):
                        # a learner cannot truncate across an epoch: snapshot
                        LOG.warning("Cannot send TRUNC to peer sid: %s peer zxid is from different epoch",
                                    self.getSid())
                        return queuedZxid
                    LOG.info("Sending TRUNC zxid=0x%s  for peer sid: %s", _hex(prevProposalZxid), self.getSid())
                    self.queueOpPacket(Leader.TRUNC, prevProposalZxid)
                    self.needOpPacket = False
            if packetZxid <= queuedZxid:
                # no op packet queued yet, or a duplicate txn
                continue
            # committed already: the COMMIT follows
            self.queuePacket(propose.packet)
            self.queueOpPacket(Leader.COMMIT, packetZxid)
            queuedZxid = packetZxid
        if self.needOpPacket and isPeerNewEpochZxid:
            # our history is older than the peer and nothing newer happened
            LOG.info("Sending TRUNC zxid=0x%s  for peer sid: %s", _hex(lastCommittedZxid), self.getSid())
            self.queueOpPacket(Leader.DIFF, lastCommittedZxid)
            self.needOpPacket = False
        return queuedZxid

    # -- life cycle ------------------------------------------------------------------------------

    def interrupt(self) -> None:
        """``Thread.interrupt``: a wait of this thread in the leader ends with
        InterruptedError."""
        self.interrupted = True
        wake = getattr(self.learnerMaster, "_wake_waiters", None)
        if wake is not None:
            wake()

    def shutdown(self) -> None:
        """Stop the sender (packet of death), close the socket, and leave the leader."""
        with self._queueCond:
            self.queuedPackets.clear()
            self.queuedPackets.append(self.proposalOfDeath)
            self._queueCond.notify()
        self.closeSocket()
        if threading.current_thread() is not self:
            self.interrupt()
        self.learnerMaster.removeLearnerHandler(self)
        self.learnerMaster.unregisterLearnerHandlerBean(self)

    def getTickOfNextAckDeadline(self) -> int:
        return self.tickOfNextAckDeadline

    def ping(self) -> None:
        """Queue a PING (with the last proposed zxid), or drop a learner that
        has not acked a proposal within syncLimit ticks."""
        # a learner still syncing would not understand a PING
        if not self.sendingThreadStarted:
            return
        if self.syncLimitCheck.check(time.monotonic_ns()):
            self.queuePacket(QuorumPacket(Leader.PING, self.learnerMaster.getLastProposed(), None, None))
        else:
            LOG.warning("Closing connection to peer due to transaction timeout.")
            self.shutdown()

    def queueOpPacket(self, type: int, zxid: int) -> None:
        self.queuePacket(QuorumPacket(type, zxid, None, None))

    def queuePacket(self, p: QuorumPacket) -> None:
        with self._queueCond:
            queued = self.queuedPackets
            queued.append(p)
            counter = self.packetCounter
            self.packetCounter = counter + 1
            if counter % LearnerHandler.markerPacketInterval == 0 and self.shouldSendMarkerPacketForLogging():
                queued.append(MarkerQuorumPacket(time.monotonic_ns()))
            if self._senderWaiting:
                self._queueCond.notify()
        size = LearnerHandler.packetSize(p)
        with self._statsLock:
            self.queuedPacketsSize += size

    def queuePacketRaw(self, p: QuorumPacket) -> None:
        """``queuedPackets.add(p)``: queued without a marker or size accounting."""
        with self._queueCond:
            self.queuedPackets.append(p)
            if self._senderWaiting:
                self._queueCond.notify()

    @staticmethod
    def packetSize(p: QuorumPacket) -> int:
        # int + long + byte[] + List, then the data
        data = p.data
        return 28 if data is None else 28 + len(data)

    def synced(self) -> bool:
        return self.is_alive() and self.learnerMaster.getCurrentTick() <= self.tickOfNextAckDeadline

    def getLearnerHandlerInfo(self) -> dict:
        import datetime

        return {
            "remote_socket_address": self.getRemoteAddress(),
            "sid": self.getSid(),
            "established": datetime.datetime.fromtimestamp(self.established),
            "queued_packets": len(self.queuedPackets),
            "queued_packets_size": self.queuedPacketsSize,
            "packets_received": self.packetsReceived,
            "packets_sent": self.packetsSent,
            "requests": self.requestsReceived,
            "last_zxid": self.getLastZxid(),
        }

    def resetObserverConnectionStats(self) -> None:
        self.packetsReceived = 0
        self.packetsSent = 0
        self.requestsReceived = 0
        self.lastZxid = -1

    def getQueuedPackets(self) -> deque:
        """The packet queue (for tests)."""
        return self.queuedPackets

    def setFirstPacket(self, value: bool) -> None:
        """For tests: whether the next queued proposal needs a DIFF or TRUNC first."""
        self.needOpPacket = value

    def closeSocket(self) -> None:
        with self._closeLock:
            if self.sock is None or self.sock.fileno() == -1 or self.sockBeingClosed:
                return
            self.sockBeingClosed = True
        if LearnerHandler.closeSocketAsync:
            LOG.info("Asynchronously closing socket to learner %s.", self.getSid())
            self.closeSockAsync()
        else:
            LOG.info("Synchronously closing socket to learner %s.", self.getSid())
            self.closeSockSync()

    def closeSockAsync(self) -> None:
        threading.Thread(target=self.closeSockSync, name=f"CloseSocketThread(sid:{self.sid}", daemon=True).start()

    def closeSockSync(self) -> None:
        try:
            if self.sock is not None:
                startTime = Time.currentElapsedTime()
                try:
                    # wakes the threads blocked on the socket; close() alone does not
                    self.sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                self.sock.close()
                ServerMetrics.getMetrics().SOCKET_CLOSING_TIME.add(Time.currentElapsedTime() - startTime)
        except OSError as e:
            LOG.warning("Ignoring error closing connection to learner %s", self.getSid(), exc_info=e)
