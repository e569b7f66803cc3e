"""Mirrors org.apache.zookeeper.server.persistence.FileTxnLog: the write-ahead
transaction log, with its inner PositionInputStream and FileTxnIterator.

Deliberate differences: appends go to an ``io.BufferedWriter`` as one framed
entry per call (header, Adler32, length, txn bytes and the 0x42 byte) and the
padding decision and ``getCurrentLogSize`` use the logical write position
(no system call per txn); the iterator reads an entry's frame with two reads
instead of field by field. On disk the result is
byte for byte what Java writes and reads.
"""

from __future__ import annotations

import collections
import io
import logging
import os
import struct
import threading
import time
import zlib
from pathlib import Path

from pyzookeeper import system_properties
from pyzookeeper.jute.BinaryInputArchive import UNREASONBLE_LENGTH, BinaryInputArchive
from pyzookeeper.server.persistence.FileHeader import FileHeader
from pyzookeeper.server.persistence.FilePadding import FilePadding
from pyzookeeper.server.persistence.TxnLog import TxnLog
from pyzookeeper.server.persistence import Util
from pyzookeeper.server.Request import Request
from pyzookeeper.server.ServerMetrics import ServerMetrics
from pyzookeeper.server.util import SerializeUtils

LOG = logging.getLogger(__name__)

_ENTRY_HEAD = struct.Struct(">qi")
_HEADER = struct.Struct(">iiq")
_EOR = 0x42
_WRITE_BUFFER_SIZE = 512 * 1024
_READ_BUFFER_SIZE = 256 * 1024

_fdatasync = getattr(os, "fdatasync", os.fsync)


class FileTxnLog(TxnLog):
    """Appends txns to ``log.<zxid>`` files and reads them back."""

    TXNLOG_MAGIC = 0x5A4B4C47
    VERSION = 2
    LOG_FILE_PREFIX = Util.LOG_FILE_PREFIX
    FILE_HEADER_SIZE = _HEADER.size

    FSYNC_WARNING_THRESHOLD_MS_PROPERTY = "fsync.warningthresholdms"
    ZOOKEEPER_FSYNC_WARNING_THRESHOLD_MS_PROPERTY = "zookeeper." + FSYNC_WARNING_THRESHOLD_MS_PROPERTY
    txnLogSizeLimitSetting = "zookeeper.txnLogSizeLimitInKb"

    fsyncWarningThresholdMS = 1000
    txnLogSizeLimit = -1
    _configured = False

    @classmethod
    def _configure(cls) -> None:
        """The Java static initializer, run when the class is first used."""
        if cls._configured:
            return
        cls._configured = True
        threshold = system_properties.getLong(cls.ZOOKEEPER_FSYNC_WARNING_THRESHOLD_MS_PROPERTY)
        if threshold is None:
            threshold = system_properties.getLong(cls.FSYNC_WARNING_THRESHOLD_MS_PROPERTY, 1000)
        cls.fsyncWarningThresholdMS = threshold
        logSize = system_properties.getLong(cls.txnLogSizeLimitSetting, -1)
        if logSize > 0:
            LOG.info("%s = %s", cls.txnLogSizeLimitSetting, logSize)
            cls.txnLogSizeLimit = logSize * 1024

    def __init__(self, logDir: os.PathLike | str) -> None:
        FileTxnLog._configure()
        self.lastZxidSeen = 0
        self.logStream: io.BufferedWriter | None = None
        self.fos: io.FileIO | None = None
        self.logDir = Path(logDir)
        self.forceSync = system_properties.getProperty("zookeeper.forceSync", "yes") != "no"
        self.dbId = 0
        self.streamsToFlush: collections.deque[io.BufferedWriter] = collections.deque()
        self.logFileWrite: Path | None = None
        self.filePadding = FilePadding()
        self.serverStats = None
        self.syncElapsedMS = -1
        self.prevLogsRunningTotal = 0
        self._position = 0
        self._lock = threading.RLock()

    @staticmethod
    def setPreallocSize(size: int) -> None:
        FilePadding.setPreallocSize(size)

    def setServerStats(self, serverStats) -> None:
        with self._lock:
            self.serverStats = serverStats

    @classmethod
    def setTxnLogSizeLimit(cls, size: int) -> None:
        cls._configure()
        cls.txnLogSizeLimit = size

    def getCurrentLogSize(self) -> int:
        """The length of the log file being written (preallocation included),
        known without asking the file system."""
        with self._lock:
            if self.logFileWrite is not None:
                return max(self.filePadding.currentSize, self._position)
            return 0

    def setTotalLogSize(self, size: int) -> None:
        with self._lock:
            self.prevLogsRunningTotal = size

    def getTotalLogSize(self) -> int:
        with self._lock:
            return self.prevLogsRunningTotal + self.getCurrentLogSize()

    def rollLog(self) -> None:
        """Start a new log file with the next append."""
        with self._lock:
            if self.logStream is not None:
                self.logStream.flush()
                self.prevLogsRunningTotal += self.getCurrentLogSize()
                self.logStream = None

    def close(self) -> None:
        with self._lock:
            if self.logStream is not None:
                self.logStream.close()
            for log in self.streamsToFlush:
                log.close()

    def append(self, hdr, txn=None, digest=None, txnBytes: bytes | None = None) -> bool:
        """Buffer one txn; nothing reaches the disk before ``commit``. ``txnBytes``
        are the entry's serialized bytes when the caller already has them."""
        with self._lock:
            if hdr is None:
                return False
            zxid = hdr.zxid
            if zxid <= self.lastZxidSeen:
                LOG.warning("Current zxid %s is <= %s for %s", zxid, self.lastZxidSeen, Request.op2String(hdr.type))
            else:
                self.lastZxidSeen = zxid
            logStream = self.logStream
            if logStream is None:
                logStream = self._createLogFile(zxid)
            if self._position + 4096 >= self.filePadding.currentSize:
                self.filePadding.padFile(self.fos.fileno(), self._position)
            buf = txnBytes if txnBytes is not None else Util.marshallTxnEntry(hdr, txn, digest)
            if not buf:
                raise IOError("Faulty serialization for header and txn")
            size = len(buf)
            logStream.write(_ENTRY_HEAD.pack(zlib.adler32(buf), size))
            logStream.write(buf)
            logStream.write(b"B")
            self._position += size + 13
            return True

    def _createLogFile(self, zxid: int) -> io.BufferedWriter:
        name = Util.makeLogName(zxid)
        LOG.info("Creating new log file: %s", name)
        self.logFileWrite = self.logDir / name
        self.fos = io.FileIO(self.logFileWrite, "w")
        self.logStream = io.BufferedWriter(self.fos, _WRITE_BUFFER_SIZE)
        self.logStream.write(_HEADER.pack(FileTxnLog.TXNLOG_MAGIC, FileTxnLog.VERSION, self.dbId))
        self.logStream.flush()
        self._position = _HEADER.size
        self.filePadding.setCurrentSize(self._position)
        self.streamsToFlush.append(self.logStream)
        return self.logStream

    @staticmethod
    def getLogFiles(logDirList, snapshotZxid: int) -> list[Path]:
        """The log files holding txns after ``snapshotZxid``: the newest file
        starting at or before it, and every later one, oldest first."""
        files = Util.sortDataDir(logDirList, Util.LOG_FILE_PREFIX, True)
        logZxid = 0
        for f in files:
            fzxid = Util.getZxidFromName(f.name, Util.LOG_FILE_PREFIX)
            if fzxid > snapshotZxid:
                break
            if fzxid > logZxid:
                logZxid = fzxid
        return [f for f in files if Util.getZxidFromName(f.name, Util.LOG_FILE_PREFIX) >= logZxid]

    def getLastLoggedZxid(self) -> int:
        files = FileTxnLog.getLogFiles(Util.listFiles(self.logDir), 0)
        maxLog = Util.getZxidFromName(files[-1].name, Util.LOG_FILE_PREFIX) if files else -1
        zxid = maxLog
        try:
            with FileTxnLog(self.logDir) as txn, txn.read(maxLog) as itr:
                while itr.next():
                    zxid = itr.getHeader().zxid
        except (OSError, EOFError) as e:
            LOG.warning("Unexpected exception", exc_info=e)
        return zxid

    def commit(self) -> None:
        """Flush every open log and fsync it (unless ``zookeeper.forceSync=no``)."""
        with self._lock:
            if self.logStream is not None:
                self.logStream.flush()
            for log in self.streamsToFlush:
                log.flush()
                if self.forceSync:
                    fd = log.fileno()
                    startSyncNS = time.monotonic_ns()
                    _fdatasync(fd)
                    self.syncElapsedMS = (time.monotonic_ns() - startSyncNS) // 1_000_000
                    if self.syncElapsedMS > FileTxnLog.fsyncWarningThresholdMS:
                        if self.serverStats is not None:
                            self.serverStats.incrementFsyncThresholdExceedCount()
                        LOG.warning(
                            "fsync-ing the write ahead log in %s took %sms which will adversely effect operation "
                            "latency.File size is %s bytes. See the ZooKeeper troubleshooting guide",
                            threading.current_thread().name, self.syncElapsedMS, os.fstat(fd).st_size)
                    ServerMetrics.getMetrics().FSYNC_TIME.add(self.syncElapsedMS)
            while len(self.streamsToFlush) > 1:
                self.streamsToFlush.popleft().close()
            if FileTxnLog.txnLogSizeLimit > 0:
                logSize = self.getCurrentLogSize()
                if logSize > FileTxnLog.txnLogSizeLimit:
                    LOG.debug("Log size limit reached: %s", logSize)
                    self.rollLog()

    def getTxnLogSyncElapsedTime(self) -> int:
        return self.syncElapsedMS

    def read(self, zxid: int, fastForward: bool = True) -> "FileTxnLog.FileTxnIterator":
        """An iterator positioned on the first txn with a zxid >= ``zxid``
        (or, without fastForward, on the first txn of the file holding it)."""
        return FileTxnLog.FileTxnIterator(self.logDir, zxid, fastForward)

    def truncate(self, zxid: int) -> bool:
        """Cut the logs just after the txn ``zxid`` and delete later files."""
        with FileTxnLog.FileTxnIterator(self.logDir, zxid) as itr:
            stream = itr.inputStream
            if stream is None:
                raise IOError(
                    "No log files found to truncate! This could happen if you still have snapshots from an old "
                    "setup or log files were deleted accidentally or dataLogDir was changed in zoo.cfg.")
            pos = stream.getPosition()
            os.truncate(itr.logFile, pos)
            while itr.goToNextLog():
                try:
                    itr.logFile.unlink()
                except OSError:
                    LOG.warning("Unable to truncate %s", itr.logFile)
        return True

    @staticmethod
    def readHeader(file: os.PathLike | str) -> FileHeader:
        with open(file, "rb") as f:
            return FileHeader.fromByteArray(f.read(_HEADER.size), "fileheader")

    def getDbId(self) -> int:
        itr = FileTxnLog.FileTxnIterator(self.logDir, 0)
        try:
            if itr.logFile is None:
                raise IOError("Unsupported Format.")
            fh = FileTxnLog.readHeader(itr.logFile)
        finally:
            itr.close()
        return fh.dbid

    def isForceSync(self) -> bool:
        return self.forceSync

    class PositionInputStream:
        """A buffered file reader that counts the bytes consumed."""

        __slots__ = ("_in", "position")

        def __init__(self, in_: io.BufferedReader) -> None:
            self._in = in_
            self.position = 0

        def read(self, n: int = -1) -> bytes:
            data = self._in.read(n)
            self.position += len(data)
            return data

        def getPosition(self) -> int:
            return self.position

        def close(self) -> None:
            self._in.close()

    class FileTxnIterator(TxnLog.TxnIterator):
        """Reads txns across the log files, oldest first."""

        CRC_ERROR = "CRC check failed"

        def __init__(self, logDir: os.PathLike | str, zxid: int, fastForward: bool = True) -> None:
            self.logDir = Path(logDir)
            self.zxid = zxid
            self.hdr = None
            self.record = None
            self.digest = None
            self.logFile: Path | None = None
            self.ia: BinaryInputArchive | None = None
            self.inputStream: FileTxnLog.PositionInputStream | None = None
            self.storedFiles: list[Path] = []
            self._maxLength = 0
            self.init()
            if fastForward and self.hdr is not None:
                while self.hdr.zxid < zxid:
                    if not self.next():
                        break

        def init(self) -> None:
            self.storedFiles = []
            files = Util.sortDataDir(
                FileTxnLog.getLogFiles(Util.listFiles(self.logDir), 0), Util.LOG_FILE_PREFIX, False)
            for f in files:
                if Util.getZxidFromName(f.name, Util.LOG_FILE_PREFIX) >= self.zxid:
                    self.storedFiles.append(f)
                else:
                    self.storedFiles.append(f)
                    break
            self.goToNextLog()
            self.next()

        def getStorageSize(self) -> int:
            total = 0
            for f in self.storedFiles:
                try:
                    total += f.stat().st_size
                except OSError:
                    pass
            return total

        def goToNextLog(self) -> bool:
            if self.storedFiles:
                self.logFile = self.storedFiles.pop()
                self.ia = self.createInputArchive(self.logFile)
                return True
            return False

        def inStreamCreated(self, ia: BinaryInputArchive, is_) -> None:
            header = FileHeader()
            header.deserialize(ia, "fileheader")
            if header.magic != FileTxnLog.TXNLOG_MAGIC:
                raise IOError(
                    f"Transaction log: {self.logFile} has invalid magic number "
                    f"{header.magic} != {FileTxnLog.TXNLOG_MAGIC}")

        def createInputArchive(self, logFile: Path) -> BinaryInputArchive:
            if self.inputStream is None:
                self.inputStream = FileTxnLog.PositionInputStream(open(logFile, "rb", _READ_BUFFER_SIZE))
                LOG.debug("Created new input stream: %s", logFile)
                self.ia = BinaryInputArchive.getArchive(self.inputStream)
                self._maxLength = self.ia.totalBufferSize
                try:
                    self.inStreamCreated(self.ia, self.inputStream)
                except BaseException:
                    self.inputStream.close()
                    raise
                LOG.debug("Created new input archive: %s", logFile)
            return self.ia

        def _readEntry(self) -> tuple[int, bytes]:
            """The checksum and txn bytes of the next entry; EOFError at the
            end of the file, including a zero length or a torn entry."""
            stream = self.inputStream
            head = stream.read(12)
            if len(head) < 12:
                raise EOFError(f"Failed to read {self.logFile}")
            crcValue, length = _ENTRY_HEAD.unpack(head)
            if length == -1:
                raise IOError(UNREASONBLE_LENGTH + "-1")
            if length < 0 or length > self._maxLength:
                raise IOError(UNREASONBLE_LENGTH + str(length))
            if length == 0:
                raise EOFError(f"Failed to read {self.logFile}")
            data = stream.read(length + 1)
            if len(data) <= length:
                raise EOFError(f"Failed to read {self.logFile}")
            if data[length] != _EOR:
                LOG.error("Last transaction was partial.")
                raise EOFError(f"Failed to read {self.logFile}")
            return crcValue, data[:length]

        def next(self) -> bool:
            while True:
                if self.ia is None:
                    return False
                try:
                    crcValue, data = self._readEntry()
                    if crcValue != zlib.adler32(data):
                        raise IOError(FileTxnLog.FileTxnIterator.CRC_ERROR)
                    logEntry = SerializeUtils.deserializeTxn(data)
                    self.hdr = logEntry.getHeader()
                    self.record = logEntry.getTxn()
                    self.digest = logEntry.getDigest()
                    return True
                except EOFError as e:
                    LOG.debug("EOF exception", exc_info=e)
                    self.inputStream.close()
                    self.inputStream = None
                    self.ia = None
                    self.hdr = None
                    if not self.goToNextLog():
                        return False
                except BaseException:
                    self.inputStream.close()
                    raise

        def getHeader(self):
            return self.hdr

        def getTxn(self):
            return self.record

        def getDigest(self):
            return self.digest

        def close(self) -> None:
            if self.inputStream is not None:
                self.inputStream.close()
