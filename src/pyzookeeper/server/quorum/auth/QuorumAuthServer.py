"""Mirrors org.apache.zookeeper.server.quorum.auth.QuorumAuthServer: the
server side of authenticating a quorum connection."""

from __future__ import annotations

import socket
from abc import ABC, abstractmethod


class QuorumAuthServer(ABC):

    @abstractmethod
    def authenticate(self, sock: socket.socket, din) -> None:
        """Authenticate the peer on ``sock`` (``din`` is its buffered input); raise OSError on failure."""

    @abstractmethod
    def shutdown(self) -> None:
        """Release what the authenticator holds."""
