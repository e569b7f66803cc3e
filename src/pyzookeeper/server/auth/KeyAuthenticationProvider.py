"""Mirrors org.apache.zookeeper.server.auth.KeyAuthenticationProvider, the
sample ServerAuthenticationProvider: the auth data must be a multiple of the
number stored in ``/key``."""

from __future__ import annotations

import logging
import re

from pyzookeeper.data.Id import Id
from pyzookeeper.data.Stat import Stat
from pyzookeeper.KeeperException import Code, KeeperException
from pyzookeeper.server.auth.ServerAuthenticationProvider import ServerAuthenticationProvider

LOG = logging.getLogger(__name__)

_JAVA_INT = re.compile(r"[+-]?\d+")


def _parse_int(text: str) -> int:
    """``Integer.parseInt``; ValueError like NumberFormatException."""
    if not _JAVA_INT.fullmatch(text) or not -(2**31) <= int(text) < 2**31:
        raise ValueError('For input string: "' + text + '"')
    return int(text)


class KeyAuthenticationProvider(ServerAuthenticationProvider):

    def getScheme(self) -> str:
        return "key"

    def getKey(self, zks) -> bytes | None:
        db = zks.getZKDatabase()
        if db is not None:
            try:
                return db.getData("/key", Stat(), None)
            except KeeperException.NoNodeException:
                LOG.error("getData failed", exc_info=True)
        return None

    def validate(self, key: bytes, auth: bytes) -> bool:
        try:
            keyVal = _parse_int(key.decode("utf-8", "replace"))
            authVal = _parse_int(auth.decode("utf-8", "replace"))
        except ValueError:
            LOG.error("bad formatting", exc_info=True)
            return False
        if keyVal != 0 and authVal % keyVal != 0:
            return False
        return True

    def handleAuthentication(self, serverObjs: ServerAuthenticationProvider.ServerObjs, authData: bytes) -> Code:
        key = self.getKey(serverObjs.getZks())
        authStr = bytes(authData).decode("utf-8", "replace")
        keyStr = ""
        if key is not None:
            if not self.validate(key, bytes(authData)):
                keyStr = key.decode("utf-8", "replace")
                LOG.debug("KeyAuthenticationProvider handleAuthentication (%s, %s) -> FAIL.\n", keyStr, authStr)
                return Code.AUTHFAILED
        LOG.debug("KeyAuthenticationProvider handleAuthentication -> OK.\n")
        serverObjs.getCnxn().addAuthInfo(Id(self.getScheme(), keyStr))
        return Code.OK

    def matches(self, serverObjs: ServerAuthenticationProvider.ServerObjs,
                matchValues: ServerAuthenticationProvider.MatchValues) -> bool:
        return matchValues.getId() == matchValues.getAclExpr()

    def isAuthenticated(self) -> bool:
        return True

    def isValid(self, id: str) -> bool:
        return True
