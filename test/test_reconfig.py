"""Dynamic reconfiguration end to end: kazoo's reconfig (as the super user)
against ensembles of this package's peers, of Debian's Java 3.8 peers, and
of both mixed.

One scenario (remove a follower, add it back, add an observer, turn a
participant into an observer, replace the membership wholesale, restart from
the rewritten files, refuse a reconfig while one is in flight, remove the
leader) runs on Python peers and on Java peers; after every step the
configuration files each peer wrote (``zoo.cfg``, ``zoo.cfg.dynamic.<version>``),
``/zookeeper/config`` and its stat as read through each peer, and each peer's
mode are recorded with ports, paths and versions named, and the two records
must be the same. Mixed ensembles check that a reconfig sent through one kind
is applied by the other (COMMITANDACTIVATE, INFORMANDACTIVATE, NEWLEADER) and
that both kinds rewrite their files alike; single peers check the refusals
(reconfig disabled, no rights, bad arguments, standalone).
"""

from __future__ import annotations

import base64
import hashlib
import re

import pytest
from kazoo.client import KazooClient
from kazoo.exceptions import ConnectionLoss, ReconfigInProcessError
from kazoo.retry import KazooRetry

from ensemble import Ensemble, Peer, free_ports
from javaref import four_letter_word, java_missing_reason, wait_for

java = pytest.mark.skipif(java_missing_reason() is not None, reason=str(java_missing_reason()))

SUPER_AUTH = ("digest", "super:test")
SUPER_DIGEST = "super:" + base64.b64encode(hashlib.sha1(b"super:test").digest()).decode()
RECONFIG_CFG = {"reconfigEnabled": "true", "DigestAuthenticationProvider.superDigest": SUPER_DIGEST}
CONFIG_NODE = "/zookeeper/config"


def version_of(config: bytes) -> int:
    """The ``version=`` line of a configuration text, as a number."""
    m = re.search(rb"^version=([0-9a-f]+)$", config, re.M)
    assert m, config
    return int(m.group(1), 16)


class Clients:
    """One kazoo session per peer (the super user), opened on first use."""

    def __init__(self, ens: Ensemble, auth=(SUPER_AUTH,)) -> None:
        self.ens = ens
        self.auth = list(auth)
        self.sessions: dict[int, KazooClient] = {}

    def on(self, sid: int) -> KazooClient:
        zk = self.sessions.get(sid)
        if zk is None:
            zk = KazooClient(hosts=self.ens.peer(sid).hosts, timeout=10, auth_data=self.auth,
                             connection_retry=KazooRetry(max_tries=-1, delay=0.05, max_delay=0.5),
                             command_retry=KazooRetry(max_tries=20, delay=0.05, max_delay=0.5))
            zk.start(timeout=30)
            self.sessions[sid] = zk
        return zk

    def config(self, sid: int) -> bytes:
        """``/zookeeper/config`` as peer ``sid`` has it once synced with its leader."""
        return self.config_and_stat(sid)[0]

    def config_and_stat(self, sid: int):
        zk = self.on(sid)
        zk.retry(zk.sync, CONFIG_NODE)
        return zk.retry(zk.get, CONFIG_NODE)

    def close(self) -> None:
        for zk in self.sessions.values():
            zk.stop()
            zk.close()
        self.sessions.clear()

    def __enter__(self) -> Clients:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class Normalizer:
    """Replaces the ensemble's ports and directory with names, so that two
    runs of one scenario on different ports compare equal."""

    def __init__(self, ens: Ensemble) -> None:
        self.ens = ens

    def __call__(self, text: str) -> str:
        names = {}
        for p in self.ens:
            names[str(p.quorum_port)] = f"<{p.sid}q>"
            names[str(p.election_port)] = f"<{p.sid}e>"
            names[str(p.client_port)] = f"<{p.sid}c>"
        text = text.replace(str(self.ens.root), "<root>")
        return re.sub(r"\b\d{4,5}\b", lambda m: names.get(m.group(0), m.group(0)), text)


def config_files_settled(peer: Peer, version: int) -> dict[str, str] | None:
    """The peer's configuration files once the dynamic file of ``version`` is
    written and the static file points at it (None before)."""
    files = peer.config_files()
    name = f"zoo.cfg.dynamic.{version:x}"
    if name not in files or "zoo.cfg.dynamic.next" in files:
        return None
    if f"dynamicConfigFile={peer.workdir / name}\n" not in files.get("zoo.cfg", ""):
        return None
    return files


def wait_settled(ens: Ensemble, clients: Clients, expected: bytes, sids, timeout: float = 30.0) -> None:
    """Every listed peer serves ``expected`` as /zookeeper/config and wrote its files."""
    version = version_of(expected)

    def settled() -> bool:
        for sid in sids:
            ens.peer(sid).check_alive()
            if clients.config(sid) != expected or config_files_settled(ens.peer(sid), version) is None:
                return False
        return True

    wait_for(settled, timeout=timeout, interval=0.1, what=f"config version {version:x} on peers {list(sids)}")


def stat_text(config: bytes, stat) -> str:
    """The stat of /zookeeper/config without its times, a zxid equal to the
    configuration's version named so."""
    version = version_of(config)

    def zxid(value: int) -> str:
        return "=version" if value == version else f"={value:x}"

    return (f"czxid{zxid(stat.czxid)} mzxid{zxid(stat.mzxid)} pzxid{zxid(stat.pzxid)} dataVersion={stat.version} "
            f"cversion={stat.cversion} aversion={stat.aversion} ephemeralOwner={stat.ephemeralOwner:x} "
            f"dataLength={stat.dataLength} numChildren={stat.numChildren}")


def snapshot(ens: Ensemble, clients: Clients, sids, step: str, returned: bytes | None) -> dict:
    """What a step left behind, with ports and paths named."""
    norm = Normalizer(ens)
    peers = {}
    for sid in sids:
        peer = ens.peer(sid)
        config, stat = clients.config_and_stat(sid)
        peers[sid] = {
            "mode": peer.mode(),
            "config": norm(config.decode()),
            "stat": stat_text(config, stat),
            "files": {name: norm(text) for name, text in peer.config_files().items()},
        }
    return {"step": step, "returned": None if returned is None else norm(returned.decode()), "peers": peers}


def watch_config(clients: Clients, sids) -> dict[int, list]:
    """A data watch on /zookeeper/config through each listed peer; the events
    each one receives."""
    events: dict[int, list] = {}
    for sid in sids:
        events[sid] = []
        clients.on(sid).get(CONFIG_NODE, watch=events[sid].append)
    return events


def assert_watches_fired(events: dict[int, list]) -> None:
    wait_for(lambda: all(events.values()), what="the config watch on every peer")
    for sid, fired in events.items():
        assert [(e.type, e.path) for e in fired] == [("CHANGED", CONFIG_NODE)], sid


def write_through_each_and_read_everywhere(clients: Clients, sids, tag: str) -> None:
    for writer in sids:
        clients.on(writer).create(f"/{tag}-{writer}", f"from {writer}".encode())
    for reader in sids:
        zk = clients.on(reader)
        zk.sync("/")
        for writer in sids:
            assert zk.get(f"/{tag}-{writer}")[0] == f"from {writer}".encode()


def mntr(peer: Peer) -> dict[str, str]:
    return dict(line.split("\t", 1) for line in peer.four_letter_word("mntr").splitlines() if "\t" in line)


def reconfig(clients: Clients, via: int, **kwargs) -> bytes:
    """Reconfigure through peer ``via``; the new configuration text."""
    kwargs = {"joining": None, "leaving": None, "new_members": None, **kwargs}
    before = version_of(clients.config(via))
    try:
        data, stat = clients.on(via).reconfig(**kwargs)
    except ConnectionLoss:
        # a peer whose role or leader the reconfig changes drops its clients
        # when the commit arrives, and the answer may go with them (as in Java)
        def committed():
            data = clients.config(via)
            return data if version_of(data) > before else None

        return wait_for(committed, timeout=30, what="the reconfig to commit")
    assert stat.mzxid == version_of(data), (data, stat)
    return data


# -- one ensemble, one kind ----------------------------------------------------------------------


def run_scenario(root, kind: str) -> list[dict]:
    """Three peers started from the split configuration (peer 2 leads); then
    remove a follower, add it back, add an observer, turn a participant into
    an observer, replace the membership wholesale, restart every peer from the
    files it wrote, refuse a reconfig while one is in flight, and remove the
    leader. Returns a snapshot per step."""
    record: list[dict] = []
    with Ensemble(root, [kind] * 3, extra_cfg=RECONFIG_CFG, dynamic_config=True) as ens, Clients(ens) as clients:
        ens.start([1, 2])
        assert ens.wait_for_modes() == {1: "follower", 2: "leader"}
        ens.start([3])
        assert ens.wait_for_modes() == {1: "follower", 2: "leader", 3: "follower"}
        first = clients.config(1)
        wait_settled(ens, clients, first, [1, 2, 3])
        record.append(snapshot(ens, clients, [1, 2, 3], "start", None))

        # remove follower 3: it stays up as a non-voting follower
        watches = watch_config(clients, [1, 2, 3])
        data = reconfig(clients, 1, leaving="3")
        assert b"server.3=" not in data
        wait_settled(ens, clients, data, [1, 2, 3])
        assert_watches_fired(watches)
        assert wait_for(lambda: mntr(ens.peer(2)).get("zk_synced_non_voting_followers") == "1",
                        what="peer 3 counted as non-voting follower")
        write_through_each_and_read_everywhere(clients, [1, 2, 3], "removed3")
        record.append(snapshot(ens, clients, [1, 2, 3], "remove follower 3", data))

        # add 3 back as a participant (incremental, through the leader)
        data = reconfig(clients, 2, joining=f"server.3={ens.peer(3).server_spec('participant')}")
        wait_settled(ens, clients, data, [1, 2, 3])
        assert wait_for(lambda: mntr(ens.peer(2)).get("zk_synced_non_voting_followers") == "0",
                        what="peer 3 voting again")
        write_through_each_and_read_everywhere(clients, [1, 2, 3], "added3")
        record.append(snapshot(ens, clients, [1, 2, 3], "add 3 back", data))

        # a joiner listed as an observer syncs as a non-voting follower, then becomes an observer
        joiner = ens.add_peer(kind, observer=True)
        joiner.start()
        wait_for(lambda: joiner.mode() == "follower", what="joiner 4 following")
        data = reconfig(clients, 3, joining=f"server.4={joiner.server_spec('observer')}")
        wait_settled(ens, clients, data, [1, 2, 3, 4])
        wait_for(lambda: ens.wait_for_modes()[4] == "observer", what="peer 4 observing")
        write_through_each_and_read_everywhere(clients, [1, 2, 3, 4], "observer4")
        record.append(snapshot(ens, clients, [1, 2, 3, 4], "add observer 4", data))

        # participant 3 becomes an observer
        watches = watch_config(clients, [1, 2, 3, 4])
        data = reconfig(clients, 4, joining=f"server.3={ens.peer(3).server_spec('observer')}")
        assert f"server.3={ens.peer(3).server_spec('observer')}".encode() in data
        wait_settled(ens, clients, data, [1, 2, 3, 4])
        assert_watches_fired(watches)
        wait_for(lambda: ens.wait_for_modes() == {1: "follower", 2: "leader", 3: "observer", 4: "observer"},
                 what="peer 3 observing")
        write_through_each_and_read_everywhere(clients, [1, 2, 3, 4], "observer3")
        record.append(snapshot(ens, clients, [1, 2, 3, 4], "participant 3 to observer", data))

        # restarted from its files, 3 observes again
        ens.peer(3).stop()
        ens.peer(3).start(keep_config=True)
        wait_for(lambda: ens.wait_for_modes()[3] == "observer", what="peer 3 observing after its restart")
        wait_settled(ens, clients, data, [1, 2, 3, 4])
        record.append(snapshot(ens, clients, [1, 2, 3, 4], "observer 3 restarted", None))

        # non-incremental: 1, 2 and 3 as participants; 4 drops out
        members = [f"server.{sid}={ens.peer(sid).server_spec('participant')}" for sid in (1, 2, 3)]
        data = reconfig(clients, 1, new_members=",".join(members))
        assert data.decode().splitlines()[:-1] == members
        wait_settled(ens, clients, data, [1, 2, 3, 4])
        wait_for(lambda: ens.wait_for_modes() == {1: "follower", 2: "leader", 3: "follower", 4: "follower"},
                 what="3 following, 4 a non-voting follower")
        write_through_each_and_read_everywhere(clients, [1, 2, 3, 4], "bulk")
        record.append(snapshot(ens, clients, [1, 2, 3, 4], "new members 1 2 3", data))
        last = data

        # restart from the files the peers wrote (4, absent from them, stays down)
        clients.close()
        joiner.stop()
        for sid in (1, 2, 3):
            ens.peer(sid).stop()
        ens.start([1, 2], keep_config=True)
        ens.wait_for_modes([1, 2])
        ens.start([3], keep_config=True)
        assert ens.wait_for_modes([1, 2, 3]) == {1: "follower", 2: "leader", 3: "follower"}
        wait_settled(ens, clients, last, [1, 2, 3])
        write_through_each_and_read_everywhere(clients, [1, 2, 3], "restarted")
        record.append(snapshot(ens, clients, [1, 2, 3], "restart", None))

        # while a reconfig waits for its acks (the followers are stopped) a
        # second one is refused; the first completes once they resume
        second = KazooClient(hosts=ens.peer(2).hosts, timeout=10, auth_data=[SUPER_AUTH])
        second.start(timeout=30)
        try:
            for sid in (1, 3):
                ens.peer(sid).sigstop()
            try:
                first = clients.on(2).reconfig_async(f"server.4={joiner.server_spec('observer')}", None, None, -1)
                wait_for(lambda: "zoo.cfg.dynamic.next" in ens.peer(2).config_files(), what="the proposal")
                refused = second.reconfig_async(None, "3", None, -1)
                # the refusal is an error txn, answered only once it commits
                wait_for(lambda: "KeeperErrorCode = ReconfigInProgress" in ens.peer(2).log_text(),
                         what="the second reconfig refused")
            finally:
                for sid in (1, 3):
                    ens.peer(sid).sigcont()
            data = first.get(timeout=30)[0]
            with pytest.raises(ReconfigInProcessError):
                refused.get(timeout=30)
        finally:
            second.stop()
            second.close()
        wait_settled(ens, clients, data, [1, 2, 3])
        write_through_each_and_read_everywhere(clients, [1, 2, 3], "in-progress")
        record.append(snapshot(ens, clients, [1, 2, 3], "reconfig in progress", data))

        # remove the leader: a voter of the new configuration takes over
        data = reconfig(clients, 2, leaving="2")
        wait_settled(ens, clients, data, [1, 2, 3])
        assert ens.wait_for_modes([1, 2, 3]) == {1: "leader", 2: "follower", 3: "follower"}
        write_through_each_and_read_everywhere(clients, [1, 2, 3], "leaderless")
        record.append(snapshot(ens, clients, [1, 2, 3], "remove the leader", data))
    return record


@pytest.fixture(scope="module")
def python_scenario(tmp_path_factory):
    return run_scenario(tmp_path_factory.mktemp("reconfig-py"), "py")


def test_python_ensemble_reconfigures(python_scenario):
    steps = {s["step"]: s for s in python_scenario}
    start = steps["start"]
    for sid, peer in start["peers"].items():
        files = peer["files"]
        assert sorted(files) == ["zoo.cfg", "zoo.cfg.dynamic", "zoo.cfg.dynamic.100000000"]
        assert files["zoo.cfg"].endswith(f"dynamicConfigFile=<root>/peer{sid}/zoo.cfg.dynamic.100000000\n")
        assert "server." not in files["zoo.cfg"] and "clientPort" not in files["zoo.cfg"]
        assert files["zoo.cfg.dynamic.100000000"] == "\n".join(
            f"server.{n}=127.0.0.1:<{n}q>:<{n}e>:participant;127.0.0.1:<{n}c>" for n in (1, 2, 3))
        assert peer["config"] == files["zoo.cfg.dynamic.100000000"] + "\nversion=100000000"
    for step in python_scenario[1:]:
        returned = step["returned"]
        for peer in step["peers"].values():
            if returned is not None:
                assert peer["config"] == returned
            version = version_of(peer["config"].encode())
            dynamic = peer["files"][f"zoo.cfg.dynamic.{version:x}"]
            assert dynamic + f"\nversion={version:x}" == peer["config"]
    removed = steps["remove follower 3"]
    assert "server.3" not in removed["returned"]
    assert removed["peers"][3]["mode"] == "follower"
    restart = steps["restart"]
    assert restart["peers"][1]["files"] == steps["new members 1 2 3"]["peers"][1]["files"]


def flatten(record: list[dict]) -> dict[tuple, str | None]:
    """``(step, what)`` -> value, so that a difference names its step, peer and file."""
    flat: dict[tuple, str | None] = {}
    for step in record:
        flat[(step["step"], "returned")] = step["returned"]
        for sid, peer in step["peers"].items():
            flat[(step["step"], sid, "mode")] = peer["mode"]
            flat[(step["step"], sid, "/zookeeper/config")] = peer["config"]
            flat[(step["step"], sid, "stat")] = peer["stat"]
            flat[(step["step"], sid, "file names")] = " ".join(peer["files"])
            for name, text in peer["files"].items():
                flat[(step["step"], sid, name)] = text
    return flat


VERSION = re.compile(r"(?<=version=)[0-9a-f]+|(?<=zoo\.cfg\.dynamic\.)[0-9a-f]+")


def symbolic_versions(flat: dict[tuple, str | None]) -> dict[tuple, str | None]:
    """Configuration versions named ``V0``, ``V1``... in numeric order: they are
    zxids, and a client that retries its connect can add a session txn."""
    texts = [text for text in flat.values() if text]
    texts += [part for key in flat for part in key if isinstance(part, str)]
    found = {m.group(0) for text in texts for m in VERSION.finditer(text)}
    names = {v: f"V{i}" for i, v in enumerate(sorted(found, key=lambda v: int(v, 16)))}

    def rename(text):
        return VERSION.sub(lambda m: names[m.group(0)], text) if isinstance(text, str) else text

    return {tuple(map(rename, key)): rename(text) for key, text in flat.items()}


@java
def test_java_ensemble_writes_the_same(tmp_path, python_scenario):
    java_scenario = run_scenario(tmp_path, "java")
    assert symbolic_versions(flatten(python_scenario)) == symbolic_versions(flatten(java_scenario))


# -- mixed ensembles -----------------------------------------------------------------------------


def own_names(peer: Peer, text: str) -> str:
    """A peer's normalized file with its own directory and client port named
    ``<self>``, so files of different peers compare."""
    return text.replace(f"<root>/peer{peer.sid}/", "<self>/").replace(f"<{peer.sid}c>", "<selfc>")


def assert_same_files_everywhere(ens: Ensemble, sids, version: int) -> dict[str, str]:
    """Every listed peer wrote the same dynamic file for ``version``; returns the
    normalized static files by sid."""
    norm = Normalizer(ens)
    dynamic = {sid: ens.peer(sid).config_files()[f"zoo.cfg.dynamic.{version:x}"] for sid in sids}
    assert len(set(dynamic.values())) == 1, dynamic
    return {sid: own_names(ens.peer(sid), norm(ens.peer(sid).config_files()["zoo.cfg"])) for sid in sids}


@java
def test_mixed_ensemble_reconfigures_across_kinds(tmp_path):
    """A Java leader applies a reconfig sent through a Python follower (its
    Python observer becomes a participant by INFORMANDACTIVATE); removing the
    Java leader hands leadership to a Python peer, which then applies reconfigs
    sent through the Java peer, by COMMITANDACTIVATE while it is a non-voting
    follower and by INFORMANDACTIVATE once it observes. Peers start from the
    static-file layout, which both kinds split alike."""
    with Ensemble(tmp_path, ["py", "java", "py"], observers=(3,), extra_cfg=RECONFIG_CFG) as ens, \
            Clients(ens) as clients:
        ens.start([1, 2])
        assert ens.wait_for_modes() == {1: "follower", 2: "leader"}
        ens.start([3])
        assert ens.wait_for_modes() == {1: "follower", 2: "leader", 3: "observer"}
        first = clients.config(1)
        assert version_of(first) == 0x100000000
        wait_settled(ens, clients, first, [1, 2, 3])
        norm = Normalizer(ens)
        for peer in ens:
            files = {name: own_names(peer, norm(text)) for name, text in peer.config_files().items()}
            assert sorted(files) == ["zoo.cfg", "zoo.cfg.bak", "zoo.cfg.dynamic.100000000"]
            assert "server." not in files["zoo.cfg"]
            assert "\nclientPort=<selfc>\n" in files["zoo.cfg"]
            assert files["zoo.cfg"].endswith("\ndynamicConfigFile=<self>/zoo.cfg.dynamic.100000000\n")
            assert "server.1=127.0.0.1:<1q>:<1e>\n" in files["zoo.cfg.bak"]
        static = assert_same_files_everywhere(ens, [1, 2, 3], 0x100000000)
        assert static[1] == static[2] == static[3].replace("peerType=observer\n", "")
        assert ens.peer(1).config_files()["zoo.cfg.dynamic.100000000"] == (
            "\n".join(f"server.{sid}=127.0.0.1:{ens.peer(sid).quorum_port}:{ens.peer(sid).election_port}:{role}"
                      for sid, role in ((1, "participant"), (2, "participant"), (3, "observer"))))

        # through the Python follower, the Java leader turns the Python observer into a participant
        data = reconfig(clients, 1, joining=f"server.3={ens.peer(3).server_spec('participant')}")
        wait_settled(ens, clients, data, [1, 2, 3])
        assert ens.wait_for_modes() == {1: "follower", 2: "leader", 3: "follower"}
        assert_same_files_everywhere(ens, [1, 2, 3], version_of(data))
        write_through_each_and_read_everywhere(clients, [1, 2, 3], "java-led")

        # the Java leader leaves: Python peer 1 is designated
        data = reconfig(clients, 3, leaving="2")
        wait_settled(ens, clients, data, [1, 2, 3])
        assert ens.wait_for_modes() == {1: "leader", 2: "follower", 3: "follower"}
        assert_same_files_everywhere(ens, [1, 2, 3], version_of(data))
        write_through_each_and_read_everywhere(clients, [1, 2, 3], "python-led")

        # through the Java non-voting follower: it comes back as an observer
        data = reconfig(clients, 2, joining=f"server.2={ens.peer(2).server_spec('observer')}")
        wait_settled(ens, clients, data, [1, 2, 3])
        wait_for(lambda: ens.wait_for_modes() == {1: "leader", 2: "observer", 3: "follower"},
                 what="Java peer 2 observing")
        assert_same_files_everywhere(ens, [1, 2, 3], version_of(data))

        # through the Java observer: it becomes a participant again
        data = reconfig(clients, 2, joining=f"server.2={ens.peer(2).server_spec('participant')}")
        wait_settled(ens, clients, data, [1, 2, 3])
        wait_for(lambda: ens.wait_for_modes() == {1: "leader", 2: "follower", 3: "follower"},
                 what="Java peer 2 following")
        static = assert_same_files_everywhere(ens, [1, 2, 3], version_of(data))
        write_through_each_and_read_everywhere(clients, [1, 2, 3], "rejoined")
        # the peers whose client address moved to the dynamic file dropped it from zoo.cfg
        assert static[2] == static[3]
        assert "clientPort" not in static[2]
        assert "\nclientPort=<selfc>\n" in static[1]
        assert static[1].endswith(f"\ndynamicConfigFile=<self>/zoo.cfg.dynamic.{version_of(data):x}\n")
        kept = set(static[1].splitlines()) - {"clientPortAddress=127.0.0.1", "clientPort=<selfc>"}
        assert kept == set(static[2].splitlines())

        # one reconfig moves the client ports of the Java and of a Python peer: both
        # listen on the new port only, and keep the sessions they had
        moved = {2: free_ports(1)[0], 3: free_ports(1)[0]}
        joining = ",".join(f"server.{sid}=127.0.0.1:{ens.peer(sid).quorum_port}:{ens.peer(sid).election_port}"
                           f":participant;127.0.0.1:{port}" for sid, port in moved.items())
        data = reconfig(clients, 1, joining=joining)
        for sid, port in moved.items():
            old_port, ens.peer(sid).client_port = ens.peer(sid).client_port, port
            assert f"server.{sid}={ens.peer(sid).server_spec('participant')}".encode() in data
            assert wait_for(lambda: ens.peer(sid).mode() == "follower", what=f"peer {sid} on its new port")
            with pytest.raises(ConnectionRefusedError):
                four_letter_word(old_port, "srvr")
            assert clients.on(sid).get("/rejoined-1")[0] == b"from 1"
        wait_settled(ens, clients, data, [1, 2, 3])
        assert_same_files_everywhere(ens, [1, 2, 3], version_of(data))


@java
@pytest.mark.parametrize("kinds", [["java", "py", "java"], ["py", "java", "py"]], ids=["python-leader", "java-leader"])
def test_uncommitted_reconfig_completes_after_restart(tmp_path, kinds):
    """The leader (peer 2) proposes a reconfig that neither follower sees (both
    stopped) and every peer is killed: the proposal survives in the leader's
    log and its ``zoo.cfg.dynamic.next``. Restarted (2 first: its zxid is the
    highest, it leads again), the leader completes the reconfig through
    NEWLEADER, and the followers of the other kind install it."""
    with Ensemble(tmp_path, kinds, extra_cfg=RECONFIG_CFG, dynamic_config=True) as ens, Clients(ens) as clients:
        leader = ens.peer(2)
        ens.start([1, 2])
        assert ens.wait_for_modes() == {1: "follower", 2: "leader"}
        ens.start([3])
        assert ens.wait_for_modes() == {1: "follower", 2: "leader", 3: "follower"}
        wait_settled(ens, clients, clients.config(2), [1, 2, 3])

        for sid in (1, 3):
            ens.peer(sid).sigstop()
        clients.on(2).reconfig_async(None, "3", None, -1)
        proposed = wait_for(lambda: leader.config_files().get("zoo.cfg.dynamic.next"), what="the proposal on disk")
        for peer in ens:
            peer.kill9()
        clients.close()
        version = version_of(proposed.encode())
        assert proposed == "\n".join([f"server.{sid}={ens.peer(sid).server_spec()}" for sid in (1, 2)]
                                     + [f"version={version:x}"])

        ens.start([2, 1], keep_config=True)
        assert ens.wait_for_modes() == {1: "follower", 2: "leader"}
        ens.start([3], keep_config=True)
        assert ens.wait_for_modes() == {1: "follower", 2: "leader", 3: "follower"}
        wait_settled(ens, clients, proposed.encode(), [1, 2, 3])
        assert wait_for(lambda: mntr(leader).get("zk_synced_non_voting_followers") == "1",
                        what="peer 3 a non-voting follower")
        assert_same_files_everywhere(ens, [1, 2, 3], version)
        write_through_each_and_read_everywhere(clients, [1, 2, 3], "completed")


@java
def test_ensemble_grows_from_one_peer_and_hands_over(tmp_path):
    """With standaloneEnabled=false one Python peer leads alone; a Java and a
    Python joiner, started from a configuration that lists all three, learn the
    leader's configuration during the election, adopt it (rewriting their
    files alike) and follow without a vote until a reconfig adds them; removing
    the first peer then hands leadership to one of them."""
    cfg = dict(RECONFIG_CFG, standaloneEnabled="false")
    with Ensemble(tmp_path, ["py"], extra_cfg=cfg, dynamic_config=True) as ens, Clients(ens) as clients:
        ens.start()
        assert ens.wait_for_modes() == {1: "leader"}
        alone = clients.config(1)
        assert alone == f"server.1={ens.peer(1).server_spec()}\nversion=100000000".encode()
        joiners = [ens.add_peer("java"), ens.add_peer("py")]
        # one at a time: two joiners listed as participants could elect each other
        for joiner in joiners:
            joiner.start()
            wait_for(lambda: joiner.check_alive() or joiner.mode() == "follower", what=f"joiner {joiner.sid}")
        assert ens.wait_for_modes() == {1: "leader", 2: "follower", 3: "follower"}
        wait_settled(ens, clients, alone, [1, 2, 3])
        norm = Normalizer(ens)
        files = {j.sid: {name: own_names(j, norm(text)) for name, text in j.config_files().items()} for j in joiners}
        assert sorted(files[2]) == sorted(files[3]) == ["zoo.cfg", "zoo.cfg.dynamic", "zoo.cfg.dynamic.100000000"]
        for name in ("zoo.cfg", "zoo.cfg.dynamic.100000000"):
            assert files[2][name] == files[3][name]
        assert files[2]["zoo.cfg.dynamic.100000000"] == "server.1=127.0.0.1:<1q>:<1e>:participant;127.0.0.1:<1c>"
        assert mntr(ens.peer(1))["zk_synced_non_voting_followers"] == "2"

        data = reconfig(clients, 1, joining=",".join(f"server.{j.sid}={j.server_spec()}" for j in joiners))
        wait_settled(ens, clients, data, [1, 2, 3])
        write_through_each_and_read_everywhere(clients, [1, 2, 3], "grown")

        data = reconfig(clients, 2, leaving="1")
        wait_settled(ens, clients, data, [1, 2, 3])
        modes = ens.wait_for_modes()
        assert modes[1] == "follower" and sorted([modes[2], modes[3]]) == ["follower", "leader"]
        write_through_each_and_read_everywhere(clients, [1, 2, 3], "handed-over")


# -- refusals --------------------------------------------------------------------------------------


OUTCOME_CASES = ("disabled", "enabled", "skipACL", "standalone")


def malformed_requests(peer: Peer, observer: str) -> dict[str, dict]:
    """Reconfig requests a leader must refuse or take as they are (Java answers
    an unparsable number with MarshallingError, a bad server with BadArguments)."""
    me = f"server.1={peer.server_spec()}"
    return {
        "only observers": {"new_members": observer},
        "port not a number": {"new_members": me + ",server.2=127.0.0.1:x:y:observer;1"},
        "sid not a number": {"joining": "server.abc=127.0.0.1:1:2:observer;3"},
        "leaving not a number": {"leaving": "abc"},
        "unknown role": {"joining": observer.replace(":observer;", ":boss;")},
        "leaving an unknown sid": {"leaving": "9"},
        "joining and leaving": {"joining": observer, "leaving": "2"},
        "hierarchical": {"new_members": me + ",group.1=1,weight.1=1"},
        "then incremental": {"joining": observer},
    }


def outcome(zk: KazooClient, **kwargs) -> str:
    kwargs = {"joining": None, "leaving": None, "new_members": None, **kwargs}
    try:
        data, stat = zk.reconfig(**kwargs)
    except Exception as e:  # the exception class is the answer
        return type(e).__name__
    return "ok" if version_of(data) == stat.mzxid else f"version {version_of(data):x} is not mzxid {stat.mzxid:x}"


def run_outcomes(root, kind: str) -> dict[str, list[str]]:
    """Answers of one peer (quorum mode with standaloneEnabled=false, or
    standalone) to reconfig requests from users with and without rights."""
    results: dict[str, list[str]] = {}
    for case in OUTCOME_CASES:
        cfg = dict(RECONFIG_CFG, standaloneEnabled="false")
        if case == "disabled":
            cfg["reconfigEnabled"] = "false"
        elif case == "skipACL":
            cfg["skipACL"] = "yes"
        elif case == "standalone":
            cfg["standaloneEnabled"] = "true"
        with Ensemble(root / case, [kind], extra_cfg=cfg) as ens:
            ens.start()
            peer = ens.peer(1)
            wait_for(lambda: peer.check_alive() or peer.mode() == ("standalone" if case == "standalone" else "leader"),
                     what=f"{case} peer serving")
            # server 2 never runs: adding it as a participant leaves the new configuration without a quorum
            quorum_port, election_port, client_port = free_ports(3)
            joiner = f"server.2=127.0.0.1:{quorum_port}:{election_port}:participant;127.0.0.1:{client_port}"
            answers = []
            for auth in ([], [("digest", "user:pw")], [SUPER_AUTH]):
                zk = KazooClient(hosts=peer.hosts, timeout=10, auth_data=auth)
                zk.start(timeout=20)
                try:
                    if auth == [SUPER_AUTH] or case == "skipACL":
                        answers.append(outcome(zk, joining="server.2=127.0.0.1:1"))
                        answers.append(outcome(zk, leaving="1"))
                        answers.append(outcome(zk, joining=joiner, from_config=0x12345))
                        answers.append(outcome(zk, new_members=joiner))
                    answers.append(outcome(zk, joining=joiner.replace("participant", "observer")))
                    if auth == [SUPER_AUTH] and case == "enabled":
                        observer = joiner.replace("participant", "observer")
                        answers += [f"{name}: {outcome(zk, **request)}"
                                    for name, request in malformed_requests(peer, observer).items()]
                finally:
                    zk.stop()
                    zk.close()
            results[case] = answers
    return results


@pytest.fixture(scope="module")
def python_outcomes(tmp_path_factory):
    return run_outcomes(tmp_path_factory.mktemp("outcomes-py"), "py")


def test_reconfig_refusals(python_outcomes):
    bad = ["BadArgumentsError", "BadArgumentsError", "BadVersionError", "NewConfigNoQuorumError"]
    assert python_outcomes == {
        "disabled": ["ReconfigDisabledError"] * 7,
        "enabled": ["NoAuthError", "NoAuthError", *bad, "ok",
                    "only observers: MarshallingError", "port not a number: BadArgumentsError",
                    "sid not a number: MarshallingError", "leaving not a number: MarshallingError",
                    "unknown role: BadArgumentsError", "leaving an unknown sid: ok", "joining and leaving: ok",
                    "hierarchical: ok", "then incremental: BadArgumentsError"],
        "skipACL": [*bad, "ok"] * 3,
        "standalone": ["UnimplementedError"] * 7,
    }


@java
def test_java_refuses_alike(tmp_path, python_outcomes):
    assert run_outcomes(tmp_path, "java") == python_outcomes
