"""Mirrors org.apache.zookeeper.server.PrepRequestProcessor: the
"ProcessThread(sid:N cport:P):" thread that validates each request, checks
ACLs and versions against the outstanding changes, and turns writes into txns
(failed writes into error txns) with the tree digest they will produce.
Deliberate difference: a createTTL whose mode is not a TTL mode gets
BADARGUMENTS, where Java's SyncThread dies applying it."""

from __future__ import annotations

import enum
import logging
import queue
import struct

from pyzookeeper.common import PathUtils, Time
from pyzookeeper.CreateMode import CreateMode
from pyzookeeper.data.ACL import ACL
from pyzookeeper.jute.BinaryInputArchive import bytesToString
from pyzookeeper.jute.BinaryOutputArchive import BinaryOutputArchive
from pyzookeeper.KeeperException import Code, KeeperException
from pyzookeeper.MultiOperationRecord import MultiOperationRecord
from pyzookeeper.proto.CheckVersionRequest import CheckVersionRequest
from pyzookeeper.proto.CreateRequest import CreateRequest
from pyzookeeper.proto.CreateTTLRequest import CreateTTLRequest
from pyzookeeper.proto.DeleteRequest import DeleteRequest
from pyzookeeper.proto.ReconfigRequest import ReconfigRequest
from pyzookeeper.proto.SetACLRequest import SetACLRequest
from pyzookeeper.proto.SetDataRequest import SetDataRequest
from pyzookeeper.server.auth.ProviderRegistry import ProviderRegistry
from pyzookeeper.server.ByteBufferInputStream import byteBuffer2Record
from pyzookeeper.server.DataTree import DataTree
from pyzookeeper.server.DigestCalculator import DigestCalculator
from pyzookeeper.server.EphemeralType import EphemeralType
from pyzookeeper.server.Request import Request
from pyzookeeper.server.RequestProcessor import RequestProcessor
from pyzookeeper.server.ServerMetrics import ServerMetrics
from pyzookeeper.server.ZooKeeperCriticalThread import ZooKeeperCriticalThread
from pyzookeeper.txn.CheckVersionTxn import CheckVersionTxn
from pyzookeeper.txn.CloseSessionTxn import CloseSessionTxn
from pyzookeeper.txn.CreateContainerTxn import CreateContainerTxn
from pyzookeeper.txn.CreateSessionTxn import CreateSessionTxn
from pyzookeeper.txn.CreateTTLTxn import CreateTTLTxn
from pyzookeeper.txn.CreateTxn import CreateTxn
from pyzookeeper.txn.DeleteTxn import DeleteTxn
from pyzookeeper.txn.ErrorTxn import ErrorTxn
from pyzookeeper.txn.MultiTxn import MultiTxn
from pyzookeeper.txn.SetACLTxn import SetACLTxn
from pyzookeeper.txn.SetDataTxn import SetDataTxn
from pyzookeeper.txn.Txn import Txn
from pyzookeeper.txn.TxnDigest import TxnDigest
from pyzookeeper.txn.TxnHeader import TxnHeader
from pyzookeeper.ZooDefs import CONFIG_NODE, OpCode, Perms

LOG = logging.getLogger(__name__)

_INT = struct.Struct(">i")
_HEADER = struct.Struct(">ii")
_UNSET = object()


def _hex(value: int) -> str:
    return format(value & 0xFFFFFFFFFFFFFFFF, "x")


class DigestOpCode(enum.Enum):
    NOOP = 0
    ADD = 1
    REMOVE = 2
    UPDATE = 3


class PrepRequestProcessor(ZooKeeperCriticalThread, RequestProcessor):
    failCreate = False
    DigestOpCode = DigestOpCode

    def __init__(self, zks, nextProcessor: RequestProcessor) -> None:
        super().__init__(f"ProcessThread(sid:{zks.getServerId()} cport:{zks.getClientPort()}):",
                         zks.getZooKeeperServerListener())
        self.submittedRequests: queue.SimpleQueue[Request] = queue.SimpleQueue()
        self.nextProcessor = nextProcessor
        self.zks = zks
        self.digestEnabled = zks.isDigestEnabled()
        self.digestCalculator = DigestCalculator() if self.digestEnabled else None

    @staticmethod
    def setFailCreate(b: bool) -> None:
        PrepRequestProcessor.failCreate = b

    def run(self) -> None:
        LOG.info("PrepRequestProcessor (sid:%d) started, reconfigEnabled=%s",
                 self.zks.getServerId(), "true" if self.zks.reconfigEnabled else "false")
        metrics = ServerMetrics.getMetrics()
        submitted = self.submittedRequests
        try:
            while True:
                metrics.PREP_PROCESSOR_QUEUE_SIZE.add(submitted.qsize())
                request = submitted.get()
                metrics.PREP_PROCESSOR_QUEUE_TIME.add(Time.currentElapsedTime() - request.prepQueueStartTime)
                if request is Request.requestOfDeath:
                    break
                request.prepStartTime = Time.currentElapsedTime()
                self.pRequest(request)
        except Exception as e:
            self.handleException(self.getName(), e)
        LOG.info("PrepRequestProcessor exited loop!")

    # -- outstanding changes --------------------------------------------------

    def getRecordForPath(self, path: str):
        zks = self.zks
        with zks.outstandingChangesLock:
            lastChange = zks.outstandingChangesForPath.get(path)
            if lastChange is None:
                zkDb = zks.getZKDatabase()
                n = zkDb.getNode(path)
                if n is not None:
                    children = n.getChildren()
                    lastChange = zks.ChangeRecord(-1, path, n.stat, len(children), zkDb.aclForNode(n))
                    if self.digestEnabled:
                        lastChange.precalculatedDigest = zks.PrecalculatedDigest(
                            self.digestCalculator.calculateDigest(path, n), 0)
                    lastChange.data = n.getData()
        if lastChange is None or lastChange.stat is None:
            raise KeeperException.NoNodeException(path)
        return lastChange

    def getOutstandingChange(self, path: str):
        with self.zks.outstandingChangesLock:
            return self.zks.outstandingChangesForPath.get(path)

    def addChangeRecord(self, c) -> None:
        zks = self.zks
        with zks.outstandingChangesLock:
            zks.outstandingChanges.append(c)
            zks.outstandingChangesForPath[c.path] = c
        ServerMetrics.getMetrics().OUTSTANDING_CHANGES_QUEUED.add(1)

    def getPendingChanges(self, multiRequest: MultiOperationRecord) -> dict:
        pendingChangeRecords = {}
        for op in multiRequest:
            path = op.getPath()
            cr = self.getOutstandingChange(path)
            if cr is not None:
                pendingChangeRecords[path] = cr
            # the parent's record changes too (child count, cversion)
            lastSlash = path.rfind("/")
            if lastSlash == -1 or "\0" in path:
                continue
            parentPath = path[:lastSlash]
            parentCr = self.getOutstandingChange(parentPath)
            if parentCr is not None:
                pendingChangeRecords[parentPath] = parentCr
        return pendingChangeRecords

    def rollbackPendingChanges(self, zxid: int, pendingChangeRecords: dict) -> None:
        zks = self.zks
        with zks.outstandingChangesLock:
            changes = zks.outstandingChanges
            while changes and changes[-1].zxid == zxid:
                c = changes.pop()
                zks.outstandingChangesForPath.pop(c.path, None)
            if not changes:
                return
            firstZxid = changes[0].zxid
            for c in pendingChangeRecords.values():
                if c.zxid < firstZxid:
                    continue
                zks.outstandingChangesForPath[c.path] = c

    # -- validation ---------------------------------------------------------------

    def validatePathForCreate(self, path: str, sessionId: int) -> str:
        lastSlash = path.rfind("/")
        if lastSlash == -1 or "\0" in path or PrepRequestProcessor.failCreate:
            LOG.info("Invalid path %s with session 0x%s", path, _hex(sessionId))
            raise KeeperException.BadArgumentsException(path)
        return path[:lastSlash]

    def validatePath(self, path: str, sessionId: int) -> None:
        try:
            PathUtils.validatePath(path)
        except ValueError as ie:
            LOG.info("Invalid path %s with session 0x%s, reason: %s", path, _hex(sessionId), ie)
            raise KeeperException.BadArgumentsException(path) from None

    def getParentPathAndValidate(self, path: str) -> str:
        lastSlash = path.rfind("/")
        if lastSlash == -1 or "\0" in path or self.zks.getZKDatabase().isSpecialPath(path):
            raise KeeperException.BadArgumentsException(path)
        return path[:lastSlash]

    @staticmethod
    def checkAndIncVersion(currentVersion: int, expectedVersion: int, path: str) -> int:
        if expectedVersion != -1 and expectedVersion != currentVersion:
            raise KeeperException.BadVersionException(path)
        return currentVersion + 1

    # -- request to txn ------------------------------------------------------------

    def pRequest2Txn(self, type: int, zxid: int, request: Request, record, deserialize: bool) -> None:
        zks = self.zks
        if request.getHdr() is None:
            request.setHdr(TxnHeader(request.sessionId, request.cxid, zxid, Time.currentWallTime(), type))
        hdrZxid = request.getHdr().zxid
        if type in (OpCode.create, OpCode.create2, OpCode.createTTL, OpCode.createContainer):
            self.pRequest2TxnCreate(type, request, record, deserialize)
        elif type == OpCode.deleteContainer:
            data = request.request
            if request.cnxn is not None:
                # Java reads the path from the buffer's whole backing array, which for a
                # client's request is the frame with its request header
                data = _HEADER.pack(request.cxid, request.type) + data
            path = bytesToString(data)
            parentPath = self.getParentPathAndValidate(path)
            nodeRecord = self.getRecordForPath(path)
            if nodeRecord.childCount > 0:
                raise KeeperException.NotEmptyException(path)
            if EphemeralType.get(nodeRecord.stat.ephemeralOwner) == EphemeralType.NORMAL:
                raise KeeperException.BadVersionException(path)
            parentRecord = self.getRecordForPath(parentPath)
            request.setTxn(DeleteTxn(path))
            self._recordDelete(request, path, parentPath, parentRecord, hdrZxid)
        elif type == OpCode.delete:
            zks.sessionTracker.checkSession(request.sessionId, request.getOwner())
            deleteRequest = record
            if deserialize:
                byteBuffer2Record(request.request, deleteRequest)
            path = deleteRequest.path
            parentPath = self.getParentPathAndValidate(path)
            parentRecord = self.getRecordForPath(parentPath)
            zks.checkACL(request.cnxn, parentRecord.acl, Perms.DELETE, request.authInfo, path, None)
            nodeRecord = self.getRecordForPath(path)
            self.checkAndIncVersion(nodeRecord.stat.version, deleteRequest.version, path)
            if nodeRecord.childCount > 0:
                raise KeeperException.NotEmptyException(path)
            request.setTxn(DeleteTxn(path))
            self._recordDelete(request, path, parentPath, parentRecord, hdrZxid)
        elif type == OpCode.setData:
            zks.sessionTracker.checkSession(request.sessionId, request.getOwner())
            setDataRequest = record
            if deserialize:
                byteBuffer2Record(request.request, setDataRequest)
            path = setDataRequest.path
            self.validatePath(path, request.sessionId)
            nodeRecord = self.getRecordForPath(path)
            zks.checkACL(request.cnxn, nodeRecord.acl, Perms.WRITE, request.authInfo, path, None)
            zks.checkQuota(path, nodeRecord.data, setDataRequest.data, OpCode.setData)
            newVersion = self.checkAndIncVersion(nodeRecord.stat.version, setDataRequest.version, path)
            request.setTxn(SetDataTxn(path, setDataRequest.data, newVersion))
            nodeRecord = nodeRecord.duplicate(hdrZxid)
            nodeRecord.stat.version = newVersion
            nodeRecord.stat.mtime = request.getHdr().time
            nodeRecord.stat.mzxid = zxid
            nodeRecord.data = setDataRequest.data
            nodeRecord.precalculatedDigest = self.precalculateDigest(
                DigestOpCode.UPDATE, path, nodeRecord.data, nodeRecord.stat)
            self.setTxnDigest(request, nodeRecord.precalculatedDigest)
            self.addChangeRecord(nodeRecord)
        elif type == OpCode.reconfig:
            self.pRequest2TxnReconfig(request, record, zxid)
        elif type == OpCode.setACL:
            zks.sessionTracker.checkSession(request.sessionId, request.getOwner())
            setAclRequest = record
            if deserialize:
                byteBuffer2Record(request.request, setAclRequest)
            path = setAclRequest.path
            self.validatePath(path, request.sessionId)
            listACL = self.fixupACL(path, request.authInfo, setAclRequest.acl)
            nodeRecord = self.getRecordForPath(path)
            zks.checkACL(request.cnxn, nodeRecord.acl, Perms.ADMIN, request.authInfo, path, listACL)
            newVersion = self.checkAndIncVersion(nodeRecord.stat.aversion, setAclRequest.version, path)
            request.setTxn(SetACLTxn(path, listACL, newVersion))
            nodeRecord = nodeRecord.duplicate(hdrZxid)
            nodeRecord.stat.aversion = newVersion
            nodeRecord.precalculatedDigest = self.precalculateDigest(
                DigestOpCode.UPDATE, path, nodeRecord.data, nodeRecord.stat)
            self.setTxnDigest(request, nodeRecord.precalculatedDigest)
            self.addChangeRecord(nodeRecord)
        elif type == OpCode.createSession:
            to = _INT.unpack_from(request.request, 0)[0]
            request.setTxn(CreateSessionTxn(to))
            zks.sessionTracker.trackSession(request.sessionId, to)
            zks.setOwner(request.sessionId, request.getOwner())
        elif type == OpCode.closeSession:
            startTime = Time.currentElapsedTime()
            with zks.outstandingChangesLock:
                es = zks.getZKDatabase().getEphemerals(request.sessionId)
                for c in zks.outstandingChanges:
                    if c.stat is None:
                        es.discard(c.path)
                    elif c.stat.ephemeralOwner == request.sessionId:
                        es.add(c.path)
                for path2Delete in es:
                    if self.digestEnabled:
                        parentPath = self.getParentPathAndValidate(path2Delete)
                        parentRecord = self.getRecordForPath(parentPath)
                        parentRecord = parentRecord.duplicate(hdrZxid)
                        parentRecord.stat.pzxid = hdrZxid
                        parentRecord.precalculatedDigest = self.precalculateDigest(
                            DigestOpCode.UPDATE, parentPath, parentRecord.data, parentRecord.stat)
                        self.addChangeRecord(parentRecord)
                    nodeRecord = zks.ChangeRecord(hdrZxid, path2Delete, None, 0, None)
                    nodeRecord.precalculatedDigest = self.precalculateDigest(DigestOpCode.REMOVE, path2Delete)
                    self.addChangeRecord(nodeRecord)
                if zks.isCloseSessionTxnEnabled():
                    request.setTxn(CloseSessionTxn(list(es)))
                zks.sessionTracker.setSessionClosing(request.sessionId)
            ServerMetrics.getMetrics().CLOSE_SESSION_PREP_TIME.add(Time.currentElapsedTime() - startTime)
        elif type == OpCode.check:
            zks.sessionTracker.checkSession(request.sessionId, request.getOwner())
            checkVersionRequest = record
            if deserialize:
                byteBuffer2Record(request.request, checkVersionRequest)
            path = checkVersionRequest.path
            self.validatePath(path, request.sessionId)
            nodeRecord = self.getRecordForPath(path)
            zks.checkACL(request.cnxn, nodeRecord.acl, Perms.READ, request.authInfo, path, None)
            request.setTxn(CheckVersionTxn(
                path, self.checkAndIncVersion(nodeRecord.stat.version, checkVersionRequest.version, path)))
        else:
            LOG.warning("unknown type %s", type)
        if request.getTxnDigest() is None and self.digestEnabled:
            self.setTxnDigest(request)

    def _recordDelete(self, request: Request, path: str, parentPath: str, parentRecord, zxid: int) -> None:
        """The change records of a delete: the parent loses a child, the node goes."""
        parentRecord = parentRecord.duplicate(zxid)
        parentRecord.childCount -= 1
        parentRecord.stat.pzxid = zxid
        parentRecord.precalculatedDigest = self.precalculateDigest(
            DigestOpCode.UPDATE, parentPath, parentRecord.data, parentRecord.stat)
        self.addChangeRecord(parentRecord)
        nodeRecord = self.zks.ChangeRecord(zxid, path, None, -1, None)
        nodeRecord.precalculatedDigest = self.precalculateDigest(DigestOpCode.REMOVE, path)
        self.setTxnDigest(request, nodeRecord.precalculatedDigest)
        self.addChangeRecord(nodeRecord)

    def pRequest2TxnReconfig(self, request: Request, record, zxid: int) -> None:
        """The reconfig op; only a leader (LeaderZooKeeperServer) can run it."""
        zks = self.zks
        if not zks.isReconfigEnabled():
            LOG.error("Reconfig operation requested but reconfig feature is disabled.")
            raise KeeperException.ReconfigDisabledException()
        if zks.skipACL:
            LOG.warning("skipACL is set, reconfig operation will skip ACL checks!")
        zks.sessionTracker.checkSession(request.sessionId, request.getOwner())
        if zks.getState() != "leader":
            raise KeeperException.UnimplementedException()
        request.qv = zks.prepareReconfig(request, record)
        nodeRecord = self.getRecordForPath(CONFIG_NODE)
        zks.checkACL(request.cnxn, nodeRecord.acl, Perms.WRITE, request.authInfo, None, None)
        setDataTxn = SetDataTxn(CONFIG_NODE, str(request.qv).encode("utf-8"), -1)
        request.setTxn(setDataTxn)
        hdrZxid = request.getHdr().zxid
        nodeRecord = nodeRecord.duplicate(hdrZxid)
        nodeRecord.stat.version = -1
        nodeRecord.stat.mtime = request.getHdr().time
        nodeRecord.stat.mzxid = zxid
        nodeRecord.data = setDataTxn.data
        nodeRecord.precalculatedDigest = self.precalculateDigest(
            DigestOpCode.NOOP, CONFIG_NODE, nodeRecord.data, nodeRecord.stat)
        self.setTxnDigest(request, nodeRecord.precalculatedDigest)
        self.addChangeRecord(nodeRecord)

    def pRequest2TxnCreate(self, type: int, request: Request, record, deserialize: bool) -> None:
        zks = self.zks
        if deserialize:
            byteBuffer2Record(request.request, record)
        flags = record.flags
        path = record.path
        acl = record.acl
        data = record.data
        ttl = record.ttl if type == OpCode.createTTL else -1
        createMode = CreateMode.fromFlag(flags)
        self.validateCreateRequest(path, createMode, request, ttl)
        parentPath = self.validatePathForCreate(path, request.sessionId)
        listACL = self.fixupACL(path, request.authInfo, acl)
        parentRecord = self.getRecordForPath(parentPath)
        zks.checkACL(request.cnxn, parentRecord.acl, Perms.CREATE, request.authInfo, path, listACL)
        parentCVersion = parentRecord.stat.cversion
        if createMode.isSequential():
            path = path + "%010d" % parentCVersion
        self.validatePath(path, request.sessionId)
        # Java calls getRecordForPath and ignores its NoNodeException; the
        # lookup without the exception answers the same
        lastChange = self.getOutstandingChange(path)
        if lastChange is None:
            if self.zks.getZKDatabase().getNode(path) is not None:
                raise KeeperException.NodeExistsException(path)
        elif lastChange.stat is not None:
            raise KeeperException.NodeExistsException(path)
        if EphemeralType.get(parentRecord.stat.ephemeralOwner) == EphemeralType.NORMAL:
            raise KeeperException.NoChildrenForEphemeralsException(path)
        newCversion = parentRecord.stat.cversion + 1
        zks.checkQuota(path, None, data, OpCode.create)
        if type == OpCode.createContainer:
            request.setTxn(CreateContainerTxn(path, data, listACL, newCversion))
        elif type == OpCode.createTTL:
            if not createMode.isTTL():
                # Java logs this txn and then fails to apply its ttl, killing SyncThread
                raise KeeperException.BadArgumentsException(path)
            request.setTxn(CreateTTLTxn(path, data, listACL, newCversion, ttl))
        else:
            request.setTxn(CreateTxn(path, data, listACL, createMode.isEphemeral(), newCversion))
        hdr = request.getHdr()
        if createMode.isContainer():
            ephemeralOwner = EphemeralType.CONTAINER_EPHEMERAL_OWNER
        elif createMode.isTTL():
            ephemeralOwner = EphemeralType.TTL.toEphemeralOwner(ttl)
        elif createMode.isEphemeral():
            ephemeralOwner = request.sessionId
        else:
            ephemeralOwner = 0
        s = DataTree.createStat(hdr.zxid, hdr.time, ephemeralOwner)
        parentRecord = parentRecord.duplicate(hdr.zxid)
        parentRecord.childCount += 1
        parentRecord.stat.cversion = newCversion
        parentRecord.stat.pzxid = hdr.zxid
        parentRecord.precalculatedDigest = self.precalculateDigest(
            DigestOpCode.UPDATE, parentPath, parentRecord.data, parentRecord.stat)
        self.addChangeRecord(parentRecord)
        nodeRecord = zks.ChangeRecord(hdr.zxid, path, s, 0, listACL)
        nodeRecord.data = data
        nodeRecord.precalculatedDigest = self.precalculateDigest(DigestOpCode.ADD, path, nodeRecord.data, s)
        self.setTxnDigest(request, nodeRecord.precalculatedDigest)
        self.addChangeRecord(nodeRecord)

    # -- the request loop ------------------------------------------------------------

    def pRequest(self, request: Request) -> None:
        request.setHdr(None)
        request.setTxn(None)
        if not request.isThrottled():
            self.pRequestHelper(request)
        request.zxid = self.zks.getZxid()
        timeFinishedPrepare = Time.currentElapsedTime()
        metrics = ServerMetrics.getMetrics()
        metrics.PREP_PROCESS_TIME.add(timeFinishedPrepare - request.prepStartTime)
        self.nextProcessor.processRequest(request)
        metrics.PROPOSAL_PROCESS_TIME.add(Time.currentElapsedTime() - timeFinishedPrepare)

    def pRequestHelper(self, request: Request) -> None:
        zks = self.zks
        rtype = request.type
        try:
            if rtype in (OpCode.createContainer, OpCode.create, OpCode.create2):
                self.pRequest2Txn(rtype, zks.getNextZxid(), request, CreateRequest(), True)
            elif rtype == OpCode.setData:
                self.pRequest2Txn(rtype, zks.getNextZxid(), request, SetDataRequest(), True)
            elif rtype in (OpCode.deleteContainer, OpCode.delete):
                self.pRequest2Txn(rtype, zks.getNextZxid(), request, DeleteRequest(), True)
            elif rtype == OpCode.createTTL:
                self.pRequest2Txn(rtype, zks.getNextZxid(), request, CreateTTLRequest(), True)
            elif rtype == OpCode.reconfig:
                reconfigRequest = byteBuffer2Record(request.request, ReconfigRequest())
                self.pRequest2Txn(rtype, zks.getNextZxid(), request, reconfigRequest, False)
            elif rtype == OpCode.setACL:
                self.pRequest2Txn(rtype, zks.getNextZxid(), request, SetACLRequest(), True)
            elif rtype == OpCode.check:
                self.pRequest2Txn(rtype, zks.getNextZxid(), request, CheckVersionRequest(), True)
            elif rtype == OpCode.multi:
                self.pRequestMulti(request)
            elif rtype in (OpCode.createSession, OpCode.closeSession):
                if not request.isLocalSession():
                    self.pRequest2Txn(rtype, zks.getNextZxid(), request, None, True)
            elif rtype in _SESSION_CHECKED_READS:
                zks.sessionTracker.checkSession(request.sessionId, request.getOwner())
            else:
                LOG.warning("unknown type %s", rtype)
        except KeeperException as e:
            hdr = request.getHdr()
            if hdr is not None:
                hdr.type = OpCode.error
                request.setTxn(ErrorTxn(e.code().intValue()))
            if e.code().intValue() > Code.APIERROR:
                LOG.info("Got user-level KeeperException when processing %s Error Path:%s Error:%s",
                         request, e.getPath(), e.getMessage())
            request.setException(e)
        except Exception:
            LOG.error("Failed to process %s", request, exc_info=True)
            dump = request.request.hex() if request.request is not None else "request buffer is null"
            LOG.error("Dumping request buffer for request type %s: 0x%s", Request.op2String(rtype), dump)
            hdr = request.getHdr()
            if hdr is not None:
                hdr.type = OpCode.error
                request.setTxn(ErrorTxn(Code.MARSHALLINGERROR.intValue()))

    def pRequestMulti(self, request: Request) -> None:
        zks = self.zks
        multiRequest = MultiOperationRecord()
        try:
            byteBuffer2Record(request.request, multiRequest)
        except (IOError, EOFError):
            request.setHdr(TxnHeader(request.sessionId, request.cxid, zks.getNextZxid(),
                                     Time.currentWallTime(), OpCode.multi))
            raise
        txns = []
        zxid = zks.getNextZxid()
        ke = None
        pendingChanges = self.getPendingChanges(multiRequest)
        request.setHdr(TxnHeader(request.sessionId, request.cxid, zxid, Time.currentWallTime(), request.type))
        for op in multiRequest:
            subrequest = op.toRequestRecord()
            if ke is not None:
                # an earlier op failed: the rest are not attempted
                optype = OpCode.error
                txn = ErrorTxn(Code.RUNTIMEINCONSISTENCY.intValue())
            else:
                try:
                    self.pRequest2Txn(op.getType(), zxid, request, subrequest, False)
                    optype = op.getType()
                    txn = request.getTxn()
                except KeeperException as e:
                    ke = e
                    optype = OpCode.error
                    txn = ErrorTxn(e.code().intValue())
                    if e.code().intValue() > Code.APIERROR:
                        LOG.info("Got user-level KeeperException when processing %s aborting"
                                 " remaining multi ops. Error Path:%s Error:%s",
                                 request, e.getPath(), e.getMessage())
                    request.setException(e)
                    self.rollbackPendingChanges(zxid, pendingChanges)
            boa = BinaryOutputArchive()
            txn.serialize(boa, "request")
            txns.append(Txn(optype, boa.getvalue()))
        request.setTxn(MultiTxn(txns))
        if self.digestEnabled:
            self.setTxnDigest(request)

    @staticmethod
    def removeDuplicates(acls):
        if not acls:
            return []
        retval = []
        for acl in acls:
            if acl not in retval:
                retval.append(acl)
        return retval

    def validateCreateRequest(self, path: str, createMode: CreateMode, request: Request, ttl: int) -> None:
        if createMode.isTTL() and not EphemeralType.extendedEphemeralTypesEnabled():
            raise KeeperException.UnimplementedException()
        try:
            EphemeralType.validateTTL(createMode, ttl)
        except ValueError:
            raise KeeperException.BadArgumentsException(path) from None
        if createMode.isEphemeral():
            # an earlier failure of this request (e.g. a local session upgrade) wins
            if request.getException() is not None:
                raise request.getException()
            self.zks.sessionTracker.checkGlobalSession(request.sessionId, request.getOwner())
        else:
            self.zks.sessionTracker.checkSession(request.sessionId, request.getOwner())

    @staticmethod
    def fixupACL(path: str, authInfo, acls):
        """Expand ``auth`` ids to the caller's authenticated ids and reject
        ids no provider accepts."""
        uniqacls = PrepRequestProcessor.removeDuplicates(acls)
        if not uniqacls:
            raise KeeperException.InvalidACLException(path)
        rv = []
        for a in uniqacls:
            if LOG.isEnabledFor(logging.DEBUG):
                LOG.debug("Processing ACL: %s", a)
            if a is None:
                raise KeeperException.InvalidACLException(path)
            ident = a.id
            if ident is None or ident.scheme is None:
                raise KeeperException.InvalidACLException(path)
            if ident.scheme == "world" and ident.id == "anyone":
                rv.append(a)
            elif ident.scheme == "auth":
                authIdValid = False
                for cid in authInfo or ():
                    ap = ProviderRegistry.getServerProvider(cid.scheme)
                    if ap is None:
                        LOG.error("Missing AuthenticationProvider for %s", cid.scheme)
                    elif ap.isAuthenticated():
                        authIdValid = True
                        rv.append(ACL(a.perms, cid))
                if not authIdValid:
                    raise KeeperException.InvalidACLException(path)
            else:
                ap = ProviderRegistry.getServerProvider(ident.scheme)
                if ap is None or not ap.isValid(ident.id):
                    raise KeeperException.InvalidACLException(path)
                rv.append(a)
        return rv

    def processRequest(self, request: Request) -> None:
        request.prepQueueStartTime = Time.currentElapsedTime()
        self.submittedRequests.put(request)
        ServerMetrics.getMetrics().PREP_PROCESSOR_QUEUED.add(1)

    def shutdown(self) -> None:
        LOG.info("Shutting down")
        while True:
            try:
                self.submittedRequests.get_nowait()
            except queue.Empty:
                break
        self.submittedRequests.put(Request.requestOfDeath)
        self.nextProcessor.shutdown()

    # -- digests ----------------------------------------------------------------------

    def precalculateDigest(self, type: DigestOpCode, path: str, data: bytes | None = None, s=None):
        if not self.digestEnabled:
            return None
        if type is DigestOpCode.ADD:
            prevNodeDigest = 0
            newNodeDigest = self.digestCalculator.calculateDigest(path, data, s)
        elif type is DigestOpCode.REMOVE:
            prevNodeDigest = self.getRecordForPath(path).precalculatedDigest.nodeDigest
            newNodeDigest = 0
        elif type is DigestOpCode.UPDATE:
            prevNodeDigest = self.getRecordForPath(path).precalculatedDigest.nodeDigest
            newNodeDigest = self.digestCalculator.calculateDigest(path, data, s)
        else:
            prevNodeDigest = newNodeDigest = 0
        treeDigest = _wrap64(self.getCurrentTreeDigest() - prevNodeDigest + newNodeDigest)
        return self.zks.PrecalculatedDigest(newNodeDigest, treeDigest)

    def getCurrentTreeDigest(self) -> int:
        zks = self.zks
        with zks.outstandingChangesLock:
            if not zks.outstandingChanges:
                return zks.getZKDatabase().getDataTree().getTreeDigest()
            return zks.outstandingChanges[-1].precalculatedDigest.treeDigest

    def setTxnDigest(self, request: Request, preCalculatedDigest=_UNSET) -> None:
        if preCalculatedDigest is _UNSET:
            request.setTxnDigest(TxnDigest(self.digestCalculator.getDigestVersion(), self.getCurrentTreeDigest()))
        elif preCalculatedDigest is not None:
            request.setTxnDigest(TxnDigest(self.digestCalculator.getDigestVersion(),
                                           preCalculatedDigest.treeDigest))


def _wrap64(value: int) -> int:
    value &= 0xFFFFFFFFFFFFFFFF
    return value - (1 << 64) if value >= 1 << 63 else value


_SESSION_CHECKED_READS = frozenset({
    OpCode.sync, OpCode.exists, OpCode.getData, OpCode.getACL, OpCode.getChildren,
    OpCode.getAllChildrenNumber, OpCode.getChildren2, OpCode.ping, OpCode.setWatches,
    OpCode.setWatches2, OpCode.checkWatches, OpCode.removeWatches, OpCode.getEphemerals,
    OpCode.multiRead, OpCode.addWatch, OpCode.whoAmI,
})
