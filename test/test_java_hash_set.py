"""Java's hash-set iteration order and null-path failures, against Java through JPype.

JavaHashSet must iterate as ``java.util.HashSet<String>`` after any sequence
of adds and removes (ASCII, non-ASCII and astral names, the empty name, names
long enough to leave the fast hash path), for every initial capacity the
server uses, through the resizes a crowded bucket forces below 64 buckets, and
in its copies (``clone``, ``new HashSet<>(c)``). The DataTree built on it must
give Java's DataTree's order for children and ephemerals and write the same
snapshot bytes. Null paths and paths without "/" must fail in the same DataTree
and watch-manager calls as in Java.
"""

from __future__ import annotations

import io
import random
import threading

import pytest

from pyzookeeper.common.java_hash_set import JavaHashSet, spread_hash, string_hash, table_size_for
from pyzookeeper.data.Stat import Stat
from pyzookeeper.jute.BinaryInputArchive import BinaryInputArchive
from pyzookeeper.jute.BinaryOutputArchive import BinaryOutputArchive
from pyzookeeper.server.DataNode import DataNode
from pyzookeeper.server.DataTree import DataTree
from pyzookeeper.server.util import SerializeUtils
from pyzookeeper.server.watch.PathParentIterator import PathParentIterator
from pyzookeeper.server.watch.WatcherMode import WatcherMode
from pyzookeeper.server.watch.WatchManager import WatchManager
from pyzookeeper.txn.TxnHeader import TxnHeader
from pyzookeeper.Watcher import Watcher, WatcherType
from pyzookeeper.ZooDefs import OpCode

from test_datatree_java_diff import java_load_snapshot, java_snapshot_bytes, run_sequence

pytestmark = pytest.mark.java

FIXED_NAMES = ["", "a", "a\0b", "f5a5a608", "ä", "中文", "😀", "𝄞x", "x" * 4500, "é" * 5000]


def random_name(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.5:
        return f"c{rng.randrange(400)}"
    if r < 0.65:
        return "".join(chr(rng.randrange(0x20, 0x7F)) for _ in range(rng.randrange(1, 12)))
    if r < 0.8:
        return "".join(chr(rng.randrange(0xA0, 0xD7FF)) for _ in range(rng.randrange(1, 5)))
    if r < 0.9:
        return "".join(rng.choice(["a", "ä", "😀", "𝄞", "/", "\U0010FFFF"]) for _ in range(rng.randrange(1, 6)))
    return rng.choice(FIXED_NAMES)


def jlist(jset) -> list[str]:
    return [str(s) for s in jset]


def test_string_hash_is_javas(jvm):
    String = jvm.JClass("java.lang.String")
    rng = random.Random(5)
    for s in FIXED_NAMES + [random_name(rng) for _ in range(2000)]:
        h = int(String(s).hashCode()) & 0xFFFFFFFF
        assert string_hash(s) == h, repr(s[:20])
        assert spread_hash(s) == h ^ (h >> 16)


def test_table_size_for():
    assert [table_size_for(n) for n in (0, 1, 2, 3, 8, 9, 16, 17)] == [1, 1, 2, 4, 8, 16, 16, 32]


@pytest.mark.parametrize("initial", [None, 0, 1, 2, 3, 8, 16, 100])
def test_adds_and_removes_iterate_as_java(jvm, initial):
    HashSet, String = jvm.JClass("java.util.HashSet"), jvm.JClass("java.lang.String")
    rng = random.Random(initial or 77)
    for trial in range(40):
        ours, theirs = (JavaHashSet(), HashSet()) if initial is None else (JavaHashSet(initial), HashSet(initial))
        for step in range(rng.randrange(1, 400)):
            name = random_name(rng)
            if rng.random() < 0.3:
                assert ours.discard(name) == bool(theirs.remove(String(name)))
            else:
                assert ours.add(name) == bool(theirs.add(String(name)))
            if step % 13 == 0:
                assert ours.to_list() == jlist(theirs), (trial, step)
        assert list(ours) == jlist(theirs), trial
        assert len(ours) == int(theirs.size())


def test_crowded_buckets_resize_as_java(jvm):
    """Below 64 buckets, a ninth name in one bucket doubles the table."""
    HashSet, String = jvm.JClass("java.util.HashSet"), jvm.JClass("java.lang.String")
    rng = random.Random(9)
    pool = [f"n{i}" for i in range(60000)]
    crowded = [s for s in pool if spread_hash(s) & 31 == 0]
    low = [s for s in crowded if not spread_hash(s) & 32]
    high = [s for s in crowded if spread_hash(s) & 32]
    # no ninth name in one bucket of 64 or more: Java would make that bucket a tree
    others = [s for s in pool[:3000] if spread_hash(s) & 31]
    grew = 0
    for trial in range(150):
        names = rng.sample(low, 8) + rng.sample(high, 8) + rng.sample(others, rng.randrange(0, 30))
        rng.shuffle(names)
        ours, theirs = JavaHashSet(8), HashSet(8)
        largest = 0
        for i, name in enumerate(names):
            ours.add(name)
            theirs.add(String(name))
            largest = max(largest, len(ours))
            if rng.random() < 0.1:
                victim = rng.choice(names[:i + 1])
                ours.discard(victim)
                theirs.remove(String(victim))
            assert ours.to_list() == jlist(theirs), (trial, i)
        by_size = 8
        while largest > by_size * 3 // 4:
            by_size *= 2
        grew += ours.capacity > by_size
        assert ours.clone().to_list() == jlist(theirs.clone())
    assert grew > 0


def test_copies_iterate_as_java(jvm):
    HashSet, String = jvm.JClass("java.util.HashSet"), jvm.JClass("java.lang.String")
    rng = random.Random(11)
    for size in list(range(0, 40)) + [47, 48, 49, 96, 97, 200, 1000]:
        ours, theirs = JavaHashSet(8), HashSet(8)
        for _ in range(size):
            name = random_name(rng)
            ours.add(name)
            theirs.add(String(name))
        for name in rng.sample(ours.to_list(), len(ours) // 3):
            ours.discard(name)
            theirs.remove(String(name))
        clone, jclone = ours.clone(), theirs.clone()
        copy, jcopy = JavaHashSet.copy_of(ours), HashSet(theirs)
        assert clone.to_list() == jlist(jclone), size
        assert copy.to_list() == jlist(jcopy), size
        # the copies go on as Java's do, from the capacity they were given
        for _ in range(30):
            name = random_name(rng)
            clone.add(name)
            jclone.add(String(name))
            copy.add(name)
            jcopy.add(String(name))
        assert clone.to_list() == jlist(jclone), size
        assert copy.to_list() == jlist(jcopy), size


def test_set_operations():
    s = JavaHashSet()
    assert s.add("a") and not s.add("a") and s.add("b")
    assert s == {"a", "b"} and "a" in s and len(s) == 2
    assert (s | {"c"}) == {"a", "b", "c"} and isinstance(s & {"a"}, set)
    with pytest.raises(KeyError):
        s.remove("zz")
    s.remove("a")
    assert not s.discard("a") and str(s) == "[b]"
    s.clear()
    assert not s and s.capacity == 16
    with pytest.raises(ValueError):
        JavaHashSet(-1)
    lock = threading.RLock()
    guarded = JavaHashSet(1, lock)
    with lock:
        assert guarded.add_locked("a") and guarded.add_locked("b") and not guarded.add_locked("a")
        assert guarded.discard_locked("a") and not guarded.discard_locked("a")
    assert guarded.to_list() == ["b"] and guarded.capacity == 4


@pytest.mark.parametrize("owner", ["set", "node"])
def test_order_is_read_safely_while_another_thread_changes_the_set(owner):
    """A set changed through its own methods, or a node's child set changed
    through DataNode under the nodes' monitor, while another thread lists it."""
    node = DataNode(b"", -1, None)
    if owner == "set":
        s = JavaHashSet(8)
        add, discard = s.add, s.discard
    else:
        node.addChild("first")
        node.removeChild("first")
        s = node.getChildren()
        add, discard = node.addChild, node.removeChild
    stop = threading.Event()
    errors: list[BaseException] = []
    ops: list[tuple[bool, str]] = []

    def reader() -> None:
        try:
            while not stop.is_set():
                names = list(s)
                assert len(names) == len(set(names))
        except BaseException as e:  # reported by the assertion below
            errors.append(e)

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        rng = random.Random(3)
        for i in range(30000):
            op = (rng.random() >= 0.4, f"c{i}" if i % 2 else f"c{rng.randrange(i + 1)}")
            ops.append(op)
            (add if op[0] else discard)(op[1])
    finally:
        stop.set()
        thread.join()
    assert not errors
    replay = JavaHashSet(8)
    replay.add("first")
    replay.discard("first")
    for added, name in ops:
        (replay.add if added else replay.discard)(name)
    assert s.to_list() == replay.to_list() and s.capacity == replay.capacity


# ---------------------------------------------------------------------- DataTree


@pytest.mark.parametrize("seed", [4242, 3800])
def test_tree_orders_and_snapshot_bytes_are_javas(jvm, seed):
    py, jt, _ = run_sequence(jvm, seed, 700, checkpoint=100)
    for path, node in py.nodes.entrySet():
        jnode = jt.tree.getNode(path)
        assert list(node.getChildren()) == jlist(jnode.getChildren()), path
        if node.children:
            assert py.getChildren(path, None, None) == jlist(jt.tree.getChildren(path, None, None)), path
    assert py.ephemerals
    for session in py.ephemerals:
        assert list(py.getEphemerals(session)) == jlist(jt.tree.getEphemerals(session)), session
    assert {s: list(p) for s, p in py.getEphemerals().items()} == \
        {int(e.getKey()): jlist(e.getValue()) for e in jt.tree.getEphemerals().entrySet()}

    sessions = {0x1000000000001: 3000}
    oa = BinaryOutputArchive()
    SerializeUtils.serializeSnapshot(py, oa, sessions)
    ours = oa.getvalue()
    assert ours == java_snapshot_bytes(jvm, jt, sessions)

    # loaded back, both trees list children in the snapshot's order
    loaded = DataTree()
    SerializeUtils.deserializeSnapshot(loaded, BinaryInputArchive(ours), {})
    java_loaded, _ = java_load_snapshot(jvm, ours)
    for path, node in loaded.nodes.entrySet():
        assert list(node.getChildren()) == jlist(java_loaded.tree.getNode(path).getChildren()), path
    for session in loaded.ephemerals:
        assert list(loaded.getEphemerals(session)) == jlist(java_loaded.tree.getEphemerals(session))


def test_big_parent_and_session_after_removals_match_java(jvm):
    """A parent and a session that grew large and then lost most of their names:
    the tables keep their size, so the order differs from that of a fresh set."""
    JDataTree = jvm.JClass("org.apache.zookeeper.server.DataTree")
    py, jt = DataTree(), JDataTree()
    rng = random.Random(8)
    session = 0x1000000000007
    zxid = 0x100000000
    names = list(dict.fromkeys(random_name(rng).replace("/", "_") or "e" for _ in range(700)))[:400]
    for tree in (py, jt):
        tree.createNode("/p", b"", None, 0, -1, zxid, 1)
    for i, name in enumerate(names):
        owner = session if i % 2 else 0
        for tree in (py, jt):
            tree.createNode("/p/" + name, b"", None, owner, -1, zxid + 1 + i, 1)
    for i, name in enumerate(rng.sample(names, 320)):
        for tree in (py, jt):
            tree.deleteNode("/p/" + name, zxid + 1000 + i)
    assert py.getChildren("/p", None, None) == jlist(jt.getChildren("/p", None, None))
    assert list(py.getEphemerals(session)) == jlist(jt.getEphemerals(session))
    oa = BinaryOutputArchive()
    py.serialize(oa, "tree")
    baos = jvm.JClass("java.io.ByteArrayOutputStream")()
    jt.serialize(jvm.JClass("org.apache.jute.BinaryOutputArchive").getArchive(baos), "tree")
    assert oa.getvalue() == bytes(baos.toByteArray())
    fresh = JavaHashSet(8)
    for name in py.getChildren("/p", None, None):
        fresh.add(name)
    assert fresh.to_list() != py.getChildren("/p", None, None)


def test_close_session_deletes_in_javas_order(jvm):
    """A closeSession without a list of paths deletes the session's nodes in the
    order of its set, and their watches fire in that order."""
    py, jt, _ = run_sequence(jvm, 11, 400, checkpoint=100)
    jt_events: list[str] = []
    py_events: list[str] = []

    @jvm.JImplements("org.apache.zookeeper.Watcher")
    class JavaWatcher:
        @jvm.JOverride
        def process(self, event) -> None:
            jt_events.append(str(event.getPath()))

    class PyWatcher(Watcher):
        def process(self, event) -> None:
            py_events.append(event.getPath())

    jw, pw = JavaWatcher(), PyWatcher()
    session = max(py.ephemerals, key=lambda s: len(py.ephemerals[s]))
    paths = list(py.ephemerals[session])
    assert len(paths) > 3
    for path in paths:
        py.statNode(path, pw)
        jt.tree.statNode(path, jw)
    zxid = py.lastProcessedZxid + 1
    py.processTxn(TxnHeader(session, 1, zxid, 1, OpCode.closeSession), None)
    JTxnHeader = jvm.JClass("org.apache.zookeeper.txn.TxnHeader")
    jt.tree.processTxn(JTxnHeader(session, 1, zxid, 1, OpCode.closeSession), None)
    assert py_events == jt_events == paths


# ---------------------------------------------------------------------- null paths


def outcome(call) -> tuple:
    """("error",), ("nonode",) or ("ok", what came back) for a call on either tree."""
    try:
        value = call()
    except Exception as e:  # noqa: BLE001 - Java's exceptions through JPype too
        return ("nonode",) if "NoNode" in type(e).__name__ else ("error",)
    if value is None or isinstance(value, (bool, int)):
        return ("ok", value if value is None else bool(value))
    return ("ok", "value")


def test_null_and_relative_paths_fail_where_javas_do(jvm):
    JWatcherType = jvm.JClass("org.apache.zookeeper.Watcher$WatcherType")
    JStat = jvm.JClass("org.apache.zookeeper.data.Stat")
    ArrayList = jvm.JClass("java.util.ArrayList")
    types = [(WatcherType.Children, JWatcherType.Children), (WatcherType.Data, JWatcherType.Data),
             (WatcherType.Any, JWatcherType.Any)]

    @jvm.JImplements("org.apache.zookeeper.Watcher")
    class JavaWatcher:
        @jvm.JOverride
        def process(self, event) -> None:
            pass

    class PyWatcher(Watcher):
        def process(self, event) -> None:
            pass

    def jpaths(items):
        out = ArrayList()
        for item in items:
            out.add(item)
        return out

    rng = random.Random(21)
    py, jt = DataTree(), jvm.JClass("org.apache.zookeeper.server.DataTree")()
    for tree in (py, jt):
        tree.createNode("/a", b"", None, 0, -1, 1, 1)
    watchers = [(PyWatcher(), JavaWatcher()) for _ in range(2)]
    # "f5a5a608" has String.hashCode() 0, as a null path has in Java's watch keys
    paths = [None, None, "", "f5a5a608", "/a", "/a/b", "k", "/"]
    seen = set()
    for step in range(600):
        path = rng.choice(paths)
        pw, jw = rng.choice(watchers)
        t, jtype = rng.choice(types)
        op = rng.randrange(8)
        if op == 0:
            mode = rng.randrange(2)
            calls = (lambda: py.addWatch(path, pw, mode), lambda: jt.addWatch(path, jw, mode))
        elif op == 1:
            calls = (lambda: py.containsWatcher(path, t, pw), lambda: jt.containsWatcher(path, jtype, jw))
        elif op == 2:
            calls = (lambda: py.removeWatch(path, t, pw), lambda: jt.removeWatch(path, jtype, jw))
        elif op == 3:
            calls = (lambda: py.getData(path, Stat(), pw), lambda: jt.getData(path, JStat(), jw))
        elif op == 4:
            calls = (lambda: py.statNode(path, pw), lambda: jt.statNode(path, jw))
        elif op == 5:
            calls = (lambda: py.getChildren(path, None, pw), lambda: jt.getChildren(path, None, jw))
        elif op == 6:
            calls = (lambda: py.getNode(path), lambda: jt.getNode(path))
        else:
            lists = [[], [], [], [], []]
            lists[rng.randrange(5)].append(path)
            calls = (lambda: py.setWatches(0, *lists, pw), lambda: jt.setWatches(0, *map(jpaths, lists), jw))
        ours, theirs = outcome(calls[0]), outcome(calls[1])
        assert ours == theirs, (step, op, path)
        assert py.getWatchCount() == jt.getWatchCount(), (step, op, path)
        seen.add(ours[0])
    assert seen == {"ok", "nonode", "error"}
    # a closing connection's watches all go, null path or not
    for pw, _ in watchers:
        py.removeCnxn(pw)
    assert py.getWatchCount() == 0


def test_watch_manager_null_path_failures():
    class W(Watcher):
        def process(self, event) -> None:
            pass

        def getSessionId(self) -> int:
            return 0x5A

    manager, w, other = WatchManager(), W(), W()
    assert manager.addWatch(None, w, WatcherMode.PERSISTENT)
    out = io.StringIO()
    manager.dumpWatches(out, True)
    assert out.getvalue() == "null\n\t0x5a\n"
    with pytest.raises(TypeError):
        # meets the key of the same watcher and the null path
        manager.addWatch(None, w, WatcherMode.PERSISTENT_RECURSIVE)
    with pytest.raises(TypeError):
        manager.containsWatcher(None, w)
    # a path whose String.hashCode() is 0 collides with null as well
    assert manager.addWatch("f5a5a608", other, WatcherMode.PERSISTENT)
    with pytest.raises(TypeError):
        manager.addWatch(None, other, WatcherMode.PERSISTENT)
    assert not manager.removeWatcher("/x", other)
    manager.removeWatcher(w)
    manager.removeWatcher(other)
    assert not any(key[0] is w for key in manager.watcherModeManager.getWatcherModes())
    assert "f5a5a608" not in manager.watchTable


def test_path_parent_iterator_failures():
    assert list(PathParentIterator.forAll("/a/b")) == ["/a/b", "/a", "/"]
    assert list(PathParentIterator.forAll("")) == []
    with pytest.raises(IndexError):
        list(PathParentIterator.forPathOnly("k"))
    with pytest.raises(TypeError):
        PathParentIterator.forAll(None).hasNext()
