"""Mirrors org.apache.zookeeper.server.quorum.flexible.QuorumVerifier: the
interface of a quorum system (which sets of servers form a quorum), with the
oracle hooks that only QuorumOracleMaj overrides."""

from __future__ import annotations


class QuorumVerifier:

    def getWeight(self, id: int) -> int:
        raise NotImplementedError

    def containsQuorum(self, set_: set[int]) -> bool:
        raise NotImplementedError

    def getVersion(self) -> int:
        raise NotImplementedError

    def setVersion(self, ver: int) -> None:
        raise NotImplementedError

    def getAllMembers(self) -> dict:
        raise NotImplementedError

    def getVotingMembers(self) -> dict:
        raise NotImplementedError

    def getObservingMembers(self) -> dict:
        raise NotImplementedError

    def updateNeedOracle(self, forwardingFollowers: list) -> bool:
        return False

    def getNeedOracle(self) -> bool:
        return False

    def askOracle(self) -> bool:
        return False

    def overrideQuorumDecision(self, forwardingFollowers: list) -> bool:
        return False

    def revalidateOutstandingProp(self, self_leader, outstandingProposal: list, lastCommitted: int) -> bool:
        return False

    def revalidateVoteset(self, voteSet, timeout: bool) -> bool:
        return False

    def getOraclePath(self) -> str | None:
        return None

    def toString(self) -> str:
        raise NotImplementedError

    def __str__(self) -> str:
        return self.toString()
