"""Mirrors org.apache.zookeeper.server.command.EnvCommand (``envi``)."""

from __future__ import annotations

from pyzookeeper import Environment
from pyzookeeper.server.command.AbstractFourLetterCommand import AbstractFourLetterCommand


class EnvCommand(AbstractFourLetterCommand):
    def commandRun(self) -> None:
        lines = ["Environment:\n"]
        lines += [f"{e.getKey()}={e.getValue()}\n" for e in Environment.list()]
        self.pw.write("".join(lines))
