"""Mirrors org.apache.zookeeper.server.ZooTrace: the trace mask and trace logging.

Python logging has no TRACE level; trace messages are written at DEBUG.
"""

from __future__ import annotations

import logging
import threading


class ZooTrace:
    CLIENT_REQUEST_TRACE_MASK = 1 << 1
    CLIENT_DATA_PACKET_TRACE_MASK = 1 << 2
    CLIENT_PING_TRACE_MASK = 1 << 3
    SERVER_PACKET_TRACE_MASK = 1 << 4
    SESSION_TRACE_MASK = 1 << 5
    EVENT_DELIVERY_TRACE_MASK = 1 << 6
    SERVER_PING_TRACE_MASK = 1 << 7
    WARNING_TRACE_MASK = 1 << 8
    JMX_TRACE_MASK = 1 << 9

    _lock = threading.Lock()
    traceMask = (CLIENT_REQUEST_TRACE_MASK | SERVER_PACKET_TRACE_MASK | SESSION_TRACE_MASK
                 | WARNING_TRACE_MASK)

    @staticmethod
    def getTextTraceLevel() -> int:
        with ZooTrace._lock:
            return ZooTrace.traceMask

    @staticmethod
    def setTextTraceLevel(mask: int) -> None:
        with ZooTrace._lock:
            ZooTrace.traceMask = mask
        logging.getLogger(__name__).info(
            "Set text trace mask to 0x%s", format(mask & 0xFFFFFFFFFFFFFFFF, "x"))

    @staticmethod
    def isTraceEnabled(log: logging.Logger, mask: int) -> bool:
        return log.isEnabledFor(logging.DEBUG) and (mask & ZooTrace.traceMask) != 0

    @staticmethod
    def logTraceMessage(log: logging.Logger, mask: int, msg: str) -> None:
        if ZooTrace.isTraceEnabled(log, mask):
            log.debug(msg)

    @staticmethod
    def logQuorumPacket(log: logging.Logger, mask: int, direction: str, qp) -> None:
        if ZooTrace.isTraceEnabled(log, mask):
            from pyzookeeper.server.quorum.LearnerHandler import LearnerHandler

            ZooTrace.logTraceMessage(log, mask, direction + " " + LearnerHandler.packetToString(qp))

    @staticmethod
    def logRequest(log: logging.Logger, mask: int, rp: str, request, header: str) -> None:
        if ZooTrace.isTraceEnabled(log, mask):
            log.debug("%s:%s%s", header, rp, request)
