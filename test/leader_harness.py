"""An in-process leader and raw-socket learners that speak Zab, for testing
the leader side packet by packet.

    with InProcessLeader(tmp_path, voters=(1, 2, 3)) as leader:
        learner = FakeLearner(leader.quorum_port, sid=2)
        info = learner.handshake(acceptedEpoch=0, lastZxid=0)      # LEADERINFO
        packets = learner.read_until(Leader.NEWLEADER)              # the sync
        learner.send(Leader.ACK, info.zxid)                         # NEWLEADER ack
        learner.expect(Leader.UPTODATE)

InProcessLeader builds a QuorumPeer in this process as QuorumPeerMain does,
puts it in the LEADING state without an election, and runs Leader.lead() on
a thread; the client port serves real clients once the leader is up.
FakeLearner is a learner reduced to its packets (formats.md section 6).
"""

from __future__ import annotations

import socket
import struct
import threading
from pathlib import Path

from javaref import free_port, wait_for

from pyzookeeper.common import Time
from pyzookeeper.common.inet_address import InetSocketAddress
from pyzookeeper.jute.BinaryInputArchive import BinaryInputArchive
from pyzookeeper.jute.BinaryOutputArchive import BinaryOutputArchive
from pyzookeeper.server.DataTree import DataTree
from pyzookeeper.server.ServerCnxnFactory import ServerCnxnFactory
from pyzookeeper.server.ZKDatabase import ZKDatabase
from pyzookeeper.server.persistence.FileTxnSnapLog import FileTxnSnapLog
from pyzookeeper.server.quorum.Leader import Leader
from pyzookeeper.server.quorum.LearnerInfo import LearnerInfo
from pyzookeeper.server.quorum.QuorumPacket import QuorumPacket
from pyzookeeper.server.quorum.QuorumPeer import LearnerType, QuorumPeer, QuorumServer, ServerState
from pyzookeeper.server.quorum.flexible.QuorumMaj import QuorumMaj
from pyzookeeper.server.util import SerializeUtils

_INT = struct.Struct(">i")


class InProcessLeader:
    """Peer ``myid`` of an ensemble of ``voters`` (+ ``observers``), leading."""

    def __init__(self, root: Path, myid: int = 1, voters=(1, 2, 3), observers=(), tick_time: int = 100,
                 init_limit: int = 20, sync_limit: int = 5) -> None:
        self.root = Path(root)
        self.myid = myid
        self.data_dir = self.root / f"leader{myid}"
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.client_port = free_port()
        self.ports = {sid: (free_port(), free_port()) for sid in (*voters, *observers)}
        self.quorum_port = self.ports[myid][0]
        members = {}
        for sid, (qport, eport) in self.ports.items():
            role = ":observer" if sid in observers else ""
            members[sid] = QuorumServer(sid, f"127.0.0.1:{qport}:{eport}{role}")
        self.qv = QuorumMaj(members)
        self.tick_time = tick_time
        self.init_limit = init_limit
        self.sync_limit = sync_limit
        self.peer: QuorumPeer | None = None
        self.leader: Leader | None = None
        self.thread: threading.Thread | None = None
        self.error: BaseException | None = None

    def start(self) -> InProcessLeader:
        peer = self.peer = QuorumPeer()
        txnFactory = FileTxnSnapLog(self.data_dir, self.data_dir)
        peer.setTxnFactory(txnFactory)
        peer.setMyid(self.myid)
        peer.setTickTime(self.tick_time)
        peer.setInitLimit(self.init_limit)
        peer.setSyncLimit(self.sync_limit)
        peer.setLearnerType(LearnerType.PARTICIPANT)
        peer.setZKDatabase(ZKDatabase(txnFactory))
        peer.setQuorumVerifier(self.qv, False)
        factory = ServerCnxnFactory.createFactory()
        factory.configure(InetSocketAddress("127.0.0.1", self.client_port), 0, -1, False)
        peer.setCnxnFactory(factory)
        peer.initialize()
        peer.loadDataBase()
        factory.start()
        peer.setPeerState(ServerState.LEADING)
        peer.start_fle = Time.currentElapsedTime()
        self.leader = peer.makeLeader(txnFactory)
        peer.setLeader(self.leader)
        self.thread = threading.Thread(target=self._lead, name="test-lead", daemon=True)
        self.thread.start()
        return self

    def _lead(self) -> None:
        try:
            self.leader.lead()
        except BaseException as e:
            self.error = e
        finally:
            self.leader.shutdown("lead() returned")

    def serving(self) -> bool:
        return self.leader is not None and self.leader.zk.isRunning()

    def wait_serving(self, timeout: float = 20.0) -> None:
        wait_for(self.serving, timeout=timeout, what="the leader to serve")

    @property
    def hosts(self) -> str:
        return f"127.0.0.1:{self.client_port}"

    def stop(self) -> None:
        if self.leader is not None:
            self.leader.shutdown("test over")
        if self.thread is not None:
            self.thread.join(10)
        if self.peer is not None:
            self.peer.running = False
            self.peer.cnxnFactory.shutdown()
            self.peer.getZkDb().close()

    def __enter__(self) -> InProcessLeader:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


class FakeLearner:
    """A learner connection driven packet by packet."""

    def __init__(self, port: int, sid: int, timeout: float = 10.0) -> None:
        self.sid = sid
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.reader = self.sock.makefile("rb")
        self.ia = BinaryInputArchive(self.reader)

    def send(self, type: int, zxid: int, data: bytes | None = None, authinfo=None) -> None:
        oa = BinaryOutputArchive()
        QuorumPacket(type, zxid, data, authinfo).serialize(oa, "packet")
        self.sock.sendall(oa.getvalue())

    def send_raw(self, data: bytes) -> None:
        self.sock.sendall(data)

    def recv(self) -> QuorumPacket:
        qp = QuorumPacket()
        qp.deserialize(self.ia, "packet")
        return qp

    def expect(self, type: int) -> QuorumPacket:
        qp = self.recv()
        assert qp.type == type, f"expected {Leader.getPacketType(type)}, got {Leader.getPacketType(qp.type)}"
        return qp

    def recv_skipping_pings(self) -> QuorumPacket:
        while True:
            qp = self.recv()
            if qp.type != Leader.PING:
                return qp

    def read_until(self, type: int) -> list[QuorumPacket]:
        """Packets up to and including the first one of ``type``; a SNAP's
        snapshot stream is read into ``snapshot_tree``."""
        packets = []
        while True:
            qp = self.recv()
            packets.append(qp)
            if qp.type == Leader.SNAP:
                self.read_snapshot()
            if qp.type == type:
                return packets

    def read_snapshot(self) -> DataTree:
        """The snapshot stream after SNAP, checked for its signature."""
        self.snapshot_tree = DataTree()
        self.snapshot_sessions: dict[int, int] = {}
        SerializeUtils.deserializeSnapshot(self.snapshot_tree, self.ia, self.snapshot_sessions)
        signature = self.ia.readString("signature")
        assert signature == "BenWasHere", f"missing signature: {signature!r}"
        return self.snapshot_tree

    def learner_info(self, protocolVersion: int = 0x10000, configVersion: int = 0) -> bytes:
        return LearnerInfo(self.sid, protocolVersion, configVersion).toByteArray()

    def handshake(self, acceptedEpoch: int, lastZxid: int, currentEpoch: int | None = None,
                  observer: bool = False) -> QuorumPacket:
        """FOLLOWERINFO (or OBSERVERINFO), LEADERINFO, ACKEPOCH; returns LEADERINFO."""
        self.send(Leader.OBSERVERINFO if observer else Leader.FOLLOWERINFO, acceptedEpoch << 32,
                  self.learner_info())
        info = self.expect(Leader.LEADERINFO)
        newEpoch = info.zxid >> 32
        if currentEpoch is None:
            currentEpoch = acceptedEpoch
        self.send(Leader.ACKEPOCH, lastZxid, _INT.pack(-1 if newEpoch == acceptedEpoch else currentEpoch))
        return info

    def follow(self, acceptedEpoch: int = 0, lastZxid: int = 0, observer: bool = False) -> list[QuorumPacket]:
        """The whole sync: handshake, the packets up to NEWLEADER, its ACK,
        UPTODATE and the ACK after it; returns the packets up to NEWLEADER."""
        info = self.handshake(acceptedEpoch, lastZxid, observer=observer)
        packets = self.read_until(Leader.NEWLEADER)
        self.send(Leader.ACK, info.zxid)
        # a leader that already serves may ping before UPTODATE
        assert self.recv_skipping_pings().type == Leader.UPTODATE
        self.send(Leader.ACK, info.zxid)
        return packets

    def start_responder(self, ack: bool = True) -> None:
        """Answer PINGs (with no session touches) and, with ``ack``, ACK every
        PROPOSAL on a thread; every packet read is kept in ``received``."""
        self.received: list[QuorumPacket] = []
        self.received_cond = threading.Condition()
        self.ack = ack
        self.responder = threading.Thread(target=self._respond, name=f"fake-learner-{self.sid}", daemon=True)
        self.responder.start()

    def _respond(self) -> None:
        try:
            while True:
                qp = self.recv()
                if qp.type == Leader.PING:
                    self.send(Leader.PING, qp.zxid, b"")
                elif qp.type == Leader.PROPOSAL and self.ack:
                    self.send(Leader.ACK, qp.zxid)
                with self.received_cond:
                    self.received.append(qp)
                    self.received_cond.notify_all()
        except (OSError, EOFError, ValueError):
            pass

    def wait_received(self, predicate, timeout: float = 10.0) -> QuorumPacket:
        """The first received packet matching ``predicate``, waiting for it."""
        def find():
            with self.received_cond:
                for qp in self.received:
                    if predicate(qp):
                        return qp
            return None
        return wait_for(find, timeout=timeout, what="a packet from the leader")

    def closed_by_peer(self, timeout: float = 10.0) -> bool:
        """Whether the leader closes the connection (reading past any packets)."""
        self.sock.settimeout(timeout)
        try:
            while self.reader.read(65536):
                pass
            return True
        except (ConnectionResetError, BrokenPipeError):
            return True
        except TimeoutError:
            return False

    def close(self) -> None:
        for c in (self.reader, self.sock):
            try:
                c.close()
            except OSError:
                pass
