"""Mirrors org.apache.zookeeper.server.DataTree: the in-memory znode tree, its
ephemeral/container/TTL indexes, quota bookkeeping, watches and digest.

Deliberate differences: audit logging is not ported; ``synchronized (node)``
is ``with node:`` (one shared monitor, see DataNode); snapshot writing and
quota walks use an explicit stack instead of recursion, so deep trees do not
hit Python's recursion limit; loading a snapshot pauses the cyclic garbage
collector.
Java's overloads are optional arguments: ``getACL(path, stat)`` /
``getACL(node)``, ``getEphemerals()`` / ``getEphemerals(sessionId)``,
``processTxn(header, txn[, digest | isSubTxn])`` and
``killSession(session, zxid[, paths2DeleteLocal, paths2DeleteInTxn])``.
"""

from __future__ import annotations

import gc
import logging
import struct
import threading
import zlib
from collections import deque

from pyzookeeper import Quotas
from pyzookeeper.common import PathUtils
from pyzookeeper.common.java_concurrent_hash_map import JavaConcurrentHashMap, long_hash
from pyzookeeper.common.java_hash_set import JavaHashSet, hash_map_order
from pyzookeeper.common.PathTrie import PathTrie
from pyzookeeper.data.ACL import ACL
from pyzookeeper.data.Stat import Stat
from pyzookeeper.data.StatPersisted import StatPersisted
from pyzookeeper.jute.BinaryInputArchive import BinaryInputArchive
from pyzookeeper.jute.BinaryOutputArchive import BinaryOutputArchive
from pyzookeeper.jute.Record import Record
from pyzookeeper.KeeperException import Code, KeeperException
from pyzookeeper.server.DataNode import DataNode, new_child_set
from pyzookeeper.server.DigestCalculator import ZOOKEEPER_NODE_SUBTREE, DigestCalculator, isDigestEnabled
from pyzookeeper.server.EphemeralType import CONTAINER_EPHEMERAL_OWNER, EphemeralType
from pyzookeeper.server.ExitCode import ExitCode
from pyzookeeper.server.NodeHashMapImpl import NodeHashMapImpl
from pyzookeeper.server.RateLogger import RateLogger
from pyzookeeper.server.ReferenceCountedACLCache import ReferenceCountedACLCache
from pyzookeeper.server.ServerMetrics import ServerMetrics
from pyzookeeper.server.watch import WatchManagerFactory
from pyzookeeper.server.watch.WatcherMode import WatcherMode
from pyzookeeper.StatsTrack import StatsTrack
from pyzookeeper.txn.CheckVersionTxn import CheckVersionTxn
from pyzookeeper.txn.CreateContainerTxn import CreateContainerTxn
from pyzookeeper.txn.CreateTTLTxn import CreateTTLTxn
from pyzookeeper.txn.CreateTxn import CreateTxn
from pyzookeeper.txn.DeleteTxn import DeleteTxn
from pyzookeeper.txn.ErrorTxn import ErrorTxn
from pyzookeeper.txn.SetDataTxn import SetDataTxn
from pyzookeeper.txn.TxnDigest import TxnDigest
from pyzookeeper.txn.TxnHeader import TxnHeader
from pyzookeeper.WatchedEvent import WatchedEvent
from pyzookeeper.Watcher import EventType, KeeperState, WatcherType
from pyzookeeper.ZooDefs import Ids, OpCode

LOG = logging.getLogger(__name__)

rootZookeeper = "/"
procZookeeper = Quotas.procZookeeper
procChildZookeeper = procZookeeper[1:]
quotaZookeeper = Quotas.quotaZookeeper
quotaChildZookeeper = quotaZookeeper[len(procZookeeper) + 1:]
configZookeeper = "/zookeeper/config"
configChildZookeeper = configZookeeper[len(procZookeeper) + 1:]

_NoNodeException = KeeperException.NoNodeException
_NodeExistsException = KeeperException.NodeExistsException
_LIMIT_NODE = Quotas.limitNode
_STAT_NODE = Quotas.statNode
_NODE_CREATED = EventType.NodeCreated
_NODE_DELETED = EventType.NodeDeleted
_NODE_DATA_CHANGED = EventType.NodeDataChanged
_NODE_CHILDREN_CHANGED = EventType.NodeChildrenChanged
_CONTAINER = EphemeralType.CONTAINER
_TTL = EphemeralType.TTL
_get_ephemeral_type = EphemeralType.get

# a snapshot node after its data buffer: the acl id, then StatPersisted
_ACL_AND_STAT = struct.Struct(">qqqqqiiiqq")
# the stat fields a node digest covers, in digest order
_DIGEST_STAT = struct.Struct(">qqqqqiiiq")

# sub-transaction record types of a multi
_SUB_TXN_RECORDS = {
    OpCode.create: CreateTxn,
    OpCode.create2: CreateTxn,
    OpCode.createTTL: CreateTTLTxn,
    OpCode.createContainer: CreateContainerTxn,
    OpCode.delete: DeleteTxn,
    OpCode.deleteContainer: DeleteTxn,
    OpCode.setData: SetDataTxn,
    OpCode.error: ErrorTxn,
    OpCode.check: CheckVersionTxn,
}


def _int32(v: int) -> int:
    return ((v + 0x80000000) & 0xFFFFFFFF) - 0x80000000


def _hex(v: int) -> str:
    """``Long.toHexString``."""
    return format(v & 0xFFFFFFFFFFFFFFFF, "x")


def _javaLength(s: str) -> int:
    """``String.length()``: UTF-16 code units."""
    if s.isascii():
        return len(s)
    return len(s) + sum(1 for c in s if c > "\uffff")


def _javaSet(items) -> str:
    """A set printed as Java's AbstractCollection.toString does."""
    return "[" + ", ".join(str(i) for i in items) + "]"


def _missingNode(path: str | None) -> Exception:
    """What a lookup that found no node raises: NoNodeException, or for a null
    path the error Java's node map throws (its ConcurrentHashMap takes no null key)."""
    if path is None:
        return TypeError("path is null")
    return _NoNodeException()


def getNodeSize(path: str | None, data: bytes | None) -> int:
    return (0 if path is None else _javaLength(path)) + (0 if data is None else len(data))


class DataTree:
    """The tree: a map from full path to DataNode plus the parent/child links.

    All lookups go through the map; the links are walked only to write
    snapshots and count quota subtrees.
    """

    # over-the-wire size of a Stat: 6 longs and 5 ints
    STAT_OVERHEAD_BYTES = (6 * 8) + (5 * 4)
    # how many historical digests are kept, and every how many zxids one is kept
    DIGEST_LOG_LIMIT = 1024
    DIGEST_LOG_INTERVAL = 128

    class ProcessTxnResult:
        """The outcome of applying one transaction (equal when clientId and cxid are)."""

        __slots__ = ("clientId", "cxid", "zxid", "err", "type", "path", "stat", "multiResult")

        def __init__(self) -> None:
            self.clientId = 0
            self.cxid = 0
            self.zxid = 0
            self.err = 0
            self.type = 0
            self.path: str | None = None
            self.stat: Stat | None = None
            self.multiResult: list[DataTree.ProcessTxnResult] | None = None

        def __eq__(self, o: object) -> bool:
            if isinstance(o, DataTree.ProcessTxnResult):
                return o.clientId == self.clientId and o.cxid == self.cxid
            return False

        def __hash__(self) -> int:
            x = self.clientId ^ self.cxid
            r = abs(x) % 0x7FFFFFFF
            return -r if x < 0 else r

        def __repr__(self) -> str:
            return (f"ProcessTxnResult(clientId=0x{_hex(self.clientId)}, cxid={self.cxid}, "
                    f"zxid=0x{_hex(self.zxid)}, err={self.err}, type={self.type}, path={self.path!r})")

    class ZxidDigest:
        """The tree digest after a given zxid, with the digest version used."""

        __slots__ = ("zxid", "digest", "digestVersion")

        def __init__(self, zxid: int = 0, digestVersion: int = DigestCalculator.DIGEST_VERSION,
                     digest: int = 0) -> None:
            self.zxid = zxid
            self.digestVersion = digestVersion
            self.digest = digest

        def serialize(self, oa) -> None:
            oa.writeLong(self.zxid, "zxid")
            oa.writeInt(self.digestVersion, "digestVersion")
            oa.writeLong(self.digest, "digest")

        def deserialize(self, ia) -> None:
            self.zxid = ia.readLong("zxid")
            self.digestVersion = ia.readInt("digestVersion")
            if self.digestVersion < 2:
                # version 1 stored the digest as hex text
                d = ia.readString("digest")
                if d is not None:
                    value = int(d, 16)
                    if not -(1 << 63) <= value < (1 << 63):
                        raise ValueError('For input string: "' + d + '" under radix 16')
                    self.digest = value
            else:
                self.digest = ia.readLong("digest")

        def getZxid(self) -> int:
            return self.zxid

        def getDigestVersion(self) -> int:
            return self.digestVersion

        def getDigest(self) -> int:
            return self.digest

        def __repr__(self) -> str:
            return f"ZxidDigest(zxid=0x{_hex(self.zxid)}, version={self.digestVersion}, digest={self.digest})"

    def __init__(self, digestCalculator: DigestCalculator | None = None) -> None:
        if digestCalculator is None:
            digestCalculator = DigestCalculator()
        self.RATE_LOGGER = RateLogger(LOG, 15 * 60 * 1000)
        self.digestCalculator = digestCalculator
        self.nodes = NodeHashMapImpl(digestCalculator)
        self.nodeDataSize = 0
        self.pTrie = PathTrie()
        self.ephemerals: JavaConcurrentHashMap[JavaHashSet] = JavaConcurrentHashMap(long_hash)
        # Java's sets backed by ConcurrentHashMaps: the value is always True
        self.containers: JavaConcurrentHashMap[bool] = JavaConcurrentHashMap()
        self.ttls: JavaConcurrentHashMap[bool] = JavaConcurrentHashMap()
        self.aclCache = ReferenceCountedACLCache()
        self.digestFromLoadedSnapshot: DataTree.ZxidDigest | None = None
        self.lastProcessedZxidDigest: DataTree.ZxidDigest | None = None
        self.firstMismatchTxn = True
        self.digestWatchers: list = []
        self.digestLog: deque[DataTree.ZxidDigest] = deque()
        self._digestLogLock = threading.Lock()
        self._lock = threading.RLock()
        self.lastProcessedZxid = 0

        self.root = DataNode(b"", -1, StatPersisted())
        self.procDataNode = DataNode(b"", -1, StatPersisted())
        self.quotaDataNode = DataNode(b"", -1, StatPersisted())

        # the root is reachable as "" (its children are created under it) and as "/"
        self.nodes.put("", self.root)
        self.nodes.putWithoutDigest(rootZookeeper, self.root)

        self.root.addChild(procChildZookeeper)
        self.nodes.put(procZookeeper, self.procDataNode)

        self.procDataNode.addChild(quotaChildZookeeper)
        self.nodes.put(quotaZookeeper, self.quotaDataNode)

        self.addConfigNode()

        self.nodeDataSize = self.approximateDataSize()
        try:
            self.dataWatches = WatchManagerFactory.createWatchManager()
            self.childWatches = WatchManagerFactory.createWatchManager()
        except Exception:
            LOG.error("Unexpected exception when creating WatchManager, exiting abnormally", exc_info=True)
            raise SystemExit(ExitCode.UNEXPECTED_ERROR.getValue())

    # ------------------------------------------------------------------ lookups

    def getEphemerals(self, sessionId: int | None = None):
        """``getEphemerals(sessionId)``: a copy (Java's clone) of that session's
        ephemeral paths; ``getEphemerals()``: a copy of the whole session -> paths map."""
        if sessionId is None:
            # a HashMap<Long, Set<String>> filled in the order of the ConcurrentHashMap
            copies = {owner: JavaHashSet.copy_of(paths) for owner, paths in self.ephemerals.items()}
            return {owner: copies[owner] for owner in hash_map_order(copies, long_hash)}
        retv = self.ephemerals.get(sessionId)
        if retv is None:
            return JavaHashSet()
        return retv.clone()

    def getContainers(self) -> JavaHashSet:
        return JavaHashSet.copy_of(self.containers.keys_in_order())

    def getTtls(self) -> JavaHashSet:
        return JavaHashSet.copy_of(self.ttls.keys_in_order())

    def getSessions(self) -> list[int]:
        """The sessions that own ephemeral nodes."""
        return list(self.ephemerals)

    def getNode(self, path: str) -> DataNode | None:
        node = self.nodes.get(path)
        if node is None and path is None:
            raise _missingNode(path)
        return node

    def getNodeCount(self) -> int:
        return self.nodes.size()

    def getWatchCount(self) -> int:
        return self.dataWatches.size() + self.childWatches.size()

    def getEphemeralsCount(self) -> int:
        return sum(len(paths) for paths in self.ephemerals.values())

    def approximateDataSize(self) -> int:
        """Sum of path lengths and data sizes of every map entry."""
        result = 0
        for path, node in self.nodes.entrySet():
            data = node.data
            result += getNodeSize(path, data)
        return result

    def cachedApproximateDataSize(self) -> int:
        return self.nodeDataSize

    def addConfigNode(self) -> None:
        """Create /zookeeper/config, readable by anyone and writable by nobody."""
        zookeeperZnode = self.nodes.get(procZookeeper)
        if zookeeperZnode is not None:
            zookeeperZnode.addChild(configChildZookeeper)
        self.nodes.put(configZookeeper, DataNode(b"", -1, StatPersisted()))
        self.setACL(configZookeeper, Ids.READ_ACL_UNSAFE, -1)

    def isSpecialPath(self, path: str) -> bool:
        return path == rootZookeeper or path == procZookeeper or path == quotaZookeeper or path == configZookeeper

    @staticmethod
    def copyStatPersisted(from_: StatPersisted, to: StatPersisted) -> None:
        to.aversion = from_.aversion
        to.ctime = from_.ctime
        to.cversion = from_.cversion
        to.czxid = from_.czxid
        to.mtime = from_.mtime
        to.mzxid = from_.mzxid
        to.pzxid = from_.pzxid
        to.version = from_.version
        to.ephemeralOwner = from_.ephemeralOwner

    @staticmethod
    def copyStat(from_: Stat, to: Stat) -> None:
        DataTree.copyStatPersisted(from_, to)
        to.dataLength = from_.dataLength
        to.numChildren = from_.numChildren

    @staticmethod
    def createStat(zxid: int, time: int, ephemeralOwner: int) -> StatPersisted:
        """The stat of a node created by ``zxid`` at ``time``."""
        return StatPersisted(zxid, zxid, time, time, 0, 0, 0, ephemeralOwner, zxid)

    # ------------------------------------------------------------------ quotas

    def updateQuotaStat(self, lastPrefix: str, bytesDiff: int, countDiff: int) -> None:
        """Add the differences to the zookeeper_stats node of quota path ``lastPrefix``."""
        statNodePath = Quotas.statPath(lastPrefix)
        statNode = self.nodes.get(statNodePath)
        if statNode is None:
            LOG.error("Missing node for stat %s", statNodePath)
            return
        with statNode:
            updatedStat = StatsTrack(statNode.data)
            updatedStat.setCount(updatedStat.getCount() + countDiff)
            updatedStat.setBytes(updatedStat.getBytes() + bytesDiff)
            statNode.data = updatedStat.getStatsBytes()

    def getMaxPrefixWithQuota(self, path: str) -> str | None:
        """The longest quota path that is a prefix of ``path`` (never "/"), or None."""
        lastPrefix = self.pTrie.findMaxPrefix(path)
        if lastPrefix == rootZookeeper or not lastPrefix:
            return None
        return lastPrefix

    def _getCounts(self, path: str) -> tuple[int, int]:
        """Node count and data bytes of the subtree at ``path``."""
        count = 0
        total = 0
        stack = [path]
        while stack:
            p = stack.pop()
            node = self.nodes.get(p)
            if node is None:
                continue
            with node:
                children = list(node.getChildren())
                data = node.data
            count += 1
            total += 0 if data is None else len(data)
            prefix = p + "/"
            stack.extend(prefix + child for child in reversed(children))
        return count, total

    def updateQuotaForPath(self, path: str) -> None:
        """Recount the subtree of ``path`` into its zookeeper_stats node."""
        count, total = self._getCounts(path)
        strack = StatsTrack()
        strack.setBytes(total)
        strack.setCount(count)
        statPath = Quotas.statPath(path)
        node = self.getNode(statPath)
        if node is None:
            LOG.warning("Missing quota stat node %s", statPath)
            return
        with node:
            self.nodes.preChange(statPath, node)
            node.data = strack.getStatsBytes()
            self.nodes.postChange(statPath, node)

    def _traverseNode(self, path: str) -> None:
        """Register every zookeeper_limits leaf under ``path`` and recount its subtree."""
        endString = "/" + _LIMIT_NODE
        stack = [path]
        while stack:
            p = stack.pop()
            node = self.getNode(p)
            with node:
                children = list(node.getChildren())
            if not children:
                if p.endswith(endString):
                    realPath = p[len(quotaZookeeper):p.index(endString)]
                    self.updateQuotaForPath(realPath)
                    self.pTrie.addPath(realPath)
                continue
            prefix = p + "/"
            stack.extend(prefix + child for child in reversed(children))

    def _setupQuota(self) -> None:
        if self.getNode(quotaZookeeper) is None:
            return
        self._traverseNode(quotaZookeeper)

    # ------------------------------------------------------------------ changes

    def createNode(self, path: str, data: bytes | None, acl: list[ACL] | None, ephemeralOwner: int,
                   parentCVersion: int, zxid: int, time: int, outputStat: Stat | None = None) -> None:
        """Add a node; raises NoNodeException without a parent and NodeExistsException
        when the node exists (its ACL is then set to ``acl``, as when replaying
        a create over a fuzzy snapshot)."""
        lastSlash = path.rfind("/")
        if lastSlash < 0:
            raise IndexError(f"begin 0, end -1, length {len(path)}")
        parentName = path[:lastSlash]
        childName = path[lastSlash + 1:]
        stat = StatPersisted(zxid, zxid, time, time, 0, 0, 0, ephemeralOwner, zxid)
        nodes = self.nodes
        parent = nodes.get(parentName)
        if parent is None:
            raise _NoNodeException()
        with parent:
            parentAcl = self.aclCache.convertLong(parent.acl)
            # the ACL goes into the cache first, so a create replayed over a
            # fuzzy snapshot never leaves a node pointing at a missing ACL
            longval = self.aclCache.convertAcls(acl)
            existingChild = nodes.get(path)
            if existingChild is not None:
                existingChild.acl = longval
                raise _NodeExistsException()
            nodes.preChange(parentName, parent)
            parentStat = parent.stat
            if parentCVersion == -1:
                parentCVersion = _int32(parentStat.cversion + 1)
            # a replayed create of a node deleted within the fuzzy range must
            # not move cversion and pzxid backwards
            if parentCVersion > parentStat.cversion:
                parentStat.cversion = parentCVersion
                parentStat.pzxid = zxid
            child = DataNode(data, longval, stat)
            parent.addChild(childName)
            nodes.postChange(parentName, parent)
            self.nodeDataSize += getNodeSize(path, data)
            nodes.put(path, child)
            if ephemeralOwner != 0:
                ephemeralType = _get_ephemeral_type(ephemeralOwner)
                if ephemeralType is _CONTAINER:
                    self.containers.setdefault(path, True)
                elif ephemeralType is _TTL:
                    self.ttls.setdefault(path, True)
                else:
                    paths = self.ephemerals.get(ephemeralOwner)
                    if paths is None:
                        paths = self.ephemerals.setdefault(ephemeralOwner, JavaHashSet())
                    paths.add(path)
            if outputStat is not None:
                child.copyStat(outputStat)
        if parentName.startswith(quotaZookeeper):
            if childName == _LIMIT_NODE:
                self.pTrie.addPath(Quotas.trimQuotaPath(parentName))
            if childName == _STAT_NODE:
                self.updateQuotaForPath(Quotas.trimQuotaPath(parentName))
        lastPrefix = self.getMaxPrefixWithQuota(path)
        dataBytes = 0 if data is None else len(data)
        if lastPrefix is not None:
            self.updateQuotaStat(lastPrefix, dataBytes, 1)
        self.updateWriteStat(path, dataBytes)
        self.dataWatches.triggerWatch(path, _NODE_CREATED, acl)
        self.childWatches.triggerWatch(parentName if parentName else "/", _NODE_CHILDREN_CHANGED, parentAcl)

    def deleteNode(self, path: str, zxid: int) -> None:
        """Remove a node; raises NoNodeException when it (or its parent) is missing.
        The parent's pzxid moves forward even when the child is already gone."""
        lastSlash = path.rfind("/")
        if lastSlash < 0:
            raise IndexError(f"begin 0, end -1, length {len(path)}")
        parentName = path[:lastSlash]
        childName = path[lastSlash + 1:]
        nodes = self.nodes
        parent = nodes.get(parentName)
        if parent is None:
            raise _NoNodeException()
        with parent:
            nodes.preChange(parentName, parent)
            parent.removeChild(childName)
            # only forward: a higher pzxid may come from a replayed create
            if zxid > parent.stat.pzxid:
                parent.stat.pzxid = zxid
            nodes.postChange(parentName, parent)

        node = nodes.get(path)
        if node is None:
            raise _NoNodeException()
        nodes.remove(path)
        with node:
            acl = self.aclCache.convertLong(node.acl)
            self.aclCache.removeUsage(node.acl)
            self.nodeDataSize -= getNodeSize(path, node.data)

        with parent:
            parentAcl = self.aclCache.convertLong(parent.acl)
            eowner = node.stat.ephemeralOwner
            if eowner != 0:
                ephemeralType = _get_ephemeral_type(eowner)
                if ephemeralType is _CONTAINER:
                    self.containers.pop(path, None)
                elif ephemeralType is _TTL:
                    self.ttls.pop(path, None)
                else:
                    paths = self.ephemerals.get(eowner)
                    if paths is not None:
                        paths.discard(path)

        if childName == _LIMIT_NODE and parentName.startswith(procZookeeper):
            self.pTrie.deletePath(Quotas.trimQuotaPath(parentName))

        lastPrefix = self.getMaxPrefixWithQuota(path)
        if lastPrefix is not None:
            with node:
                data = node.data
            self.updateQuotaStat(lastPrefix, 0 if data is None else -len(data), -1)

        self.updateWriteStat(path, 0)
        processed = self.dataWatches.triggerWatch(path, _NODE_DELETED, acl)
        self.childWatches.triggerWatch(path, _NODE_DELETED, acl, processed)
        self.childWatches.triggerWatch(parentName if parentName else "/", _NODE_CHILDREN_CHANGED, parentAcl)

    def setData(self, path: str, data: bytes | None, version: int, zxid: int, time: int) -> Stat:
        """Replace a node's data; returns its new Stat."""
        s = Stat()
        n = self.nodes.get(path)
        if n is None:
            raise _missingNode(path)
        with n:
            acl = self.aclCache.convertLong(n.acl)
            lastdata = n.data
            self.nodes.preChange(path, n)
            n.data = data
            stat = n.stat
            stat.mtime = time
            stat.mzxid = zxid
            stat.version = version
            n.copyStat(s)
            self.nodes.postChange(path, n)
        lastPrefix = self.getMaxPrefixWithQuota(path)
        if lastPrefix is not None:
            bytesDiff = (0 if data is None else len(data)) - (0 if lastdata is None else len(lastdata))
            self.updateQuotaStat(lastPrefix, bytesDiff, 0)
        self.nodeDataSize += getNodeSize(path, data) - getNodeSize(path, lastdata)
        self.updateWriteStat(path, 0 if data is None else len(data))
        self.dataWatches.triggerWatch(path, _NODE_DATA_CHANGED, acl)
        return s

    def setACL(self, path: str, acl: list[ACL] | None, version: int) -> Stat:
        """Replace a node's ACL and set its aversion; returns its new Stat."""
        stat = Stat()
        n = self.nodes.get(path)
        if n is None:
            raise _missingNode(path)
        with n:
            self.aclCache.removeUsage(n.acl)
            self.nodes.preChange(path, n)
            n.stat.aversion = version
            n.acl = self.aclCache.convertAcls(acl)
            n.copyStat(stat)
            self.nodes.postChange(path, n)
            return stat

    def setCversionPzxid(self, path: str, newCversion: int, zxid: int) -> None:
        """Raise a node's cversion to ``newCversion`` (current + 1 when -1) and set
        its pzxid, only if that moves cversion forward."""
        if path.endswith("/"):
            path = path[:-1]
        node = self.nodes.get(path)
        if node is None:
            raise _NoNodeException(path)
        with node:
            if newCversion == -1:
                newCversion = _int32(node.stat.cversion + 1)
            if newCversion > node.stat.cversion:
                self.nodes.preChange(path, node)
                node.stat.cversion = newCversion
                node.stat.pzxid = zxid
                self.nodes.postChange(path, node)

    # ------------------------------------------------------------------ reads

    def getData(self, path: str, stat: Stat | None, watcher) -> bytes | None:
        """The node's data; fills ``stat`` and leaves a data watch when ``watcher`` is given."""
        n = self.nodes.get(path)
        if n is None:
            raise _missingNode(path)
        with n:
            n.copyStat(stat)
            if watcher is not None:
                self.dataWatches.addWatch(path, watcher)
            data = n.data
        self.updateReadStat(path, 0 if data is None else len(data))
        return data

    def statNode(self, path: str, watcher) -> Stat:
        """The node's Stat; the watch (exists) is left even when the node is missing."""
        stat = Stat()
        n = self.nodes.get(path)
        if n is None and path is None:
            raise _missingNode(path)
        if watcher is not None:
            self.dataWatches.addWatch(path, watcher)
        if n is None:
            raise _NoNodeException()
        n.copyStat(stat)
        self.updateReadStat(path, 0)
        return stat

    def getChildren(self, path: str, stat: Stat | None, watcher) -> list[str]:
        """The child names; fills ``stat`` if given and leaves a child watch."""
        n = self.nodes.get(path)
        if n is None:
            raise _missingNode(path)
        with n:
            if stat is not None:
                n.copyStat(stat)
            childSet = n.children
            children = [] if childSet is None else childSet.to_list()
            if watcher is not None:
                self.childWatches.addWatch(path, watcher)
        names = "".join(children)
        self.updateReadStat(path, len(names) if names.isascii() else _javaLength(names))
        return children

    def getAllChildrenNumber(self, path: str) -> int:
        """How many nodes lie below ``path`` (all levels)."""
        if path == "/":
            return self.nodes.size() - 2
        prefix = path + "/"
        return sum(1 for p, _ in self.nodes.entrySet() if p.startswith(prefix))

    def getACL(self, path, stat: Stat | None = None) -> list[ACL]:
        """``getACL(path, stat)``: a copy of the node's ACL (fills ``stat``);
        ``getACL(node)``: the cached ACL list of a DataNode."""
        if isinstance(path, DataNode):
            with path:
                return self.aclCache.convertLong(path.acl)
        n = self.nodes.get(path)
        if n is None:
            raise _missingNode(path)
        with n:
            if stat is not None:
                n.copyStat(stat)
            return list(self.aclCache.convertLong(n.acl))

    def updateReadStat(self, path: str, bytes_: int) -> None:
        namespace = PathUtils.getTopNamespace(path)
        if namespace is None:
            return
        totalBytes = _javaLength(path) + bytes_ + DataTree.STAT_OVERHEAD_BYTES
        ServerMetrics.getMetrics().READ_PER_NAMESPACE.add(namespace, totalBytes)

    def updateWriteStat(self, path: str, bytes_: int) -> None:
        namespace = PathUtils.getTopNamespace(path)
        if namespace is None:
            return
        ServerMetrics.getMetrics().WRITE_PER_NAMESPACE.add(namespace, _javaLength(path) + bytes_)

    def aclCacheSize(self) -> int:
        return self.aclCache.size()

    def getReferenceCountedAclCache(self) -> ReferenceCountedACLCache:
        return self.aclCache

    # ------------------------------------------------------------------ transactions

    def processTxn(self, header: TxnHeader, txn: Record | None, digest: TxnDigest | bool | None = None):
        """Apply one transaction; returns its ProcessTxnResult.

        ``processTxn(header, txn, digest)`` then compares the tree digest with
        the one logged with the txn; ``processTxn(header, txn, isSubTxn)`` is
        the form multi uses for its parts (it leaves lastProcessedZxid alone).
        """
        if digest is True or digest is False:
            return self._processTxn(header, txn, digest)
        result = self._processTxn(header, txn, False)
        self.compareDigest(header, txn, digest)
        return result

    def _processTxn(self, header: TxnHeader, txn: Record | None, isSubTxn: bool):
        rc = DataTree.ProcessTxnResult()
        try:
            rc.clientId = header.clientId
            rc.cxid = header.cxid
            rc.zxid = header.zxid
            rc.type = type_ = header.type
            rc.err = 0
            rc.multiResult = None
            if type_ == OpCode.create:
                rc.path = txn.path
                self.createNode(txn.path, txn.data, txn.acl, header.clientId if txn.ephemeral else 0,
                                txn.parentCVersion, header.zxid, header.time, None)
            elif type_ == OpCode.create2:
                rc.path = txn.path
                stat = Stat()
                self.createNode(txn.path, txn.data, txn.acl, header.clientId if txn.ephemeral else 0,
                                txn.parentCVersion, header.zxid, header.time, stat)
                rc.stat = stat
            elif type_ == OpCode.createTTL:
                rc.path = txn.path
                stat = Stat()
                self.createNode(txn.path, txn.data, txn.acl, _TTL.toEphemeralOwner(txn.ttl),
                                txn.parentCVersion, header.zxid, header.time, stat)
                rc.stat = stat
            elif type_ == OpCode.createContainer:
                rc.path = txn.path
                stat = Stat()
                self.createNode(txn.path, txn.data, txn.acl, CONTAINER_EPHEMERAL_OWNER,
                                txn.parentCVersion, header.zxid, header.time, stat)
                rc.stat = stat
            elif type_ == OpCode.delete or type_ == OpCode.deleteContainer:
                rc.path = txn.path
                self.deleteNode(txn.path, header.zxid)
            elif type_ == OpCode.reconfig or type_ == OpCode.setData:
                rc.path = txn.path
                rc.stat = self.setData(txn.path, txn.data, txn.version, header.zxid, header.time)
            elif type_ == OpCode.setACL:
                rc.path = txn.path
                rc.stat = self.setACL(txn.path, txn.acl, txn.version)
            elif type_ == OpCode.closeSession:
                sessionId = header.clientId
                if txn is not None:
                    self.killSession(sessionId, header.zxid, self.ephemerals.pop(sessionId, None),
                                     txn.paths2Delete)
                else:
                    self.killSession(sessionId, header.zxid)
            elif type_ == OpCode.error:
                rc.err = txn.err
            elif type_ == OpCode.check:
                rc.path = txn.path
            elif type_ == OpCode.multi:
                self._processMulti(header, txn, rc)
        except KeeperException as e:
            LOG.debug("Failed: %s:%s", header, txn, exc_info=True)
            rc.err = int(e.code())
        except (OSError, EOFError):
            LOG.debug("Failed: %s:%s", header, txn, exc_info=True)

        # A create replayed over a fuzzy snapshot can meet a node that was
        # deleted and re-created (by another session) after its parent was
        # written out; the parent's cversion and pzxid still need this txn's values.
        if header.type == OpCode.create and rc.err == Code.NODEEXISTS:
            LOG.debug("Adjusting parent cversion for Txn: %s path: %s err: %s", header.type, rc.path, rc.err)
            parentName = rc.path[:rc.path.rfind("/")]
            try:
                self.setCversionPzxid(parentName, txn.parentCVersion, header.zxid)
            except KeeperException.NoNodeException as e:
                LOG.error("Failed to set parent cversion for: %s", parentName, exc_info=True)
                rc.err = int(e.code())
        elif rc.err != Code.OK:
            LOG.debug("Ignoring processTxn failure hdr: %s : error: %s", header.type, rc.err)

        # Only whole transactions move lastProcessedZxid, and only after they
        # are applied: a snapshot started meanwhile then never claims a zxid
        # whose changes (or part of a multi) it may not contain.
        if not isSubTxn:
            if rc.zxid > self.lastProcessedZxid:
                self.lastProcessedZxid = rc.zxid
            if self.digestFromLoadedSnapshot is not None:
                self.compareSnapshotDigests(rc.zxid)
            else:
                self.logZxidDigest(rc.zxid, self.getTreeDigest())
        return rc

    def _processMulti(self, header: TxnHeader, multiTxn, rc) -> None:
        txns = multiTxn.txns
        rc.multiResult = []
        failed = any(subtxn.type == OpCode.error for subtxn in txns)
        post_failed = False
        for subtxn in txns:
            recordClass = _SUB_TXN_RECORDS.get(subtxn.type)
            if recordClass is None:
                raise IOError("Invalid type of op: " + str(subtxn.type))
            if subtxn.type == OpCode.error:
                post_failed = True
            record = recordClass()
            record.deserialize(BinaryInputArchive(subtxn.data), "request")
            if failed and subtxn.type != OpCode.error:
                ec = Code.RUNTIMEINCONSISTENCY if post_failed else Code.OK
                subtxn.type = OpCode.error
                record = ErrorTxn(int(ec))
            subHdr = TxnHeader(header.clientId, header.cxid, header.zxid, header.time, subtxn.type)
            subRc = self._processTxn(subHdr, record, True)
            rc.multiResult.append(subRc)
            if subRc.err != 0 and rc.err == 0:
                rc.err = subRc.err

    _MISSING = object()

    def killSession(self, session: int, zxid: int, paths2DeleteLocal=_MISSING,
                    paths2DeleteInTxn: list[str] | None = None) -> None:
        """Delete a closed session's ephemeral nodes.

        With two arguments the paths come from (and are removed from) the
        ephemerals map; closeSession passes the map's set it removed and the
        paths listed in the CloseSessionTxn, which are deleted first.
        """
        if paths2DeleteLocal is DataTree._MISSING:
            paths2DeleteLocal = self.ephemerals.pop(session, None)
            paths2DeleteInTxn = None
        if paths2DeleteInTxn is not None:
            self.deleteNodes(session, zxid, paths2DeleteInTxn)
        if paths2DeleteLocal is None:
            return
        if paths2DeleteInTxn is not None:
            for path in paths2DeleteInTxn:
                paths2DeleteLocal.discard(path)
            if paths2DeleteLocal:
                LOG.warning("Unexpected extra paths under session %s which are not in txn 0x%s",
                            _javaSet(paths2DeleteLocal), _hex(zxid))
        self.deleteNodes(session, zxid, paths2DeleteLocal)

    def deleteNodes(self, session: int, zxid: int, paths2Delete) -> None:
        sessionHex = "0x" + _hex(session)
        for path in list(paths2Delete):
            try:
                self.deleteNode(path, zxid)
                LOG.debug("Deleting ephemeral node %s for session %s", path, sessionHex)
            except KeeperException.NoNodeException:
                LOG.warning("Ignoring NoNodeException for path %s while removing ephemeral for dead session %s",
                            path, sessionHex)

    # ------------------------------------------------------------------ snapshots

    def serializeNode(self, oa, path: str) -> None:
        """Write the subtree at ``path`` in pre-order (a node before its children)."""
        nodes = self.nodes
        binary = isinstance(oa, BinaryOutputArchive)
        if binary:
            writeString = oa.writeString
            writeBuffer = oa.writeBuffer
            writeFixed = oa.writeFixed
        stack = [path]
        pop = stack.pop
        extend = stack.extend
        while stack:
            pathString = pop()
            node = nodes.get(pathString)
            if node is None:
                continue
            with node:
                s = node.stat
                values = (node.acl, s.czxid, s.mzxid, s.ctime, s.mtime, s.version, s.cversion, s.aversion,
                          s.ephemeralOwner, s.pzxid)
                data = node.data
                children = node.children
                children = children.to_list() if children else None
            if binary:
                writeString(pathString, "path")
                writeBuffer(data, "data")
                writeFixed(_ACL_AND_STAT, values, ())
            else:
                self.serializeNodeData(oa, pathString, DataNode(data, values[0], StatPersisted(*values[1:])))
            if children:
                prefix = pathString + "/"
                children.reverse()
                extend([prefix + child for child in children])

    def serializeNodeData(self, oa, path: str, node: DataNode) -> None:
        oa.writeString(path, "path")
        oa.writeRecord(node, "node")

    def serializeAcls(self, oa) -> None:
        self.aclCache.serialize(oa)

    def serializeNodes(self, oa) -> None:
        self.serializeNode(oa, "")
        # "/" ends the node list (unless the tree was cleared meanwhile)
        if self.root is not None:
            oa.writeString("/", "path")

    def serialize(self, oa, tag: str) -> None:
        self.serializeAcls(oa)
        self.serializeNodes(oa)

    def deserialize(self, ia, tag: str) -> None:
        """Load the ACL cache and the nodes of a snapshot into this (fresh) tree."""
        aclCache = self.aclCache
        aclCache.deserialize(ia)
        nodes = self.nodes
        nodes.clear()
        self.pTrie.clear()
        self.nodeDataSize = 0
        # millions of long-lived nodes: the cyclic collector would rescan them
        # over and over while they are created, and none of them is garbage
        gcWasEnabled = gc.isenabled()
        gc.disable()
        try:
            dataSize = self._deserializeNodes(ia, aclCache, nodes)
        finally:
            if gcWasEnabled:
                gc.enable()
        # the root's digest was counted under ""; "/" is only an alias
        nodes.putWithoutDigest("/", self.root)
        # approximateDataSize(), summed while loading
        self.nodeDataSize = dataSize + getNodeSize("/", self.root.data)
        self._setupQuota()
        aclCache.purgeUnused()

    def _deserializeNodes(self, ia, aclCache: ReferenceCountedACLCache, nodes: NodeHashMapImpl) -> int:
        """Read nodes up to the "/" terminator; returns the sum of their node sizes."""
        readString = ia.readString
        readBuffer = ia.readBuffer
        readFixed = ia.readFixed
        put = nodes.put
        get = nodes.get
        addUsage = aclCache.addUsage
        ephemerals = self.ephemerals
        digestEnabled = self.digestCalculator.digestEnabled
        crc32 = zlib.crc32
        packDigestStat = _DIGEST_STAT.pack
        dataSize = 0
        path = readString("path")
        while path != "/":
            if path is None:
                raise IOError("Invalid Datatree, null path")
            data = readBuffer("data")
            acl, czxid, mzxid, ctime, mtime, version, cversion, aversion, eowner, pzxid = readFixed(_ACL_AND_STAT)
            # most nodes were never changed: let equal fields share one int object
            if mzxid == czxid:
                mzxid = czxid
            if pzxid == czxid:
                pzxid = czxid
            if mtime == ctime:
                mtime = ctime
            node = DataNode(data, acl, StatPersisted(czxid, mzxid, ctime, mtime, version, cversion, aversion,
                                                     eowner, pzxid))
            if digestEnabled and not path.startswith(ZOOKEEPER_NODE_SUBTREE):
                # the node digest (DigestCalculator), computed here from the fields at hand
                packed = packDigestStat(czxid, mzxid, pzxid, ctime, mtime, version, cversion, aversion, eowner)
                head = path.encode("utf-8", "replace")
                node.digest = crc32(head + packed if data is None else head + data + packed)
                node.digestCached = True
            put(path, node)
            dataSize += (len(path) if path.isascii() else _javaLength(path)) + (0 if data is None else len(data))
            if acl != -1:
                addUsage(acl)
            lastSlash = path.rfind("/")
            if lastSlash == -1:
                self.root = node
            else:
                parentPath = path[:lastSlash]
                parent = get(parentPath)
                if parent is None:
                    raise IOError("Invalid Datatree, unable to find parent " + parentPath + " of path " + path)
                siblings = parent.children
                if siblings is None:
                    siblings = parent.children = new_child_set()
                siblings.add(path[lastSlash + 1:])
                if eowner != 0:
                    ephemeralType = _get_ephemeral_type(eowner)
                    if ephemeralType is _CONTAINER:
                        self.containers.setdefault(path, True)
                    elif ephemeralType is _TTL:
                        self.ttls.setdefault(path, True)
                    else:
                        paths = ephemerals.get(eowner)
                        if paths is None:
                            paths = ephemerals[eowner] = JavaHashSet()
                        paths.add(path)
            path = readString("path")
        return dataSize

    # ------------------------------------------------------------------ watches

    def addWatch(self, basePath: str, watcher, mode: int) -> None:
        """A persistent or persistent-recursive watch (``ZooDefs.AddWatchModes``)."""
        watcherMode = WatcherMode.fromZooDef(mode)
        self.dataWatches.addWatch(basePath, watcher, watcherMode)
        self.childWatches.addWatch(basePath, watcher, watcherMode)

    def dumpWatchesSummary(self, pwriter) -> None:
        with self._lock:
            pwriter.write(self.dataWatches.toString())

    def dumpWatches(self, pwriter, byPath: bool) -> None:
        """Text dump of the data watches (expensive)."""
        with self._lock:
            self.dataWatches.dumpWatches(pwriter, byPath)

    def getWatches(self):
        with self._lock:
            return self.dataWatches.getWatches()

    def getWatchesByPath(self):
        with self._lock:
            return self.dataWatches.getWatchesByPath()

    def getWatchesSummary(self):
        with self._lock:
            return self.dataWatches.getWatchesSummary()

    def dumpEphemerals(self, pwriter) -> None:
        ephemerals = self.ephemerals.items()
        pwriter.write("Sessions with Ephemerals (" + str(len(ephemerals)) + "):\n")
        for owner, paths in ephemerals:
            pwriter.write("0x" + _hex(owner))
            pwriter.write(":\n")
            for path in list(paths):
                pwriter.write("\t" + path + "\n")

    def shutdownWatcher(self) -> None:
        self.dataWatches.shutdown()
        self.childWatches.shutdown()

    def removeCnxn(self, watcher) -> None:
        """Drop every watch of a closed connection."""
        self.dataWatches.removeWatcher(watcher)
        self.childWatches.removeWatcher(watcher)

    def setWatches(self, relativeZxid: int, dataWatches: list[str], existWatches: list[str],
                   childWatches: list[str], persistentWatches: list[str], persistentRecursiveWatches: list[str],
                   watcher) -> None:
        """Re-register a reconnecting client's watches; those whose event the
        client missed (changes after ``relativeZxid``) fire at once instead."""
        for path in dataWatches:
            node = self.getNode(path)
            if node is None:
                watcher.process(WatchedEvent(_NODE_DELETED, KeeperState.SyncConnected, path))
            elif node.stat.mzxid > relativeZxid:
                watcher.process(WatchedEvent(_NODE_DATA_CHANGED, KeeperState.SyncConnected, path))
            else:
                self.dataWatches.addWatch(path, watcher)
        for path in existWatches:
            node = self.getNode(path)
            if node is not None:
                watcher.process(WatchedEvent(_NODE_CREATED, KeeperState.SyncConnected, path))
            else:
                self.dataWatches.addWatch(path, watcher)
        for path in childWatches:
            node = self.getNode(path)
            if node is None:
                watcher.process(WatchedEvent(_NODE_DELETED, KeeperState.SyncConnected, path))
            elif node.stat.pzxid > relativeZxid:
                watcher.process(WatchedEvent(_NODE_CHILDREN_CHANGED, KeeperState.SyncConnected, path))
            else:
                self.childWatches.addWatch(path, watcher)
        for path in persistentWatches:
            self.childWatches.addWatch(path, watcher, WatcherMode.PERSISTENT)
            self.dataWatches.addWatch(path, watcher, WatcherMode.PERSISTENT)
        for path in persistentRecursiveWatches:
            self.childWatches.addWatch(path, watcher, WatcherMode.PERSISTENT_RECURSIVE)
            self.dataWatches.addWatch(path, watcher, WatcherMode.PERSISTENT_RECURSIVE)

    def containsWatcher(self, path: str, type: WatcherType, watcher) -> bool:
        if type == WatcherType.Children:
            return self.childWatches.containsWatcher(path, watcher)
        if type == WatcherType.Data:
            return self.dataWatches.containsWatcher(path, watcher)
        if type == WatcherType.Any:
            inChild = self.childWatches.containsWatcher(path, watcher)
            inData = self.dataWatches.containsWatcher(path, watcher)
            return inChild or inData
        return False

    def removeWatch(self, path: str, type: WatcherType, watcher) -> bool:
        if type == WatcherType.Children:
            return self.childWatches.removeWatcher(path, watcher)
        if type == WatcherType.Data:
            return self.dataWatches.removeWatcher(path, watcher)
        if type == WatcherType.Any:
            removedChild = self.childWatches.removeWatcher(path, watcher)
            removedData = self.dataWatches.removeWatcher(path, watcher)
            return removedChild or removedData
        return False

    # ------------------------------------------------------------------ digests

    def logZxidDigest(self, zxid: int, digest: int) -> None:
        """Remember the digest after ``zxid``; every 128th zxid goes to the digest log."""
        zxidDigest = DataTree.ZxidDigest(zxid, self.digestCalculator.getDigestVersion(), digest)
        self.lastProcessedZxidDigest = zxidDigest
        if zxid % DataTree.DIGEST_LOG_INTERVAL == 0:
            with self._digestLogLock:
                self.digestLog.append(zxidDigest)
                if len(self.digestLog) > DataTree.DIGEST_LOG_LIMIT:
                    self.digestLog.popleft()

    def serializeZxidDigest(self, oa) -> bool:
        """Write the last (zxid, digest) after the nodes of a snapshot; False when digests are off."""
        if not isDigestEnabled():
            return False
        zxidDigest = self.lastProcessedZxidDigest
        if zxidDigest is None:
            zxidDigest = DataTree.ZxidDigest()
        zxidDigest.serialize(oa)
        return True

    def deserializeZxidDigest(self, ia, startZxidOfSnapshot: int) -> bool:
        """Read a snapshot's (zxid, digest), to be checked when replay reaches that zxid."""
        if not isDigestEnabled():
            return False
        try:
            zxidDigest = DataTree.ZxidDigest()
            zxidDigest.deserialize(ia)
            if zxidDigest.zxid > 0:
                self.digestFromLoadedSnapshot = zxidDigest
                LOG.info("The digest in the snapshot has digest version of %s, with zxid as 0x%s, and digest value as %s",
                         zxidDigest.digestVersion, _hex(zxidDigest.zxid), zxidDigest.digest)
            else:
                self.digestFromLoadedSnapshot = None
                LOG.info("The digest value is empty in snapshot")
            # a new leader may snapshot at <new epoch, 0> with the digest of the
            # previous epoch's last txn; that snapshot is not fuzzy, so there is
            # nothing to wait for
            loaded = self.digestFromLoadedSnapshot
            if loaded is not None and loaded.zxid < startZxidOfSnapshot:
                LOG.info("The zxid of snapshot digest 0x%s is smaller than the known snapshot highest zxid, the "
                         "snapshot started with zxid 0x%s. It will be invalid to use this snapshot digest "
                         "associated with this zxid, will ignore comparing it.",
                         _hex(loaded.zxid), _hex(startZxidOfSnapshot))
                self.digestFromLoadedSnapshot = None
            return True
        except EOFError:
            LOG.warning("Got EOF exception while reading the digest, likely due to the reading an older snapshot.")
            return False

    def compareSnapshotDigests(self, zxid: int) -> None:
        """At the snapshot's digest zxid, compare the tree with the snapshot digest."""
        loaded = self.digestFromLoadedSnapshot
        if zxid == loaded.zxid:
            if self.digestCalculator.getDigestVersion() != loaded.digestVersion:
                LOG.info("Digest version changed, local: %s, new: %s, skip comparing digest now.",
                         loaded.digestVersion, self.digestCalculator.getDigestVersion())
                self.digestFromLoadedSnapshot = None
                return
            if self.getTreeDigest() != loaded.getDigest():
                self.reportDigestMismatch(zxid)
            self.digestFromLoadedSnapshot = None
        elif loaded.zxid != 0 and zxid > loaded.zxid:
            self.RATE_LOGGER.rateLimitLog("The txn 0x{} of snapshot digest does not exist.", _hex(loaded.zxid))

    def compareDigest(self, header: TxnHeader, txn: Record | None, digest: TxnDigest | None) -> bool:
        """Compare the tree digest with the one logged with a txn; False on a mismatch."""
        zxid = header.zxid
        if digest is None or not isDigestEnabled():
            return True
        if self.digestFromLoadedSnapshot is not None:
            return True
        if self.digestCalculator.getDigestVersion() != digest.version:
            self.RATE_LOGGER.rateLimitLog("Digest version not the same on zxid.", str(zxid))
            return True
        logDigest = digest.treeDigest
        actualDigest = self.getTreeDigest()
        if logDigest != actualDigest:
            self.reportDigestMismatch(zxid)
            LOG.debug("Digest in log: %s, actual tree: %s", logDigest, actualDigest)
            if self.firstMismatchTxn:
                LOG.error("First digest mismatch on txn: %s, %s, expected digest is %s, actual digest is %s, ",
                          header, txn, digest, actualDigest)
                self.firstMismatchTxn = False
            return False
        self.RATE_LOGGER.flush()
        if LOG.isEnabledFor(logging.DEBUG):
            LOG.debug("Digests are matching for Zxid: %s, Digest in log and actual tree: %s", _hex(zxid), logDigest)
        return True

    def reportDigestMismatch(self, zxid: int) -> None:
        ServerMetrics.getMetrics().DIGEST_MISMATCHES_COUNT.add(1)
        self.RATE_LOGGER.rateLimitLog("Digests are not matching. Value is Zxid.", str(zxid))
        for watcher in self.digestWatchers:
            watcher.process(zxid)

    def getTreeDigest(self) -> int:
        return self.nodes.getDigest()

    def getLastProcessedZxidDigest(self):
        return self.lastProcessedZxidDigest

    def getDigestFromLoadedSnapshot(self):
        return self.digestFromLoadedSnapshot

    def addDigestWatcher(self, digestWatcher) -> None:
        """``digestWatcher.process(zxid)`` is called on every digest mismatch."""
        self.digestWatchers.append(digestWatcher)

    def getDigestLog(self) -> list:
        with self._digestLogLock:
            return list(self.digestLog)
