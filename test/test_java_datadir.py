"""Data directories cross between Java ZooKeeper 3.8 and ours.

Java writes (through a real client, with several snapshots and logs), we
load: the same nodes, data, stats, ACLs, ephemeral owners, sessions and last
zxid as the Java server served. We write (only through our FileTxnSnapLog),
Java loads: the Java server serves the same tree, with valid checksums and
digests, in each snapshot compression.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from kazoo.client import KazooClient

from javaref import JavaZooKeeperServer, ServerExited, four_letter_word, wait_for
from pyzookeeper import system_properties
from pyzookeeper.server.persistence.FileSnap import FileSnap
from pyzookeeper.server.persistence.FileTxnSnapLog import FileTxnSnapLog
from pyzookeeper.server.persistence.SnapStream import SnapStream, StreamMode
from pyzookeeper.server.ZKDatabase import ZKDatabase
from test_persistence_support import (
    JAVA_FLAGS,
    TreeWriter,
    build_sample_tree,
    db_tree,
    kazoo_tree,
    raw_ephemeral_owners,
    srvr_zxid,
    wait_serving,
    write_with_java,
)

pytestmark = pytest.mark.java


@pytest.fixture(autouse=True)
def extended_types():
    """Both sides run with TTL nodes enabled (it changes the client view of their owner)."""
    previous = system_properties.setProperty("zookeeper.extendedTypesEnabled", "true")
    mode = SnapStream.getStreamMode()
    yield
    SnapStream.setStreamMode(mode)
    if previous is None:
        system_properties.clearProperty("zookeeper.extendedTypesEnabled")
    else:
        system_properties.setProperty("zookeeper.extendedTypesEnabled", previous)


@pytest.fixture(scope="module")
def java_datadir(java_available, tmp_path_factory):
    return write_with_java(tmp_path_factory.mktemp("java-written"))


def load_copy(data_dir: Path, tmp_path: Path) -> tuple[ZKDatabase, int]:
    copy = tmp_path / "copy"
    shutil.copytree(data_dir, copy)
    db = ZKDatabase(FileTxnSnapLog(copy, copy))
    return db, db.loadDataBase()


def test_java_written_datadir_loads_into_ours(java_datadir, tmp_path):
    version2 = java_datadir.data_dir / "version-2"
    assert len(list(version2.glob("snapshot.*"))) >= 3 and len(list(version2.glob("log.*"))) >= 3
    db, zxid = load_copy(java_datadir.data_dir, tmp_path)
    assert zxid == java_datadir.zxid
    tree = db_tree(db.getDataTree())
    assert set(tree) == set(java_datadir.tree)
    for path, served in java_datadir.tree.items():
        assert tree[path] == served, path
    assert db.getSessionWithTimeOuts() == java_datadir.sessions
    owner = java_datadir.owner
    assert db.getDataTree().getEphemerals(owner) == {
        p for p, (_, stat, _) in java_datadir.tree.items() if stat[7] == owner}
    owners = raw_ephemeral_owners(db.getDataTree())
    assert owners["/cont"] == -(2**63)
    assert owners["/ttl"] == -(2**56) + 3_600_000


def test_kill9_while_writing(java_available, tmp_path):
    """Acknowledged writes survive a kill -9; our load equals what Java
    restores from the same directory."""
    server = JavaZooKeeperServer(tmp_path / "w", extra_cfg={"snapCount": "50"}, jvm_args=JAVA_FLAGS)
    server.start()
    acked: list[int] = []
    try:
        wait_serving(server)
        zk = KazooClient(hosts=server.hosts, connection_retry={"max_tries": 0}, command_retry={"max_tries": 0})
        zk.start()

        def write() -> None:
            i = 0
            while True:
                try:
                    zk.create(f"/k{i}", b"v" * (i % 700))
                except Exception:
                    return
                acked.append(i)
                i += 1

        writer = threading.Thread(target=write, daemon=True)
        writer.start()
        wait_for(lambda: len(acked) >= 300, timeout=60, what="300 acknowledged writes")
        server.kill9()
        # a create issued after the client saw the connection drop waits for a
        # reconnection that never comes; stopping the client fails it
        zk.stop()
        writer.join(30)
        assert not writer.is_alive()
        zk.close()
    finally:
        server.stop()

    db, zxid = load_copy(server.data_dir, tmp_path)
    ours = db_tree(db.getDataTree())
    assert all(f"/k{i}" in ours for i in acked)

    # a kill during the creation of a log leaves it empty; we delete it (see
    # test_headerless_last_log_is_deleted_and_the_rest_loads), Java 3.8.0
    # would not start: let it load what we loaded
    for log in (server.data_dir / "version-2").glob("log.*"):
        if not (tmp_path / "copy" / "version-2" / log.name).exists():
            log.unlink()
    restarted = JavaZooKeeperServer(tmp_path / "r", data_dir=server.data_dir, jvm_args=JAVA_FLAGS)
    with restarted:
        assert srvr_zxid(wait_serving(restarted)) == zxid
        reader = KazooClient(hosts=restarted.hosts)
        reader.start()
        try:
            assert kazoo_tree(reader) == ours
        finally:
            reader.stop()
            reader.close()


@pytest.mark.parametrize("mode", [StreamMode.CHECKED, StreamMode.GZIP, StreamMode.SNAPPY])
def test_our_datadir_served_by_java(java_available, tmp_path, mode):
    SnapStream.setStreamMode(mode)
    writer = TreeWriter(tmp_path / "data")
    build_sample_tree(writer)
    writer.close()
    expected = db_tree(writer.dt)
    newest = FileSnap(tmp_path / "data" / "version-2").findMostRecentSnapshot()
    assert newest.name.endswith(mode.getFileExtension() or newest.name)

    server = JavaZooKeeperServer(tmp_path / "java", data_dir=tmp_path / "data", jvm_args=JAVA_FLAGS)
    with server:
        assert srvr_zxid(wait_serving(server)) == writer.zxid
        zk = KazooClient(hosts=server.hosts, auth_data=[("digest", "u:p")])
        zk.start()
        try:
            served = kazoo_tree(zk)
        finally:
            zk.stop()
            zk.close()
        mntr = four_letter_word(server.port, "mntr")
    assert served == expected
    assert "zk_digest_mismatches_count\t0" in mntr
    log = server.log_text()
    assert f"Reading snapshot {newest}" in log
    assert "problem reading snap file" not in log and "Digests are not matching" not in log


@pytest.mark.parametrize("mode", [StreamMode.CHECKED, StreamMode.GZIP, StreamMode.SNAPPY])
def test_java_checks_our_snapshot_seals_and_digest(jvm, tmp_path, mode):
    """Java's FileSnap loads our newest snapshot (both Adler32 seals checked)
    and its DataTree digest equals ours."""
    SnapStream.setStreamMode(mode)
    writer = TreeWriter(tmp_path)
    build_sample_tree(writer)
    writer.snapshot()
    writer.close()
    from java.io import File
    from java.util import HashMap
    from org.apache.zookeeper.server import DataTree as JDataTree
    from org.apache.zookeeper.server.persistence import FileSnap as JFileSnap

    tree = JDataTree()
    sessions = HashMap()
    zxid = JFileSnap(File(str(tmp_path / "version-2"))).deserialize(tree, sessions)
    assert zxid == writer.zxid
    assert tree.getTreeDigest() == writer.dt.getTreeDigest()
    assert tree.getDigestFromLoadedSnapshot() is None
    assert tree.getNodeCount() == writer.dt.getNodeCount()
    assert {int(k): int(sessions.get(k)) for k in sessions.keySet()} == writer.db.getSessionWithTimeOuts()


@pytest.mark.parametrize("method", ["gz", "snappy"])
def test_java_compressed_snapshots_load_into_ours(java_available, tmp_path, method):
    java = write_with_java(tmp_path / "w", [f"-Dzookeeper.snapshot.compression.method={method}"])
    snaps = list((java.data_dir / "version-2").glob(f"snapshot.*.{method}"))
    assert len(snaps) >= 3
    db, zxid = load_copy(java.data_dir, tmp_path)
    assert zxid == java.zxid
    assert db_tree(db.getDataTree()) == java.tree


def last_entry(log: Path) -> tuple[int, int]:
    """(offset, size) of the last entry frame of a log file."""
    import struct

    data = log.read_bytes()
    pos, last = 16, None
    while pos + 12 <= len(data):
        length = struct.unpack_from(">i", data, pos + 8)[0]
        if length == 0:
            break
        last = (pos, 13 + length)
        pos += 13 + length
    return last


def test_torn_last_entry_like_java(java_datadir, tmp_path):
    """A half-written last txn is dropped by both servers, and only it."""
    data = tmp_path / "data"
    shutil.copytree(java_datadir.data_dir, data)
    log = sorted((data / "version-2").glob("log.*"), key=lambda p: int(p.name[4:], 16))[-1]
    offset, size = last_entry(log)
    with open(log, "r+b") as f:
        f.truncate(offset + size // 2)
    shutil.copytree(data, tmp_path / "ours")
    db = ZKDatabase(FileTxnSnapLog(tmp_path / "ours", tmp_path / "ours"))
    zxid = db.loadDataBase()
    assert zxid == java_datadir.zxid - 1
    ours = db_tree(db.getDataTree())
    with JavaZooKeeperServer(tmp_path / "java", data_dir=data, jvm_args=JAVA_FLAGS) as server:
        assert srvr_zxid(wait_serving(server)) == zxid
        zk = KazooClient(hosts=server.hosts, auth_data=[("digest", "u:p")])
        zk.start()
        try:
            assert kazoo_tree(zk) == ours
        finally:
            zk.stop()
            zk.close()


def java_start_failure(data: Path, workdir: Path) -> str:
    """The log of a Java server that must refuse to start on ``data``."""
    server = JavaZooKeeperServer(workdir, data_dir=data, jvm_args=JAVA_FLAGS)
    try:
        with pytest.raises(ServerExited):
            server.start()
    finally:
        server.stop()
    return server.log_text()


def test_bad_crc_in_the_middle_fails_like_java(java_datadir, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(java_datadir.data_dir, data)
    newest = FileSnap(data / "version-2").findMostRecentSnapshot()
    log = sorted((data / "version-2").glob("log.*"), key=lambda p: int(p.name[4:], 16))[-1]
    assert int(log.name[4:], 16) > int(newest.name.split(".")[1], 16)
    raw = bytearray(log.read_bytes())
    assert last_entry(log)[0] > 16
    raw[16 + 12 + 10] ^= 0xFF
    log.write_bytes(bytes(raw))
    copy = tmp_path / "ours"
    shutil.copytree(data, copy)
    with pytest.raises(OSError, match="CRC check failed"):
        ZKDatabase(FileTxnSnapLog(copy, copy)).loadDataBase()
    assert "java.io.IOException: CRC check failed" in java_start_failure(data, tmp_path / "java")


def headerless_last_log(version2: Path) -> Path:
    """An empty log after the newest one: what a server killed while creating
    its next log leaves behind."""
    newest = max(int(p.name.split(".")[1], 16) for p in version2.glob("log.*"))
    empty = version2 / f"log.{newest + 0x1000:x}"
    empty.touch()
    return empty


def test_headerless_last_log_is_deleted_and_the_rest_loads(java_datadir, tmp_path):
    """Java 3.8.0 cannot start with it (ZOOKEEPER-2332, fixed later by deleting
    the file); we delete it, with a warning, and load everything else."""
    data = tmp_path / "data"
    shutil.copytree(java_datadir.data_dir, data)
    empty = headerless_last_log(data / "version-2")
    assert "java.io.EOFException" in java_start_failure(data, tmp_path / "java")

    db = ZKDatabase(FileTxnSnapLog(data, data))
    assert db.loadDataBase() == java_datadir.zxid
    assert db_tree(db.getDataTree()) == java_datadir.tree
    assert not empty.exists()
    restarted = JavaZooKeeperServer(tmp_path / "java-again", data_dir=data, jvm_args=JAVA_FLAGS)
    with restarted:
        assert srvr_zxid(wait_serving(restarted)) == java_datadir.zxid


def test_corrupt_newest_java_snapshot_falls_back(java_datadir, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(java_datadir.data_dir, data)
    newest = FileSnap(data / "version-2").findMostRecentSnapshot()
    raw = bytearray(newest.read_bytes())
    raw[len(raw) // 3] ^= 0x10
    newest.write_bytes(bytes(raw))
    db = ZKDatabase(FileTxnSnapLog(data, data))
    assert db.loadDataBase() == java_datadir.zxid
    assert db.snapLog.getLastSnapshotInfo().zxid < int(newest.name.split(".")[1], 16)
    assert db_tree(db.getDataTree()) == java_datadir.tree
