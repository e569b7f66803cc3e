"""Mirrors org.apache.zookeeper.server.admin.CommandResponse."""

from __future__ import annotations

from typing import Any


class CommandResponse:
    """The answer of a command: its name, an error or None, and its data."""

    KEY_COMMAND = "command"
    KEY_ERROR = "error"

    __slots__ = ("command", "error", "data")

    def __init__(self, command: str, error: str | None = None) -> None:
        self.command = command
        self.error = error
        self.data: dict[str, Any] = {}

    def getCommand(self) -> str:
        return self.command

    def getError(self) -> str | None:
        return self.error

    def put(self, key: str, value: Any) -> Any:
        previous = self.data.get(key)
        self.data[key] = value
        return previous

    def putAll(self, m: dict[str, Any]) -> None:
        self.data.update(m)

    def toMap(self) -> dict[str, Any]:
        """The data, then ``command`` and ``error``; a data entry of the same name wins."""
        m = dict(self.data)
        m[self.KEY_COMMAND] = self.command
        m[self.KEY_ERROR] = self.error
        m.update(self.data)
        return m
