"""Mirrors org.apache.zookeeper.server.quorum.QuorumPeer: one server of an
ensemble, its configuration, its view of the ensemble, its epoch files and
the thread that runs its state loop (LOOKING, FOLLOWING, LEADING, OBSERVING).

Deliberate differences: no JMX beans, no JvmPauseMonitor start, no TLS quorum
(QuorumX509Util), and no UDP ResponderThread (gone from 3.8's election too).
"""

from __future__ import annotations

import enum
import importlib
import logging
import os
import random
import threading

from pyzookeeper import system_properties
from pyzookeeper.KeeperException import KeeperException
from pyzookeeper.common import Time
from pyzookeeper.common.AtomicFileOutputStream import AtomicFileOutputStream
from pyzookeeper.common.AtomicFileWritingIdiom import AtomicFileWritingIdiom
from pyzookeeper.common.inet_address import InetSocketAddress
from pyzookeeper.common.NetUtils import formatInetAddr
from pyzookeeper.common.java_properties import Properties, java_read_line, parse_java_int, parse_java_long
from pyzookeeper.server.ZooKeeperThread import ZooKeeperThread
from pyzookeeper.server.quorum.MultipleAddresses import MultipleAddresses
from pyzookeeper.server.quorum.QuorumStats import QuorumStats
from pyzookeeper.server.util import ZxidUtils
from pyzookeeper.server.util.ConfigUtils import ConfigUtils, java_split

LOG = logging.getLogger(__name__)


class _JavaEnum(enum.Enum):
    """An enum that prints its name, as a Java enum does."""

    def __str__(self) -> str:
        return self.name

    def ordinal(self) -> int:
        return self.value

    def toString(self) -> str:
        return self.name


class ServerState(_JavaEnum):
    LOOKING = 0
    FOLLOWING = 1
    LEADING = 2
    OBSERVING = 3


class ZabState(_JavaEnum):
    """The phase of Zab the peer is in (for monitoring)."""

    ELECTION = 0
    DISCOVERY = 1
    SYNCHRONIZATION = 2
    BROADCAST = 3


class SyncMode(_JavaEnum):
    """How the peer is being synchronized with its leader (for monitoring)."""

    NONE = 0
    DIFF = 1
    SNAP = 2
    TRUNC = 3


class LearnerType(_JavaEnum):
    """A participant votes and may lead; an observer only follows."""

    PARTICIPANT = 0
    OBSERVER = 1


class AddressTuple:
    """The quorum, election and client addresses of this peer, replaced as one."""

    __slots__ = ("quorumAddr", "electionAddr", "clientAddr")

    def __init__(self, quorumAddr: MultipleAddresses, electionAddr: MultipleAddresses,
                 clientAddr: InetSocketAddress | None) -> None:
        self.quorumAddr = quorumAddr
        self.electionAddr = electionAddr
        self.clientAddr = clientAddr


class QuorumServer:
    """One ``server.N`` entry: quorum and election addresses (several with
    ``multiAddress.enabled``), optional client address, and learner type."""

    _wrongFormat = (" does not have the form server_config or server_config;client_config"
                    " where server_config is the pipe separated list of host:port:port or host:port:port:type"
                    " and client_config is port or host:port")

    def __init__(self, id: int, addr: str | InetSocketAddress | None = None,
                 electionAddr: InetSocketAddress | None = None,
                 clientAddr: InetSocketAddress | LearnerType | None = None,
                 type: LearnerType = LearnerType.PARTICIPANT) -> None:
        self.addr = MultipleAddresses()
        self.electionAddr = MultipleAddresses()
        self.clientAddr: InetSocketAddress | None = None
        self.id = id
        self.hostname: str | None = None
        self.type = LearnerType.PARTICIPANT
        self.isClientAddrFromStatic = False
        self._myAddrs: list[InetSocketAddress] = []
        if isinstance(addr, str):
            self._initializeWithAddressString(addr)
            return
        if isinstance(clientAddr, LearnerType):
            type, clientAddr = clientAddr, None
        if addr is not None:
            self.addr.addAddress(addr)
        if electionAddr is not None:
            self.electionAddr.addAddress(electionAddr)
        self.type = type
        self.clientAddr = clientAddr
        self._setMyAddrs()

    def getId(self) -> int:
        return self.id

    def recreateSocketAddresses(self) -> None:
        """Look the host names up again (a peer may have moved); on failure keep the old addresses."""
        if self.addr.isEmpty():
            LOG.warning("Server address has not been initialized")
            return
        if self.electionAddr.isEmpty():
            LOG.warning("Election address has not been initialized")
            return
        self.addr.recreateSocketAddresses()
        self.electionAddr.recreateSocketAddresses()

    @staticmethod
    def _getType(s: str) -> LearnerType:
        lowered = s.strip().lower()
        if lowered == "observer":
            return LearnerType.OBSERVER
        if lowered == "participant":
            return LearnerType.PARTICIPANT
        from pyzookeeper.server.quorum.QuorumPeerConfig import ConfigException
        raise ConfigException("Unrecognised peertype: " + s)

    def _initializeWithAddressString(self, addressStr: str) -> None:
        from pyzookeeper.server.quorum.QuorumPeerConfig import ConfigException

        newType: LearnerType | None = None
        serverClientParts = java_split(addressStr, ";")
        serverAddresses = java_split(serverClientParts[0], "|") if serverClientParts else []

        if len(serverClientParts) == 2:
            clientParts = ConfigUtils.getHostAndPort(serverClientParts[1])
            if len(clientParts) > 2:
                raise ConfigException(addressStr + self._wrongFormat)
            clientHostName = clientParts[0] if len(clientParts) == 2 else "0.0.0.0"
            try:
                self.clientAddr = InetSocketAddress(clientHostName, parse_java_int(clientParts[-1]))
            except ValueError as e:
                hostname = "null" if self.hostname is None else self.hostname
                raise ConfigException(f"Address unresolved: {hostname}:{clientParts[-1]}") from e

        multiAddressEnabled = system_properties.getProperty(
            QuorumPeer.CONFIG_KEY_MULTI_ADDRESS_ENABLED, QuorumPeer.CONFIG_DEFAULT_MULTI_ADDRESS_ENABLED)
        if multiAddressEnabled.lower() != "true" and len(serverAddresses) > 1:
            raise ConfigException(
                f"Multiple address feature is disabled, but multiple addresses were specified for sid {self.id}")

        canonicalize = system_properties.getProperty(
            QuorumPeer.CONFIG_KEY_KERBEROS_CANONICALIZE_HOST_NAMES,
            QuorumPeer.CONFIG_DEFAULT_KERBEROS_CANONICALIZE_HOST_NAMES).lower() == "true"

        if not serverAddresses or len(serverClientParts) > 2:
            raise ConfigException(addressStr + self._wrongFormat)
        for serverAddress in serverAddresses:
            serverParts = ConfigUtils.getHostAndPort(serverAddress)
            if len(serverParts) < 3 or len(serverParts) > 4:
                raise ConfigException(addressStr + self._wrongFormat)
            serverHostName = serverParts[0]
            try:
                tempAddress = InetSocketAddress(serverHostName, parse_java_int(serverParts[1]))
            except ValueError as e:
                raise ConfigException(f"Address unresolved: {serverHostName}:{serverParts[1]}") from e
            self.addr.addAddress(tempAddress)
            try:
                tempElectionAddress = InetSocketAddress(serverHostName, parse_java_int(serverParts[2]))
            except ValueError as e:
                raise ConfigException(f"Address unresolved: {serverHostName}:{serverParts[2]}") from e
            self.electionAddr.addAddress(tempElectionAddress)

            if tempAddress.getPort() == tempElectionAddress.getPort():
                raise ConfigException("Client and election port must be different! Please update the "
                                      f"configuration file on server.{self.id}")

            if canonicalize:
                ia = tempAddress.getAddress()
                if ia is None:
                    raise ConfigException(
                        f"Unable to canonicalize address {serverHostName} because it's not resolvable")
                canonicalHostName = ia.getCanonicalHostName()
                if canonicalHostName != serverHostName and canonicalHostName != ia.getHostAddress():
                    LOG.info("Host name for quorum server %s canonicalized from %s to %s",
                             self.id, serverHostName, canonicalHostName)
                    serverHostName = canonicalHostName

            if len(serverParts) == 4:
                tempType = self._getType(serverParts[3])
                if newType is None:
                    newType = tempType
                if newType != tempType:
                    raise ConfigException(
                        f"Multiple addresses should have similar roles: {self.type} vs {tempType}")

            self.hostname = serverHostName

        if newType is not None:
            self.type = newType
        self._setMyAddrs()

    def _setMyAddrs(self) -> None:
        addrs = [*self.addr.getAllAddresses(), self.clientAddr, *self.electionAddr.getAllAddresses()]
        self._myAddrs = self._excludedSpecialAddresses(addrs)

    @staticmethod
    def delimitedHostString(addr: InetSocketAddress) -> str:
        host = addr.getHostString()
        return f"[{host}]" if ":" in host else host

    def toString(self) -> str:
        """The ``server.N`` value: ``host:port:port[|...]:type[;clientHost:clientPort]``."""
        out = []
        addrList = sorted(self.addr.getAllAddresses(), key=InetSocketAddress.getHostString)
        electionAddrList = sorted(self.electionAddr.getAllAddresses(), key=InetSocketAddress.getHostString)
        if addrList and electionAddrList:
            out.append("|".join(
                f"{self.delimitedHostString(a)}:{a.getPort()}:{e.getPort()}"
                for a, e in zip(addrList, electionAddrList)))
        if self.type == LearnerType.OBSERVER:
            out.append(":observer")
        elif self.type == LearnerType.PARTICIPANT:
            out.append(":participant")
        if self.clientAddr is not None and not self.isClientAddrFromStatic:
            out.append(f";{self.delimitedHostString(self.clientAddr)}:{self.clientAddr.getPort()}")
        return "".join(out)

    __str__ = toString

    def __repr__(self) -> str:
        return f"QuorumServer(server.{self.id}={self.toString()})"

    def __hash__(self) -> int:
        return hash(self.id)

    def __eq__(self, o: object) -> bool:
        if not isinstance(o, QuorumServer):
            return False
        if o.id != self.id or o.type != self.type:
            return False
        if self.addr != o.addr or self.electionAddr != o.electionAddr:
            return False
        return self.clientAddr == o.clientAddr

    def checkAddressDuplicate(self, s: QuorumServer) -> None:
        """Raise BadArgumentsException when ``s`` uses one of this server's addresses."""
        otherAddrs = self._excludedSpecialAddresses(
            [*s.addr.getAllAddresses(), s.clientAddr, *s.electionAddr.getAllAddresses()])
        for my in self._myAddrs:
            for other in otherAddrs:
                if my == other:
                    raise KeeperException.BadArgumentsException(
                        f"{my} of server.{self.id} conflicts {other} of server.{s.id}")

    @staticmethod
    def _excludedSpecialAddresses(addrs: list[InetSocketAddress | None]) -> list[InetSocketAddress]:
        included = []
        for addr in addrs:
            if addr is None:
                continue
            inetaddr = addr.getAddress()
            if inetaddr is None or inetaddr.isAnyLocalAddress() or inetaddr.isLoopbackAddress():
                continue
            included.append(addr)
        return included


class QuorumPeer(ZooKeeperThread, QuorumStats.Provider):
    """A server of a replicated ensemble."""

    QuorumServer = QuorumServer
    AddressTuple = AddressTuple
    ServerState = ServerState
    ZabState = ZabState
    SyncMode = SyncMode
    LearnerType = LearnerType

    CONFIG_KEY_KERBEROS_CANONICALIZE_HOST_NAMES = "zookeeper.kerberos.canonicalizeHostNames"
    CONFIG_DEFAULT_KERBEROS_CANONICALIZE_HOST_NAMES = "false"
    CONFIG_KEY_MULTI_ADDRESS_ENABLED = "zookeeper.multiAddress.enabled"
    CONFIG_DEFAULT_MULTI_ADDRESS_ENABLED = "false"
    CONFIG_KEY_MULTI_ADDRESS_REACHABILITY_CHECK_TIMEOUT_MS = "zookeeper.multiAddress.reachabilityCheckTimeoutMs"
    CONFIG_KEY_MULTI_ADDRESS_REACHABILITY_CHECK_ENABLED = "zookeeper.multiAddress.reachabilityCheckEnabled"
    QUORUM_CNXN_THREADS_SIZE_DEFAULT_VALUE = 20
    QUORUM_CNXN_TIMEOUT_MS = "zookeeper.quorumCnxnTimeoutMs"
    quorumCnxnTimeoutMs: int | None = None
    SYNC_ENABLED = "zookeeper.observer.syncEnabled"
    OBSERVER_ID = (1 << 63) - 1
    FLE_TIME_UNIT = "MS"

    CURRENT_EPOCH_FILENAME = "currentEpoch"
    ACCEPTED_EPOCH_FILENAME = "acceptedEpoch"

    def __init__(self) -> None:
        from pyzookeeper.server.quorum.QuorumPeerConfig import QuorumPeerConfig

        super().__init__("QuorumPeer")
        self._lock = threading.RLock()
        self.QV_LOCK = threading.Condition(threading.RLock())
        self.qcm = None
        self.zkDb = None
        self.logFactory = None
        self.cnxnFactory = None
        self.secureCnxnFactory = None
        self.jvmPauseMonitor = None
        self.myid = 0
        self.electionType = 0
        self.tickTime = 0
        self.minSessionTimeout = -1
        self.maxSessionTimeout = -1
        self.clientPortListenBacklog = -1
        self.initLimit = 0
        self.syncLimit = 0
        self.connectToLearnerMasterLimit = 0
        self.observerMasterPort = 0
        self.observerMasters: list[QuorumServer] = []
        self.nextObserverMaster = 0
        self.localSessionsEnabled = False
        self.localSessionsUpgradingEnabled = True
        self.syncEnabled = True
        self.quorumListenOnAllIPs = False
        self.sslQuorum = False
        self._shouldUsePortUnification = False
        self.multiAddressEnabled = True
        self.multiAddressReachabilityCheckTimeoutMs = int(MultipleAddresses.DEFAULT_TIMEOUT.total_seconds() * 1000)
        self.multiAddressReachabilityCheckEnabled = True
        self.quorumSaslEnableAuth = False
        self.quorumServerSaslAuthRequired = False
        self.quorumLearnerSaslAuthRequired = False
        self.quorumServicePrincipal: str | None = None
        self.quorumLearnerLoginContext: str | None = None
        self.quorumServerLoginContext: str | None = None
        self.quorumCnxnThreadsSize = self.QUORUM_CNXN_THREADS_SIZE_DEFAULT_VALUE
        self.learnerType = LearnerType.PARTICIPANT
        self.configFilename: str | None = None
        self.quorumVerifier = None
        self.lastSeenQuorumVerifier = None
        self.myAddrs: AddressTuple | None = None
        self.acceptedEpoch = -1
        self.currentEpoch = -1
        self.start_fle = 0
        self.end_fle = 0
        self.electionTimeTaken = 0
        self.unavailableStartTime = 0
        self.tick = 0
        self.initialConfig: str | None = None
        self.currentVote = None
        self.running = True
        self.state = ServerState.LOOKING
        self.zabState = ZabState.ELECTION
        self.syncMode = SyncMode.NONE
        self.leaderAddress: str | None = ""
        self.leaderId = -1
        self.reconfigFlag = False
        self.shuttingDownLE = False
        self.electionAlg = None
        self.follower = None
        self.leader = None
        self.observer = None
        self.authServer = None
        self.authLearner = None
        self.jmxLeaderElectionBean = None
        self.jmxLocalPeerBean = None
        self._quorumStats = QuorumStats(self)
        from pyzookeeper.server.admin.AdminServerFactory import AdminServerFactory
        self.adminServer = AdminServerFactory.createAdminServer()
        self.initialize()
        self.reconfigEnabled = QuorumPeerConfig.isReconfigEnabled()

    # -- configuration -------------------------------------------------------------------------

    def getMyId(self) -> int:
        return self.myid

    def setMyid(self, myid: int) -> None:
        self.myid = myid

    def getLearnerType(self) -> LearnerType:
        return self.learnerType

    def setLearnerType(self, p: LearnerType) -> None:
        self.learnerType = p

    def setConfigFileName(self, s: str | None) -> None:
        with self._lock:
            self.configFilename = s

    def getElectionType(self) -> int:
        return self.electionType

    def setElectionType(self, type: int) -> None:
        self.electionType = type

    def getTickTime(self) -> int:
        return self.tickTime

    def setTickTime(self, tickTime: int) -> None:
        LOG.info("tickTime set to %s", tickTime)
        self.tickTime = tickTime

    def getMinSessionTimeout(self) -> int:
        return self.minSessionTimeout

    def setMinSessionTimeout(self, min: int) -> None:
        self.minSessionTimeout = min

    def getMaxSessionTimeout(self) -> int:
        return self.maxSessionTimeout

    def setMaxSessionTimeout(self, max: int) -> None:
        self.maxSessionTimeout = max

    def getClientPortListenBacklog(self) -> int:
        return self.clientPortListenBacklog

    def setClientPortListenBacklog(self, backlog: int) -> None:
        self.clientPortListenBacklog = backlog

    def getInitLimit(self) -> int:
        return self.initLimit

    def setInitLimit(self, initLimit: int) -> None:
        LOG.info("initLimit set to %s", initLimit)
        self.initLimit = initLimit

    def getSyncLimit(self) -> int:
        return self.syncLimit

    def setSyncLimit(self, syncLimit: int) -> None:
        LOG.info("syncLimit set to %s", syncLimit)
        self.syncLimit = syncLimit

    def getConnectToLearnerMasterLimit(self) -> int:
        return self.connectToLearnerMasterLimit

    def setConnectToLearnerMasterLimit(self, connectToLearnerMasterLimit: int) -> None:
        LOG.info("connectToLearnerMasterLimit set to %s", connectToLearnerMasterLimit)
        self.connectToLearnerMasterLimit = connectToLearnerMasterLimit

    def getObserverMasterPort(self) -> int:
        return self.observerMasterPort

    def setObserverMasterPort(self, observerMasterPort: int) -> None:
        self.observerMasterPort = observerMasterPort

    def areLocalSessionsEnabled(self) -> bool:
        return self.localSessionsEnabled

    def enableLocalSessions(self, flag: bool) -> None:
        LOG.info("Local sessions %s", "enabled" if flag else "disabled")
        self.localSessionsEnabled = flag

    def isLocalSessionsUpgradingEnabled(self) -> bool:
        return self.localSessionsUpgradingEnabled

    def enableLocalSessionsUpgrading(self, flag: bool) -> None:
        LOG.info("Local session upgrading %s", "enabled" if flag else "disabled")
        self.localSessionsUpgradingEnabled = flag

    def getSyncEnabled(self) -> bool:
        """``zookeeper.observer.syncEnabled`` wins over the configured value."""
        if system_properties.getProperty(self.SYNC_ENABLED) is not None:
            LOG.info("%s=%s", self.SYNC_ENABLED, _java_bool(system_properties.getBoolean(self.SYNC_ENABLED)))
            return system_properties.getBoolean(self.SYNC_ENABLED)
        return self.syncEnabled

    def setSyncEnabled(self, syncEnabled: bool) -> None:
        self.syncEnabled = syncEnabled
        LOG.info("%s set to %s", self.SYNC_ENABLED, _java_bool(syncEnabled))

    def getQuorumListenOnAllIPs(self) -> bool:
        return self.quorumListenOnAllIPs

    def setQuorumListenOnAllIPs(self, quorumListenOnAllIPs: bool) -> None:
        self.quorumListenOnAllIPs = quorumListenOnAllIPs

    def isSslQuorum(self) -> bool:
        return self.sslQuorum

    def setSslQuorum(self, sslQuorum: bool) -> None:
        if sslQuorum:
            LOG.info("Using TLS encrypted quorum communication")
        else:
            LOG.info("Using insecure (non-TLS) quorum communication")
        self.sslQuorum = sslQuorum

    def setUsePortUnification(self, shouldUsePortUnification: bool) -> None:
        LOG.info("Port unification %s", "enabled" if shouldUsePortUnification else "disabled")
        self._shouldUsePortUnification = shouldUsePortUnification

    def shouldUsePortUnification(self) -> bool:
        return self._shouldUsePortUnification

    def isMultiAddressEnabled(self) -> bool:
        return self.multiAddressEnabled

    def setMultiAddressEnabled(self, multiAddressEnabled: bool) -> None:
        self.multiAddressEnabled = multiAddressEnabled
        LOG.info("multiAddress.enabled set to %s", _java_bool(multiAddressEnabled))

    def getMultiAddressReachabilityCheckTimeoutMs(self) -> int:
        return self.multiAddressReachabilityCheckTimeoutMs

    def setMultiAddressReachabilityCheckTimeoutMs(self, timeoutMs: int) -> None:
        self.multiAddressReachabilityCheckTimeoutMs = timeoutMs
        LOG.info("multiAddress.reachabilityCheckTimeoutMs set to %s", timeoutMs)

    def isMultiAddressReachabilityCheckEnabled(self) -> bool:
        return self.multiAddressReachabilityCheckEnabled

    def setMultiAddressReachabilityCheckEnabled(self, enabled: bool) -> None:
        self.multiAddressReachabilityCheckEnabled = enabled
        LOG.info("multiAddress.reachabilityCheckEnabled set to %s", _java_bool(enabled))

    def isQuorumSaslAuthEnabled(self) -> bool:
        return self.quorumSaslEnableAuth

    def setQuorumSaslEnabled(self, enableAuth: bool) -> None:
        self.quorumSaslEnableAuth = enableAuth
        if not enableAuth:
            LOG.info("QuorumPeer communication is not secured! (SASL auth disabled)")
        else:
            LOG.info("quorum.auth.enableSasl set to %s", _java_bool(enableAuth))

    def setQuorumServerSaslRequired(self, serverSaslRequired: bool) -> None:
        self.quorumServerSaslAuthRequired = serverSaslRequired
        LOG.info("quorum.auth.serverRequireSasl set to %s", _java_bool(serverSaslRequired))

    def setQuorumLearnerSaslRequired(self, learnerSaslRequired: bool) -> None:
        self.quorumLearnerSaslAuthRequired = learnerSaslRequired
        LOG.info("quorum.auth.learnerRequireSasl set to %s", _java_bool(learnerSaslRequired))

    def setQuorumServicePrincipal(self, servicePrincipal: str) -> None:
        self.quorumServicePrincipal = servicePrincipal
        LOG.info("quorum.auth.kerberos.servicePrincipal set to %s", servicePrincipal)

    def setQuorumLearnerLoginContext(self, learnerContext: str) -> None:
        self.quorumLearnerLoginContext = learnerContext
        LOG.info("quorum.auth.learner.saslLoginContext set to %s", learnerContext)

    def setQuorumServerLoginContext(self, serverContext: str) -> None:
        self.quorumServerLoginContext = serverContext
        LOG.info("quorum.auth.server.saslLoginContext set to %s", serverContext)

    def setQuorumCnxnThreadsSize(self, qCnxnThreadsSize: int) -> None:
        if qCnxnThreadsSize > self.QUORUM_CNXN_THREADS_SIZE_DEFAULT_VALUE:
            self.quorumCnxnThreadsSize = qCnxnThreadsSize
        LOG.info("quorum.cnxn.threads.size set to %s", self.quorumCnxnThreadsSize)

    def setJvmPauseMonitor(self, jvmPauseMonitor) -> None:
        self.jvmPauseMonitor = jvmPauseMonitor

    def setCnxnFactory(self, cnxnFactory) -> None:
        self.cnxnFactory = cnxnFactory

    def setSecureCnxnFactory(self, secureCnxnFactory) -> None:
        self.secureCnxnFactory = secureCnxnFactory

    def getTxnFactory(self):
        return self.logFactory

    def setTxnFactory(self, factory) -> None:
        self.logFactory = factory

    def getZkDb(self):
        return self.zkDb

    def setZKDatabase(self, database) -> None:
        self.zkDb = database

    def initConfigInZKDatabase(self) -> None:
        with self._lock:
            if self.zkDb is not None:
                self.zkDb.initConfigInZKDatabase(self.getQuorumVerifier())

    def isReconfigEnabled(self) -> bool:
        return self.reconfigEnabled

    # -- the ensemble ----------------------------------------------------------------------------

    def getView(self) -> dict[int, QuorumServer]:
        """Every server of the committed configuration, participants and observers."""
        return dict(self.getQuorumVerifier().getAllMembers())

    def getVotingView(self) -> dict[int, QuorumServer]:
        return self.getQuorumVerifier().getVotingMembers()

    def getObservingView(self) -> dict[int, QuorumServer]:
        return self.getQuorumVerifier().getObservingMembers()

    def getQuorumSize(self) -> int:
        return len(self.getVotingView())

    def getQuorumVerifier(self):
        with self.QV_LOCK:
            return self.quorumVerifier

    def getLastSeenQuorumVerifier(self):
        with self.QV_LOCK:
            return self.lastSeenQuorumVerifier

    def getNextDynamicConfigFilename(self) -> str | None:
        if self.configFilename is None:
            LOG.warning("configFilename is null! This should only happen in tests.")
            return None
        from pyzookeeper.server.quorum.QuorumPeerConfig import QuorumPeerConfig
        return self.configFilename + QuorumPeerConfig.nextDynamicConfigFileSuffix

    def setLastSeenQuorumVerifier(self, qv, writeToDisk: bool) -> None:
        """Remember a proposed configuration (and write ``<cfg>.dynamic.next``)."""
        if not self.isReconfigEnabled():
            LOG.info("Dynamic reconfig is disabled, we don't store the last seen config.")
            return
        from pyzookeeper.server.quorum.QuorumPeerConfig import QuorumPeerConfig

        qcm = self.qcm
        outer = qcm if qcm is not None else self.QV_LOCK
        with outer, self.QV_LOCK:
            if self.lastSeenQuorumVerifier is not None and self.lastSeenQuorumVerifier.getVersion() > qv.getVersion():
                LOG.error("setLastSeenQuorumVerifier called with stale config %s. Current version: %s",
                          qv.getVersion(), self.quorumVerifier.getVersion())
            if self.lastSeenQuorumVerifier is not None and self.lastSeenQuorumVerifier.getVersion() == qv.getVersion():
                return
            self.lastSeenQuorumVerifier = qv
            if qcm is not None:
                self._connectNewPeers(qcm)
            if writeToDisk:
                try:
                    fileName = self.getNextDynamicConfigFilename()
                    if fileName is not None:
                        QuorumPeerConfig.writeDynamicConfig(fileName, qv, True)
                except OSError:
                    LOG.error("Error writing next dynamic config file to disk", exc_info=True)

    def _connectNewPeers(self, qcm) -> None:
        if self.quorumVerifier is not None and self.lastSeenQuorumVerifier is not None:
            committedView = self.quorumVerifier.getAllMembers()
            for sid in self.lastSeenQuorumVerifier.getAllMembers():
                if sid != self.getMyId() and sid not in committedView:
                    qcm.connectOne(sid)

    def setQuorumVerifier(self, qv, writeToDisk: bool):
        """Install a committed configuration; with ``writeToDisk`` write it as
        ``<cfg>.dynamic.<hex version>`` and point the static file at it."""
        from pyzookeeper.server.quorum.QuorumPeerConfig import QuorumPeerConfig

        with self.QV_LOCK:
            if self.quorumVerifier is not None and self.quorumVerifier.getVersion() >= qv.getVersion():
                LOG.debug("%s setQuorumVerifier called with known or old config %s. Current version: %s",
                          self.getMyId(), qv.getVersion(), self.quorumVerifier.getVersion())
                return self.quorumVerifier
            prevQV = self.quorumVerifier
            self.quorumVerifier = qv
            if self.lastSeenQuorumVerifier is None or qv.getVersion() > self.lastSeenQuorumVerifier.getVersion():
                self.lastSeenQuorumVerifier = qv
            if writeToDisk:
                if self.configFilename is not None:
                    try:
                        dynamicConfigFilename = self._makeDynamicConfigFilename(qv.getVersion())
                        QuorumPeerConfig.writeDynamicConfig(dynamicConfigFilename, qv, False)
                        QuorumPeerConfig.editStaticConfig(self.configFilename, dynamicConfigFilename,
                                                          self._needEraseClientInfoFromStaticConfig())
                    except OSError:
                        LOG.error("Error closing file", exc_info=True)
                else:
                    LOG.info("writeToDisk == true but configFilename == null")
            if qv.getVersion() == self.lastSeenQuorumVerifier.getVersion():
                QuorumPeerConfig.deleteFile(self.getNextDynamicConfigFilename())
            qs = qv.getAllMembers().get(self.getMyId())
            if qs is not None:
                self._setAddrs(qs.addr, qs.electionAddr, qs.clientAddr)
            self._updateObserverMasterList()
            return prevQV

    def _makeDynamicConfigFilename(self, version: int) -> str:
        return f"{self.configFilename}.dynamic.{ZxidUtils.zxidToString(version)}"

    def _needEraseClientInfoFromStaticConfig(self) -> bool:
        server = self.quorumVerifier.getAllMembers().get(self.getMyId())
        return server is not None and server.clientAddr is not None and not server.isClientAddrFromStatic

    def _updateObserverMasterList(self) -> None:
        if self.observerMasterPort <= 0:
            return
        self.observerMasters.clear()
        listed = []
        for server in self.quorumVerifier.getVotingMembers().values():
            address = server.addr.getReachableOrOne().getAddress()
            addr = InetSocketAddress(address, self.observerMasterPort)
            self.observerMasters.append(QuorumServer(server.id, addr))
            listed.append(f"{addr},")
        LOG.info("Updated learner master list to be %s", "".join(listed))
        random.shuffle(self.observerMasters)
        self.nextObserverMaster = 0

    def _getAddrs(self) -> AddressTuple:
        with self.QV_LOCK:
            while self.myAddrs is None:
                self.QV_LOCK.wait()
            return self.myAddrs

    def getQuorumAddress(self) -> MultipleAddresses:
        return self._getAddrs().quorumAddr

    def getElectionAddress(self) -> MultipleAddresses:
        return self._getAddrs().electionAddr

    def getClientAddress(self) -> InetSocketAddress | None:
        addrs = self.myAddrs
        return None if addrs is None else addrs.clientAddr

    def _setAddrs(self, quorumAddr: MultipleAddresses, electionAddr: MultipleAddresses,
                  clientAddr: InetSocketAddress | None) -> None:
        with self.QV_LOCK:
            self.myAddrs = AddressTuple(quorumAddr, electionAddr, clientAddr)
            self.QV_LOCK.notify_all()

    # -- epochs -------------------------------------------------------------------------------

    def loadDataBase(self) -> None:
        """Load the database, then the epoch files, creating missing ones from
        the epoch of the last zxid and refusing epochs that contradict it."""
        try:
            self.zkDb.loadDataBase()
            lastProcessedZxid = self.zkDb.getDataTree().lastProcessedZxid
            epochOfZxid = ZxidUtils.getEpochFromZxid(lastProcessedZxid)
            try:
                self.currentEpoch = self._readLongFromFile(self.CURRENT_EPOCH_FILENAME)
            except FileNotFoundError:
                self.currentEpoch = epochOfZxid
                LOG.info("%s not found! Creating with a reasonable default of %s. "
                         "This should only happen when you are upgrading your installation",
                         self.CURRENT_EPOCH_FILENAME, self.currentEpoch)
                self.writeLongToFile(self.CURRENT_EPOCH_FILENAME, self.currentEpoch)
            if epochOfZxid > self.currentEpoch:
                currentTmp = os.path.join(self.getTxnFactory().getSnapDir(),
                                          self.CURRENT_EPOCH_FILENAME + AtomicFileOutputStream.TMP_EXTENSION)
                if os.path.exists(currentTmp):
                    epochOfTmp = self._readLongFromFile(os.path.basename(currentTmp))
                    LOG.info("%s found. Setting current epoch to %s.", currentTmp, epochOfTmp)
                    self.setCurrentEpoch(epochOfTmp)
                else:
                    raise OSError(f"The current epoch, {ZxidUtils.zxidToString(self.currentEpoch)}, "
                                  f"is older than the last zxid, {lastProcessedZxid}")
            try:
                self.acceptedEpoch = self._readLongFromFile(self.ACCEPTED_EPOCH_FILENAME)
            except FileNotFoundError:
                self.acceptedEpoch = epochOfZxid
                LOG.info("%s not found! Creating with a reasonable default of %s. "
                         "This should only happen when you are upgrading your installation",
                         self.ACCEPTED_EPOCH_FILENAME, self.acceptedEpoch)
                self.writeLongToFile(self.ACCEPTED_EPOCH_FILENAME, self.acceptedEpoch)
            if self.acceptedEpoch < self.currentEpoch:
                raise OSError(f"The accepted epoch, {ZxidUtils.zxidToString(self.acceptedEpoch)} "
                              f"is less than the current epoch, {ZxidUtils.zxidToString(self.currentEpoch)}")
        except OSError as ie:
            LOG.error("Unable to load database on disk", exc_info=ie)
            raise RuntimeError("Unable to run quorum server ") from ie

    def _readLongFromFile(self, name: str) -> int:
        file = os.path.join(self.logFactory.getSnapDir(), name)
        with open(file, encoding="utf-8", errors="replace", newline="") as br:
            line = java_read_line(br.read())
        try:
            return parse_java_long(line)
        except ValueError:
            raise OSError(f"Found {'null' if line is None else line} in {file}") from None

    def writeLongToFile(self, name: str, value: int) -> None:
        """Write ``value`` in decimal to ``<snapDir>/<name>`` atomically (temp file, fsync, rename)."""
        file = os.path.join(self.logFactory.getSnapDir(), name)
        AtomicFileWritingIdiom(file, AtomicFileWritingIdiom.WriterStatement(lambda bw: bw.write(str(value))))

    def getCurrentEpoch(self) -> int:
        if self.currentEpoch == -1:
            self.currentEpoch = self._readLongFromFile(self.CURRENT_EPOCH_FILENAME)
        return self.currentEpoch

    def getAcceptedEpoch(self) -> int:
        if self.acceptedEpoch == -1:
            self.acceptedEpoch = self._readLongFromFile(self.ACCEPTED_EPOCH_FILENAME)
        return self.acceptedEpoch

    def setCurrentEpoch(self, e: int) -> None:
        self.writeLongToFile(self.CURRENT_EPOCH_FILENAME, e)
        self.currentEpoch = e

    def setAcceptedEpoch(self, e: int) -> None:
        self.writeLongToFile(self.ACCEPTED_EPOCH_FILENAME, e)
        self.acceptedEpoch = e

    # -- votes and state ----------------------------------------------------------------------------

    def getCurrentVote(self):
        with self._lock:
            return self.currentVote

    def setCurrentVote(self, v) -> None:
        with self._lock:
            self.currentVote = v

    def setPeerState(self, newState: ServerState) -> None:
        with self._lock:
            self.state = newState
            if newState == ServerState.LOOKING:
                self.setLeaderAddressAndId(None, -1)
                self.setZabState(ZabState.ELECTION)
            else:
                LOG.info("Peer state changed: %s", self.getDetailedPeerState())

    def getPeerState(self) -> ServerState:
        return self.state

    def setZabState(self, zabState: ZabState) -> None:
        from pyzookeeper.server.ServerMetrics import ServerMetrics

        if zabState == ZabState.BROADCAST and self.unavailableStartTime != 0:
            unavailableTime = Time.currentElapsedTime() - self.unavailableStartTime
            ServerMetrics.getMetrics().UNAVAILABLE_TIME.add(unavailableTime)
            if self.getPeerState() == ServerState.LEADING:
                ServerMetrics.getMetrics().LEADER_UNAVAILABLE_TIME.add(unavailableTime)
            self.unavailableStartTime = 0
        self.zabState = zabState
        LOG.info("Peer state changed: %s", self.getDetailedPeerState())

    def setSyncMode(self, syncMode: SyncMode) -> None:
        self.syncMode = syncMode
        LOG.info("Peer state changed: %s", self.getDetailedPeerState())

    def getZabState(self) -> ZabState:
        return self.zabState

    def getSyncMode(self) -> SyncMode:
        return self.syncMode

    def setLeaderAddressAndId(self, addr: MultipleAddresses | None, newId: int) -> None:
        self.leaderAddress = "|".join(addr.getAllHostStrings()) if addr is not None else None
        self.leaderId = newId

    def getLeaderAddress(self) -> str | None:
        return self.leaderAddress

    def getLeaderId(self) -> int:
        return self.leaderId

    def getDetailedPeerState(self) -> str:
        sb = [self.getPeerState().name.lower()]
        if self.zabState != ZabState.ELECTION:
            sb.append(" - " + self.zabState.name.lower())
        if self.syncMode != SyncMode.NONE:
            sb.append(" - " + self.syncMode.name.lower())
        return "".join(sb)

    def reconfigFlagSet(self) -> None:
        with self._lock:
            self.reconfigFlag = True

    def reconfigFlagClear(self) -> None:
        with self._lock:
            self.reconfigFlag = False

    def isReconfigStateChange(self) -> bool:
        with self._lock:
            return self.reconfigFlag

    def recreateSocketAddresses(self, id: int) -> None:
        """Look up the addresses of server ``id`` again (in both configurations)."""
        qv = self.getQuorumVerifier()
        if qv is not None:
            qs = qv.getAllMembers().get(id)
            if qs is not None:
                qs.recreateSocketAddresses()
                if id == self.getMyId():
                    self._setAddrs(qs.addr, qs.electionAddr, qs.clientAddr)
        qv = self.getLastSeenQuorumVerifier()
        if qv is not None:
            qs = qv.getAllMembers().get(id)
            if qs is not None:
                qs.recreateSocketAddresses()

    def setInitialConfig(self, initialConfig: str | None) -> None:
        self.initialConfig = initialConfig

    def getInitialConfig(self) -> str | None:
        return self.initialConfig

    def getTick(self) -> int:
        return self.tick

    def setElectionTimeTaken(self, electionTimeTaken: int) -> None:
        self.electionTimeTaken = electionTimeTaken

    def getElectionTimeTaken(self) -> int:
        return self.electionTimeTaken

    def isLeader(self, id: int) -> bool:
        vote = self.getCurrentVote()
        return vote is not None and id == vote.getId()

    def isRunning(self) -> bool:
        return self.running

    def getQuorumCnxManager(self):
        return self.qcm

    def getElectionAlg(self):
        return self.electionAlg

    def quorumStats(self) -> QuorumStats:
        return self._quorumStats

    # -- life cycle ----------------------------------------------------------------------------------

    def initialize(self) -> None:
        """Create the quorum authenticators (SASL when ``quorum.auth.enableSasl``)."""
        from pyzookeeper.server.quorum.auth.NullQuorumAuthLearner import NullQuorumAuthLearner
        from pyzookeeper.server.quorum.auth.NullQuorumAuthServer import NullQuorumAuthServer

        if self.isQuorumSaslAuthEnabled():
            raise RuntimeError("Quorum SASL authentication (quorum.auth.enableSasl) is not supported "
                               "by this server")
        self.authServer = NullQuorumAuthServer()
        self.authLearner = NullQuorumAuthLearner()

    def start(self) -> None:
        """Load the database, open the client port and the AdminServer, start
        leader election, then the peer's own thread."""
        from pyzookeeper.server.admin.AdminServer import AdminServerException

        with self._lock:
            if self.myid not in self.getView():
                raise RuntimeError(f"My id {self.myid} not in the peer list")
            _import_role_modules()
            self.loadDataBase()
            self._startServerCnxnFactory()
            try:
                self.adminServer.start()
            except AdminServerException as e:
                LOG.warning("Problem starting AdminServer", exc_info=e)
            self.startLeaderElection()
            super().start()

    def stopLeaderElection(self) -> None:
        """Java stops its UDP responder here; 3.8's election has none."""

    def startLeaderElection(self) -> None:
        with self._lock:
            if self.getPeerState() == ServerState.LOOKING:
                from pyzookeeper.server.quorum.Vote import Vote
                self.currentVote = Vote(self.myid, self.getLastLoggedZxid(), self.getCurrentEpoch())
            self.electionAlg = self.createElectionAlgorithm(self.electionType)

    @staticmethod
    def countParticipants(peers: dict[int, QuorumServer]) -> int:
        return sum(1 for q in peers.values() if q.type == LearnerType.PARTICIPANT)

    def getLastLoggedZxid(self) -> int:
        if not self.zkDb.isInitialized():
            self.loadDataBase()
        return self.zkDb.getDataTreeLastProcessedZxid()

    def makeFollower(self, logFactory):
        from pyzookeeper.server.quorum.Follower import Follower
        from pyzookeeper.server.quorum.FollowerZooKeeperServer import FollowerZooKeeperServer
        return Follower(self, FollowerZooKeeperServer(logFactory, self, self.zkDb))

    def makeLeader(self, logFactory):
        from pyzookeeper.server.quorum.Leader import Leader
        from pyzookeeper.server.quorum.LeaderZooKeeperServer import LeaderZooKeeperServer
        return Leader(self, LeaderZooKeeperServer(logFactory, self, self.zkDb))

    def makeObserver(self, logFactory):
        from pyzookeeper.server.quorum.Observer import Observer
        from pyzookeeper.server.quorum.ObserverZooKeeperServer import ObserverZooKeeperServer
        return Observer(self, ObserverZooKeeperServer(logFactory, self, self.zkDb))

    def createElectionAlgorithm(self, electionAlgorithm: int):
        from pyzookeeper.server.quorum.FastLeaderElection import FastLeaderElection

        if electionAlgorithm in (1, 2):
            raise NotImplementedError(f"Election Algorithm {electionAlgorithm} is not supported.")
        if electionAlgorithm != 3:
            raise ValueError(f"Unknown election algorithm {electionAlgorithm}")
        qcm = self.createCnxnManager()
        oldQcm, self.qcm = self.qcm, qcm
        if oldQcm is not None:
            LOG.warning("Clobbering already-set QuorumCnxManager (restarting leader election?)")
            oldQcm.halt()
        listener = qcm.listener
        if listener is None:
            LOG.error("Null listener when initializing cnx manager")
            return None
        listener.start()
        fle = FastLeaderElection(self, qcm)
        fle.start()
        return fle

    def makeLEStrategy(self):
        LOG.debug("Initializing leader election protocol...")
        return self.electionAlg

    def setLeader(self, newLeader) -> None:
        with self._lock:
            self.leader = newLeader

    def setFollower(self, newFollower) -> None:
        with self._lock:
            self.follower = newFollower

    def setObserver(self, newObserver) -> None:
        with self._lock:
            self.observer = newObserver

    def getActiveServer(self):
        with self._lock:
            if self.leader is not None:
                return self.leader.zk
            if self.follower is not None:
                return self.follower.zk
            if self.observer is not None:
                return self.observer.zk
            return None

    def run(self) -> None:
        """The state loop: elect, then lead, follow or observe until that ends, then elect again."""
        from pyzookeeper.server.ServerMetrics import ServerMetrics

        self._updateThreadName()
        LOG.debug("Starting quorum peer")
        try:
            while self.running:
                if self.unavailableStartTime == 0:
                    self.unavailableStartTime = Time.currentElapsedTime()
                state = self.getPeerState()
                if state == ServerState.LOOKING:
                    LOG.info("LOOKING")
                    ServerMetrics.getMetrics().LOOKING_COUNT.add(1)
                    if system_properties.getBoolean("readonlymode.enabled"):
                        self._lookWithReadOnlyServer()
                    else:
                        try:
                            self._lookForLeader()
                        except Exception as e:
                            LOG.warning("Unexpected exception", exc_info=e)
                            self.setPeerState(ServerState.LOOKING)
                elif state == ServerState.OBSERVING:
                    try:
                        LOG.info("OBSERVING")
                        self.setObserver(self.makeObserver(self.logFactory))
                        self.observer.observeLeader()
                    except Exception as e:
                        LOG.warning("Unexpected exception", exc_info=e)
                    finally:
                        if self.observer is not None:
                            self.observer.shutdown()
                        self.setObserver(None)
                        self._updateServerState()
                        if self.isRunning():
                            from pyzookeeper.server.quorum.Observer import Observer
                            Observer.waitForObserverElectionDelay()
                elif state == ServerState.FOLLOWING:
                    try:
                        LOG.info("FOLLOWING")
                        self.setFollower(self.makeFollower(self.logFactory))
                        self.follower.followLeader()
                    except Exception as e:
                        LOG.warning("Unexpected exception", exc_info=e)
                    finally:
                        if self.follower is not None:
                            self.follower.shutdown()
                        self.setFollower(None)
                        self._updateServerState()
                elif state == ServerState.LEADING:
                    LOG.info("LEADING")
                    try:
                        self.setLeader(self.makeLeader(self.logFactory))
                        self.leader.lead()
                        self.setLeader(None)
                    except Exception as e:
                        LOG.warning("Unexpected exception", exc_info=e)
                    finally:
                        if self.leader is not None:
                            self.leader.shutdown("Forcing shutdown")
                            self.setLeader(None)
                        self._updateServerState()
        finally:
            LOG.warning("QuorumPeer main thread exited")

    def _lookForLeader(self) -> None:
        self.reconfigFlagClear()
        if self.shuttingDownLE:
            self.shuttingDownLE = False
            self.startLeaderElection()
        self.setCurrentVote(self.makeLEStrategy().lookForLeader())

    def _lookWithReadOnlyServer(self) -> None:
        """LOOKING with ``readonlymode.enabled``: a read-only server starts if the
        election has not ended after a grace period."""
        from pyzookeeper.server.quorum.ReadOnlyZooKeeperServer import ReadOnlyZooKeeperServer

        LOG.info("Attempting to start ReadOnlyZooKeeperServer")
        roZk = ReadOnlyZooKeeperServer(self.logFactory, self, self.zkDb)
        interrupted = threading.Event()

        def startAfterGracePeriod() -> None:
            if interrupted.wait(max(2000, self.tickTime) / 1000.0):
                LOG.info("Interrupted while attempting to start ReadOnlyZooKeeperServer, not started")
                return
            try:
                if self.getPeerState() == ServerState.LOOKING:
                    roZk.startup()
            except Exception as e:
                LOG.error("FAILED to start ReadOnlyZooKeeperServer", exc_info=e)

        roZkMgr = threading.Thread(target=startAfterGracePeriod, name=f"Thread-roZkMgr-{self.myid}", daemon=True)
        try:
            roZkMgr.start()
            self._lookForLeader()
        except Exception as e:
            LOG.warning("Unexpected exception", exc_info=e)
            self.setPeerState(ServerState.LOOKING)
        finally:
            interrupted.set()
            roZkMgr.join()
            roZk.shutdown()

    def _updateServerState(self) -> None:
        with self._lock:
            if not self.reconfigFlag:
                self.setPeerState(ServerState.LOOKING)
                LOG.warning("PeerState set to LOOKING")
                return
            if self.getMyId() == self.getCurrentVote().getId():
                self.setPeerState(ServerState.LEADING)
                LOG.debug("PeerState set to LEADING")
            elif self.getLearnerType() == LearnerType.PARTICIPANT:
                self.setPeerState(ServerState.FOLLOWING)
                LOG.debug("PeerState set to FOLLOWING")
            elif self.getLearnerType() == LearnerType.OBSERVER:
                self.setPeerState(ServerState.OBSERVING)
                LOG.debug("PeerState set to OBSERVER")
            else:
                self.setPeerState(ServerState.LOOKING)
                LOG.debug("Should not be here")
            self.reconfigFlag = False

    def shutdown(self) -> None:
        """Stop the state loop, the role being played, the client port, the
        AdminServer, leader election and the database."""
        from pyzookeeper.server.admin.AdminServer import AdminServerException

        self.running = False
        leader, follower = self.leader, self.follower
        if leader is not None:
            leader.shutdown("quorum Peer shutdown")
        if follower is not None:
            follower.shutdown()
        self._shutdownServerCnxnFactory()
        if self.jvmPauseMonitor is not None:
            self.jvmPauseMonitor.serviceStop()
        try:
            self.adminServer.shutdown()
        except AdminServerException as e:
            LOG.warning("Problem stopping AdminServer", exc_info=e)
        if self.getElectionAlg() is not None:
            self.getElectionAlg().shutdown()
        try:
            self.zkDb.close()
        except OSError as ie:
            LOG.warning("Error closing logs ", exc_info=ie)
        if self.authServer is not None:
            self.authServer.shutdown()
        if self.authLearner is not None:
            self.authLearner.shutdown()

    # -- views and stats --------------------------------------------------------------------------------

    def getCurrentAndNextConfigVoters(self) -> set[int]:
        with self._lock:
            voterIds = set(self.getQuorumVerifier().getVotingMembers())
            lastSeen = self.getLastSeenQuorumVerifier()
            if lastSeen is not None:
                voterIds.update(lastSeen.getVotingMembers())
            return voterIds

    def viewContains(self, sid: int) -> bool:
        return sid in self.getView()

    def getQuorumPeers(self) -> list[str]:
        """For ``stat``: the learners' addresses (``*`` when synced) on a leader, the leader's on a follower."""
        peers: list[str] = []
        with self._lock:
            if self.leader is not None:
                for fh in self.leader.getLearners():
                    sock = fh.getSocket()
                    if sock is not None:
                        try:
                            host, port = sock.getpeername()[:2]
                        except OSError:
                            continue
                        s = formatInetAddr(InetSocketAddress(host, port))
                        if self.leader.isLearnerSynced(fh):
                            s += "*"
                        peers.append(s)
            elif self.follower is not None and self.follower.sock is not None:
                try:
                    host, port = self.follower.sock.getpeername()[:2]
                    peers.append(formatInetAddr(InetSocketAddress(host, port)))
                except OSError:
                    pass
        return peers

    def getServerState(self) -> str:
        state = self.getPeerState()
        if state == ServerState.LOOKING:
            return QuorumStats.Provider.LOOKING_STATE
        if state == ServerState.LEADING:
            return QuorumStats.Provider.LEADING_STATE
        if state == ServerState.FOLLOWING:
            return QuorumStats.Provider.FOLLOWING_STATE
        if state == ServerState.OBSERVING:
            return QuorumStats.Provider.OBSERVING_STATE
        return QuorumStats.Provider.UNKNOWN_STATE

    def getMaxClientCnxnsPerHost(self) -> int:
        if self.cnxnFactory is not None:
            return self.cnxnFactory.getMaxClientCnxnsPerHost()
        if self.secureCnxnFactory is not None:
            return self.secureCnxnFactory.getMaxClientCnxnsPerHost()
        return -1

    def configFromString(self, s: str):
        """The QuorumVerifier of a config text (as carried in notifications)."""
        from pyzookeeper.server.quorum.QuorumPeerConfig import QuorumPeerConfig

        props = Properties()
        props.load(s)
        return QuorumPeerConfig.parseDynamicConfig(props, self.electionType, False, False,
                                                   self.getQuorumVerifier().getOraclePath())

    def restartLeaderElection(self, qvOLD, qvNEW) -> None:
        with self._lock:
            if qvOLD is None or qvOLD != qvNEW:
                LOG.warning("Restarting Leader Election")
                self.getElectionAlg().shutdown()
                self.shuttingDownLE = False
                self.startLeaderElection()

    # -- client port ---------------------------------------------------------------------------------

    def _startServerCnxnFactory(self) -> None:
        if self.cnxnFactory is not None:
            self.cnxnFactory.start()
        if self.secureCnxnFactory is not None:
            self.secureCnxnFactory.start()

    def _shutdownServerCnxnFactory(self) -> None:
        if self.cnxnFactory is not None:
            self.cnxnFactory.shutdown()
        if self.secureCnxnFactory is not None:
            self.secureCnxnFactory.shutdown()

    def setZooKeeperServer(self, zks) -> None:
        """The leader or learner hands its ZooKeeperServer to the client ports."""
        if self.cnxnFactory is not None:
            self.cnxnFactory.setZooKeeperServer(zks)
        if self.secureCnxnFactory is not None:
            self.secureCnxnFactory.setZooKeeperServer(zks)

    def closeAllConnections(self) -> None:
        from pyzookeeper.server.ServerCnxn import ServerCnxn

        if self.cnxnFactory is not None:
            self.cnxnFactory.closeAll(ServerCnxn.DisconnectReason.SERVER_SHUTDOWN)
        if self.secureCnxnFactory is not None:
            self.secureCnxnFactory.closeAll(ServerCnxn.DisconnectReason.SERVER_SHUTDOWN)

    def getClientPort(self) -> int:
        if self.cnxnFactory is not None:
            return self.cnxnFactory.getLocalPort()
        return -1

    # -- reconfiguration -----------------------------------------------------------------------------

    def processReconfig(self, qv, suggestedLeaderId: int | None, zxid: int | None, restartLE: bool) -> bool:
        """Install a committed configuration; return whether this peer's role or leader changed."""
        from pyzookeeper.server.quorum.Vote import Vote

        if not self.isReconfigEnabled():
            LOG.debug("Reconfig feature is disabled, skip reconfig processing.")
            return False
        oldClientAddr = self.getClientAddress()
        prevQV = self.setQuorumVerifier(qv, True)
        self.initConfigInZKDatabase()
        if prevQV.getVersion() < qv.getVersion() and prevQV != qv:
            newMembers = qv.getAllMembers()
            if restartLE:
                self.restartLeaderElection(prevQV, qv)
            myNewQS = newMembers.get(self.getMyId())
            if myNewQS is not None and myNewQS.clientAddr is not None and myNewQS.clientAddr != oldClientAddr:
                self.cnxnFactory.reconfigure(myNewQS.clientAddr)
                self._updateThreadName()
            roleChange = self._updateLearnerType(qv)
            if suggestedLeaderId is not None:
                currentVote = self.getCurrentVote()
                leaderChange = False
                if currentVote is not None and suggestedLeaderId != currentVote.getId():
                    self.setCurrentVote(Vote(suggestedLeaderId, zxid))
                    self.reconfigFlagSet()
                    LOG.warning("Suggested leader: %s", suggestedLeaderId)
                    leaderChange = True
            else:
                currentLeaderId = self.getCurrentVote().getId()
                myleaderInCurQV = prevQV.getVotingMembers().get(currentLeaderId)
                myleaderInNewQV = qv.getVotingMembers().get(currentLeaderId)
                leaderChange = (myleaderInCurQV is None or myleaderInCurQV.addr is None
                                or myleaderInNewQV is None or myleaderInCurQV.addr != myleaderInNewQV.addr)
                self.reconfigFlagClear()
            return roleChange or leaderChange
        return False

    def _updateLearnerType(self, newQV) -> bool:
        if self.getMyId() in newQV.getObservingMembers():
            if self.getLearnerType() != LearnerType.OBSERVER:
                self.setLearnerType(LearnerType.OBSERVER)
                LOG.info("Becoming an observer")
                self.reconfigFlagSet()
                return True
            return False
        if self.getMyId() in newQV.getVotingMembers():
            if self.getLearnerType() != LearnerType.PARTICIPANT:
                self.setLearnerType(LearnerType.PARTICIPANT)
                LOG.info("Becoming a voting participant")
                self.reconfigFlagSet()
                return True
            return False
        if self.getLearnerType() != LearnerType.PARTICIPANT:
            self.setLearnerType(LearnerType.PARTICIPANT)
            LOG.info("Becoming a non-voting participant")
            self.reconfigFlagSet()
            return True
        return False

    def updateElectionVote(self, newEpoch: int) -> None:
        """After syncing with a leader, vote with its epoch (so late joiners see
        consistent out-of-election votes, ZOOKEEPER-1732)."""
        from pyzookeeper.server.quorum.Vote import Vote

        currentVote = self.getCurrentVote()
        if currentVote is not None:
            self.setCurrentVote(Vote(currentVote.getId(), currentVote.getZxid(), currentVote.getElectionEpoch(),
                                     newEpoch, currentVote.getState()))

    def _updateThreadName(self) -> None:
        plain = "disabled"
        if self.cnxnFactory is not None and self.cnxnFactory.getLocalAddress() is not None:
            plain = formatInetAddr(self.cnxnFactory.getLocalAddress())
        secure = (formatInetAddr(self.secureCnxnFactory.getLocalAddress())
                  if self.secureCnxnFactory is not None else "disabled")
        self.name = f"QuorumPeer[myid={self.getMyId()}](plain={plain})(secure={secure})"

    # -- learner masters (observers) -----------------------------------------------------------------

    def _useObserverMasters(self) -> bool:
        return self.getLearnerType() == LearnerType.OBSERVER and len(self.observerMasters) > 0

    def _nextObserverMaster(self) -> QuorumServer:
        from pyzookeeper.server.quorum.Observer import Observer

        if self.nextObserverMaster >= len(self.observerMasters):
            self.nextObserverMaster = 0
            if self.isRunning():
                Observer.waitForReconnectDelay()
        server = self.observerMasters[self.nextObserverMaster]
        self.nextObserverMaster += 1
        return server

    def findLearnerMaster(self, leader: QuorumServer) -> QuorumServer:
        """The server an observer should sync with: the next observer master, or the leader."""
        from pyzookeeper.server.quorum.Observer import Observer

        if self._useObserverMasters():
            return self._nextObserverMaster()
        if self.isRunning():
            Observer.waitForReconnectDelay()
        return leader

    def validateLearnerMaster(self, desiredMaster: str) -> QuorumServer | None:
        """The observer master named by sid, ``ip`` or ``ip:port`` prefix, if known."""
        if self._useObserverMasters():
            try:
                sid = parse_java_long(desiredMaster)
            except ValueError:
                sid = None
            for server in self.observerMasters:
                if sid is None:
                    for address in server.addr.getAllAddresses():
                        serverAddr = f"{address.getAddress().getHostAddress()}:{address.getPort()}"
                        if serverAddr.startswith(desiredMaster):
                            return server
                elif sid == server.id:
                    return server
            if sid is None:
                LOG.info("could not find learner master address=%s", desiredMaster)
            else:
                LOG.warning("could not find learner master sid=%s", sid)
        else:
            LOG.info("cannot validate request, observer masters not enabled")
        return None

    # -- connection manager ----------------------------------------------------------------------------

    def createCnxnManager(self):
        from pyzookeeper.server.quorum.QuorumCnxManager import QuorumCnxManager

        quorumCnxnTimeoutMs = self._getQuorumCnxnTimeoutMs()
        timeout = quorumCnxnTimeoutMs if quorumCnxnTimeoutMs > 0 else self.tickTime * self.syncLimit
        LOG.info("Using %sms as the quorum cnxn socket timeout", timeout)
        return QuorumCnxManager(self, self.getMyId(), self.getView(), self.authServer, self.authLearner, timeout,
                                self.getQuorumListenOnAllIPs(), self.quorumCnxnThreadsSize,
                                self.isQuorumSaslAuthEnabled())

    @classmethod
    def _getQuorumCnxnTimeoutMs(cls) -> int:
        """Java's static ``quorumCnxnTimeoutMs``, read (and logged) at first use."""
        if cls.quorumCnxnTimeoutMs is None:
            cls.quorumCnxnTimeoutMs = system_properties.getInteger(cls.QUORUM_CNXN_TIMEOUT_MS, -1)
            LOG.info("%s=%s", cls.QUORUM_CNXN_TIMEOUT_MS, cls.quorumCnxnTimeoutMs)
        return cls.quorumCnxnTimeoutMs

    def getSynced_observers_metric(self) -> int | None:
        if self.leader is not None:
            return len(self.leader.getObservingLearners())
        if self.follower is not None:
            return self.follower.getSyncedObserverSize()
        return None

    def toString(self) -> str:
        return self.name

    __str__ = toString


def _java_bool(flag: bool) -> str:
    return "true" if flag else "false"


_ROLE_MODULES = ("Leader", "LeaderZooKeeperServer", "Follower", "FollowerZooKeeperServer", "Observer",
                 "ObserverZooKeeperServer")


def _import_role_modules() -> None:
    """Import the classes of every role before the first election. Java loads
    them in microseconds; here they take a fifth of a second or more, and a peer
    that wins an election must listen for learners before a Java follower, which
    tries five times 100 ms apart, gives up on it."""
    for name in _ROLE_MODULES:
        importlib.import_module(f"pyzookeeper.server.quorum.{name}")
