"""The leader's side of Zab packet by packet: a leader running in this process
(test/leader_harness.py) and learners that are raw sockets speaking
formats.md section 6. Each test checks the packets the leader sends, their
order and contents, for a given leader history and learner state."""

from __future__ import annotations

import logging
import struct
from pathlib import Path

import pytest
from kazoo.client import KazooClient

from javaref import four_letter_word, wait_for
from leader_harness import FakeLearner, InProcessLeader
from quorum_history import OPEN_ACL, build_history, zxid

from pyzookeeper import system_properties
from pyzookeeper.jute.BinaryOutputArchive import BinaryOutputArchive
from pyzookeeper.proto.CreateRequest import CreateRequest
from pyzookeeper.proto.SyncRequest import SyncRequest
from pyzookeeper.server.persistence import Util
from pyzookeeper.server.persistence.FileTxnLog import FileTxnLog
from pyzookeeper.server.quorum.Leader import Leader
from pyzookeeper.txn.CreateTxn import CreateTxn
from pyzookeeper.txn.TxnHeader import TxnHeader
from pyzookeeper.ZooDefs import OpCode

LONG = struct.Struct(">q")
INT = struct.Struct(">i")
REQUEST_HEADER = struct.Struct(">qii")

# epoch 1, 20 txns: the leader starts epoch 2
HISTORY = [(1, 20, 100)]
LAST = zxid(1, 20)
NEW_EPOCH_ZXID = zxid(2, 0)


def names(packets) -> list[str]:
    return [Leader.getPacketType(p.type) for p in packets]


def logged_entries(data_dir: Path) -> dict[int, bytes]:
    """zxid -> the log-entry bytes of every txn in the leader's logs."""
    entries = {}
    itr = FileTxnLog(data_dir / "version-2").read(0)
    while itr.getHeader() is not None:
        hdr = itr.getHeader()
        entries[hdr.zxid] = Util.marshallTxnEntry(hdr, itr.getTxn(), itr.getDigest())
        if not itr.next():
            break
    itr.close()
    return entries


@pytest.fixture
def history_leader(tmp_path):
    leader = InProcessLeader(tmp_path)
    build_history(leader.data_dir, HISTORY)
    with leader:
        yield leader


@pytest.fixture
def learners():
    opened: list[FakeLearner] = []

    def open_learner(port: int, sid: int) -> FakeLearner:
        learner = FakeLearner(port, sid)
        opened.append(learner)
        return learner

    yield open_learner
    for learner in opened:
        learner.close()


def test_diff_sync_sends_missing_proposals_then_newleader(history_leader, learners):
    learner = learners(history_leader.quorum_port, 2)
    info = learner.handshake(acceptedEpoch=1, lastZxid=zxid(1, 10))
    assert (info.zxid, info.data) == (NEW_EPOCH_ZXID, INT.pack(0x10000))
    packets = learner.read_until(Leader.NEWLEADER)
    assert names(packets) == ["DIFF"] + ["PROPOSAL", "COMMIT"] * 10 + ["NEWLEADER"]
    assert packets[0].zxid == LAST
    entries = logged_entries(history_leader.data_dir)
    for i, counter in enumerate(range(11, 21)):
        proposal, commit = packets[1 + 2 * i], packets[2 + 2 * i]
        assert proposal.zxid == commit.zxid == zxid(1, counter)
        assert proposal.data == entries[zxid(1, counter)]
        assert commit.data is None
    newleader = packets[-1]
    assert newleader.zxid == NEW_EPOCH_ZXID
    assert newleader.data == history_leader.peer.getLastSeenQuorumVerifier().toString().encode()
    assert not history_leader.serving()
    learner.send(Leader.ACK, NEW_EPOCH_ZXID)
    uptodate = learner.recv_skipping_pings()
    assert (uptodate.type, uptodate.zxid, uptodate.data) == (Leader.UPTODATE, -1, None)
    learner.send(Leader.ACK, NEW_EPOCH_ZXID)
    learner.start_responder()
    history_leader.wait_serving()
    ping = learner.wait_received(lambda qp: qp.type == Leader.PING)
    assert ping.zxid == NEW_EPOCH_ZXID
    leader = history_leader.leader
    assert [lh.getSid() for lh in leader.getForwardingFollowers()] == [2]
    assert "Mode: leader" in four_letter_word(history_leader.client_port, "srvr")


def test_learner_in_sync_gets_an_empty_diff(history_leader, learners):
    learner = learners(history_leader.quorum_port, 2)
    learner.handshake(acceptedEpoch=1, lastZxid=LAST)
    packets = learner.read_until(Leader.NEWLEADER)
    assert names(packets) == ["DIFF", "NEWLEADER"]
    assert packets[0].zxid == LAST


def test_learner_with_txns_never_committed_is_truncated(tmp_path, learners):
    """The learner logged epoch-1 txns the leader never saw; the leader has
    been through epoch 2 already, so the learner is behind and gets TRUNC."""
    leader = InProcessLeader(tmp_path)
    build_history(leader.data_dir, HISTORY)
    for name in ("currentEpoch", "acceptedEpoch"):
        (leader.data_dir / "version-2" / name).write_text("2")
    with leader:
        learner = learners(leader.quorum_port, 2)
        info = learner.handshake(acceptedEpoch=1, lastZxid=zxid(1, 23), currentEpoch=1)
        assert info.zxid == zxid(3, 0)
        packets = learner.read_until(Leader.NEWLEADER)
        assert names(packets) == ["TRUNC", "NEWLEADER"]
        assert packets[0].zxid == LAST


def test_learner_ahead_in_the_same_epoch_is_refused(history_leader, learners, caplog):
    caplog.set_level(logging.INFO)
    learner = learners(history_leader.quorum_port, 2)
    learner.handshake(acceptedEpoch=1, lastZxid=zxid(1, 23), currentEpoch=1)
    assert learner.closed_by_peer()
    assert "Follower is ahead of the leader, leader summary: 1 (current epoch), 4294967316 (last zxid)" in caplog.text


def test_empty_learner_gets_a_snapshot_stream(history_leader, learners):
    learner = learners(history_leader.quorum_port, 2)
    learner.handshake(acceptedEpoch=0, lastZxid=0)
    snap = learner.recv()
    assert (snap.type, snap.zxid, snap.data) == (Leader.SNAP, LAST, None)
    tree = learner.read_snapshot()
    leaderTree = history_leader.leader.zk.getZKDatabase().getDataTree()
    assert sorted(tree.getNode("/").getChildren()) == sorted(leaderTree.getNode("/").getChildren())
    assert tree.getNode("/e1-7").getData() == leaderTree.getNode("/e1-7").getData()
    assert names(learner.read_until(Leader.NEWLEADER)) == ["NEWLEADER"]


def test_leader_waits_for_a_quorum_and_commits_in_order(tmp_path, learners):
    # syncLimit long enough for the acks held back below
    with InProcessLeader(tmp_path, sync_limit=30) as leader:
        f2 = learners(leader.quorum_port, 2)
        f3 = learners(leader.quorum_port, 3)
        f2.follow()
        f3.follow()
        f2.start_responder(ack=False)
        f3.start_responder(ack=False)
        leader.wait_serving()
        zk = KazooClient(hosts=leader.hosts)
        # the session itself is a proposal that needs an ack
        starting = zk.start_async()
        session = f2.wait_received(lambda qp: qp.type == Leader.PROPOSAL)
        f3.send(Leader.ACK, session.zxid)
        f2.send(Leader.ACK, session.zxid)
        assert starting.wait(10)
        create = zk.create_async("/quorum", b"v")
        proposal = f2.wait_received(lambda qp: qp.type == Leader.PROPOSAL and qp.zxid > session.zxid)
        assert f3.wait_received(lambda qp: qp.type == Leader.PROPOSAL and qp.zxid == proposal.zxid)
        hdr = TxnHeader.fromByteArray(proposal.data[:32])
        assert (hdr.type, hdr.zxid) == (OpCode.create, proposal.zxid)
        # the leader's own ack is not a quorum of three
        assert not create.wait(0.5)
        assert not any(qp.type == Leader.COMMIT and qp.zxid == proposal.zxid for qp in f2.received)
        f2.send(Leader.ACK, proposal.zxid)
        assert create.get(timeout=10) == "/quorum"
        f3.send(Leader.ACK, proposal.zxid)
        for f in (f2, f3):
            commit = f.wait_received(lambda qp: qp.type == Leader.COMMIT and qp.zxid == proposal.zxid)
            assert commit.data is None
            kinds = [(qp.type, qp.zxid) for qp in f.received if qp.type != Leader.PING]
            assert kinds.index((Leader.PROPOSAL, proposal.zxid)) < kinds.index((Leader.COMMIT, proposal.zxid))
        zk.stop()
        zk.close()


def test_observer_receives_inform_instead_of_proposal_and_commit(tmp_path, learners):
    with InProcessLeader(tmp_path, voters=(1, 2, 3), observers=(4,)) as leader:
        follower = learners(leader.quorum_port, 2)
        observer = learners(leader.quorum_port, 4)
        follower.follow()
        # the leader serves at <epoch, 0> now, which no txn carries: an empty
        # learner gets a snapshot
        observer_packets = observer.follow(observer=True)
        assert names(observer_packets) == ["SNAP", "NEWLEADER"]
        assert observer_packets[0].zxid == zxid(1, 0)
        assert observer.snapshot_tree.getNode("/zookeeper") is not None
        follower.start_responder()
        observer.start_responder()
        leader.wait_serving()
        zk = KazooClient(hosts=leader.hosts)
        zk.start(10)
        zk.create("/observed", b"data")
        proposal = follower.wait_received(
            lambda qp: qp.type == Leader.PROPOSAL and TxnHeader.fromByteArray(qp.data[:32]).type == OpCode.create)
        inform = observer.wait_received(lambda qp: qp.type == Leader.INFORM and qp.zxid == proposal.zxid)
        assert inform.data == proposal.data
        assert not [qp for qp in observer.received if qp.type in (Leader.PROPOSAL, Leader.COMMIT)]
        assert [lh.getSid() for lh in leader.leader.getObservingLearners()] == [4]
        zk.stop()
        zk.close()


def request_packet(sessionId: int, cxid: int, type: int, record=None) -> bytes:
    body = b""
    if record is not None:
        oa = BinaryOutputArchive()
        record.serialize(oa, "request")
        body = oa.getvalue()
    return REQUEST_HEADER.pack(sessionId, cxid, type) + body


def test_requests_forwarded_by_a_learner_are_proposed_and_synced(tmp_path, learners):
    with InProcessLeader(tmp_path) as leader:
        follower = learners(leader.quorum_port, 2)
        follower.follow()
        follower.start_responder()
        leader.wait_serving()
        sessionId = (2 << 56) | 0x77
        follower.send(Leader.REQUEST, -1, request_packet(sessionId, 0, OpCode.createSession) + INT.pack(6000))
        created = follower.wait_received(lambda qp: qp.type == Leader.COMMIT)
        wait_for(lambda: sessionId in leader.leader.zk.getZKDatabase().getSessionWithTimeOuts())
        follower.send(Leader.REQUEST, -1, request_packet(
            sessionId, 1, OpCode.create, CreateRequest("/forwarded", b"x", [], 0)))
        proposal = follower.wait_received(lambda qp: qp.type == Leader.PROPOSAL and qp.zxid > created.zxid)
        hdr = TxnHeader.fromByteArray(proposal.data[:32])
        assert (hdr.clientId, hdr.cxid, hdr.type) == (sessionId, 1, OpCode.error)
        follower.send(Leader.REQUEST, -1, request_packet(
            sessionId, 2, OpCode.create, CreateRequest("/forwarded", b"x", OPEN_ACL, 0)))
        good = follower.wait_received(lambda qp: qp.type == Leader.PROPOSAL and qp.zxid > proposal.zxid)
        hdr = TxnHeader.fromByteArray(good.data[:32])
        assert (hdr.cxid, hdr.type) == (2, OpCode.create)
        txn = CreateTxn.fromByteArray(good.data[32:])
        assert (txn.path, txn.data) == ("/forwarded", b"x")
        follower.wait_received(lambda qp: qp.type == Leader.COMMIT and qp.zxid == good.zxid)
        follower.send(Leader.REQUEST, -1, request_packet(sessionId, 3, OpCode.sync, SyncRequest("/")))
        sync = follower.wait_received(lambda qp: qp.type == Leader.SYNC)
        assert (sync.zxid, sync.data) == (0, None)
        zk = KazooClient(hosts=leader.hosts)
        zk.start(10)
        assert zk.get("/forwarded")[0] == b"x"
        zk.stop()
        zk.close()


def test_revalidate_answers_with_the_session_validity(tmp_path, learners):
    with InProcessLeader(tmp_path) as leader:
        follower = learners(leader.quorum_port, 2)
        follower.follow()
        follower.start_responder()
        leader.wait_serving()
        zk = KazooClient(hosts=leader.hosts)
        zk.start(10)
        sessionId = zk.client_id[0]
        follower.send(Leader.REVALIDATE, -1, LONG.pack(sessionId) + INT.pack(5000))
        follower.send(Leader.REVALIDATE, -1, LONG.pack(0x7EADBEEF) + INT.pack(5000))
        answers = [follower.wait_received(lambda qp, s=s: qp.type == Leader.REVALIDATE
                                          and LONG.unpack_from(qp.data)[0] == s) for s in (sessionId, 0x7EADBEEF)]
        assert [a.data for a in answers] == [LONG.pack(sessionId) + b"\x01", LONG.pack(0x7EADBEEF) + b"\x00"]
        # the session now belongs to the learner that revalidated it
        owner = leader.leader.zk.sessionTracker.globalSessionTracker.sessionsById[sessionId].owner
        assert owner in leader.leader.getLearners()
        zk.stop()
        zk.close()


def test_pre_zab1_learner_gets_newleader_first_without_leaderinfo(history_leader, learners):
    learner = learners(history_leader.quorum_port, 2)
    # FOLLOWERINFO with just a server id: protocol version 1
    learner.send(Leader.FOLLOWERINFO, zxid(1, 10), LONG.pack(2))
    packets = learner.read_until(Leader.COMMIT)
    assert names(packets[:3]) == ["NEWLEADER", "DIFF", "PROPOSAL"]
    assert (packets[0].zxid, packets[0].data) == (NEW_EPOCH_ZXID, None)


def test_learnerinfo_without_config_version_is_accepted(history_leader, learners):
    learner = learners(history_leader.quorum_port, 2)
    learner.send(Leader.FOLLOWERINFO, 1 << 32, LONG.pack(2) + INT.pack(0x10000))
    info = learner.expect(Leader.LEADERINFO)
    assert info.zxid == NEW_EPOCH_ZXID


def test_learner_with_a_newer_config_is_refused(history_leader, learners):
    learner = learners(history_leader.quorum_port, 2)
    learner.send(Leader.FOLLOWERINFO, 1 << 32, learner.learner_info(configVersion=5))
    assert learner.closed_by_peer()


def test_learner_without_learnerinfo_gets_a_negative_id(tmp_path, learners, caplog):
    caplog.set_level(logging.INFO)
    with InProcessLeader(tmp_path) as leader:
        anonymous = learners(leader.quorum_port, 0)
        # no LearnerInfo: protocol version 1, and an id from the counter
        anonymous.send(Leader.FOLLOWERINFO, 0, None)
        follower = learners(leader.quorum_port, 2)
        follower.follow()
        first = anonymous.recv()
        if first.type == Leader.SNAP:
            # the leader already served: a snapshot is written before NEWLEADER
            anonymous.read_snapshot()
            first = anonymous.recv()
        assert (first.type, first.zxid, first.data) == (Leader.NEWLEADER, zxid(1, 0), None)
        anonymous.send(Leader.ACK, zxid(1, 0))
        assert Leader.UPTODATE in [qp.type for qp in anonymous.read_until(Leader.UPTODATE)]
        wait_for(lambda: [lh.getSid() for lh in leader.leader.getNonVotingFollowers()] == [-1])
        assert "Follower sid: -1 not in the current config 0" in caplog.text


def test_first_packet_must_be_learnerinfo(history_leader, learners):
    learner = learners(history_leader.quorum_port, 2)
    learner.send(Leader.PING, 0, None)
    assert learner.closed_by_peer()


def test_malformed_packet_closes_only_that_learner(tmp_path, learners):
    with InProcessLeader(tmp_path) as leader:
        f2 = learners(leader.quorum_port, 2)
        f3 = learners(leader.quorum_port, 3)
        f2.follow()
        f3.follow()
        f3.start_responder()
        leader.wait_serving()
        # session touches are 12 bytes each; 5 bytes cannot be read
        f2.send(Leader.PING, 0, b"\x00" * 5)
        assert f2.closed_by_peer()
        wait_for(lambda: [lh.getSid() for lh in leader.leader.getLearners()] == [3])
        pings = sum(1 for qp in f3.received if qp.type == Leader.PING)
        wait_for(lambda: sum(1 for qp in list(f3.received) if qp.type == Leader.PING) > pings + 2)
        assert leader.serving()


def test_leader_steps_down_without_a_synced_quorum(tmp_path, learners, caplog):
    caplog.set_level(logging.INFO, logger="pyzookeeper.server.quorum.Leader")
    with InProcessLeader(tmp_path, tick_time=100, sync_limit=3) as leader:
        follower = learners(leader.quorum_port, 2)
        follower.follow()
        # the learner goes silent: no PING replies. The leader may step down before
        # a poll sees it serve, so its log tells that it served first.
        wait_for(lambda: not leader.thread.is_alive(), timeout=30)
        assert leader.leader.isShutdown
        assert "Have quorum of supporters, sids: [[1, 2]]; starting up" in caplog.text
        assert caplog.text.index("; starting up") < caplog.text.index("Not sufficient followers synced")
        assert "Not sufficient followers synced, only synced with sids: [ [1] ]" in caplog.text


def test_learner_that_never_acks_is_dropped_after_synclimit(tmp_path, learners, caplog):
    caplog.set_level(logging.INFO)
    with InProcessLeader(tmp_path, tick_time=100, sync_limit=3) as leader:
        lazy = learners(leader.quorum_port, 2)
        good = learners(leader.quorum_port, 3)
        lazy.follow()
        good.follow()
        lazy.start_responder(ack=False)
        good.start_responder()
        leader.wait_serving()
        zk = KazooClient(hosts=leader.hosts)
        zk.start(10)
        zk.create("/x", b"")
        wait_for(lambda: [lh.getSid() for lh in leader.leader.getLearners()] == [3], timeout=10)
        assert "Closing connection to peer due to transaction timeout." in caplog.text
        assert leader.serving()
        zk.stop()
        zk.close()


def test_counter_rollover_forces_a_new_epoch(tmp_path, learners, caplog):
    caplog.set_level(logging.INFO)
    system_properties.setProperty("zookeeper.testingonly.initialZxid", str(0xFFFFFFFD))
    try:
        with InProcessLeader(tmp_path) as leader:
            follower = learners(leader.quorum_port, 2)
            follower.follow()
            follower.start_responder()
            leader.wait_serving()
            zk = KazooClient(hosts=leader.hosts)
            zk.start(10)
            # the session takes <epoch, 0xfffffffe>; the create would take 0xffffffff
            zk.create_async("/a", b"")
            wait_for(lambda: leader.leader.isShutdown, timeout=10)
            assert "zxid lower 32 bits have rolled over, forcing re-election, and therefore new epoch start" \
                in caplog.text
            zk.stop()
            zk.close()
    finally:
        system_properties.clearProperty("zookeeper.testingonly.initialZxid")
