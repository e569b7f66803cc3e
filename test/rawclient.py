"""A minimal ZooKeeper client speaking the wire protocol directly, for tests that
need requests kazoo cannot send (persistent watches, bad paths, raw frames)."""

from __future__ import annotations

import socket
import struct

from pyzookeeper.jute.BinaryInputArchive import BinaryInputArchive
from pyzookeeper.jute.BinaryOutputArchive import BinaryOutputArchive
from pyzookeeper.proto.ConnectRequest import ConnectRequest
from pyzookeeper.proto.ConnectResponse import ConnectResponse
from pyzookeeper.proto.ReplyHeader import ReplyHeader
from pyzookeeper.proto.RequestHeader import RequestHeader
from pyzookeeper.proto.WatcherEvent import WatcherEvent

_INT = struct.Struct(">i")


class RawClient:
    def __init__(self, host: str, port: int, timeout: float = 10.0) -> None:
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.xid = 0
        self.events: list[WatcherEvent] = []
        self.session_id = 0
        self.passwd = b"\x00" * 16

    def close(self) -> None:
        self.sock.close()

    def __enter__(self) -> "RawClient":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def send_frame(self, payload: bytes) -> None:
        self.sock.sendall(_INT.pack(len(payload)) + payload)

    def _recv_exact(self, n: int) -> bytes:
        chunks = []
        while n:
            data = self.sock.recv(n)
            if not data:
                raise EOFError("connection closed by the server")
            chunks.append(data)
            n -= len(data)
        return b"".join(chunks)

    def recv_frame(self) -> bytes:
        (length,) = _INT.unpack(self._recv_exact(4))
        return self._recv_exact(length)

    def connect(self, timeout_ms: int = 30000, session_id: int = 0, passwd: bytes | None = None,
                last_zxid: int = 0, read_only: bool | None = False) -> ConnectResponse:
        out = BinaryOutputArchive()
        ConnectRequest(0, last_zxid, timeout_ms, session_id, passwd or b"\x00" * 16).serialize(out, "connect")
        if read_only is not None:
            out.writeBool(read_only, "readOnly")
        self.send_frame(out.getvalue())
        rsp = ConnectResponse.fromByteArray(self.recv_frame())
        self.session_id, self.passwd = rsp.sessionId, rsp.passwd
        return rsp

    def request(self, op: int, record=None, xid: int | None = None) -> tuple[ReplyHeader, bytes]:
        """Send one request and return its reply; watch events met on the way are kept."""
        if xid is None:
            self.xid += 1
            xid = self.xid
        out = BinaryOutputArchive()
        RequestHeader(xid, op).serialize(out, "header")
        if record is not None:
            record.serialize(out, "request")
        self.send_frame(out.getvalue())
        while True:
            frame = self.recv_frame()
            ia = BinaryInputArchive(frame)
            hdr = ReplyHeader()
            hdr.deserialize(ia, "header")
            if hdr.xid == -1:
                event = WatcherEvent()
                event.deserialize(ia, "event")
                self.events.append(event)
                continue
            return hdr, frame[16:]

    def next_event(self) -> WatcherEvent:
        """The next watch notification (from those already received, or the socket)."""
        if self.events:
            return self.events.pop(0)
        while True:
            frame = self.recv_frame()
            ia = BinaryInputArchive(frame)
            hdr = ReplyHeader()
            hdr.deserialize(ia, "header")
            if hdr.xid == -1:
                event = WatcherEvent()
                event.deserialize(ia, "event")
                return event
