"""Mirrors org.apache.zookeeper.server.NIOServerCnxn: a client connection served
by NIOServerCnxnFactory's selector and worker threads.

Deliberate differences: a read takes whatever the socket has (up to 64 KiB) and
hands every complete frame in it to the server, stopping as soon as the
connection is throttled, where Java reads one frame per selection; queued
replies go out in one gathered ``sendmsg``.
"""

from __future__ import annotations

import logging
import select
import socket
import struct
import threading
from collections import deque

from pyzookeeper import system_properties
from pyzookeeper.common.inet_address import InetAddress, InetSocketAddress
from pyzookeeper.data.Id import Id
from pyzookeeper.jute import BinaryInputArchive
from pyzookeeper.KeeperException import KeeperException
from pyzookeeper.proto.ReplyHeader import ReplyHeader
from pyzookeeper.server.ClientCnxnLimitException import ClientCnxnLimitException
from pyzookeeper.server.command.CommandExecutor import CommandExecutor
from pyzookeeper.server.command.FourLetterCommands import FourLetterCommands
from pyzookeeper.server.command.NopCommand import NopCommand
from pyzookeeper.server.command.SetTraceMaskCommand import SetTraceMaskCommand
from pyzookeeper.server.ServerCnxn import ServerCnxn
from pyzookeeper.server.ServerCnxnFactory import ServerCnxnFactory
from pyzookeeper.server.ServerMetrics import ServerMetrics
from pyzookeeper.server.ZooKeeperSaslServer import ZooKeeperSaslServer
from pyzookeeper.server.ZooTrace import ZooTrace
from pyzookeeper.ZooDefs import OpCode, Perms

LOG = logging.getLogger(__name__)

_INT = struct.Struct(">i")
_LONG = struct.Struct(">q")
_unpack_int = _INT.unpack_from

# Bytes asked of the socket per read; a frame larger than this is read straight
# into a buffer of its own size, as Java does for every frame.
RECV_SIZE = 65536
# writev takes at most IOV_MAX buffers
_MAX_GATHER = 1024
# ClientCnxn.NOTIFICATION_XID
_NOTIFICATION_XID = -1

_closeConn = ServerCnxnFactory.closeConn


def _hex(value: int) -> str:
    return format(value & 0xFFFFFFFFFFFFFFFF, "x")


class SelectionKey:
    """Python's stand-in for ``java.nio.channels.SelectionKey``: the tie between a
    connection's socket and its selector thread.

    Only the selector thread changes what the selector watches; ``cancel`` from
    another thread asks it to. ``readyOps`` holds what the last selection found.
    """

    OP_READ = 1
    OP_WRITE = 4

    __slots__ = ("selectorThread", "sock", "fd", "attachment", "readyOps", "valid", "registeredOps",
                 "updatePending")

    def __init__(self, selectorThread, sock: socket.socket) -> None:
        self.selectorThread = selectorThread
        self.sock = sock
        self.fd = sock.fileno()
        self.attachment = None
        self.readyOps = 0
        self.valid = True
        self.registeredOps = 0
        self.updatePending = False

    def isValid(self) -> bool:
        return self.valid

    def isReadable(self) -> bool:
        return self.readyOps & SelectionKey.OP_READ != 0

    def isWritable(self) -> bool:
        return self.readyOps & SelectionKey.OP_WRITE != 0

    def attach(self, cnxn) -> None:
        self.attachment = cnxn

    def cancel(self) -> None:
        if self.valid:
            self.valid = False
            self.selectorThread.addCancelledKey(self)


class NIOServerCnxn(ServerCnxn):
    """One client connection; there is one per socket, served by one selector thread
    and, for reads, the factory's worker pool."""

    def __init__(self, zk, sock: socket.socket, sk: SelectionKey, factory, selectorThread) -> None:
        super().__init__(zk)
        self.sock = sock
        self.sk = sk
        self.factory = factory
        self.selectorThread = selectorThread
        self.clientTcpKeepAlive = system_properties.getBoolean("zookeeper.clientTcpKeepAlive")
        if factory.login is not None:
            self.zooKeeperSaslServer = ZooKeeperSaslServer(factory.login)
        self.initialized = False
        # Unread bytes short of a frame, or a frame left while throttled.
        self._pending = b""
        # A frame bigger than RECV_SIZE being read into its own buffer.
        self._incomingBuffer: bytearray | None = None
        self._incomingPos = 0
        # The announced length of the frame now being read, -1 before its length.
        self._frameLength = -1
        self.outgoingBuffers: deque = deque()
        self.sockLock = threading.Lock()
        self._open = True
        self.sessionTimeout = factory.sessionlessCnxnTimeout
        self.sessionId = 0
        # the server's statistics object never changes; asked for per packet
        self._serverStats = zk.serverStats() if zk is not None else None
        self.selectable = True
        self.throttled = False
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1 if self.clientTcpKeepAlive else 0)
        host, port = sock.getpeername()[:2]
        address = InetAddress.getByName(host)
        self.remoteSocketAddress = InetSocketAddress(address, port)
        self.hostAddress = address.getHostAddress()
        self.addAuthInfo(Id("ip", self.hostAddress))

    def sendCloseSession(self) -> None:
        """Queues the marker that closes the connection once everything before it is sent."""
        self.sendBuffer(_closeConn)

    def sendBufferSync(self, bb) -> None:
        """Writes ``bb`` now, waiting for the socket as long as it stays open (4lw output)."""
        if bb is _closeConn:
            return
        try:
            view = memoryview(bb)
            poller = None
            while view:
                with self.sockLock:
                    if not self._open:
                        return
                    try:
                        sent = self.sock.send(view)
                    except BlockingIOError:
                        sent = 0
                    fd = self.sock.fileno()
                view = view[sent:]
                if view:
                    if poller is None:
                        poller = select.poll()
                        poller.register(fd, select.POLLOUT)
                    poller.poll(500)
            self.packetSent()
        except OSError as ie:
            LOG.error("Error sending data synchronously ", exc_info=ie)

    def sendBuffer(self, *buffers) -> None:
        """Queues one packet for the selector thread to write."""
        self.outgoingBuffers.append(buffers[0] if len(buffers) == 1 else b"".join(buffers))
        self.requestInterestOpsUpdate()

    def handleFailedRead(self) -> None:
        """The client closed the socket, typically because the server did not answer in
        time; counted, then raised as EndOfStreamException."""
        self.setStale()
        ServerMetrics.getMetrics().CONNECTION_DROP_COUNT.add(1)
        raise ServerCnxn.EndOfStreamException(
            "Unable to read additional data from client, it probably closed the socket:"
            f" address = {self.remoteSocketAddress}, session = 0x{_hex(self.sessionId)}",
            ServerCnxn.DisconnectReason.UNABLE_TO_READ_FROM_CLIENT)

    def isSelectable(self) -> bool:
        return self.sk.valid and self.selectable

    def disableSelectable(self) -> None:
        self.selectable = False

    def enableSelectable(self) -> None:
        self.selectable = True

    def requestInterestOpsUpdate(self) -> None:
        if self.sk.valid and self.selectable:
            self.selectorThread.addInterestOpsUpdateRequest(self.sk)

    def hasPendingRequest(self) -> bool:
        """Whether bytes received earlier hold a length or a whole frame yet to be
        processed (left over when the connection was throttled)."""
        if self._incomingBuffer is not None:
            return False
        length = self._frameLength
        return len(self._pending) >= (4 if length < 0 else length)

    def handleWrite(self, k: SelectionKey | None = None) -> None:
        """Writes as much of the queued packets as the socket takes, in one call.

        Only the thread doing the connection's I/O takes packets off the front of
        the queue (other threads append at its end), so no lock is needed.
        """
        outgoing = self.outgoingBuffers
        if not outgoing:
            return
        bufs = []
        while outgoing and len(bufs) < _MAX_GATHER:
            b = outgoing.popleft()
            if b is _closeConn:
                outgoing.appendleft(b)
                break
            bufs.append(b)
        sent = 0
        if bufs:
            try:
                with self.sockLock:
                    if self._open:
                        sent = self.sock.send(bufs[0]) if len(bufs) == 1 else self.sock.sendmsg(bufs)
            except BlockingIOError:
                pass
            except BaseException:
                outgoing.extendleft(reversed(bufs))
                raise
        packets = 0
        for i, b in enumerate(bufs):
            n = len(b)
            if sent < n:
                rest = bufs[i:]
                if sent:
                    rest[0] = memoryview(b)[sent:]
                outgoing.extendleft(reversed(rest))
                break
            sent -= n
            packets += 1
        for _ in range(packets):
            self.packetSent()
        if outgoing and outgoing[0] is _closeConn and packets == len(bufs):
            raise ServerCnxn.CloseRequestException(
                "close requested", ServerCnxn.DisconnectReason.CLIENT_CLOSED_CONNECTION)

    def isSocketOpen(self) -> bool:
        return self._open

    def doIO(self, k: SelectionKey) -> None:
        """Reads and/or writes, as the selection found the socket ready for."""
        try:
            if not self._open:
                LOG.warning("trying to do i/o on a null socket for session: 0x%s", _hex(self.sessionId))
                return
            if k.readyOps & SelectionKey.OP_READ or self.hasPendingRequest():
                if not self._readAndProcess(k):
                    return
            if k.readyOps & SelectionKey.OP_WRITE:
                self.handleWrite(k)
                if not self.initialized and self.throttled and not self.outgoingBuffers:
                    raise ServerCnxn.CloseRequestException(
                        "responded to info probe", ServerCnxn.DisconnectReason.INFO_PROBE)
        except ServerCnxn.CloseRequestException:
            self.close()
        except ServerCnxn.EndOfStreamException as e:
            LOG.warning("Unexpected exception", exc_info=e)
            self.close(e.getReason())
        except ClientCnxnLimitException as e:
            ServerMetrics.getMetrics().CONNECTION_REJECTED.add(1)
            LOG.warning("Closing session 0x%s", _hex(self.sessionId), exc_info=e)
            self.close(ServerCnxn.DisconnectReason.CLIENT_CNX_LIMIT)
        except (OSError, EOFError) as e:
            LOG.warning("Close of session 0x%s", _hex(self.sessionId), exc_info=e)
            self.close(ServerCnxn.DisconnectReason.IO_EXCEPTION)

    def _recv(self, size: int) -> bytes | None:
        """What the socket has, up to ``size`` bytes: b"" at end of stream, None
        when nothing is there or the socket is closed."""
        with self.sockLock:
            if not self._open:
                return None
            try:
                return self.sock.recv(size)
            except BlockingIOError:
                return None

    def _recvInto(self, view: memoryview) -> int | None:
        with self.sockLock:
            if not self._open:
                return None
            try:
                return self.sock.recv_into(view)
            except BlockingIOError:
                return None

    def _readAndProcess(self, k: SelectionKey) -> bool:
        """Reads what the socket has and processes every complete frame while not
        throttled. Returns False when the connection is done with (EOF, a 4lw)."""
        readable = k.readyOps & SelectionKey.OP_READ
        if self._incomingBuffer is not None:
            if readable and not self._readLargeFrame():
                return False
            if self._incomingBuffer is not None:
                return True
            readable = 0
        buf = self._pending
        if readable:
            chunk = self._recv(RECV_SIZE)
            if chunk == b"":
                return self._endOfStream()
            if chunk:
                buf = buf + chunk if buf else chunk
        end = len(buf)
        pos = 0
        length = self._frameLength
        try:
            while not self.throttled and self._open:
                if length < 0:
                    if end - pos < 4:
                        break
                    length = _unpack_int(buf, pos)[0]
                    pos += 4
                    if not self.readLength(k, length, buf, pos):
                        return False
                if end - pos < length:
                    if length > RECV_SIZE:
                        self._startLargeFrame(length, buf, pos, end)
                        pos = end
                        length = -1
                    break
                payload = buf[pos:pos + length]
                pos += length
                length = -1
                self._processPayload(payload)
        finally:
            self._frameLength = length
            self._pending = buf[pos:] if pos < end else b""
        return True

    def _startLargeFrame(self, length: int, buf, pos: int, end: int) -> None:
        incoming = bytearray(length)
        incoming[:end - pos] = buf[pos:end]
        self._incomingBuffer = incoming
        self._incomingPos = end - pos

    def _readLargeFrame(self) -> bool:
        incoming = self._incomingBuffer
        with memoryview(incoming) as view:
            n = self._recvInto(view[self._incomingPos:])
        if n is None:
            return True
        if n == 0:
            return self._endOfStream()
        self._incomingPos += n
        if self._incomingPos == len(incoming):
            self._incomingBuffer = None
            self._frameLength = -1
            self._processPayload(bytes(incoming))
        return True

    def _endOfStream(self) -> bool:
        try:
            self.handleFailedRead()
        except ServerCnxn.EndOfStreamException as e:
            # a common case, logged without a stack trace; close logs the session closure
            LOG.info("%s", e.getMessage())
            self.close(e.getReason())
        return False

    def _processPayload(self, payload: bytes) -> None:
        self.packetReceived(4 + len(payload))
        if not self.initialized:
            self.readConnectRequest(payload)
        else:
            self.readRequest(payload)

    def readRequest(self, incomingBuffer: bytes) -> None:
        self.zkServer.processPacket(self, incomingBuffer)

    def getWriteInterest(self) -> bool:
        """Whether there are queued packets to write."""
        return bool(self.outgoingBuffers)

    def getReadInterest(self) -> bool:
        """Whether new requests are taken, i.e. the connection is not throttled."""
        return not self.throttled

    def disableRecv(self, waitDisableRecv: bool = True) -> None:
        """Stops taking requests (NIO does not wait, whatever ``waitDisableRecv`` says)."""
        if not self.throttled:
            self.throttled = True
            self.requestInterestOpsUpdate()

    def enableRecv(self) -> None:
        if self.throttled:
            self.throttled = False
            self.requestInterestOpsUpdate()

    def readConnectRequest(self, incomingBuffer: bytes) -> None:
        if not self.isZKServerRunning():
            raise OSError("ZooKeeperServer not running")
        self.zkServer.processConnectRequest(self, incomingBuffer)
        self.initialized = True

    class SendBufferWriter:
        """The print writer of a four-letter command: text goes out in chunks of
        about 2 KiB with blocking writes."""

        def __init__(self, cnxn: "NIOServerCnxn") -> None:
            self.cnxn = cnxn
            self.sb: list[str] | None = []
            self.size = 0

        def checkFlush(self, force: bool) -> None:
            if (force and self.size > 0) or self.size > 2048:
                self.cnxn.sendBufferSync("".join(self.sb).encode("utf-8"))
                self.sb.clear()
                self.size = 0

        def write(self, text: str) -> int:
            self.sb.append(text)
            self.size += len(text)
            self.checkFlush(False)
            return len(text)

        def flush(self) -> None:
            if self.sb is not None:
                self.checkFlush(True)

        def close(self) -> None:
            if self.sb is None:
                return
            self.checkFlush(True)
            self.sb = None

    def checkFourLetterWord(self, k: SelectionKey | None, len: int, rest: bytes) -> bool:
        """Runs the four-letter command whose code is ``len``, if it is one.
        ``rest`` holds the bytes already read after the code."""
        if not FourLetterCommands.isKnown(len):
            return False
        cmd = FourLetterCommands.getCommandString(len)
        self.packetReceived(4)
        # Stop selecting this socket: netcat may close its sending side while it
        # still waits for the reply, and the reply must be written regardless.
        if k is not None:
            try:
                k.cancel()
            except Exception as e:
                LOG.error("Error cancelling command selection key", exc_info=e)
        pwriter = NIOServerCnxn.SendBufferWriter(self)
        if not FourLetterCommands.isEnabled(cmd):
            LOG.debug("Command %s is not executed because it is not in the whitelist.", cmd)
            nopCmd = NopCommand(pwriter, self, cmd + " is not executed because it is not in the whitelist.")
            nopCmd.start()
            return True
        LOG.info("Processing %s command from %s", cmd, self.remoteSocketAddress)
        if len == FourLetterCommands.setTraceMaskCmd:
            traceMask = self._readTraceMask(rest)
            ZooTrace.setTextTraceLevel(traceMask)
            setMask = SetTraceMaskCommand(pwriter, self, traceMask)
            setMask.start()
            return True
        commandExecutor = CommandExecutor()
        return commandExecutor.execute(self, pwriter, len, self.zkServer, self.factory)

    def _readTraceMask(self, rest: bytes) -> int:
        """The 8-byte mask after ``stmk``: what was already read, then one read."""
        if len(rest) < 8:
            more = self._recv(8 - len(rest))
            if more == b"":
                raise OSError("Read error")
            rest += more or b""
        if len(rest) < 8:
            raise BufferError("java.nio.BufferUnderflowException")
        return _LONG.unpack_from(rest)[0]

    def readLength(self, k: SelectionKey, len: int, buf=b"", pos: int = 0) -> bool:
        """Checks a frame length, which may instead be a four-letter word; raises
        OSError for a length the server will not take."""
        if not self.initialized and self.checkFourLetterWord(self.sk, len, buf[pos:pos + 8]):
            return False
        maxBuffer = BinaryInputArchive.maxBuffer
        if len < 0 or len > maxBuffer:
            raise OSError(
                f"Len error. A message from {self.getRemoteSocketAddress()} with advertised length of {len}"
                " is either a malformed message or too large to process"
                f" (length is greater than jute.maxbuffer={maxBuffer})")
        if not self.isZKServerRunning():
            raise OSError("ZooKeeperServer not running")
        self.zkServer.checkRequestSizeWhenReceivingMessage(len)
        return True

    def getSessionTimeout(self) -> int:
        return self.sessionTimeout

    def __str__(self) -> str:
        """How ``dump`` lists the connection."""
        return f"ip: {self.remoteSocketAddress} sessionId: 0x{_hex(self.sessionId)}"

    def close(self, reason: ServerCnxn.DisconnectReason | None = None) -> None:
        """Closes the connection and removes it from the factory."""
        if reason is not None:
            self.disconnectReason = reason
        self.setStale()
        if not self.factory.removeCnxn(self):
            return
        if self.zkServer is not None:
            self.zkServer.removeCnxn(self)
        if self.sk is not None:
            try:
                self.sk.cancel()
            except Exception as e:
                LOG.debug("ignoring exception during selectionkey cancel", exc_info=e)
        self.closeSock()

    def closeSock(self) -> None:
        """Closes this connection's socket."""
        with self.sockLock:
            if not self._open:
                return
            self._open = False
            if LOG.isEnabledFor(logging.DEBUG):
                LOG.debug("Closed socket connection for client %s %s", self.remoteSocketAddress,
                          "which had sessionid 0x" + _hex(self.sessionId) if self.sessionId != 0
                          else "(no session established for client)")
            NIOServerCnxn.closeSocket(self.sock)

    @staticmethod
    def closeSocket(sock: socket.socket) -> None:
        """Shuts down both directions, then closes (Java's static ``closeSock``)."""
        if sock.fileno() < 0:
            return
        try:
            sock.shutdown(socket.SHUT_WR)
        except OSError as e:
            LOG.debug("ignoring exception during output shutdown", exc_info=e)
        try:
            sock.shutdown(socket.SHUT_RD)
        except OSError as e:
            LOG.debug("ignoring exception during input shutdown", exc_info=e)
        try:
            sock.close()
        except OSError as e:
            LOG.debug("ignoring exception during socket close", exc_info=e)

    def sendResponse(self, h, r, tag: str | None, cacheKey: str | None = None, stat=None,
                     opCode: int = -1) -> int:
        responseSize = 0
        try:
            bb = self.serialize(h, r, tag, cacheKey, stat, opCode)
            responseSize = len(bb) - 4
            self.sendBuffer(bb)
            self.decrOutstandingAndCheckThrottle(h)
        except Exception as e:
            LOG.warning("Unexpected exception. Destruction averted.", exc_info=e)
        return responseSize

    def process(self, event, znodeAcl=None) -> None:
        """Delivers a watch notification, unless the client may not read the node."""
        try:
            self.zkServer.checkACL(self, znodeAcl, Perms.READ, self.getAuthInfo(), event.getPath(), None)
        except KeeperException.NoAuthException:
            if ZooTrace.isTraceEnabled(LOG, ZooTrace.EVENT_DELIVERY_TRACE_MASK):
                ZooTrace.logTraceMessage(
                    LOG, ZooTrace.EVENT_DELIVERY_TRACE_MASK,
                    f"Not delivering event {event} to 0x{_hex(self.sessionId)} (filtered by ACL)")
            return
        h = ReplyHeader(_NOTIFICATION_XID, -1, 0)
        if ZooTrace.isTraceEnabled(LOG, ZooTrace.EVENT_DELIVERY_TRACE_MASK):
            ZooTrace.logTraceMessage(
                LOG, ZooTrace.EVENT_DELIVERY_TRACE_MASK,
                f"Deliver event {event} to 0x{_hex(self.sessionId)} through {self}")
        e = event.getWrapper()
        responseSize = self.sendResponse(h, e, "notification", None, None, OpCode.error)
        ServerMetrics.getMetrics().WATCH_BYTES.add(responseSize)

    def getSessionId(self) -> int:
        return self.sessionId

    def setSessionId(self, sessionId: int) -> None:
        self.sessionId = sessionId
        self.factory.addSession(sessionId, self)

    def setSessionTimeout(self, sessionTimeout: int) -> None:
        self.sessionTimeout = sessionTimeout
        self.factory.touchCnxn(self)

    def getInterestOps(self) -> int:
        if not self.isSelectable():
            return 0
        interestOps = 0
        if not self.throttled:
            interestOps |= SelectionKey.OP_READ
        if self.outgoingBuffers:
            interestOps |= SelectionKey.OP_WRITE
        return interestOps

    def getRemoteSocketAddress(self) -> InetSocketAddress | None:
        if not self._open:
            return None
        return self.remoteSocketAddress

    def getSocketAddress(self) -> InetAddress | None:
        if not self._open:
            return None
        return self.remoteSocketAddress.getAddress()

    def serverStats(self):
        return self._serverStats

    def isSecure(self) -> bool:
        return False

    def getClientCertificateChain(self):
        raise NotImplementedError("SSL is unsupported in NIOServerCnxn")

    def setClientCertificateChain(self, chain) -> None:
        raise NotImplementedError("SSL is unsupported in NIOServerCnxn")
