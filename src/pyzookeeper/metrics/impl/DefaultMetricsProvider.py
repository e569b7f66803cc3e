"""Mirrors org.apache.zookeeper.metrics.impl.DefaultMetricsProvider.

The provider behind the ``mntr`` four-letter word and the AdminServer ``monitor`` command:
contexts are not nested, every metric lives in one flat namespace.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any

from pyzookeeper.common.java_concurrent_hash_map import JavaConcurrentHashMap
from pyzookeeper.metrics.Counter import Counter
from pyzookeeper.metrics.CounterSet import CounterSet
from pyzookeeper.metrics.Gauge import Gauge, GaugeLike
from pyzookeeper.metrics.GaugeSet import GaugeSet, GaugeSetLike
from pyzookeeper.metrics.MetricsContext import DetailLevel, MetricsContext
from pyzookeeper.metrics.MetricsProvider import MetricsProvider
from pyzookeeper.metrics.Summary import Summary
from pyzookeeper.metrics.SummarySet import SummarySet
from pyzookeeper.server.metric.AvgMinMaxCounter import AvgMinMaxCounter
from pyzookeeper.server.metric.AvgMinMaxCounterSet import AvgMinMaxCounterSet
from pyzookeeper.server.metric.AvgMinMaxPercentileCounter import AvgMinMaxPercentileCounter
from pyzookeeper.server.metric.AvgMinMaxPercentileCounterSet import AvgMinMaxPercentileCounterSet
from pyzookeeper.server.metric.Metric import Metric
from pyzookeeper.server.metric.SimpleCounter import SimpleCounter
from pyzookeeper.server.metric.SimpleCounterSet import SimpleCounterSet

Sink = Callable[[str, Any], Any]


class DefaultMetricsProvider(MetricsProvider):
    __slots__ = ("rootMetricsContext",)

    def __init__(self) -> None:
        self.rootMetricsContext = DefaultMetricsProvider.DefaultMetricsContext()

    def configure(self, configuration: Mapping[str, str]) -> None:
        pass

    def start(self) -> None:
        pass

    def getRootContext(self) -> MetricsContext:
        return self.rootMetricsContext

    def stop(self) -> None:
        self.rootMetricsContext.gauges.clear()
        self.rootMetricsContext.gaugeSets.clear()

    def dump(self, sink: Sink) -> None:
        self.rootMetricsContext.dump(sink)

    def resetAllValues(self) -> None:
        self.rootMetricsContext.reset()

    class DefaultMetricsContext(MetricsContext):
        __slots__ = ("gauges", "gaugeSets", "counters", "counterSets", "basicSummaries",
                     "summaries", "basicSummarySets", "summarySets", "_lock")

        def __init__(self) -> None:
            self.gauges: JavaConcurrentHashMap[Callable[[], Any]] = JavaConcurrentHashMap()
            self.gaugeSets: JavaConcurrentHashMap[Callable[[], Mapping[str, Any]]] = JavaConcurrentHashMap()
            self.counters: JavaConcurrentHashMap[SimpleCounter] = JavaConcurrentHashMap()
            self.counterSets: JavaConcurrentHashMap[SimpleCounterSet] = JavaConcurrentHashMap()
            self.basicSummaries: JavaConcurrentHashMap[AvgMinMaxCounter] = JavaConcurrentHashMap()
            self.summaries: JavaConcurrentHashMap[AvgMinMaxPercentileCounter] = JavaConcurrentHashMap()
            self.basicSummarySets: JavaConcurrentHashMap[AvgMinMaxCounterSet] = JavaConcurrentHashMap()
            self.summarySets: JavaConcurrentHashMap[AvgMinMaxPercentileCounterSet] = JavaConcurrentHashMap()
            self._lock = threading.Lock()

        def getContext(self, name: str) -> MetricsContext:
            return self

        def getCounter(self, name: str) -> Counter:
            counter = self.counters.get(name)
            if counter is None:
                counter = self.counters.setdefault(name, SimpleCounter(name))
            return counter

        def getCounterSet(self, name: str) -> CounterSet:
            if name is None:
                raise TypeError("Cannot register a CounterSet with null name")
            counterSet = self.counterSets.get(name)
            if counterSet is None:
                counterSet = self.counterSets.setdefault(name, SimpleCounterSet(name))
            return counterSet

        def registerGauge(self, name: str, gauge: GaugeLike) -> None:
            if gauge is None:
                raise TypeError(f"Cannot register a null Gauge for {name}")
            self.gauges[name] = gauge.get if isinstance(gauge, Gauge) else gauge

        def unregisterGauge(self, name: str) -> None:
            self.gauges.pop(name, None)

        def registerGaugeSet(self, name: str, gaugeSet: GaugeSetLike) -> None:
            if name is None:
                raise TypeError("Cannot register a GaugeSet with null name")
            if gaugeSet is None:
                raise TypeError(f"Cannot register a null GaugeSet for {name}")
            self.gaugeSets[name] = gaugeSet.values if isinstance(gaugeSet, GaugeSet) else gaugeSet

        def unregisterGaugeSet(self, name: str) -> None:
            if name is None:
                raise TypeError("Cannot unregister GaugeSet with null name")
            self.gaugeSets.pop(name, None)

        def getSummary(self, name: str, detailLevel: DetailLevel) -> Summary:
            if detailLevel == DetailLevel.BASIC:
                summary = self.basicSummaries.get(name)
                if summary is None:
                    with self._lock:
                        if name in self.summaries:
                            raise ValueError(f"Already registered a non basic summary as {name}")
                        summary = self.basicSummaries.setdefault(name, AvgMinMaxCounter(name))
                return summary
            summary = self.summaries.get(name)
            if summary is None:
                with self._lock:
                    if name in self.basicSummaries:
                        raise ValueError(f"Already registered a basic summary as {name}")
                    summary = self.summaries.setdefault(name, AvgMinMaxPercentileCounter(name))
            return summary

        def getSummarySet(self, name: str, detailLevel: DetailLevel) -> SummarySet:
            if detailLevel == DetailLevel.BASIC:
                summarySet = self.basicSummarySets.get(name)
                if summarySet is None:
                    with self._lock:
                        if name in self.summarySets:
                            raise ValueError(f"Already registered a non basic summary set as {name}")
                        summarySet = self.basicSummarySets.setdefault(name, AvgMinMaxCounterSet(name))
                return summarySet
            summarySet = self.summarySets.get(name)
            if summarySet is None:
                with self._lock:
                    if name in self.basicSummarySets:
                        raise ValueError(f"Already registered a basic summary set as {name}")
                    summarySet = self.summarySets.setdefault(name, AvgMinMaxPercentileCounterSet(name))
            return summarySet

        def _metrics(self) -> list[Metric]:
            return [*self.counters.values(), *self.counterSets.values(),
                    *self.basicSummaries.values(), *self.summaries.values(),
                    *self.basicSummarySets.values(), *self.summarySets.values()]

        def dump(self, sink: Sink) -> None:
            for name, gauge in list(self.gauges.items()):
                value = gauge()
                if value is not None:
                    sink(name, value)
            for name, gaugeSet in list(self.gaugeSets.items()):
                for key, value in list(gaugeSet().items()):
                    if key is not None:
                        sink(key + "_" + name, value if value is not None else 0)
            for metric in self._metrics():
                for key, value in metric.values().items():
                    sink(key, value)

        def reset(self) -> None:
            for metric in self._metrics():
                metric.reset()
