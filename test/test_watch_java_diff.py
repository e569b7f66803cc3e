"""Watch behaviour of our DataTree against Java's, through JPype.

Both trees get the same random mix of transactions (from the DataTree
differential test's generator) and watch operations: getData / exists /
getChildren watches, persistent and persistent-recursive addWatch,
removeWatch, containsWatcher, SetWatches replay and connection removal, each
by one of several paired watchers (a Python recorder on our side, a Java
Watcher implemented in Python on the other). After every step each pair must
have received the same events, and the answers and watch counts must agree.
"""

from __future__ import annotations

import random
from collections import Counter

import pytest

from pyzookeeper.data.Stat import Stat
from pyzookeeper.KeeperException import KeeperException
from pyzookeeper.server.DataTree import DataTree
from pyzookeeper.Watcher import Watcher, WatcherType

from test_datatree_java_diff import JavaTree, TxnGenerator, apply_both

pytestmark = pytest.mark.java


class Recorder(Watcher):
    def __init__(self) -> None:
        self.events: Counter = Counter()

    def process(self, event) -> None:
        self.events[(int(event.getType()), event.getPath(), int(event.getState()))] += 1


def java_recorder_class(jpype):
    @jpype.JImplements("org.apache.zookeeper.Watcher")
    class JavaRecorder:
        def __init__(self) -> None:
            self.events: Counter = Counter()

        @jpype.JOverride
        def process(self, event) -> None:
            self.events[(int(event.getType().getIntValue()), str(event.getPath()),
                         int(event.getState().getIntValue()))] += 1

    return JavaRecorder


def test_watch_events_match_java(jvm):
    rng = random.Random(2024)
    py = DataTree()
    jt = JavaTree(jvm)
    j = jt.tree
    gen = TxnGenerator(rng, py)
    JavaRecorder = java_recorder_class(jvm)
    JWatcherType = jvm.JClass("org.apache.zookeeper.Watcher$WatcherType")
    JStat = jvm.JClass("org.apache.zookeeper.data.Stat")
    ArrayList = jvm.JClass("java.util.ArrayList")
    types = [(WatcherType.Children, JWatcherType.Children), (WatcherType.Data, JWatcherType.Data),
             (WatcherType.Any, JWatcherType.Any)]
    pairs = [(Recorder(), JavaRecorder()) for _ in range(4)]

    def jlist(items):
        out = ArrayList()
        for item in items:
            out.add(item)
        return out

    def some_path() -> str:
        paths = gen.paths() + ["/"]
        if rng.random() < 0.15:
            return f"/absent{rng.randint(0, 20)}"
        return rng.choice(paths)

    def both(py_call, java_call, where):
        """Run a read on both sides: same answer or the same NoNode failure."""
        try:
            ours = ("ok", py_call())
        except KeeperException.NoNodeException:
            ours = ("nonode", None)
        try:
            theirs = ("ok", java_call())
        except Exception as e:  # noqa: BLE001 - a Java exception through JPype
            assert "NoNode" in str(e.getClass().getName()), where
            theirs = ("nonode", None)
        assert ours[0] == theirs[0], where
        return ours[1], theirs[1]

    kinds: Counter = Counter()
    for step in range(2500):
        where = f"step {step}"
        w, jw = rng.choice(pairs)
        r = rng.random()
        if r < 0.4:
            apply_both(py, jt, gen.next_entry(), where)
        elif r < 0.52:
            path = some_path()
            a, b = both(lambda: py.getData(path, Stat(), w), lambda: j.getData(path, JStat(), jw), where)
            if a is not None or b is not None:
                assert a == bytes(b), where
        elif r < 0.62:
            path = some_path()
            a, b = both(lambda: py.statNode(path, w), lambda: j.statNode(path, jw), where)
            if a is not None:
                assert str(a) == str(b.toString()), where
        elif r < 0.74:
            path = some_path()
            a, b = both(lambda: py.getChildren(path, None, w), lambda: j.getChildren(path, None, jw), where)
            if a is not None:
                assert sorted(a) == sorted(str(c) for c in b), where
        elif r < 0.8:
            path = some_path()
            mode = rng.choice([0, 1])
            py.addWatch(path, w, mode)
            j.addWatch(path, jw, mode)
        elif r < 0.87:
            path = some_path()
            t, jtype = rng.choice(types)
            assert py.removeWatch(path, t, w) == bool(j.removeWatch(path, jtype, jw)), where
        elif r < 0.94:
            path = some_path()
            t, jtype = rng.choice(types)
            assert py.containsWatcher(path, t, w) == bool(j.containsWatcher(path, jtype, jw)), where
        elif r < 0.98:
            relative = py.lastProcessedZxid - rng.randint(0, 40)
            lists = [[some_path() for _ in range(rng.randint(0, 3))] for _ in range(5)]
            py.setWatches(relative, *lists, w)
            j.setWatches(relative, *[jlist(lst) for lst in lists], jw)
        else:
            py.removeCnxn(w)
            j.removeCnxn(jw)
        for ours, theirs in pairs:
            assert ours.events == theirs.events, where
            for (kind, _, _), n in ours.events.items():
                kinds[kind] += n
            ours.events.clear()
            theirs.events.clear()
        assert py.getWatchCount() == j.getWatchCount(), where
    # the run must have delivered plenty of events of every kind
    assert all(kinds[k] > 20 for k in (1, 2, 3, 4)), kinds
