"""Watch semantics of the DataTree and its watch managers: one-shot data, exist
and child watches, persistent and persistent-recursive watches, suppression of
duplicate NodeDeleted events, removal, SetWatches replay, the ACL handed to
server-side watchers, the text dumps, the factory, and thread safety."""

from __future__ import annotations

import io
import threading

import pytest

from pyzookeeper import system_properties
from pyzookeeper.data.ACL import ACL
from pyzookeeper.data.Id import Id
from pyzookeeper.data.Stat import Stat
from pyzookeeper.KeeperException import KeeperException
from pyzookeeper.server.DataTree import DataTree
from pyzookeeper.server.DumbWatcher import DumbWatcher
from pyzookeeper.server.ServerWatcher import ServerWatcher
from pyzookeeper.server.watch import WatchManagerFactory
from pyzookeeper.server.watch.PathParentIterator import PathParentIterator
from pyzookeeper.server.watch.WatchManager import WatchManager
from pyzookeeper.server.watch.WatcherMode import WatcherMode
from pyzookeeper.Watcher import EventType, Watcher, WatcherType
from pyzookeeper.ZooDefs import AddWatchModes, Ids

Created = EventType.NodeCreated
Deleted = EventType.NodeDeleted
Changed = EventType.NodeDataChanged
Children = EventType.NodeChildrenChanged


class Recorder(Watcher):
    def __init__(self) -> None:
        self.events: list[tuple[EventType, str]] = []
        self.zxids: list[int] = []

    def process(self, event) -> None:
        self.events.append((event.getType(), event.getPath()))
        self.zxids.append(event.getZxid())

    def take(self) -> list[tuple[EventType, str]]:
        events, self.events = self.events, []
        return events


class AclRecorder(ServerWatcher):
    def __init__(self, sessionId: int = 0x55) -> None:
        self.events: list[tuple[EventType, str, list | None]] = []
        self.sessionId = sessionId

    def process(self, event, znodeAcl=None) -> None:
        self.events.append((event.getType(), event.getPath(), znodeAcl))

    def getSessionId(self) -> int:
        return self.sessionId


class Tree:
    """A DataTree with a zxid counter, so tests read as client operations."""

    def __init__(self) -> None:
        self.dt = DataTree()
        self.zxid = 0

    def next(self) -> int:
        self.zxid += 1
        return self.zxid

    def create(self, path: str, data: bytes = b"", acl=None, owner: int = 0) -> None:
        self.dt.createNode(path, data, Ids.OPEN_ACL_UNSAFE if acl is None else acl, owner, -1, self.next(), 1000)

    def set(self, path: str, data: bytes = b"x") -> None:
        self.dt.setData(path, data, 1, self.next(), 1000)

    def delete(self, path: str) -> None:
        self.dt.deleteNode(path, self.next())


@pytest.fixture
def tree() -> Tree:
    t = Tree()
    t.create("/a")
    t.create("/a/b")
    return t


def test_data_watch_fires_once(tree):
    w = Recorder()
    tree.dt.getData("/a", Stat(), w)
    tree.set("/a")
    tree.set("/a")
    assert w.take() == [(Changed, "/a")]
    # branch-3.8 events carry no zxid
    assert w.zxids == [-1]
    assert tree.dt.getWatchCount() == 0


def test_exists_watch_on_missing_node_fires_on_create(tree):
    w = Recorder()
    with pytest.raises(KeeperException.NoNodeException):
        tree.dt.statNode("/a/c", w)
    tree.create("/a/c")
    assert w.take() == [(Created, "/a/c")]


def test_child_watch_fires_on_child_create_and_delete(tree):
    w = Recorder()
    assert tree.dt.getChildren("/a", None, w) == ["b"]
    tree.create("/a/c")
    assert w.take() == [(Children, "/a")]
    tree.dt.getChildren("/a", None, w)
    tree.delete("/a/c")
    assert w.take() == [(Children, "/a")]
    tree.create("/a/d")
    assert w.take() == []


def test_root_child_watch(tree):
    w = Recorder()
    tree.dt.getChildren("/", None, w)
    tree.create("/z")
    assert w.take() == [(Children, "/")]


def test_delete_fires_one_node_deleted_for_data_and_child_watch(tree):
    w = Recorder()
    other = Recorder()
    tree.dt.getData("/a/b", Stat(), w)
    tree.dt.getChildren("/a/b", None, w)
    tree.dt.getChildren("/a/b", None, other)
    tree.delete("/a/b")
    assert w.take() == [(Deleted, "/a/b")]
    assert other.take() == [(Deleted, "/a/b")]
    assert tree.dt.getWatchCount() == 0


def test_persistent_watch_keeps_firing_for_node_and_children(tree):
    w = Recorder()
    tree.dt.addWatch("/a", w, AddWatchModes.persistent)
    tree.set("/a")
    tree.set("/a")
    tree.create("/a/c")
    tree.create("/a/c/d")
    tree.set("/a/b")
    assert w.take() == [(Changed, "/a"), (Changed, "/a"), (Children, "/a")]
    assert tree.dt.containsWatcher("/a", WatcherType.Data, w)
    assert tree.dt.containsWatcher("/a", WatcherType.Children, w)
    assert not tree.dt.containsWatcher("/a/b", WatcherType.Data, w)


def test_persistent_recursive_watch_covers_the_subtree(tree):
    w = Recorder()
    tree.dt.addWatch("/a", w, AddWatchModes.persistentRecursive)
    tree.create("/a/c")
    tree.create("/a/c/d")
    tree.set("/a/c/d")
    tree.delete("/a/c/d")
    tree.set("/a")
    tree.create("/x")
    assert w.take() == [(Created, "/a/c"), (Created, "/a/c/d"), (Changed, "/a/c/d"), (Deleted, "/a/c/d"),
                        (Changed, "/a")]
    assert tree.dt.containsWatcher("/a", WatcherType.Any, w)
    # as in Java, the mode is looked up for the path asked about, so a
    # descendant of a recursive watch does not count as watched
    assert not tree.dt.containsWatcher("/a/c/zz", WatcherType.Any, w)
    assert tree.dt.dataWatches.getRecursiveWatchQty() == 1
    assert tree.dt.removeWatch("/a", WatcherType.Any, w)
    assert tree.dt.dataWatches.getRecursiveWatchQty() == 0
    tree.create("/a/e")
    assert w.take() == []


def test_standard_watch_replaces_persistent_mode(tree):
    # one mode per (watcher, path): a later standard watch makes it one-shot again
    w = Recorder()
    tree.dt.addWatch("/a", w, AddWatchModes.persistent)
    tree.dt.getData("/a", Stat(), w)
    tree.set("/a")
    tree.set("/a")
    assert w.take() == [(Changed, "/a")]


def test_remove_and_contains(tree):
    w = Recorder()
    tree.dt.getData("/a", Stat(), w)
    tree.dt.getChildren("/a", None, w)
    assert tree.dt.containsWatcher("/a", WatcherType.Data, w)
    assert tree.dt.containsWatcher("/a", WatcherType.Children, w)
    assert tree.dt.removeWatch("/a", WatcherType.Data, w)
    assert not tree.dt.removeWatch("/a", WatcherType.Data, w)
    assert not tree.dt.containsWatcher("/a", WatcherType.Data, w)
    assert tree.dt.containsWatcher("/a", WatcherType.Any, w)
    assert tree.dt.removeWatch("/a", WatcherType.Any, w)
    assert not tree.dt.containsWatcher("/a", WatcherType.Any, w)
    tree.set("/a")
    tree.create("/a/x")
    assert w.take() == []


def test_remove_cnxn_drops_everything(tree):
    w = Recorder()
    tree.dt.getData("/a", Stat(), w)
    tree.dt.getChildren("/a/b", None, w)
    tree.dt.addWatch("/", w, AddWatchModes.persistentRecursive)
    assert tree.dt.getWatchCount() == 4
    tree.dt.removeCnxn(w)
    assert tree.dt.getWatchCount() == 0
    tree.set("/a")
    assert w.take() == []


def test_set_watches_replays_missed_events(tree):
    relative = tree.zxid
    tree.create("/new")
    tree.set("/a")
    tree.create("/a/c")
    w = Recorder()
    tree.dt.setWatches(relative,
                       ["/a", "/a/b", "/gone"],
                       ["/new", "/later"],
                       ["/a", "/a/b", "/gone2"],
                       ["/p"], ["/r"], w)
    assert sorted(w.take()) == sorted([(Changed, "/a"), (Deleted, "/gone"), (Created, "/new"),
                                       (Children, "/a"), (Deleted, "/gone2")])
    # the rest were registered: /a/b data and child, /later exists, /p and /r persistent
    tree.set("/a/b")
    tree.create("/later")
    tree.create("/a/b/c")
    tree.create("/p")
    tree.create("/r")
    tree.create("/r/s")
    assert w.take() == [(Changed, "/a/b"), (Created, "/later"), (Children, "/a/b"), (Created, "/p"),
                        (Created, "/r"), (Created, "/r/s")]


def test_server_watchers_get_the_acl_of_the_node(tree):
    secret = [ACL(1, Id("digest", "u:x"))]
    tree.create("/s", acl=secret)
    w = AclRecorder()
    tree.dt.getData("/s", Stat(), w)
    tree.dt.getChildren("/s", None, w)
    with pytest.raises(KeeperException.NoNodeException):
        tree.dt.statNode("/s/c", w)
    tree.create("/s/c", acl=Ids.READ_ACL_UNSAFE)
    tree.set("/s")
    tree.delete("/s/c")
    assert [(e, p, [(a.perms, a.id.scheme) for a in acl]) for e, p, acl in w.events] == [
        (Created, "/s/c", [(1, "world")]),
        (Children, "/s", [(1, "digest")]),
        (Changed, "/s", [(1, "digest")]),
    ]


def test_dumps_and_reports():
    t = Tree()
    t.create("/a")
    w1 = DumbWatcher(0x10)
    w2 = DumbWatcher(0x20)
    t.dt.getData("/a", Stat(), w1)
    t.dt.getData("/a", Stat(), w2)
    with pytest.raises(KeeperException.NoNodeException):
        t.dt.statNode("/b", w2)
    out = io.StringIO()
    t.dt.dumpWatchesSummary(out)
    assert out.getvalue() == "2 connections watching 2 paths\nTotal watches:3"
    out = io.StringIO()
    t.dt.dumpWatches(out, True)
    text = out.getvalue()
    assert "/a\n" in text and "\t0x10\n" in text and "/b\n\t0x20\n" in text
    out = io.StringIO()
    t.dt.dumpWatches(out, False)
    assert "0x10\n\t/a\n" in out.getvalue()
    assert t.dt.getWatches().getPaths(0x20) == {"/a", "/b"}
    assert t.dt.getWatches().hasPaths(0x10) and not t.dt.getWatches().hasPaths(0x30)
    assert t.dt.getWatchesByPath().getSessions("/a") == {0x10, 0x20}
    assert t.dt.getWatchesByPath().toMap() == {"/a": {0x10, 0x20}, "/b": {0x20}}
    summary = t.dt.getWatchesSummary()
    assert summary.toMap() == {"num_connections": 2, "num_paths": 2, "num_total_watches": 3}


def test_dump_ephemerals():
    t = Tree()
    t.create("/e1", owner=0x1234)
    out = io.StringIO()
    t.dt.dumpEphemerals(out)
    assert out.getvalue() == "Sessions with Ephemerals (1):\n0x1234:\n\t/e1\n"


def test_stale_watchers_are_not_added():
    t = Tree()
    t.create("/a")
    w = DumbWatcher(1)
    w.setStale()
    t.dt.getData("/a", Stat(), w)
    assert t.dt.getWatchCount() == 0


def test_path_parent_iterator():
    it = PathParentIterator.forAll("/a/b/c")
    seen = []
    for p in it:
        seen.append((p, it.atParentPath()))
    assert seen == [("/a/b/c", False), ("/a/b", True), ("/a", True), ("/", True)]
    assert list(PathParentIterator.forPathOnly("/a/b")) == ["/a/b"]
    assert list(PathParentIterator.forAll("/")) == ["/"]


def test_watcher_mode_from_zoodef():
    assert WatcherMode.fromZooDef(0) is WatcherMode.PERSISTENT
    assert WatcherMode.fromZooDef(1) is WatcherMode.PERSISTENT_RECURSIVE
    with pytest.raises(ValueError, match="Unsupported mode: 7"):
        WatcherMode.fromZooDef(7)


class CountingWatchManager(WatchManager):
    made = 0

    def __init__(self) -> None:
        super().__init__()
        CountingWatchManager.made += 1


def test_watch_manager_factory():
    name = WatchManagerFactory.ZOOKEEPER_WATCH_MANAGER_NAME
    try:
        assert type(WatchManagerFactory.createWatchManager()) is WatchManager
        system_properties.setProperty(name, "org.apache.zookeeper.server.watch.WatchManager")
        assert type(WatchManagerFactory.createWatchManager()) is WatchManager
        system_properties.setProperty(name, f"{__name__}.CountingWatchManager")
        DataTree()
        assert CountingWatchManager.made == 2
        system_properties.setProperty(name, "org.apache.zookeeper.server.watch.NoSuchManager")
        with pytest.raises(IOError, match="Couldn't instantiate org.apache.zookeeper.server.watch.NoSuchManager"):
            WatchManagerFactory.createWatchManager()
    finally:
        system_properties.clearProperty(name)


def test_concurrent_registration_and_triggering():
    """Connections add and drop watches while the txn thread triggers them."""
    t = Tree()
    for i in range(20):
        t.create(f"/n{i}")
    stop = threading.Event()
    errors: list[BaseException] = []

    def clients(seed: int) -> None:
        try:
            watchers = [Recorder() for _ in range(5)]
            k = seed
            while not stop.is_set():
                k += 1
                w = watchers[k % 5]
                path = f"/n{k % 20}"
                if k % 3 == 0:
                    t.dt.addWatch(path, w, AddWatchModes.persistentRecursive if k % 2 else AddWatchModes.persistent)
                elif k % 3 == 1:
                    try:
                        t.dt.getData(path, Stat(), w)
                    except KeeperException.NoNodeException:
                        pass
                else:
                    t.dt.removeCnxn(w)
                t.dt.containsWatcher(path, WatcherType.Any, w)
        except BaseException as e:  # reported by the main thread
            errors.append(e)

    threads = [threading.Thread(target=clients, args=(s,), name=f"client-{s}") for s in range(3)]
    for th in threads:
        th.start()
    try:
        for round_ in range(300):
            path = f"/n{round_ % 20}"
            t.set(path)
            t.create(f"{path}/c{round_}")
            t.delete(f"{path}/c{round_}")
    finally:
        stop.set()
        for th in threads:
            th.join(10)
    assert not errors, errors
    assert all(not th.is_alive() for th in threads)
    # the tables still agree with each other
    for wm in (t.dt.dataWatches, t.dt.childWatches):
        assert wm.size() == sum(len(p) for p in wm.watch2Paths.values())
        assert wm.getRecursiveWatchQty() == sum(
            1 for mode in wm.watcherModeManager.getWatcherModes().values() if mode.isRecursive())
