"""Mirrors org.apache.zookeeper.server.util.SerializeUtils: transaction log entries
to records, and the session and tree parts of a snapshot.

Java's class has only static methods: they are module functions, and the class
``SerializeUtils`` offers the same names (``from
pyzookeeper.server.util.SerializeUtils import SerializeUtils``).
"""

from __future__ import annotations

import logging

from pyzookeeper.common.java_concurrent_hash_map import long_hash
from pyzookeeper.common.java_hash_set import hash_map_copy_capacity, hash_map_order
from pyzookeeper.jute.BinaryInputArchive import BinaryInputArchive
from pyzookeeper.jute.Record import Record
from pyzookeeper.server.DigestCalculator import isDigestEnabled, zooKeeperServerSwitch
from pyzookeeper.server.TxnLogEntry import TxnLogEntry
from pyzookeeper.txn.CloseSessionTxn import CloseSessionTxn
from pyzookeeper.txn.CreateContainerTxn import CreateContainerTxn
from pyzookeeper.txn.CreateSessionTxn import CreateSessionTxn
from pyzookeeper.txn.CreateTTLTxn import CreateTTLTxn
from pyzookeeper.txn.CreateTxn import CreateTxn
from pyzookeeper.txn.CreateTxnV0 import CreateTxnV0
from pyzookeeper.txn.DeleteTxn import DeleteTxn
from pyzookeeper.txn.ErrorTxn import ErrorTxn
from pyzookeeper.txn.MultiTxn import MultiTxn
from pyzookeeper.txn.SetACLTxn import SetACLTxn
from pyzookeeper.txn.SetDataTxn import SetDataTxn
from pyzookeeper.txn.TxnDigest import TxnDigest
from pyzookeeper.txn.TxnHeader import TxnHeader
from pyzookeeper.ZooDefs import OpCode

LOG = logging.getLogger(__name__)

CLOSE_SESSION_TXN_ENABLED = "zookeeper.closeSessionTxn.enabled"

_TXN_RECORDS = {
    # createSession carries its timeout in a record of its own
    OpCode.createSession: CreateSessionTxn,
    OpCode.create: CreateTxn,
    OpCode.create2: CreateTxn,
    OpCode.createTTL: CreateTTLTxn,
    OpCode.createContainer: CreateContainerTxn,
    OpCode.delete: DeleteTxn,
    OpCode.deleteContainer: DeleteTxn,
    OpCode.reconfig: SetDataTxn,
    OpCode.setData: SetDataTxn,
    OpCode.setACL: SetACLTxn,
    OpCode.error: ErrorTxn,
    OpCode.multi: MultiTxn,
}


def _isCloseSessionTxnEnabled() -> bool:
    """``ZooKeeperServer.isCloseSessionTxnEnabled()``: ``zookeeper.closeSessionTxn.enabled``, default true."""
    return zooKeeperServerSwitch("isCloseSessionTxnEnabled", CLOSE_SESSION_TXN_ENABLED)


def deserializeTxn(txnBytes: bytes) -> TxnLogEntry:
    """Split the bytes of a log entry (or PROPOSAL) into header, body and digest.

    A create whose body ends early is read as a CreateTxnV0 (parentCVersion -1,
    fixed up when applied); a closeSession without a body has a None txn. The
    digest is read only when digests are enabled and bytes remain.
    """
    hdr = TxnHeader()
    ia = BinaryInputArchive(txnBytes)
    hdr.deserialize(ia, "hdr")
    mark = ia.position()
    type_ = hdr.type
    if type_ == OpCode.closeSession:
        txn: Record | None = CloseSessionTxn() if _isCloseSessionTxnEnabled() else None
    else:
        recordClass = _TXN_RECORDS.get(type_)
        if recordClass is None:
            raise IOError("Unsupported Txn with type=%d" + str(type_))
        txn = recordClass()
    if txn is not None:
        try:
            txn.deserialize(ia, "txn")
        except EOFError:
            if type_ == OpCode.create:
                ia = BinaryInputArchive(memoryview(txnBytes)[mark:])
                createv0 = CreateTxnV0()
                createv0.deserialize(ia, "txn")
                # parentCVersion -1 makes processTxn compute it
                txn.path = createv0.path
                txn.data = createv0.data
                txn.acl = createv0.acl
                txn.ephemeral = createv0.ephemeral
                txn.parentCVersion = -1
            elif type_ == OpCode.closeSession:
                # written before CloseSessionTxn existed
                txn = None
            else:
                raise
    digest: TxnDigest | None = None
    if isDigestEnabled():
        digest = TxnDigest()
        try:
            digest.deserialize(ia, "digest")
        except EOFError:
            digest = None
    return TxnLogEntry(txn, hdr, digest)


def deserializeSnapshot(dt, ia, sessions: dict[int, int]) -> None:
    """Read the sessions block (into ``sessions``: id -> timeout) and the tree."""
    count = ia.readInt("count")
    while count > 0:
        sessionId = ia.readLong("id")
        to = ia.readInt("timeout")
        sessions[sessionId] = to
        count -= 1
    dt.deserialize(ia, "tree")


def serializeSnapshot(dt, oa, sessions: dict[int, int]) -> None:
    """Write the sessions block (id -> timeout) and the tree. The sessions go in
    the order of Java's ``new HashMap<>(sessions)``."""
    sessSnap = dict(sessions.items())
    ids = hash_map_order(sessSnap, long_hash, hash_map_copy_capacity(len(sessSnap)))
    oa.writeInt(len(sessSnap), "count")
    for sessionId in ids:
        oa.writeLong(sessionId, "id")
        oa.writeInt(sessSnap[sessionId], "timeout")
    dt.serialize(oa, "tree")


def serializeRequest(request) -> bytes | None:
    """The log-entry bytes of a request's txn (header, body, digest), or None."""
    if request is None or request.getHdr() is None:
        return None
    try:
        return request.getSerializeData()
    except OSError:
        LOG.error("This really should be impossible", exc_info=True)
        return bytes(32)


class SerializeUtils:
    """The same functions as a class."""

    deserializeTxn = staticmethod(deserializeTxn)
    deserializeSnapshot = staticmethod(deserializeSnapshot)
    serializeSnapshot = staticmethod(serializeSnapshot)
    serializeRequest = staticmethod(serializeRequest)
