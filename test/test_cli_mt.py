"""cli_mt, ZooKeeper's C client shell, against our server and Java's.

cli_mt runs every command asynchronously and prints the answer from its
completion thread, so the script is fed one command at a time: each command
is followed by ``sync /zookeeper``, whose answer comes after the command's
own (the C client completes requests in order), and the next command waits
for it. The transcripts of a fresh Java 3.8 server and a fresh server of
ours must match once times and session ids are masked; both start empty, so
zxids are compared as they are.
"""

from __future__ import annotations

import difflib
import re
import subprocess
import threading

import pytest

from javaref import CLI_MT, JavaZooKeeperServer, wait_for
from pyzkserver import PyZooKeeperServer

JVM_FLAGS = ["-Dzookeeper.extendedTypesEnabled=true"]
CFG = {"tickTime": "2000"}
MARKER = "sync /zookeeper"
MARKER_DONE = "[/zookeeper]: rc = 0"

SCRIPT = [
    "help",
    "create /c",
    "create /c",
    "create2 /c/two",
    "create +s /c/seq",
    "create +s /c/seq",
    "create2 +s /c/seq2",
    "create +e /c/eph",
    "create +es /c/ephseq",
    "create /c/eph/child",
    "create +c /c/cont",
    "create /c/cont/in",
    "create +t=3600000 /c/ttl",
    "create2 +st=3600000 /c/ttlseq",
    "create +et=100 /c/bad",
    "create +x /c/bad",
    "create +t=0 /c/bad",
    "create /nope/child",
    "create c/relative",
    "create /c/ä",
    "get /c",
    "get /c/two",
    "get /nope",
    "set /c/two changed",
    "set /c/two",
    "set /nope data",
    "get /c/two",
    "ls /",
    "ls /c",
    "ls /nope",
    "ls2 /c",
    "ls2 /nope",
    "exists /c/two",
    "exists /nope",
    "wexists /c/two",
    "set /c/two watched",
    "wexists /c/later",
    "create /c/later",
    "get /c/later",
    "delete /c/later",
    "ls /c/cont",
    "create /c/cont/more",
    "sync /",
    "sync /c",
    "sync /nope",
    "delete /c",
    "delete /nope",
    "delete /c/cont/in",
    "delete /c/cont/more",
    "addauth digest alice:secret",
    "create /c/after-auth",
    "config",
    "reconfig -add server.5=127.0.0.1:1234:1235;1236",
    "reconfig -remove 5",
    "reconfig",
    "aget /c/two",
    "als /c",
    "nosuchcommand",
    "get /c/ephseq0000000005",
    "ls2 /c",
]

SESSION = re.compile(r"0x[0-9a-f]{9,16}|ephemeralOwner = [0-9a-f]{9,16}")
TIMES = re.compile(r"^(\tctime = |\tmtime=).*|^time = \d+ msec$")


class CliMt:
    """cli_mt in a child process, its merged output read by a thread."""

    def __init__(self, port: int) -> None:
        self.proc = subprocess.Popen([str(CLI_MT), f"127.0.0.1:{port}"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: list[str] = []
        self.lock = threading.Lock()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            with self.lock:
                self.lines.append(line.rstrip("\n"))

    def count(self, text: str) -> int:
        with self.lock:
            return sum(1 for line in self.lines if line == text)

    def send(self, command: str) -> None:
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()

    def run(self, command: str, timeout: float = 30) -> None:
        """Send ``command`` and wait until its answer has been printed."""
        done = self.count(MARKER_DONE)
        self.send(command)
        self.send(MARKER)
        wait_for(lambda: self.count(MARKER_DONE) > done, timeout=timeout, what=f"cli_mt to answer {command!r}")

    def close(self) -> list[str]:
        try:
            self.send("quit")
            self.proc.wait(30)
        except (BrokenPipeError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()
        self.reader.join(10)
        return self.lines


def transcript(port: int) -> list[str]:
    cli = CliMt(port)
    try:
        wait_for(lambda: cli.count("Watcher SESSION_EVENT state = CONNECTED_STATE") == 1, timeout=30,
                 what="cli_mt to connect")
        for command in SCRIPT:
            cli.run(command)
        # a failed auth ends the session, and cli_mt with it
        cli.send("addauth nosuchscheme x")
        wait_for(lambda: cli.count("Authentication failure. Shutting down...") == 1, timeout=30,
                 what="cli_mt to fail its auth")
    finally:
        lines = cli.close()
    return normalise(lines)


def normalise(lines: list[str]) -> list[str]:
    """Times and session ids masked, C library log lines dropped, and each
    child list sorted (its order is checked in
    test_differential_java.py::test_children_order)."""
    out: list[str] = []
    children: list[str] | None = None
    for line in lines:
        if "ZOO_" in line:
            continue
        line = TIMES.sub(lambda m: m.group(1) + "<time>" if m.group(1) else "time = <n> msec", line)
        line = SESSION.sub("<session>", line)
        if children is not None and line.startswith("\t") and "=" not in line:
            children.append(line)
            continue
        if children is not None:
            out.extend(sorted(children))
            children = None
        out.append(line)
        if re.fullmatch(r"/\S*: rc = 0", line):
            children = []
    if children:
        out.extend(sorted(children))
    return out


@pytest.fixture(scope="module")
def cli_mt_available(java_available):
    if not CLI_MT.exists():
        pytest.skip(f"{CLI_MT} is missing")


def test_cli_mt_session_matches_java(cli_mt_available, tmp_path):
    out = {}
    for name, server in (("java", JavaZooKeeperServer(tmp_path / "java", extra_cfg=CFG, jvm_args=JVM_FLAGS)),
                         ("py", PyZooKeeperServer(tmp_path / "py", extra_cfg=CFG, jvm_flags=" ".join(JVM_FLAGS)))):
        with server:
            out[name] = transcript(server.port)
    java, py = out["java"], out["py"]
    assert py == java, "\n".join(difflib.unified_diff(java, py, "java", "py", lineterm="", n=2))
    assert "\tname = /c/seq0000000002" in java and "[/c]: rc = -110" in java
    assert "Watcher CHANGED_EVENT state = CONNECTED_STATE for path /c/two" in java
    assert "Watcher CREATED_EVENT state = CONNECTED_STATE for path /c/later" in java
