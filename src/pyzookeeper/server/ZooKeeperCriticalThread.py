"""Mirrors org.apache.zookeeper.server.ZooKeeperCriticalThread: a thread whose
death stops the server."""

from __future__ import annotations

import logging

from pyzookeeper.server.ExitCode import ExitCode
from pyzookeeper.server.ZooKeeperServerListener import ZooKeeperServerListener
from pyzookeeper.server.ZooKeeperThread import ZooKeeperThread

LOG = logging.getLogger(__name__)


class ZooKeeperCriticalThread(ZooKeeperThread):
    def __init__(self, threadName: str, listener: ZooKeeperServerListener) -> None:
        super().__init__(threadName)
        self.listener = listener

    def handleException(self, threadName: str, e: BaseException) -> None:
        LOG.error("Severe unrecoverable error, from thread : %s", threadName, exc_info=e)
        self.listener.notifyStopping(threadName, ExitCode.UNEXPECTED_ERROR.getValue())
