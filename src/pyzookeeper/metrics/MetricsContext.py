"""Mirrors org.apache.zookeeper.metrics.MetricsContext and its DetailLevel enum."""

from __future__ import annotations

import enum
from abc import ABC, abstractmethod

from pyzookeeper.metrics.Counter import Counter
from pyzookeeper.metrics.CounterSet import CounterSet
from pyzookeeper.metrics.Gauge import GaugeLike
from pyzookeeper.metrics.GaugeSet import GaugeSetLike
from pyzookeeper.metrics.Summary import Summary
from pyzookeeper.metrics.SummarySet import SummarySet


class DetailLevel(enum.Enum):
    """How much a summary aggregates."""

    BASIC = 0
    """Only cheap aggregates: min, max, average, count, sum."""
    ADVANCED = 1
    """Costly aggregates too, such as percentiles."""


class MetricsContext(ABC):
    """A namespace of metrics; one per component, possibly one per instance."""

    __slots__ = ()

    DetailLevel = DetailLevel

    @abstractmethod
    def getContext(self, name: str) -> MetricsContext:
        """The sub-context ``name``."""

    @abstractmethod
    def getCounter(self, name: str) -> Counter:
        """The counter ``name``, created on first use."""

    @abstractmethod
    def getCounterSet(self, name: str) -> CounterSet:
        """The counter set ``name`` (never None), created on first use."""

    @abstractmethod
    def registerGauge(self, name: str, gauge: GaugeLike) -> None:
        """Bind ``gauge`` to ``name``, replacing any gauge bound before; None is refused."""

    @abstractmethod
    def unregisterGauge(self, name: str) -> None:
        """Forget the gauge bound to ``name``."""

    @abstractmethod
    def registerGaugeSet(self, name: str, gaugeSet: GaugeSetLike) -> None:
        """Bind ``gaugeSet`` to ``name``, replacing any set bound before; None is refused."""

    @abstractmethod
    def unregisterGaugeSet(self, name: str) -> None:
        """Forget the gauge set bound to ``name`` (None is refused)."""

    @abstractmethod
    def getSummary(self, name: str, detailLevel: DetailLevel) -> Summary:
        """The summary ``name`` at ``detailLevel``, created on first use."""

    @abstractmethod
    def getSummarySet(self, name: str, detailLevel: DetailLevel) -> SummarySet:
        """The summary set ``name`` at ``detailLevel``, created on first use."""
