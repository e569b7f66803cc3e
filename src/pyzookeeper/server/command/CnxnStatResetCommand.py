"""Mirrors org.apache.zookeeper.server.command.CnxnStatResetCommand (``crst``)."""

from __future__ import annotations

from pyzookeeper.server.command.AbstractFourLetterCommand import AbstractFourLetterCommand


class CnxnStatResetCommand(AbstractFourLetterCommand):
    def commandRun(self) -> None:
        if not self.isZKServerRunning():
            self.pw.write(self.ZK_NOT_SERVING + "\n")
        else:
            self.factory.resetAllConnectionStats()
            self.pw.write("Connection stats reset.\n")
