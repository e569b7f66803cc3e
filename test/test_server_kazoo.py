"""The standalone server end to end with kazoo: every operation and node kind,
watches, multi, ACLs and auth, sessions, and kazoo's recipes."""

from __future__ import annotations

import threading
import uuid

import pytest
from kazoo.client import KazooClient, KazooState
from kazoo.exceptions import (BadArgumentsError, BadVersionError, NoAuthError, NodeExistsError,
                              NoNodeError, NotEmptyError, NoChildrenForEphemeralsError,
                              RolledBackError, RuntimeInconsistency)
from kazoo.protocol.states import EventType
from kazoo.security import OPEN_ACL_UNSAFE, READ_ACL_UNSAFE, make_acl, make_digest_acl

from javaref import four_letter_word, wait_for
from pyzookeeper.proto.AddWatchRequest import AddWatchRequest
from pyzookeeper.proto.CreateRequest import CreateRequest
from pyzookeeper.ZooDefs import Ids, OpCode
from pyzkserver import EmbeddedServer
from rawclient import RawClient


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    s = EmbeddedServer(tmp_path_factory.mktemp("zk"), extra_cfg={"tickTime": "500",
                                                                 "minSessionTimeout": "1000"})
    s.start()
    yield s
    s.stop()


@pytest.fixture
def zk(server):
    client = KazooClient(hosts=server.hosts, timeout=10)
    client.start(timeout=15)
    yield client
    client.stop()
    client.close()


@pytest.fixture
def base(zk):
    path = "/t-" + uuid.uuid4().hex[:8]
    zk.create(path)
    return path


def test_crud_and_stats(zk, base):
    path = zk.create(base + "/n", b"v1")
    assert path == base + "/n"
    data, stat = zk.get(path)
    assert data == b"v1" and stat.version == 0 and stat.dataLength == 2 and stat.numChildren == 0
    assert stat.czxid == stat.mzxid == stat.pzxid
    stat2 = zk.set(path, b"v2")
    assert stat2.version == 1 and stat2.mzxid > stat.mzxid and stat2.czxid == stat.czxid
    with pytest.raises(BadVersionError):
        zk.set(path, b"x", version=0)
    with pytest.raises(NodeExistsError):
        zk.create(path)
    with pytest.raises(NoNodeError):
        zk.create(base + "/missing/child")
    parent = zk.exists(base)
    assert parent.numChildren == 1 and parent.cversion == 1
    with pytest.raises(NotEmptyError):
        zk.delete(base)
    with pytest.raises(BadVersionError):
        zk.delete(path, version=5)
    zk.delete(path, version=1)
    assert zk.exists(path) is None
    with pytest.raises(NoNodeError):
        zk.get(path)
    assert zk.exists(base).cversion == 2


def test_children_and_counts(zk, base):
    for i in range(5):
        zk.create(f"{base}/c{i}", b"")
    zk.create(f"{base}/c0/g", b"")
    children, stat = zk.get_children(base, include_data=True)
    assert sorted(children) == [f"c{i}" for i in range(5)] and stat.numChildren == 5
    assert zk.get_children(base + "/c0") == ["g"]


def test_data_sizes_and_unicode(zk, base):
    for size in (0, 1, 1000, 500_000):
        payload = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
        p = zk.create(f"{base}/s{size}", payload)
        assert zk.get(p)[0] == payload
    name = f"{base}/ünïcødé-节点"
    zk.create(name, "värde".encode())
    assert zk.get(name)[0] == "värde".encode()
    assert "ünïcødé-节点" in zk.get_children(base)


def test_sequential_nodes_use_parent_cversion(zk, base):
    zk.create(base + "/plain")
    a = zk.create(base + "/seq-", sequence=True)
    b = zk.create(base + "/seq-", sequence=True)
    assert a == base + "/seq-0000000001"
    assert b == base + "/seq-0000000002"


def test_ephemeral_nodes_go_with_their_session(server, zk, base):
    other = KazooClient(hosts=server.hosts, timeout=10)
    other.start(timeout=15)
    try:
        p = other.create(base + "/eph", b"", ephemeral=True)
        stat = zk.exists(p)
        assert stat.ephemeralOwner == other.client_id[0]
        with pytest.raises(NoChildrenForEphemeralsError):
            other.create(p + "/child")
    finally:
        other.stop()
        other.close()
    assert zk.exists(base + "/eph") is None


def test_watches_one_shot_data_child_exist(zk, base):
    events = []
    zk.get(base, watch=events.append)
    zk.get_children(base, watch=events.append)
    zk.exists(base + "/new", watch=events.append)
    zk.create(base + "/new", b"")
    zk.set(base, b"changed")
    zk.set(base, b"changed again")  # the data watch fired once already
    wait_for(lambda: len(events) >= 3, 30, what="three watch events")
    kinds = sorted((e.type, e.path) for e in events)
    assert kinds == sorted([(EventType.CREATED, base + "/new"), (EventType.CHILD, base),
                            (EventType.CHANGED, base)])


def test_watch_event_precedes_data_read_after_it(server, zk, base):
    """A client sees the watch event before the data that changed it."""
    order = []
    done = threading.Event()

    def on_event(event):
        order.append("event")

    zk.get(base, watch=on_event)
    other = KazooClient(hosts=server.hosts, timeout=10)
    other.start(timeout=15)
    try:
        other.set(base, b"new")
    finally:
        other.stop()
        other.close()
    data, _ = zk.get(base)
    order.append(data)
    done.set()
    wait_for(lambda: "event" in order, 30, what="the watch event")
    assert order.index("event") < order.index(b"new")


def test_persistent_and_recursive_watches(server, zk, base):
    host, port = server.hosts.split(":")
    with RawClient(host, int(port)) as persistent, RawClient(host, int(port)) as recursive:
        persistent.connect()
        recursive.connect()
        hdr, body = persistent.request(OpCode.addWatch, AddWatchRequest(base, 0))
        assert hdr.err == 0 and body == b"\x00\x00\x00\x00"  # an ErrorResponse{0} body even on success
        assert recursive.request(OpCode.addWatch, AddWatchRequest(base, 1))[0].err == 0
        zk.create(base + "/a", b"")
        zk.create(base + "/a/b", b"")
        zk.set(base, b"1")
        zk.set(base, b"2")
        got = [persistent.next_event() for _ in range(3)]
        assert [(e.type, e.path) for e in got] == [(4, base), (3, base), (3, base)]
        got = [recursive.next_event() for _ in range(4)]
        assert [(e.type, e.path) for e in got] == [
            (1, base + "/a"), (1, base + "/a/b"), (3, base), (3, base)]


def test_bad_paths_are_bad_arguments(server, base):
    host, port = server.hosts.split(":")
    with RawClient(host, int(port)) as raw:
        raw.connect()
        # each of these has an existing parent, so the path check itself decides
        for bad in (base + "/", base + "/.", base + "/..", "relative", base + "/nul\0"):
            hdr, _ = raw.request(OpCode.create, CreateRequest(bad, b"", Ids.OPEN_ACL_UNSAFE, 0))
            assert hdr.err == -8, bad  # BADARGUMENTS
        # a create under a missing parent is NONODE, checked after the parent lookup as in Java
        hdr, _ = raw.request(OpCode.create, CreateRequest(base + "/missing/x", b"", Ids.OPEN_ACL_UNSAFE, 0))
        assert hdr.err == -101


def test_multi_is_atomic_with_per_op_results(zk, base):
    t = zk.transaction()
    t.create(base + "/m1", b"1")
    t.create(base + "/m2", b"2")
    t.set_data(base, b"x")
    results = t.commit()
    assert results[0] == base + "/m1" and results[1] == base + "/m2"
    assert zk.get(base + "/m2")[0] == b"2"
    t = zk.transaction()
    t.create(base + "/m3", b"")
    t.check(base, 42)
    t.delete(base + "/m1")
    results = t.commit()
    assert isinstance(results[0], RolledBackError)
    assert isinstance(results[1], BadVersionError)
    assert isinstance(results[2], RuntimeInconsistency)
    assert zk.exists(base + "/m3") is None and zk.exists(base + "/m1") is not None


def test_digest_acl_and_auth(server, zk, base):
    acl = make_digest_acl("alice", "secret", all=True)
    p = zk.create(base + "/private", b"s", acl=[acl])
    with pytest.raises(NoAuthError):
        zk.get(p)
    with pytest.raises(NoAuthError):
        zk.get_acls(p)
    authed = KazooClient(hosts=server.hosts, timeout=10, auth_data=[("digest", "alice:secret")])
    authed.start(timeout=15)
    try:
        assert authed.get(p)[0] == b"s"
        assert authed.get_acls(p)[0] == [acl]
        authed.set_acls(p, READ_ACL_UNSAFE + [acl])
        assert zk.get(p)[0] == b"s"
        with pytest.raises(NoAuthError):
            zk.set(p, b"no")
        # the creator-only ACL expands to the caller's authenticated ids
        q = authed.create(base + "/mine", b"", acl=[make_acl("auth", "", all=True)])
        acls, _ = authed.get_acls(q)
        assert acls[0].id.scheme == "digest" and acls[0].id.id.startswith("alice:")
    finally:
        authed.stop()
        authed.close()


def test_ip_acl(zk, base):
    p = zk.create(base + "/ip", b"x", acl=[make_acl("ip", "127.0.0.1", read=True)])
    assert zk.get(p)[0] == b"x"
    q = zk.create(base + "/ip2", b"x", acl=[make_acl("ip", "10.1.2.3", read=True)])
    with pytest.raises(NoAuthError):
        zk.get(q)
    with pytest.raises(Exception):
        zk.create(base + "/badip", b"", acl=[make_acl("ip", "not-an-ip", read=True)])


def test_session_expiry_removes_ephemerals(server, zk, base):
    seen = []
    with RawClient("127.0.0.1", server.port) as other:
        other.connect(timeout_ms=1000)
        hdr, _ = other.request(OpCode.create, CreateRequest(base + "/short", b"", Ids.OPEN_ACL_UNSAFE, 1))
        assert hdr.err == 0
        zk.exists(base + "/short", watch=seen.append)
    # the socket closed without a closeSession: the node goes when the session expires
    wait_for(lambda: zk.exists(base + "/short") is None, 30, what="session expiry")
    wait_for(lambda: seen, 30, what="the deletion event")
    assert seen[0].type == EventType.DELETED


def test_reconnect_reattaches_session(server, base):
    first = KazooClient(hosts=server.hosts, timeout=10)
    first.start(timeout=15)
    try:
        p = first.create(base + "/mine", b"", ephemeral=True)
        sid, passwd = first.client_id
        second = KazooClient(hosts=server.hosts, timeout=10, client_id=(sid, passwd))
        second.start(timeout=15)
        try:
            assert second.client_id[0] == sid
            assert second.exists(p).ephemeralOwner == sid
        finally:
            second.stop()
            second.close()
    finally:
        first.stop()
        first.close()


def test_wrong_password_is_refused(server):
    host, port = server.hosts.split(":")
    with RawClient(host, int(port)) as good:
        rsp = good.connect(timeout_ms=30000)
        assert rsp.sessionId != 0 and len(rsp.passwd) == 16
        with RawClient(host, int(port)) as bad:
            refused = bad.connect(session_id=rsp.sessionId, passwd=b"\x01" * 16)
            assert (refused.timeOut, refused.sessionId, refused.passwd) == (0, 0, b"\x00" * 16)
            with pytest.raises((EOFError, ConnectionResetError)):
                bad.recv_frame()
        with RawClient(host, int(port)) as again:
            resumed = again.connect(session_id=rsp.sessionId, passwd=rsp.passwd)
            assert resumed.sessionId == rsp.sessionId and resumed.passwd == rsp.passwd


def test_sync_and_nested_ephemerals(zk, base):
    zk.sync(base)
    zk.create(base + "/e1", b"", ephemeral=True)
    zk.create(base + "/x/e2", b"", ephemeral=True, makepath=True)
    assert zk.exists(base).numChildren == 2


def test_recipes_lock_election_queue_barrier(server, zk, base):
    lock = zk.Lock(base + "/lock", "me")
    with lock:
        assert lock.is_acquired
        assert len(lock.contenders()) == 1
    queue = zk.Queue(base + "/queue")
    for item in (b"a", b"b", b"c"):
        queue.put(item)
    assert [queue.get(), queue.get(), queue.get()] == [b"a", b"b", b"c"]
    barrier = zk.Barrier(base + "/barrier")
    barrier.create()
    outcome = []
    waiter = threading.Thread(target=lambda: outcome.append(barrier.wait(60)), daemon=True)
    waiter.start()
    wait_for(lambda: barrier.path in four_letter_word(server.port, "wchp"), 30, what="the barrier's watch")
    assert outcome == []
    barrier.remove()
    waiter.join(60)
    assert outcome == [True]
    election = zk.Election(base + "/election", "me")
    won = threading.Event()
    threading.Thread(target=lambda: election.run(won.set), daemon=True).start()
    assert won.wait(30)
    election.cancel()


def test_session_states_and_close(server):
    client = KazooClient(hosts=server.hosts, timeout=10)
    states = []
    client.add_listener(states.append)
    client.start(timeout=15)
    assert client.state == KazooState.CONNECTED
    client.stop()
    client.close()
    assert KazooState.LOST in states


def test_session_password_is_javas(jvm):
    """Java clients reconnect after a restart only if we derive the same password."""
    from pyzookeeper.server.ZooKeeperServer import ZooKeeperServer

    random_cls = jvm.JClass("java.util.Random")
    for sid in (1, 0x100001770b00004, -0x7FFF000000000001, 0x7FFFFFFFFFFFFFFF):
        arr = jvm.JArray(jvm.JByte)(16)
        random_cls(jvm.JLong(sid ^ 0xB3415C00)).nextBytes(arr)
        assert ZooKeeperServer.generatePasswd(sid) == bytes(b & 0xFF for b in arr)
