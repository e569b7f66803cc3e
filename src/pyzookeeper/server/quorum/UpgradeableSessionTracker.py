"""Mirrors org.apache.zookeeper.server.quorum.UpgradeableSessionTracker: the
base of the quorum session trackers, holding the local-session tracker and the
sessions being upgraded from local to global."""

from __future__ import annotations

import logging
import threading

from pyzookeeper.server.SessionTracker import SessionTracker

LOG = logging.getLogger(__name__)


def _hex(value: int) -> str:
    return format(value & 0xFFFFFFFFFFFFFFFF, "x")


class UpgradeableSessionTracker(SessionTracker):
    """Deliberate difference: ``_lock`` is the monitor Java takes with
    ``synchronized`` on the tracker (session upgrade, global commit)."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self.localSessionsWithTimeouts: dict[int, int] | None = None
        self.upgradingSessions: dict[int, int] | None = None
        self.localSessionTracker = None
        self.localSessionsEnabled = False

    def start(self) -> None:
        pass

    def createLocalSessionTracker(self, expirer, tickTime: int, id: int, listener) -> None:
        from pyzookeeper.server.quorum.LocalSessionTracker import LocalSessionTracker

        self.localSessionsWithTimeouts = {}
        self.localSessionTracker = LocalSessionTracker(expirer, self.localSessionsWithTimeouts, tickTime, id,
                                                       listener)
        self.upgradingSessions = {}

    def isTrackingSession(self, sessionId: int) -> bool:
        return self.isLocalSession(sessionId) or self.isGlobalSession(sessionId)

    def isLocalSession(self, sessionId: int) -> bool:
        tracker = self.localSessionTracker
        return tracker is not None and tracker.isTrackingSession(sessionId)

    def isLocalSessionsEnabled(self) -> bool:
        return self.localSessionsEnabled

    def isUpgradingSession(self, sessionId: int) -> bool:
        return self.upgradingSessions is not None and sessionId in self.upgradingSessions

    def finishedUpgrading(self, sessionId: int) -> None:
        if self.upgradingSessions is not None:
            self.upgradingSessions.pop(sessionId, None)

    def isGlobalSession(self, sessionId: int) -> bool:
        raise NotImplementedError

    def upgradeSession(self, sessionId: int) -> int:
        """Move a local session to the global tracker; its timeout, or -1 when
        it is not a local session. The caller submits the createSession txn."""
        if self.localSessionsWithTimeouts is None:
            return -1
        timeout = self.localSessionsWithTimeouts.pop(sessionId, None)
        if timeout is not None:
            LOG.info("Upgrading session 0x%s", _hex(sessionId))
            self.trackSession(sessionId, timeout)
            self.upgradingSessions[sessionId] = timeout
            self.localSessionTracker.removeSession(sessionId)
            return timeout
        return -1

    def removeLocalSession(self, sessionId: int) -> None:
        if self.localSessionTracker is None:
            return
        self.localSessionTracker.removeSession(sessionId)

    def checkGlobalSession(self, sessionId: int, owner) -> None:
        raise NotImplementedError()

    def getLocalSessionCount(self) -> int:
        if self.localSessionsWithTimeouts is None:
            return 0
        return len(self.localSessionsWithTimeouts)

    def localSessions(self) -> set[int]:
        return set() if self.localSessionTracker is None else self.localSessionTracker.localSessions()
