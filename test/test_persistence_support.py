"""Shared helpers for the persistence tests (no tests here).

- ``TreeWriter`` builds a database through our DataTree and writes it only
  through our FileTxnSnapLog (snapshots and txn logs), as a server would.
- ``kazoo_tree`` / ``db_tree`` turn what a server serves, or what our
  ZKDatabase loaded, into the same comparable form.
- Kazoo requests for container and TTL nodes, which kazoo lacks.
"""

from __future__ import annotations

import base64
import hashlib
import struct
from collections import namedtuple
from pathlib import Path

from kazoo.protocol.serialization import Create2, int_struct, long_struct, write_buffer, write_string

from pyzookeeper.data.ACL import ACL
from pyzookeeper.data.Id import Id
from pyzookeeper.data.Stat import Stat
from pyzookeeper.server.DataTree import DataTree
from pyzookeeper.server.persistence.FileTxnSnapLog import FileTxnSnapLog
from pyzookeeper.server.Request import Request
from pyzookeeper.server.ZKDatabase import ZKDatabase
from pyzookeeper.txn.CloseSessionTxn import CloseSessionTxn
from pyzookeeper.txn.CreateContainerTxn import CreateContainerTxn
from pyzookeeper.txn.CreateSessionTxn import CreateSessionTxn
from pyzookeeper.txn.CreateTTLTxn import CreateTTLTxn
from pyzookeeper.txn.CreateTxn import CreateTxn
from pyzookeeper.txn.DeleteTxn import DeleteTxn
from pyzookeeper.txn.MultiTxn import MultiTxn
from pyzookeeper.txn.SetACLTxn import SetACLTxn
from pyzookeeper.txn.SetDataTxn import SetDataTxn
from pyzookeeper.txn.Txn import Txn
from pyzookeeper.txn.TxnDigest import TxnDigest
from pyzookeeper.txn.TxnHeader import TxnHeader
from pyzookeeper.ZooDefs import Ids, OpCode, Perms

TIME0 = 1_763_000_000_000


def digest_id(user: str, password: str) -> Id:
    """The id of a digest ACL for user:password (DigestAuthenticationProvider)."""
    hashed = base64.b64encode(hashlib.sha1(f"{user}:{password}".encode()).digest()).decode()
    return Id("digest", f"{user}:{hashed}")


DIGEST_ACL = [ACL(Perms.ALL, digest_id("u", "p"))]
IP_ACL = [ACL(Perms.READ | Perms.WRITE, Id("ip", "127.0.0.1")), ACL(Perms.ADMIN, Id("world", "anyone"))]


class CreateContainer(Create2):
    type = OpCode.createContainer


class CreateTTL(namedtuple("CreateTTL", "path data acl flags ttl")):
    type = OpCode.createTTL

    def serialize(self):
        b = bytearray()
        b.extend(write_string(self.path))
        b.extend(write_buffer(self.data))
        b.extend(int_struct.pack(len(self.acl)))
        for acl in self.acl:
            b.extend(int_struct.pack(acl.perms) + write_string(acl.id.scheme) + write_string(acl.id.id))
        b.extend(int_struct.pack(self.flags))
        b.extend(long_struct.pack(self.ttl))
        return b

    @classmethod
    def deserialize(cls, data, offset):
        return Create2.deserialize(data, offset)


def kazoo_call(zk, request):
    result = zk.handler.async_result()
    zk._call(request, result)
    return result.get(timeout=10)


def kazoo_tree(zk, root: str = "/") -> dict:
    """path -> (data, stat tuple, acl tuples) for every node a server serves."""
    tree = {}
    stack = [root]
    while stack:
        path = stack.pop()
        data, stat = zk.get(path)
        acls, _ = zk.get_acls(path)
        tree[path] = (data, tuple(stat), tuple((a.perms, a.id.scheme, a.id.id) for a in acls))
        prefix = path if path.endswith("/") else path + "/"
        stack.extend(prefix + c for c in zk.get_children(path))
    return tree


def db_tree(dt: DataTree, root: str = "/") -> dict:
    """The same form as ``kazoo_tree``, read from our DataTree."""
    tree = {}
    stack = [root]
    while stack:
        path = stack.pop()
        stat = Stat()
        data = dt.getData(path, stat, None)
        acl = dt.getACL(path, Stat())
        values = (stat.czxid, stat.mzxid, stat.ctime, stat.mtime, stat.version, stat.cversion,
                  stat.aversion, stat.ephemeralOwner, stat.dataLength, stat.numChildren, stat.pzxid)
        tree[path] = (data, values, tuple((a.perms, a.id.scheme, a.id.id) for a in acl))
        prefix = path if path.endswith("/") else path + "/"
        stack.extend(prefix + c for c in dt.getChildren(path, None, None))
    return tree


def raw_ephemeral_owners(dt: DataTree) -> dict[str, int]:
    """path -> stored ephemeralOwner (session, container or TTL encoding) of every node."""
    owners = {}
    stack = ["/"]
    while stack:
        path = stack.pop()
        owners[path] = dt.getNode(path).stat.ephemeralOwner
        prefix = path if path.endswith("/") else path + "/"
        stack.extend(prefix + c for c in dt.getChildren(path, None, None))
    return owners


def srvr_zxid(text: str) -> int:
    for line in text.splitlines():
        if line.startswith("Zxid:"):
            return int(line.split(":", 1)[1].strip(), 16)
    raise AssertionError("no Zxid in srvr output: " + text)


def _sub_txn(type_: int, record) -> Txn:
    return Txn(type_, record.toByteArray())


class TreeWriter:
    """Applies txns to our DataTree and logs them through our FileTxnSnapLog."""

    def __init__(self, data_dir: Path, epoch: int = 1) -> None:
        self.snapLog = FileTxnSnapLog(data_dir, data_dir)
        self.db = ZKDatabase(self.snapLog)
        self.db.loadDataBase()
        self.dt = self.db.getDataTree()
        self.zxid = (epoch << 32) | (self.dt.lastProcessedZxid & 0xFFFFFFFF)
        self.cxid = 0

    def _apply(self, session: int, type_: int, txn) -> None:
        self.zxid += 1
        self.cxid += 1
        hdr = TxnHeader(session, self.cxid, self.zxid, TIME0 + self.zxid % 100000, type_)
        if type_ == OpCode.createSession:
            self.db.getSessionWithTimeOuts()[session] = txn.timeOut
        elif type_ == OpCode.closeSession:
            self.db.getSessionWithTimeOuts().pop(session, None)
        rc = self.dt.processTxn(hdr, txn)
        assert rc.err == 0, (type_, rc.err, rc.path)
        request = Request.fromTxn(session, self.cxid, type_, hdr, txn, self.zxid)
        request.setTxnDigest(TxnDigest(2, self.dt.getTreeDigest()))
        assert self.db.append(request)

    def _cversion(self, path: str) -> int:
        parent = path[:path.rfind("/")] or "/"
        return self.dt.getNode(parent).stat.cversion

    def create_session(self, session: int, timeout: int = 30000) -> None:
        self._apply(session, OpCode.createSession, CreateSessionTxn(timeout))

    def close_session(self, session: int) -> None:
        paths = sorted(self.dt.getEphemerals(session))
        self._apply(session, OpCode.closeSession, CloseSessionTxn(paths))

    def create(self, path: str, data: bytes | None, acl=Ids.OPEN_ACL_UNSAFE, session: int = 0,
               ephemeral: bool = False, sequential: bool = False) -> str:
        if sequential:
            path += f"{self._cversion(path):010d}"
        txn = CreateTxn(path, data, list(acl), ephemeral, self._cversion(path) + 1)
        self._apply(session if ephemeral else 0x1, OpCode.create2, txn)
        return path

    def create_container(self, path: str, data: bytes = b"") -> None:
        txn = CreateContainerTxn(path, data, list(Ids.OPEN_ACL_UNSAFE), self._cversion(path) + 1)
        self._apply(0x1, OpCode.createContainer, txn)

    def create_ttl(self, path: str, data: bytes, ttl: int) -> None:
        txn = CreateTTLTxn(path, data, list(Ids.OPEN_ACL_UNSAFE), self._cversion(path) + 1, ttl)
        self._apply(0x1, OpCode.createTTL, txn)

    def set_data(self, path: str, data: bytes) -> None:
        version = self.dt.getNode(path).stat.version + 1
        self._apply(0x1, OpCode.setData, SetDataTxn(path, data, version))

    def set_acl(self, path: str, acl) -> None:
        version = self.dt.getNode(path).stat.aversion + 1
        self._apply(0x1, OpCode.setACL, SetACLTxn(path, list(acl), version))

    def delete(self, path: str) -> None:
        self._apply(0x1, OpCode.delete, DeleteTxn(path))

    def multi_create_and_set(self, create_path: str, set_path: str, data: bytes) -> None:
        """One multi txn: a create and a setData."""
        create = CreateTxn(create_path, data, list(Ids.OPEN_ACL_UNSAFE), False, self._cversion(create_path) + 1)
        version = self.dt.getNode(set_path).stat.version + 1
        setData = SetDataTxn(set_path, data, version)
        multi = MultiTxn([_sub_txn(OpCode.create, create), _sub_txn(OpCode.setData, setData)])
        self._apply(0x1, OpCode.multi, multi)

    def snapshot(self) -> None:
        """Commit, snapshot and start a new log file, as the sync thread does."""
        self.db.commit()
        self.db.rollLog()
        self.snapLog.save(self.dt, self.db.getSessionWithTimeOuts(), False)

    def close(self) -> None:
        self.db.commit()
        self.db.close()


def build_sample_tree(writer: TreeWriter, session: int = 0x10000AB) -> None:
    """Every node kind, ACLs, 0 B to 1 MiB of data, non-ASCII names, deletes,
    updates and a multi, with snapshots and log rolls in between."""
    w = writer
    w.create_session(session)
    w.create("/app", b"root of app")
    for i in range(40):
        w.create(f"/app/n{i}", bytes([i % 256]) * i)
    w.snapshot()
    w.create("/empty", b"")
    w.create("/null", None)
    w.create("/big", bytes(range(256)) * 4096)
    w.create("/mid", b"m" * 100_000)
    w.create("/eph", b"e", session=session, ephemeral=True)
    w.create("/app/seq-", b"s", sequential=True)
    w.create("/app/seq-", b"s", sequential=True)
    w.create("/app/eseq-", b"es", session=session, ephemeral=True, sequential=True)
    w.create_container("/cont")
    w.create("/cont/child", b"c")
    w.create_ttl("/ttl", b"t", 3_600_000)
    w.create("/digest", b"d", acl=DIGEST_ACL)
    w.create("/ip", b"i", acl=IP_ACL)
    w.create("/über", "äöü".encode())
    w.create("/日本語", "値".encode())
    w.snapshot()
    for i in range(0, 40, 3):
        w.delete(f"/app/n{i}")
    w.set_data("/app", b"v2")
    w.set_data("/app", b"v3")
    w.set_acl("/app/n1", DIGEST_ACL)
    w.multi_create_and_set("/multi", "/app/n2", b"from multi")
    w.snapshot()
    for i in range(10):
        w.create(f"/tail{i}", struct.pack(">q", i))


JAVA_FLAGS = ["-Dzookeeper.extendedTypesEnabled=true", "-Djute.maxbuffer=4194304"]


def wait_serving(server) -> str:
    """The server's ``srvr`` text once it serves requests."""
    from javaref import four_letter_word, wait_for

    return wait_for(lambda: (lambda t: t if "Zxid:" in t else None)(four_letter_word(server.port, "srvr")),
                    timeout=30, what="server serving")


def session_timeouts(port: int) -> dict[int, int]:
    """session id -> negotiated timeout of the connections ``cons`` lists."""
    import re

    from javaref import four_letter_word

    found = {}
    for sid, to in re.findall(r"sid=0x([0-9a-f]+).*?,to=(\d+)", four_letter_word(port, "cons")):
        found[int(sid, 16)] = int(to)
    return found


def populate_through_client(zk, owner) -> None:
    """Every node kind through a real client: ``owner``'s session owns the ephemerals."""
    from kazoo.security import ACL as KAcl, Id as KId

    digest = [KAcl(31, KId("digest", DIGEST_ACL[0].id.id))]
    ip = [KAcl(3, KId("ip", "127.0.0.1")), KAcl(16, KId("world", "anyone"))]
    zk.create("/app", b"root of app")
    for i in range(120):
        zk.create(f"/app/n{i}", bytes([i % 256]) * i)
    zk.create("/empty", b"")
    zk.create("/big", bytes(range(256)) * 4096)
    zk.create("/mid", b"m" * 100_000)
    owner.create("/eph", b"e", ephemeral=True)
    owner.create("/app/eseq-", b"es", ephemeral=True, sequence=True)
    zk.create("/app/seq-", b"s", sequence=True)
    zk.create("/app/seq-", b"s", sequence=True)
    kazoo_call(zk, CreateContainer("/cont", b"", [KAcl(31, KId("world", "anyone"))], 4))
    zk.create("/cont/child", b"c")
    kazoo_call(zk, CreateTTL("/ttl", b"t", [KAcl(31, KId("world", "anyone"))], 5, 3_600_000))
    zk.create("/digest", b"d", acl=digest)
    zk.create("/ip", b"i", acl=ip)
    zk.create("/über", "äöü".encode())
    zk.create("/日本語", "値".encode())
    for i in range(0, 120, 3):
        zk.delete(f"/app/n{i}")
    zk.set("/app", b"v2")
    zk.set("/app", b"v3")
    zk.set_acls("/app/n1", digest)
    tx = zk.transaction()
    tx.create("/multi", b"from multi")
    tx.set_data("/app/n2", b"changed in multi")
    assert not any(isinstance(r, Exception) for r in tx.commit())
    for i in range(20):
        zk.create(f"/tail{i}", struct.pack(">q", i))


class JavaDatadir:
    """A data directory written by the Java server, with what it served."""

    def __init__(self, data_dir: Path, tree: dict, sessions: dict[int, int], zxid: int, owner: int) -> None:
        self.data_dir = data_dir
        self.tree = tree
        self.sessions = sessions
        self.zxid = zxid
        self.owner = owner


def write_with_java(work: Path, extra_jvm=()) -> JavaDatadir:
    """Run the Java server with snapCount=50 (several snapshots and logs), write
    every node kind through kazoo, note what it serves, stop it gracefully."""
    from kazoo.client import KazooClient

    from javaref import JavaZooKeeperServer, four_letter_word

    server = JavaZooKeeperServer(work, extra_cfg={"snapCount": "50"}, jvm_args=JAVA_FLAGS + list(extra_jvm))
    server.start()
    try:
        wait_serving(server)
        zk = KazooClient(hosts=server.hosts, auth_data=[("digest", "u:p")])
        owner = KazooClient(hosts=server.hosts, timeout=15.0)
        zk.start()
        owner.start()
        try:
            populate_through_client(zk, owner)
            tree = kazoo_tree(zk)
        finally:
            zk.stop()
            zk.close()
        ownerId = owner.client_id[0]
        sessions = session_timeouts(server.port)
        zxid = srvr_zxid(four_letter_word(server.port, "srvr"))
        server.stop()
        owner.stop()
        owner.close()
    finally:
        server.stop()
    return JavaDatadir(server.data_dir, tree, sessions, zxid, ownerId)
