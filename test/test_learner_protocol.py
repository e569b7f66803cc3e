"""The learner side of Zab against a scripted leader on a raw socket.

A real QuorumPeer (myid 2, not started: no election) follows or observes
server 1, whose quorum port is a socket this test drives packet by packet as
formats.md §6 describes. The test checks each reply of the learner, what it
wrote to disk before replying (txn log, epoch files, snapshot) and its tree;
a kazoo client connected to the learner sees its writes forwarded as REQUEST
packets and answered once the scripted leader commits them.
"""

from __future__ import annotations

import socket
import struct
import threading
from pathlib import Path

import pytest

from javaref import free_port, wait_for
from pyzookeeper.data.ACL import ACL
from pyzookeeper.data.Id import Id
from pyzookeeper.jute.BinaryInputArchive import BinaryInputArchive
from pyzookeeper.jute.BinaryOutputArchive import BinaryOutputArchive
from pyzookeeper.proto.CreateRequest import CreateRequest
from pyzookeeper.server.DataTree import DataTree
from pyzookeeper.server.persistence import Util
from pyzookeeper.server.persistence.FileTxnLog import FileTxnLog
from pyzookeeper.server.quorum.Leader import Leader
from pyzookeeper.server.quorum.LearnerInfo import LearnerInfo
from pyzookeeper.server.quorum.QuorumPacket import QuorumPacket
from pyzookeeper.server.util import SerializeUtils, ZxidUtils
from pyzookeeper.txn.CreateSessionTxn import CreateSessionTxn
from pyzookeeper.txn.CreateTxn import CreateTxn
from pyzookeeper.txn.TxnHeader import TxnHeader
from pyzookeeper.util import ServiceUtils
from pyzookeeper.ZooDefs import OpCode

OPEN_ACL = [ACL(31, Id("world", "anyone"))]
EPOCH = 1


def zx(counter: int, epoch: int = EPOCH) -> int:
    return ZxidUtils.makeZxid(epoch, counter)


def create_txn(zxid: int, path: str, data: bytes = b"x", session: int = 0, cxid: int = 0) -> bytes:
    hdr = TxnHeader(session, cxid, zxid, 1000, OpCode.create)
    return Util.marshallTxnEntry(hdr, CreateTxn(path, data, OPEN_ACL, False, -1), None)


class ScriptedLeader:
    """The leader's quorum port: accepts one learner and speaks QuorumPackets."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.conn: socket.socket | None = None

    def accept(self, timeout: float = 20.0) -> None:
        self.server.settimeout(timeout)
        self.conn, _ = self.server.accept()
        self.conn.settimeout(timeout)
        self.ia = BinaryInputArchive(self.conn.makefile("rb"))

    def send(self, type_: int, zxid: int, data: bytes | None = None) -> None:
        oa = BinaryOutputArchive()
        QuorumPacket(type_, zxid, data, None).serialize(oa, "packet")
        self.conn.sendall(oa.getvalue())

    def send_raw(self, data: bytes) -> None:
        self.conn.sendall(data)

    def recv(self) -> QuorumPacket:
        qp = QuorumPacket()
        qp.deserialize(self.ia, "packet")
        return qp

    def recv_skipping_pings(self) -> QuorumPacket:
        while True:
            qp = self.recv()
            if qp.type != Leader.PING:
                return qp

    def close(self) -> None:
        for s in (self.conn, self.server):
            if s is not None:
                try:
                    s.close()
                except OSError:
                    pass


class LearnerUnderTest:
    """QuorumPeer 2 of {1: the scripted leader, 2: this peer, 3: absent}."""

    def __init__(self, root: Path, leader_port: int, observer: bool = False) -> None:
        from pyzookeeper.common.inet_address import InetSocketAddress
        from pyzookeeper.server.ServerCnxnFactory import ServerCnxnFactory
        from pyzookeeper.server.ZKDatabase import ZKDatabase
        from pyzookeeper.server.persistence.FileTxnSnapLog import FileTxnSnapLog
        from pyzookeeper.server.quorum.QuorumPeer import QuorumPeer, ServerState
        from pyzookeeper.server.quorum.QuorumPeerConfig import QuorumPeerConfig
        from pyzookeeper.server.quorum.Vote import Vote

        self.root = root
        self.data_dir = root / "data"
        self.data_dir.mkdir(parents=True, exist_ok=True)
        (self.data_dir / "myid").write_text("2\n")
        self.client_port = free_port()
        role = ":observer" if observer else ""
        cfg = root / "zoo.cfg"
        cfg.write_text("\n".join([
            "tickTime=200", "initLimit=20", "syncLimit=10", f"dataDir={self.data_dir}",
            f"clientPort={self.client_port}", "clientPortAddress=127.0.0.1",
            f"server.1=127.0.0.1:{leader_port}:{free_port()}",
            f"server.2=127.0.0.1:{free_port()}:{free_port()}{role}",
            f"server.3=127.0.0.1:{free_port()}:{free_port()}",
            *(["peerType=observer"] if observer else []), ""]))
        config = QuorumPeerConfig()
        config.parse(str(cfg))
        peer = self.peer = QuorumPeer()
        peer.setTxnFactory(FileTxnSnapLog(config.getDataLogDir(), config.getDataDir()))
        peer.setMyid(2)
        peer.setTickTime(config.getTickTime())
        peer.setInitLimit(config.getInitLimit())
        peer.setSyncLimit(config.getSyncLimit())
        peer.setZKDatabase(ZKDatabase(peer.getTxnFactory()))
        peer.setQuorumVerifier(config.getQuorumVerifier(), False)
        peer.initConfigInZKDatabase()
        peer.setLearnerType(config.getPeerType())
        cnxnFactory = ServerCnxnFactory.createFactory()
        cnxnFactory.configure(InetSocketAddress("127.0.0.1", self.client_port), 0)
        peer.setCnxnFactory(cnxnFactory)
        peer.initialize()
        peer.loadDataBase()
        cnxnFactory.start()
        peer.setCurrentVote(Vote(1, 0, 0))
        peer.setPeerState(ServerState.OBSERVING if observer else ServerState.FOLLOWING)
        self.observer = observer
        self.role = None
        self.thread: threading.Thread | None = None

    def run_role(self) -> None:
        peer = self.peer
        if self.observer:
            self.role = peer.makeObserver(peer.getTxnFactory())
            peer.setObserver(self.role)
            target = self.role.observeLeader
        else:
            self.role = peer.makeFollower(peer.getTxnFactory())
            peer.setFollower(self.role)
            target = self.role.followLeader
        self.thread = threading.Thread(target=target, name="learner-under-test", daemon=True)
        self.thread.start()

    @property
    def zk(self):
        return self.role.zk

    def tree(self) -> DataTree:
        return self.peer.getZkDb().getDataTree()

    def logged_zxids(self) -> list[int]:
        zxids = []
        itr = FileTxnLog(self.data_dir / "version-2").read(0)
        try:
            while itr.getHeader() is not None:
                zxids.append(itr.getHeader().zxid)
                if not itr.next():
                    break
        finally:
            itr.close()
        return zxids

    def epoch_file(self, name: str) -> int:
        return int((self.data_dir / "version-2" / name).read_text())

    def stop(self) -> None:
        peer = self.peer
        peer.running = False
        if self.role is not None:
            self.role.shutdown()
        if self.thread is not None:
            self.thread.join(20)
        peer.cnxnFactory.shutdown()
        peer.getZkDb().close()


@pytest.fixture
def exits(monkeypatch):
    """Record requested process exits instead of exiting."""
    codes: list[int] = []
    ServiceUtils.setSystemExitProcedure(codes.append)
    yield codes
    ServiceUtils.setSystemExitProcedure(ServiceUtils.SYSTEM_EXIT)


@pytest.fixture
def harness(tmp_path):
    made: list = []

    def make(observer: bool = False, root: Path | None = None, leader: ScriptedLeader | None = None):
        leader = leader or ScriptedLeader()
        learner = LearnerUnderTest(root or tmp_path / "learner", leader.port, observer)
        made.append((leader, learner))
        learner.run_role()
        leader.accept()
        return leader, learner

    yield make
    for leader, learner in made:
        leader.close()
        learner.stop()


def discovery(leader: ScriptedLeader, learner: LearnerUnderTest, expect_info: int = Leader.FOLLOWERINFO,
              epoch: int = EPOCH, last_zxid: int = 0, current_epoch: int = 0) -> None:
    info = leader.recv()
    assert info.type == expect_info
    assert info.zxid == ZxidUtils.makeZxid(learner.peer.getAcceptedEpoch(), 0)
    li = LearnerInfo.fromByteArray(info.data)
    assert (li.serverid, li.protocolVersion) == (2, 0x10000)
    assert li.configVersion == learner.peer.getQuorumVerifier().getVersion()
    leader.send(Leader.LEADERINFO, ZxidUtils.makeZxid(epoch, 0), struct.pack(">i", 0x10000))
    ackepoch = leader.recv()
    assert ackepoch.type == Leader.ACKEPOCH
    assert ackepoch.zxid == last_zxid
    assert struct.unpack(">i", ackepoch.data) == (current_epoch,)
    assert learner.epoch_file("acceptedEpoch") == epoch


def test_follower_diff_sync_logs_before_acking_newleader_then_broadcast(harness):
    leader, learner = harness()
    discovery(leader, learner)
    # DIFF with two committed proposals and one still outstanding
    leader.send(Leader.DIFF, zx(2))
    leader.send(Leader.PROPOSAL, zx(1), create_txn(zx(1), "/a"))
    leader.send(Leader.COMMIT, zx(1))
    leader.send(Leader.PROPOSAL, zx(2), create_txn(zx(2), "/b"))
    leader.send(Leader.COMMIT, zx(2))
    leader.send(Leader.PROPOSAL, zx(3), create_txn(zx(3), "/c"))
    qv = learner.peer.getQuorumVerifier().toString().encode()
    leader.send(Leader.NEWLEADER, zx(0), qv)

    ack = leader.recv()
    assert (ack.type, ack.zxid) == (Leader.ACK, zx(0))
    # the NEWLEADER ACK comes only after the proposals are durable and the epoch is written
    assert learner.logged_zxids() == [zx(1), zx(2), zx(3)]
    assert learner.epoch_file("currentEpoch") == EPOCH
    # with a DIFF, commits before UPTODATE are only remembered
    assert learner.tree().getNode("/a") is None

    leader.send(Leader.UPTODATE, -1)
    acks = [leader.recv_skipping_pings() for _ in range(4)]
    assert [(p.type, p.zxid) for p in acks] == [(Leader.ACK, zx(0)), (Leader.ACK, zx(1)),
                                                (Leader.ACK, zx(2)), (Leader.ACK, zx(3))]
    wait_for(lambda: learner.tree().getNode("/b") is not None, 30, what="/a and /b applied after UPTODATE")
    assert learner.tree().getNode("/a") is not None
    assert learner.tree().getNode("/c") is None
    assert learner.zk.getState() == "follower" and learner.zk.isRunning()

    # broadcast: commit the outstanding one, then a new proposal is logged and acked
    leader.send(Leader.COMMIT, zx(3))
    leader.send(Leader.PROPOSAL, zx(4), create_txn(zx(4), "/d", b"dd"))
    ack = leader.recv_skipping_pings()
    assert (ack.type, ack.zxid) == (Leader.ACK, zx(4))
    assert zx(4) in learner.logged_zxids()
    leader.send(Leader.COMMIT, zx(4))
    wait_for(lambda: learner.tree().getNode("/d") is not None, 30, what="/d applied")
    assert learner.tree().getNode("/c") is not None
    assert learner.tree().lastProcessedZxid == zx(4)

    leader.send(Leader.PING, zx(4))
    ping = leader.recv()
    assert (ping.type, ping.zxid) == (Leader.PING, zx(4))
    assert len(ping.data or b"") % 12 == 0


def test_follower_forwards_client_writes_and_answers_after_commit(harness):
    kazoo = pytest.importorskip("kazoo.client")
    leader, learner = harness()
    discovery(leader, learner)
    leader.send(Leader.DIFF, 0)
    leader.send(Leader.NEWLEADER, zx(0), learner.peer.getQuorumVerifier().toString().encode())
    assert leader.recv().type == Leader.ACK
    leader.send(Leader.UPTODATE, -1)
    assert leader.recv().zxid == zx(0)

    counter = [0]
    stop = threading.Event()
    seen: list[tuple[int, int, int]] = []
    pings: list[QuorumPacket] = []

    def serve() -> None:
        """The leader's side of client writes: propose, wait for the ACK, commit."""
        while not stop.is_set():
            try:
                qp = leader.recv()
            except (OSError, EOFError, ValueError):
                return
            if qp.type == Leader.PING:
                pings.append(qp)
                continue
            if qp.type != Leader.REQUEST:
                continue
            sessionId, cxid, type_ = struct.unpack_from(">qii", qp.data)
            seen.append((sessionId, cxid, type_))
            counter[0] += 1
            zxid = zx(counter[0])
            hdr = TxnHeader(sessionId, cxid, zxid, 1000, type_)
            if type_ == OpCode.createSession:
                txn = CreateSessionTxn(struct.unpack_from(">i", qp.data, 16)[0])
            elif type_ in (OpCode.create, OpCode.create2):
                req = CreateRequest.fromByteArray(qp.data[16:])
                txn = CreateTxn(req.path, req.data, req.acl, False, -1)
            elif type_ == OpCode.closeSession:
                txn = None
            else:
                continue
            leader.send(Leader.PROPOSAL, zxid, Util.marshallTxnEntry(hdr, txn, None))
            while True:
                ack = leader.recv()
                if ack.type == Leader.ACK and ack.zxid == zxid:
                    break
            leader.send(Leader.COMMIT, zxid)

    server = threading.Thread(target=serve, daemon=True)
    server.start()
    client = kazoo.KazooClient(hosts=f"127.0.0.1:{learner.client_port}", timeout=10)
    try:
        client.start(timeout=15)
        assert client.create("/forwarded", b"v1") == "/forwarded"
        assert client.get("/forwarded")[0] == b"v1"
        assert [t for _, _, t in seen[:2]] == [OpCode.createSession, OpCode.create]
        assert learner.tree().getNode("/forwarded").data == b"v1"
        # the PING answer carries the sessions touched here since the last one
        leader.send(Leader.PING, zx(counter[0]))
        wait_for(lambda: pings, 30, what="PING answer")
        touched = dict(struct.iter_unpack(">qi", pings[0].data))
        assert touched.get(client.client_id[0]) == 20 * 200  # the negotiated timeout: maxSessionTimeout
    finally:
        client.stop()
        client.close()
        stop.set()


def test_follower_snap_sync_loads_the_stream_and_snapshots_before_acking(harness, monkeypatch):
    from pyzookeeper.common import AtomicFileOutputStream as atomic

    atomicWrites: list[str] = []

    class RecordingAtomicFileOutputStream(atomic.AtomicFileOutputStream):
        def __init__(self, f) -> None:
            super().__init__(f)
            atomicWrites.append(self.tmpFile.name)

    monkeypatch.setattr(atomic, "AtomicFileOutputStream", RecordingAtomicFileOutputStream)
    leader, learner = harness()
    discovery(leader, learner)
    tree = DataTree()
    tree.createNode("/snapped", b"from-leader", OPEN_ACL, 0, tree.getNode("/").stat.cversion, zx(5), 1000)
    tree.lastProcessedZxid = zx(5)
    oa = BinaryOutputArchive()
    SerializeUtils.serializeSnapshot(tree, oa, {0x1234: 30000})
    oa.writeString("BenWasHere", "signature")
    leader.send(Leader.SNAP, zx(5))
    leader.send_raw(oa.getvalue())
    # a commit seen before NEWLEADER is applied at once with a SNAP (and captured by the snapshot)
    leader.send(Leader.PROPOSAL, zx(6), create_txn(zx(6), "/after"))
    leader.send(Leader.COMMIT, zx(6))
    leader.send(Leader.NEWLEADER, zx(0), learner.peer.getQuorumVerifier().toString().encode())
    ack = leader.recv()
    assert (ack.type, ack.zxid) == (Leader.ACK, zx(0))
    snaps = sorted((learner.data_dir / "version-2").glob("snapshot.*"))
    assert snaps and snaps[-1].name == f"snapshot.{zx(6):x}"
    # the snapshot after a SNAP is written as snapshot.<zxid>.tmp, fsynced and renamed
    assert f"snapshot.{zx(6):x}.tmp" in atomicWrites
    assert not list((learner.data_dir / "version-2").glob("*.tmp"))
    assert learner.tree().getNode("/snapped").data == b"from-leader"
    assert learner.tree().getNode("/after") is not None
    assert learner.peer.getZkDb().getSessionWithTimeOuts() == {0x1234: 30000}
    leader.send(Leader.UPTODATE, -1)
    assert leader.recv().zxid == zx(0)
    wait_for(lambda: learner.zk.isRunning(), 30, what="serving")


def test_follower_refuses_a_snapshot_without_signature(harness):
    leader, learner = harness()
    discovery(leader, learner)
    oa = BinaryOutputArchive()
    SerializeUtils.serializeSnapshot(DataTree(), oa, {})
    oa.writeString("BenWasNotHere", "signature")
    leader.send(Leader.SNAP, zx(0))
    leader.send_raw(oa.getvalue())
    learner.thread.join(20)
    assert not learner.thread.is_alive()
    assert leader.conn.recv(1) == b""


def test_follower_truncates_txns_the_leader_never_committed(tmp_path, harness):
    root = tmp_path / "learner"
    leader, learner = harness(root=root)
    discovery(leader, learner)
    leader.send(Leader.DIFF, 0)
    for i in (1, 2, 3):
        leader.send(Leader.PROPOSAL, zx(i), create_txn(zx(i), f"/n{i}"))
    leader.send(Leader.COMMIT, zx(1))
    leader.send(Leader.NEWLEADER, zx(0), learner.peer.getQuorumVerifier().toString().encode())
    assert leader.recv().type == Leader.ACK
    leader.send(Leader.UPTODATE, -1)
    assert leader.recv().zxid == zx(0)
    assert learner.logged_zxids() == [zx(1), zx(2), zx(3)]
    # the leader goes away; a new one (epoch 2) committed only zxid 1
    leader.close()
    learner.thread.join(20)
    assert not learner.thread.is_alive()
    learner.role.shutdown()

    leader2 = ScriptedLeader()
    _point_server1_at(learner, leader2.port)
    learner.run_role()
    leader2.accept()
    try:
        discovery(leader2, learner, epoch=2, last_zxid=zx(3), current_epoch=1)
        leader2.send(Leader.TRUNC, zx(1))
        leader2.send(Leader.NEWLEADER, zx(0, 2), learner.peer.getQuorumVerifier().toString().encode())
        ack = leader2.recv()
        assert (ack.type, ack.zxid) == (Leader.ACK, zx(0, 2))
        assert learner.logged_zxids() == [zx(1)]
        assert learner.tree().getNode("/n1") is not None
        assert learner.tree().getNode("/n2") is None and learner.tree().getNode("/n3") is None
        assert learner.epoch_file("currentEpoch") == 2
    finally:
        leader2.close()


def _point_server1_at(learner: LearnerUnderTest, port: int) -> None:
    from pyzookeeper.common.inet_address import InetSocketAddress
    from pyzookeeper.server.quorum.MultipleAddresses import MultipleAddresses

    server1 = learner.peer.getQuorumVerifier().getAllMembers()[1]
    server1.addr = MultipleAddresses(InetSocketAddress("127.0.0.1", port))


def test_follower_exits_when_a_commit_does_not_match_its_next_txn(harness, exits):
    leader, learner = harness()
    discovery(leader, learner)
    leader.send(Leader.DIFF, 0)
    leader.send(Leader.NEWLEADER, zx(0), None)
    assert leader.recv().type == Leader.ACK
    leader.send(Leader.UPTODATE, -1)
    assert leader.recv().zxid == zx(0)
    leader.send(Leader.PROPOSAL, zx(1), create_txn(zx(1), "/p"))
    assert leader.recv_skipping_pings().zxid == zx(1)
    leader.send(Leader.COMMIT, zx(2))
    wait_for(lambda: exits, 30, what="requested exit")
    from pyzookeeper.server.ExitCode import ExitCode
    assert exits[0] == ExitCode.UNMATCHED_TXN_COMMIT.getValue()


def test_learner_refuses_a_leader_epoch_below_its_accepted_epoch(tmp_path, harness):
    root = tmp_path / "learner"
    (root / "data" / "version-2").mkdir(parents=True)
    (root / "data" / "version-2" / "acceptedEpoch").write_text("5")
    (root / "data" / "version-2" / "currentEpoch").write_text("5")
    leader, learner = harness(root=root)
    info = leader.recv()
    assert info.zxid == ZxidUtils.makeZxid(5, 0)
    leader.send(Leader.LEADERINFO, ZxidUtils.makeZxid(3, 0), struct.pack(">i", 0x10000))
    learner.thread.join(20)
    assert not learner.thread.is_alive()
    assert learner.epoch_file("acceptedEpoch") == 5


def test_learner_acks_an_already_accepted_epoch_with_minus_one(tmp_path, harness):
    root = tmp_path / "learner"
    (root / "data" / "version-2").mkdir(parents=True)
    (root / "data" / "version-2" / "acceptedEpoch").write_text("1")
    (root / "data" / "version-2" / "currentEpoch").write_text("0")
    leader, learner = harness(root=root)
    leader.recv()
    leader.send(Leader.LEADERINFO, ZxidUtils.makeZxid(1, 0), struct.pack(">i", 0x10000))
    ackepoch = leader.recv()
    assert ackepoch.type == Leader.ACKEPOCH
    assert struct.unpack(">i", ackepoch.data) == (-1,)


def test_observer_applies_informs(harness):
    leader, learner = harness(observer=True)
    discovery(leader, learner, expect_info=Leader.OBSERVERINFO)
    leader.send(Leader.DIFF, 0)
    leader.send(Leader.INFORM, zx(1), create_txn(zx(1), "/o1"))
    leader.send(Leader.NEWLEADER, zx(0), learner.peer.getQuorumVerifier().toString().encode())
    assert leader.recv().zxid == zx(0)
    leader.send(Leader.UPTODATE, -1)
    assert leader.recv().zxid == zx(0)
    wait_for(lambda: learner.tree().getNode("/o1") is not None, 30, what="INFORM before UPTODATE applied")
    leader.send(Leader.INFORM, zx(2), create_txn(zx(2), "/o2"))
    wait_for(lambda: learner.tree().getNode("/o2") is not None, 30, what="INFORM applied")
    assert learner.zk.getState() == "observer"
    wait_for(lambda: zx(2) in learner.logged_zxids(), 30, what="INFORM logged (syncEnabled)")
    # an observer never acks
    leader.send(Leader.PING, zx(2))
    assert leader.recv().type == Leader.PING
