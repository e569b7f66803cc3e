"""Mirrors org.apache.zookeeper.server.command.StatCommand (``stat`` and ``srvr``).

A read-only server is recognised by its state, "read-only".
"""

from __future__ import annotations

import logging
from typing import TextIO

from pyzookeeper.server.command.AbstractFourLetterCommand import AbstractFourLetterCommand
from pyzookeeper.server.command.FourLetterCommands import FourLetterCommands
from pyzookeeper.Version import Version

# Java logs through AbstractFourLetterCommand's logger
LOG = logging.getLogger(AbstractFourLetterCommand.__module__)


class StatCommand(AbstractFourLetterCommand):
    def __init__(self, pw: TextIO, serverCnxn, len: int) -> None:
        super().__init__(pw, serverCnxn)
        self.len = len

    def commandRun(self) -> None:
        pw = self.pw
        zkServer = self.zkServer
        if not self.isZKServerRunning():
            pw.write(self.ZK_NOT_SERVING + "\n")
            return
        pw.write(f"Zookeeper version: {Version.getFullVersion()}\n")
        if zkServer.getState() == "read-only":
            pw.write("READ-ONLY mode; serving only read-only clients\n")
        if self.len == FourLetterCommands.statCmd:
            LOG.info("Stat command output")
            pw.write("Clients:\n")
            for c in self.factory.getConnections():
                c.dumpConnectionInfo(pw, True)
                pw.write("\n")
            pw.write("\n")
        serverStats = zkServer.serverStats()
        pw.write(str(serverStats))
        pw.write(f"Node count: {zkServer.getZKDatabase().getNodeCount()}\n")
        if serverStats.getServerState() == "leader":
            proposalStats = zkServer.getLeader().getProposalStats()
            pw.write(f"Proposal sizes last/min/max: {proposalStats}\n")
