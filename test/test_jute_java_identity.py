"""Every jute record serializes byte for byte as Java's generated classes do.

Random field values (nulls, empty and large buffers, non-ASCII and astral text,
extreme integers) are serialized by our classes and by the Java classes from
the Debian jars (through JPype); the bytes must match, each side must read
the other's bytes back to the same values, and ``toString()`` must match.
"""

from __future__ import annotations

import importlib
import importlib.util
import random
import sys
from pathlib import Path

import pytest

from pyzookeeper.jute.BinaryInputArchive import BinaryInputArchive, bytesToString
from pyzookeeper.jute.BinaryOutputArchive import BinaryOutputArchive, stringToBytes

pytestmark = pytest.mark.java

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("jute_compiler", ROOT / "tools" / "jute_compiler.py")
jute_compiler = importlib.util.module_from_spec(_spec)
sys.modules["jute_compiler"] = jute_compiler
_spec.loader.exec_module(jute_compiler)
RECORDS = jute_compiler.parse(jute_compiler.DEFINITIONS.read_text())

TEXTS = ["", "a", "/zookeeper/quota", "héllo wörld", "中文节点", "emoji 😀 and 𝄞", "nul\0comma,brace}pct%\n\r",
         "\u07ff\u0800\uffff", "x" * 5000]
INTS = [0, 1, -1, 2**31 - 1, -(2**31), 42]
LONGS = [0, 1, -1, 2**63 - 1, -(2**63), 0x100000001, -0x8000000000000000 + 5]


def py_class(name: str):
    rec = RECORDS[name]
    return getattr(importlib.import_module(f"{rec.py_package}.{name}"), name)


def random_value(rng: random.Random, jtype: str, depth: int = 0):
    if jtype.startswith("vector<"):
        if rng.random() < 0.15:
            return None
        n = rng.choice([0, 1, 2, 3, 7])
        return [random_value(rng, jtype[7:-1], depth + 1) for _ in range(n)]
    if jtype == "byte":
        return rng.randint(-128, 127)
    if jtype == "boolean":
        return rng.random() < 0.5
    if jtype == "int":
        return rng.choice(INTS + [rng.randint(-(2**31), 2**31 - 1)])
    if jtype == "long":
        return rng.choice(LONGS + [rng.randint(-(2**63), 2**63 - 1)])
    if jtype == "ustring":
        r = rng.random()
        if r < 0.1:
            return None
        if r < 0.8:
            return rng.choice(TEXTS)
        return "".join(chr(rng.choice([rng.randint(0x20, 0x7e), rng.randint(0x80, 0x7ff),
                                       rng.randint(0x800, 0xd7ff), rng.randint(0x10000, 0x10ffff)]))
                       for _ in range(rng.randint(1, 40)))
    if jtype == "buffer":
        r = rng.random()
        if r < 0.1:
            return None
        if r < 0.2:
            return b""
        if r < 0.25:
            return rng.randbytes(300_000)
        return rng.randbytes(rng.randint(1, 200))
    cls = py_class(jtype)
    return cls(*[random_value(rng, f.type, depth + 1) for f in RECORDS[jtype].fields])


def to_java(jpype, jtype: str, value):
    if value is None:
        return None
    if jtype.startswith("vector<"):
        lst = jpype.JClass("java.util.ArrayList")()
        for v in value:
            lst.add(to_java(jpype, jtype[7:-1], v))
        return lst
    if jtype == "ustring":
        return jpype.JString(value)
    if jtype == "buffer":
        return jpype.JArray(jpype.JByte)(value)
    if jtype in ("byte", "boolean", "int", "long"):
        return value
    rec = RECORDS[jtype]
    jobj = jpype.JClass(f"{rec.java_package}.{jtype}")()
    for f in rec.fields:
        setter = getattr(jobj, "set" + f.name[0].upper() + f.name[1:])
        jval = to_java(jpype, f.type, getattr(value, f.name))
        if f.type == "byte":
            jval = jpype.JByte(jval)
        elif f.type == "int":
            jval = jpype.JInt(jval)
        elif f.type == "long":
            jval = jpype.JLong(jval)
        setter(jval)
    return jobj


def java_serialize(jpype, jobj) -> bytes:
    baos = jpype.JClass("java.io.ByteArrayOutputStream")()
    archive = jpype.JClass("org.apache.jute.BinaryOutputArchive").getArchive(baos)
    jobj.serialize(archive, "")
    return bytes(baos.toByteArray())


def java_deserialize(jpype, name: str, data: bytes):
    rec = RECORDS[name]
    jobj = jpype.JClass(f"{rec.java_package}.{name}")()
    bais = jpype.JClass("java.io.ByteArrayInputStream")(jpype.JArray(jpype.JByte)(data))
    jobj.deserialize(jpype.JClass("org.apache.jute.BinaryInputArchive").getArchive(bais), "")
    return jobj


@pytest.mark.parametrize("name", sorted(RECORDS))
def test_record_bytes_match_java(jvm, name):
    rng = random.Random(name)
    cls = py_class(name)
    for _ in range(12):
        ours = random_value(rng, name)
        jobj = to_java(jvm, name, ours)
        our_bytes = ours.toByteArray()
        java_bytes = java_serialize(jvm, jobj)
        assert our_bytes == java_bytes, f"{name}: {ours!r}"
        assert str(ours) == str(jobj.toString())
        # each side reads the other's bytes to the values it reads from its own
        assert cls.fromByteArray(java_bytes) == cls.fromByteArray(our_bytes)
        from_ours = java_serialize(jvm, java_deserialize(jvm, name, our_bytes))
        assert from_ours == java_serialize(jvm, java_deserialize(jvm, name, java_bytes))
        assert from_ours == cls.fromByteArray(our_bytes).toByteArray()


def test_every_record_is_covered():
    java_records = {"Id", "ACL", "Stat", "StatPersisted", "ClientInfo", "LearnerInfo", "QuorumPacket",
                    "QuorumAuthPacket", "FileHeader", "TxnHeader", "MultiTxn", "ConnectRequest", "WhoAmIResponse"}
    assert java_records <= set(RECORDS)
    assert len(RECORDS) == 72


def test_text_decoding_matches_java(jvm):
    rng = random.Random(7)
    jstring = jvm.JClass("java.lang.String")
    utf8 = jvm.JClass("java.nio.charset.StandardCharsets").UTF_8
    pieces = [b"\xed\xa0\xbd", b"\xed\xb8\x80", b"\xed\xa0", b"\xed", b"\xf0\x9f\x98\x80", b"\xf0\x9f",
              b"\xc3\xa9", b"\xc3", b"\xe2\x82\xac", b"\xe2\x82", b"\x80", b"\xbf", b"\xff", b"\xc0\xaf",
              b"\xe0\x80\x80", b"\xf4\x90\x80\x80", b"\xf8\x88\x80\x80\x80", b"A", b"\x00"]
    for _ in range(3000):
        data = b"".join(rng.choice(pieces) for _ in range(rng.randint(1, 6)))
        expected = str(jstring(jvm.JArray(jvm.JByte)(data), utf8))
        assert bytesToString(data) == expected, data.hex()


def test_astral_text_is_cesu8():
    assert stringToBytes("😀") == b"\xed\xa0\xbd\xed\xb8\x80"
    assert stringToBytes("é中") == "é中".encode()
    out = BinaryOutputArchive()
    out.writeString("😀", "s")
    # Java's reader turns each encoded surrogate into one replacement character
    assert BinaryInputArchive(out.getvalue()).readString("s") == "\ufffd\ufffd"


def test_unreasonable_length_is_rejected():
    out = BinaryOutputArchive()
    out.writeInt(3 * 1024 * 1024, "len")
    with pytest.raises(IOError, match="Unreasonable length = 3145728"):
        BinaryInputArchive(out.getvalue()).readBuffer("b")
    out = BinaryOutputArchive()
    out.writeInt(-2, "len")
    with pytest.raises(IOError, match="Unreasonable length = -2"):
        BinaryInputArchive(out.getvalue()).readString("s")


def test_eof_inside_a_record():
    from pyzookeeper.data.Stat import Stat

    with pytest.raises(EOFError):
        Stat.fromByteArray(b"\x00" * 67)
