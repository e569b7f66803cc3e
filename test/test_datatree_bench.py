"""Timing of the hot DataTree paths on a large tree (soak: ``make soak``).

Builds a tree of ZK_BENCH_NODES znodes (default 1,000,000) with createNode,
writes it as a snapshot and loads it back, printing CPU microseconds per node
for each step; the loaded tree must have the same digest and node count.
"""

from __future__ import annotations

import gc
import os
import time

import pytest

from pyzookeeper.jute.BinaryInputArchive import BinaryInputArchive
from pyzookeeper.jute.BinaryOutputArchive import BinaryOutputArchive
from pyzookeeper.server.DataTree import DataTree
from pyzookeeper.server.util import SerializeUtils
from pyzookeeper.ZooDefs import Ids

pytestmark = pytest.mark.soak


def test_large_tree_create_snapshot_restore(capsys):
    count = int(os.environ.get("ZK_BENCH_NODES", "1000000"))
    fanout = 1000
    dt = DataTree()
    data = b"x" * 20
    zxid = 0x100000000
    start = time.process_time()
    for i in range(fanout):
        zxid += 1
        dt.createNode("/n%04d" % i, data, Ids.OPEN_ACL_UNSAFE, 0, -1, zxid, 1_700_000_000_000)
    for i in range(count - fanout):
        zxid += 1
        dt.createNode("/n%04d/c%07d" % (i % fanout, i), data, Ids.OPEN_ACL_UNSAFE, 0, -1, zxid,
                      1_700_000_000_000)
    create = time.process_time() - start

    oa = BinaryOutputArchive()
    start = time.process_time()
    SerializeUtils.serializeSnapshot(dt, oa, {1: 30000})
    write = time.process_time() - start
    snapshot = oa.getvalue()
    digest, nodes = dt.getTreeDigest(), dt.getNodeCount()
    del dt, oa
    gc.collect()

    loaded = DataTree()
    sessions: dict[int, int] = {}
    start = time.process_time()
    SerializeUtils.deserializeSnapshot(loaded, BinaryInputArchive(snapshot), sessions)
    read = time.process_time() - start
    assert loaded.getTreeDigest() == digest and loaded.getNodeCount() == nodes and sessions == {1: 30000}
    with capsys.disabled():
        print(f"\n{count} nodes: createNode {create / count * 1e6:.2f} us/node, "
              f"serialize {write / count * 1e6:.2f} us/node, deserialize {read / count * 1e6:.2f} us/node")
