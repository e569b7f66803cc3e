"""Mirrors org.apache.zookeeper.server.auth.ProviderRegistry.

``zookeeper.authProvider.<n>`` names a provider class. A Java class name of
ZooKeeper (``org.apache.zookeeper.server.auth.SASLAuthenticationProvider``) is
mapped to the module of the same path under ``pyzookeeper``; any other value
is a Python path, ``package.module.ClassName`` or ``package.module:ClassName``.
The wrapper of a provider is kept rather than made on each lookup.
"""

from __future__ import annotations

import importlib
import logging
import threading

from pyzookeeper import system_properties
from pyzookeeper.server.auth.AuthenticationProvider import AuthenticationProvider
from pyzookeeper.server.auth.DigestAuthenticationProvider import DigestAuthenticationProvider
from pyzookeeper.server.auth.IPAuthenticationProvider import IPAuthenticationProvider
from pyzookeeper.server.auth.ServerAuthenticationProvider import ServerAuthenticationProvider
from pyzookeeper.server.auth.WrappedAuthenticationProvider import WrappedAuthenticationProvider

LOG = logging.getLogger(__name__)

_JAVA_PACKAGE = "org.apache.zookeeper."


def load_provider_class(className: str) -> type:
    """The class a ``zookeeper.authProvider.*`` value names."""
    if className.startswith(_JAVA_PACKAGE):
        moduleName = "pyzookeeper." + className[len(_JAVA_PACKAGE):]
        return getattr(importlib.import_module(moduleName), moduleName.rpartition(".")[2])
    if ":" in className:
        moduleName, _, attr = className.partition(":")
        return getattr(importlib.import_module(moduleName), attr)
    moduleName, _, attr = className.rpartition(".")
    if not moduleName:
        raise ImportError("No module in provider class name " + repr(className))
    try:
        return getattr(importlib.import_module(moduleName), attr)
    except (ImportError, AttributeError):
        return getattr(importlib.import_module(className), attr)


class ProviderRegistry:
    """The authentication providers of the server, by scheme."""

    AUTHPROVIDER_PROPERTY_PREFIX = "zookeeper.authProvider."

    _lock = threading.RLock()
    initialized = False
    authenticationProviders: dict[str, AuthenticationProvider] = {}
    _serverProviders: dict[str, ServerAuthenticationProvider] = {}

    @staticmethod
    def reset() -> None:
        with ProviderRegistry._lock:
            ProviderRegistry.initialized = False
            ProviderRegistry.authenticationProviders.clear()
            ProviderRegistry._serverProviders.clear()

    @staticmethod
    def initialize() -> None:
        with ProviderRegistry._lock:
            ipp = IPAuthenticationProvider()
            ProviderRegistry._put(ipp.getScheme(), ipp)
            if DigestAuthenticationProvider.isEnabled():
                digp = DigestAuthenticationProvider()
                ProviderRegistry._put(digp.getScheme(), digp)
            for k in system_properties.getProperties():
                ProviderRegistry.addOrUpdateProvider(k)
            ProviderRegistry.initialized = True

    @staticmethod
    def addOrUpdateProvider(authKey: str) -> None:
        with ProviderRegistry._lock:
            if authKey.startswith(ProviderRegistry.AUTHPROVIDER_PROPERTY_PREFIX):
                className = system_properties.getProperty(authKey)
                try:
                    ap = load_provider_class(className)()
                    if not isinstance(ap, AuthenticationProvider):
                        raise TypeError(className + " is not an AuthenticationProvider")
                    ProviderRegistry._put(ap.getScheme(), ap)
                except Exception:
                    LOG.warning("Problems loading %s", className, exc_info=True)

    @staticmethod
    def _put(scheme: str, provider: AuthenticationProvider) -> None:
        ProviderRegistry.authenticationProviders[scheme] = provider
        ProviderRegistry._serverProviders.pop(scheme, None)

    @staticmethod
    def getServerProvider(scheme: str) -> ServerAuthenticationProvider | None:
        wrapped = ProviderRegistry._serverProviders.get(scheme)
        if wrapped is not None:
            return wrapped
        if ProviderRegistry.getProvider(scheme) is None:
            return None
        with ProviderRegistry._lock:
            provider = ProviderRegistry.authenticationProviders.get(scheme)
            if provider is None:
                return None
            wrapped = ProviderRegistry._serverProviders.get(scheme)
            if wrapped is None:
                wrapped = WrappedAuthenticationProvider.wrap(provider)
                ProviderRegistry._serverProviders[scheme] = wrapped
            return wrapped

    @staticmethod
    def getProvider(scheme: str) -> AuthenticationProvider | None:
        if not ProviderRegistry.initialized:
            ProviderRegistry.initialize()
        return ProviderRegistry.authenticationProviders.get(scheme)

    @staticmethod
    def removeProvider(scheme: str) -> None:
        with ProviderRegistry._lock:
            ProviderRegistry.authenticationProviders.pop(scheme, None)
            ProviderRegistry._serverProviders.pop(scheme, None)

    @staticmethod
    def listProviders() -> str:
        return "".join(s + " " for s in list(ProviderRegistry.authenticationProviders))


reset = ProviderRegistry.reset
initialize = ProviderRegistry.initialize
addOrUpdateProvider = ProviderRegistry.addOrUpdateProvider
getServerProvider = ProviderRegistry.getServerProvider
getProvider = ProviderRegistry.getProvider
removeProvider = ProviderRegistry.removeProvider
listProviders = ProviderRegistry.listProviders
