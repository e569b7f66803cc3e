"""Mirrors org.apache.zookeeper.server.persistence.TxnLog: the interface of a
transaction log, with its inner TxnIterator."""

from __future__ import annotations

from abc import ABC, abstractmethod


class TxnLog(ABC):

    class TxnIterator(ABC):
        """Walks logged txns in zxid order; positioned on the first one when created."""

        @abstractmethod
        def getHeader(self):
            """The TxnHeader of the current txn, or None past the end."""

        @abstractmethod
        def getTxn(self):
            """The body record of the current txn (None for some closeSession txns)."""

        @abstractmethod
        def getDigest(self):
            """The TxnDigest logged with the current txn, or None."""

        @abstractmethod
        def next(self) -> bool:
            """Move to the next txn; False at the end of the logs."""

        @abstractmethod
        def close(self) -> None:
            ...

        @abstractmethod
        def getStorageSize(self) -> int:
            """Bytes of the log files still ahead of the current one."""

        def __enter__(self):
            return self

        def __exit__(self, *exc) -> None:
            self.close()

    @abstractmethod
    def setServerStats(self, serverStats) -> None:
        ...

    @abstractmethod
    def rollLog(self) -> None:
        ...

    @abstractmethod
    def append(self, hdr, r, digest=None, txnBytes: bytes | None = None) -> bool:
        ...

    @abstractmethod
    def read(self, zxid: int) -> "TxnLog.TxnIterator":
        ...

    @abstractmethod
    def getLastLoggedZxid(self) -> int:
        ...

    @abstractmethod
    def truncate(self, zxid: int) -> bool:
        ...

    @abstractmethod
    def getDbId(self) -> int:
        ...

    @abstractmethod
    def commit(self) -> None:
        ...

    @abstractmethod
    def getTxnLogSyncElapsedTime(self) -> int:
        ...

    @abstractmethod
    def close(self) -> None:
        ...

    @abstractmethod
    def setTotalLogSize(self, size: int) -> None:
        ...

    @abstractmethod
    def getTotalLogSize(self) -> int:
        ...

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()
