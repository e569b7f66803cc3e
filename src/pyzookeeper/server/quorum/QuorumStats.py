"""Mirrors org.apache.zookeeper.server.quorum.QuorumStats: the quorum part of
the ``stat`` four-letter word."""

from __future__ import annotations


class Provider:
    UNKNOWN_STATE = "unknown"
    LOOKING_STATE = "leaderelection"
    LEADING_STATE = "leading"
    FOLLOWING_STATE = "following"
    OBSERVING_STATE = "observing"

    def getQuorumPeers(self) -> list[str]:
        raise NotImplementedError

    def getServerState(self) -> str:
        raise NotImplementedError


class QuorumStats:
    Provider = Provider

    def __init__(self, provider: Provider) -> None:
        self.provider = provider

    def getServerState(self) -> str:
        return self.provider.getServerState()

    def getQuorumPeers(self) -> list[str]:
        return self.provider.getQuorumPeers()

    def toString(self) -> str:
        out = [object.__repr__(self)]
        state = self.getServerState()
        if state == Provider.LEADING_STATE:
            out.append("Followers:")
            out.extend(" " + f for f in self.getQuorumPeers())
            out.append("\n")
        elif state in (Provider.FOLLOWING_STATE, Provider.OBSERVING_STATE):
            out.append("Leader: ")
            ldr = self.getQuorumPeers()
            out.append(ldr[0] if ldr else "not connected")
            out.append("\n")
        return "".join(out)

    __str__ = toString
