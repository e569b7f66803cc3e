"""The DataTree's helpers and the behaviour the random differential run reaches
rarely: path validation, the quota trie and stats text, ephemeral-owner
encoding, node digests, the ACL cache, fuzzy-snapshot replay fix-ups, digest
bookkeeping, deep trees, and create2 inside a multi (a branch-3.8 fix).
Java is the oracle where it can be asked directly."""

from __future__ import annotations

import random
import sys

import pytest

from pyzookeeper import Quotas, system_properties
from pyzookeeper.common import PathUtils
from pyzookeeper.common.PathTrie import PathTrie
from pyzookeeper.CreateMode import CreateMode
from pyzookeeper.data.ACL import ACL
from pyzookeeper.data.Id import Id
from pyzookeeper.data.Stat import Stat
from pyzookeeper.data.StatPersisted import StatPersisted
from pyzookeeper.jute.BinaryInputArchive import BinaryInputArchive
from pyzookeeper.jute.BinaryOutputArchive import BinaryOutputArchive
from pyzookeeper.KeeperException import KeeperException
from pyzookeeper.server.DataNode import DataNode
from pyzookeeper.server.DataTree import DataTree
from pyzookeeper.server.DigestCalculator import DigestCalculator
from pyzookeeper.server.EphemeralType import EphemeralType
from pyzookeeper.server.EphemeralTypeEmulate353 import EphemeralTypeEmulate353
from pyzookeeper.server.ReferenceCountedACLCache import ReferenceCountedACLCache
from pyzookeeper.server.util.AdHash import AdHash
from pyzookeeper.StatsTrack import StatsTrack
from pyzookeeper.txn.CreateTxn import CreateTxn
from pyzookeeper.txn.DeleteTxn import DeleteTxn
from pyzookeeper.txn.MultiTxn import MultiTxn
from pyzookeeper.txn.SetDataTxn import SetDataTxn
from pyzookeeper.txn.Txn import Txn
from pyzookeeper.txn.TxnDigest import TxnDigest
from pyzookeeper.txn.TxnHeader import TxnHeader
from pyzookeeper.ZooDefs import Ids, OpCode

OPEN = Ids.OPEN_ACL_UNSAFE

PATHS = ["/", "", None, "a", "/a/", "/a//b", "/a/./b", "/a/../b", "/.", "/..", "/a/.", "/a/..", "/...", "/.a",
         "/a\u0000b", "/a\u0001", "/a\u001f", "/a\u007f", "/a\u009f", "/a\u00a0", "/a\ud800", "/a\uf8ff",
         "/a\uf900", "/a\ufff0", "/a\uffff", "/😀", "/a😀/.", "/é/中文", "/a b", "/zookeeper/quota",
         "/x/y/z", "//", "/a/b/", "/\u2028"]


# ---------------------------------------------------------------------- helpers vs Java


def to_java_string(jvm, text: str | None):
    """A java.lang.String with exactly the UTF-16 units of ``text`` (lone surrogates too)."""
    if text is None:
        return None
    raw = text.encode("utf-16-be", "surrogatepass")
    units = [int.from_bytes(raw[i:i + 2], "big") for i in range(0, len(raw), 2)]
    chars = jvm.JArray(jvm.JChar)(len(units))
    for i, u in enumerate(units):
        chars[i] = jvm.JChar(u) if 0xD800 <= u <= 0xDFFF else jvm.JChar(chr(u))
    return jvm.JClass("java.lang.String")(chars)


def from_java_string(jstr) -> str:
    units = [c if isinstance(c, int) else ord(c) for c in jstr.toCharArray()]
    return b"".join(u.to_bytes(2, "big") for u in units).decode("utf-16-be", "surrogatepass")


@pytest.mark.java
def test_validate_path_matches_java(jvm):
    java = jvm.JClass("org.apache.zookeeper.common.PathUtils")
    rng = random.Random(5)
    alphabet = ["/", ".", "a", "\u0000", "\u0001", "é", "😀", "\ud800", "\ufff5", "\u0085", " "]
    samples = PATHS + ["/" + "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 7)))
                       for _ in range(3000)]
    lone = [p for p in samples if p and any("\ud800" <= c <= "\udfff" for c in p)]
    # JPype cannot hand Java a message with a lone surrogate back; Java says:
    with pytest.raises(ValueError, match="caused by invalid character @2$"):
        PathUtils.validatePath("/a\ud800")
    for path in samples:
        if path in lone:
            continue
        for sequential in (None, False, True):
            try:
                if sequential is None:
                    PathUtils.validatePath(path)
                else:
                    PathUtils.validatePath(path, sequential)
                ours = None
            except ValueError as e:
                ours = str(e)
            jpath = to_java_string(jvm, path)
            try:
                if sequential is None:
                    java.validatePath(jpath)
                else:
                    java.validatePath(jpath, sequential)
                theirs = None
            except Exception as e:  # noqa: BLE001 - IllegalArgumentException through JPype
                theirs = from_java_string(e.getMessage())
            assert ours == theirs, (path, sequential)
    for path in ["/a/b", "/", "//x", "a", "", None, "a/b", "/a", "a//", "/a//", "//", "x/y/z", "/é/c", "///q"]:
        top = java.getTopNamespace(path)
        assert PathUtils.getTopNamespace(path) == (None if top is None else str(top))


@pytest.mark.java
def test_path_trie_matches_java(jvm):
    jtrie = jvm.JClass("org.apache.zookeeper.common.PathTrie")()
    trie = PathTrie()
    rng = random.Random(9)
    parts = ["a", "b", "c", " ", "é"]
    for _ in range(3000):
        path = "/" + "/".join(rng.choice(parts) for _ in range(rng.randint(1, 4)))
        op = rng.random()
        if op < 0.3:
            trie.addPath(path)
            jtrie.addPath(path)
        elif op < 0.5:
            # a path of blank names is the root, whose parent Java dereferences
            try:
                trie.deletePath(path)
                ours = None
            except AttributeError:
                ours = "null parent"
            try:
                jtrie.deletePath(path)
                theirs = None
            except Exception as e:  # noqa: BLE001 - NullPointerException through JPype
                assert "NullPointerException" in str(e.getClass().getName())
                theirs = "null parent"
            assert ours == theirs, path
        elif op < 0.7:
            assert trie.existsNode(path) == bool(jtrie.existsNode(path)), path
        else:
            assert trie.findMaxPrefix(path) == str(jtrie.findMaxPrefix(path)), path
    for bad in ("",):
        with pytest.raises(ValueError, match="Invalid path: "):
            trie.addPath(bad)


@pytest.mark.java
def test_stats_track_matches_java(jvm):
    jcls = jvm.JClass("org.apache.zookeeper.StatsTrack")
    texts = ["", "count=4,bytes=5", "count=4,bytes=5=;countHardLimit=10;byteHardLimit=12", "bytes=3",
             "count=-1,bytes=-1", "count=1;bytes=2;zeta=3;alpha=4", "count=,bytes=1", "count=x", ",count=1",
             "count=99999999999999999999", "count=+5,bytes=-0", "count=1,,,bytes=2", "=5", "count= 1"]
    for text in texts:
        try:
            ours = StatsTrack(text).toString()
        except (ValueError, IndexError):
            ours = None
        try:
            theirs = str(jcls(text).toString())
        except Exception:  # noqa: BLE001 - NumberFormat/ArrayIndex exceptions through JPype
            theirs = None
        assert ours == theirs, text
    st = StatsTrack()
    st.setCount(3)
    st.setByteHardLimit(100)
    assert st.toString() == "count=3,bytes=-1=;byteHardLimit=100"
    st.setBytes(7)
    assert StatsTrack(st.getStatsBytes()) == st
    with pytest.raises(TypeError):
        StatsTrack(None)


@pytest.mark.java
def test_ephemeral_type_matches_java(jvm):
    jtype = jvm.JClass("org.apache.zookeeper.server.EphemeralType")
    system = jvm.JClass("java.lang.System")
    owners = [0, 1, -1, 0x1234, EphemeralType.CONTAINER_EPHEMERAL_OWNER, EphemeralType.TTL.toEphemeralOwner(1),
              EphemeralType.TTL.toEphemeralOwner(EphemeralType.TTL.maxValue()), -0x100000000000000 | (1 << 40),
              0x7F00000000000001, -(1 << 62)]
    for extended in ("false", "true"):
        for emulate in ("false", "true"):
            for name, value in (("zookeeper.extendedTypesEnabled", extended),
                                ("zookeeper.emulate353TTLNodes", emulate)):
                system.setProperty(name, value)
                system_properties.setProperty(name, value)
            try:
                for owner in owners:
                    try:
                        ours = EphemeralType.get(owner).name
                    except ValueError as e:
                        ours = str(e)
                    try:
                        theirs = str(jtype.get(owner).name())
                    except Exception as e:  # noqa: BLE001 - IllegalArgumentException through JPype
                        theirs = str(e.getMessage())
                    assert ours == theirs, (owner, extended, emulate)
                    assert EphemeralType.TTL.getValue(owner) == jtype.TTL.getValue(owner)
            finally:
                for name in ("zookeeper.extendedTypesEnabled", "zookeeper.emulate353TTLNodes"):
                    system.clearProperty(name)
                    system_properties.clearProperty(name)
    for ttl in (1, 1000, EphemeralType.TTL.maxValue()):
        assert EphemeralType.TTL.toEphemeralOwner(ttl) == jtype.TTL.toEphemeralOwner(ttl)
    for ttl in (0, -1, EphemeralType.TTL.maxValue() + 1):
        with pytest.raises(ValueError, match="ttl must be positive and cannot be larger than: 1099511627775"):
            EphemeralType.TTL.toEphemeralOwner(ttl)


def test_validate_ttl_and_server_id():
    EphemeralType.validateTTL(CreateMode.PERSISTENT_WITH_TTL, 100)
    EphemeralType.validateTTL(CreateMode.PERSISTENT, -1)
    with pytest.raises(ValueError, match="ttl not valid for mode: PERSISTENT"):
        EphemeralType.validateTTL(CreateMode.PERSISTENT, 5)
    with pytest.raises(ValueError):
        EphemeralType.validateTTL(CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL, 0)
    EphemeralType.validateServerId(1000)
    system_properties.setProperty("zookeeper.extendedTypesEnabled", "true")
    try:
        EphemeralType.validateServerId(254)
        with pytest.raises(RuntimeError, match="Cannot be larger than 254"):
            EphemeralType.validateServerId(255)
    finally:
        system_properties.clearProperty("zookeeper.extendedTypesEnabled")
    assert EphemeralTypeEmulate353.get(-5) is EphemeralTypeEmulate353.TTL
    assert EphemeralTypeEmulate353.ttlToEphemeralOwner(5) == -(1 << 63) | 5


@pytest.mark.java
def test_node_digest_matches_java(jvm):
    jcalc_cls = jvm.JClass("org.apache.zookeeper.server.DigestCalculator")
    ctor = jcalc_cls.class_.getDeclaredConstructor()
    ctor.setAccessible(True)
    jcalc = ctor.newInstance()
    method = jcalc_cls.class_.getDeclaredMethod(
        "calculateDigest", jvm.JClass("java.lang.String"), jvm.JArray(jvm.JByte), StatPersistedJava(jvm))
    method.setAccessible(True)
    calc = DigestCalculator()
    rng = random.Random(3)
    for path in ["/", "", "/a", "/zookeeper", "/zookeeper/quota", "/é/中文", "/x\ufffd"]:
        for data in (None, b"", rng.randbytes(40), rng.randbytes(5000)):
            values = [rng.randint(-(2**63), 2**63 - 1) for _ in range(4)] + \
                [rng.randint(-(2**31), 2**31 - 1) for _ in range(3)] + [rng.randint(-(2**63), 2**63 - 1)] * 2
            stat = StatPersisted(*values)
            jstat = jvm.JClass("org.apache.zookeeper.data.StatPersisted")(*values)
            jdata = None if data is None else jvm.JArray(jvm.JByte)(data)
            assert calc.calculateDigest(path, data, stat) == method.invoke(jcalc, path, jdata, jstat), path


def StatPersistedJava(jvm):
    return jvm.JClass("org.apache.zookeeper.data.StatPersisted").class_


def test_ad_hash_wraps_like_a_long():
    h = AdHash()
    h.addDigest(2**63 - 1).addDigest(5)
    assert h.getHash() == -(2**63) + 4
    h.removeDigest(2**63 + 10)
    assert h.getHash() == -6
    assert h.toString() == "fffffffffffffffa"
    other = AdHash().addDigest(-6)
    assert other == h and hash(other) == hash(h)
    h.clear()
    assert h.getHash() == 0


# ---------------------------------------------------------------------- ACL cache


def test_acl_cache_counts_and_purges():
    cache = ReferenceCountedACLCache()
    a = [ACL(1, Id("digest", "u:p"))]
    b = [ACL(31, Id("ip", "1.2.3.4")), ACL(1, Id("world", "anyone"))]
    assert cache.convertAcls(None) == -1
    assert cache.convertLong(-1) is Ids.OPEN_ACL_UNSAFE
    assert cache.convertLong(None) is None
    ida = cache.convertAcls(a)
    assert cache.convertAcls([ACL(1, Id("digest", "u:p"))]) == ida
    idb = cache.convertAcls(b)
    assert (ida, idb) == (1, 2) and cache.size() == 2
    cache.removeUsage(ida)
    assert cache.convertLong(ida) == a
    cache.removeUsage(ida)
    with pytest.raises(RuntimeError, match="Failed to fetch acls for 1"):
        cache.convertLong(ida)
    cache.removeUsage(ida)  # unknown now: ignored
    oa = BinaryOutputArchive()
    cache.serialize(oa)
    loaded = ReferenceCountedACLCache()
    loaded.deserialize(BinaryInputArchive(oa.getvalue()))
    assert loaded.convertLong(idb) == b and loaded.aclIndex == 2
    # loaded entries start unused; the next new list continues after the largest id
    assert loaded.convertAcls(a) == 3
    loaded.purgeUnused()
    assert loaded.size() == 1 and loaded.convertLong(3) == a


# ---------------------------------------------------------------------- tree


def hdr(type_: int, zxid: int, session: int = 1) -> TxnHeader:
    return TxnHeader(session, 1, zxid, 1000 + zxid, type_)


def test_initial_tree():
    dt = DataTree()
    assert dt.getNodeCount() == 5
    assert sorted(dt.getChildren("/zookeeper", None, None)) == ["config", "quota"]
    assert dt.getACL("/zookeeper/config", None) == Ids.READ_ACL_UNSAFE
    assert dt.getNode("/zookeeper/config").stat.aversion == -1
    assert dt.isSpecialPath("/zookeeper/config") and not dt.isSpecialPath("/a")
    assert dt.getNode("") is dt.getNode("/")
    assert dt.getAllChildrenNumber("/") == 3
    assert dt.getAllChildrenNumber("/zookeeper") == 2
    assert dt.cachedApproximateDataSize() == dt.approximateDataSize() == 44


def test_sequential_suffix_and_stat_translation():
    dt = DataTree()
    dt.createNode("/p", None, OPEN, 0, -1, 1, 5)
    for i in range(3):
        dt.createNode("/p/s%010d" % dt.getNode("/p").stat.cversion, b"", OPEN, 0, -1, 2 + i, 5)
    dt.deleteNode("/p/s0000000001", 9)
    stat = Stat()
    assert sorted(dt.getChildren("/p", stat, None)) == ["s0000000000", "s0000000002"]
    # clients see creates plus deletes: 3 creates, 1 delete
    assert (stat.cversion, stat.numChildren, stat.pzxid) == (4, 2, 9)
    assert dt.getNode("/p").stat.cversion == 3


def test_replayed_create_moves_parent_cversion_only_forward():
    dt = DataTree()
    dt.processTxn(hdr(OpCode.create, 1), CreateTxn("/p", b"", OPEN, False, 1))
    dt.processTxn(hdr(OpCode.create, 2), CreateTxn("/p/a", b"", OPEN, False, 1))
    dt.processTxn(hdr(OpCode.create, 3), CreateTxn("/p/b", b"", OPEN, False, 2))
    dt.processTxn(hdr(OpCode.delete, 4), DeleteTxn("/p/a"))
    # replaying the create of /p/a (deleted later) must not move /p back
    rc = dt.processTxn(hdr(OpCode.create, 2), CreateTxn("/p/a", b"", OPEN, False, 1))
    assert rc.err == 0
    st = dt.getNode("/p").stat
    assert (st.cversion, st.pzxid) == (2, 4)
    # a create meeting an existing node fixes the parent up to the txn's values
    rc = dt.processTxn(hdr(OpCode.create, 9), CreateTxn("/p/b", b"", OPEN, False, 7))
    assert rc.err == KeeperException.Code.NODEEXISTS
    assert (st.cversion, st.pzxid) == (7, 9)
    # ... and gives the node the ACL of the create (branch-3.8)
    dt.processTxn(hdr(OpCode.create, 10), CreateTxn("/p/b", b"", Ids.READ_ACL_UNSAFE, False, 8))
    assert dt.getACL("/p/b", None) == Ids.READ_ACL_UNSAFE
    # a delete of a missing child still moves pzxid forward, never back
    assert dt.processTxn(hdr(OpCode.delete, 20), DeleteTxn("/p/zz")).err == KeeperException.Code.NONODE
    assert st.pzxid == 20
    dt.processTxn(hdr(OpCode.delete, 15), DeleteTxn("/p/zz"))
    assert st.pzxid == 20
    assert dt.lastProcessedZxid == 20


def test_create2_inside_multi():
    """branch-3.8 accepts create2 sub-txns (3.8.0 failed the multi with an IOException)."""
    dt = DataTree()
    ops = [Txn(OpCode.create2, CreateTxn("/m", b"1", OPEN, False, 1).toByteArray()),
           Txn(OpCode.setData, SetDataTxn("/m", b"2", 1).toByteArray())]
    rc = dt.processTxn(hdr(OpCode.multi, 5), MultiTxn(ops))
    assert rc.err == 0 and [r.type for r in rc.multiResult] == [OpCode.create2, OpCode.setData]
    assert dt.getData("/m", Stat(), None) == b"2"


def test_multi_with_a_bad_sub_txn_type_stops_quietly():
    dt = DataTree()
    ops = [Txn(OpCode.create, CreateTxn("/m", b"", OPEN, False, 1).toByteArray()),
           Txn(OpCode.setACL, b"")]
    rc = dt.processTxn(hdr(OpCode.multi, 5), MultiTxn(ops))
    assert rc.err == 0 and len(rc.multiResult) == 1
    assert dt.getNode("/m") is not None and dt.lastProcessedZxid == 5


def test_kill_session_forms():
    dt = DataTree()
    for i, p in enumerate(["/e1", "/e2", "/e3"]):
        dt.createNode(p, b"", OPEN, 0x42, -1, 1 + i, 1)
    dt.createNode("/other", b"", OPEN, 0x43, -1, 4, 1)
    dt.killSession(0x42, 5)
    assert dt.getEphemerals(0x42) == set() and dt.getNode("/e1") is None
    assert dt.getSessions() == [0x43]
    assert dt.getEphemeralsCount() == 1


def test_process_txn_result_identity():
    a = DataTree.ProcessTxnResult()
    b = DataTree.ProcessTxnResult()
    a.clientId, a.cxid, a.err = -5, 3, 0
    b.clientId, b.cxid, b.err = -5, 3, -101
    assert a == b and hash(a) == hash(b)
    # Java: (int) ((clientId ^ cxid) % Integer.MAX_VALUE), remainder keeps the sign
    assert hash(a) == -(abs(-5 ^ 3) % 0x7FFFFFFF)


def test_quota_bookkeeping():
    dt = DataTree()
    z = iter(range(1, 100))
    dt.createNode("/q", b"12345", OPEN, 0, -1, next(z), 1)
    dt.createNode("/q/a", b"xy", OPEN, 0, -1, next(z), 1)
    dt.createNode("/zookeeper/quota/q", None, OPEN, 0, -1, next(z), 1)
    dt.createNode(Quotas.limitPath("/q"), b"count=10,bytes=100", OPEN, 0, -1, next(z), 1)
    dt.createNode(Quotas.statPath("/q"), b"count=0,bytes=0", OPEN, 0, -1, next(z), 1)
    # creating the stats node counts the subtree
    assert dt.getNode(Quotas.statPath("/q")).data == b"count=2,bytes=7"
    assert dt.getMaxPrefixWithQuota("/q/a/b") == "/q" and dt.getMaxPrefixWithQuota("/r") is None
    dt.createNode("/q/a/b", b"abc", OPEN, 0, -1, next(z), 1)
    dt.setData("/q", b"1", 1, next(z), 1)
    dt.deleteNode("/q/a/b", next(z))
    assert dt.getNode(Quotas.statPath("/q")).data == b"count=2,bytes=3"
    # a snapshot rebuilds the trie and recounts
    oa = BinaryOutputArchive()
    dt.serialize(oa, "tree")
    loaded = DataTree()
    loaded.deserialize(BinaryInputArchive(oa.getvalue()), "tree")
    assert loaded.getMaxPrefixWithQuota("/q/x") == "/q"
    assert loaded.getNode(Quotas.statPath("/q")).data == b"count=2,bytes=3"
    # removing the limits node removes the quota
    dt.deleteNode(Quotas.limitPath("/q"), next(z))
    assert dt.getMaxPrefixWithQuota("/q/a") is None


def test_digest_log_and_snapshot_digest_checks():
    dt = DataTree()
    mismatches: list[int] = []

    class Listener:
        def process(self, zxid: int) -> None:
            mismatches.append(zxid)

    dt.addDigestWatcher(Listener())
    for zxid in range(1, 300):
        dt.processTxn(hdr(OpCode.create, zxid), CreateTxn(f"/n{zxid}", b"", OPEN, False, -1))
    assert [d.getZxid() for d in dt.getDigestLog()] == [128, 256]
    last = dt.getLastProcessedZxidDigest()
    assert (last.getZxid(), last.getDigest()) == (299, dt.getTreeDigest())
    right = TxnDigest(2, dt.getTreeDigest())
    assert dt.compareDigest(hdr(OpCode.create, 299), None, right)
    assert not dt.compareDigest(hdr(OpCode.create, 299), None, TxnDigest(2, 1))
    assert dt.compareDigest(hdr(OpCode.create, 299), None, TxnDigest(1, 1))
    assert mismatches == [299]

    # a snapshot digest is checked when replay reaches its zxid
    oa = BinaryOutputArchive()
    DataTree.ZxidDigest(301, 2, 12345).serialize(oa)
    dt.deserializeZxidDigest(BinaryInputArchive(oa.getvalue()), 300)
    assert dt.getDigestFromLoadedSnapshot().getZxid() == 301
    dt.processTxn(hdr(OpCode.create, 300), CreateTxn("/x300", b"", OPEN, False, -1))
    assert dt.getDigestFromLoadedSnapshot() is not None
    dt.processTxn(hdr(OpCode.create, 301), CreateTxn("/x301", b"", OPEN, False, -1))
    assert dt.getDigestFromLoadedSnapshot() is None and mismatches == [299, 301]
    # a digest older than the snapshot's zxid is not waited for
    oa = BinaryOutputArchive()
    DataTree.ZxidDigest(5, 2, 1).serialize(oa)
    dt.deserializeZxidDigest(BinaryInputArchive(oa.getvalue()), 6)
    assert dt.getDigestFromLoadedSnapshot() is None
    # digest version 1 stored hex text
    oa = BinaryOutputArchive()
    oa.writeLong(400, "zxid")
    oa.writeInt(1, "digestVersion")
    oa.writeString("ff", "digest")
    dt.deserializeZxidDigest(BinaryInputArchive(oa.getvalue()), 1)
    assert dt.getDigestFromLoadedSnapshot().getDigest() == 255


def test_deep_tree_snapshot_round_trip():
    dt = DataTree()
    path = ""
    depth = sys.getrecursionlimit() + 500
    for i in range(depth):
        path += "/d"
        dt.createNode(path, b"", OPEN, 0, -1, i + 1, 1)
    dt.createNode("/zookeeper/quota/d", None, OPEN, 0, -1, depth + 1, 1)
    dt.createNode(Quotas.limitPath("/d"), b"count=1", OPEN, 0, -1, depth + 2, 1)
    dt.createNode(Quotas.statPath("/d"), b"count=0,bytes=0", OPEN, 0, -1, depth + 3, 1)
    oa = BinaryOutputArchive()
    dt.serialize(oa, "tree")
    loaded = DataTree()
    loaded.deserialize(BinaryInputArchive(oa.getvalue()), "tree")
    assert loaded.getNodeCount() == dt.getNodeCount()
    assert loaded.getTreeDigest() == dt.getTreeDigest()
    assert loaded.getNode(Quotas.statPath("/d")).data == f"count={depth},bytes=0".encode()


def test_snapshot_with_missing_parent_is_rejected():
    oa = BinaryOutputArchive()
    oa.writeInt(0, "map")
    DataTree().serializeNodeData(oa, "", DataNode(b"", -1, StatPersisted()))
    DataTree().serializeNodeData(oa, "/a/b", DataNode(b"", -1, StatPersisted()))
    oa.writeString("/", "path")
    with pytest.raises(OSError, match="Invalid Datatree, unable to find parent /a of path /a/b"):
        DataTree().deserialize(BinaryInputArchive(oa.getvalue()), "tree")


def test_data_node_stat_copy():
    node = DataNode(b"abc", -1, StatPersisted(1, 2, 3, 4, 5, 6, 7, 0x99, 8))
    node.addChild("x")
    assert not node.addChild("x")
    stat = Stat()
    node.copyStat(stat)
    assert (stat.dataLength, stat.numChildren, stat.cversion, stat.ephemeralOwner) == (3, 1, 11, 0x99)
    assert node.removeChild("x") and not node.removeChild("x")
    container = DataNode(None, -1, StatPersisted(ephemeralOwner=EphemeralType.CONTAINER_EPHEMERAL_OWNER))
    container.copyStat(stat)
    assert stat.ephemeralOwner == 0 and stat.dataLength == 0
