"""Mirrors org.apache.zookeeper.server.command.RuokCommand (``ruok``)."""

from __future__ import annotations

from pyzookeeper.server.command.AbstractFourLetterCommand import AbstractFourLetterCommand


class RuokCommand(AbstractFourLetterCommand):
    def commandRun(self) -> None:
        self.pw.write("imok")
