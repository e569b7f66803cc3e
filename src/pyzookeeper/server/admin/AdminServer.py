"""Mirrors org.apache.zookeeper.server.admin.AdminServer."""

from __future__ import annotations

from abc import ABC, abstractmethod


class AdminServerException(Exception):
    """The AdminServer could not start or stop."""

    def __init__(self, message: str | BaseException, cause: BaseException | None = None) -> None:
        if isinstance(message, BaseException):
            cause, message = message, f"{type(message).__name__}: {message}"
        super().__init__(message)
        self.__cause__ = cause


class AdminServer(ABC):
    """Serves the admin commands (Commands) over HTTP."""

    AdminServerException = AdminServerException

    @abstractmethod
    def start(self) -> None:
        """Start serving; AdminServerException when that is impossible."""

    @abstractmethod
    def shutdown(self) -> None:
        """Stop serving; AdminServerException on failure."""

    @abstractmethod
    def setZooKeeperServer(self, zkServer) -> None:
        """The server the commands report on (None while there is none)."""
