"""Mirrors org.apache.zookeeper.server.quorum.auth.NullQuorumAuthServer: no
authentication (quorum SASL disabled)."""

from __future__ import annotations

from pyzookeeper.server.quorum.auth.QuorumAuthServer import QuorumAuthServer


class NullQuorumAuthServer(QuorumAuthServer):

    def authenticate(self, sock, din) -> None:
        return

    def shutdown(self) -> None:
        return
