"""Election wire formats and rules against Java 3.8 (JPype on the Debian jar):
notification bytes (FastLeaderElection.buildMsg), the QuorumCnxManager
initial message (parsed by Java's InitialMessage.parse, and ours parsing the
same bytes), the 28/40-byte legacy notifications, and totalOrderPredicate."""

from __future__ import annotations

import io
import random
import socket
import struct
import threading

import pytest

from pyzookeeper.common.java_properties import Properties
from pyzookeeper.server.quorum.FastLeaderElection import FastLeaderElection, Notification
from pyzookeeper.server.quorum.QuorumCnxManager import InitialMessage, InitialMessageException, Message, \
    QuorumCnxManager
from pyzookeeper.server.quorum.QuorumPeer import QuorumPeer, ServerState
from pyzookeeper.server.quorum.QuorumPeerConfig import QuorumPeerConfig

pytestmark = pytest.mark.java

LONG_MIN = -(1 << 63)
LONG_MAX = (1 << 63) - 1

CONFIG = ("server.1=127.0.0.1:2222:2223:participant\n"
          "server.2=127.0.0.1:2224:2225:participant\n"
          "server.3=127.0.0.1:2226:2227:participant\n"
          "server.4=127.0.0.1:2228:2229:observer\n"
          "version=0")


def java_bytes(buf) -> bytes:
    return bytes(b & 0xFF for b in buf.array())


def declared(jpype, cls: str, name: str, *types):
    method = jpype.JClass(cls).class_.getDeclaredMethod(name, *types)
    method.setAccessible(True)
    return method


def make_peer(config_text: str = CONFIG, myid: int = 1) -> QuorumPeer:
    props = Properties()
    props.load(config_text)
    peer = QuorumPeer()
    peer.setMyid(myid)
    peer.setElectionType(3)
    peer.setQuorumVerifier(QuorumPeerConfig.parseDynamicConfig(props, 3, False, False), False)
    return peer


class FakeManager:
    """Stands in for the connection manager of a FastLeaderElection that is not started."""

    def __init__(self) -> None:
        self.sent: list[tuple[int, bytes]] = []

    def toSend(self, sid: int, b: bytes) -> None:
        self.sent.append((sid, b))


VALUES = [0, 1, -1, 7, 0x100000000, 0x7FFFFFFF00000001, LONG_MIN, LONG_MAX]


def test_build_msg_current_layout_is_javas(jvm):
    JByteArray = jvm.JArray(jvm.JByte)
    build = declared(jvm, "org.apache.zookeeper.server.quorum.FastLeaderElection", "buildMsg",
                     jvm.JInt, jvm.JLong, jvm.JLong, jvm.JLong, jvm.JLong, JByteArray)
    rnd = random.Random(7)
    cases = [(s, rnd.choice(VALUES), rnd.choice(VALUES), rnd.choice(VALUES), rnd.choice(VALUES),
              CONFIG.encode() if s % 2 else b"") for s in range(4)]
    cases += [(rnd.randrange(4), rnd.randrange(LONG_MIN, LONG_MAX), rnd.randrange(LONG_MIN, LONG_MAX),
               rnd.randrange(1 << 40), rnd.randrange(1 << 31), rnd.randbytes(rnd.randrange(0, 300)))
              for _ in range(50)]
    for state, leader, zxid, epoch, peerEpoch, config in cases:
        ours = FastLeaderElection.buildMsg(state, leader, zxid, epoch, peerEpoch, config)
        theirs = java_bytes(build.invoke(None, jvm.JInt(state), jvm.JLong(leader), jvm.JLong(zxid),
                                         jvm.JLong(epoch), jvm.JLong(peerEpoch), JByteArray(config)))
        assert ours == theirs
        assert len(ours) == 44 + len(config)


def test_build_msg_40_byte_layout_is_javas(jvm):
    build = declared(jvm, "org.apache.zookeeper.server.quorum.FastLeaderElection", "buildMsg",
                     jvm.JInt, jvm.JLong, jvm.JLong, jvm.JLong, jvm.JLong)
    for leader in VALUES:
        ours = FastLeaderElection.buildMsg(2, leader, 0x500000003, 9, 5)
        theirs = java_bytes(build.invoke(None, jvm.JInt(2), jvm.JLong(leader), jvm.JLong(0x500000003),
                                         jvm.JLong(9), jvm.JLong(5)))
        assert ours == theirs and len(ours) == 40


def receive(fle: FastLeaderElection, sid: int, data: bytes) -> Notification | None:
    """Feed one frame to the WorkerReceiver logic; return the Notification it queued, if any."""
    fle.messenger.wr._process(Message(data, sid))
    return None if fle.recvqueue.empty() else fle.recvqueue.get_nowait()


def test_notifications_of_every_layout_are_read():
    peer = make_peer()
    fle = FastLeaderElection(peer, FakeManager())
    peer.setPeerState(ServerState.LOOKING)

    current = receive(fle, 2, FastLeaderElection.buildMsg(1, 3, 0x200000005, 4, 2, CONFIG.encode()))
    assert (current.sid, current.state, current.leader, current.zxid, current.electionEpoch,
            current.peerEpoch, current.version) == (2, ServerState.FOLLOWING, 3, 0x200000005, 4, 2, 2)
    assert current.qv is not None and current.qv.getVersion() == 0

    old40 = receive(fle, 3, FastLeaderElection.buildMsg(2, 3, 0x200000005, 4, 2))
    assert (old40.state, old40.peerEpoch, old40.version, old40.qv) == (ServerState.LEADING, 2, 0, None)

    old28 = receive(fle, 2, struct.pack(">iqqq", 0, 2, 0x700000001, 1))
    assert (old28.state, old28.leader, old28.peerEpoch, old28.version) == (ServerState.LOOKING, 2, 7, 0)


def test_malformed_notifications_are_dropped():
    peer = make_peer()
    fle = FastLeaderElection(peer, FakeManager())
    good = FastLeaderElection.buildMsg(0, 2, 0, 1, 0, CONFIG.encode())
    assert receive(fle, 2, good[:27]) is None
    bad_length = good[:40] + struct.pack(">i", -1) + good[44:]
    assert receive(fle, 2, bad_length) is None
    too_long = good[:40] + struct.pack(">i", len(good)) + good[44:]
    assert receive(fle, 2, too_long) is None
    unknown_state = struct.pack(">i", 9) + good[4:]
    assert receive(fle, 2, unknown_state) is None
    assert receive(fle, 2, good) is not None


def test_non_voter_gets_my_current_vote_back():
    from pyzookeeper.server.quorum.Vote import Vote

    peer = make_peer()
    fle = FastLeaderElection(peer, FakeManager())
    peer.setCurrentVote(Vote(3, 0x100000002, 1))
    peer.setPeerState(ServerState.FOLLOWING)
    assert receive(fle, 4, FastLeaderElection.buildMsg(3, LONG_MIN, LONG_MIN, 1, LONG_MIN, b"")) is None
    reply = fle.sendqueue.get_nowait()
    assert (reply.sid, reply.leader, reply.zxid, reply.peerEpoch, reply.state) == \
        (4, 3, 0x100000002, 1, ServerState.FOLLOWING)


def test_looking_peer_gets_final_vote_when_not_looking():
    from pyzookeeper.server.quorum.Vote import Vote

    peer = make_peer()
    fle = FastLeaderElection(peer, FakeManager())
    peer.setCurrentVote(Vote(3, 5, 2, 1))
    peer.setPeerState(ServerState.FOLLOWING)
    receive(fle, 2, FastLeaderElection.buildMsg(0, 2, 5, 7, 1, CONFIG.encode()))
    reply = fle.sendqueue.get_nowait()
    assert (reply.sid, reply.leader, reply.electionEpoch, reply.state) == (2, 3, 2, ServerState.FOLLOWING)
    fle.messenger.wr._process(Message(FastLeaderElection.buildMsg(1, 3, 5, 2, 1, CONFIG.encode()), 2))
    assert fle.sendqueue.empty()


def java_fle(jvm, config_text: str):
    props = jvm.JClass("java.util.Properties")()
    props.load(jvm.JClass("java.io.StringReader")(config_text))
    qv = jvm.JClass("org.apache.zookeeper.server.quorum.QuorumPeerConfig").parseDynamicConfig(
        props, 3, False, False, None)
    qp = jvm.JClass("org.apache.zookeeper.server.quorum.QuorumPeer")()
    qp.setQuorumVerifier(qv, False)
    qp.setMyid(1)
    return jvm.JClass("org.apache.zookeeper.server.quorum.FastLeaderElection")(qp, None)


def test_total_order_predicate_table_matches_java(jvm):
    config = ("group.1=1:2:3\ngroup.2=4:5\nweight.1=1\nweight.2=1\nweight.3=1\nweight.4=1\nweight.5=0\n"
              + "".join(f"server.{i}=127.0.0.1:{3000 + 2 * i}:{3001 + 2 * i}:participant\n" for i in range(1, 6))
              + "version=0")
    jfle = java_fle(jvm, config)
    pred = declared(jvm, "org.apache.zookeeper.server.quorum.FastLeaderElection", "totalOrderPredicate",
                    *([jvm.JLong] * 6))
    fle = FastLeaderElection(make_peer(config), FakeManager())
    epochs, zxids, ids = (0, 1, 2), (-1, 0, 0x100000001, 0x100000002), (1, 2, 5)
    checked = 0
    for newEpoch in epochs:
        for curEpoch in epochs:
            for newZxid in zxids:
                for curZxid in zxids:
                    for newId in ids:
                        for curId in ids:
                            args = (newId, newZxid, newEpoch, curId, curZxid, curEpoch)
                            theirs = bool(pred.invoke(jfle, *(jvm.JLong(a) for a in args)))
                            assert fle.totalOrderPredicate(*args) == theirs, args
                            checked += 1
    assert checked == 3 * 3 * 4 * 4 * 3 * 3
    assert not fle.totalOrderPredicate(5, 10, 10, 1, 0, 0)


def test_vote_equality_matches_java(jvm):
    from pyzookeeper.server.quorum.Vote import Vote

    JVote = jvm.JClass("org.apache.zookeeper.server.quorum.Vote")
    JState = jvm.JClass("org.apache.zookeeper.server.quorum.QuorumPeer$ServerState")
    states = list(ServerState)
    samples = [(v, i, z, e, p, s) for v in (0, 2) for i in (1, 2) for z in (0, 5) for e in (1,)
               for p in (1, 2) for s in (0, 1, 2)]
    for a in samples:
        for b in samples[::3]:
            ja = JVote(jvm.JInt(a[0]), *(jvm.JLong(x) for x in a[1:5]), JState.values()[a[5]])
            jb = JVote(jvm.JInt(b[0]), *(jvm.JLong(x) for x in b[1:5]), JState.values()[b[5]])
            pa = Vote.withVersion(*a[:5], states[a[5]])
            pb = Vote.withVersion(*b[:5], states[b[5]])
            assert (pa == pb) == bool(ja.equals(jb)), (a, b)
    assert str(Vote(3, 0x100000002, 7)) == str(JVote(3, 0x100000002, 7).toString())
    assert str(Vote(3, -1, -1)) == str(JVote(3, -1, -1).toString())


# -- the initial message ------------------------------------------------------------------------


def java_parse(jvm, data: bytes):
    """(sid, [host:port...]) from Java's InitialMessage.parse, or the exception class name."""
    din = jvm.JClass("java.io.DataInputStream")(
        jvm.JClass("java.io.ByteArrayInputStream")(jvm.JArray(jvm.JByte)(data)))
    version = din.readLong()
    InitialMessage_ = jvm.JClass("org.apache.zookeeper.server.quorum.QuorumCnxManager$InitialMessage")
    try:
        msg = InitialMessage_.parse(jvm.JLong(version), din)
    except jvm.JException as e:
        return type(e).__name__.split(".")[-1].split("$")[-1]
    return int(msg.sid), [f"{a.getHostString()}:{a.getPort()}" for a in msg.electionAddr]


def py_parse(data: bytes):
    stream = io.BufferedReader(io.BytesIO(data))
    version = struct.unpack(">q", stream.read(8))[0]
    try:
        msg = InitialMessage.parse(version, stream)
    except (InitialMessageException, EOFError) as e:
        return "InitialMessageException" if isinstance(e, InitialMessageException) else "EOFException"
    return msg.sid, [f"{a.getHostString()}:{a.getPort()}" for a in msg.electionAddr]


def initial(version: int, sid: int, text: bytes, length: int | None = None) -> bytes:
    return struct.pack(">qqi", version, sid, len(text) if length is None else length) + text


V1, V2 = QuorumCnxManager.PROTOCOL_VERSION_V1, QuorumCnxManager.PROTOCOL_VERSION_V2


@pytest.mark.parametrize("data", [
    initial(V1, 3, b"127.0.0.1:3888"),
    initial(V2, 5, b"127.0.0.1:3888|127.0.0.2:3889"),
    initial(V2, 5, b"0.0.0.0:3888|127.0.0.1:3889"),
    initial(V1, 2, b"[::1]:3888"),
    initial(V1, 2, b"localhost:3888"),
    initial(V1, 2, b"127.0.0.1"),
    initial(V1, 2, b"127.0.0.1:x88"),
    initial(V1, 2, b"127.0.0.1:3888:1"),
    initial(V1, 2, b"", 0),
    initial(V1, 2, b"a" * 2049),
    initial(V1, 2, b"127.0.0.1:3888", -5),
    initial(-7, 2, b"127.0.0.1:3888"),
    initial(V1, 2, b"127.0.0.1:3888", 40),
])
def test_initial_message_parse_matches_java(jvm, data):
    assert py_parse(data) == java_parse(jvm, data)


def test_initial_message_we_send_is_parsed_by_java(jvm):
    """A real QuorumCnxManager dials a socket we hold; Java parses what arrives."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        port = server.getsockname()[1]
        peer = make_peer(CONFIG.replace("server.1=127.0.0.1:2222:2223", f"server.1=127.0.0.1:2222:{port}"), myid=3)
        peer.setMultiAddressEnabled(False)
        qcm = peer.createCnxnManager()
        t = threading.Thread(target=qcm.testInitiateConnection, args=(1,), daemon=True)
        t.start()
        conn, _ = server.accept()
        conn.settimeout(5)
        data = b""
        while len(data) < 20 or len(data) < 20 + struct.unpack(">i", data[16:20])[0]:
            data += conn.recv(4096)
        t.join(5)
        conn.close()
        qcm.halt()
    assert struct.unpack(">q", data[:8])[0] == V1
    assert java_parse(jvm, data) == (3, ["127.0.0.1:2227"])
    assert py_parse(data) == (3, ["127.0.0.1:2227"])


def test_newer_config_in_a_notification_is_adopted_and_restarts_the_election(monkeypatch):
    """While LOOKING, a notification carrying a newer configuration installs it
    (processReconfig) and shuts the election down for a restart; when not LOOKING
    the configuration is only parsed."""
    monkeypatch.setattr(QuorumPeerConfig, "reconfigEnabled", True)
    newer = CONFIG.replace("server.4=127.0.0.1:2228:2229:observer\n", "").replace("version=0", "version=100000000")
    peer = make_peer()
    peer.reconfigEnabled = True
    fle = FastLeaderElection(peer, FakeManager())
    fle.manager.halt = lambda: None
    peer.electionAlg = fle
    from pyzookeeper.server.quorum.Vote import Vote
    peer.setCurrentVote(Vote(1, 0, 0))
    peer.setPeerState(ServerState.FOLLOWING)
    fle.messenger.wr._process(Message(FastLeaderElection.buildMsg(1, 3, 0, 1, 0, newer.encode()), 2))
    assert peer.getQuorumVerifier().getVersion() == 0
    assert not fle.stop

    peer.setPeerState(ServerState.LOOKING)
    restart = fle.messenger.wr._process(Message(FastLeaderElection.buildMsg(0, 3, 0, 1, 0, newer.encode()), 2))
    assert restart is True
    assert peer.getQuorumVerifier().getVersion() == 0x100000000
    assert 4 not in peer.getView()
    assert peer.shuttingDownLE and fle.stop
