"""Mirrors org.apache.zookeeper.server.admin.CommandBase."""

from __future__ import annotations

from pyzookeeper.server.admin.Command import Command
from pyzookeeper.server.admin.CommandResponse import CommandResponse


class CommandBase(Command):

    def __init__(self, names: list[str], serverRequired: bool = True, doc: str | None = None) -> None:
        self.primaryName = names[0]
        self.names = set(names)
        self.doc = doc
        self.serverRequired = serverRequired

    def getPrimaryName(self) -> str:
        return self.primaryName

    def getNames(self) -> set[str]:
        return self.names

    def getDoc(self) -> str | None:
        return self.doc

    def isServerRequired(self) -> bool:
        return self.serverRequired

    def initializeResponse(self) -> CommandResponse:
        return CommandResponse(self.primaryName)
