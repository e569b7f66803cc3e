"""Mirrors org.apache.zookeeper.server.ZooKeeperServerConf: the configuration
of a running server, as the ``conf`` admin command reports it."""

from __future__ import annotations


class ZooKeeperServerConf:
    KEY_CLIENT_PORT = "client_port"
    KEY_DATA_DIR = "data_dir"
    KEY_DATA_LOG_DIR = "data_log_dir"
    KEY_TICK_TIME = "tick_time"
    KEY_MAX_CLIENT_CNXNS = "max_client_cnxns"
    KEY_MIN_SESSION_TIMEOUT = "min_session_timeout"
    KEY_MAX_SESSION_TIMEOUT = "max_session_timeout"
    KEY_SERVER_ID = "server_id"
    KEY_CLIENT_PORT_LISTEN_BACKLOG = "client_port_listen_backlog"

    __slots__ = ("clientPort", "dataDir", "dataLogDir", "tickTime", "maxClientCnxnsPerHost", "minSessionTimeout",
                 "maxSessionTimeout", "serverId", "clientPortListenBacklog")

    def __init__(self, clientPort: int, dataDir: str, dataLogDir: str, tickTime: int, maxClientCnxnsPerHost: int,
                 minSessionTimeout: int, maxSessionTimeout: int, serverId: int, clientPortListenBacklog: int) -> None:
        self.clientPort = clientPort
        self.dataDir = dataDir
        self.dataLogDir = dataLogDir
        self.tickTime = tickTime
        self.maxClientCnxnsPerHost = maxClientCnxnsPerHost
        self.minSessionTimeout = minSessionTimeout
        self.maxSessionTimeout = maxSessionTimeout
        self.serverId = serverId
        self.clientPortListenBacklog = clientPortListenBacklog

    def getClientPort(self) -> int:
        return self.clientPort

    def getDataDir(self) -> str:
        return self.dataDir

    def getDataLogDir(self) -> str:
        return self.dataLogDir

    def getTickTime(self) -> int:
        return self.tickTime

    def getMaxClientCnxnsPerHost(self) -> int:
        return self.maxClientCnxnsPerHost

    def getMinSessionTimeout(self) -> int:
        return self.minSessionTimeout

    def getMaxSessionTimeout(self) -> int:
        return self.maxSessionTimeout

    def getServerId(self) -> int:
        return self.serverId

    def getClientPortListenBacklog(self) -> int:
        return self.clientPortListenBacklog

    def toMap(self) -> dict[str, object]:
        return {
            self.KEY_CLIENT_PORT: self.clientPort,
            self.KEY_DATA_DIR: self.dataDir,
            self.KEY_DATA_LOG_DIR: self.dataLogDir,
            self.KEY_TICK_TIME: self.tickTime,
            self.KEY_MAX_CLIENT_CNXNS: self.maxClientCnxnsPerHost,
            self.KEY_MIN_SESSION_TIMEOUT: self.minSessionTimeout,
            self.KEY_MAX_SESSION_TIMEOUT: self.maxSessionTimeout,
            self.KEY_SERVER_ID: self.serverId,
            self.KEY_CLIENT_PORT_LISTEN_BACKLOG: self.clientPortListenBacklog,
        }
