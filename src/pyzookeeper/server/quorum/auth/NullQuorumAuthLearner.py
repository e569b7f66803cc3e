"""Mirrors org.apache.zookeeper.server.quorum.auth.NullQuorumAuthLearner: no
authentication (quorum SASL disabled)."""

from __future__ import annotations

from pyzookeeper.server.quorum.auth.QuorumAuthLearner import QuorumAuthLearner


class NullQuorumAuthLearner(QuorumAuthLearner):

    def authenticate(self, sock, hostname) -> None:
        return

    def shutdown(self) -> None:
        return
