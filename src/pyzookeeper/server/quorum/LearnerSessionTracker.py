"""Mirrors org.apache.zookeeper.server.quorum.LearnerSessionTracker: the
sessions of a follower or observer. New sessions are local when
``localSessionsEnabled`` (and may be upgraded to global ones); global sessions
live on the leader, which learns which of them were touched here from the
touch table sent with each PING answer."""

from __future__ import annotations

import logging
import threading

from pyzookeeper.KeeperException import KeeperException
from pyzookeeper.server.SessionTrackerImpl import SessionTrackerImpl
from pyzookeeper.server.quorum.UpgradeableSessionTracker import UpgradeableSessionTracker

LOG = logging.getLogger(__name__)


def _hex(value: int) -> str:
    return format(value & 0xFFFFFFFFFFFFFFFF, "x")


class LearnerSessionTracker(UpgradeableSessionTracker):
    def __init__(self, expirer, sessionsWithTimeouts: dict[int, int], tickTime: int, id: int,
                 localSessionsEnabled: bool, listener) -> None:
        super().__init__()
        self.expirer = expirer
        self.touchTable: dict[int, int] = {}
        self.globalSessionsWithTimeouts = sessionsWithTimeouts
        self.serverId = id
        self.nextSessionId = SessionTrackerImpl.initializeNextSessionId(id)
        self._nextSessionIdLock = threading.Lock()
        self.localSessionsEnabled = localSessionsEnabled
        if self.localSessionsEnabled:
            self.createLocalSessionTracker(expirer, tickTime, id, listener)

    def removeSession(self, sessionId: int) -> None:
        if self.localSessionTracker is not None:
            self.localSessionTracker.removeSession(sessionId)
        self.globalSessionsWithTimeouts.pop(sessionId, None)
        self.touchTable.pop(sessionId, None)

    def start(self) -> None:
        if self.localSessionTracker is not None:
            self.localSessionTracker.start()

    def shutdown(self) -> None:
        if self.localSessionTracker is not None:
            self.localSessionTracker.shutdown()

    def isGlobalSession(self, sessionId: int) -> bool:
        return sessionId in self.globalSessionsWithTimeouts

    def trackSession(self, sessionId: int, sessionTimeout: int) -> bool:
        """Global sessions are tracked by the leader, not here."""
        return False

    def commitSession(self, sessionId: int, sessionTimeout: int) -> bool:
        # under the tracker's lock, so a local session cannot be added after the global commit
        with self._lock:
            added = self.globalSessionsWithTimeouts.get(sessionId) is None
            self.globalSessionsWithTimeouts[sessionId] = sessionTimeout
            if added:
                LOG.info("Committing global session 0x%s", _hex(sessionId))
            # a session that moved while it was being upgraded may be local here again
            if self.localSessionsEnabled:
                self.removeLocalSession(sessionId)
                self.finishedUpgrading(sessionId)
            self.touchTable[sessionId] = sessionTimeout
            return added

    def touchSession(self, sessionId: int, sessionTimeout: int) -> bool:
        if self.localSessionsEnabled:
            if self.localSessionTracker.touchSession(sessionId, sessionTimeout):
                return True
            if not self.isGlobalSession(sessionId) and not self.isUpgradingSession(sessionId):
                return False
        self.touchTable[sessionId] = sessionTimeout
        return True

    def snapshot(self) -> dict[int, int]:
        """The sessions touched since the last call, and a fresh table."""
        touched = self.touchTable
        self.touchTable = {}
        return touched

    def createSession(self, sessionTimeout: int) -> int:
        if self.localSessionsEnabled:
            return self.localSessionTracker.createSession(sessionTimeout)
        with self._nextSessionIdLock:
            sessionId = self.nextSessionId
            self.nextSessionId += 1
            return sessionId

    def checkSession(self, sessionId: int, owner) -> None:
        if self.localSessionTracker is not None:
            try:
                self.localSessionTracker.checkSession(sessionId, owner)
                return
            except KeeperException.UnknownSessionException:
                # global sessions are checked by the leader
                if not self.isGlobalSession(sessionId):
                    raise KeeperException.SessionExpiredException() from None

    def setOwner(self, sessionId: int, owner) -> None:
        if self.localSessionTracker is not None:
            try:
                self.localSessionTracker.setOwner(sessionId, owner)
                return
            except KeeperException.SessionExpiredException:
                if not self.isGlobalSession(sessionId):
                    raise

    def dumpSessions(self, pwriter) -> None:
        if self.localSessionTracker is not None:
            pwriter.write("Local ")
            self.localSessionTracker.dumpSessions(pwriter)
        sessions = dict(self.globalSessionsWithTimeouts)
        lines = [f"Global Sessions({len(sessions)}):\n"]
        for sessionId in sorted(sessions):
            lines.append(f"0x{_hex(sessionId)}\t{sessions[sessionId]}ms\n")
        pwriter.write("".join(lines))

    def setSessionClosing(self, sessionId: int) -> None:
        # a no-op for global sessions, which the leader closes
        if self.localSessionTracker is not None:
            self.localSessionTracker.setSessionClosing(sessionId)

    def getSessionExpiryMap(self) -> dict[int, set[int]]:
        return {}

    def globalSessions(self) -> set[int]:
        return set(self.globalSessionsWithTimeouts)
