"""Mirrors org.apache.zookeeper.common.ZKConfig: a key/value configuration
seeded from the system properties the TLS and Kerberos code reads, and
optionally from a properties file.

``ConfigException`` is ``QuorumPeerConfig.ConfigException``, as in Java.
"""

from __future__ import annotations

import logging
import os

from pyzookeeper import system_properties
from pyzookeeper.common.java_properties import Properties, java_trim
from pyzookeeper.server.quorum.QuorumPeerConfig import ConfigException
from pyzookeeper.server.util.VerifyingFileFactory import VerifyingFileFactory

LOG = logging.getLogger(__name__)

# org.apache.zookeeper.Environment.JAAS_CONF_KEY
JAAS_CONF_KEY = "java.security.auth.login.config"

# The property names X509Util builds from its prefix (ClientX509Util "zookeeper.ssl.",
# QuorumX509Util "zookeeper.ssl.quorum."), in the order ZKConfig copies them.
_X509_SUFFIXES = ("protocol", "enabledProtocols", "ciphersuites", "keyStore.location", "keyStore.password",
                  "keyStore.passwordPath", "keyStore.type", "trustStore.location", "trustStore.password",
                  "trustStore.passwordPath", "trustStore.type", "context.supplier.class",
                  "hostnameVerification", "allowReverseDnsLookup", "crl", "ocsp", "clientAuth",
                  "handshakeDetectionTimeoutMillis")
_CLIENT_X509_PREFIX = "zookeeper.ssl."
_QUORUM_X509_PREFIX = "zookeeper.ssl.quorum."
_FIPS_MODE_PROPERTY = "zookeeper.fips-mode"


class ZKConfig:
    JUTE_MAXBUFFER = "jute.maxbuffer"
    KINIT_COMMAND = "zookeeper.kinit"
    JGSS_NATIVE = "sun.security.jgss.native"

    def __init__(self, configFile: str | os.PathLike | None = None) -> None:
        """Empty but for the system properties; with ``configFile``, add that file too."""
        self.properties: dict[str, str | None] = {}
        self._init()
        if configFile is not None:
            self.addConfiguration(configFile)
            LOG.info("ZK Config %s", {k: self._logRedactor(k, v) for k, v in self.properties.items()})

    def _init(self) -> None:
        self.handleBackwardCompatibility()

    def handleBackwardCompatibility(self) -> None:
        """Copy the system properties the client/quorum TLS and Kerberos code reads."""
        for name in (self.JUTE_MAXBUFFER, self.KINIT_COMMAND, self.JGSS_NATIVE):
            self.properties[name] = system_properties.getProperty(name)
        self._putSSLProperties(_CLIENT_X509_PREFIX)
        authProvider = _CLIENT_X509_PREFIX + "authProvider"
        self.properties[authProvider] = system_properties.getProperty(authProvider)
        self._putSSLProperties(_QUORUM_X509_PREFIX)

    def _putSSLProperties(self, prefix: str) -> None:
        for suffix in _X509_SUFFIXES:
            self.properties[prefix + suffix] = system_properties.getProperty(prefix + suffix)
        self.properties[_FIPS_MODE_PROPERTY] = system_properties.getProperty(_FIPS_MODE_PROPERTY)

    def getProperty(self, key: str, defaultValue: str | None = None) -> str | None:
        value = self.properties.get(key)
        return defaultValue if value is None else value

    def getJaasConfKey(self) -> str | None:
        return system_properties.getProperty(JAAS_CONF_KEY)

    def setProperty(self, key: str, value: str | None) -> None:
        if key is None:
            raise ValueError("property key is null.")
        oldValue = self.properties.get(key)
        self.properties[key] = value
        if oldValue is not None and oldValue != value:
            LOG.debug("key %s's value %s is replaced with new value %s", key,
                      self._logRedactor(key, oldValue), self._logRedactor(key, value))

    def addConfiguration(self, configFile: str | os.PathLike) -> None:
        """Add the entries of a properties file (ConfigException if it cannot be read)."""
        path = os.path.abspath(configFile)
        LOG.info("Reading configuration from: %s", path)
        try:
            configFile = (VerifyingFileFactory.Builder(LOG).warnForRelativePath().failForNonExistingPath()
                          .build()).validate(os.fspath(configFile))
            cfg = Properties()
            with open(configFile, "rb") as f:
                cfg.load(f.read())
            self._parseProperties(cfg)
        except (OSError, ValueError) as e:
            LOG.error("Error while configuration from: %s", path, exc_info=True)
            raise ConfigException("Error while processing " + path, e) from e

    def _parseProperties(self, cfg: Properties) -> None:
        for key, value in cfg.items():
            self.setProperty(java_trim(key), java_trim(value))

    def getBoolean(self, key: str, defaultValue: bool = False) -> bool:
        """``Boolean.parseBoolean`` of the value: true only for "true", any case."""
        propertyValue = self.getProperty(key)
        if propertyValue is None:
            return defaultValue
        return java_trim(propertyValue).lower() == "true"

    def getInt(self, key: str, defaultValue: int) -> int:
        """``Integer.decode`` of the value (decimal, ``0x``/``#`` hex, leading-0 octal)."""
        value = self.getProperty(key)
        if value is not None:
            return _decode_int(java_trim(value))
        return defaultValue

    @staticmethod
    def _logRedactor(key: str | None, value: str | None) -> str | None:
        if key is None:
            return value
        if key.lower().endswith("password"):
            return "***"
        return value


_DIGITS = {8: set("01234567"), 10: set("0123456789"), 16: set("0123456789abcdefABCDEF")}


def _decode_int(text: str) -> int:
    sign, body = (-1, text[1:]) if text[:1] == "-" else (1, text[1:] if text[:1] == "+" else text)
    if body[:2] in ("0x", "0X"):
        radix, digits = 16, body[2:]
    elif body[:1] == "#":
        radix, digits = 16, body[1:]
    elif body[:1] == "0" and len(body) > 1:
        radix, digits = 8, body[1:]
    else:
        radix, digits = 10, body
    if not digits or not set(digits) <= _DIGITS[radix]:
        raise ValueError(f'For input string: "{text}"')
    value = sign * int(digits, radix)
    if not -(1 << 31) <= value < (1 << 31):
        raise ValueError(f'For input string: "{text}"')
    return value
