"""Mirrors org.apache.zookeeper.server.command.StatResetCommand (``srst``)."""

from __future__ import annotations

from pyzookeeper.server.command.AbstractFourLetterCommand import AbstractFourLetterCommand


class StatResetCommand(AbstractFourLetterCommand):
    def commandRun(self) -> None:
        if not self.isZKServerRunning():
            self.pw.write(self.ZK_NOT_SERVING + "\n")
        else:
            serverStats = self.zkServer.serverStats()
            serverStats.reset()
            if serverStats.getServerState() == "leader":
                self.zkServer.getLeader().getProposalStats().reset()
            self.pw.write("Server stats reset.\n")
