"""Mirrors org.apache.zookeeper.server.persistence.FileTxnSnapLog: the
``version-2`` snapshot and transaction-log directories as one store, and the
restore of a DataTree from them."""

from __future__ import annotations

import logging
import os
from abc import ABC, abstractmethod
from pathlib import Path

from pyzookeeper import system_properties
from pyzookeeper.common import Time
from pyzookeeper.KeeperException import KeeperException
from pyzookeeper.server.persistence import Util
from pyzookeeper.server.persistence.FileSnap import FileSnap
from pyzookeeper.server.persistence.FileTxnLog import FileTxnLog
from pyzookeeper.server.persistence.SnapshotInfo import SnapshotInfo
from pyzookeeper.server.persistence.TxnLog import TxnLog
from pyzookeeper.server.ServerMetrics import ServerMetrics
from pyzookeeper.ZooDefs import OpCode

LOG = logging.getLogger(__name__)


def _parseBoolean(value: str | None) -> bool:
    """``Boolean.parseBoolean``."""
    return value is not None and value.lower() == "true"


class DatadirException(IOError):
    """The data or snapshot directory is missing, unwritable or misconfigured."""


class LogDirContentCheckException(DatadirException):
    pass


class SnapDirContentCheckException(DatadirException):
    pass


class PlayBackListener(ABC):
    """Told about each txn replayed from the log during restore."""

    @abstractmethod
    def onTxnLoaded(self, hdr, rec, digest) -> None:
        ...


class FileTxnSnapLog:
    VERSION = 2
    version = "version-"

    ZOOKEEPER_DATADIR_AUTOCREATE = "zookeeper.datadir.autocreate"
    ZOOKEEPER_DATADIR_AUTOCREATE_DEFAULT = "true"
    ZOOKEEPER_DB_AUTOCREATE = "zookeeper.db.autocreate"
    ZOOKEEPER_DB_AUTOCREATE_DEFAULT = "true"
    ZOOKEEPER_SNAPSHOT_TRUST_EMPTY = "zookeeper.snapshot.trust.empty"
    EMPTY_SNAPSHOT_WARNING = "No snapshot found, but there are log entries. "

    DatadirException = DatadirException
    LogDirContentCheckException = LogDirContentCheckException
    SnapDirContentCheckException = SnapDirContentCheckException
    PlayBackListener = PlayBackListener

    def __init__(self, dataDir: os.PathLike | str, snapDir: os.PathLike | str) -> None:
        """``dataDir`` holds the txn logs (dataLogDir), ``snapDir`` the snapshots (dataDir)."""
        LOG.debug("Opening datadir:%s snapDir:%s", dataDir, snapDir)
        self.dataDir = Path(dataDir) / (FileTxnSnapLog.version + str(FileTxnSnapLog.VERSION))
        self.snapDir = Path(snapDir) / (FileTxnSnapLog.version + str(FileTxnSnapLog.VERSION))

        enableAutocreate = _parseBoolean(system_properties.getProperty(
            FileTxnSnapLog.ZOOKEEPER_DATADIR_AUTOCREATE, FileTxnSnapLog.ZOOKEEPER_DATADIR_AUTOCREATE_DEFAULT))

        self.trustEmptySnapshot = system_properties.getBoolean(FileTxnSnapLog.ZOOKEEPER_SNAPSHOT_TRUST_EMPTY)
        LOG.info("%s : %s", FileTxnSnapLog.ZOOKEEPER_SNAPSHOT_TRUST_EMPTY, str(self.trustEmptySnapshot).lower())

        if not self.dataDir.exists():
            if not enableAutocreate:
                raise DatadirException(
                    f"Missing data directory {self.dataDir}, automatic data directory creation is disabled "
                    f"({FileTxnSnapLog.ZOOKEEPER_DATADIR_AUTOCREATE} is false). "
                    "Please create this directory manually.")
            if not _mkdirs(self.dataDir):
                raise DatadirException(f"Unable to create data directory {self.dataDir}")
        if not os.access(self.dataDir, os.W_OK):
            raise DatadirException(f"Cannot write to data directory {self.dataDir}")

        if not self.snapDir.exists():
            if not enableAutocreate:
                raise DatadirException(
                    f"Missing snap directory {self.snapDir}, automatic data directory creation is disabled "
                    f"({FileTxnSnapLog.ZOOKEEPER_DATADIR_AUTOCREATE} is false)."
                    "Please create this directory manually.")
            if not _mkdirs(self.snapDir):
                raise DatadirException(f"Unable to create snap directory {self.snapDir}")
        if not os.access(self.snapDir, os.W_OK):
            raise DatadirException(f"Cannot write to snap directory {self.snapDir}")

        if str(self.dataDir) != str(self.snapDir):
            self.checkLogDir()
            self.checkSnapDir()

        self.txnLog: TxnLog | None = FileTxnLog(self.dataDir)
        self.snapLog: FileSnap | None = FileSnap(self.snapDir)

        self.autoCreateDB = _parseBoolean(system_properties.getProperty(
            FileTxnSnapLog.ZOOKEEPER_DB_AUTOCREATE, FileTxnSnapLog.ZOOKEEPER_DB_AUTOCREATE_DEFAULT))

    def setServerStats(self, serverStats) -> None:
        self.txnLog.setServerStats(serverStats)

    def checkLogDir(self) -> None:
        files = Util.listFiles(self.dataDir) or []
        if any(Util.isSnapshotFileName(f.name) for f in files):
            raise LogDirContentCheckException(
                "Log directory has snapshot files. Check if dataLogDir and dataDir configuration is correct.")

    def checkSnapDir(self) -> None:
        files = Util.listFiles(self.snapDir) or []
        if any(Util.isLogFileName(f.name) for f in files):
            raise SnapDirContentCheckException(
                "Snapshot directory has log files. Check if dataLogDir and dataDir configuration is correct.")

    def getDataLogDir(self) -> Path:
        return self.dataDir

    def getSnapDir(self) -> Path:
        return self.snapDir

    def getLastSnapshotInfo(self) -> SnapshotInfo | None:
        return self.snapLog.getLastSnapshotInfo()

    def shouldForceWriteInitialSnapshotAfterLeaderElection(self) -> bool:
        return self.trustEmptySnapshot and self.getLastSnapshotInfo() is None

    def restore(self, dt, sessions: dict[int, int], listener: PlayBackListener) -> int:
        """Load the newest valid snapshot, then replay the logs after it.
        Returns the highest zxid restored (0 for a new empty database, -1 for
        an empty one that must not be trusted)."""
        snapLoadingStartTime = Time.currentElapsedTime()
        self.removeHeaderlessLastLog()
        deserializeResult = self.snapLog.deserialize(dt, sessions)
        ServerMetrics.getMetrics().STARTUP_SNAP_LOAD_TIME.add(Time.currentElapsedTime() - snapLoadingStartTime)
        txnLog = FileTxnLog(self.dataDir)
        initFile = self.dataDir.parent / "initialize"
        try:
            initFile.unlink()
            initFound = True
        except FileNotFoundError:
            initFound = False
        if initFound:
            LOG.info("Initialize file found, an empty database will not block voting participation")
            trustEmptyDB = True
        else:
            trustEmptyDB = self.autoCreateDB

        def finalizer() -> int:
            highestZxid = self.fastForwardFromEdits(dt, sessions, listener)
            snapshotZxidDigest = dt.getDigestFromLoadedSnapshot()
            if snapshotZxidDigest is not None:
                LOG.warning(
                    "Highest txn zxid 0x%s is not covering the snapshot digest zxid 0x%s, "
                    "which might lead to inconsistent state",
                    Util.toHexString(highestZxid), Util.toHexString(snapshotZxidDigest.getZxid()))
            return highestZxid

        if deserializeResult == -1:
            if txnLog.getLastLoggedZxid() != -1:
                if not self.trustEmptySnapshot:
                    raise IOError(FileTxnSnapLog.EMPTY_SNAPSHOT_WARNING + "Something is broken!")
                LOG.warning("%sThis should only be allowed during upgrading.", FileTxnSnapLog.EMPTY_SNAPSHOT_WARNING)
                return finalizer()
            if trustEmptyDB:
                self.save(dt, sessions, False)
                return 0
            LOG.warning("Unexpected empty data tree, setting zxid to -1")
            dt.lastProcessedZxid = -1
            return -1
        return finalizer()

    def removeHeaderlessLastLog(self) -> None:
        """Deletes the newest txn log if it is too short to hold its file header.

        A server killed between creating a new log and writing the header leaves
        such a file; it holds no txn, and Java 3.8.0 cannot start on it
        (ZOOKEEPER-2332, fixed in later releases by deleting it too). A log that
        is not the newest is left for the replay to report.
        """
        logs = FileTxnLog.getLogFiles(Util.listFiles(self.dataDir), 0)
        if not logs:
            return
        newest = logs[-1]
        try:
            size = newest.stat().st_size
        except FileNotFoundError:
            return
        if size < FileTxnLog.FILE_HEADER_SIZE:
            LOG.warning("Deleting %s: %s bytes, shorter than a txn log header (the server stopped while creating it)",
                        newest, size)
            newest.unlink()

    def fastForwardFromEdits(self, dt, sessions: dict[int, int], listener: PlayBackListener) -> int:
        """Apply every logged txn after ``dt.lastProcessedZxid``; the highest zxid seen."""
        itr = self.txnLog.read(dt.lastProcessedZxid + 1)
        highestZxid = dt.lastProcessedZxid
        txnLoaded = 0
        startTime = Time.currentElapsedTime()
        try:
            while True:
                hdr = itr.getHeader()
                if hdr is None:
                    return dt.lastProcessedZxid
                if hdr.zxid < highestZxid and highestZxid != 0:
                    LOG.error("%s(highestZxid) > %s(next log) for type %s", highestZxid, hdr.zxid, hdr.type)
                else:
                    highestZxid = hdr.zxid
                txn = itr.getTxn()
                digest = itr.getDigest()
                try:
                    self.processTransaction(hdr, dt, sessions, txn)
                    dt.compareDigest(hdr, txn, digest)
                    txnLoaded += 1
                except KeeperException.NoNodeException as e:
                    raise IOError(
                        f"Failed to process transaction type: {hdr.type} error: {e.getMessage()}") from e
                listener.onTxnLoaded(hdr, txn, digest)
                if not itr.next():
                    break
        finally:
            itr.close()
        loadTime = Time.currentElapsedTime() - startTime
        LOG.info("%s txns loaded in %s ms", txnLoaded, loadTime)
        ServerMetrics.getMetrics().STARTUP_TXNS_LOADED.add(txnLoaded)
        ServerMetrics.getMetrics().STARTUP_TXNS_LOAD_TIME.add(loadTime)
        return highestZxid

    def readTxnLog(self, zxid: int, fastForward: bool = True) -> TxnLog.TxnIterator:
        return FileTxnLog(self.dataDir).read(zxid, fastForward)

    def processTransaction(self, hdr, dt, sessions: dict[int, int], txn) -> None:
        """Apply one txn to the tree, keeping ``sessions`` in step."""
        if hdr.type == OpCode.createSession:
            sessions[hdr.clientId] = txn.timeOut
        elif hdr.type == OpCode.closeSession:
            sessions.pop(hdr.clientId, None)
        dt.processTxn(hdr, txn)

    def getLastLoggedZxid(self) -> int:
        return FileTxnLog(self.dataDir).getLastLoggedZxid()

    def save(self, dataTree, sessionsWithTimeouts: dict[int, int], syncSnap: bool) -> None:
        """Write a snapshot of ``dataTree`` named after its lastProcessedZxid."""
        lastZxid = dataTree.lastProcessedZxid
        snapshotFile = self.snapDir / Util.makeSnapshotName(lastZxid)
        LOG.info("Snapshotting: 0x%s to %s", Util.toHexString(lastZxid), snapshotFile)
        try:
            self.snapLog.serialize(dataTree, sessionsWithTimeouts, snapshotFile, syncSnap)
        except Exception:
            try:
                empty = snapshotFile.stat().st_size == 0
            except OSError:
                empty = True
            if empty:
                try:
                    snapshotFile.unlink()
                    LOG.info("Deleted empty snapshot file: %s", snapshotFile.absolute())
                except OSError:
                    LOG.warning("Could not delete empty snapshot file: %s", snapshotFile.absolute())
            raise

    def truncateLog(self, zxid: int) -> bool:
        """Cut the txn log after ``zxid`` (a follower's TRUNC) and reopen."""
        try:
            self.close()
            with FileTxnLog(self.dataDir) as truncLog:
                truncated = truncLog.truncate(zxid)
                self.txnLog = FileTxnLog(self.dataDir)
                self.snapLog = FileSnap(self.snapDir)
                return truncated
        except (OSError, EOFError) as e:
            LOG.error("Unable to truncate Txn log", exc_info=e)
            return False

    def findMostRecentSnapshot(self) -> Path | None:
        return FileSnap(self.snapDir).findMostRecentSnapshot()

    def findNRecentSnapshots(self, n: int) -> list[Path]:
        return FileSnap(self.snapDir).findNRecentSnapshots(n)

    def findNValidSnapshots(self, n: int) -> list[Path]:
        return FileSnap(self.snapDir).findNValidSnapshots(n)

    def getSnapshotLogs(self, zxid: int) -> list[Path]:
        """The log files needed to replay txns after a snapshot at ``zxid``."""
        return FileTxnLog.getLogFiles(Util.listFiles(self.dataDir), zxid)

    def append(self, si) -> bool:
        """Buffer the txn of request ``si`` in the log."""
        return self.txnLog.append(si.getHdr(), si.getTxn(), si.getTxnDigest(), txnBytes=si.getSerializeData())

    def commit(self) -> None:
        self.txnLog.commit()

    def getTxnLogElapsedSyncTime(self) -> int:
        return self.txnLog.getTxnLogSyncElapsedTime()

    def rollLog(self) -> None:
        self.txnLog.rollLog()

    def close(self) -> None:
        txnLogToClose = self.txnLog
        if txnLogToClose is not None:
            txnLogToClose.close()
        self.txnLog = None
        snapLogToClose = self.snapLog
        if snapLogToClose is not None:
            snapLogToClose.close()
        self.snapLog = None

    def setTotalLogSize(self, size: int) -> None:
        self.txnLog.setTotalLogSize(size)

    def getTotalLogSize(self) -> int:
        return self.txnLog.getTotalLogSize()


def _mkdirs(path: Path) -> bool:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return path.exists()
    return True
