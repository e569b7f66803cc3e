"""Mirrors org.apache.zookeeper.server.FinalRequestProcessor: applies txns to the
database, answers reads, and sends every reply.

Deliberate differences: no audit log (``zookeeper.audit.enable``) and no
request-path metrics collector; both are off by default in Java.
"""

from __future__ import annotations

import logging

from pyzookeeper.common import Time
from pyzookeeper.data.ACL import ACL
from pyzookeeper.data.Id import Id
from pyzookeeper.data.Stat import Stat
from pyzookeeper.KeeperException import Code, KeeperException
from pyzookeeper.MultiOperationRecord import MultiOperationRecord
from pyzookeeper.MultiResponse import MultiResponse
from pyzookeeper.OpResult import (CheckResult, CreateResult, DeleteResult, ErrorResult,
                                  GetChildrenResult, GetDataResult, SetDataResult)
from pyzookeeper.proto.AddWatchRequest import AddWatchRequest
from pyzookeeper.proto.CheckWatchesRequest import CheckWatchesRequest
from pyzookeeper.proto.Create2Response import Create2Response
from pyzookeeper.proto.CreateResponse import CreateResponse
from pyzookeeper.proto.ErrorResponse import ErrorResponse
from pyzookeeper.proto.ExistsRequest import ExistsRequest
from pyzookeeper.proto.ExistsResponse import ExistsResponse
from pyzookeeper.proto.GetACLRequest import GetACLRequest
from pyzookeeper.proto.GetACLResponse import GetACLResponse
from pyzookeeper.proto.GetAllChildrenNumberRequest import GetAllChildrenNumberRequest
from pyzookeeper.proto.GetAllChildrenNumberResponse import GetAllChildrenNumberResponse
from pyzookeeper.proto.GetChildren2Request import GetChildren2Request
from pyzookeeper.proto.GetChildren2Response import GetChildren2Response
from pyzookeeper.proto.GetChildrenRequest import GetChildrenRequest
from pyzookeeper.proto.GetChildrenResponse import GetChildrenResponse
from pyzookeeper.proto.GetDataRequest import GetDataRequest
from pyzookeeper.proto.GetDataResponse import GetDataResponse
from pyzookeeper.proto.GetEphemeralsRequest import GetEphemeralsRequest
from pyzookeeper.proto.GetEphemeralsResponse import GetEphemeralsResponse
from pyzookeeper.proto.RemoveWatchesRequest import RemoveWatchesRequest
from pyzookeeper.proto.ReplyHeader import ReplyHeader
from pyzookeeper.proto.SetACLResponse import SetACLResponse
from pyzookeeper.proto.SetDataResponse import SetDataResponse
from pyzookeeper.proto.SetWatches import SetWatches
from pyzookeeper.proto.SetWatches2 import SetWatches2
from pyzookeeper.proto.SyncRequest import SyncRequest
from pyzookeeper.proto.SyncResponse import SyncResponse
from pyzookeeper.proto.WhoAmIResponse import WhoAmIResponse
from pyzookeeper.server.ByteBufferInputStream import byteBuffer2Record
from pyzookeeper.server.Request import Request
from pyzookeeper.server.RequestProcessor import RequestProcessor
from pyzookeeper.server.ServerMetrics import ServerMetrics
from pyzookeeper.server.util import AuthUtil
from pyzookeeper.Watcher import WatcherType
from pyzookeeper.ZooDefs import OpCode, Perms

LOG = logging.getLogger(__name__)

PING_XID = -2  # ClientCnxn.PING_XID


class FinalRequestProcessor(RequestProcessor):
    def __init__(self, zks) -> None:
        self.zks = zks

    def applyRequest(self, request: Request):
        zks = self.zks
        rc = zks.processTxn(request)
        if request.type == OpCode.closeSession and self.connClosedByClient(request):
            if (self.closeSession(zks.serverCnxnFactory, request.sessionId)
                    or self.closeSession(zks.secureServerCnxnFactory, request.sessionId)):
                return rc
        hdr = request.getHdr()
        if hdr is not None:
            propagationLatency = Time.currentWallTime() - hdr.time
            if propagationLatency >= 0:
                ServerMetrics.getMetrics().PROPAGATION_LATENCY.add(propagationLatency)
        return rc

    def processRequest(self, request: Request) -> None:
        if LOG.isEnabledFor(logging.DEBUG):
            LOG.debug("Processing request:: %s", request)
        rc = None
        if not request.isThrottled():
            rc = self.applyRequest(request)
        cnxn = request.cnxn
        if cnxn is None:
            return
        zks = self.zks
        zkDb = zks.getZKDatabase()
        lastZxid = zkDb.getDataTreeLastProcessedZxid()
        lastOp = "NA"
        zks.decInProcess()
        zks.requestFinished(request)
        err = Code.OK
        rsp = None
        path = None
        responseSize = 0
        rtype = request.type
        try:
            hdr = request.getHdr()
            if hdr is not None and hdr.type == OpCode.error:
                # the request failed in prep; its error was logged as an error txn
                if request.getException() is not None:
                    raise request.getException()
                raise KeeperException.create(request.getTxn().err)
            ke = request.getException()
            if isinstance(ke, KeeperException.SessionMovedException):
                raise ke
            if ke is not None and rtype != OpCode.multi:
                raise ke
            if LOG.isEnabledFor(logging.DEBUG):
                LOG.debug("%s", request)
            if request.isStale():
                ServerMetrics.getMetrics().STALE_REPLIES.add(1)
            if request.isThrottled():
                raise KeeperException.create(Code.THROTTLEDOP)

            if rtype == OpCode.getData:
                lastOp = "GETD"
                getDataRequest = byteBuffer2Record(request.request, GetDataRequest())
                path = getDataRequest.path
                rsp = self.handleGetDataRequest(getDataRequest, cnxn, request.authInfo)
            elif rtype == OpCode.setData:
                lastOp = "SETD"
                rsp = SetDataResponse(rc.stat)
                err = Code(rc.err)
            elif rtype == OpCode.create:
                lastOp = "CREA"
                rsp = CreateResponse(rc.path)
                err = Code(rc.err)
            elif rtype in (OpCode.create2, OpCode.createTTL, OpCode.createContainer):
                lastOp = "CREA"
                rsp = Create2Response(rc.path, rc.stat)
                err = Code(rc.err)
            elif rtype == OpCode.exists:
                lastOp = "EXIS"
                existsRequest = byteBuffer2Record(request.request, ExistsRequest())
                path = existsRequest.path
                if "\0" in path:
                    raise KeeperException.BadArgumentsException()
                n = zkDb.getNode(path)
                if n is not None:
                    zks.checkACL(cnxn, zkDb.aclForNode(n), Perms.READ, request.authInfo, path, None)
                stat = zkDb.statNode(path, cnxn if existsRequest.watch else None)
                rsp = ExistsResponse(stat)
            elif rtype == OpCode.ping:
                lastOp = "PING"
                self.updateStats(request, lastOp, lastZxid)
                responseSize = cnxn.sendResponse(ReplyHeader(PING_XID, lastZxid, 0), None, "response")
                return
            elif rtype == OpCode.createSession:
                lastOp = "SESS"
                self.updateStats(request, lastOp, lastZxid)
                zks.finishSessionInit(request.cnxn, True)
                return
            elif rtype == OpCode.multi:
                lastOp = "MULT"
                rsp = MultiResponse()
                for subTxnResult in rc.multiResult:
                    t = subTxnResult.type
                    if t == OpCode.check:
                        subResult = CheckResult()
                    elif t == OpCode.create:
                        subResult = CreateResult(subTxnResult.path)
                    elif t in (OpCode.create2, OpCode.createTTL, OpCode.createContainer):
                        subResult = CreateResult(subTxnResult.path, subTxnResult.stat, OpCode.create2)
                    elif t in (OpCode.delete, OpCode.deleteContainer):
                        subResult = DeleteResult()
                    elif t == OpCode.setData:
                        subResult = SetDataResult(subTxnResult.stat)
                    elif t == OpCode.error:
                        subResult = ErrorResult(subTxnResult.err)
                        if subTxnResult.err == Code.SESSIONMOVED:
                            raise KeeperException.SessionMovedException()
                    else:
                        raise IOError("Invalid type of op")
                    rsp.add(subResult)
            elif rtype == OpCode.multiRead:
                lastOp = "MLTR"
                multiReadRecord = byteBuffer2Record(request.request, MultiOperationRecord())
                rsp = MultiResponse()
                for readOp in multiReadRecord:
                    try:
                        if readOp.getType() == OpCode.getChildren:
                            rec = self.handleGetChildrenRequest(readOp.toRequestRecord(), cnxn, request.authInfo)
                            subResult = GetChildrenResult(rec.children)
                        elif readOp.getType() == OpCode.getData:
                            rec = self.handleGetDataRequest(readOp.toRequestRecord(), cnxn, request.authInfo)
                            subResult = GetDataResult(rec.data, rec.stat)
                        else:
                            raise IOError("Invalid type of readOp")
                    except KeeperException as e:
                        subResult = ErrorResult(e.code().intValue())
                    rsp.add(subResult)
            elif rtype in (OpCode.delete, OpCode.deleteContainer):
                lastOp = "DELE"
                err = Code(rc.err)
            elif rtype == OpCode.reconfig:
                lastOp = "RECO"
                rsp = GetDataResponse(str(zks.self.getQuorumVerifier()).encode("utf-8"), rc.stat)
                err = Code(rc.err)
            elif rtype == OpCode.setACL:
                lastOp = "SETA"
                rsp = SetACLResponse(rc.stat)
                err = Code(rc.err)
            elif rtype == OpCode.closeSession:
                lastOp = "CLOS"
                err = Code(rc.err)
            elif rtype == OpCode.sync:
                lastOp = "SYNC"
                syncRequest = byteBuffer2Record(request.request, SyncRequest())
                rsp = SyncResponse(syncRequest.path)
            elif rtype == OpCode.check:
                lastOp = "CHEC"
                rsp = SetDataResponse(rc.stat)
                err = Code(rc.err)
            elif rtype == OpCode.setWatches:
                lastOp = "SETW"
                setWatches = byteBuffer2Record(request.request, SetWatches())
                zkDb.setWatches(setWatches.relativeZxid, setWatches.dataWatches,
                                setWatches.existWatches, setWatches.childWatches, [], [], cnxn)
            elif rtype == OpCode.setWatches2:
                lastOp = "STW2"
                setWatches2 = byteBuffer2Record(request.request, SetWatches2())
                zkDb.setWatches(setWatches2.relativeZxid, setWatches2.dataWatches,
                                setWatches2.existWatches, setWatches2.childWatches,
                                setWatches2.persistentWatches, setWatches2.persistentRecursiveWatches,
                                cnxn)
            elif rtype == OpCode.addWatch:
                lastOp = "ADDW"
                addWatcherRequest = byteBuffer2Record(request.request, AddWatchRequest())
                zkDb.addWatch(addWatcherRequest.path, cnxn, addWatcherRequest.mode)
                rsp = ErrorResponse(0)
            elif rtype == OpCode.getACL:
                lastOp = "GETA"
                getACLRequest = byteBuffer2Record(request.request, GetACLRequest())
                path = getACLRequest.path
                n = zkDb.getNode(path)
                if n is None:
                    raise KeeperException.NoNodeException()
                zks.checkACL(cnxn, zkDb.aclForNode(n), Perms.READ | Perms.ADMIN, request.authInfo, path, None)
                stat = Stat()
                acl = zkDb.getACL(path, stat)
                try:
                    zks.checkACL(cnxn, zkDb.aclForNode(n), Perms.ADMIN, request.authInfo, path, None)
                    rsp = GetACLResponse(acl, stat)
                except KeeperException.NoAuthException:
                    acl1 = []
                    for a in acl:
                        if a.id.scheme == "digest":
                            user, sep, _ = a.id.id.partition(":")
                            acl1.append(ACL(a.perms, Id(a.id.scheme, user + ":x" if sep else user)))
                        else:
                            acl1.append(a)
                    rsp = GetACLResponse(acl1, stat)
            elif rtype == OpCode.getChildren:
                lastOp = "GETC"
                getChildrenRequest = byteBuffer2Record(request.request, GetChildrenRequest())
                path = getChildrenRequest.path
                rsp = self.handleGetChildrenRequest(getChildrenRequest, cnxn, request.authInfo)
            elif rtype == OpCode.getAllChildrenNumber:
                lastOp = "GETACN"
                req = byteBuffer2Record(request.request, GetAllChildrenNumberRequest())
                path = req.path
                n = zkDb.getNode(path)
                if n is None:
                    raise KeeperException.NoNodeException()
                zks.checkACL(cnxn, zkDb.aclForNode(n), Perms.READ, request.authInfo, path, None)
                rsp = GetAllChildrenNumberResponse(zkDb.getAllChildrenNumber(path))
            elif rtype == OpCode.getChildren2:
                lastOp = "GETC"
                getChildren2Request = byteBuffer2Record(request.request, GetChildren2Request())
                stat = Stat()
                path = getChildren2Request.path
                n = zkDb.getNode(path)
                if n is None:
                    raise KeeperException.NoNodeException()
                zks.checkACL(cnxn, zkDb.aclForNode(n), Perms.READ, request.authInfo, path, None)
                children = zkDb.getChildren(path, stat, cnxn if getChildren2Request.watch else None)
                rsp = GetChildren2Response(children, stat)
            elif rtype == OpCode.checkWatches:
                lastOp = "CHKW"
                checkWatches = byteBuffer2Record(request.request, CheckWatchesRequest())
                wtype = WatcherType.fromInt(checkWatches.type)
                path = checkWatches.path
                if not zkDb.containsWatcher(path, wtype, cnxn):
                    raise KeeperException.NoWatcherException(f"{path} (type: {wtype.name})")
            elif rtype == OpCode.removeWatches:
                lastOp = "REMW"
                removeWatches = byteBuffer2Record(request.request, RemoveWatchesRequest())
                wtype = WatcherType.fromInt(removeWatches.type)
                path = removeWatches.path
                if not zkDb.removeWatch(path, wtype, cnxn):
                    raise KeeperException.NoWatcherException(f"{path} (type: {wtype.name})")
            elif rtype == OpCode.whoAmI:
                lastOp = "HOMI"
                rsp = WhoAmIResponse(AuthUtil.getClientInfos(request.authInfo))
            elif rtype == OpCode.getEphemerals:
                lastOp = "GETE"
                getEphemerals = byteBuffer2Record(request.request, GetEphemeralsRequest())
                prefixPath = getEphemerals.prefixPath
                allEphems = zkDb.getDataTree().getEphemerals(request.sessionId)
                if prefixPath is None or not prefixPath.strip() or prefixPath.strip() == "/":
                    ephemerals = list(allEphems)
                else:
                    ephemerals = [p for p in allEphems if p.startswith(prefixPath)]
                rsp = GetEphemeralsResponse(ephemerals)
        except KeeperException.SessionMovedException:
            # the client moved to another server; close this connection
            cnxn.sendCloseSession()
            return
        except KeeperException as e:
            err = e.code()
        except Exception:
            LOG.error("Failed to process %s", request, exc_info=True)
            dump = request.request.hex() if request.request is not None else ""
            LOG.error("Dumping request buffer for request type %s: 0x%s", Request.op2String(rtype), dump)
            err = Code.MARSHALLINGERROR

        replyHdr = ReplyHeader(request.cxid, lastZxid, int(err))
        self.updateStats(request, lastOp, lastZxid)
        try:
            if path is None or rsp is None:
                responseSize = cnxn.sendResponse(replyHdr, rsp, "response")
            elif rtype == OpCode.getData or rtype == OpCode.getChildren2:
                responseSize = cnxn.sendResponse(replyHdr, rsp, "response", path, rsp.stat, rtype)
            else:
                responseSize = cnxn.sendResponse(replyHdr, rsp, "response")
            if rtype == OpCode.closeSession:
                cnxn.sendCloseSession()
        except OSError:
            LOG.error("FIXMSG", exc_info=True)
        finally:
            ServerMetrics.getMetrics().RESPONSE_BYTES.add(responseSize or 0)

    def handleGetChildrenRequest(self, request, cnxn, authInfo):
        zkDb = self.zks.getZKDatabase()
        path = request.path
        n = zkDb.getNode(path)
        if n is None:
            raise KeeperException.NoNodeException()
        self.zks.checkACL(cnxn, zkDb.aclForNode(n), Perms.READ, authInfo, path, None)
        children = zkDb.getChildren(path, None, cnxn if request.watch else None)
        return GetChildrenResponse(children)

    def handleGetDataRequest(self, request, cnxn, authInfo):
        zkDb = self.zks.getZKDatabase()
        path = request.path
        n = zkDb.getNode(path)
        if n is None:
            raise KeeperException.NoNodeException()
        self.zks.checkACL(cnxn, zkDb.aclForNode(n), Perms.READ, authInfo, path, None)
        stat = Stat()
        b = zkDb.getData(path, stat, cnxn if request.watch else None)
        return GetDataResponse(b, stat)

    @staticmethod
    def closeSession(serverCnxnFactory, sessionId: int) -> bool:
        if serverCnxnFactory is None:
            return False
        from pyzookeeper.server.ServerCnxn import ServerCnxn

        return serverCnxnFactory.closeSession(sessionId, ServerCnxn.DisconnectReason.CLIENT_CLOSED_SESSION)

    @staticmethod
    def connClosedByClient(request: Request) -> bool:
        return request.cnxn is None

    def shutdown(self) -> None:
        LOG.info("shutdown of request processor complete")

    def updateStats(self, request: Request, lastOp: str, lastZxid: int) -> None:
        if request.cnxn is None:
            return
        currentTime = Time.currentElapsedTime()
        self.zks.serverStats().updateLatency(request, currentTime)
        request.cnxn.updateStatsForResponse(request.cxid, lastZxid, lastOp, request.createTime, currentTime)
