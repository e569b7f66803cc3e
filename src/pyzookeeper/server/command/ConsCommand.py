"""Mirrors org.apache.zookeeper.server.command.ConsCommand (``cons``)."""

from __future__ import annotations

from pyzookeeper.server.command.AbstractFourLetterCommand import AbstractFourLetterCommand


class ConsCommand(AbstractFourLetterCommand):
    def commandRun(self) -> None:
        pw = self.pw
        if not self.isZKServerRunning():
            pw.write(self.ZK_NOT_SERVING + "\n")
        else:
            for c in self.factory.getConnections():
                c.dumpConnectionInfo(pw, False)
                pw.write("\n")
            pw.write("\n")
