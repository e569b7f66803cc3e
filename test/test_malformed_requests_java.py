"""Malformed requests, compared with Java 3.8 (marked ``soak``; ``make soak``).

Request bodies of every op code are drawn from a seed and mutated (cut
short, a bit flipped, an int field set to -2, -1, 3, 2^20 or 2^31-1, bytes
appended, or replaced by random bytes). Each goes, after a handshake on a
fresh connection, to a Java 3.8 server and to ours, which started from the
same tree and so stay in step. What each server does must match: the reply's
xid, error code and length (or no reply, or closing the connection), and the
watch events sent on that connection. Both servers must then still serve.

The deliberate differences from 3.8.0 that test_differential_java.py checks
on their own are left out: a ``check`` op outside a multi is not sent, nor a
createTTL with a plain mode and a negative ttl (Java's SyncThread dies on it
and the server exits), and a case whose outcome differs is accepted when it
is one of them (a multi with a create op of an invalid mode, a TTL mode, or
the create2/createContainer op type; an exists on a node the session may not
read).

``ZK_FUZZ_CASES`` sets the number of cases (default 400, about 4 minutes),
``ZK_FUZZ_SEED`` the seed.
"""

from __future__ import annotations

import os
import random
import socket
import struct

import pytest

from javaref import JavaZooKeeperServer
from pyzkserver import PyZooKeeperServer
from pyzookeeper.jute.BinaryInputArchive import BinaryInputArchive
from pyzookeeper.CreateMode import CreateMode
from pyzookeeper.MultiOperationRecord import MultiOperationRecord
from pyzookeeper.proto.CreateTTLRequest import CreateTTLRequest
from pyzookeeper.ZooDefs import OpCode
from rawclient import RawClient, RequestWriter

pytestmark = pytest.mark.soak

CASES = int(os.environ.get("ZK_FUZZ_CASES", "400"))
SEED = int(os.environ.get("ZK_FUZZ_SEED", "1"))
JVM_FLAGS = ["-Dzookeeper.extendedTypesEnabled=true"]
_HEADER = struct.Struct(">ii")
_REPLY = struct.Struct(">iqi")

OPEN = [(31, "world", "anyone")]
PATHS = ["/a", "/a/b", "/f", "/f/x", "/", "/zookeeper", "/nope", "/a/", "a", "/a//b", "/f/.", "/a\x00b", ""]
OPS = [OpCode.create, OpCode.delete, OpCode.exists, OpCode.getData, OpCode.setData, OpCode.getACL,
       OpCode.setACL, OpCode.getChildren, OpCode.sync, OpCode.getChildren2, OpCode.multi, OpCode.create2,
       OpCode.reconfig, OpCode.checkWatches, OpCode.removeWatches, OpCode.createContainer,
       OpCode.deleteContainer, OpCode.createTTL, OpCode.multiRead, OpCode.auth, OpCode.setWatches,
       OpCode.sasl, OpCode.getEphemerals, OpCode.getAllChildrenNumber, OpCode.setWatches2, OpCode.addWatch,
       OpCode.whoAmI, OpCode.ping, 999, -11]


class Cases:
    """Request bodies drawn from a seed, and their mutations."""

    def __init__(self, seed: int) -> None:
        self.rnd = random.Random(seed)

    def acl(self) -> list:
        return self.rnd.choice([OPEN, [(31, "digest", "u:x")], [(1, "ip", "127.0.0.1/8")], [(31, "auth", "")], []])

    def path(self) -> str:
        return self.rnd.choice(PATHS)

    def body(self, op: int) -> bytes:
        rnd, w = self.rnd, RequestWriter()
        if op in (OpCode.create, OpCode.create2, OpCode.createContainer):
            w.string(self.path()).buffer(rnd.choice([b"d", b"", None])).acls(self.acl()).int(rnd.randrange(8))
        elif op == OpCode.createTTL:
            w.string(self.path()).buffer(b"d").acls(self.acl()).int(rnd.choice([5, 6, 0])).long(
                rnd.choice([1000, -1, 0]))
        elif op in (OpCode.delete, OpCode.check):
            w.string(self.path()).int(rnd.choice([-1, 0, 1]))
        elif op in (OpCode.exists, OpCode.getData, OpCode.getChildren, OpCode.getChildren2):
            w.string(self.path()).bool(rnd.random() < 0.5)
        elif op == OpCode.setData:
            w.string(self.path()).buffer(b"x" * rnd.randint(0, 5)).int(rnd.choice([-1, 0, 1]))
        elif op in (OpCode.getACL, OpCode.sync, OpCode.deleteContainer, OpCode.getEphemerals,
                    OpCode.getAllChildrenNumber):
            w.string(self.path())
        elif op == OpCode.setACL:
            w.string(self.path()).acls(self.acl()).int(rnd.choice([-1, 0]))
        elif op in (OpCode.checkWatches, OpCode.removeWatches):
            w.string(self.path()).int(rnd.choice([1, 2, 3, 4]))
        elif op == OpCode.addWatch:
            w.string(self.path()).int(rnd.choice([0, 1, 2]))
        elif op == OpCode.setWatches:
            w.long(0).strings([self.path()]).strings([self.path()]).strings([])
        elif op == OpCode.setWatches2:
            w.long(0).strings([self.path()]).strings([]).strings([]).strings([self.path()]).strings([])
        elif op == OpCode.auth:
            w.int(0).string(rnd.choice(["digest", "ip", "nope"])).buffer(b"u:p")
        elif op == OpCode.sasl:
            w.buffer(rnd.choice([b"", b"xx"]))
        elif op in (OpCode.multi, OpCode.multiRead):
            subs = ([OpCode.create, OpCode.delete, OpCode.setData, OpCode.check] if op == OpCode.multi
                    else [OpCode.getData, OpCode.getChildren])
            for _ in range(rnd.randint(0, 3)):
                sub = rnd.choice(subs)
                w.int(sub).bool(False).int(-1).raw(self.body(sub))
            w.int(-1).bool(True).int(-1)
        elif op == OpCode.reconfig:
            w.string(None).string(None).string(rnd.choice([None, "x"])).long(-1)
        return w.getvalue()

    def mutate(self, body: bytes) -> bytes:
        rnd, b = self.rnd, bytearray(body)
        kind = rnd.randrange(6)
        if kind == 0 or not b:
            return bytes(b)
        if kind == 1:
            return bytes(b[:rnd.randrange(len(b))])
        if kind == 2:
            b[rnd.randrange(len(b))] ^= 1 << rnd.randrange(8)
            return bytes(b)
        if kind == 3:
            i = rnd.randrange(max(1, len(b) - 3))
            b[i:i + 4] = struct.pack(">i", rnd.choice([-2, -1, 0x7FFFFFFF, 1 << 20, 3]))
            return bytes(b)
        if kind == 4:
            return bytes(b) + rnd.randbytes(rnd.randint(1, 8))
        return rnd.randbytes(rnd.randint(0, 40))

    def next(self) -> tuple[int, bytes]:
        while True:
            op = self.rnd.choice(OPS)
            payload = self.mutate(self.body(op))
            if not stops_java(op, payload):
                return op, payload


def stops_java(op: int, payload: bytes) -> bool:
    """A createTTL with a plain mode and a negative ttl, which Java 3.8.0 logs
    and then cannot apply."""
    if op != OpCode.createTTL:
        return False
    request = CreateTTLRequest()
    try:
        request.deserialize(BinaryInputArchive(payload), "request")
        mode = CreateMode.fromFlag(request.flags)
    except Exception:
        return False
    return not mode.isTTL() and request.ttl < 0


def outcome(port: int, op: int, payload: bytes) -> list:
    """What the server sends after the request on a fresh session: replies as
    (xid, error, length), events as their bytes, then "closed" or "silent"."""
    client = RawClient("127.0.0.1", port, timeout=4)
    try:
        client.connect()
        client.send_frame(_HEADER.pack(1, op) + payload)
        out: list = []
        while True:
            try:
                frame = client.recv_frame()
            except (EOFError, ConnectionError):
                out.append("closed")
                return out
            except socket.timeout:
                out.append("silent")
                return out
            xid, _zxid, err = _REPLY.unpack_from(frame)
            if xid == -1:
                out.append(("event", frame[16:]))
                continue
            out.append((xid, err, len(frame)))
            # the reply has come: wait a little for anything after it
            client.sock.settimeout(0.3)
    finally:
        client.close()


def first_error(out: list) -> int | None:
    """The error code of the reply an outcome begins with, if it begins with one."""
    return out[0][1] if out and isinstance(out[0], tuple) and out[0][0] == 1 else None


def known_difference(op: int, payload: bytes, java: list, py: list) -> bool:
    """One of the later-3.8 fixes this server has (see the module docstring)."""
    if op == OpCode.exists and first_error(java) == 0 and first_error(py) == -102:
        return True
    if op != OpCode.multi:
        return False
    record = MultiOperationRecord()
    try:
        record.deserialize(BinaryInputArchive(payload), "request")
    except IOError as e:
        return str(e).startswith("invalid flag") or str(e) == "Mixing different kind of ops"
    except Exception:
        return False
    return any(o.getType() in (OpCode.create2, OpCode.createContainer) for o in record)


def test_malformed_requests_get_what_java_gives(java_available, tmp_path):
    cases = Cases(SEED)
    java_server = JavaZooKeeperServer(tmp_path / "java", jvm_args=JVM_FLAGS)
    py_server = PyZooKeeperServer(tmp_path / "py", jvm_flags=" ".join(JVM_FLAGS))
    with java_server, py_server:
        for port in (java_server.port, py_server.port):
            for path in ("/a", "/a/b", "/f"):
                assert outcome(port, OpCode.create, RequestWriter().string(path).buffer(b"d").acls(OPEN)
                               .int(0).getvalue())[0][1] == 0
        differences = []
        for index in range(CASES):
            op, payload = cases.next()
            java_server.check_alive()
            java = outcome(java_server.port, op, payload)
            py = outcome(py_server.port, op, payload)
            if java != py and not known_difference(op, payload, java, py):
                differences.append(f"case {index}: op {op} payload {payload.hex()}\n  java {java}\n  py   {py}")
        assert not differences, f"{len(differences)} of {CASES} cases differ (seed {SEED}):\n" + "\n".join(
            differences[:10])
        for port in (java_server.port, py_server.port):
            assert outcome(port, OpCode.getData, RequestWriter().string("/a").bool(False).getvalue())[0][1] == 0
