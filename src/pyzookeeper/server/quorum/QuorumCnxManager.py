"""Mirrors org.apache.zookeeper.server.quorum.QuorumCnxManager: the TCP
connections leader election runs over, one per pair of peers.

A connection survives only when it was opened by the peer with the larger id
(a smaller id that dials in is hung up on and dialled back). Each connection
has a SendWorker and a RecvWorker thread; frames are ``int length`` + payload.

Deliberate differences: no TLS on the election port (a peer configured with
``sslQuorum`` logs that it cannot open a secure channel); blocked threads are
woken by shutting their socket down or waking their queue, as Python threads
cannot be interrupted.
"""

from __future__ import annotations

import logging
import queue
import socket
import struct
import threading
import time
from datetime import timedelta

from pyzookeeper import system_properties
from pyzookeeper.common.NetUtils import formatInetAddr
from pyzookeeper.common.inet_address import InetAddress, InetSocketAddress, UnknownHostException
from pyzookeeper.server.ExitCode import ExitCode
from pyzookeeper.server.ZooKeeperThread import ZooKeeperThread
from pyzookeeper.server.quorum.MultipleAddresses import MultipleAddresses
from pyzookeeper.util import ServiceUtils
from pyzookeeper.util.CircularBlockingQueue import CircularBlockingQueue

LOG = logging.getLogger(__name__)

_LONG = struct.Struct(">q")
_INT = struct.Struct(">i")
_HEADER = struct.Struct(">qqi")

_ECHO_PORT = 7


def _read_fully(din, n: int) -> bytes:
    data = din.read(n)
    if data is None or len(data) < n:
        raise EOFError(f"end of stream after {0 if not data else len(data)} of {n} bytes")
    return data


def _read_long(din) -> int:
    return _LONG.unpack(_read_fully(din, 8))[0]


def _read_int(din) -> int:
    return _INT.unpack(_read_fully(din, 4))[0]


def _remote_address(sock: socket.socket) -> str:
    """``Socket.getRemoteSocketAddress().toString()``: ``/ip:port``."""
    try:
        host, port = sock.getpeername()[:2]
    except OSError:
        return "null"
    return f"/{host}:{port}" if ":" not in host else f"/[{host}]:{port}"


class Message:
    """A frame received from (or looped back for) peer ``sid``."""

    __slots__ = ("buffer", "sid")

    def __init__(self, buffer: bytes, sid: int) -> None:
        self.buffer = buffer
        self.sid = sid


class InitialMessageException(Exception):
    def __init__(self, message: str, *args) -> None:
        super().__init__(message % args if args else message)


class InitialMessage:
    """The first frame on a new election connection: protocol version, sid, election address(es)."""

    InitialMessageException = InitialMessageException

    def __init__(self, sid: int, addresses: list[InetSocketAddress]) -> None:
        self.sid = sid
        self.electionAddr = addresses

    @staticmethod
    def parse(protocolVersion: int, din) -> InitialMessage:
        """Read the rest of the message after ``protocolVersion`` from the stream ``din``."""
        from pyzookeeper.server.quorum.QuorumPeerConfig import ConfigException
        from pyzookeeper.server.util.ConfigUtils import ConfigUtils

        if protocolVersion not in (QuorumCnxManager.PROTOCOL_VERSION_V1, QuorumCnxManager.PROTOCOL_VERSION_V2):
            raise InitialMessageException("Got unrecognized protocol version %s", protocolVersion)
        sid = _read_long(din)
        remaining = _read_int(din)
        if remaining <= 0 or remaining > QuorumCnxManager.maxBuffer:
            raise InitialMessageException("Unreasonable buffer length: %s", remaining)
        b = din.read(remaining) or b""
        if len(b) != remaining:
            raise InitialMessageException("Read only %s bytes out of %s sent by server %s", len(b), remaining, sid)

        addresses: list[InetSocketAddress] = []
        for addr in b.decode("utf-8", errors="replace").split("|"):
            try:
                host_port = ConfigUtils.getHostAndPort(addr)
            except ConfigException:
                raise InitialMessageException("Badly formed address: %s", addr) from None
            if len(host_port) != 2:
                raise InitialMessageException("Badly formed address: %s", addr)
            try:
                port = _parse_port(host_port[1])
            except ValueError:
                raise InitialMessageException("Bad port number: %s", host_port[1]) from None
            if not InitialMessage.isWildcardAddress(host_port[0]):
                try:
                    addresses.append(InetSocketAddress(host_port[0], port))
                except ValueError:
                    raise InitialMessageException("Bad port number: %s", host_port[1]) from None
        return InitialMessage(sid, addresses)

    @staticmethod
    def isWildcardAddress(hostname: str) -> bool:
        try:
            return InetAddress.getByName(hostname).isAnyLocalAddress()
        except UnknownHostException:
            return False

    def toString(self) -> str:
        addrs = ", ".join(a.toString() for a in self.electionAddr)
        return f"InitialMessage{{sid={self.sid}, electionAddr=[{addrs}]}}"

    __str__ = toString


def _parse_port(text: str) -> int:
    """``Integer.parseInt``: optional sign, ASCII digits only."""
    body = text[1:] if text[:1] in "+-" else text
    if not body or not body.isascii() or not body.isdigit():
        raise ValueError(text)
    value = int(text)
    if not -(1 << 31) <= value < (1 << 31):
        raise ValueError(text)
    return value


class _ConnectionExecutor:
    """Java's ThreadPoolExecutor(3, max, 60 s, SynchronousQueue) with core-thread
    time-out: a task is handed to an idle thread or a new one, or refused."""

    KEEP_ALIVE = 60.0

    def __init__(self, mySid: int, maxThreads: int) -> None:
        self._mySid = mySid
        self._max = maxThreads
        self._lock = threading.Lock()
        self._tasks: queue.SimpleQueue = queue.SimpleQueue()
        self._idle = 0
        self._total = 0
        self._index = 0
        self._shutdown = False

    def execute(self, task) -> None:
        with self._lock:
            if self._shutdown:
                raise RuntimeError("connection executor is shut down")
            if self._idle > 0:
                self._idle -= 1
                self._tasks.put(task)
                return
            if self._total >= self._max:
                raise RuntimeError(f"connection executor is saturated ({self._total} threads)")
            self._total += 1
            self._index += 1
            name = f"QuorumConnectionThread-[myid={self._mySid}]-{self._index}"
        threading.Thread(target=self._work, args=(task,), name=name, daemon=True).start()

    def _work(self, task) -> None:
        while task is not None:
            try:
                task()
            except Exception:
                LOG.error("Exception in quorum connection thread", exc_info=True)
            with self._lock:
                if self._shutdown:
                    self._total -= 1
                    return
                self._idle += 1
            try:
                task = self._tasks.get(timeout=self.KEEP_ALIVE)
            except queue.Empty:
                with self._lock:
                    try:
                        task = self._tasks.get_nowait()
                    except queue.Empty:
                        self._idle -= 1
                        self._total -= 1
                        return
        with self._lock:
            self._total -= 1

    def shutdown(self) -> None:
        with self._lock:
            self._shutdown = True
            idle, self._idle = self._idle, 0
        for _ in range(idle):
            self._tasks.put(None)


class QuorumCnxManager:
    """Connections to every other member of the ensemble for leader election."""

    Message = Message
    InitialMessage = InitialMessage

    RECV_CAPACITY = 100
    SEND_CAPACITY = 1
    PACKETMAXSIZE = 1024 * 512
    PROTOCOL_VERSION_V1 = -65536
    PROTOCOL_VERSION_V2 = -65535
    maxBuffer = 2048

    def __init__(self, self_, mySid: int, view: dict, authServer, authLearner, socketTimeout: int,
                 listenOnAllIPs: bool, quorumCnxnThreadsSize: int, quorumSaslAuthEnabled: bool) -> None:
        self._lock = threading.RLock()
        self.recvQueue: CircularBlockingQueue[Message] = CircularBlockingQueue(self.RECV_CAPACITY)
        self.queueSendMap: dict[int, CircularBlockingQueue[bytes]] = {}
        self.senderWorkerMap: dict[int, QuorumCnxManager.SendWorker] = {}
        self.lastMessageSent: dict[int, bytes] = {}
        self.cnxTO = 5000
        cnxToValue = system_properties.getProperty("zookeeper.cnxTimeout")
        if cnxToValue is not None:
            self.cnxTO = int(cnxToValue)
        self.self = self_
        self.mySid = mySid
        self.socketTimeout = socketTimeout
        self.view = view
        self.listenOnAllIPs = listenOnAllIPs
        self.authServer = authServer
        self.authLearner = authLearner
        self.quorumSaslAuthEnabled = quorumSaslAuthEnabled
        self.observerCounter = -1
        self._observerCounterLock = threading.Lock()
        self.inprogressConnections: set[int] = set()
        self._inprogressLock = threading.Lock()
        self.connectionThreadCnt = 0
        self.threadCnt = 0
        self._cntLock = threading.Lock()
        self.shutdown = False
        self.tcpKeepAlive = system_properties.getBoolean("zookeeper.tcpKeepAlive")
        self.connectionExecutor = _ConnectionExecutor(mySid, quorumCnxnThreadsSize)
        self.listener = QuorumCnxManager.Listener(self)
        self.listener.name = "QuorumPeerListener"

    def __enter__(self) -> QuorumCnxManager:
        self._lock.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self._lock.release()

    def _addThreadCnt(self, delta: int) -> None:
        with self._cntLock:
            self.threadCnt += delta

    # -- opening connections ----------------------------------------------------------------------

    def testInitiateConnection(self, sid: int) -> None:
        LOG.debug("Opening channel to server %s", sid)
        self.initiateConnection(self.self.getVotingView()[sid].electionAddr, sid)

    def initiateConnection(self, electionAddr: MultipleAddresses, sid: int) -> None:
        """Dial ``sid`` (on this thread) and start the workers if the connection survives."""
        sock = None
        try:
            LOG.debug("Opening channel to server %s", sid)
            if self.self.isSslQuorum():
                raise OSError("TLS quorum connections are not supported by this server")
            target = electionAddr.getReachableOrOne()
            family = socket.AF_INET6 if target.getAddress() is not None and target.getAddress().isIPv6() \
                else socket.AF_INET
            sock = socket.socket(family, socket.SOCK_STREAM)
            self._setSockOpts(sock)
            sock.settimeout(self.cnxTO / 1000.0 if self.cnxTO > 0 else None)
            sock.connect((target[0], target.getPort()))
            sock.settimeout(self.socketTimeout / 1000.0 if self.socketTimeout > 0 else None)
            LOG.debug("Connected to server %s using election address: %s", sid, _remote_address(sock))
        except (OSError, StopIteration) as e:
            LOG.warning("Cannot open channel to %s at election address %s", sid, electionAddr, exc_info=e)
            self._closeSocket(sock)
            return
        try:
            self._startConnection(sock, sid)
        except OSError as e:
            LOG.error("Exception while connecting, id: %s, addr: %s, closing learner connection",
                      sid, _remote_address(sock), exc_info=e)
            self._closeSocket(sock)

    def initiateConnectionAsync(self, electionAddr: MultipleAddresses, sid: int) -> bool:
        with self._inprogressLock:
            if sid in self.inprogressConnections:
                LOG.debug("Connection request to server id: %s is already in progress, so skipping this request",
                          sid)
                return True
            self.inprogressConnections.add(sid)
        try:
            self.connectionExecutor.execute(lambda: self._quorumConnectionReq(electionAddr, sid))
            with self._cntLock:
                self.connectionThreadCnt += 1
        except Exception as e:
            with self._inprogressLock:
                self.inprogressConnections.discard(sid)
            LOG.error("Exception while submitting quorum connection request", exc_info=e)
            return False
        return True

    def _quorumConnectionReq(self, electionAddr: MultipleAddresses, sid: int) -> None:
        """The body of Java's QuorumConnectionReqThread."""
        try:
            self.initiateConnection(electionAddr, sid)
        finally:
            with self._inprogressLock:
                self.inprogressConnections.discard(sid)

    def _startConnection(self, sock: socket.socket, sid: int) -> bool:
        LOG.debug("startConnection (myId:%s --> sid:%s)", self.self.getMyId(), sid)
        try:
            protocolVersion = (self.PROTOCOL_VERSION_V2 if self.self.isMultiAddressEnabled()
                               else self.PROTOCOL_VERSION_V1)
            if protocolVersion == self.PROTOCOL_VERSION_V2:
                addressesToSend = self.self.getElectionAddress().getAllAddresses()
            else:
                addressesToSend = [self.self.getElectionAddress().getOne()]
            addr_bytes = "|".join(formatInetAddr(a) for a in addressesToSend).encode("utf-8")
            sock.sendall(_HEADER.pack(protocolVersion, self.self.getMyId(), len(addr_bytes)) + addr_bytes)
            din = sock.makefile("rb")
        except OSError as e:
            LOG.warning("Ignoring exception reading or writing challenge: ", exc_info=e)
            self._closeSocket(sock)
            return False

        qps = self.self.getView().get(sid)
        if qps is not None:
            self.authLearner.authenticate(sock, qps.hostname)

        if sid > self.self.getMyId():
            LOG.info("Have smaller server identifier, so dropping the connection: (myId:%s --> sid:%s)",
                     self.self.getMyId(), sid)
            din.close()
            self._closeSocket(sock)
            return False
        LOG.debug("Have larger server identifier, so keeping the connection: (myId:%s --> sid:%s)",
                  self.self.getMyId(), sid)
        self._startWorkers(sock, din, sid)
        return True

    def _startWorkers(self, sock: socket.socket, din, sid: int) -> None:
        sw = QuorumCnxManager.SendWorker(self, sock, sid)
        rw = QuorumCnxManager.RecvWorker(self, sock, din, sid, sw)
        sw.setRecv(rw)
        vsw = self.senderWorkerMap.get(sid)
        if vsw is not None:
            vsw.finish()
        self.senderWorkerMap[sid] = sw
        self.queueSendMap.setdefault(sid, CircularBlockingQueue(self.SEND_CAPACITY))
        sw.start()
        rw.start()

    # -- accepting connections ----------------------------------------------------------------------

    def receiveConnection(self, sock: socket.socket) -> None:
        din = None
        try:
            din = sock.makefile("rb")
            LOG.debug("Sync handling of connection request received from: %s", _remote_address(sock))
            self._handleConnection(sock, din)
        except (OSError, EOFError) as e:
            LOG.error("Exception handling connection, addr: %s, closing server connection", _remote_address(sock))
            LOG.debug("Exception details: ", exc_info=e)
            if din is not None:
                din.close()
            self._closeSocket(sock)

    def receiveConnectionAsync(self, sock: socket.socket) -> None:
        try:
            LOG.debug("Async handling of connection request received from: %s", _remote_address(sock))
            self.connectionExecutor.execute(lambda: self.receiveConnection(sock))
            with self._cntLock:
                self.connectionThreadCnt += 1
        except Exception as e:
            LOG.error("Exception handling connection, addr: %s, closing server connection", _remote_address(sock))
            LOG.debug("Exception details: ", exc_info=e)
            self._closeSocket(sock)

    def _handleConnection(self, sock: socket.socket, din) -> None:
        from pyzookeeper.server.quorum.QuorumPeer import QuorumPeer

        electionAddr = None
        try:
            protocolVersion = _read_long(din)
            if protocolVersion >= 0:
                sid = protocolVersion
            else:
                try:
                    init = InitialMessage.parse(protocolVersion, din)
                    sid = init.sid
                    if init.electionAddr:
                        electionAddr = MultipleAddresses(
                            init.electionAddr,
                            timedelta(milliseconds=self.self.getMultiAddressReachabilityCheckTimeoutMs()))
                    LOG.debug("Initial message parsed by %s: %s", self.self.getMyId(), init)
                except InitialMessageException as ex:
                    LOG.error("Initial message parsing error!", exc_info=ex)
                    din.close()
                    self._closeSocket(sock)
                    return
            if sid == QuorumPeer.OBSERVER_ID:
                with self._observerCounterLock:
                    sid = self.observerCounter
                    self.observerCounter -= 1
                LOG.info("Setting arbitrary identifier to observer: %s", sid)
        except (OSError, EOFError) as e:
            LOG.warning("Exception reading or writing challenge", exc_info=e)
            din.close()
            self._closeSocket(sock)
            return

        self.authServer.authenticate(sock, din)
        if sid < self.self.getMyId():
            sw = self.senderWorkerMap.get(sid)
            if sw is not None:
                sw.finish()
            LOG.debug("Create new connection to server: %s", sid)
            din.close()
            self._closeSocket(sock)
            if electionAddr is not None:
                self.connectOne(sid, electionAddr)
            else:
                self.connectOne(sid)
        elif sid == self.self.getMyId():
            LOG.warning("We got a connection request from a server with our own ID. "
                        "This should be either a configuration error, or a bug.")
            din.close()
            self._closeSocket(sock)
        else:
            self._startWorkers(sock, din, sid)

    # -- sending --------------------------------------------------------------------------------------

    def toSend(self, sid: int, b: bytes) -> None:
        """Queue ``b`` for ``sid`` (dialling it if needed); a message to myself is looped back."""
        if self.mySid == sid:
            self.addToRecvQueue(Message(b, sid))
        else:
            bq = self.queueSendMap.get(sid)
            if bq is None:
                bq = self.queueSendMap.setdefault(sid, CircularBlockingQueue(self.SEND_CAPACITY))
            self._addToSendQueue(bq, b)
            self.connectOne(sid)

    def connectOne(self, sid: int, electionAddr: MultipleAddresses | None = None):
        """Make sure a connection to ``sid`` exists or is being opened (at
        ``electionAddr``, or at the address of the committed or proposed view)."""
        with self._lock:
            if electionAddr is not None:
                return self._connectOneAt(sid, electionAddr)
            sw = self.senderWorkerMap.get(sid)
            if sw is not None:
                LOG.debug("There is a connection already for server %s", sid)
                if self.self.isMultiAddressEnabled() and self.self.isMultiAddressReachabilityCheckEnabled():
                    sw.asyncValidateIfSocketIsStillReachable()
                return None
            with self.self.QV_LOCK:
                knownId = False
                self.self.recreateSocketAddresses(sid)
                lastCommittedView = self.self.getView()
                lastSeenQV = self.self.getLastSeenQuorumVerifier()
                lastProposedView = lastSeenQV.getAllMembers() if lastSeenQV is not None else {}
                if sid in lastCommittedView:
                    knownId = True
                    LOG.debug("Server %s knows %s already, it is in the lastCommittedView", self.self.getMyId(), sid)
                    if self._connectOneAt(sid, lastCommittedView[sid].electionAddr):
                        return None
                if (lastSeenQV is not None and sid in lastProposedView
                        and (not knownId
                             or lastProposedView[sid].electionAddr != lastCommittedView[sid].electionAddr)):
                    knownId = True
                    LOG.debug("Server %s knows %s already, it is in the lastProposedView", self.self.getMyId(), sid)
                    if self._connectOneAt(sid, lastProposedView[sid].electionAddr):
                        return None
                if not knownId:
                    LOG.warning("Invalid server id: %s ", sid)
            return None

    def _connectOneAt(self, sid: int, electionAddr: MultipleAddresses) -> bool:
        sw = self.senderWorkerMap.get(sid)
        if sw is not None:
            LOG.debug("There is a connection already for server %s", sid)
            if (self.self.isMultiAddressEnabled() and electionAddr.size() > 1
                    and self.self.isMultiAddressReachabilityCheckEnabled()):
                sw.asyncValidateIfSocketIsStillReachable()
            return True
        return self.initiateConnectionAsync(electionAddr, sid)

    def connectAll(self) -> None:
        for sid in list(self.queueSendMap):
            self.connectOne(sid)

    def haveDelivered(self) -> bool:
        """True when some peer's send queue is empty (Java's test, kept as is)."""
        for q in list(self.queueSendMap.values()):
            queueSize = q.size()
            LOG.debug("Queue size: %s", queueSize)
            if queueSize == 0:
                return True
        return False

    # -- shutting down --------------------------------------------------------------------------------

    def halt(self) -> None:
        self.shutdown = True
        LOG.debug("Halting listener")
        self.listener.halt()
        if self.listener.is_alive() and self.listener is not threading.current_thread():
            self.listener.join()
        self.softHalt()
        self.connectionExecutor.shutdown()
        with self._inprogressLock:
            self.inprogressConnections.clear()
        self._resetConnectionThreadCount()

    def softHalt(self) -> None:
        for sw in list(self.senderWorkerMap.values()):
            LOG.debug("Server %s is soft-halting sender towards: %s", self.self.getMyId(), sw)
            sw.finish()

    def _setSockOpts(self, sock: socket.socket) -> None:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1 if self.tcpKeepAlive else 0)
        sock.settimeout(self.socketTimeout / 1000.0 if self.socketTimeout > 0 else None)

    @staticmethod
    def _closeSocket(sock: socket.socket | None) -> None:
        if sock is None:
            return
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        try:
            sock.close()
        except OSError as ie:
            LOG.error("Exception while closing", exc_info=ie)

    def getThreadCount(self) -> int:
        return self.threadCnt

    def getConnectionThreadCount(self) -> int:
        return self.connectionThreadCnt

    def _resetConnectionThreadCount(self) -> None:
        with self._cntLock:
            self.connectionThreadCnt = 0

    # -- queues -----------------------------------------------------------------------------------------

    @staticmethod
    def _addToSendQueue(q: CircularBlockingQueue, buffer: bytes) -> None:
        if not q.offer(buffer):
            raise RuntimeError("Could not insert into receive queue")

    def addToRecvQueue(self, msg: Message) -> None:
        if not self.recvQueue.offer(msg):
            raise RuntimeError("Could not insert into receive queue")

    def pollRecvQueue(self, timeout_ms: float) -> Message | None:
        return self.recvQueue.poll(timeout_ms / 1000.0)

    def connectedToPeer(self, peerSid: int) -> bool:
        return self.senderWorkerMap.get(peerSid) is not None

    def isReconfigEnabled(self) -> bool:
        return self.self.isReconfigEnabled()

    # -- threads ------------------------------------------------------------------------------------------

    class Listener(ZooKeeperThread):
        """Accepts election connections on every election address (one ListenerHandler each)."""

        ELECTION_PORT_BIND_RETRY = "zookeeper.electionPortBindRetry"
        DEFAULT_PORT_BIND_MAX_RETRY = 3

        def __init__(self, manager: QuorumCnxManager) -> None:
            super().__init__("ListenerThread")
            self.manager = manager
            self.socketException = False
            self.listenerHandlers: list[QuorumCnxManager.Listener.ListenerHandler] | None = None
            self.socketBindErrorHandler = lambda: ServiceUtils.requestSystemExit(
                ExitCode.UNABLE_TO_BIND_QUORUM_PORT.getValue())
            maxRetry = system_properties.getInteger(self.ELECTION_PORT_BIND_RETRY, self.DEFAULT_PORT_BIND_MAX_RETRY)
            if maxRetry >= 0:
                LOG.info("Election port bind maximum retries is %s", "infinite" if maxRetry == 0 else maxRetry)
                self.portBindMaxRetry = maxRetry
            else:
                LOG.info("'%s' contains invalid value: %s(must be >= 0). Use default value of %s instead.",
                         self.ELECTION_PORT_BIND_RETRY, maxRetry, self.DEFAULT_PORT_BIND_MAX_RETRY)
                self.portBindMaxRetry = self.DEFAULT_PORT_BIND_MAX_RETRY

        def setSocketBindErrorHandler(self, errorHandler) -> None:
            self.socketBindErrorHandler = errorHandler

        def run(self) -> None:
            mgr = self.manager
            peer = mgr.self
            if not mgr.shutdown:
                LOG.debug("Listener thread started, myId: %s", peer.getMyId())
                if peer.getQuorumListenOnAllIPs():
                    addresses = list(peer.getElectionAddress().getWildcardAddresses())
                else:
                    addresses = peer.getElectionAddress().getAllAddresses()
                self.listenerHandlers = [
                    QuorumCnxManager.Listener.ListenerHandler(self, address, peer.shouldUsePortUnification(),
                                                              peer.isSslQuorum())
                    for address in addresses]
                threads = [threading.Thread(target=handler.run, name=f"ListenerHandler-{handler.address}",
                                            daemon=True) for handler in self.listenerHandlers]
                for t in threads:
                    t.start()
                try:
                    for t in threads:
                        t.join()
                finally:
                    for handler in self.listenerHandlers:
                        try:
                            handler.close()
                        except OSError as ie:
                            LOG.debug("Error closing server socket", exc_info=ie)

            LOG.info("Leaving listener")
            if not mgr.shutdown:
                LOG.error("As I'm leaving the listener thread, I won't be able to participate in leader election "
                          "any longer: %s",
                          "|".join(formatInetAddr(a) for a in peer.getElectionAddress().getAllAddresses()))
                if self.socketException:
                    self.socketBindErrorHandler()

        def halt(self) -> None:
            LOG.debug("Halt called: Trying to close listeners")
            if self.listenerHandlers is not None:
                LOG.debug("Closing listener: %s", self.manager.mySid)
                for handler in self.listenerHandlers:
                    try:
                        handler.close()
                    except OSError as e:
                        LOG.warning("Exception when shutting down listener: ", exc_info=e)

        class ListenerHandler:
            """Binds one election address and hands each accepted socket to the manager."""

            def __init__(self, listener: QuorumCnxManager.Listener, address: InetSocketAddress,
                         portUnification: bool, sslQuorum: bool) -> None:
                self.listener = listener
                self.address = address
                self.portUnification = portUnification
                self.sslQuorum = sslQuorum
                self.serverSocket: socket.socket | None = None
                self._lock = threading.Lock()

            def run(self) -> None:
                try:
                    self.acceptConnections()
                    try:
                        self.close()
                    except OSError as e:
                        LOG.warning("Exception when shutting down listener: ", exc_info=e)
                except Exception as e:
                    LOG.error("Unexpected error ", exc_info=e)

            def close(self) -> None:
                with self._lock:
                    if self.serverSocket is not None and self.serverSocket.fileno() != -1:
                        LOG.debug("Trying to close listeners: %s", self.serverSocket)
                        try:
                            self.serverSocket.shutdown(socket.SHUT_RDWR)
                        except OSError:
                            pass
                        self.serverSocket.close()

            def acceptConnections(self) -> None:
                mgr = self.listener.manager
                maxRetry = self.listener.portBindMaxRetry
                numRetries = 0
                client = None
                while not mgr.shutdown and (maxRetry == 0 or numRetries < maxRetry):
                    try:
                        self.serverSocket = self.createNewServerSocket()
                        LOG.info("%s is accepting connections now, my election bind port: %s",
                                 mgr.mySid, self.address.toString())
                        while not mgr.shutdown:
                            client, _ = self.serverSocket.accept()
                            mgr._setSockOpts(client)
                            LOG.info("Received connection request from %s", _remote_address(client))
                            if mgr.quorumSaslAuthEnabled:
                                mgr.receiveConnectionAsync(client)
                            else:
                                mgr.receiveConnection(client)
                            numRetries = 0
                    except OSError as e:
                        if mgr.shutdown:
                            break
                        LOG.error("Exception while listening to address %s", self.address, exc_info=e)
                        self.listener.socketException = True
                        numRetries += 1
                        try:
                            self.close()
                            time.sleep(1.0)
                        except OSError as ie:
                            LOG.error("Error closing server socket", exc_info=ie)
                        mgr._closeSocket(client)
                if not mgr.shutdown:
                    LOG.error("Leaving listener thread for address %s after %s errors. "
                              "Use %s property to increase retry count.",
                              formatInetAddr(self.address), numRetries,
                              QuorumCnxManager.Listener.ELECTION_PORT_BIND_RETRY)

            def createNewServerSocket(self) -> socket.socket:
                if self.portUnification or self.sslQuorum:
                    raise OSError("TLS quorum connections are not supported by this server")
                self.address = InetSocketAddress(self.address.getHostString(), self.address.getPort())
                host = self.address[0]
                family = socket.AF_INET6 if ":" in host else socket.AF_INET
                sock = socket.socket(family, socket.SOCK_STREAM)
                try:
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                    sock.bind((host, self.address.getPort()))
                    sock.listen(50)
                except OSError:
                    sock.close()
                    raise
                with self._lock:
                    if self.listener.manager.shutdown:
                        sock.close()
                        raise OSError("listener closed")
                    self.serverSocket = sock
                return sock

    class SendWorker(ZooKeeperThread):
        """Writes the frames queued for one peer (``SendWorker:<sid>``)."""

        def __init__(self, manager: QuorumCnxManager, sock: socket.socket, sid: int) -> None:
            super().__init__(f"SendWorker:{sid}")
            self.manager = manager
            self.sid = sid
            self.sock = sock
            self.recvWorker: QuorumCnxManager.RecvWorker | None = None
            self.running = True
            self._lock = threading.RLock()
            self.ongoingAsyncValidation = False
            LOG.debug("Address of remote peer: %s", self.sid)

        def setRecv(self, recvWorker: QuorumCnxManager.RecvWorker) -> None:
            with self._lock:
                self.recvWorker = recvWorker

        def getRecvWorker(self) -> QuorumCnxManager.RecvWorker | None:
            with self._lock:
                return self.recvWorker

        def finish(self) -> bool:
            with self._lock:
                LOG.debug("Calling SendWorker.finish for %s", self.sid)
                if not self.running:
                    return self.running
                self.running = False
                self.manager._closeSocket(self.sock)
                bq = self.manager.queueSendMap.get(self.sid)
                if bq is not None:
                    bq.wake_waiters()
                if self.recvWorker is not None:
                    self.recvWorker.finish()
                LOG.debug("Removing entry from senderWorkerMap sid=%s", self.sid)
                if self.manager.senderWorkerMap.get(self.sid) is self:
                    del self.manager.senderWorkerMap[self.sid]
                self.manager._addThreadCnt(-1)
                return self.running

        def send(self, b: bytes) -> None:
            with self._lock:
                self.sock.sendall(_INT.pack(len(b)) + b)

        def run(self) -> None:
            mgr = self.manager
            mgr._addThreadCnt(1)
            try:
                bq = mgr.queueSendMap.get(self.sid)
                if bq is None or bq.isEmpty():
                    b = mgr.lastMessageSent.get(self.sid)
                    if b is not None:
                        LOG.debug("Attempting to send lastMessage to sid=%s", self.sid)
                        self.send(b)
            except OSError as e:
                LOG.error("Failed to send last message. Shutting down thread.", exc_info=e)
                self.finish()
            LOG.debug("SendWorker thread started towards %s. myId: %s", self.sid, mgr.mySid)
            try:
                while self.running and not mgr.shutdown and self.sock is not None:
                    bq = mgr.queueSendMap.get(self.sid)
                    if bq is None:
                        LOG.error("No queue of incoming messages for server %s", self.sid)
                        break
                    b = bq.poll(1.0)
                    if b is not None:
                        mgr.lastMessageSent[self.sid] = b
                        self.send(b)
            except Exception as e:
                LOG.warning("Exception when using channel: for id %s my id = %s", self.sid, mgr.mySid, exc_info=e)
            self.finish()
            LOG.warning("Send worker leaving thread id %s my id = %s", self.sid, mgr.self.getMyId())

        def asyncValidateIfSocketIsStillReachable(self) -> None:
            with self._lock:
                if self.ongoingAsyncValidation:
                    LOG.debug("validation of destination address for sid %s is skipped (it is already running)",
                              self.sid)
                    return
                self.ongoingAsyncValidation = True
            threading.Thread(target=self._validate, daemon=True).start()

        def _validate(self) -> None:
            LOG.debug("validate if destination address is reachable for sid %s", self.sid)
            try:
                host = self.sock.getpeername()[0]
            except OSError:
                host = None
            if host is not None and _is_reachable(host, 0.5):
                LOG.debug("destination address %s is reachable for sid %s", "/" + host, self.sid)
                with self._lock:
                    self.ongoingAsyncValidation = False
                return
            LOG.warning("destination address %s not reachable anymore, shutting down the SendWorker for sid %s",
                        "null" if host is None else "/" + host, self.sid)
            self.finish()

    class RecvWorker(ZooKeeperThread):
        """Reads frames from one peer into the receive queue (``RecvWorker:<sid>``)."""

        def __init__(self, manager: QuorumCnxManager, sock: socket.socket, din, sid: int,
                     sw: QuorumCnxManager.SendWorker) -> None:
            super().__init__(f"RecvWorker:{sid}")
            self.manager = manager
            self.sid = sid
            self.sock = sock
            self.sw = sw
            self.din = din
            self.running = True
            self._lock = threading.Lock()
            try:
                sock.settimeout(None)
            except OSError as e:
                LOG.error("Error while accessing socket for %s", sid, exc_info=e)
                manager._closeSocket(sock)
                self.running = False

        def finish(self) -> bool:
            with self._lock:
                LOG.debug("RecvWorker.finish called. sid: %s. myId: %s", self.sid, self.manager.mySid)
                if not self.running:
                    return self.running
                self.running = False
                self.manager._addThreadCnt(-1)
                return self.running

        def run(self) -> None:
            mgr = self.manager
            mgr._addThreadCnt(1)
            try:
                LOG.debug("RecvWorker thread towards %s started. myId: %s", self.sid, mgr.mySid)
                while self.running and not mgr.shutdown and self.sock is not None:
                    length = _read_int(self.din)
                    if length <= 0 or length > QuorumCnxManager.PACKETMAXSIZE:
                        raise OSError(f"Received packet with invalid packet: {length}")
                    msgArray = _read_fully(self.din, length)
                    mgr.addToRecvQueue(Message(msgArray, self.sid))
            except Exception as e:
                LOG.warning("Connection broken for id %s, my id = %s", self.sid, mgr.mySid, exc_info=e)
            finally:
                LOG.warning("Interrupting SendWorker thread from RecvWorker. sid: %s. myId: %s", self.sid, mgr.mySid)
                self.sw.finish()
                try:
                    self.din.close()
                except OSError:
                    pass
                mgr._closeSocket(self.sock)


def _is_reachable(host: str, timeout: float) -> bool:
    """``InetAddress.isReachable`` without raw sockets: a TCP probe of the echo port."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.settimeout(timeout)
        try:
            s.connect((host, _ECHO_PORT))
            return True
        except ConnectionRefusedError:
            return True
        except OSError:
            return False
