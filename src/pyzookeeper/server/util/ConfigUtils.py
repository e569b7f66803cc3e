"""Mirrors org.apache.zookeeper.server.util.ConfigUtils: helpers for the
server lines of a dynamic configuration."""

from __future__ import annotations

import logging

from pyzookeeper import system_properties
from pyzookeeper.common.java_properties import Properties

LOG = logging.getLogger(__name__)


class ConfigUtils:

    @staticmethod
    def getClientConfigStr(configData: str) -> str:
        """``"<version> host:port,host:port..."``: the client addresses of the
        servers in ``configData`` (the text of a QuorumVerifier)."""
        from pyzookeeper.server.quorum.QuorumPeer import QuorumPeer
        from pyzookeeper.server.quorum.QuorumPeerConfig import ConfigException

        props = Properties()
        try:
            props.load(configData)
        except ValueError:
            LOG.warning("Cannot parse configuration data", exc_info=True)
            return ""
        parts: list[str] = []
        version = ""
        for key, value in props.items():
            key = key.strip()
            value = value.strip()
            if key == "version":
                version = value
            if not key.startswith("server."):
                continue
            try:
                qs = QuorumPeer.QuorumServer(-1, value)
            except ConfigException:
                LOG.warning("Cannot parse server line %s=%s", key, value, exc_info=True)
                continue
            parts.append(f"{qs.clientAddr.getHostString()}:{qs.clientAddr.getPort()}"
                         if qs.clientAddr is not None else "")
        return version + " " + ",".join(parts)

    @staticmethod
    def getHostAndPort(s: str) -> list[str]:
        """``host:port[:...]`` split on colons; a bracketed IPv6 host stays whole."""
        from pyzookeeper.server.quorum.QuorumPeerConfig import ConfigException

        if s.startswith("["):
            i = s.find("]")
            if i < 0:
                raise ConfigException(s + " starts with '[' but has no matching ']:'")
            if i + 2 == len(s):
                raise ConfigException(s + " doesn't have a port after colon")
            if i + 2 < len(s):
                return [s[1:i], *java_split(s[i + 2:], ":")]
            return [s.replace("[", "").replace("]", "")]
        return java_split(s, ":")

    @staticmethod
    def getPropertyBackwardCompatibleWay(newPropertyKey: str) -> str | None:
        """The system property ``newPropertyKey``, else the same name without
        ``zookeeper.`` (the pre-3.5 spelling), trimmed."""
        newKeyValue = system_properties.getProperty(newPropertyKey)
        if newKeyValue is not None:
            return newKeyValue.strip()
        oldKeyValue = system_properties.getProperty(newPropertyKey.replace("zookeeper.", ""))
        if oldKeyValue is not None:
            return oldKeyValue.strip()
        return None


def java_split(s: str, sep: str) -> list[str]:
    """``String.split`` on a literal one-character separator: trailing empty parts dropped."""
    parts = s.split(sep)
    while len(parts) > 1 and parts[-1] == "":
        parts.pop()
    if parts == [""] and s:
        return []
    return parts
