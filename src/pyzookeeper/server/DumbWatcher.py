"""Mirrors org.apache.zookeeper.server.DumbWatcher: a watcher with a session id
that ignores every event, for tests and benchmarks.

Deliberate difference: it is a ServerWatcher, not a full ServerCnxn; the
watch managers only need ``process``, ``getSessionId`` and ``isStale``.
"""

from __future__ import annotations

from pyzookeeper.data.ACL import ACL
from pyzookeeper.server.ServerWatcher import ServerWatcher


class DumbWatcher(ServerWatcher):
    def __init__(self, sessionId: int = 0) -> None:
        self.sessionId = sessionId
        self.stale = False

    def process(self, event, znodeAcl: list[ACL] | None = None) -> None:
        pass

    def getSessionId(self) -> int:
        return self.sessionId

    def isStale(self) -> bool:
        return self.stale

    def setStale(self) -> None:
        self.stale = True
