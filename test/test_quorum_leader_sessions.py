"""Sessions under a Python leader with Java 3.8 followers: a global session
that disappears without closing is expired by the leader and its ephemeral
nodes vanish from every server; with ``localSessionsEnabled`` a session stays
local to its server until it creates an ephemeral node, which upgrades it."""

from __future__ import annotations

import re

import pytest
from kazoo.client import KazooClient

from ensemble import Ensemble
from javaref import wait_for
from quorum_history import OPEN_ACL
from rawclient import RawClient
from test_quorum_leader_java import Client, start_with_python_leader

from pyzookeeper.CreateMode import CreateMode
from pyzookeeper.proto.CreateRequest import CreateRequest
from pyzookeeper.ZooDefs import OpCode

pytestmark = pytest.mark.usefixtures("java_available")

def create_ephemeral(client: RawClient, path: str) -> int:
    request = CreateRequest(path, b"e", OPEN_ACL, CreateMode.EPHEMERAL.toFlag())
    header, _ = client.request(OpCode.create, request)
    return header.err


def exists_everywhere(ens: Ensemble, path: str) -> list[bool]:
    result = []
    for p in ens:
        with Client(p) as zk:
            zk.sync("/")
            result.append(zk.exists(path) is not None)
    return result


def test_global_session_expired_by_the_leader_removes_ephemerals_everywhere(tmp_path):
    with Ensemble(tmp_path, ["java", "java", "py"]) as ens:
        start_with_python_leader(ens, 3)
        follower = ens.peer(1)
        client = RawClient("127.0.0.1", follower.client_port)
        client.connect(timeout_ms=2000)
        assert create_ephemeral(client, "/eph") == 0
        assert exists_everywhere(ens, "/eph") == [True, True, True]
        # the connection goes away without closing the session
        client.close()
        with Client(ens.peer(3)) as zk:
            def removed() -> bool:
                zk.sync("/")
                return zk.exists("/eph") is None

            wait_for(removed, timeout=30, what="the session to expire")
        assert exists_everywhere(ens, "/eph") == [False, False, False]
        assert re.search(r"Expiring session 0x[0-9a-f]+, timeout of 2000ms exceeded", ens.peer(3).log_text())


def test_local_session_is_upgraded_by_an_ephemeral_create(tmp_path):
    cfg = {"localSessionsEnabled": "true", "localSessionsUpgradingEnabled": "true"}
    with Ensemble(tmp_path, ["java", "java", "py"], extra_cfg=cfg) as ens:
        start_with_python_leader(ens, 3)
        leader = ens.peer(3)
        zk = KazooClient(hosts=leader.hosts, timeout=10)
        zk.start(timeout=30)
        try:
            sessionId = zk.client_id[0]
            zk.create("/persistent-from-local", b"")
            assert f"Submitting global closeSession request for session 0x{sessionId:x}" not in leader.log_text()
            zk.create("/eph-from-local", b"", ephemeral=True)
            assert f"Upgrading session 0x{sessionId:x}" in leader.log_text()
            assert exists_everywhere(ens, "/eph-from-local") == [True, True, True]
            with Client(ens.peer(1)) as fzk:
                fzk.sync("/")
                assert fzk.exists("/eph-from-local").ephemeralOwner == sessionId
        finally:
            zk.stop()
            zk.close()
        assert exists_everywhere(ens, "/eph-from-local") == [False, False, False]
        assert f"Submitting global closeSession request for session 0x{sessionId:x}" in leader.log_text()
