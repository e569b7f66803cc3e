"""Java's ConcurrentHashMap iteration order, against Java through JPype.

JavaConcurrentHashMap must iterate as ``java.util.concurrent.ConcurrentHashMap<String, V>``
(and ``<Long, V>``, keyed by session ids) after any sequence of puts,
putIfAbsent/computeIfAbsent and removes, through the resizes at three quarters
and the ones a crowded bin forces below 64 bins. ``hash_map_order`` must give
the order of a ``HashMap<Long, V>`` filled from one.
"""

from __future__ import annotations

import random

import pytest

from pyzookeeper.common.java_concurrent_hash_map import JavaConcurrentHashMap, long_hash
from pyzookeeper.common.java_hash_set import hash_map_order, spread_hash

from test_java_hash_set import random_name

pytestmark = pytest.mark.java


def jkeys(jmap) -> list[str]:
    return [str(k) for k in jmap.keySet()]


def test_puts_and_removes_iterate_as_java(jvm):
    CHM, String, Integer = (jvm.JClass("java.util.concurrent.ConcurrentHashMap"), jvm.JClass("java.lang.String"),
                            jvm.JClass("java.lang.Integer"))
    rng = random.Random(3)
    for trial in range(60):
        ours, theirs = JavaConcurrentHashMap(), CHM()
        for step in range(rng.randrange(1, 600)):
            name = random_name(rng)
            r = rng.random()
            if r < 0.25:
                assert (ours.pop(name, None) is not None) == (theirs.remove(String(name)) is not None)
            elif r < 0.5:
                ours.setdefault(name, step)
                theirs.putIfAbsent(String(name), Integer(step))
            elif r < 0.6:
                ours.computeIfAbsent(name, lambda k, s=step: s)
                theirs.computeIfAbsent(String(name), jvm.JProxy("java.util.function.Function",
                                                                dict={"apply": lambda k, s=step: Integer(s)}))
            else:
                ours[name] = step
                theirs.put(String(name), Integer(step))
            if step % 17 == 0:
                assert ours.keys_in_order() == jkeys(theirs), (trial, step)
        assert list(ours) == jkeys(theirs), trial
        assert [v for _, v in ours.items()] == [int(v) for v in theirs.values()]
        assert len(ours) == int(theirs.size())
        ours.clear()
        theirs.clear()
        for name in [random_name(rng) for _ in range(30)]:
            ours[name] = 0
            theirs.put(String(name), Integer(0))
        assert list(ours) == jkeys(theirs), trial


def test_crowded_bins_resize_as_java(jvm):
    """A ninth key in one bin of a table under 64 bins grows the table first
    (``tryPresize``); keys before a bin's last run come out reversed after a resize."""
    CHM, String, Integer = (jvm.JClass("java.util.concurrent.ConcurrentHashMap"), jvm.JClass("java.lang.String"),
                            jvm.JClass("java.lang.Integer"))
    rng = random.Random(11)
    pool = [f"k{i}" for i in range(80000)]
    crowded = [s for s in pool if spread_hash(s) & 15 == 0]
    others = [s for s in pool[:2000] if spread_hash(s) & 15]
    for trial in range(100):
        # at most eight keys per bin once the table has 64 or more bins: Java would make a tree
        by_bin: dict[int, list[str]] = {}
        for s in rng.sample(crowded, 400):
            by_bin.setdefault(spread_hash(s) & 255, []).append(s)
        names = [s for group in by_bin.values() for s in group[:2]][:rng.randrange(9, 14)]
        names += rng.sample(others, rng.randrange(0, 20))
        rng.shuffle(names)
        ours, theirs = JavaConcurrentHashMap(), CHM()
        for name in names:
            ours[name] = 1
            theirs.put(String(name), Integer(1))
            if rng.random() < 0.15:
                gone = rng.choice(list(ours))
                del ours[gone]
                theirs.remove(String(gone))
            assert ours.keys_in_order() == jkeys(theirs), (trial, names)


def session_ids(rng: random.Random, n: int) -> list[int]:
    """Ids as SessionTrackerImpl makes them (server id in the top byte, a time
    based base, a counter), and arbitrary 64-bit values."""
    out = []
    for _ in range(n):
        if rng.random() < 0.7:
            base = ((rng.randrange(1 << 40) << 24) & 0xFFFFFFFFFFFFFFFF) >> 8
            sid = (rng.randrange(1, 256) << 56 | base) + rng.randrange(200)
            out.append(sid - (1 << 64) if sid >= 1 << 63 else sid)
        else:
            out.append(rng.randrange(-(1 << 63), 1 << 63))
    return out


def test_long_keys_iterate_as_java(jvm):
    CHM, HashMap, Long = (jvm.JClass("java.util.concurrent.ConcurrentHashMap"), jvm.JClass("java.util.HashMap"),
                          jvm.JClass("java.lang.Long"))
    rng = random.Random(8)
    for v in session_ids(rng, 500):
        assert long_hash(v) == int(Long(v).hashCode()) & 0xFFFFFFFF
    for trial in range(60):
        ours, theirs = JavaConcurrentHashMap(long_hash), CHM()
        ids = session_ids(rng, rng.randrange(1, 120))
        for sid in ids:
            ours.setdefault(sid, 0)
            theirs.putIfAbsent(Long(sid), Long(0))
            if rng.random() < 0.2:
                gone = rng.choice(list(ours))
                del ours[gone]
                theirs.remove(Long(gone))
        keys = ours.keys_in_order()
        assert keys == [int(k) for k in theirs.keySet()], trial
        copy = HashMap()
        for k in theirs.keySet():
            copy.put(k, Long(0))
        assert hash_map_order(keys, long_hash) == [int(k) for k in copy.keySet()], trial


def test_hash_map_order_through_crowded_buckets(jvm):
    """A ninth key in one bucket of a HashMap under 64 buckets doubles it."""
    HashMap, Long = jvm.JClass("java.util.HashMap"), jvm.JClass("java.lang.Long")
    rng = random.Random(12)
    crowded = [v for v in range(1, 200_000) if (long_hash(v) ^ (long_hash(v) >> 16)) & 15 == 0]
    others = [v for v in range(1 << 33, (1 << 33) + 3000) if (long_hash(v) ^ (long_hash(v) >> 16)) & 15]
    for trial in range(100):
        # at most two keys per bucket of 256: no bucket Java would make a tree
        by_bucket: dict[int, list[int]] = {}
        for v in rng.sample(crowded, 400):
            by_bucket.setdefault((long_hash(v) ^ (long_hash(v) >> 16)) & 255, []).append(v)
        keys = [v for group in by_bucket.values() for v in group[:2]][:rng.randrange(9, 14)]
        keys += rng.sample(others, rng.randrange(0, 20))
        rng.shuffle(keys)
        theirs = HashMap()
        for v in keys:
            theirs.put(Long(v), Long(0))
        assert hash_map_order(keys, long_hash) == [int(k) for k in theirs.keySet()], (trial, keys)
