"""Mirrors org.apache.zookeeper.server.quorum.Leader: the Zab leader, its
packet types, proposals and the learner acceptor."""

from __future__ import annotations

import logging

from pyzookeeper.server.quorum.QuorumPacket import QuorumPacket
from pyzookeeper.server.quorum.SyncedLearnerTracker import SyncedLearnerTracker

LOG = logging.getLogger(__name__)


class Proposal(SyncedLearnerTracker):
    """A packet sent to the learners with the request it carries and its acks."""

    __slots__ = ("packet", "request")

    def __init__(self, packet: QuorumPacket | None = None, request=None) -> None:
        super().__init__()
        self.packet = packet
        self.request = request

    def __str__(self) -> str:
        return f"{self.packet.type}, {self.packet.zxid}, {self.request}"

    toString = __str__


class Leader:
    """The leader of a quorum (packet constants and helpers; see lead())."""

    Proposal = Proposal

    DIFF = 13
    TRUNC = 14
    SNAP = 15
    OBSERVERINFO = 16
    NEWLEADER = 10
    FOLLOWERINFO = 11
    UPTODATE = 12
    LEADERINFO = 17
    ACKEPOCH = 18
    REQUEST = 1
    PROPOSAL = 2
    ACK = 3
    COMMIT = 4
    PING = 5
    REVALIDATE = 6
    SYNC = 7
    INFORM = 8
    COMMITANDACTIVATE = 9
    INFORMANDACTIVATE = 19

    _PACKET_TYPE_NAMES = {
        13: "DIFF", 14: "TRUNC", 15: "SNAP", 16: "OBSERVERINFO", 10: "NEWLEADER",
        11: "FOLLOWERINFO", 12: "UPTODATE", 17: "LEADERINFO", 18: "ACKEPOCH",
        1: "REQUEST", 2: "PROPOSAL", 3: "ACK", 4: "COMMIT", 9: "COMMITANDACTIVATE",
        5: "PING", 6: "REVALIDATE", 7: "SYNC", 8: "INFORM", 19: "INFORMANDACTIVATE",
    }

    @staticmethod
    def getPacketType(packetType: int) -> str:
        return Leader._PACKET_TYPE_NAMES.get(packetType, "UNKNOWN")
