"""The JVM system properties the Java server reads with ``System.getProperty``.

Python has no JVM, so this module is the one table of ``-Dname=value``
settings: ``zkserver.sh`` passes the ``-D`` entries of ``SERVER_JVMFLAGS`` and
``JVMFLAGS`` to the server, ``QuorumPeerConfig`` adds unknown ``zoo.cfg`` keys
as ``zookeeper.<key>``, and every component reads its settings from here with
the same names and defaults as Java. The accessors mirror ``System.getProperty``,
``Boolean.getBoolean``, ``Integer.getInteger`` and ``Long.getLong``.
"""

from __future__ import annotations

import os
import threading

_lock = threading.Lock()
_properties: dict[str, str] = {}


def getProperty(name: str, default: str | None = None) -> str | None:
    return _properties.get(name, default)


def setProperty(name: str, value: str) -> str | None:
    with _lock:
        previous = _properties.get(name)
        _properties[name] = str(value)
        return previous


def clearProperty(name: str) -> str | None:
    with _lock:
        return _properties.pop(name, None)


def getProperties() -> dict[str, str]:
    """A copy of every property set (the ``envi`` command lists some of them)."""
    with _lock:
        return dict(_properties)


def getBoolean(name: str) -> bool:
    """``Boolean.getBoolean``: true only when the property is "true", any case."""
    value = _properties.get(name)
    return value is not None and value.lower() == "true"


def _decode_java_int(text: str) -> int:
    """``Integer.decode``/``Long.decode``: decimal, ``0x``/``#`` hex, leading-0 octal."""
    s = text
    sign = 1
    if s.startswith(("-", "+")):
        sign = -1 if s[0] == "-" else 1
        s = s[1:]
    if s.startswith(("0x", "0X")):
        value = int(s[2:], 16)
    elif s.startswith("#"):
        value = int(s[1:], 16)
    elif s.startswith("0") and len(s) > 1:
        value = int(s[1:], 8)
    else:
        value = int(s, 10)
    if not s or s[0] in "+-":
        raise ValueError(text)
    return sign * value


def getInteger(name: str, default: int | None = None) -> int | None:
    """``Integer.getInteger``: the decoded value, or ``default`` if unset or malformed."""
    value = _properties.get(name)
    if value is None:
        return default
    try:
        result = _decode_java_int(value)
    except ValueError:
        return default
    if not -(2**31) <= result < 2**31:
        return default
    return result


def getLong(name: str, default: int | None = None) -> int | None:
    """``Long.getLong``: the decoded value, or ``default`` if unset or malformed."""
    value = _properties.get(name)
    if value is None:
        return default
    try:
        result = _decode_java_int(value)
    except ValueError:
        return default
    if not -(2**63) <= result < 2**63:
        return default
    return result


def parse_jvm_flags(text: str) -> dict[str, str]:
    """The ``-Dname=value`` entries of a JVMFLAGS-style string (others are ignored)."""
    import shlex

    found: dict[str, str] = {}
    for word in shlex.split(text or ""):
        if word.startswith("-D") and len(word) > 2:
            name, _, value = word[2:].partition("=")
            found[name] = value
    return found


def load_jvm_flags_from_environment(environ: dict[str, str] | None = None) -> None:
    """Set the ``-D`` entries of ``JVMFLAGS`` then ``SERVER_JVMFLAGS`` (later wins)."""
    env = os.environ if environ is None else environ
    for var in ("JVMFLAGS", "SERVER_JVMFLAGS"):
        for name, value in parse_jvm_flags(env.get(var, "")).items():
            setProperty(name, value)
