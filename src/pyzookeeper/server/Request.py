"""Mirrors org.apache.zookeeper.server.Request: one client request (or txn)
travelling down the processor chain.

Deliberate difference: ``request`` holds the request body as ``bytes`` (Java's
ByteBuffer positioned after the RequestHeader).
"""

from __future__ import annotations

import struct

from pyzookeeper import system_properties
from pyzookeeper.common import Time
from pyzookeeper.ZooDefs import OpCode
from pyzookeeper.server.persistence.Util import marshallTxnEntry

_INT = struct.Struct(">i")

_VALID_TYPES = frozenset({
    OpCode.closeSession, OpCode.create, OpCode.create2, OpCode.createTTL, OpCode.createContainer,
    OpCode.createSession, OpCode.delete, OpCode.deleteContainer, OpCode.exists, OpCode.getACL,
    OpCode.getChildren, OpCode.getAllChildrenNumber, OpCode.getChildren2, OpCode.getData,
    OpCode.getEphemerals, OpCode.multi, OpCode.multiRead, OpCode.ping, OpCode.reconfig,
    OpCode.setACL, OpCode.setData, OpCode.setWatches, OpCode.setWatches2, OpCode.sync,
    OpCode.checkWatches, OpCode.removeWatches, OpCode.addWatch, OpCode.whoAmI,
})

_READ_TYPES = frozenset({
    OpCode.exists, OpCode.getACL, OpCode.getChildren, OpCode.getAllChildrenNumber,
    OpCode.getChildren2, OpCode.getData, OpCode.getEphemerals, OpCode.multiRead, OpCode.whoAmI,
})

_QUORUM_TYPES = frozenset({
    OpCode.create, OpCode.create2, OpCode.createTTL, OpCode.createContainer, OpCode.error,
    OpCode.delete, OpCode.deleteContainer, OpCode.setACL, OpCode.setData, OpCode.check,
    OpCode.multi, OpCode.reconfig,
})

_OP_NAMES = {
    OpCode.notification: "notification", OpCode.create: "create", OpCode.delete: "delete",
    OpCode.exists: "exists", OpCode.getData: "getData", OpCode.setData: "setData",
    OpCode.getACL: "getACL", OpCode.setACL: "setACL", OpCode.getChildren: "getChildren",
    OpCode.sync: "sync", OpCode.ping: "ping", OpCode.getChildren2: "getChildren2",
    OpCode.check: "check", OpCode.multi: "multi", OpCode.create2: "create2",
    OpCode.reconfig: "reconfig", OpCode.checkWatches: "checkWatches",
    OpCode.removeWatches: "removeWatches", OpCode.createContainer: "createContainer",
    OpCode.deleteContainer: "deleteContainer", OpCode.createTTL: "createTtl",
    OpCode.multiRead: "multiRead", OpCode.auth: "auth", OpCode.setWatches: "setWatches",
    OpCode.setWatches2: "setWatches2", OpCode.sasl: "sasl", OpCode.getEphemerals: "getEphemerals",
    OpCode.getAllChildrenNumber: "getAllChildrenNumber", OpCode.createSession: "createSession",
    OpCode.closeSession: "closeSession", OpCode.error: "error", OpCode.whoAmI: "whoAmI",
}


def _hex(value: int) -> str:
    return format(value & 0xFFFFFFFFFFFFFFFF, "x")


class Request:
    __slots__ = (
        "sessionId", "cxid", "type", "request", "cnxn", "_hdr", "_txn", "zxid", "authInfo",
        "createTime", "prepQueueStartTime", "prepStartTime", "commitProcQueueStartTime",
        "commitRecvTime", "syncQueueStartTime", "requestThrottleQueueTime", "_owner", "_e", "qv",
        "_txnDigest", "_isThrottledFlag", "_isLocalSession", "_largeRequestSize", "_serializeData",
    )

    staleConnectionCheck = system_properties.getProperty(
        "zookeeper.request_stale_connection_check", "true").lower() == "true"
    staleLatencyCheck = system_properties.getProperty(
        "zookeeper.request_stale_latency_check", "false").lower() == "true"

    requestOfDeath: "Request"

    def __init__(self, cnxn=None, sessionId: int = 0, xid: int = 0, type: int = 0,
                 bb: bytes | None = None, authInfo: list | None = None) -> None:
        self.cnxn = cnxn
        self.sessionId = sessionId
        self.cxid = xid
        self.type = type
        self.request = bb
        self.authInfo = authInfo
        self._hdr = None
        self._txn = None
        self.zxid = -1
        self.createTime = Time.currentElapsedTime()
        self.prepQueueStartTime = -1
        self.prepStartTime = -1
        self.commitProcQueueStartTime = -1
        self.commitRecvTime = -1
        self.syncQueueStartTime = 0
        self.requestThrottleQueueTime = 0
        self._owner = None
        self._e = None
        self.qv = None
        self._txnDigest = None
        self._isThrottledFlag = False
        self._isLocalSession = False
        self._largeRequestSize = -1
        self._serializeData = None

    @classmethod
    def fromTxn(cls, sessionId: int, xid: int, type: int, hdr, txn, zxid: int) -> "Request":
        """The Java constructor ``Request(sessionId, xid, type, hdr, txn, zxid)``."""
        r = cls(None, sessionId, xid, type, None, None)
        r._hdr = hdr
        r._txn = txn
        r.zxid = zxid
        return r

    def isThrottled(self) -> bool:
        return self._isThrottledFlag

    def setIsThrottled(self, val: bool) -> None:
        self._isThrottledFlag = val

    def isThrottlable(self) -> bool:
        return self.type not in (OpCode.ping, OpCode.closeSession, OpCode.createSession)

    def isLocalSession(self) -> bool:
        return self._isLocalSession

    def setLocalSession(self, isLocalSession: bool) -> None:
        self._isLocalSession = isLocalSession

    def setLargeRequestSize(self, size: int) -> None:
        self._largeRequestSize = size

    def getLargeRequestSize(self) -> int:
        return self._largeRequestSize

    def getOwner(self):
        return self._owner

    def setOwner(self, owner) -> None:
        self._owner = owner

    def getHdr(self):
        return self._hdr

    def setHdr(self, hdr) -> None:
        self._hdr = hdr
        self._serializeData = None

    def getTxn(self):
        return self._txn

    def setTxn(self, txn) -> None:
        self._txn = txn
        self._serializeData = None

    def getConnection(self):
        return self.cnxn

    def isStale(self) -> bool:
        cnxn = self.cnxn
        if cnxn is None or self.type == OpCode.closeSession:
            return False
        if Request.staleConnectionCheck and (cnxn.isStale() or cnxn.isInvalid()):
            return True
        if Request.staleLatencyCheck:
            return (Time.currentElapsedTime() - self.createTime) > cnxn.getSessionTimeout()
        return False

    def mustDrop(self) -> bool:
        return self.cnxn is not None and self.cnxn.isInvalid()

    @staticmethod
    def isValid(type: int) -> bool:
        return type in _VALID_TYPES

    def isQuorum(self) -> bool:
        t = self.type
        if t in _QUORUM_TYPES:
            return True
        if t == OpCode.closeSession or t == OpCode.createSession:
            return not self._isLocalSession
        return False

    @staticmethod
    def op2String(op: int) -> str:
        name = _OP_NAMES.get(op)
        return name if name is not None else f"unknown {op}"

    def __str__(self) -> str:
        hdr = self._hdr
        path = "n/a"
        if (self.type not in (OpCode.createSession, OpCode.setWatches, OpCode.setWatches2,
                              OpCode.closeSession)
                and self.request is not None and len(self.request) >= 4):
            length = _INT.unpack_from(self.request, 0)[0]
            if 0 <= length < 4096 and len(self.request) - 4 >= length:
                path = self.request[4:4 + length].decode("utf-8", "replace")
        return (f"sessionid:0x{_hex(self.sessionId)} type:{Request.op2String(self.type)}"
                f" cxid:0x{_hex(self.cxid)} zxid:0x{_hex(-2 if hdr is None else hdr.zxid)}"
                f" txntype:{'unknown' if hdr is None else hdr.type} reqpath:{path}")

    toString = __str__

    def setException(self, e) -> None:
        self._e = e

    def getException(self):
        return self._e

    def logLatency(self, metric, key: str | None = None, currentTime: int | None = None) -> None:
        """Record now - txn time in a Summary (or a SummarySet under ``key``)."""
        hdr = self._hdr
        if hdr is None:
            return
        if currentTime is None:
            currentTime = Time.currentWallTime()
        latency = currentTime - hdr.time
        if latency >= 0:
            if key is None:
                metric.add(latency)
            else:
                metric.add(key, latency)

    def getUsersForAudit(self) -> str | None:
        from pyzookeeper.server.util import AuthUtil

        return AuthUtil.getUsers(self.authInfo)

    def getTxnDigest(self):
        return self._txnDigest

    def setTxnDigest(self, txnDigest) -> None:
        self._txnDigest = txnDigest
        self._serializeData = None

    def getSerializeData(self) -> bytes | None:
        """The txn as the log holds it (header, body, digest), or None without a
        header. Serialized once and kept for the log, the proposal and the
        committed-proposal window, where 3.8 serializes it for each (later
        Java versions keep it the same way)."""
        data = self._serializeData
        if data is None and self._hdr is not None:
            data = self._serializeData = marshallTxnEntry(self._hdr, self._txn, self._txnDigest)
        return data

    def isFromLearner(self) -> bool:
        from pyzookeeper.server.quorum.LearnerHandler import LearnerHandler

        return isinstance(self._owner, LearnerHandler)


Request.requestOfDeath = Request(None, 0, 0, 0, None, None)
