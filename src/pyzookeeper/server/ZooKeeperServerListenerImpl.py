"""Mirrors org.apache.zookeeper.server.ZooKeeperServerListenerImpl: a dying
critical thread puts the server in the ERROR state."""

from __future__ import annotations

import logging

from pyzookeeper.server.ZooKeeperServerListener import ZooKeeperServerListener

LOG = logging.getLogger(__name__)


class ZooKeeperServerListenerImpl(ZooKeeperServerListener):
    def __init__(self, zkServer) -> None:
        self.zkServer = zkServer

    def notifyStopping(self, threadName: str, exitCode: int) -> None:
        LOG.info("Thread %s exits, error code %s", threadName, exitCode)
        self.zkServer.setState(self.zkServer.State.ERROR)
