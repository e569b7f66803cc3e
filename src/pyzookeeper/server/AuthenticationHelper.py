"""Mirrors org.apache.zookeeper.server.AuthenticationHelper: enforcing that
clients authenticate with one of the configured schemes."""

from __future__ import annotations

import logging

from pyzookeeper import system_properties
from pyzookeeper.KeeperException import Code
from pyzookeeper.proto.ReplyHeader import ReplyHeader
from pyzookeeper.server.auth.ProviderRegistry import ProviderRegistry

LOG = logging.getLogger(__name__)


def _java_list(items: list[str]) -> str:
    return "[" + ", ".join(items) + "]"


class AuthenticationHelper:
    ENFORCE_AUTH_ENABLED = "zookeeper.enforce.auth.enabled"
    ENFORCE_AUTH_SCHEMES = "zookeeper.enforce.auth.schemes"
    SESSION_REQUIRE_CLIENT_SASL_AUTH = "zookeeper.sessionRequireClientSASLAuth"
    SASL_AUTH_SCHEME = "sasl"

    def __init__(self) -> None:
        self.enforceAuthEnabled = False
        self.enforceAuthSchemes: list[str] = []
        self.saslAuthRequired = False
        self.initConfigurations()

    def initConfigurations(self) -> None:
        if system_properties.getProperty(self.SESSION_REQUIRE_CLIENT_SASL_AUTH, "false").lower() == "true":
            self.enforceAuthEnabled = True
            self.enforceAuthSchemes.append(self.SASL_AUTH_SCHEME)
        else:
            self.enforceAuthEnabled = (
                system_properties.getProperty(self.ENFORCE_AUTH_ENABLED, "false").lower() == "true")
            schemes = system_properties.getProperty(self.ENFORCE_AUTH_SCHEMES)
            if schemes is not None:
                self.enforceAuthSchemes.extend(s.strip() for s in schemes.split(","))
        LOG.info("%s = %s", self.ENFORCE_AUTH_ENABLED, "true" if self.enforceAuthEnabled else "false")
        LOG.info("%s = %s", self.ENFORCE_AUTH_SCHEMES, _java_list(self.enforceAuthSchemes))
        self.validateConfiguredProperties()
        self.saslAuthRequired = self.enforceAuthEnabled and self.SASL_AUTH_SCHEME in self.enforceAuthSchemes

    def validateConfiguredProperties(self) -> None:
        if not self.enforceAuthEnabled:
            return
        if not self.enforceAuthSchemes:
            msg = self.ENFORCE_AUTH_ENABLED + " is true " + self.ENFORCE_AUTH_SCHEMES + " must be  configured."
            LOG.error(msg)
            raise ValueError(msg)
        for scheme in self.enforceAuthSchemes:
            if ProviderRegistry.getProvider(scheme) is None:
                msg = "Authentication scheme " + scheme + " is not available."
                LOG.error(msg)
                raise ValueError(msg)

    def isCnxnAuthenticated(self, cnxn) -> bool:
        return any(id.scheme in self.enforceAuthSchemes for id in cnxn.getAuthInfo())

    def isEnforceAuthEnabled(self) -> bool:
        return self.enforceAuthEnabled

    def enforceAuthentication(self, connection, xid: int) -> bool:
        """False (after answering and closing the session) when enforcement is on
        and ``connection`` has no id of an enforced scheme."""
        if self.isEnforceAuthEnabled() and not self.isCnxnAuthenticated(connection):
            LOG.error("Client authentication scheme(s) %s does not match with any of the expected "
                      "authentication scheme %s, closing session.",
                      _java_list(self.getAuthSchemes(connection)), _java_list(self.enforceAuthSchemes))
            replyHeader = ReplyHeader(xid, 0, Code.SESSIONCLOSEDREQUIRESASLAUTH.intValue())
            connection.sendResponse(replyHeader, None, "response")
            connection.sendCloseSession()
            connection.disableRecv()
            return False
        return True

    def getAuthSchemes(self, connection) -> list[str]:
        return [id.scheme for id in connection.getAuthInfo()]

    def isSaslAuthRequired(self) -> bool:
        return self.saslAuthRequired
