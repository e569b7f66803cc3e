"""Mirrors org.apache.zookeeper.server.quorum.SendAckRequestProcessor: after
a follower's SyncRequestProcessor logged a proposal, queue its ACK for the
leader; ``flush()`` (Java's Flushable) sends the batch once the SyncThread
has fsynced it."""

from __future__ import annotations

import logging
import socket

from pyzookeeper.server.RequestProcessor import RequestProcessor
from pyzookeeper.server.ServerMetrics import ServerMetrics
from pyzookeeper.server.quorum.Leader import Leader
from pyzookeeper.server.quorum.QuorumPacket import QuorumPacket
from pyzookeeper.ZooDefs import OpCode

LOG = logging.getLogger(__name__)


class SendAckRequestProcessor(RequestProcessor):
    def __init__(self, peer) -> None:
        self.learner = peer

    def processRequest(self, si) -> None:
        if si.type == OpCode.sync:
            return
        qp = QuorumPacket(Leader.ACK, si.getHdr().zxid, None, None)
        try:
            si.logLatency(ServerMetrics.getMetrics().PROPOSAL_ACK_CREATION_LATENCY)
            self.learner.writePacket(qp, False)
        except (OSError, ValueError) as e:
            LOG.warning("Closing connection to leader, exception during packet send", exc_info=e)
            self._closeLeaderSocket()

    def flush(self) -> None:
        try:
            self.learner.writePacket(None, True)
        except (OSError, ValueError) as e:
            LOG.warning("Closing connection to leader, exception during packet send", exc_info=e)
            self._closeLeaderSocket()

    def _closeLeaderSocket(self) -> None:
        sock = self.learner.sock
        if sock is None:
            return
        try:
            # shut down first: that wakes the learner's thread blocked reading the socket
            sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        except OSError:
            LOG.debug("Ignoring error closing the connection", exc_info=True)

    def shutdown(self) -> None:
        """Nothing to stop."""
