"""Mirrors org.apache.zookeeper.server.ServerCnxnFactory: the client-port
listener, with its connections and their sessions.

Deliberate differences: no JMX, so connections are not registered as MBeans;
``zookeeper.serverCnxnFactory`` names a class by its Java or Python name, and
NettyServerCnxnFactory, which this port does not have, falls back to NIO.
"""

from __future__ import annotations

import abc
import getpass
import importlib
import logging

from pyzookeeper import system_properties
from pyzookeeper.common.inet_address import InetSocketAddress
from pyzookeeper.server import auth
from pyzookeeper.server.auth.jaas_config import JAAS_CONF_KEY, Configuration, LoginException, SecurityException
from pyzookeeper.server.ZooKeeperSaslServer import ZooKeeperSaslServer

LOG = logging.getLogger(__name__)

_NIO_FACTORY = "org.apache.zookeeper.server.NIOServerCnxnFactory"
_NETTY_FACTORY = "org.apache.zookeeper.server.NettyServerCnxnFactory"


def _factoryClass(name: str) -> type:
    """The class a Java (``org.apache.zookeeper.…``) or Python class name stands for;
    each module holds the class of its own name."""
    if name.startswith("org.apache.zookeeper."):
        name = "pyzookeeper." + name[len("org.apache.zookeeper."):]
    return getattr(importlib.import_module(name), name.rsplit(".", 1)[1])


class ServerCnxnFactory(abc.ABC):
    ZOOKEEPER_SERVER_CNXN_FACTORY = "zookeeper.serverCnxnFactory"
    ZOOKEEPER_MAX_CONNECTION = "zookeeper.maxCnxns"
    ZOOKEEPER_MAX_CONNECTION_DEFAULT = 0

    # Queued as a buffer, it closes the connection once what was queued before it is sent.
    closeConn = bytearray()

    loginUser: str | None = None

    def __init__(self) -> None:
        self.secure = False
        # total number of connections the server accepts (0: no limit)
        self.maxCnxns = 0
        self.sessionMap: dict[int, object] = {}
        self.saslServerCallbackHandler = None
        self.login = None
        self.zkServer = None
        # The connections, relied on by the four-letter commands (a dict used as a set).
        self.cnxns: dict = {}

    def addSession(self, sessionId: int, cnxn) -> None:
        self.sessionMap[sessionId] = cnxn

    def removeCnxnFromSessionMap(self, cnxn) -> None:
        sessionId = cnxn.getSessionId()
        if sessionId != 0:
            self.sessionMap.pop(sessionId, None)

    def closeSession(self, sessionId: int, reason) -> bool:
        """Closes the connection of ``sessionId``; True when this factory had it."""
        cnxn = self.sessionMap.pop(sessionId, None)
        if cnxn is not None:
            try:
                cnxn.close(reason)
            except Exception as e:
                LOG.warning("exception during session close", exc_info=e)
            return True
        return False

    @abc.abstractmethod
    def getLocalPort(self) -> int: ...

    @abc.abstractmethod
    def getConnections(self) -> list: ...

    def getNumAliveConnections(self) -> int:
        return len(self.cnxns)

    def getZooKeeperServer(self):
        return self.zkServer

    @abc.abstractmethod
    def configure(self, addr: InetSocketAddress | tuple, maxcc: int, backlog: int = -1,
                  secure: bool = False) -> None: ...

    @abc.abstractmethod
    def reconfigure(self, addr: InetSocketAddress | tuple) -> None: ...

    @abc.abstractmethod
    def getMaxClientCnxnsPerHost(self) -> int:
        """Maximum number of connections from one host (IP)."""

    @abc.abstractmethod
    def setMaxClientCnxnsPerHost(self, max: int) -> None: ...

    def isSecure(self) -> bool:
        return self.secure

    @abc.abstractmethod
    def startup(self, zkServer, startServer: bool = True) -> None:
        """Starts accepting connections for ``zkServer``, and starts the server
        itself unless ``startServer`` is False."""

    @abc.abstractmethod
    def getSocketListenBacklog(self) -> int: ...

    @abc.abstractmethod
    def join(self) -> None: ...

    @abc.abstractmethod
    def shutdown(self) -> None: ...

    @abc.abstractmethod
    def start(self) -> None: ...

    def setZooKeeperServer(self, zks) -> None:
        self.zkServer = zks
        if zks is not None:
            if self.secure:
                zks.setSecureServerCnxnFactory(self)
            else:
                zks.setServerCnxnFactory(self)

    @abc.abstractmethod
    def closeAll(self, reason) -> None: ...

    @staticmethod
    def createFactory(addr: InetSocketAddress | tuple | int | None = None, maxClientCnxns: int = 0,
                      backlog: int = -1) -> "ServerCnxnFactory":
        """A factory of the class named by ``zookeeper.serverCnxnFactory`` (NIO by
        default); configured for ``addr`` when one is given (a port alone is the
        wildcard address)."""
        serverCnxnFactoryName = system_properties.getProperty(ServerCnxnFactory.ZOOKEEPER_SERVER_CNXN_FACTORY)
        if serverCnxnFactoryName is None:
            serverCnxnFactoryName = _NIO_FACTORY
        try:
            try:
                cls = _factoryClass(serverCnxnFactoryName)
            except ImportError:
                if serverCnxnFactoryName != _NETTY_FACTORY:
                    raise
                LOG.warning("%s is not available, using %s", serverCnxnFactoryName, _NIO_FACTORY)
                serverCnxnFactoryName = _NIO_FACTORY
                cls = _factoryClass(serverCnxnFactoryName)
            serverCnxnFactory = cls()
            LOG.info("Using %s as server connection factory", serverCnxnFactoryName)
        except Exception as e:
            raise OSError(f"Couldn't instantiate {serverCnxnFactoryName}") from e
        if addr is not None:
            if isinstance(addr, int):
                addr = InetSocketAddress(addr)
            serverCnxnFactory.configure(addr, maxClientCnxns, backlog)
        return serverCnxnFactory

    @abc.abstractmethod
    def getLocalAddress(self) -> InetSocketAddress: ...

    @abc.abstractmethod
    def resetAllConnectionStats(self) -> None: ...

    @abc.abstractmethod
    def getAllConnectionInfo(self, brief: bool) -> list[dict]: ...

    def unregisterConnection(self, serverCnxn) -> None:
        """Java unregisters the connection's MBean; there is no JMX here."""

    def registerConnection(self, serverCnxn) -> None:
        """Java registers the connection as an MBean; there is no JMX here."""

    def configureSaslLogin(self) -> None:
        """Sets up the server's SASL login when the JAAS configuration has a section
        for the server (``zookeeper.sasl.serverconfig``, default "Server").

        Without such a section SASL stays off; that is an error only when the JAAS
        configuration cannot be read and the user asked for SASL (a JAAS file or
        the section name is set).
        """
        serverSection = system_properties.getProperty(ZooKeeperSaslServer.LOGIN_CONTEXT_NAME_KEY,
                                                      ZooKeeperSaslServer.DEFAULT_LOGIN_CONTEXT_NAME)
        entries = None
        securityException = None
        try:
            entries = Configuration.getConfiguration().getAppConfigurationEntry(serverSection)
        except SecurityException as e:
            # harmless unless the user meant to use JAAS authentication
            securityException = e
        jaasFile = system_properties.getProperty(JAAS_CONF_KEY)
        if entries is None:
            loginContextName = system_properties.getProperty(ZooKeeperSaslServer.LOGIN_CONTEXT_NAME_KEY)
            if securityException is not None and (loginContextName is not None or jaasFile is not None):
                errorMessage = f"No JAAS configuration section named '{serverSection}' was found"
                if jaasFile is not None:
                    errorMessage += f" in '{jaasFile}'."
                if loginContextName is not None:
                    errorMessage += f" But {ZooKeeperSaslServer.LOGIN_CONTEXT_NAME_KEY} was set."
                LOG.error(errorMessage, exc_info=securityException)
                raise OSError(errorMessage)
            return
        try:
            self.saslServerCallbackHandler, self.login = auth.createServerLogin(jaasFile, serverSection)
            ServerCnxnFactory.setLoginUser(self.login.getUserName())
            self.login.startThreadIfNeeded()
        except LoginException as e:
            raise OSError("Could not configure server because SASL configuration did not allow the "
                          f" ZooKeeper server to authenticate itself properly: {e}") from e

    @staticmethod
    def setLoginUser(name: str) -> None:
        ServerCnxnFactory.loginUser = name

    @staticmethod
    def getUserName() -> str:
        """The logged-in user the server runs as, else the system user."""
        if ServerCnxnFactory.loginUser is not None:
            return ServerCnxnFactory.loginUser
        return system_properties.getProperty("user.name") or _systemUser()

    def getMaxCnxns(self) -> int:
        """Maximum number of connections to the whole server."""
        return self.maxCnxns

    def initMaxCnxns(self) -> None:
        self.maxCnxns = system_properties.getInteger(
            ServerCnxnFactory.ZOOKEEPER_MAX_CONNECTION, ServerCnxnFactory.ZOOKEEPER_MAX_CONNECTION_DEFAULT)
        if self.maxCnxns < 0:
            self.maxCnxns = ServerCnxnFactory.ZOOKEEPER_MAX_CONNECTION_DEFAULT
            LOG.warning("maxCnxns should be greater than or equal to 0, using default value %s.",
                        ServerCnxnFactory.ZOOKEEPER_MAX_CONNECTION_DEFAULT)
        elif self.maxCnxns == ServerCnxnFactory.ZOOKEEPER_MAX_CONNECTION_DEFAULT:
            LOG.warning("maxCnxns is not configured, using default value %s.",
                        ServerCnxnFactory.ZOOKEEPER_MAX_CONNECTION_DEFAULT)
        else:
            LOG.info("maxCnxns configured value is %s.", self.maxCnxns)

    def limitTotalNumberOfCnxns(self) -> bool:
        """Whether the server already has its maximum number of connections."""
        if self.maxCnxns <= 0:
            return False
        cnxns = self.getNumAliveConnections()
        if cnxns >= self.maxCnxns:
            LOG.error("Too many connections %s - max is %s", cnxns, self.maxCnxns)
            return True
        return False


def _systemUser() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "<NA>"
