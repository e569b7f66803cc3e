"""Ensembles of ZooKeeper peers on 127.0.0.1 for quorum tests.

Each peer is a child process with its own zoo.cfg, myid and data directory
under the test's temporary directory. A peer's kind is one of

* ``"py"``     this package's server (``python -m pyzookeeper.server.quorum.QuorumPeerMain``);
* ``"java"``   Debian's ZooKeeper 3.8 (``org.apache.zookeeper.server.quorum.QuorumPeerMain``);
* ``"pyelect"`` this package's QuorumCnxManager and FastLeaderElection alone
  (``test/election_peer.py``): it takes part in leader election, prints
  ``ELECTION-RESULT`` lines, and never runs Zab.

    with Ensemble(tmp_path, ["py", "py", "java"]) as ens:
        ens.start()
        modes = ens.wait_for_modes()          # {1: "follower", 2: "follower", 3: "leader"}
        ens.peer(3).kill9()

With ``dynamic_config=True`` each peer starts from a static ``zoo.cfg`` that
names a dynamic file ``zoo.cfg.dynamic`` holding the ``server.N`` lines (with
client addresses), the split layout of dynamic reconfiguration; a peer's
configuration files are then the server's to rewrite, and ``start(keep_config=True)``
restarts it from what it wrote. ``add_peer`` makes a joiner for a reconfig.

With ``distinct_hosts=True`` peer N's quorum and election addresses are on
127.0.0.(N+1) instead of 127.0.0.1 (clients still connect on 127.0.0.1), so
that every peer can listen on one shared port, as ``observerMasterPort`` needs.

All ports are free loopback ports; every process is stopped (SIGKILL if it
does not stop) when the ensemble is left.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from javaref import QUICK_START, classpath
from serverprocess import ServerProcess, four_letter_word, free_ports, serving_mode, wait_for

SRC = Path(__file__).resolve().parent.parent / "src"
TEST_DIR = Path(__file__).resolve().parent

KINDS = ("py", "java", "pyelect")
SERVING_MODES = ("leader", "follower", "observer", "standalone", "read-only")


class Peer(ServerProcess):
    """One member of an Ensemble, run as a child process."""

    def __init__(self, ensemble: Ensemble, sid: int, kind: str, observer: bool = False) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown peer kind {kind!r}; one of {KINDS}")
        super().__init__(ensemble.root / f"peer{sid}", f"{kind}-zk.log")
        self.name = f"peer {sid} ({kind})"
        self.ensemble = ensemble
        self.sid = sid
        self.kind = kind
        self.observer = observer
        self.host = f"127.0.0.{sid + 1}" if ensemble.distinct_hosts else "127.0.0.1"
        self.client_port, self.quorum_port, self.election_port = free_ports(3)
        self.data_dir = self.workdir / "data"
        self.cfg_path = self.workdir / "zoo.cfg"
        self.extra_cfg: dict[str, str] = {}
        self.jvm_flags: list[str] = []

    # -- configuration ------------------------------------------------------------------------

    def server_line(self) -> str:
        if self.ensemble.dynamic_config:
            return f"server.{self.sid}={self.server_spec()}"
        role = ":observer" if self.observer else ""
        return f"server.{self.sid}={self.host}:{self.quorum_port}:{self.election_port}{role}"

    def server_spec(self, role: str | None = None) -> str:
        """The ``server.N`` value with role and client address, as a reconfig names a server."""
        role = role or ("observer" if self.observer else "participant")
        return f"{self.host}:{self.quorum_port}:{self.election_port}:{role};127.0.0.1:{self.client_port}"

    @property
    def dynamic_cfg_path(self) -> Path:
        """The dynamic file a ``dynamic_config`` peer starts from."""
        return self.workdir / "zoo.cfg.dynamic"

    def config_files(self) -> dict[str, str]:
        """Name -> text of every ``zoo.cfg*`` file in the peer's directory."""
        return {f.name: f.read_text() for f in sorted(self.workdir.glob("zoo.cfg*")) if f.is_file()}

    def config_text(self) -> str:
        ens = self.ensemble
        cfg = {
            "tickTime": str(ens.tick_time),
            "initLimit": str(ens.init_limit),
            "syncLimit": str(ens.sync_limit),
            "dataDir": str(self.data_dir),
            "clientPort": str(self.client_port),
            "clientPortAddress": "127.0.0.1",
            "admin.enableServer": "false",
            "4lw.commands.whitelist": "*",
            "maxClientCnxns": "0",
        }
        if ens.dynamic_config:
            del cfg["clientPort"], cfg["clientPortAddress"]
        elif self.observer:
            cfg["peerType"] = "observer"
        cfg.update({k: str(v) for k, v in ens.extra_cfg.items()})
        cfg.update({k: str(v) for k, v in self.extra_cfg.items()})
        lines = [f"{k}={v}\n" for k, v in cfg.items()]
        if ens.dynamic_config:
            lines.append(f"dynamicConfigFile={self.dynamic_cfg_path}\n")
        else:
            lines += [p.server_line() + "\n" for p in ens.peers.values()]
        return "".join(lines)

    def dynamic_config_text(self) -> str:
        return "".join(p.server_line() + "\n" for p in self.ensemble.peers.values())

    def write_config(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.cfg_path.write_text(self.config_text())
        if self.ensemble.dynamic_config:
            self.dynamic_cfg_path.write_text(self.dynamic_config_text())
        (self.data_dir / "myid").write_text(f"{self.sid}\n")

    # -- process ------------------------------------------------------------------------------

    def command(self) -> tuple[list[str], dict[str, str]]:
        env = dict(os.environ)
        flags = [*self.ensemble.jvm_flags, *self.jvm_flags]
        if self.kind == "java":
            cmd = ["java", "-Xmx256m", *QUICK_START,
                   "-Dorg.slf4j.simpleLogger.showDateTime=true",
                   "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd HH:mm:ss,SSS",
                   *flags, "-cp", classpath("simple"),
                   "org.apache.zookeeper.server.quorum.QuorumPeerMain", str(self.cfg_path)]
            return cmd, env
        env["PYTHONPATH"] = os.pathsep.join([str(SRC), str(TEST_DIR), env.get("PYTHONPATH", "")])
        env["ZOO_LOG4J_PROP"] = "INFO,CONSOLE"
        env["SERVER_JVMFLAGS"] = " ".join(flags)
        env.pop("JVMFLAGS", None)
        if self.kind == "py":
            return [sys.executable, "-m", "pyzookeeper.server.quorum.QuorumPeerMain", str(self.cfg_path)], env
        return [sys.executable, str(TEST_DIR / "election_peer.py"), str(self.cfg_path)], env

    def start(self, keep_config: bool = False) -> Peer:
        """Start the process (without waiting for it to serve); with ``keep_config``
        from the configuration files as they are (a restart after a reconfig)."""
        if not keep_config or not self.cfg_path.exists():
            self.write_config()
        self.spawn(cwd=self.workdir, banner=True)
        return self

    # -- observation --------------------------------------------------------------------------

    @property
    def hosts(self) -> str:
        return f"127.0.0.1:{self.client_port}"

    def four_letter_word(self, word: str, timeout: float = 2.0) -> str:
        return four_letter_word(self.client_port, word, timeout=timeout)

    def mode(self) -> str | None:
        """The ``Mode:`` of ``srvr``, or None when the peer does not serve."""
        return serving_mode(self.client_port, timeout=1.0)

    def election_results(self) -> list[dict[str, str]]:
        """The ``ELECTION-RESULT key=value ...`` lines a "pyelect" peer printed."""
        results = []
        for line in self.log_text().splitlines():
            if line.startswith("ELECTION-RESULT "):
                results.append(dict(kv.split("=", 1) for kv in line.split()[1:]))
        return results


class Ensemble:
    """``kinds[i]`` is the kind of peer ``i + 1``; ``observers`` lists observer sids."""

    def __init__(self, root: Path, kinds: list[str] | str, observers: tuple[int, ...] = (),
                 tick_time: int = 500, init_limit: int = 10, sync_limit: int = 5,
                 extra_cfg: dict | None = None, jvm_flags: list[str] | None = None,
                 dynamic_config: bool = False, distinct_hosts: bool = False) -> None:
        if isinstance(kinds, str):
            kinds = [kinds]
        self.root = Path(root)
        self.dynamic_config = dynamic_config
        self.distinct_hosts = distinct_hosts
        self.tick_time = tick_time
        self.init_limit = init_limit
        self.sync_limit = sync_limit
        self.extra_cfg = dict(extra_cfg or {})
        self.jvm_flags = list(jvm_flags or [])
        self.peers: dict[int, Peer] = {}
        for i, kind in enumerate(kinds):
            sid = i + 1
            self.peers[sid] = Peer(self, sid, kind, observer=sid in observers)

    def peer(self, sid: int) -> Peer:
        return self.peers[sid]

    def __iter__(self):
        return iter(self.peers.values())

    @property
    def connect_string(self) -> str:
        return ",".join(p.hosts for p in self.peers.values())

    def add_peer(self, kind: str, observer: bool = False) -> Peer:
        """A new peer (the next sid), not started: a joiner for a reconfig. Its
        configuration lists every peer of the ensemble as it stands, itself included."""
        sid = max(self.peers, default=0) + 1
        self.peers[sid] = Peer(self, sid, kind, observer=observer)
        return self.peers[sid]

    def start(self, sids=None, keep_config: bool = False) -> Ensemble:
        for sid in (sids if sids is not None else list(self.peers)):
            self.peers[sid].start(keep_config=keep_config)
        return self

    def stop(self) -> None:
        for p in self.peers.values():
            p.stop()

    def running(self) -> list[Peer]:
        return [p for p in self.peers.values() if p.is_running()]

    def modes(self, sids=None) -> dict[int, str | None]:
        return {sid: self.peers[sid].mode() for sid in (sids if sids is not None else self.peers)}

    def wait_for_modes(self, sids=None, timeout: float = 60.0) -> dict[int, str]:
        """Wait until every listed (default: running) peer serves and exactly one leads;
        return ``{sid: mode}``."""
        chosen = list(sids) if sids is not None else [p.sid for p in self.running()]

        def settled():
            for sid in chosen:
                self.peers[sid].check_alive()
            modes = self.modes(chosen)
            if any(m not in SERVING_MODES for m in modes.values()):
                return None
            if list(modes.values()).count("leader") != 1:
                return None
            return modes

        return wait_for(settled, timeout=timeout, interval=0.1, what=f"modes of peers {chosen}")

    def leader(self, sids=None, timeout: float = 60.0) -> Peer:
        modes = self.wait_for_modes(sids, timeout)
        return next(self.peers[sid] for sid, m in modes.items() if m == "leader")

    def wait_for_election(self, sids=None, timeout: float = 60.0, after: int = 0) -> dict[int, dict[str, str]]:
        """For "pyelect" peers: wait until each listed peer printed more than ``after``
        results and all their latest results name one leader; return the latest per sid."""
        chosen = list(sids) if sids is not None else [p.sid for p in self.running() if p.kind == "pyelect"]

        def agreed():
            latest = {}
            for sid in chosen:
                self.peers[sid].check_alive()
                results = self.peers[sid].election_results()
                if len(results) <= after:
                    return None
                latest[sid] = results[-1]
            if len({r["leader"] for r in latest.values()}) != 1:
                return None
            return latest

        return wait_for(agreed, timeout=timeout, interval=0.05, what=f"election among {chosen}")

    def __enter__(self) -> Ensemble:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
