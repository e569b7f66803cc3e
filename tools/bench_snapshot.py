"""Snapshot write and restore: pyzookeeper against the Java server.

    .venv/bin/python tools/bench_snapshot.py [--nodes 1000000] [--size 100] [--compression none|gz|snappy]
                                             [--workdir DIR]

1. builds a tree of N znodes of SIZE bytes (1000 parents, N/1000 children each)
   in our DataTree and writes it with FileTxnSnapLog.save (timed: "write");
2. restores it in a fresh process with ZKDatabase.loadDataBase (timed:
   "restore", and that process's peak RSS);
3. starts the Java server (Debian's 3.8 jar) on a copy of the same directory
   and reads its "Snapshot loaded in N ms" and "Snapshot taken in N ms" log
   lines, and its peak RSS (VmHWM) once it serves.

Prints one JSON object with every number.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "test"))


def build_and_write(data_dir: Path, nodes: int, size: int, compression: str) -> dict:
    from pyzookeeper.server.DataTree import DataTree
    from pyzookeeper.server.persistence.FileTxnSnapLog import FileTxnSnapLog
    from pyzookeeper.server.persistence.SnapStream import SnapStream, StreamMode
    from pyzookeeper.ZooDefs import Ids

    SnapStream.setStreamMode(StreamMode.fromString(compression))

    dt = DataTree()
    acl = Ids.OPEN_ACL_UNSAFE
    parents = 1000
    per_parent = max(1, nodes // parents)
    zxid = 0
    start = time.perf_counter()
    for p in range(parents):
        zxid += 1
        dt.createNode(f"/p{p:04d}", b"", acl, 0, -1, zxid, 1_700_000_000_000)
    data = bytes(range(size % 256)) + b"x" * (size - size % 256)
    created = parents
    for p in range(parents):
        parent = f"/p{p:04d}/c"
        for c in range(per_parent):
            if created >= nodes:
                break
            zxid += 1
            dt.createNode(f"{parent}{c:06d}", data, acl, 0, -1, zxid, 1_700_000_000_000)
            created += 1
    dt.lastProcessedZxid = zxid
    build = time.perf_counter() - start
    snapLog = FileTxnSnapLog(data_dir, data_dir)
    start = time.perf_counter()
    snapLog.save(dt, {}, False)
    write = time.perf_counter() - start
    snapshot = next((data_dir / "version-2").glob(f"snapshot.{zxid:x}*"))
    return {"znodes": dt.getNodeCount() - 1, "build_s": round(build, 2), "write_s": round(write, 2),
            "snapshot_bytes": snapshot.stat().st_size,
            "write_process_peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}


def restore(data_dir: Path) -> dict:
    from pyzookeeper.server.persistence.FileTxnSnapLog import FileTxnSnapLog
    from pyzookeeper.server.ZKDatabase import ZKDatabase

    start = time.perf_counter()
    db = ZKDatabase(FileTxnSnapLog(data_dir, data_dir))
    zxid = db.loadDataBase()
    elapsed = time.perf_counter() - start
    return {"restore_s": round(elapsed, 2), "restored_zxid": hex(zxid), "restored_znodes": db.getNodeCount() - 1,
            "restore_peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}


def java_restore(data_dir: Path, work: Path) -> dict:
    from javaref import JavaZooKeeperServer, four_letter_word, wait_for

    server = JavaZooKeeperServer(work, data_dir=data_dir, jvm_args=["-Xmx4g"])
    start = time.perf_counter()
    with server:
        wait_for(lambda: "Zxid:" in four_letter_word(server.port, "srvr"), timeout=600, what="java serving")
        serving = time.perf_counter() - start
        status = Path(f"/proc/{server.proc.pid}/status").read_text()
        log = server.log_text()
    hwm = int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) // 1024
    loaded = re.search(r"Snapshot loaded in (\d+) ms", log)
    taken = re.search(r"Snapshot taken in (\d+) ms", log)
    return {"java_restore_s": int(loaded.group(1)) / 1000 if loaded else None,
            "java_snapshot_write_s": int(taken.group(1)) / 1000 if taken else None,
            "java_start_to_serving_s": round(serving, 2), "java_peak_rss_mb": hwm}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=1_000_000)
    parser.add_argument("--size", type=int, default=100)
    parser.add_argument("--compression", choices=["none", "gz", "snappy"], default="none")
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--phase", choices=["write", "restore"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase == "write":
        print(json.dumps(build_and_write(args.workdir, args.nodes, args.size, args.compression)))
        return
    if args.phase == "restore":
        print(json.dumps(restore(args.workdir)))
        return
    work = Path(args.workdir or tempfile.mkdtemp(prefix="bench-snapshot-"))
    data_dir = work / "data"
    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(parents=True)
    env = dict(os.environ, ZOO_LOG4J_PROP="WARN,CONSOLE")
    result = {"nodes": args.nodes, "data_bytes": args.size, "compression": args.compression}
    for phase in ("write", "restore"):
        out = subprocess.run([sys.executable, __file__, "--phase", phase, "--workdir", str(data_dir),
                              "--nodes", str(args.nodes), "--size", str(args.size),
                              "--compression", args.compression],
                             capture_output=True, text=True, check=True, env=env)
        result.update(json.loads(out.stdout.strip().splitlines()[-1]))
    java_dir = work / "java-data"
    shutil.rmtree(java_dir, ignore_errors=True)
    shutil.copytree(data_dir, java_dir)
    result.update(java_restore(java_dir, work / "java"))
    print(json.dumps(result, indent=2))
    if args.workdir is None:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
