"""Our server, run for a test: as a child process (the real entry point) or
embedded in the test process (faster, and lets a test look inside)."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

from serverprocess import STANDALONE_CFG, StandaloneServer, free_port

SRC = Path(__file__).resolve().parent.parent / "src"


class PyZooKeeperServer(StandaloneServer):
    """``python -m pyzookeeper.server.quorum.QuorumPeerMain zoo.cfg`` on 127.0.0.1."""

    name = "pyzookeeper"

    def __init__(self, workdir: Path, port: int | None = None, extra_cfg: dict | None = None,
                 jvm_flags: str = "", data_dir: Path | None = None) -> None:
        super().__init__(workdir, "py-zk.log", port, extra_cfg, data_dir)
        self.jvm_flags = jvm_flags

    def command(self) -> tuple[list[str], dict[str, str]]:
        env = dict(os.environ)
        env["PYTHONPATH"] = str(SRC) + os.pathsep + env.get("PYTHONPATH", "")
        env["SERVER_JVMFLAGS"] = self.jvm_flags
        env["ZOO_LOG4J_PROP"] = "INFO,CONSOLE"
        return [sys.executable, "-m", "pyzookeeper.server.quorum.QuorumPeerMain", str(self.cfg_path)], env


class EmbeddedServer:
    """A standalone server (ZooKeeperServerMain) on a thread of the test process."""

    def __init__(self, workdir: Path, port: int | None = None, extra_cfg: dict | None = None) -> None:
        self.workdir = Path(workdir)
        self.chosen_port = port is None
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

    def start(self, timeout: float = 60.0) -> EmbeddedServer:
        """Start the server and return once it serves clients; on a port of our
        choosing that another process took, start again on another port."""
        tries = 3 if self.chosen_port else 1
        for attempt in range(1, tries + 1):
            self._run_on_thread()
            if not self.main.started.wait(timeout):
                raise RuntimeError(f"embedded server did not start within {timeout}s")
            if self.error is None:
                return self
            if attempt < tries and "Address already in use" in str(self.error):
                self.thread.join(timeout)
                self.port = free_port()
                continue
            raise RuntimeError(f"embedded server did not start: {self.error!r}")
        return self

    def _run_on_thread(self) -> None:
        from pyzookeeper.server.ServerConfig import ServerConfig
        from pyzookeeper.server.ZooKeeperServerMain import ZooKeeperServerMain

        self.workdir.mkdir(parents=True, exist_ok=True)
        cfg = self.workdir / "zoo.cfg"
        settings = {**STANDALONE_CFG, "dataDir": str(self.workdir / "data"), "clientPort": str(self.port)}
        settings.update({k: str(v) for k, v in self.extra_cfg.items()})
        cfg.write_text("".join(f"{k}={v}\n" for k, v in settings.items()))
        config = ServerConfig()
        config.parse(str(cfg))
        self.main = ZooKeeperServerMain()
        self.error = None

        def run() -> None:
            try:
                self.main.runFromConfig(config)
            except BaseException as e:  # reported by start() / stop()
                self.error = e
                self.main.started.set()

        self.thread = threading.Thread(target=run, name="EmbeddedServer", daemon=True)
        self.thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        if self.main is not None and self.thread is not None and self.thread.is_alive():
            self.main.close()
            self.thread.join(timeout)
        if self.error is not None:
            raise self.error

    def __enter__(self) -> EmbeddedServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
