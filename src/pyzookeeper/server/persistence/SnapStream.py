"""Mirrors org.apache.zookeeper.server.persistence.SnapStream: opens snapshot
files as checksummed streams, plain, gzip or snappy.

Deliberate differences: the JDK's Adler32 and Checked{Input,Output}Stream and
snappy-java's SnappyInputStream/SnappyOutputStream live here as small
classes. A snapshot is read from one buffer (a memory map of a plain file, or
the decompressed bytes of a gz/snappy one), so the archive reading it is
buffer-backed and the checksum covers exactly the bytes the archive consumed.
The snappy writer stores each 32 KiB block as one literal run: valid snappy
that any reader accepts, without compression.
"""

from __future__ import annotations

import enum
import gzip
import io
import logging
import mmap
import os
import struct
import zlib
from pathlib import Path

from pyzookeeper import system_properties
from pyzookeeper.jute.BinaryInputArchive import BinaryInputArchive
from pyzookeeper.server.persistence import Util

LOG = logging.getLogger(__name__)

_INT = struct.Struct(">i")
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


class CheckedInputStream:
    """``java.util.zip.CheckedInputStream`` over a whole (decompressed) snapshot.

    ``archive()`` is the buffer-backed BinaryInputArchive reading it; the
    checksum covers every byte consumed through the archive or ``read``.
    """

    def __init__(self, data, cksum: Adler32, resource=None) -> None:
        self._data = data
        self._cksum = cksum
        self._checked = 0
        self._resource = resource
        self._archive = BinaryInputArchive(data)

    def archive(self) -> BinaryInputArchive:
        return self._archive

    def read(self, n: int = -1) -> bytes:
        remaining = self._archive.remaining()
        if n < 0 or n > remaining:
            n = remaining
        return self._archive.readFully(n)

    def getChecksum(self) -> Adler32:
        pos = self._archive.position()
        if pos > self._checked:
            self._cksum.update(self._data[self._checked:pos])
            self._checked = pos
        return self._cksum

    def close(self) -> None:
        data, resource = self._data, self._resource
        self._archive = BinaryInputArchive(b"")
        self._data = b""
        self._resource = None
        if isinstance(data, memoryview):
            try:
                data.release()
            except BufferError:
                pass
        if resource is not None:
            try:
                resource.close()
            except BufferError:
                pass

    def __enter__(self) -> "CheckedInputStream":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


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


def _gunzip(raw: bytes) -> bytes:
    try:
        return gzip.decompress(raw)
    except zlib.error as e:
        raise IOError(f"Corrupt GZIP stream: {e}") from e


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


def snappy_stream_uncompress(raw: bytes) -> bytes:
    """The data of a snappy-java stream (or, without its header, of one raw block)."""
    header = SnappyCodec.HEADER_SIZE
    if len(raw) < header or raw[0] != SnappyCodec.MAGIC_HEADER[0]:
        return bytes(snappy_uncompress(raw))
    if raw[:SnappyCodec.MAGIC_LEN] != SnappyCodec.MAGIC_HEADER:
        return bytes(snappy_uncompress(raw))
    version = _INT.unpack_from(raw, SnappyCodec.MAGIC_LEN)[0]
    if version < SnappyCodec.MINIMUM_COMPATIBLE_VERSION:
        raise IOError(
            f"compressed with imcompatible codec version {version}. "
            f"At least version {SnappyCodec.MINIMUM_COMPATIBLE_VERSION} is required")
    out = bytearray()
    pos = header
    end = len(raw)
    while pos + 4 <= end:
        chunkSize = _INT.unpack_from(raw, pos)[0]
        if chunkSize == SnappyCodec.MAGIC_HEADER_HEAD and raw[pos:pos + SnappyCodec.MAGIC_LEN] == SnappyCodec.MAGIC_HEADER:
            pos += header
            continue
        pos += 4
        if chunkSize < 0 or pos + chunkSize > end:
            raise IOError("failed to read chunk")
        out += snappy_uncompress(raw[pos:pos + chunkSize])
        pos += chunkSize
    return bytes(out)


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
        with open(file, "rb") as fis:
            if mode is StreamMode.GZIP:
                return CheckedInputStream(_gunzip(fis.read()), Adler32())
            if mode is StreamMode.SNAPPY:
                return CheckedInputStream(snappy_stream_uncompress(fis.read()), Adler32())
            if os.fstat(fis.fileno()).st_size == 0:
                return CheckedInputStream(b"", Adler32())
            mapped = mmap.mmap(fis.fileno(), 0, access=mmap.ACCESS_READ)
        return CheckedInputStream(memoryview(mapped), Adler32(), mapped)

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
