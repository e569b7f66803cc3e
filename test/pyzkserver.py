"""Our server, run for a test: as a child process (the real entry point) or
embedded in the test process (faster, and lets a test look inside)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from javaref import four_letter_word, free_port, wait_for

SRC = Path(__file__).resolve().parent.parent / "src"


class PyZooKeeperServer:
    """``python -m pyzookeeper.server.quorum.QuorumPeerMain zoo.cfg`` on 127.0.0.1."""

    def __init__(self, workdir: Path, port: int | None = None, extra_cfg: dict | None = None,
                 jvm_flags: str = "", data_dir: Path | None = None) -> None:
        self.workdir = Path(workdir)
        self.port = port or free_port()
        self.data_dir = Path(data_dir) if data_dir else self.workdir / "data"
        self.extra_cfg = dict(extra_cfg or {})
        self.jvm_flags = jvm_flags
        self.proc: subprocess.Popen | None = None
        self.log_path = self.workdir / "py-zk.log"

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

    def start(self, timeout: float = 60.0) -> "PyZooKeeperServer":
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        cfg = self.workdir / "zoo.cfg"
        cfg.write_text(self.config_text())
        env = dict(os.environ)
        env["PYTHONPATH"] = str(SRC) + os.pathsep + env.get("PYTHONPATH", "")
        env["SERVER_JVMFLAGS"] = self.jvm_flags
        env["ZOO_LOG4J_PROP"] = "INFO,CONSOLE"
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen([sys.executable, "-m", "pyzookeeper.server.quorum.QuorumPeerMain", str(cfg)],
                                     stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        log.close()
        try:
            wait_for(self._ruok, timeout=timeout, what=f"pyzookeeper on {self.port}")
        except TimeoutError:
            self.stop()
            raise RuntimeError("pyzookeeper did not start:\n" + self.log_text()[-4000:])
        return self

    def _ruok(self) -> bool:
        if self.proc is not None and self.proc.poll() is not None:
            raise RuntimeError("pyzookeeper exited:\n" + self.log_text()[-4000:])
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

    def __enter__(self) -> "PyZooKeeperServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


class EmbeddedServer:
    """A standalone server (ZooKeeperServerMain) on a thread of the test process."""

    def __init__(self, workdir: Path, port: int | None = None, extra_cfg: dict | None = None) -> None:
        self.workdir = Path(workdir)
        self.port = port or free_port()
        self.extra_cfg = dict(extra_cfg or {})
        self.main = None
        self.thread: threading.Thread | None = None
        self.error: BaseException | None = None

    @property
    def hosts(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def zks(self):
        return self.main.zkServer

    def start(self, timeout: float = 30.0) -> "EmbeddedServer":
        from pyzookeeper.server.ServerConfig import ServerConfig
        from pyzookeeper.server.ZooKeeperServerMain import ZooKeeperServerMain

        self.workdir.mkdir(parents=True, exist_ok=True)
        cfg = self.workdir / "zoo.cfg"
        settings = {"tickTime": "2000", "dataDir": str(self.workdir / "data"), "clientPort": str(self.port),
                    "clientPortAddress": "127.0.0.1", "admin.enableServer": "false",
                    "4lw.commands.whitelist": "*", "maxClientCnxns": "0"}
        settings.update({k: str(v) for k, v in self.extra_cfg.items()})
        cfg.write_text("".join(f"{k}={v}\n" for k, v in settings.items()))
        config = ServerConfig()
        config.parse(str(cfg))
        self.main = ZooKeeperServerMain()

        def run() -> None:
            try:
                self.main.runFromConfig(config)
            except BaseException as e:  # reported by start() / stop()
                self.error = e
                self.main.started.set()

        self.thread = threading.Thread(target=run, name="EmbeddedServer", daemon=True)
        self.thread.start()
        if not self.main.started.wait(timeout) or self.error is not None:
            raise RuntimeError(f"embedded server did not start: {self.error!r}")
        return self

    def stop(self, timeout: float = 30.0) -> None:
        if self.main is not None and self.thread is not None and self.thread.is_alive():
            self.main.close()
            self.thread.join(timeout)
        if self.error is not None:
            raise self.error

    def __enter__(self) -> "EmbeddedServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
