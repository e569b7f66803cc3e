"""Mirrors org.apache.zookeeper.server.persistence.SnapStream: opens snapshot
files as checksummed streams, plain, gzip or snappy.

Deliberate differences: the JDK's Adler32 and Checked{Input,Output}Stream and
snappy-java's SnappyInputStream/SnappyOutputStream live here as small
classes. A snapshot is read through SnapshotInputArchive, a jute binary
archive over a sliding window of the (decompressed) stream that keeps the
checksum of the bytes it consumed. The snappy writer stores each 32 KiB block
as one literal run: valid snappy that any reader accepts, without compression.
"""

from __future__ import annotations

import enum
import gzip
import io
import logging
import os
import struct
import zlib
from pathlib import Path

from pyzookeeper import system_properties
from pyzookeeper.jute.BinaryInputArchive import UNREASONBLE_LENGTH, BinaryInputArchive, bytesToString
from pyzookeeper.jute.Index import Index
from pyzookeeper.jute.InputArchive import InputArchive
from pyzookeeper.server.persistence import Util

LOG = logging.getLogger(__name__)

_BYTE = struct.Struct(">b")
_INT = struct.Struct(">i")
_LONG = struct.Struct(">q")
_FLOAT = struct.Struct(">f")
_DOUBLE = struct.Struct(">d")
_CHUNK = 1024 * 1024
_WRITE_BUFFER_SIZE = 1024 * 1024
_GZIP_MAGIC = b"\x1f\x8b"


class Adler32:
    """``java.util.zip.Adler32`` over ``zlib.adler32``."""

    __slots__ = ("_value",)

    def __init__(self) -> None:
        self._value = 1

    def update(self, data) -> None:
        self._value = zlib.adler32(data, self._value)

    def getValue(self) -> int:
        return self._value

    def reset(self) -> None:
        self._value = 1


class _ChecksumWriter(io.RawIOBase):
    """Feeds the checksum, then the next stream, with every block written."""

    def __init__(self, out, cksum: Adler32) -> None:
        super().__init__()
        self._out = out
        self._cksum = cksum

    def writable(self) -> bool:
        return True

    def write(self, b) -> int:
        self._cksum.update(b)
        self._out.write(b)
        return len(b)

    def close(self) -> None:
        if not self.closed:
            try:
                self._out.close()
            finally:
                super().close()


class CheckedOutputStream:
    """``java.util.zip.CheckedOutputStream`` with a large write buffer in front."""

    def __init__(self, out, cksum: Adler32) -> None:
        self._cksum = cksum
        self._buffered = io.BufferedWriter(_ChecksumWriter(out, cksum), _WRITE_BUFFER_SIZE)
        self.write = self._buffered.write

    def getChecksum(self) -> Adler32:
        self._buffered.flush()
        return self._cksum

    def flush(self) -> None:
        self._buffered.flush()

    def close(self) -> None:
        self._buffered.close()

    def __enter__(self) -> "CheckedOutputStream":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class SnapshotInputArchive(InputArchive):
    """A BinaryInputArchive over a snapshot stream, read through a sliding
    window of ``_CHUNK`` bytes, that keeps the Adler32 of the bytes consumed.

    Each read method checks the window inline, so a snapshot is read with one
    Python call per field and bounded memory, compressed or not.
    """

    __slots__ = ("_buf", "_pos", "_end", "_read", "_cksum", "_checked", "_consumed", "totalBufferSize")

    def __init__(self, read, cksum: Adler32) -> None:
        self._buf = b""
        self._pos = 0
        self._end = 0
        self._read = read
        self._cksum = cksum
        self._checked = 0
        self._consumed = 0
        self.totalBufferSize = BinaryInputArchive(b"").totalBufferSize

    def _fill(self, n: int) -> int:
        """Slide the window so that ``n`` bytes follow the read position; the new position."""
        buf, pos = self._buf, self._pos
        if pos > self._checked:
            self._cksum.update(memoryview(buf)[self._checked:pos])
        self._consumed += pos
        parts = [buf[pos:]]
        have = len(parts[0])
        while have < n:
            more = self._read(max(_CHUNK, n - have))
            if not more:
                self._buf = b"".join(parts)
                self._pos = self._checked = 0
                self._end = len(self._buf)
                raise EOFError()
            parts.append(more)
            have += len(more)
        self._buf = b"".join(parts)
        self._pos = self._checked = 0
        self._end = have
        return 0

    def checksum(self) -> Adler32:
        """The Adler32 of every byte consumed so far."""
        if self._pos > self._checked:
            self._cksum.update(memoryview(self._buf)[self._checked:self._pos])
            self._checked = self._pos
        return self._cksum

    def position(self) -> int:
        return self._consumed + self._pos

    def readFully(self, n: int) -> bytes:
        pos = self._pos
        if pos + n > self._end:
            pos = self._fill(n)
        self._pos = pos + n
        return self._buf[pos:pos + n]

    def readFixed(self, st: struct.Struct) -> tuple:
        pos = self._pos
        end = pos + st.size
        if end > self._end:
            pos = self._fill(st.size)
            end = st.size
        self._pos = end
        return st.unpack_from(self._buf, pos)

    def readByte(self, tag: str) -> int:
        return self.readFixed(_BYTE)[0]

    def readBool(self, tag: str) -> bool:
        return self.readFully(1) != b"\x00"

    def readInt(self, tag: str) -> int:
        pos = self._pos
        if pos + 4 > self._end:
            pos = self._fill(4)
        self._pos = pos + 4
        return _INT.unpack_from(self._buf, pos)[0]

    def readLong(self, tag: str) -> int:
        pos = self._pos
        if pos + 8 > self._end:
            pos = self._fill(8)
        self._pos = pos + 8
        return _LONG.unpack_from(self._buf, pos)[0]

    def readFloat(self, tag: str) -> float:
        return self.readFixed(_FLOAT)[0]

    def readDouble(self, tag: str) -> float:
        return self.readFixed(_DOUBLE)[0]

    def readString(self, tag: str) -> str | None:
        pos = self._pos
        if pos + 4 > self._end:
            pos = self._fill(4)
        length = _INT.unpack_from(self._buf, pos)[0]
        pos += 4
        if length == -1:
            self._pos = pos
            return None
        if length < 0 or length > self.totalBufferSize:
            raise IOError(UNREASONBLE_LENGTH + str(length))
        end = pos + length
        if end > self._end:
            self._pos = pos
            pos = self._fill(length)
            end = length
        self._pos = end
        data = self._buf[pos:end]
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return bytesToString(data)

    def readBuffer(self, tag: str) -> bytes | None:
        pos = self._pos
        if pos + 4 > self._end:
            pos = self._fill(4)
        length = _INT.unpack_from(self._buf, pos)[0]
        pos += 4
        if length == -1:
            self._pos = pos
            return None
        if length < 0 or length > self.totalBufferSize:
            raise IOError(UNREASONBLE_LENGTH + str(length))
        end = pos + length
        if end > self._end:
            self._pos = pos
            pos = self._fill(length)
            end = length
        self._pos = end
        return self._buf[pos:end]

    def readRecord(self, r, tag: str) -> None:
        r.deserialize(self, tag)

    def startRecord(self, tag: str) -> None:
        pass

    def endRecord(self, tag: str) -> None:
        pass

    def startVector(self, tag: str) -> Index | None:
        length = self.readInt(tag)
        return None if length == -1 else Index(length)

    def endVector(self, tag: str) -> None:
        pass

    def startMap(self, tag: str) -> Index:
        return Index(self.readInt(tag))

    def endMap(self, tag: str) -> None:
        pass


class CheckedInputStream:
    """``java.util.zip.CheckedInputStream`` over a (decompressing) snapshot stream.

    ``archive()`` is the SnapshotInputArchive reading it; the checksum covers
    every byte consumed through the archive or ``read``.
    """

    def __init__(self, source, cksum: Adler32, raw=None) -> None:
        self._source = source
        self._raw = raw
        self._archive = SnapshotInputArchive(_readFully(source), cksum)

    def archive(self) -> SnapshotInputArchive:
        return self._archive

    def read(self, n: int) -> bytes:
        """Up to ``n`` bytes; fewer only at the end of the stream."""
        try:
            return self._archive.readFully(n)
        except EOFError:
            return self._archive.readFully(self._archive._end - self._archive._pos)

    def getChecksum(self) -> Adler32:
        return self._archive.checksum()

    def close(self) -> None:
        try:
            self._source.close()
        finally:
            if self._raw is not None:
                self._raw.close()

    def __enter__(self) -> "CheckedInputStream":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _readFully(source):
    """A ``read(n)`` returning n bytes unless the stream ends, with zlib
    errors of a corrupt gz stream turned into IOErrors."""
    read = source.read

    def readN(n: int) -> bytes:
        try:
            data = read(n)
            if len(data) == n or not data:
                return data
            parts = [data]
            have = len(data)
            while have < n:
                more = read(n - have)
                if not more:
                    break
                parts.append(more)
                have += len(more)
            return b"".join(parts)
        except zlib.error as e:
            raise IOError(f"Corrupt GZIP stream: {e}") from e

    return readN


class _GzipOutputStream:
    """``java.util.zip.GZIPOutputStream``: one gzip member, default level."""

    def __init__(self, out) -> None:
        self._out = out
        self._deflater = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, 31)

    def write(self, b) -> int:
        self._out.write(self._deflater.compress(b))
        return len(b)

    def close(self) -> None:
        try:
            self._out.write(self._deflater.flush())
        finally:
            self._out.close()


class SnappyCodec:
    """snappy-java's stream header: magic, version, compatible version."""

    MAGIC_HEADER = b"\x82SNAPPY\x00"
    MAGIC_LEN = len(MAGIC_HEADER)
    HEADER_SIZE = MAGIC_LEN + 8
    MAGIC_HEADER_HEAD = _INT.unpack(MAGIC_HEADER[:4])[0]
    DEFAULT_VERSION = 1
    MINIMUM_COMPATIBLE_VERSION = 1

    @staticmethod
    def getMagicHeader() -> bytes:
        return SnappyCodec.MAGIC_HEADER

    @staticmethod
    def currentHeader() -> bytes:
        return SnappyCodec.MAGIC_HEADER + struct.pack(
            ">ii", SnappyCodec.DEFAULT_VERSION, SnappyCodec.MINIMUM_COMPATIBLE_VERSION)


def _varint(value: int) -> bytes:
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def snappy_compress(block) -> bytes:
    """A raw snappy block holding ``block`` as one literal run."""
    n = len(block)
    if n == 0:
        return b"\x00"
    m = n - 1
    if m < 60:
        tag = bytes((m << 2,))
    elif m < 0x100:
        tag = bytes((60 << 2, m))
    elif m < 0x10000:
        tag = bytes((61 << 2,)) + m.to_bytes(2, "little")
    elif m < 0x1000000:
        tag = bytes((62 << 2,)) + m.to_bytes(3, "little")
    else:
        tag = bytes((63 << 2,)) + m.to_bytes(4, "little")
    return _varint(n) + tag + bytes(block)


def snappy_uncompress(src) -> bytearray:
    """Decode one raw snappy block (literal runs and back-references)."""
    src = bytes(src)
    end = len(src)
    pos = 0
    length = 0
    shift = 0
    while True:
        if pos >= end or shift > 28:
            raise IOError("failed to uncompress the chunk: invalid snappy length header")
        b = src[pos]
        pos += 1
        length |= (b & 0x7F) << shift
        if b < 0x80:
            break
        shift += 7
    out = bytearray()
    try:
        while pos < end:
            tag = src[pos]
            pos += 1
            kind = tag & 3
            if kind == 0:
                n = tag >> 2
                if n >= 60:
                    extra = n - 59
                    n = int.from_bytes(src[pos:pos + extra], "little")
                    pos += extra
                n += 1
                if pos + n > end:
                    raise IOError("failed to uncompress the chunk: literal runs past the input")
                out += src[pos:pos + n]
                pos += n
                continue
            if kind == 1:
                n = ((tag >> 2) & 7) + 4
                offset = ((tag >> 5) << 8) | src[pos]
                pos += 1
            elif kind == 2:
                n = (tag >> 2) + 1
                offset = src[pos] | (src[pos + 1] << 8)
                pos += 2
            else:
                n = (tag >> 2) + 1
                offset = int.from_bytes(src[pos:pos + 4], "little")
                pos += 4
            size = len(out)
            if offset == 0 or offset > size:
                raise IOError("failed to uncompress the chunk: copy offset out of range")
            start = size - offset
            if offset >= n:
                out += out[start:start + n]
            else:
                pattern = out[start:]
                reps, rest = divmod(n, offset)
                out += pattern * reps + pattern[:rest]
    except IndexError as e:
        raise IOError("failed to uncompress the chunk: truncated input") from e
    if len(out) != length:
        raise IOError("failed to uncompress the chunk: invalid uncompressed byte size")
    return out


class SnappyOutputStream:
    """snappy-java's SnappyOutputStream framing: header, then for each 32 KiB
    block an int length and the raw snappy block."""

    DEFAULT_BLOCK_SIZE = 32 * 1024

    def __init__(self, out) -> None:
        self._out = out
        self._pending = bytearray()
        out.write(SnappyCodec.currentHeader())

    def _writeBlock(self, block) -> None:
        compressed = snappy_compress(block)
        self._out.write(_INT.pack(len(compressed)) + compressed)

    def write(self, b) -> int:
        size = SnappyOutputStream.DEFAULT_BLOCK_SIZE
        pending = self._pending
        pending += b
        if len(pending) >= size:
            view = memoryview(pending)
            full = len(pending) - len(pending) % size
            for start in range(0, full, size):
                self._writeBlock(view[start:start + size])
            view.release()
            del pending[:full]
        return len(b)

    def close(self) -> None:
        try:
            if self._pending:
                self._writeBlock(self._pending)
                self._pending = bytearray()
        finally:
            self._out.close()


class SnappyInputStream:
    """snappy-java's SnappyInputStream: the stream header, then blocks each
    behind an int length (a repeated header starts a concatenated stream).
    Input without the header is one raw snappy block, as snappy-java reads it."""

    def __init__(self, in_) -> None:
        self._in = in_
        self._uncompressed = b""
        self._cursor = 0
        self._finishedReading = False
        self._readHeader()

    def _readExactly(self, n: int) -> bytes:
        parts = []
        have = 0
        while have < n:
            more = self._in.read(n - have)
            if not more:
                break
            parts.append(more)
            have += len(more)
        return b"".join(parts)

    def _readHeader(self) -> None:
        header = self._readExactly(SnappyCodec.HEADER_SIZE)
        if len(header) < SnappyCodec.HEADER_SIZE or header[:SnappyCodec.MAGIC_LEN] != SnappyCodec.MAGIC_HEADER:
            rest = [header]
            while True:
                more = self._in.read(_CHUNK)
                if not more:
                    break
                rest.append(more)
            self._uncompressed = bytes(snappy_uncompress(b"".join(rest)))
            self._finishedReading = True
            return
        version = _INT.unpack_from(header, SnappyCodec.MAGIC_LEN)[0]
        if version < SnappyCodec.MINIMUM_COMPATIBLE_VERSION:
            raise IOError(
                f"compressed with imcompatible codec version {version}. "
                f"At least version {SnappyCodec.MINIMUM_COMPATIBLE_VERSION} is required")

    def _hasNextChunk(self) -> bool:
        while not self._finishedReading:
            sizeBytes = self._readExactly(4)
            if len(sizeBytes) < 4:
                self._finishedReading = True
                return False
            chunkSize = _INT.unpack(sizeBytes)[0]
            if chunkSize == SnappyCodec.MAGIC_HEADER_HEAD:
                rest = self._readExactly(SnappyCodec.HEADER_SIZE - 4)
                if sizeBytes + rest[:SnappyCodec.MAGIC_LEN - 4] != SnappyCodec.MAGIC_HEADER:
                    raise IOError("failed to read chunk")
                continue
            if chunkSize < 0:
                raise IOError("failed to read chunk")
            compressed = self._readExactly(chunkSize)
            if len(compressed) < chunkSize:
                raise IOError("failed to read chunk")
            self._uncompressed = bytes(snappy_uncompress(compressed))
            self._cursor = 0
            return True
        return False

    def read(self, n: int = -1) -> bytes:
        """Up to ``n`` uncompressed bytes (all that is left when n < 0)."""
        parts = []
        while n != 0:
            available = len(self._uncompressed) - self._cursor
            if available == 0:
                if not self._hasNextChunk():
                    break
                continue
            take = available if n < 0 else min(available, n)
            parts.append(self._uncompressed[self._cursor:self._cursor + take])
            self._cursor += take
            if n > 0:
                n -= take
        return b"".join(parts)

    def close(self) -> None:
        self._in.close()


class StreamMode(enum.Enum):
    GZIP = "gz"
    SNAPPY = "snappy"
    CHECKED = ""

    def getName(self) -> str:
        return self.value

    def getFileExtension(self) -> str:
        return "" if not self.value else "." + self.value

    @staticmethod
    def fromString(name: str) -> "StreamMode":
        for c in StreamMode:
            if c.value.lower() == name.lower():
                return c
        return StreamMode.DEFAULT_MODE

    def __str__(self) -> str:
        return self.name


StreamMode.DEFAULT_MODE = StreamMode.CHECKED


class SnapStream:
    ZOOKEEPER_SHAPSHOT_STREAM_MODE = "zookeeper.snapshot.compression.method"
    StreamMode = StreamMode

    streamMode: StreamMode | None = None

    @classmethod
    def _configure(cls) -> StreamMode:
        """The Java static initializer, run when the class is first used."""
        if cls.streamMode is None:
            cls.streamMode = StreamMode.fromString(
                system_properties.getProperty(cls.ZOOKEEPER_SHAPSHOT_STREAM_MODE,
                                              StreamMode.DEFAULT_MODE.getName()))
            LOG.info("%s = %s", cls.ZOOKEEPER_SHAPSHOT_STREAM_MODE, cls.streamMode)
        return cls.streamMode

    @staticmethod
    def getInputStream(file: os.PathLike | str) -> CheckedInputStream:
        """The snapshot's bytes, decompressed according to the file's suffix."""
        file = Path(file)
        mode = SnapStream.getStreamMode(file.name)
        fis = open(file, "rb", buffering=0)
        try:
            if mode is StreamMode.GZIP:
                return CheckedInputStream(gzip.GzipFile(fileobj=fis, mode="rb"), Adler32(), fis)
            if mode is StreamMode.SNAPPY:
                return CheckedInputStream(SnappyInputStream(fis), Adler32())
            return CheckedInputStream(fis, Adler32())
        except BaseException:
            fis.close()
            raise

    @staticmethod
    def getOutputStream(file: os.PathLike | str, fsync: bool) -> CheckedOutputStream:
        """A checksummed stream to ``file`` in the configured compression;
        with ``fsync`` the file is written atomically (tmp file, fsync, rename)."""
        from pyzookeeper.common.AtomicFileOutputStream import AtomicFileOutputStream

        fos = AtomicFileOutputStream(file) if fsync else open(file, "wb")
        mode = SnapStream.getStreamMode()
        if mode is StreamMode.GZIP:
            os_ = _GzipOutputStream(fos)
        elif mode is StreamMode.SNAPPY:
            os_ = SnappyOutputStream(fos)
        else:
            os_ = fos
        return CheckedOutputStream(os_, Adler32())

    @staticmethod
    def sealStream(os_: CheckedOutputStream, oa) -> None:
        val = os_.getChecksum().getValue()
        oa.writeLong(val, "val")
        oa.writeString("/", "path")

    @staticmethod
    def checkSealIntegrity(is_: CheckedInputStream, ia) -> None:
        checkSum = is_.getChecksum().getValue()
        val = ia.readLong("val")
        ia.readString("path")
        if val != checkSum:
            raise IOError("CRC corruption")

    @staticmethod
    def isValidSnapshot(file: os.PathLike | str | None) -> bool:
        if file is None:
            return False
        file = Path(file)
        if Util.getZxidFromName(file.name, Util.SNAPSHOT_FILE_PREFIX) == -1:
            return False
        mode = SnapStream.getStreamMode(file.name)
        if mode is StreamMode.GZIP:
            return SnapStream._isValidGZipStream(file)
        if mode is StreamMode.SNAPPY:
            return SnapStream._isValidSnappyStream(file)
        return SnapStream._isValidCheckedStream(file)

    @classmethod
    def setStreamMode(cls, mode: StreamMode) -> None:
        cls.streamMode = mode

    @classmethod
    def getStreamMode(cls, fileName: str | None = None) -> StreamMode:
        """The configured mode, or with a file name the mode its suffix names."""
        if fileName is None:
            return cls._configure()
        splitSnapName = Util._java_split_dot(fileName)
        if len(splitSnapName) > 1:
            return StreamMode.fromString(splitSnapName[-1])
        return StreamMode.CHECKED

    @staticmethod
    def _readMagic(f: Path, size: int) -> bytes | None:
        try:
            with open(f, "rb") as fis:
                data = fis.read(size)
        except FileNotFoundError as e:
            LOG.error("Unable to open file %s", f.name, exc_info=e)
            return None
        if len(data) != size:
            LOG.error("Read incorrect number of bytes from %s", f.name)
            return None
        return data

    @staticmethod
    def _isValidGZipStream(f: Path) -> bool:
        return SnapStream._readMagic(f, 2) == _GZIP_MAGIC

    @staticmethod
    def _isValidSnappyStream(f: Path) -> bool:
        return SnapStream._readMagic(f, SnappyCodec.MAGIC_LEN) == SnappyCodec.getMagicHeader()

    @staticmethod
    def _isValidCheckedStream(f: Path) -> bool:
        with open(f, "rb") as raf:
            length = os.fstat(raf.fileno()).st_size
            if length < 10:
                return False
            raf.seek(length - 5)
            data = raf.read(5)
        if len(data) != 5:
            LOG.info("Invalid snapshot %s. too short, len = %s bytes", f.name, len(data))
            return False
        size = _INT.unpack_from(data)[0]
        b = data[4]
        if size != 1 or b != 0x2F:
            LOG.info("Invalid snapshot %s. len = %s, byte = %s", f.name, size, b)
            return False
        return True
