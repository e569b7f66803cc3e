#!/usr/bin/env python3
"""What a request costs in each stage of the standalone server, on one thread
and in the threaded pipeline.

Starts a server in this process (ZooKeeperServerMain on a free port, a
temporary dataDir), opens one session over a socket, and then, for each
operation (100-byte getData, setData, create):

* one thread: the stages called directly, one after the other, on this
  thread: ``ZooKeeperServer.processPacket`` (the worker's part, up to the
  throttler's queue), ``PrepRequestProcessor.pRequest``, the txn log
  (``ZKDatabase.append`` and a ``commit`` every 200 txns, as group commit
  does) and ``FinalRequestProcessor.processRequest``. Best of several rounds.
* pipeline: the same packets given to ``processPacket`` with at most
  ``--window`` outstanding, so that RequestThrottler, PrepRequestProcessor and
  SyncThread hand them on as they do in service; the CPU time of each thread
  per request, in the round with the least in all.

Replies are counted and dropped instead of written, so the socket writes and
the selector thread are left out of both columns.

    .venv/bin/python tools/stage_costs.py [--requests 20000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import logging
import os
import socket
import struct
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from pyzookeeper.data.ACL import ACL  # noqa: E402
from pyzookeeper.data.Id import Id  # noqa: E402
from pyzookeeper.jute.BinaryOutputArchive import BinaryOutputArchive  # noqa: E402
from pyzookeeper.proto.ConnectRequest import ConnectRequest  # noqa: E402
from pyzookeeper.proto.CreateRequest import CreateRequest  # noqa: E402
from pyzookeeper.proto.GetDataRequest import GetDataRequest  # noqa: E402
from pyzookeeper.proto.RequestHeader import RequestHeader  # noqa: E402
from pyzookeeper.proto.SetDataRequest import SetDataRequest  # noqa: E402
from pyzookeeper.server.Request import Request  # noqa: E402
from pyzookeeper.server.ServerCnxn import ServerCnxn  # noqa: E402
from pyzookeeper.server.ServerConfig import ServerConfig  # noqa: E402
from pyzookeeper.server.ZooKeeperServerMain import ZooKeeperServerMain  # noqa: E402
from pyzookeeper.ZooDefs import OpCode  # noqa: E402

_INT = struct.Struct(">i")
OPEN_ACL = [ACL(31, Id("world", "anyone"))]
NODES = 1000
DATA = b"x" * 100


def serialize(*records) -> bytes:
    out = BinaryOutputArchive()
    for record in records:
        record.serialize(out, "r")
    return bytes(out.buffer())


class Session:
    """One client session over a plain socket (for the setup requests)."""

    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=60)
        # a long session: requests handed to processPacket do not touch the connection
        self.send(serialize(ConnectRequest(0, 0, 3_600_000, 0, b"\0" * 16)) + b"\0")
        self.recv()
        self.xid = 0

    def send(self, payload: bytes) -> None:
        self.sock.sendall(_INT.pack(len(payload)) + payload)

    def recv(self) -> bytes:
        def exactly(n: int) -> bytes:
            buf = b""
            while len(buf) < n:
                chunk = self.sock.recv(n - len(buf))
                if not chunk:
                    raise EOFError("server closed the connection")
                buf += chunk
            return buf
        return exactly(_INT.unpack(exactly(4))[0])

    def create(self, path: str, data: bytes) -> None:
        self.xid += 1
        self.send(serialize(RequestHeader(self.xid, OpCode.create), CreateRequest(path, data, OPEN_ACL, 0)))
        self.recv()


class Workload:
    """Request packets of one kind, numbered on from where the last batch ended."""

    def __init__(self, op: str) -> None:
        self.op = op
        self.next = 0

    def packets(self, count: int) -> list[bytes]:
        out = []
        for i in range(self.next, self.next + count):
            if self.op == "get":
                out.append(serialize(RequestHeader(i, OpCode.getData), GetDataRequest(f"/b/n{i % NODES}", False)))
            elif self.op == "set":
                out.append(serialize(RequestHeader(i, OpCode.setData),
                                     SetDataRequest(f"/b/n{i % NODES}", DATA, -1)))
            else:
                out.append(serialize(RequestHeader(i, OpCode.create), CreateRequest(f"/b/c{i}", DATA, OPEN_ACL, 0)))
        self.next += count
        return out


class Collector:
    """Stands in for the next stage: keeps what it is handed."""

    def __init__(self) -> None:
        self.requests: list[Request] = []

    def processRequest(self, request: Request) -> None:
        self.requests.append(request)

    def submitRequest(self, request: Request) -> None:
        self.requests.append(request)

    def getInflight(self) -> int:
        return 0


def thread_cpu() -> dict[str, float]:
    """CPU seconds used so far by each live thread of this process, by name."""
    tick = os.sysconf("SC_CLK_TCK")
    out = {}
    for t in threading.enumerate():
        try:
            fields = Path(f"/proc/self/task/{t.native_id}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        out[t.name] = (int(fields[11]) + int(fields[12])) / tick
    return out


def one_thread(zks, cnxn, work: Workload, count: int) -> dict[str, float]:
    """Microseconds per request in each stage, called directly on this thread."""
    prep = zks.firstProcessor
    sync = prep.nextProcessor
    final = sync.nextProcessor
    zkDb = zks.getZKDatabase()
    packets = work.packets(count)
    costs = {}

    throttler, collector = zks.requestThrottler, Collector()
    zks.requestThrottler = collector
    start = time.perf_counter()
    for packet in packets:
        zks.processPacket(cnxn, packet)
    costs["processPacket"] = time.perf_counter() - start
    zks.requestThrottler = throttler
    for request in collector.requests:
        # what RequestThrottler.submitRequestNow counts; Final counts it down
        zks.incInProcess()

    prepared = Collector()
    prep.nextProcessor = prepared
    start = time.perf_counter()
    for request in collector.requests:
        prep.pRequest(request)
    costs["pRequest"] = time.perf_counter() - start
    prep.nextProcessor = sync

    start = time.perf_counter()
    for i, request in enumerate(prepared.requests, 1):
        zkDb.append(request)
        if i % 200 == 0:
            zkDb.commit()
    zkDb.commit()
    costs["txn log"] = time.perf_counter() - start

    start = time.perf_counter()
    for request in prepared.requests:
        final.processRequest(request)
    costs["final"] = time.perf_counter() - start
    return {k: v * 1e6 / count for k, v in costs.items()}


def pipeline(zks, cnxn, work: Workload, count: int, window: int, replies: threading.Semaphore) -> dict[str, float]:
    """CPU microseconds per request of each thread while the pipeline runs."""
    packets = work.packets(count)
    before = thread_cpu()
    def reply() -> None:
        if not replies.acquire(timeout=60):
            raise SystemExit("no reply within 60 s")
    for packet in packets:
        reply()
        zks.processPacket(cnxn, packet)
    for _ in range(window):
        reply()
    after = thread_cpu()
    for _ in range(window):
        replies.release()
    return {name: (after[name] - before.get(name, 0.0)) * 1e6 / count
            for name in after if after[name] > before.get(name, 0.0)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=20000, help="requests per round")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of each kind (the best is shown)")
    parser.add_argument("--window", type=int, default=512, help="outstanding requests in the pipeline run")
    parser.add_argument("--ops", default="get,set,create")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)

    with tempfile.TemporaryDirectory(prefix="stage-costs-") as tmp:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        cfg = Path(tmp) / "zoo.cfg"
        cfg.write_text(f"tickTime=2000\ndataDir={tmp}/data\nclientPort={port}\nclientPortAddress=127.0.0.1\n"
                       "admin.enableServer=false\nmaxSessionTimeout=3600000\n")
        config = ServerConfig()
        config.parse(str(cfg))
        main = ZooKeeperServerMain()
        threading.Thread(target=main.runFromConfig, args=(config,), name="server", daemon=True).start()
        if not main.started.wait(60):
            raise SystemExit("the server did not start")
        zks = main.zkServer
        session = Session(port)
        session.create("/b", b"")
        for i in range(NODES):
            session.create(f"/b/n{i}", DATA)
        cnxn = next(iter(zks.getServerCnxnFactory().cnxns))
        replies = threading.Semaphore(args.window)
        counting = threading.Event()

        def reply(*buffers) -> None:
            if counting.is_set():
                replies.release()
        cnxn.sendBuffer = reply

        for op in args.ops.split(","):
            work = Workload(op)
            best: dict[str, float] = {}
            for _ in range(args.rounds):
                for stage, cost in one_thread(zks, cnxn, work, args.requests).items():
                    best[stage] = min(best.get(stage, cost), cost)
            counting.set()
            threads = min((pipeline(zks, cnxn, work, args.requests, args.window, replies)
                           for _ in range(args.rounds)), key=lambda costs: sum(costs.values()))
            counting.clear()
            print(f"{op}: one thread {sum(best.values()):6.1f} us/request "
                  + ", ".join(f"{k} {v:.1f}" for k, v in best.items()))
            print(f"{op}: pipeline   {sum(threads.values()):6.1f} us/request "
                  + ", ".join(f"{k} {v:.1f}" for k, v in sorted(threads.items(), key=lambda kv: -kv[1])))
        session.sock.close()
        main.close()


if __name__ == "__main__":
    main()
