"""Mirrors org.apache.zookeeper.server.ServerCnxn: one client connection as the
request pipeline sees it.

Deliberate differences: ``serialize`` returns the whole reply (length prefix,
ReplyHeader and body) in one buffer instead of three ByteBuffers; print
writers are text streams with ``write``.
"""

from __future__ import annotations

import abc
import datetime
import enum
import logging
import struct
import threading
from typing import TextIO

from pyzookeeper import Quotas
from pyzookeeper.common import Time
from pyzookeeper.common.java_properties import _ChmOrder, string_hash
from pyzookeeper.data.Id import Id
from pyzookeeper.jute.BinaryOutputArchive import BinaryOutputArchive
from pyzookeeper.server.ServerMetrics import ServerMetrics
from pyzookeeper.server.ServerWatcher import ServerWatcher
from pyzookeeper.server.Stats import Stats
from pyzookeeper.ZooDefs import OpCode

LOG = logging.getLogger(__name__)

LONG_MAX = (1 << 63) - 1

# length prefix + ReplyHeader{xid, zxid, err}
_LEN_REPLY_HEADER = struct.Struct(">iiqi")
_REPLY_HEADER_LEN = 16
_PLACEHOLDER = bytes(_LEN_REPLY_HEADER.size)
_STAT_NODE_SUFFIX = Quotas.statNode


def _hex(value: int) -> str:
    """Java's ``Long.toHexString``."""
    return format(value & 0xFFFFFFFFFFFFFFFF, "x")


def _idHashCode(id: Id) -> int:
    """``Id.hashCode()`` as jute generates it."""
    h = (37 * 17 + string_hash(id.scheme)) & 0xFFFFFFFF
    h = (37 * h + string_hash(id.id)) & 0xFFFFFFFF
    return h - (1 << 32) if h & 0x80000000 else h


class ServerCnxn(Stats, ServerWatcher):
    """A connection from a client, with its session, auth ids and statistics."""

    # The owner of requests issued by connections.
    me = object()

    class DisconnectReason(enum.Enum):
        UNKNOWN = "unknown"
        SERVER_SHUTDOWN = "server_shutdown"
        CLOSE_ALL_CONNECTIONS_FORCED = "close_all_connections_forced"
        CONNECTION_CLOSE_FORCED = "connection_close_forced"
        CONNECTION_EXPIRED = "connection_expired"
        CLIENT_CLOSED_CONNECTION = "client_closed_connection"
        CLIENT_CLOSED_SESSION = "client_closed_session"
        UNABLE_TO_READ_FROM_CLIENT = "unable_to_read_from_client"
        NOT_READ_ONLY_CLIENT = "not_read_only_client"
        CLIENT_ZXID_AHEAD = "client_zxid_ahead"
        INFO_PROBE = "info_probe"
        CLIENT_RECONNECT = "client_reconnect"
        CANCELLED_KEY_EXCEPTION = "cancelled_key_exception"
        IO_EXCEPTION = "io_exception"
        IO_EXCEPTION_IN_SESSION_INIT = "io_exception_in_session_init"
        BUFFER_UNDERFLOW_EXCEPTION = "buffer_underflow_exception"
        SASL_AUTH_FAILURE = "sasl_auth_failure"
        RESET_COMMAND = "reset_command"
        CLOSE_CONNECTION_COMMAND = "close_connection_command"
        CLEAN_UP = "clean_up"
        CONNECTION_MODE_CHANGED = "connection_mode_changed"
        RENEW_GLOBAL_SESSION_IN_RO_MODE = "renew a global session in readonly mode"
        CHANNEL_DISCONNECTED = "channel disconnected"
        CHANNEL_CLOSED_EXCEPTION = "channel_closed_exception"
        AUTH_PROVIDER_NOT_FOUND = "auth provider not found"
        FAILED_HANDSHAKE = "Unsuccessful handshake"
        CLIENT_RATE_LIMIT = "Client hits rate limiting threshold"
        CLIENT_CNX_LIMIT = "Client hits connection limiting threshold"

        def toDisconnectReasonString(self) -> str:
            return self.value

    class CloseRequestException(OSError):
        """Raised to have the connection closed, with the reason."""

        def __init__(self, msg: str, reason: "ServerCnxn.DisconnectReason") -> None:
            super().__init__(msg)
            self.reason = reason

        def getReason(self) -> "ServerCnxn.DisconnectReason":
            return self.reason

        def getMessage(self) -> str:
            return self.args[0]

    class EndOfStreamException(OSError):
        """The client closed its end of the socket."""

        def __init__(self, msg: str, reason: "ServerCnxn.DisconnectReason") -> None:
            super().__init__(msg)
            self.reason = reason

        def getReason(self) -> "ServerCnxn.DisconnectReason":
            return self.reason

        def getMessage(self) -> str:
            return self.args[0]

    def __init__(self, zkServer) -> None:
        self.zkServer = zkServer
        # Java keeps the ids in a ConcurrentHashMap-backed set; its order shows on
        # the wire ("auth" ACLs, whoAmI), so the set's layout is followed.
        self._authLock = threading.Lock()
        self._authInfo = _ChmOrder(8)
        self._authInfoList: list[Id] = []
        # An old client does not get the read-only byte in its ConnectResponse.
        self.isOldClient = True
        self._outstandingLock = threading.Lock()
        self.outstandingCount = 0
        # Known to be closing: its queued requests may be dropped. Never true for a live connection.
        self.stale = False
        # A request of this connection was dropped, so all later ones must be dropped too.
        self.invalid = False
        self.zooKeeperSaslServer = None
        # guards the latency statistics, updated by the request pipeline
        self._statsLock = threading.Lock()
        self.established = Time.currentWallTime()
        # Counted by the one thread doing the connection's I/O at a time, so plain ints.
        self.packetsReceived = 0
        self.packetsSent = 0
        self.minLatency = LONG_MAX
        self.maxLatency = 0
        self.lastOp = "NA"
        self.lastCxid = -1
        self.lastZxid = -1
        self.lastResponseTime = 0
        self.lastLatency = 0
        self.count = 0
        self.totalLatency = 0
        self.disconnectReason = ServerCnxn.DisconnectReason.UNKNOWN

    @abc.abstractmethod
    def getSessionTimeout(self) -> int: ...

    def incrOutstandingAndCheckThrottle(self, h) -> None:
        if h.xid <= 0:
            return
        with self._outstandingLock:
            self.outstandingCount += 1
            count = self.outstandingCount
        if self.zkServer.shouldThrottle(count):
            self.disableRecv(False)

    def decrOutstandingAndCheckThrottle(self, h) -> None:
        """Called when the reply to a request goes out."""
        if h.xid <= 0:
            return
        with self._outstandingLock:
            self.outstandingCount -= 1
            count = self.outstandingCount
        if not self.zkServer.shouldThrottle(count):
            self.enableRecv()

    @abc.abstractmethod
    def close(self, reason: "ServerCnxn.DisconnectReason") -> None: ...

    @abc.abstractmethod
    def sendResponse(self, h, r, tag: str | None, cacheKey: str | None = None, stat=None,
                     opCode: int = -1) -> int:
        """Serializes a reply and queues it; returns the reply's size."""

    def serializeRecord(self, record) -> bytearray:
        oa = BinaryOutputArchive()
        record.serialize(oa, None)
        return oa.buffer()

    def serialize(self, h, r, tag: str | None, cacheKey: str | None, stat, opCode: int) -> bytearray | bytes:
        """The reply as sent: length, ReplyHeader, then the body (if any).

        getData and getChildren2 bodies come from the server's response caches
        while the node's Stat is unchanged.
        """
        if r is None:
            packetLength = _REPLY_HEADER_LEN
            buf = _LEN_REPLY_HEADER.pack(packetLength, h.xid, h.zxid, h.err)
        else:
            cache = None
            if stat is not None and cacheKey is not None:
                if opCode == OpCode.getData:
                    cache = self.zkServer.getReadResponseCache()
                    metrics = ServerMetrics.getMetrics()
                    cacheHit = metrics.RESPONSE_PACKET_CACHE_HITS
                    cacheMiss = metrics.RESPONSE_PACKET_CACHE_MISSING
                elif opCode == OpCode.getChildren2:
                    cache = self.zkServer.getGetChildrenResponseCache()
                    metrics = ServerMetrics.getMetrics()
                    cacheHit = metrics.RESPONSE_PACKET_GET_CHILDREN_CACHE_HITS
                    cacheMiss = metrics.RESPONSE_PACKET_GET_CHILDREN_CACHE_MISSING
            if cache is not None and not cacheKey.endswith(_STAT_NODE_SUFFIX):
                data = cache.get(cacheKey, stat)
                if data is None:
                    data = bytes(self.serializeRecord(r))
                    cache.put(cacheKey, data, stat)
                    cacheMiss.add(1)
                else:
                    cacheHit.add(1)
                packetLength = _REPLY_HEADER_LEN + len(data)
                buf = bytearray(_LEN_REPLY_HEADER.pack(packetLength, h.xid, h.zxid, h.err))
                buf += data
            else:
                oa = BinaryOutputArchive()
                buf = oa.buffer()
                buf += _PLACEHOLDER
                r.serialize(oa, None)
                packetLength = len(buf) - 4
                _LEN_REPLY_HEADER.pack_into(buf, 0, packetLength, h.xid, h.zxid, h.err)
        serverStats = self.serverStats()
        if serverStats is not None:
            serverStats.updateClientResponseSize(packetLength)
        return buf

    @abc.abstractmethod
    def sendCloseSession(self) -> None:
        """Tells the client the session is closing, then closes the socket."""

    @abc.abstractmethod
    def process(self, event, znodeAcl=None) -> None: ...

    @abc.abstractmethod
    def getSessionId(self) -> int: ...

    @abc.abstractmethod
    def setSessionId(self, sessionId: int) -> None: ...

    def getAuthInfo(self) -> list[Id]:
        """A copy of the connection's auth ids, in the order Java's set iterates them."""
        return list(self._authInfoList)

    def addAuthInfo(self, id: Id) -> None:
        with self._authLock:
            if self._authInfo.put(id, _idHashCode(id)):
                self._authInfoList = list(self._authInfo)

    def removeAuthInfo(self, id: Id) -> bool:
        with self._authLock:
            if id not in self._authInfoList:
                return False
            self._authInfo.remove(id, _idHashCode(id))
            self._authInfoList = list(self._authInfo)
            return True

    @abc.abstractmethod
    def sendBuffer(self, *buffers) -> None: ...

    @abc.abstractmethod
    def enableRecv(self) -> None: ...

    @abc.abstractmethod
    def disableRecv(self, waitDisableRecv: bool = True) -> None: ...

    @abc.abstractmethod
    def setSessionTimeout(self, sessionTimeout: int) -> None: ...

    def isStale(self) -> bool:
        return self.stale

    def setStale(self) -> None:
        self.stale = True

    def isInvalid(self) -> bool:
        return self.invalid

    def setInvalid(self) -> None:
        if not self.invalid:
            if not self.stale:
                self.sendCloseSession()
            self.invalid = True

    def packetReceived(self, bytes: int) -> None:
        self.incrPacketsReceived()
        serverStats = self.serverStats()
        if serverStats is not None:
            serverStats.incrementPacketsReceived()
        ServerMetrics.getMetrics().BYTES_RECEIVED_COUNT.add(bytes)

    def packetSent(self) -> None:
        self.incrPacketsSent()
        serverStats = self.serverStats()
        if serverStats is not None:
            serverStats.incrementPacketsSent()

    @abc.abstractmethod
    def serverStats(self): ...

    def resetStats(self) -> None:
        with self._statsLock:
            self.disconnectReason = ServerCnxn.DisconnectReason.RESET_COMMAND
            self.packetsReceived = 0
            self.packetsSent = 0
            self.minLatency = LONG_MAX
            self.maxLatency = 0
            self.lastOp = "NA"
            self.lastCxid = -1
            self.lastZxid = -1
            self.lastResponseTime = 0
            self.lastLatency = 0
            self.count = 0
            self.totalLatency = 0

    def incrPacketsReceived(self) -> int:
        self.packetsReceived += 1
        return self.packetsReceived

    def incrPacketsSent(self) -> int:
        self.packetsSent += 1
        return self.packetsSent

    def updateStatsForResponse(self, cxid: int, zxid: int, op: str, start: int, end: int) -> None:
        with self._statsLock:
            # special xids (pings, notifications) do not count as the last real operation
            if cxid >= 0:
                self.lastCxid = cxid
            self.lastZxid = zxid
            self.lastOp = op
            self.lastResponseTime = end
            elapsed = end - start
            self.lastLatency = elapsed
            if elapsed < self.minLatency:
                self.minLatency = elapsed
            if elapsed > self.maxLatency:
                self.maxLatency = elapsed
            self.count += 1
            self.totalLatency += elapsed

    def getEstablished(self) -> datetime.datetime:
        return datetime.datetime.fromtimestamp(self.established / 1000.0)

    def getOutstandingRequests(self) -> int:
        return self.outstandingCount

    def getPacketsReceived(self) -> int:
        return self.packetsReceived

    def getPacketsSent(self) -> int:
        return self.packetsSent

    def getMinLatency(self) -> int:
        minLatency = self.minLatency
        return 0 if minLatency == LONG_MAX else minLatency

    def getAvgLatency(self) -> int:
        with self._statsLock:
            return 0 if self.count == 0 else self.totalLatency // self.count

    def getMaxLatency(self) -> int:
        return self.maxLatency

    def getLastOperation(self) -> str:
        return self.lastOp

    def getLastCxid(self) -> int:
        return self.lastCxid

    def getLastZxid(self) -> int:
        return self.lastZxid

    def getLastResponseTime(self) -> int:
        return self.lastResponseTime

    def getLastLatency(self) -> int:
        return self.lastLatency

    def __str__(self) -> str:
        out: list[str] = []
        self._dumpConnectionInfo(out, False)
        return "".join(out)

    def toString(self) -> str:
        return str(self)

    @abc.abstractmethod
    def getRemoteSocketAddress(self): ...

    @abc.abstractmethod
    def getInterestOps(self) -> int: ...

    @abc.abstractmethod
    def isSecure(self) -> bool: ...

    @abc.abstractmethod
    def getClientCertificateChain(self): ...

    @abc.abstractmethod
    def setClientCertificateChain(self, chain) -> None: ...

    def dumpConnectionInfo(self, pwriter: TextIO, brief: bool) -> None:
        """The connection's line in ``cons`` (full) and ``stat`` (brief)."""
        out: list[str] = []
        self._dumpConnectionInfo(out, brief)
        pwriter.write("".join(out))

    def _dumpConnectionInfo(self, out: list[str], brief: bool) -> None:
        interestOps = self.getInterestOps()
        out += [" ", str(self.getRemoteSocketAddress()), "[",
                "0" if interestOps == 0 else format(interestOps, "x"),
                "](queued=", str(self.getOutstandingRequests()),
                ",recved=", str(self.getPacketsReceived()),
                ",sent=", str(self.getPacketsSent())]
        if not brief:
            sessionId = self.getSessionId()
            if sessionId != 0:
                out += [",sid=0x", _hex(sessionId),
                        ",lop=", str(self.getLastOperation()),
                        ",est=", str(self.established),
                        ",to=", str(self.getSessionTimeout())]
                lastCxid = self.getLastCxid()
                if lastCxid >= 0:
                    out += [",lcxid=0x", _hex(lastCxid)]
                out += [",lzxid=0x", _hex(self.getLastZxid()),
                        ",lresp=", str(self.getLastResponseTime()),
                        ",llat=", str(self.getLastLatency()),
                        ",minlat=", str(self.getMinLatency()),
                        ",avglat=", str(self.getAvgLatency()),
                        ",maxlat=", str(self.getMaxLatency())]
        out.append(")")

    def getConnectionInfo(self, brief: bool) -> dict[str, object]:
        info: dict[str, object] = {
            "remote_socket_address": self.getRemoteSocketAddress(),
            "interest_ops": self.getInterestOps(),
            "outstanding_requests": self.getOutstandingRequests(),
            "packets_received": self.getPacketsReceived(),
            "packets_sent": self.getPacketsSent(),
        }
        if not brief:
            info.update({
                "session_id": self.getSessionId(),
                "last_operation": self.getLastOperation(),
                "established": self.getEstablished(),
                "session_timeout": self.getSessionTimeout(),
                "last_cxid": self.getLastCxid(),
                "last_zxid": self.getLastZxid(),
                "last_response_time": self.getLastResponseTime(),
                "last_latency": self.getLastLatency(),
                "min_latency": self.getMinLatency(),
                "avg_latency": self.getAvgLatency(),
                "max_latency": self.getMaxLatency(),
            })
        return info

    def cleanupWriterSocket(self, pwriter) -> None:
        """Flushes a command's output, then closes the connection."""
        try:
            if pwriter is not None:
                pwriter.flush()
                pwriter.close()
        except Exception as e:
            LOG.info("Error closing PrintWriter ", exc_info=e)
        finally:
            try:
                self.close(ServerCnxn.DisconnectReason.CLOSE_CONNECTION_COMMAND)
            except Exception as e:
                LOG.error("Error closing a command socket ", exc_info=e)

    def isZKServerRunning(self) -> bool:
        return self.zkServer is not None and self.zkServer.isRunning()

    def getHostAddress(self) -> str:
        """The client's IP address, or "" once the socket is gone."""
        remoteSocketAddress = self.getRemoteSocketAddress()
        if remoteSocketAddress is None:
            return ""
        address = remoteSocketAddress.getAddress()
        if address is None:
            return ""
        return address.getHostAddress()

    def getSessionIdHex(self) -> str:
        return "0x" + _hex(self.getSessionId())
