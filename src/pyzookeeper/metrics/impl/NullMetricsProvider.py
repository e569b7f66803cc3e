"""Mirrors org.apache.zookeeper.metrics.impl.NullMetricsProvider: a provider that keeps nothing."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pyzookeeper.metrics.Counter import Counter
from pyzookeeper.metrics.CounterSet import CounterSet
from pyzookeeper.metrics.Gauge import GaugeLike
from pyzookeeper.metrics.GaugeSet import GaugeSetLike
from pyzookeeper.metrics.MetricsContext import DetailLevel, MetricsContext
from pyzookeeper.metrics.MetricsProvider import MetricsProvider
from pyzookeeper.metrics.Summary import Summary
from pyzookeeper.metrics.SummarySet import SummarySet


class NullMetricsProvider(MetricsProvider):
    __slots__ = ()

    INSTANCE: NullMetricsProvider

    def configure(self, configuration: Mapping[str, str]) -> None:
        pass

    def start(self) -> None:
        pass

    def getRootContext(self) -> MetricsContext:
        return NullMetricsProvider.NullMetricsContext.INSTANCE

    def dump(self, sink: Callable[[str, Any], Any]) -> None:
        pass

    def resetAllValues(self) -> None:
        pass

    def stop(self) -> None:
        pass

    class NullMetricsContext(MetricsContext):
        __slots__ = ()

        INSTANCE: NullMetricsProvider.NullMetricsContext

        def getContext(self, name: str) -> MetricsContext:
            return NullMetricsProvider.NullMetricsContext.INSTANCE

        def getCounter(self, name: str) -> Counter:
            return _NullCounter.INSTANCE

        def getCounterSet(self, name: str) -> CounterSet:
            return _NullCounterSet.INSTANCE

        def registerGauge(self, name: str, gauge: GaugeLike) -> None:
            pass

        def unregisterGauge(self, name: str) -> None:
            pass

        def registerGaugeSet(self, name: str, gaugeSet: GaugeSetLike) -> None:
            pass

        def unregisterGaugeSet(self, name: str) -> None:
            pass

        def getSummary(self, name: str, detailLevel: DetailLevel) -> Summary:
            return _NullSummary.INSTANCE

        def getSummarySet(self, name: str, detailLevel: DetailLevel) -> SummarySet:
            return _NullSummarySet.INSTANCE


class _NullCounter(Counter):
    __slots__ = ()

    INSTANCE: _NullCounter

    def add(self, delta: int) -> None:
        pass

    def inc(self) -> None:
        pass

    def get(self) -> int:
        return 0


class _NullCounterSet(CounterSet):
    __slots__ = ()

    INSTANCE: _NullCounterSet

    def add(self, key: str, delta: int) -> None:
        pass

    def inc(self, key: str) -> None:
        pass


class _NullSummary(Summary):
    __slots__ = ()

    INSTANCE: _NullSummary

    def add(self, value: int) -> None:
        pass


class _NullSummarySet(SummarySet):
    __slots__ = ()

    INSTANCE: _NullSummarySet

    def add(self, key: str, value: int) -> None:
        pass


NullMetricsProvider.INSTANCE = NullMetricsProvider()
NullMetricsProvider.NullMetricsContext.INSTANCE = NullMetricsProvider.NullMetricsContext()
_NullCounter.INSTANCE = _NullCounter()
_NullCounterSet.INSTANCE = _NullCounterSet()
_NullSummary.INSTANCE = _NullSummary()
_NullSummarySet.INSTANCE = _NullSummarySet()
