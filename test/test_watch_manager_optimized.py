"""WatchManagerOptimized, selected with
``zookeeper.watchManagerName=org.apache.zookeeper.server.watch.WatchManagerOptimized``:
its BitMap and BitHashSet, the WatcherCleaner that drops the watches of closed
connections, the refusal of persistent watches, dumps, summaries and metrics;
differentially against Java's classes through JPype (Java's managers watched by
a small ServerCnxn, test/java_probes/.../WatchProbeCnxn.java), and end to end
with kazoo against our server and Java's, both run with the property.
"""

from __future__ import annotations

import io
import random
import shutil
import subprocess
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from kazoo.client import KazooClient

from pyzookeeper import system_properties
from pyzookeeper.proto.AddWatchRequest import AddWatchRequest
from pyzookeeper.proto.GetDataRequest import GetDataRequest
from pyzookeeper.proto.SetWatches2 import SetWatches2
from pyzookeeper.server.DataTree import DataTree
from pyzookeeper.server.DumbWatcher import DumbWatcher
from pyzookeeper.server.ServerMetrics import ServerMetrics
from pyzookeeper.server.util.BitHashSet import BitHashSet
from pyzookeeper.server.util.BitMap import BitMap
from pyzookeeper.server.watch import WatchManagerFactory
from pyzookeeper.server.watch.IDeadWatcherListener import IDeadWatcherListener
from pyzookeeper.server.watch.WatchManagerOptimized import WatchManagerOptimized
from pyzookeeper.server.watch.WatcherCleaner import WatcherCleaner
from pyzookeeper.server.watch.WatcherMode import WatcherMode
from pyzookeeper.server.watch.WatcherOrBitSet import WatcherOrBitSet
from pyzookeeper.Watcher import EventType
from pyzookeeper.ZooDefs import Ids, OpCode

from javaref import JUTE_JAR, ZK_JAR, JavaZooKeeperServer, four_letter_word, wait_for
from pyzkserver import PyZooKeeperServer
from rawclient import RawClient

OPTIMIZED = "org.apache.zookeeper.server.watch.WatchManagerOptimized"
PROBE_SRC = Path(__file__).resolve().parent / "java_probes" / "org/apache/zookeeper/server/WatchProbeCnxn.java"
EVENT_TYPES = [EventType.NodeCreated, EventType.NodeDeleted, EventType.NodeDataChanged,
               EventType.NodeChildrenChanged]
SUMMARIES = {EventType.NodeCreated: "NODE_CREATED_WATCHER", EventType.NodeDeleted: "NODE_DELETED_WATCHER",
             EventType.NodeDataChanged: "NODE_CHANGED_WATCHER",
             EventType.NodeChildrenChanged: "NODE_CHILDREN_WATCHER"}


class Cnxn(DumbWatcher):
    """A connection as the watch managers see it, keeping the events it gets."""

    def __init__(self, sessionId: int) -> None:
        super().__init__(sessionId)
        self.events: list[str] = []

    def process(self, event, znodeAcl=None) -> None:
        self.events.append(f"{int(event.getType())} {event.getPath()}")

    def take(self) -> list[str]:
        events, self.events = self.events, []
        return events


class properties:
    """System properties set for a block, then cleared."""

    def __init__(self, **props: str) -> None:
        self.props = {"zookeeper." + k: str(v) for k, v in props.items()}

    def __enter__(self) -> None:
        for k, v in self.props.items():
            system_properties.setProperty(k, v)

    def __exit__(self, *exc) -> None:
        for k in self.props:
            system_properties.clearProperty(k)


@pytest.fixture
def manager():
    with properties(watcherCleanThreshold=1):
        m = WatchManagerOptimized()
    yield m
    m.shutdown()


def summary(m) -> tuple[int, int, int]:
    s = m.getWatchesSummary()
    return s.getNumConnections(), s.getNumPaths(), s.getTotalWatches()


def dump(m, byPath: bool) -> str:
    out = io.StringIO()
    m.dumpWatches(out, byPath)
    return out.getvalue()


def parse_dump(text: str) -> dict[str, list[str]]:
    """A wchc/wchp-style dump as {heading: sorted indented lines}."""
    sections: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        if not line:
            continue
        if line.startswith("\t"):
            sections[current].append(line[1:])
        else:
            assert line not in sections, f"{line!r} listed twice"
            current = line
            sections[current] = []
    return {k: sorted(v) for k, v in sections.items()}


def summary_values(eventType: EventType) -> dict:
    return getattr(ServerMetrics.getMetrics(), SUMMARIES[eventType]).values()


# ---------------------------------------------------------------- BitMap

def test_bitmap_numbers_values_and_reuses_the_lowest_freed_bit():
    m: BitMap[str] = BitMap()
    assert [m.add(v) for v in "abcd"] == [0, 1, 2, 3]
    assert m.add("c") == 2 and m.size() == 4
    assert m.get(1) == "b" and m.getBit("d") == 3
    assert m.get(9) is None and m.getBit("z") is None
    assert m.remove("c") == 2 and m.remove("c") == -1
    assert m.remove(0) == "a" and m.remove(0) is None
    assert m.size() == 2 and m.getBit("a") is None and m.get(2) is None
    assert m.add("e") == 0 and m.add("f") == 2 and m.add("g") == 4


def test_bitmap_gives_one_bit_per_value_under_concurrent_adds():
    m: BitMap[int] = BitMap()
    values = list(range(300))
    barrier = threading.Barrier(6)

    def add_all(seed: int) -> dict[int, int]:
        order = values[:]
        random.Random(seed).shuffle(order)
        barrier.wait()
        return {v: m.add(v) for v in order}

    with ThreadPoolExecutor(6) as pool:
        results = list(pool.map(add_all, range(6)))
    assert all(r == results[0] for r in results)
    assert sorted(results[0].values()) == values
    assert m.size() == 300


# ---------------------------------------------------------------- BitHashSet

def test_bithashset_caches_the_first_elements_and_iterates_all():
    s = BitHashSet(2)
    assert s.isEmpty() and list(s) == []
    assert s.add(70) and s.add(3) and not s.add(3) and s.add(1000)
    assert not s.add(None)
    assert s.size() == 3 and s.cachedSize() == 2
    assert list(s) == [3, 70, 1000]  # not all cached: walks the bits
    assert s.contains(1000) and not s.contains(4) and not s.contains(None)
    assert s.remove(1000) and not s.remove(1000) and not s.remove(None)
    assert sorted(s) == [3, 70] and s.cachedSize() == 2
    assert s.remove(3) and s.add(5)  # 5 is not cached: the cache is down to one
    assert s.cachedSize() == 2 and sorted(s) == [5, 70]


def test_bithashset_removes_many_at_once():
    s = BitHashSet()
    for bit in (1, 4, 9, 64, 200):
        s.add(bit)
    dead = {4, 64, 300}
    assert s.remove(dead, sum(1 << b for b in dead)) == 2
    assert sorted(s) == [1, 9, 200] and s.size() == 3 and s.cachedSize() == 3
    assert s.remove({1, 9, 200}, (1 << 1) | (1 << 9) | (1 << 200)) == 3
    assert s.isEmpty() and list(s) == []


def test_bithashset_cache_size_property():
    with properties(bitHashCacheSize=1):
        s = BitHashSet()
    s.add(8)
    s.add(2)
    assert s.cacheSize == 1 and s.cachedSize() == 1 and list(s) == [2, 8]
    assert BitHashSet().cacheSize == 10


def test_watcher_or_bit_set_of_bits():
    bits = BitHashSet()
    bits.add(3)
    w = Cnxn(1)
    either = WatcherOrBitSet(bits)
    assert either.contains(3) and not either.contains(4) and not either.contains(w)
    assert either.size() == 1
    watchers = WatcherOrBitSet({w})
    assert watchers.contains(w) and not watchers.contains(0) and watchers.size() == 1


def test_bithashset_matches_java(jvm):
    JBitHashSet = jvm.JClass("org.apache.zookeeper.server.util.BitHashSet")
    JBitSet = jvm.JClass("java.util.BitSet")
    JHashSet = jvm.JClass("java.util.HashSet")
    JInteger = jvm.JClass("java.lang.Integer")
    rng = random.Random(7)
    ours, theirs = BitHashSet(3), JBitHashSet(3)
    for step in range(600):
        r = rng.random()
        bit = rng.randrange(0, 90)
        if r < 0.5:
            assert ours.add(bit) == theirs.add(JInteger(bit)), step
        elif r < 0.8:
            assert ours.remove(bit) == theirs.remove(JInteger(bit)), step
        elif r < 0.9:
            assert ours.contains(bit) == theirs.contains(JInteger(bit)), step
        else:
            dead = set(rng.sample(range(90), rng.randrange(1, 12)))
            jset, jbits = JHashSet(), JBitSet()
            for d in dead:
                jset.add(JInteger(d))
                jbits.set(d)
            assert ours.remove(dead, sum(1 << d for d in dead)) == theirs.remove(jset, jbits), step
        assert ours.size() == theirs.size() and ours.cachedSize() == theirs.cachedSize(), step
        assert ours.isEmpty() == theirs.isEmpty(), step
        assert sorted(ours) == sorted(int(b) for b in theirs), step


# ---------------------------------------------------------------- the manager

def test_factory_makes_it_from_the_java_name_and_keeps_the_default():
    name = WatchManagerFactory.ZOOKEEPER_WATCH_MANAGER_NAME
    assert type(WatchManagerFactory.createWatchManager()).__name__ == "WatchManager"
    system_properties.setProperty(name, OPTIMIZED)
    try:
        made = WatchManagerFactory.createWatchManager()
        tree = DataTree()
    finally:
        system_properties.clearProperty(name)
    try:
        assert type(made) is WatchManagerOptimized
        assert type(tree.dataWatches) is WatchManagerOptimized
        assert type(tree.childWatches) is WatchManagerOptimized
    finally:
        made.shutdown()
        tree.shutdownWatcher()


def test_standard_watches_fire_once(manager):
    a, b = Cnxn(1), Cnxn(2)
    assert manager.addWatch("/x", a) and not manager.addWatch("/x", a)
    assert manager.addWatch("/x", b, WatcherMode.STANDARD) and manager.addWatch("/y", a)
    assert manager.containsWatcher("/x", b) and not manager.containsWatcher("/z", b)
    assert not manager.containsWatcher("/x", Cnxn(3))
    assert manager.size() == 3 and summary(manager) == (2, 2, 3)
    assert str(manager) == "2 connections watching 2 paths\nTotal watches:3"
    fired = manager.triggerWatch("/x", EventType.NodeDataChanged, Ids.OPEN_ACL_UNSAFE)
    assert fired.size() == 2 and fired.contains(0) and fired.contains(1)
    assert a.take() == ["3 /x"] and b.take() == ["3 /x"]
    assert manager.triggerWatch("/x", EventType.NodeDataChanged, None) is None
    assert manager.removeWatcher("/y", a) and not manager.removeWatcher("/y", a)
    # a watcher keeps its bit, and counts as a connection, until it closes
    assert summary(manager) == (2, 0, 0)


def test_suppress_is_by_bit(manager):
    a, b = Cnxn(1), Cnxn(2)
    manager.addWatch("/x", a)
    manager.addWatch("/x", b)
    bits = BitHashSet()
    bits.add(1)
    manager.triggerWatch("/x", EventType.NodeDeleted, None, WatcherOrBitSet(bits))
    assert a.take() == ["2 /x"] and b.take() == []
    manager.addWatch("/x", a)
    manager.triggerWatch("/x", EventType.NodeDeleted, None, WatcherOrBitSet({a}))
    assert a.take() == ["2 /x"]


def test_persistent_watches_are_refused_as_java_refuses_them(manager):
    w = Cnxn(1)
    for mode in (WatcherMode.PERSISTENT, WatcherMode.PERSISTENT_RECURSIVE):
        with pytest.raises(NotImplementedError):
            manager.addWatch("/x", w, mode)
    assert summary(manager) == (0, 0, 0)


def test_datatree_with_it_refuses_add_watch_but_keeps_the_standard_set_watches():
    with properties(watchManagerName=OPTIMIZED):
        tree = DataTree()
    try:
        tree.createNode("/a", b"", Ids.OPEN_ACL_UNSAFE, 0, -1, 1, 1)
        w = Cnxn(5)
        with pytest.raises(NotImplementedError):
            tree.addWatch("/a", w, 0)
        assert tree.getWatchCount() == 0
        with pytest.raises(NotImplementedError):
            tree.setWatches(1, ["/a"], [], ["/a"], ["/a"], [], w)
        assert tree.getWatchCount() == 2
        tree.setData("/a", b"x", 1, 2, 2)
        assert w.take() == ["3 /a"]
    finally:
        tree.shutdownWatcher()


def test_a_closed_connection_is_cleaned_lazily(manager):
    metrics = ServerMetrics.getMetrics()
    queued, cleared = metrics.DEAD_WATCHERS_QUEUED.get(), metrics.DEAD_WATCHERS_CLEARED.get()
    a, b = Cnxn(1), Cnxn(2)
    for path in ("/x", "/y"):
        manager.addWatch(path, a)
    manager.addWatch("/x", b)
    a.setStale()
    assert not manager.addWatch("/z", a)  # a closing connection adds nothing
    before = summary_values(EventType.NodeDataChanged)
    fired = manager.triggerWatch("/x", EventType.NodeDataChanged, None)
    assert fired.size() == 2 and a.take() == [] and b.take() == ["3 /x"]
    after = summary_values(EventType.NodeDataChanged)
    assert after["cnt_node_changed_watch_count"] == before["cnt_node_changed_watch_count"] + 1
    assert after["sum_node_changed_watch_count"] == before["sum_node_changed_watch_count"] + 1
    manager.removeWatcher(a)
    wait_for(lambda: summary(manager) == (1, 1, 0), timeout=10, what="the dead watcher cleaned")
    assert metrics.DEAD_WATCHERS_QUEUED.get() == queued + 1
    wait_for(lambda: metrics.DEAD_WATCHERS_CLEARED.get() == cleared + 1, timeout=10, what="cleared counted")
    # its path stays, empty, until a trigger takes it (counted as zero watches fired)
    assert parse_dump(dump(manager, True)) == {"/y": []}
    assert dump(manager, False) == ""
    before = summary_values(EventType.NodeDeleted)
    assert manager.triggerWatch("/y", EventType.NodeDeleted, None).size() == 0
    after = summary_values(EventType.NodeDeleted)
    assert after["cnt_node_deleted_watch_count"] == before["cnt_node_deleted_watch_count"] + 1
    assert after["sum_node_deleted_watch_count"] == before["sum_node_deleted_watch_count"]
    assert summary(manager) == (1, 0, 0)
    # the freed bit goes to the next new watcher
    c = Cnxn(3)
    manager.addWatch("/x", c)
    assert manager.watcherBitIdMap.getBit(c) == 0
    manager.removeWatcher(Cnxn(4))  # never watched: nothing queued
    assert metrics.DEAD_WATCHERS_QUEUED.get() == queued + 1


def test_reports_and_dumps(manager):
    a, b = Cnxn(0x1F), Cnxn(-2)
    manager.addWatch("/x", a)
    manager.addWatch("/x", b)
    manager.addWatch("/y/z", b)
    assert manager.getWatches().toMap() == {0x1F: {"/x"}, -2: {"/x", "/y/z"}}
    assert manager.getWatchesByPath().toMap() == {"/x": {0x1F, -2}, "/y/z": {-2}}
    assert parse_dump(dump(manager, True)) == {"/x": ["0x1f", "0xfffffffffffffffe"], "/y/z": ["0xfffffffffffffffe"]}
    assert parse_dump(dump(manager, False)) == {"0x1f": ["/x"], "0xfffffffffffffffe": ["/x", "/y/z"]}
    assert manager.getWatchesSummary().toMap() == {"num_connections": 2, "num_paths": 2, "num_total_watches": 3}


def test_concurrent_watchers_triggers_and_closes(manager):
    """Clients add watches and close while paths fire: each live watch has
    either fired or is still there, and closed connections leave nothing."""
    paths = [f"/p{i}" for i in range(20)]
    live: dict[Cnxn, list[str]] = {}
    closed: list[Cnxn] = []
    lock = threading.Lock()

    def client(seed: int) -> None:
        rng = random.Random(seed)
        for n in range(15):
            c = Cnxn(seed * 1000 + n)
            watched = rng.sample(paths, 5)
            for path in watched:
                assert manager.addWatch(path, c)
            if rng.random() < 0.5:
                c.setStale()
                manager.removeWatcher(c)
                with lock:
                    closed.append(c)
            else:
                with lock:
                    live[c] = watched

    def trigger() -> None:
        rng = random.Random(99)
        for _ in range(300):
            manager.triggerWatch(rng.choice(paths), EventType.NodeDataChanged, None)

    with ThreadPoolExecutor(5) as pool:
        for f in [pool.submit(client, s) for s in range(1, 5)] + [pool.submit(trigger)]:
            f.result()
    assert len(closed) > 5 and len(live) > 5
    wait_for(lambda: manager.watcherBitIdMap.size() == len(live), timeout=10, what="dead watchers cleaned")
    watching = manager.getWatches().toMap()
    assert not any(c.getSessionId() in watching for c in closed)
    for c, watched in live.items():
        fired = [e.split(" ")[1] for e in c.events]
        assert len(fired) == len(set(fired)) and set(fired) <= set(watched)
        for path in watched:
            assert (path in fired) != manager.containsWatcher(path, c)
        assert watching.get(c.getSessionId(), set()) == set(watched) - set(fired)


# ---------------------------------------------------------------- the cleaner

class Listener(IDeadWatcherListener):
    def __init__(self, gate: threading.Event | None = None) -> None:
        self.batches: list[set[int]] = []
        self.gate = gate
        self.threads: set[str] = set()

    def processDeadWatchers(self, deadWatchers: set[int]) -> None:
        self.threads.add(threading.current_thread().name)
        if self.gate is not None:
            self.gate.wait(10)
        self.batches.append(set(deadWatchers))


def test_cleaner_cleans_at_the_threshold_on_its_workers():
    listener = Listener()
    cleaner = WatcherCleaner(listener, 3, 600, 2, -1)
    cleaner.start()
    try:
        assert cleaner.name.startswith("Thread-")
        cleaner.addDeadWatcher(1)
        cleaner.addDeadWatcher(1)
        cleaner.addDeadWatcher(2)
        assert cleaner.totalDeadWatchers == 2 and listener.batches == []
        cleaner.addDeadWatcher(7)
        wait_for(lambda: listener.batches == [{1, 2, 7}], timeout=10, what="one batch")
        wait_for(lambda: cleaner.totalDeadWatchers == 0, timeout=10, what="batch counted done")
        assert listener.threads <= {"DeadWatcherCleannerThread-1", "DeadWatcherCleannerThread-2"}
    finally:
        cleaner.shutdown()
    cleaner.join(10)
    assert not cleaner.is_alive()


def test_cleaner_cleans_after_the_interval():
    listener = Listener()
    cleaner = WatcherCleaner(listener, 1000, 1, 1, -1)
    cleaner.start()
    try:
        cleaner.addDeadWatcher(4)
        wait_for(lambda: listener.batches == [{4}], timeout=10, what="the interval clean")
    finally:
        cleaner.shutdown()


def test_cleaner_reads_the_properties_and_raises_a_small_in_processing_limit(caplog):
    caplog.set_level("INFO")
    with properties(watcherCleanThreshold=5, watcherCleanIntervalInSeconds=9, watcherCleanThreadsNum=3,
                    maxInProcessingDeadWatchers=4):
        cleaner = WatcherCleaner(Listener())
    try:
        assert (cleaner.watcherCleanThreshold, cleaner.watcherCleanIntervalInSeconds) == (5, 9)
        assert cleaner.maxInProcessingDeadWatchers == 15
        assert "change it to use 15" in caplog.text
        assert "watcherCleanThreshold=5, watcherCleanIntervalInSeconds=9, watcherCleanThreadsNum=3, " \
               "maxInProcessingDeadWatchers=15" in caplog.text
    finally:
        cleaner.shutdown()


def test_adding_dead_watchers_stalls_while_too_many_are_in_processing():
    gate = threading.Event()
    listener = Listener(gate)
    cleaner = WatcherCleaner(listener, 1, 600, 1, 1)
    cleaner.start()
    stall = ServerMetrics.getMetrics().ADD_DEAD_WATCHER_STALL_TIME
    stalled_before = stall.get()
    try:
        cleaner.addDeadWatcher(1)
        wait_for(lambda: listener.threads, timeout=10, what="the first batch in processing")
        adder = threading.Thread(target=cleaner.addDeadWatcher, args=(2,))
        adder.start()
        adder.join(0.3)
        assert adder.is_alive() and 2 not in cleaner.deadWatchers
        gate.set()
        adder.join(10)
        assert not adder.is_alive()
        wait_for(lambda: listener.batches == [{1}, {2}], timeout=10, what="both batches")
        assert stall.get() > stalled_before
    finally:
        gate.set()
        cleaner.shutdown()


def test_shutdown_ends_the_thread_and_its_workers(caplog):
    caplog.set_level("INFO")
    with properties(watcherCleanThreshold=1):
        m = WatchManagerOptimized()
    cleaner = m.watcherCleaner
    workers = [t for t in threading.enumerate() if t.name.startswith("DeadWatcherCleannerThread-")]
    assert cleaner.is_alive() and len(workers) >= 2
    m.shutdown()
    cleaner.join(10)
    assert not cleaner.is_alive()
    assert "WatcherCleaner thread shutdown is initiated" in caplog.text
    wait_for(lambda: "WatcherCleaner thread exited" in caplog.text, timeout=5, what="exit logged")


# ---------------------------------------------------------------- against Java's class

@pytest.fixture(scope="module")
def probe_class(jvm, tmp_path_factory):
    if shutil.which("javac") is None:
        pytest.skip("javac is not installed")
    out = tmp_path_factory.mktemp("watchprobe")
    subprocess.run(["javac", "-d", str(out), "-cp", f"{ZK_JAR}:{JUTE_JAR}", str(PROBE_SRC)], check=True,
                   capture_output=True, timeout=120)
    URL = jvm.JClass("java.net.URL")
    loader = jvm.JClass("java.net.URLClassLoader")(
        jvm.JArray(URL)([jvm.JClass("java.io.File")(str(out)).toURI().toURL()]),
        jvm.JClass("java.lang.ClassLoader").getSystemClassLoader())
    return jvm.JClass("org.apache.zookeeper.server.WatchProbeCnxn", loader=loader)


class JavaSide:
    """Java's data and child WatchManagerOptimized, cleaning at one dead watcher."""

    def __init__(self, jvm) -> None:
        System = jvm.JClass("java.lang.System")
        System.setProperty("zookeeper.watcherCleanThreshold", "1")
        try:
            cls = jvm.JClass(OPTIMIZED)
            self.managers = [cls(), cls()]
        finally:
            System.clearProperty("zookeeper.watcherCleanThreshold")
        self.EventType = jvm.JClass("org.apache.zookeeper.Watcher$Event$EventType")
        self.StringWriter = jvm.JClass("java.io.StringWriter")
        self.PrintWriter = jvm.JClass("java.io.PrintWriter")

    def event_type(self, t: EventType):
        return self.EventType.fromInt(int(t))

    def dump(self, m, byPath: bool) -> str:
        out = self.StringWriter()
        writer = self.PrintWriter(out)
        m.dumpWatches(writer, byPath)
        writer.flush()
        return str(out.toString())

    def shutdown(self) -> None:
        for m in self.managers:
            m.shutdown()


def java_value(v):
    """A Java String or Long as str or int."""
    return str(v) if hasattr(v, "startsWith") else int(v)


def java_map(m) -> dict:
    """A Java Map of Sets (the watch reports) as a dict of sets."""
    return {java_value(k): {java_value(v) for v in vs} for k, vs in dict(m).items()}


def test_optimized_manager_matches_java(jvm, probe_class):
    rng = random.Random(38)
    with properties(watcherCleanThreshold=1):
        ours = [WatchManagerOptimized(), WatchManagerOptimized()]
    java = JavaSide(jvm)
    paths = ["/", "/a", "/a/b", "/c", "/d/e/f", "/g"]
    next_id = iter(range(0x100, 0x10000))

    def new_pair():
        sid = next(next_id) * rng.choice((1, -1))
        return Cnxn(sid), probe_class(sid)

    pairs = [new_pair() for _ in range(6)]
    kinds: Counter = Counter()
    try:
        for step in range(700):
            where = f"step {step}"
            i = rng.randrange(len(pairs))
            w, jw = pairs[i]
            k = rng.randrange(2)
            m, jm = ours[k], java.managers[k]
            path = rng.choice(paths)
            r = rng.random()
            if r < 0.4:
                kind = "add"
                assert m.addWatch(path, w) == bool(jm.addWatch(path, jw)), where
            elif r < 0.5:
                kind = "contains"
                assert m.containsWatcher(path, w) == bool(jm.containsWatcher(path, jw)), where
            elif r < 0.6:
                kind = "remove"
                assert m.removeWatcher(path, w) == bool(jm.removeWatcher(path, jw)), where
            elif r < 0.85:
                t = rng.choice(EVENT_TYPES)
                if t is EventType.NodeDeleted:
                    kind = "delete"
                    # DataTree.deleteNode: the child manager skips the data manager's bits
                    processed = ours[0].triggerWatch(path, t, None)
                    jprocessed = java.managers[0].triggerWatch(path, java.event_type(t), None)
                    assert (processed is None) == (jprocessed is None), where
                    again = ours[1].triggerWatch(path, t, None, processed)
                    jagain = java.managers[1].triggerWatch(path, java.event_type(t), None, jprocessed)
                    assert (again is None) == (jagain is None), where
                    if again is not None:
                        assert again.size() == jagain.size(), where
                else:
                    kind = "trigger"
                    fired = m.triggerWatch(path, t, None)
                    jfired = jm.triggerWatch(path, java.event_type(t), None)
                    assert (fired is None) == (jfired is None), where
                    if fired is not None:
                        assert fired.size() == jfired.size(), where
            elif r < 0.92:
                kind = "stale"
                w.setStale()
                jw.setStale()
            else:
                kind = "close"
                w.setStale()
                jw.setStale()
                for mm, jmm in zip(ours, java.managers):
                    had_bit = mm.watcherBitIdMap.getBit(w) is not None
                    mm.removeWatcher(w)
                    jmm.removeWatcher(jw)
                    if had_bit:
                        wait_for(lambda: mm.watcherBitIdMap.getBit(w) is None, timeout=10, what=where)
                    wait_for(lambda: summary(mm) == (jmm.getWatchesSummary().getNumConnections(),
                                                     jmm.getWatchesSummary().getNumPaths(),
                                                     jmm.getWatchesSummary().getTotalWatches()),
                             timeout=10, what=f"{where}: Java cleaned as we did")
                pairs[i] = new_pair()
            kinds[kind] += 1
            for ow, tw in pairs:
                assert ow.take() == [str(e) for e in tw.takeEvents()], where
            for mm, jmm in zip(ours, java.managers):
                assert mm.size() == jmm.size(), where
                assert mm.getWatchesSummary().toMap() == {str(k): int(v) for k, v in
                                                          dict(jmm.getWatchesSummary().toMap()).items()}, where
                assert mm.toString() == str(jmm.toString()), where
                assert mm.getWatchesByPath().toMap() == java_map(jmm.getWatchesByPath().toMap()), where
                assert mm.getWatches().toMap() == java_map(jmm.getWatches().toMap()), where
                for byPath in (True, False):
                    assert parse_dump(dump(mm, byPath)) == parse_dump(java.dump(jmm, byPath)), where
        assert min(kinds.values()) > 15, kinds
    finally:
        for m in ours:
            m.shutdown()
        java.shutdown()


def test_persistent_modes_fail_in_java_too(jvm, probe_class):
    java = JavaSide(jvm)
    WatcherModeJ = jvm.JClass("org.apache.zookeeper.server.watch.WatcherMode")
    try:
        for mode in (WatcherModeJ.PERSISTENT, WatcherModeJ.PERSISTENT_RECURSIVE):
            with pytest.raises(jvm.JClass("java.lang.UnsupportedOperationException")):
                java.managers[0].addWatch("/x", probe_class(1), mode)
        assert java.managers[0].addWatch("/x", probe_class(1), WatcherModeJ.STANDARD)
    finally:
        java.shutdown()


# ---------------------------------------------------------------- end to end

SERVER_FLAGS = [f"-Dzookeeper.watchManagerName={OPTIMIZED}", "-Dzookeeper.watcherCleanThreshold=1"]
WATCH_METRICS = ("cnt_node_created_watch_count", "sum_node_created_watch_count",
                 "cnt_node_deleted_watch_count", "sum_node_deleted_watch_count",
                 "cnt_node_changed_watch_count", "sum_node_changed_watch_count",
                 "cnt_node_children_watch_count", "sum_node_children_watch_count",
                 "dead_watchers_queued", "dead_watchers_cleared", "watch_count")


@pytest.fixture(scope="module")
def servers(java_available, tmp_path_factory):
    py = PyZooKeeperServer(tmp_path_factory.mktemp("py-optimized"), jvm_flags=" ".join(SERVER_FLAGS))
    java = JavaZooKeeperServer(tmp_path_factory.mktemp("java-optimized"), jvm_args=SERVER_FLAGS)
    with ThreadPoolExecutor(2) as pool:
        started = [pool.submit(s.start) for s in (py, java)]
        errors = [f.exception() for f in started]
    try:
        for e in errors:
            if e is not None:
                raise e
        yield {"py": py, "java": java}
    finally:
        py.stop()
        java.stop()


class Client:
    """A kazoo client that keeps its watch events, in the order it got them."""

    def __init__(self, hosts: str) -> None:
        self.zk = KazooClient(hosts=hosts, timeout=10)
        self.zk.start(timeout=15)
        self.events: list[str] = []

    @property
    def session(self) -> str:
        return f"0x{self.zk.client_id[0] & 0xFFFFFFFFFFFFFFFF:x}"

    def watch(self, event) -> None:
        self.events.append(f"{event.type} {event.path}")

    def close(self) -> None:
        self.zk.stop()
        self.zk.close()


def wchs(port: int) -> tuple[str, int]:
    text = four_letter_word(port, "wchs")
    return text, int(text.split(" ", 1)[0])


def dumps(port: int, names: dict[str, str]) -> dict[str, dict]:
    """wchc and wchp with session ids replaced by client names."""
    def rename(section: dict[str, list[str]]) -> dict[str, list[str]]:
        return {names.get(k, k): sorted(names.get(v, v) for v in vs) for k, vs in section.items()}
    return {word: rename(parse_dump(four_letter_word(port, word))) for word in ("wchc", "wchp")}


def mntr_watch_metrics(port: int) -> dict[str, str]:
    pairs = (line.split("\t", 1) for line in four_letter_word(port, "mntr").splitlines() if "\t" in line)
    found = {k.removeprefix("zk_"): v for k, v in pairs}
    return {k: found.get(k) for k in WATCH_METRICS}


def scenario(server) -> dict:
    """kazoo data, exist and child watches, their events, a closed connection,
    refused persistent watches; what the server shows at each stage."""
    port = server.port
    seen: dict = {}
    setup = Client(server.hosts)
    clients: dict[str, Client] = {}
    try:
        for path in ("/a", "/a/x", "/b", "/m"):
            setup.zk.create(path, b"")
        for name in ("A", "B", "C"):
            clients[name] = Client(server.hosts)
        A, B, C = clients["A"], clients["B"], clients["C"]
        # child bits: C, A, B; data bits: A, B, C
        C.zk.get_children("/a", watch=C.watch)
        A.zk.get_children("/b", watch=A.watch)
        A.zk.get("/a", watch=A.watch)
        A.zk.exists("/nope", watch=A.watch)
        B.zk.get_children("/", watch=B.watch)
        B.zk.exists("/b", watch=B.watch)
        B.zk.exists("/only-b", watch=B.watch)
        B.zk.get("/a", watch=B.watch)
        C.zk.exists("/a/x", watch=C.watch)
        for client in clients.values():
            client.zk.get("/m", watch=client.watch)
        names = {c.session: n for n, c in clients.items()}
        seen["watching"] = (wchs(port)[0], dumps(port, names))

        setup.zk.set("/a", b"1")
        setup.zk.create("/nope", b"")
        setup.zk.delete("/a/x")
        # B's exist watch fires on /b; A's child watch on /b has B's bit in
        # the data manager, so Java skips it: A hears nothing about /b
        setup.zk.delete("/b")
        setup.zk.set("/m", b"1")
        for client in clients.values():
            wait_for(lambda: any(e.endswith(" /m") for e in client.events), timeout=10, what="the /m marker")
        seen["events"] = {n: c.events[:] for n, c in clients.items()}
        seen["fired"] = (wchs(port)[0], dumps(port, names))

        B.zk.get("/a", watch=B.watch)
        B.zk.get_children("/a", watch=B.watch)
        _, connections = wchs(port)
        B.close()
        wait_for(lambda: wchs(port)[1] == connections - 1, timeout=15, what="B's watches cleaned")
        seen["closed"] = (wchs(port)[0], dumps(port, names))

        with RawClient("127.0.0.1", port) as raw:
            raw.connect()
            names[f"0x{raw.session_id & 0xFFFFFFFFFFFFFFFF:x}"] = "raw"
            seen["addWatch"] = [raw.request(OpCode.addWatch, AddWatchRequest("/a", mode))[0].err for mode in (0, 1)]
            seen["getData"] = raw.request(OpCode.getData, GetDataRequest("/a", True))[0].err
            # the exist watch goes in before the persistent one fails
            seen["setWatches2"] = raw.request(
                OpCode.setWatches2, SetWatches2(0, [], ["/absent"], [], ["/a"], []))[0].err
            seen["raw"] = (wchs(port)[0], dumps(port, names))
            _, connections = wchs(port)

        def raw_cleaned() -> dict | None:
            # wchs first: the connection count drops only after the cleaner
            # has taken the dead watcher's bits out of every path
            if wchs(port)[1] != connections - 1:
                return None
            metrics = mntr_watch_metrics(port)
            return metrics if metrics["dead_watchers_cleared"] == metrics["dead_watchers_queued"] else None
        seen["metrics"] = wait_for(raw_cleaned, timeout=15, what="the raw client's watches cleaned")
    finally:
        for client in list(clients.values()) + [setup]:
            client.close()
    return seen


def test_server_with_optimized_watches_answers_as_java(servers):
    with ThreadPoolExecutor(2) as pool:
        ours_future = pool.submit(scenario, servers["py"])
        theirs = pool.submit(scenario, servers["java"]).result()
        ours = ours_future.result()
    assert f"Using {OPTIMIZED} as watch manager" in servers["py"].log_text()
    for stage in ("watching", "fired", "closed", "raw"):
        assert ours[stage] == theirs[stage], stage
    assert ours["events"] == theirs["events"]
    assert ours["metrics"] == theirs["metrics"]
    assert ours["addWatch"] == [-5, -5] and ours["getData"] == 0 and ours["setWatches2"] == -5
    assert (ours["addWatch"], ours["getData"], ours["setWatches2"]) == (
        theirs["addWatch"], theirs["getData"], theirs["setWatches2"])
    # what the scenario shows: deletes suppressed by the other manager's bits,
    # and a closed connection's emptied paths kept until triggered
    assert "DELETED /b" not in " ".join(ours["events"]["A"])
    assert "DELETED /b" in " ".join(ours["events"]["B"])
    assert "/only-b" in ours["closed"][1]["wchp"] and ours["closed"][1]["wchp"]["/only-b"] == []
    assert "B" not in ours["closed"][1]["wchc"]
    assert ours["raw"][1]["wchc"] == {"raw": ["/a", "/absent"]}
