"""A quorum peer that runs leader election only (QuorumCnxManager +
FastLeaderElection), for testing the election layer without Zab.

    python test/election_peer.py zoo.cfg

It is QuorumPeerMain's quorum path with a QuorumPeer whose state loop, after
each election, prints one line

    ELECTION-RESULT sid=1 state=FOLLOWING leader=3 zxid=0x0 peerEpoch=0x0 round=0x1 took_ms=412

and then stands in for the role: a leader accepts connections on its quorum
port and holds them; a follower or observer connects to the leader's quorum
port and goes back to LOOKING when that connection breaks (or cannot be made
within initLimit ticks). No Zab packet is exchanged.
"""

from __future__ import annotations

import socket
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from pyzookeeper import logconfig, system_properties  # noqa: E402
from pyzookeeper.common import Time  # noqa: E402
from pyzookeeper.server.quorum.QuorumPeer import QuorumPeer, ServerState  # noqa: E402
from pyzookeeper.server.quorum.QuorumPeerConfig import QuorumPeerConfig  # noqa: E402
from pyzookeeper.server.quorum.QuorumPeerMain import QuorumPeerMain  # noqa: E402


def _hex(v: int) -> str:
    return format(v & 0xFFFFFFFFFFFFFFFF, "x")


class ElectionOnlyPeer(QuorumPeer):

    def __init__(self) -> None:
        super().__init__()
        self._roleSockets: list[socket.socket] = []

    def run(self) -> None:
        self._updateThreadName()
        while self.running:
            state = self.getPeerState()
            if state == ServerState.LOOKING:
                self._lookForLeader()
                vote = self.getCurrentVote()
                if vote is None or self.getPeerState() == ServerState.LOOKING:
                    continue
                took = Time.currentElapsedTime() - self.start_fle
                print(f"ELECTION-RESULT sid={self.getMyId()} state={self.getPeerState().name} leader={vote.getId()} "
                      f"zxid=0x{_hex(vote.getZxid())} peerEpoch=0x{_hex(vote.getPeerEpoch())} "
                      f"round=0x{_hex(vote.getElectionEpoch())} took_ms={took}", flush=True)
            elif state == ServerState.LEADING:
                self._holdLeadership()
            else:
                self._followLeader()
                if self.running:
                    self.setPeerState(ServerState.LOOKING)

    def _holdLeadership(self) -> None:
        addr = self.getQuorumAddress().getOne()
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind((addr[0], addr.getPort()))
        server.listen(16)
        server.settimeout(0.2)
        try:
            while self.running and self.getPeerState() == ServerState.LEADING:
                try:
                    client, _ = server.accept()
                except TimeoutError:
                    continue
                self._roleSockets.append(client)
                threading.Thread(target=self._drain, args=(client,), daemon=True).start()
        finally:
            server.close()

    @staticmethod
    def _drain(sock: socket.socket) -> None:
        try:
            while sock.recv(65536):
                pass
        except OSError:
            pass
        finally:
            sock.close()

    def _followLeader(self) -> None:
        leader = self.getView().get(self.getCurrentVote().getId())
        if leader is None:
            return
        addr = leader.addr.getOne()
        deadline = time.monotonic() + self.tickTime * self.initLimit / 1000.0
        sock = None
        while self.running and time.monotonic() < deadline:
            try:
                sock = socket.create_connection((addr[0], addr.getPort()), timeout=1.0)
                break
            except OSError:
                time.sleep(0.05)
        if sock is None:
            return
        sock.settimeout(0.2)
        try:
            while self.running:
                try:
                    if not sock.recv(65536):
                        return
                except TimeoutError:
                    continue
                except OSError:
                    return
        finally:
            sock.close()

    def shutdown(self) -> None:
        self.running = False
        for s in self._roleSockets:
            s.close()
        super().shutdown()


class ElectionOnlyMain(QuorumPeerMain):

    def getQuorumPeer(self) -> QuorumPeer:
        return ElectionOnlyPeer()


def main(argv: list[str]) -> None:
    threading.current_thread().name = "main"
    args = list(argv)
    system_properties.load_jvm_flags_from_environment()
    while args and args[0].startswith("-D"):
        name, _, value = args.pop(0)[2:].partition("=")
        system_properties.setProperty(name, value)
    logconfig.configure()
    config = QuorumPeerConfig()
    config.parse(args[0])
    ElectionOnlyMain().runFromConfig(config)


if __name__ == "__main__":
    main(sys.argv[1:])
