"""Mirrors org.apache.zookeeper.server.auth.SaslServerCallbackHandler: the
DIGEST-MD5 users and passwords of the JAAS ``Server`` section
(``user_<name>="<password>"``) and the canonical authorization id.

The user found by the name callback is carried to the password callback of
the same ``handle`` call instead of a field all connections share.
"""

from __future__ import annotations

import logging

from pyzookeeper import system_properties
from pyzookeeper.server.auth.KerberosName import KerberosName
from pyzookeeper.server.auth.sasl_digest_md5 import AuthorizeCallback, NameCallback, PasswordCallback, RealmCallback
from pyzookeeper.server.ZooKeeperSaslServer import ZooKeeperSaslServer

LOG = logging.getLogger(__name__)


class SaslServerCallbackHandler:
    USER_PREFIX = "user_"
    SYSPROP_SUPER_PASSWORD = "zookeeper.SASLAuthenticationProvider.superPassword"
    SYSPROP_REMOVE_HOST = "zookeeper.kerberos.removeHostFromPrincipal"
    SYSPROP_REMOVE_REALM = "zookeeper.kerberos.removeRealmFromPrincipal"

    def __init__(self, configuration) -> None:
        serverSection = system_properties.getProperty(ZooKeeperSaslServer.LOGIN_CONTEXT_NAME_KEY,
                                                      ZooKeeperSaslServer.DEFAULT_LOGIN_CONTEXT_NAME)
        configurationEntries = configuration.getAppConfigurationEntry(serverSection)
        if configurationEntries is None:
            errorMessage = ("Could not find a '" + serverSection
                            + "' entry in this configuration: Server cannot start.")
            LOG.error(errorMessage)
            raise OSError(errorMessage)
        self.credentials: dict[str, str] = {}
        for entry in configurationEntries:
            for key, value in entry.getOptions().items():
                if key.startswith(self.USER_PREFIX):
                    self.credentials[key[len(self.USER_PREFIX):]] = value

    def handle(self, callbacks: list) -> None:
        userName = None
        for callback in callbacks:
            if isinstance(callback, NameCallback):
                userName = self.handleNameCallback(callback)
            elif isinstance(callback, PasswordCallback):
                self.handlePasswordCallback(callback, userName)
            elif isinstance(callback, RealmCallback):
                self.handleRealmCallback(callback)
            elif isinstance(callback, AuthorizeCallback):
                self.handleAuthorizeCallback(callback)

    def handleNameCallback(self, nc: NameCallback) -> str | None:
        if self.credentials.get(nc.getDefaultName()) is None:
            LOG.warning("User '%s' not found in list of DIGEST-MD5 authenticateable users.", nc.getDefaultName())
            return None
        nc.setName(nc.getDefaultName())
        return nc.getDefaultName()

    def handlePasswordCallback(self, pc: PasswordCallback, userName: str | None) -> None:
        superPassword = system_properties.getProperty(self.SYSPROP_SUPER_PASSWORD)
        if userName == "super" and superPassword is not None:
            pc.setPassword(superPassword)
        elif userName in self.credentials:
            pc.setPassword(self.credentials[userName])
        else:
            LOG.warning("No password found for user: %s", "null" if userName is None else userName)

    def handleRealmCallback(self, rc: RealmCallback) -> None:
        LOG.debug("client supplied realm: %s", rc.getDefaultText())
        rc.setText(rc.getDefaultText())

    def handleAuthorizeCallback(self, ac: AuthorizeCallback) -> None:
        authenticationID = ac.getAuthenticationID()
        authorizationID = ac.getAuthorizationID()
        LOG.info("Successfully authenticated client: authenticationID=%s;  authorizationID=%s.",
                 authenticationID, authorizationID)
        ac.setAuthorized(True)
        kerberosName = KerberosName(authenticationID)
        try:
            userName = kerberosName.getShortName()
            if self.shouldAppendHost(kerberosName):
                userName += "/" + kerberosName.getHostName()
            if self.shouldAppendRealm(kerberosName):
                userName += "@" + kerberosName.getRealm()
            LOG.info("Setting authorizedID: %s", userName)
            ac.setAuthorizedID(userName)
        except OSError:
            LOG.error("Failed to set name based on Kerberos authentication rules.", exc_info=True)

    def shouldAppendRealm(self, kerberosName: KerberosName) -> bool:
        return not self.isSystemPropertyTrue(self.SYSPROP_REMOVE_REALM) and kerberosName.getRealm() is not None

    def shouldAppendHost(self, kerberosName: KerberosName) -> bool:
        return not self.isSystemPropertyTrue(self.SYSPROP_REMOVE_HOST) and kerberosName.getHostName() is not None

    @staticmethod
    def isSystemPropertyTrue(propertyName: str) -> bool:
        return system_properties.getProperty(propertyName) == "true"
