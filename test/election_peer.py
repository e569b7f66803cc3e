"""A quorum peer that runs leader election only (QuorumCnxManager +
FastLeaderElection), for testing the election layer without Zab.

    python test/election_peer.py zoo.cfg

It is QuorumPeerMain's quorum path and QuorumPeer's own state loop, with
stand-ins for Leader, Follower and Observer. After each election the stand-in
prints one line

    ELECTION-RESULT sid=1 state=FOLLOWING leader=3 zxid=0x0 peerEpoch=0x0 round=0x1 took_ms=412

and plays the role with a bare TCP connection: a leader accepts connections
on its quorum port and holds them; a follower or observer connects to the
leader's quorum port, and its role ends (the peer goes back to LOOKING) when
that connection breaks or cannot be made within initLimit ticks. No Zab
packet is exchanged.
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
from pyzookeeper.server.quorum.QuorumPeer import QuorumPeer  # noqa: E402
from pyzookeeper.server.quorum.QuorumPeerConfig import QuorumPeerConfig  # noqa: E402
from pyzookeeper.server.quorum.QuorumPeerMain import QuorumPeerMain  # noqa: E402


def _hex(v: int) -> str:
    return format(v & 0xFFFFFFFFFFFFFFFF, "x")


class _Role:
    """What makeLeader/makeFollower/makeObserver return: prints the election
    result, then holds (leader) or watches (learner) a plain TCP connection."""

    def __init__(self, peer: QuorumPeer) -> None:
        self.peer = peer
        self.zk = None
        self.running = True
        self.sockets: list[socket.socket] = []
        vote = peer.getCurrentVote()
        took = Time.currentElapsedTime() - peer.start_fle
        print(f"ELECTION-RESULT sid={peer.getMyId()} state={peer.getPeerState().name} leader={vote.getId()} "
              f"zxid=0x{_hex(vote.getZxid())} peerEpoch=0x{_hex(vote.getPeerEpoch())} "
              f"round=0x{_hex(vote.getElectionEpoch())} took_ms={took}", flush=True)

    def lead(self) -> None:
        addr = self.peer.getQuorumAddress().getOne()
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind((addr[0], addr.getPort()))
        server.listen(16)
        server.settimeout(0.2)
        try:
            while self.running and self.peer.isRunning():
                try:
                    client, _ = server.accept()
                except TimeoutError:
                    continue
                self.sockets.append(client)
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

    def followLeader(self) -> None:
        peer = self.peer
        leader = peer.getView().get(peer.getCurrentVote().getId())
        if leader is None:
            return
        addr = leader.addr.getOne()
        deadline = time.monotonic() + peer.tickTime * peer.initLimit / 1000.0
        sock = None
        while self.running and peer.isRunning() and time.monotonic() < deadline:
            try:
                sock = socket.create_connection((addr[0], addr.getPort()), timeout=1.0)
                break
            except OSError:
                time.sleep(0.05)
        if sock is None:
            return
        print(f"ROLE-CONNECTED sid={peer.getMyId()} leader={peer.getCurrentVote().getId()}", flush=True)
        self.sockets.append(sock)
        sock.settimeout(0.2)
        try:
            while self.running and peer.isRunning():
                try:
                    if not sock.recv(65536):
                        return
                except TimeoutError:
                    continue
                except OSError:
                    return
        finally:
            sock.close()

    observeLeader = followLeader

    def setLeadingVoteSet(self, voteSet) -> None:
        self.leadingVoteSet = voteSet

    def reportLookingSid(self, sid: int) -> None:
        print(f"LOOKING-PEER sid={sid}", flush=True)

    def shutdown(self, reason: str = "") -> None:
        self.running = False
        for s in self.sockets:
            s.close()


class ElectionOnlyPeer(QuorumPeer):
    """The real QuorumPeer state loop, with stand-ins for the Zab roles."""

    def makeLeader(self, logFactory):
        return _Role(self)

    def makeFollower(self, logFactory):
        return _Role(self)

    def makeObserver(self, logFactory):
        return _Role(self)


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
