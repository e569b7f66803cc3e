"""Mirrors org.apache.zookeeper.server.command.WatchCommand (``wchs``, ``wchp``,
``wchc``)."""

from __future__ import annotations

from typing import TextIO

from pyzookeeper.server.command.AbstractFourLetterCommand import AbstractFourLetterCommand
from pyzookeeper.server.command.FourLetterCommands import FourLetterCommands


class WatchCommand(AbstractFourLetterCommand):
    def __init__(self, pw: TextIO, serverCnxn, len: int) -> None:
        super().__init__(pw, serverCnxn)
        self.len = len

    def commandRun(self) -> None:
        pw = self.pw
        if not self.isZKServerRunning():
            pw.write(self.ZK_NOT_SERVING + "\n")
            return
        dt = self.zkServer.getZKDatabase().getDataTree()
        if self.len == FourLetterCommands.wchsCmd:
            dt.dumpWatchesSummary(pw)
        elif self.len == FourLetterCommands.wchpCmd:
            dt.dumpWatches(pw, True)
        else:
            dt.dumpWatches(pw, False)
        pw.write("\n")
