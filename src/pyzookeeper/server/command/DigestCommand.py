"""Mirrors org.apache.zookeeper.server.command.DigestCommand (``hash``): the
latest tree digests."""

from __future__ import annotations

from pyzookeeper.server.command.AbstractFourLetterCommand import AbstractFourLetterCommand


class DigestCommand(AbstractFourLetterCommand):
    def commandRun(self) -> None:
        if not self.isZKServerRunning():
            self.pw.write(self.ZK_NOT_SERVING)
        else:
            digestLog = self.zkServer.getZKDatabase().getDataTree().getDigestLog()
            self.pw.write("".join(f"{zd.getZxid() & 0xFFFFFFFFFFFFFFFF:x}: {zd.getDigest()}\n" for zd in digestLog))
