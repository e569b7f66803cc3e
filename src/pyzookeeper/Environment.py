"""Mirrors org.apache.zookeeper.Environment: the environment facts logged at
start-up and printed by ``envi``.

Deliberate difference: the ``java.*`` entries describe the Python runtime that
stands in for the JVM (``java.version`` is the Python version, and so on).
"""

from __future__ import annotations

import getpass
import os
import platform
import resource
import socket
import sys
import tempfile

from pyzookeeper import system_properties

JAAS_CONF_KEY = "java.security.auth.login.config"


class Entry:
    __slots__ = ("k", "v")

    def __init__(self, k: str, v: str) -> None:
        self.k = k
        self.v = v

    def getKey(self) -> str:
        return self.k

    def getValue(self) -> str:
        return self.v

    def __str__(self) -> str:
        return f"{self.k}={self.v}"


def _memory_mb() -> tuple[int, int, int]:
    """(free, max, total) MB, Java's Runtime figures read as: total = resident
    size, max = the address-space limit or physical memory, free = max - total."""
    page = os.sysconf("SC_PAGE_SIZE")
    try:
        with open("/proc/self/statm") as f:
            total = int(f.read().split()[1]) * page
    except OSError:
        total = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    limit = resource.getrlimit(resource.RLIMIT_AS)[0]
    if limit == resource.RLIM_INFINITY:
        limit = os.sysconf("SC_PHYS_PAGES") * page
    mb = 1024 * 1024
    return max(0, limit - total) // mb, limit // mb, total // mb


def list() -> "list[Entry]":
    from pyzookeeper.Version import Version

    def prop(name: str, default: str) -> str:
        return system_properties.getProperty(name, default) or default

    entries = [Entry("zookeeper.version", Version.getFullVersion())]
    try:
        entries.append(Entry("host.name", socket.getfqdn()))
    except OSError:
        entries.append(Entry("host.name", "<NA>"))
    entries += [
        Entry("java.version", prop("java.version", platform.python_version())),
        Entry("java.vendor", prop("java.vendor", platform.python_implementation())),
        Entry("java.home", prop("java.home", sys.prefix)),
        Entry("java.class.path", prop("java.class.path", os.pathsep.join(p for p in sys.path if p))),
        Entry("java.library.path", prop("java.library.path", "<NA>")),
        Entry("java.io.tmpdir", prop("java.io.tmpdir", tempfile.gettempdir())),
        Entry("java.compiler", prop("java.compiler", "<NA>")),
        Entry("os.name", platform.system()),
        Entry("os.arch", platform.machine()),
        Entry("os.version", platform.release()),
        Entry("user.name", _user_name()),
        Entry("user.home", os.path.expanduser("~")),
        Entry("user.dir", os.getcwd()),
    ]
    free, maximum, total = _memory_mb()
    entries += [Entry("os.memory.free", f"{free}MB"), Entry("os.memory.max", f"{maximum}MB"),
                Entry("os.memory.total", f"{total}MB")]
    return entries


def _user_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "<NA>"


def logEnv(msg: str, log) -> None:
    for e in list():
        log.info("%s%s", msg, e)
