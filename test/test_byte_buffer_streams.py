"""ByteBufferInputStream / ByteBufferOutputStream: request records in and out of buffers."""

from __future__ import annotations

import pytest

from pyzookeeper.jute.BinaryInputArchive import BinaryInputArchive
from pyzookeeper.proto.CreateRequest import CreateRequest
from pyzookeeper.proto.SetDataRequest import SetDataRequest
from pyzookeeper.server.ByteBufferInputStream import ByteBufferInputStream, byteBuffer2Record
from pyzookeeper.server.ByteBufferOutputStream import ByteBufferOutputStream, record2ByteBuffer
from pyzookeeper.ZooDefs import Ids


def test_record_round_trip_through_a_buffer():
    record = CreateRequest("/a/\u00e9\u4e2d", b"\x00\x01data", list(Ids.OPEN_ACL_UNSAFE), 3)
    bb = bytearray(b"head")
    record2ByteBuffer(record, bb)
    assert bytes(bb[4:]) == record.toByteArray()
    assert byteBuffer2Record(memoryview(bb)[4:], CreateRequest()) == record
    assert byteBuffer2Record(bytes(bb[4:]), CreateRequest()) == record


def test_truncated_body_fails_to_decode():
    body = SetDataRequest("/node", b"x" * 10, 4).toByteArray()
    with pytest.raises((EOFError, OSError)):
        byteBuffer2Record(body[:-3], SetDataRequest())


def test_input_stream_reads_skips_and_ends():
    stream = ByteBufferInputStream(b"0123456789")
    assert stream.available() == 10
    assert stream.read(3) == b"012"
    assert stream.skip(-1) == 0
    assert stream.skip(2) == 2
    assert stream.available() == 5
    assert stream.read(100) == b"56789"
    assert stream.read(1) == b""
    assert stream.skip(5) == 0
    # a jute archive reads a record through the stream as through any file
    record = SetDataRequest("/p", b"v", -1)
    archive = BinaryInputArchive(ByteBufferInputStream(record.toByteArray()))
    decoded = SetDataRequest()
    decoded.deserialize(archive, "request")
    assert decoded == record


def test_output_stream_appends_bytes_and_single_values():
    bb = bytearray()
    out = ByteBufferOutputStream(bb)
    assert out.write(b"ab") == 2
    assert out.write(0x163) == 1
    assert bytes(bb) == b"abc"
