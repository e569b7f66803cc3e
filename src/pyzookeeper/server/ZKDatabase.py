"""Mirrors org.apache.zookeeper.server.ZKDatabase: the in-memory database
(DataTree and session timeouts) with its snapshot/log store and the window
of recently committed proposals that learners sync from.

Deliberate differences: the JDK's ReentrantReadWriteLock is one re-entrant lock here,
and a loaded database is frozen out of the cyclic garbage collector (``gc.freeze``).
"""

from __future__ import annotations

import _thread
import gc
import logging
import threading
from collections import deque

from pyzookeeper import ZooDefs, system_properties
from pyzookeeper.common import Time
from pyzookeeper.common.java_concurrent_hash_map import JavaConcurrentHashMap, long_hash
from pyzookeeper.KeeperException import KeeperException
from pyzookeeper.server.DataTree import DataTree
from pyzookeeper.server.persistence import Util
from pyzookeeper.server.persistence.FileTxnSnapLog import FileTxnSnapLog, PlayBackListener
from pyzookeeper.server.quorum.Leader import Leader, Proposal
from pyzookeeper.server.quorum.QuorumPacket import QuorumPacket
from pyzookeeper.server.Request import Request
from pyzookeeper.server.ServerMetrics import ServerMetrics
from pyzookeeper.server.TxnLogProposalIterator import TxnLogProposalIterator
from pyzookeeper.server.util import SerializeUtils

LOG = logging.getLogger(__name__)



class ReentrantReadWriteLock(_thread.RLock):
    """``java.util.concurrent.locks.ReentrantReadWriteLock`` as one re-entrant lock:
    readers exclude each other too. Under the interpreter lock readers gain nothing
    from running together, and the write lock is taken for every committed proposal,
    so it is the C lock itself (``with``, ``lock()``/``unlock()``)."""

    __slots__ = ()

    lock = _thread.RLock.acquire
    unlock = _thread.RLock.release

    def readLock(self) -> "ReentrantReadWriteLock":
        return self

    def writeLock(self) -> "ReentrantReadWriteLock":
        return self


def _parseDouble(text: str) -> float:
    """``Double.parseDouble`` for the plain decimal forms."""
    if "_" in text:
        raise ValueError(text)
    return float(text.strip())


class ZKDatabase:
    SNAPSHOT_SIZE_FACTOR = "zookeeper.snapshotSizeFactor"
    DEFAULT_SNAPSHOT_SIZE_FACTOR = 0.33
    COMMIT_LOG_COUNT = "zookeeper.commitLogCount"
    DEFAULT_COMMIT_LOG_COUNT = 500

    def __init__(self, snapLog: FileTxnSnapLog | None) -> None:
        self.dataTree = self.createDataTree()
        self.sessionsWithTimeouts: JavaConcurrentHashMap[int] = JavaConcurrentHashMap(long_hash)
        self.snapLog = snapLog
        self.minCommittedLog = 0
        self.maxCommittedLog = 0
        self.committedLog: deque[Proposal] = deque()
        self.logLock = ReentrantReadWriteLock()
        self.initialized = False
        self.txnCount = 0
        self._lock = threading.RLock()
        self._txnCountLock = threading.Lock()
        self.commitProposalPlaybackListener = ZKDatabase._CommitProposalPlaybackListener(self)

        try:
            self.snapshotSizeFactor = _parseDouble(system_properties.getProperty(
                ZKDatabase.SNAPSHOT_SIZE_FACTOR, str(ZKDatabase.DEFAULT_SNAPSHOT_SIZE_FACTOR)))
            if self.snapshotSizeFactor > 1:
                self.snapshotSizeFactor = ZKDatabase.DEFAULT_SNAPSHOT_SIZE_FACTOR
                LOG.warning("The configured %s is invalid, going to use the default %s",
                            ZKDatabase.SNAPSHOT_SIZE_FACTOR, ZKDatabase.DEFAULT_SNAPSHOT_SIZE_FACTOR)
        except ValueError:
            LOG.error("Error parsing %s, using default value %s",
                      ZKDatabase.SNAPSHOT_SIZE_FACTOR, ZKDatabase.DEFAULT_SNAPSHOT_SIZE_FACTOR)
            self.snapshotSizeFactor = ZKDatabase.DEFAULT_SNAPSHOT_SIZE_FACTOR
        LOG.info("%s = %s", ZKDatabase.SNAPSHOT_SIZE_FACTOR, self.snapshotSizeFactor)

        try:
            self.commitLogCount = Util.parseLong(system_properties.getProperty(
                ZKDatabase.COMMIT_LOG_COUNT, str(ZKDatabase.DEFAULT_COMMIT_LOG_COUNT)))
            if not -(2**31) <= self.commitLogCount < 2**31:
                raise ValueError(self.commitLogCount)
            if self.commitLogCount < ZKDatabase.DEFAULT_COMMIT_LOG_COUNT:
                self.commitLogCount = ZKDatabase.DEFAULT_COMMIT_LOG_COUNT
                LOG.warning("The configured commitLogCount %s is less than the recommended %s, "
                            "going to use the recommended one",
                            ZKDatabase.COMMIT_LOG_COUNT, ZKDatabase.DEFAULT_COMMIT_LOG_COUNT)
        except ValueError:
            LOG.error("Error parsing %s - use default value %s",
                      ZKDatabase.COMMIT_LOG_COUNT, ZKDatabase.DEFAULT_COMMIT_LOG_COUNT)
            self.commitLogCount = ZKDatabase.DEFAULT_COMMIT_LOG_COUNT
        LOG.info("%s=%s", ZKDatabase.COMMIT_LOG_COUNT, self.commitLogCount)

    class _CommitProposalPlaybackListener(PlayBackListener):
        """Adds every txn replayed at load time to the committed log."""

        def __init__(self, zkDb: "ZKDatabase") -> None:
            self.zkDb = zkDb

        def onTxnLoaded(self, hdr, txn, digest) -> None:
            r = Request.fromTxn(0, hdr.cxid, hdr.type, hdr, txn, hdr.zxid)
            r.setTxnDigest(digest)
            self.zkDb.addCommittedProposal(r)

    def isInitialized(self) -> bool:
        return self.initialized

    def clear(self) -> None:
        """Drop the tree, the sessions and the committed log (before a reload)."""
        self.minCommittedLog = 0
        self.maxCommittedLog = 0
        self.dataTree.shutdownWatcher()
        self.dataTree = self.createDataTree()
        self.sessionsWithTimeouts.clear()
        with self.logLock.writeLock():
            self.committedLog.clear()
        self.initialized = False

    def getDataTree(self) -> DataTree:
        return self.dataTree

    def getmaxCommittedLog(self) -> int:
        return self.maxCommittedLog

    def getminCommittedLog(self) -> int:
        return self.minCommittedLog

    def getLogLock(self) -> ReentrantReadWriteLock:
        return self.logLock

    def getCommittedLog(self) -> tuple[Proposal, ...]:
        """The committed proposals, oldest first (a snapshot of the window)."""
        with self.logLock.readLock():
            return tuple(self.committedLog)

    def getDataTreeLastProcessedZxid(self) -> int:
        return self.dataTree.lastProcessedZxid

    def getSessions(self):
        return self.dataTree.getSessions()

    def getSessionCount(self) -> int:
        return len(self.sessionsWithTimeouts)

    def getSessionWithTimeOuts(self) -> dict[int, int]:
        return self.sessionsWithTimeouts

    def loadDataBase(self) -> int:
        """Restore the tree from the newest snapshot and the logs; the last zxid."""
        startTime = Time.currentElapsedTime()
        zxid = self.snapLog.restore(self.dataTree, self.sessionsWithTimeouts, self.commitProposalPlaybackListener)
        self.initialized = True
        # the loaded tree lives as long as the server: keep the cyclic collector from rescanning it
        gc.freeze()
        loadTime = Time.currentElapsedTime() - startTime
        ServerMetrics.getMetrics().DB_INIT_TIME.add(loadTime)
        LOG.info("Snapshot loaded in %s ms, highest zxid is 0x%s, digest is %s",
                 loadTime, Util.toHexString(zxid), self.dataTree.getTreeDigest())
        return zxid

    def fastForwardDataBase(self) -> int:
        """Apply the logged txns newer than the tree; the last zxid."""
        zxid = self.snapLog.fastForwardFromEdits(
            self.dataTree, self.sessionsWithTimeouts, self.commitProposalPlaybackListener)
        self.initialized = True
        return zxid

    def addCommittedProposal(self, request: Request) -> None:
        """Append a committed request to the window of ``commitLogCount`` proposals."""
        with self.logLock.writeLock():
            committedLog = self.committedLog
            if len(committedLog) > self.commitLogCount:
                committedLog.popleft()
                self.minCommittedLog = committedLog[0].packet.zxid
            if not committedLog:
                self.minCommittedLog = request.zxid
                self.maxCommittedLog = request.zxid
            data = SerializeUtils.serializeRequest(request)
            p = Proposal()
            p.packet = QuorumPacket(Leader.PROPOSAL, request.zxid, data, None)
            p.request = request
            committedLog.append(p)
            self.maxCommittedLog = p.packet.zxid

    def isTxnLogSyncEnabled(self) -> bool:
        enabled = self.snapshotSizeFactor >= 0
        if enabled:
            LOG.info("On disk txn sync enabled with snapshotSizeFactor %s", self.snapshotSizeFactor)
        else:
            LOG.info("On disk txn sync disabled")
        return enabled

    def calculateTxnLogSizeLimit(self) -> int:
        """The most recent snapshot's size times ``snapshotSizeFactor``."""
        snapSize = 0
        try:
            snapFile = self.snapLog.findMostRecentSnapshot()
            if snapFile is not None:
                snapSize = snapFile.stat().st_size
        except OSError:
            LOG.error("Unable to get size of most recent snapshot")
        return int(snapSize * self.snapshotSizeFactor)

    def getProposalsFromTxnLog(self, startZxid: int, sizeLimit: int) -> TxnLogProposalIterator:
        """Proposals read from the txn log from ``startZxid`` on, or an empty
        iterator when the log cannot start exactly there or is over ``sizeLimit``."""
        if sizeLimit < 0:
            LOG.debug("Negative size limit - retrieving proposal via txnlog is disabled")
            return TxnLogProposalIterator.EMPTY_ITERATOR
        itr = None
        try:
            itr = self.snapLog.readTxnLog(startZxid, False)
            if itr.getHeader() is not None and itr.getHeader().zxid > startZxid:
                LOG.warning("Unable to find proposals from txnlog for zxid: 0x%s", Util.toHexString(startZxid))
                itr.close()
                return TxnLogProposalIterator.EMPTY_ITERATOR
            if sizeLimit > 0:
                txnSize = itr.getStorageSize()
                if txnSize > sizeLimit:
                    LOG.info("Txnlog size: %s exceeds sizeLimit: %s", txnSize, sizeLimit)
                    itr.close()
                    return TxnLogProposalIterator.EMPTY_ITERATOR
        except (OSError, EOFError) as e:
            LOG.error("Unable to read txnlog from disk", exc_info=e)
            try:
                if itr is not None:
                    itr.close()
            except OSError as ioe:
                LOG.warning("Error closing file iterator", exc_info=ioe)
            return TxnLogProposalIterator.EMPTY_ITERATOR
        return TxnLogProposalIterator(itr)

    def aclForNode(self, n):
        return self.dataTree.getACL(n)

    def removeCnxn(self, cnxn) -> None:
        self.dataTree.removeCnxn(cnxn)

    def killSession(self, sessionId: int, zxid: int) -> None:
        self.dataTree.killSession(sessionId, zxid)

    def dumpEphemerals(self, pwriter) -> None:
        self.dataTree.dumpEphemerals(pwriter)

    def getEphemerals(self, sessionId: int | None = None):
        """All ephemeral paths by session, or those of one session."""
        if sessionId is None:
            return self.dataTree.getEphemerals()
        return self.dataTree.getEphemerals(sessionId)

    def getNodeCount(self) -> int:
        return self.dataTree.getNodeCount()

    def setlastProcessedZxid(self, zxid: int) -> None:
        self.dataTree.lastProcessedZxid = zxid

    def processTxn(self, hdr, txn, digest):
        return self.dataTree.processTxn(hdr, txn, digest)

    def statNode(self, path: str, serverCnxn):
        return self.dataTree.statNode(path, serverCnxn)

    def getNode(self, path: str):
        return self.dataTree.getNode(path)

    def getData(self, path: str, stat, watcher):
        return self.dataTree.getData(path, stat, watcher)

    def setWatches(self, relativeZxid: int, dataWatches, existWatches, childWatches,
                   persistentWatches, persistentRecursiveWatches, watcher) -> None:
        self.dataTree.setWatches(relativeZxid, dataWatches, existWatches, childWatches,
                                 persistentWatches, persistentRecursiveWatches, watcher)

    def addWatch(self, basePath: str, watcher, mode: int) -> None:
        self.dataTree.addWatch(basePath, watcher, mode)

    def getACL(self, path: str, stat):
        return self.dataTree.getACL(path, stat)

    def getChildren(self, path: str, stat, watcher):
        return self.dataTree.getChildren(path, stat, watcher)

    def getAllChildrenNumber(self, path: str) -> int:
        return self.dataTree.getAllChildrenNumber(path)

    def isSpecialPath(self, path: str) -> bool:
        return self.dataTree.isSpecialPath(path)

    def getAclSize(self) -> int:
        return self.dataTree.aclCacheSize()

    def truncateLog(self, zxid: int) -> bool:
        """Cut the txn log after ``zxid`` and reload the database from disk."""
        self.clear()
        truncated = self.snapLog.truncateLog(zxid)
        if not truncated:
            return False
        self.loadDataBase()
        return True

    def deserializeSnapshot(self, ia) -> None:
        """Replace the database with a snapshot stream (a learner's SNAP sync)."""
        self.clear()
        SerializeUtils.deserializeSnapshot(self.getDataTree(), ia, self.getSessionWithTimeOuts())
        self.initialized = True

    def serializeSnapshot(self, oa) -> None:
        SerializeUtils.serializeSnapshot(self.getDataTree(), oa, self.getSessionWithTimeOuts())

    def append(self, si: Request) -> bool:
        """Buffer the txn of ``si`` in the log (made durable by ``commit``)."""
        if self.snapLog.append(si):
            with self._txnCountLock:
                self.txnCount += 1
            return True
        return False

    def rollLog(self) -> None:
        self.snapLog.rollLog()
        self.resetTxnCount()

    def commit(self) -> None:
        self.snapLog.commit()

    def close(self) -> None:
        self.snapLog.close()

    def initConfigInZKDatabase(self, qv) -> None:
        """Write the quorum configuration into /zookeeper/config."""
        if qv is None:
            return
        with self._lock:
            try:
                if self.dataTree.getNode(ZooDefs.CONFIG_NODE) is None:
                    LOG.warning("configuration znode missing (should only happen during upgrade), creating the node")
                    self.dataTree.addConfigNode()
                self.dataTree.setData(ZooDefs.CONFIG_NODE, str(qv).encode("utf-8"), -1, qv.getVersion(),
                                      Time.currentWallTime())
            except KeeperException.NoNodeException:
                print("configuration node missing - should not happen")

    def setSnapshotSizeFactor(self, snapshotSizeFactor: float) -> None:
        self.snapshotSizeFactor = snapshotSizeFactor

    def containsWatcher(self, path: str, type, watcher) -> bool:
        return self.dataTree.containsWatcher(path, type, watcher)

    def removeWatch(self, path: str, type, watcher) -> bool:
        return self.dataTree.removeWatch(path, type, watcher)

    def createDataTree(self) -> DataTree:
        return DataTree()

    def resetTxnCount(self) -> None:
        with self._txnCountLock:
            self.txnCount = 0
        self.snapLog.setTotalLogSize(0)

    def getTxnCount(self) -> int:
        return self.txnCount

    def getTxnSize(self) -> int:
        return self.snapLog.getTotalLogSize()

    def compareDigest(self, header, txn, digest) -> bool:
        return self.dataTree.compareDigest(header, txn, digest)
