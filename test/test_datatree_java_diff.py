"""Our DataTree against Java's, transaction by transaction.

Random sequences of every transaction type (creates of all modes, sequential
names, ephemerals, containers, TTLs, failing ops, multis, session opens and
closes, setACL, reconfig, quota nodes, non-ASCII names, old-format creates,
digests) are written as log-entry bytes and fed to both trees:
``SerializeUtils.deserializeTxn`` + ``DataTree.processTxn`` on each side. The
decoded records and each ProcessTxnResult must agree, and at checkpoints every
node (data, StatPersisted, ACL id and list, children), the ephemerals, the ACL
cache with its reference counts, the data-size counters and the tree digest.
The whole sequence is then replayed a second time on both sides (what restore
does for the txns after a fuzzy snapshot) and compared the same way.

The Java side is Debian's 3.8.0 jar. branch-3.8 (which we follow) differs in
one place that shows here: a create that meets an existing node now gives the
node the ACL of the create (ZOOKEEPER-4325 era fix). After such a result the
test gives the Java node the same ACL id, which is exactly what the newer
Java code does. The generator never re-creates a deleted path and only deletes
leaves, so the replay never leaves orphaned children (where 3.8.0 and
branch-3.8 would disagree for a different reason: their NodeExists checks).
"""

from __future__ import annotations

import random
from collections import deque

import pytest

from pyzookeeper import system_properties
from pyzookeeper.data.ACL import ACL
from pyzookeeper.data.Id import Id
from pyzookeeper.jute.BinaryInputArchive import BinaryInputArchive
from pyzookeeper.jute.BinaryOutputArchive import BinaryOutputArchive
from pyzookeeper.server.DataTree import DataTree
from pyzookeeper.server.EphemeralType import EphemeralType
from pyzookeeper.server.util import SerializeUtils
from pyzookeeper.txn.CheckVersionTxn import CheckVersionTxn
from pyzookeeper.txn.CloseSessionTxn import CloseSessionTxn
from pyzookeeper.txn.CreateContainerTxn import CreateContainerTxn
from pyzookeeper.txn.CreateSessionTxn import CreateSessionTxn
from pyzookeeper.txn.CreateTTLTxn import CreateTTLTxn
from pyzookeeper.txn.CreateTxn import CreateTxn
from pyzookeeper.txn.CreateTxnV0 import CreateTxnV0
from pyzookeeper.txn.DeleteTxn import DeleteTxn
from pyzookeeper.txn.ErrorTxn import ErrorTxn
from pyzookeeper.txn.MultiTxn import MultiTxn
from pyzookeeper.txn.SetACLTxn import SetACLTxn
from pyzookeeper.txn.SetDataTxn import SetDataTxn
from pyzookeeper.txn.Txn import Txn
from pyzookeeper.txn.TxnDigest import TxnDigest
from pyzookeeper.txn.TxnHeader import TxnHeader
from pyzookeeper.ZooDefs import OpCode

pytestmark = pytest.mark.java

EXTENDED = "zookeeper.extendedTypesEnabled"
CREATES = {OpCode.create, OpCode.create2, OpCode.createTTL, OpCode.createContainer}
NAMES = ["n", "é", "中文", "😀", "a b", "x.y", "\u00a0", "ß", "zookeeper_stats", "ä-ö"]
CONFIG = "/zookeeper/config"


def acl_lists():
    return [
        [ACL(31, Id("world", "anyone"))],
        [ACL(1, Id("world", "anyone"))],
        [ACL(31, Id("digest", "user:tpUq/4Pn5A64fVZyQ0gOJ8ZWqkY="))],
        [ACL(1, Id("ip", "10.0.0.1")), ACL(31, Id("digest", "bob:xyz"))],
        [ACL(31, Id("sasl", "joe")), ACL(3, Id("world", "anyone"))],
    ]


class TxnGenerator:
    """Produces log-entry bytes for plausible (and some implausible) txns,
    choosing paths from the current state of ``tree``."""

    def __init__(self, rng: random.Random, tree: DataTree, exotic: bool = False) -> None:
        self.rng = rng
        self.tree = tree
        self.exotic = exotic
        # quota paths whose usage text no longer parses; writes below them throw
        # part-way, so no ephemeral may live there (a session close deletes its
        # nodes in hash-set order, which differs between the two trees)
        self.poisoned: set[str] = set()
        self.zxid = 0x100000000
        self.time = 1_700_000_000_000
        self.counter = 0
        self.sessions = [0x1000000000001 + i for i in range(5)]
        self.pending: deque[tuple[TxnHeader, object]] = deque()

    # -- state -----------------------------------------------------------------

    def paths(self) -> list[str]:
        return sorted(p for p, _ in self.tree.nodes.entrySet() if p not in ("", "/"))

    def user_paths(self) -> list[str]:
        return [p for p in self.paths() if not p.startswith("/zookeeper")]

    def parents(self) -> list[str]:
        """Nodes that may get children: persistent, containers, TTL nodes."""
        out = ["/"]
        for p in self.user_paths():
            owner = self.tree.getNode(p).stat.ephemeralOwner
            if owner == 0 or EphemeralType.get(owner) in (EphemeralType.CONTAINER, EphemeralType.TTL):
                out.append(p)
        return out

    def leaves(self, paths=None) -> list[str]:
        paths = self.user_paths() if paths is None else paths
        return [p for p in paths if not self.tree.getNode(p).getChildren()]

    # -- values ----------------------------------------------------------------

    def data(self) -> bytes | None:
        r = self.rng.random()
        if r < 0.1:
            return None
        if r < 0.2:
            return b""
        if r < 0.23:
            return self.rng.randbytes(5000)
        return self.rng.randbytes(self.rng.randint(1, 48))

    def acl(self):
        r = self.rng.random()
        if r < 0.03:
            return None
        if r < 0.05:
            return []
        return self.rng.choice(acl_lists())

    def name(self) -> str:
        self.counter += 1
        return f"{self.rng.choice(NAMES)}{self.counter}"

    def child_path(self, parent: str) -> str:
        return ("" if parent == "/" else parent) + "/" + self.name()

    def header(self, type_: int, session: int | None = None) -> TxnHeader:
        if self.rng.random() < 0.01:
            self.zxid = ((self.zxid >> 32) + 1) << 32
        self.zxid += 1
        self.time += self.rng.randint(0, 900)
        if session is None:
            session = self.rng.choice(self.sessions)
        return TxnHeader(session, self.rng.randint(0, 1000), self.zxid, self.time, type_)

    def cversion(self, parent: str) -> int:
        return self.tree.getNode(parent).stat.cversion

    # -- txns ------------------------------------------------------------------

    def create_body(self, kind: int, path: str, parent: str, session_flag: bool):
        pcv = self.cversion(parent) + 1
        r = self.rng.random()
        if r < 0.05:
            pcv = -1
        elif r < 0.1:
            pcv = max(0, pcv - 3)
        if kind in (OpCode.create, OpCode.create2):
            return CreateTxn(path, self.data(), self.acl(), session_flag, pcv)
        if kind == OpCode.createContainer:
            return CreateContainerTxn(path, self.data(), self.acl(), pcv)
        ttl = self.rng.choice([1, 1000, 86_400_000, EphemeralType.TTL.maxValue()])
        return CreateTTLTxn(path, self.data(), self.acl(), pcv, ttl)

    def new_path(self) -> tuple[str, str]:
        parent = self.rng.choice(self.parents())
        path = self.child_path(parent)
        if self.rng.random() < 0.2:
            path += "%010d" % self.cversion(parent)
        return parent, path

    def under_poison(self, path: str) -> bool:
        return any(path == q or path.startswith(q + "/") for q in self.poisoned)

    def gen_create(self, kind: int):
        parent, path = self.new_path()
        ephemeral = kind in (OpCode.create, OpCode.create2) and self.rng.random() < 0.35 \
            and not self.under_poison(parent)
        return self.header(kind), self.create_body(kind, path, parent, ephemeral)

    def gen_create_existing(self):
        path = self.rng.choice(self.paths() or ["/"])
        parent = path[:path.rfind("/")] or "/"
        kind = self.rng.choice([OpCode.create, OpCode.create, OpCode.create2, OpCode.createContainer])
        return self.header(kind), self.create_body(kind, path, parent, False)

    def gen_create_no_parent(self):
        path = f"/missing{self.name()}/{self.name()}"
        return self.header(OpCode.create), CreateTxn(path, self.data(), self.acl(), False, 1)

    def gen_create_v0(self):
        parent, path = self.new_path()
        return self.header(OpCode.create), CreateTxnV0(path, self.data(), self.acl(), self.rng.random() < 0.3)

    def gen_delete(self):
        leaves = self.leaves()
        if not leaves or self.rng.random() < 0.1:
            return self.header(OpCode.delete), DeleteTxn(f"/gone{self.name()}")
        path = self.rng.choice(leaves)
        owner = self.tree.getNode(path).stat.ephemeralOwner
        kind = OpCode.deleteContainer if owner == EphemeralType.CONTAINER_EPHEMERAL_OWNER else OpCode.delete
        return self.header(kind), DeleteTxn(path)

    def gen_set_data(self):
        paths = self.user_paths()
        if not paths or self.rng.random() < 0.08:
            return self.header(OpCode.setData), SetDataTxn(f"/gone{self.name()}", self.data(), 1)
        path = self.rng.choice(paths)
        version = self.tree.getNode(path).stat.version + 1
        return self.header(OpCode.setData), SetDataTxn(path, self.data(), version)

    def gen_reconfig(self):
        version = self.tree.getNode(CONFIG).stat.version
        text = f"server.1=127.0.0.1:2888:3888:participant;0.0.0.0:2181\nversion={self.zxid + 1:x}"
        return self.header(OpCode.reconfig), SetDataTxn(CONFIG, text.encode(), version + 1)

    def gen_set_acl(self):
        paths = self.paths()
        if self.rng.random() < 0.1:
            return self.header(OpCode.setACL), SetACLTxn(f"/gone{self.name()}", self.acl(), 1)
        path = self.rng.choice(paths)
        return self.header(OpCode.setACL), SetACLTxn(path, self.acl(), self.tree.getNode(path).stat.aversion + 1)

    def gen_error(self):
        return self.header(OpCode.error), ErrorTxn(self.rng.choice([-101, -110, -103, -111, -108, -8]))

    def sub_txn(self, type_: int, record) -> Txn:
        return Txn(type_, record.toByteArray())

    def gen_multi(self):
        ops: list[Txn] = []
        touched: set[str] = set()
        created_parents: set[str] = set()
        for _ in range(self.rng.randint(1, 5)):
            r = self.rng.random()
            if r < 0.35:
                parent, path = self.new_path()
                if parent in touched:
                    continue
                kind = self.rng.choice([OpCode.create, OpCode.create, OpCode.createContainer, OpCode.createTTL])
                ephemeral = self.rng.random() < 0.3 and not self.under_poison(parent)
                ops.append(self.sub_txn(kind, self.create_body(kind, path, parent, ephemeral)))
                touched.add(path)
                created_parents.add(parent)
            elif r < 0.55:
                leaves = [p for p in self.leaves() if p not in touched and p not in created_parents]
                if leaves:
                    path = self.rng.choice(leaves)
                    ops.append(self.sub_txn(OpCode.delete, DeleteTxn(path)))
                    touched.add(path)
            elif r < 0.8:
                paths = [p for p in self.user_paths() if p not in touched]
                if paths:
                    path = self.rng.choice(paths)
                    version = self.tree.getNode(path).stat.version + 1
                    ops.append(self.sub_txn(OpCode.setData, SetDataTxn(path, self.data(), version)))
            else:
                path = self.rng.choice(self.paths())
                ops.append(self.sub_txn(OpCode.check, CheckVersionTxn(path, self.tree.getNode(path).stat.version)))
        r = self.rng.random()
        if ops and r < 0.2:
            # one op failed: PrepRequestProcessor turns every op into an ErrorTxn
            bad = self.rng.randrange(len(ops))
            code = self.rng.choice([-101, -110, -103])
            ops = [Txn(OpCode.error, ErrorTxn(code if i == bad else (0 if i < bad else -2)).toByteArray())
                   for i in range(len(ops))]
        elif ops and r < 0.3:
            # an error txn amid normal ones (the tree must turn the rest into errors)
            ops.insert(self.rng.randrange(len(ops) + 1), Txn(OpCode.error, ErrorTxn(-101).toByteArray()))
        return self.header(OpCode.multi), MultiTxn(ops)

    def gen_create_session(self):
        return self.header(OpCode.createSession), CreateSessionTxn(self.rng.choice([4000, 30000]))

    def gen_close_session(self):
        session = self.rng.choice(self.sessions)
        paths = sorted(self.tree.getEphemerals(session))
        r = self.rng.random()
        if r < 0.1:
            return self.header(OpCode.closeSession, session), None
        if r < 0.15:
            return self.header(OpCode.closeSession, session), CloseSessionTxn(None)
        if r < 0.25 and paths:
            paths = paths[1:]
        elif r < 0.35:
            paths = paths + [f"/gone{self.name()}"]
        return self.header(OpCode.closeSession, session), CloseSessionTxn(paths)

    def gen_quota(self):
        """Queue the creates that set a quota on a user node (limits and stats)."""
        candidates = [p for p in self.user_paths() if p.count("/") <= 2]
        if not candidates:
            return self.gen_create(OpCode.create)
        target = self.rng.choice(candidates)
        quota = "/zookeeper/quota"
        parts = target.strip("/").split("/")
        for part in parts:
            parent = quota
            quota = quota + "/" + part
            if self.tree.getNode(quota) is None:
                self.pending.append((OpCode.create, lambda q=quota, p=parent: CreateTxn(q, None, None, False, -1)))
        if self.tree.getNode(quota + "/zookeeper_limits") is not None:
            return self.gen_set_data()
        limits = f"count={self.rng.randint(1, 50)},bytes={self.rng.randint(10, 5000)}".encode()
        self.pending.append((OpCode.create, lambda q=quota: CreateTxn(q + "/zookeeper_limits", limits, None, False, -1)))
        self.pending.append((OpCode.create, lambda q=quota: CreateTxn(q + "/zookeeper_stats", b"count=0,bytes=0",
                                                                      None, False, -1)))
        kind, body = self.pending.popleft()
        return self.header(kind), body()

    def gen_quota_change(self):
        quota_nodes = [p for p in self.paths() if p.startswith("/zookeeper/quota/")]
        limits = [p for p in quota_nodes if p.endswith("/zookeeper_limits")]
        stats = [p for p in quota_nodes if p.endswith("/zookeeper_stats")]
        r = self.rng.random()
        if limits and r < 0.3:
            return self.header(OpCode.delete), DeleteTxn(self.rng.choice(limits))
        if stats and r < 0.6:
            text = self.rng.choice([b"count=5,bytes=10", b"count=1,bytes=2=;byteHardLimit=10;countHardLimit=4"])
            return self.header(OpCode.setData), SetDataTxn(self.rng.choice(stats), text, 7)
        return self.gen_quota()

    def has_session_nodes(self, root: str) -> bool:
        for p in self.user_paths():
            if p == root or p.startswith(root + "/"):
                if EphemeralType.get(self.tree.getNode(p).stat.ephemeralOwner) is EphemeralType.NORMAL:
                    return True
        return False

    def gen_exotic(self):
        """Txns no real log holds, on which both trees throw (at the same point)."""
        r = self.rng.random()
        stats = [p for p in self.paths() if p.endswith("/zookeeper_stats")
                 and not self.has_session_nodes(p[len("/zookeeper/quota"):-len("/zookeeper_stats")])]
        if r < 0.2 and stats:
            # quota usage that no longer parses: later writes below that quota fail
            stat = self.rng.choice(stats)
            self.poisoned.add(stat[len("/zookeeper/quota"):-len("/zookeeper_stats")])
            text = self.rng.choice([b"count=x,bytes=1", b"count=", b",count=1"])
            return self.header(OpCode.setData), SetDataTxn(stat, text, 9)
        if r < 0.4:
            # a limits node right under /zookeeper/quota names the quota path ""
            return self.header(OpCode.create), CreateTxn("/zookeeper/quota/zookeeper_limits", b"count=1", None,
                                                         False, -1)
        if r < 0.6:
            path = "/zookeeper/zookeeper_limits"
            if self.tree.getNode(path) is None:
                return self.header(OpCode.create), CreateTxn(path, b"", None, False, -1)
            return self.header(OpCode.delete), DeleteTxn(path)
        if r < 0.8:
            parent, path = self.new_path()
            ttl = self.rng.choice([0, -5, EphemeralType.TTL.maxValue() + 1])
            return self.header(OpCode.createTTL), CreateTTLTxn(path, b"", None, 1, ttl)
        return self.header(OpCode.create), CreateTxn("noslash" + self.name(), b"", None, False, 1)

    def next_txn(self):
        if self.pending:
            kind, body = self.pending.popleft()
            return self.header(kind), body()
        if self.exotic and self.rng.random() < 0.03:
            return self.gen_exotic()
        choices = [
            (25, lambda: self.gen_create(OpCode.create)),
            (8, lambda: self.gen_create(OpCode.create2)),
            (4, lambda: self.gen_create(OpCode.createContainer)),
            (4, lambda: self.gen_create(OpCode.createTTL)),
            (3, self.gen_create_existing),
            (2, self.gen_create_no_parent),
            (2, self.gen_create_v0),
            (12, self.gen_delete),
            (12, self.gen_set_data),
            (1, self.gen_reconfig),
            (5, self.gen_set_acl),
            (3, self.gen_error),
            (8, self.gen_multi),
            (2, self.gen_create_session),
            (4, self.gen_close_session),
            (2, self.gen_quota),
            (2, self.gen_quota_change),
        ]
        total = sum(w for w, _ in choices)
        pick = self.rng.uniform(0, total)
        for weight, gen in choices:
            pick -= weight
            if pick <= 0:
                return gen()
        return choices[-1][1]()

    def next_entry(self) -> bytes:
        """The log-entry bytes of the next txn: header, body, and maybe a digest."""
        if self.rng.random() < 0.01:
            hdr = self.header(self.rng.choice([OpCode.check, 99]))
            return hdr.toByteArray() + CheckVersionTxn("/", 1).toByteArray()
        hdr, body = self.next_txn()
        oa = BinaryOutputArchive()
        hdr.serialize(oa, "hdr")
        if body is not None:
            body.serialize(oa, "txn")
        r = self.rng.random()
        if r < 0.25:
            TxnDigest(2, self.rng.randint(-(2**63), 2**63 - 1)).serialize(oa, "digest")
        elif r < 0.28:
            TxnDigest(1, 5).serialize(oa, "digest")
        return oa.getvalue()


# ---------------------------------------------------------------------- Java side


class JavaTree:
    """A Java DataTree with the reflection needed to compare and align it."""

    def __init__(self, jpype, tree=None) -> None:
        self.jpype = jpype
        self.DataTree = jpype.JClass("org.apache.zookeeper.server.DataTree")
        self.SerializeUtils = jpype.JClass("org.apache.zookeeper.server.util.SerializeUtils")
        self.tree = self.DataTree() if tree is None else tree
        node_cls = jpype.JClass("org.apache.zookeeper.server.DataNode")
        self.acl_field = node_cls.class_.getDeclaredField("acl")
        self.acl_field.setAccessible(True)
        cache_cls = jpype.JClass("org.apache.zookeeper.server.ReferenceCountedACLCache")
        self.long_key_map = cache_cls.class_.getDeclaredField("longKeyMap")
        self.long_key_map.setAccessible(True)
        self.ref_counter = cache_cls.class_.getDeclaredField("referenceCounter")
        self.ref_counter.setAccessible(True)
        self.Long = jpype.JClass("java.lang.Long")

    def deserialize_txn(self, data: bytes):
        return self.SerializeUtils.deserializeTxn(self.jpype.JArray(self.jpype.JByte)(data))

    def node_acl_id(self, jnode) -> int:
        return int(self.acl_field.get(jnode))

    def set_node_acl_id(self, jnode, value: int) -> None:
        self.acl_field.set(jnode, self.Long(value))

    def acl_cache(self) -> tuple[dict, dict]:
        cache = self.tree.getReferenceCountedAclCache()
        lists = {int(k): [acl_tuple(a) for a in v] for k, v in jitems(self.long_key_map.get(cache))}
        counts = {int(k): int(v.get()) for k, v in jitems(self.ref_counter.get(cache))}
        return lists, counts


def jitems(jmap):
    """(key, value) pairs of a java.util.Map."""
    return [(e.getKey(), e.getValue()) for e in jmap.entrySet()]


def java_ephemerals(j) -> list[tuple[int, list[str]]]:
    """Java's getEphemerals() and its sets, in their iteration order."""
    return [(int(k), [str(p) for p in v]) for k, v in jitems(j.getEphemerals())]


def our_ephemerals(py: DataTree) -> list[tuple[int, list[str]]]:
    return [(k, list(v)) for k, v in py.getEphemerals().items()]


def acl_tuple(acl) -> tuple:
    ident = acl.getId() if hasattr(acl, "getId") else acl.id
    if hasattr(acl, "getPerms"):
        return int(acl.getPerms()), str(ident.getScheme()), str(ident.getId())
    return acl.perms, ident.scheme, ident.id


def jstr(value) -> str | None:
    return None if value is None else str(value)


def record_text(record) -> str | None:
    return None if record is None else str(record.toString())


def result_view(rc) -> tuple:
    stat = rc.stat
    multi = rc.multiResult
    return (int(rc.clientId), int(rc.cxid), int(rc.zxid), int(rc.err), int(rc.type), jstr(rc.path),
            None if stat is None else str(stat.toString()),
            None if multi is None else [result_view(r) for r in multi])


def assert_same_tree(py: DataTree, jt: JavaTree, where: str) -> None:
    j = jt.tree
    assert py.getNodeCount() == j.getNodeCount(), where
    for path, node in py.nodes.entrySet():
        jnode = j.getNode(path)
        assert jnode is not None, f"{where}: {path!r} missing in Java"
        jdata = jnode.getData()
        assert node.data == (None if jdata is None else bytes(jdata)), f"{where}: data of {path!r}"
        assert str(node.stat) == str(jnode.stat.toString()), f"{where}: stat of {path!r}"
        assert node.acl == jt.node_acl_id(jnode), f"{where}: acl id of {path!r}"
        assert [acl_tuple(a) for a in py.getACL(node)] == [acl_tuple(a) for a in j.getACL(jnode)], path
        assert set(node.getChildren()) == {str(c) for c in jnode.getChildren()}, f"{where}: children of {path!r}"
    assert our_ephemerals(py) == java_ephemerals(j), where
    assert list(py.getSessions()) == [int(k) for k in j.getSessions()], where
    assert list(py.getContainers()) == [str(p) for p in j.getContainers()], where
    assert list(py.getTtls()) == [str(p) for p in j.getTtls()], where
    assert py.getEphemeralsCount() == j.getEphemeralsCount(), where
    assert py.getTreeDigest() == j.getTreeDigest(), where
    assert py.lastProcessedZxid == j.lastProcessedZxid, where
    assert py.approximateDataSize() == j.approximateDataSize(), where
    assert py.cachedApproximateDataSize() == j.cachedApproximateDataSize(), where
    assert py.aclCacheSize() == j.aclCacheSize(), where
    lists, counts = jt.acl_cache()
    cache = py.getReferenceCountedAclCache()
    assert {k: [acl_tuple(a) for a in v] for k, v in cache.longKeyMap.items()} == lists, where
    assert cache.referenceCounter == counts, where
    assert [(d.zxid, d.digest) for d in py.getDigestLog()] == \
        [(int(d.getZxid()), int(d.getDigest())) for d in j.getDigestLog()], where


def apply_both(py: DataTree, jt: JavaTree, entry: bytes, where: str) -> None:
    """Decode and apply one log entry on both sides and compare the outcome."""
    py_exc = java_exc = None
    try:
        ours = SerializeUtils.deserializeTxn(entry)
    except Exception as e:  # compared with Java's below
        py_exc = e
    try:
        theirs = jt.deserialize_txn(entry)
    except Exception as e:  # noqa: BLE001 - a Java exception through JPype
        java_exc = e
    assert (py_exc is None) == (java_exc is None), f"{where}: deserializeTxn {py_exc!r} vs {java_exc!r}"
    if py_exc is not None:
        return
    assert str(ours.getHeader()) == record_text(theirs.getHeader()), where
    assert record_text(ours.getTxn()) == record_text(theirs.getTxn()), where
    assert record_text(ours.getDigest()) == record_text(theirs.getDigest()), where

    py_rc = java_rc = None
    try:
        py_rc = py.processTxn(ours.getHeader(), ours.getTxn(), ours.getDigest())
    except Exception as e:  # compared with Java's below
        py_exc = e
    try:
        if theirs.getDigest() is None:
            java_rc = jt.tree.processTxn(theirs.getHeader(), theirs.getTxn())
        else:
            java_rc = jt.tree.processTxn(theirs.getHeader(), theirs.getTxn(), theirs.getDigest())
    except Exception as e:  # noqa: BLE001 - a Java exception through JPype
        java_exc = e
    assert (py_exc is None) == (java_exc is None), f"{where}: processTxn {py_exc!r} vs {java_exc!r}"
    if py_rc is not None:
        assert result_view(py_rc) == result_view(java_rc), where
        align_nodeexists_acls(py, jt, py_rc)
    assert py.getTreeDigest() == jt.tree.getTreeDigest(), where
    assert py.lastProcessedZxid == jt.tree.lastProcessedZxid, where
    if ours.getDigest() is not None:
        assert py.compareDigest(ours.getHeader(), ours.getTxn(), ours.getDigest()) == \
            jt.tree.compareDigest(theirs.getHeader(), theirs.getTxn(), theirs.getDigest()), where


def align_nodeexists_acls(py: DataTree, jt: JavaTree, rc) -> None:
    """Apply branch-3.8's "create over an existing node sets its ACL" to the 3.8.0 tree."""
    results = [rc] + list(rc.multiResult or [])
    for r in results:
        if r.type in CREATES and r.err == -110 and r.path is not None:
            node = py.getNode(r.path)
            jnode = jt.tree.getNode(r.path)
            if node is not None and jnode is not None:
                jt.set_node_acl_id(jnode, node.acl)


@pytest.fixture(params=[False, True], ids=["plain", "extendedTypes"])
def extended_types(request, jvm):
    system = jvm.JClass("java.lang.System")
    if request.param:
        system_properties.setProperty(EXTENDED, "true")
        system.setProperty(EXTENDED, "true")
    try:
        yield request.param
    finally:
        system_properties.clearProperty(EXTENDED)
        system.clearProperty(EXTENDED)


def run_sequence(jvm, seed: int, count: int, checkpoint: int = 60, exotic: bool = False):
    rng = random.Random(seed)
    py = DataTree()
    jt = JavaTree(jvm)
    gen = TxnGenerator(rng, py, exotic)
    entries = []
    for i in range(count):
        entry = gen.next_entry()
        entries.append(entry)
        apply_both(py, jt, entry, f"seed {seed} txn {i}")
        if i % checkpoint == 0:
            assert_same_tree(py, jt, f"seed {seed} after txn {i}")
    assert_same_tree(py, jt, f"seed {seed} end")
    return py, jt, entries


def test_random_txns_match_java(jvm, extended_types):
    seed = 3801 if extended_types else 3800
    py, jt, entries = run_sequence(jvm, seed, 1500)
    # the sequence must have reached the interesting states
    assert py.getNodeCount() > 60
    assert py.getEphemeralsCount() > 0 and py.getContainers()
    assert any(p.endswith("/zookeeper_stats") for p, _ in py.nodes.entrySet())
    assert (len(py.getTtls()) > 0) == extended_types

    # replay everything again on both sides, as a restore over a fuzzy snapshot does
    for i, entry in enumerate(entries):
        apply_both(py, jt, entry, f"replay txn {i}")
        if i % 100 == 0:
            assert_same_tree(py, jt, f"replay after txn {i}")
    assert_same_tree(py, jt, "replay end")


def test_long_random_run_matches_java(jvm):
    """Longer, and with txns on which both trees throw part-way (bad quota text,
    a quota on "", bad TTLs, paths without a slash): same exception points, same trees."""
    run_sequence(jvm, 77, 2500, checkpoint=250, exotic=True)


# ---------------------------------------------------------------------- snapshots


def java_snapshot_bytes(jvm, jt: JavaTree, sessions: dict[int, int]) -> bytes:
    baos = jvm.JClass("java.io.ByteArrayOutputStream")()
    oa = jvm.JClass("org.apache.jute.BinaryOutputArchive").getArchive(baos)
    jmap = jvm.JClass("java.util.HashMap")()
    for k, v in sessions.items():
        jmap.put(jvm.JClass("java.lang.Long")(k), jvm.JClass("java.lang.Integer")(v))
    jt.SerializeUtils.serializeSnapshot(jt.tree, oa, jmap)
    return bytes(baos.toByteArray())


def java_load_snapshot(jvm, data: bytes) -> tuple[JavaTree, dict[int, int]]:
    jt = JavaTree(jvm)
    bais = jvm.JClass("java.io.ByteArrayInputStream")(jvm.JArray(jvm.JByte)(data))
    ia = jvm.JClass("org.apache.jute.BinaryInputArchive").getArchive(bais)
    jmap = jvm.JClass("java.util.HashMap")()
    jt.SerializeUtils.deserializeSnapshot(jt.tree, ia, jmap)
    return jt, {int(k): int(v) for k, v in jitems(jmap)}


def test_snapshots_cross_load(jvm):
    py, jt, _ = run_sequence(jvm, 4242, 700, checkpoint=100)
    # ids of three servers' session trackers and odd ones, more than a default table holds
    ids = [(sid << 56) + (0x19A3B4C5D6 << 8) + n for sid in (1, 2, 3) for n in range(15)] + [-5, 7 << 32 | 7]
    sessions = {s: 3000 + i for i, s in enumerate(ids)}

    # ours -> Java
    oa = BinaryOutputArchive()
    SerializeUtils.serializeSnapshot(py, oa, sessions)
    ours = oa.getvalue()
    from_ours, java_sessions = java_load_snapshot(jvm, ours)
    assert java_sessions == sessions
    reloaded = DataTree()
    reloaded_sessions: dict[int, int] = {}
    SerializeUtils.deserializeSnapshot(reloaded, BinaryInputArchive(ours), reloaded_sessions)
    assert reloaded_sessions == sessions
    assert_loaded_same(reloaded, from_ours)
    assert reloaded.getTreeDigest() == py.getTreeDigest()

    # Java -> ours
    theirs = java_snapshot_bytes(jvm, jt, sessions)
    assert len(theirs) == len(ours)
    assert theirs == ours
    loaded = DataTree()
    loaded_sessions: dict[int, int] = {}
    SerializeUtils.deserializeSnapshot(loaded, BinaryInputArchive(theirs), loaded_sessions)
    assert loaded_sessions == sessions
    java_loaded, _ = java_load_snapshot(jvm, theirs)
    assert_loaded_same(loaded, java_loaded)
    assert loaded.getTreeDigest() == jt.tree.getTreeDigest() == py.getTreeDigest()

    # the same snapshot, whoever wrote it, loads to the same tree
    for path, node in loaded.nodes.entrySet():
        other = reloaded.getNode(path)
        assert other is not None and other.data == node.data and str(other.stat) == str(node.stat)
        assert loaded.getACL(node) == reloaded.getACL(other)


def assert_loaded_same(py: DataTree, jt: JavaTree) -> None:
    """A freshly loaded pair: same nodes, indexes, quota stats and ACL cache (ids may differ
    only if the writers' caches did, so compare ACL lists by content)."""
    j = jt.tree
    assert py.getNodeCount() == j.getNodeCount()
    for path, node in py.nodes.entrySet():
        jnode = j.getNode(path)
        assert jnode is not None, path
        jdata = jnode.getData()
        assert node.data == (None if jdata is None else bytes(jdata)), path
        assert str(node.stat) == str(jnode.stat.toString()), path
        assert node.acl == jt.node_acl_id(jnode), path
        assert [acl_tuple(a) for a in py.getACL(node)] == [acl_tuple(a) for a in j.getACL(jnode)], path
        assert set(node.getChildren()) == {str(c) for c in jnode.getChildren()}, path
    assert our_ephemerals(py) == java_ephemerals(j)
    assert list(py.getContainers()) == [str(p) for p in j.getContainers()]
    assert list(py.getTtls()) == [str(p) for p in j.getTtls()]
    assert py.getTreeDigest() == j.getTreeDigest()
    assert py.approximateDataSize() == j.approximateDataSize()
    assert py.cachedApproximateDataSize() == j.cachedApproximateDataSize()
    lists, counts = jt.acl_cache()
    cache = py.getReferenceCountedAclCache()
    assert {k: [acl_tuple(a) for a in v] for k, v in cache.longKeyMap.items()} == lists
    assert cache.referenceCounter == counts
    for probe in ("/", "/zookeeper", "/zookeeper/quota"):
        assert py.getAllChildrenNumber(probe) == j.getAllChildrenNumber(probe)


def test_zxid_digest_block_matches_java(jvm):
    py, jt, _ = run_sequence(jvm, 99, 300, checkpoint=100)
    oa = BinaryOutputArchive()
    assert py.serializeZxidDigest(oa)
    baos = jvm.JClass("java.io.ByteArrayOutputStream")()
    assert jt.tree.serializeZxidDigest(jvm.JClass("org.apache.jute.BinaryOutputArchive").getArchive(baos))
    assert oa.getvalue() == bytes(baos.toByteArray())

    # a loaded snapshot digest is checked when replay reaches its zxid
    fresh = DataTree()
    last = py.getLastProcessedZxidDigest()
    assert fresh.deserializeZxidDigest(BinaryInputArchive(oa.getvalue()), last.zxid)
    assert fresh.getDigestFromLoadedSnapshot().getDigest() == last.digest
    assert not fresh.deserializeZxidDigest(BinaryInputArchive(b""), 0)
