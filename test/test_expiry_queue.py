"""ExpiryQueue: buckets rounded up to the next interval, polled in order, as in Java."""

from __future__ import annotations

import io
import re

import pytest

from pyzookeeper.common import Time
from pyzookeeper.server.ExpiryQueue import ExpiryQueue


class Clock:
    def __init__(self, now: int) -> None:
        self.now = now

    def __call__(self) -> int:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    c = Clock(100_000)
    monkeypatch.setattr(Time, "currentElapsedTime", c)
    return c


def test_round_to_next_interval(clock):
    q = ExpiryQueue(1000)
    assert q.roundToNextInterval(0) == 1000
    assert q.roundToNextInterval(999) == 1000
    assert q.roundToNextInterval(1000) == 2000
    assert q.roundToNextInterval(1001) == 2000
    # the first expiration is the interval after "now"
    assert q.nextExpirationTime == 101_000
    assert q.getWaitTime() == 1000


def test_update_buckets_and_reports_changes(clock):
    q = ExpiryQueue(1000)
    assert q.update("a", 2500) == 103_000
    # same bucket: unchanged
    clock.now += 400
    assert q.update("a", 2500) is None
    clock.now += 200
    assert q.update("a", 2500) == 104_000
    assert dict(q.getExpiryMap()) == {103_000: set(), 104_000: {"a"}}
    assert q.remove("a") == 104_000
    assert q.remove("a") is None
    assert q.getExpiryMap()[104_000] == set()


def test_poll_returns_each_bucket_once_in_time_order(clock):
    q = ExpiryQueue(1000)
    q.update("early", 500)     # -> 101000
    q.update("late", 1500)     # -> 102000
    q.update("later", 2000)    # -> 103000
    assert q.poll() == frozenset()
    clock.now = 101_000
    assert q.getWaitTime() == 0
    assert q.poll() == {"early"}
    assert q.poll() == frozenset()
    assert q.getWaitTime() == 1000
    clock.now = 103_500
    # buckets are taken one interval at a time
    assert q.poll() == {"late"}
    assert q.poll() == {"later"}
    assert q.poll() == frozenset()
    assert q.getWaitTime() == 500


def test_element_moved_out_of_a_polled_bucket_is_not_expired(clock):
    q = ExpiryQueue(1000)
    q.update("s", 500)
    clock.now = 100_900
    q.update("s", 500)  # -> 102000
    clock.now = 101_000
    assert q.poll() == set()
    clock.now = 102_000
    assert q.poll() == {"s"}


def test_dump_lists_sorted_buckets(clock):
    q = ExpiryQueue(1000)
    q.update("b", 2000)
    q.update("a", 500)
    out = io.StringIO()
    q.dump(out)
    text = out.getvalue()
    lines = text.splitlines()
    assert lines[0] == "Sets (2)/(2):"
    assert re.fullmatch(r"1 expire at \w{3} \w{3} \d\d \d\d:\d\d:\d\d \S* ?\d{4}:", lines[1])
    assert lines[2] == "\ta"
    assert lines[4] == "\tb"
