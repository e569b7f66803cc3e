"""Mirrors org.apache.zookeeper.server.quorum.Vote: a peer's choice of leader
(id, zxid, election epoch, peer epoch) and the state of the peer that cast it."""

from __future__ import annotations

from pyzookeeper.server.quorum.QuorumPeer import ServerState


class Vote:
    """Immutable. Construct as Java's overloads do:

    ``Vote(id, zxid)``, ``Vote(id, zxid, peerEpoch)``, ``Vote(id, zxid, electionEpoch, peerEpoch)``,
    ``Vote(id, zxid, electionEpoch, peerEpoch, state)`` and
    ``Vote.withVersion(version, id, zxid, electionEpoch, peerEpoch, state)``.
    """

    __slots__ = ("version", "id", "zxid", "electionEpoch", "peerEpoch", "state")

    def __init__(self, id: int, zxid: int, *rest) -> None:
        match rest:
            case ():
                electionEpoch, peerEpoch, state = -1, -1, ServerState.LOOKING
            case (peerEpoch,):
                electionEpoch, state = -1, ServerState.LOOKING
            case (electionEpoch, peerEpoch):
                state = ServerState.LOOKING
            case (electionEpoch, peerEpoch, ServerState() as state):
                pass
            case _:
                raise TypeError(f"Vote{(id, zxid, *rest)} matches no constructor")
        self.version = 0
        self.id = id
        self.zxid = zxid
        self.electionEpoch = electionEpoch
        self.peerEpoch = peerEpoch
        self.state = state

    @classmethod
    def withVersion(cls, version: int, id: int, zxid: int, electionEpoch: int, peerEpoch: int,
                    state: ServerState) -> Vote:
        v = cls(id, zxid, electionEpoch, peerEpoch, state)
        v.version = version
        return v

    def getVersion(self) -> int:
        return self.version

    def getId(self) -> int:
        return self.id

    def getZxid(self) -> int:
        return self.zxid

    def getElectionEpoch(self) -> int:
        return self.electionEpoch

    def getPeerEpoch(self) -> int:
        return self.peerEpoch

    def getState(self) -> ServerState:
        return self.state

    def __eq__(self, o: object) -> bool:
        if not isinstance(o, Vote):
            return False
        if self.state == ServerState.LOOKING or o.state == ServerState.LOOKING:
            return (self.id == o.id and self.zxid == o.zxid and self.electionEpoch == o.electionEpoch
                    and self.peerEpoch == o.peerEpoch)
        # Out of election only the leader and its epoch count (zxid and round may lag,
        # ZOOKEEPER-1805); a peer without the version field reports a different epoch
        # (ZOOKEEPER-1732), so then the leader id alone decides.
        if (self.version > 0) ^ (o.version > 0):
            return self.id == o.id
        return self.id == o.id and self.peerEpoch == o.peerEpoch

    def __hash__(self) -> int:
        return hash(self.id & self.zxid)

    def toString(self) -> str:
        return f"({self.id}, {_hex(self.zxid)}, {_hex(self.peerEpoch)})"

    __str__ = toString

    def __repr__(self) -> str:
        return f"Vote{self.toString()}"


def _hex(v: int) -> str:
    """``Long.toHexString``: two's complement for negative values."""
    return format(v & 0xFFFFFFFFFFFFFFFF, "x")
