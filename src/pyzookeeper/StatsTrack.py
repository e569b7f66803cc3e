"""Mirrors org.apache.zookeeper.StatsTrack: the text of quota limit and stat nodes.

The text looks like ``count=4,bytes=5=;byteHardLimit=10;countHardLimit=10``
(count and bytes first, for parsers of 3.4 and older). Parse errors raise what
Java's would map to: ``ValueError`` for a bad number (NumberFormatException) and
``IndexError`` for a pair without "=" (ArrayIndexOutOfBoundsException).
"""

from __future__ import annotations

import re

from pyzookeeper.jute.BinaryInputArchive import bytesToString

countStr = "count"
countHardLimitStr = "countHardLimit"

byteStr = "bytes"
byteHardLimitStr = "byteHardLimit"

_PAIRS_SEPARATOR = re.compile("[,;]+")
_JAVA_LONG = re.compile(r"[+-]?[0-9]+\Z", re.ASCII)
_LONG_MIN = -(1 << 63)
_LONG_MAX = (1 << 63) - 1


def _java_split(text: str, pattern: re.Pattern[str] | str) -> list[str]:
    """``String.split``/``Pattern.split``: trailing empty strings are dropped, and a
    zero-length leading match is not produced (Java 8+)."""
    parts = pattern.split(text) if isinstance(pattern, re.Pattern) else text.split(pattern)
    while len(parts) > 1 and parts[-1] == "":
        parts.pop()
    if len(parts) == 1 and parts[0] == "" and text != "":
        return []
    return parts


def _parse_long(text: str) -> int:
    """``Long.parseLong``: optional sign and ASCII digits, within 64 bits."""
    if _JAVA_LONG.match(text) is None:
        raise ValueError('For input string: "' + text + '"')
    value = int(text)
    if not _LONG_MIN <= value <= _LONG_MAX:
        raise ValueError('For input string: "' + text + '"')
    return value


class StatsTrack:
    """Counts and limits of a quota subtree, parsed from and printed to node data."""

    __slots__ = ("stats",)

    def __init__(self, stat: bytes | str = "") -> None:
        """Parse node data (bytes, as UTF-8) or text; ``None`` data is an error,
        as Java's byte[] constructor fails on it."""
        self.stats: dict[str, int] = {}
        if stat is None:
            raise TypeError("stat data is null")
        if not isinstance(stat, str):
            stat = bytesToString(bytes(stat))
        if len(stat) == 0:
            return
        for keyValuePair in _java_split(stat, _PAIRS_SEPARATOR):
            kv = _java_split(keyValuePair, "=")
            self.stats[kv[0]] = _parse_long("-1" if kv[1] == "" else kv[1])

    def getCount(self) -> int:
        return self._getValue(countStr)

    def setCount(self, count: int) -> None:
        self._setValue(countStr, count)

    def getCountHardLimit(self) -> int:
        return self._getValue(countHardLimitStr)

    def setCountHardLimit(self, count: int) -> None:
        self._setValue(countHardLimitStr, count)

    def getBytes(self) -> int:
        return self._getValue(byteStr)

    def setBytes(self, bytes_: int) -> None:
        self._setValue(byteStr, bytes_)

    def getByteHardLimit(self) -> int:
        return self._getValue(byteHardLimitStr)

    def setByteHardLimit(self, bytes_: int) -> None:
        self._setValue(byteHardLimitStr, bytes_)

    def _getValue(self, key: str) -> int:
        val = self.stats.get(key)
        return -1 if val is None else val

    def _setValue(self, key: str, value: int) -> None:
        self.stats[key] = value

    def toString(self) -> str:
        keys = [k for k in self.stats if k != countStr and k != byteStr]
        buf = [countStr, "=", str(self.getCount()), ",", byteStr, "=", str(self.getBytes())]
        if keys:
            buf.append("=")
            for key in sorted(keys, key=_utf16_order):
                buf.extend((";", key, "=", str(self.stats[key])))
        return "".join(buf)

    __str__ = toString

    def getStatsBytes(self) -> bytes:
        return self.toString().encode("utf-8", "replace")

    def __eq__(self, o: object) -> bool:
        if self is o:
            return True
        if not isinstance(o, StatsTrack):
            return NotImplemented
        return self.stats == o.stats

    def __hash__(self) -> int:
        return hash(frozenset(self.stats.items()))


def _utf16_order(key: str) -> bytes:
    """Java sorts strings by UTF-16 code units."""
    return key.encode("utf-16-be", "surrogatepass")
