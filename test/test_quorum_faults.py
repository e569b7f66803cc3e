"""Fault runs on ensembles of this package's peers, alone and mixed with Java
3.8 peers (marked ``soak``; ``make soak``).

Writers keep creating and updating znodes through every peer while, round
after round, a peer (the leader in most rounds, a follower or the observer in
the others) is killed with SIGKILL and started again, or frozen with SIGSTOP
until the others serve without it and then let go on. Ensembles of three
participants (Python only and mixed with Java) and of four mixed participants
and an observer (Python or Java) are run. At the end every peer must hold the
same tree, every write acknowledged to a client must be in it, and every
acknowledged update's version must be in place (a later one may have followed
it).

``ZK_FAULT_ROUNDS`` sets the number of fault rounds per ensemble (default 6),
``ZK_FAULT_SEED`` the choice of victims.
"""

from __future__ import annotations

import os
import random
import threading

import pytest
from kazoo.client import KazooClient
from kazoo.exceptions import KazooException
from kazoo.handlers.threading import KazooTimeoutError

from ensemble import Ensemble
from javaref import java_missing_reason, wait_for

pytestmark = pytest.mark.soak

ROUNDS = int(os.environ.get("ZK_FAULT_ROUNDS", "6"))
SEED = int(os.environ.get("ZK_FAULT_SEED", "1"))
KEYS = 20


class Writer(threading.Thread):
    """Creates sequential znodes and sets the data of a few shared ones through
    one peer, retrying through the others when it goes; records what was
    acknowledged."""

    def __init__(self, ens: Ensemble, index: int) -> None:
        super().__init__(name=f"writer-{index}", daemon=True)
        peers = list(ens)
        first = peers[index % len(peers)]
        hosts = ",".join(p.hosts for p in [first] + [p for p in peers if p is not first])
        self.zk = KazooClient(hosts=hosts, timeout=6, randomize_hosts=False)
        self.index = index
        self.created: list[str] = []
        self.versions: dict[str, int] = {}
        self.acked = 0
        self.errors = 0
        self.done = threading.Event()

    def run(self) -> None:
        self.zk.start(timeout=30)
        i = 0
        while not self.done.is_set():
            i += 1
            try:
                if i % 2:
                    self.created.append(self.zk.create(f"/faults/w{self.index}-", str(i).encode(), sequence=True))
                else:
                    key = f"/faults/k{i % KEYS}"
                    stat = self.zk.set(key, f"{self.index}:{i}".encode())
                    self.versions[key] = max(self.versions.get(key, -1), stat.version)
                self.acked += 1
            except (KazooException, KazooTimeoutError):
                self.errors += 1
                self.done.wait(0.05)

    def stop(self) -> None:
        self.done.set()
        self.join(60)
        self.zk.stop()
        self.zk.close()


def tree(peer) -> dict[str, tuple[bytes, int, int, int]]:
    """Path -> (data, czxid, mzxid, version) of everything under /faults, read
    through ``peer`` after a sync."""
    zk = KazooClient(hosts=peer.hosts, timeout=10)
    zk.start(timeout=30)
    try:
        zk.sync("/faults")
        out = {}
        for child in zk.get_children("/faults"):
            data, stat = zk.get(f"/faults/{child}")
            out[f"/faults/{child}"] = (data, stat.czxid, stat.mzxid, stat.version)
        return out
    finally:
        zk.stop()
        zk.close()


def fault_rounds(ens: Ensemble, rnd: random.Random, rounds: int, acked) -> list[str]:
    """``rounds`` times, once the writers have had a few more writes
    acknowledged (``acked()`` counts them): kill a peer with SIGKILL and start
    it again, or freeze it with SIGSTOP until the others serve writes without
    it (a frozen follower dropped by the leader, a frozen leader replaced)
    and then let it go on (SIGCONT). The victim is the leader two times in
    three. Returns what was done, for the report."""
    done = []
    followers = sum(1 for p in ens if not p.observer) - 1
    observers = sum(1 for p in ens if p.observer)
    for _ in range(rounds):
        modes = ens.wait_for_modes(timeout=90)
        leader = next(sid for sid, m in modes.items() if m == "leader")
        victim = leader if rnd.random() < 2 / 3 else rnd.choice([s for s in modes if s != leader])
        rest = [s for s in modes if s != victim]
        peer = ens.peer(victim)
        fault = rnd.choice(["kill", "freeze"])
        done.append(f"{fault} {victim}:{peer.kind}:{modes[victim]}")
        target = acked() + rnd.randint(20, 200)
        wait_for(lambda: acked() >= target, timeout=90, what="writes before the fault")
        if fault == "kill":
            peer.kill9()
            ens.wait_for_modes(rest, timeout=90)
            peer.start()
        else:
            peer.sigstop()
            ens.wait_for_modes(rest, timeout=90)
            if victim != leader:
                # the leader drops the frozen learner once syncLimit passes without a word from it
                synced = (f"zk_synced_observers\t{observers - 1}\n" if peer.observer
                          else f"zk_synced_followers\t{followers - 1}\n")
                wait_for(lambda: synced in ens.peer(leader).four_letter_word("mntr"),
                         timeout=90, what="the leader to drop the frozen learner")
            target = acked() + 20
            wait_for(lambda: acked() >= target, timeout=90, what="writes while a peer is frozen")
            peer.sigcont()
    ens.wait_for_modes(timeout=90)
    return done


@pytest.mark.parametrize("kinds, observers", [
    (["py", "py", "py"], ()),
    (["py", "py", "java"], ()),
    (["java", "java", "py"], ()),
    (["py", "java", "py", "java", "py"], (5,)),
    (["py", "java", "py", "java", "java"], (5,)),
], ids=["python", "two-python-one-java", "one-python-two-java", "four-mixed-and-a-python-observer",
        "four-mixed-and-a-java-observer"])
def test_acknowledged_writes_survive_repeated_faults(tmp_path, kinds, observers):
    if "java" in kinds and java_missing_reason() is not None:
        pytest.skip(java_missing_reason())
    rnd = random.Random(SEED)
    with Ensemble(tmp_path, kinds, observers=observers, tick_time=500, extra_cfg={"snapCount": "400"}) as ens:
        ens.start()
        ens.wait_for_modes(timeout=90)
        setup = KazooClient(hosts=ens.connect_string, timeout=10)
        setup.start(timeout=30)
        setup.create("/faults")
        for k in range(KEYS):
            setup.create(f"/faults/k{k}", b"")
        setup.stop()
        setup.close()

        writers = [Writer(ens, i) for i in range(len(kinds))]
        for w in writers:
            w.start()
        try:
            def acked() -> int:
                return sum(w.acked for w in writers)
            faults = fault_rounds(ens, rnd, ROUNDS, acked)
            # the writers write through the settled ensemble before they stop
            target = acked() + 20
            wait_for(lambda: acked() >= target, timeout=60, what="writes after the last restart")
        finally:
            for w in writers:
                w.stop()

        print(f"faults {faults}: {sum(w.acked for w in writers)} writes acknowledged, "
              f"{sum(w.errors for w in writers)} failed and retried")
        trees = {p.sid: tree(p) for p in ens}
        first = trees[1]
        for sid, t in trees.items():
            assert t == first, f"peer {sid} differs from peer 1 after faults {faults}"
        for w in writers:
            missing = [path for path in w.created if path not in first]
            assert not missing, f"acknowledged creates lost after faults {faults}: {missing[:5]}"
            for key, version in w.versions.items():
                assert first[key][3] >= version, f"{key} lost acknowledged version {version} after faults {faults}"
        assert sum(len(w.created) for w in writers) >= 10 * ROUNDS, "the writers hardly wrote"
