"""The on-disk database without Java: txn log framing, preallocation, torn
and corrupt entries, truncation, snapshots (plain, gz, snappy), restore with
fallback, the restore edge cases, ZKDatabase's committed log, purge."""

from __future__ import annotations

import io
import logging
import os
import struct
import threading
import zlib
from pathlib import Path

import pytest

from javaref import wait_for
from pyzookeeper import system_properties
from pyzookeeper.common.AtomicFileOutputStream import AtomicFileOutputStream
from pyzookeeper.common.AtomicFileWritingIdiom import AtomicFileWritingIdiom
from pyzookeeper.server import DatadirCleanupManager as cleanup_module
from pyzookeeper.server.DatadirCleanupManager import DatadirCleanupManager, PurgeTaskStatus
from pyzookeeper.server.PurgeTxnLog import PurgeTxnLog
from pyzookeeper.server.ZKDatabase import ZKDatabase
from pyzookeeper.server.persistence import FileTxnLog as filetxnlog_module
from pyzookeeper.server.persistence import Util
from pyzookeeper.server.persistence.FilePadding import FilePadding
from pyzookeeper.server.persistence.FileSnap import FileSnap
from pyzookeeper.server.persistence.FileTxnLog import FileTxnLog
from pyzookeeper.server.persistence.FileTxnSnapLog import (
    DatadirException,
    FileTxnSnapLog,
    LogDirContentCheckException,
    SnapDirContentCheckException,
)
from pyzookeeper.server.persistence.SnapStream import (
    SnapStream,
    SnappyCodec,
    StreamMode,
    snappy_compress,
    SnappyInputStream,
    snappy_uncompress,
)
from pyzookeeper.txn.CreateTxn import CreateTxn
from pyzookeeper.txn.SetDataTxn import SetDataTxn
from pyzookeeper.txn.TxnDigest import TxnDigest
from pyzookeeper.txn.TxnHeader import TxnHeader
from pyzookeeper.ZooDefs import Ids, OpCode
from test_persistence_support import TreeWriter, build_sample_tree, db_tree, raw_ephemeral_owners

PREALLOC = 64 * 1024


@pytest.fixture(autouse=True)
def persistence_globals():
    """Keep the class-wide settings (Java statics) and properties as they were."""
    saved = (FilePadding.getPreAllocSize(), FileTxnLog.txnLogSizeLimit, FileTxnLog.fsyncWarningThresholdMS,
             SnapStream.getStreamMode(), system_properties.getProperties())
    FilePadding.setPreallocSize(PREALLOC)
    system_properties.setProperty("zookeeper.extendedTypesEnabled", "true")
    yield
    FilePadding.setPreallocSize(saved[0])
    FileTxnLog.setTxnLogSizeLimit(saved[1])
    FileTxnLog.fsyncWarningThresholdMS = saved[2]
    SnapStream.setStreamMode(saved[3])
    for name in system_properties.getProperties():
        if name not in saved[4]:
            system_properties.clearProperty(name)
    for name, value in saved[4].items():
        system_properties.setProperty(name, value)


def hdr(zxid: int, type_: int = OpCode.create, session: int = 0x5) -> TxnHeader:
    return TxnHeader(session, zxid & 0x7FFFFFFF, zxid, 1_700_000_000_000 + zxid, type_)


def create_txn(i: int) -> CreateTxn:
    return CreateTxn(f"/n{i}", b"data-%d" % i, list(Ids.OPEN_ACL_UNSAFE), False, i & 0xFFFF)


def write_log(log_dir: Path, zxids, roll_after=()) -> FileTxnLog:
    log = FileTxnLog(log_dir)
    for zxid in zxids:
        assert log.append(hdr(zxid), create_txn(zxid), TxnDigest(2, zxid * 7))
        if zxid in roll_after:
            log.commit()
            log.rollLog()
    log.commit()
    log.close()
    return log


def read_zxids(log_dir: Path, start: int = 0, fastForward: bool = True) -> list[int]:
    zxids = []
    with FileTxnLog(log_dir).read(start, fastForward) as itr:
        while itr.getHeader() is not None:
            zxids.append(itr.getHeader().zxid)
            if not itr.next():
                break
    return zxids


def entry_offsets(path: Path) -> list[tuple[int, int]]:
    """(offset, length) of every entry frame (crc, len, bytes, 'B') in a log file."""
    data = path.read_bytes()
    offsets = []
    pos = 16
    while pos + 12 <= len(data):
        crc, length = struct.unpack_from(">qi", data, pos)
        if length == 0:
            break
        offsets.append((pos, 12 + length + 1))
        pos += 12 + length + 1
    return offsets


# ---------------------------------------------------------------- names and padding

def test_file_names_and_zxids():
    assert Util.makeLogName(0x100000001) == "log.100000001"
    assert Util.makeLogName(-1) == "log.ffffffffffffffff"
    assert Util.getZxidFromName("log.1a", "log") == 0x1A
    assert Util.getZxidFromName("snapshot.1a.snappy", "snapshot") == 0x1A
    assert Util.getZxidFromName("log.fixed", "log") == -1
    assert Util.getZxidFromName("log", "log") == -1
    assert Util.getZxidFromName("snapshot.1", "log") == -1
    assert Util.getZxidFromName("log.8000000000000000", "log") == -1
    assert Util.getZxidFromName("log. 1", "log") == -1
    names = ["log.10", "log.2", "snapshot.5", "log.1"]
    assert [p.name for p in Util.sortDataDir(names, "log", True)] == ["snapshot.5", "log.1", "log.2", "log.10"]
    assert [p.name for p in Util.sortDataDir(names, "log", False)] == ["log.10", "log.2", "log.1", "snapshot.5"]
    files = [Path(n) for n in ("log.1", "log.5", "log.9", "snapshot.3", "acceptedEpoch")]
    assert [p.name for p in FileTxnLog.getLogFiles(files, 6)] == ["log.5", "log.9"]
    assert [p.name for p in FileTxnLog.getLogFiles(files, 0)] == ["log.1", "log.5", "log.9"]


@pytest.mark.parametrize("position,size,prealloc,expected", [
    (0, 0, 100, 100),
    (10, 100, 100, 200),
    (10, 5000, 100, 5000),
    (5000, 100, 100, 5100),
    (5050, 100, 100, 5100),
    (10, 0, 0, 0),
])
def test_padding_arithmetic(position, size, prealloc, expected):
    assert FilePadding.calculateFileSizeWithPadding(position, size, prealloc) == expected


# ---------------------------------------------------------------- txn log

def test_log_layout_is_java_framing(tmp_path):
    write_log(tmp_path, [0x100000001, 0x100000002])
    path = tmp_path / "log.100000001"
    data = path.read_bytes()
    assert len(data) == PREALLOC + 16
    assert data[:16] == struct.pack(">iiq", 0x5A4B4C47, 2, 0)
    pos = 16
    for zxid in (0x100000001, 0x100000002):
        crc, length = struct.unpack_from(">qi", data, pos)
        txn = data[pos + 12:pos + 12 + length]
        assert crc == zlib.adler32(txn)
        assert txn == hdr(zxid).toByteArray() + create_txn(zxid).toByteArray() + TxnDigest(2, zxid * 7).toByteArray()
        assert data[pos + 12 + length] == 0x42
        pos += 13 + length
    assert data[pos:] == bytes(len(data) - pos)


def test_preallocation_grows_by_prealloc_size(tmp_path):
    log = FileTxnLog(tmp_path)
    for zxid in range(1, 101):
        log.append(hdr(zxid, OpCode.setData), SetDataTxn("/a", b"x" * 1000, zxid))
    log.commit()
    assert (tmp_path / "log.1").stat().st_size == 2 * PREALLOC + 16 == log.getCurrentLogSize()
    log.append(hdr(101, OpCode.setData), SetDataTxn("/a", b"y" * 3 * PREALLOC, 101))
    log.commit()
    assert (tmp_path / "log.1").stat().st_size == log.getCurrentLogSize() > 3 * PREALLOC
    log.close()
    assert read_zxids(tmp_path) == list(range(1, 102))


def test_read_across_rolled_files(tmp_path):
    zxids = list(range(1, 31))
    write_log(tmp_path, zxids, roll_after=(10, 20))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["log.1", "log.15", "log.b"]
    assert read_zxids(tmp_path) == zxids
    assert read_zxids(tmp_path, 15) == list(range(15, 31))
    assert read_zxids(tmp_path, 15, fastForward=False) == list(range(11, 31))
    with FileTxnLog(tmp_path).read(5) as itr:
        assert itr.getHeader().zxid == 5
        assert isinstance(itr.getTxn(), CreateTxn) and itr.getTxn().path == "/n5"
        assert itr.getDigest() == TxnDigest(2, 35)
        assert itr.getStorageSize() == 2 * (PREALLOC + 16)
    assert FileTxnLog(tmp_path).getLastLoggedZxid() == 30
    assert FileTxnLog(tmp_path).getDbId() == 0


def test_group_commit_is_one_fsync_per_file(tmp_path, monkeypatch):
    synced = []
    monkeypatch.setattr(filetxnlog_module, "_fdatasync", synced.append)
    log = FileTxnLog(tmp_path)
    for zxid in range(1, 101):
        log.append(hdr(zxid), create_txn(zxid))
    assert synced == []
    log.commit()
    assert len(synced) == 1
    log.rollLog()
    log.append(hdr(101), create_txn(101))
    log.commit()
    assert len(synced) == 3
    log.append(hdr(102), create_txn(102))
    log.commit()
    assert len(synced) == 4
    log.close()


def test_force_sync_off_skips_fsync(tmp_path, monkeypatch):
    synced = []
    monkeypatch.setattr(filetxnlog_module, "_fdatasync", synced.append)
    system_properties.setProperty("zookeeper.forceSync", "no")
    log = FileTxnLog(tmp_path)
    assert not log.isForceSync()
    log.append(hdr(1), create_txn(1))
    log.commit()
    log.close()
    assert synced == [] and read_zxids(tmp_path) == [1]


def test_slow_fsync_is_warned_as_java(tmp_path, caplog):
    class Stats:
        count = 0

        def incrementFsyncThresholdExceedCount(self):
            Stats.count += 1

    FileTxnLog.fsyncWarningThresholdMS = -1
    log = FileTxnLog(tmp_path)
    log.setServerStats(Stats())
    log.append(hdr(1), create_txn(1))
    with caplog.at_level(logging.WARNING):
        threading.current_thread().name = "SyncThread:0"
        try:
            log.commit()
        finally:
            threading.current_thread().name = "MainThread"
    log.close()
    assert Stats.count == 1
    elapsed = log.getTxnLogSyncElapsedTime()
    assert elapsed >= 0
    assert (f"fsync-ing the write ahead log in SyncThread:0 took {elapsed}ms which will adversely effect "
            f"operation latency.File size is {PREALLOC + 16} bytes. See the ZooKeeper troubleshooting guide"
            ) in caplog.messages


def test_size_limit_rolls_the_log(tmp_path):
    FileTxnLog.setTxnLogSizeLimit(1)
    log = FileTxnLog(tmp_path)
    for zxid in (1, 2, 3):
        log.append(hdr(zxid), create_txn(zxid))
        log.commit()
    log.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["log.1", "log.2", "log.3"]
    assert log.getTotalLogSize() >= 3 * (PREALLOC + 16)


def test_non_increasing_zxid_is_warned(tmp_path, caplog):
    log = FileTxnLog(tmp_path)
    log.append(hdr(5), create_txn(5))
    with caplog.at_level(logging.WARNING):
        log.append(hdr(5), create_txn(5))
    log.commit()
    log.close()
    assert "Current zxid 5 is <= 5 for create" in caplog.messages


@pytest.mark.parametrize("cut", ["crc", "length", "data", "eor"])
def test_torn_last_entry_loses_only_that_entry(tmp_path, cut):
    write_log(tmp_path, range(1, 6))
    path = tmp_path / "log.1"
    offset, size = entry_offsets(path)[-1]
    end = {"crc": offset + 4, "length": offset + 10, "data": offset + size // 2, "eor": offset + size - 1}[cut]
    with open(path, "r+b") as f:
        f.truncate(end)
    assert read_zxids(tmp_path) == [1, 2, 3, 4]
    assert FileTxnLog(tmp_path).getLastLoggedZxid() == 4


def test_half_written_entry_in_preallocated_zeros(tmp_path, caplog):
    write_log(tmp_path, range(1, 6))
    path = tmp_path / "log.1"
    offset, size = entry_offsets(path)[-1]
    with open(path, "r+b") as f:
        f.seek(offset + size // 2)
        f.write(bytes(size))
    with caplog.at_level(logging.ERROR):
        assert read_zxids(tmp_path) == [1, 2, 3, 4]
    assert "Last transaction was partial." in caplog.messages


def test_torn_entry_moves_on_to_next_log(tmp_path):
    write_log(tmp_path, range(1, 11), roll_after=(5,))
    path = tmp_path / "log.1"
    offset, size = entry_offsets(path)[-1]
    with open(path, "r+b") as f:
        f.truncate(offset + 3)
    assert read_zxids(tmp_path) == [1, 2, 3, 4, 6, 7, 8, 9, 10]


def test_bad_crc_in_the_middle_is_an_error(tmp_path):
    write_log(tmp_path, range(1, 6))
    path = tmp_path / "log.1"
    offset, size = entry_offsets(path)[2]
    with open(path, "r+b") as f:
        f.seek(offset + 20)
        byte = f.read(1)
        f.seek(offset + 20)
        f.write(bytes([byte[0] ^ 0xFF]))
    with pytest.raises(OSError, match="CRC check failed"):
        read_zxids(tmp_path)


def test_unreasonable_length_is_an_error(tmp_path):
    write_log(tmp_path, range(1, 4))
    path = tmp_path / "log.1"
    offset, _ = entry_offsets(path)[1]
    with open(path, "r+b") as f:
        f.seek(offset + 8)
        f.write(struct.pack(">i", 0x7FFFFFF0))
    with pytest.raises(OSError, match="Unreasonable length = 2147483632"):
        read_zxids(tmp_path)


def test_bad_magic_is_an_error(tmp_path):
    write_log(tmp_path, range(1, 3))
    with open(tmp_path / "log.1", "r+b") as f:
        f.write(b"XXXX")
    with pytest.raises(OSError, match="has invalid magic number"):
        read_zxids(tmp_path)


def test_truncate_cuts_after_zxid_and_drops_later_files(tmp_path):
    write_log(tmp_path, range(1, 31), roll_after=(10, 20))
    assert FileTxnLog(tmp_path).truncate(15)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["log.1", "log.b"]
    assert read_zxids(tmp_path) == list(range(1, 16))
    log = FileTxnLog(tmp_path)
    log.append(hdr(16), create_txn(16))
    log.commit()
    log.close()
    assert read_zxids(tmp_path) == list(range(1, 17))


def test_truncate_without_logs_is_an_error(tmp_path):
    with pytest.raises(OSError, match="No log files found to truncate"):
        FileTxnLog(tmp_path).truncate(5)


# ---------------------------------------------------------------- snappy-java framing

def test_snappy_raw_block_with_every_tag_kind():
    literal = b"abcdefgh"
    big_literal = bytes(range(256)) * 2
    block = bytearray()
    expected = bytearray()
    block += bytes([(len(literal) - 1) << 2]) + literal
    expected += literal
    block += bytes([0x01 | ((7 - 4) << 2), 8])          # copy 7 bytes, 1-byte offset 8
    expected += expected[-8:-1]
    block += bytes([0x02 | ((20 - 1) << 2)]) + (3).to_bytes(2, "little")   # overlapping copy, offset 3
    for _ in range(20):
        expected.append(expected[-3])
    block += bytes([61 << 2]) + (len(big_literal) - 1).to_bytes(2, "little") + big_literal
    expected += big_literal
    block += bytes([0x03 | ((64 - 1) << 2)]) + (300).to_bytes(4, "little")
    for _ in range(64):
        expected.append(expected[-300])
    varint = bytearray()
    n = len(expected)
    while n >= 0x80:
        varint.append((n & 0x7F) | 0x80)
        n >>= 7
    varint.append(n)
    assert snappy_uncompress(bytes(varint) + bytes(block)) == expected


@pytest.mark.parametrize("size", [0, 1, 59, 60, 255, 256, 65535, 65536, 70000])
def test_snappy_literal_compressor_round_trips(size):
    data = os.urandom(size)
    assert snappy_uncompress(snappy_compress(data)) == data


def test_snappy_corrupt_blocks_are_io_errors():
    with pytest.raises(OSError):
        snappy_uncompress(b"\x05\x01\x05")
    with pytest.raises(OSError):
        snappy_uncompress(b"\x04\x0cab")
    with pytest.raises(OSError):
        snappy_uncompress(b"\x02\x00a")


def test_snappy_stream_with_concatenated_headers():
    header = SnappyCodec.currentHeader()
    chunk1 = snappy_compress(b"hello ")
    chunk2 = snappy_compress(b"world")
    stream = (header + struct.pack(">i", len(chunk1)) + chunk1 + header
              + struct.pack(">i", len(chunk2)) + chunk2)
    assert SnappyInputStream(io.BytesIO(stream)).read() == b"hello world"
    assert SnappyInputStream(io.BytesIO(snappy_compress(b"raw block"))).read() == b"raw block"
    with pytest.raises(OSError, match="failed to read chunk"):
        SnappyInputStream(io.BytesIO(header + struct.pack(">i", 100) + b"short")).read()


# ---------------------------------------------------------------- snapshots and restore

def load(data_dir: Path, log_dir: Path | None = None) -> tuple[ZKDatabase, int]:
    db = ZKDatabase(FileTxnSnapLog(log_dir or data_dir, data_dir))
    return db, db.loadDataBase()


@pytest.fixture
def sample_dir(tmp_path) -> tuple[Path, TreeWriter]:
    writer = TreeWriter(tmp_path / "data")
    build_sample_tree(writer)
    writer.close()
    return tmp_path / "data", writer


def test_only_a_headerless_newest_log_is_deleted(sample_dir, caplog):
    """A newest log shorter than its header goes (a kill while creating it);
    other short files (epoch files, temporaries) and shorter older logs stay."""
    data_dir, writer = sample_dir
    version2 = data_dir / "version-2"
    keep = {"currentEpoch": b"1", "acceptedEpoch": b"1", "currentEpoch.tmp": b"2", "log.1.tmp": b""}
    for name, content in keep.items():
        (version2 / name).write_bytes(content)
    newest = max(Util.getZxidFromName(p.name, "log") for p in version2.glob("log.*"))
    torn = version2 / f"log.{newest + 100:x}"
    torn.write_bytes(b"ZKLG\0\0")
    with caplog.at_level(logging.WARNING):
        db, zxid = load(data_dir)
    assert zxid == writer.zxid and db_tree(db.getDataTree()) == db_tree(writer.dt)
    assert not torn.exists()
    assert f"Deleting {torn}: 6 bytes, shorter than a txn log header" in caplog.text
    assert all((version2 / name).read_bytes() == content for name, content in keep.items())


@pytest.mark.parametrize("mode", [StreamMode.CHECKED, StreamMode.GZIP, StreamMode.SNAPPY])
def test_snapshot_round_trip_in_each_compression(tmp_path, mode):
    SnapStream.setStreamMode(mode)
    writer = TreeWriter(tmp_path)
    build_sample_tree(writer)
    writer.close()
    snaps = FileSnap(tmp_path / "version-2").findNValidSnapshots(100)
    assert snaps[0].name == "snapshot." + Util.toHexString(0x10000004B) + mode.getFileExtension()
    SnapStream.setStreamMode(StreamMode.CHECKED)
    db, zxid = load(tmp_path)
    assert zxid == writer.zxid
    assert db_tree(db.getDataTree()) == db_tree(writer.dt)
    assert raw_ephemeral_owners(db.getDataTree()) == raw_ephemeral_owners(writer.dt)
    assert db.getDataTree().getTreeDigest() == writer.dt.getTreeDigest()
    assert db.getSessionWithTimeOuts() == {0x10000AB: 30000}
    ephemerals = db.getDataTree().getEphemerals(0x10000AB)
    assert ephemerals == writer.dt.getEphemerals(0x10000AB) and len(ephemerals) == 2
    info = db.snapLog.getLastSnapshotInfo()
    assert info.zxid == 0x10000004B


def test_snapshot_file_is_sealed_twice(sample_dir):
    data_dir, _ = sample_dir
    snap = FileSnap(data_dir / "version-2").findMostRecentSnapshot()
    data = snap.read_bytes()
    assert data[:16] == struct.pack(">iiq", 0x5A4B534E, 2, -1)
    digest_end = len(data) - 13
    seal2 = struct.unpack_from(">q", data, digest_end)[0]
    assert seal2 == zlib.adler32(data[:digest_end])
    assert data[-5:] == b"\x00\x00\x00\x01/"
    zxid, version, _ = struct.unpack_from(">qiq", data, digest_end - 20)
    assert (zxid, version) == (0x10000004B, 2)
    seal1_at = digest_end - 20 - 13
    assert struct.unpack_from(">q", data, seal1_at)[0] == zlib.adler32(data[:seal1_at])


def test_corrupt_newest_snapshot_falls_back_to_older(sample_dir, caplog):
    data_dir, writer = sample_dir
    snaps = FileSnap(data_dir / "version-2").findNValidSnapshots(100)
    newest, older = snaps[0], snaps[1]
    raw = bytearray(newest.read_bytes())
    raw[len(raw) // 2] ^= 0x01
    newest.write_bytes(bytes(raw))
    with caplog.at_level(logging.INFO):
        db, zxid = load(data_dir)
    assert f"problem reading snap file {newest}" in caplog.messages
    assert f"Reading snapshot {older}" in caplog.messages
    assert zxid == writer.zxid
    assert db_tree(db.getDataTree()) == db_tree(writer.dt)
    assert db.snapLog.getLastSnapshotInfo().zxid == Util.getZxidFromName(older.name, "snapshot")


def test_truncated_snapshot_is_not_a_candidate(sample_dir):
    data_dir, writer = sample_dir
    snap_dir = data_dir / "version-2"
    newest = FileSnap(snap_dir).findMostRecentSnapshot()
    with open(newest, "r+b") as f:
        f.truncate(newest.stat().st_size - 3)
    assert not SnapStream.isValidSnapshot(newest)
    assert newest not in FileSnap(snap_dir).findNValidSnapshots(100)
    db, zxid = load(data_dir)
    assert zxid == writer.zxid and db_tree(db.getDataTree()) == db_tree(writer.dt)


def test_no_valid_snapshot_at_all_is_an_error(sample_dir):
    data_dir, _ = sample_dir
    for snap in FileSnap(data_dir / "version-2").findNValidSnapshots(100):
        raw = bytearray(snap.read_bytes())
        raw[20] ^= 0xFF
        snap.write_bytes(bytes(raw))
    with pytest.raises(OSError, match="Not able to find valid snapshots in"):
        load(data_dir)


def test_logs_without_snapshot(sample_dir):
    data_dir, writer = sample_dir
    for snap in (data_dir / "version-2").glob("snapshot.*"):
        snap.unlink()
    with pytest.raises(OSError, match="No snapshot found, but there are log entries. Something is broken!"):
        load(data_dir)
    system_properties.setProperty("zookeeper.snapshot.trust.empty", "true")
    db, zxid = load(data_dir)
    assert zxid == writer.zxid
    assert db_tree(db.getDataTree()) == db_tree(writer.dt)


def test_empty_dir_autocreate_and_initialize(tmp_path):
    db, zxid = load(tmp_path / "a")
    assert zxid == 0 and (tmp_path / "a" / "version-2" / "snapshot.0").exists()
    system_properties.setProperty("zookeeper.db.autocreate", "false")
    db, zxid = load(tmp_path / "b")
    assert zxid == -1 and db.getDataTreeLastProcessedZxid() == -1
    assert list((tmp_path / "b" / "version-2").iterdir()) == []
    (tmp_path / "c" / "version-2").mkdir(parents=True)
    (tmp_path / "c" / "initialize").touch()
    db, zxid = load(tmp_path / "c")
    assert zxid == 0 and not (tmp_path / "c" / "initialize").exists()


def test_separate_dirs_are_checked(tmp_path):
    snaps, logs = tmp_path / "snaps", tmp_path / "logs"
    FileTxnSnapLog(logs, snaps)
    (logs / "version-2" / "snapshot.1").touch()
    with pytest.raises(LogDirContentCheckException, match="Log directory has snapshot files"):
        FileTxnSnapLog(logs, snaps)
    (logs / "version-2" / "snapshot.1").unlink()
    (snaps / "version-2" / "log.1").touch()
    with pytest.raises(SnapDirContentCheckException, match="Snapshot directory has log files"):
        FileTxnSnapLog(logs, snaps)


def test_separate_log_dir_round_trip(tmp_path):
    snaps, logs = tmp_path / "snaps", tmp_path / "logs"
    writer = TreeWriter.__new__(TreeWriter)
    writer.snapLog = FileTxnSnapLog(logs, snaps)
    writer.db = ZKDatabase(writer.snapLog)
    writer.db.loadDataBase()
    writer.dt = writer.db.getDataTree()
    writer.zxid = 1 << 32
    writer.cxid = 0
    build_sample_tree(writer)
    writer.close()
    assert not list((logs / "version-2").glob("snapshot.*"))
    assert not list((snaps / "version-2").glob("log.*"))
    db, zxid = load(snaps, logs)
    assert zxid == writer.zxid and db_tree(db.getDataTree()) == db_tree(writer.dt)


def test_missing_dir_without_autocreate(tmp_path):
    system_properties.setProperty("zookeeper.datadir.autocreate", "false")
    with pytest.raises(DatadirException, match="Missing data directory"):
        FileTxnSnapLog(tmp_path / "x", tmp_path / "x")


# ---------------------------------------------------------------- ZKDatabase

def test_committed_log_window_and_proposals(sample_dir):
    data_dir, writer = sample_dir
    db, zxid = load(data_dir)
    committed = db.getCommittedLog()
    assert [p.packet.zxid for p in committed] == list(range(0x10000004C, zxid + 1))
    assert db.getminCommittedLog() == 0x10000004C and db.getmaxCommittedLog() == zxid
    p = committed[0]
    assert p.packet.type == 2 and p.request.zxid == p.packet.zxid
    with FileTxnLog(data_dir / "version-2").read(0x10000004C) as itr:
        assert p.packet.data == Util.marshallTxnEntry(itr.getHeader(), itr.getTxn(), itr.getDigest())

    # like Java, the proposals start at the beginning of the log file holding the zxid
    proposals = db.getProposalsFromTxnLog(0x100000030, 0)
    assert [q.packet.zxid for q in proposals] == list(range(0x10000002B, zxid + 1))
    assert not db.getProposalsFromTxnLog(0x100000001 - 1, 0).hasNext()
    assert not db.getProposalsFromTxnLog(0x100000030, 10).hasNext()
    assert not db.getProposalsFromTxnLog(0x100000030, -1).hasNext()
    assert db.calculateTxnLogSizeLimit() == int(
        FileSnap(data_dir / "version-2").findMostRecentSnapshot().stat().st_size * 0.33)


def test_committed_log_keeps_commit_log_count(tmp_path):
    writer = TreeWriter(tmp_path)
    for i in range(620):
        writer.create(f"/n{i}", b"")
    writer.close()
    db, zxid = load(tmp_path)
    committed = db.getCommittedLog()
    assert len(committed) == 501 and committed[-1].packet.zxid == zxid
    assert db.getminCommittedLog() == committed[0].packet.zxid == zxid - 500


def test_truncate_log_reloads_to_that_zxid(sample_dir):
    data_dir, writer = sample_dir
    db, zxid = load(data_dir)
    assert db.truncateLog(0x100000050)
    assert db.getDataTreeLastProcessedZxid() == 0x100000050
    assert [f"tail{i}" for i in range(5)] == sorted(
        c for c in db.getDataTree().getNode("/").getChildren() if c.startswith("tail"))
    db2, zxid2 = load(data_dir)
    assert zxid2 == 0x100000050


def test_append_commit_roll_counts(tmp_path):
    writer = TreeWriter(tmp_path)
    writer.create("/a", b"1")
    writer.create("/b", b"2")
    assert writer.db.getTxnCount() == 2
    assert writer.db.getTxnSize() > 0
    writer.db.rollLog()
    assert writer.db.getTxnCount() == 0
    writer.close()
    writer.db.clear()
    assert not writer.db.isInitialized() and writer.db.getCommittedLog() == ()


# ---------------------------------------------------------------- purge

def make_snapshots(data_dir: Path, count: int) -> TreeWriter:
    writer = TreeWriter(data_dir)
    for i in range(count):
        for j in range(3):
            writer.create(f"/s{i}-{j}", b"x")
        writer.snapshot()
    writer.create("/last", b"y")
    writer.close()
    return writer


def test_purge_keeps_newest_snapshots_and_their_logs(tmp_path, capsys):
    writer = make_snapshots(tmp_path, 6)
    version2 = tmp_path / "version-2"
    snaps_before = FileSnap(version2).findNValidSnapshots(100)
    PurgeTxnLog.purge(tmp_path, tmp_path, 3)
    snaps_after = FileSnap(version2).findNValidSnapshots(100)
    assert snaps_after == snaps_before[:3]
    oldest_kept = Util.getZxidFromName(snaps_after[-1].name, "snapshot")
    logs = sorted(Util.getZxidFromName(p.name, "log") for p in version2.glob("log.*"))
    assert logs[0] <= oldest_kept and all(z > oldest_kept for z in logs[1:])
    out = capsys.readouterr().out
    assert out.count("Removing file: ") == len(snaps_before) - 3 + 3
    db, zxid = load(tmp_path)
    assert zxid == writer.zxid and db_tree(db.getDataTree()) == db_tree(writer.dt)
    with pytest.raises(ValueError, match="count should be greater than or equal to 3"):
        PurgeTxnLog.purge(tmp_path, tmp_path, 2)


def test_cleanup_manager_purges_in_its_thread(tmp_path, caplog):
    make_snapshots(tmp_path, 5)
    version2 = tmp_path / "version-2"
    seen_threads = []
    real_purge = PurgeTxnLog.purge

    def purge(*args):
        seen_threads.append(threading.current_thread().name)
        real_purge(*args)

    with caplog.at_level(logging.INFO):
        manager = DatadirCleanupManager(tmp_path, tmp_path, 3, 1)
        original = cleanup_module.PurgeTxnLog.purge
        cleanup_module.PurgeTxnLog.purge = staticmethod(purge)
        try:
            manager.start()
            assert manager.getPurgeTaskStatus() is PurgeTaskStatus.STARTED
            wait_for(lambda: "Purge task completed." in caplog.messages, timeout=20, what="purge")
        finally:
            cleanup_module.PurgeTxnLog.purge = original
            manager.shutdown()
    assert manager.getPurgeTaskStatus() is PurgeTaskStatus.COMPLETED
    assert seen_threads == ["PurgeTask"]
    assert len(list(version2.glob("snapshot.*"))) == 3
    for text in ("autopurge.snapRetainCount set to 3", "autopurge.purgeInterval set to 1",
                 "Purge task started.", "Shutting down purge task."):
        assert text in caplog.messages


def test_cleanup_manager_not_scheduled(tmp_path, caplog):
    manager = DatadirCleanupManager(tmp_path, tmp_path, 3, 0)
    with caplog.at_level(logging.INFO):
        manager.start()
        manager.shutdown()
    assert manager.getPurgeTaskStatus() is PurgeTaskStatus.NOT_STARTED
    assert "Purge task is not scheduled." in caplog.messages
    assert "Purge task not started. Ignoring shutdown!" in caplog.messages


# ---------------------------------------------------------------- atomic files

def test_atomic_file_output_stream(tmp_path):
    target = tmp_path / "currentEpoch"
    target.write_text("1")
    out = AtomicFileOutputStream(target)
    out.write(b"2")
    assert target.read_text() == "1" and (tmp_path / "currentEpoch.tmp").exists()
    out.close()
    assert target.read_text() == "2" and not (tmp_path / "currentEpoch.tmp").exists()
    out = AtomicFileOutputStream(target)
    out.write(b"3")
    out.abort()
    assert target.read_text() == "2" and not (tmp_path / "currentEpoch.tmp").exists()


def test_atomic_file_writing_idiom(tmp_path):
    target = tmp_path / "acceptedEpoch"
    AtomicFileWritingIdiom(target, AtomicFileWritingIdiom.WriterStatement(lambda w: w.write("7")))
    assert target.read_text() == "7"

    def failing(out):
        out.write(b"8")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        AtomicFileWritingIdiom(target, failing)
    assert target.read_text() == "7" and sorted(p.name for p in tmp_path.iterdir()) == ["acceptedEpoch"]


@pytest.mark.parametrize("chunk", [1, 7, 1 << 20])
def test_snapshot_archive_window_reads_like_binary_archive(monkeypatch, chunk):
    from pyzookeeper.jute.BinaryInputArchive import BinaryInputArchive
    from pyzookeeper.jute.BinaryOutputArchive import BinaryOutputArchive
    from pyzookeeper.server.persistence import SnapStream as snapstream_module
    from pyzookeeper.server.persistence.SnapStream import Adler32, CheckedInputStream

    monkeypatch.setattr(snapstream_module, "_CHUNK", chunk)
    oa = BinaryOutputArchive()
    oa.writeInt(-5, "i")
    oa.writeString("päth/日本", "s")
    oa.writeBuffer(bytes(range(256)) * 40, "b")
    oa.writeString(None, "n")
    oa.writeBuffer(b"", "e")
    oa.writeLong(-(2**63), "l")
    oa.writeBool(True, "t")
    oa.writeByte(-3, "y")
    create_txn(3).serialize(oa, "r")
    data = oa.getvalue() + b"\xed\xa0\x80"
    stream = CheckedInputStream(io.BytesIO(data), Adler32())
    ours, ref = stream.archive(), BinaryInputArchive(data)
    for name in ("readInt", "readString", "readBuffer", "readString", "readBuffer", "readLong", "readBool",
                 "readByte"):
        assert getattr(ours, name)("x") == getattr(ref, name)("x")
        assert stream.getChecksum().getValue() == zlib.adler32(data[:ref.position()])
    assert CreateTxn.fromByteArray(data[ref.position():]) == create_txn(3)
    record = CreateTxn()
    record.deserialize(ours, "r")
    assert record == create_txn(3)
    assert ours.position() == len(data) - 3
    with pytest.raises(EOFError):
        ours.readLong("past the end")
