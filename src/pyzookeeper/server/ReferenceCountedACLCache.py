"""Mirrors org.apache.zookeeper.server.ReferenceCountedACLCache: each distinct
ACL list is stored once under a long id, with a count of the nodes using it.

Id -1 stands for OPEN_ACL_UNSAFE and is never stored. Java's HashMap keyed by
List<ACL> is a dict keyed by a tuple of (perms, scheme, id) here.
"""

from __future__ import annotations

import logging
import threading

from pyzookeeper.data.ACL import ACL
from pyzookeeper.ZooDefs import Ids

LOG = logging.getLogger(__name__)

OPEN_UNSAFE_ACL_ID = -1


def _key(acls: list[ACL]) -> tuple:
    if len(acls) == 1:
        a = acls[0]
        i = a.id
        return ((a.perms, i.scheme, i.id),)
    return tuple([(a.perms, a.id.scheme, a.id.id) for a in acls])


class ReferenceCountedACLCache:
    """ACL lists by id and ids by ACL list, with reference counts."""

    __slots__ = ("longKeyMap", "aclKeyMap", "referenceCounter", "aclIndex", "_lock")

    def __init__(self) -> None:
        self.longKeyMap: dict[int, list[ACL]] = {}
        self.aclKeyMap: dict[tuple, int] = {}
        self.referenceCounter: dict[int, int] = {}
        self.aclIndex = 0
        self._lock = threading.Lock()

    def convertAcls(self, acls: list[ACL] | None) -> int:
        """The id of ``acls`` (added if new), counting one more use of it."""
        if acls is None:
            return OPEN_UNSAFE_ACL_ID
        key = _key(acls)
        with self._lock:
            ret = self.aclKeyMap.get(key)
            if ret is None:
                self.aclIndex += 1
                ret = self.aclIndex
                self.longKeyMap[ret] = acls
                self.aclKeyMap[key] = ret
            counter = self.referenceCounter
            counter[ret] = counter.get(ret, 0) + 1
            return ret

    def convertLong(self, longVal: int | None) -> list[ACL] | None:
        """The ACL list stored under ``longVal``; an unknown id is an error."""
        if longVal is None:
            return None
        if longVal == OPEN_UNSAFE_ACL_ID:
            return Ids.OPEN_ACL_UNSAFE
        acls = self.longKeyMap.get(longVal)
        if acls is None:
            LOG.error("ERROR: ACL not available for long %s", longVal)
            raise RuntimeError("Failed to fetch acls for " + str(longVal))
        return acls

    def deserialize(self, ia) -> None:
        """Replace the cache with the one in a snapshot; counts start at zero."""
        self._clear()
        i = ia.readInt("map")
        deserializedMap: dict[int, list[ACL]] = {}
        while i > 0:
            val = ia.readLong("long")
            aclList: list[ACL] = []
            j = ia.startVector("acls")
            if j is None:
                raise RuntimeError("Incorrent format of InputArchive when deserialize DataTree - missing acls")
            while not j.done():
                acl = ACL()
                acl.deserialize(ia, "acl")
                aclList.append(acl)
                j.incr()
            deserializedMap[val] = aclList
            i -= 1
        with self._lock:
            for val, aclList in deserializedMap.items():
                if self.aclIndex < val:
                    self.aclIndex = val
                self.longKeyMap[val] = aclList
                self.aclKeyMap[_key(aclList)] = val
                self.referenceCounter[val] = 0

    def serialize(self, oa) -> None:
        with self._lock:
            clonedLongKeyMap = dict(self.longKeyMap)
        oa.writeInt(len(clonedLongKeyMap), "map")
        for val, aclList in clonedLongKeyMap.items():
            oa.writeLong(val, "long")
            oa.startVector(aclList, "acls")
            for acl in aclList:
                acl.serialize(oa, "acl")
            oa.endVector(aclList, "acls")

    def size(self) -> int:
        return len(self.aclKeyMap)

    def _clear(self) -> None:
        with self._lock:
            self.aclKeyMap.clear()
            self.longKeyMap.clear()
            self.referenceCounter.clear()

    def addUsage(self, acl: int) -> None:
        if acl == OPEN_UNSAFE_ACL_ID:
            return
        with self._lock:
            if acl not in self.longKeyMap:
                LOG.info("Ignoring acl %s as it does not exist in the cache", acl)
                return
            self.referenceCounter[acl] = self.referenceCounter.get(acl, 0) + 1

    def removeUsage(self, acl: int) -> None:
        if acl == OPEN_UNSAFE_ACL_ID:
            return
        with self._lock:
            if acl not in self.longKeyMap:
                LOG.info("Ignoring acl %s as it does not exist in the cache", acl)
                return
            newCount = self.referenceCounter[acl] - 1
            self.referenceCounter[acl] = newCount
            if newCount <= 0:
                del self.referenceCounter[acl]
                self.aclKeyMap.pop(_key(self.longKeyMap[acl]), None)
                del self.longKeyMap[acl]

    def purgeUnused(self) -> None:
        """Drop the lists no node uses (after loading a snapshot)."""
        with self._lock:
            for acl, count in list(self.referenceCounter.items()):
                if count <= 0:
                    self.aclKeyMap.pop(_key(self.longKeyMap[acl]), None)
                    del self.longKeyMap[acl]
                    del self.referenceCounter[acl]
