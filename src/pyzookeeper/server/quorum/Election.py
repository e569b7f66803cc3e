"""Mirrors org.apache.zookeeper.server.quorum.Election: a leader election algorithm."""

from __future__ import annotations

from abc import ABC, abstractmethod


class Election(ABC):

    @abstractmethod
    def lookForLeader(self):
        """Run one election; return the final Vote (or None when stopped)."""

    @abstractmethod
    def shutdown(self) -> None:
        """Stop the algorithm and its threads."""
