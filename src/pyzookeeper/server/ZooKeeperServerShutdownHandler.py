"""Mirrors org.apache.zookeeper.server.ZooKeeperServerShutdownHandler: releases
the main thread when the server reaches ERROR or SHUTDOWN."""

from __future__ import annotations

import threading


class ZooKeeperServerShutdownHandler:
    def __init__(self, shutdownLatch: threading.Event) -> None:
        self.shutdownLatch = shutdownLatch

    def handle(self, state: str) -> None:
        if state in ("ERROR", "SHUTDOWN"):
            self.shutdownLatch.set()
