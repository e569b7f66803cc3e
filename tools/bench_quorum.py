"""Benchmark a 3-peer pyzookeeper ensemble against a 3-peer Java ZooKeeper 3.8
ensemble on this machine.

Starts both ensembles on 127.0.0.1 (free ports, data under a temporary
directory), runs ``compare`` (the load generator harness, default
``../shared/bench/compare``) against one follower of each, then kills the
leader of each ensemble with SIGKILL and measures how long it takes until a
write through a surviving peer succeeds again, and what the new leader's log
says the election took. Prints the compare output and one JSON line; every
process it started is stopped before it exits.

    .venv/bin/python tools/bench_quorum.py --seconds 5 --rounds 3 --ops get,set
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JAVA_JARS = ("/usr/share/java/zookeeper.jar", "/usr/share/java/zookeeper-jute.jar",
             "/usr/share/java/slf4j-simple.jar")
ELECTION_LINE = re.compile(r"(LEADING|FOLLOWING) - LEADER ELECTION TOOK - (\d+) MS")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def four_letter_word(port: int, word: str, timeout: float = 2.0) -> str:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
            s.sendall(word.encode())
            chunks = []
            while True:
                data = s.recv(65536)
                if not data:
                    break
                chunks.append(data)
        return b"".join(chunks).decode(errors="replace")
    except OSError:
        return ""


def java_classpath() -> str:
    """Debian's ZooKeeper jars (the manifest brings the rest) and SLF4J's simple logger."""
    return ":".join(JAVA_JARS)


class Peer:
    def __init__(self, kind: str, sid: int, root: Path, ports: dict[str, int]) -> None:
        self.kind = kind
        self.sid = sid
        self.dir = root / f"{kind}{sid}"
        self.client_port = ports["client"]
        self.quorum_port = ports["quorum"]
        self.election_port = ports["election"]
        self.proc: subprocess.Popen | None = None

    def server_line(self) -> str:
        return (f"server.{self.sid}=127.0.0.1:{self.quorum_port}:{self.election_port}"
                f";127.0.0.1:{self.client_port}")

    def start(self, servers: list[str]) -> None:
        data = self.dir / "data"
        data.mkdir(parents=True, exist_ok=True)
        (data / "myid").write_text(f"{self.sid}\n")
        cfg = self.dir / "zoo.cfg"
        cfg.write_text("\n".join([
            "tickTime=2000", "initLimit=10", "syncLimit=5", f"dataDir={data}",
            "admin.enableServer=false", "4lw.commands.whitelist=*", "maxClientCnxns=0",
            "forceSync=yes", *servers, ""]))
        if self.kind == "java":
            cmd = ["java", "-Xmx1000m", "-Dzookeeper.admin.enableServer=false",
                   "-Dorg.slf4j.simpleLogger.showDateTime=true",
                   "-cp", java_classpath(), "org.apache.zookeeper.server.quorum.QuorumPeerMain", str(cfg)]
        else:
            cmd = [sys.executable, "-m", "pyzookeeper.server.quorum.QuorumPeerMain", str(cfg)]
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")])
        with open(self.dir / "peer.log", "ab") as log:
            self.proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env,
                                         start_new_session=True, cwd=self.dir)

    def mode(self) -> str | None:
        m = re.search(r"^Mode: (\S+)", four_letter_word(self.client_port, "srvr"), re.M)
        return m.group(1) if m else None

    def log(self) -> str:
        return (self.dir / "peer.log").read_text(errors="replace")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise TimeoutError(what)


def start_ensemble(kind: str, root: Path) -> list[Peer]:
    peers = [Peer(kind, sid, root, {"client": free_port(), "quorum": free_port(), "election": free_port()})
             for sid in (1, 2, 3)]
    servers = [p.server_line() for p in peers]
    for p in peers:
        p.start(servers)

    def settled():
        modes = [p.mode() for p in peers]
        return modes if sorted(m or "" for m in modes) == ["follower", "follower", "leader"] else None

    wait_for(settled, 120, f"{kind} ensemble did not elect a leader")
    return peers


def election_after_leader_kill(peers: list[Peer]) -> dict:
    """Kill -9 the leader while a client writes steadily through the survivors;
    the time from the kill until a write succeeds again."""
    from kazoo.client import KazooClient
    from kazoo.exceptions import KazooException
    from kazoo.handlers.threading import KazooTimeoutError

    logging.getLogger("kazoo").setLevel(logging.CRITICAL)
    leader = next(p for p in peers if p.mode() == "leader")
    survivors = [p for p in peers if p is not leader]
    before = {p: len(ELECTION_LINE.findall(p.log())) for p in survivors}
    hosts = ",".join(f"127.0.0.1:{p.client_port}" for p in survivors)
    client = KazooClient(hosts=hosts, timeout=30)
    client.start(30)
    client.ensure_path("/bench-election")
    successes: list[float] = []
    stop = threading.Event()

    def writer() -> None:
        while not stop.is_set():
            try:
                client.set("/bench-election", b"x")
                successes.append(time.monotonic())
            except (KazooException, KazooTimeoutError):
                time.sleep(0.005)

    thread = threading.Thread(target=writer, name="bench-writer")
    thread.start()
    wait_for(lambda: len(successes) >= 50, 30, "no steady writes before the kill")
    killed = time.monotonic()
    leader.stop(signal.SIGKILL)
    try:
        wait_for(lambda: successes[-1] > killed, 60, "no write succeeded after the leader was killed")
        written = next(t for t in successes if t > killed)
    finally:
        stop.set()
        thread.join()
        client.stop()
        client.close()
    logged = []
    for p in survivors:
        found = ELECTION_LINE.findall(p.log())[before[p]:]
        logged += [int(ms) for _, ms in found]
    return {"write_again_ms": round((written - killed) * 1000), "logged_election_ms": logged}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--compare", default=str(ROOT.parent / "shared" / "bench" / "compare"))
    parser.add_argument("--seconds", default="5")
    parser.add_argument("--rounds", default="3")
    parser.add_argument("--ops", default="get,set")
    parser.add_argument("--elections", type=int, default=3, help="leader kills per ensemble")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="bench-quorum-", dir=os.environ.get("TMPDIR", "/var/tmp")))
    ensembles: dict[str, list[Peer]] = {}
    result: dict = {}
    try:
        for kind in ("java", "py"):
            ensembles[kind] = start_ensemble(kind, root / kind)
        followers = {k: next(p for p in peers if p.mode() == "follower") for k, peers in ensembles.items()}
        cmd = [args.compare, "--seconds", args.seconds, "--rounds", args.rounds, "--ops", args.ops,
               "--pid", f"java={followers['java'].proc.pid}", "--pid", f"py={followers['py'].proc.pid}",
               f"java=127.0.0.1:{followers['java'].client_port}", f"py=127.0.0.1:{followers['py'].client_port}"]
        out = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "TMPDIR": str(root)})
        sys.stdout.write(out.stdout)
        sys.stderr.write(out.stderr[-4000:])
        lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
        result["compare"] = json.loads(lines[-1]) if lines else None
        result["elections"] = {}
        for kind, peers in ensembles.items():
            runs = []
            for _ in range(args.elections):
                runs.append(election_after_leader_kill(peers))
                dead = next(p for p in peers if p.proc.poll() is not None)
                dead.start([p.server_line() for p in peers])
                wait_for(lambda: all(p.mode() in ("leader", "follower") for p in peers), 120,
                         f"{kind} peer did not rejoin")
            result["elections"][kind] = runs
        print(json.dumps(result))
        return 0
    finally:
        for peers in ensembles.values():
            for p in peers:
                p.stop()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
