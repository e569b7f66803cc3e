"""Mirrors org.apache.zookeeper.server.TxnLogEntry: a transaction as read from a
log entry (header, body record, optional digest)."""

from __future__ import annotations

from pyzookeeper.jute.Record import Record
from pyzookeeper.txn.TxnDigest import TxnDigest
from pyzookeeper.txn.TxnHeader import TxnHeader


class TxnLogEntry:
    __slots__ = ("txn", "header", "digest")

    def __init__(self, txn: Record | None, header: TxnHeader, digest: TxnDigest | None) -> None:
        self.txn = txn
        self.header = header
        self.digest = digest

    def getTxn(self) -> Record | None:
        return self.txn

    def getHeader(self) -> TxnHeader:
        return self.header

    def getDigest(self) -> TxnDigest | None:
        return self.digest
