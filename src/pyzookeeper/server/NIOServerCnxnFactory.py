"""Mirrors org.apache.zookeeper.server.NIOServerCnxnFactory: the client port
served by non-blocking sockets and ``selectors``.

Threads, as in Java: one accept thread; 1..N selector threads, each selecting on
its share of the connections; a pool of worker threads that read requests (none:
the selector threads read); one thread expiring idle connections.

Deliberate differences: a selector thread writes queued replies itself, at
once when they are queued and again whenever the socket turns writable, rather
than handing each write to a worker; writes are always gathered
(``zookeeper.nio.directBufferBytes`` is ignored); the ready keys of a selection
are served in the order the selector returns them (Java shuffles them).
"""

from __future__ import annotations

import collections
import itertools
import logging
import math
import os
import selectors
import socket
import threading

from pyzookeeper import system_properties
from pyzookeeper.common.inet_address import InetAddress, InetSocketAddress
from pyzookeeper.server.ExpiryQueue import ExpiryQueue
from pyzookeeper.server.NIOServerCnxn import NIOServerCnxn, SelectionKey
from pyzookeeper.server.RateLogger import RateLogger
from pyzookeeper.server.ServerCnxn import ServerCnxn
from pyzookeeper.server.ServerCnxnFactory import ServerCnxnFactory
from pyzookeeper.server.ServerMetrics import ServerMetrics
from pyzookeeper.server.WorkerService import WorkerService
from pyzookeeper.server.ZooKeeperThread import ZooKeeperThread

LOG = logging.getLogger(__name__)

_EVENT_READ = selectors.EVENT_READ
_EVENT_WRITE = selectors.EVENT_WRITE
_OP_READ = SelectionKey.OP_READ
_OP_WRITE = SelectionKey.OP_WRITE
# selector data of the wake-up socket and of the listen socket
_WAKEUP = object()
_ACCEPT = object()
_MISSING = object()
# java.net.ServerSocket's backlog when none is given
_DEFAULT_BACKLOG = 50


def _events(ops: int) -> int:
    return (_EVENT_READ if ops & _OP_READ else 0) | (_EVENT_WRITE if ops & _OP_WRITE else 0)


def _message(e: OSError) -> str:
    """What Java's ``getMessage()`` would say for the error."""
    return e.strerror if e.strerror else str(e)


def _availableProcessors() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


class NIOServerCnxnFactory(ServerCnxnFactory):
    ZOOKEEPER_NIO_SESSIONLESS_CNXN_TIMEOUT = "zookeeper.nio.sessionlessCnxnTimeout"
    ZOOKEEPER_NIO_NUM_SELECTOR_THREADS = "zookeeper.nio.numSelectorThreads"
    ZOOKEEPER_NIO_NUM_WORKER_THREADS = "zookeeper.nio.numWorkerThreads"
    ZOOKEEPER_NIO_DIRECT_BUFFER_BYTES = "zookeeper.nio.directBufferBytes"
    ZOOKEEPER_NIO_SHUTDOWN_TIMEOUT = "zookeeper.nio.shutdownTimeout"

    class AbstractSelectThread(ZooKeeperThread):
        """What the accept and selector threads share: a selector, and a socket pair
        that wakes it up."""

        def __init__(self, name: str, factory: "NIOServerCnxnFactory") -> None:
            super().__init__(name)
            self.factory = factory
            self.selector = selectors.DefaultSelector()
            self._wakeupReader, self._wakeupWriter = socket.socketpair()
            self._wakeupReader.setblocking(False)
            self._wakeupWriter.setblocking(False)
            self.selector.register(self._wakeupReader, _EVENT_READ, _WAKEUP)
            self._wakeupPending = False
            self._selectorClosed = False

        def wakeupSelector(self) -> None:
            if not self._wakeupPending:
                self._wakeupPending = True
                try:
                    self._wakeupWriter.send(b"\0")
                except OSError:
                    pass

        def drainWakeup(self) -> None:
            # Cleared after draining, so the byte of a wake-up asked for from now on
            # stays to be read; work queued before is handled after this returns.
            try:
                while self._wakeupReader.recv(4096):
                    pass
            except OSError:
                pass
            self._wakeupPending = False

        def closeSelector(self) -> None:
            """Closes the selector; the thread does no selecting after this."""
            if self._selectorClosed:
                return
            self._selectorClosed = True
            try:
                self.selector.close()
            except OSError as e:
                LOG.warning("ignored exception during selector close.", exc_info=e)
            self._wakeupReader.close()
            self._wakeupWriter.close()

        def cleanupSelectionKey(self, key: SelectionKey | None) -> None:
            if key is not None:
                try:
                    key.cancel()
                except Exception as ex:
                    LOG.debug("ignoring exception during selectionkey cancel", exc_info=ex)

        def fastCloseSock(self, sc: socket.socket | None) -> None:
            if sc is not None:
                try:
                    # hard close at once, discarding buffers
                    sc.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                except OSError as e:
                    LOG.warning("Unable to set socket linger to 0, socket close may stall in CLOSE_WAIT",
                                exc_info=e)
                NIOServerCnxn.closeSocket(sc)

    class AcceptThread(AbstractSelectThread):
        """Accepts connections and hands them round-robin to the selector threads,
        enforcing the per-IP limit; pauses briefly when accepting fails (e.g. out
        of file descriptors)."""

        def __init__(self, factory: "NIOServerCnxnFactory", ss: socket.socket, addr: InetSocketAddress,
                     selectorThreads: list) -> None:
            super().__init__(f"NIOServerCxnFactory.AcceptThread:{addr}", factory)
            self.acceptSocket = ss
            self.selector.register(ss, _EVENT_READ, _ACCEPT)
            self.acceptErrorLogger = RateLogger(LOG)
            self.selectorThreads = tuple(selectorThreads)
            self.selectorIterator = itertools.cycle(self.selectorThreads)
            self.reconfiguring = False

        def run(self) -> None:
            try:
                while not self.factory.stopped and self.acceptSocket.fileno() >= 0:
                    try:
                        self.select()
                    except Exception as e:
                        LOG.warning("Ignoring unexpected exception", exc_info=e)
            finally:
                self.closeSelector()
                # wakes the selector threads and starts the worker pool's shutdown
                if not self.reconfiguring:
                    self.factory.stop()
                LOG.info("accept thread exitted run method")

        def setReconfiguring(self) -> None:
            self.reconfiguring = True

        def select(self) -> None:
            try:
                for key, _ in self.selector.select():
                    if self.factory.stopped:
                        break
                    if key.data is _WAKEUP:
                        self.drainWakeup()
                    elif not self.doAccept():
                        # give descriptors time to free up instead of spinning
                        self.pauseAccept(10)
            except OSError as e:
                LOG.warning("Ignoring IOException while selecting", exc_info=e)

        def pauseAccept(self, millisecs: int) -> None:
            """Stops watching the listen socket for ``millisecs``, or until woken up."""
            self.selector.unregister(self.acceptSocket)
            try:
                for key, _ in self.selector.select(millisecs / 1000.0):
                    if key.data is _WAKEUP:
                        self.drainWakeup()
            except OSError:
                pass
            finally:
                if self.acceptSocket.fileno() >= 0:
                    self.selector.register(self.acceptSocket, _EVENT_READ, _ACCEPT)

        def doAccept(self) -> bool:
            """Accepts one connection; False when none could be taken off the accept
            queue. A refused connection is closed hard."""
            factory = self.factory
            accepted = False
            sc = None
            try:
                try:
                    sc, remote = self.acceptSocket.accept()
                except BlockingIOError:
                    return True
                accepted = True
                if factory.limitTotalNumberOfCnxns():
                    raise OSError(f"Too many connections max allowed is {factory.maxCnxns}")
                ia = InetAddress.getByName(remote[0])
                cnxncount = factory.getClientCnxnCount(ia)
                if 0 < factory.maxClientCnxns <= cnxncount:
                    raise OSError(f"Too many connections from {ia} - max is {factory.maxClientCnxns}")
                if LOG.isEnabledFor(logging.DEBUG):
                    LOG.debug("Accepted socket connection from %s", InetSocketAddress(ia, remote[1]))
                sc.setblocking(False)
                selectorThread = next(self.selectorIterator)
                if not selectorThread.addAcceptedConnection(sc):
                    raise OSError("Unable to add connection to selector queue"
                                  + (" (shutdown in progress)" if factory.stopped else ""))
                self.acceptErrorLogger.flush()
            except OSError as e:
                ServerMetrics.getMetrics().CONNECTION_REJECTED.add(1)
                self.acceptErrorLogger.rateLimitLog("Error accepting new connection: " + _message(e))
                self.fastCloseSock(sc)
            return accepted

    class SelectorThread(AbstractSelectThread):
        """Selects on its share of the connections: hands readable ones to the
        worker pool, writes queued replies, registers accepted connections and
        applies interest changes. It is the only thread that touches its selector."""

        def __init__(self, factory: "NIOServerCnxnFactory", id: int) -> None:
            super().__init__(f"NIOServerCxnFactory.SelectorThread-{id}", factory)
            self.id = id
            self.acceptedQueue: collections.deque = collections.deque()
            self.updateQueue: collections.deque = collections.deque()
            self.cancelledQueue: collections.deque = collections.deque()
            self.keys: set[SelectionKey] = set()

        def addAcceptedConnection(self, accepted: socket.socket) -> bool:
            """Queues a new connection for this thread to register."""
            if self.factory.stopped:
                return False
            self.acceptedQueue.append(accepted)
            self.wakeupSelector()
            return True

        def addInterestOpsUpdateRequest(self, sk: SelectionKey) -> bool:
            """Asks this thread to bring the key's interest ops up to date (and to
            write what is queued). A key waiting in the queue is not queued twice."""
            if self.factory.stopped:
                return False
            if not sk.updatePending:
                sk.updatePending = True
                self.updateQueue.append(sk)
                self.wakeupSelector()
            return True

        def addCancelledKey(self, sk: SelectionKey) -> None:
            if threading.current_thread() is self:
                self.forgetKey(sk)
            else:
                self.cancelledQueue.append(sk)
                self.wakeupSelector()

        def run(self) -> None:
            factory = self.factory
            try:
                while not factory.stopped:
                    try:
                        self.select()
                        self.processCancelledKeys()
                        self.processAcceptedConnections()
                        self.processInterestOpsUpdateRequests()
                    except Exception as e:
                        LOG.warning("Ignoring unexpected exception", exc_info=e)
                # close the connections waiting on this selector; those being worked on drain out
                for key in list(self.keys):
                    cnxn = key.attachment
                    if cnxn is not None and cnxn.isSelectable():
                        cnxn.close(ServerCnxn.DisconnectReason.SERVER_SHUTDOWN)
                    self.cleanupSelectionKey(key)
                while self.acceptedQueue:
                    self.fastCloseSock(self.acceptedQueue.popleft())
                self.updateQueue.clear()
            finally:
                self.closeSelector()
                # wakes the accept thread and the other selector threads, stops the worker pool
                factory.stop()
                LOG.info("selector thread exitted run method")

        def select(self) -> None:
            factory = self.factory
            try:
                ready = self.selector.select()
            except OSError as e:
                LOG.warning("Ignoring IOException while selecting", exc_info=e)
                return
            for key, events in ready:
                if factory.stopped:
                    break
                sk = key.data
                if sk is _WAKEUP:
                    self.drainWakeup()
                    continue
                if not sk.valid:
                    self.forgetKey(sk)
                    continue
                sk.readyOps = (_OP_READ if events & _EVENT_READ else 0) | (_OP_WRITE if events & _EVENT_WRITE else 0)
                if sk.readyOps & _OP_READ:
                    self.handleIO(sk)
                elif sk.readyOps:
                    self.handleWrite(sk)

        def handleIO(self, key: SelectionKey) -> None:
            """Hands the connection to a worker, not selecting it meanwhile."""
            cnxn = key.attachment
            cnxn.disableSelectable()
            self.setInterestOps(key, 0)
            self.factory.touchCnxn(cnxn)
            self.factory.workerPool.schedule(NIOServerCnxnFactory.IOWorkRequest(self, key))

        def handleWrite(self, key: SelectionKey) -> None:
            """Writes the connection's queued packets from this thread (a failure
            closes the connection, as a failed work request does)."""
            cnxn = key.attachment
            key.readyOps = _OP_WRITE
            try:
                cnxn.doIO(key)
            except Exception as e:
                LOG.warning("Unexpected exception", exc_info=e)
                cnxn.close(ServerCnxn.DisconnectReason.CLEAN_UP)
                return
            if self.factory.stopped:
                cnxn.close(ServerCnxn.DisconnectReason.SERVER_SHUTDOWN)
                return
            if not key.valid:
                self.forgetKey(key)
                return
            self.factory.touchCnxn(cnxn)
            self.setInterestOps(key, cnxn.getInterestOps())

        def processCancelledKeys(self) -> None:
            queue = self.cancelledQueue
            while queue:
                self.forgetKey(queue.popleft())

        def processAcceptedConnections(self) -> None:
            """Registers the connections the accept thread queued for this thread."""
            factory = self.factory
            queue = self.acceptedQueue
            while not factory.stopped and queue:
                accepted = queue.popleft()
                key = None
                try:
                    key = SelectionKey(self, accepted)
                    cnxn = factory.createConnection(accepted, key, self)
                    key.attach(cnxn)
                    self.keys.add(key)
                    self.setInterestOps(key, _OP_READ)
                    factory.addCnxn(cnxn)
                except OSError:
                    self.cleanupSelectionKey(key)
                    self.fastCloseSock(accepted)

        def processInterestOpsUpdateRequests(self) -> None:
            """Restores selection of connections that are done with a worker or have
            new packets queued; writes those packets now rather than after another
            selection, and hands frames left over from a throttled read to a worker."""
            factory = self.factory
            queue = self.updateQueue
            while queue and not factory.stopped:
                key = queue.popleft()
                key.updatePending = False
                if not key.valid:
                    self.forgetKey(key)
                    continue
                cnxn = key.attachment
                if cnxn.isSelectable():
                    if cnxn.outgoingBuffers:
                        self.handleWrite(key)
                        if not key.valid:
                            continue
                    if not cnxn.throttled and cnxn.hasPendingRequest():
                        key.readyOps = 0
                        self.handleIO(key)
                    else:
                        self.setInterestOps(key, cnxn.getInterestOps())

        def setInterestOps(self, key: SelectionKey, ops: int) -> None:
            """Makes the selector watch ``ops`` of the key's socket (nothing for 0)."""
            if ops == key.registeredOps:
                return
            if ops == 0:
                self.deselect(key)
                return
            cnxn = key.attachment
            selector = self.selector
            with cnxn.sockLock:
                if not cnxn.isSocketOpen():
                    return
                if key.registeredOps:
                    selector.modify(key.fd, _events(ops), key)
                else:
                    try:
                        selector.register(key.fd, _events(ops), key)
                    except KeyError:
                        # the descriptor was reused before the cancel of its old key was processed
                        stale = selector.unregister(key.fd).data
                        stale.registeredOps = 0
                        selector.register(key.fd, _events(ops), key)
            key.registeredOps = ops

        def deselect(self, key: SelectionKey) -> None:
            if key.registeredOps:
                key.registeredOps = 0
                selector = self.selector
                try:
                    current = selector.get_key(key.fd)
                except (KeyError, ValueError, RuntimeError):
                    return
                if current.data is key:
                    selector.unregister(key.fd)

        def forgetKey(self, key: SelectionKey) -> None:
            """Drops a cancelled key from this selector."""
            if not self._selectorClosed:
                self.deselect(key)
            self.keys.discard(key)

    class IOWorkRequest(WorkerService.WorkRequest):
        """Runs a connection's I/O on a worker thread, then gives it back to its
        selector thread."""

        __slots__ = ("selectorThread", "key", "cnxn")

        def __init__(self, selectorThread: "NIOServerCnxnFactory.SelectorThread", key: SelectionKey) -> None:
            self.selectorThread = selectorThread
            self.key = key
            self.cnxn = key.attachment

        def doWork(self) -> None:
            key = self.key
            if not key.valid:
                self.selectorThread.cleanupSelectionKey(key)
                return
            cnxn = self.cnxn
            factory = self.selectorThread.factory
            cnxn.doIO(key)
            if factory.stopped:
                cnxn.close(ServerCnxn.DisconnectReason.SERVER_SHUTDOWN)
                return
            if not key.valid:
                self.selectorThread.cleanupSelectionKey(key)
                return
            factory.touchCnxn(cnxn)
            cnxn.enableSelectable()
            if not self.selectorThread.addInterestOpsUpdateRequest(key):
                cnxn.close(ServerCnxn.DisconnectReason.CONNECTION_MODE_CHANGED)

        def cleanup(self) -> None:
            self.cnxn.close(ServerCnxn.DisconnectReason.CLEAN_UP)

    class ConnectionExpirerThread(ZooKeeperThread):
        """Closes connections idle past their timeout, in particular those on
        which no session was ever established."""

        def __init__(self, factory: "NIOServerCnxnFactory") -> None:
            super().__init__("ConnnectionExpirer")
            self.factory = factory
            self._interrupted = threading.Event()

        def interrupt(self) -> None:
            self._interrupted.set()

        def run(self) -> None:
            factory = self.factory
            queue = factory.cnxnExpiryQueue
            while not factory.stopped:
                waitTime = queue.getWaitTime()
                if waitTime > 0:
                    if self._interrupted.wait(waitTime / 1000.0):
                        LOG.info("ConnnectionExpirerThread interrupted")
                        return
                    continue
                for conn in queue.poll():
                    ServerMetrics.getMetrics().SESSIONLESS_CONNECTIONS_EXPIRED.add(1)
                    conn.close(ServerCnxn.DisconnectReason.CONNECTION_EXPIRED)

    def __init__(self) -> None:
        super().__init__()
        self.ss: socket.socket | None = None
        # connections per client address, for maxClientCnxns
        self.ipMap: dict[InetAddress, set[NIOServerCnxn]] = {}
        self.maxClientCnxns = 60
        self.listenBacklog = -1
        self.sessionlessCnxnTimeout = 10000
        self.cnxnExpiryQueue: ExpiryQueue | None = None
        self.workerPool: WorkerService | None = None
        self.numSelectorThreads = 1
        self.numWorkerThreads = 0
        self.workerShutdownTimeoutMS = 5000
        self.stopped = True
        self.expirerThread: NIOServerCnxnFactory.ConnectionExpirerThread | None = None
        self.acceptThread: NIOServerCnxnFactory.AcceptThread | None = None
        self.selectorThreads: list[NIOServerCnxnFactory.SelectorThread] = []

    def configure(self, addr: InetSocketAddress | tuple, maxcc: int, backlog: int = -1,
                  secure: bool = False) -> None:
        if secure:
            raise NotImplementedError("SSL isn't supported in NIOServerCnxn")
        self.configureSaslLogin()
        self.maxClientCnxns = maxcc
        self.initMaxCnxns()
        getInteger = system_properties.getInteger
        self.sessionlessCnxnTimeout = getInteger(NIOServerCnxnFactory.ZOOKEEPER_NIO_SESSIONLESS_CNXN_TIMEOUT, 10000)
        # the expiry interval must not exceed the timeout; the same value serves for both
        self.cnxnExpiryQueue = ExpiryQueue(self.sessionlessCnxnTimeout)
        self.expirerThread = NIOServerCnxnFactory.ConnectionExpirerThread(self)
        numCores = _availableProcessors()
        self.numSelectorThreads = getInteger(NIOServerCnxnFactory.ZOOKEEPER_NIO_NUM_SELECTOR_THREADS,
                                             max(int(math.sqrt(numCores / 2)), 1))
        if self.numSelectorThreads < 1:
            raise OSError("numSelectorThreads must be at least 1")
        self.numWorkerThreads = getInteger(NIOServerCnxnFactory.ZOOKEEPER_NIO_NUM_WORKER_THREADS, 2 * numCores)
        self.workerShutdownTimeoutMS = system_properties.getLong(
            NIOServerCnxnFactory.ZOOKEEPER_NIO_SHUTDOWN_TIMEOUT, 5000)
        LOG.info("Configuring NIO connection handler with %ss sessionless connection timeout, "
                 "%s selector thread(s), %s worker threads, and gathered writes.",
                 int(self.sessionlessCnxnTimeout / 1000), self.numSelectorThreads,
                 self.numWorkerThreads if self.numWorkerThreads > 0 else "no")
        for i in range(self.numSelectorThreads):
            self.selectorThreads.append(NIOServerCnxnFactory.SelectorThread(self, i))
        self.listenBacklog = backlog
        addr = self._socketAddress(addr)
        self.ss = self._bind(addr, backlog)
        self.acceptThread = NIOServerCnxnFactory.AcceptThread(self, self.ss, addr, self.selectorThreads)

    @staticmethod
    def _socketAddress(addr: InetSocketAddress | tuple) -> InetSocketAddress:
        if isinstance(addr, InetSocketAddress):
            return addr
        host, port = addr[0], addr[1]
        return InetSocketAddress(port) if host in ("", None) else InetSocketAddress(host, port)

    @staticmethod
    def _bind(addr: InetSocketAddress, backlog: int) -> socket.socket:
        """A listening socket on ``addr``; the wildcard address takes IPv4 and IPv6
        clients alike when the host can, as Java's does."""
        LOG.info("binding to port %s", addr)
        address = addr.getAddress()
        if address is None:
            raise OSError(f"Unresolved address: {addr.getHostString()}")
        if address.isAnyLocalAddress() and socket.has_dualstack_ipv6():
            ss = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
            host = "::"
            try:
                ss.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
            except OSError:
                ss.close()
                raise
        else:
            ss = socket.socket(socket.AF_INET6 if address.isIPv6() else socket.AF_INET, socket.SOCK_STREAM)
            host = address.socket_host()
        try:
            ss.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            ss.bind((host, addr.getPort()))
            ss.listen(backlog if backlog > 0 else _DEFAULT_BACKLOG)
            ss.setblocking(False)
        except OSError:
            ss.close()
            raise
        return ss

    def tryClose(self, s: socket.socket) -> None:
        try:
            s.close()
        except OSError as sse:
            LOG.error("Error while closing server socket.", exc_info=sse)

    def reconfigure(self, addr: InetSocketAddress | tuple) -> None:
        oldSS = self.ss
        addr = self._socketAddress(addr)
        try:
            self.acceptThread.setReconfiguring()
            self.tryClose(oldSS)
            self.acceptThread.wakeupSelector()
            self.acceptThread.join()
            self.ss = self._bind(addr, -1)
            self.acceptThread = NIOServerCnxnFactory.AcceptThread(self, self.ss, addr, self.selectorThreads)
            self.acceptThread.start()
        except OSError as e:
            LOG.error("Error reconfiguring client port to %s", addr, exc_info=e)
            self.tryClose(oldSS)

    def getMaxClientCnxnsPerHost(self) -> int:
        return self.maxClientCnxns

    def setMaxClientCnxnsPerHost(self, max: int) -> None:
        self.maxClientCnxns = max

    def getSocketListenBacklog(self) -> int:
        return self.listenBacklog

    def start(self) -> None:
        self.stopped = False
        if self.workerPool is None:
            self.workerPool = WorkerService("NIOWorker", self.numWorkerThreads, False)
        for thread in self.selectorThreads:
            if thread.ident is None:
                thread.start()
        # each thread starts once only
        if self.acceptThread.ident is None:
            self.acceptThread.start()
        if self.expirerThread.ident is None:
            self.expirerThread.start()

    def startup(self, zks, startServer: bool = True) -> None:
        self.start()
        self.setZooKeeperServer(zks)
        if startServer:
            zks.startdata()
            zks.startup()

    def getLocalAddress(self) -> InetSocketAddress:
        host, port = self.ss.getsockname()[:2]
        return InetSocketAddress(InetAddress.getByName(host), port)

    def getLocalPort(self) -> int:
        return self.ss.getsockname()[1]

    def removeCnxn(self, cnxn: NIOServerCnxn) -> bool:
        """Takes the connection out of the factory's books; False if it already was."""
        if self.cnxns.pop(cnxn, _MISSING) is _MISSING:
            return False
        self.cnxnExpiryQueue.remove(cnxn)
        self.removeCnxnFromSessionMap(cnxn)
        connections = self.ipMap.get(cnxn.remoteSocketAddress.getAddress())
        if connections is not None:
            # empty sets stay in ipMap
            connections.discard(cnxn)
        self.unregisterConnection(cnxn)
        return True

    def touchCnxn(self, cnxn: NIOServerCnxn) -> None:
        """Adds or renews the connection in the expiry queue."""
        self.cnxnExpiryQueue.update(cnxn, cnxn.getSessionTimeout())

    def addCnxn(self, cnxn: NIOServerCnxn) -> None:
        addr = cnxn.getSocketAddress()
        if addr is None:
            raise OSError(f"Socket of {cnxn} has been closed")
        connections = self.ipMap.get(addr)
        if connections is None:
            connections = self.ipMap.setdefault(addr, set())
        connections.add(cnxn)
        self.cnxns[cnxn] = None
        self.touchCnxn(cnxn)

    def createConnection(self, sock: socket.socket, sk: SelectionKey, selectorThread) -> NIOServerCnxn:
        return NIOServerCnxn(self.zkServer, sock, sk, self, selectorThread)

    def getClientCnxnCount(self, cl: InetAddress) -> int:
        connections = self.ipMap.get(cl)
        return 0 if connections is None else len(connections)

    def closeAll(self, reason: ServerCnxn.DisconnectReason) -> None:
        """Closes every connection."""
        for cnxn in list(self.cnxns):
            try:
                cnxn.close(reason)
            except Exception as e:
                LOG.warning("Ignoring exception closing cnxn session id 0x%s",
                            format(cnxn.getSessionId() & 0xFFFFFFFFFFFFFFFF, "x"), exc_info=e)

    def stop(self) -> None:
        self.stopped = True
        # no more connection attempts
        if self.ss is not None:
            try:
                self.ss.close()
            except OSError as e:
                LOG.warning("Error closing listen socket", exc_info=e)
        if self.acceptThread is not None:
            if self.acceptThread.is_alive():
                self.acceptThread.wakeupSelector()
            else:
                self.acceptThread.closeSelector()
        if self.expirerThread is not None:
            self.expirerThread.interrupt()
        for thread in self.selectorThreads:
            if thread.is_alive():
                thread.wakeupSelector()
            else:
                thread.closeSelector()
        if self.workerPool is not None:
            self.workerPool.stop()

    def shutdown(self) -> None:
        try:
            # close the listen socket and have the selector threads stop
            self.stop()
            # wait for the selector and worker threads
            self.join()
            self.closeAll(ServerCnxn.DisconnectReason.SERVER_SHUTDOWN)
            if self.login is not None:
                self.login.shutdown()
        except Exception as e:
            LOG.warning("Ignoring unexpected exception during shutdown", exc_info=e)
        if self.zkServer is not None:
            self.zkServer.shutdown()

    def join(self) -> None:
        if self.acceptThread is not None and self.acceptThread.ident is not None:
            self.acceptThread.join()
        for thread in self.selectorThreads:
            if thread.ident is not None:
                thread.join()
        if self.workerPool is not None:
            self.workerPool.join(self.workerShutdownTimeoutMS)

    def getConnections(self) -> list[ServerCnxn]:
        return list(self.cnxns)

    def dumpConnections(self, pwriter) -> None:
        pwriter.write("Connections ")
        self.cnxnExpiryQueue.dump(pwriter)

    def resetAllConnectionStats(self) -> None:
        for c in list(self.cnxns):
            c.resetStats()

    def getAllConnectionInfo(self, brief: bool) -> list[dict]:
        return [c.getConnectionInfo(brief) for c in list(self.cnxns)]
