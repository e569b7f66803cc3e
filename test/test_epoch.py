"""QuorumPeer's epoch files (``acceptedEpoch``, ``currentEpoch`` in
``<dataDir>/version-2``): created from the last zxid when missing, checked
against it and against each other on load, written atomically; and
interchangeable with Java's."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from pyzookeeper.server.DataTree import DataTree
from pyzookeeper.server.ZKDatabase import ZKDatabase
from pyzookeeper.server.persistence.FileTxnSnapLog import FileTxnSnapLog
from pyzookeeper.server.quorum.QuorumPeer import QuorumPeer
from pyzookeeper.server.util import ZxidUtils

LAST_ZXID = ZxidUtils.makeZxid(5, 3)


def data_dir_with_snapshot(tmp_path: Path, zxid: int = LAST_ZXID) -> Path:
    """A data directory whose newest snapshot was taken at ``zxid``."""
    data = tmp_path / "data"
    snapLog = FileTxnSnapLog(data, data)
    tree = DataTree()
    tree.lastProcessedZxid = zxid
    snapLog.save(tree, {}, True)
    snapLog.close()
    return data


def peer_for(data: Path) -> QuorumPeer:
    peer = QuorumPeer()
    peer.setTxnFactory(FileTxnSnapLog(data, data))
    peer.setZKDatabase(ZKDatabase(peer.getTxnFactory()))
    return peer


def snap_dir(data: Path) -> Path:
    return data / "version-2"


def test_missing_epoch_files_are_created_from_the_last_zxid(tmp_path, caplog):
    data = data_dir_with_snapshot(tmp_path)
    peer = peer_for(data)
    with caplog.at_level(logging.INFO):
        peer.loadDataBase()
    assert (peer.getCurrentEpoch(), peer.getAcceptedEpoch()) == (5, 5)
    assert (snap_dir(data) / "currentEpoch").read_bytes() == b"5"
    assert (snap_dir(data) / "acceptedEpoch").read_bytes() == b"5"
    for name in ("currentEpoch", "acceptedEpoch"):
        assert (f"{name} not found! Creating with a reasonable default of 5. "
                "This should only happen when you are upgrading your installation") in caplog.text
    assert not list(snap_dir(data).glob("*.tmp"))


def test_existing_epochs_are_read(tmp_path):
    data = data_dir_with_snapshot(tmp_path)
    (snap_dir(data) / "currentEpoch").write_text("7")
    (snap_dir(data) / "acceptedEpoch").write_text("8\n")
    peer = peer_for(data)
    peer.loadDataBase()
    assert (peer.getCurrentEpoch(), peer.getAcceptedEpoch()) == (7, 8)


def test_current_epoch_older_than_last_zxid_is_an_error(tmp_path, caplog):
    data = data_dir_with_snapshot(tmp_path)
    (snap_dir(data) / "currentEpoch").write_text("3")
    peer = peer_for(data)
    with caplog.at_level(logging.ERROR), pytest.raises(RuntimeError, match="^Unable to run quorum server $") as info:
        peer.loadDataBase()
    assert isinstance(info.value.__cause__, OSError)
    assert str(info.value.__cause__) == f"The current epoch, 3, is older than the last zxid, {LAST_ZXID}"
    assert "Unable to load database on disk" in caplog.text
    assert not (snap_dir(data) / "acceptedEpoch").exists()


def test_current_epoch_tmp_file_supplies_the_epoch(tmp_path, caplog):
    """A crash between writing currentEpoch.tmp and renaming it leaves the new value there."""
    data = data_dir_with_snapshot(tmp_path)
    (snap_dir(data) / "currentEpoch").write_text("3")
    (snap_dir(data) / "currentEpoch.tmp").write_text("5")
    (snap_dir(data) / "acceptedEpoch").write_text("5")
    peer = peer_for(data)
    with caplog.at_level(logging.INFO):
        peer.loadDataBase()
    assert peer.getCurrentEpoch() == 5
    assert (snap_dir(data) / "currentEpoch").read_text() == "5"
    assert f"{snap_dir(data) / 'currentEpoch.tmp'} found. Setting current epoch to 5." in caplog.text
    assert not (snap_dir(data) / "currentEpoch.tmp").exists()


def test_accepted_epoch_below_current_epoch_is_an_error(tmp_path):
    data = data_dir_with_snapshot(tmp_path)
    (snap_dir(data) / "currentEpoch").write_text("26")
    (snap_dir(data) / "acceptedEpoch").write_text("17")
    peer = peer_for(data)
    with pytest.raises(RuntimeError) as info:
        peer.loadDataBase()
    assert str(info.value.__cause__) == "The accepted epoch, 11 is less than the current epoch, 1a"


@pytest.mark.parametrize("content, shown", [("abc", "abc"), ("", "null"), ("5 \n", "5 "), ("0x5", "0x5")])
def test_unreadable_epoch_file(tmp_path, content, shown):
    data = data_dir_with_snapshot(tmp_path)
    (snap_dir(data) / "currentEpoch").write_text(content)
    peer = peer_for(data)
    with pytest.raises(RuntimeError) as info:
        peer.loadDataBase()
    assert str(info.value.__cause__) == f"Found {shown} in {snap_dir(data) / 'currentEpoch'}"


def test_empty_database_gives_epoch_zero(tmp_path):
    data = tmp_path / "data"
    peer = peer_for(data)
    peer.loadDataBase()
    assert (peer.getCurrentEpoch(), peer.getAcceptedEpoch()) == (0, 0)


def test_set_epochs_writes_atomically(tmp_path):
    data = data_dir_with_snapshot(tmp_path)
    peer = peer_for(data)
    peer.setAcceptedEpoch(12)
    peer.setCurrentEpoch(11)
    assert (snap_dir(data) / "acceptedEpoch").read_bytes() == b"12"
    assert (snap_dir(data) / "currentEpoch").read_bytes() == b"11"
    assert not list(snap_dir(data).glob("*.tmp"))
    fresh = peer_for(data)
    assert (fresh.getCurrentEpoch(), fresh.getAcceptedEpoch()) == (11, 12)
    with pytest.raises(FileNotFoundError):
        peer_for(tmp_path / "elsewhere").getCurrentEpoch()


def test_epoch_files_are_interchangeable_with_java(jvm, tmp_path):
    """Java writes the files we read, and reads the ones we write."""
    from java.io import File
    from org.apache.zookeeper.server.persistence import FileTxnSnapLog as JavaFileTxnSnapLog
    from org.apache.zookeeper.server.quorum import QuorumPeer as JavaQuorumPeer

    java_dir = tmp_path / "java"
    java_peer = JavaQuorumPeer()
    java_peer.setTxnFactory(JavaFileTxnSnapLog(File(str(java_dir)), File(str(java_dir))))
    java_peer.setCurrentEpoch(1 << 40)
    java_peer.setAcceptedEpoch(-1 + (1 << 63))

    our_dir = tmp_path / "py"
    peer = peer_for(our_dir)
    peer.setCurrentEpoch(1 << 40)
    peer.setAcceptedEpoch(-1 + (1 << 63))
    for name in ("currentEpoch", "acceptedEpoch"):
        assert (snap_dir(our_dir) / name).read_bytes() == (snap_dir(java_dir) / name).read_bytes()

    assert peer_for(java_dir).getAcceptedEpoch() == (1 << 63) - 1
    reader = JavaQuorumPeer()
    reader.setTxnFactory(JavaFileTxnSnapLog(File(str(our_dir)), File(str(our_dir))))
    assert int(reader.getCurrentEpoch()) == 1 << 40
    java_peer.getTxnFactory().close()
    reader.getTxnFactory().close()
