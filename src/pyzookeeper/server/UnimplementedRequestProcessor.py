"""Mirrors org.apache.zookeeper.server.UnimplementedRequestProcessor: answers
an unknown op code with UNIMPLEMENTED and closes the session's connection."""

from __future__ import annotations

from pyzookeeper.KeeperException import KeeperException
from pyzookeeper.proto.ReplyHeader import ReplyHeader
from pyzookeeper.server.RequestProcessor import RequestProcessor, RequestProcessorException


class UnimplementedRequestProcessor(RequestProcessor):
    def processRequest(self, request) -> None:
        ke = KeeperException.UnimplementedException()
        request.setException(ke)
        rh = ReplyHeader(request.cxid, request.zxid, ke.code().intValue())
        try:
            request.cnxn.sendResponse(rh, None, "response")
        except OSError as e:
            raise RequestProcessorException("Can't send the response", e)
        request.cnxn.sendCloseSession()

    def shutdown(self) -> None:
        pass
