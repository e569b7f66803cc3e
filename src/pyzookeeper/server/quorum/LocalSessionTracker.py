"""Mirrors org.apache.zookeeper.server.quorum.LocalSessionTracker: a
SessionTrackerImpl for sessions known to this server only, committed as soon
as they are created."""

from __future__ import annotations

from pyzookeeper.server.SessionTrackerImpl import SessionTrackerImpl


class LocalSessionTracker(SessionTrackerImpl):
    def isLocalSession(self, sessionId: int) -> bool:
        return self.isTrackingSession(sessionId)

    def isGlobalSession(self, sessionId: int) -> bool:
        return False

    def createSession(self, sessionTimeout: int) -> int:
        sessionId = super().createSession(sessionTimeout)
        self.commitSession(sessionId, sessionTimeout)
        return sessionId

    def localSessions(self) -> set[int]:
        return set(self.sessionsWithTimeout)
