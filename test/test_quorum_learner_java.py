"""Python followers and observers in ensembles led by Debian's Java 3.8.

Java peers get the highest server ids, so (all logs being equal) one of them
wins the first election and the Python peers learn from it: replication,
re-sync by DIFF, SNAP and TRUNC, a follower dropped for missing syncLimit,
read-only mode, and no acknowledged write lost when the leader is killed.
The last test starts with a Python leader whose uncommitted proposal is
truncated once it follows the Java peers.
"""

from __future__ import annotations

import contextlib
import re
import threading
import time

import pytest

from ensemble import Ensemble
from javaref import wait_for

kazoo_client = pytest.importorskip("kazoo.client")
kazoo_exceptions = pytest.importorskip("kazoo.exceptions")

pytestmark = pytest.mark.usefixtures("java_available")


@contextlib.contextmanager
def client(peer, read_only: bool = False, timeout: float = 10.0):
    c = kazoo_client.KazooClient(hosts=peer.hosts, timeout=timeout, read_only=read_only)
    c.start(timeout=20)
    try:
        yield c
    finally:
        c.stop()
        c.close()


def children_everywhere(ens: Ensemble, path: str = "/") -> dict[int, set[str]]:
    result = {}
    for peer in ens.running():
        with client(peer) as c:
            c.sync(path)
            result[peer.sid] = set(c.get_children(path))
    return result


def srvr_zxid(peer) -> int:
    return int(re.search(r"^Zxid: (0x[0-9a-f]+)", peer.four_letter_word("srvr"), re.M).group(1), 16)


def java_leader(ens: Ensemble):
    """The leader once every running peer serves; one of the Java peers, which have the highest ids."""
    leader = ens.leader()
    assert leader.kind == "java"
    return leader


def log_count(peer, text: str) -> int:
    return peer.log_text().count(text)


def test_python_follower_and_observer_replicate_under_a_java_leader(tmp_path):
    with Ensemble(tmp_path, ["py", "java", "java", "py"], observers=(4,)) as ens:
        ens.start()
        leader = java_leader(ens)
        modes = ens.wait_for_modes()
        assert (modes[1], modes[4]) == ("follower", "observer")
        assert sorted(modes[sid] for sid in (2, 3)) == ["follower", "leader"]
        for peer in (leader, ens.peer(1), ens.peer(4)):
            with client(peer) as c:
                c.create(f"/via{peer.sid}", f"data{peer.sid}".encode())
        everywhere = children_everywhere(ens)
        for sid, kids in everywhere.items():
            assert {"via1", f"via{leader.sid}", "via4"} <= kids, sid
        for sid in (1, 2, 3, 4):
            with client(ens.peer(sid)) as c:
                c.sync("/")
                assert c.get("/via4")[0] == b"data4"
                assert c.get("/via1")[0] == b"data1"
        assert "Mode: observer" in ens.peer(4).four_letter_word("srvr")
        # a session made on the leader moves to the Python follower (REVALIDATE through the leader)
        with client(leader) as c:
            sessionId, passwd = c.client_id
            c.create("/owned", b"", ephemeral=True)
            moved = kazoo_client.KazooClient(hosts=ens.peer(1).hosts, timeout=10, client_id=(sessionId, passwd))
            moved.start(timeout=20)
            try:
                assert moved.client_id[0] == sessionId
                assert moved.get("/owned")[1].ephemeralOwner == sessionId
            finally:
                moved.stop()
                moved.close()
        assert "Revalidating client: 0x%x" % sessionId in ens.peer(1).log_text()
        for sid in (1, 4):
            assert "Exception when following" not in ens.peer(sid).log_text()


def test_python_follower_restarted_resyncs_by_diff_then_by_snap(tmp_path):
    # without on-disk sync the leader can only DIFF from its 500 committed proposals
    with Ensemble(tmp_path, ["py", "java", "java"], jvm_flags=["-Dzookeeper.snapshotSizeFactor=-1"]) as ens:
        # this follower sends through its LearnerSender thread
        ens.peer(1).jvm_flags.append("-Dzookeeper.learner.asyncSending=true")
        ens.start()
        leader = java_leader(ens)
        py = ens.peer(1)
        with client(leader) as c:
            c.create("/d", b"")
            for i in range(5):
                c.create(f"/d/before{i}", b"x")
        py.stop()
        with client(leader) as c:
            for i in range(20):
                c.create(f"/d/diff{i}", b"y")
        diffs = log_count(py, "Getting a diff from the leader")
        py.start()
        ens.wait_for_modes()
        assert log_count(py, "Getting a diff from the leader") == diffs + 1
        assert "zookeeper.learner.asyncSending = true" in py.log_text()
        with client(py) as c:
            c.sync("/d")
            assert len(c.get_children("/d")) == 25

        py.stop()
        with client(leader) as c:
            results = [c.create_async(f"/d/snap{i}", b"z") for i in range(600)]
            for r in results:
                r.get(timeout=30)
        snaps = log_count(py, "Getting a snapshot from leader")
        py.start()
        ens.wait_for_modes()
        assert log_count(py, "Getting a snapshot from leader") == snaps + 1
        with client(py) as c:
            c.sync("/d")
            assert len(c.get_children("/d")) == 625
            assert c.get("/d/snap599")[0] == b"z"
        # the snapshot of the SNAP sync is on disk
        snapshots = list((py.data_dir / "version-2").glob("snapshot.*"))
        assert any(int(s.name.split(".")[1], 16) >= srvr_zxid(leader) - 5 for s in snapshots)


def test_python_follower_with_txns_never_committed_is_truncated(tmp_path):
    from pyzookeeper.data.ACL import ACL
    from pyzookeeper.data.Id import Id
    from pyzookeeper.server.Request import Request
    from pyzookeeper.server.persistence.FileTxnLog import FileTxnLog
    from pyzookeeper.server.persistence.FileTxnSnapLog import FileTxnSnapLog
    from pyzookeeper.txn.CreateTxn import CreateTxn
    from pyzookeeper.txn.TxnHeader import TxnHeader
    from pyzookeeper.ZooDefs import OpCode

    with Ensemble(tmp_path, ["py", "java", "java"]) as ens:
        ens.start()
        leader = java_leader(ens)
        py = ens.peer(1)
        with client(leader) as c:
            c.create("/kept", b"k")
        wait_for(lambda: srvr_zxid(py) == srvr_zxid(leader), 30, what="follower caught up")
        py.stop()
        # a proposal this follower logged and the ensemble never committed
        snapLog = FileTxnSnapLog(py.data_dir, py.data_dir)
        ghostZxid = snapLog.getLastLoggedZxid() + 1
        assert ghostZxid == srvr_zxid(leader) + 1
        hdr = TxnHeader(0, 0, ghostZxid, int(time.time() * 1000), OpCode.create)
        txn = CreateTxn("/ghost", b"g", [ACL(31, Id("world", "anyone"))], False, 1)
        assert snapLog.append(Request.fromTxn(0, 0, OpCode.create, hdr, txn, ghostZxid))
        snapLog.commit()
        snapLog.close()

        py.start()
        ens.wait_for_modes()
        assert "Truncating log to get in sync with the leader" in py.log_text()
        with client(py) as c:
            c.sync("/")
            assert c.exists("/ghost") is None
            assert c.get("/kept")[0] == b"k"
            c.create("/after-trunc", b"a")
        py.stop()
        zxids = []
        itr = FileTxnLog(py.data_dir / "version-2").read(0)
        while itr.getHeader() is not None:
            zxids.append((itr.getHeader().zxid, itr.getTxn()))
            if not itr.next():
                break
        itr.close()
        assert not any(getattr(t, "path", None) == "/ghost" for _, t in zxids)
        assert any(getattr(t, "path", None) == "/after-trunc" for _, t in zxids)


def test_sigstopped_python_follower_is_dropped_and_catches_up(tmp_path):
    with Ensemble(tmp_path, ["py", "java", "java"], tick_time=500, sync_limit=2) as ens:
        ens.start()
        leader = java_leader(ens)
        py = ens.peer(1)
        py.sigstop()
        try:
            with client(leader) as c:
                for i in range(10):
                    c.create(f"/while-stopped{i}", b"s")
            # the leader drops a follower silent for more than syncLimit ticks
            wait_for(lambda: "zk_synced_followers\t1" in leader.four_letter_word("mntr"), 20,
                     what="leader dropped the stopped follower")
        finally:
            py.sigcont()
        wait_for(lambda: py.mode() == "follower" and srvr_zxid(py) == srvr_zxid(leader), 30,
                 what="follower back and caught up")
        assert "Exception when following the leader" in py.log_text()
        with client(py) as c:
            c.sync("/")
            assert {f"while-stopped{i}" for i in range(10)} <= set(c.get_children("/"))


def test_python_peer_without_quorum_serves_reads_in_read_only_mode(tmp_path):
    # since ZOOKEEPER-3864 a read-only server takes only local sessions (as Java 3.8 does)
    localSessions = {"localSessionsEnabled": "true", "localSessionsUpgradingEnabled": "true"}
    with Ensemble(tmp_path, ["py", "java", "java"], extra_cfg=localSessions) as ens:
        ens.peer(1).jvm_flags.append("-Dreadonlymode.enabled=true")
        ens.start()
        leader = java_leader(ens)
        py = ens.peer(1)
        with client(leader) as c:
            c.create("/ro-data", b"visible")
        # a local session on the follower is upgraded to a global one for an ephemeral node
        with client(py) as c:
            c.create("/local-eph", b"", ephemeral=True)
            owner = c.client_id[0]
            with client(leader) as other:
                other.sync("/")
                assert other.get("/local-eph")[1].ephemeralOwner == owner
        assert "Upgrading session 0x%x" % owner in py.log_text()
        wait_for(lambda: srvr_zxid(py) == srvr_zxid(leader), 30, what="follower caught up")
        assert py.four_letter_word("isro") == "rw"
        ens.peer(2).kill9()
        ens.peer(3).kill9()
        wait_for(lambda: py.four_letter_word("isro") == "ro", 30, what="read-only mode")
        assert py.mode() == "read-only"
        with client(py, read_only=True) as c:
            assert c.client_state == "CONNECTED_RO"
            assert c.get("/ro-data")[0] == b"visible"
            with pytest.raises(kazoo_exceptions.NotReadOnlyCallError):
                c.create("/refused", b"")
            assert c.exists("/refused") is None
        # the quorum comes back: the peer follows again and serves writes
        ens.peer(2).start()
        ens.peer(3).start()
        ens.wait_for_modes()
        assert py.four_letter_word("isro") == "rw"
        with client(py) as c:
            c.create("/after-ro", b"w")
            assert c.get("/ro-data")[0] == b"visible"


def test_no_write_acknowledged_by_a_python_follower_is_lost_when_the_leader_is_killed(tmp_path):
    with Ensemble(tmp_path, ["py", "java", "java"]) as ens:
        ens.start()
        leader = java_leader(ens)
        acknowledged: list[str] = []
        stop = threading.Event()
        failures: list[BaseException] = []

        def writer() -> None:
            c = kazoo_client.KazooClient(hosts=ens.peer(1).hosts, timeout=10,
                                         connection_retry={"max_tries": -1, "delay": 0.05, "max_delay": 0.2})
            c.start(timeout=20)
            i = 0
            try:
                while not stop.is_set():
                    path = f"/ack{i:06d}"
                    try:
                        c.create(path, b"v")
                    except kazoo_exceptions.NodeExistsError:
                        acknowledged.append(path)
                    except (kazoo_exceptions.ConnectionLoss, kazoo_exceptions.SessionExpiredError,
                            kazoo_exceptions.OperationTimeoutError):
                        time.sleep(0.05)
                        continue
                    else:
                        acknowledged.append(path)
                    i += 1
            except BaseException as e:
                failures.append(e)
            finally:
                c.stop()
                c.close()

        t = threading.Thread(target=writer, daemon=True)
        t.start()
        try:
            wait_for(lambda: len(acknowledged) >= 50, 30, what="writes before the kill")
            leader.kill9()
            before = len(acknowledged)
            wait_for(lambda: len(acknowledged) >= before + 50, 60, what="writes after the new leader")
        finally:
            stop.set()
            t.join(30)
        assert not failures
        survivors = [p.sid for p in ens if p is not leader]
        modes = ens.wait_for_modes(sids=survivors)
        assert sorted(modes.values()) == ["follower", "leader"]
        for sid in survivors:
            with client(ens.peer(sid)) as c:
                c.sync("/")
                present = set(c.get_children("/"))
            lost = [p for p in acknowledged if p[1:] not in present]
            assert not lost, (sid, lost[:10])


def test_python_leader_proposal_that_reached_no_quorum_is_truncated_under_a_java_leader(tmp_path):
    from pyzookeeper.server.persistence.FileTxnLog import FileTxnLog

    def logged_paths(peer) -> list[str | None]:
        paths = []
        itr = FileTxnLog(peer.data_dir / "version-2").read(0)
        try:
            while itr.getHeader() is not None:
                paths.append(getattr(itr.getTxn(), "path", None))
                if not itr.next():
                    break
        finally:
            itr.close()
        return paths

    with Ensemble(tmp_path, ["java", "java", "py"]) as ens:
        # 3 and 1 first: the Python peer, with the higher id, leads
        ens.start([3, 1])
        assert ens.wait_for_modes([3, 1])[3] == "leader"
        ens.start([2])
        ens.wait_for_modes()
        py = ens.peer(3)
        c = kazoo_client.KazooClient(hosts=py.hosts, timeout=10)
        c.start(timeout=20)
        try:
            c.create("/kept", b"k")
            c.sync("/")
            # with both followers gone the leader logs a proposal that can never be committed
            ens.peer(1).kill9()
            ens.peer(2).kill9()
            c.create_async("/ghost", b"g")
            wait_for(lambda: "/ghost" in logged_paths(py), 30, what="the uncommitted proposal logged")
            py.kill9()
        finally:
            c.stop()
            c.close()
        ens.start([1, 2])
        ens.wait_for_modes([1, 2])
        py.start()
        ens.wait_for_modes()
        assert "Truncating log to get in sync with the leader" in py.log_text()
        for sid in (1, 2, 3):
            with client(ens.peer(sid)) as c:
                c.sync("/")
                children = set(c.get_children("/"))
                assert "kept" in children and "ghost" not in children, sid
        py.stop()
        assert "/ghost" not in logged_paths(py)
