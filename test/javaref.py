"""The Java reference (Debian's ZooKeeper 3.8 jars) for interop tests.

Tests that need Java use the ``java`` marker and the fixtures in conftest.py;
they skip, with the reason, when Java or the jars are missing.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

ZK_JAR = Path("/usr/share/java/zookeeper.jar")
JUTE_JAR = Path("/usr/share/java/zookeeper-jute.jar")
SLF4J_SIMPLE = Path("/usr/share/java/slf4j-simple.jar")
SLF4J_NOP = Path("/usr/share/java/slf4j-nop.jar")
ZKCLI = Path("/usr/share/zookeeper/bin/zkCli.sh")
CLI_MT = Path("/usr/lib/zookeeper/bin/cli_mt")


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


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_java(main_class: str, *args: str, timeout: float = 120, jvm_args=(), check=True,
             input: str | None = None) -> subprocess.CompletedProcess:
    """Run a Java main class from the ZooKeeper jars and capture its output."""
    cmd = ["java", "-Xmx1g", *jvm_args, "-cp", classpath(), main_class, *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=check,
                          input=input)


def four_letter_word(port: int, word: str, timeout: float = 5.0) -> str:
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(word.encode())
        chunks = []
        while True:
            data = s.recv(65536)
            if not data:
                break
            chunks.append(data)
    return b"".join(chunks).decode()


def wait_for(predicate, timeout: float = 30.0, interval: float = 0.05, what: str = "condition"):
    """Poll ``predicate`` until it returns a true value or the deadline passes."""
    deadline = time.monotonic() + timeout
    last_exc = None
    while time.monotonic() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except Exception as exc:  # the condition may not be checkable yet
            last_exc = exc
        time.sleep(interval)
    raise TimeoutError(f"timed out after {timeout}s waiting for {what}" + (f": {last_exc!r}" if last_exc else ""))


class JavaZooKeeperServer:
    """A standalone Java ZooKeeper 3.8 server on 127.0.0.1, for one test."""

    def __init__(self, workdir: Path, port: int | None = None, extra_cfg: dict | None = None,
                 jvm_args=(), data_dir: Path | None = None) -> None:
        self.workdir = Path(workdir)
        self.port = port or free_port()
        self.data_dir = Path(data_dir) if data_dir else self.workdir / "data"
        self.extra_cfg = dict(extra_cfg or {})
        self.jvm_args = list(jvm_args)
        self.proc: subprocess.Popen | None = None
        self.log_path = self.workdir / "java-zk.log"

    def config_text(self) -> str:
        cfg = {
            "tickTime": "2000",
            "dataDir": str(self.data_dir),
            "clientPort": str(self.port),
            "clientPortAddress": "127.0.0.1",
            "admin.enableServer": "false",
            "4lw.commands.whitelist": "*",
            "maxClientCnxns": "0",
        }
        cfg.update({k: str(v) for k, v in self.extra_cfg.items()})
        return "".join(f"{k}={v}\n" for k, v in cfg.items())

    def start(self, timeout: float = 60.0) -> "JavaZooKeeperServer":
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        cfg = self.workdir / "zoo.cfg"
        cfg.write_text(self.config_text())
        cmd = ["java", "-Xmx1g", *self.jvm_args, "-cp", classpath("simple"),
               "org.apache.zookeeper.server.quorum.QuorumPeerMain", str(cfg)]
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        try:
            wait_for(lambda: self._ruok(), timeout=timeout, what=f"Java ZooKeeper on {self.port}")
        except TimeoutError:
            self.stop()
            raise RuntimeError("Java ZooKeeper did not start:\n" + self.log_path.read_text()[-4000:])
        return self

    def _ruok(self) -> bool:
        if self.proc is not None and self.proc.poll() is not None:
            raise RuntimeError("Java ZooKeeper exited:\n" + self.log_path.read_text()[-4000:])
        try:
            return four_letter_word(self.port, "ruok", timeout=1) == "imok"
        except OSError:
            return False

    @property
    def hosts(self) -> str:
        return f"127.0.0.1:{self.port}"

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 20.0) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout)
        self.proc = None

    def kill9(self) -> None:
        self.stop(signal.SIGKILL)

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def __enter__(self) -> "JavaZooKeeperServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
