"""Mirrors the org.apache.zookeeper.server.auth package."""

from __future__ import annotations


def createServerLogin(jaasFile: str | None, serverSection: str):
    """The server's SASL (callback handler, login) for JAAS section ``serverSection``.

    The JAAS file is the one named by ``java.security.auth.login.config``
    (``jaasFile`` is that name, for messages); LoginException or OSError when the
    section does not let the server log in. ``ZooKeeperSaslServer.configure_sasl_login``
    does the whole of Java's ``ServerCnxnFactory.configureSaslLogin``.
    """
    from pyzookeeper.server.auth.jaas_config import Configuration, Login, SecurityException
    from pyzookeeper.server.auth.SaslServerCallbackHandler import SaslServerCallbackHandler

    try:
        configuration = Configuration.getConfiguration()
    except SecurityException as e:
        raise OSError(f"{e} (in '{jaasFile}')") from e
    handler = SaslServerCallbackHandler(configuration)
    return handler, Login(serverSection, handler, configuration)
