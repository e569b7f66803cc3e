"""Mirrors org.apache.zookeeper.server.command.CommandExecutor: picks the
command for a four-letter code and runs it."""

from __future__ import annotations

from typing import TextIO

from pyzookeeper.server.command.AbstractFourLetterCommand import AbstractFourLetterCommand
from pyzookeeper.server.command.CnxnStatResetCommand import CnxnStatResetCommand
from pyzookeeper.server.command.ConfCommand import ConfCommand
from pyzookeeper.server.command.ConsCommand import ConsCommand
from pyzookeeper.server.command.DigestCommand import DigestCommand
from pyzookeeper.server.command.DirsCommand import DirsCommand
from pyzookeeper.server.command.DumpCommand import DumpCommand
from pyzookeeper.server.command.EnvCommand import EnvCommand
from pyzookeeper.server.command.FourLetterCommands import FourLetterCommands
from pyzookeeper.server.command.IsroCommand import IsroCommand
from pyzookeeper.server.command.MonitorCommand import MonitorCommand
from pyzookeeper.server.command.RuokCommand import RuokCommand
from pyzookeeper.server.command.StatCommand import StatCommand
from pyzookeeper.server.command.StatResetCommand import StatResetCommand
from pyzookeeper.server.command.TraceMaskCommand import TraceMaskCommand
from pyzookeeper.server.command.WatchCommand import WatchCommand

_F = FourLetterCommands
_SIMPLE = {
    _F.ruokCmd: RuokCommand,
    _F.getTraceMaskCmd: TraceMaskCommand,
    _F.enviCmd: EnvCommand,
    _F.confCmd: ConfCommand,
    _F.srstCmd: StatResetCommand,
    _F.crstCmd: CnxnStatResetCommand,
    _F.dirsCmd: DirsCommand,
    _F.dumpCmd: DumpCommand,
    _F.consCmd: ConsCommand,
    _F.mntrCmd: MonitorCommand,
    _F.isroCmd: IsroCommand,
    _F.hashCmd: DigestCommand,
}
_WITH_CODE = {
    _F.statCmd: StatCommand,
    _F.srvrCmd: StatCommand,
    _F.wchpCmd: WatchCommand,
    _F.wchcCmd: WatchCommand,
    _F.wchsCmd: WatchCommand,
}


class CommandExecutor:
    def execute(self, serverCnxn, pwriter: TextIO, commandCode: int, zkServer, factory) -> bool:
        """Runs the command for ``commandCode``; False when there is none."""
        command = self.getCommand(serverCnxn, pwriter, commandCode)
        if command is None:
            return False
        command.setZkServer(zkServer)
        command.setFactory(factory)
        command.start()
        return True

    def getCommand(self, serverCnxn, pwriter: TextIO, commandCode: int) -> AbstractFourLetterCommand | None:
        cls = _SIMPLE.get(commandCode)
        if cls is not None:
            return cls(pwriter, serverCnxn)
        cls = _WITH_CODE.get(commandCode)
        if cls is not None:
            return cls(pwriter, serverCnxn, commandCode)
        return None
