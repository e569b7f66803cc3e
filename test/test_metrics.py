"""The metrics system: counter arithmetic and reset, providers, bootstrap, ServerMetrics."""

from __future__ import annotations

import logging
import os
import resource
import subprocess
import sys
import threading
import time

import pytest

from pyzookeeper.metrics.Gauge import Gauge
from pyzookeeper.metrics.GaugeSet import GaugeSet
from pyzookeeper.metrics.MetricsContext import DetailLevel, MetricsContext
from pyzookeeper.metrics.MetricsProvider import MetricsProvider
from pyzookeeper.metrics.MetricsProviderLifeCycleException import MetricsProviderLifeCycleException
from pyzookeeper.metrics.impl import MetricsProviderBootstrap as bootstrap_module
from pyzookeeper.metrics.impl.MetricsProviderBootstrap import MetricsProviderBootstrap
from pyzookeeper.metrics.impl.DefaultMetricsProvider import DefaultMetricsProvider
from pyzookeeper.metrics.impl.NullMetricsProvider import NullMetricsProvider
from pyzookeeper.server.DataNode import DataNode
from pyzookeeper.server.ServerMetrics import ServerMetrics
from pyzookeeper.server.metric import AvgMinMaxCounter as amm_module
from pyzookeeper.server.metric.AvgMinMaxCounter import AvgMinMaxCounter
from pyzookeeper.server.metric.AvgMinMaxCounterSet import AvgMinMaxCounterSet
from pyzookeeper.server.metric.AvgMinMaxPercentileCounter import (
    AvgMinMaxPercentileCounter,
    UniformSnapshot,
    java_round,
)
from pyzookeeper.server.metric.AvgMinMaxPercentileCounterSet import AvgMinMaxPercentileCounterSet
from pyzookeeper.server.metric.SimpleCounter import SimpleCounter
from pyzookeeper.server.metric.SimpleCounterSet import SimpleCounterSet
from pyzookeeper.server.util import QuotaMetricsUtils
from pyzookeeper.server.util.OSMXBean import OSMXBean
from pyzookeeper.StatsTrack import StatsTrack

AMM_KEYS = ("avg_", "min_", "max_", "cnt_", "sum_")
PCT_KEYS = ("p50_", "p95_", "p99_", "p999_")


def dump_of(provider: MetricsProvider) -> dict:
    out: dict = {}

    def sink(key, value):
        assert key not in out, f"{key} dumped twice"
        out[key] = value

    provider.dump(sink)
    return out


# --- SimpleCounter / SimpleCounterSet ---------------------------------------------------------

def test_simple_counter_adds_and_resets():
    c = SimpleCounter("requests")
    assert c.values() == {"requests": 0}
    c.inc()
    c.add(41)
    c.add(0)
    assert c.get() == 42
    assert c.values() == {"requests": 42}
    c.reset()
    assert c.get() == 0
    c.inc()
    assert c.values() == {"requests": 1}


def test_simple_counter_set_prefixes_keys():
    s = SimpleCounterSet("quota_exceeded_error_per_namespace")
    assert s.values() == {}
    s.inc("a")
    s.add("a", 4)
    s.add("b", 2)
    assert s.values() == {"a_quota_exceeded_error_per_namespace": 5,
                          "b_quota_exceeded_error_per_namespace": 2}
    s.reset()
    assert s.values() == {"a_quota_exceeded_error_per_namespace": 0,
                          "b_quota_exceeded_error_per_namespace": 0}


# --- AvgMinMaxCounter ------------------------------------------------------------------------

def test_avg_min_max_counter_empty_is_all_zero():
    c = AvgMinMaxCounter("lat")
    assert c.values() == {"avg_lat": 0.0, "min_lat": 0, "max_lat": 0, "cnt_lat": 0, "sum_lat": 0}
    assert isinstance(c.values()["avg_lat"], float)


def test_avg_min_max_counter_arithmetic():
    c = AvgMinMaxCounter("lat")
    for v in (5, 1, 9, 2):
        c.add(v)
    c.addDataPoint(-3)
    assert c.getCount() == 5
    assert c.getTotal() == 14
    assert c.getMin() == -3
    assert c.getMax() == 9
    assert c.getAvg() == 2.8
    assert c.values() == {"avg_lat": 2.8, "min_lat": -3, "max_lat": 9, "cnt_lat": 5, "sum_lat": 14}


@pytest.mark.parametrize("total,count,expected", [
    (1, 3, 0.3333),          # repeating decimal cut to 4 places
    (2, 3, 0.6667),          # rounded up
    (10001, 20000, 0.5),     # 0.50005 is just below the half in binary: rounds down
    (1, 8, 0.125),           # exact
    (7, 16, 0.4375),         # exactly 4 places
    (1, 32, 0.0313),         # 0.03125 is exact in binary: half rounds up
    (3, 32, 0.0938),         # 0.09375 likewise
])
def test_avg_rounds_like_bigdecimal_half_up(total, count, expected):
    c = AvgMinMaxCounter("x")
    for _ in range(count - 1):
        c.add(0)
    c.add(total)
    assert c.getAvg() == expected


def test_avg_min_max_counter_reset_and_reset_max():
    c = AvgMinMaxCounter("x")
    for v in (3, 8, 5):
        c.add(v)
    c.resetMax()
    assert c.getMax() == 3  # max falls back to the min
    assert c.getCount() == 3
    c.add(4)
    assert c.getMax() == 4
    c.reset()
    assert c.values() == {"avg_x": 0.0, "min_x": 0, "max_x": 0, "cnt_x": 0, "sum_x": 0}
    c.resetMax()  # with no data the max becomes 0, not "unset", as in Java
    c.add(-5)
    assert (c.getMin(), c.getMax()) == (-5, 0)


def test_avg_min_max_counter_folds_beyond_the_threshold():
    c = AvgMinMaxCounter("x")
    n = amm_module.FOLD_THRESHOLD * 3 + 7
    for v in range(n):
        c.add(v)
    # the writers folded most of the series already; the read folds the rest
    assert len(c._pending) < amm_module.FOLD_THRESHOLD
    assert c.values() == {"avg_x": (n - 1) / 2, "min_x": 0, "max_x": n - 1, "cnt_x": n,
                          "sum_x": n * (n - 1) // 2}
    assert not c._pending


def test_avg_min_max_counter_set():
    s = AvgMinMaxCounterSet("learner_handler_qp_size")
    s.add("PROPOSAL", 10)
    s.addDataPoint("PROPOSAL", 20)
    s.add("COMMIT", 4)
    v = s.values()
    assert set(v) == {p + k + "_learner_handler_qp_size" for p in AMM_KEYS for k in ("PROPOSAL", "COMMIT")}
    assert v["avg_PROPOSAL_learner_handler_qp_size"] == 15.0
    assert v["cnt_COMMIT_learner_handler_qp_size"] == 1
    s.resetMax()
    assert s.values()["max_PROPOSAL_learner_handler_qp_size"] == 10
    s.reset()
    assert all(value == 0 for value in s.values().values())


# --- AvgMinMaxPercentileCounter --------------------------------------------------------------

def test_java_round_matches_math_round():
    assert [java_round(x) for x in (0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4999, 0.49999999999999994)] == \
        [1, 2, 3, 0, -1, -2, 2, 0]
    assert java_round(float("nan")) == 0


def test_uniform_snapshot_quantiles():
    snap = UniformSnapshot([5, 1, 4, 2, 3])
    # position q*(n+1) over the sorted values, linear in between
    assert snap.getMedian() == 3.0
    assert snap.getValue(0.25) == 1.5
    assert snap.getValue(0.0) == 1.0
    assert snap.get999thPercentile() == 5.0
    assert UniformSnapshot([]).get99thPercentile() == 0.0
    with pytest.raises(ValueError):
        snap.getValue(1.5)


def test_percentile_counter_values():
    c = AvgMinMaxPercentileCounter("readlatency")
    for v in range(1, 1001):
        c.add(v)
    v = c.values()
    assert list(v) == [p + "readlatency" for p in AMM_KEYS + PCT_KEYS]
    assert v["avg_readlatency"] == 500.5
    assert (v["min_readlatency"], v["max_readlatency"], v["cnt_readlatency"]) == (1, 1000, 1000)
    assert (v["p50_readlatency"], v["p95_readlatency"], v["p99_readlatency"], v["p999_readlatency"]) == \
        (501, 951, 991, 1000)
    assert all(isinstance(v[p + "readlatency"], int) for p in PCT_KEYS)


def test_percentile_counter_reservoir_is_a_uniform_sample():
    c = AvgMinMaxPercentileCounter("x")
    n = 100_000
    for v in range(n):
        c.add(v)
    v = c.values()
    reservoir = c.reservoir
    assert reservoir.count == n
    assert reservoir.size() == reservoir.DEFAULT_SIZE
    assert len(set(reservoir.values)) == reservoir.DEFAULT_SIZE  # distinct inputs, no slot reused twice
    # a uniform sample of 0..n-1: its quantiles sit near the true ones (3 sigma is ~0.025 n)
    assert abs(v["p50_x"] - n * 0.50) < n * 0.03
    assert abs(v["p95_x"] - n * 0.95) < n * 0.02
    assert v["cnt_x"] == n and v["max_x"] == n - 1 and v["min_x"] == 0
    # and not only the first 4096 values
    assert max(reservoir.values) > n * 0.9


def test_percentile_counter_reset():
    c = AvgMinMaxPercentileCounter("x")
    for v in range(5000):
        c.add(v)
    c.resetMax()
    assert c.values()["max_x"] == 0
    c.reset()
    assert c.values() == {**{p + "x": 0 for p in AMM_KEYS + PCT_KEYS}, "avg_x": 0.0}
    c.add(7)
    assert c.values()["p99_x"] == 7


def test_percentile_counter_set():
    s = AvgMinMaxPercentileCounterSet("ack_latency")
    s.add("1", 5)
    s.add("2", 7)
    keys = set(s.values())
    assert keys == {p + sid + "_ack_latency" for p in AMM_KEYS + PCT_KEYS for sid in ("1", "2")}
    s.reset()
    assert s.values()["cnt_1_ack_latency"] == 0


# --- thread safety and cost ------------------------------------------------------------------

@pytest.mark.parametrize("factory", [
    lambda: SimpleCounter("c"),
    lambda: AvgMinMaxCounter("c"),
    lambda: AvgMinMaxPercentileCounter("c"),
])
def test_concurrent_adds_are_all_counted(factory):
    metric = factory()
    threads_n, per_thread = 4, 20_000
    start = threading.Barrier(threads_n + 1)
    stop_reading = threading.Event()

    def writer():
        start.wait()
        for _ in range(per_thread):
            metric.add(1)

    def reader():  # reads fold concurrently with the writers
        while not stop_reading.is_set():
            metric.values()

    writers = [threading.Thread(target=writer) for _ in range(threads_n)]
    observer = threading.Thread(target=reader)
    for t in writers:
        t.start()
    observer.start()
    start.wait()
    for t in writers:
        t.join()
    stop_reading.set()
    observer.join()
    values = metric.values()
    if isinstance(metric, SimpleCounter):
        assert values == {"c": threads_n * per_thread}
    else:
        assert values["cnt_c"] == threads_n * per_thread
        assert values["sum_c"] == threads_n * per_thread


def test_add_costs_about_a_microsecond_or_less():
    provider = DefaultMetricsProvider()
    metrics = ServerMetrics(provider)
    ops = {
        "counter": metrics.LOOKING_COUNT.add,
        "summary": metrics.FSYNC_TIME.add,
        "percentile summary": metrics.READ_LATENCY.add,
    }
    n = 50_000
    costs = {}
    for name, add in ops.items():
        best = float("inf")
        for _ in range(3):
            t0 = time.perf_counter()
            for _ in range(n):
                add(5)
            best = min(best, (time.perf_counter() - t0) / n)
        costs[name] = best
    logging.getLogger(__name__).info("metric add cost: %s",
                                     {k: f"{v * 1e9:.0f} ns" for k, v in costs.items()})
    # about 0.1-0.3 us each on the reference machine; the bound leaves room for slow CI
    assert all(cost < 3e-6 for cost in costs.values()), costs


# --- DefaultMetricsProvider ------------------------------------------------------------------

def test_default_provider_dumps_gauges_sets_and_metrics():
    provider = DefaultMetricsProvider()
    ctx = provider.getRootContext()
    assert ctx.getContext("sub") is ctx  # no hierarchy: one flat namespace

    class Fixed(Gauge):
        def get(self):
            return 2.5

    class Namespaces(GaugeSet):
        def values(self):
            return {"a": 3, "b": None, None: 9}

    ctx.registerGauge("plain", lambda: 7)
    ctx.registerGauge("object", Fixed())
    ctx.registerGauge("absent", lambda: None)
    ctx.registerGaugeSet("quota_count_limit_per_namespace", Namespaces())
    ctx.registerGaugeSet("fn_set", lambda: {"x": 1})
    ctx.getCounter("hits").add(3)
    ctx.getCounterSet("errs").add("ns", 2)
    ctx.getSummary("basic", DetailLevel.BASIC).add(4)
    ctx.getSummary("adv", DetailLevel.ADVANCED).add(4)
    ctx.getSummarySet("bset", DetailLevel.BASIC).add("k", 1)
    ctx.getSummarySet("aset", DetailLevel.ADVANCED).add("k", 1)

    out = dump_of(provider)
    assert out["plain"] == 7 and out["object"] == 2.5
    assert "absent" not in out  # a gauge without a value is left out
    assert out["a_quota_count_limit_per_namespace"] == 3
    assert out["b_quota_count_limit_per_namespace"] == 0  # a set member without a value is 0
    assert not any(k.startswith("None") for k in out)  # a member without a key is left out
    assert out["x_fn_set"] == 1
    assert out["hits"] == 3 and out["ns_errs"] == 2
    assert {p + "basic" for p in AMM_KEYS} <= set(out) and "p50_basic" not in out
    assert {p + "adv" for p in AMM_KEYS + PCT_KEYS} <= set(out)
    assert {p + "k_bset" for p in AMM_KEYS} <= set(out) and "p50_k_bset" not in out
    assert {p + "k_aset" for p in AMM_KEYS + PCT_KEYS} <= set(out)

    ctx.unregisterGauge("plain")
    ctx.unregisterGauge("never-registered")
    ctx.unregisterGaugeSet("fn_set")
    provider.resetAllValues()
    out = dump_of(provider)
    assert "plain" not in out and "x_fn_set" not in out
    assert out["object"] == 2.5  # gauges are not reset
    assert out["hits"] == 0 and out["ns_errs"] == 0 and out["cnt_adv"] == 0 and out["cnt_k_aset"] == 0

    provider.stop()
    out = dump_of(provider)
    assert "object" not in out and "a_quota_count_limit_per_namespace" not in out
    assert "hits" in out


def test_default_provider_returns_the_same_metric_per_name():
    ctx = DefaultMetricsProvider().getRootContext()
    assert ctx.getCounter("c") is ctx.getCounter("c")
    assert ctx.getCounterSet("cs") is ctx.getCounterSet("cs")
    assert ctx.getSummary("s", DetailLevel.BASIC) is ctx.getSummary("s", DetailLevel.BASIC)
    assert ctx.getSummarySet("ss", DetailLevel.ADVANCED) is ctx.getSummarySet("ss", DetailLevel.ADVANCED)
    assert ctx.DetailLevel is DetailLevel and MetricsContext.DetailLevel.BASIC is DetailLevel.BASIC


def test_default_provider_refuses_bad_registrations():
    ctx = DefaultMetricsProvider().getRootContext()
    with pytest.raises(TypeError, match="Cannot register a null Gauge for g"):
        ctx.registerGauge("g", None)
    with pytest.raises(TypeError, match="null name"):
        ctx.registerGaugeSet(None, lambda: {})
    with pytest.raises(TypeError, match="null GaugeSet"):
        ctx.registerGaugeSet("gs", None)
    with pytest.raises(TypeError, match="null name"):
        ctx.unregisterGaugeSet(None)
    with pytest.raises(TypeError, match="null name"):
        ctx.getCounterSet(None)
    ctx.getSummary("basic", DetailLevel.BASIC)
    ctx.getSummary("adv", DetailLevel.ADVANCED)
    with pytest.raises(ValueError, match="Already registered a basic summary as basic"):
        ctx.getSummary("basic", DetailLevel.ADVANCED)
    with pytest.raises(ValueError, match="Already registered a non basic summary as adv"):
        ctx.getSummary("adv", DetailLevel.BASIC)
    ctx.getSummarySet("bset", DetailLevel.BASIC)
    ctx.getSummarySet("aset", DetailLevel.ADVANCED)
    with pytest.raises(ValueError, match="Already registered a basic summary set as bset"):
        ctx.getSummarySet("bset", DetailLevel.ADVANCED)
    with pytest.raises(ValueError, match="Already registered a non basic summary set as aset"):
        ctx.getSummarySet("aset", DetailLevel.BASIC)


def test_null_provider_keeps_nothing():
    provider = NullMetricsProvider.INSTANCE
    ctx = provider.getRootContext()
    assert ctx.getContext("x") is ctx
    counter = ctx.getCounter("c")
    counter.add(5)
    counter.inc()
    assert counter.get() == 0
    ctx.getCounterSet("cs").inc("k")
    ctx.getSummary("s", DetailLevel.ADVANCED).add(1)
    ctx.getSummarySet("ss", DetailLevel.BASIC).add("k", 1)
    ctx.registerGauge("g", lambda: 1)
    ctx.registerGaugeSet("gs", lambda: {"a": 1})
    assert dump_of(provider) == {}
    provider.resetAllValues()
    provider.stop()


# --- MetricsProviderBootstrap ----------------------------------------------------------------

@pytest.mark.parametrize("name,cls", [
    ("org.apache.zookeeper.metrics.impl.DefaultMetricsProvider", DefaultMetricsProvider),
    ("org.apache.zookeeper.metrics.impl.NullMetricsProvider", NullMetricsProvider),
    ("pyzookeeper.metrics.impl.DefaultMetricsProvider", DefaultMetricsProvider),
    ("pyzookeeper.metrics.impl.DefaultMetricsProvider.DefaultMetricsProvider", DefaultMetricsProvider),
    ("pyzookeeper.metrics.impl.NullMetricsProvider:NullMetricsProvider", NullMetricsProvider),
])
def test_bootstrap_starts_known_providers(name, cls):
    provider = MetricsProviderBootstrap.startMetricsProvider(name, {})
    assert type(provider) is cls
    assert type(bootstrap_module.startMetricsProvider(name, {})) is cls  # the module form


class RecordingProvider(DefaultMetricsProvider):
    """A user provider, loaded by its Python name."""

    calls: list = []

    def configure(self, configuration):
        RecordingProvider.calls.append(("configure", dict(configuration)))

    def start(self):
        RecordingProvider.calls.append(("start",))


class FailingProvider(DefaultMetricsProvider):
    def start(self):
        raise MetricsProviderLifeCycleException("port in use")


def test_bootstrap_configures_then_starts_a_user_provider():
    RecordingProvider.calls.clear()
    provider = MetricsProviderBootstrap.startMetricsProvider(
        f"{__name__}.RecordingProvider", {"httpPort": "7000"})
    assert isinstance(provider, RecordingProvider)
    assert RecordingProvider.calls == [("configure", {"httpPort": "7000"}), ("start",)]


def test_bootstrap_passes_lifecycle_failures_on(caplog):
    with caplog.at_level(logging.ERROR):
        with pytest.raises(MetricsProviderLifeCycleException, match="port in use"):
            MetricsProviderBootstrap.startMetricsProvider(f"{__name__}.FailingProvider", {})
    assert f"Cannot boot MetricsProvider {__name__}.FailingProvider" in caplog.text


def test_bootstrap_refuses_prometheus_with_a_clear_reason():
    name = "org.apache.zookeeper.metrics.prometheus.PrometheusMetricsProvider"
    with pytest.raises(MetricsProviderLifeCycleException) as info:
        MetricsProviderBootstrap.startMetricsProvider(name, {"httpPort": "7000"})
    message = str(info.value)
    assert message.startswith(f"Cannot boot MetricsProvider {name}")
    assert "no Prometheus exporter" in message and "metricsProvider.className" in message
    with pytest.raises(ImportError, match="Prometheus"):
        MetricsProviderBootstrap.resolve_provider_class(name)


@pytest.mark.parametrize("name", [
    "org.example.NoSuchProvider",
    "NoSuchProvider",
    "",
    "pyzookeeper.metrics.impl.DefaultMetricsProvider.NoSuchClass",
    "pyzookeeper.server.ServerMetrics",  # a module holding a class that is not a provider
    "pyzookeeper.metrics.MetricsContext.DetailLevel",
])
def test_bootstrap_refuses_unknown_classes(name):
    with pytest.raises(MetricsProviderLifeCycleException, match="Cannot boot MetricsProvider"):
        MetricsProviderBootstrap.startMetricsProvider(name, {})


def test_provider_str_names_the_class_like_java():
    assert str(DefaultMetricsProvider()).startswith("pyzookeeper.metrics.impl.DefaultMetricsProvider@")
    assert str(RecordingProvider()).startswith(f"{__name__}.RecordingProvider@")


# --- ServerMetrics ---------------------------------------------------------------------------

def test_server_metrics_work_before_a_provider_is_configured():
    # in a fresh interpreter: no test has switched the provider there
    probe = (
        "from pyzookeeper.server.ServerMetrics import ServerMetrics as S\n"
        "m = S.getMetrics()\n"
        "assert m is S.DEFAULT_METRICS_FOR_TESTS\n"
        "m.SNAPSHOT_TIME.add(9)\n"
        "out = {}\n"
        "m.getMetricsProvider().dump(out.__setitem__)\n"
        "print(type(m.getMetricsProvider()).__name__, out['max_snapshottime'])\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["DefaultMetricsProvider", "9"]
    assert isinstance(ServerMetrics.DEFAULT_METRICS_FOR_TESTS.getMetricsProvider(), DefaultMetricsProvider)
    assert ServerMetrics.NULL_METRICS.getMetricsProvider() is NullMetricsProvider.INSTANCE
    ServerMetrics.NULL_METRICS.SNAPSHOT_TIME.add(3)  # records nothing, fails nothing


def test_metrics_provider_initialized_switches_the_current_metrics(caplog):
    previous = ServerMetrics.CURRENT
    provider = DefaultMetricsProvider()
    try:
        with caplog.at_level(logging.INFO):
            ServerMetrics.metricsProviderInitialized(provider)
        assert f"ServerMetrics initialized with provider {provider}" in caplog.text
        metrics = ServerMetrics.getMetrics()
        assert metrics.getMetricsProvider() is provider
        metrics.SNAPSHOT_TIME.add(120)
        metrics.UPDATE_LATENCY.add(4)
        metrics.WRITE_PER_NAMESPACE.add("app", 10)
        metrics.QUOTA_EXCEEDED_ERROR_PER_NAMESPACE.inc("app")
        metrics.LOOKING_COUNT.inc()
        out = dump_of(provider)
        assert out["cnt_snapshottime"] == 1 and out["max_snapshottime"] == 120
        assert out["p99_updatelatency"] == 4
        assert out["sum_app_write_per_namespace"] == 10
        assert out["app_quota_exceeded_error_per_namespace"] == 1
        assert out["looking_count"] == 1
        metrics.resetAll()
        out = dump_of(provider)
        assert out["cnt_snapshottime"] == 0 and out["looking_count"] == 0
        assert out["app_quota_exceeded_error_per_namespace"] == 0
    finally:
        ServerMetrics.CURRENT = previous


def test_server_metrics_kinds_and_detail_levels():
    metrics = ServerMetrics(DefaultMetricsProvider())
    assert isinstance(metrics.FSYNC_TIME, AvgMinMaxCounter)
    assert isinstance(metrics.READ_LATENCY, AvgMinMaxPercentileCounter)
    assert isinstance(metrics.LOOKING_COUNT, SimpleCounter)
    assert isinstance(metrics.WRITE_PER_NAMESPACE, AvgMinMaxCounterSet)
    assert isinstance(metrics.ACK_LATENCY, AvgMinMaxPercentileCounterSet)
    assert isinstance(metrics.QUOTA_EXCEEDED_ERROR_PER_NAMESPACE, SimpleCounterSet)
    with pytest.raises(AttributeError):
        metrics.NO_SUCH_METRIC = None  # the field list is closed, as a final class's is


# --- OSMXBean --------------------------------------------------------------------------------

def test_osmxbean_counts_open_file_descriptors():
    bean = OSMXBean()
    assert bean.getUnix()
    before = bean.getOpenFileDescriptorCount()
    assert before == len(os.listdir("/proc/self/fd")) - 1
    r, w = os.pipe()
    try:
        assert bean.getOpenFileDescriptorCount() == before + 2
    finally:
        os.close(r)
        os.close(w)
    assert bean.getOpenFileDescriptorCount() == before
    soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    assert bean.getMaxFileDescriptorCount() == (-1 if soft == resource.RLIM_INFINITY else soft)


# --- QuotaMetricsUtils -----------------------------------------------------------------------

class NodeMap:
    """Just enough of DataTree for the quota walk: getNode over real DataNodes."""

    def __init__(self, data_by_path: dict[str, bytes | None]) -> None:
        self.nodes: dict[str, DataNode] = {}
        for path, data in data_by_path.items():
            self._node(path).data = data

    def _node(self, path: str) -> DataNode:
        node = self.nodes.get(path)
        if node is None:
            node = self.nodes[path] = DataNode()
            if path != "/":
                parent, _, name = path.rpartition("/")
                self._node(parent or "/").addChild(name)
        return node

    def getNode(self, path: str) -> DataNode | None:
        return self.nodes.get(path)


QUOTA_TREE = {
    "/zookeeper/quota/a/zookeeper_limits": b"count=10,bytes=100=;countHardLimit=7;byteHardLimit=-1",
    "/zookeeper/quota/a/zookeeper_stats": b"count=3,bytes=30",
    "/zookeeper/quota/a/b/zookeeper_limits": b"count=5,bytes=-1",
    "/zookeeper/quota/a/b/zookeeper_stats": b"count=2,bytes=12",
    "/zookeeper/quota/c/zookeeper_limits": b"count=-1,bytes=1000",
    "/zookeeper/quota/c/zookeeper_stats": b"count=1,bytes=9",
    "/zookeeper/quota/d/zookeeper_stats": None,
}


def test_quota_metrics_per_namespace():
    tree = NodeMap(QUOTA_TREE)
    assert QuotaMetricsUtils.getQuotaCountLimit(tree) == {"a": 12, "c": -1}
    assert QuotaMetricsUtils.getQuotaBytesLimit(tree) == {"a": 99, "c": 1000}
    assert QuotaMetricsUtils.getQuotaCountUsage(tree) == {"a": 5, "c": 1}
    assert QuotaMetricsUtils.getQuotaBytesUsage(tree) == {"a": 42, "c": 9}
    assert QuotaMetricsUtils.getQuotaCountUsage(None) == {}
    assert QuotaMetricsUtils.getQuotaCountUsage(NodeMap({})) == {}
    assert QuotaMetricsUtils.getQuotaLimit(-1, 5) == 5 and QuotaMetricsUtils.getQuotaLimit(0, 5) == 0
    assert StatsTrack(QUOTA_TREE["/zookeeper/quota/a/zookeeper_limits"]).getCountHardLimit() == 7


def test_quota_gauge_sets_dump_like_java():
    tree = NodeMap(QUOTA_TREE)
    provider = DefaultMetricsProvider()
    ctx = provider.getRootContext()
    ctx.registerGaugeSet(QuotaMetricsUtils.QUOTA_COUNT_LIMIT_PER_NAMESPACE,
                         lambda: QuotaMetricsUtils.getQuotaCountLimit(tree))
    ctx.registerGaugeSet(QuotaMetricsUtils.QUOTA_BYTES_USAGE_PER_NAMESPACE,
                         lambda: QuotaMetricsUtils.getQuotaBytesUsage(tree))
    assert dump_of(provider) == {
        "a_quota_count_limit_per_namespace": 12, "c_quota_count_limit_per_namespace": -1,
        "a_quota_bytes_usage_per_namespace": 42, "c_quota_bytes_usage_per_namespace": 9,
    }
