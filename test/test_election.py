"""Leader election among real processes on loopback: this package's election
layer alone ("pyelect" peers: QuorumCnxManager + FastLeaderElection + the
QuorumPeer state loop, no Zab), and mixed with Debian's Java 3.8 peers.

Also compares the election log lines of a Python and a Java peer in the same
scenario, and measures re-election after kill -9 of the leader."""

from __future__ import annotations

import re
import time

import pytest

from ensemble import Ensemble
from javaref import java_missing_reason, wait_for


def wait_connected(ens: Ensemble, sids, count: int = 1) -> None:
    """Wait until each listed "pyelect" learner has connected to its leader ``count`` times."""
    wait_for(lambda: all(ens.peer(s).log_text().count("\nROLE-CONNECTED ") >= count for s in sids),
             timeout=30, what=f"learners {list(sids)} to connect to the leader")


def run_text(peer) -> str:
    """The log of the peer's latest run."""
    return peer.log_text().rsplit("==== start ", 1)[-1]


def leader_of(results: dict[int, dict[str, str]]) -> int:
    """The one sid that reports LEADING, after checking every peer names it."""
    leaders = [sid for sid, r in results.items() if r["state"] == "LEADING"]
    assert len(leaders) == 1, results
    assert all(r["leader"] == str(leaders[0]) for r in results.values()), results
    assert all(r["state"] in ("LEADING", "FOLLOWING", "OBSERVING") for r in results.values())
    return leaders[0]


@pytest.mark.parametrize("order", [[1, 2, 3], [3, 2, 1], [2, 3, 1]])
def test_three_peers_in_any_start_order_agree_on_one_leader(tmp_path, order):
    """With equal zxids the highest id of the first quorum wins; a peer that
    starts later follows the elected leader."""
    with Ensemble(tmp_path, ["pyelect"] * 3) as ens:
        for sid in order:
            ens.peer(sid).start()
        results = ens.wait_for_election(timeout=30)
        leader = leader_of(results)
        assert leader in (2, 3)
        if leader == 2:
            assert int(results[3]["round"], 16) <= int(results[2]["round"], 16)


def test_five_peers_elect_one_leader(tmp_path):
    with Ensemble(tmp_path, ["pyelect"] * 5) as ens:
        ens.start([5, 4, 3, 2, 1])
        assert leader_of(ens.wait_for_election(timeout=30)) >= 3


def test_quorum_of_five_elects_without_the_others(tmp_path):
    """Three of five peers suffice; the two started later join the elected leader."""
    with Ensemble(tmp_path, ["pyelect"] * 5) as ens:
        ens.start([1, 2, 3])
        leader = leader_of(ens.wait_for_election([1, 2, 3], timeout=30))
        ens.start([4, 5])
        late = ens.wait_for_election([4, 5], timeout=30)
        assert {sid: (r["state"], r["leader"]) for sid, r in late.items()} == \
            {4: ("FOLLOWING", str(leader)), 5: ("FOLLOWING", str(leader))}
        assert len(ens.peer(leader).election_results()) == 1


def test_kill_9_of_the_leader_reelects(tmp_path):
    with Ensemble(tmp_path, ["pyelect"] * 3) as ens:
        ens.start()
        old = leader_of(ens.wait_for_election(timeout=30))
        rest = [s for s in (1, 2, 3) if s != old]
        wait_connected(ens, rest)
        ens.peer(old).kill9()
        results = ens.wait_for_election(rest, timeout=30, after=1)
        assert leader_of(results) == max(rest)
        assert all(int(r["round"], 16) >= 2 for r in results.values())
        ens.peer(old).start()
        rejoined = ens.wait_for_election([old], timeout=30, after=1)
        assert (rejoined[old]["state"], rejoined[old]["leader"]) == ("FOLLOWING", str(max(rest)))


def test_observer_follows_and_does_not_vote(tmp_path):
    """An observer with the highest id never leads, and does not make a quorum."""
    with Ensemble(tmp_path, ["pyelect"] * 4, observers=(4,)) as ens:
        ens.start([1, 4])
        wait_for(lambda: ens.peer(1).log_text().count("Notification time out") >= 3, timeout=30,
                 what="peer 1 to time out waiting for votes")
        assert ens.peer(1).election_results() == []
        assert ens.peer(4).election_results() == []
        ens.start([3])
        results = ens.wait_for_election([1, 3, 4], timeout=30)
        assert leader_of(results) == 3
        assert results[4]["state"] == "OBSERVING"


# -- mixed with Java 3.8 -------------------------------------------------------------------------------

java = pytest.mark.skipif(java_missing_reason() is not None, reason=str(java_missing_reason()))


@java
def test_java_peers_lead_and_the_python_peer_follows(tmp_path):
    """Two Java peers elect Java peer 3; the Python peer started with them or
    after them reports FOLLOWING peer 3, from Java's notifications."""
    with Ensemble(tmp_path, ["pyelect", "java", "java"]) as ens:
        ens.start([2, 3])
        assert ens.wait_for_modes([2, 3], timeout=60) == {2: "follower", 3: "leader"}
        ens.start([1])
        result = ens.wait_for_election([1], timeout=30)[1]
        assert (result["state"], result["leader"]) == ("FOLLOWING", "3")
        text = run_text(ens.peer(1))
        assert re.search(r"n\.sid:3, n\.state:LEADING, n\.leader:3, .*message format version:0x2", text)


@java
def test_python_peer_leads_and_the_java_peer_follows_its_vote(tmp_path):
    with Ensemble(tmp_path, ["java", "pyelect", "pyelect"]) as ens:
        ens.start([2, 3])
        ens.wait_for_election([2, 3], timeout=30)
        ens.start([1])
        results = ens.wait_for_election([2, 3], timeout=60)
        assert leader_of(results) == 3
        java_log = ens.peer(1)
        wait_for(lambda: "Peer state changed: following" in java_log.log_text(), timeout=60,
                 what="the Java peer to follow")
        text = java_log.log_text()
        python_votes = re.findall(r"Notification: my state:LOOKING; n\.sid:([23]), n\.state:(\w+), n\.leader:(\d+), "
                                  r".*message format version:0x2, n\.config version:0x0", text)
        assert ("2", "FOLLOWING", "3") in python_votes or ("3", "LEADING", "3") in python_votes


# -- log lines of the same scenario -------------------------------------------------------------------

PY_LINE = re.compile(r"^\S+ \S+ \[myid:\d*\] - (\w+)\s+\[.*?\] - (.*)$")
JAVA_LINE = re.compile(r"^\S+ \S+ \[.*\] (INFO|WARN|ERROR|DEBUG|TRACE) (\S+) - (.*)$")

KEY_EVENTS = [
    ("LOOKING", re.compile(r"^LOOKING$")),
    ("new-election", re.compile(r"^New election\. My id = \d+, proposed zxid=0x[0-9a-f]+$")),
    ("notification", re.compile(r"^Notification: my state:LOOKING; n\.sid:\d+, n\.state:\w+, n\.leader:\d+, "
                                r"n\.round:0x[0-9a-f]+, n\.peerEpoch:0x[0-9a-f]+, n\.zxid:0x[0-9a-f]+, "
                                r"message format version:0x2, n\.config version:0x[0-9a-f]+$")),
    ("state-following", re.compile(r"^Peer state changed: following$")),
    ("FOLLOWING", re.compile(r"^FOLLOWING$")),
    ("election-took", re.compile(r"^FOLLOWING - LEADER ELECTION TOOK - \d+ MS$")),
]


def key_events(text: str, pattern: re.Pattern, level_group: int, msg_group: int,
               last: str = "FOLLOWING") -> list[tuple[str, str]]:
    """The (event, level) sequence of the election lines from the first LOOKING up
    to ``last``, repeated notifications counted once.

    Lines before LOOKING are left out: the WorkerReceiver thread logs a
    notification from a peer that is already looking as soon as it arrives,
    which can be before the QuorumPeer thread logs LOOKING (Java's peers too)."""
    events: list[tuple[str, str]] = []
    for line in text.splitlines():
        m = pattern.match(line)
        if not m:
            continue
        message = m.group(msg_group)
        for name, regex in KEY_EVENTS:
            if regex.match(message):
                if not events and name != "LOOKING":
                    break
                if not events or events[-1][0] != name:
                    events.append((name, m.group(level_group)))
                break
        if events and events[-1][0] == last:
            break
    return events


@java
def test_election_log_lines_read_like_javas(tmp_path):
    """Peer 1 (Python) and peer 2 (Java) each join the ensemble led by Java peer 3:
    their election lines say the same things, at the same levels, in the same order."""
    with Ensemble(tmp_path, ["pyelect", "java", "java"]) as ens:
        ens.start([2, 3])
        assert ens.wait_for_modes([2, 3], timeout=60) == {2: "follower", 3: "leader"}
        ens.start([1])
        ens.wait_for_election([1], timeout=30)
        ens.peer(2).stop()
        ens.start([2])
        assert ens.wait_for_modes([2, 3], timeout=60) == {2: "follower", 3: "leader"}
        py_events = key_events(run_text(ens.peer(1)), PY_LINE, 1, 2)
        java_events = key_events(run_text(ens.peer(2)), JAVA_LINE, 1, 3)
    expected = [("LOOKING", "INFO"), ("new-election", "INFO"), ("notification", "INFO"),
                ("state-following", "INFO"), ("FOLLOWING", "INFO")]
    assert java_events == expected
    assert py_events == expected


@java
def test_full_peer_election_log_lines_read_like_javas(tmp_path):
    """The same with a complete Python server as peer 1: its lines up to the
    follower's "LEADER ELECTION TOOK" match the Java follower's."""
    with Ensemble(tmp_path, ["py", "java", "java"]) as ens:
        ens.start([2, 3])
        assert ens.wait_for_modes([2, 3], timeout=60) == {2: "follower", 3: "leader"}
        ens.start([1])
        assert ens.wait_for_modes(timeout=60) == {1: "follower", 2: "follower", 3: "leader"}
        ens.peer(2).stop()
        ens.start([2])
        assert ens.wait_for_modes(timeout=60) == {1: "follower", 2: "follower", 3: "leader"}
        py_events = key_events(run_text(ens.peer(1)), PY_LINE, 1, 2, last="election-took")
        java_events = key_events(run_text(ens.peer(2)), JAVA_LINE, 1, 3, last="election-took")
    expected = [("LOOKING", "INFO"), ("new-election", "INFO"), ("notification", "INFO"),
                ("state-following", "INFO"), ("FOLLOWING", "INFO"), ("election-took", "INFO")]
    assert java_events == expected
    assert py_events == expected


# -- election time after the leader dies -----------------------------------------------------------------

def reelection_ms(ens: Ensemble, leader: int, done) -> float:
    start = time.monotonic()
    ens.peer(leader).kill9()
    wait_for(done, timeout=60, interval=0.01, what="a new leader")
    return (time.monotonic() - start) * 1000.0


def test_reelection_time_python_election_layer(tmp_path, record_property):
    with Ensemble(tmp_path, ["pyelect"] * 3) as ens:
        ens.start()
        old = leader_of(ens.wait_for_election(timeout=30))
        rest = [s for s in (1, 2, 3) if s != old]
        wait_connected(ens, rest)
        ms = reelection_ms(ens, old, lambda: all(len(ens.peer(s).election_results()) >= 2 for s in rest))
        took = [int(ens.peer(s).election_results()[-1]["took_ms"]) for s in rest]
    record_property("reelection_ms", round(ms))
    print(f"pyelect re-election after kill -9 of the leader: {ms:.0f} ms (lookForLeader {took} ms)")
    assert ms < 10000


# -- listener and back-off settings -------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["pyelect", pytest.param("java", marks=java)])
def test_taken_election_port_ends_the_peer_with_exit_code_14(tmp_path, kind):
    """zookeeper.electionPortBindRetry=1: one failed bind of the election port and the
    peer exits with UNABLE_TO_BIND_QUORUM_PORT, as Java does."""
    import socket

    with Ensemble(tmp_path, [kind, "pyelect", "pyelect"], jvm_flags=["-Dzookeeper.electionPortBindRetry=1"]) as ens:
        peer = ens.peer(1)
        with socket.socket() as squatter:
            squatter.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            squatter.bind(("127.0.0.1", peer.election_port))
            squatter.listen(1)
            peer.start()
            code = wait_for(lambda: peer.proc.poll(), timeout=60, what="the peer to exit")
        assert code == 14
        text = peer.log_text()
        assert "Exception while listening to address" in text
        assert "Leaving listener thread for address" in text
        assert "Use zookeeper.electionPortBindRetry property to increase retry count." in text


def test_notification_interval_backs_off_to_the_maximum(tmp_path):
    """A lone peer doubles its wait from minNotificationInterval up to maxNotificationInterval."""
    with Ensemble(tmp_path, ["pyelect"] * 3, jvm_flags=["-Dzookeeper.fastleader.minNotificationInterval=50",
                                                       "-Dzookeeper.fastleader.maxNotificationInterval=400"]) as ens:
        ens.start([1])
        wait_for(lambda: ens.peer(1).log_text().count("Notification time out: 400 ms") >= 3, timeout=30,
                 what="the back-off to reach 400 ms")
        waits = [int(v) for v in re.findall(r"Notification time out: (\d+) ms", ens.peer(1).log_text())]
    assert waits[:4] == [100, 200, 400, 400]
    assert max(waits) == 400
    assert "zookeeper.fastleader.minNotificationInterval = 50 ms" in ens.peer(1).log_text()
