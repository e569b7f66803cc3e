"""SerializeUtils: log entries to records (with the old-format and missing-body
fallbacks and the optional digest), the sessions block of a snapshot, and
serializeRequest; checked against Java's SerializeUtils where it decides."""

from __future__ import annotations

import random

import pytest

from pyzookeeper.data.ACL import ACL
from pyzookeeper.data.Id import Id
from pyzookeeper.jute.BinaryInputArchive import BinaryInputArchive
from pyzookeeper.jute.BinaryOutputArchive import BinaryOutputArchive
from pyzookeeper.server.DataTree import DataTree
from pyzookeeper.server.util import SerializeUtils
from pyzookeeper.txn.CloseSessionTxn import CloseSessionTxn
from pyzookeeper.txn.CreateTxn import CreateTxn
from pyzookeeper.txn.CreateTxnV0 import CreateTxnV0
from pyzookeeper.txn.SetDataTxn import SetDataTxn
from pyzookeeper.txn.TxnDigest import TxnDigest
from pyzookeeper.txn.TxnHeader import TxnHeader
from pyzookeeper.ZooDefs import OpCode

ACLS = [ACL(31, Id("world", "anyone"))]


def entry(*records) -> bytes:
    oa = BinaryOutputArchive()
    for r in records:
        r.serialize(oa, "r")
    return oa.getvalue()


def test_create_with_digest():
    hdr = TxnHeader(5, 6, 0x100000007, 1000, OpCode.create)
    txn = CreateTxn("/a", b"d", ACLS, True, 3)
    e = SerializeUtils.deserializeTxn(entry(hdr, txn, TxnDigest(2, -77)))
    assert e.getHeader() == hdr
    assert e.getTxn() == txn
    assert e.getDigest() == TxnDigest(2, -77)


def test_old_create_format_gets_parent_cversion_minus_one():
    hdr = TxnHeader(5, 6, 7, 1000, OpCode.create)
    e = SerializeUtils.deserializeTxn(entry(hdr, CreateTxnV0("/a", b"d", ACLS, True)))
    assert e.getTxn() == CreateTxn("/a", b"d", ACLS, True, -1)
    assert e.getDigest() is None
    # applying it computes the parent's cversion
    dt = DataTree()
    rc = dt.processTxn(e.getHeader(), e.getTxn(), e.getDigest())
    assert rc.err == 0 and dt.getNode("/").stat.cversion == 1


def test_close_session_without_body():
    hdr = TxnHeader(5, 6, 7, 1000, OpCode.closeSession)
    assert SerializeUtils.deserializeTxn(entry(hdr)).getTxn() is None
    e = SerializeUtils.deserializeTxn(entry(hdr, CloseSessionTxn(["/x"])))
    assert e.getTxn() == CloseSessionTxn(["/x"])


def test_close_session_body_ignored_when_disabled():
    hdr = TxnHeader(5, 6, 7, 1000, OpCode.closeSession)
    from pyzookeeper.server.ZooKeeperServer import ZooKeeperServer

    ZooKeeperServer.setCloseSessionTxnEnabled(False)
    try:
        e = SerializeUtils.deserializeTxn(entry(hdr))
        assert e.getTxn() is None
    finally:
        ZooKeeperServer.setCloseSessionTxnEnabled(True)


def test_digest_not_read_when_disabled():
    from pyzookeeper.server.ZooKeeperServer import ZooKeeperServer

    data = entry(TxnHeader(5, 6, 7, 1000, OpCode.setData), SetDataTxn("/a", b"", 1), TxnDigest(2, 1))
    ZooKeeperServer.setDigestEnabled(False)
    try:
        assert SerializeUtils.deserializeTxn(data).getDigest() is None
        dt = DataTree()
        assert dt.getTreeDigest() == 0
        assert not dt.serializeZxidDigest(BinaryOutputArchive())
    finally:
        ZooKeeperServer.setDigestEnabled(True)
    assert SerializeUtils.deserializeTxn(data).getDigest() == TxnDigest(2, 1)


def test_unsupported_type_and_truncated_body():
    with pytest.raises(OSError, match=r"^Unsupported Txn with type=%d13$"):
        SerializeUtils.deserializeTxn(entry(TxnHeader(1, 2, 3, 4, OpCode.check)))
    with pytest.raises(EOFError):
        SerializeUtils.deserializeTxn(entry(TxnHeader(1, 2, 3, 4, OpCode.setData)) + b"\x00\x00")
    with pytest.raises(EOFError):
        SerializeUtils.deserializeTxn(b"\x00" * 10)


def test_sessions_block_round_trip():
    dt = DataTree()
    dt.createNode("/e", b"x", ACLS, 0x77, -1, 1, 1)
    sessions = {0x77: 4000, -1: 1, 2**62: 30000}
    oa = BinaryOutputArchive()
    SerializeUtils.serializeSnapshot(dt, oa, sessions)
    data = oa.getvalue()
    assert data[:4] == b"\x00\x00\x00\x03"
    loaded: dict[int, int] = {}
    dt2 = DataTree()
    SerializeUtils.deserializeSnapshot(dt2, BinaryInputArchive(data), loaded)
    assert loaded == sessions
    assert dt2.getEphemerals(0x77) == {"/e"}
    # the node list ends with "/" (a snapshot file's validity check relies on it)
    assert data.endswith(b"\x00\x00\x00\x01/")


def test_serialize_request():
    Util = pytest.importorskip("pyzookeeper.server.persistence.Util")
    from pyzookeeper.server.Request import Request

    hdr = TxnHeader(5, 6, 7, 1000, OpCode.setData)
    txn = SetDataTxn("/a", b"v", 2)
    assert SerializeUtils.serializeRequest(None) is None
    noHeader = Request.fromTxn(5, 6, OpCode.setData, None, txn, 7)
    assert SerializeUtils.serializeRequest(noHeader) is None
    request = Request.fromTxn(5, 6, OpCode.setData, hdr, txn, 7)
    request.setTxnDigest(TxnDigest(2, 9))
    data = SerializeUtils.serializeRequest(request)
    assert data == entry(hdr, txn, TxnDigest(2, 9)) == Util.marshallTxnEntry(hdr, txn, TxnDigest(2, 9))
    assert SerializeUtils.SerializeUtils.deserializeTxn(data).getTxn() == txn
    # serialized once, then kept for the log, the proposal and the committed log
    assert SerializeUtils.serializeRequest(request) is data
    # a new txn or digest is serialized again
    request.setTxnDigest(TxnDigest(2, 10))
    assert SerializeUtils.serializeRequest(request) == entry(hdr, txn, TxnDigest(2, 10))
    request.setTxn(SetDataTxn("/b", b"w", 3))
    assert SerializeUtils.serializeRequest(request) == entry(hdr, SetDataTxn("/b", b"w", 3), TxnDigest(2, 10))


@pytest.mark.java
def test_random_bytes_decode_like_java(jvm):
    """Truncated and corrupted entries fail (or decode) as they do in Java."""
    rng = random.Random(11)
    java = jvm.JClass("org.apache.zookeeper.server.util.SerializeUtils")
    samples = [
        entry(TxnHeader(1, 2, 3, 4, OpCode.create), CreateTxn("/a", b"x" * 9, ACLS, False, 4), TxnDigest(2, 5)),
        entry(TxnHeader(1, 2, 3, 4, OpCode.create), CreateTxnV0("/b", None, None, True)),
        entry(TxnHeader(1, 2, 3, 4, OpCode.closeSession), CloseSessionTxn(["/a", "/b"]), TxnDigest(2, 1)),
        entry(TxnHeader(1, 2, 3, 4, OpCode.setData), SetDataTxn("/a", b"", 1), TxnDigest(1, 1)),
    ]
    for _ in range(600):
        data = bytearray(rng.choice(samples))
        r = rng.random()
        if r < 0.5:
            del data[rng.randint(28, len(data)):]
        else:
            data[rng.randrange(32, len(data))] = rng.randrange(256)
        data = bytes(data)
        try:
            ours = SerializeUtils.deserializeTxn(data)
        except (OSError, EOFError):
            ours = None
        try:
            theirs = java.deserializeTxn(jvm.JArray(jvm.JByte)(data))
        except Exception as e:  # noqa: BLE001 - a Java exception through JPype
            assert ours is None, (data.hex(), e)
            continue
        assert ours is not None, data.hex()
        assert str(ours.getHeader()) == str(theirs.getHeader().toString())
        assert (None if ours.getTxn() is None else str(ours.getTxn())) == \
            (None if theirs.getTxn() is None else str(theirs.getTxn().toString()))
        assert (None if ours.getDigest() is None else str(ours.getDigest())) == \
            (None if theirs.getDigest() is None else str(theirs.getDigest().toString()))
