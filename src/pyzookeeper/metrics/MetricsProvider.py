"""Mirrors org.apache.zookeeper.metrics.MetricsProvider.

Java passes a ``BiConsumer<String, Object>`` to ``dump``; here the sink is any callable
taking ``(name, value)``. ``Properties`` become a ``dict`` of strings.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from typing import Any

from pyzookeeper.metrics.MetricsContext import MetricsContext


class MetricsProvider(ABC):
    """Collects metrics and publishes them.

    The server builds the provider with its no-argument constructor, calls
    :meth:`configure`, then :meth:`start` when it is ready, and :meth:`stop` at shutdown.
    """

    __slots__ = ()

    @abstractmethod
    def configure(self, configuration: Mapping[str, str]) -> None:
        """Take the ``metricsProvider.*`` settings; raises MetricsProviderLifeCycleException."""

    @abstractmethod
    def start(self) -> None:
        """Begin publishing; raises MetricsProviderLifeCycleException."""

    @abstractmethod
    def getRootContext(self) -> MetricsContext:
        """The root of the context hierarchy."""

    @abstractmethod
    def stop(self) -> None:
        """Release resources; never raises and may be called more than once."""

    @abstractmethod
    def dump(self, sink: Callable[[str, Any], Any]) -> None:
        """Call ``sink(name, value)`` for every current value (``mntr``, ``monitor``)."""

    @abstractmethod
    def resetAllValues(self) -> None:
        """Zero every resettable value (``srst``); may do nothing."""

    def __str__(self) -> str:
        cls = type(self)
        module = cls.__module__
        name = module if module.rpartition(".")[2] == cls.__qualname__ else f"{module}.{cls.__qualname__}"
        return f"{name}@{id(self):x}"
