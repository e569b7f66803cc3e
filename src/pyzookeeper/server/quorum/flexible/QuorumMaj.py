"""Mirrors org.apache.zookeeper.server.quorum.flexible.QuorumMaj: a quorum is
any strict majority of the participants."""

from __future__ import annotations

import logging

from pyzookeeper.common.java_properties import Properties, hashmap_order, hashmap_ordered, parse_java_long
from pyzookeeper.server.quorum.QuorumPeer import LearnerType, QuorumServer
from pyzookeeper.server.quorum.flexible.QuorumVerifier import QuorumVerifier
from pyzookeeper.server.util import ZxidUtils

LOG = logging.getLogger(__name__)


class QuorumMaj(QuorumVerifier):

    def __init__(self, members: dict[int, QuorumServer] | Properties) -> None:
        """From a map of servers, or from the ``server.N`` and ``version`` entries of a config."""
        self.allMembers: dict[int, QuorumServer] = {}
        self.votingMembers: dict[int, QuorumServer] = {}
        self.observingMembers: dict[int, QuorumServer] = {}
        self.version = 0
        if isinstance(members, Properties):
            for key, value in members.items():
                if key.startswith("server."):
                    sid = parse_java_long(key[key.index(".") + 1:], key=key)
                    self._add(QuorumServer(sid, value))
                elif key == "version":
                    self.version = parse_java_long(value, 16, key=key)
            self.allMembers = hashmap_ordered(self.allMembers)
        else:
            self.allMembers = members
            for qs in members.values():
                (self.votingMembers if qs.type == LearnerType.PARTICIPANT else self.observingMembers)[qs.id] = qs
        self.votingMembers = hashmap_ordered(self.votingMembers)
        self.observingMembers = hashmap_ordered(self.observingMembers)
        self.half = len(self.votingMembers) // 2

    def _add(self, qs: QuorumServer) -> None:
        self.allMembers[qs.id] = qs
        (self.votingMembers if qs.type == LearnerType.PARTICIPANT else self.observingMembers)[qs.id] = qs

    def __eq__(self, o: object) -> bool:
        if not isinstance(o, QuorumMaj):
            return False
        if o.getVersion() == self.version:
            return True
        if len(self.allMembers) != len(o.getAllMembers()):
            return False
        for qs in self.allMembers.values():
            qso = o.getAllMembers().get(qs.id)
            if qso is None or qs != qso:
                return False
        return True

    def __hash__(self) -> int:
        return 42

    def getWeight(self, id: int) -> int:
        return 1

    def toString(self) -> str:
        members = self.getAllMembers()
        lines = [f"server.{sid}={members[sid].toString()}\n" for sid in hashmap_order(members)]
        return "".join(lines) + "version=" + ZxidUtils.zxidToString(self.version)

    def containsQuorum(self, ackSet: set[int]) -> bool:
        return len(ackSet) > self.half

    def getAllMembers(self) -> dict[int, QuorumServer]:
        return self.allMembers

    def getVotingMembers(self) -> dict[int, QuorumServer]:
        return self.votingMembers

    def getObservingMembers(self) -> dict[int, QuorumServer]:
        return self.observingMembers

    def getVersion(self) -> int:
        return self.version

    def setVersion(self, ver: int) -> None:
        self.version = ver
