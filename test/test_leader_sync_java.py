"""The leader's choice of DIFF, TRUNC or SNAP for a learner, and the packets
it queues, against Java's LearnerHandler.syncFollower on the same data
directory.

Java's side is test/java_probes/.../SyncFollowerProbe.java (compiled here with javac):
it loads the directory into Java's ZKDatabase and prints, for each learner
zxid, the decision, the zxid forwarding starts from, and every queued packet
(type, zxid, SHA-1 of the data). The Python side prints the same from
pyzookeeper's LearnerHandler on pyzookeeper's ZKDatabase.
"""

from __future__ import annotations

import hashlib
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

from javaref import JUTE_JAR, SLF4J_NOP, ZK_JAR
from quorum_history import build_history, zxid

from pyzookeeper import system_properties
from pyzookeeper.server.ZKDatabase import ZKDatabase
from pyzookeeper.server.persistence.FileTxnSnapLog import FileTxnSnapLog
from pyzookeeper.server.quorum.Leader import Leader
from pyzookeeper.server.quorum.LearnerHandler import LearnerHandler, MarkerQuorumPacket

PROBE_SRC = Path(__file__).resolve().parent / "java_probes" / "org/apache/zookeeper/server/quorum/SyncFollowerProbe.java"
PROBE_CLASS = "org.apache.zookeeper.server.quorum.SyncFollowerProbe"

HISTORY = [(1, 300, 2000), (2, 300, 50), (4, 350, 50)]
LAST_PROPOSED = zxid(5, 0)

PEERS = [
    0,
    zxid(1, 0), zxid(1, 1), zxid(1, 0x50), zxid(1, 300), zxid(1, 0x130),
    zxid(2, 0), zxid(2, 1), zxid(2, 0x32), zxid(2, 0x95), zxid(2, 0x96), zxid(2, 0x97), zxid(2, 0xc8),
    zxid(2, 300), zxid(2, 0x131),
    zxid(3, 0), zxid(3, 5),
    zxid(4, 0), zxid(4, 1), zxid(4, 0x100), zxid(4, 0x15d), zxid(4, 0x15e), zxid(4, 0x15f), zxid(4, 0x200),
    zxid(5, 0), zxid(5, 3),
]


@pytest.fixture(scope="module")
def probe_classes(java_available, tmp_path_factory) -> Path:
    if shutil.which("javac") is None:
        pytest.skip("javac is not installed")
    out = tmp_path_factory.mktemp("probe")
    subprocess.run(["javac", "-d", str(out), "-cp", f"{ZK_JAR}:{JUTE_JAR}", str(PROBE_SRC)], check=True,
                   capture_output=True, timeout=120)
    return out


@pytest.fixture(scope="module")
def history_dir(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("history")
    build_history(directory, HISTORY, snapshot_after=300)
    return directory


@pytest.fixture(scope="module")
def peer_socket():
    """A connected loopback socket: a LearnerHandler names itself after its peer."""
    server = socket.create_server(("127.0.0.1", 0))
    client = socket.create_connection(server.getsockname())
    accepted, _ = server.accept()
    yield accepted
    for s in (accepted, client, server):
        s.close()


class ProbeMaster:
    """The two things syncFollower asks of its LearnerMaster."""

    def __init__(self, db: ZKDatabase, lastProposed: int) -> None:
        self.db = db
        self.lastProposed = lastProposed
        self.forwardedFrom = None

    def getZKDatabase(self) -> ZKDatabase:
        return self.db

    def startForwarding(self, handler, lastSeenZxid: int) -> int:
        self.forwardedFrom = lastSeenZxid
        return self.lastProposed

    def getQuorumAuthServer(self):
        return None


def java_lines(probe_classes: Path, directory: Path, props: dict[str, str]) -> list[str]:
    cmd = ["java", *(f"-D{k}={v}" for k, v in props.items()), "-cp",
           f"{probe_classes}:{ZK_JAR}:{JUTE_JAR}:{SLF4J_NOP}", PROBE_CLASS, str(directory),
           format(LAST_PROPOSED, "x"), *(format(p, "x") for p in PEERS)]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=True)
    return result.stdout.splitlines()


def python_lines(directory: Path, props: dict[str, str], sock: socket.socket) -> list[str]:
    for k, v in props.items():
        system_properties.setProperty(k, v)
    try:
        db = ZKDatabase(FileTxnSnapLog(directory, directory))
        db.loadDataBase()
        lines = []
        for peer in PEERS:
            master = ProbeMaster(db, LAST_PROPOSED)
            handler = LearnerHandler(sock, None, master)
            needSnap = handler.syncFollower(peer, master)
            parts = [format(peer, "x"), "snap" if needSnap else "diff", f"fwd={format(master.forwardedFrom, 'x')}"]
            for p in handler.getQueuedPackets():
                if isinstance(p, MarkerQuorumPacket):
                    continue
                data = "-" if p.data is None else hashlib.sha1(p.data).hexdigest()
                parts.append(f"{Leader.getPacketType(p.type)}:{format(p.zxid, 'x')}:{data}")
            lines.append(" ".join(parts))
        db.close()
        return lines
    finally:
        for k in props:
            system_properties.clearProperty(k)


@pytest.mark.parametrize("props", [
    {},
    {"zookeeper.snapshotSizeFactor": "0"},
    {"zookeeper.snapshotSizeFactor": "-1"},
    {"zookeeper.snapshotSizeFactor": "0.01"},
    {"zookeeper.forceSnapshotSync": "true"},
], ids=["default-factor", "unlimited-txnlog", "txnlog-disabled", "tiny-factor", "forced-snap"])
def test_sync_decisions_and_packets_match_java(probe_classes, history_dir, peer_socket, props):
    expected = java_lines(probe_classes, history_dir, props)
    actual = python_lines(history_dir, props, peer_socket)
    assert len(expected) == len(PEERS)
    for want, got in zip(expected, actual):
        assert got == want


def test_history_exercises_every_sync_kind(probe_classes, history_dir, peer_socket):
    """The data set reaches each branch: plain DIFF, TRUNC, committed-log DIFF,
    txn-log DIFF, and SNAP (too old, too big, different epoch)."""
    lines = {line.split()[0]: line for line in python_lines(history_dir, {}, peer_socket)}
    kinds = {peer: (line.split()[1], line.split()[3].split(":")[0] if len(line.split()) > 3 else None)
             for peer, line in lines.items()}
    assert kinds[format(zxid(4, 0x15e), "x")] == ("diff", "DIFF")
    assert kinds[format(zxid(4, 0x15f), "x")] == ("diff", "TRUNC")
    assert kinds[format(zxid(4, 0x100), "x")] == ("diff", "DIFF")
    assert kinds[format(zxid(2, 0x32), "x")] == ("diff", "DIFF")
    assert kinds[format(zxid(1, 0x50), "x")] == ("snap", None)
    assert kinds["0"] == ("snap", None)
    # a txn-log DIFF carries every later proposal, each with its COMMIT
    line = lines[format(zxid(2, 0x32), "x")].split()
    proposals = [p for p in line[3:] if p.startswith("PROPOSAL:")]
    commits = [p for p in line[3:] if p.startswith("COMMIT:")]
    assert len(proposals) == len(commits) == (300 - 0x32) + 350
