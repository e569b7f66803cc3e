"""Observers that sync from a follower's ObserverMaster (``observerMasterPort``)
instead of from the leader: the observer's choice of learner master, the
follower's LearnerHandler for it, INFORM forwarding, session revalidation and
syncs through the follower, a re-sync from another follower after kill -9 of
the one in use, what mntr and the AdminServer report, and a mixed ensemble in
which a Java observer syncs from a Python follower and a Python observer from
a Java follower.

Every peer of an observer-master ensemble listens on one shared port at its
own loopback address (``distinct_hosts``), as Java expects of
``observerMasterPort``; in the mixed ensemble each follower has its own port
and each observer names one of them, so each observer can only use the
follower picked for it.
"""

from __future__ import annotations

import json
import logging
import re
import socket
import urllib.request
from pathlib import Path

import pytest
from kazoo.client import KazooClient, KazooState

import ensemble
from ensemble import Ensemble, free_ports
from javaref import free_port, java_missing_reason, wait_for
from pyzookeeper.jute.BinaryOutputArchive import BinaryOutputArchive
from pyzookeeper.server.quorum.Leader import Leader
from pyzookeeper.server.quorum.LearnerHandler import LearnerHandler
from pyzookeeper.server.quorum.LearnerInfo import LearnerInfo
from pyzookeeper.server.quorum.ObserverMaster import ObserverMaster
from pyzookeeper.server.quorum.QuorumPacket import QuorumPacket

java = pytest.mark.skipif(java_missing_reason() is not None, reason=str(java_missing_reason()))

SERVLET_API = Path("/usr/share/java/servlet-api.jar")

# the keys of LearnerHandler.getLearnerHandlerInfo, in Java's order
HANDLER_INFO_KEYS = ["remote_socket_address", "sid", "established", "queued_packets", "queued_packets_size",
                     "packets_received", "packets_sent", "requests", "last_zxid"]


def mntr(peer) -> dict[str, str]:
    return dict(line.split("\t", 1) for line in peer.four_letter_word("mntr").splitlines() if "\t" in line)


def observer_master_id(peer) -> int | None:
    try:
        value = mntr(peer).get("zk_observer_master_id")
    except OSError:
        return None
    return None if value is None else int(value)


def admin(port: int, command: str) -> dict:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/commands/{command}", timeout=10) as response:
        return json.loads(response.read())


def with_admin(peer) -> int:
    port = free_port()
    peer.extra_cfg.update({"admin.enableServer": "true", "admin.serverPort": port,
                           "admin.serverAddress": "127.0.0.1"})
    return port


class Client:
    def __init__(self, peer, timeout: float = 10) -> None:
        self.zk = KazooClient(hosts=peer.hosts, timeout=timeout, connection_retry={"max_tries": 3})
        self.zk.start(timeout=20)

    def __enter__(self) -> KazooClient:
        return self.zk

    def __exit__(self, *exc) -> None:
        self.zk.stop()
        self.zk.close()


def test_observer_syncs_from_a_follower_and_moves_to_another_when_it_dies(tmp_path):
    (om_port,) = free_ports(1)
    with Ensemble(tmp_path, ["py"] * 4, observers=(4,), distinct_hosts=True,
                  extra_cfg={"observerMasterPort": om_port}) as ens:
        admin_ports = {sid: with_admin(ens.peer(sid)) for sid in (1, 2, 3)}
        # after trying every master in its list the observer waits up to this long
        ens.peer(4).jvm_flags.append("-Dzookeeper.observer.reconnectDelayMs=200")
        ens.start()
        modes = ens.wait_for_modes(timeout=60)
        assert modes[4] == "observer"
        leader = next(sid for sid, m in modes.items() if m == "leader")
        followers = [sid for sid, m in modes.items() if m == "follower"]
        observer = ens.peer(4)

        # the observer syncs from a follower, never from the leader
        master = wait_for(lambda: observer_master_id(observer), timeout=30, what="the observer's learner master")
        assert master in followers
        other = next(sid for sid in followers if sid != master)
        m_peer = ens.peer(master)
        assert f"Observing new leader sid={master} addr=/{m_peer.host}:{om_port}" in observer.log_text()
        assert "zookeeper.observer.reconnectDelayMs = 200" in observer.log_text()
        masters = re.search(r"Updated learner master list to be (\S+),$", observer.log_text(), re.M).group(1)
        assert sorted(masters.split(",")) == sorted(f"/{ens.peer(sid).host}:{om_port}" for sid in (1, 2, 3))
        for sid in followers:
            assert "Starting ObserverMaster" in ens.peer(sid).log_text()
        assert "Starting ObserverMaster" not in ens.peer(leader).log_text()
        wait_for(lambda: "Follower sid: 4 : info : " in m_peer.log_text(), what="the observer's LearnerHandler")
        handler_lines = [line for line in m_peer.log_text().splitlines() if "Follower sid: 4 : info : " in line]
        assert "[LearnerHandler-/" in handler_lines[0] and handler_lines[0].endswith(":observer")
        assert "Follower sid: 4" not in ens.peer(leader).log_text()
        assert mntr(m_peer)["zk_synced_observers"] == "1"
        assert mntr(ens.peer(other))["zk_synced_observers"] == "0"
        assert mntr(ens.peer(leader))["zk_synced_observers"] == "0"

        # AdminServer: the follower lists its observer, as Java's does
        answer = admin(admin_ports[master], "observers")
        assert answer["synced_observers"] == 1 and len(answer["observers"]) == 1
        info = answer["observers"][0]
        assert list(info) == HANDLER_INFO_KEYS and info["sid"] == 4
        assert admin(admin_ports[other], "observers")["synced_observers"] == 0
        assert admin(admin_ports[other], "observers")["observers"] == []
        assert admin(admin_ports[leader], "observers")["synced_observers"] == 0

        # a follower's observer master takes observers only
        with socket.create_connection((m_peer.host, om_port), timeout=10) as s:
            info_data = LearnerInfo(99, 0x10000, 0).toByteArray()
            out = BinaryOutputArchive()
            out.writeRecord(QuorumPacket(Leader.FOLLOWERINFO, 0, info_data, None), "packet")
            s.sendall(out.getvalue())
            assert s.recv(100) == b""
        wait_for(lambda: "Non observer attempting to connect to ObserverMaster. type = 11" in m_peer.log_text(),
                 what="the refusal of a follower")

        # sessions, writes and syncs of the observer's clients go through the follower
        commits_before = int(mntr(m_peer)["zk_cnt_om_commit_process_time_ms"])
        zk = KazooClient(hosts=observer.hosts, timeout=10, connection_retry={"max_tries": -1, "delay": 0.1})
        zk.start(timeout=20)
        states: list[KazooState] = []
        zk.add_listener(states.append)
        try:
            zk.create("/om/ephemeral", b"e", ephemeral=True, makepath=True)
            session = zk.client_id[0]
            for sid in (leader, other, 4):
                with Client(ens.peer(sid)) as writer:
                    writer.create(f"/om/from-{sid}", str(sid).encode())
            zk.sync("/om")
            assert sorted(zk.get_children("/om")) == sorted(["ephemeral"] + [f"from-{s}" for s in (leader, other, 4)])
            assert zk.get(f"/om/from-{leader}")[0] == str(leader).encode()
            assert int(mntr(m_peer)["zk_cnt_om_commit_process_time_ms"]) >= commits_before + 5
            assert int(mntr(m_peer)["zk_cnt_om_proposal_process_time_ms"]) >= commits_before + 5
            assert admin(admin_ports[master], "observers")["observers"][0]["requests"] >= 3
            admin(admin_ports[master], "observer_connection_stat_reset")
            assert admin(admin_ports[master], "observers")["observers"][0]["requests"] == 0
            assert "Mode: observer" in observer.four_letter_word("srvr")
            assert "Mode: follower" in m_peer.four_letter_word("stat")

            # the follower in use dies: the observer re-syncs from the other one
            # and its client's session is revalidated there
            m_peer.kill9()
            wait_for(lambda: observer_master_id(observer) == other, timeout=40,
                     what=f"the observer to sync from follower {other}")
            other_peer = ens.peer(other)
            wait_for(lambda: mntr(other_peer)["zk_synced_observers"] == "1", what="the new observer master")
            assert "Follower sid: 4 : info : " in other_peer.log_text()
            with Client(ens.peer(leader)) as writer:
                writer.create("/om/after-kill", b"a")
            wait_for(lambda: zk.state == KazooState.CONNECTED and states[-1] == KazooState.CONNECTED,
                     timeout=30, what="the observer's client to reconnect")
            assert KazooState.SUSPENDED in states and KazooState.LOST not in states
            assert zk.client_id[0] == session
            assert int(mntr(other_peer)["zk_revalidate_count"]) >= 1
            zk.sync("/om")
            assert zk.get("/om/after-kill")[0] == b"a"
            assert zk.exists("/om/ephemeral") is not None
            zk.create("/om/observer-after-kill", b"o")
        finally:
            zk.stop()
            zk.close()
        with Client(ens.peer(leader)) as reader:
            assert reader.get("/om/observer-after-kill")[0] == b"o"
            assert reader.exists("/om/ephemeral") is None

        # the dead follower comes back; then the leader dies: the followers stop
        # their observer masters, one of them leads (and listens for observers
        # no more), and the observer syncs from the one that follows
        m_peer.start()
        wait_for(lambda: m_peer.mode() == "follower", timeout=40, what=f"peer {master} to follow again")
        wait_for(lambda: "Starting ObserverMaster" in m_peer.log_text().rsplit("==== start", 1)[1],
                 what=f"peer {master}'s observer master")
        ens.peer(leader).kill9()
        modes = ens.wait_for_modes([master, other, 4], timeout=60)
        new_leader = next(sid for sid, m in modes.items() if m == "leader")
        new_follower = next(sid for sid, m in modes.items() if m == "follower")
        assert "******* GOODBYE " in ens.peer(other).log_text()
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection((ens.peer(new_leader).host, om_port), timeout=10).close()
        wait_for(lambda: observer_master_id(observer) == new_follower, timeout=40,
                 what=f"the observer to sync from follower {new_follower}")
        with Client(ens.peer(new_leader)) as writer:
            writer.create("/om/new-epoch", b"n")
        with Client(observer) as reader:
            reader.sync("/om")
            assert reader.get("/om/new-epoch")[0] == b"n"
            assert reader.get("/om/observer-after-kill")[0] == b"o"


@java
def test_java_and_python_observers_sync_from_followers_of_the_other_kind(tmp_path, monkeypatch):
    # Java's AdminServer needs the servlet API beside the ZooKeeper jars
    java_admin = SERVLET_API.exists()
    if java_admin:
        base = ensemble.classpath
        monkeypatch.setattr(ensemble, "classpath", lambda logging="nop": base(logging) + ":" + str(SERVLET_API))
    py_port, java_port = free_ports(2)
    # 1 Python follower, 2 Java follower, 3 Python leader, 4 Java observer, 5 Python observer
    with Ensemble(tmp_path, ["py", "java", "py", "java", "py"], observers=(4, 5), distinct_hosts=True) as ens:
        for sid, port in ((1, py_port), (2, java_port), (4, py_port), (5, java_port)):
            ens.peer(sid).extra_cfg["observerMasterPort"] = port
        admin_ports = {sid: with_admin(ens.peer(sid)) for sid in ((1, 2) if java_admin else (1,))}
        # peer 3 starts first so that it leads: the followers are then 1 and 2
        ens.start([3])
        wait_for(lambda: "LOOKING" in ens.peer(3).log_text(), what="peer 3 to look for a leader")
        ens.start([1, 2, 4, 5])
        modes = ens.wait_for_modes(timeout=60)
        assert modes == {1: "follower", 2: "follower", 3: "leader", 4: "observer", 5: "observer"}
        assert wait_for(lambda: observer_master_id(ens.peer(4)), timeout=30, what="the Java observer's master") == 1
        assert wait_for(lambda: observer_master_id(ens.peer(5)), timeout=30, what="the Python observer's master") == 2
        assert f"Observing new leader sid=1 addr=/{ens.peer(1).host}:{py_port}" in ens.peer(4).log_text()
        assert f"Observing new leader sid=2 addr=/{ens.peer(2).host}:{java_port}" in ens.peer(5).log_text()
        for sid, observer in ((1, 4), (2, 5)):
            text = ens.peer(sid).log_text()
            assert "Starting ObserverMaster" in text and f"Follower sid: {observer} : info : " in text
            assert mntr(ens.peer(sid))["zk_synced_observers"] == "1"

        # both followers' AdminServers describe their observer alike
        py_answer = admin(admin_ports[1], "observers")
        assert py_answer["synced_observers"] == 1 and len(py_answer["observers"]) == 1
        assert list(py_answer["observers"][0]) == HANDLER_INFO_KEYS and py_answer["observers"][0]["sid"] == 4
        if java_admin:
            java_answer = wait_for(lambda: admin(admin_ports[2], "observers"), what="Java's AdminServer")
            assert java_answer["synced_observers"] == 1
            assert list(java_answer["observers"][0]) == HANDLER_INFO_KEYS
            assert java_answer["observers"][0]["sid"] == 5
            assert {k: type(v) for k, v in py_answer["observers"][0].items()} == {
                k: type(v) for k, v in java_answer["observers"][0].items()}
            assert set(py_answer) == set(java_answer)

        for writer in (1, 2, 3, 4, 5):
            with Client(ens.peer(writer)) as zk:
                zk.create(f"/mixed/from-{writer}", ens.peer(writer).kind.encode(), makepath=True)
        for reader in (1, 2, 3, 4, 5):
            with Client(ens.peer(reader)) as zk:
                zk.sync("/mixed")
                assert sorted(zk.get_children("/mixed")) == [f"from-{s}" for s in (1, 2, 3, 4, 5)]
                for writer in (1, 2, 3, 4, 5):
                    assert zk.get(f"/mixed/from-{writer}")[0] == ens.peer(writer).kind.encode()
        assert int(mntr(ens.peer(1))["zk_cnt_om_commit_process_time_ms"]) >= 5
        assert int(mntr(ens.peer(2))["zk_cnt_om_commit_process_time_ms"]) >= 5

        # a session moved from one observer to the other is revalidated through
        # the new observer's master: the Python follower for the Java observer
        # and the Java follower for the Python observer
        for origin, target, master in ((5, 4, 1), (4, 5, 2)):
            revalidations = int(mntr(ens.peer(master))["zk_revalidate_count"])
            first = KazooClient(hosts=ens.peer(origin).hosts, timeout=10)
            first.start(timeout=20)
            moved = None
            try:
                first.create(f"/mixed/session-{origin}", b"s", ephemeral=True)
                moved = KazooClient(hosts=ens.peer(target).hosts, timeout=10, client_id=first.client_id)
                moved.start(timeout=20)
                assert moved.client_id == first.client_id
                assert moved.exists(f"/mixed/session-{origin}").ephemeralOwner == first.client_id[0]
                assert int(mntr(ens.peer(master))["zk_revalidate_count"]) > revalidations
            finally:
                for client in (moved, first):
                    if client is not None:
                        client.stop()
                        client.close()


class FakeHandler:
    """What ObserverMaster asks of a LearnerHandler, recorded."""

    def __init__(self, sid: int) -> None:
        self.sid = sid
        self.queued: list[QuorumPacket] = []
        self.shut = False

    def queuePacket(self, p: QuorumPacket) -> None:
        self.queued.append(p)

    def getSid(self) -> int:
        return self.sid

    def getRemoteAddress(self) -> str:
        return "/127.0.0.1:1"

    def shutdown(self) -> None:
        self.shut = True


def proposal(zxid: int, size: int) -> QuorumPacket:
    return QuorumPacket(Leader.PROPOSAL, zxid, bytes(size), None)


def test_retained_commits_catch_up_observers_within_the_size_limit(monkeypatch, caplog):
    caplog.set_level(logging.INFO)
    monkeypatch.setattr(ObserverMaster, "pktsSizeLimit", 10 * (LearnerHandler.packetSize(proposal(1, 100))))
    om = ObserverMaster(None, None, 0)
    active = FakeHandler(1)
    assert om.startForwarding(active, 0) == 0
    for zxid in range(1, 21):
        om.proposalReceived(proposal(zxid, 100))
    for zxid in range(1, 21):
        om.proposalCommitted(zxid)
    # every commit went to the active observer as an INFORM with the proposal's data
    assert [(p.type, p.zxid) for p in active.queued] == [(Leader.INFORM, z) for z in range(1, 21)]
    assert om.getLastProposed() == 20
    # at 80% of the limit each new packet pushes out up to five old ones
    retained = [p.zxid for p in om.committedPkts]
    assert retained[-1] == 20 and len(retained) <= 8
    assert om.pktsSize == sum(LearnerHandler.packetSize(p) for p in om.committedPkts)

    # an observer synced up to inside the retained window gets the rest
    late = FakeHandler(2)
    assert om.startForwarding(late, 17) == 20
    assert [p.zxid for p in late.queued] == [18, 19, 20] and not late.shut
    assert "finished syncing observer from retained commit queue: sid 2" in caplog.text
    # one synced before the window starts is dropped
    behind = FakeHandler(3)
    assert om.startForwarding(behind, retained[0] - 2) == -1
    assert behind.shut and behind.queued == []
    assert "LearnerHandler is too far behind" in caplog.text
    assert om.getNumActiveObservers() == 2

    # a commit without its proposal is ignored; one out of order is an error
    om.proposalCommitted(21)
    om.proposalReceived(proposal(22, 1))
    om.proposalReceived(proposal(23, 1))
    with pytest.raises(RuntimeError, match="Unexpected proposal packet on commit ack"):
        om.proposalCommitted(23)
    om.removeLearnerHandler(late)
    assert om.getNumActiveObservers() == 1


def test_reconfig_commits_reach_observers_as_inform_and_activate() -> None:
    om = ObserverMaster(None, None, 0)
    handler = FakeHandler(1)
    om.startForwarding(handler, 0)
    om.proposalReceived(proposal(5, 3))
    om.informAndActivate(5, 2)
    (packet,) = handler.queued
    assert packet.type == Leader.INFORMANDACTIVATE and packet.zxid == 5
    assert packet.data == (2).to_bytes(8, "big") + bytes(3)
    with pytest.raises(RuntimeError, match="Observers shouldn't send ACKS"):
        om.processAck(4, 0x100000001, None)
    om.processAck(4, 0x100000000, None)
