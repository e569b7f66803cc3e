"""ZooKeeper servers run as child processes for tests, and the small tools the
tests reach them with: free ports, waiting with a deadline, four-letter words.

``ServerProcess`` is what every server process of the tests shares (the Java
reference in javaref, ours in pyzkserver, the peers of ensemble): its own
process group, its output appended to a log file, SIGTERM then SIGKILL after a
deadline, SIGSTOP/SIGCONT, and a prompt failure, with the log's tail, when the
process exits while a test waits on it.

``StandaloneServer`` adds a standalone ``zoo.cfg`` on a free 127.0.0.1 port and
a start that returns once the server serves clients: ``srvr`` reports a
``Mode:``. ``ruok`` is no such sign: Java and ours answer ``imok`` as soon as
the client port listens, before the database is loaded, and a client that
connects then is turned away.

Ports come from below the kernel's ephemeral range, which the kernel never
hands out on its own, so a port chosen here cannot be taken between the choice
and the server's bind by the local end of some outgoing connection or by a
``bind(0)``; a standalone server whose port was taken all the same (by another
process doing the same) is started again on another port.
"""

from __future__ import annotations

import contextlib
import os
import random
import re
import signal
import socket
import subprocess
import time
from pathlib import Path

STANDALONE_CFG = {
    "tickTime": "2000",
    "clientPortAddress": "127.0.0.1",
    "admin.enableServer": "false",
    "4lw.commands.whitelist": "*",
    "maxClientCnxns": "0",
}

_MODE = re.compile(r"^Mode: (\S+)", re.M)


# -- ports ------------------------------------------------------------------------------------

def _port_pool() -> range:
    """Ports outside the ephemeral range (where bind(0) and connect() take theirs)."""
    try:
        low, high = map(int, Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split())
    except (OSError, ValueError):
        low, high = 32768, 60999
    if low - 10000 >= 4096:
        return range(10000, low)
    if 65535 - high >= 4096:
        return range(high + 1, 65536)
    return range(1024, 65536)


PORT_POOL = _port_pool()
_handed_out: set[int] = set()
_choice = random.SystemRandom().choice  # apart from the random module, which tests may seed


def _bindable(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port() -> int:
    """A port nothing is bound to on 127.0.0.1, not handed out before by this process
    (so that ports chosen together for one configuration are distinct)."""
    if len(_handed_out) > len(PORT_POOL) // 2:
        _handed_out.clear()
    for _ in range(10000):
        port = _choice(PORT_POOL)
        if port not in _handed_out and _bindable(port):
            _handed_out.add(port)
            return port
    raise RuntimeError(f"no free port in {PORT_POOL}")


def free_ports(n: int) -> list[int]:
    """``n`` distinct free ports."""
    return [free_port() for _ in range(n)]


# -- waiting ----------------------------------------------------------------------------------

class ServerExited(RuntimeError):
    """A server process a test was waiting on has exited: ``wait_for`` gives up at once."""


def wait_for(predicate, timeout: float = 30.0, interval: float = 0.05, what: str = "condition"):
    """Poll ``predicate`` until it returns a true value and return that value. An
    exception from it counts as "not yet", except ServerExited, which is raised at
    once; at the deadline TimeoutError names the last exception."""
    deadline = time.monotonic() + timeout
    last_exc = None
    while True:
        try:
            value = predicate()
            if value:
                return value
        except ServerExited:
            raise
        except Exception as exc:  # the condition may not be checkable yet
            last_exc = exc
        if time.monotonic() >= deadline:
            break
        time.sleep(interval)
    raise TimeoutError(f"timed out after {timeout}s waiting for {what}" + (f": {last_exc!r}" if last_exc else ""))


# -- four-letter words ------------------------------------------------------------------------

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


def serving_mode(port: int, timeout: float = 2.0) -> str | None:
    """The ``Mode:`` that ``srvr`` reports (it does once the server serves clients),
    or None. Every server answers ``srvr``, whatever its 4lw whitelist."""
    try:
        text = four_letter_word(port, "srvr", timeout=timeout)
    except OSError:
        return None
    m = _MODE.search(text)
    return m.group(1) if m else None


# -- processes --------------------------------------------------------------------------------

_running: set[ServerProcess] = set()


def stop_leftovers() -> list[str]:
    """Kill every server process a test started and did not stop; their names."""
    left = sorted((server.name for server in _running if server.is_running()))
    for server in list(_running):
        server.kill9()
    return left


class ServerProcess:
    """A server child process in its own process group, its output in ``log_path``.
    Subclasses say how it is run (``command``)."""

    name = "server"

    def __init__(self, workdir: Path, log_name: str) -> None:
        self.workdir = Path(workdir)
        self.log_path = self.workdir / log_name
        self.proc: subprocess.Popen | None = None
        self.stopped = False  # SIGSTOPped
        self.file_size_limit: int | None = None  # RLIMIT_FSIZE of the process, in bytes

    def command(self) -> tuple[list[str], dict[str, str] | None]:
        """The command line and environment (None: this process's) of the server."""
        raise NotImplementedError

    def spawn(self, cwd: Path | None = None, banner: bool = False) -> None:
        """Start the process; with ``banner`` a ``==== start <command>`` line goes to
        the log first."""
        if self.is_running():
            raise RuntimeError(f"{self.name} is already running")
        cmd, env = self.command()
        if self.file_size_limit is not None:
            # writes past the limit fail with EFBIG, as on a full disk
            cmd = ["prlimit", f"--fsize={self.file_size_limit}", "--", *cmd]
        self.workdir.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log:
            if banner:
                log.write(f"==== start {' '.join(cmd)}\n".encode())
                log.flush()
            self.proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env,
                                         start_new_session=True, cwd=cwd)
        self.stopped = False
        _running.add(self)

    def is_running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def send_signal(self, sig: int) -> None:
        if self.is_running():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, sig)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 20.0) -> None:
        """Signal the process group and wait for the process; SIGKILL after ``timeout``."""
        if self.proc is None:
            return
        if self.stopped and sig != signal.SIGKILL:
            # a stopped process handles SIGTERM only once resumed; SIGKILL
            # kills it where it stands, without letting it run once more
            self.sigcont()
        if self.proc.poll() is None:
            self.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.send_signal(signal.SIGKILL)
                self.proc.wait(timeout)
        self.proc = None
        self.stopped = False
        _running.discard(self)

    def kill9(self) -> None:
        self.stop(signal.SIGKILL)

    def sigstop(self) -> None:
        self.send_signal(signal.SIGSTOP)
        self.stopped = True

    def sigcont(self) -> None:
        self.send_signal(signal.SIGCONT)
        self.stopped = False

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def check_alive(self) -> None:
        """Raise ServerExited, with the log's tail, if the process has exited."""
        if self.proc is not None and self.proc.poll() is not None:
            raise ServerExited(f"{self.name} exited with {self.proc.returncode}:\n" + self.log_text()[-4000:])


class StandaloneServer(ServerProcess):
    """A standalone server on 127.0.0.1 from a ``zoo.cfg`` in ``workdir`` (STANDALONE_CFG
    and ``extra_cfg``); used as a context manager it is started and stopped."""

    def __init__(self, workdir: Path, log_name: str, port: int | None = None, extra_cfg: dict | None = None,
                 data_dir: Path | None = None) -> None:
        super().__init__(workdir, log_name)
        self.chosen_port = port is None
        self.port = port or free_port()
        self.data_dir = Path(data_dir) if data_dir else self.workdir / "data"
        self.extra_cfg = dict(extra_cfg or {})
        self.started_once = False

    @property
    def cfg_path(self) -> Path:
        return self.workdir / "zoo.cfg"

    @property
    def hosts(self) -> str:
        return f"127.0.0.1:{self.port}"

    def config_text(self) -> str:
        cfg = {**STANDALONE_CFG, "dataDir": str(self.data_dir), "clientPort": str(self.port)}
        cfg.update({k: str(v) for k, v in self.extra_cfg.items()})
        return "".join(f"{k}={v}\n" for k, v in cfg.items())

    def mode(self) -> str | None:
        return serving_mode(self.port)

    def serving(self) -> str | None:
        self.check_alive()
        return self.mode()

    def start(self, timeout: float = 60.0) -> StandaloneServer:
        """Start the server and return once it serves clients. A first start on a port
        of our choosing that another process took moves to another port."""
        tries = 3 if self.chosen_port and not self.started_once else 1
        for attempt in range(1, tries + 1):
            self.workdir.mkdir(parents=True, exist_ok=True)
            self.data_dir.mkdir(parents=True, exist_ok=True)
            self.cfg_path.write_text(self.config_text())
            logged = self.log_path.stat().st_size if self.log_path.exists() else 0
            self.spawn()
            try:
                wait_for(self.serving, timeout=timeout, what=f"{self.name} on {self.port} to serve")
            except ServerExited as e:
                self.stop()
                if attempt < tries and "Address already in use" in self.log_text()[logged:]:
                    self.port = free_port()
                    continue
                raise ServerExited(f"{self.name} did not start: {e}") from None
            except TimeoutError as e:
                self.stop()
                raise RuntimeError(f"{self.name} did not start ({e}):\n" + self.log_text()[-4000:]) from None
            break
        self.started_once = True
        return self

    def __enter__(self) -> StandaloneServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
