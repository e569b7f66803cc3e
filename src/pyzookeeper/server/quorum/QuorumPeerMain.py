"""Mirrors org.apache.zookeeper.server.quorum.QuorumPeerMain: the server's
entry point. Reads ``zoo.cfg``, starts the autopurge task, and runs a quorum
peer when the file defines an ensemble, a standalone server otherwise.

    python -m pyzookeeper.server.quorum.QuorumPeerMain [-Dname=value ...] zoo.cfg

``-D`` arguments before the config path set system properties, after those of
``JVMFLAGS`` and ``SERVER_JVMFLAGS`` (as on Java's command line, the last one
wins). Logging follows ``ZOO_LOG4J_PROP``/``ZOO_LOG_DIR``/``ZOO_LOG_FILE`` and
``-Dzookeeper.log.dir``/``-Dzookeeper.log.file``.

Deliberate difference: no JMX registration.
"""

from __future__ import annotations

import logging
import sys
import threading

from pyzookeeper import logconfig, system_properties
from pyzookeeper.server.ExitCode import ExitCode
from pyzookeeper.server.quorum.QuorumPeer import QuorumPeer
from pyzookeeper.server.quorum.QuorumPeerConfig import ConfigException, QuorumPeerConfig
from pyzookeeper.util import ServiceUtils

LOG = logging.getLogger(__name__)


class QuorumPeerMain:
    USAGE = "Usage: QuorumPeerMain configfile"

    def __init__(self) -> None:
        self.quorumPeer: QuorumPeer | None = None

    @staticmethod
    def main(args: list[str]) -> None:
        """Run the server from ``args`` (a config path) and end the process
        with Java's exit code for the outcome."""
        from pyzookeeper.server.admin.AdminServer import AdminServerException
        from pyzookeeper.server.persistence.FileTxnSnapLog import DatadirException

        main = QuorumPeerMain()
        try:
            main.initializeAndRun(args)
        except ConfigException:
            LOG.error("Invalid config, exiting abnormally", exc_info=True)
            print("Invalid config, exiting abnormally", file=sys.stderr)
            ServiceUtils.requestSystemExit(ExitCode.INVALID_INVOCATION.getValue())
        except ValueError:
            LOG.error("Invalid arguments, exiting abnormally", exc_info=True)
            LOG.info(QuorumPeerMain.USAGE)
            print(QuorumPeerMain.USAGE, file=sys.stderr)
            ServiceUtils.requestSystemExit(ExitCode.INVALID_INVOCATION.getValue())
        except DatadirException:
            LOG.error("Unable to access datadir, exiting abnormally", exc_info=True)
            print("Unable to access datadir, exiting abnormally", file=sys.stderr)
            ServiceUtils.requestSystemExit(ExitCode.UNABLE_TO_ACCESS_DATADIR.getValue())
        except AdminServerException:
            LOG.error("Unable to start AdminServer, exiting abnormally", exc_info=True)
            print("Unable to start AdminServer, exiting abnormally", file=sys.stderr)
            ServiceUtils.requestSystemExit(ExitCode.ERROR_STARTING_ADMIN_SERVER.getValue())
        except Exception:
            LOG.error("Unexpected exception, exiting abnormally", exc_info=True)
            ServiceUtils.requestSystemExit(ExitCode.UNEXPECTED_ERROR.getValue())
        LOG.info("Exiting normally")
        ServiceUtils.requestSystemExit(ExitCode.EXECUTION_FINISHED.getValue())

    def initializeAndRun(self, args: list[str]) -> None:
        from pyzookeeper.server.DatadirCleanupManager import DatadirCleanupManager
        from pyzookeeper.server.ZooKeeperServerMain import ZooKeeperServerMain

        config = QuorumPeerConfig()
        if len(args) == 1:
            config.parse(args[0])

        purgeMgr = DatadirCleanupManager(config.getDataDir(), config.getDataLogDir(),
                                         config.getSnapRetainCount(), config.getPurgeInterval())
        purgeMgr.start()

        if len(args) == 1 and config.isDistributed():
            self.runFromConfig(config)
        else:
            LOG.warning("Either no config or no quorum defined in config, running in standalone mode")
            ZooKeeperServerMain.main(args)

    def runFromConfig(self, config: QuorumPeerConfig) -> None:
        """Build the quorum peer from ``config``, start it and wait for it to end."""
        from pyzookeeper.metrics.MetricsProviderLifeCycleException import MetricsProviderLifeCycleException
        from pyzookeeper.metrics.impl.MetricsProviderBootstrap import MetricsProviderBootstrap
        from pyzookeeper.server.ServerCnxnFactory import ServerCnxnFactory
        from pyzookeeper.server.ServerMetrics import ServerMetrics
        from pyzookeeper.server.ZKDatabase import ZKDatabase
        from pyzookeeper.server.auth.ProviderRegistry import ProviderRegistry
        from pyzookeeper.server.persistence.FileTxnSnapLog import FileTxnSnapLog

        LOG.info("Starting quorum peer, myid=%s", config.getServerId())
        try:
            metricsProvider = MetricsProviderBootstrap.startMetricsProvider(
                config.getMetricsProviderClassName(), config.getMetricsProviderConfiguration())
        except MetricsProviderLifeCycleException as error:
            raise OSError(f"Cannot boot MetricsProvider {config.getMetricsProviderClassName()}") from error
        try:
            ServerMetrics.metricsProviderInitialized(metricsProvider)
            ProviderRegistry.initialize()
            cnxnFactory = None
            secureCnxnFactory = None
            if config.getClientPortAddress() is not None:
                cnxnFactory = ServerCnxnFactory.createFactory()
                cnxnFactory.configure(config.getClientPortAddress(), config.getMaxClientCnxns(),
                                      config.getClientPortListenBacklog(), False)
            if config.getSecureClientPortAddress() is not None:
                secureCnxnFactory = ServerCnxnFactory.createFactory()
                secureCnxnFactory.configure(config.getSecureClientPortAddress(), config.getMaxClientCnxns(),
                                            config.getClientPortListenBacklog(), True)

            quorumPeer = self.quorumPeer = self.getQuorumPeer()
            quorumPeer.setTxnFactory(FileTxnSnapLog(config.getDataLogDir(), config.getDataDir()))
            quorumPeer.enableLocalSessions(config.areLocalSessionsEnabled())
            quorumPeer.enableLocalSessionsUpgrading(config.isLocalSessionsUpgradingEnabled())
            quorumPeer.setElectionType(config.getElectionAlg())
            quorumPeer.setMyid(config.getServerId())
            quorumPeer.setTickTime(config.getTickTime())
            quorumPeer.setMinSessionTimeout(config.getMinSessionTimeout())
            quorumPeer.setMaxSessionTimeout(config.getMaxSessionTimeout())
            quorumPeer.setInitLimit(config.getInitLimit())
            quorumPeer.setSyncLimit(config.getSyncLimit())
            quorumPeer.setConnectToLearnerMasterLimit(config.getConnectToLearnerMasterLimit())
            quorumPeer.setObserverMasterPort(config.getObserverMasterPort())
            quorumPeer.setConfigFileName(config.getConfigFilename())
            quorumPeer.setClientPortListenBacklog(config.getClientPortListenBacklog())
            quorumPeer.setZKDatabase(ZKDatabase(quorumPeer.getTxnFactory()))
            quorumPeer.setQuorumVerifier(config.getQuorumVerifier(), False)
            if config.getLastSeenQuorumVerifier() is not None:
                quorumPeer.setLastSeenQuorumVerifier(config.getLastSeenQuorumVerifier(), False)
            quorumPeer.initConfigInZKDatabase()
            quorumPeer.setCnxnFactory(cnxnFactory)
            quorumPeer.setSecureCnxnFactory(secureCnxnFactory)
            quorumPeer.setSslQuorum(config.isSslQuorum())
            quorumPeer.setUsePortUnification(config.shouldUsePortUnification())
            quorumPeer.setLearnerType(config.getPeerType())
            quorumPeer.setSyncEnabled(config.getSyncEnabled())
            quorumPeer.setQuorumListenOnAllIPs(config.getQuorumListenOnAllIPs())
            if config.sslQuorumReloadCertFiles:
                quorumPeer.getX509Util().enableCertFileReloading()
            quorumPeer.setMultiAddressEnabled(config.isMultiAddressEnabled())
            quorumPeer.setMultiAddressReachabilityCheckEnabled(config.isMultiAddressReachabilityCheckEnabled())
            quorumPeer.setMultiAddressReachabilityCheckTimeoutMs(config.getMultiAddressReachabilityCheckTimeoutMs())
            quorumPeer.setQuorumSaslEnabled(config.quorumEnableSasl)
            if quorumPeer.isQuorumSaslAuthEnabled():
                quorumPeer.setQuorumServerSaslRequired(config.quorumServerRequireSasl)
                quorumPeer.setQuorumLearnerSaslRequired(config.quorumLearnerRequireSasl)
                quorumPeer.setQuorumServicePrincipal(config.quorumServicePrincipal)
                quorumPeer.setQuorumServerLoginContext(config.quorumServerLoginContext)
                quorumPeer.setQuorumLearnerLoginContext(config.quorumLearnerLoginContext)
            quorumPeer.setQuorumCnxnThreadsSize(config.quorumCnxnThreadsSize)
            quorumPeer.initialize()
            if config.jvmPauseMonitorToRun:
                from pyzookeeper.server.util.JvmPauseMonitor import JvmPauseMonitor
                quorumPeer.setJvmPauseMonitor(JvmPauseMonitor(config))
            quorumPeer.start()
            quorumPeer.join()
        finally:
            try:
                metricsProvider.stop()
            except Exception:
                LOG.warning("Error while stopping metrics", exc_info=True)

    def getQuorumPeer(self) -> QuorumPeer:
        return QuorumPeer()

    def close(self) -> None:
        """Shut the peer down (for embedding and tests)."""
        if self.quorumPeer is not None:
            try:
                self.quorumPeer.shutdown()
            finally:
                self.quorumPeer = None

    def toString(self) -> str:
        peer = self.quorumPeer
        return "" if peer is None else str(peer)

    __str__ = toString


def main(argv: list[str] | None = None) -> None:
    """Command-line entry: ``-Dname=value`` arguments, then the config path. The
    calling thread takes the name of Java's main thread."""
    args = list(sys.argv[1:] if argv is None else argv)
    threading.current_thread().name = "main"
    system_properties.load_jvm_flags_from_environment()
    while args and args[0].startswith("-D"):
        name, _, value = args.pop(0)[2:].partition("=")
        system_properties.setProperty(name, value)
    logconfig.configure(log_dir=system_properties.getProperty("zookeeper.log.dir"),
                        log_file=system_properties.getProperty("zookeeper.log.file"))
    QuorumPeerMain.main(args)


if __name__ == "__main__":
    main()
