"""The leader's small parts: packet framing (the fast paths write and read
exactly the jute record), packet names as Java prints them, SyncLimitCheck,
LearnerSyncThrottler, StateSummary, SyncedLearnerTracker with two
verifiers, and the leader's session tracker with and without local
sessions."""

from __future__ import annotations

import socket

import pytest

from pyzookeeper.data.Id import Id
from pyzookeeper.jute.BinaryInputArchive import BinaryInputArchive
from pyzookeeper.jute.BinaryOutputArchive import BinaryOutputArchive
from pyzookeeper.KeeperException import KeeperException
from pyzookeeper.server.quorum.Leader import Leader
from pyzookeeper.server.quorum.LearnerHandler import (BufferedSocketInput, BufferedSocketOutput, LearnerHandler,
                                                      SyncLimitCheck, read_packet, write_packet)
from pyzookeeper.server.quorum.LearnerSyncThrottler import LearnerSyncThrottler
from pyzookeeper.server.quorum.LeaderSessionTracker import LeaderSessionTracker
from pyzookeeper.server.quorum.QuorumPacket import QuorumPacket
from pyzookeeper.server.quorum.QuorumPeer import QuorumServer
from pyzookeeper.server.quorum.StateSummary import StateSummary
from pyzookeeper.server.quorum.SyncedLearnerTracker import SyncedLearnerTracker
from pyzookeeper.server.quorum.SyncThrottleException import SyncThrottleException
from pyzookeeper.server.quorum.flexible.QuorumMaj import QuorumMaj

PACKETS = [
    QuorumPacket(Leader.PING, 0x100000005, None, None),
    QuorumPacket(Leader.PROPOSAL, 0x100000006, b"\x00\x01txn bytes", None),
    QuorumPacket(Leader.COMMIT, -1, b"", None),
    QuorumPacket(Leader.REQUEST, -1, b"body", [Id("digest", "user:x"), Id("ip", "127.0.0.1")]),
    QuorumPacket(Leader.REQUEST, -1, None, []),
]


def jute_bytes(p: QuorumPacket) -> bytes:
    oa = BinaryOutputArchive()
    p.serialize(oa, "packet")
    return oa.getvalue()


@pytest.mark.parametrize("packet", PACKETS, ids=lambda p: Leader.getPacketType(p.type))
def test_fast_packet_framing_is_the_jute_record(packet):
    out = BinaryOutputArchive()

    class Collect:
        def write(self, data):
            out.buffer().extend(data)

    write_packet(Collect(), out, packet)
    assert out.getvalue() == jute_bytes(packet)
    a, b = socket.socketpair()
    try:
        b.sendall(jute_bytes(packet) * 2)
        stream = BufferedSocketInput(a)
        ia = BinaryInputArchive(stream)
        assert read_packet(stream, ia) == packet
        generic = QuorumPacket()
        ia.readRecord(generic, "packet")
        assert generic == packet
    finally:
        a.close()
        b.close()


def test_read_packet_refuses_unreasonable_lengths_and_truncation():
    a, b = socket.socketpair()
    try:
        b.sendall(jute_bytes(QuorumPacket(Leader.ACK, 1, b"x" * 10, None))[:-6])
        b.shutdown(socket.SHUT_WR)
        stream = BufferedSocketInput(a)
        with pytest.raises(EOFError):
            read_packet(stream, BinaryInputArchive(stream))
    finally:
        a.close()
        b.close()
    a, b = socket.socketpair()
    try:
        b.sendall(b"\x00\x00\x00\x03" + b"\x00" * 8 + b"\x7f\xff\xff\xff")
        stream = BufferedSocketInput(a)
        with pytest.raises(OSError, match="Unreasonable length"):
            read_packet(stream, BinaryInputArchive(stream))
    finally:
        a.close()
        b.close()


def test_buffered_output_sends_on_flush_and_when_full():
    a, b = socket.socketpair()
    try:
        out = BufferedSocketOutput(a, size=8)
        out.write(b"abc")
        b.setblocking(False)
        with pytest.raises(BlockingIOError):
            b.recv(10)
        out.write(b"defghi")
        assert b.recv(100) == b"abcdefghi"
        out.write(b"j")
        out.flush()
        assert b.recv(100) == b"j"
    finally:
        a.close()
        b.close()


def test_packet_names_as_java_prints_them():
    assert LearnerHandler.packetToString(QuorumPacket(Leader.PROPOSAL, 0x10000000a, b"", None)) == \
        "PROPOSAL 10000000a null"
    assert LearnerHandler.packetToString(QuorumPacket(Leader.REVALIDATE, -1, b"\x00" * 7 + b"\x05", None)) == \
        "REVALIDATE ffffffffffffffff  sessionid = 5"
    # Java's switch has no case for these two
    assert LearnerHandler.packetToString(QuorumPacket(Leader.LEADERINFO, 0, None, None)) == "UNKNOWN17 0 null"
    assert LearnerHandler.packetToString(QuorumPacket(42, 0, None, None)) == "UNKNOWN42 0 null"
    assert [Leader.getPacketType(t) for t in (1, 2, 9, 17, 19, 99)] == \
        ["REQUEST", "PROPOSAL", "COMMITANDACTIVATE", "LEADERINFO", "INFORMANDACTIVATE", "UNKNOWN"]


class Master:
    def syncTimeout(self) -> int:
        return 1000


class Handler:
    learnerMaster = Master()


def test_sync_limit_check_follows_the_oldest_unacked_proposal():
    check = SyncLimitCheck(Handler())
    check.updateProposal(1, 1_000_000_000)
    assert check.currentTime == 0
    check.start()
    check.updateProposal(1, 1_000_000_000)
    check.updateProposal(2, 1_500_000_000)
    assert check.check(1_900_000_000)
    assert not check.check(2_000_000_001)
    check.updateAck(1)
    assert (check.currentZxid, check.currentTime) == (2, 1_500_000_000)
    assert check.check(2_400_000_000)
    check.updateAck(2)
    assert check.check(10**12)


def test_learner_sync_throttler_refuses_non_essential_syncs_over_the_limit():
    throttler = LearnerSyncThrottler(2, LearnerSyncThrottler.SyncType.SNAP)
    throttler.beginSync(False)
    throttler.beginSync(False)
    with pytest.raises(SyncThrottleException, match="new snap sync would make 3 concurrently in progress; maximum is 2"):
        throttler.beginSync(False)
    throttler.beginSync(True)
    assert throttler.getSyncInProgress() == 3
    throttler.endSync()
    throttler.setMaxConcurrentSyncs(3)
    throttler.beginSync(False)
    assert throttler.getSyncInProgress() == 3
    with pytest.raises(ValueError, match="maxConcurrentSyncs must be positive, was 0"):
        LearnerSyncThrottler(0, LearnerSyncThrottler.SyncType.DIFF)


def test_state_summary_orders_by_epoch_then_zxid():
    assert StateSummary(2, 1).isMoreRecentThan(StateSummary(1, 100))
    assert StateSummary(1, 101).isMoreRecentThan(StateSummary(1, 100))
    assert not StateSummary(1, 100).isMoreRecentThan(StateSummary(1, 100))
    assert StateSummary(1, 100) == StateSummary(1, 100)


def qv(*sids: int, version: int = 0) -> QuorumMaj:
    q = QuorumMaj({sid: QuorumServer(sid, f"127.0.0.1:{2000 + sid}:{3000 + sid}") for sid in sids})
    q.setVersion(version)
    return q


def test_synced_learner_tracker_needs_a_quorum_of_every_verifier():
    tracker = SyncedLearnerTracker()
    tracker.addQuorumVerifier(qv(1, 2, 3))
    tracker.addQuorumVerifier(qv(3, 4, 5, version=1))
    assert tracker.addAck(1) and tracker.addAck(2)
    assert not tracker.hasAllQuorums()
    assert not tracker.addAck(9)
    tracker.addAck(4)
    tracker.addAck(5)
    assert tracker.hasAllQuorums()
    assert tracker.ackSetsToString() == "[1, 2],[4, 5]"
    assert tracker.hasSid(3) and not tracker.hasSid(1)


class Expirer:
    def __init__(self) -> None:
        self.expired = []

    def expire(self, session) -> None:
        self.expired.append(session.getSessionId())

    def getServerId(self) -> int:
        return 1


class Listener:
    def notifyStopping(self, threadName: str, errorCode: int) -> None:
        pass


def test_leader_session_tracker_with_local_sessions():
    sessions: dict[int, int] = {}
    tracker = LeaderSessionTracker(Expirer(), sessions, 1000, 1, True, Listener())
    local = tracker.createSession(5000)
    assert local >> 56 == 1
    assert tracker.isLocalSession(local) and not tracker.isGlobalSession(local)
    assert tracker.getLocalSessionCount() == 1 and local not in sessions
    tracker.checkSession(local, None)
    # a local session of another server is checked where it lives
    tracker.checkSession((2 << 56) | 5, None)
    with pytest.raises(KeeperException.SessionExpiredException):
        tracker.checkSession((1 << 56) | 12345, None)
    assert tracker.upgradeSession(local) == 5000
    assert tracker.isGlobalSession(local) and not tracker.isLocalSession(local)
    assert tracker.isUpgradingSession(local)
    assert tracker.commitSession(local, 5000)
    assert sessions[local] == 5000 and not tracker.isUpgradingSession(local)
    assert tracker.upgradeSession(local) == -1
    tracker.removeSession(local)
    assert not tracker.isTrackingSession(local)


def test_leader_session_tracker_global_only():
    sessions: dict[int, int] = {}
    tracker = LeaderSessionTracker(Expirer(), sessions, 1000, 3, False, Listener())
    sid = tracker.createSession(4000)
    assert tracker.isGlobalSession(sid) and not tracker.isLocalSessionsEnabled()
    assert tracker.getLocalSessionCount() == 0 and tracker.localSessions() == set()
    with pytest.raises(KeeperException.SessionExpiredException):
        tracker.checkSession((2 << 56) | 5, None)
    with pytest.raises(KeeperException.SessionExpiredException):
        tracker.checkGlobalSession((2 << 56) | 5, None)
    tracker.setOwner(sid, "me")
    with pytest.raises(KeeperException.SessionMovedException):
        tracker.checkSession(sid, "other")
    assert tracker.upgradeSession(sid) == -1
