"""Mirrors org.apache.zookeeper.server.quorum.AckRequestProcessor: the end of
the leader's log chain; once a txn is logged the leader acks it to itself."""

from __future__ import annotations

import logging

from pyzookeeper.server.RequestProcessor import RequestProcessor
from pyzookeeper.server.ServerMetrics import ServerMetrics

LOG = logging.getLogger(__name__)


class AckRequestProcessor(RequestProcessor):
    def __init__(self, leader) -> None:
        self.leader = leader

    def processRequest(self, request) -> None:
        self_ = self.leader.self
        if self_ is not None:
            request.logLatency(ServerMetrics.getMetrics().PROPOSAL_ACK_CREATION_LATENCY)
            self.leader.processAck(self_.getMyId(), request.zxid, None)
        else:
            LOG.error("Null QuorumPeer")

    def shutdown(self) -> None:
        pass
