"""Mirrors org.apache.zookeeper.server.command.IsroCommand (``isro``): "ro" on a
read-only server, "rw" otherwise.

A read-only server is recognised by its state, "read-only", which only
ReadOnlyZooKeeperServer reports.
"""

from __future__ import annotations

from pyzookeeper.server.command.AbstractFourLetterCommand import AbstractFourLetterCommand


class IsroCommand(AbstractFourLetterCommand):
    def commandRun(self) -> None:
        if not self.isZKServerRunning():
            self.pw.write("null")
        elif self.zkServer.getState() == "read-only":
            self.pw.write("ro")
        else:
            self.pw.write("rw")
