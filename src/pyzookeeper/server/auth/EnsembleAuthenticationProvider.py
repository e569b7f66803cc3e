"""Mirrors org.apache.zookeeper.server.auth.EnsembleAuthenticationProvider."""

from __future__ import annotations

import logging
import re

from pyzookeeper import system_properties
from pyzookeeper.common import Time
from pyzookeeper.KeeperException import Code
from pyzookeeper.server.auth.AuthenticationProvider import AuthenticationProvider

LOG = logging.getLogger(__name__)

_CONTROL_CHARS = re.compile(r"[\x00-\x1F]")


def _metrics():
    from pyzookeeper.server.ServerMetrics import ServerMetrics

    return ServerMetrics.getMetrics()


class EnsembleAuthenticationProvider(AuthenticationProvider):
    """The ``ensemble`` scheme: a client names the ensemble it means to reach;
    a connection that names another ensemble is closed."""

    ENSEMBLE_PROPERTY = "zookeeper.ensembleAuthName"
    MIN_LOGGING_INTERVAL_MS = 1000

    def __init__(self) -> None:
        self.ensembleNames: set[str] | None = None
        self.lastFailureLogged = 0
        namesCSV = system_properties.getProperty(self.ENSEMBLE_PROPERTY)
        if namesCSV is not None:
            LOG.info("Set expected ensemble names to %s", namesCSV)
            self.setEnsembleNames(namesCSV)

    def setEnsembleNames(self, namesCSV: str) -> None:
        self.ensembleNames = {name.strip() for name in namesCSV.split(",")}

    def getScheme(self) -> str:
        return "ensemble"

    def handleAuthentication(self, cnxn, authData: bytes) -> Code:
        if not authData:
            _metrics().ENSEMBLE_AUTH_SKIP.add(1)
            return Code.OK
        receivedEnsembleName = bytes(authData).decode("utf-8", "replace")
        if self.ensembleNames is None:
            _metrics().ENSEMBLE_AUTH_SKIP.add(1)
            return Code.OK
        if receivedEnsembleName in self.ensembleNames:
            _metrics().ENSEMBLE_AUTH_SUCCESS.add(1)
            return Code.OK
        currentTime = Time.currentWallTime()
        if self.lastFailureLogged + self.MIN_LOGGING_INTERVAL_MS < currentTime:
            id = cnxn.getRemoteSocketAddress().getAddress().getHostAddress()
            logEnsembleName = _CONTROL_CHARS.sub("", receivedEnsembleName)
            LOG.warning("Unexpected ensemble name: ensemble name: %s client ip: %s", logEnsembleName, id)
            self.lastFailureLogged = currentTime
        from pyzookeeper.server.ServerCnxn import ServerCnxn

        _metrics().ENSEMBLE_AUTH_FAIL.add(1)
        cnxn.close(ServerCnxn.DisconnectReason.FAILED_HANDSHAKE)
        return Code.BADARGUMENTS

    def matches(self, id: str, aclExpr: str) -> bool:
        return False

    def isAuthenticated(self) -> bool:
        return False

    def isValid(self, id: str) -> bool:
        return False
