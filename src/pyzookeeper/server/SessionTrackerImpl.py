"""Mirrors org.apache.zookeeper.server.SessionTrackerImpl: the "SessionTracker"
thread that expires sessions, bucketed by tick in an ExpiryQueue."""

from __future__ import annotations

import logging
import threading

from pyzookeeper.common import Time
from pyzookeeper.KeeperException import KeeperException
from pyzookeeper.server.EphemeralType import EphemeralType
from pyzookeeper.server.ExpiryQueue import ExpiryQueue
from pyzookeeper.server.ServerMetrics import ServerMetrics
from pyzookeeper.server.SessionTracker import Session, SessionTracker
from pyzookeeper.server.ZooKeeperCriticalThread import ZooKeeperCriticalThread

LOG = logging.getLogger(__name__)

_MASK64 = (1 << 64) - 1


def _signed64(value: int) -> int:
    value &= _MASK64
    return value - (1 << 64) if value >= 1 << 63 else value


class SessionImpl(Session):
    __slots__ = ("sessionId", "timeout", "isClosing_", "owner")

    def __init__(self, sessionId: int, timeout: int) -> None:
        self.sessionId = sessionId
        self.timeout = timeout
        self.isClosing_ = False
        self.owner = None

    def getSessionId(self) -> int:
        return self.sessionId

    def getTimeout(self) -> int:
        return self.timeout

    def isClosing(self) -> bool:
        return self.isClosing_

    def __str__(self) -> str:
        return "0x" + format(self.sessionId & _MASK64, "x")


class SessionTrackerImpl(ZooKeeperCriticalThread, SessionTracker):
    SessionImpl = SessionImpl

    @staticmethod
    def initializeNextSessionId(id: int) -> int:
        """Server id in the top byte, the low 40 bits of the clock in ms above
        16 zero bits (Java's ``(now << 24) >>> 8 | id << 56``)."""
        nextSid = ((Time.currentElapsedTime() << 24) & _MASK64) >> 8
        nextSid = _signed64(nextSid | (id << 56))
        if nextSid == EphemeralType.CONTAINER_EPHEMERAL_OWNER:
            nextSid += 1
        return nextSid

    def __init__(self, expirer, sessionsWithTimeout: dict[int, int], tickTime: int, serverId: int,
                 listener) -> None:
        super().__init__("SessionTracker", listener)
        self._lock = threading.RLock()
        self.expirer = expirer
        self.sessionsById: dict[int, SessionImpl] = {}
        self.sessionExpiryQueue = ExpiryQueue(tickTime)
        self.sessionsWithTimeout = sessionsWithTimeout
        self.nextSessionId = SessionTrackerImpl.initializeNextSessionId(serverId)
        for sid, timeout in list(sessionsWithTimeout.items()):
            self.trackSession(sid, timeout)
        EphemeralType.validateServerId(serverId)
        self.running = True
        self._stopped = threading.Event()

    def dumpSessions(self, pwriter) -> None:
        pwriter.write("Session ")
        self.sessionExpiryQueue.dump(pwriter)

    def getSessionExpiryMap(self) -> dict[int, set[int]]:
        with self._lock:
            expiryMap = self.sessionExpiryQueue.getExpiryMap()
            return {t: {s.sessionId for s in sessions} for t, sessions in sorted(expiryMap.items())}

    def __str__(self) -> str:
        import io

        out = io.StringIO()
        self.dumpSessions(out)
        return out.getvalue()

    def run(self) -> None:
        metrics = ServerMetrics.getMetrics()
        while self.running:
            waitTime = self.sessionExpiryQueue.getWaitTime()
            if waitTime > 0:
                self._stopped.wait(waitTime / 1000.0)
                continue
            for s in self.sessionExpiryQueue.poll():
                metrics.STALE_SESSIONS_EXPIRED.add(1)
                self.setSessionClosing(s.sessionId)
                self.expirer.expire(s)
        LOG.info("SessionTrackerImpl exited loop!")

    def touchSession(self, sessionId: int, timeout: int) -> bool:
        with self._lock:
            s = self.sessionsById.get(sessionId)
            if s is None or s.isClosing_:
                return False
            self.sessionExpiryQueue.update(s, timeout)
            return True

    def getSessionTimeout(self, sessionId: int) -> int:
        return self.sessionsWithTimeout[sessionId]

    def setSessionClosing(self, sessionId: int) -> None:
        with self._lock:
            s = self.sessionsById.get(sessionId)
            if s is not None:
                s.isClosing_ = True

    def removeSession(self, sessionId: int) -> None:
        with self._lock:
            if LOG.isEnabledFor(logging.DEBUG):
                LOG.debug("Removing session 0x%s", format(sessionId & _MASK64, "x"))
            s = self.sessionsById.pop(sessionId, None)
            self.sessionsWithTimeout.pop(sessionId, None)
            if s is not None:
                self.sessionExpiryQueue.remove(s)

    def shutdown(self) -> None:
        LOG.info("Shutting down")
        self.running = False
        self._stopped.set()

    def createSession(self, sessionTimeout: int) -> int:
        with self._lock:
            sessionId = self.nextSessionId
            self.nextSessionId = _signed64(sessionId + 1)
        self.trackSession(sessionId, sessionTimeout)
        return sessionId

    def trackSession(self, id: int, sessionTimeout: int) -> bool:
        with self._lock:
            added = False
            session = self.sessionsById.get(id)
            if session is None:
                session = SessionImpl(id, sessionTimeout)
                self.sessionsById[id] = session
                added = True
                if LOG.isEnabledFor(logging.DEBUG):
                    LOG.debug("Adding session 0x%s", format(id & _MASK64, "x"))
            self.sessionExpiryQueue.update(session, sessionTimeout)
            return added

    def commitSession(self, id: int, sessionTimeout: int) -> bool:
        with self._lock:
            existed = id in self.sessionsWithTimeout
            self.sessionsWithTimeout[id] = sessionTimeout
            return not existed

    def isTrackingSession(self, sessionId: int) -> bool:
        return sessionId in self.sessionsById

    def checkSession(self, sessionId: int, owner) -> None:
        with self._lock:
            session = self.sessionsById.get(sessionId)
            if session is None:
                raise KeeperException.UnknownSessionException()
            if session.isClosing_:
                raise KeeperException.SessionExpiredException()
            if session.owner is None:
                session.owner = owner
            elif session.owner is not owner:
                raise KeeperException.SessionMovedException()

    def setOwner(self, id: int, owner) -> None:
        with self._lock:
            session = self.sessionsById.get(id)
            if session is None or session.isClosing_:
                raise KeeperException.SessionExpiredException()
            session.owner = owner

    def checkGlobalSession(self, sessionId: int, owner) -> None:
        try:
            self.checkSession(sessionId, owner)
        except KeeperException.UnknownSessionException:
            raise KeeperException.SessionExpiredException() from None

    def getLocalSessionCount(self) -> int:
        return 0

    def isLocalSessionsEnabled(self) -> bool:
        return False

    def globalSessions(self) -> set[int]:
        return set(self.sessionsById)

    def localSessions(self) -> set[int]:
        return set()
