"""Mirrors org.apache.zookeeper.server.command.SetTraceMaskCommand (``stmk``):
answers with the trace mask just set."""

from __future__ import annotations

from typing import TextIO

from pyzookeeper.server.command.AbstractFourLetterCommand import AbstractFourLetterCommand


class SetTraceMaskCommand(AbstractFourLetterCommand):
    def __init__(self, pw: TextIO, serverCnxn, trace: int) -> None:
        super().__init__(pw, serverCnxn)
        self.trace = trace

    def commandRun(self) -> None:
        self.pw.write(str(self.trace))
