"""Mirrors org.apache.zookeeper.server.admin.CommandOutputter."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from pyzookeeper.server.admin.CommandResponse import CommandResponse


class CommandOutputter(ABC):

    @abstractmethod
    def getContentType(self) -> str:
        """The HTTP content type of the output."""

    @abstractmethod
    def output(self, response: CommandResponse, pw: TextIO) -> None:
        """Write ``response`` to ``pw``."""
