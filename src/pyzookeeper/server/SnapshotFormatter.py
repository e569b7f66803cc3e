"""Mirrors org.apache.zookeeper.server.SnapshotFormatter: dumps a snapshot
file as text (``-d`` adds each znode's data) or as ncdu JSON (``-json``).

Deliberate differences: children and sessions are listed in the iteration
order of the Java HashSet/HashMap that Java's tool walks (rebuilt here from
the order of the snapshot file), so both tools print the same dump; the
command line goes through click. Dates print in the local time zone.
"""

from __future__ import annotations

import base64
import os
import sys
from pathlib import Path
from typing import TextIO

import click

from pyzookeeper.common import Time
from pyzookeeper.common.java_hash_set import string_hash
from pyzookeeper.server.DataTree import DataTree
from pyzookeeper.server.ExitCode import ExitCode
from pyzookeeper.server.persistence import Util
from pyzookeeper.server.persistence.FileSnap import FileSnap
from pyzookeeper.server.persistence.SnapStream import SnapStream

_MASK64 = 0xFFFFFFFFFFFFFFFF
_JSON_ESCAPES = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"}
_JSON_TABLE = str.maketrans({**{chr(c): f"\\u{c:04X}" for c in range(32)}, **_JSON_ESCAPES})


def _int32(v: int) -> int:
    return ((v + 0x80000000) & 0xFFFFFFFF) - 0x80000000


def javaStringHashCode(s: str) -> int:
    """``String.hashCode``: over the UTF-16 code units, 32-bit wrapping."""
    return _int32(string_hash(s))


def javaLongHashCode(v: int) -> int:
    """``Long.hashCode``."""
    v &= _MASK64
    return _int32((v ^ (v >> 32)) & 0xFFFFFFFF)


def javaHashOrder(keys: list, hashCode, initialCapacity: int = 16) -> list:
    """The iteration order of a ``java.util.HashMap`` (or HashSet) into which
    ``keys`` were inserted in this order: buckets by spread hash, insertion
    order inside a bucket, with Java's resizes (also the one a long bucket
    forces in a small table). Bins Java turns into trees (8+ colliding keys
    in a table of 64+) keep insertion order here."""
    cap = 1
    while cap < initialCapacity:
        cap <<= 1
    threshold = int(cap * 0.75)
    buckets: list[list] = [[] for _ in range(cap)]
    size = 0

    def resize() -> None:
        nonlocal cap, threshold, buckets
        oldCap = cap
        cap <<= 1
        threshold = int(cap * 0.75)
        newBuckets: list[list] = [[] for _ in range(cap)]
        for j, bucket in enumerate(buckets):
            for entry in bucket:
                newBuckets[j + oldCap if entry[0] & oldCap else j].append(entry)
        buckets = newBuckets

    for key in keys:
        h = hashCode(key) & 0xFFFFFFFF
        h ^= h >> 16
        bucket = buckets[h & (cap - 1)]
        bucket.append((h, key))
        if len(bucket) >= 9 and cap < 64:
            resize()
        size += 1
        if size > threshold:
            resize()
    return [key for bucket in buckets for _, key in bucket]


def _quoteAsString(s: str) -> str:
    """Jackson's ``JsonStringEncoder.quoteAsString``."""
    return s.translate(_JSON_TABLE)


def _hex(value: int) -> str:
    """``String.format("%#016x", value)``."""
    return format(value & _MASK64, "#016x")


class _PathRecordingArchive:
    """Passes reads through, noting the node paths in snapshot order."""

    def __init__(self, ia) -> None:
        self._ia = ia
        self.paths: list[str] = []

    def __getattr__(self, name: str):
        return getattr(self._ia, name)

    def readString(self, tag: str) -> str | None:
        s = self._ia.readString(tag)
        if tag == "path":
            self.paths.append(s)
        return s


class SnapshotFormatter:
    INODE_IDX = 1000

    def __init__(self, out: TextIO | None = None) -> None:
        self.out = out if out is not None else sys.stdout
        self._children: dict[str, list[str]] = {}

    @staticmethod
    def main(args: list[str]) -> None:
        snapshotFile = None
        dumpData = False
        dumpJson = False
        i = 0
        while i < len(args):
            if args[i] == "-d":
                dumpData = True
            elif args[i] == "-json":
                dumpJson = True
            else:
                snapshotFile = args[i]
                i += 1
                break
            i += 1
        if len(args) != i or snapshotFile is None:
            print("USAGE: SnapshotFormatter [-d|-json] snapshot_file", file=sys.stderr)
            print("       -d dump the data for each znode", file=sys.stderr)
            print("       -json dump znode info in json format", file=sys.stderr)
            sys.exit(ExitCode.INVALID_INVOCATION.getValue())
        error = _validateFileInput(snapshotFile)
        if error is not None:
            print(error, file=sys.stderr)
            sys.exit(ExitCode.INVALID_INVOCATION.getValue())
        if dumpData and dumpJson:
            print("Cannot specify both data dump (-d) and json mode (-json) in same call", file=sys.stderr)
            sys.exit(ExitCode.INVALID_INVOCATION.getValue())
        SnapshotFormatter().run(snapshotFile, dumpData, dumpJson)

    def run(self, snapshotFileName: str, dumpData: bool, dumpJson: bool) -> None:
        snapshotFile = Path(snapshotFileName)
        with SnapStream.getInputStream(snapshotFile) as is_:
            ia = _PathRecordingArchive(is_.archive())
            fileSnap = FileSnap(None)
            dataTree = DataTree()
            sessions: dict[int, int] = {}
            fileSnap.deserialize(dataTree, sessions, ia)
            self._recordChildren(ia.paths)
            fileNameZxid = Util.getZxidFromName(snapshotFile.name, Util.SNAPSHOT_FILE_PREFIX)
            sessionOrder = javaHashOrder(list(sessions), javaLongHashCode)
            if dumpJson:
                self.printSnapshotJson(dataTree)
            else:
                self.printDetails(dataTree, sessions, sessionOrder, dumpData, fileNameZxid)

    def _recordChildren(self, paths: list[str | None]) -> None:
        """Each node's children in Java HashSet order (``new HashSet<>(8)``)."""
        inserted: dict[str, list[str]] = {}
        for path in paths:
            if not path or path == "/":
                continue
            lastSlash = path.rfind("/")
            parent = path[:lastSlash] or "/"
            inserted.setdefault(parent, []).append(path[lastSlash + 1:])
        self._children = {parent: javaHashOrder(names, javaStringHashCode, 8)
                          for parent, names in inserted.items()}

    def _print(self, text: str) -> None:
        self.out.write(text + "\n")

    def printDetails(self, dataTree: DataTree, sessions: dict[int, int], sessionOrder: list[int],
                     dumpData: bool, fileNameZxid: int) -> None:
        dtZxid = self.printZnodeDetails(dataTree, dumpData)
        self.printSessionDetails(dataTree, sessions, sessionOrder)
        targetZxidDigest = dataTree.getDigestFromLoadedSnapshot()
        if targetZxidDigest is not None:
            self._print(f"Target zxid digest is: {Util.toHexString(targetZxidDigest.zxid)}, "
                        f"{targetZxidDigest.digest}")
        self._print(f"----\nLast zxid: 0x{Util.toHexString(max(fileNameZxid, dtZxid))}")

    def printZnodeDetails(self, dataTree: DataTree, dumpData: bool) -> int:
        self._print(f"ZNode Details (count={dataTree.getNodeCount()}):")
        zxid = self.printZnode(dataTree, "/", dumpData)
        self._print("----")
        return zxid

    def printZnode(self, dataTree: DataTree, name: str, dumpData: bool) -> int:
        zxid = 0
        stack = [name]
        while stack:
            name = stack.pop()
            self._print("----")
            n = dataTree.getNode(name)
            self._print(name)
            self.printStat(n.stat)
            zxid = max(zxid, n.stat.mzxid, n.stat.pzxid)
            if dumpData:
                self._print("  data = " + ("" if n.data is None else base64.b64encode(n.data).decode("ascii")))
            else:
                self._print(f"  dataLength = {0 if n.data is None else len(n.data)}")
            prefix = name + ("" if name == "/" else "/")
            stack.extend(prefix + child for child in reversed(self._children.get(name, ())))
        return zxid

    def printSessionDetails(self, dataTree: DataTree, sessions: dict[int, int], sessionOrder: list[int]) -> None:
        self._print("Session Details (sid, timeout, ephemeralCount):")
        for sid in sessionOrder:
            self._print(f"{_hex(sid)}, {sessions[sid]}, {len(dataTree.getEphemerals(sid))}")

    def printStat(self, stat) -> None:
        self.printHex("cZxid", stat.czxid)
        self._print("  ctime = " + Util.format_date_tostring(stat.ctime))
        self.printHex("mZxid", stat.mzxid)
        self._print("  mtime = " + Util.format_date_tostring(stat.mtime))
        self.printHex("pZxid", stat.pzxid)
        self._print(f"  cversion = {stat.cversion}")
        self._print(f"  dataVersion = {stat.version}")
        self._print(f"  aclVersion = {stat.aversion}")
        self.printHex("ephemeralOwner", stat.ephemeralOwner)

    def printHex(self, prefix: str, value: int) -> None:
        self._print(f"  {prefix} = {_hex(value)}")

    def printSnapshotJson(self, dataTree: DataTree) -> None:
        self.out.write('[1,0,{"progname":"SnapshotFormatter.java","progver":"0.01","timestamp":%d}'
                       % Time.currentWallTime())
        self.printZnodeJson(dataTree, "/")
        self.out.write("]")

    def printZnodeJson(self, dataTree: DataTree, fullPath: str) -> None:
        """The subtree at ``fullPath``: a node with children is ``[node, child...]``."""
        out = self.out
        stack: list[str | None] = [fullPath]
        while stack:
            fullPath = stack.pop()
            if fullPath is None:
                out.write("]")
                continue
            n = dataTree.getNode(fullPath)
            if n is None:
                print(f"DataTree Node for {fullPath} doesn't exist", file=sys.stderr)
                continue
            name = fullPath if fullPath == "/" else fullPath[fullPath.rfind("/") + 1:]
            out.write(",")
            dataLen = 0 if n.data is None else len(n.data)
            SnapshotFormatter.INODE_IDX += 1
            nodeSB = (f'{{"name":"{_quoteAsString(name)}","asize":{dataLen},"dsize":{dataLen},"dev":0,'
                      f'"ino":{SnapshotFormatter.INODE_IDX}}}')
            children = self._children.get(fullPath)
            if children:
                out.write("[" + nodeSB)
                stack.append(None)
                prefix = fullPath + ("" if fullPath == "/" else "/")
                stack.extend(prefix + child for child in reversed(children))
            else:
                out.write(nodeSB)


def _validateFileInput(filePath: str) -> str | None:
    """``ZKUtil.validateFileInput``."""
    file = Path(filePath)
    if not file.exists():
        return f"File '{Util.javaAbsolutePath(filePath)}' does not exist."
    if not os.access(file, os.R_OK):
        return f"Read permission is denied on the file '{Util.javaAbsolutePath(filePath)}'"
    if file.is_dir():
        return f"'{Util.javaAbsolutePath(filePath)}' is a directory. it must be a file."
    return None


@click.command(context_settings={"ignore_unknown_options": True, "help_option_names": []})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def _command(args: tuple[str, ...]) -> None:
    SnapshotFormatter.main(list(args))


def main(argv: list[str] | None = None) -> None:
    """The zkSnapShotToolkit command: ``[-d|-json] snapshot_file``."""
    sys.stdout.reconfigure(errors="replace")
    sys.stdout = Util.JavaPrintStream(sys.stdout)
    _command.main(args=argv, prog_name="SnapshotFormatter")


if __name__ == "__main__":
    main()
