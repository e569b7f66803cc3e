"""Mirrors org.apache.zookeeper.server.command.AbstractFourLetterCommand: the
base of the four-letter commands, which write their text to a print writer and
then close the connection."""

from __future__ import annotations

import abc
import logging
from typing import TextIO

LOG = logging.getLogger(__name__)


class AbstractFourLetterCommand(abc.ABC):
    ZK_NOT_SERVING = "This ZooKeeper instance is not currently serving requests"

    def __init__(self, pw: TextIO, serverCnxn) -> None:
        self.pw = pw
        self.serverCnxn = serverCnxn
        self.zkServer = None
        self.factory = None

    def start(self) -> None:
        self.run()

    def run(self) -> None:
        try:
            self.commandRun()
        except OSError as ie:
            LOG.error("Error in running command ", exc_info=ie)
        finally:
            self.serverCnxn.cleanupWriterSocket(self.pw)

    def setZkServer(self, zkServer) -> None:
        self.zkServer = zkServer

    def isZKServerRunning(self) -> bool:
        return self.zkServer is not None and self.zkServer.isRunning()

    def setFactory(self, factory) -> None:
        self.factory = factory

    @abc.abstractmethod
    def commandRun(self) -> None: ...
