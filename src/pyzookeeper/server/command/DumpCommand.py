"""Mirrors org.apache.zookeeper.server.command.DumpCommand (``dump``): sessions,
ephemeral nodes and connections."""

from __future__ import annotations

from pyzookeeper.server.command.AbstractFourLetterCommand import AbstractFourLetterCommand


class DumpCommand(AbstractFourLetterCommand):
    def commandRun(self) -> None:
        pw = self.pw
        if not self.isZKServerRunning():
            pw.write(self.ZK_NOT_SERVING + "\n")
        else:
            from pyzookeeper.server.NIOServerCnxnFactory import NIOServerCnxnFactory

            pw.write("SessionTracker dump:\n")
            self.zkServer.getSessionTracker().dumpSessions(pw)
            pw.write("ephemeral nodes dump:\n")
            self.zkServer.dumpEphemerals(pw)
            pw.write("Connections dump:\n")
            # only the NIO factory can dump its connections
            if isinstance(self.factory, NIOServerCnxnFactory):
                self.factory.dumpConnections(pw)
