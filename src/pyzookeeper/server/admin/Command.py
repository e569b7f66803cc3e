"""Mirrors org.apache.zookeeper.server.admin.Command."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyzookeeper.server.admin.CommandResponse import CommandResponse


class Command(ABC):
    """An admin command: its names, whether it needs a running server, and its run."""

    @abstractmethod
    def getNames(self) -> set[str]:
        """The primary name and the aliases."""

    @abstractmethod
    def getPrimaryName(self) -> str:
        """The name shown in the command list and in responses."""

    @abstractmethod
    def getDoc(self) -> str | None:
        """A description, or None."""

    @abstractmethod
    def isServerRequired(self) -> bool:
        """Whether the command needs a running ZooKeeperServer."""

    @abstractmethod
    def run(self, zkServer, kwargs: dict[str, str]) -> CommandResponse:
        """Run with the request's parameters and answer."""
