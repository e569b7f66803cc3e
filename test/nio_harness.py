"""The client port (NIOServerCnxnFactory) running in the test process with a small
stand-in for ZooKeeperServer, and a raw-socket client speaking the framing.

The stand-in answers only what the connection layer needs: a ConnectResponse for
the first frame and, for later frames, an echo of the request body (or a ping
reply, a close, a watch event), so the framing, throttling, flow control and
socket handling are tested on their own, byte for byte, without the request
pipeline or the data tree behind them.
"""

from __future__ import annotations

import socket
import struct
import sys
import threading
import traceback

from javaref import free_port, wait_for
from pyzookeeper import system_properties
from pyzookeeper.common.inet_address import InetSocketAddress
from pyzookeeper.data.Stat import Stat
from pyzookeeper.proto.ConnectRequest import ConnectRequest
from pyzookeeper.proto.ConnectResponse import ConnectResponse
from pyzookeeper.proto.GetDataResponse import GetDataResponse
from pyzookeeper.proto.ReplyHeader import ReplyHeader
from pyzookeeper.proto.RequestHeader import RequestHeader
from pyzookeeper.proto.WatcherEvent import WatcherEvent
from pyzookeeper.server.ClientCnxnLimitException import ClientCnxnLimitException
from pyzookeeper.server.command.FourLetterCommands import FourLetterCommands
from pyzookeeper.server.NIOServerCnxnFactory import NIOServerCnxnFactory
from pyzookeeper.server.ServerStats import ServerStats
from pyzookeeper.WatchedEvent import WatchedEvent
from pyzookeeper.Watcher import EventType, KeeperState

INT = struct.Struct(">i")

# request types the stand-in understands
ECHO = 4          # getData: the reply body is GetDataResponse(request body)
PING = 11
CLOSE_SESSION = -11
FIRE_WATCH = 103  # answered with a watch event, then an empty reply
INVALIDATE = 104  # answered, then the connection is marked invalid (a dropped request)
BAD_BUFFER = 105  # queues something that is not a buffer (a server bug)

NIO_THREAD_PREFIXES = ("NIOServerCxnFactory", "NIOWorkerThread", "ConnnectionExpirer")


class StandInServer(ServerStats.Provider):
    """The ZooKeeperServer methods the connection layer calls, and no more."""

    def __init__(self, throttleAbove: int | None = None) -> None:
        self.stats = ServerStats(self)
        self.factory = None
        self.running = True
        self.throttleAbove = throttleAbove
        self.hold = False
        self.refuseConnections = False
        self.held: list = []
        self.maxHeld = 0
        self.packets = 0
        self.nextSessionId = 0x100
        self.lock = threading.Lock()

    # ZooKeeperServer API used by the connection layer
    def isRunning(self) -> bool:
        return self.running

    def shouldThrottle(self, outstanding: int) -> bool:
        return self.throttleAbove is not None and outstanding > self.throttleAbove

    def serverStats(self) -> ServerStats:
        return self.stats

    def removeCnxn(self, cnxn) -> None:
        pass

    def checkRequestSizeWhenReceivingMessage(self, length: int) -> bool:
        return True

    def getReadResponseCache(self):
        return None

    def getGetChildrenResponseCache(self):
        return None

    def checkACL(self, *args) -> None:
        pass

    def setServerCnxnFactory(self, factory) -> None:
        self.factory = factory

    def startdata(self) -> None:
        pass

    def startup(self) -> None:
        pass

    def shutdown(self) -> None:
        self.running = False

    def getState(self) -> str:
        return "standalone"

    def getZKDatabase(self):
        return self

    def getNodeCount(self) -> int:
        return 4

    # ServerStats.Provider
    def getOutstandingRequests(self) -> int:
        return 0

    def getLastProcessedZxid(self) -> int:
        return 0x1F

    def getNumAliveConnections(self) -> int:
        return self.factory.getNumAliveConnections()

    def getDataDirSize(self) -> int:
        return 0

    def getLogDirSize(self) -> int:
        return 0

    def processConnectRequest(self, cnxn, incomingBuffer: bytes) -> None:
        if self.refuseConnections:
            raise ClientCnxnLimitException()
        req = ConnectRequest.fromByteArray(incomingBuffer)
        cnxn.isOldClient = len(incomingBuffer) == len(req.toByteArray())
        cnxn.setSessionTimeout(req.timeOut)
        with self.lock:
            self.nextSessionId += 1
            sessionId = self.nextSessionId
        cnxn.setSessionId(sessionId)
        body = ConnectResponse(0, req.timeOut, sessionId, bytes(16)).toByteArray()
        if not cnxn.isOldClient:
            body += b"\0"
        cnxn.sendBuffer(INT.pack(len(body)) + body)

    def processPacket(self, cnxn, incomingBuffer: bytes) -> None:
        h = RequestHeader.fromByteArray(incomingBuffer[:8])
        cnxn.incrOutstandingAndCheckThrottle(h)
        with self.lock:
            self.packets += 1
            if self.hold:
                self.held.append((cnxn, h, incomingBuffer[8:]))
                self.maxHeld = max(self.maxHeld, len(self.held))
                return
        self.reply(cnxn, h, incomingBuffer[8:])

    def reply(self, cnxn, h: RequestHeader, body: bytes) -> None:
        if h.type == PING:
            cnxn.sendResponse(ReplyHeader(-2, 0x1F, 0), None, "response")
        elif h.type == CLOSE_SESSION:
            cnxn.sendResponse(ReplyHeader(h.xid, 0x1F, 0), None, "response")
            cnxn.sendCloseSession()
        elif h.type == BAD_BUFFER:
            cnxn.sendBuffer("not a buffer")
        elif h.type == INVALIDATE:
            cnxn.sendResponse(ReplyHeader(h.xid, 0x1F, 0), None, "response")
            cnxn.setInvalid()
        elif h.type == FIRE_WATCH:
            cnxn.process(WatchedEvent(EventType.NodeDataChanged, KeeperState.SyncConnected, "/watched"))
            cnxn.sendResponse(ReplyHeader(h.xid, 0x1F, 0), None, "response")
        else:
            cnxn.sendResponse(ReplyHeader(h.xid, 0x1F, 0), GetDataResponse(body, Stat()), "response")

    def release(self) -> int:
        """Answers the requests held back so far; returns how many."""
        with self.lock:
            held, self.held = self.held, []
        for cnxn, h, body in held:
            self.reply(cnxn, h, body)
        return len(held)


class Harness:
    """A started factory on 127.0.0.1 with its stand-in server."""

    def __init__(self, zks: StandInServer, maxcc: int = 0, backlog: int = -1, host: str = "127.0.0.1") -> None:
        self.zks = zks
        self.host = host
        self.port = free_port()
        self.factory = NIOServerCnxnFactory()
        self.factory.configure(InetSocketAddress(host, self.port), maxcc, backlog)
        self.factory.startup(zks)

    def client(self, timeout: float = 30.0, rcvbuf: int | None = None) -> "RawClient":
        return RawClient(self.port, timeout, rcvbuf, self.host)

    def wait_connections(self, n: int, timeout: float = 30.0) -> None:
        wait_for(lambda: self.factory.getNumAliveConnections() == n, timeout,
                 what=f"{n} connections (have {self.factory.getNumAliveConnections()})")

    def stop(self, timeout: float = 60.0) -> None:
        """Shuts the factory down; fails, with every thread's stack, if that does not
        end within ``timeout`` (the factory joins its threads without a deadline)."""
        stopper = threading.Thread(target=self.factory.shutdown, name="test-factory-shutdown", daemon=True)
        stopper.start()
        stopper.join(timeout)
        if stopper.is_alive():
            raise AssertionError(f"the factory did not shut down within {timeout}s:\n{thread_stacks()}")


class RawClient:
    """A client socket that sends and reads length-prefixed frames."""

    def __init__(self, port: int, timeout: float = 30.0, rcvbuf: int | None = None, host: str = "127.0.0.1") -> None:
        self.sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
        if rcvbuf is not None:
            # before connecting, so that the window is negotiated for it
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.sock.settimeout(timeout)
        self.sock.connect((host, port))
        self.buf = b""
        self.sessionId = 0

    def send_frame(self, payload: bytes) -> None:
        self.sock.sendall(INT.pack(len(payload)) + payload)

    def handshake(self, timeOut: int = 30000) -> ConnectResponse:
        self.send_frame(ConnectRequest(0, 0, timeOut, 0, bytes(16)).toByteArray() + b"\0")
        frame = self.read_frame()
        rsp = ConnectResponse.fromByteArray(frame)
        self.sessionId = rsp.sessionId
        return rsp

    def read_exact(self, n: int) -> bytes:
        while len(self.buf) < n:
            data = self.sock.recv(1 << 20)
            if not data:
                raise EOFError(f"connection closed with {len(self.buf)} of {n} bytes read")
            self.buf += data
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def read_frame(self) -> bytes:
        return self.read_exact(INT.unpack(self.read_exact(4))[0])

    def read_reply(self) -> tuple[ReplyHeader, bytes]:
        frame = self.read_frame()
        return ReplyHeader.fromByteArray(frame[:16]), frame[16:]

    def read_echo(self) -> tuple[int, bytes]:
        h, body = self.read_reply()
        return h.xid, GetDataResponse.fromByteArray(body).data

    def closed_by_server(self, timeout: float = 30.0) -> bool:
        """Reads until the server closes; True on EOF or reset."""
        self.sock.settimeout(timeout)
        try:
            while True:
                data = self.sock.recv(65536)
                if not data:
                    return True
                self.buf += data
        except ConnectionResetError:
            return True
        except socket.timeout:
            return False

    def close(self) -> None:
        self.sock.close()


def request(xid: int, type: int, body: bytes = b"") -> bytes:
    return RequestHeader(xid, type).toByteArray() + body


def frame(payload: bytes) -> bytes:
    return INT.pack(len(payload)) + payload


def watcher_event(body: bytes) -> WatcherEvent:
    return WatcherEvent.fromByteArray(body)


def set_properties(props: dict[str, str]) -> dict[str, str | None]:
    """Sets system properties; returns what to restore."""
    previous = {}
    for name, value in props.items():
        previous[name] = system_properties.setProperty(name, value)
    return previous


def restore_properties(previous: dict[str, str | None]) -> None:
    for name, value in previous.items():
        if value is None:
            system_properties.clearProperty(name)
        else:
            system_properties.setProperty(name, value)
    FourLetterCommands.resetWhiteList()


def thread_stacks() -> str:
    """Where every thread of this process is."""
    frames = sys._current_frames()
    return "\n".join(f"--- {t.name}\n" + "".join(traceback.format_stack(frames[t.ident]))
                     for t in threading.enumerate() if t.ident in frames)


def nio_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith(NIO_THREAD_PREFIXES)]


def wait_no_nio_threads(timeout: float = 30.0) -> None:
    wait_for(lambda: not nio_threads(), timeout, what=f"NIO threads to exit ({nio_threads()})")
