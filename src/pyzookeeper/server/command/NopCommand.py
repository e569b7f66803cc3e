"""Mirrors org.apache.zookeeper.server.command.NopCommand: answers with a fixed
message (used for commands that are not whitelisted)."""

from __future__ import annotations

from typing import TextIO

from pyzookeeper.server.command.AbstractFourLetterCommand import AbstractFourLetterCommand


class NopCommand(AbstractFourLetterCommand):
    def __init__(self, pw: TextIO, serverCnxn, msg: str) -> None:
        super().__init__(pw, serverCnxn)
        self.msg = msg

    def commandRun(self) -> None:
        self.pw.write(self.msg + "\n")
