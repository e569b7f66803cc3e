"""Mirrors org.apache.zookeeper.server.quorum.LearnerSyncRequest: a sync
forwarded by a learner, answered with a SYNC packet on its handler."""

from __future__ import annotations

from pyzookeeper.server.Request import Request


class LearnerSyncRequest(Request):
    __slots__ = ("fh",)

    def __init__(self, fh, sessionId: int, xid: int, type: int, bb: bytes | None, authInfo: list | None) -> None:
        super().__init__(None, sessionId, xid, type, bb, authInfo)
        self.fh = fh
