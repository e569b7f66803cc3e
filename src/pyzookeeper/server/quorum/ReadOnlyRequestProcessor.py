"""Mirrors org.apache.zookeeper.server.quorum.ReadOnlyRequestProcessor: the
"ReadOnlyRequestProcessor:<id>" thread, first in a read-only server's chain.
Reads go on; writes, syncs and global session changes are answered with
NOTREADONLY."""

from __future__ import annotations

import logging
import queue

from pyzookeeper.KeeperException import Code
from pyzookeeper.proto.ReplyHeader import ReplyHeader
from pyzookeeper.server.Request import Request
from pyzookeeper.server.RequestProcessor import RequestProcessor
from pyzookeeper.server.ZooKeeperCriticalThread import ZooKeeperCriticalThread
from pyzookeeper.server.ZooTrace import ZooTrace
from pyzookeeper.server.quorum.FollowerRequestProcessor import drain_queue
from pyzookeeper.ZooDefs import OpCode

LOG = logging.getLogger(__name__)

_REJECTED_TYPES = frozenset({
    OpCode.sync, OpCode.create, OpCode.create2, OpCode.createTTL, OpCode.createContainer, OpCode.delete,
    OpCode.deleteContainer, OpCode.setData, OpCode.reconfig, OpCode.setACL, OpCode.multi, OpCode.check,
})


class ReadOnlyRequestProcessor(ZooKeeperCriticalThread, RequestProcessor):
    def __init__(self, zks, nextProcessor: RequestProcessor) -> None:
        super().__init__(f"ReadOnlyRequestProcessor:{zks.getServerId()}", zks.getZooKeeperServerListener())
        self.zks = zks
        self.nextProcessor = nextProcessor
        self.queuedRequests: queue.SimpleQueue[Request] = queue.SimpleQueue()
        self.finished = False

    def run(self) -> None:
        try:
            queued = self.queuedRequests
            while not self.finished:
                request = queued.get()
                if LOG.isEnabledFor(logging.DEBUG):
                    traceMask = (ZooTrace.CLIENT_PING_TRACE_MASK if request.type == OpCode.ping
                                 else ZooTrace.CLIENT_REQUEST_TRACE_MASK)
                    ZooTrace.logRequest(LOG, traceMask, "R", request, "")
                if request is Request.requestOfDeath:
                    break
                rtype = request.type
                if rtype in _REJECTED_TYPES:
                    self._sendErrorResponse(request)
                    continue
                if (rtype == OpCode.closeSession or rtype == OpCode.createSession) and not request.isLocalSession():
                    self._sendErrorResponse(request)
                    continue
                if self.nextProcessor is not None:
                    self.nextProcessor.processRequest(request)
        except Exception as e:
            self.handleException(self.getName(), e)
        LOG.info("ReadOnlyRequestProcessor exited loop!")

    def _sendErrorResponse(self, request: Request) -> None:
        hdr = ReplyHeader(request.cxid, self.zks.getZKDatabase().getDataTreeLastProcessedZxid(),
                          Code.NOTREADONLY.intValue())
        try:
            request.cnxn.sendResponse(hdr, None, None)
        except OSError as e:
            LOG.error("IO exception while sending response", exc_info=e)

    def processRequest(self, request: Request) -> None:
        if not self.finished:
            self.queuedRequests.put(request)

    def shutdown(self) -> None:
        self.finished = True
        drain_queue(self.queuedRequests)
        self.queuedRequests.put(Request.requestOfDeath)
        self.nextProcessor.shutdown()
