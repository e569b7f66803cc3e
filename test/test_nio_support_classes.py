"""The classes around the client port: WorkerService, ServerStats, BlueThrottle,
RateLogger, ZooTrace."""

from __future__ import annotations

import logging
import random
import threading

import pytest

from javaref import wait_for
from pyzookeeper import system_properties
from pyzookeeper.common import Time
from pyzookeeper.server.BlueThrottle import BlueThrottle
from pyzookeeper.server.RateLogger import RateLogger
from pyzookeeper.server.ServerStats import ServerStats, java_double_str
from pyzookeeper.server.WorkerService import WorkerService
from pyzookeeper.server.ZooTrace import ZooTrace


class Clock:
    def __init__(self, now: int = 1_000_000) -> None:
        self.now = now

    def __call__(self) -> int:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    c = Clock()
    monkeypatch.setattr(Time, "currentElapsedTime", c)
    return c


class Recorder(WorkerService.WorkRequest):
    def __init__(self, log: list, item, fail: bool = False) -> None:
        self.log = log
        self.item = item
        self.fail = fail

    def doWork(self) -> None:
        self.log.append((threading.current_thread().name, self.item))
        if self.fail:
            raise RuntimeError("boom")

    def cleanup(self) -> None:
        self.log.append(("cleanup", self.item))


def test_worker_service_assignable_threads_keep_order_per_id(caplog):
    service = WorkerService("CommitProcWork", 3, True)
    log: list = []
    try:
        for i in range(30):
            service.schedule(Recorder(log, i), id=i % 3 - 3)
        wait_for(lambda: len(log) == 30, 30, what="work done")
        by_thread: dict[str, list] = {}
        for name, item in log:
            by_thread.setdefault(name, []).append(item)
        assert sorted(by_thread) == ["CommitProcWorkThread-1", "CommitProcWorkThread-2", "CommitProcWorkThread-3"]
        for items in by_thread.values():
            assert items == sorted(items) and len({i % 3 for i in items}) == 1
        service.schedule(Recorder(log, "bad", fail=True))
        wait_for(lambda: ("cleanup", "bad") in log, 30, what="cleanup after failure")
        assert any(r.getMessage() == "Unexpected exception" for r in caplog.records)
    finally:
        service.stop()
        service.join(5000)
    service.schedule(Recorder(log, "late"))
    assert log[-1] == ("cleanup", "late")
    assert not [t for t in threading.enumerate() if t.name.startswith("CommitProcWorkThread")]


def test_worker_service_without_threads_runs_in_the_caller():
    service = WorkerService("NIOWorker", 0, False)
    log: list = []
    service.schedule(Recorder(log, 1))
    assert log == [(threading.current_thread().name, 1)]
    service.stop()


def test_server_stats_text(monkeypatch):
    class Provider(ServerStats.Provider):
        def getOutstandingRequests(self): return 3
        def getLastProcessedZxid(self): return 0x100000002
        def getState(self): return "standalone"
        def getNumAliveConnections(self): return 2
        def getDataDirSize(self): return 10
        def getLogDirSize(self): return 20

    class Req:
        def __init__(self, createTime): self.createTime = createTime
        def getHdr(self): return None

    stats = ServerStats(Provider())
    for latency in (1, 2, 2):
        stats.updateLatency(Req(100), 100 + latency)
    stats.incrementPacketsReceived()
    stats.incrementPacketsSent()
    stats.incrementPacketsSent()
    assert str(stats) == ("Latency min/avg/max: 1/1.6667/2\nReceived: 1\nSent: 2\nConnections: 2\n"
                          "Outstanding: 3\nZxid: 0x100000002\nMode: standalone\n")
    stats.updateClientResponseSize(30)
    stats.updateClientResponseSize(10)
    assert str(stats.getClientResponseStats()) == "10/10/30"
    stats.reset()
    assert str(stats).startswith("Latency min/avg/max: 0/0.0/0\nReceived: 0\nSent: 0\n")
    assert str(stats.getClientResponseStats()) == "-1/-1/-1"


def test_counters_from_many_threads():
    stats = ServerStats(None)

    def bump():
        for _ in range(10_000):
            stats.incrementPacketsReceived()

    threads = [threading.Thread(target=bump) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert stats.getPacketsReceived() == 40_000


DOUBLES = [0.0, -0.0, 1.0, 1.5, 0.1, 0.001, 0.0009999, 1e-4, 1.6667, 123456.789, 9999999.0, 1e7, 1.234e7,
           12345678.9, 1e21, 2.5e-10, float("inf"), float("-inf"), float("nan"), 3.0e-3, 100.0]


def test_java_double_text_matches_java(jvm):
    from java.lang import Double

    rng = random.Random(7)
    samples = DOUBLES + [rng.uniform(0, 1000) for _ in range(200)] + [round(rng.uniform(0, 50), 4) for _ in range(200)]
    for d in samples:
        assert java_double_str(d) == str(Double.toString(d)), d


def test_blue_throttle_token_bucket(clock):
    throttle = BlueThrottle()
    assert throttle.checkLimit(1000)  # zero tokens: disabled
    throttle.setMaxTokens(5)
    throttle.setFillTime(10)
    throttle.setFillCount(2)
    assert [throttle.checkLimit(1) for _ in range(6)] == [True] * 5 + [False]
    assert throttle.getDeficit() == 5
    clock.now += 10  # not past fillTime yet
    assert not throttle.checkLimit(1)
    clock.now += 15  # 25 ms since: 25 * 2 / 10 = 5 tokens
    assert throttle.checkLimit(5)
    assert not throttle.checkLimit(1)
    throttle.setMaxTokens(8)  # the deficit stays
    assert throttle.getDeficit() == 5
    assert throttle.checkLimit(3) and not throttle.checkLimit(1)


def test_blue_throttle_drop_probability(clock):
    throttle = BlueThrottle()
    throttle.setMaxTokens(2)
    throttle.setFillTime(1000)
    throttle.setFreezeTime(100)
    throttle.setDropIncrease(0.5)
    throttle.setDropDecrease(0.25)
    throttle.setDecreasePoint(0.5)
    throttle.rng = random.Random(1)
    assert throttle.checkLimit(2)
    clock.now += 101  # bucket empty at a freeze boundary: drop chance up
    throttle.checkLimit(1)
    assert throttle.getDropChance() == 0.5
    clock.now += 101
    throttle.checkLimit(1)
    assert throttle.getDropChance() == 1.0
    assert not throttle.checkLimit(1)
    clock.now += 1001  # refilled, deficit 0 <= 1: chance down
    throttle.checkLimit(0)
    assert throttle.getDropChance() == 0.75


def test_blue_throttle_weights_from_properties(monkeypatch):
    names = {BlueThrottle.WEIGHED_CONNECTION_THROTTLE: "true", BlueThrottle.CONNECTION_THROTTLE_TOKENS: "10",
             BlueThrottle.GLOBAL_SESSION_WEIGHT: "0", BlueThrottle.RENEW_SESSION_WEIGHT: "5"}
    saved = {k: system_properties.getProperty(k) for k in names}
    monkeypatch.setattr(BlueThrottle, "_initialized", False)
    for cls_attr in ("connectionWeightEnabled", "DEFAULT_CONNECTION_THROTTLE_TOKENS", "DEFAULT_GLOBAL_SESSION_WEIGHT",
                     "DEFAULT_RENEW_SESSION_WEIGHT", "DEFAULT_CONNECTION_THROTTLE_FILL_COUNT"):
        monkeypatch.setattr(BlueThrottle, cls_attr, getattr(BlueThrottle, cls_attr))
    try:
        for k, v in names.items():
            system_properties.setProperty(k, v)
        throttle = BlueThrottle()
        assert throttle.isConnectionWeightEnabled()
        # an invalid global weight falls back to 3; tokens are counted in global sessions
        assert throttle.getRequiredTokensForGlobal() == 3
        assert throttle.getRequiredTokensForRenew() == 5
        assert throttle.getRequiredTokensForLocal() == 1
        assert throttle.getMaxTokens() == 30
        assert throttle.getFillCount() == 3
    finally:
        for k, v in saved.items():
            if v is None:
                system_properties.clearProperty(k)
            else:
                system_properties.setProperty(k, v)


def test_rate_logger(clock, caplog):
    log = logging.getLogger("test.ratelogger")
    caplog.set_level(logging.WARNING, logger="test.ratelogger")
    rl = RateLogger(log)
    rl.rateLimitLog("disk full")
    for _ in range(3):
        rl.rateLimitLog("disk full", "7")
    clock.now += 100
    rl.rateLimitLog("disk full", "8")
    rl.rateLimitLog("other")
    rl.rateLimitLog("other")
    rl.flush()
    # the first of a run is logged at once; repeats once per interval, and when the run ends
    assert [r.getMessage() for r in caplog.records] == [
        "Message:disk full Value:null",
        "[4 times] Message: disk full Last value:8",
        "Message:other Value:null",
        "Message: other",
    ]


def test_zoo_trace_mask(caplog):
    caplog.set_level(logging.INFO)
    before = ZooTrace.getTextTraceLevel()
    try:
        ZooTrace.setTextTraceLevel(-1)
        assert ZooTrace.getTextTraceLevel() == -1
        assert "Set text trace mask to 0xffffffffffffffff" in caplog.text
        log = logging.getLogger("test.trace")
        log.setLevel(logging.DEBUG)
        assert ZooTrace.isTraceEnabled(log, ZooTrace.CLIENT_PING_TRACE_MASK)
        ZooTrace.setTextTraceLevel(ZooTrace.WARNING_TRACE_MASK)
        assert not ZooTrace.isTraceEnabled(log, ZooTrace.CLIENT_PING_TRACE_MASK)
    finally:
        ZooTrace.setTextTraceLevel(before)


@pytest.mark.parametrize("name", [None, "org.apache.zookeeper.server.NIOServerCnxnFactory",
                                  "pyzookeeper.server.NIOServerCnxnFactory",
                                  "org.apache.zookeeper.server.NettyServerCnxnFactory"])
def test_create_factory_by_name(name, caplog):
    from pyzookeeper.server.NIOServerCnxnFactory import NIOServerCnxnFactory
    from pyzookeeper.server.ServerCnxnFactory import ServerCnxnFactory

    caplog.set_level(logging.INFO)
    saved = system_properties.getProperty(ServerCnxnFactory.ZOOKEEPER_SERVER_CNXN_FACTORY)
    try:
        if name is None:
            system_properties.clearProperty(ServerCnxnFactory.ZOOKEEPER_SERVER_CNXN_FACTORY)
        else:
            system_properties.setProperty(ServerCnxnFactory.ZOOKEEPER_SERVER_CNXN_FACTORY, name)
        assert type(ServerCnxnFactory.createFactory()) is NIOServerCnxnFactory
        used = "org.apache.zookeeper.server.NIOServerCnxnFactory" if name is None or "Netty" in name else name
        assert f"Using {used} as server connection factory" in caplog.text
        if name is not None and "Netty" in name:
            assert f"{name} is not available, using org.apache.zookeeper.server.NIOServerCnxnFactory" in caplog.text
        system_properties.setProperty(ServerCnxnFactory.ZOOKEEPER_SERVER_CNXN_FACTORY, "com.example.NoSuchFactory")
        with pytest.raises(OSError, match="Couldn't instantiate com.example.NoSuchFactory"):
            ServerCnxnFactory.createFactory()
    finally:
        if saved is None:
            system_properties.clearProperty(ServerCnxnFactory.ZOOKEEPER_SERVER_CNXN_FACTORY)
        else:
            system_properties.setProperty(ServerCnxnFactory.ZOOKEEPER_SERVER_CNXN_FACTORY, saved)


def test_auth_ids_iterate_as_javas_concurrent_hash_set(jvm):
    """The order of a connection's auth ids shows on the wire (whoAmI, "auth" ACLs)."""
    from java.util import Collections
    from java.util.concurrent import ConcurrentHashMap
    from org.apache.zookeeper.data import Id as JavaId

    from nio_harness import Harness, StandInServer
    from pyzookeeper.data.Id import Id

    h = Harness(StandInServer())
    try:
        c = h.client()
        c.handshake()
        cnxn = h.factory.getConnections()[0]
        java = Collections.newSetFromMap(ConcurrentHashMap())
        java.add(JavaId("ip", "127.0.0.1"))
        rng = random.Random(3)
        names = [("digest", f"user{i}:{rng.random()}") for i in range(30)] + [("super", ""), ("sasl", "bob")]
        for step, (scheme, ident) in enumerate(names):
            cnxn.addAuthInfo(Id(scheme, ident))
            java.add(JavaId(scheme, ident))
            if step % 7 == 6:
                victim = names[step - 3]
                assert cnxn.removeAuthInfo(Id(*victim))
                java.remove(JavaId(*victim))
            assert [(i.scheme, i.id) for i in cnxn.getAuthInfo()] == \
                [(str(i.getScheme()), str(i.getId())) for i in java], step
        assert not cnxn.removeAuthInfo(Id("digest", "nobody"))
    finally:
        h.stop()
