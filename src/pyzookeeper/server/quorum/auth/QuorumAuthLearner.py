"""Mirrors org.apache.zookeeper.server.quorum.auth.QuorumAuthLearner: the
learner (connecting) side of authenticating a quorum connection."""

from __future__ import annotations

import socket
from abc import ABC, abstractmethod


class QuorumAuthLearner(ABC):

    @abstractmethod
    def authenticate(self, sock: socket.socket, hostname: str | None) -> None:
        """Authenticate to the server on ``sock``; raise OSError on failure."""

    @abstractmethod
    def shutdown(self) -> None:
        """Release what the authenticator holds."""
