"""Acknowledged writes survive ``kill -9``, and the Java server reads our data
directory afterwards with the same tree."""

from __future__ import annotations

import threading
import time

import pytest
from kazoo.client import KazooClient
from kazoo.exceptions import ConnectionLoss

from javaref import JavaZooKeeperServer, java_missing_reason, wait_for
from pyzkserver import PyZooKeeperServer


def _tree(zk: KazooClient, root: str) -> dict[str, bytes]:
    out = {}
    stack = [root]
    while stack:
        path = stack.pop()
        data, _ = zk.get(path)
        out[path] = data
        for child in zk.get_children(path):
            stack.append(path.rstrip("/") + "/" + child)
    return out


def test_acknowledged_writes_survive_kill_9(tmp_path):
    server = PyZooKeeperServer(tmp_path / "py", extra_cfg={"forceSync": "yes", "snapCount": "200"})
    server.start()
    acked: list[tuple[str, bytes]] = []
    lock = threading.Lock()
    stop = threading.Event()
    try:
        zk = KazooClient(hosts=server.hosts, timeout=10)
        zk.start(timeout=20)
        zk.create("/d")

        clients = [KazooClient(hosts=server.hosts, timeout=10, connection_retry={"max_tries": 0},
                               command_retry={"max_tries": 0}) for _ in range(4)]
        for client in clients:
            client.start(timeout=20)

        def writer(n: int, client: KazooClient) -> None:
            i = 0
            try:
                while not stop.is_set():
                    path, data = f"/d/w{n}-{i}", f"{n}:{i}".encode()
                    client.create(path, data)
                    with lock:
                        acked.append((path, data))
                    i += 1
            except Exception:
                pass  # the server died under us

        threads = [threading.Thread(target=writer, args=(n, c), daemon=True) for n, c in enumerate(clients)]
        for t in threads:
            t.start()
        wait_for(lambda: len(acked) >= 600, 60, what="600 acknowledged writes")
        server.kill9()
        stop.set()
        # a create issued after the client saw the connection drop waits for a
        # reconnection that never comes; stopping the client fails it
        for client in clients:
            client.stop()
        deadline = time.monotonic() + 30
        for t in threads:
            t.join(max(0.0, deadline - time.monotonic()))
        assert not any(t.is_alive() for t in threads)
        for client in clients:
            client.close()
        zk.stop()
        zk.close()
    finally:
        server.stop()
    assert len(acked) >= 600

    restarted = PyZooKeeperServer(tmp_path / "py", port=server.port, extra_cfg={"forceSync": "yes"})
    restarted.start()
    try:
        zk = KazooClient(hosts=restarted.hosts, timeout=10)
        zk.start(timeout=20)
        tree = _tree(zk, "/d")
        zk.stop()
        zk.close()
    finally:
        restarted.stop()
    missing = [p for p, d in acked if tree.get(p) != d]
    assert not missing, f"{len(missing)} acknowledged writes lost, e.g. {missing[:5]}"

    if java_missing_reason():
        pytest.skip(java_missing_reason())
    with JavaZooKeeperServer(tmp_path / "java", data_dir=tmp_path / "py" / "data") as java:
        zk = KazooClient(hosts=java.hosts, timeout=10)
        zk.start(timeout=20)
        java_tree = _tree(zk, "/d")
        zk.stop()
        zk.close()
    assert java_tree == tree


FULL_DISK_LINES = [
    "Severe unrecoverable error, from thread : SyncThread:0",
    "Thread SyncThread:0 exits, error code 1",
    "SyncRequestProcessor exited!",
    "Exiting normally",
]


@pytest.mark.parametrize("kind", ["py", "java"])
def test_a_full_disk_stops_the_server_and_loses_no_acknowledged_write(tmp_path, kind):
    """A server whose txn log cannot grow (RLIMIT_FSIZE: writes fail with EFBIG,
    as on a full disk) stops as Java's does, from SyncThread, exit code 0; restarted
    with room, our server and Java's load the cut log and serve every
    acknowledged write."""
    if java_missing_reason():
        pytest.skip(java_missing_reason())
    cfg = {"preAllocSize": "16", "snapCount": "100000"}
    data_dir = tmp_path / "data"
    server_class = PyZooKeeperServer if kind == "py" else JavaZooKeeperServer
    server = server_class(tmp_path / kind, extra_cfg=cfg, data_dir=data_dir)
    server.file_size_limit = 200_000
    acked: list[str] = []
    try:
        server.start()
        zk = KazooClient(hosts=server.hosts, timeout=10, connection_retry={"max_tries": 0},
                         command_retry={"max_tries": 0})
        zk.start(timeout=20)
        with pytest.raises(ConnectionLoss):
            for _ in range(10_000):
                acked.append(zk.create("/n-", b"x" * 500, sequence=True))
        zk.stop()
        zk.close()
        assert server.proc.wait(30) == 0
    finally:
        server.stop()
    assert 100 < len(acked) < 400
    text = server.log_text()
    positions = [text.find(line) for line in FULL_DISK_LINES]
    assert -1 not in positions and positions == sorted(positions), positions
    assert "File too large" in text

    trees = {}
    for label, reader in (("py", PyZooKeeperServer), ("java", JavaZooKeeperServer)):
        with reader(tmp_path / f"after-{label}", extra_cfg=cfg, data_dir=data_dir) as again:
            zk = KazooClient(hosts=again.hosts, timeout=10)
            zk.start(timeout=20)
            trees[label] = _tree(zk, "/")
            zk.stop()
            zk.close()
    assert trees["py"] == trees["java"]
    missing = [p for p in acked if p not in trees["py"]]
    assert not missing, f"{len(missing)} acknowledged writes lost, e.g. {missing[:5]}"
