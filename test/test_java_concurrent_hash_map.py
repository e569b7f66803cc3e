"""Java's ConcurrentHashMap iteration order, against Java through JPype.

JavaConcurrentHashMap must iterate as ``java.util.concurrent.ConcurrentHashMap<String, V>``
after any sequence of puts, putIfAbsent/computeIfAbsent and removes, through the
resizes at three quarters and the ones a crowded bin forces below 64 bins.
"""

from __future__ import annotations

import random

import pytest

from pyzookeeper.common.java_concurrent_hash_map import JavaConcurrentHashMap
from pyzookeeper.common.java_hash_set import spread_hash

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
