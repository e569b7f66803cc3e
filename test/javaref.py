"""The Java reference (Debian's ZooKeeper 3.8 jars) for interop tests.

Tests that need Java use the ``java`` marker and the fixtures in conftest.py;
they skip, with the reason, when Java or the jars are missing. The tools for
reaching servers (``free_port``, ``wait_for``, ``four_letter_word``...) live in
serverprocess and are imported from here too.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from serverprocess import (ServerExited, StandaloneServer, four_letter_word, free_port,  # noqa: F401 (for the tests)
                           free_ports, serving_mode, wait_for)

ZK_JAR = Path("/usr/share/java/zookeeper.jar")
JUTE_JAR = Path("/usr/share/java/zookeeper-jute.jar")
SLF4J_SIMPLE = Path("/usr/share/java/slf4j-simple.jar")
SLF4J_NOP = Path("/usr/share/java/slf4j-nop.jar")
ZKCLI = Path("/usr/share/zookeeper/bin/zkCli.sh")
CLI_MT = Path("/usr/lib/zookeeper/bin/cli_mt")
# JVM options that start a short-lived test JVM sooner (the client compiler alone,
# one GC thread); they change nothing ZooKeeper does
QUICK_START = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")


def java_missing_reason() -> str | None:
    """Why the Java reference cannot be used here, or None when it can."""
    if shutil.which("java") is None:
        return "java is not installed"
    for jar in (ZK_JAR, JUTE_JAR):
        if not jar.exists():
            return f"{jar} is missing (apt-get install zookeeper)"
    return None


def classpath(logging: str = "nop") -> str:
    log_jar = SLF4J_SIMPLE if logging == "simple" else SLF4J_NOP
    return os.pathsep.join(str(p) for p in (ZK_JAR, JUTE_JAR, log_jar))


def run_java(main_class: str, *args: str, timeout: float = 120, jvm_args=(), check=True,
             input: str | None = None) -> subprocess.CompletedProcess:
    """Run a Java main class from the ZooKeeper jars and capture its output."""
    cmd = ["java", "-Xmx1g", *QUICK_START, *jvm_args, "-cp", classpath(), main_class, *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=check,
                          input=input)


class JavaZooKeeperServer(StandaloneServer):
    """A standalone Java ZooKeeper 3.8 server on 127.0.0.1, for one test."""

    name = "Java ZooKeeper"

    def __init__(self, workdir: Path, port: int | None = None, extra_cfg: dict | None = None,
                 jvm_args=(), data_dir: Path | None = None) -> None:
        super().__init__(workdir, "java-zk.log", port, extra_cfg, data_dir)
        self.jvm_args = list(jvm_args)

    def command(self) -> tuple[list[str], None]:
        return (["java", "-Xmx1g", *QUICK_START, *self.jvm_args, "-cp", classpath("simple"),
                 "org.apache.zookeeper.server.quorum.QuorumPeerMain", str(self.cfg_path)], None)
