"""Mirrors org.apache.zookeeper.server.quorum.SyncedLearnerTracker: the ack
sets of a proposal (or of NEWLEADER/epoch acks), one per active QuorumVerifier."""

from __future__ import annotations

from pyzookeeper.common.java_properties import hashmap_order


class SyncedLearnerTracker:
    """Tracks which voting members acknowledged, against every active verifier."""

    __slots__ = ("qvAcksetPairs",)

    def __init__(self) -> None:
        self.qvAcksetPairs: list[SyncedLearnerTracker.QuorumVerifierAcksetPair] = []

    def addQuorumVerifier(self, qv) -> None:
        self.qvAcksetPairs.append(SyncedLearnerTracker.QuorumVerifierAcksetPair(qv, set()))

    def addAck(self, sid: int) -> bool:
        change = False
        for pair in self.qvAcksetPairs:
            if sid in pair.qv.getVotingMembers():
                pair.ackset.add(sid)
                change = True
        return change

    def hasSid(self, sid: int) -> bool:
        for pair in self.qvAcksetPairs:
            if sid not in pair.qv.getVotingMembers():
                return False
        return True

    def hasAllQuorums(self) -> bool:
        for pair in self.qvAcksetPairs:
            if not pair.qv.containsQuorum(pair.ackset):
                return False
        return True

    def ackSetsToString(self) -> str:
        return ",".join("[" + ", ".join(str(s) for s in hashmap_order(pair.ackset)) + "]"
                        for pair in self.qvAcksetPairs)

    class QuorumVerifierAcksetPair:
        """A verifier with the set of its voting members that acknowledged."""

        __slots__ = ("qv", "ackset")

        def __init__(self, qv, ackset: set[int]) -> None:
            self.qv = qv
            self.ackset = ackset

        def getQuorumVerifier(self):
            return self.qv

        def getAckset(self) -> set[int]:
            return self.ackset
