"""Mirrors org.apache.zookeeper.server.persistence.FileSnap: snapshot files
``snapshot.<zxid>`` in the snapshot directory.

Deliberate difference: Java's two ``deserialize`` and two ``serialize``
overloads are one method each, told apart by their arguments (an archive, or
a file).
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from pyzookeeper.jute.BinaryOutputArchive import BinaryOutputArchive
from pyzookeeper.server.persistence import Util
from pyzookeeper.server.persistence.FileHeader import FileHeader
from pyzookeeper.server.persistence.SnapShot import SnapShot
from pyzookeeper.server.persistence.SnapshotInfo import SnapshotInfo
from pyzookeeper.server.persistence.SnapStream import SnapStream
from pyzookeeper.server.util import SerializeUtils

LOG = logging.getLogger(__name__)


def _lastModifiedSeconds(f: Path) -> int:
    try:
        return int(f.stat().st_mtime)
    except OSError:
        return 0


class FileSnap(SnapShot):
    VERSION = 2
    dbId = -1
    SNAP_MAGIC = 0x5A4B534E
    SNAPSHOT_FILE_PREFIX = Util.SNAPSHOT_FILE_PREFIX

    def __init__(self, snapDir: os.PathLike | str | None) -> None:
        self.snapDir = Path(snapDir) if snapDir is not None else None
        self.lastSnapshotInfo: SnapshotInfo | None = None
        self._close = False
        self._lock = threading.RLock()

    def getLastSnapshotInfo(self) -> SnapshotInfo | None:
        return self.lastSnapshotInfo

    def deserialize(self, dt, sessions: dict[int, int], ia=None) -> int | None:
        """With an archive: read one snapshot stream from it. Without: load
        the newest of up to 100 valid snapshots that reads back intact, and
        return its zxid (-1 when there is no snapshot)."""
        if ia is not None:
            header = FileHeader()
            header.deserialize(ia, "fileheader")
            if header.magic != FileSnap.SNAP_MAGIC:
                raise IOError(f"mismatching magic headers {header.magic} !=  {FileSnap.SNAP_MAGIC}")
            SerializeUtils.deserializeSnapshot(dt, ia, sessions)
            return None
        snapList = self.findNValidSnapshots(100)
        if not snapList:
            return -1
        snap = None
        snapZxid = -1
        foundValid = False
        for snap in snapList:
            LOG.info("Reading snapshot %s", snap)
            snapZxid = Util.getZxidFromName(snap.name, FileSnap.SNAPSHOT_FILE_PREFIX)
            try:
                with SnapStream.getInputStream(snap) as snapIS:
                    archive = snapIS.archive()
                    self.deserialize(dt, sessions, archive)
                    SnapStream.checkSealIntegrity(snapIS, archive)
                    if dt.deserializeZxidDigest(archive, snapZxid):
                        SnapStream.checkSealIntegrity(snapIS, archive)
                foundValid = True
                break
            except (OSError, EOFError) as e:
                LOG.warning("problem reading snap file %s", snap, exc_info=e)
        if not foundValid:
            raise IOError(f"Not able to find valid snapshots in {self.snapDir}")
        dt.lastProcessedZxid = snapZxid
        self.lastSnapshotInfo = SnapshotInfo(dt.lastProcessedZxid, _lastModifiedSeconds(snap))
        if dt.getDigestFromLoadedSnapshot() is not None:
            dt.compareSnapshotDigests(dt.lastProcessedZxid)
        return dt.lastProcessedZxid

    def findMostRecentSnapshot(self) -> Path | None:
        files = self.findNValidSnapshots(1)
        return files[0] if files else None

    def findNValidSnapshots(self, n: int) -> list[Path]:
        """Up to ``n`` snapshots that pass the quick validity check, newest first."""
        files = Util.sortDataDir(Util.listFiles(self.snapDir), FileSnap.SNAPSHOT_FILE_PREFIX, False)
        found: list[Path] = []
        for f in files:
            try:
                if SnapStream.isValidSnapshot(f):
                    found.append(f)
                    if len(found) == n:
                        break
            except OSError as e:
                LOG.warning("invalid snapshot %s", f, exc_info=e)
        return found

    def findNRecentSnapshots(self, n: int) -> list[Path]:
        """Up to ``n`` snapshot files by name, newest first, valid or not."""
        files = Util.sortDataDir(Util.listFiles(self.snapDir), FileSnap.SNAPSHOT_FILE_PREFIX, False)
        found: list[Path] = []
        for f in files:
            if len(found) == n:
                break
            if Util.getZxidFromName(f.name, FileSnap.SNAPSHOT_FILE_PREFIX) != -1:
                found.append(f)
        return found

    def serialize(self, dt, sessions: dict[int, int], target, fsync=False) -> None:
        """With an archive and a FileHeader: write the snapshot stream. With a
        file: write the snapshot file, sealed (and atomically with ``fsync``)."""
        if isinstance(fsync, FileHeader) or fsync is None:
            header = fsync
            if header is None:
                raise RuntimeError("Snapshot's not open for writing: uninitialized header")
            header.serialize(target, "fileheader")
            SerializeUtils.serializeSnapshot(dt, target, sessions)
            return
        with self._lock:
            if self._close:
                raise IOError("FileSnap has already been closed")
            snapShot = Path(target)
            with SnapStream.getOutputStream(snapShot, fsync) as snapOS:
                oa = BinaryOutputArchive.getArchive(snapOS)
                header = FileHeader(FileSnap.SNAP_MAGIC, FileSnap.VERSION, FileSnap.dbId)
                self.serialize(dt, sessions, oa, header)
                SnapStream.sealStream(snapOS, oa)
                if dt.serializeZxidDigest(oa):
                    SnapStream.sealStream(snapOS, oa)
                self.lastSnapshotInfo = SnapshotInfo(
                    Util.getZxidFromName(snapShot.name, FileSnap.SNAPSHOT_FILE_PREFIX),
                    _lastModifiedSeconds(snapShot))

    def close(self) -> None:
        with self._lock:
            self._close = True
