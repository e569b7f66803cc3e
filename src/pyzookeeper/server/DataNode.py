"""Mirrors org.apache.zookeeper.server.DataNode: one znode's data, ACL id, stat
and child names.

Java synchronizes on each node; here ``with node:`` takes one monitor shared
by all nodes (a re-entrant lock), which keeps the same critical sections
without a lock object per node. ``children`` is a JavaHashSet of names (so
they iterate in the order of Java's ``HashSet<String>(8)``), or None until the
first child is added.
"""

from __future__ import annotations

import threading

from pyzookeeper.common.java_hash_set import JavaHashSet
from pyzookeeper.data.StatPersisted import StatPersisted
from pyzookeeper.jute.Record import Record
from pyzookeeper.server.EphemeralType import EphemeralType

_MONITOR = threading.RLock()
_EMPTY_SET: frozenset[str] = frozenset()
# the initial capacity Java gives a node's child set
_CHILDREN_CAPACITY = 8


def _int32(v: int) -> int:
    return ((v + 0x80000000) & 0xFFFFFFFF) - 0x80000000


class DataNode(Record):
    """A znode. ``data`` is bytes or None, ``acl`` the ACL cache id, ``stat`` a StatPersisted."""

    __slots__ = ("data", "acl", "stat", "children", "digest", "digestCached")

    # ``with node:`` enters the shared monitor (the lock's own methods, so no
    # Python frame is pushed; the node passed as "blocking" is truthy)
    __enter__ = _MONITOR.__enter__
    __exit__ = _MONITOR.__exit__
    __eq__ = object.__eq__
    __hash__ = object.__hash__

    def __init__(self, data: bytes | None = None, acl: int | None = None, stat: StatPersisted | None = None) -> None:
        self.data = data
        self.acl = acl
        self.stat = stat
        self.children: JavaHashSet | None = None
        self.digest = 0
        self.digestCached = False

    def addChild(self, child: str) -> bool:
        """Add a child name; False when it was already there."""
        with _MONITOR:
            children = self.children
            if children is None:
                children = self.children = new_child_set()
            return children.add_locked(child)

    def removeChild(self, child: str) -> bool:
        """Remove a child name; False when it was not there."""
        with _MONITOR:
            children = self.children
            return children is not None and children.discard_locked(child)

    def setChildren(self, children: JavaHashSet | None) -> None:
        with _MONITOR:
            self.children = children

    def getChildren(self) -> JavaHashSet | frozenset[str]:
        """The child names, iterating in Java's order (a live set, not to be modified)."""
        children = self.children
        return _EMPTY_SET if children is None else children

    def copyStat(self, to) -> None:
        """Fill the client-facing Stat ``to`` from this node."""
        with _MONITOR:
            stat = self.stat
            to.aversion = stat.aversion
            to.ctime = stat.ctime
            to.czxid = stat.czxid
            to.mtime = stat.mtime
            to.mzxid = stat.mzxid
            to.pzxid = stat.pzxid
            to.version = stat.version
            owner = stat.ephemeralOwner
            to.ephemeralOwner = owner if owner == 0 else _getClientEphemeralOwner(owner)
            data = self.data
            to.dataLength = 0 if data is None else len(data)
            children = self.children
            numChildren = 0 if children is None else len(children)
            # the stored cversion counts creates; clients see creates plus deletes
            to.cversion = _int32(stat.cversion * 2 - numChildren)
            to.numChildren = numChildren

    def deserialize(self, archive, tag: str) -> None:
        with _MONITOR:
            archive.startRecord("node")
            self.data = archive.readBuffer("data")
            self.acl = archive.readLong("acl")
            self.stat = StatPersisted()
            self.stat.deserialize(archive, "statpersisted")
            archive.endRecord("node")

    def serialize(self, archive, tag: str) -> None:
        with _MONITOR:
            archive.startRecord(self, "node")
            archive.writeBuffer(self.data, "data")
            archive.writeLong(self.acl, "acl")
            self.stat.serialize(archive, "statpersisted")
            archive.endRecord(self, "node")

    def isDigestCached(self) -> bool:
        return self.digestCached

    def setDigestCached(self, digestCached: bool) -> None:
        self.digestCached = digestCached

    def getDigest(self) -> int:
        return self.digest

    def setDigest(self, digest: int) -> None:
        self.digest = digest

    def getData(self) -> bytes | None:
        return self.data

    def __repr__(self) -> str:
        return f"DataNode(acl={self.acl}, stat={self.stat!r}, children={len(self.getChildren())})"


def new_child_set() -> JavaHashSet:
    """An empty child set as Java makes it (``new HashSet<String>(8)``), guarded
    by the nodes' monitor, under which DataNode changes it."""
    return JavaHashSet(_CHILDREN_CAPACITY, _MONITOR)


def _getClientEphemeralOwner(ephemeralOwner: int) -> int:
    if EphemeralType.get(ephemeralOwner) is not EphemeralType.NORMAL:
        return 0
    return ephemeralOwner
