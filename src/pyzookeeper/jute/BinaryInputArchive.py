"""Mirrors org.apache.jute.BinaryInputArchive: big-endian jute decoding.

Reads from an in-memory buffer (bytes, bytearray, memoryview) or from a binary
stream. Text is decoded as Java's UTF-8 decoder does, replacement characters
included (see ``bytesToString``). Deliberate difference: ``readFixed`` reads a
run of fixed-width fields with one ``struct`` call.
"""

from __future__ import annotations

import codecs
import struct
from typing import BinaryIO

from pyzookeeper import system_properties
from pyzookeeper.jute.Index import Index
from pyzookeeper.jute.InputArchive import InputArchive

UNREASONBLE_LENGTH = "Unreasonable length = "

_BYTE = struct.Struct(">b")
_INT = struct.Struct(">i")
_LONG = struct.Struct(">q")
_FLOAT = struct.Struct(">f")
_DOUBLE = struct.Struct(">d")


def _java_replace(exc: UnicodeDecodeError):
    """Java treats a 3-byte encoded surrogate (CESU-8 half) as one malformed
    unit, and a truncated one as a single replacement; CPython stops at the
    second byte. Everything else matches CPython's ``replace``."""
    data, start = exc.object, exc.start
    if data[start] == 0xED and start + 1 < len(data) and 0xA0 <= data[start + 1] <= 0xBF:
        if start + 2 < len(data):
            third = data[start + 2]
            return "\ufffd", start + (3 if 0x80 <= third <= 0xBF else 2)
        return "\ufffd", len(data)
    return "\ufffd", exc.end


codecs.register_error("jute-replace", _java_replace)


def bytesToString(data: bytes) -> str:
    """Decode jute text exactly as ``new String(bytes, UTF_8)`` does in Java."""
    return str(data, "utf-8", "jute-replace")


def _configured_limits() -> tuple[int, int]:
    max_buffer = system_properties.getInteger("jute.maxbuffer", 0xFFFFF)
    extra = system_properties.getInteger("zookeeper.jute.maxbuffer.extrasize", max_buffer)
    if extra < 1024:
        extra = 1024
    return max_buffer, extra


maxBuffer, _extraMaxBuffer = _configured_limits()
_defaultTotalBufferSize = min(maxBuffer + _extraMaxBuffer, 2**31 - 1)


_new = object.__new__


class _BinaryIndex(Index):
    __slots__ = ()


class BinaryInputArchive(InputArchive):
    """Reads jute records from a buffer or a binary stream."""

    __slots__ = ("_buf", "_pos", "_end", "_stream", "totalBufferSize")

    def __init__(
        self,
        in_: bytes | bytearray | memoryview | BinaryIO,
        maxBufferSize: int | None = None,
        extraMaxBufferSize: int | None = None,
    ) -> None:
        if maxBufferSize is None and extraMaxBufferSize is None:
            self.totalBufferSize = _defaultTotalBufferSize
        else:
            if maxBufferSize is None:
                maxBufferSize = maxBuffer
            if extraMaxBufferSize is None:
                extraMaxBufferSize = _extraMaxBuffer
            self.totalBufferSize = min(maxBufferSize + extraMaxBufferSize, 2**31 - 1)
        if type(in_) is bytes or isinstance(in_, (bytearray, memoryview)):
            self._buf = in_
            self._pos = 0
            self._end = len(in_)
            self._stream = None
        else:
            self._buf = None
            self._pos = 0
            self._end = 0
            self._stream = in_

    @staticmethod
    def getArchive(strm) -> "BinaryInputArchive":
        return BinaryInputArchive(strm)

    @classmethod
    def fromBytes(cls, data: bytes | bytearray | memoryview) -> "BinaryInputArchive":
        """An archive over an in-memory buffer with the default limits, built
        without the checks of the constructor (request bodies, per packet)."""
        archive = _new(cls)
        archive._buf = data
        archive._pos = 0
        archive._end = len(data)
        archive._stream = None
        archive.totalBufferSize = _defaultTotalBufferSize
        return archive

    # -- Python-only accessors for buffer-backed archives --
    def position(self) -> int:
        """Bytes consumed so far (buffer-backed archives)."""
        return self._pos

    def remaining(self) -> int:
        """Bytes left to read (buffer-backed archives)."""
        return self._end - self._pos

    def readFully(self, n: int) -> bytes:
        """``DataInput.readFully``: exactly ``n`` bytes or ``EOFError``."""
        if self._stream is None:
            pos = self._pos
            end = pos + n
            if end > self._end:
                self._pos = self._end
                raise EOFError()
            self._pos = end
            return bytes(self._buf[pos:end])
        data = self._stream.read(n)
        if len(data) != n:
            while data and len(data) < n:
                more = self._stream.read(n - len(data))
                if not more:
                    break
                data += more
            if len(data) != n:
                raise EOFError()
        return data

    def _unpack(self, st: struct.Struct) -> tuple:
        if self._stream is None:
            pos = self._pos
            end = pos + st.size
            if end > self._end:
                self._pos = self._end
                raise EOFError()
            self._pos = end
            return st.unpack_from(self._buf, pos)
        return st.unpack(self.readFully(st.size))

    def readByte(self, tag: str) -> int:
        return self._unpack(_BYTE)[0]

    def readBool(self, tag: str) -> bool:
        return self.readFully(1) != b"\x00"

    def readInt(self, tag: str) -> int:
        return self._unpack(_INT)[0]

    def readLong(self, tag: str) -> int:
        return self._unpack(_LONG)[0]

    def readFloat(self, tag: str) -> float:
        return self._unpack(_FLOAT)[0]

    def readDouble(self, tag: str) -> float:
        return self._unpack(_DOUBLE)[0]

    def readString(self, tag: str) -> str | None:
        length = self._unpack(_INT)[0]
        if length == -1:
            return None
        self.checkLength(length)
        data = self.readFully(length)
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return bytesToString(data)

    def readBuffer(self, tag: str) -> bytes | None:
        length = self._unpack(_INT)[0]
        if length == -1:
            return None
        self.checkLength(length)
        return self.readFully(length)

    def readRecord(self, r, tag: str) -> None:
        r.deserialize(self, tag)

    def startRecord(self, tag: str) -> None:
        pass

    def endRecord(self, tag: str) -> None:
        pass

    def startVector(self, tag: str) -> Index | None:
        length = self._unpack(_INT)[0]
        if length == -1:
            return None
        return _BinaryIndex(length)

    def endVector(self, tag: str) -> None:
        pass

    def startMap(self, tag: str) -> Index:
        return _BinaryIndex(self._unpack(_INT)[0])

    def endMap(self, tag: str) -> None:
        pass

    def readFixed(self, st: struct.Struct) -> tuple:
        return self._unpack(st)

    def checkLength(self, length: int) -> None:
        if length < 0 or length > self.totalBufferSize:
            raise IOError(UNREASONBLE_LENGTH + str(length))
