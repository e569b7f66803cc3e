"""Mirrors org.apache.zookeeper.server.quorum.QuorumPeerConfig: reads
``zoo.cfg`` (and its dynamic file) into the configuration of a server.

Every key Java reads has its Java default and meaning; every other key is set
as the system property ``zookeeper.<key>``, as Java does. Errors are
ConfigException with Java's text; the cause is chained and ``str()`` gives
the whole chain on one line (``Error processing zoo.cfg: clientPort: For
input string: "abc"``). Java's IllegalArgumentException is ValueError here,
IOException is OSError. ``metricsProvider.className`` must name a provider
this package has (see MetricsProviderBootstrap). An empty ``dataDir`` is "not
set" (Java fails on it with a StringIndexOutOfBoundsException).
"""

from __future__ import annotations

import logging
import os
import shutil

from pyzookeeper import logconfig, system_properties
from pyzookeeper.common import PathUtils
from pyzookeeper.common.AtomicFileWritingIdiom import AtomicFileWritingIdiom
from pyzookeeper.common.NetUtils import formatInetAddr
from pyzookeeper.common.StringUtils import StringUtils
from pyzookeeper.common.inet_address import InetAddress, InetSocketAddress
from pyzookeeper.common.java_properties import (Properties, java_read_line, java_trim, parse_java_int,
                                                parse_java_long)
from pyzookeeper.server.quorum.MultipleAddresses import MultipleAddresses
from pyzookeeper.server.quorum.QuorumPeer import LearnerType, QuorumPeer, QuorumServer
from pyzookeeper.server.quorum.flexible.QuorumHierarchical import QuorumHierarchical
from pyzookeeper.server.quorum.flexible.QuorumMaj import QuorumMaj
from pyzookeeper.server.quorum.flexible.QuorumOracleMaj import QuorumOracleMaj
from pyzookeeper.server.quorum.flexible.QuorumVerifier import QuorumVerifier
from pyzookeeper.server.util import ZxidUtils
from pyzookeeper.server.util.VerifyingFileFactory import VerifyingFileFactory

LOG = logging.getLogger(__name__)

# org.apache.zookeeper.server.quorum.auth.QuorumAuth
QUORUM_SASL_AUTH_ENABLED = "quorum.auth.enableSasl"
QUORUM_SERVER_SASL_AUTH_REQUIRED = "quorum.auth.serverRequireSasl"
QUORUM_LEARNER_SASL_AUTH_REQUIRED = "quorum.auth.learnerRequireSasl"
QUORUM_KERBEROS_SERVICE_PRINCIPAL = "quorum.auth.kerberos.servicePrincipal"
QUORUM_KERBEROS_SERVICE_PRINCIPAL_DEFAULT_VALUE = "zkquorum/localhost"
QUORUM_LEARNER_SASL_LOGIN_CONTEXT = "quorum.auth.learner.saslLoginContext"
QUORUM_LEARNER_SASL_LOGIN_CONTEXT_DFAULT_VALUE = "QuorumLearner"
QUORUM_SERVER_SASL_LOGIN_CONTEXT = "quorum.auth.server.saslLoginContext"
QUORUM_SERVER_SASL_LOGIN_CONTEXT_DFAULT_VALUE = "QuorumServer"

# org.apache.zookeeper.server.util.JvmPauseMonitor
JVM_PAUSE_MONITOR_FEATURE_SWITCH_KEY = "jvm.pause.monitor"
SLEEP_TIME_MS_KEY = "jvm.pause.sleep.time.ms"
SLEEP_TIME_MS_DEFAULT = 500
WARN_THRESHOLD_KEY = "jvm.pause.warn-threshold.ms"
WARN_THRESHOLD_DEFAULT = 10000
INFO_THRESHOLD_KEY = "jvm.pause.info-threshold.ms"
INFO_THRESHOLD_DEFAULT = 1000

# org.apache.zookeeper.server.ZooKeeperServer.DEFAULT_TICK_TIME
DEFAULT_TICK_TIME = 3000
# org.apache.zookeeper.metrics.impl.DefaultMetricsProvider, by its Java name
DEFAULT_METRICS_PROVIDER = "org.apache.zookeeper.metrics.impl.DefaultMetricsProvider"
# org.apache.zookeeper.server.auth.ProviderRegistry.AUTHPROVIDER_PROPERTY_PREFIX
AUTHPROVIDER_PROPERTY_PREFIX = "zookeeper.authProvider."
# org.apache.zookeeper.common.ClientX509Util#getSslAuthProviderProperty
SSL_AUTH_PROVIDER_PROPERTY = "zookeeper.ssl.authProvider"


class ConfigException(Exception):
    """``QuorumPeerConfig.ConfigException``: a configuration that cannot be used."""

    def __init__(self, msg: str, e: BaseException | None = None) -> None:
        super().__init__(msg)
        self.msg = msg
        if e is not None:
            self.__cause__ = e

    def getMessage(self) -> str:
        return self.msg

    def __str__(self) -> str:
        cause = self.__cause__
        if cause is None:
            return self.msg
        detail = str(cause) or type(cause).__name__
        return f"{self.msg}: {detail}"


def _java_bool(flag: bool) -> str:
    return "true" if flag else "false"


class QuorumPeerConfig:
    ConfigException = ConfigException

    UNSET_SERVERID = -1
    nextDynamicConfigFileSuffix = ".dynamic.next"
    MIN_SNAP_RETAIN_COUNT = 3

    standaloneEnabled = True
    reconfigEnabled = False

    def __init__(self) -> None:
        self.clientPortAddress: InetSocketAddress | None = None
        self.secureClientPortAddress: InetSocketAddress | None = None
        self.sslQuorum = False
        self._shouldUsePortUnification = False
        self.observerMasterPort = 0
        self.sslQuorumReloadCertFiles = False
        self.dataDir: str | None = None
        self.dataLogDir: str | None = None
        self.dynamicConfigFileStr: str | None = None
        self.configFileStr: str | None = None
        self.tickTime = DEFAULT_TICK_TIME
        self.maxClientCnxns = 60
        self.minSessionTimeout = -1
        self.maxSessionTimeout = -1
        self.metricsProviderClassName = DEFAULT_METRICS_PROVIDER
        self.metricsProviderConfiguration = Properties()
        self.localSessionsEnabled = False
        self.localSessionsUpgradingEnabled = False
        self.clientPortListenBacklog = -1
        self.initLimit = 0
        self.syncLimit = 0
        self.connectToLearnerMasterLimit = 0
        self.electionAlg = 3
        self.electionPort = 2182
        self.quorumListenOnAllIPs = False
        self.serverId = self.UNSET_SERVERID
        self.quorumVerifier: QuorumVerifier | None = None
        self.lastSeenQuorumVerifier: QuorumVerifier | None = None
        self.snapRetainCount = 3
        self.purgeInterval = 0
        self.syncEnabled = True
        self.initialConfig: str | None = None
        self.peerType = LearnerType.PARTICIPANT
        self.quorumServerRequireSasl = False
        self.quorumLearnerRequireSasl = False
        self.quorumEnableSasl = False
        self.quorumServicePrincipal = QUORUM_KERBEROS_SERVICE_PRINCIPAL_DEFAULT_VALUE
        self.quorumLearnerLoginContext = QUORUM_LEARNER_SASL_LOGIN_CONTEXT_DFAULT_VALUE
        self.quorumServerLoginContext = QUORUM_SERVER_SASL_LOGIN_CONTEXT_DFAULT_VALUE
        self.quorumCnxnThreadsSize = 0
        self.multiAddressEnabled = system_properties.getProperty(
            QuorumPeer.CONFIG_KEY_MULTI_ADDRESS_ENABLED,
            QuorumPeer.CONFIG_DEFAULT_MULTI_ADDRESS_ENABLED).lower() == "true"
        self.multiAddressReachabilityCheckEnabled = system_properties.getProperty(
            QuorumPeer.CONFIG_KEY_MULTI_ADDRESS_REACHABILITY_CHECK_ENABLED, "true").lower() == "true"
        self.multiAddressReachabilityCheckTimeoutMs = parse_java_int(system_properties.getProperty(
            QuorumPeer.CONFIG_KEY_MULTI_ADDRESS_REACHABILITY_CHECK_TIMEOUT_MS,
            str(int(MultipleAddresses.DEFAULT_TIMEOUT.total_seconds() * 1000))),
            key=QuorumPeer.CONFIG_KEY_MULTI_ADDRESS_REACHABILITY_CHECK_TIMEOUT_MS)
        self.oraclePath: str | None = None
        self.jvmPauseMonitorToRun = False
        self.jvmPauseWarnThresholdMs = WARN_THRESHOLD_DEFAULT
        self.jvmPauseInfoThresholdMs = INFO_THRESHOLD_DEFAULT
        self.jvmPauseSleepTimeMs = SLEEP_TIME_MS_DEFAULT

    # -- parsing -------------------------------------------------------------------------------

    def parse(self, path: str) -> None:
        """Read the configuration file ``path`` and, if it names one, its dynamic file."""
        LOG.info("Reading configuration from: %s", path)
        try:
            configFile = (VerifyingFileFactory.Builder(LOG)
                          .warnForRelativePath()
                          .failForNonExistingPath()
                          .build()).create(path)
            cfg = Properties()
            with open(configFile, "rb") as f:
                data = f.read()
            cfg.load(data)
            self.configFileStr = path
            self.initialConfig = data.decode("utf-8", errors="replace")
            self.parseProperties(cfg)
        except (OSError, ValueError) as e:
            raise ConfigException("Error processing " + path, e) from e

        if self.dynamicConfigFileStr is not None:
            try:
                dynamicCfg = Properties()
                with open(self.dynamicConfigFileStr, "rb") as f:
                    dynamicCfg.load(f.read())
                if dynamicCfg.getProperty("version") is not None:
                    raise ConfigException("dynamic file shouldn't have version inside")
                version = self.getVersionFromFilename(self.dynamicConfigFileStr)
                if version is not None:
                    dynamicCfg.setProperty("version", version)
                self.setupQuorumPeerConfig(dynamicCfg, False)
            except (OSError, ValueError) as e:
                raise ConfigException("Error processing " + self.dynamicConfigFileStr, e) from e
            nextDynamicConfigFile = self.configFileStr + self.nextDynamicConfigFileSuffix
            if os.path.exists(nextDynamicConfigFile):
                try:
                    dynamicConfigNextCfg = Properties()
                    with open(nextDynamicConfigFile, "rb") as f:
                        dynamicConfigNextCfg.load(f.read())
                    isHierarchical = any(java_trim(key).startswith(("group", "weight"))
                                         for key in dynamicConfigNextCfg.keys())
                    self.lastSeenQuorumVerifier = _createQuorumVerifier(dynamicConfigNextCfg, isHierarchical)
                except OSError:
                    LOG.warning("NextQuorumVerifier is initiated to null")

    @staticmethod
    def getVersionFromFilename(filename: str) -> str | None:
        """The hex version a dynamic file name ends with (``zoo.cfg.dynamic.1001`` -> ``1001``), or None."""
        i = filename.rfind(".")
        if i < 0:
            return None
        try:
            return ZxidUtils.zxidToString(parse_java_long(filename[i + 1:], 16))
        except ValueError:
            return None

    def parseProperties(self, zkProp: Properties) -> None:
        """Apply the entries of a configuration (in Java's order)."""
        clientPort = 0
        secureClientPort = 0
        observerMasterPort = 0
        clientPortAddress: str | None = None
        secureClientPortAddress: str | None = None
        vff = VerifyingFileFactory.Builder(LOG).warnForRelativePath().build()
        for rawKey, rawValue in zkProp.items():
            key = java_trim(rawKey)
            value = java_trim(rawValue)
            if key == "dataDir":
                self.dataDir = vff.create(value)
            elif key == "dataLogDir":
                self.dataLogDir = vff.create(value)
            elif key == "clientPort":
                clientPort = parse_java_int(value, key=key)
            elif key == "localSessionsEnabled":
                self.localSessionsEnabled = self._parseBoolean(key, value)
            elif key == "localSessionsUpgradingEnabled":
                self.localSessionsUpgradingEnabled = self._parseBoolean(key, value)
            elif key == "clientPortAddress":
                clientPortAddress = java_trim(value)
            elif key == "secureClientPort":
                secureClientPort = parse_java_int(value, key=key)
            elif key == "secureClientPortAddress":
                secureClientPortAddress = java_trim(value)
            elif key == "observerMasterPort":
                observerMasterPort = parse_java_int(value, key=key)
            elif key == "clientPortListenBacklog":
                self.clientPortListenBacklog = parse_java_int(value, key=key)
            elif key == "tickTime":
                self.tickTime = parse_java_int(value, key=key)
            elif key == "maxClientCnxns":
                self.maxClientCnxns = parse_java_int(value, key=key)
            elif key == "minSessionTimeout":
                self.minSessionTimeout = parse_java_int(value, key=key)
            elif key == "maxSessionTimeout":
                self.maxSessionTimeout = parse_java_int(value, key=key)
            elif key == "initLimit":
                self.initLimit = parse_java_int(value, key=key)
            elif key == "syncLimit":
                self.syncLimit = parse_java_int(value, key=key)
            elif key == "connectToLearnerMasterLimit":
                self.connectToLearnerMasterLimit = parse_java_int(value, key=key)
            elif key == "electionAlg":
                self.electionAlg = parse_java_int(value, key=key)
                if self.electionAlg != 3:
                    raise ConfigException("Invalid electionAlg value. Only 3 is supported.")
            elif key == "quorumListenOnAllIPs":
                self.quorumListenOnAllIPs = self._parseBoolean(key, value)
            elif key == "peerType":
                if value.lower() == "observer":
                    self.peerType = LearnerType.OBSERVER
                elif value.lower() == "participant":
                    self.peerType = LearnerType.PARTICIPANT
                else:
                    raise ConfigException("Unrecognised peertype: " + value)
            elif key == "syncEnabled":
                self.syncEnabled = self._parseBoolean(key, value)
            elif key == "dynamicConfigFile":
                self.dynamicConfigFileStr = value
            elif key == "autopurge.snapRetainCount":
                self.snapRetainCount = parse_java_int(value, key=key)
            elif key == "autopurge.purgeInterval":
                self.purgeInterval = parse_java_int(value, key=key)
            elif key == "standaloneEnabled":
                QuorumPeerConfig.setStandaloneEnabled(self._parseBoolean(key, value))
            elif key == "reconfigEnabled":
                QuorumPeerConfig.setReconfigEnabled(self._parseBoolean(key, value))
            elif key == "sslQuorum":
                self.sslQuorum = self._parseBoolean(key, value)
            elif key == "portUnification":
                self._shouldUsePortUnification = self._parseBoolean(key, value)
            elif key == "sslQuorumReloadCertFiles":
                self.sslQuorumReloadCertFiles = self._parseBoolean(key, value)
            elif key.startswith(("server.", "group", "weight")) and zkProp.containsKey("dynamicConfigFile"):
                raise ConfigException(f"parameter: {key} must be in a separate dynamic config file")
            elif key == QUORUM_SASL_AUTH_ENABLED:
                self.quorumEnableSasl = self._parseBoolean(key, value)
            elif key == QUORUM_SERVER_SASL_AUTH_REQUIRED:
                self.quorumServerRequireSasl = self._parseBoolean(key, value)
            elif key == QUORUM_LEARNER_SASL_AUTH_REQUIRED:
                self.quorumLearnerRequireSasl = self._parseBoolean(key, value)
            elif key == QUORUM_LEARNER_SASL_LOGIN_CONTEXT:
                self.quorumLearnerLoginContext = value
            elif key == QUORUM_SERVER_SASL_LOGIN_CONTEXT:
                self.quorumServerLoginContext = value
            elif key == QUORUM_KERBEROS_SERVICE_PRINCIPAL:
                self.quorumServicePrincipal = value
            elif key == "quorum.cnxn.threads.size":
                self.quorumCnxnThreadsSize = parse_java_int(value, key=key)
            elif key == INFO_THRESHOLD_KEY:
                self.jvmPauseInfoThresholdMs = parse_java_long(value, key=key)
            elif key == WARN_THRESHOLD_KEY:
                self.jvmPauseWarnThresholdMs = parse_java_long(value, key=key)
            elif key == SLEEP_TIME_MS_KEY:
                self.jvmPauseSleepTimeMs = parse_java_long(value, key=key)
            elif key == JVM_PAUSE_MONITOR_FEATURE_SWITCH_KEY:
                self.jvmPauseMonitorToRun = self._parseBoolean(key, value)
            elif key == "metricsProvider.className":
                self.metricsProviderClassName = value
            elif key.startswith("metricsProvider."):
                self.metricsProviderConfiguration.put(key[16:], value)
            elif key == "multiAddress.enabled":
                self.multiAddressEnabled = self._parseBoolean(key, value)
            elif key == "multiAddress.reachabilityCheckTimeoutMs":
                self.multiAddressReachabilityCheckTimeoutMs = parse_java_int(value, key=key)
            elif key == "multiAddress.reachabilityCheckEnabled":
                self.multiAddressReachabilityCheckEnabled = self._parseBoolean(key, value)
            elif key == "oraclePath":
                self.oraclePath = value
            else:
                system_properties.setProperty("zookeeper." + key, value)

        if not self.quorumEnableSasl and self.quorumServerRequireSasl:
            raise ValueError(f"{QUORUM_SASL_AUTH_ENABLED} is disabled, so cannot enable "
                             f"{QUORUM_SERVER_SASL_AUTH_REQUIRED}")
        if not self.quorumEnableSasl and self.quorumLearnerRequireSasl:
            raise ValueError(f"{QUORUM_SASL_AUTH_ENABLED} is disabled, so cannot enable "
                             f"{QUORUM_LEARNER_SASL_AUTH_REQUIRED}")
        if not self.quorumLearnerRequireSasl and self.quorumServerRequireSasl:
            raise ValueError(f"{QUORUM_LEARNER_SASL_AUTH_REQUIRED} is disabled, so cannot enable "
                             f"{QUORUM_SERVER_SASL_AUTH_REQUIRED}")

        if self.snapRetainCount < self.MIN_SNAP_RETAIN_COUNT:
            LOG.warning("Invalid autopurge.snapRetainCount: %s. Defaulting to %s",
                        self.snapRetainCount, self.MIN_SNAP_RETAIN_COUNT)
            self.snapRetainCount = self.MIN_SNAP_RETAIN_COUNT

        if not self.dataDir:
            raise ValueError("dataDir is not set")
        if self.dataLogDir is None:
            self.dataLogDir = self.dataDir

        if clientPort == 0:
            LOG.info("clientPort is not set")
            if clientPortAddress is not None:
                raise ValueError("clientPortAddress is set but clientPort is not set")
        elif clientPortAddress is not None:
            self.clientPortAddress = InetSocketAddress(InetAddress.getByName(clientPortAddress),
                                                       _port("clientPort", clientPort))
            LOG.info("clientPortAddress is %s", formatInetAddr(self.clientPortAddress))
        else:
            self.clientPortAddress = InetSocketAddress(_port("clientPort", clientPort))
            LOG.info("clientPortAddress is %s", formatInetAddr(self.clientPortAddress))

        if secureClientPort == 0:
            LOG.info("secureClientPort is not set")
            if secureClientPortAddress is not None:
                raise ValueError("secureClientPortAddress is set but secureClientPort is not set")
        elif secureClientPortAddress is not None:
            self.secureClientPortAddress = InetSocketAddress(InetAddress.getByName(secureClientPortAddress),
                                                             _port("secureClientPort", secureClientPort))
            LOG.info("secureClientPortAddress is %s", formatInetAddr(self.secureClientPortAddress))
        else:
            self.secureClientPortAddress = InetSocketAddress(_port("secureClientPort", secureClientPort))
            LOG.info("secureClientPortAddress is %s", formatInetAddr(self.secureClientPortAddress))
        if self.secureClientPortAddress is not None:
            self.configureSSLAuth()

        if observerMasterPort <= 0:
            LOG.info("observerMasterPort is not set")
        else:
            self.observerMasterPort = observerMasterPort
            LOG.info("observerMasterPort is %s", observerMasterPort)

        if self.tickTime == 0:
            raise ValueError("tickTime is not set")

        if self.minSessionTimeout == -1:
            self.minSessionTimeout = _int32(self.tickTime * 2)
        if self.maxSessionTimeout == -1:
            self.maxSessionTimeout = _int32(self.tickTime * 20)
        if self.minSessionTimeout > self.maxSessionTimeout:
            raise ValueError("minSessionTimeout must not be larger than maxSessionTimeout")

        LOG.info("metricsProvider.className is %s", self.metricsProviderClassName)
        from pyzookeeper.metrics.impl.MetricsProviderBootstrap import resolve_provider_class
        try:
            resolve_provider_class(self.metricsProviderClassName)
        except ImportError as error:
            raise ValueError(f"metrics provider class was not found: {error}") from error

        if self.dynamicConfigFileStr is None:
            self.setupQuorumPeerConfig(zkProp, True)
            if self.isDistributed() and self.isReconfigEnabled():
                self._backupOldConfig()

    @staticmethod
    def configureSSLAuth() -> None:
        """Register the x509 provider for the scheme the secure client port
        authenticates with, unless one is configured."""
        sslAuthProp = AUTHPROVIDER_PROPERTY_PREFIX + system_properties.getProperty(SSL_AUTH_PROVIDER_PROPERTY, "x509")
        if system_properties.getProperty(sslAuthProp) is None:
            if AUTHPROVIDER_PROPERTY_PREFIX + "x509" == sslAuthProp:
                system_properties.setProperty(AUTHPROVIDER_PROPERTY_PREFIX + "x509",
                                              "org.apache.zookeeper.server.auth.X509AuthenticationProvider")
            else:
                raise ConfigException("No auth provider configured for the SSL authentication scheme '"
                                      f"{system_properties.getProperty(SSL_AUTH_PROVIDER_PROPERTY)}'.")

    def _backupOldConfig(self) -> None:
        """Keep ``<cfg>.bak``: a static file that holds the ensemble is rewritten on reconfig."""
        source = self.configFileStr

        def copy(output) -> None:
            with open(source, "rb") as src:
                shutil.copyfileobj(src, output)

        AtomicFileWritingIdiom(self.configFileStr + ".bak", AtomicFileWritingIdiom.OutputStreamStatement(copy))

    # -- the dynamic file ----------------------------------------------------------------------

    @staticmethod
    def writeDynamicConfig(dynamicConfigFilename: str, qv: QuorumVerifier, needKeepVersion: bool) -> None:
        """Write the ensemble of ``qv`` as sorted ``key=value`` lines (no trailing newline)."""
        cfg = Properties()
        cfg.load(qv.toString())
        servers = [f"{java_trim(k)}={java_trim(v)}" for k, v in cfg.items()
                   if needKeepVersion or not java_trim(k).startswith("version")]
        text = StringUtils.joinStrings(sorted(servers), "\n")
        AtomicFileWritingIdiom(dynamicConfigFilename, AtomicFileWritingIdiom.WriterStatement(lambda out: out.write(text)))

    @staticmethod
    def editStaticConfig(configFileStr: str | None, dynamicFileStr: str, eraseClientPortAddress: bool) -> None:
        """Rewrite the static file without its ensemble entries (and, if asked,
        without its client address), pointing ``dynamicConfigFile`` at ``dynamicFileStr``."""
        if configFileStr is None:
            return
        configFile = (VerifyingFileFactory.Builder(LOG).warnForRelativePath().failForNonExistingPath()
                      .build()).create(configFileStr)
        dynamicFile = (VerifyingFileFactory.Builder(LOG).warnForRelativePath().failForNonExistingPath()
                       .build()).create(dynamicFileStr)
        cfg = Properties()
        with open(configFile, "rb") as f:
            cfg.load(f.read())
        lines = []
        for rawKey, value in cfg.items():
            key = java_trim(rawKey)
            if (key.startswith(("server.", "group", "weight", "dynamicConfigFile", "peerType"))
                    or (eraseClientPortAddress and key.startswith(("clientPort", "clientPortAddress")))):
                continue
            lines.append(f"{key}={java_trim(value)}\n")
        dynamicConfigFilePath = PathUtils.normalizeFileSystemPath(os.path.realpath(dynamicFile))
        lines.append(f"dynamicConfigFile={dynamicConfigFilePath}\n")
        text = "".join(lines)
        AtomicFileWritingIdiom(configFileStr, AtomicFileWritingIdiom.WriterStatement(lambda out: out.write(text)))

    @staticmethod
    def deleteFile(filename: str | None) -> None:
        if filename is None:
            return
        if os.path.exists(filename):
            try:
                os.remove(filename)
            except OSError:
                LOG.warning("deleting %s failed", filename)

    def setupQuorumPeerConfig(self, prop: Properties, configBackwardCompatibilityMode: bool) -> None:
        self.quorumVerifier = self.parseDynamicConfig(prop, self.electionAlg, True,
                                                      configBackwardCompatibilityMode, self.oraclePath)
        self._setupMyId()
        self._setupClientPort()
        self._setupPeerType()
        self.checkValidity()

    @staticmethod
    def parseDynamicConfig(dynamicConfigProp: Properties, eAlg: int, warnings: bool,
                           configBackwardCompatibilityMode: bool, oraclePath: str | None = None) -> QuorumVerifier:
        """The QuorumVerifier of the ``server.N``/``group``/``weight`` entries;
        any other key is an error unless the entries come from the static file."""
        isHierarchical = False
        for rawKey in dynamicConfigProp.keys():
            key = java_trim(rawKey)
            if key.startswith(("group", "weight")):
                isHierarchical = True
            elif not configBackwardCompatibilityMode and not key.startswith("server.") and key != "version":
                LOG.info("%s", dynamicConfigProp.toString())
                raise ConfigException("Unrecognised parameter: " + key)

        qv = _createQuorumVerifier(dynamicConfigProp, isHierarchical, oraclePath)
        numParticipators = len(qv.getVotingMembers())
        numObservers = len(qv.getObservingMembers())
        if numParticipators == 0:
            if not QuorumPeerConfig.standaloneEnabled:
                raise ValueError("standaloneEnabled = false then number of participants should be >0")
            if numObservers > 0:
                raise ValueError("Observers w/o participants is an invalid configuration")
        elif numParticipators == 1 and QuorumPeerConfig.standaloneEnabled:
            LOG.error("Invalid configuration, only one server specified (ignoring)")
            if numObservers > 0:
                raise ValueError("Observers w/o quorum is an invalid configuration")
        else:
            if warnings:
                if numParticipators <= 2:
                    LOG.warning("No server failure will be tolerated. You need at least 3 servers.")
                elif numParticipators % 2 == 0:
                    LOG.warning("Non-optimal configuration, consider an odd number of servers.")
            for s in qv.getVotingMembers().values():
                if s.electionAddr is None or s.electionAddr.isEmpty():
                    raise ValueError(f"Missing election port for server: {s.id}")
        return qv

    def _setupMyId(self) -> None:
        myIdFile = os.path.join(self.dataDir, "myid")
        if not os.path.isfile(myIdFile):
            return
        with open(myIdFile, encoding="utf-8", errors="replace", newline="") as br:
            myIdString = java_read_line(br.read())
        try:
            self.serverId = parse_java_long(myIdString)
        except ValueError:
            raise ValueError(f"serverid {'null' if myIdString is None else myIdString} is not a number") from None
        logconfig.setMyid(myIdString)

    def _setupClientPort(self) -> None:
        if self.serverId == self.UNSET_SERVERID:
            return
        qs = self.quorumVerifier.getAllMembers().get(self.serverId)
        if self.clientPortAddress is not None and qs is not None and qs.clientAddr is not None:
            wildcard = self.clientPortAddress.getAddress().isAnyLocalAddress()
            if ((not wildcard and self.clientPortAddress != qs.clientAddr)
                    or (wildcard and self.clientPortAddress.getPort() != qs.clientAddr.getPort())):
                raise ConfigException(
                    f"client address for this server (id = {self.serverId}) in static config file is "
                    f"{self.clientPortAddress} is different from client address found in dynamic file: "
                    f"{qs.clientAddr}")
        if qs is not None and qs.clientAddr is not None:
            self.clientPortAddress = qs.clientAddr
        if qs is not None and qs.clientAddr is None:
            qs.clientAddr = self.clientPortAddress
            qs.isClientAddrFromStatic = True

    def _setupPeerType(self) -> None:
        roleByServersList = (LearnerType.OBSERVER if self.serverId in self.quorumVerifier.getObservingMembers()
                             else LearnerType.PARTICIPANT)
        if roleByServersList != self.peerType:
            LOG.warning("Peer type from servers list (%s) doesn't match peerType (%s). Defaulting to servers list.",
                        roleByServersList, self.peerType)
            self.peerType = roleByServersList

    def checkValidity(self) -> None:
        if self.isDistributed():
            if self.initLimit == 0:
                raise ValueError("initLimit is not set")
            if self.syncLimit == 0:
                raise ValueError("syncLimit is not set")
            if self.serverId == self.UNSET_SERVERID:
                raise ValueError("myid file is missing")

    # -- getters --------------------------------------------------------------------------------

    def getClientPortAddress(self) -> InetSocketAddress | None:
        return self.clientPortAddress

    def getSecureClientPortAddress(self) -> InetSocketAddress | None:
        return self.secureClientPortAddress

    def getObserverMasterPort(self) -> int:
        return self.observerMasterPort

    def getDataDir(self) -> str | None:
        return self.dataDir

    def getDataLogDir(self) -> str | None:
        return self.dataLogDir

    def getInitialConfig(self) -> str | None:
        return self.initialConfig

    def getTickTime(self) -> int:
        return self.tickTime

    def getMaxClientCnxns(self) -> int:
        return self.maxClientCnxns

    def getMinSessionTimeout(self) -> int:
        return self.minSessionTimeout

    def getMaxSessionTimeout(self) -> int:
        return self.maxSessionTimeout

    def getMetricsProviderClassName(self) -> str:
        return self.metricsProviderClassName

    def getMetricsProviderConfiguration(self) -> Properties:
        return self.metricsProviderConfiguration

    def areLocalSessionsEnabled(self) -> bool:
        return self.localSessionsEnabled

    def isLocalSessionsUpgradingEnabled(self) -> bool:
        return self.localSessionsUpgradingEnabled

    def isSslQuorum(self) -> bool:
        return self.sslQuorum

    def shouldUsePortUnification(self) -> bool:
        return self._shouldUsePortUnification

    def getClientPortListenBacklog(self) -> int:
        return self.clientPortListenBacklog

    def getInitLimit(self) -> int:
        return self.initLimit

    def getSyncLimit(self) -> int:
        return self.syncLimit

    def getConnectToLearnerMasterLimit(self) -> int:
        return self.connectToLearnerMasterLimit

    def getElectionAlg(self) -> int:
        return self.electionAlg

    def getElectionPort(self) -> int:
        return self.electionPort

    def getSnapRetainCount(self) -> int:
        return self.snapRetainCount

    def getPurgeInterval(self) -> int:
        return self.purgeInterval

    def getSyncEnabled(self) -> bool:
        return self.syncEnabled

    def getQuorumVerifier(self) -> QuorumVerifier | None:
        return self.quorumVerifier

    def getLastSeenQuorumVerifier(self) -> QuorumVerifier | None:
        return self.lastSeenQuorumVerifier

    def getServers(self) -> dict[int, QuorumServer]:
        """Every configured server, participants and observers (a copy)."""
        return dict(self.quorumVerifier.getAllMembers())

    def getJvmPauseInfoThresholdMs(self) -> int:
        return self.jvmPauseInfoThresholdMs

    def getJvmPauseWarnThresholdMs(self) -> int:
        return self.jvmPauseWarnThresholdMs

    def getJvmPauseSleepTimeMs(self) -> int:
        return self.jvmPauseSleepTimeMs

    def isJvmPauseMonitorToRun(self) -> bool:
        return self.jvmPauseMonitorToRun

    def getServerId(self) -> int:
        return self.serverId

    def isDistributed(self) -> bool:
        return self.quorumVerifier is not None and (
            not QuorumPeerConfig.standaloneEnabled or len(self.quorumVerifier.getVotingMembers()) > 1)

    def getPeerType(self) -> LearnerType:
        return self.peerType

    def getConfigFilename(self) -> str | None:
        return self.configFileStr

    def getQuorumListenOnAllIPs(self) -> bool:
        return self.quorumListenOnAllIPs

    def isMultiAddressEnabled(self) -> bool:
        return self.multiAddressEnabled

    def isMultiAddressReachabilityCheckEnabled(self) -> bool:
        return self.multiAddressReachabilityCheckEnabled

    def getMultiAddressReachabilityCheckTimeoutMs(self) -> int:
        return self.multiAddressReachabilityCheckTimeoutMs

    @staticmethod
    def isStandaloneEnabled() -> bool:
        return QuorumPeerConfig.standaloneEnabled

    @staticmethod
    def setStandaloneEnabled(enabled: bool) -> None:
        QuorumPeerConfig.standaloneEnabled = enabled

    @staticmethod
    def isReconfigEnabled() -> bool:
        return QuorumPeerConfig.reconfigEnabled

    @staticmethod
    def setReconfigEnabled(enabled: bool) -> None:
        QuorumPeerConfig.reconfigEnabled = enabled

    @staticmethod
    def _parseBoolean(key: str, value: str) -> bool:
        if value.lower() == "true":
            return True
        if value.lower() == "false":
            return False
        raise ConfigException(f"Invalid option {value} for {key}. Choose 'true' or 'false.'")


def _createQuorumVerifier(dynamicConfigProp: Properties, isHierarchical: bool,
                          oraclePath: str | None = None) -> QuorumVerifier:
    if oraclePath is not None:
        return QuorumOracleMaj(dynamicConfigProp, oraclePath)
    if isHierarchical:
        return QuorumHierarchical(dynamicConfigProp)
    return QuorumMaj(dynamicConfigProp)


def _port(key: str, port: int) -> int:
    """Java's ``port out of range:N``, naming the key."""
    if port < 0 or port > 0xFFFF:
        raise ValueError(f"{key}: port out of range:{port}")
    return port


def _int32(value: int) -> int:
    """Java ``int`` overflow (``tickTime * 20`` wraps for huge tick times)."""
    value &= 0xFFFFFFFF
    return value - (1 << 32) if value & 0x80000000 else value
