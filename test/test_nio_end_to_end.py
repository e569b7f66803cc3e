"""The client port in front of the real standalone server: kazoo and the Java
client doing real work through NIOServerCnxn, pipelined and throttled."""

from __future__ import annotations

import threading

import pytest

from javaref import wait_for
from nio_harness import ECHO, RawClient, request
from pyzkserver import EmbeddedServer
from pyzookeeper.proto.ConnectRequest import ConnectRequest
from pyzookeeper.proto.ConnectResponse import ConnectResponse


@pytest.fixture
def server(tmp_path):
    with EmbeddedServer(tmp_path) as s:
        yield s


@pytest.fixture
def kazoo(server):
    from kazoo.client import KazooClient

    clients = []

    def make():
        zk = KazooClient(hosts=server.hosts, timeout=15)
        zk.start(timeout=15)
        clients.append(zk)
        return zk

    yield make
    for zk in clients:
        zk.stop()
        zk.close()


def test_crud_and_watches(server, kazoo):
    zk = kazoo()
    other = kazoo()
    fired = threading.Event()
    zk.create("/app", b"v1")
    assert zk.get("/app", watch=lambda event: fired.set())[0] == b"v1"
    other.set("/app", b"v2")
    assert fired.wait(30)
    assert zk.get("/app")[0] == b"v2"
    big = bytes(range(256)) * 3000
    zk.create("/app/big", big)
    assert other.get("/app/big")[0] == big
    assert sorted(other.get_children("/app")) == ["big"]
    zk.delete("/app", recursive=True)
    assert other.exists("/app") is None


def test_many_sessions_pipelining(server, kazoo):
    """16 sessions with 32 requests in flight each, as the benchmark drives the server."""
    clients = [kazoo() for _ in range(16)]
    clients[0].create("/load", b"")
    for i in range(32):
        clients[0].create(f"/load/n{i}", b"%d" % i)
    errors = []

    def run(zk) -> None:
        try:
            for _ in range(10):
                results = [zk.get_async(f"/load/n{i}") for i in range(32)]
                assert [r.get(timeout=30)[0] for r in results] == [b"%d" % i for i in range(32)]
        except Exception as e:  # collected and asserted below
            errors.append(e)

    threads = [threading.Thread(target=run, args=(zk,)) for zk in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    factory = server.main.getCnxnFactory()
    wait_for(lambda: all(c.getOutstandingRequests() == 0 for c in factory.getConnections()), 10,
             what="no outstanding requests")


def test_tiny_outstanding_limit_throttles_without_losing_requests(tmp_path, monkeypatch):
    from kazoo.client import KazooClient

    from pyzookeeper.server.NIOServerCnxn import NIOServerCnxn

    throttled = []
    disableRecv = NIOServerCnxn.disableRecv

    def recording(self, waitDisableRecv=True):
        throttled.append(self.getSessionId())
        disableRecv(self, waitDisableRecv)

    monkeypatch.setattr(NIOServerCnxn, "disableRecv", recording)
    with EmbeddedServer(tmp_path, extra_cfg={"globalOutstandingLimit": "2"}) as server:
        zk = KazooClient(hosts=server.hosts, timeout=15)
        zk.start(timeout=15)
        try:
            results = [zk.create_async(f"/t{i}", b"x") for i in range(200)]
            assert [r.get(timeout=60) for r in results] == [f"/t{i}" for i in range(200)]
            assert len(zk.get_children("/")) == 201
            # throttled while its requests were in flight (not only while the session was set up)
            assert zk.client_id[0] in throttled
        finally:
            zk.stop()
            zk.close()


def test_old_client_gets_no_read_only_byte(server):
    old = RawClient(server.port)
    old.send_frame(ConnectRequest(0, 0, 30000, 0, bytes(16)).toByteArray())
    frame = old.read_frame()
    assert len(frame) == 36
    assert ConnectResponse.fromByteArray(frame).sessionId != 0
    new = RawClient(server.port)
    new.send_frame(ConnectRequest(0, 0, 30000, 0, bytes(16)).toByteArray() + b"\0")
    frame = new.read_frame()
    assert len(frame) == 37 and frame[-1] == 0


def test_close_session_closes_the_socket_after_the_reply(server):
    c = RawClient(server.port)
    c.handshake()
    c.send_frame(request(1, ECHO, b"\x00\x00\x00\x01/\x00"))
    reply, body = c.read_reply()
    assert reply.xid == 1 and reply.err == 0
    c.send_frame(request(2, -11))
    reply, body = c.read_reply()
    assert (reply.xid, reply.err, body) == (2, 0, b"")
    assert c.closed_by_server()
    factory = server.main.getCnxnFactory()
    wait_for(lambda: factory.getNumAliveConnections() == 0, 30, what="connection gone")


def test_java_client(jvm, server):
    from java.util.concurrent import CountDownLatch, TimeUnit
    from org.apache.zookeeper import CreateMode, Watcher, ZooDefs, ZooKeeper
    from jpype import JImplements, JOverride

    connected = CountDownLatch(1)

    @JImplements(Watcher)
    class Connected:
        @JOverride
        def process(self, event):
            if str(event.getState()) == "SyncConnected":
                connected.countDown()

    zk = ZooKeeper(server.hosts, 15000, Connected())
    try:
        assert connected.await_(15, TimeUnit.SECONDS)
        zk.create("/java", b"from java", ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT)
        assert bytes(zk.getData("/java", False, None)) == b"from java"
        assert [str(c) for c in zk.getChildren("/", False)].count("java") == 1
    finally:
        zk.close()
