"""The metrics against Java 3.8: the same ServerMetrics fields, the same dump keys and values,
the same counter arithmetic, and the keys of a real Java server's ``mntr``."""

from __future__ import annotations

import random

import pytest

from javaref import JavaZooKeeperServer, four_letter_word
from pyzookeeper.metrics.impl.DefaultMetricsProvider import DefaultMetricsProvider
from pyzookeeper.server.ServerMetrics import ServerMetrics
from pyzookeeper.server.metric.AvgMinMaxCounter import AvgMinMaxCounter
from pyzookeeper.server.metric.AvgMinMaxCounterSet import AvgMinMaxCounterSet
from pyzookeeper.server.metric.AvgMinMaxPercentileCounter import AvgMinMaxPercentileCounter
from pyzookeeper.server.metric.AvgMinMaxPercentileCounterSet import AvgMinMaxPercentileCounterSet
from pyzookeeper.server.metric.SimpleCounter import SimpleCounter
from pyzookeeper.server.metric.SimpleCounterSet import SimpleCounterSet

pytestmark = pytest.mark.java

ONLY_IN_BRANCH_3_8: dict[str, str] = {}
"""Dump keys of branch-3.8 that the 3.8.0 jar lacks, with the reason. None today:
ServerMetrics.java and the metric classes are the same in release 3.8.0 and at the
branch-3.8 head."""

GAUGES_REGISTERED_BY_ZOOKEEPER_SERVER = (
    # ZooKeeperServer.registerMetrics(), in its order; standalone and every quorum role
    "avg_latency", "max_latency", "min_latency", "packets_received", "packets_sent",
    "num_alive_connections", "outstanding_requests", "uptime", "znode_count", "watch_count",
    "ephemerals_count", "approximate_data_size", "global_sessions", "local_sessions",
    "open_file_descriptor_count", "max_file_descriptor_count", "connection_drop_probability",
    "last_client_response_size", "max_client_response_size", "min_client_response_size",
    "outstanding_tls_handshake", "auth_failed_count", "non_mtls_remote_conn_count",
    "non_mtls_local_conn_count",
)
"""Gauges the server registers on the root context. The four quota gauge sets
(``<namespace>_quota_{count,bytes}_{limit,usage}_per_namespace``) are registered too, but
publish nothing until a quota exists. Quorum servers add ``quorum_size``; a leader adds
``learners``, ``synced_followers``, ``synced_non_voting_followers``, ``synced_observers``,
``pending_syncs``, ``leader_uptime``, ``last_proposal_size``, ``max_proposal_size``,
``min_proposal_size``; a follower adds ``synced_observers``."""

MONITOR_VALUES = ("version", "server_state")
"""Written by ZooKeeperServer.dumpMonitorValues before the metrics (a quorum server adds
``peer_state``, an observer ``observer_master_id``)."""

METRIC_CLASSES = {
    "SimpleCounter": SimpleCounter,
    "SimpleCounterSet": SimpleCounterSet,
    "AvgMinMaxCounter": AvgMinMaxCounter,
    "AvgMinMaxPercentileCounter": AvgMinMaxPercentileCounter,
    "AvgMinMaxCounterSet": AvgMinMaxCounterSet,
    "AvgMinMaxPercentileCounterSet": AvgMinMaxPercentileCounterSet,
}

_sink_class = None


def java_sink(jvm):
    """A Java BiConsumer<String, Object> collecting into a dict of Python values."""
    global _sink_class
    if _sink_class is None:
        @jvm.JImplements("java.util.function.BiConsumer")
        class Sink:
            def __init__(self):
                self.items = {}

            @jvm.JOverride
            def accept(self, key, value):
                key = str(key)
                assert key not in self.items, f"{key} dumped twice"
                self.items[key] = to_python(value)

        _sink_class = Sink
    return _sink_class()


def to_python(value):
    name = value.getClass().getName()
    if name in ("java.lang.Long", "java.lang.Integer"):
        return int(value.longValue())
    if name == "java.lang.Double":
        return float(value.doubleValue())
    raise AssertionError(f"unexpected value kind {name}")


def java_values(jmap) -> dict:
    return {str(k): to_python(v) for k, v in jmap.items()}


def our_dump(provider) -> dict:
    out: dict = {}
    provider.dump(out.__setitem__)
    return out


def feed_both(java_metrics, ours):
    """The same updates, through the same field names, on both sides."""
    rnd = random.Random(7)
    for name in ("SNAPSHOT_TIME", "FSYNC_TIME", "READ_LATENCY", "UPDATE_LATENCY", "ELECTION_TIME"):
        values = [rnd.randrange(0, 5000) for _ in range(rnd.randrange(1, 3000))]
        for v in values:
            getattr(java_metrics, name).add(v)
            getattr(ours, name).add(v)
    for name, key, value in (("WRITE_PER_NAMESPACE", "app", 17), ("READ_PER_NAMESPACE", "app", 3),
                             ("ACK_LATENCY", "2", 9), ("LEARNER_HANDLER_QP_SIZE", "PROPOSAL", 120),
                             ("LEARNER_HANDLER_QP_TIME", "COMMIT", 4)):
        getattr(java_metrics, name).add(key, value)
        getattr(ours, name).add(key, value)
    for name in ("LOOKING_COUNT", "BYTES_RECEIVED_COUNT"):
        getattr(java_metrics, name).add(41)
        getattr(ours, name).add(41)
        getattr(java_metrics, name).inc()
        getattr(ours, name).inc()
    java_metrics.QUOTA_EXCEEDED_ERROR_PER_NAMESPACE.inc("app")
    ours.QUOTA_EXCEEDED_ERROR_PER_NAMESPACE.inc("app")


def test_server_metrics_fields_match_java(jvm):
    JServerMetrics = jvm.JClass("org.apache.zookeeper.server.ServerMetrics")
    JDefault = jvm.JClass("org.apache.zookeeper.metrics.impl.DefaultMetricsProvider")
    JModifier = jvm.JClass("java.lang.reflect.Modifier")
    JServerMetrics.metricsProviderInitialized(JDefault())
    java_metrics = JServerMetrics.getMetrics()
    ours = ServerMetrics(DefaultMetricsProvider())

    java_fields = {}
    for field in JServerMetrics.class_.getFields():
        if JModifier.isStatic(field.getModifiers()):
            continue
        # the declared kind (Counter, Summary...) and, under the default provider, the class,
        # which tells the detail level (AvgMinMaxCounter is BASIC, the percentile one ADVANCED)
        java_fields[str(field.getName())] = (str(field.getType().getSimpleName()),
                                             str(field.get(java_metrics).getClass().getSimpleName()))
    our_fields = [name for name in ServerMetrics.__slots__ if name != "metricsProvider"]
    assert len(our_fields) == len(set(our_fields))
    assert sorted(our_fields) == sorted(java_fields)
    for name, (kind, cls) in java_fields.items():
        metric = getattr(ours, name)
        assert type(metric) is METRIC_CLASSES[cls], name
        assert type(metric).__mro__[2].__name__ == kind, name
    for static in ("NULL_METRICS", "DEFAULT_METRICS_FOR_TESTS"):
        assert isinstance(getattr(JServerMetrics, static), JServerMetrics)
        assert isinstance(getattr(ServerMetrics, static), ServerMetrics)


def test_server_metrics_dump_matches_java(jvm):
    JServerMetrics = jvm.JClass("org.apache.zookeeper.server.ServerMetrics")
    JDefault = jvm.JClass("org.apache.zookeeper.metrics.impl.DefaultMetricsProvider")
    java_provider = JDefault()
    JServerMetrics.metricsProviderInitialized(java_provider)
    our_provider = DefaultMetricsProvider()
    ours = ServerMetrics(our_provider)

    sink = java_sink(jvm)
    java_provider.dump(sink)
    fresh = our_dump(our_provider)
    assert set(fresh) == set(sink.items) - set(ONLY_IN_BRANCH_3_8)
    assert fresh == sink.items  # same keys, kinds (int or float) and values

    feed_both(JServerMetrics.getMetrics(), ours)
    sink = java_sink(jvm)
    java_provider.dump(sink)
    fed = our_dump(our_provider)
    assert set(fed) - set(fresh) == {
        p + "app_write_per_namespace" for p in ("avg_", "min_", "max_", "cnt_", "sum_")
    } | {p + "app_read_per_namespace" for p in ("avg_", "min_", "max_", "cnt_", "sum_")} | {
        p + "2_ack_latency" for p in ("avg_", "min_", "max_", "cnt_", "sum_", "p50_", "p95_", "p99_", "p999_")
    } | {p + "PROPOSAL_learner_handler_qp_size" for p in ("avg_", "min_", "max_", "cnt_", "sum_")} | {
        p + "COMMIT_learner_handler_qp_time_ms"
        for p in ("avg_", "min_", "max_", "cnt_", "sum_", "p50_", "p95_", "p99_", "p999_")
    } | {"app_quota_exceeded_error_per_namespace"}
    assert fed == sink.items

    JServerMetrics.getMetrics().resetAll()
    ours.resetAll()
    sink = java_sink(jvm)
    java_provider.dump(sink)
    assert our_dump(our_provider) == sink.items


def test_avg_min_max_arithmetic_matches_java(jvm):
    JAvgMinMaxCounter = jvm.JClass("org.apache.zookeeper.server.metric.AvgMinMaxCounter")
    rnd = random.Random(11)
    for trial in range(300):
        java_counter = JAvgMinMaxCounter("x")
        ours = AvgMinMaxCounter("x")
        n = rnd.choice((1, 2, 3, 6, 7, 9, 11, 13, 300, 1000))
        scale = rnd.choice((10, 1000, 10**6, 10**12))
        for _ in range(n):
            v = rnd.randrange(-scale // 10, scale)
            java_counter.add(v)
            ours.add(v)
        assert ours.values() == java_values(java_counter.values()), trial
        java_counter.resetMax()
        ours.resetMax()
        assert ours.values() == java_values(java_counter.values()), trial
    java_counter.reset()
    ours.reset()
    assert ours.values() == java_values(java_counter.values())


def test_percentiles_match_java(jvm):
    JPercentile = jvm.JClass("org.apache.zookeeper.server.metric.AvgMinMaxPercentileCounter")
    rnd = random.Random(5)
    # up to the reservoir size every value is kept, so both sides see the same sample
    for n in (0, 1, 2, 3, 10, 99, 100, 101, 999, 1000, 1001, 2500, 4096):
        java_counter = JPercentile("lat")
        ours = AvgMinMaxPercentileCounter("lat")
        for _ in range(n):
            v = rnd.choice((rnd.randrange(0, 20), rnd.randrange(0, 10**6)))
            java_counter.add(v)
            ours.add(v)
        assert ours.values() == java_values(java_counter.values()), n
    java_counter.reset()
    ours.reset()
    assert ours.values() == java_values(java_counter.values())


def test_counter_sets_match_java(jvm):
    pkg = "org.apache.zookeeper.server.metric."
    pairs = [
        (jvm.JClass(pkg + "SimpleCounterSet")("errs"), SimpleCounterSet("errs")),
        (jvm.JClass(pkg + "AvgMinMaxCounterSet")("qp"), AvgMinMaxCounterSet("qp")),
        (jvm.JClass(pkg + "AvgMinMaxPercentileCounterSet")("ack"), AvgMinMaxPercentileCounterSet("ack")),
    ]
    for java_set, ours in pairs:
        for key, value in (("a", 3), ("b", 10), ("a", 8), ("long_key_1", 1)):
            java_set.add(key, value)
            ours.add(key, value)
        assert ours.values() == java_values(java_set.values())
        java_set.reset()
        ours.reset()
        assert ours.values() == java_values(java_set.values())


def parse_mntr(text: str) -> dict[str, str]:
    out = {}
    for line in text.splitlines():
        key, sep, value = line.partition("\t")
        assert sep and key.startswith("zk_"), line
        out[key[3:]] = value
    return out


@pytest.fixture(scope="module")
def java_mntr(tmp_path_factory, java_available) -> dict[str, str]:
    """``mntr`` of a fresh standalone Java server."""
    with JavaZooKeeperServer(tmp_path_factory.mktemp("java-mntr")) as zk:
        return parse_mntr(four_letter_word(zk.port, "mntr"))


def test_java_mntr_is_server_metrics_plus_server_gauges(java_mntr):
    mntr = java_mntr
    ours = our_dump(ServerMetrics(DefaultMetricsProvider()).getMetricsProvider())

    assert set(ours).isdisjoint(GAUGES_REGISTERED_BY_ZOOKEEPER_SERVER)
    assert list(mntr)[:2] == list(MONITOR_VALUES)
    assert mntr["server_state"] == "standalone"
    assert set(mntr) == set(ours) | set(GAUGES_REGISTERED_BY_ZOOKEEPER_SERVER) | set(MONITOR_VALUES)
    # the same value kinds: MonitorCommand prints a Long as an integer, a Double with a point
    for key, value in ours.items():
        if isinstance(value, float):
            assert "." in mntr[key] or "E" in mntr[key], key
        else:
            assert mntr[key].lstrip("-").isdigit(), key


def test_our_mntr_has_the_keys_and_kinds_of_java(java_mntr, tmp_path):
    pytest.importorskip("pyzookeeper.server.command.MonitorCommand",
                        reason="the four-letter-word commands are not in the tree yet")
    pytest.importorskip("pyzookeeper.server.admin.AdminServerFactory",
                        reason="the AdminServer is not in the tree yet")
    from pyzkserver import EmbeddedServer

    with EmbeddedServer(tmp_path) as server:
        mntr = parse_mntr(four_letter_word(server.port, "mntr"))
    assert list(mntr)[:2] == list(MONITOR_VALUES)
    assert mntr["server_state"] == java_mntr["server_state"]
    # the same lines in the same order: the provider's maps iterate as Java's ConcurrentHashMaps
    assert list(mntr) == list(java_mntr)
    for key, java_value in java_mntr.items():
        if key == "version":
            continue
        assert ("." in mntr[key] or "E" in mntr[key]) == ("." in java_value or "E" in java_value), key


QUOTA_NODES = (
    ("/a", b""), ("/a/b", b"xy"), ("/c", b"abc"), ("/d", b""),
    ("/zookeeper/quota/a", b""),
    ("/zookeeper/quota/a/zookeeper_limits", b"count=10,bytes=100=;countHardLimit=7;byteHardLimit=-1"),
    ("/zookeeper/quota/a/zookeeper_stats", b"count=2,bytes=2"),
    ("/zookeeper/quota/a/b", b""),
    ("/zookeeper/quota/a/b/zookeeper_limits", b"count=5,bytes=-1"),
    ("/zookeeper/quota/a/b/zookeeper_stats", b"count=1,bytes=2"),
    ("/zookeeper/quota/c", b""),
    ("/zookeeper/quota/c/zookeeper_limits", b"count=-1,bytes=1000"),
    ("/zookeeper/quota/c/zookeeper_stats", b"count=1,bytes=3"),
    ("/zookeeper/quota/d", b""),
)


def test_quota_metrics_match_java(jvm):
    DataTree = pytest.importorskip("pyzookeeper.server.DataTree", reason="DataTree is not in the tree yet").DataTree
    from pyzookeeper.server.util import QuotaMetricsUtils

    JDataTree = jvm.JClass("org.apache.zookeeper.server.DataTree")
    JQuota = jvm.JClass("org.apache.zookeeper.server.util.QuotaMetricsUtils")
    JArrayList = jvm.JClass("java.util.ArrayList")
    java_tree = JDataTree()
    ours = DataTree()
    for zxid, (path, data) in enumerate(QUOTA_NODES, start=1):
        java_tree.createNode(path, jvm.JArray(jvm.JByte)(data), JArrayList(), jvm.JLong(0), jvm.JInt(1),
                             jvm.JLong(zxid), jvm.JLong(zxid))
        ours.createNode(path, data, [], 0, 1, zxid, zxid)
    for getter in ("getQuotaCountLimit", "getQuotaBytesLimit", "getQuotaCountUsage", "getQuotaBytesUsage"):
        expected = {str(k): int(v.longValue()) for k, v in getattr(JQuota, getter)(java_tree).items()}
        assert expected, getter
        assert getattr(QuotaMetricsUtils, getter)(ours) == expected, getter
