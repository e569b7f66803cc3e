"""Data directories with a given committed history, for the leader's sync
tests: a snapshot, then txn logs spanning several epochs.

    build_history(dir, [(1, 300, 2000), (2, 300, 50), (4, 350, 50)], snapshot_after=300)

writes, per (epoch, count, size), ``count`` creates of ``/e<epoch>-<n>`` with
``size`` bytes of data (zxids ``epoch<<32 | n``), rolls the log every
``roll_every`` txns and takes a snapshot after the ``snapshot_after``-th txn.
Log files are preallocated in small steps so the txn-log size limit of a sync
is reachable.
"""

from __future__ import annotations

from pathlib import Path

from pyzookeeper.data.ACL import ACL
from pyzookeeper.data.Id import Id
from pyzookeeper.server.DataTree import DataTree
from pyzookeeper.server.Request import Request
from pyzookeeper.server.persistence.FilePadding import FilePadding
from pyzookeeper.server.persistence.FileTxnSnapLog import FileTxnSnapLog
from pyzookeeper.txn.CreateTxn import CreateTxn
from pyzookeeper.txn.TxnHeader import TxnHeader
from pyzookeeper.ZooDefs import OpCode, Perms

OPEN_ACL = [ACL(Perms.ALL, Id("world", "anyone"))]


def zxid(epoch: int, counter: int) -> int:
    return (epoch << 32) | counter


def build_history(directory: Path, epochs: list[tuple[int, int, int]], snapshot_after: int = 0,
                  roll_every: int = 100, prealloc: int = 4096) -> list[int]:
    """Write the history; returns every zxid written, in order."""
    directory.mkdir(parents=True, exist_ok=True)
    saved = FilePadding.preAllocSize
    FilePadding.setPreallocSize(prealloc)
    snapLog = FileTxnSnapLog(directory, directory)
    tree = DataTree()
    written: list[int] = []
    try:
        snapLog.save(tree, {}, False)
        n = 0
        for epoch, count, size in epochs:
            for i in range(1, count + 1):
                z = zxid(epoch, i)
                hdr = TxnHeader(0x1234, i, z, 1_700_000_000_000 + n, OpCode.create)
                parentCversion = tree.getNode("/").stat.cversion + 1
                txn = CreateTxn(f"/e{epoch}-{i}", bytes([i % 251]) * size, OPEN_ACL, False, parentCversion)
                snapLog.append(Request.fromTxn(0x1234, i, OpCode.create, hdr, txn, z))
                tree.processTxn(hdr, txn)
                written.append(z)
                n += 1
                if n % roll_every == 0:
                    snapLog.commit()
                    snapLog.rollLog()
                if n == snapshot_after:
                    snapLog.commit()
                    snapLog.save(tree, {}, False)
        snapLog.commit()
    finally:
        snapLog.close()
        FilePadding.setPreallocSize(saved)
    return written
