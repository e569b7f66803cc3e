"""Mirrors org.apache.zookeeper.server.command.DirsCommand (``dirs``)."""

from __future__ import annotations

from pyzookeeper.server.command.AbstractFourLetterCommand import AbstractFourLetterCommand


class DirsCommand(AbstractFourLetterCommand):
    def commandRun(self) -> None:
        if not self.isZKServerRunning():
            self.pw.write(self.ZK_NOT_SERVING + "\n")
            return
        self.pw.write(f"datadir_size: {self.zkServer.getDataDirSize()}\n")
        self.pw.write(f"logdir_size: {self.zkServer.getLogDirSize()}\n")
