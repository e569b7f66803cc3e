"""Mirrors org.apache.zookeeper.server.quorum.LeaderSessionTracker: the
leader's sessions, global ones (expired through the quorum) and, when
``localSessionsEnabled``, the local ones of its own clients."""

from __future__ import annotations

import logging

from pyzookeeper.KeeperException import KeeperException
from pyzookeeper.server.SessionTrackerImpl import SessionTrackerImpl
from pyzookeeper.server.quorum.UpgradeableSessionTracker import UpgradeableSessionTracker

LOG = logging.getLogger(__name__)


def _hex(value: int) -> str:
    return format(value & 0xFFFFFFFFFFFFFFFF, "x")


class LeaderSessionTracker(UpgradeableSessionTracker):
    def __init__(self, expirer, sessionsWithTimeouts: dict[int, int], tickTime: int, id: int,
                 localSessionsEnabled: bool, listener) -> None:
        super().__init__()
        self.globalSessionTracker = SessionTrackerImpl(expirer, sessionsWithTimeouts, tickTime, id, listener)
        self.localSessionsEnabled = localSessionsEnabled
        if self.localSessionsEnabled:
            self.createLocalSessionTracker(expirer, tickTime, id, listener)
        self.serverId = id

    def removeSession(self, sessionId: int) -> None:
        if self.localSessionTracker is not None:
            self.localSessionTracker.removeSession(sessionId)
        self.globalSessionTracker.removeSession(sessionId)

    def start(self) -> None:
        self.globalSessionTracker.start()
        if self.localSessionTracker is not None:
            self.localSessionTracker.start()

    def shutdown(self) -> None:
        if self.localSessionTracker is not None:
            self.localSessionTracker.shutdown()
        self.globalSessionTracker.shutdown()

    def isGlobalSession(self, sessionId: int) -> bool:
        return self.globalSessionTracker.isTrackingSession(sessionId)

    def trackSession(self, sessionId: int, sessionTimeout: int) -> bool:
        tracked = self.globalSessionTracker.trackSession(sessionId, sessionTimeout)
        if self.localSessionsEnabled and tracked:
            LOG.info("Tracking global session 0x%s", _hex(sessionId))
        return tracked

    def commitSession(self, sessionId: int, sessionTimeout: int) -> bool:
        with self._lock:
            added = self.globalSessionTracker.commitSession(sessionId, sessionTimeout)
            if added:
                LOG.info("Committing global session 0x%s", _hex(sessionId))
            # a session that moved during its upgrade may be local here again
            if self.localSessionsEnabled:
                self.removeLocalSession(sessionId)
                self.finishedUpgrading(sessionId)
            return added

    def touchSession(self, sessionId: int, sessionTimeout: int) -> bool:
        if self.localSessionTracker is not None and self.localSessionTracker.touchSession(sessionId, sessionTimeout):
            return True
        return self.globalSessionTracker.touchSession(sessionId, sessionTimeout)

    def createSession(self, sessionTimeout: int) -> int:
        if self.localSessionsEnabled:
            return self.localSessionTracker.createSession(sessionTimeout)
        return self.globalSessionTracker.createSession(sessionTimeout)

    @staticmethod
    def getServerIdFromSessionId(sessionId: int) -> int:
        return sessionId >> 56

    def checkSession(self, sessionId: int, owner) -> None:
        if self.localSessionTracker is not None:
            try:
                self.localSessionTracker.checkSession(sessionId, owner)
                # during an upgrade a session is both local and global
                if not self.isGlobalSession(sessionId):
                    return
            except KeeperException.UnknownSessionException:
                pass
        try:
            self.globalSessionTracker.checkSession(sessionId, owner)
            return
        except KeeperException.UnknownSessionException:
            pass
        # a local session of another server is checked there
        if not self.localSessionsEnabled or self.getServerIdFromSessionId(sessionId) == self.serverId:
            raise KeeperException.SessionExpiredException()

    def checkGlobalSession(self, sessionId: int, owner) -> None:
        try:
            self.globalSessionTracker.checkSession(sessionId, owner)
        except KeeperException.UnknownSessionException:
            raise KeeperException.SessionExpiredException() from None

    def setOwner(self, sessionId: int, owner) -> None:
        if self.localSessionTracker is not None:
            try:
                self.localSessionTracker.setOwner(sessionId, owner)
                return
            except KeeperException.SessionExpiredException:
                pass
        self.globalSessionTracker.setOwner(sessionId, owner)

    def dumpSessions(self, pwriter) -> None:
        if self.localSessionTracker is not None:
            pwriter.write("Local ")
            self.localSessionTracker.dumpSessions(pwriter)
            pwriter.write("Global ")
        self.globalSessionTracker.dumpSessions(pwriter)

    def setSessionClosing(self, sessionId: int) -> None:
        if self.localSessionTracker is not None:
            self.localSessionTracker.setSessionClosing(sessionId)
        self.globalSessionTracker.setSessionClosing(sessionId)

    def getSessionExpiryMap(self) -> dict[int, set[int]]:
        if self.localSessionTracker is not None:
            sessionExpiryMap = self.localSessionTracker.getSessionExpiryMap()
        else:
            sessionExpiryMap = {}
        sessionExpiryMap.update(self.globalSessionTracker.getSessionExpiryMap())
        return dict(sorted(sessionExpiryMap.items()))

    def globalSessions(self) -> set[int]:
        return self.globalSessionTracker.globalSessions()
