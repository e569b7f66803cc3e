"""Mirrors org.apache.zookeeper.server.command.ConfCommand (``conf``)."""

from __future__ import annotations

from pyzookeeper.server.command.AbstractFourLetterCommand import AbstractFourLetterCommand


class ConfCommand(AbstractFourLetterCommand):
    def commandRun(self) -> None:
        if not self.isZKServerRunning():
            self.pw.write(self.ZK_NOT_SERVING + "\n")
        else:
            self.zkServer.dumpConf(self.pw)
