"""Mirrors org.apache.zookeeper.server.ServerConfig: the configuration of a
standalone server, from command-line arguments or from a QuorumPeerConfig."""

from __future__ import annotations

from pyzookeeper.common.inet_address import InetSocketAddress
from pyzookeeper.common.java_properties import Properties, parse_java_int
from pyzookeeper.server.quorum.QuorumPeerConfig import (DEFAULT_METRICS_PROVIDER, DEFAULT_TICK_TIME,
                                                        QuorumPeerConfig)
from pyzookeeper.server.util.VerifyingFileFactory import java_file_path


class ServerConfig:

    def __init__(self) -> None:
        self.clientPortAddress: InetSocketAddress | None = None
        self.secureClientPortAddress: InetSocketAddress | None = None
        self.dataDir: str | None = None
        self.dataLogDir: str | None = None
        self.tickTime = DEFAULT_TICK_TIME
        self.maxClientCnxns = 0
        self.minSessionTimeout = -1
        self.maxSessionTimeout = -1
        self.metricsProviderClassName = DEFAULT_METRICS_PROVIDER
        self.metricsProviderConfiguration = Properties()
        self.listenBacklog = -1
        self.initialConfig: str | None = None
        self.jvmPauseMonitorToRun = False
        self.jvmPauseWarnThresholdMs = 0
        self.jvmPauseInfoThresholdMs = 0
        self.jvmPauseSleepTimeMs = 0

    def parse(self, args: str | list[str]) -> None:
        """``parse(path)``: read a configuration file. ``parse([port, dataDir[, tickTime[, maxClientCnxns]]])``:
        take the settings from command-line arguments (ValueError on bad usage)."""
        if isinstance(args, str):
            config = QuorumPeerConfig()
            config.parse(args)
            self.readFrom(config)
            return
        if len(args) < 2 or len(args) > 4:
            raise ValueError("Invalid number of arguments:[" + ", ".join(args) + "]")
        self.clientPortAddress = InetSocketAddress(parse_java_int(args[0], key="port"))
        self.dataDir = java_file_path(args[1])
        self.dataLogDir = self.dataDir
        if len(args) >= 3:
            self.tickTime = parse_java_int(args[2], key="tickTime")
        if len(args) == 4:
            self.maxClientCnxns = parse_java_int(args[3], key="maxClientCnxns")

    def readFrom(self, config: QuorumPeerConfig) -> None:
        """Take the settings a standalone server uses from a parsed QuorumPeerConfig."""
        self.clientPortAddress = config.getClientPortAddress()
        self.secureClientPortAddress = config.getSecureClientPortAddress()
        self.dataDir = config.getDataDir()
        self.dataLogDir = config.getDataLogDir()
        self.tickTime = config.getTickTime()
        self.maxClientCnxns = config.getMaxClientCnxns()
        self.minSessionTimeout = config.getMinSessionTimeout()
        self.maxSessionTimeout = config.getMaxSessionTimeout()
        self.jvmPauseMonitorToRun = config.isJvmPauseMonitorToRun()
        self.jvmPauseInfoThresholdMs = config.getJvmPauseInfoThresholdMs()
        self.jvmPauseWarnThresholdMs = config.getJvmPauseWarnThresholdMs()
        self.jvmPauseSleepTimeMs = config.getJvmPauseSleepTimeMs()
        self.metricsProviderClassName = config.getMetricsProviderClassName()
        self.metricsProviderConfiguration = config.getMetricsProviderConfiguration()
        self.listenBacklog = config.getClientPortListenBacklog()
        self.initialConfig = config.getInitialConfig()

    def getClientPortAddress(self) -> InetSocketAddress | None:
        return self.clientPortAddress

    def getSecureClientPortAddress(self) -> InetSocketAddress | None:
        return self.secureClientPortAddress

    def getDataDir(self) -> str | None:
        return self.dataDir

    def getDataLogDir(self) -> str | None:
        return self.dataLogDir

    def getTickTime(self) -> int:
        return self.tickTime

    def getMaxClientCnxns(self) -> int:
        return self.maxClientCnxns

    def getMinSessionTimeout(self) -> int:
        """Minimum session timeout in milliseconds, -1 if unset."""
        return self.minSessionTimeout

    def getMaxSessionTimeout(self) -> int:
        """Maximum session timeout in milliseconds, -1 if unset."""
        return self.maxSessionTimeout

    def getJvmPauseInfoThresholdMs(self) -> int:
        return self.jvmPauseInfoThresholdMs

    def getJvmPauseWarnThresholdMs(self) -> int:
        return self.jvmPauseWarnThresholdMs

    def getJvmPauseSleepTimeMs(self) -> int:
        return self.jvmPauseSleepTimeMs

    def isJvmPauseMonitorToRun(self) -> bool:
        return self.jvmPauseMonitorToRun

    def getMetricsProviderClassName(self) -> str:
        return self.metricsProviderClassName

    def getMetricsProviderConfiguration(self) -> Properties:
        return self.metricsProviderConfiguration

    def getClientPortListenBacklog(self) -> int:
        """Maximum number of pending connections on the client port, -1 if unset."""
        return self.listenBacklog
