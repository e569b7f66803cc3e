"""Differential test of the client protocol against the Java 3.8 server.

The same sequence of requests, drawn at random from a seed over every op code
of the client protocol (good and bad paths, versions, ACLs, create modes,
multi, watches of every kind, auth, SASL without a SASL setup, reconfig while
disabled, unknown op codes, malformed and over-long frames, closed and
re-attached connections), is sent over raw sockets from three sessions, in
lockstep, to the Java server and to ours. After every step the two outcomes
must be equal once normalised:

* replies: xid, error code and body, strings as the raw bytes on the wire;
* zxids relative to each server's first zxid (that of the first session);
* Stat fields apart from ctime and mtime; an ephemeralOwner that is one of the
  test's sessions becomes that session's name (S0, S1, ...);
* watch events in their place among the replies of the session that gets them;
* connection closes at the same step.

The servers enforce quotas, and /qt has one (soft and hard limits on count and
bytes).

Lists of names (children, ephemerals) are compared as multisets: Java returns
them in HashSet order, which no client may rely on, and that order is checked
on its own below.

Requests whose answer depends on a fix made after 3.8.0 (the Debian jar, which
carries the CVE-2024-23944 watch fix but not the others) are kept out of the
random run and checked on their own below: a top-level ``check`` op, ``exists``
on a node the caller may not read, create2/createContainer ops and invalid
create modes inside a multi. So are the requests whose answer comes from code
outside the request pipeline (null paths on reads and watch requests, relative
paths in checkWatches, the order of auth ids, of children and of a closed
session's ephemeral nodes). The random run keeps every node outside ``/s``
readable by every session and neither asks ``exists`` nor sets a watch under
``/s``.

ZK_DIFF_SEED and ZK_DIFF_STEPS choose another seed or length of the random run.
"""

from __future__ import annotations

import base64
import hashlib
import os
import random
import socket
import struct
import time
from collections import namedtuple

import pytest

from javaref import JavaZooKeeperServer
from pyzkserver import PyZooKeeperServer
from rawclient import RawClient, RequestWriter, decode_reply
from pyzookeeper.server.persistence.FileTxnLog import FileTxnLog
from pyzookeeper.txn.CloseSessionTxn import CloseSessionTxn
from pyzookeeper.ZooDefs import OpCode

SEED = int(os.environ.get("ZK_DIFF_SEED", "20240601"))
STEPS = int(os.environ.get("ZK_DIFF_STEPS", "3000"))
SESSIONS = 3
JVM_FLAGS = ["-Dzookeeper.extendedTypesEnabled=true", "-Dznode.container.checkIntervalMs=3600000"]
CFG = {"tickTime": "2000", "maxSessionTimeout": "600000", "forceSync": "no"}
SESSION_TIMEOUT = 300000
MAX_FRAME = 0xFFFFF

READ, WRITE, CREATE, DELETE, ADMIN, ALL = 1, 2, 4, 8, 16, 31


def digest_id(user: str, password: str) -> str:
    return user + ":" + base64.b64encode(hashlib.sha1(f"{user}:{password}".encode()).digest()).decode()


ALICE = digest_id("alice", "secret")
BOB = digest_id("bob", "pw")
WORLD_READ = (READ, "world", "anyone")

# ACL lists for nodes outside /s: every list that a server may accept lets
# every session (all connect from 127.0.0.1) read the node.
OPEN_ACLS = [
    [(ALL, "world", "anyone")],
    [WORLD_READ],
    [(ALL, "digest", ALICE), WORLD_READ],
    [(ALL, "ip", "127.0.0.1")],
    [(READ | WRITE, "ip", "127.0.0.0/8"), (CREATE, "world", "anyone")],
    [(ALL, "auth", ""), WORLD_READ],
    [(ALL, "auth", "ignored"), WORLD_READ],
    [(READ | CREATE | DELETE, "world", "anyone")],
    [(ALL, "world", "anyone"), (ALL, "world", "anyone")],
    [(READ | 32, "world", "anyone")],
    [(ALL, "digest", BOB), (ADMIN, "digest", ALICE), WORLD_READ],
]
BAD_ACLS = [
    [(ALL, "sasl", "bob"), WORLD_READ],
    [(ALL, "x509", "CN=x"), WORLD_READ],
    [(ALL, "super", ""), WORLD_READ],
    [(ALL, "ip", "999.1.1.1"), WORLD_READ],
    [(ALL, "ip", "127.0.0.1/40"), WORLD_READ],
    [(ALL, "ip", "::1"), WORLD_READ],
    [(ALL, "world", "somebody")],
    [(ALL, "digest", "alice")],
    [(ALL, "digest", "alice:x:y"), WORLD_READ],
    [(ALL, "nosuchscheme", "x"), WORLD_READ],
    [(ALL, "", ""), WORLD_READ],
    [(ALL, None, None), WORLD_READ],
    [],
    None,
]
# ACL lists for nodes under /s: nobody but alice reads there.
SECRET_ACLS = [
    [(ALL, "digest", ALICE)],
    [(ALL, "digest", ALICE), (CREATE | DELETE, "world", "anyone")],
    [(WRITE | CREATE | DELETE | ADMIN, "world", "anyone")],
    [(0, "world", "anyone")],
    [(ALL, "auth", "")],
]

NAMES = ["a", "b", "c", "d1", "ä", "日本語", "x y", "q"]
BAD_PATHS = [
    "", "d", "/d/", "//d", "/d//a", "/d/./a", "/d/../a", "/d/.", "/d/..", "/d/a\x00b", "/d/\x01",
    "/d/\x7f", "/d/\u0085", "/d/\ufff5", "/d/\ue000", "/d/😀", b"/d/\xf0\x9f\x98\x80", b"/d/\xff\xfe",
    b"/d/\xed\xa0\x80", None, "/zookeeper", "/zookeeper/quota", "/zookeeper/config", "/",
    "/zookeeper/x", "/d/" + "n" * 300,
]
VERSIONS = [-1, -1, -1, -1, 0, 0, 1, 1, 2, 3, -2, 2**31 - 1]
TTLS = [1, 100, 10000, 0, -1, (1 << 40) - 1, 1 << 40, 1 << 62]
CREATE_FLAGS = [0] * 8 + [1] * 4 + [2, 2, 3, 3, 4, 5, 6, -1, 7, 8, 100]
VALID_OPS = {1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 14, 15, 16, 17, 18, 19, 20, 21, 22, 100, 101, 102, 103, 104, 105,
             106, 107, -10, -11}
UNKNOWN_OPS = [0, 10, 23, 99, 108, 200, -1, -3, -12, 2**31 - 1]

Request = namedtuple("Request", "xid op body desc path", defaults=(None,))
Stat = namedtuple("Stat", "czxid mzxid version cversion aversion ephemeralOwner dataLength numChildren pzxid")


class Step:
    """One step of the script: requests sent together on one session
    (``kind="req"``), a raw frame, a client-side disconnect, or a connect
    attempt on a fresh socket (``kind="probe"``)."""

    def __init__(self, kind: str, sess: int, requests=(), raw: bytes = b"", raw_op: int = 0,
                 connect: dict | None = None, desc: str = "") -> None:
        self.kind = kind
        self.sess = sess
        self.requests = list(requests)
        self.raw = raw
        self.raw_op = raw_op
        self.connect = connect or {}
        self.desc = desc or "; ".join(r.desc for r in self.requests)

    def __str__(self) -> str:
        return f"[S{self.sess} {self.kind}] {self.desc}"


class Endpoint:
    """One server under test and the script's sessions on it."""

    def __init__(self, name: str, port: int, keep_order: bool = False, auto_auth: bytes | None = None) -> None:
        self.name = name
        self.port = port
        self.keep_order = keep_order
        self.auto_auth = auto_auth  # digest user:password each script session sends first
        self.clients: list[RawClient | None] = [None] * SESSIONS
        self.session_names: dict[int, str] = {}
        self.session_count = 0
        self.base: int | None = None

    # normalisation -------------------------------------------------------
    def zxid(self, z: int) -> str | int:
        if z in (0, -1) or self.base is None:
            return z
        return f"Z{z - self.base:+d}"

    def owner(self, owner: int):
        if owner in self.session_names:
            return self.session_names[owner]
        if owner == 0:
            return 0
        return hex(owner & 0xFFFFFFFFFFFFFFFF)

    def norm(self, value):
        if isinstance(value, tuple) and len(value) == 11 and all(isinstance(v, int) for v in value):
            cz, mz, _ctime, _mtime, ver, cver, aver, owner, dlen, nchild, pz = value
            return Stat(self.zxid(cz), self.zxid(mz), ver, cver, aver, self.owner(owner), dlen, nchild,
                        self.zxid(pz))
        if isinstance(value, list):
            items = [self.norm(v) for v in value]
            if self.keep_order or not all(isinstance(v, bytes) for v in value):
                return items
            return sorted(items, key=repr)
        if isinstance(value, tuple):
            return tuple(self.norm(v) for v in value)
        if isinstance(value, bytes) and len(value) > 64:
            return ("bytes", len(value), hashlib.sha1(value).hexdigest()[:12])
        return value

    # sessions ------------------------------------------------------------
    def _name_session(self, session_id: int) -> str:
        if session_id not in self.session_names:
            self.session_names[session_id] = f"S{self.session_count}"
            self.session_count += 1
        return self.session_names[session_id]

    def _connect(self, session_id: int = 0, passwd: bytes | None = None, timeout_ms: int = SESSION_TIMEOUT,
                 last_zxid: int = 0, read_only: bool | None = False):
        """A new socket and its connect handshake: (client or None, outcome)."""
        try:
            c = RawClient("127.0.0.1", self.port, timeout=30)
        except OSError:
            return None, ("connect-failed",)
        try:
            rsp = c.connect(timeout_ms=timeout_ms, session_id=session_id, passwd=passwd, last_zxid=last_zxid,
                            read_only=read_only)
        except (EOFError, OSError):
            c.close()
            return None, ("connect-closed",)
        # the frame's length tells whether the readOnly flag follows the record
        if rsp.timeOut <= 0:
            c.close()
            return None, ("connect-refused", rsp.protocolVersion, rsp.timeOut, rsp.sessionId, rsp.passwd.hex(),
                          len(c.connect_frame))
        return c, ("connected", rsp.protocolVersion, rsp.timeOut, self._name_session(rsp.sessionId),
                   len(rsp.passwd), len(c.connect_frame))

    def open_session(self, slot: int) -> tuple:
        c, outcome = self._connect()
        self.clients[slot] = c
        return outcome + self._auto_auth(c)

    def _auto_auth(self, c: RawClient | None) -> tuple:
        if c is None or self.auto_auth is None:
            return ()
        c.send_request(-4, OpCode.auth, RequestWriter().int(0).string("digest").buffer(self.auto_auth).getvalue())
        hdr, _ = c.read_message()
        return ("auth", hdr.err)

    def reattach(self, slot: int) -> tuple:
        """Reconnect ``slot`` to its session, or to a new one when that is gone."""
        old = self.clients[slot]
        self.clients[slot] = None
        if old is not None:
            old.close()
            c, outcome = self._connect(old.session_id, old.passwd)
            if c is not None:
                c.session_id, c.passwd = old.session_id, old.passwd
                self.clients[slot] = c
                return ("reattached",) + outcome[1:] + self._auto_auth(c)
            return outcome + self.open_session(slot)
        return self.open_session(slot)

    def client(self, slot: int) -> RawClient:
        if self.clients[slot] is None:
            self.open_session(slot)
        return self.clients[slot]

    # steps ---------------------------------------------------------------
    def run(self, step: Step) -> list:
        if step.kind == "probe":
            return self._probe(step)
        if step.kind == "disconnect":
            return [("disconnect",), self.reattach(step.sess)]
        out = []
        if closes_without_reply(step) and self.clients[step.sess] is not None:
            out.append(("waiting",) + self.flush_events(step.sess))
        c = self.client(step.sess)
        if c is None:
            return out + [("no-session",)]
        pending = [r.op for r in step.requests]
        try:
            if step.kind == "raw":
                pending = [step.raw_op]
                c.sock.sendall(step.raw)
            else:
                for r in step.requests:
                    c.send_request(r.xid, r.op, r.body)
        except OSError:
            pass  # the server closed the connection: what it sent before is still read
        out += self.read_replies(step.sess, pending)
        if out[-1][0] == "reply" and self.must_close(step, out):
            out += self.wait_close(step.sess)
        if any(r.op == OpCode.closeSession for r in step.requests):
            # the closing session's own watches on its ephemeral nodes fire too
            events = [o for o in out if o[0] == "event"]
            out = sorted(events, key=repr) + [o for o in out if o[0] != "event"]
            out.append(("flush",) + tuple(self.flush_events(slot) for slot in range(SESSIONS) if slot != step.sess))
        return out

    @staticmethod
    def must_close(step: Step, out: list) -> bool:
        """Whether the server closes the connection after these replies: after
        an unknown op code, a failed auth or SASL packet, or closeSession. The
        close comes a moment after the reply, so the script waits for it
        before it uses the session again."""
        replies = [o for o in out if o[0] == "reply"]
        for r, reply in zip(step.requests, replies):
            if r.op not in VALID_OPS or r.op == OpCode.closeSession:
                return True
            if r.op in (OpCode.auth, OpCode.sasl) and reply[3] != 0:
                return True
        return False

    def wait_close(self, slot: int) -> list:
        c = self.clients[slot]
        try:
            hdr, body = c.read_message()
            return [("unexpected", hdr.xid, hdr.err, body.hex()), ("still-open",)]
        except (EOFError, ConnectionError):
            return [("closed",), self.reattach(slot)]
        except socket.timeout:
            return [("still-open",)]

    def flush_events(self, slot: int) -> tuple:
        """The events waiting for ``slot``, as a multiset: a closed session's
        ephemeral nodes go in the order of Java's HashSet of their paths
        (test_close_session_event_order checks that order on its own)."""
        if self.clients[slot] is None:
            return ()
        out = self.read_replies(slot, [OpCode.ping], send=(-2, OpCode.ping))
        return tuple(sorted(out, key=repr))

    def read_replies(self, slot: int, pending: list[int], send: tuple | None = None) -> list:
        c = self.clients[slot]
        out = []
        try:
            if send is not None:
                c.send_request(*send)
            while pending:
                hdr, body = c.read_message()
                if hdr.xid == -1 and hdr.zxid == -1:
                    out.append(("event",) + tuple(self.norm(decode_event(body))))
                    continue
                op = pending.pop(0)
                if self.base is None and hdr.zxid > 0:
                    self.base = hdr.zxid
                out.append(("reply", hdr.xid, self.zxid(hdr.zxid), hdr.err, self.norm(decode_reply(op, body))))
        except (EOFError, ConnectionError):
            out.append(("closed",))
            out.append(self.reattach(slot))
        except socket.timeout:
            out.append(("timeout",))
            out.append(self.reattach(slot))
        return out

    def _probe(self, step: Step) -> list:
        """A connect attempt on a new socket. With ``slot`` it names that slot's
        session: with its password the new socket takes the session over, with
        another one it is refused; either way the server closes the socket the
        session had (what it sent before is read first)."""
        args = dict(step.connect)
        slot = args.pop("slot", None)
        victim = None
        if slot is not None:
            victim = self.clients[slot]
            if victim is None:
                return [("no-session",)]
            args["session_id"] = victim.session_id
            args["passwd"] = args.pop("passwd", victim.passwd)
        if "last_zxid_rel" in args:
            args["last_zxid"] = (self.base or 0) + args.pop("last_zxid_rel")
        c, outcome = self._connect(**args)
        out = [outcome]
        if victim is not None:
            out.append(("old socket",) + tuple(self._drain(victim)))
            self.clients[slot] = None
            if c is not None:
                c.session_id, c.passwd = victim.session_id, victim.passwd
                self.clients[slot] = c
                return out
            victim.close()
            self.clients[slot] = victim
            out.append(self.reattach(slot))
            return out
        if c is not None:
            try:
                c.send_request(1, OpCode.closeSession)
                hdr, body = c.read_message()
                out.append(("reply", hdr.xid, self.zxid(hdr.zxid), hdr.err, decode_reply(OpCode.closeSession, body)))
            except (EOFError, OSError):
                out.append(("closed",))
            c.close()
        return out

    def _drain(self, c: RawClient) -> list:
        """What a socket gets until the server closes it."""
        out = []
        try:
            while True:
                hdr, body = c.read_message()
                if hdr.xid == -1:
                    out.append(("event",) + tuple(self.norm(decode_event(body))))
                else:
                    out.append(("unexpected", hdr.xid, hdr.err))
        except (EOFError, ConnectionError):
            out.append(("closed",))
        except socket.timeout:
            out.append(("still-open",))
        c.close()
        return out

    def close(self) -> None:
        for c in self.clients:
            if c is not None:
                c.close()


def closes_without_reply(step: Step) -> bool:
    """Whether the step sends a frame the server closes the connection on without a
    reply: a malformed frame, or one longer than jute.maxbuffer. Whether the watch
    events waiting for the session still reach the client then depends on timing:
    the server drops what it has not written yet, and when it closes with part of
    the frame unread the reset makes the client's end drop what it has not read.
    So the session's waiting events are read first, with a ping."""
    return step.kind == "raw" or (step.kind == "req" and any(8 + len(r.body) > MAX_FRAME for r in step.requests))


def decode_event(body: bytes) -> tuple:
    etype, state = struct.unpack(">ii", body[:8])
    (n,) = struct.unpack(">i", body[8:12])
    return etype, state, None if n == -1 else body[12:12 + n]


class Script:
    """Draws the steps from a seed. It learns which nodes exist from the Java
    server's replies, so that most requests meet real nodes."""

    def __init__(self, seed: int) -> None:
        self.rnd = random.Random(seed)
        self.xids = [0] * SESSIONS
        self.known = {"/d"}
        self.secret = {"/s"}
        self.versions: dict[str, Stat] = {}
        self.last_rel = 0

    # building blocks -----------------------------------------------------
    def xid(self, sess: int) -> int:
        self.xids[sess] += 1
        return self.xids[sess]

    def pick_known(self, secret: bool = False) -> str:
        pool = self.secret if secret else self.known
        return self.rnd.choice(sorted(pool))

    def path(self, watchable: bool = True, nullable: bool = False) -> str | bytes | None:
        """A path for a read or write; never one under /s when ``watchable``.
        Null paths go only to writes: for reads they are checked on their own
        (test_null_paths)."""
        r = self.rnd.random()
        if r < 0.55:
            return self.pick_known()
        if r < 0.75:
            return self.pick_known() + "/" + self.rnd.choice(NAMES)
        if r < 0.85 and not watchable:
            return self.pick_known(secret=True) + ("/" + self.rnd.choice(NAMES) if self.rnd.random() < .5 else "")
        if r < 0.93:
            bad = self.rnd.choice(BAD_PATHS)
            return "/d/nope" if bad is None and not nullable else bad
        return self.rnd.choice(["/", "/zookeeper", "/zookeeper/quota", "/zookeeper/config", "/nope",
                                "/d/nope/deeper", "/" + self.rnd.choice(NAMES)])

    def create_target(self) -> tuple[str | bytes | None, bool]:
        """(path, under /s) for a create."""
        r = self.rnd.random()
        if r < 0.7:
            return self.pick_known() + "/" + self.rnd.choice(NAMES), False
        if r < 0.82:
            parent = self.pick_known(secret=True)
            return parent + "/" + self.rnd.choice(NAMES), True
        if r < 0.9:
            return "/" + self.rnd.choice(NAMES), False
        return self.rnd.choice(BAD_PATHS + ["/zookeeper/quota/q", "/d/nope/x"]), False

    def acl(self, secret: bool):
        if self.rnd.random() < 0.2:
            return self.rnd.choice(BAD_ACLS)
        return self.rnd.choice(SECRET_ACLS if secret else OPEN_ACLS)

    def data(self) -> bytes | None:
        r = self.rnd.random()
        if r < 0.6:
            return bytes(self.rnd.randrange(256) for _ in range(self.rnd.randrange(12)))
        if r < 0.75:
            return b""
        if r < 0.85:
            return None
        if r < 0.97:
            return bytes(self.rnd.randrange(32, 127) for _ in range(self.rnd.choice([100, 1000, 4096])))
        if r < 0.99:
            return b"L" * (MAX_FRAME - 600)
        return b"X" * (MAX_FRAME + 10)

    def version(self, path=None, field: str = "version") -> int:
        """A version to send: often the one the node has, as last seen."""
        if path in self.versions and self.rnd.random() < 0.4:
            return getattr(self.versions[path], field)
        return self.rnd.choice(VERSIONS)

    # op bodies -----------------------------------------------------------
    def create_body(self, op: int, in_multi: bool = False) -> tuple[bytes, str, bool]:
        path, secret = self.create_target()
        data, acl = self.data(), self.acl(secret)
        if in_multi and op == OpCode.createContainer:
            flags = 4
        elif in_multi and op == OpCode.create:
            flags = self.rnd.choice([0, 0, 1, 2, 3, 4])
        elif op == OpCode.createContainer:
            flags = self.rnd.choice([4, 4, 4, 0, 1, 5])
        elif op == OpCode.createTTL:
            flags = self.rnd.choice([5, 5, 6, 6, 0, 1, 4])
        else:
            flags = self.rnd.choice(CREATE_FLAGS)
        w = RequestWriter().string(path).buffer(data).acls(acl).int(flags)
        desc = f"{path!r} data={len(data) if data is not None else None} acl={acl} flags={flags}"
        if op == OpCode.createTTL:
            # a negative ttl with a mode that is not TTL kills Java's server (see the last test)
            ttl = self.rnd.choice(TTLS if flags in (5, 6) else [t for t in TTLS if t >= 0])
            w.long(ttl)
            desc += f" ttl={ttl}"
        return w.getvalue(), desc, secret

    def request(self, sess: int, op: int) -> Request:
        w = RequestWriter()
        rnd = self.rnd
        if op in (OpCode.create, OpCode.create2, OpCode.createContainer, OpCode.createTTL):
            body, desc, _ = self.create_body(op)
            return Request(self.xid(sess), op, body, f"{op_name(op)} {desc}")
        if op == OpCode.deleteContainer and rnd.random() < 0.3:
            path = self.pick_known()
            return Request(self.xid(sess), op, path.encode(), f"deleteContainer with the bare path {path!r}")
        if op in (OpCode.delete, OpCode.deleteContainer):
            path = self.path(watchable=False, nullable=True)
            version = self.version(path)
            return Request(self.xid(sess), op, w.string(path).int(version).getvalue(),
                           f"{op_name(op)} {path!r} v={version}", path)
        if op in (OpCode.exists, OpCode.getData, OpCode.getChildren, OpCode.getChildren2):
            if op == OpCode.exists or rnd.random() < 0.5:
                path, watch = self.path(watchable=True), rnd.random() < 0.5
            else:
                path, watch = self.path(watchable=False), False
            if watch and not is_watchable(path):
                watch = False
            return Request(self.xid(sess), op, w.string(path).bool(watch).getvalue(),
                           f"{op_name(op)} {path!r} watch={watch}", path)
        if op == OpCode.setData:
            path, data = self.path(watchable=False, nullable=True), self.data()
            version = self.version(path)
            return Request(self.xid(sess), op, w.string(path).buffer(data).int(version).getvalue(),
                           f"setData {path!r} data={None if data is None else len(data)} v={version}", path)
        if op == OpCode.getACL:
            path = self.path(watchable=False)
            return Request(self.xid(sess), op, w.string(path).getvalue(), f"getACL {path!r}", path)
        if op == OpCode.setACL:
            path = self.path(watchable=False, nullable=True)
            secret = isinstance(path, str) and path.startswith("/s")
            if path in ("/", "/s", "/d") or path is None:
                acl = [(ALL, "world", "somebody")]
            else:
                acl = self.acl(secret)
            version = self.version(path, "aversion")
            return Request(self.xid(sess), op, w.string(path).acls(acl).int(version).getvalue(),
                           f"setACL {path!r} {acl} v={version}", path)
        if op in (OpCode.getAllChildrenNumber, OpCode.sync):
            path = self.path(watchable=False)
            return Request(self.xid(sess), op, w.string(path).getvalue(), f"{op_name(op)} {path!r}")
        if op == OpCode.getEphemerals:
            prefix = rnd.choice(["/", "/d", "/d/a", "", "/s", "/nope", None, "d", "/d/ä"])
            return Request(self.xid(sess), op, w.string(prefix).getvalue(), f"getEphemerals {prefix!r}")
        if op == OpCode.ping:
            xid = -2 if rnd.random() < 0.8 else self.xid(sess)
            return Request(xid, op, b"", "ping")
        if op in (OpCode.setWatches, OpCode.setWatches2):
            rel = rnd.choice([0, self.last_rel, max(self.last_rel - rnd.randrange(1, 20), 0), self.last_rel + 5])
            lists = [[p for p in (self.path(watchable=True) for _ in range(rnd.randrange(4))) if is_watchable(p)]
                     for _ in range(3 if op == OpCode.setWatches else 5)]
            w.long(rel)  # replaced per server: relative to its first zxid
            for lst in lists:
                w.strings(lst)
            return Request(-8, op, ("relzxid", rel, w.getvalue()[8:]), f"{op_name(op)} rel={rel} {lists}")
        if op == OpCode.addWatch:
            path = self.path(watchable=True)
            if not is_watchable(path):
                path = "/d"
            mode = rnd.choice([0, 0, 1, 1, 2, -1])
            if path == "/" and mode != 0:
                mode = 0
            return Request(self.xid(sess), op, w.string(path).int(mode).getvalue(), f"addWatch {path!r} mode={mode}")
        if op in (OpCode.removeWatches, OpCode.checkWatches):
            path = self.path(watchable=True)
            if path is None or isinstance(path, str) and path[:1] not in ("/", ""):
                path = "/d"  # null and relative paths are checked on their own (test_watch_ops_bad_paths)
            wtype = rnd.choice([1, 2, 3, 3, 0, 4])
            return Request(self.xid(sess), op, w.string(path).int(wtype).getvalue(),
                           f"{op_name(op)} {path!r} type={wtype}")
        if op == OpCode.whoAmI:
            return Request(self.xid(sess), op, b"", "whoAmI")
        if op == OpCode.auth:
            scheme, auth = rnd.choice([("digest", b"alice:secret"), ("digest", b"alice:secret"),
                                       ("digest", b"bob:pw"), ("digest", b"alice:wrong"),
                                       ("digest", b"nocolon"), ("ip", b""), ("ip", b"10.0.0.1"),
                                       ("nosuchscheme", b"x"), ("world", b"anyone"), ("sasl", b"x"),
                                       ("super", b""), ("digest", "ä:ö".encode())])
            xid = -4 if rnd.random() < 0.9 else self.xid(sess)
            return Request(xid, op, w.int(0).string(scheme).buffer(auth).getvalue(), f"auth {scheme} {auth!r}")
        if op == OpCode.sasl:
            token = rnd.choice([b"", b"abc", None])
            return Request(self.xid(sess), op, w.buffer(token).getvalue(), f"sasl token={token!r}")
        if op == OpCode.reconfig:
            args = rnd.choice([(None, None, None, -1), ("server.2=127.0.0.1:1234:1235", None, None, -1),
                               (None, "1", None, 0), (None, None, "server.1=127.0.0.1:1:2;3", 5)])
            w.string(args[0]).string(args[1]).string(args[2]).long(args[3])
            return Request(self.xid(sess), op, w.getvalue(), f"reconfig {args}")
        if op in (OpCode.multi, OpCode.multiRead):
            return self.multi(sess, op)
        if op == OpCode.closeSession:
            return Request(self.xid(sess), op, b"", "closeSession")
        return Request(self.xid(sess), op, bytes(rnd.randrange(256) for _ in range(rnd.randrange(12))),
                       f"unknown op {op}")

    def multi(self, sess: int, op: int) -> Request:
        rnd = self.rnd
        w = RequestWriter()
        descs = []
        read_only = op == OpCode.multiRead
        for _ in range(rnd.choice([0, 1, 2, 3, 3, 4, 5])):
            if read_only:
                t = rnd.choice([OpCode.getData, OpCode.getData, OpCode.getChildren, OpCode.getChildren,
                                OpCode.create, OpCode.exists])
            else:
                t = rnd.choice([OpCode.create, OpCode.create, OpCode.createContainer, OpCode.createTTL,
                                OpCode.delete, OpCode.delete, OpCode.setData, OpCode.setData, OpCode.check,
                                OpCode.check, OpCode.getData, OpCode.exists])
            w.int(t).bool(False).int(-1)
            if t in (OpCode.create, OpCode.create2, OpCode.createContainer, OpCode.createTTL):
                body, desc, _ = self.create_body(t, in_multi=True)
                w.raw(body)
            elif t in (OpCode.delete, OpCode.check):
                path = self.path(watchable=False, nullable=True)
                version = self.version(path)
                w.string(path).int(version)
                desc = f"{path!r} v={version}"
            elif t == OpCode.setData:
                path = self.path(watchable=False, nullable=True)
                version = self.version(path)
                data = rnd.choice([b"m", b"", None, b"multi-data"])
                w.string(path).buffer(data).int(version)
                desc = f"{path!r} {data!r} v={version}"
            else:
                path = self.path(watchable=True)
                watch = rnd.random() < 0.3 and is_watchable(path)
                w.string(path).bool(watch)
                desc = f"{path!r} watch={watch}"
            descs.append(f"{op_name(t)} {desc}")
        w.int(-1).bool(True).int(-1)
        body = w.getvalue()
        if rnd.random() < 0.05 and len(body) > 13:
            body = body[:-13]
            descs.append("(no end marker)")
        return Request(self.xid(sess), op, body, f"{op_name(op)} [{'; '.join(descs)}]")

    # steps ---------------------------------------------------------------
    OPS = [
        (OpCode.create, 8), (OpCode.create2, 6), (OpCode.createContainer, 3), (OpCode.createTTL, 3),
        (OpCode.delete, 6), (OpCode.deleteContainer, 1), (OpCode.exists, 6), (OpCode.getData, 6),
        (OpCode.setData, 6), (OpCode.getACL, 3), (OpCode.setACL, 3), (OpCode.getChildren, 4),
        (OpCode.getChildren2, 4), (OpCode.getAllChildrenNumber, 2), (OpCode.getEphemerals, 2),
        (OpCode.multi, 6), (OpCode.multiRead, 3), (OpCode.sync, 2), (OpCode.ping, 2), (OpCode.setWatches, 2),
        (OpCode.setWatches2, 2), (OpCode.addWatch, 3), (OpCode.removeWatches, 2), (OpCode.checkWatches, 2),
        (OpCode.whoAmI, 1), (OpCode.auth, 2), (OpCode.sasl, 1), (OpCode.reconfig, 1),
    ]

    def next_step(self) -> Step:
        rnd = self.rnd
        sess = rnd.randrange(SESSIONS)
        r = rnd.random()
        if r < 0.004:
            return Step("req", sess, [self.request(sess, OpCode.closeSession)])
        if r < 0.012:
            return Step("req", sess, [self.request(sess, rnd.choice(UNKNOWN_OPS))])
        if r < 0.02:
            return Step("disconnect", sess, desc="client closes the socket and re-attaches")
        if r < 0.028:
            return self.bad_frame(sess)
        if r < 0.034:
            return self.probe(sess)
        if r < 0.06:
            return self.quota_step(sess)
        ops, weights = zip(*self.OPS)
        if r < 0.12:
            requests = [self.request(sess, rnd.choices(ops, weights)[0]) for _ in range(rnd.randrange(2, 6))]
            # a request that makes the server close the connection ends a pipeline at a
            # point that depends on timing, so those requests travel alone
            requests = [q for q in requests
                        if q.op not in (OpCode.auth, OpCode.sasl) and len(q.body) < MAX_FRAME] or requests[:1]
            return Step("req", sess, requests, desc="pipelined: " + "; ".join(q.desc for q in requests))
        return Step("req", sess, [self.request(sess, rnd.choices(ops, weights)[0])])

    def quota_step(self, sess: int) -> Step:
        """One write under /qt, whose quota is soon exceeded."""
        rnd = self.rnd
        path = f"/qt/n{rnd.randrange(14)}"
        data = b"q" * rnd.choice([0, 10, 500, 2000, 5000])
        op = rnd.choice([OpCode.create, OpCode.create, OpCode.create2, OpCode.delete, OpCode.setData])
        w = RequestWriter()
        if op == OpCode.delete:
            w.string(path).int(-1)
        elif op == OpCode.setData:
            w.string(path).buffer(data).int(-1)
        else:
            w.string(path).buffer(data).acls([(ALL, "world", "anyone")]).int(rnd.choice([0, 0, 1, 2]))
        return Step("req", sess, [Request(self.xid(sess), op, w.getvalue(), f"{op_name(op)} {path} {len(data)}")])

    def bad_frame(self, sess: int) -> Step:
        rnd = self.rnd
        kind = rnd.choice(["truncated", "header-only", "negative-length", "over-long", "short-header"])
        if kind == "truncated":
            op = rnd.choice([OpCode.create, OpCode.setData, OpCode.getData, OpCode.multi, OpCode.setACL,
                             OpCode.auth, OpCode.setWatches, OpCode.createTTL, OpCode.exists])
            req = self.request(sess, op)
            body = req.body[2] if isinstance(req.body, tuple) else req.body
            cut = body[:rnd.randrange(len(body))] if body else b""
            payload = struct.pack(">ii", req.xid, op) + cut
            return Step("raw", sess, raw=struct.pack(">i", len(payload)) + payload, raw_op=op,
                        desc=f"truncated {req.desc!r} to {len(cut)} body bytes")
        if kind == "header-only":
            op = rnd.choice([OpCode.create, OpCode.getData, OpCode.delete, OpCode.getChildren])
            payload = struct.pack(">ii", self.xid(sess), op)
            return Step("raw", sess, raw=struct.pack(">i", len(payload)) + payload, raw_op=op,
                        desc=f"{op_name(op)} with no body")
        if kind == "short-header":
            return Step("raw", sess, raw=struct.pack(">i", 3) + b"\x00\x00\x01", raw_op=0, desc="3-byte frame")
        if kind == "negative-length":
            return Step("raw", sess, raw=struct.pack(">i", -5), raw_op=0, desc="frame length -5")
        return Step("raw", sess, raw=struct.pack(">i", MAX_FRAME + 1) + b"\x00" * 64, raw_op=0,
                    desc=f"frame length {MAX_FRAME + 1}")

    def probe(self, sess: int) -> Step:
        kind = self.rnd.choice(["timeout-low", "timeout-high", "bad-passwd", "future-zxid", "timeout-zero",
                                "takeover", "takeover", "old-client", "read-only"])
        if kind == "old-client":
            return Step("probe", sess, connect={"read_only": None}, desc="connect without the readOnly flag")
        if kind == "read-only":
            return Step("probe", sess, connect={"read_only": True}, desc="connect as a read-only client")
        if kind == "takeover":
            timeout = self.rnd.choice([SESSION_TIMEOUT, 120000])
            return Step("probe", sess, connect={"slot": sess, "timeout_ms": timeout},
                        desc=f"take S{sess}'s session over on a new socket, asking for {timeout} ms")
        if kind == "timeout-low":
            return Step("probe", sess, connect={"timeout_ms": 1}, desc="connect with timeout 1 ms")
        if kind == "timeout-zero":
            return Step("probe", sess, connect={"timeout_ms": 0}, desc="connect with timeout 0")
        if kind == "timeout-high":
            return Step("probe", sess, connect={"timeout_ms": 10**9}, desc="connect with timeout 1e9 ms")
        if kind == "bad-passwd":
            return Step("probe", sess, connect={"slot": sess, "passwd": b"\x01" * 16},
                        desc=f"re-attach S{sess}'s session with a wrong password")
        return Step("probe", sess, connect={"last_zxid_rel": 10**6}, desc="connect having seen a future zxid")

    def observe(self, step: Step, outcome: list) -> None:
        """Learn from the Java server's outcome which nodes exist."""
        replies = [o for o in outcome if o[0] == "reply"]
        for req, rep in zip(step.requests, replies):
            _, _, zxid, err, body = rep
            if isinstance(zxid, str):
                self.last_rel = max(self.last_rel, int(zxid[1:]))
            if err != 0 or not body:
                continue
            stat = next((v for v in body if isinstance(v, Stat)), None) if isinstance(body, tuple) else None
            if stat is not None and isinstance(req.path, str):
                self.versions[req.path] = stat
            if req.op in (OpCode.create, OpCode.create2, OpCode.createContainer, OpCode.createTTL):
                self.learn_created(body[0])
            elif req.op == OpCode.multi:
                for t, _, res in body:
                    if t in (OpCode.create, OpCode.create2) and res:
                        self.learn_created(res[0])

    def learn_created(self, raw) -> None:
        if not isinstance(raw, bytes):
            return  # a long path, shown by its digest
        try:
            path = raw.decode("utf-8")
        except UnicodeDecodeError:
            return
        if path == "/qt" or path.startswith("/qt/"):
            return  # see setup_steps
        (self.secret if path.startswith("/s/") else self.known).add(path)
        if len(self.known) > 60:
            self.known.discard(self.rnd.choice(sorted(self.known - {"/d"})))
        if len(self.secret) > 20:
            self.secret.discard(self.rnd.choice(sorted(self.secret - {"/s"})))


def is_watchable(path) -> bool:
    """Whether a watch may be set on ``path`` in the random run (not under /s)."""
    if isinstance(path, bytes):
        return not path.startswith(b"/s")
    return path is not None and not path.startswith("/s")


_OP_NAMES = {v: k for k, v in vars(OpCode).items() if isinstance(v, int) and not k.startswith("_")}


def op_name(op: int) -> str:
    return _OP_NAMES.get(op, str(op))


def bind_step(step: Step, ep: Endpoint) -> Step:
    """The step with zxids the script gives relative to the first zxid made absolute."""
    if not any(isinstance(r.body, tuple) for r in step.requests):
        return step
    requests = []
    for r in step.requests:
        if isinstance(r.body, tuple):
            _, rel, rest = r.body
            r = r._replace(body=struct.pack(">q", (ep.base or 0) + rel if rel else 0) + rest)
        requests.append(r)
    return Step(step.kind, step.sess, requests, step.raw, step.raw_op, step.connect, step.desc)


def setup_steps() -> list[Step]:
    """/d and /s, and /qt with a quota made as zkCli's setquota makes one.
    Java checks a quota against the tree as committed, not against the changes
    still in the pipeline, so the answer to a pipelined write under a quota
    depends on timing: /qt only gets requests sent alone (Script.quota_step)."""
    steps = []
    for acl, path, data in (
            ([(ALL, "world", "anyone")], "/d", b""),
            ([(ALL, "digest", ALICE), (CREATE | DELETE, "world", "anyone")], "/s", b""),
            ([(ALL, "world", "anyone")], "/qt", b""),
            ([(ALL, "world", "anyone")], "/zookeeper/quota/qt", None),
            ([(ALL, "world", "anyone")], "/zookeeper/quota/qt/zookeeper_limits",
             b"count=6,bytes=3000=;byteHardLimit=12000;countHardLimit=10"),
            ([(ALL, "world", "anyone")], "/zookeeper/quota/qt/zookeeper_stats", b"count=0,bytes=0")):
        body = RequestWriter().string(path).buffer(data).acls(acl).int(0).getvalue()
        steps.append(Step("req", 0, [Request(1000 + len(steps), OpCode.create, body, f"create {path} {acl}")]))
    return steps


def dump_steps() -> list[Step]:
    """A final look at every session's pending events and the whole tree."""
    steps = [Step("req", s, [Request(-2, OpCode.ping, b"", "ping")]) for s in range(SESSIONS)]
    auth = RequestWriter().int(0).string("digest").buffer(b"alice:secret").getvalue()
    steps.append(Step("req", 0, [Request(-4, OpCode.auth, auth, "auth digest alice")]))
    return steps


def tree_dump(ep: Endpoint) -> list:
    """Every node reachable from / with its data and Stat, as alice on S0."""
    out = []
    todo = ["/"]
    c = ep.client(0)
    xid = 50000
    while todo:
        path = todo.pop()
        xid += 1
        c.send_request(xid, OpCode.getData, RequestWriter().string(path).bool(False).getvalue())
        hdr, body = c.read_message()
        data = ep.norm(decode_reply(OpCode.getData, body))
        xid += 1
        c.send_request(xid, OpCode.getChildren, RequestWriter().string(path).bool(False).getvalue())
        hdr2, body2 = c.read_message()
        children = decode_reply(OpCode.getChildren, body2)
        out.append((path, hdr.err, data, hdr2.err, ep.norm(children)))
        if hdr2.err == 0:
            for child in sorted(children[0]):
                todo.append(path.rstrip("/") + "/" + child.decode("utf-8", "surrogatepass"))
    return sorted(out, key=lambda item: item[0])


def run_lockstep(java: Endpoint, py: Endpoint, steps_count: int, seed: int, restart=None) -> int:
    """Run the script on both servers; ``restart`` is called half way."""
    script = Script(seed)
    history: list[str] = []

    def compare(step: Step, index: int) -> list:
        outcome_java = java.run(bind_step(step, java))
        outcome_py = py.run(bind_step(step, py))
        history.append(f"#{index} {step}\n      -> {str(outcome_java)[:300]}")
        if outcome_java != outcome_py:
            context = "\n".join(history[-8:])
            pytest.fail(f"step #{index} differs (seed {seed})\n{step}\n"
                        f"java: {outcome_java}\npy:   {outcome_py}\nlast steps:\n{context}")
        return outcome_java

    for slot in range(SESSIONS):
        a, b = java.open_session(slot), py.open_session(slot)
        assert a == b, (a, b)
    ping = Step("req", 0, [Request(-2, OpCode.ping, b"", "ping")])
    compare(ping, -1)
    for step in setup_steps():
        compare(step, -1)
    for index in range(steps_count):
        if restart is not None and index == steps_count // 2:
            restart()
        step = script.next_step()
        script.observe(step, compare(step, index))
    for step in dump_steps():
        compare(step, steps_count)
    tree_java, tree_py = tree_dump(java), tree_dump(py)
    assert tree_java == tree_py
    return len(tree_java)


def start_pair(root, flags: list[str] = JVM_FLAGS):
    java = JavaZooKeeperServer(root / "java", extra_cfg=CFG, jvm_args=flags)
    py = PyZooKeeperServer(root / "py", extra_cfg=CFG, jvm_flags=" ".join(flags))
    java.start()
    try:
        py.start()
    except BaseException:
        py.stop()
        java.stop()
        raise
    return java, py


@pytest.fixture(scope="module")
def servers(java_available, tmp_path_factory):
    """The pair for the random run."""
    java, py = start_pair(tmp_path_factory.mktemp("diff"), JVM_FLAGS + ["-Dzookeeper.enforceQuota=true"])
    yield java, py
    py.stop()
    java.stop()


@pytest.fixture(scope="module")
def pair_servers(java_available, tmp_path_factory):
    """A second pair for the single cases, so that their differences leave the
    random run's servers alike."""
    java, py = start_pair(tmp_path_factory.mktemp("cases"))
    yield java, py
    py.stop()
    java.stop()


class Pair:
    """Fresh sessions on both servers of a pair; ``both`` sends one step to each."""

    def __init__(self, java_port: int, py_port: int, keep_order: bool = False) -> None:
        self.java = Endpoint("java", java_port, keep_order)
        self.py = Endpoint("py", py_port, keep_order)
        self.xid = 0
        self.both(Step("req", 0, [Request(-2, OpCode.ping, b"", "ping")]))

    def both(self, step: Step) -> tuple[list, list]:
        return self.java.run(bind_step(step, self.java)), self.py.run(bind_step(step, self.py))

    def send(self, sess: int, op: int, body: bytes = b"", xid: int | None = None) -> tuple[list, list]:
        if xid is None:
            self.xid += 1
            xid = self.xid
        return self.both(Step("req", sess, [Request(xid, op, body, op_name(op))]))

    def same(self, sess: int, op: int, body: bytes = b"", xid: int | None = None) -> list:
        java, py = self.send(sess, op, body, xid)
        assert py == java, f"{op_name(op)}: java {java}, py {py}"
        return java

    def create(self, sess: int, path: str, acl=None, flags: int = 0, data: bytes = b"") -> list:
        body = RequestWriter().string(path).buffer(data).acls(acl or [(ALL, "world", "anyone")]).int(flags)
        out = self.same(sess, OpCode.create, body.getvalue())
        assert out[0][3] == 0, out
        return out

    def auth(self, sess: int, user_password: bytes) -> None:
        body = RequestWriter().int(0).string("digest").buffer(user_password).getvalue()
        assert self.same(sess, OpCode.auth, body, xid=-4)[0][3] == 0

    def close(self) -> None:
        self.java.close()
        self.py.close()


@pytest.fixture
def pair(pair_servers):
    java, py = pair_servers
    p = Pair(java.port, py.port)
    yield p
    p.close()


@pytest.fixture
def ordered_pair(pair_servers):
    """Like ``pair``, but lists in replies keep the order the server sent."""
    java, py = pair_servers
    p = Pair(java.port, py.port, keep_order=True)
    yield p
    p.close()


def unique(prefix: str) -> str:
    return f"/{prefix}-{os.urandom(4).hex()}"


def logged_txns(data_dir, ep: Endpoint) -> list:
    """The txn log a server wrote, normalised as replies are (times left out;
    a closeSession's paths sorted, as their order is that of the ephemeral
    nodes, see test_close_session_event_order)."""
    out = []
    itr = FileTxnLog(data_dir / "version-2").read(1)
    try:
        while itr.getHeader() is not None:
            hdr, txn = itr.getHeader(), itr.getTxn()
            if isinstance(txn, CloseSessionTxn) and txn.paths2Delete:
                txn = CloseSessionTxn(sorted(txn.paths2Delete))
            out.append((ep.zxid(hdr.zxid), hdr.cxid, ep.owner(hdr.clientId), op_name(hdr.type),
                        txn.toString() if txn is not None else None))
            if not itr.next():
                break
    finally:
        itr.close()
    return out


def test_random_requests_match_java(servers):
    """The random run; half way both servers are stopped and started again on
    their data directories, and the sessions re-attach as the script goes on."""
    java_server, py_server = servers
    java, py = Endpoint("java", java_server.port), Endpoint("py", py_server.port)

    def restart() -> None:
        for server in (java_server, py_server):
            server.stop()
            server.start()

    try:
        nodes = run_lockstep(java, py, STEPS, SEED, restart)
    finally:
        java.close()
        py.close()
    assert nodes > 10
    txns_java, txns_py = logged_txns(java_server.data_dir, java), logged_txns(py_server.data_dir, py)
    assert len(txns_java) > STEPS // 3
    for entry_java, entry_py in zip(txns_java, txns_py):
        assert entry_py == entry_java, f"txn logs differ:\njava: {entry_java}\npy:   {entry_py}"
    assert len(txns_py) == len(txns_java)


# Single cases -----------------------------------------------------------------
# Each runs on fresh sessions of a second server pair. Cases that the Debian
# 3.8.0 jar answers differently because of a fix in a later 3.8.x release assert
# both answers.

W = RequestWriter
OPEN = [(ALL, "world", "anyone")]


def multi_body(*ops: tuple[int, bytes]) -> bytes:
    w = W()
    for t, body in ops:
        w.int(t).bool(False).int(-1).raw(body)
    return w.int(-1).bool(True).int(-1).getvalue()


def test_acl_lists_keep_their_order(ordered_pair):
    base = unique("acl")
    acl = [(READ, "ip", "127.0.0.1"), (ADMIN, "digest", ALICE), (ALL, "world", "anyone"), (READ, "ip", "10.0.0.0/8")]
    ordered_pair.create(0, base, acl)
    out = ordered_pair.same(1, OpCode.getACL, W().string(base).getvalue())
    assert [a[0] for a in out[0][4][0]] == [READ, ADMIN, ALL, READ]


def test_sasl_packet_without_token_closes_the_connection(pair):
    out = pair.same(0, OpCode.sasl, W().buffer(None).getvalue())
    assert out[0] == ("closed",)
    assert pair.same(0, OpCode.sasl, W().buffer(b"").getvalue())[0][3] == 0


def test_delete_container_sent_by_a_client(pair):
    """Java reads a deleteContainer's path from the whole frame, request header
    included, so a client's request never names a node."""
    base = unique("dc")
    pair.create(0, base, flags=4)
    for body in (base.encode(), W().string(base).int(-1).getvalue(), b""):
        assert pair.same(0, OpCode.deleteContainer, body)[0][3] == -8
    assert pair.same(1, OpCode.exists, W().string(base).bool(False).getvalue())[0][3] == 0


def test_later_3_8_fix_top_level_check_is_unknown(pair):
    """3.8.0 takes a check op outside a multi for a txn and never answers it;
    later 3.8.x (Request.isValid) treat it as an unknown op code."""
    body = W().string("/").int(-1).getvalue()
    pair.java.client(0).sock.settimeout(3)
    java, py = pair.send(0, OpCode.check, body)
    assert java[0] == ("timeout",)
    assert py[0][:2] == ("reply", pair.xid) and py[0][3] == -6 and py[1] == ("closed",)


def test_later_3_8_fix_exists_needs_read_permission(pair):
    base = unique("ex")
    pair.create(0, base, [(ALL, "digest", ALICE)])
    java, py = pair.send(1, OpCode.exists, W().string(base).bool(False).getvalue())
    assert java[0][3] == 0 and isinstance(java[0][4][0], Stat)
    assert py[0][3] == -102


def test_watch_events_need_read_permission(pair):
    """Debian's 3.8.0 carries the CVE-2024-23944 fix: no event on a node the
    watcher may not read."""
    base = unique("we")
    pair.create(0, base)
    pair.same(1, OpCode.exists, W().string(base).bool(True).getvalue())
    pair.same(1, OpCode.addWatch, W().string(base).int(1).getvalue())
    pair.same(0, OpCode.setACL, W().string(base).acls([(WRITE | ADMIN | CREATE, "world", "anyone")]).int(-1).getvalue())
    pair.same(0, OpCode.setData, W().string(base).buffer(b"x").int(-1).getvalue())
    pair.create(0, base + "/child", [(WRITE, "world", "anyone")])
    assert [o[0] for o in pair.same(1, OpCode.ping, xid=-2)] == ["reply"]


def test_later_3_8_fix_create_ops_in_multi(pair):
    """Later 3.8.x keep a multi's create2/createContainer op type (so create2
    answers with a Stat) and reject an invalid create mode while reading the
    multi; 3.8.0 answers create for both and fails only that op."""
    base = unique("mc")
    pair.create(0, base)
    create = lambda name, flags: W().string(f"{base}/{name}").buffer(b"").acls(OPEN).int(flags).getvalue()
    java, py = pair.send(0, OpCode.multi, multi_body((OpCode.create2, create("a", 0))))
    assert java[0][4] == ((OpCode.create, 0, (f"{base}/a".encode(),)),)
    assert py[0][4][0][:2] == (OpCode.create2, 0) and isinstance(py[0][4][0][2][1], Stat)
    java, py = pair.send(0, OpCode.multi, multi_body((OpCode.createContainer, create("b", 0))))
    assert java[0][4][0][0] == OpCode.create and py[0][4][0][0] == OpCode.create2
    java, py = pair.send(0, OpCode.multi, multi_body((OpCode.create, create("c", 7))))
    assert java[0][3] == 0 and java[0][4] == ((OpCode.error, -8, (-8,)),)
    assert py[0][3] == -5


def test_create_ttl_with_a_plain_mode_keeps_the_server_up(java_available, tmp_path):
    """A createTTL whose mode is not a TTL mode and whose ttl is negative passes
    Java's checks, is logged, and then fails to apply: Java's SyncThread dies and
    the server exits. This server answers BADARGUMENTS and serves on."""
    java_server, py_server = start_pair(tmp_path)
    try:
        p = Pair(java_server.port, py_server.port)
        body = W().string("/ttl").buffer(b"").acls(OPEN).int(0).long(-1).getvalue()
        java, py = p.send(0, OpCode.createTTL, body)
        assert py[0][3] == -8
        exists = Step("req", 1, [Request(5, OpCode.exists, W().string("/ttl").bool(False).getvalue(), "exists")])
        assert p.py.run(exists)[0][3] == -101
        java_server.proc.wait(30)
        assert java_server.proc.returncode != 0
        assert "ttl must be positive" in java_server.log_text()
        p.close()
    finally:
        py_server.stop()
        java_server.stop()


NULL_PATH_CASES = {
    "exists": (OpCode.exists, W().string(None).bool(True).getvalue()),
    "sync": (OpCode.sync, W().string(None).getvalue()),
    "getEphemerals": (OpCode.getEphemerals, W().string(None).getvalue()),
    "create": (OpCode.create, W().string(None).buffer(b"").acls(OPEN).int(0).getvalue()),
    "delete": (OpCode.delete, W().string(None).int(-1).getvalue()),
    "setData": (OpCode.setData, W().string(None).buffer(b"").int(-1).getvalue()),
    "setACL": (OpCode.setACL, W().string(None).acls(OPEN).int(-1).getvalue()),
    "getData": (OpCode.getData, W().string(None).bool(False).getvalue()),
    "getChildren": (OpCode.getChildren, W().string(None).bool(False).getvalue()),
    "getChildren2": (OpCode.getChildren2, W().string(None).bool(False).getvalue()),
    "getACL": (OpCode.getACL, W().string(None).getvalue()),
    "getAllChildrenNumber": (OpCode.getAllChildrenNumber, W().string(None).getvalue()),
    "multiRead-getData": (OpCode.multiRead, multi_body((OpCode.getData, W().string(None).bool(False).getvalue()))),
    "setWatches-data": (OpCode.setWatches, W().long(0).strings([None]).strings([]).strings([]).getvalue()),
    "setWatches-exist": (OpCode.setWatches, W().long(0).strings([]).strings([None]).strings([]).getvalue()),
}


@pytest.mark.parametrize("case", list(NULL_PATH_CASES))
def test_null_paths(pair, case):
    op, body = NULL_PATH_CASES[case]
    pair.same(0, op, body)


def test_watch_requests_with_a_null_path(pair):
    outcomes = [pair.send(0, op, body) for op, body in (
        (OpCode.addWatch, W().string(None).int(0).getvalue()),
        (OpCode.addWatch, W().string(None).int(1).getvalue()),
        (OpCode.setWatches2, W().long(0).strings([]).strings([]).strings([]).strings([None]).strings([]).getvalue()),
        (OpCode.checkWatches, W().string(None).int(3).getvalue()),
        (OpCode.removeWatches, W().string(None).int(3).getvalue()))]
    assert [py for _, py in outcomes] == [java for java, _ in outcomes]


def test_check_watches_with_a_relative_path(pair):
    pair.same(0, OpCode.checkWatches, W().string("k").int(3).getvalue())


def test_auth_ids_order(ordered_pair):
    """whoAmI lists a connection's ids in the order of Java's ConcurrentHashMap-backed set."""
    for user in (b"carol:c", b"alice:secret", b"bob:pw"):
        ordered_pair.auth(2, user)
    ordered_pair.same(2, OpCode.whoAmI)


def test_auth_acl_expansion_order(ordered_pair):
    """An "auth" ACL expands to the caller's ids in the order of that set."""
    for user in (b"carol:c", b"alice:secret", b"bob:pw"):
        ordered_pair.auth(2, user)
    base = unique("aa")
    ordered_pair.create(2, base, [(ALL, "auth", "")])
    ordered_pair.same(2, OpCode.getACL, W().string(base).getvalue())


def test_children_order(ordered_pair):
    base = unique("co")
    ordered_pair.create(0, base)
    for name in [f"c{i}" for i in range(10)] + ["zz", "ä", "b1"]:
        ordered_pair.create(0, f"{base}/{name}")
    ordered_pair.same(1, OpCode.getChildren, W().string(base).bool(False).getvalue())


def test_close_session_event_order(ordered_pair):
    base = unique("ce")
    ordered_pair.create(0, base)
    names = [f"{base}/e{i}" for i in range(8)]
    for name in names:
        ordered_pair.create(2, name, flags=1)
        ordered_pair.same(1, OpCode.exists, W().string(name).bool(True).getvalue())
    # sent on the raw connections: a closeSession step of the script would
    # read the other sessions' events itself, as a multiset
    for ep in (ordered_pair.java, ordered_pair.py):
        ep.client(2).send_request(1, OpCode.closeSession, b"")
        assert ep.read_replies(2, [OpCode.closeSession])[-1][3] == 0
    java_events, py_events = (ordered_pair.java.read_replies(1, [OpCode.ping], send=(-2, OpCode.ping)),
                              ordered_pair.py.read_replies(1, [OpCode.ping], send=(-2, OpCode.ping)))
    assert len(java_events) == 9
    assert py_events == java_events


def test_ephemerals_order(ordered_pair):
    base = unique("eo")
    ordered_pair.create(0, base)
    for i in range(8):
        ordered_pair.create(2, f"{base}/e{i}", flags=1)
    ordered_pair.same(2, OpCode.getEphemerals, W().string(base).getvalue())


def test_session_expiry(pair):
    """A session that stops talking expires after its negotiated timeout: its
    ephemeral nodes go, the watches on them fire, its socket is closed and it
    cannot be re-attached."""
    base = unique("sx")
    pair.create(0, base)
    for ep in (pair.java, pair.py):
        c, outcome = ep._connect(timeout_ms=1)
        assert outcome[2] == 4000, outcome
        ep.clients[2] = c
    pair.create(2, base + "/e1", flags=1)
    pair.create(2, base + "/e2", flags=3)
    pair.same(1, OpCode.exists, W().string(base + "/e1").bool(True).getvalue())
    pair.same(1, OpCode.getChildren, W().string(base).bool(True).getvalue())
    outcomes = []
    for ep in (pair.java, pair.py):
        events = []
        c = ep.clients[1]
        c.sock.settimeout(15)
        while len(events) < 2:
            hdr, body = c.read_message()
            assert hdr.xid == -1
            events.append(ep.norm(decode_event(body)))
        gone = ep._drain(ep.clients[2])
        old = ep.clients[2]
        ep.clients[2] = None
        reattach = ep._connect(old.session_id, old.passwd)[1]
        outcomes.append((sorted(events), gone, reattach))
    assert outcomes[1] == outcomes[0]
    assert outcomes[0][1] == [("closed",)] and outcomes[0][2][0] == "connect-refused"
    assert pair.same(0, OpCode.getChildren, W().string(base).bool(False).getvalue())[0][4] == ([],)


def test_pipelined_flood(pair):
    """3000 requests written at once on one session (past Java's default
    globalOutstandingLimit of 1000, so the server stops reading for a while)
    are answered in order, with the same answers and events."""
    base = unique("fl")
    pair.create(0, base)
    rnd = random.Random(7)
    requests = []
    for i in range(3000):
        path = f"{base}/n{rnd.randrange(40)}"
        op = rnd.choice([OpCode.create, OpCode.setData, OpCode.getData, OpCode.exists, OpCode.delete,
                         OpCode.getChildren])
        if op == OpCode.create:
            body = W().string(path).buffer(b"x" * rnd.randrange(200)).acls(OPEN).int(rnd.choice([0, 2])).getvalue()
        elif op == OpCode.setData:
            body = W().string(path).buffer(b"y" * rnd.randrange(200)).int(-1).getvalue()
        elif op == OpCode.delete:
            body = W().string(path).int(-1).getvalue()
        elif op == OpCode.getChildren:
            body = W().string(base).bool(rnd.random() < 0.3).getvalue()
        else:
            body = W().string(path).bool(rnd.random() < 0.3).getvalue()
        requests.append(Request(i + 1, op, body, op_name(op)))
    java, py = pair.both(Step("req", 1, requests, desc="flood"))
    assert len([o for o in java if o[0] == "reply"]) == 3000
    assert py == java


def test_ttl_requests_without_extended_types(java_available, tmp_path):
    """Without zookeeper.extendedTypesEnabled a TTL create is unimplemented
    (the connection stays open) and containers still work."""
    java_server, py_server = start_pair(tmp_path, ["-Dznode.container.checkIntervalMs=3600000"])
    p = Pair(java_server.port, py_server.port)
    try:
        create = lambda path, flags: W().string(path).buffer(b"").acls(OPEN).int(flags)
        outcomes = [
            p.same(0, OpCode.createTTL, create("/t1", 5).long(1000).getvalue()),
            p.same(0, OpCode.createTTL, create("/t2", 6).long(1000).getvalue()),
            p.same(0, OpCode.create2, create("/t3", 5).getvalue()),
            p.same(0, OpCode.createContainer, create("/c", 4).getvalue()),
            p.same(0, OpCode.multi, multi_body((OpCode.createTTL, create("/t4", 5).long(1000).getvalue()))),
            p.same(0, OpCode.exists, W().string("/c").bool(False).getvalue()),
        ]
        assert [o[0][3] for o in outcomes] == [-6, -6, -6, 0, 0, 0]
        assert outcomes[4][0][4][0][1] == -6
    finally:
        p.close()
        py_server.stop()
        java_server.stop()


def test_create_session_op_sent_by_a_client(pair):
    """An established session sending the internal createSession op gets a
    second connect response for its own session, and a zxid is used."""
    outcomes = []
    for ep in (pair.java, pair.py):
        c = ep.client(1)
        c.send_request(5, OpCode.createSession, struct.pack(">i", 5000))
        frame = c.recv_frame()
        version, timeout, session_id = struct.unpack(">iiq", frame[:16])
        assert session_id == c.session_id
        ping = ep.run(Step("req", 1, [Request(-2, OpCode.ping, b"", "ping")]))
        outcomes.append((version, timeout, len(frame), frame[16:20], frame[-1:], ping))
    assert outcomes[1] == outcomes[0]


@pytest.mark.parametrize("flags", [
    ["-Dzookeeper.skipACL=yes"],
    ["-Dzookeeper.enforce.auth.enabled=true", "-Dzookeeper.enforce.auth.schemes=digest"],
    ["-Dzookeeper.closeSessionTxn.enabled=false", "-Dzookeeper.digest.enabled=false"],
], ids=["skipACL", "enforce-auth", "no-closeSessionTxn-no-digest"])
def test_random_requests_under_other_settings(java_available, tmp_path, flags):
    """A shorter random run on servers with settings that change how requests
    are checked or logged. Where the servers demand digest auth, each session
    sends one as it connects (the probes' sessions do not)."""
    java_server, py_server = start_pair(tmp_path, JVM_FLAGS + flags)
    auto_auth = b"bob:pw" if "-Dzookeeper.enforce.auth.enabled=true" in flags else None
    java = Endpoint("java", java_server.port, auto_auth=auto_auth)
    py = Endpoint("py", py_server.port, auto_auth=auto_auth)
    try:
        run_lockstep(java, py, 400, SEED + len(flags[0]))
        if "-Dzookeeper.digest.enabled=false" not in flags:
            return
        txns_java, txns_py = logged_txns(java_server.data_dir, java), logged_txns(py_server.data_dir, py)
        assert txns_py == txns_java
        assert all(entry[4] is None for entry in txns_java if entry[3] == "closeSession")
    finally:
        java.close()
        py.close()
        py_server.stop()
        java_server.stop()


def test_container_and_ttl_cleanup_order(java_available, tmp_path):
    """Empty containers and expired TTL nodes are deleted in the order of Java's
    candidate set (a HashSet filled from the DataTree's ConcurrentHashMap-backed
    sets): a client watching them all sees the same NodeDeleted sequence."""
    java_server, py_server = start_pair(tmp_path, ["-Dzookeeper.extendedTypesEnabled=true",
                                                   "-Dznode.container.checkIntervalMs=300"])
    p = Pair(java_server.port, py_server.port, keep_order=True)
    try:
        base = "/cleanup"
        p.create(0, base)
        create = lambda path, flags: W().string(path).buffer(b"").acls(OPEN).int(flags)
        nodes = []
        for i in range(14):
            # each with a child from the start: a TTL node of 1 ms would go at the next check
            for node, op, body in ((f"{base}/c{i}", OpCode.createContainer, create(f"{base}/c{i}", 4)),
                                   (f"{base}/t{i}", OpCode.createTTL, create(f"{base}/t{i}", 5).long(1))):
                nodes.append(node)
                both = multi_body((op, body.getvalue()), (OpCode.create, create(f"{node}/x", 0).getvalue()))
                assert p.same(0, OpCode.multi, both)[0][3] == 0
                p.same(1, OpCode.exists, W().string(node).bool(True).getvalue())
        # every node becomes a candidate at once
        deletes = multi_body(*[(OpCode.delete, W().string(f"{node}/x").int(-1).getvalue()) for node in nodes])
        assert p.same(0, OpCode.multi, deletes)[0][3] == 0

        def deleted(ep: Endpoint) -> list:
            events: list = []
            deadline = time.monotonic() + 30
            while len(events) < len(nodes) and time.monotonic() < deadline:
                events += [o for o in ep.read_replies(1, [OpCode.ping], send=(-2, OpCode.ping)) if o[0] == "event"]
                time.sleep(0.05)
            return events

        java_events, py_events = deleted(p.java), deleted(p.py)
        assert len(java_events) == len(nodes)
        assert sorted(java_events) != java_events  # not in creation or name order by chance
        assert py_events == java_events
    finally:
        p.close()
        py_server.stop()
        java_server.stop()
