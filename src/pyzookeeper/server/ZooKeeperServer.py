"""Mirrors org.apache.zookeeper.server.ZooKeeperServer: the standalone server,
and the base of the quorum servers. It owns the database, the session tracker,
the request processor chain and the throttler, and turns client frames into
requests.

Deliberate differences: no JMX beans and no JVM pause monitor; request bodies
are ``bytes``.
"""

from __future__ import annotations

import logging
import os
import struct
import threading
from collections import deque

from pyzookeeper import system_properties
from pyzookeeper.common import PathUtils, Time
from pyzookeeper.data.Id import Id
from pyzookeeper.data.StatPersisted import StatPersisted
from pyzookeeper.jute.BinaryInputArchive import BinaryInputArchive
from pyzookeeper.jute.BinaryOutputArchive import BinaryOutputArchive
from pyzookeeper.KeeperException import Code, KeeperException
from pyzookeeper.proto.AuthPacket import AuthPacket
from pyzookeeper.proto.ConnectRequest import ConnectRequest
from pyzookeeper.proto.ConnectResponse import ConnectResponse
from pyzookeeper.proto.GetSASLRequest import GetSASLRequest
from pyzookeeper.proto.ReplyHeader import ReplyHeader
from pyzookeeper.proto.RequestHeader import RequestHeader
from pyzookeeper.proto.SetSASLResponse import SetSASLResponse
from pyzookeeper.Quotas import Quotas
from pyzookeeper.server.AuthenticationHelper import AuthenticationHelper
from pyzookeeper.server.auth.ProviderRegistry import ProviderRegistry
from pyzookeeper.server.auth.ServerAuthenticationProvider import ServerAuthenticationProvider
from pyzookeeper.server.BlueThrottle import BlueThrottle
from pyzookeeper.server.ClientCnxnLimitException import ClientCnxnLimitException
from pyzookeeper.server.DataTree import DataTree
from pyzookeeper.server.ExitCode import ExitCode
from pyzookeeper.server.FinalRequestProcessor import FinalRequestProcessor
from pyzookeeper.server.PrepRequestProcessor import PrepRequestProcessor
from pyzookeeper.server.RateLogger import RateLogger
from pyzookeeper.server.Request import Request
from pyzookeeper.server.RequestProcessor import RequestProcessorException
from pyzookeeper.server.RequestThrottler import RequestThrottler
from pyzookeeper.server.ResponseCache import ResponseCache
from pyzookeeper.server.ServerCnxn import ServerCnxn
from pyzookeeper.server.ServerMetrics import ServerMetrics
from pyzookeeper.server.ServerStats import ServerStats
from pyzookeeper.server.SessionTracker import SessionExpirer
from pyzookeeper.server.SessionTrackerImpl import SessionTrackerImpl
from pyzookeeper.server.SyncRequestProcessor import SyncRequestProcessor
from pyzookeeper.server.UnimplementedRequestProcessor import UnimplementedRequestProcessor
from pyzookeeper.server.util import OSMXBean, QuotaMetricsUtils
from pyzookeeper.server.ZKDatabase import ZKDatabase
from pyzookeeper.server.ZooKeeperServerListenerImpl import ZooKeeperServerListenerImpl
from pyzookeeper.StatsTrack import StatsTrack
from pyzookeeper.ZooDefs import OpCode, Perms

LOG = logging.getLogger(__name__)

GLOBAL_OUTSTANDING_LIMIT = "zookeeper.globalOutstandingLimit"
ENABLE_EAGER_ACL_CHECK = "zookeeper.enableEagerACLCheck"
SKIP_ACL = "zookeeper.skipACL"
ENFORCE_QUOTA = "zookeeper.enforceQuota"
SASL_SUPER_USER = "zookeeper.superUser"
ALLOW_SASL_FAILED_CLIENTS = "zookeeper.allowSaslFailedClients"
ZOOKEEPER_DIGEST_ENABLED = "zookeeper.digest.enabled"
CLOSE_SESSION_TXN_ENABLED = "zookeeper.closeSessionTxn.enabled"
FLUSH_DELAY = "zookeeper.flushDelay"
MAX_WRITE_QUEUE_POLL_SIZE = "zookeeper.maxWriteQueuePollTime"
MAX_BATCH_SIZE = "zookeeper.maxBatchSize"
INT_BUFFER_STARTING_SIZE_BYTES = "zookeeper.intBufferStartingSizeBytes"
GET_DATA_RESPONSE_CACHE_SIZE = "zookeeper.maxResponseCacheSize"
GET_CHILDREN_RESPONSE_CACHE_SIZE = "zookeeper.maxGetChildrenResponseCacheSize"
SNAP_COUNT = "zookeeper.snapCount"

DEFAULT_TICK_TIME = 3000
DEFAULT_SNAP_COUNT = 100000
DEFAULT_GLOBAL_OUTSTANDING_LIMIT = 1000
DEFAULT_STARTING_BUFFER_SIZE = 1024
superSecret = 0xB3415C00

_INT = struct.Struct(">i")
_REQUEST_HEADER = struct.Struct(">ii")
_MASK48 = (1 << 48) - 1


def _hex(value: int) -> str:
    return format(value & 0xFFFFFFFFFFFFFFFF, "x")


def _java_random_bytes(seed: int, n: int) -> bytes:
    """``new java.util.Random(seed).nextBytes(new byte[n])``, bit for bit."""
    state = (seed ^ 0x5DEECE66D) & _MASK48
    out = bytearray()
    while len(out) < n:
        state = (state * 0x5DEECE66D + 0xB) & _MASK48
        rnd = state >> 16
        for _ in range(min(n - len(out), 4)):
            out.append(rnd & 0xFF)
            rnd >>= 8
    return bytes(out)


class State:
    INITIAL = "INITIAL"
    RUNNING = "RUNNING"
    SHUTDOWN = "SHUTDOWN"
    ERROR = "ERROR"


class PrecalculatedDigest:
    __slots__ = ("nodeDigest", "treeDigest")

    def __init__(self, nodeDigest: int, treeDigest: int) -> None:
        self.nodeDigest = nodeDigest
        self.treeDigest = treeDigest


class ChangeRecord:
    """A pending change to a node, visible to later requests before it is applied."""

    __slots__ = ("zxid", "path", "stat", "childCount", "acl", "precalculatedDigest", "data")

    def __init__(self, zxid: int, path: str, stat: StatPersisted | None, childCount: int, acl) -> None:
        self.zxid = zxid
        self.path = path
        self.stat = stat
        self.childCount = childCount
        self.acl = acl
        self.precalculatedDigest = None
        self.data = None

    def duplicate(self, zxid: int) -> "ChangeRecord":
        stat = StatPersisted()
        if self.stat is not None:
            DataTree.copyStatPersisted(self.stat, stat)
        changeRecord = ChangeRecord(zxid, self.path, stat, self.childCount,
                                    [] if self.acl is None else list(self.acl))
        changeRecord.precalculatedDigest = self.precalculatedDigest
        changeRecord.data = self.data
        return changeRecord


class MissingSessionException(IOError):
    """ZooKeeperServer.MissingSessionException."""


class ZooKeeperServer(SessionExpirer, ServerStats.Provider):
    State = State
    ChangeRecord = ChangeRecord
    PrecalculatedDigest = PrecalculatedDigest
    MissingSessionException = MissingSessionException

    # Java's static initializer runs when the class is first used; here at the
    # first construction, after the configuration has set its properties.
    _staticsLoaded = False
    enableEagerACLCheck = False
    skipACL = False
    enforceQuota = False
    digestEnabled = True
    closeSessionTxnEnabled = True
    throttledOpWaitTime = 0
    flushDelay = 0
    maxWriteQueuePollTime = 0
    maxBatchSize = 1000
    intBufferStartingSizeBytes = DEFAULT_STARTING_BUFFER_SIZE
    RATE_LOGGER = RateLogger(LOG)

    @classmethod
    def _staticInit(cls) -> None:
        if cls._staticsLoaded:
            return
        cls._staticsLoaded = True
        from pyzookeeper import Environment, ZookeeperBanner

        ZookeeperBanner.printBanner(LOG)
        Environment.logEnv("Server environment:", LOG)
        cls.enableEagerACLCheck = system_properties.getBoolean(ENABLE_EAGER_ACL_CHECK)
        LOG.info("%s = %s", ENABLE_EAGER_ACL_CHECK, _jbool(cls.enableEagerACLCheck))
        cls.skipACL = system_properties.getProperty(SKIP_ACL, "no") == "yes"
        if cls.skipACL:
            LOG.info('%s=="yes", ACL checks will be skipped', SKIP_ACL)
        cls.enforceQuota = system_properties.getProperty(ENFORCE_QUOTA, "false").lower() == "true"
        if cls.enforceQuota:
            LOG.info("%s = %s, Quota Enforce enables", ENFORCE_QUOTA, "true")
        cls.digestEnabled = system_properties.getProperty(ZOOKEEPER_DIGEST_ENABLED, "true").lower() == "true"
        LOG.info("%s = %s", ZOOKEEPER_DIGEST_ENABLED, _jbool(cls.digestEnabled))
        cls.closeSessionTxnEnabled = system_properties.getProperty(
            CLOSE_SESSION_TXN_ENABLED, "true").lower() == "true"
        LOG.info("%s = %s", CLOSE_SESSION_TXN_ENABLED, _jbool(cls.closeSessionTxnEnabled))
        cls.throttledOpWaitTime = system_properties.getInteger("zookeeper.throttled_op_wait_time", 0)
        configuredFlushDelay = system_properties.getLong(FLUSH_DELAY, 0)
        cls.setFlushDelay(configuredFlushDelay)
        cls.setMaxWriteQueuePollTime(system_properties.getLong(MAX_WRITE_QUEUE_POLL_SIZE, configuredFlushDelay // 3))
        cls.setMaxBatchSize(system_properties.getInteger(MAX_BATCH_SIZE, 1000))
        cls.intBufferStartingSizeBytes = system_properties.getInteger(
            INT_BUFFER_STARTING_SIZE_BYTES, DEFAULT_STARTING_BUFFER_SIZE)
        if cls.intBufferStartingSizeBytes < 32:
            msg = (f"Buffer starting size ({cls.intBufferStartingSizeBytes}) must be greater than or equal to 32. "
                   'Configure with "-Dzookeeper.intBufferStartingSizeBytes=<size>" ')
            LOG.error(msg)
            raise ValueError(msg)
        LOG.info("%s = %s", INT_BUFFER_STARTING_SIZE_BYTES, cls.intBufferStartingSizeBytes)

    def __init__(self, txnLogFactory=None, tickTime: int = DEFAULT_TICK_TIME, minSessionTimeout: int = -1,
                 maxSessionTimeout: int = -1, clientPortListenBacklog: int = -1, zkDb: ZKDatabase | None = None,
                 initialConfig: str = "", reconfigEnabled: bool | None = None) -> None:
        ZooKeeperServer._staticInit()
        self._lock = threading.RLock()
        self._stateChanged = threading.Condition(self._lock)
        self.serverStats_ = ServerStats(self)
        self.listener = ZooKeeperServerListenerImpl(self)
        self.authHelper = AuthenticationHelper()
        self.connThrottle_ = BlueThrottle()
        self.txnLogFactory = txnLogFactory
        self.tickTime = tickTime
        self.minSessionTimeout = -1
        self.maxSessionTimeout = -1
        self.listenBacklog = clientPortListenBacklog
        self.sessionTracker = None
        self.zkDb = zkDb
        self.hzxid = 0
        self._hzxidLock = threading.Lock()
        self.firstProcessor = None
        self.state = State.INITIAL
        self.isResponseCachingEnabled_ = True
        self.initialConfig = initialConfig
        if reconfigEnabled is None:
            from pyzookeeper.server.quorum.QuorumPeerConfig import QuorumPeerConfig

            reconfigEnabled = QuorumPeerConfig.isReconfigEnabled()
        self.reconfigEnabled = reconfigEnabled
        self.localSessionEnabled = False
        self.requestsInProcess = 0
        self._inProcessLock = threading.Lock()
        self.outstandingChanges: deque[ChangeRecord] = deque()
        self.outstandingChangesForPath: dict[str, ChangeRecord] = {}
        self.outstandingChangesLock = threading.RLock()
        self.serverCnxnFactory = None
        self.secureServerCnxnFactory = None
        self.zkShutdownHandler = None
        self.createSessionTrackerServerId = 1
        self.requestThrottler = None
        self.largeRequestMaxBytes = 100 * 1024 * 1024
        self.largeRequestThreshold = -1
        self.currentLargeRequestBytes = 0
        self._largeRequestLock = threading.Lock()
        self.readResponseCache = None
        self.getChildrenResponseCache = None
        if txnLogFactory is None:
            return
        if self.zkDb is None:
            self.zkDb = ZKDatabase(txnLogFactory)
        txnLogFactory.setServerStats(self.serverStats_)
        self.setMinSessionTimeout(minSessionTimeout)
        self.setMaxSessionTimeout(maxSessionTimeout)
        self.readResponseCache = ResponseCache(system_properties.getInteger(
            GET_DATA_RESPONSE_CACHE_SIZE, ResponseCache.DEFAULT_RESPONSE_CACHE_SIZE), "getData")
        self.getChildrenResponseCache = ResponseCache(system_properties.getInteger(
            GET_CHILDREN_RESPONSE_CACHE_SIZE, ResponseCache.DEFAULT_RESPONSE_CACHE_SIZE), "getChildren")
        self.initLargeRequestThrottlingSettings()
        LOG.info("Created server with tickTime %s ms minSessionTimeout %s ms maxSessionTimeout %s ms"
                 " clientPortListenBacklog %s datadir %s snapdir %s", tickTime, self.getMinSessionTimeout(),
                 self.getMaxSessionTimeout(), self.getClientPortListenBacklog(),
                 txnLogFactory.getDataLogDir(), txnLogFactory.getSnapDir())

    # -- static settings ---------------------------------------------------------

    @staticmethod
    def isEnableEagerACLCheck() -> bool:
        return ZooKeeperServer.enableEagerACLCheck

    @staticmethod
    def setEnableEagerACLCheck(enabled: bool) -> None:
        ZooKeeperServer.enableEagerACLCheck = enabled
        LOG.info("Update %s to %s", ENABLE_EAGER_ACL_CHECK, _jbool(enabled))

    @staticmethod
    def isCloseSessionTxnEnabled() -> bool:
        return ZooKeeperServer.closeSessionTxnEnabled

    @staticmethod
    def setCloseSessionTxnEnabled(enabled: bool) -> None:
        ZooKeeperServer.closeSessionTxnEnabled = enabled
        LOG.info("Update %s to %s", CLOSE_SESSION_TXN_ENABLED, _jbool(enabled))

    @staticmethod
    def isDigestEnabled() -> bool:
        return ZooKeeperServer.digestEnabled

    @staticmethod
    def setDigestEnabled(digestEnabled: bool) -> None:
        LOG.info("%s = %s", ZOOKEEPER_DIGEST_ENABLED, _jbool(digestEnabled))
        ZooKeeperServer.digestEnabled = digestEnabled

    @staticmethod
    def getThrottledOpWaitTime() -> int:
        return ZooKeeperServer.throttledOpWaitTime

    @staticmethod
    def setThrottledOpWaitTime(time: int) -> None:
        LOG.info("throttledOpWaitTime set to %s ms", time)
        ZooKeeperServer.throttledOpWaitTime = time

    def getFlushDelay(self) -> int:
        return ZooKeeperServer.flushDelay

    @staticmethod
    def setFlushDelay(delay: int) -> None:
        LOG.info("%s = %s ms", FLUSH_DELAY, delay)
        ZooKeeperServer.flushDelay = delay

    def getMaxWriteQueuePollTime(self) -> int:
        return ZooKeeperServer.maxWriteQueuePollTime

    @staticmethod
    def setMaxWriteQueuePollTime(maxTime: int) -> None:
        LOG.info("%s = %s ms", MAX_WRITE_QUEUE_POLL_SIZE, maxTime)
        ZooKeeperServer.maxWriteQueuePollTime = maxTime

    def getMaxBatchSize(self) -> int:
        return ZooKeeperServer.maxBatchSize

    @staticmethod
    def setMaxBatchSize(size: int) -> None:
        LOG.info("%s=%s", MAX_BATCH_SIZE, size)
        ZooKeeperServer.maxBatchSize = size

    @staticmethod
    def getSnapCount() -> int:
        snapCount = system_properties.getInteger(SNAP_COUNT, DEFAULT_SNAP_COUNT)
        if snapCount < 2:
            LOG.warning("SnapCount should be 2 or more. Now, snapCount is reset to 2")
            snapCount = 2
        return snapCount

    @staticmethod
    def getSnapSizeInBytes() -> int:
        size = system_properties.getLong("zookeeper.snapSizeLimitInKb", 4194304)
        if size <= 0:
            LOG.info("zookeeper.snapSizeLimitInKb set to a non-positive value %s; disabling feature", size)
        return size * 1024

    def getGlobalOutstandingLimit(self) -> int:
        return system_properties.getInteger(GLOBAL_OUTSTANDING_LIMIT, DEFAULT_GLOBAL_OUTSTANDING_LIMIT)

    # -- accessors -----------------------------------------------------------------

    def removeCnxn(self, cnxn) -> None:
        self.zkDb.removeCnxn(cnxn)

    def getInitialConfig(self) -> str:
        return self.initialConfig

    def serverStats(self) -> ServerStats:
        return self.serverStats_

    def connThrottle(self) -> BlueThrottle:
        return self.connThrottle_

    def getZKDatabase(self) -> ZKDatabase:
        return self.zkDb

    def setZKDatabase(self, zkDb: ZKDatabase) -> None:
        self.zkDb = zkDb

    def getSessionTracker(self):
        return self.sessionTracker

    def getZooKeeperServerListener(self):
        return self.listener

    def setCreateSessionTrackerServerId(self, newId: int) -> None:
        self.createSessionTrackerServerId = newId

    def getZxid(self) -> int:
        return self.hzxid

    def getNextZxid(self) -> int:
        with self._hzxidLock:
            self.hzxid += 1
            return self.hzxid

    def setZxid(self, zxid: int) -> None:
        with self._hzxidLock:
            self.hzxid = zxid

    def getServerId(self) -> int:
        return 0

    def getState(self) -> str:
        return "standalone"

    def isRunning(self) -> bool:
        return self.state == State.RUNNING

    def canShutdown(self) -> bool:
        return self.state in (State.RUNNING, State.ERROR)

    def setServerCnxnFactory(self, factory) -> None:
        self.serverCnxnFactory = factory

    def getServerCnxnFactory(self):
        return self.serverCnxnFactory

    def getSecureServerCnxnFactory(self):
        return self.secureServerCnxnFactory

    def setSecureServerCnxnFactory(self, factory) -> None:
        self.secureServerCnxnFactory = factory

    def getLastProcessedZxid(self) -> int:
        return self.zkDb.getDataTreeLastProcessedZxid()

    def getOutstandingRequests(self) -> int:
        return self.getInProcess()

    def getNumAliveConnections(self) -> int:
        total = 0
        if self.serverCnxnFactory is not None:
            total += self.serverCnxnFactory.getNumAliveConnections()
        if self.secureServerCnxnFactory is not None:
            total += self.secureServerCnxnFactory.getNumAliveConnections()
        return total

    def truncateLog(self, zxid: int) -> None:
        self.zkDb.truncateLog(zxid)

    def getTickTime(self) -> int:
        return self.tickTime

    def setTickTime(self, tickTime: int) -> None:
        LOG.info("tickTime set to %s ms", tickTime)
        self.tickTime = tickTime

    def getMinSessionTimeout(self) -> int:
        return self.minSessionTimeout

    def setMinSessionTimeout(self, min: int) -> None:
        self.minSessionTimeout = self.tickTime * 2 if min == -1 else min
        LOG.info("minSessionTimeout set to %s ms", self.minSessionTimeout)

    def getMaxSessionTimeout(self) -> int:
        return self.maxSessionTimeout

    def setMaxSessionTimeout(self, max: int) -> None:
        self.maxSessionTimeout = self.tickTime * 20 if max == -1 else max
        LOG.info("maxSessionTimeout set to %s ms", self.maxSessionTimeout)

    def getClientPortListenBacklog(self) -> int:
        return self.listenBacklog

    def setClientPortListenBacklog(self, backlog: int) -> None:
        self.listenBacklog = backlog
        LOG.info("clientPortListenBacklog set to %s", backlog)

    def getClientPort(self) -> int:
        return self.serverCnxnFactory.getLocalPort() if self.serverCnxnFactory is not None else -1

    def getSecureClientPort(self) -> int:
        f = self.secureServerCnxnFactory
        return f.getLocalPort() if f is not None else -1

    def getMaxClientCnxnsPerHost(self) -> int:
        if self.serverCnxnFactory is not None:
            return self.serverCnxnFactory.getMaxClientCnxnsPerHost()
        if self.secureServerCnxnFactory is not None:
            return self.secureServerCnxnFactory.getMaxClientCnxnsPerHost()
        return -1

    def setTxnLogFactory(self, txnLog) -> None:
        self.txnLogFactory = txnLog

    def getTxnLogFactory(self):
        return self.txnLogFactory

    def getTxnLogElapsedSyncTime(self) -> int:
        return self.txnLogFactory.getTxnLogElapsedSyncTime()

    def isReconfigEnabled(self) -> bool:
        return self.reconfigEnabled

    def getZkShutdownHandler(self):
        return self.zkShutdownHandler

    def registerServerShutdownHandler(self, zkShutdownHandler) -> None:
        self.zkShutdownHandler = zkShutdownHandler

    def isResponseCachingEnabled(self) -> bool:
        return self.isResponseCachingEnabled_

    def setResponseCachingEnabled(self, isEnabled: bool) -> None:
        self.isResponseCachingEnabled_ = isEnabled

    def getReadResponseCache(self):
        return self.readResponseCache if self.isResponseCachingEnabled_ else None

    def getGetChildrenResponseCache(self):
        return self.getChildrenResponseCache if self.isResponseCachingEnabled_ else None

    def getConnectionDropChance(self) -> float:
        return self.connThrottle_.getDropChance()

    def getOutstandingHandshakeNum(self) -> int:
        return 0

    def getSessionExpiryMap(self):
        return self.sessionTracker.getSessionExpiryMap()

    def getEphemerals(self):
        return self.zkDb.getEphemerals()

    def dumpEphemerals(self, pwriter) -> None:
        self.zkDb.dumpEphemerals(pwriter)

    def dumpConf(self, pwriter) -> None:
        snapLog = self.zkDb.snapLog
        lines = [
            f"clientPort={self.getClientPort()}",
            f"secureClientPort={self.getSecureClientPort()}",
            f"dataDir={os.path.abspath(str(snapLog.getSnapDir()))}",
            f"dataDirSize={self.getDataDirSize()}",
            f"dataLogDir={os.path.abspath(str(snapLog.getDataLogDir()))}",
            f"dataLogSize={self.getLogDirSize()}",
            f"tickTime={self.getTickTime()}",
            f"maxClientCnxns={self.getMaxClientCnxnsPerHost()}",
            f"minSessionTimeout={self.getMinSessionTimeout()}",
            f"maxSessionTimeout={self.getMaxSessionTimeout()}",
            f"clientPortListenBacklog={self.getClientPortListenBacklog()}",
            f"serverId={self.getServerId()}",
        ]
        pwriter.write("\n".join(lines) + "\n")

    def getConf(self):
        from pyzookeeper.server.ZooKeeperServerConf import ZooKeeperServerConf

        snapLog = self.zkDb.snapLog
        return ZooKeeperServerConf(
            self.getClientPort(), os.path.abspath(str(snapLog.getSnapDir())),
            os.path.abspath(str(snapLog.getDataLogDir())), self.getTickTime(), self.getMaxClientCnxnsPerHost(),
            self.getMinSessionTimeout(), self.getMaxSessionTimeout(), self.getServerId(),
            self.getClientPortListenBacklog())

    def getDataDirSize(self) -> int:
        if self.zkDb is None:
            return 0
        return _dir_size(str(self.zkDb.snapLog.getSnapDir()))

    def getLogDirSize(self) -> int:
        if self.zkDb is None:
            return 0
        return _dir_size(str(self.zkDb.snapLog.getDataLogDir()))

    # -- start and stop ---------------------------------------------------------------

    def loadData(self) -> None:
        """Load the database (or reuse it when a leader already did), drop the
        sessions the snapshot no longer knows, and take a snapshot."""
        if self.zkDb.isInitialized():
            self.setZxid(self.zkDb.getDataTreeLastProcessedZxid())
        else:
            self.setZxid(self.zkDb.loadDataBase())
        withTimeouts = self.zkDb.getSessionWithTimeOuts()
        for session in list(self.zkDb.getSessions()):
            if withTimeouts.get(session) is None:
                self.killSession(session, self.zkDb.getDataTreeLastProcessedZxid())
        self.takeSnapshot()

    def takeSnapshot(self, syncSnap: bool = False) -> None:
        start = Time.currentElapsedTime()
        try:
            self.txnLogFactory.save(self.zkDb.getDataTree(), self.zkDb.getSessionWithTimeOuts(), syncSnap)
        except OSError:
            LOG.error("Severe unrecoverable error, exiting", exc_info=True)
            from pyzookeeper.util import ServiceUtils

            ServiceUtils.requestSystemExit(ExitCode.TXNLOG_ERROR_TAKING_SNAPSHOT.getValue())
        elapsed = Time.currentElapsedTime() - start
        LOG.info("Snapshot taken in %s ms", elapsed)
        ServerMetrics.getMetrics().SNAPSHOT_TIME.add(elapsed)

    def shouldForceWriteInitialSnapshotAfterLeaderElection(self) -> bool:
        return self.txnLogFactory.shouldForceWriteInitialSnapshotAfterLeaderElection()

    def startdata(self) -> None:
        if self.zkDb is None:
            self.zkDb = ZKDatabase(self.txnLogFactory)
        if not self.zkDb.isInitialized():
            self.loadData()

    def startup(self) -> None:
        with self._lock:
            self.startupWithServerState(State.RUNNING)

    def startupWithoutServing(self) -> None:
        with self._lock:
            self.startupWithServerState(State.INITIAL)

    def startServing(self) -> None:
        with self._lock:
            self.setState(State.RUNNING)
            self._stateChanged.notify_all()

    def startupWithServerState(self, state: str) -> None:
        with self._lock:
            if self.sessionTracker is None:
                self.createSessionTracker()
            self.startSessionTracker()
            self.setupRequestProcessors()
            self.startRequestThrottler()
            self.registerMetrics()
            self.setState(state)
            self.localSessionEnabled = self.sessionTracker.isLocalSessionsEnabled()
            self._stateChanged.notify_all()

    def startRequestThrottler(self) -> None:
        self.requestThrottler = self.createRequestThrottler()
        self.requestThrottler.start()

    def createRequestThrottler(self) -> RequestThrottler:
        return RequestThrottler(self)

    def setupRequestProcessors(self) -> None:
        finalProcessor = FinalRequestProcessor(self)
        syncProcessor = SyncRequestProcessor(self, finalProcessor)
        syncProcessor.start()
        self.firstProcessor = PrepRequestProcessor(self, syncProcessor)
        self.firstProcessor.start()

    def createSessionTracker(self) -> None:
        self.sessionTracker = SessionTrackerImpl(self, self.zkDb.getSessionWithTimeOuts(), self.tickTime,
                                                 self.createSessionTrackerServerId,
                                                 self.getZooKeeperServerListener())

    def startSessionTracker(self) -> None:
        self.sessionTracker.start()

    def setState(self, state: str) -> None:
        self.state = state
        if self.zkShutdownHandler is not None:
            self.zkShutdownHandler.handle(state)
        else:
            LOG.debug("ZKShutdownHandler is not registered, so ZooKeeper server"
                      " won't take any action on ERROR or SHUTDOWN server state changes")

    def shutdown(self, fullyShutDown: bool = False) -> None:
        with self._lock:
            if not self.canShutdown():
                if fullyShutDown and self.zkDb is not None:
                    self.zkDb.clear()
                LOG.debug("ZooKeeper server is not running, so not proceeding to shutdown!")
                return
            LOG.info("shutting down")
            self.setState(State.SHUTDOWN)
            self.unregisterMetrics()
            if self.requestThrottler is not None:
                self.requestThrottler.shutdown()
            if self.sessionTracker is not None:
                self.sessionTracker.shutdown()
            if self.firstProcessor is not None:
                self.firstProcessor.shutdown()
            if self.zkDb is not None:
                if fullyShutDown:
                    self.zkDb.clear()
                else:
                    try:
                        self.zkDb.fastForwardDataBase()
                    except OSError:
                        LOG.error("Error updating DB", exc_info=True)
                        self.zkDb.clear()

    # -- in-flight accounting ----------------------------------------------------------

    def incInProcess(self) -> None:
        with self._inProcessLock:
            self.requestsInProcess += 1

    def decInProcess(self) -> None:
        with self._inProcessLock:
            self.requestsInProcess -= 1
        if self.requestThrottler is not None:
            self.requestThrottler.throttleWake()

    def getInProcess(self) -> int:
        return self.requestsInProcess

    def getInflight(self) -> int:
        return self.requestThrottler.getInflight() if self.requestThrottler is not None else 0

    def shouldThrottle(self, outStandingCount: int) -> bool:
        globalOutstandingLimit = self.getGlobalOutstandingLimit()
        if globalOutstandingLimit < self.getInflight() or globalOutstandingLimit < self.getInProcess():
            return outStandingCount > 0
        return False

    # -- sessions --------------------------------------------------------------------------

    def close(self, sessionId: int) -> None:
        self.submitRequest(Request(None, sessionId, 0, OpCode.closeSession, None, None))

    def closeSession(self, sessionId: int) -> None:
        LOG.info("Closing session 0x%s", _hex(sessionId))
        self.close(sessionId)

    def killSession(self, sessionId: int, zxid: int) -> None:
        self.zkDb.killSession(sessionId, zxid)
        if self.sessionTracker is not None:
            self.sessionTracker.removeSession(sessionId)

    def expire(self, session) -> None:
        if isinstance(session, int):
            LOG.info("forcibly expiring session 0x%s", _hex(session))
            self.close(session)
            return
        sessionId = session.getSessionId()
        LOG.info("Expiring session 0x%s, timeout of %sms exceeded", _hex(sessionId), session.getTimeout())
        self.close(sessionId)

    def touch(self, cnxn) -> None:
        if cnxn is None:
            return
        sid = cnxn.getSessionId()
        to = cnxn.getSessionTimeout()
        if not self.sessionTracker.touchSession(sid, to):
            raise MissingSessionException(
                f"No session with sessionid 0x{_hex(sid)} exists, probably expired and removed")

    @staticmethod
    def generatePasswd(id: int) -> bytes:
        return _java_random_bytes(id ^ superSecret, 16)

    def checkPasswd(self, sessionId: int, passwd: bytes | None) -> bool:
        return sessionId != 0 and passwd == self.generatePasswd(sessionId)

    def createSession(self, cnxn, passwd: bytes | None, timeout: int) -> int:
        sessionId = self.sessionTracker.createSession(timeout)
        cnxn.setSessionId(sessionId)
        si = Request(cnxn, sessionId, 0, OpCode.createSession, _INT.pack(timeout), None)
        self.submitRequest(si)
        return sessionId

    def setOwner(self, id: int, owner) -> None:
        self.sessionTracker.setOwner(id, owner)

    def revalidateSession(self, cnxn, sessionId: int, sessionTimeout: int) -> None:
        rc = self.sessionTracker.touchSession(sessionId, sessionTimeout)
        self.finishSessionInit(cnxn, rc)

    def reopenSession(self, cnxn, sessionId: int, passwd: bytes | None, sessionTimeout: int) -> None:
        if self.checkPasswd(sessionId, passwd):
            self.revalidateSession(cnxn, sessionId, sessionTimeout)
        else:
            LOG.warning("Incorrect password from %s for session 0x%s", cnxn.getRemoteSocketAddress(),
                        _hex(sessionId))
            self.finishSessionInit(cnxn, False)

    def finishSessionInit(self, cnxn, valid: bool) -> None:
        try:
            if valid:
                if self.serverCnxnFactory is not None and cnxn in self.serverCnxnFactory.cnxns:
                    self.serverCnxnFactory.registerConnection(cnxn)
                elif self.secureServerCnxnFactory is not None and cnxn in self.secureServerCnxnFactory.cnxns:
                    self.secureServerCnxnFactory.registerConnection(cnxn)
        except Exception:
            LOG.warning("Failed to register with JMX", exc_info=True)
        try:
            rsp = ConnectResponse(0, cnxn.getSessionTimeout() if valid else 0,
                                  cnxn.getSessionId() if valid else 0,
                                  self.generatePasswd(cnxn.getSessionId()) if valid else bytes(16))
            bos = BinaryOutputArchive()
            rsp.serialize(bos, "connect")
            if not cnxn.isOldClient:
                bos.writeBool(self.isReadOnly(), "readOnly")
            body = bos.buffer()
            cnxn.sendBuffer(_INT.pack(len(body)) + body)
            if valid:
                if LOG.isEnabledFor(logging.DEBUG):
                    LOG.debug("Established session 0x%s with negotiated timeout %s for client %s",
                              _hex(cnxn.getSessionId()), cnxn.getSessionTimeout(), cnxn.getRemoteSocketAddress())
                cnxn.enableRecv()
            else:
                LOG.info("Invalid session 0x%s for client %s, probably expired", _hex(cnxn.getSessionId()),
                         cnxn.getRemoteSocketAddress())
                from pyzookeeper.server.ServerCnxnFactory import ServerCnxnFactory

                cnxn.sendBuffer(ServerCnxnFactory.closeConn)
        except Exception:
            LOG.warning("Exception while establishing session, closing", exc_info=True)
            cnxn.close(ServerCnxn.DisconnectReason.IO_EXCEPTION_IN_SESSION_INIT)

    def isReadOnly(self) -> bool:
        """``this instanceof ReadOnlyZooKeeperServer``."""
        return False

    def setLocalSessionFlag(self, si: Request) -> None:
        pass

    def validateSession(self, cnxn, sessionId: int) -> None:
        pass

    # -- request entry points ------------------------------------------------------------

    def submitRequest(self, si: Request) -> None:
        self.enqueueRequest(si)

    def enqueueRequest(self, si: Request) -> None:
        if self.requestThrottler is None:
            with self._lock:
                while self.state == State.INITIAL:
                    self._stateChanged.wait(1.0)
                if self.requestThrottler is None:
                    raise RuntimeError("Not started")
        self.requestThrottler.submitRequest(si)

    def submitRequestNow(self, si: Request) -> None:
        if self.firstProcessor is None or self.state != State.RUNNING:
            with self._lock:
                while self.state == State.INITIAL:
                    self._stateChanged.wait(1.0)
                if self.firstProcessor is None or self.state != State.RUNNING:
                    raise RuntimeError("Not started")
        try:
            self.touch(si.cnxn)
            if Request.isValid(si.type):
                self.setLocalSessionFlag(si)
                self.firstProcessor.processRequest(si)
                if si.cnxn is not None:
                    self.incInProcess()
            else:
                LOG.warning("Received packet at server of unknown type %s", si.type)
                self.requestFinished(si)
                UnimplementedRequestProcessor().processRequest(si)
        except MissingSessionException:
            LOG.debug("Dropping request.", exc_info=True)
            self.requestFinished(si)
        except RequestProcessorException:
            LOG.error("Unable to process request", exc_info=True)
            self.requestFinished(si)

    def processConnectRequest(self, cnxn, incomingBuffer: bytes) -> None:
        bia = BinaryInputArchive(incomingBuffer)
        connReq = ConnectRequest()
        connReq.deserialize(bia, "connect")
        if LOG.isEnabledFor(logging.DEBUG):
            LOG.debug("Session establishment request from client %s client's lastZxid is 0x%s",
                      cnxn.getRemoteSocketAddress(), _hex(connReq.lastZxidSeen))
        sessionId = connReq.sessionId
        connThrottle = self.connThrottle_
        tokensNeeded = 1
        if connThrottle.isConnectionWeightEnabled():
            if sessionId == 0:
                tokensNeeded = (connThrottle.getRequiredTokensForLocal() if self.localSessionEnabled
                                else connThrottle.getRequiredTokensForGlobal())
            else:
                tokensNeeded = connThrottle.getRequiredTokensForRenew()
        if not connThrottle.checkLimit(tokensNeeded):
            raise ClientCnxnLimitException()
        metrics = ServerMetrics.getMetrics()
        metrics.CONNECTION_TOKEN_DEFICIT.add(connThrottle.getDeficit())
        metrics.CONNECTION_REQUEST_COUNT.add(1)
        readOnly = False
        try:
            readOnly = bia.readBool("readOnly")
            cnxn.isOldClient = False
        except (EOFError, OSError):
            LOG.warning("Connection request from old client %s; will be dropped if server is in r-o mode",
                        cnxn.getRemoteSocketAddress())
        if not readOnly and self.isReadOnly():
            msg = f"Refusing session request for not-read-only client {cnxn.getRemoteSocketAddress()}"
            LOG.info(msg)
            raise ServerCnxn.CloseRequestException(msg, ServerCnxn.DisconnectReason.NOT_READ_ONLY_CLIENT)
        if connReq.lastZxidSeen > self.zkDb.getDataTreeLastProcessedZxid():
            msg = (f"Refusing session request for client {cnxn.getRemoteSocketAddress()} as it has seen zxid"
                   f" 0x{_hex(connReq.lastZxidSeen)} our last zxid is"
                   f" 0x{_hex(self.zkDb.getDataTreeLastProcessedZxid())} client must try another server")
            LOG.info(msg)
            raise ServerCnxn.CloseRequestException(msg, ServerCnxn.DisconnectReason.CLIENT_ZXID_AHEAD)
        sessionTimeout = connReq.timeOut
        passwd = connReq.passwd
        if sessionTimeout < self.getMinSessionTimeout():
            sessionTimeout = self.getMinSessionTimeout()
        if sessionTimeout > self.getMaxSessionTimeout():
            sessionTimeout = self.getMaxSessionTimeout()
        cnxn.setSessionTimeout(sessionTimeout)
        # no more requests from this connection until the session is set up
        cnxn.disableRecv()
        if sessionId == 0:
            sid = self.createSession(cnxn, passwd, sessionTimeout)
            if LOG.isEnabledFor(logging.DEBUG):
                LOG.debug("Client attempting to establish new session: session = 0x%s, zxid = 0x%s,"
                          " timeout = %s, address = %s", _hex(sid), _hex(connReq.lastZxidSeen),
                          connReq.timeOut, cnxn.getRemoteSocketAddress())
        else:
            self.validateSession(cnxn, sessionId)
            if LOG.isEnabledFor(logging.DEBUG):
                LOG.debug("Client attempting to renew session: session = 0x%s, zxid = 0x%s, timeout = %s,"
                          " address = %s", _hex(sessionId), _hex(connReq.lastZxidSeen), connReq.timeOut,
                          cnxn.getRemoteSocketAddress())
            if self.serverCnxnFactory is not None:
                self.serverCnxnFactory.closeSession(sessionId, ServerCnxn.DisconnectReason.CLIENT_RECONNECT)
            if self.secureServerCnxnFactory is not None:
                self.secureServerCnxnFactory.closeSession(sessionId, ServerCnxn.DisconnectReason.CLIENT_RECONNECT)
            cnxn.setSessionId(sessionId)
            self.reopenSession(cnxn, sessionId, passwd, sessionTimeout)
            metrics.CONNECTION_REVALIDATE_COUNT.add(1)

    def processPacket(self, cnxn, incomingBuffer: bytes) -> None:
        # RequestHeader.deserialize inlined: one struct call per packet
        if len(incomingBuffer) < 8:
            raise EOFError()
        h = RequestHeader(*_REQUEST_HEADER.unpack_from(incomingBuffer))
        # the server handles at most globalOutstandingLimit requests at once
        cnxn.incrOutstandingAndCheckThrottle(h)
        body = incomingBuffer[8:]
        if h.type == OpCode.auth:
            LOG.info("got auth packet %s", cnxn.getRemoteSocketAddress())
            authPacket = AuthPacket()
            authPacket.deserialize(BinaryInputArchive(body), "request")
            scheme = authPacket.scheme
            ap = ProviderRegistry.getServerProvider(scheme)
            authReturn = Code.AUTHFAILED
            if ap is not None:
                try:
                    authReturn = ap.handleAuthentication(ServerAuthenticationProvider.ServerObjs(self, cnxn),
                                                         authPacket.auth)
                except Exception:
                    LOG.warning("Caught runtime exception from AuthenticationProvider: %s", scheme, exc_info=True)
                    authReturn = Code.AUTHFAILED
            if authReturn == Code.OK:
                LOG.info("Session 0x%s: auth success for scheme %s and address %s", _hex(cnxn.getSessionId()),
                         scheme, cnxn.getRemoteSocketAddress())
                cnxn.sendResponse(ReplyHeader(h.xid, 0, Code.OK.intValue()), None, None)
            else:
                if ap is None:
                    LOG.warning("No authentication provider for scheme: %s has %s", scheme,
                                ProviderRegistry.listProviders())
                else:
                    LOG.warning("Authentication failed for scheme: %s", scheme)
                from pyzookeeper.server.ServerCnxnFactory import ServerCnxnFactory

                cnxn.sendResponse(ReplyHeader(h.xid, 0, Code.AUTHFAILED.intValue()), None, None)
                cnxn.sendBuffer(ServerCnxnFactory.closeConn)
                cnxn.disableRecv()
            return
        if h.type == OpCode.sasl:
            self.processSasl(body, cnxn, h)
            return
        if not self.authHelper.enforceAuthentication(cnxn, h.xid):
            return
        si = Request(cnxn, cnxn.getSessionId(), h.xid, h.type, body, cnxn.getAuthInfo())
        length = len(body)
        if self.isLargeRequest(length):
            self.checkRequestSizeWhenMessageReceived(length)
            si.setLargeRequestSize(length)
        si.setOwner(ServerCnxn.me)
        self.submitRequest(si)

    @staticmethod
    def isSaslSuperUser(id: str | None) -> bool:
        if not id:
            return False
        for k, value in system_properties.getProperties().items():
            if k.startswith(SASL_SUPER_USER) and (len(k) == len(SASL_SUPER_USER) or k[len(SASL_SUPER_USER)] == "."):
                if value == id:
                    return True
        return False

    @staticmethod
    def shouldAllowSaslFailedClientsConnect() -> bool:
        return system_properties.getBoolean(ALLOW_SASL_FAILED_CLIENTS)

    def processSasl(self, incomingBuffer: bytes, cnxn, requestHeader: RequestHeader) -> None:
        LOG.debug("Responding to client SASL token.")
        clientTokenRecord = GetSASLRequest()
        clientTokenRecord.deserialize(BinaryInputArchive(incomingBuffer), "request")
        clientToken = clientTokenRecord.token
        # a null token fails here (TypeError) as Java's does, and the connection is closed
        LOG.debug("Size of client SASL token: %s", len(clientToken))
        responseToken = None
        saslServer = getattr(cnxn, "zooKeeperSaslServer", None)
        if saslServer is None:
            LOG.error("cnxn.saslServer is null: cnxn object did not initialize its saslServer properly.")
        else:
            from pyzookeeper.server.ZooKeeperSaslServer import SaslException

            try:
                responseToken = saslServer.evaluateResponse(clientToken)
                if saslServer.isComplete():
                    authorizationID = saslServer.getAuthorizationID()
                    LOG.info("Session 0x%s: adding SASL authorization for authorizationID: %s",
                             _hex(cnxn.getSessionId()), authorizationID)
                    cnxn.addAuthInfo(Id("sasl", authorizationID))
                    if self.isSaslSuperUser(authorizationID):
                        cnxn.addAuthInfo(Id("super", ""))
                        LOG.info("Session 0x%s: Authenticated Id '%s' as super user", _hex(cnxn.getSessionId()),
                                 authorizationID)
            except SaslException as e:
                LOG.warning("Client %s failed to SASL authenticate: %s", cnxn.getRemoteSocketAddress(), e)
                if self.shouldAllowSaslFailedClientsConnect() and not self.authHelper.isSaslAuthRequired():
                    LOG.warning("Maintaining client connection despite SASL authentication failure.")
                else:
                    if self.authHelper.isSaslAuthRequired():
                        LOG.warning("Closing client connection due to server requires client SASL authenticaiton,"
                                    "but client SASL authentication has failed, or client is not configured with"
                                    " SASL authentication.")
                        error = Code.SESSIONCLOSEDREQUIRESASLAUTH.intValue()
                    else:
                        LOG.warning("Closing client connection due to SASL authentication failure.")
                        error = Code.AUTHFAILED.intValue()
                    cnxn.sendResponse(ReplyHeader(requestHeader.xid, 0, error), SetSASLResponse(None), "response")
                    cnxn.sendCloseSession()
                    cnxn.disableRecv()
                    return
        if responseToken is not None:
            LOG.debug("Size of server SASL response: %s", len(responseToken))
        cnxn.sendResponse(ReplyHeader(requestHeader.xid, 0, Code.OK.intValue()), SetSASLResponse(responseToken),
                          "response")

    # -- large requests -----------------------------------------------------------------

    def initLargeRequestThrottlingSettings(self) -> None:
        self.setLargeRequestMaxBytes(system_properties.getInteger("zookeeper.largeRequestMaxBytes",
                                                                  self.largeRequestMaxBytes))
        self.setLargeRequestThreshold(system_properties.getInteger("zookeeper.largeRequestThreshold", -1))

    def getLargeRequestMaxBytes(self) -> int:
        return self.largeRequestMaxBytes

    def setLargeRequestMaxBytes(self, bytes_: int) -> None:
        if bytes_ <= 0:
            LOG.warning("Invalid max bytes for all large requests %s. It should be a positive number.", bytes_)
            LOG.warning("Will not change the setting. The max bytes stay at %s", self.largeRequestMaxBytes)
        else:
            self.largeRequestMaxBytes = bytes_
            LOG.info("The max bytes for all large requests are set to %s", self.largeRequestMaxBytes)

    def getLargeRequestThreshold(self) -> int:
        return self.largeRequestThreshold

    def setLargeRequestThreshold(self, threshold: int) -> None:
        if threshold == 0 or threshold < -1:
            LOG.warning("Invalid large request threshold %s. It should be -1 or positive. Setting to -1 ", threshold)
            self.largeRequestThreshold = -1
        else:
            self.largeRequestThreshold = threshold
            LOG.info("The large request threshold is set to %s", self.largeRequestThreshold)

    def getLargeRequestBytes(self) -> int:
        return self.currentLargeRequestBytes

    def isLargeRequest(self, length: int) -> bool:
        return self.largeRequestThreshold != -1 and length > self.largeRequestThreshold

    def checkRequestSizeWhenReceivingMessage(self, length: int) -> bool:
        if not self.isLargeRequest(length):
            return True
        if self.currentLargeRequestBytes + length <= self.largeRequestMaxBytes:
            return True
        ServerMetrics.getMetrics().LARGE_REQUESTS_REJECTED.add(1)
        raise IOError("Rejecting large request")

    def checkRequestSizeWhenMessageReceived(self, length: int) -> bool:
        if not self.isLargeRequest(length):
            return True
        with self._largeRequestLock:
            self.currentLargeRequestBytes += length
            if self.currentLargeRequestBytes > self.largeRequestMaxBytes:
                self.currentLargeRequestBytes -= length
                ServerMetrics.getMetrics().LARGE_REQUESTS_REJECTED.add(1)
                raise IOError("Rejecting large request")
        return True

    def requestFinished(self, request: Request) -> None:
        largeRequestLength = request.getLargeRequestSize()
        if largeRequestLength != -1:
            with self._largeRequestLock:
                self.currentLargeRequestBytes -= largeRequestLength

    # -- applying txns ---------------------------------------------------------------

    def processTxn(self, hdr_or_request, txn=None):
        """``processTxn(TxnHeader, Record)`` or ``processTxn(Request)``."""
        if not isinstance(hdr_or_request, Request):
            self.processTxnForSessionEvents(None, hdr_or_request, txn)
            return self.processTxnInDB(hdr_or_request, txn, None)
        request = hdr_or_request
        hdr = request.getHdr()
        self.processTxnForSessionEvents(request, hdr, request.getTxn())
        writeRequest = hdr is not None
        quorumRequest = request.isQuorum()
        if not writeRequest and not quorumRequest:
            return DataTree.ProcessTxnResult()
        with self.outstandingChangesLock:
            rc = self.processTxnInDB(hdr, request.getTxn(), request.getTxnDigest())
            if writeRequest:
                zxid = hdr.zxid
                changes = self.outstandingChanges
                forPath = self.outstandingChangesForPath
                removed = 0
                while changes and changes[0].zxid <= zxid:
                    cr = changes.popleft()
                    removed += 1
                    if cr.zxid < zxid:
                        LOG.warning("Zxid outstanding 0x%s is less than current 0x%s", _hex(cr.zxid), _hex(zxid))
                    if forPath.get(cr.path) is cr:
                        del forPath[cr.path]
                if removed:
                    ServerMetrics.getMetrics().OUTSTANDING_CHANGES_REMOVED.add(removed)
            if quorumRequest:
                self.getZKDatabase().addCommittedProposal(request)
            return rc

    def processTxnForSessionEvents(self, request: Request | None, hdr, txn) -> None:
        opCode = hdr.type if request is None else request.type
        sessionId = hdr.clientId if request is None else request.sessionId
        if opCode == OpCode.createSession:
            from pyzookeeper.txn.CreateSessionTxn import CreateSessionTxn

            if hdr is not None and isinstance(txn, CreateSessionTxn):
                self.sessionTracker.commitSession(sessionId, txn.timeOut)
            elif request is None or not request.isLocalSession():
                LOG.warning("*****>>>>> Got %s %s", type(txn), txn)
        elif opCode == OpCode.closeSession:
            self.sessionTracker.removeSession(sessionId)

    def processTxnInDB(self, hdr, txn, digest):
        if hdr is None:
            return DataTree.ProcessTxnResult()
        return self.getZKDatabase().processTxn(hdr, txn, digest)

    # -- metrics ---------------------------------------------------------------------------

    def registerMetrics(self) -> None:
        rootContext = ServerMetrics.getMetrics().getMetricsProvider().getRootContext()
        zkdb = self.getZKDatabase()
        stats = self.serverStats()
        tree = zkdb.getDataTree()
        osMbean = OSMXBean.OSMXBean()
        gauges = {
            "avg_latency": stats.getAvgLatency,
            "max_latency": stats.getMaxLatency,
            "min_latency": stats.getMinLatency,
            "packets_received": stats.getPacketsReceived,
            "packets_sent": stats.getPacketsSent,
            "num_alive_connections": stats.getNumAliveClientConnections,
            "outstanding_requests": stats.getOutstandingRequests,
            "uptime": stats.getUptime,
            "znode_count": zkdb.getNodeCount,
            "watch_count": tree.getWatchCount,
            "ephemerals_count": tree.getEphemeralsCount,
            "approximate_data_size": tree.cachedApproximateDataSize,
            "global_sessions": zkdb.getSessionCount,
            "local_sessions": self.getSessionTracker().getLocalSessionCount,
            "open_file_descriptor_count": osMbean.getOpenFileDescriptorCount,
            "max_file_descriptor_count": osMbean.getMaxFileDescriptorCount,
            "connection_drop_probability": self.getConnectionDropChance,
            "last_client_response_size": stats.getClientResponseStats().getLastBufferSize,
            "max_client_response_size": stats.getClientResponseStats().getMaxBufferSize,
            "min_client_response_size": stats.getClientResponseStats().getMinBufferSize,
            "outstanding_tls_handshake": self.getOutstandingHandshakeNum,
            "auth_failed_count": stats.getAuthFailedCount,
            "non_mtls_remote_conn_count": stats.getNonMTLSRemoteConnCount,
            "non_mtls_local_conn_count": stats.getNonMTLSLocalConnCount,
        }
        for name, fn in gauges.items():
            rootContext.registerGauge(name, fn)
        rootContext.registerGaugeSet(QuotaMetricsUtils.QUOTA_COUNT_LIMIT_PER_NAMESPACE,
                                     lambda: QuotaMetricsUtils.getQuotaCountLimit(self.zkDb.getDataTree()))
        rootContext.registerGaugeSet(QuotaMetricsUtils.QUOTA_BYTES_LIMIT_PER_NAMESPACE,
                                     lambda: QuotaMetricsUtils.getQuotaBytesLimit(self.zkDb.getDataTree()))
        rootContext.registerGaugeSet(QuotaMetricsUtils.QUOTA_COUNT_USAGE_PER_NAMESPACE,
                                     lambda: QuotaMetricsUtils.getQuotaCountUsage(self.zkDb.getDataTree()))
        rootContext.registerGaugeSet(QuotaMetricsUtils.QUOTA_BYTES_USAGE_PER_NAMESPACE,
                                     lambda: QuotaMetricsUtils.getQuotaBytesUsage(self.zkDb.getDataTree()))

    _GAUGES = ("avg_latency", "max_latency", "min_latency", "packets_received", "packets_sent",
               "num_alive_connections", "outstanding_requests", "uptime", "znode_count", "watch_count",
               "ephemerals_count", "approximate_data_size", "global_sessions", "local_sessions",
               "open_file_descriptor_count", "max_file_descriptor_count", "connection_drop_probability",
               "last_client_response_size", "max_client_response_size", "min_client_response_size",
               "auth_failed_count", "non_mtls_remote_conn_count", "non_mtls_local_conn_count")

    def unregisterMetrics(self) -> None:
        rootContext = ServerMetrics.getMetrics().getMetricsProvider().getRootContext()
        for name in self._GAUGES:
            rootContext.unregisterGauge(name)
        for name in (QuotaMetricsUtils.QUOTA_COUNT_LIMIT_PER_NAMESPACE, QuotaMetricsUtils.QUOTA_BYTES_LIMIT_PER_NAMESPACE,
                     QuotaMetricsUtils.QUOTA_COUNT_USAGE_PER_NAMESPACE, QuotaMetricsUtils.QUOTA_BYTES_USAGE_PER_NAMESPACE):
            rootContext.unregisterGaugeSet(name)

    def dumpMonitorValues(self, response) -> None:
        from pyzookeeper.Version import Version

        stats = self.serverStats()
        response("version", Version.getFullVersion())
        response("server_state", stats.getServerState())

    # -- ACLs and quotas --------------------------------------------------------------------

    def checkACL(self, cnxn, acl, perm: int, ids, path: str | None, setAcls) -> None:
        if ZooKeeperServer.skipACL:
            return
        if not acl:
            return
        ids = ids or ()
        for authId in ids:
            if authId.scheme == "super":
                return
        for a in acl:
            ident = a.id
            if a.perms & perm:
                if ident.scheme == "world" and ident.id == "anyone":
                    return
                ap = ProviderRegistry.getServerProvider(ident.scheme)
                if ap is not None:
                    for authId in ids:
                        if authId.scheme == ident.scheme and ap.matches(
                                ServerAuthenticationProvider.ServerObjs(self, cnxn),
                                ServerAuthenticationProvider.MatchValues(path, authId.id, ident.id, perm, setAcls)):
                            return
        raise KeeperException.NoAuthException()

    def checkQuota(self, path: str, lastData: bytes | None, data: bytes | None, type: int) -> None:
        if not ZooKeeperServer.enforceQuota:
            return
        dataBytes = 0 if data is None else len(data)
        lastPrefix = self.getZKDatabase().getDataTree().getMaxPrefixWithQuota(path)
        if not lastPrefix:
            return
        namespace = PathUtils.getTopNamespace(path)
        if type == OpCode.create:
            self._checkQuota(lastPrefix, dataBytes, 1, namespace)
        elif type == OpCode.setData:
            self._checkQuota(lastPrefix, dataBytes - (0 if lastData is None else len(lastData)), 0, namespace)
        else:
            raise ValueError(f"Unsupported OpCode for checkQuota: {type}")

    def _checkQuota(self, lastPrefix: str, bytesDiff: int, countDiff: int, namespace: str | None) -> None:
        LOG.debug("checkQuota: lastPrefix=%s, bytesDiff=%s, countDiff=%s", lastPrefix, bytesDiff, countDiff)
        limitNode = Quotas.limitPath(lastPrefix)
        node = self.getZKDatabase().getNode(limitNode)
        if node is None:
            LOG.error("Missing limit node for quota %s", limitNode)
            return
        limitStats = StatsTrack(node.data)
        checkCountQuota = countDiff != 0 and (limitStats.getCount() > -1 or limitStats.getCountHardLimit() > -1)
        checkByteQuota = bytesDiff != 0 and (limitStats.getBytes() > -1 or limitStats.getByteHardLimit() > -1)
        if not checkCountQuota and not checkByteQuota:
            return
        statNode = Quotas.statPath(lastPrefix)
        node = self.getZKDatabase().getNode(statNode)
        if node is None:
            LOG.error("Missing node for stat %s", statNode)
            return
        currentStats = StatsTrack(node.data)
        if checkCountQuota:
            newCount = currentStats.getCount() + countDiff
            isCountHardLimit = limitStats.getCountHardLimit() > -1
            countLimit = limitStats.getCountHardLimit() if isCountHardLimit else limitStats.getCount()
            if newCount > countLimit:
                msg = (f"Quota exceeded: {lastPrefix} [current count={newCount}, "
                       f"{'hard' if isCountHardLimit else 'soft'}CountLimit={countLimit}]")
                self.RATE_LOGGER.rateLimitLog(msg)
                if isCountHardLimit:
                    self.updateQuotaExceededMetrics(namespace)
                    raise KeeperException.QuotaExceededException(lastPrefix)
        if checkByteQuota:
            newBytes = currentStats.getBytes() + bytesDiff
            isByteHardLimit = limitStats.getByteHardLimit() > -1
            byteLimit = limitStats.getByteHardLimit() if isByteHardLimit else limitStats.getBytes()
            if newBytes > byteLimit:
                msg = (f"Quota exceeded: {lastPrefix} [current bytes={newBytes}, "
                       f"{'hard' if isByteHardLimit else 'soft'}ByteLimit={byteLimit}]")
                self.RATE_LOGGER.rateLimitLog(msg)
                if isByteHardLimit:
                    self.updateQuotaExceededMetrics(namespace)
                    raise KeeperException.QuotaExceededException(lastPrefix)

    @staticmethod
    def updateQuotaExceededMetrics(namespace: str | None) -> None:
        if namespace is None:
            return
        ServerMetrics.getMetrics().QUOTA_EXCEEDED_ERROR_PER_NAMESPACE.add(namespace, 1)

    def parentPath(self, path: str) -> str:
        lastSlash = path.rfind("/")
        if lastSlash == -1 or "\0" in path or self.getZKDatabase().isSpecialPath(path):
            raise KeeperException.BadArgumentsException(path)
        return "/" if lastSlash == 0 else path[:lastSlash]

    def effectiveACLPath(self, request: Request) -> str | None:
        from pyzookeeper.proto.CreateRequest import CreateRequest
        from pyzookeeper.proto.DeleteRequest import DeleteRequest
        from pyzookeeper.proto.SetACLRequest import SetACLRequest
        from pyzookeeper.proto.SetDataRequest import SetDataRequest

        mustCheckACL = False
        path = None
        acl = None
        record = {OpCode.create: CreateRequest, OpCode.create2: CreateRequest, OpCode.delete: DeleteRequest,
                  OpCode.setData: SetDataRequest, OpCode.setACL: SetACLRequest}.get(request.type)
        if record is not None:
            try:
                req = record.fromByteArray(request.request)
            except (OSError, EOFError):
                req = None
            if req is not None:
                if request.type in (OpCode.create, OpCode.create2):
                    mustCheckACL = True
                    acl = req.acl
                    path = self.parentPath(req.path)
                elif request.type == OpCode.delete:
                    path = self.parentPath(req.path)
                elif request.type == OpCode.setData:
                    path = req.path
                else:
                    mustCheckACL = True
                    acl = req.acl
                    path = req.path
        if mustCheckACL:
            # only validates the ACL; the expanded list is not needed here
            PrepRequestProcessor.fixupACL(path, request.authInfo, acl)
        return path

    @staticmethod
    def effectiveACLPerms(request: Request) -> int:
        return {OpCode.create: Perms.CREATE, OpCode.create2: Perms.CREATE, OpCode.delete: Perms.DELETE,
                OpCode.setData: Perms.WRITE, OpCode.setACL: Perms.ADMIN}.get(request.type, Perms.ALL)

    def authWriteRequest(self, request: Request) -> bool:
        """The eager ACL check of writes on learners and the leader
        (``zookeeper.enableEagerACLCheck``)."""
        if not ZooKeeperServer.enableEagerACLCheck:
            return True
        err = Code.OK.intValue()
        try:
            pathToCheck = self.effectiveACLPath(request)
            if pathToCheck is not None:
                self.checkACL(request.cnxn, self.zkDb.getACL(pathToCheck, None), self.effectiveACLPerms(request),
                              request.authInfo, pathToCheck, None)
        except (KeeperException.NoAuthException, KeeperException.InvalidACLException) as e:
            LOG.debug("Request failed ACL check", exc_info=True)
            err = e.code().intValue()
        except KeeperException.NoNodeException as e:
            LOG.debug("ACL check against non-existent node: %s", e.getMessage())
        except KeeperException.BadArgumentsException as e:
            LOG.debug("ACL check against illegal node path: %s", e.getMessage())
        if err != Code.OK.intValue():
            self.decInProcess()
            try:
                request.cnxn.sendResponse(ReplyHeader(request.cxid, 0, err), None, None)
            except OSError:
                LOG.error("IOException : ", exc_info=True)
        return err == Code.OK.intValue()


def _jbool(b: bool) -> str:
    return "true" if b else "false"


def _dir_size(path: str) -> int:
    if os.path.isdir(path):
        total = 0
        for entry in os.scandir(path):
            total += _dir_size(entry.path) if entry.is_dir(follow_symlinks=False) else _file_size(entry.path)
        return total
    return _file_size(path)


def _file_size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0
