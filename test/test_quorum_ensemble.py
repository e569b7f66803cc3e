"""Whole ensembles of this package's server (and mixed with Debian's Java 3.8)
on loopback: election, modes reported by ``srvr``, writes through any server
read from every server, observers, and re-election after kill -9 of the
leader, timed against a Java-only ensemble."""

from __future__ import annotations

import re
import time

import pytest
from kazoo.client import KazooClient
from kazoo.exceptions import KazooException
from kazoo.handlers.threading import KazooTimeoutError

from ensemble import Ensemble
from javaref import java_missing_reason, wait_for

java = pytest.mark.skipif(java_missing_reason() is not None, reason=str(java_missing_reason()))


class Client:
    """A kazoo session on one peer."""

    def __init__(self, peer) -> None:
        self.zk = KazooClient(hosts=peer.hosts, timeout=10, connection_retry={"max_tries": 3})
        self.zk.start(timeout=20)

    def __enter__(self) -> KazooClient:
        return self.zk

    def __exit__(self, *exc) -> None:
        self.zk.stop()
        self.zk.close()


def write_through_each_and_read_everywhere(ens: Ensemble, sids, prefix: str) -> None:
    for writer in sids:
        with Client(ens.peer(writer)) as zk:
            zk.create(f"{prefix}-{writer}", f"from {writer}".encode(), makepath=True)
    for reader in sids:
        with Client(ens.peer(reader)) as zk:
            zk.sync("/")
            for writer in sids:
                assert zk.get(f"{prefix}-{writer}")[0] == f"from {writer}".encode()


def srvr_zxid(peer) -> int:
    text = peer.four_letter_word("srvr")
    return int(re.search(r"^Zxid: (0x[0-9a-f]+)", text, re.M).group(1), 16)


@pytest.mark.parametrize("order", [[1, 2, 3], [3, 1, 2]])
def test_three_python_peers_elect_and_replicate(tmp_path, order):
    with Ensemble(tmp_path, ["py"] * 3) as ens:
        ens.start(order)
        modes = ens.wait_for_modes(timeout=60)
        assert sorted(modes.values()) == ["follower", "follower", "leader"]
        write_through_each_and_read_everywhere(ens, [1, 2, 3], "/three")
        leader = ens.leader()
        stat = leader.four_letter_word("stat")
        assert "Mode: leader" in stat
        for p in ens:
            assert p.log_text().count("LEADER ELECTION TOOK") >= 1


def test_five_python_peers_elect_and_replicate(tmp_path):
    with Ensemble(tmp_path, ["py"] * 5) as ens:
        ens.start([5, 1, 4, 2, 3])
        modes = ens.wait_for_modes(timeout=90)
        assert sorted(modes.values()) == ["follower"] * 4 + ["leader"]
        write_through_each_and_read_everywhere(ens, [1, 3, 5], "/five")


def test_observer_receives_data_and_does_not_vote(tmp_path):
    with Ensemble(tmp_path, ["py"] * 4, observers=(4,)) as ens:
        ens.start()
        modes = ens.wait_for_modes(timeout=60)
        assert modes[4] == "observer"
        assert sorted(modes[s] for s in (1, 2, 3)) == ["follower", "follower", "leader"]
        write_through_each_and_read_everywhere(ens, [1, 4], "/obs")
        with Client(ens.peer(4)) as zk:
            zk.create("/through-observer", b"o")
        leader = ens.leader([1, 2, 3])
        followers = [s for s in (1, 2, 3) if s != leader.sid]
        for s in followers:
            ens.peer(s).stop()
        wait_for(lambda: leader.mode() != "leader", timeout=30, what="the leader to lose its quorum")
        wait_for(lambda: ens.peer(4).mode() != "observer", timeout=30, what="the observer to lose its leader")
        assert leader.mode() is None and ens.peer(4).mode() is None


def test_kill_9_of_the_leader_under_writes_loses_no_acknowledged_write(tmp_path):
    with Ensemble(tmp_path, ["py"] * 3) as ens:
        ens.start()
        old = ens.leader()
        rest = [p for p in ens if p is not old]
        acked: list[str] = []
        zk = KazooClient(hosts=",".join(p.hosts for p in rest), timeout=10)
        zk.start(timeout=20)
        try:
            for i in range(20):
                acked.append(zk.create("/w-", str(i).encode(), sequence=True))
            old.kill9()
            deadline = time.monotonic() + 60
            while len(acked) < 40 and time.monotonic() < deadline:
                try:
                    acked.append(zk.create("/w-", b"after", sequence=True))
                except (KazooException, KazooTimeoutError):
                    time.sleep(0.05)
        finally:
            zk.stop()
            zk.close()
        modes = ens.wait_for_modes([p.sid for p in rest], timeout=60)
        assert sorted(modes.values()) == ["follower", "leader"]
        assert len(acked) == 40
        old.start()
        ens.wait_for_modes(timeout=60)
        for p in ens:
            with Client(p) as zk:
                zk.sync("/")
                children = {"/" + c for c in zk.get_children("/")}
                assert set(acked) <= children


# -- mixed with Java 3.8 -------------------------------------------------------------------------------

@java
def test_python_peer_leads_a_java_follower(tmp_path):
    with Ensemble(tmp_path, ["java", "py", "py"]) as ens:
        ens.start([2, 3])
        assert ens.wait_for_modes([2, 3], timeout=60) == {2: "follower", 3: "leader"}
        ens.start([1])
        assert ens.wait_for_modes(timeout=60) == {1: "follower", 2: "follower", 3: "leader"}
        write_through_each_and_read_everywhere(ens, [1, 2, 3], "/pyleads")
        assert "FOLLOWING - LEADER ELECTION TOOK" in ens.peer(1).log_text()


@java
def test_java_peer_leads_a_python_follower(tmp_path):
    with Ensemble(tmp_path, ["py", "java", "java"]) as ens:
        ens.start([2, 3])
        assert ens.wait_for_modes([2, 3], timeout=60) == {2: "follower", 3: "leader"}
        ens.start([1])
        assert ens.wait_for_modes(timeout=60) == {1: "follower", 2: "follower", 3: "leader"}
        write_through_each_and_read_everywhere(ens, [1, 2, 3], "/javaleads")
        assert re.search(r"FOLLOWING - LEADER ELECTION TOOK - \d+ MS", ens.peer(1).log_text())


@java
def test_all_start_together_mixed(tmp_path):
    """Two Python and one Java peer started at once agree on one leader."""
    with Ensemble(tmp_path, ["py", "java", "py"]) as ens:
        ens.start()
        modes = ens.wait_for_modes(timeout=90)
        assert sorted(modes.values()) == ["follower", "follower", "leader"]
        write_through_each_and_read_everywhere(ens, [1, 2, 3], "/together")


# -- election time after kill -9 of the leader --------------------------------------------------------

def time_to_new_leader(ens: Ensemble) -> tuple[float, int]:
    """Kill -9 the leader; return (ms until another peer serves as leader with a quorum, new leader sid)."""
    old = ens.leader(timeout=90)
    rest = [p.sid for p in ens if p is not old]
    with Client(ens.peer(rest[0])) as zk:
        zk.create("/before-kill", b"")
    start = time.monotonic()
    old.kill9()
    modes = ens.wait_for_modes(rest, timeout=60)
    ms = (time.monotonic() - start) * 1000.0
    return ms, next(s for s, m in modes.items() if m == "leader")


def election_took(text: str) -> list[int]:
    return [int(v) for v in re.findall(r"(?:LEADING|FOLLOWING) - LEADER ELECTION TOOK - (\d+) MS", text)]


@java
def test_reelection_time_python_and_java(tmp_path, record_property):
    """kill -9 of the leader of a 3-peer ensemble, Python-only then Java-only:
    both recover; the times are reported (and must stay within a few seconds)."""
    times = {}
    took = {}
    for kind in ("py", "java"):
        with Ensemble(tmp_path / kind, [kind] * 3) as ens:
            ens.start()
            ens.wait_for_modes(timeout=90)
            ms, new_leader = time_to_new_leader(ens)
            times[kind] = ms
            took[kind] = election_took(ens.peer(new_leader).log_text())[-1]
            with Client(ens.peer(new_leader)) as zk:
                assert zk.exists("/before-kill") is not None
    record_property("reelection_ms", {k: round(v) for k, v in times.items()})
    print(f"\nre-election to a serving leader after kill -9: python {times['py']:.0f} ms, java {times['java']:.0f} ms;"
          f" new leader's LEADER ELECTION TOOK: python {took['py']} ms, java {took['java']} ms")
    assert times["py"] < 10000 and times["java"] < 10000
