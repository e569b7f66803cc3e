"""Mirrors org.apache.zookeeper.common.PathUtils: znode path validation.

The class has only static methods in Java: they are module functions, and the
class ``PathUtils`` offers the same names, so ``PathUtils.validatePath(path)``
reads as Java does after ``from pyzookeeper.common import PathUtils`` or
``from pyzookeeper.common.PathUtils import PathUtils``. Errors are ``ValueError`` (Java's
IllegalArgumentException) with Java's exact messages.
"""

from __future__ import annotations

import re
import sys

# characters Java rejects anywhere in a node name (UTF-16 code units; astral
# characters are a surrogate pair in Java, so they fall in D800-DFFF there)
_INVALID = re.compile("[\u0001-\u001f\u007f-\u009f\ud800-\uf8ff\ufff0-\uffff]")
# anything that might make a path invalid; paths without a match skip the scan
_SUSPECT = re.compile("[\u0000-\u001f\u007f-\u009f\ud800-\uf8ff\ufff0-\U0010ffff]|//|/\\.\\.?(?:/|$)")


def validatePath(path: str | None, isSequential: bool | None = None) -> None:
    """Raise ``ValueError`` naming the first problem of ``path``.

    With ``isSequential`` true the path is checked as if the sequence suffix
    were already appended.
    """
    if isSequential:
        path = ("null" if path is None else path) + "1"
    if path is None:
        raise ValueError("Path cannot be null")
    if len(path) == 0:
        raise ValueError("Path length must be > 0")
    if path[0] != "/":
        raise ValueError("Path must start with / character")
    if len(path) == 1:
        return
    if path[-1] == "/":
        raise ValueError("Path must not end with / character")
    if _SUSPECT.search(path) is None:
        return
    reason = _invalid_reason(path)
    if reason is not None:
        raise ValueError('Invalid path string "' + path + '" caused by ' + reason)


def _invalid_reason(path: str) -> str | None:
    # Java walks UTF-16 code units; positions are reported in those units
    units = path if path.isascii() or not _has_astral(path) else _utf16_units(path)
    lastc = "/"
    n = len(units)
    for i in range(1, n):
        c = units[i]
        if c == "\0":
            return "null character not allowed @" + str(i)
        if c == "/" and lastc == "/":
            return "empty node name specified @" + str(i)
        if c == "." and lastc == ".":
            if units[i - 2] == "/" and (i + 1 == n or units[i + 1] == "/"):
                return "relative paths not allowed @" + str(i)
        elif c == ".":
            if units[i - 1] == "/" and (i + 1 == n or units[i + 1] == "/"):
                return "relative paths not allowed @" + str(i)
        elif _INVALID.match(c):
            return "invalid character @" + str(i)
        lastc = c
    return None


def _has_astral(s: str) -> bool:
    return any(c > "\uffff" for c in s)


def _utf16_units(s: str) -> list[str]:
    units: list[str] = []
    for c in s:
        if c > "\uffff":
            code = ord(c) - 0x10000
            units.append(chr(0xD800 | (code >> 10)))
            units.append(chr(0xDC00 | (code & 0x3FF)))
        else:
            units.append(c)
    return units


def normalizeFileSystemPath(path: str | None) -> str | None:
    """Forward slashes on Windows, the path unchanged elsewhere."""
    if path is not None and sys.platform.startswith("win"):
        return path.replace("\\", "/")
    return path


def getTopNamespace(path: str | None) -> str | None:
    """The first component of ``path`` ("a" for "/a/b"), or None.

    Java takes element 1 of ``path.split("/")`` (trailing empty strings
    dropped): the text between the first and the second slash, provided
    something other than slashes follows the first one.
    """
    if path is None:
        return None
    first = path.find("/")
    if first < 0:
        return None
    rest = path[first + 1:]
    if not rest.strip("/"):
        return None
    end = rest.find("/")
    return rest if end < 0 else rest[:end]


class PathUtils:
    """The same functions as a class, for ``from pyzookeeper.common.PathUtils import PathUtils``."""

    validatePath = staticmethod(validatePath)
    normalizeFileSystemPath = staticmethod(normalizeFileSystemPath)
    getTopNamespace = staticmethod(getTopNamespace)
