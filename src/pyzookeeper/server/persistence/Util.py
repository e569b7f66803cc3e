"""Mirrors org.apache.zookeeper.server.persistence.Util: file names and the
framing of one transaction-log entry.

Java's ``File`` is a ``pathlib.Path`` here; the functions accept any path-like.
"""

from __future__ import annotations

import logging
import os
import re
import time
from pathlib import Path

from pyzookeeper.jute.BinaryOutputArchive import BinaryOutputArchive

LOG = logging.getLogger(__name__)

SNAP_DIR = "snapDir"
LOG_DIR = "logDir"
DB_FORMAT_CONV = "dbFormatConversion"

LOG_FILE_PREFIX = "log"
SNAPSHOT_FILE_PREFIX = "snapshot"

_HEX_LONG = re.compile(r"[+-]?[0-9a-fA-F]+")


def toHexString(value: int) -> str:
    """``Long.toHexString``: lowercase, unpadded, two's complement for negatives."""
    return format(value & 0xFFFFFFFFFFFFFFFF, "x")


def parseLong(text: str, radix: int = 10) -> int:
    """``Long.parseLong``: digits with an optional sign, within the signed 64-bit range."""
    if not _HEX_LONG.fullmatch(text):
        raise ValueError(f'For input string: "{text}"')
    value = int(text, radix)
    if not -(2**63) <= value < 2**63:
        raise ValueError(f'For input string: "{text}"')
    return value


def makeURIString(dataDir: str, dataLogDir: str, convPolicy: str | None) -> str:
    uri = "file:" + SNAP_DIR + "=" + str(dataDir) + ";" + LOG_DIR + "=" + str(dataLogDir)
    if convPolicy is not None:
        uri += ";" + DB_FORMAT_CONV + "=" + convPolicy
    return uri.replace("\\", "/")


def makeFileLoggerURL(dataDir: os.PathLike | str, dataLogDir: os.PathLike | str,
                      convPolicy: str | None = None) -> str:
    return makeURIString(os.fspath(dataDir), os.fspath(dataLogDir), convPolicy)


def makeLogName(zxid: int) -> str:
    return LOG_FILE_PREFIX + "." + toHexString(zxid)


def makeSnapshotName(zxid: int) -> str:
    from pyzookeeper.server.persistence.SnapStream import SnapStream

    return SNAPSHOT_FILE_PREFIX + "." + toHexString(zxid) + SnapStream.getStreamMode().getFileExtension()


def getSnapDir(props: dict[str, str]) -> Path:
    return Path(props[SNAP_DIR])


def getLogDir(props: dict[str, str]) -> Path:
    return Path(props[LOG_DIR])


def getFormatConversionPolicy(props: dict[str, str]) -> str | None:
    return props.get(DB_FORMAT_CONV)


def _java_split_dot(name: str) -> list[str]:
    """``String.split("\\\\.")``: trailing empty strings are dropped."""
    parts = name.split(".")
    while parts and parts[-1] == "":
        parts.pop()
    return parts or [""]


def getZxidFromName(name: str, prefix: str) -> int:
    """The zxid in a name such as ``log.1a`` or ``snapshot.1a.gz``, or -1."""
    nameParts = _java_split_dot(name)
    if len(nameParts) >= 2 and nameParts[0] == prefix:
        try:
            return parseLong(nameParts[1], 16)
        except ValueError:
            pass
    return -1


def readTxnBytes(ia) -> bytes | None:
    """One entry's txn bytes and its end-of-record byte.

    An empty result means the zero-filled (preallocated) end of the log; None
    means the entry was cut short, which readers treat as the end of the file.
    """
    try:
        data = ia.readBuffer("txtEntry")
        if data is None:
            raise IOError("Unreasonable length = -1")
        if len(data) == 0:
            return data
        if ia.readByte("EOF") != 0x42:
            LOG.error("Last transaction was partial.")
            return None
        return data
    except EOFError:
        pass
    return None


def marshallTxnEntry(hdr, txn=None, digest=None) -> bytes:
    """The bytes of a txn as logged: header, then the body and digest if present."""
    boa = BinaryOutputArchive()
    hdr.serialize(boa, "hdr")
    if txn is not None:
        txn.serialize(boa, "txn")
    if digest is not None:
        digest.serialize(boa, "digest")
    return boa.getvalue()


def writeTxnBytes(oa, data: bytes) -> None:
    oa.writeBuffer(data, "txnEntry")
    oa.writeByte(0x42, "EOR")


def sortDataDir(files, prefix: str, ascending: bool) -> list[Path]:
    """The files sorted by the zxid in their names (stable, like Java's sort)."""
    if files is None:
        return []
    paths = [Path(f) for f in files]
    paths.sort(key=lambda p: getZxidFromName(p.name, prefix), reverse=not ascending)
    return paths


def listFiles(directory: os.PathLike | str) -> list[Path] | None:
    """``File.listFiles()``: the entries of a directory, or None when it cannot be listed."""
    directory = Path(directory)
    try:
        return [directory / name for name in os.listdir(directory)]
    except OSError:
        return None


def javaPath(path: os.PathLike | str) -> str:
    """``new File(path).getPath()``: repeated and trailing separators removed, nothing else."""
    text = re.sub("/+", "/", os.fspath(path))
    return text[:-1] if len(text) > 1 and text.endswith("/") else text


def javaAbsolutePath(path: os.PathLike | str) -> str:
    """``File.getAbsolutePath()``: relative paths are put under the working directory, unnormalized."""
    text = javaPath(path)
    return text if text.startswith("/") else javaPath(os.getcwd() + "/" + text)


def isLogFileName(fileName: str) -> bool:
    return fileName.startswith(LOG_FILE_PREFIX + ".")


def isSnapshotFileName(fileName: str) -> bool:
    return fileName.startswith(SNAPSHOT_FILE_PREFIX + ".")


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _local(millis: int) -> time.struct_time:
    return time.localtime(millis // 1000)


def _clock12(t: time.struct_time) -> str:
    hour = t.tm_hour % 12 or 12
    return f"{hour}:{t.tm_min:02d}:{t.tm_sec:02d} {'AM' if t.tm_hour < 12 else 'PM'}"


def format_date_short_long(millis: int) -> str:
    """``DateFormat.getDateTimeInstance(SHORT, LONG)`` in the US locale, local time zone."""
    t = _local(millis)
    return f"{t.tm_mon}/{t.tm_mday}/{t.tm_year % 100:02d}, {_clock12(t)} {t.tm_zone}"


def format_date_medium(millis: int) -> str:
    """``DateFormat.getDateTimeInstance()`` (MEDIUM, MEDIUM) in the US locale, local time zone."""
    t = _local(millis)
    return f"{_MONTHS[t.tm_mon - 1]} {t.tm_mday}, {t.tm_year}, {_clock12(t)}"


def format_date_tostring(millis: int) -> str:
    """``java.util.Date.toString()`` in the local time zone."""
    t = _local(millis)
    return (f"{_DAYS[t.tm_wday]} {_MONTHS[t.tm_mon - 1]} {t.tm_mday:02d} "
            f"{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d} {t.tm_zone} {t.tm_year:04d}")


class JavaPrintStream:
    """``System.out`` for the command-line tools: once the reader goes away
    (a closed pipe), output is dropped and the tool runs on, as Java's
    PrintStream does."""

    def __init__(self, stream) -> None:
        self._stream = stream
        self._error = False

    def _fail(self) -> None:
        self._error = True
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, self._stream.fileno())
        os.close(devnull)

    def write(self, text: str) -> None:
        if not self._error:
            try:
                self._stream.write(text)
            except BrokenPipeError:
                self._fail()

    def flush(self) -> None:
        if not self._error:
            try:
                self._stream.flush()
            except BrokenPipeError:
                self._fail()
