"""Mirrors org.apache.zookeeper.server.ZooKeeperServerMain: runs a standalone
server from a ServerConfig until it is shut down."""

from __future__ import annotations

import logging
import sys
import threading

from pyzookeeper import system_properties
from pyzookeeper.server.ExitCode import ExitCode
from pyzookeeper.util import ServiceUtils

LOG = logging.getLogger(__name__)

USAGE = "Usage: ZooKeeperServerMain configfile | port datadir [ticktime] [maxcnxns]"


class ZooKeeperServerMain:
    def __init__(self) -> None:
        self.cnxnFactory = None
        self.secureCnxnFactory = None
        self.containerManager = None
        self.metricsProvider = None
        self.adminServer = None
        self.zkServer = None
        self.started = threading.Event()

    @staticmethod
    def main(args: list[str]) -> None:
        from pyzookeeper.server.admin.AdminServer import AdminServerException
        from pyzookeeper.server.persistence.FileTxnSnapLog import DatadirException
        from pyzookeeper.server.quorum.QuorumPeerConfig import ConfigException

        main = ZooKeeperServerMain()
        try:
            main.initializeAndRun(args)
        except ValueError:
            LOG.error("Invalid arguments, exiting abnormally", exc_info=True)
            LOG.info(USAGE)
            print(USAGE, file=sys.stderr)
            ServiceUtils.requestSystemExit(ExitCode.INVALID_INVOCATION.getValue())
        except ConfigException:
            LOG.error("Invalid config, exiting abnormally", exc_info=True)
            print("Invalid config, exiting abnormally", file=sys.stderr)
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
        from pyzookeeper.server.ServerConfig import ServerConfig

        config = ServerConfig()
        if len(args) == 1:
            config.parse(args[0])
        else:
            config.parse(args)
        self.runFromConfig(config)

    def runFromConfig(self, config) -> None:
        from pyzookeeper.metrics.impl.MetricsProviderBootstrap import MetricsProviderBootstrap
        from pyzookeeper.metrics.MetricsProviderLifeCycleException import MetricsProviderLifeCycleException
        from pyzookeeper.server.admin.AdminServerFactory import AdminServerFactory
        from pyzookeeper.server.auth.ProviderRegistry import ProviderRegistry
        from pyzookeeper.server.ContainerManager import ContainerManager
        from pyzookeeper.server.persistence.FileTxnSnapLog import FileTxnSnapLog
        from pyzookeeper.server.ServerCnxnFactory import ServerCnxnFactory
        from pyzookeeper.server.ServerMetrics import ServerMetrics
        from pyzookeeper.server.ZooKeeperServer import ZooKeeperServer
        from pyzookeeper.server.ZooKeeperServerShutdownHandler import ZooKeeperServerShutdownHandler

        LOG.info("Starting server")
        txnLog = None
        try:
            try:
                self.metricsProvider = MetricsProviderBootstrap.startMetricsProvider(
                    config.getMetricsProviderClassName(), config.getMetricsProviderConfiguration())
            except MetricsProviderLifeCycleException as error:
                raise IOError(f"Cannot boot MetricsProvider {config.getMetricsProviderClassName()}") from error
            ServerMetrics.metricsProviderInitialized(self.metricsProvider)
            ProviderRegistry.initialize()
            txnLog = FileTxnSnapLog(config.dataLogDir, config.dataDir)
            zkServer = ZooKeeperServer(txnLog, config.tickTime, config.minSessionTimeout, config.maxSessionTimeout,
                                       config.listenBacklog, None, config.initialConfig)
            self.zkServer = zkServer
            txnLog.setServerStats(zkServer.serverStats())
            shutdownLatch = threading.Event()
            zkServer.registerServerShutdownHandler(ZooKeeperServerShutdownHandler(shutdownLatch))
            self.adminServer = AdminServerFactory.createAdminServer()
            self.adminServer.setZooKeeperServer(zkServer)
            self.adminServer.start()
            needStartZKServer = True
            if config.getClientPortAddress() is not None:
                self.cnxnFactory = ServerCnxnFactory.createFactory()
                self.cnxnFactory.configure(config.getClientPortAddress(), config.getMaxClientCnxns(),
                                           config.getClientPortListenBacklog(), False)
                self.cnxnFactory.startup(zkServer)
                needStartZKServer = False
            if config.getSecureClientPortAddress() is not None:
                self.secureCnxnFactory = ServerCnxnFactory.createFactory()
                self.secureCnxnFactory.configure(config.getSecureClientPortAddress(), config.getMaxClientCnxns(),
                                                 config.getClientPortListenBacklog(), True)
                self.secureCnxnFactory.startup(zkServer, needStartZKServer)
            self.containerManager = ContainerManager(
                zkServer.getZKDatabase(), zkServer.firstProcessor,
                system_properties.getInteger("znode.container.checkIntervalMs", 60_000),
                system_properties.getInteger("znode.container.maxPerMinute", 10000),
                system_properties.getLong("znode.container.maxNeverUsedIntervalMs", 0))
            self.containerManager.start()
            self.serverStarted()
            shutdownLatch.wait()
            self.shutdown()
            if self.cnxnFactory is not None:
                self.cnxnFactory.join()
            if self.secureCnxnFactory is not None:
                self.secureCnxnFactory.join()
            if zkServer.canShutdown():
                zkServer.shutdown(True)
        finally:
            if txnLog is not None:
                txnLog.close()
            if self.metricsProvider is not None:
                try:
                    self.metricsProvider.stop()
                except Exception:
                    LOG.warning("Error while stopping metrics", exc_info=True)

    def shutdown(self) -> None:
        from pyzookeeper.server.admin.AdminServer import AdminServerException

        if self.containerManager is not None:
            self.containerManager.stop()
        if self.cnxnFactory is not None:
            self.cnxnFactory.shutdown()
        if self.secureCnxnFactory is not None:
            self.secureCnxnFactory.shutdown()
        try:
            if self.adminServer is not None:
                self.adminServer.shutdown()
        except AdminServerException:
            LOG.warning("Problem stopping AdminServer", exc_info=True)

    def getCnxnFactory(self):
        return self.cnxnFactory

    def getSecureCnxnFactory(self):
        return self.secureCnxnFactory

    def close(self) -> None:
        """Shut the running server down from another thread (tests, embedding)."""
        primary = self.cnxnFactory
        secondary = self.secureCnxnFactory
        try:
            if primary is None:
                primary = secondary
            if primary is None or primary.getZooKeeperServer() is None:
                LOG.info("Connection factory did not start")
                return
            primary.getZooKeeperServer().getZkShutdownHandler().handle("SHUTDOWN")
            primary.join()
        finally:
            if primary is not None:
                primary.shutdown()
            if secondary is not None:
                secondary.shutdown()

    def serverStarted(self) -> None:
        self.started.set()


def main(argv: list[str] | None = None) -> None:
    from pyzookeeper import logconfig

    system_properties.load_jvm_flags_from_environment()
    logconfig.configure()
    ZooKeeperServerMain.main(sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    main()
