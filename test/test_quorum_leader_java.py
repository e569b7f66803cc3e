"""A Python leader with Debian's Java 3.8 followers and observer, end to end:
replication through every peer, the quorum gauges, re-syncs of a restarted
Java follower by DIFF and by SNAP, TRUNC of a Java peer's txns that never
reached a quorum, stepping down when a majority stops, and no acknowledged
write lost when the Python leader is killed under load."""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path

import pytest
from kazoo.client import KazooClient
from kazoo.exceptions import KazooException
from kazoo.handlers.threading import KazooTimeoutError

from ensemble import Ensemble
from javaref import wait_for

from pyzookeeper.server.persistence.FileTxnSnapLog import FileTxnSnapLog

pytestmark = pytest.mark.usefixtures("java_available")


class Client:
    """A kazoo session on some peers."""

    def __init__(self, *peers, timeout: float = 10) -> None:
        self.zk = KazooClient(hosts=",".join(p.hosts for p in peers), timeout=timeout,
                              connection_retry={"max_tries": 5})
        self.zk.start(timeout=30)

    def __enter__(self) -> KazooClient:
        return self.zk

    def __exit__(self, *exc) -> None:
        self.zk.stop()
        self.zk.close()


def start_with_leader(ens: Ensemble, leader_sid: int, first_follower: int) -> None:
    """Start ``leader_sid`` (the highest voting sid) with one other voter, so
    the two elect it, then the rest; wait until every peer serves."""
    ens.start([leader_sid, first_follower])
    assert ens.wait_for_modes([leader_sid, first_follower], timeout=90)[leader_sid] == "leader"
    ens.start([p.sid for p in ens if p.sid not in (leader_sid, first_follower)])
    modes = ens.wait_for_modes(timeout=90)
    assert modes[leader_sid] == "leader"


def start_with_python_leader(ens: Ensemble, leader_sid: int) -> None:
    start_with_leader(ens, leader_sid, 2)


def mntr(peer) -> dict[str, str]:
    text = peer.four_letter_word("mntr")
    return dict(line.split("\t", 1) for line in text.splitlines() if "\t" in line)


def last_logged_zxid(peer) -> int:
    return FileTxnSnapLog(peer.data_dir, peer.data_dir).getLastLoggedZxid()


def all_threads_stopped(peer) -> bool:
    """Whether every thread of the peer's process has stopped (SIGSTOP takes effect
    asynchronously)."""
    tasks = Path(f"/proc/{peer.proc.pid}/task")
    for task in tasks.iterdir():
        stat = (task / "stat").read_text()
        if stat[stat.rindex(")") + 2] not in "tT":
            return False
    return True


def test_python_leader_serves_java_followers_and_observer(tmp_path):
    with Ensemble(tmp_path, ["java", "java", "py", "java"], observers=(4,)) as ens:
        start_with_python_leader(ens, 3)
        assert ens.modes() == {1: "follower", 2: "follower", 3: "leader", 4: "observer"}
        for writer in ens:
            with Client(writer) as zk:
                zk.create(f"/from-{writer.sid}", f"{writer.kind} {writer.sid}".encode())
        for reader in ens:
            with Client(reader) as zk:
                zk.sync("/")
                for writer in ens:
                    assert zk.get(f"/from-{writer.sid}")[0] == f"{writer.kind} {writer.sid}".encode()
        gauges = mntr(ens.peer(3))
        assert gauges["zk_server_state"] == "leader"
        assert (gauges["zk_learners"], gauges["zk_synced_followers"], gauges["zk_synced_observers"],
                gauges["zk_synced_non_voting_followers"], gauges["zk_pending_syncs"]) == ("3", "2", "1", "0", "0")
        assert int(gauges["zk_last_proposal_size"]) > 0
        assert gauges["zk_quorum_size"] == "3"
        assert "LEADING - LEADER ELECTION TOOK" in ens.peer(3).log_text()


def test_restarted_java_follower_resyncs_by_diff_then_by_snap(tmp_path):
    with Ensemble(tmp_path, ["java", "java", "py"]) as ens:
        # the leader rolls its txn log every 50 to 100 txns
        ens.peer(3).extra_cfg["snapCount"] = "100"
        start_with_python_leader(ens, 3)
        follower = ens.peer(1)
        with Client(ens.peer(3)) as zk:
            zk.create("/before", b"")
            # the follower has logged it (else it rejoins at <epoch, 0>, which
            # no log holds, and gets a snapshot)
            before = zk.exists("/before").czxid
            wait_for(lambda: last_logged_zxid(follower) >= before, timeout=30)
            follower.kill9()
            for i in range(20):
                zk.create(f"/diff-{i}", str(i).encode())
            logged = len(follower.log_text())
            follower.start()
            ens.wait_for_modes(timeout=60)
            resync = follower.log_text()[logged:]
            assert re.search(r"Getting a diff from the leader 0x[0-9a-f]+", resync)
            assert "Getting a snapshot from leader" not in resync
            with Client(follower) as fzk:
                fzk.sync("/")
                assert fzk.get("/diff-19")[0] == b"19"
            # more than the committed log holds, in txn log files preallocated
            # far beyond the snapshot size limit: a snapshot it is
            follower.kill9()
            ops = [zk.create_async(f"/snap-{i}", str(i).encode()) for i in range(600)]
            for op in ops:
                op.get(timeout=60)
            logged = len(follower.log_text())
            follower.start()
            ens.wait_for_modes(timeout=60)
        resync = follower.log_text()[logged:]
        assert re.search(r"Getting a snapshot from leader 0x[0-9a-f]+", resync)
        assert "Getting a diff from the leader" not in resync
        with Client(follower) as fzk:
            fzk.sync("/")
            assert fzk.get("/snap-599")[0] == b"599"
            assert fzk.exists("/before") is not None
            assert len(fzk.get_children("/")) == 1 + 20 + 600 + 1


def test_java_peer_with_txns_never_committed_is_truncated_by_a_python_leader(tmp_path):
    """A Java leader logs a write its stopped followers never read, and every
    peer is killed; the Python peers come back and elect a Python leader,
    which truncates the Java peer's extra txn when it rejoins."""
    with Ensemble(tmp_path, ["py", "py", "java"]) as ens:
        start_with_leader(ens, 3, 2)
        assert ens.modes() == {1: "follower", 2: "follower", 3: "leader"}
        java_leader = ens.peer(3)
        with Client(java_leader) as zk:
            zk.create("/committed", b"")
            committed = last_logged_zxid(java_leader)
            for sid in (1, 2):
                ens.peer(sid).sigstop()
                wait_for(lambda sid=sid: all_threads_stopped(ens.peer(sid)), timeout=30)
            # logged by the leader; the proposal waits unread in the stopped
            # followers' sockets and dies with them
            zk.create_async("/never-committed", b"")
            wait_for(lambda: last_logged_zxid(java_leader) > committed, timeout=30)
            for p in ens:
                p.kill9()
        uncommitted = last_logged_zxid(java_leader)
        ens.start([1, 2])
        # the Python peer that logged /committed leads (either may have)
        new_leader = ens.leader([1, 2], timeout=60)
        java_leader.start()
        assert ens.wait_for_modes(timeout=60)[3] == "follower"
        match = re.search(r"Truncating log to get in sync with the leader 0x([0-9a-f]+)", java_leader.log_text())
        assert match and int(match.group(1), 16) == committed < uncommitted
        assert (f"Synchronizing with Learner sid: 3 maxCommittedLog=0x{committed:x} minCommittedLog=0x"
                in new_leader.log_text())
        assert f"peerLastZxid=0x{uncommitted:x}" in new_leader.log_text()
        for p in ens:
            with Client(p) as zk:
                zk.sync("/")
                assert zk.exists("/committed") is not None
                assert zk.exists("/never-committed") is None


def test_python_leader_steps_down_without_a_quorum_and_a_new_one_forms(tmp_path):
    with Ensemble(tmp_path, ["java", "java", "py"]) as ens:
        start_with_python_leader(ens, 3)
        leader = ens.peer(3)
        with Client(leader) as zk:
            zk.create("/before-stop", b"")
        ens.peer(1).sigstop()
        ens.peer(2).sigstop()
        try:
            wait_for(lambda: leader.mode() != "leader", timeout=30)
            assert "Not sufficient followers synced, only synced with sids: [ [3] ]" in leader.log_text()
        finally:
            ens.peer(1).sigcont()
            ens.peer(2).sigcont()
        modes = ens.wait_for_modes(timeout=60)
        assert sorted(modes.values()) == ["follower", "follower", "leader"]
        with Client(leader) as zk:
            zk.create("/after-resume", b"")
            assert zk.exists("/before-stop") is not None


def test_kill_9_of_a_python_leader_under_writes_loses_no_acknowledged_write(tmp_path, record_property):
    with Ensemble(tmp_path, ["java", "java", "py"]) as ens:
        start_with_python_leader(ens, 3)
        leader = ens.peer(3)
        acked: list[str] = []
        failures: list[float] = []
        stop = threading.Event()
        zk = KazooClient(hosts=f"{ens.peer(1).hosts},{ens.peer(2).hosts}", timeout=10)
        zk.start(timeout=30)

        def writer() -> None:
            while not stop.is_set():
                try:
                    acked.append(zk.create("/w-", b"x", sequence=True))
                except (KazooException, KazooTimeoutError):
                    failures.append(time.monotonic())
                    time.sleep(0.02)

        thread = threading.Thread(target=writer, daemon=True)
        thread.start()
        try:
            wait_for(lambda: len(acked) >= 50, timeout=30)
            killed_at = time.monotonic()
            before = len(acked)
            leader.kill9()
            wait_for(lambda: len(acked) >= before + 50, timeout=60)
            recovered = time.monotonic() - killed_at
        finally:
            stop.set()
            thread.join(30)
            zk.stop()
            zk.close()
        record_property("write_outage_after_python_leader_kill_ms", round(recovered * 1000))
        modes = ens.wait_for_modes([1, 2], timeout=60)
        assert sorted(modes.values()) == ["follower", "leader"]
        leader.start()
        ens.wait_for_modes(timeout=60)
        for p in ens:
            with Client(p) as pzk:
                pzk.sync("/")
                children = {"/" + c for c in pzk.get_children("/")}
                assert set(acked) <= children


def mntr_keys(peer) -> list[str]:
    return [line.split("\t", 1)[0] for line in peer.four_letter_word("mntr").splitlines()]


def test_mntr_lines_come_in_javas_order_for_leader_and_follower(tmp_path):
    """A Python follower beside a Java follower, and a Python leader in place of a
    Java leader, list the same mntr lines in the same order (the metrics maps
    iterate as Java's ConcurrentHashMaps, gauges registered and removed by role)."""
    with Ensemble(tmp_path / "java-leads", ["py", "java", "java"]) as ens:
        start_with_leader(ens, 3, 2)
        with Client(ens.peer(1)) as zk:
            zk.create("/written", b"x")
        python_follower, java_follower = mntr_keys(ens.peer(1)), mntr_keys(ens.peer(2))
        java_leader = mntr_keys(ens.peer(3))
    with Ensemble(tmp_path / "python-leads", ["java", "java", "py"]) as ens:
        start_with_python_leader(ens, 3)
        with Client(ens.peer(1)) as zk:
            zk.create("/written", b"x")
        python_leader = mntr_keys(ens.peer(3))
    assert python_follower[:3] == ["zk_version", "zk_server_state", "zk_peer_state"]
    assert python_follower == java_follower
    assert "zk_learners" in python_leader
    assert python_leader == java_leader
