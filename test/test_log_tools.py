"""Our txn log and snapshot tools print what Java's print, byte for byte.

zkTxnLogToolkit (dump, CRC recovery, chop), zkSnapShotToolkit (plain, -d,
-json) and zkCleanup are run as ``python -m`` beside the Java classes of the
Debian jar, on the same files (written by Java and by us), and their output,
exit codes and written files are compared.
"""

from __future__ import annotations

import filecmp
import os
import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from javaref import QUICK_START, classpath
from pyzookeeper.server.persistence.FilePadding import FilePadding
from pyzookeeper.server.persistence.FileSnap import FileSnap
from pyzookeeper.server.persistence.SnapStream import SnapStream, StreamMode
from test_persistence_support import TreeWriter, build_sample_tree, write_with_java

pytestmark = pytest.mark.java

TOOLKIT = ("org.apache.zookeeper.server.persistence.TxnLogToolkit", "pyzookeeper.server.persistence.TxnLogToolkit")
FORMATTER = ("org.apache.zookeeper.server.SnapshotFormatter", "pyzookeeper.server.SnapshotFormatter")
PURGE = ("org.apache.zookeeper.server.PurgeTxnLog", "pyzookeeper.server.PurgeTxnLog")


def run_java_tool(main_class: str, args, cwd: Path, input: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(["java", "-Xmx1g", *QUICK_START, "-cp", classpath(), main_class, *map(str, args)], cwd=cwd,
                          capture_output=True, input=input, text=True, timeout=120)


def run_py_tool(module: str, args, cwd: Path, input: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", module, *map(str, args)], cwd=cwd, capture_output=True,
                          input=input, text=True, timeout=300)


def both(tool, args, cwd: Path, input: str | None = None):
    java = run_java_tool(tool[0], args, cwd, input)
    ours = run_py_tool(tool[1], args, cwd, input)
    return java, ours


def assert_same(java: subprocess.CompletedProcess, ours: subprocess.CompletedProcess, stderr: bool = True) -> None:
    assert ours.stdout == java.stdout
    assert ours.returncode == java.returncode
    if stderr:
        assert ours.stderr == java.stderr


@pytest.fixture(scope="module")
def java_datadir(java_available, tmp_path_factory):
    return write_with_java(tmp_path_factory.mktemp("java-written-tools"))


@pytest.fixture(scope="module")
def our_datadir(tmp_path_factory):
    """Our sample tree, with the snapshots in each compression."""
    root = tmp_path_factory.mktemp("ours-tools")
    mode = SnapStream.getStreamMode()
    prealloc = FilePadding.getPreAllocSize()
    FilePadding.setPreallocSize(64 * 1024)
    try:
        for m in (StreamMode.CHECKED, StreamMode.GZIP, StreamMode.SNAPPY):
            SnapStream.setStreamMode(m)
            writer = TreeWriter(root / m.name)
            build_sample_tree(writer)
            writer.close()
    finally:
        SnapStream.setStreamMode(mode)
        FilePadding.setPreallocSize(prealloc)
    return root


def test_dump_of_java_logs(java_datadir):
    logs = sorted((java_datadir.data_dir / "version-2").glob("log.*"))
    assert len(logs) >= 3
    for log in logs:
        java, ours = both(TOOLKIT, [log], log.parent)
        assert java.returncode == 0 and "EOF reached after" in java.stdout
        assert_same(java, ours)


def test_dump_of_our_logs(our_datadir):
    logs = sorted((our_datadir / "CHECKED" / "version-2").glob("log.*"))
    for log in logs:
        assert_same(*both(TOOLKIT, ["-d", log], log.parent))


def test_snapshot_dumps_of_java_snapshots(java_datadir):
    snaps = FileSnap(java_datadir.data_dir / "version-2").findNValidSnapshots(2)
    for snap in snaps:
        for args in ([snap], ["-d", snap]):
            assert_same(*both(FORMATTER, args, snap.parent))
    java, ours = both(FORMATTER, ["-json", snaps[0]], snaps[0].parent)
    stamp = re.compile(r'"timestamp":\d+')
    assert stamp.sub("", ours.stdout) == stamp.sub("", java.stdout) and java.stdout.startswith("[1,0,{")


@pytest.mark.parametrize("mode", ["CHECKED", "GZIP", "SNAPPY"])
def test_snapshot_dumps_of_our_snapshots(our_datadir, mode):
    snap = FileSnap(our_datadir / mode / "version-2").findMostRecentSnapshot()
    java, ours = both(FORMATTER, ["-d", snap], snap.parent)
    assert java.returncode == 0 and "/日本語" in java.stdout
    assert_same(java, ours)


def flip_crc_bytes(log: Path, entries) -> None:
    """Damage the data of the given entries so their checksums no longer match."""
    data = bytearray(log.read_bytes())
    pos = 16
    index = 0
    while True:
        _, length = struct.unpack_from(">qi", data, pos)
        if length == 0:
            break
        if index in entries:
            data[pos + 12 + length - 1] ^= 0x5A
        pos += 13 + length
        index += 1
    log.write_bytes(bytes(data))


def damaged_copies(java_datadir, tmp_path: Path, entries) -> tuple[Path, Path]:
    log = sorted((java_datadir.data_dir / "version-2").glob("log.*"))[0]
    copies = []
    for side in ("java", "ours"):
        (tmp_path / side).mkdir()
        copy = tmp_path / side / log.name
        shutil.copyfile(log, copy)
        flip_crc_bytes(copy, entries)
        copies.append(copy)
    return copies[0], copies[1]


def test_crc_errors_dump_and_recover(java_datadir, tmp_path):
    java_log, our_log = damaged_copies(java_datadir, tmp_path, {2, 5})
    java = run_java_tool(TOOLKIT[0], [java_log.name], java_log.parent)
    ours = run_py_tool(TOOLKIT[1], [our_log.name], our_log.parent)
    assert java.stdout.count("CRC ERROR - ") == 2
    assert_same(java, ours)

    java = run_java_tool(TOOLKIT[0], ["-r", "-y", "-v", java_log.name], java_log.parent)
    ours = run_py_tool(TOOLKIT[1], ["-r", "-y", "-v", our_log.name], our_log.parent)
    assert "has been written with 2 fixed CRC error(s)" in java.stdout
    assert_same(java, ours)
    java_fixed = java_log.with_name(java_log.name + ".fixed")
    our_fixed = our_log.with_name(our_log.name + ".fixed")
    assert filecmp.cmp(java_fixed, our_fixed, shallow=False)
    clean = run_py_tool(TOOLKIT[1], [our_fixed.name], our_fixed.parent)
    assert clean.returncode == 0 and "CRC ERROR" not in clean.stdout

    again = both(TOOLKIT, ["-r", "-y", java_log.name], java_log.parent)
    assert again[0].returncode == 1 and "already exists" in again[0].stderr


def test_interactive_recovery(java_datadir, tmp_path):
    java_log, our_log = damaged_copies(java_datadir, tmp_path, {1, 3, 4})
    answers = "yes\nmaybe no\nYes\n"
    java = run_java_tool(TOOLKIT[0], ["-r", java_log.name], java_log.parent, answers)
    ours = run_py_tool(TOOLKIT[1], ["-r", our_log.name], our_log.parent, answers)
    assert "with 2 fixed CRC error(s)" in java.stdout
    assert_same(java, ours)
    assert filecmp.cmp(java_log.with_name(java_log.name + ".fixed"),
                       our_log.with_name(our_log.name + ".fixed"), shallow=False)
    for fixed in (java_log.with_name(java_log.name + ".fixed"), our_log.with_name(our_log.name + ".fixed")):
        fixed.unlink()
    java = run_java_tool(TOOLKIT[0], ["-r", java_log.name], java_log.parent, "abort\n")
    ours = run_py_tool(TOOLKIT[1], ["-r", our_log.name], our_log.parent, "abort\n")
    assert java.returncode == 0 and "Recovery aborted." in java.stderr
    assert_same(java, ours)


@pytest.mark.parametrize("cut", [4, 10, 40])
def test_dump_of_torn_log(java_datadir, tmp_path, cut):
    log = sorted((java_datadir.data_dir / "version-2").glob("log.*"))[0]
    data = log.read_bytes()
    pos = 16
    for _ in range(5):
        _, length = struct.unpack_from(">qi", data, pos)
        pos += 13 + length
    torn = tmp_path / log.name
    torn.write_bytes(data[:pos + cut])
    java, ours = both(TOOLKIT, [torn.name], tmp_path)
    assert "EOF reached after 5 txns." in java.stdout
    assert_same(java, ours)


def test_dump_of_partial_last_txn(java_datadir, tmp_path):
    log = sorted((java_datadir.data_dir / "version-2").glob("log.*"))[0]
    data = bytearray(log.read_bytes())
    _, length = struct.unpack_from(">qi", data, 16)
    data[16 + 12 + length] = 0
    (tmp_path / log.name).write_bytes(bytes(data))
    java, ours = both(TOOLKIT, [log.name], tmp_path)
    assert java.returncode == 1 and java.stderr == "Last transaction was partial.\n"
    assert_same(java, ours)


def test_chop(java_datadir, tmp_path):
    log = sorted((java_datadir.data_dir / "version-2").glob("log.*"))[0]
    zxid = hex(int(log.name.split(".")[1], 16) + 9)
    for side in ("java", "ours"):
        (tmp_path / side).mkdir()
        shutil.copyfile(log, tmp_path / side / log.name)
    java = run_java_tool(TOOLKIT[0], ["-c", "-z", zxid, log.name], tmp_path / "java")
    ours = run_py_tool(TOOLKIT[1], ["-c", "-z", zxid, log.name], tmp_path / "ours")
    assert "new log has 10 records" in java.stdout
    assert_same(java, ours)
    chopped = f"{log.name}.chopped{int(zxid, 16)}"
    assert filecmp.cmp(tmp_path / "java" / chopped, tmp_path / "ours" / chopped, shallow=False)
    java, ours = both(TOOLKIT, ["-c", "-z", "0x7fffffffffff", log.name], tmp_path / "java")
    assert "Got exception: Failed to chop" in java.stdout
    assert_same(java, ours)


@pytest.mark.parametrize("args", [
    ["-h"], [], ["-x", "log.1"], ["/no/such/log"], ["-z"], ["--help"],
])
def test_toolkit_usage_and_errors(tmp_path, java_available, args):
    assert_same(*both(TOOLKIT, args, tmp_path))


@pytest.mark.parametrize("args", [
    [], ["-d"], ["-d", "-json", "x"], ["/no/such/snapshot"], ["."], ["a", "b"],
])
def test_formatter_usage_and_errors(tmp_path, java_available, args):
    assert_same(*both(FORMATTER, args, tmp_path))


def test_formatter_rejects_both_modes(java_datadir):
    snap = FileSnap(java_datadir.data_dir / "version-2").findMostRecentSnapshot()
    assert_same(*both(FORMATTER, ["-d", "-json", snap], snap.parent))


@pytest.mark.parametrize("args", [
    [], ["data"], ["data", "-n"], ["data", "-n", "2"], ["data", "-n", "x"], ["data", "-k", "3"],
    ["nowhere", "-n", "3"], ["data", "data", "-n", "+3", "extra"],
])
def test_purge_usage_and_errors(tmp_path, java_available, args):
    (tmp_path / "data").mkdir()
    assert_same(*both(PURGE, args, tmp_path))


def test_purge_removes_the_same_files(our_datadir, tmp_path, java_available):
    source = our_datadir / "CHECKED"
    listing = {}
    outputs = {}
    for side, tool in (("java", PURGE[0]), ("ours", PURGE[1])):
        work = tmp_path / "data"
        shutil.copytree(source, work)
        if side == "java":
            result = run_java_tool(tool, ["data", "-n", "3"], tmp_path)
        else:
            result = run_py_tool(tool, ["data", "-n", "3"], tmp_path)
        assert result.returncode == 0, result.stderr
        listing[side] = sorted(os.listdir(work / "version-2"))
        outputs[side] = sorted(result.stdout.splitlines())
        shutil.rmtree(work)
    assert listing["ours"] == listing["java"]
    assert outputs["ours"] == outputs["java"]
    assert any(line.startswith("Removing file: ") for line in outputs["java"])
