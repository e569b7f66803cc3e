"""Mirrors org.apache.zookeeper.server.quorum.LeaderRequestProcessor: the
first processor of the leader's own clients; checks write ACLs early and
upgrades a local session that creates an ephemeral node."""

from __future__ import annotations

import logging

from pyzookeeper.KeeperException import KeeperException
from pyzookeeper.server.RequestProcessor import RequestProcessor
from pyzookeeper.txn.ErrorTxn import ErrorTxn
from pyzookeeper.ZooDefs import OpCode

LOG = logging.getLogger(__name__)


class LeaderRequestProcessor(RequestProcessor):
    def __init__(self, zks, nextProcessor: RequestProcessor) -> None:
        self.lzks = zks
        self.nextProcessor = nextProcessor

    def processRequest(self, request) -> None:
        if not self.lzks.authWriteRequest(request):
            return
        upgradeRequest = None
        try:
            upgradeRequest = self.lzks.checkUpgradeSession(request)
        except KeeperException as ke:
            if request.getHdr() is not None:
                LOG.debug("Updating header")
                request.getHdr().type = OpCode.error
                request.setTxn(ErrorTxn(ke.code().intValue()))
            request.setException(ke)
            LOG.warning("Error creating upgrade request", exc_info=ke)
        except (OSError, EOFError) as ie:
            LOG.error("Unexpected error in upgrade", exc_info=ie)
        if upgradeRequest is not None:
            self.nextProcessor.processRequest(upgradeRequest)
        self.nextProcessor.processRequest(request)

    def shutdown(self) -> None:
        LOG.info("Shutting down")
        self.nextProcessor.shutdown()
