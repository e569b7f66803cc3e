"""Mirrors org.apache.zookeeper.server.auth.SASLAuthenticationProvider."""

from __future__ import annotations

from pyzookeeper import system_properties
from pyzookeeper.KeeperException import Code
from pyzookeeper.server.auth.AuthenticationProvider import AuthenticationProvider
from pyzookeeper.server.auth.KerberosName import KerberosName


class SASLAuthenticationProvider(AuthenticationProvider):
    """The ``sasl`` scheme. Its ids come from the SASL exchange at session start
    (the ``sasl`` request), never from an ``auth`` packet."""

    def getScheme(self) -> str:
        return "sasl"

    def handleAuthentication(self, cnxn, authData: bytes) -> Code:
        return Code.AUTHFAILED

    def matches(self, id: str, aclExpr: str) -> bool:
        if id == "super" or id == aclExpr:
            return True
        readAccessUser = system_properties.getProperty("zookeeper.letAnySaslUserDoX")
        return readAccessUser is not None and aclExpr == readAccessUser

    def isAuthenticated(self) -> bool:
        return True

    def isValid(self, id: str) -> bool:
        try:
            KerberosName(id)
            return True
        except ValueError:
            return False
