"""Mirrors org.apache.zookeeper.server.DigestCalculator: the per-node digest
(version 2) that the tree digest sums up.

digest = CRC32 over the path (UTF-8, "/" taken as ""), the data when not
null, and 60 bytes of stat: czxid, mzxid, pzxid, ctime, mtime (longs),
version, cversion, aversion (ints), ephemeralOwner (long). Nodes under
"/zookeeper/" count as 0.
"""

from __future__ import annotations

import struct
import sys
import zlib

from pyzookeeper import system_properties
from pyzookeeper.ZooDefs import ZOOKEEPER_NODE_SUBTREE

ZOOKEEPER_DIGEST_ENABLED = "zookeeper.digest.enabled"

_DIGEST_STAT = struct.Struct(">qqqqqiiiq")
_crc32 = zlib.crc32


def zooKeeperServerSwitch(name: str, prop: str) -> bool:
    """A static boolean of ZooKeeperServer (``isDigestEnabled`` ...).

    Java initializes ZooKeeperServer's switches from system properties when the
    class is first used. Until the module is loaded nobody can have changed
    them, so the property (default true) is the answer; afterwards the class
    is asked. This keeps the tree free of an import of the whole server.
    """
    module = sys.modules.get("pyzookeeper.server.ZooKeeperServer")
    zks = getattr(module, "ZooKeeperServer", None)
    if zks is not None:
        return getattr(zks, name)()
    return (system_properties.getProperty(prop) or "true").lower() == "true"


def isDigestEnabled() -> bool:
    """``ZooKeeperServer.isDigestEnabled()``: ``zookeeper.digest.enabled``, default true."""
    return zooKeeperServerSwitch("isDigestEnabled", ZOOKEEPER_DIGEST_ENABLED)


class DigestCalculator:
    """Computes node digests; the digest of a node is cached on the node until it changes.

    Deliberate difference: whether digests are enabled is read once, when the
    calculator is made (Java asks on every call; each DataTree makes its own).
    """

    __slots__ = ("digestEnabled",)

    DIGEST_VERSION = 2

    def __init__(self) -> None:
        self.digestEnabled = isDigestEnabled()

    def calculateDigest(self, path: str, nodeOrData, stat=None) -> int:
        """``calculateDigest(path, node)`` (cached on the node until it changes) or
        ``calculateDigest(path, data, stat)``."""
        if stat is None:
            node = nodeOrData
            if node.digestCached:
                return node.digest
            data = node.data
            stat = node.stat
        else:
            node = None
            data = nodeOrData
        if not self.digestEnabled or path.startswith(ZOOKEEPER_NODE_SUBTREE):
            digest = 0
        else:
            packed = _DIGEST_STAT.pack(stat.czxid, stat.mzxid, stat.pzxid, stat.ctime, stat.mtime,
                                       stat.version, stat.cversion, stat.aversion, stat.ephemeralOwner)
            head = path.encode("utf-8", "replace") if path != "/" else b""
            if data is None:
                digest = _crc32(head + packed)
            elif len(data) < 4096:
                digest = _crc32(head + data + packed)
            else:
                digest = _crc32(packed, _crc32(data, _crc32(head)))
        if node is not None:
            node.digest = digest
            node.digestCached = True
        return digest

    def getDigestVersion(self) -> int:
        return DigestCalculator.DIGEST_VERSION
