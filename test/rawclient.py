"""A minimal ZooKeeper client speaking the wire protocol directly, for tests that
need requests kazoo cannot send (persistent watches, bad paths, raw frames).

``RawClient`` sends and receives frames; ``RequestWriter`` builds request bodies
field by field (a path given as ``bytes`` goes on the wire as those exact
bytes, so malformed text can be sent); ``decode_reply`` turns a reply body into
plain Python values, keeping every string as the bytes the server sent."""

from __future__ import annotations

import socket
import struct

from pyzookeeper.jute.BinaryInputArchive import BinaryInputArchive
from pyzookeeper.jute.BinaryOutputArchive import BinaryOutputArchive, stringToBytes
from pyzookeeper.proto.ConnectRequest import ConnectRequest
from pyzookeeper.proto.ConnectResponse import ConnectResponse
from pyzookeeper.proto.ReplyHeader import ReplyHeader
from pyzookeeper.proto.RequestHeader import RequestHeader
from pyzookeeper.proto.WatcherEvent import WatcherEvent
from pyzookeeper.ZooDefs import OpCode

_INT = struct.Struct(">i")
_HEADER = struct.Struct(">ii")


class RawClient:
    def __init__(self, host: str, port: int, timeout: float = 10.0) -> None:
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.xid = 0
        self.events: list[WatcherEvent] = []
        self.session_id = 0
        self.passwd = b"\x00" * 16
        self.connect_frame = b""

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
        self.connect_frame = self.recv_frame()
        rsp = ConnectResponse.fromByteArray(self.connect_frame)
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

    def send_request(self, xid: int, op: int, body: bytes = b"") -> None:
        """Send one request frame without waiting for its reply."""
        self.send_frame(_HEADER.pack(xid, op) + body)

    def read_message(self) -> tuple[ReplyHeader, bytes]:
        """The next frame as (header, body); a watch notification has xid -1."""
        frame = self.recv_frame()
        hdr = ReplyHeader()
        hdr.deserialize(BinaryInputArchive(frame[:16]), "header")
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


class RequestWriter:
    """Builds a request body. Strings may be ``str`` (jute's encoding), ``bytes``
    (sent as is) or None (length -1)."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def int(self, v: int) -> "RequestWriter":
        self.parts.append(struct.pack(">i", v))
        return self

    def long(self, v: int) -> "RequestWriter":
        self.parts.append(struct.pack(">q", v))
        return self

    def bool(self, v: bool) -> "RequestWriter":
        self.parts.append(b"\x01" if v else b"\x00")
        return self

    def buffer(self, v: bytes | None) -> "RequestWriter":
        if v is None:
            return self.int(-1)
        self.parts.append(struct.pack(">i", len(v)) + v)
        return self

    def string(self, v: str | bytes | None) -> "RequestWriter":
        if isinstance(v, str):
            v = stringToBytes(v)
        return self.buffer(v)

    def strings(self, vs: list | None) -> "RequestWriter":
        if vs is None:
            return self.int(-1)
        self.int(len(vs))
        for v in vs:
            self.string(v)
        return self

    def acls(self, acls: list | None) -> "RequestWriter":
        """ACLs as (perms, scheme, id) triples."""
        if acls is None:
            return self.int(-1)
        self.int(len(acls))
        for perms, scheme, id_ in acls:
            self.int(perms).string(scheme).string(id_)
        return self

    def raw(self, data: bytes) -> "RequestWriter":
        self.parts.append(data)
        return self

    def getvalue(self) -> bytes:
        return b"".join(self.parts)


class ReplyReader:
    """Reads a reply body; strings come back as the raw bytes (None for -1)."""

    _I = struct.Struct(">i")
    _Q = struct.Struct(">q")
    _STAT = struct.Struct(">qqqqiiiqiiq")

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def _take(self, n: int) -> bytes:
        if n < 0 or self.pos + n > len(self.data):
            raise ValueError(f"reply body too short at {self.pos} for {n} bytes")
        b = self.data[self.pos:self.pos + n]
        self.pos += n
        return b

    def int(self) -> int:
        return self._I.unpack(self._take(4))[0]

    def long(self) -> int:
        return self._Q.unpack(self._take(8))[0]

    def bool(self) -> bool:
        return self._take(1) != b"\x00"

    def buffer(self) -> bytes | None:
        n = self.int()
        return None if n == -1 else self._take(n)

    string = buffer

    def strings(self) -> list | None:
        n = self.int()
        return None if n == -1 else [self.string() for _ in range(n)]

    def stat(self) -> tuple:
        """(czxid, mzxid, ctime, mtime, version, cversion, aversion, ephemeralOwner,
        dataLength, numChildren, pzxid)"""
        return self._STAT.unpack(self._take(self._STAT.size))

    def acls(self) -> list | None:
        n = self.int()
        return None if n == -1 else [(self.int(), self.string(), self.string()) for _ in range(n)]

    def at_end(self) -> bool:
        return self.pos == len(self.data)


def _decode_multi(r: ReplyReader) -> list:
    results = []
    while True:
        op, done, err = r.int(), r.bool(), r.int()
        if done:
            return tuple(results)
        if op == OpCode.create:
            body = (r.string(),)
        elif op == OpCode.create2:
            body = (r.string(), r.stat())
        elif op == OpCode.setData:
            body = (r.stat(),)
        elif op == OpCode.getChildren:
            body = (r.strings(),)
        elif op == OpCode.getData:
            body = (r.buffer(), r.stat())
        elif op == OpCode.error:
            body = (r.int(),)
        else:
            body = ()
        results.append((op, err, body))


_REPLY_BODIES = {
    OpCode.create: lambda r: (r.string(),),
    OpCode.create2: lambda r: (r.string(), r.stat()),
    OpCode.createContainer: lambda r: (r.string(), r.stat()),
    OpCode.createTTL: lambda r: (r.string(), r.stat()),
    OpCode.exists: lambda r: (r.stat(),),
    OpCode.getData: lambda r: (r.buffer(), r.stat()),
    OpCode.reconfig: lambda r: (r.buffer(), r.stat()),
    OpCode.setData: lambda r: (r.stat(),),
    OpCode.getACL: lambda r: (r.acls(), r.stat()),
    OpCode.setACL: lambda r: (r.stat(),),
    OpCode.getChildren: lambda r: (r.strings(),),
    OpCode.getChildren2: lambda r: (r.strings(), r.stat()),
    OpCode.sync: lambda r: (r.string(),),
    OpCode.multi: _decode_multi,
    OpCode.multiRead: _decode_multi,
    OpCode.sasl: lambda r: (r.buffer(),),
    OpCode.getEphemerals: lambda r: (r.strings(),),
    OpCode.getAllChildrenNumber: lambda r: (r.int(),),
    OpCode.addWatch: lambda r: (r.int(),),
    OpCode.whoAmI: lambda r: ([(r.string(), r.string()) for _ in range(r.int())],),
}


def decode_reply(op: int, body: bytes):
    """The reply body of request type ``op`` as plain values: a tuple of fields
    (``("raw", hex)`` when the body does not parse as that type, or has bytes
    left over). An empty body gives ``()``."""
    if not body:
        return ()
    decoder = _REPLY_BODIES.get(op)
    if decoder is None:
        return ("raw", body.hex())
    r = ReplyReader(body)
    try:
        value = decoder(r)
    except ValueError:
        return ("raw", body.hex())
    if not r.at_end():
        return ("raw", body.hex())
    return value
