"""Mirrors org.apache.zookeeper.server.command.TraceMaskCommand (``gtmk``)."""

from __future__ import annotations

from pyzookeeper.server.command.AbstractFourLetterCommand import AbstractFourLetterCommand
from pyzookeeper.server.ZooTrace import ZooTrace


class TraceMaskCommand(AbstractFourLetterCommand):
    def commandRun(self) -> None:
        self.pw.write(str(ZooTrace.getTextTraceLevel()))
