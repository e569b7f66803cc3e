"""Mirrors org.apache.zookeeper.server.SessionTracker and its nested
Session / SessionExpirer interfaces."""

from __future__ import annotations


class Session:
    def getSessionId(self) -> int:
        raise NotImplementedError

    def getTimeout(self) -> int:
        raise NotImplementedError

    def isClosing(self) -> bool:
        raise NotImplementedError


class SessionExpirer:
    def expire(self, session: Session) -> None:
        raise NotImplementedError

    def getServerId(self) -> int:
        raise NotImplementedError


class SessionTracker:
    """Tracks sessions and their timeouts; the interface of SessionTrackerImpl
    and the quorum session trackers."""

    Session = Session
    SessionExpirer = SessionExpirer

    def createSession(self, sessionTimeout: int) -> int:
        raise NotImplementedError

    def trackSession(self, id: int, to: int) -> bool:
        raise NotImplementedError

    def commitSession(self, id: int, to: int) -> bool:
        raise NotImplementedError

    def touchSession(self, sessionId: int, sessionTimeout: int) -> bool:
        raise NotImplementedError

    def setSessionClosing(self, sessionId: int) -> None:
        raise NotImplementedError

    def shutdown(self) -> None:
        raise NotImplementedError

    def removeSession(self, sessionId: int) -> None:
        raise NotImplementedError

    def isTrackingSession(self, sessionId: int) -> bool:
        raise NotImplementedError

    def checkSession(self, sessionId: int, owner) -> None:
        raise NotImplementedError

    def checkGlobalSession(self, sessionId: int, owner) -> None:
        raise NotImplementedError

    def setOwner(self, id: int, owner) -> None:
        raise NotImplementedError

    def dumpSessions(self, pwriter) -> None:
        raise NotImplementedError

    def getSessionExpiryMap(self) -> dict[int, set[int]]:
        raise NotImplementedError

    def getLocalSessionCount(self) -> int:
        raise NotImplementedError

    def isLocalSessionsEnabled(self) -> bool:
        raise NotImplementedError

    def globalSessions(self) -> set[int]:
        raise NotImplementedError

    def localSessions(self) -> set[int]:
        raise NotImplementedError
