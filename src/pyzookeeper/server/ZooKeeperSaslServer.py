"""Mirrors org.apache.zookeeper.server.ZooKeeperSaslServer: the server end of
a client's SASL exchange (the ``sasl`` request, opcode 102).

The mechanism is DIGEST-MD5 (pyzookeeper.server.auth.sasl_digest_md5) with
protocol "zookeeper" and server name "zk-sasl-md5", as Java picks it for a
JAAS ``Server`` section without Kerberos principals; Kerberos (GSSAPI) is
refused when the login is configured. ``configure_sasl_login`` is the work of
Java's ``ServerCnxnFactory.configureSaslLogin`` for a connection factory.
"""

from __future__ import annotations

import logging

from pyzookeeper import system_properties
from pyzookeeper.server.auth.jaas_config import (JAAS_CONF_KEY, Configuration, Login, LoginException,
                                                 SecurityException)
from pyzookeeper.server.auth.sasl_digest_md5 import DigestMD5Server, SaslException

LOG = logging.getLogger(__name__)

__all__ = ["ZooKeeperSaslServer", "SaslException", "configure_sasl_login"]


class ZooKeeperSaslServer:
    LOGIN_CONTEXT_NAME_KEY = "zookeeper.sasl.serverconfig"
    DEFAULT_LOGIN_CONTEXT_NAME = "Server"

    def __init__(self, login: Login) -> None:
        self.saslServer = self.createSaslServer(login)

    def createSaslServer(self, login: Login) -> DigestMD5Server:
        return DigestMD5Server("zookeeper", "zk-sasl-md5", login.callbackHandler)

    def evaluateResponse(self, response: bytes) -> bytes:
        """The next server token for the client's ``response``; SaslException on failure."""
        return self.saslServer.evaluateResponse(response)

    def isComplete(self) -> bool:
        return self.saslServer.isComplete()

    def getAuthorizationID(self) -> str | None:
        return self.saslServer.getAuthorizationID()


def configure_sasl_login() -> Login | None:
    """The server's SASL login, or None when there is no JAAS section for it.

    Reads the section named by ``zookeeper.sasl.serverconfig`` (default
    "Server") of the file named by ``java.security.auth.login.config``. Raises
    OSError, with Java's message, when that file cannot be used although SASL
    was asked for, or when the section does not let the server log in. The
    factory keeps the result as its ``login`` (``login.callbackHandler`` is
    Java's ``saslServerCallbackHandler``, ``login.getUserName()`` its
    ``loginUser``) and gives each new connection
    ``ZooKeeperSaslServer(login)`` when it is not None.
    """
    from pyzookeeper.server.auth.SaslServerCallbackHandler import SaslServerCallbackHandler

    serverSection = system_properties.getProperty(ZooKeeperSaslServer.LOGIN_CONTEXT_NAME_KEY,
                                                  ZooKeeperSaslServer.DEFAULT_LOGIN_CONTEXT_NAME)
    entries = None
    securityException = None
    try:
        entries = Configuration.getConfiguration().getAppConfigurationEntry(serverSection)
    except SecurityException as e:
        securityException = e
    if entries is None:
        jaasFile = system_properties.getProperty(JAAS_CONF_KEY)
        loginContextName = system_properties.getProperty(ZooKeeperSaslServer.LOGIN_CONTEXT_NAME_KEY)
        if securityException is not None and (loginContextName is not None or jaasFile is not None):
            errorMessage = "No JAAS configuration section named '" + serverSection + "' was found"
            if jaasFile is not None:
                errorMessage += " in '" + jaasFile + "'."
            if loginContextName is not None:
                errorMessage += " But " + ZooKeeperSaslServer.LOGIN_CONTEXT_NAME_KEY + " was set."
            LOG.error(errorMessage, exc_info=securityException)
            raise OSError(errorMessage)
        return None
    try:
        saslServerCallbackHandler = SaslServerCallbackHandler(Configuration.getConfiguration())
        login = Login(serverSection, saslServerCallbackHandler)
        login.startThreadIfNeeded()
    except LoginException as e:
        raise OSError("Could not configure server because SASL configuration did not allow the "
                      + " ZooKeeper server to authenticate itself properly: " + str(e)) from e
    return login
