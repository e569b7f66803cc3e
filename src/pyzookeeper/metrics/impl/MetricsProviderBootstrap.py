"""Mirrors org.apache.zookeeper.metrics.impl.MetricsProviderBootstrap: builds, configures and
starts the provider named by ``metricsProvider.className``.

Java loads that name with ``Class.forName``. Here the Java names of the built-in providers
(``org.apache.zookeeper.metrics.impl.DefaultMetricsProvider``, the default, and
``...NullMetricsProvider``) map to their Python twins, and any other name is imported as a
Python class: ``package.module.ClassName``, ``package.module:ClassName``, or a module that
holds a class of the same name (``pyzookeeper.metrics.impl.DefaultMetricsProvider``).

``org.apache.zookeeper.metrics.prometheus.PrometheusMetricsProvider`` is refused with an error
that says so, rather than replaced by the default provider: falling back would leave the
Prometheus port closed while the server looked healthy, and a scraper would miss every value
without a word. Every metric is still served by ``mntr`` and the AdminServer ``monitor``
command with the default provider.

Use ``MetricsProviderBootstrap.startMetricsProvider(name, configuration)``, after importing
either the class or this module: both hold the same functions.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Mapping

from pyzookeeper.metrics.MetricsProvider import MetricsProvider
from pyzookeeper.metrics.MetricsProviderLifeCycleException import MetricsProviderLifeCycleException

LOG = logging.getLogger(__name__)

_BUILT_IN = {
    "org.apache.zookeeper.metrics.impl.DefaultMetricsProvider":
        "pyzookeeper.metrics.impl.DefaultMetricsProvider",
    "org.apache.zookeeper.metrics.impl.NullMetricsProvider":
        "pyzookeeper.metrics.impl.NullMetricsProvider",
}

PROMETHEUS_PROVIDER = "org.apache.zookeeper.metrics.prometheus.PrometheusMetricsProvider"


class MetricsProviderBootstrap:
    """Only static methods, as Java's abstract utility class."""

    __slots__ = ()

    @staticmethod
    def resolve_provider_class(metricsProviderClassName: str) -> type[MetricsProvider]:
        """The class named by ``metricsProviderClassName`` (``Class.forName`` for providers).

        Raises ImportError, with the reason, when there is no such provider class; a
        configuration parser calls this to refuse a bad name early, as Java's does.
        """
        name = (metricsProviderClassName or "").strip()
        if not name:
            raise ImportError("no metrics provider class name given")
        if name == PROMETHEUS_PROVIDER:
            raise ImportError(
                f"{name} is not available: pyzookeeper has no Prometheus exporter. Remove "
                "metricsProvider.className (and the other metricsProvider.* keys) to use the "
                "default provider, which serves every metric through mntr and the AdminServer "
                "monitor command")
        cls = _import_class(_BUILT_IN.get(name, name))
        if not (isinstance(cls, type) and issubclass(cls, MetricsProvider)):
            raise ImportError(f"{metricsProviderClassName} is not a MetricsProvider class")
        return cls

    @staticmethod
    def startMetricsProvider(metricsProviderClassName: str,
                             configuration: Mapping[str, str]) -> MetricsProvider:
        """Build the provider with its no-argument constructor, configure it and start it."""
        try:
            cls = MetricsProviderBootstrap.resolve_provider_class(metricsProviderClassName)
            metricsProvider = cls()
        except (ImportError, TypeError) as error:
            LOG.error("Cannot boot MetricsProvider %s", metricsProviderClassName, exc_info=error)
            raise MetricsProviderLifeCycleException(
                f"Cannot boot MetricsProvider {metricsProviderClassName}: {error}") from error
        try:
            metricsProvider.configure(configuration)
            metricsProvider.start()
        except MetricsProviderLifeCycleException as error:
            LOG.error("Cannot boot MetricsProvider %s", metricsProviderClassName, exc_info=error)
            raise
        return metricsProvider


def _import_class(name: str) -> object:
    module_name, sep, attr = name.partition(":")
    if sep:
        return _attribute(module_name, attr, name)
    try:
        module = importlib.import_module(name)
    except ImportError:
        module_name, _, attr = name.rpartition(".")
        if not module_name:
            raise ImportError(f"no class {name}") from None
        return _attribute(module_name, attr, name)
    last = name.rpartition(".")[2]
    if not hasattr(module, last):
        raise ImportError(f"module {name} has no class {last}")
    return getattr(module, last)


def _attribute(module_name: str, attr: str, name: str) -> object:
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        raise ImportError(f"no class {name}: {error}") from error
    try:
        return getattr(module, attr)
    except AttributeError:
        raise ImportError(f"no class {name}") from None


resolve_provider_class = MetricsProviderBootstrap.resolve_provider_class
startMetricsProvider = MetricsProviderBootstrap.startMetricsProvider
